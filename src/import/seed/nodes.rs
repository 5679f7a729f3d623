//! Seed records into domain nodes: one conversion per kind of record, each giving the node
//! with the nodes it refers to and the sources it cites.

use super::records::{
    AdoptionRecord, AlternativeRecord, CitedSource, CollectivityRecord, ContributionRecord,
    NeedRecord, OutcomeRecord, PublisherRecord, SolutionRecord, SourceRecord,
};
use crate::domain::{
    Adoption, AdoptionId, Alternative, Collectivity, Contribution, Figure, Need, NodeId, Outcome,
    OutcomeId, Publisher, Solution, Source, ValidationError,
};

/// A node read from a seed record, with what the record says around it.
pub(super) struct Cited<T> {
    /// The node's id.
    pub(super) id: NodeId,
    /// The node.
    pub(super) node: T,
    /// The nodes it refers to (each must be in the seed or the store).
    pub(super) refers: Vec<NodeId>,
    /// The sources it cites.
    pub(super) sources: Vec<CitedSource>,
    /// Whether it must cite at least one source (facts about experience do; the catalogue's
    /// entries need not).
    pub(super) must_cite: bool,
}

impl<T> Cited<T> {
    fn new(id: impl Into<NodeId>, node: T, sources: Vec<CitedSource>) -> Self {
        Cited {
            id: id.into(),
            node,
            refers: Vec::new(),
            sources,
            must_cite: false,
        }
    }

    /// The node refers to `to`.
    fn refer(mut self, to: impl Into<NodeId>) -> Self {
        self.refers.push(to.into());
        self
    }

    /// The node refers to each of `to`.
    fn refer_all<I: Into<NodeId>>(mut self, to: impl IntoIterator<Item = I>) -> Self {
        self.refers.extend(to.into_iter().map(Into::into));
        self
    }

    /// The node must cite a source.
    fn citing(mut self) -> Self {
        self.must_cite = true;
        self
    }
}

impl From<SourceRecord> for Cited<Source> {
    fn from(r: SourceRecord) -> Self {
        let source = Source {
            id: r.id,
            title: r.title,
            titles: r.titles,
            kind: r.kind,
            url: r.url,
            publisher: r.publisher,
            published: r.published,
            licence: r.licence,
            retired: None,
        };
        Cited::new(source.id.clone(), source, Vec::new())
    }
}

impl From<NeedRecord> for Cited<Need> {
    fn from(r: NeedRecord) -> Self {
        let need = Need {
            id: r.id,
            label: r.label,
            broader: r.broader,
            publiccode: r.publiccode,
            retired: None,
        };
        let broader = need.broader.clone();
        Cited::new(need.id.clone(), need, r.sources).refer_all(broader)
    }
}

impl From<PublisherRecord> for Cited<Publisher> {
    fn from(r: PublisherRecord) -> Self {
        let publisher = Publisher {
            id: r.id,
            name: r.name,
            kind: r.kind,
            country: r.country,
            website: r.website,
            status: r.status,
            closed: r.closed,
            unnamed: r.unnamed,
        };
        Cited::new(publisher.id.clone(), publisher, r.sources)
    }
}

impl From<SolutionRecord> for Cited<Solution> {
    fn from(r: SolutionRecord) -> Self {
        let solution = Solution {
            licence: r.licence,
            publisher: r.publisher,
            status: r.status,
            website: r.website,
            repository: r.repository,
            wikidata: r.wikidata,
            sill: r.sill,
            comptoir: r.comptoir,
            description: r.description,
            unnamed: r.unnamed,
            ..Solution::new(r.id, r.name, r.kind, r.needs)
        };
        let (publisher, needs) = (solution.publisher.clone(), solution.needs.clone());
        Cited::new(solution.id.clone(), solution, r.sources)
            .refer_all(publisher)
            .refer_all(needs)
    }
}

impl From<AlternativeRecord> for Cited<Alternative> {
    fn from(r: AlternativeRecord) -> Self {
        let alternative = Alternative {
            id: Alternative::id_for(&r.libre, &r.proprietary),
            libre: r.libre,
            proprietary: r.proprietary,
            confidence: r.confidence,
            kind: r.kind,
        };
        let (libre, proprietary) = (alternative.libre.clone(), alternative.proprietary.clone());
        Cited::new(alternative.id.clone(), alternative, r.sources)
            .citing()
            .refer(libre)
            .refer(proprietary)
    }
}

impl From<CollectivityRecord> for Cited<Collectivity> {
    fn from(r: CollectivityRecord) -> Self {
        let figure_sources: Vec<_> = r.figures.iter().filter_map(|f| f.source.clone()).collect();
        let collectivity = Collectivity {
            id: r.id,
            name: r.name,
            kind: r.kind,
            country: r.country,
            insee: r.insee,
            siren: r.siren,
            population: r.population,
            department: r.department,
            region: r.region,
            parent: r.parent,
            unnamed: r.unnamed,
            figures: r.figures.into_iter().map(Figure::from).collect(),
            contact: None,
            contact_public: false,
            member_of: Vec::new(),
            forges: Vec::new(),
            ospo: false,
        };
        let parent = collectivity.parent.clone();
        Cited::new(collectivity.id.clone(), collectivity, r.sources)
            .refer_all(parent)
            .refer_all(figure_sources)
    }
}

/// An adoption record without its outcomes (read apart: they are nodes of their own, numbered
/// after the adoption).
impl TryFrom<AdoptionRecord> for Cited<Adoption> {
    type Error = ValidationError;

    /// The adoption; its id, when not given, is made of its collectivity's and solution's.
    fn try_from(r: AdoptionRecord) -> Result<Self, ValidationError> {
        let id = match r.id {
            Some(id) => id,
            None => AdoptionId::parse(&format!(
                "adoption:{}--{}",
                r.collectivity.slug(),
                r.solution.slug()
            ))?,
        };
        let adoption = Adoption {
            id,
            collectivity: r.collectivity,
            solution: r.solution,
            need: r.need,
            status: r.status,
            started: r.started,
            ended: r.ended,
            strategy: r.strategy,
            hosting: r.hosting,
            scale: r.scale,
            replaced: r.replaced,
            note: r.note,
            status_history: Vec::new(),
        };
        let refers = [
            adoption.collectivity.clone().into(),
            adoption.solution.clone().into(),
            adoption.need.clone().into(),
        ]
        .into_iter()
        .chain(adoption.replaced.iter().cloned().map(NodeId::from))
        .collect::<Vec<NodeId>>();
        Ok(Cited::new(adoption.id.clone(), adoption, r.sources)
            .citing()
            .refer_all(refers))
    }
}

/// The outcome record at `index` (from 0) of an adoption.
impl TryFrom<(&AdoptionId, usize, OutcomeRecord)> for Cited<Outcome> {
    type Error = ValidationError;

    /// The outcome; its id, when not given, is the adoption's numbered from 1.
    fn try_from(
        (adoption, index, r): (&AdoptionId, usize, OutcomeRecord),
    ) -> Result<Self, ValidationError> {
        let id = match r.id {
            Some(id) => id,
            None => OutcomeId::parse(&format!("outcome:{}--{}", adoption.slug(), index + 1))?,
        };
        let outcome = Outcome {
            id,
            adoption: adoption.clone(),
            kind: r.kind,
            date: r.date,
            summary: r.summary,
            figures: r.figures.into_iter().map(Figure::from).collect(),
            retired: None,
        };
        Ok(Cited::new(outcome.id.clone(), outcome, r.sources).citing())
    }
}

impl From<ContributionRecord> for Cited<Contribution> {
    fn from(r: ContributionRecord) -> Self {
        let contribution = Contribution {
            id: r.id,
            collectivity: r.collectivity,
            solution: r.solution,
            kind: r.kind,
            share_percent: r.share_percent,
            started: r.started,
            ended: r.ended,
            software: r.software,
            contractor: r.contractor,
            references: r.references,
            note: r.note,
        };
        let (collectivity, solution) = (
            contribution.collectivity.clone(),
            contribution.solution.clone(),
        );
        Cited::new(contribution.id.clone(), contribution, r.sources)
            .citing()
            .refer(collectivity)
            .refer_all(solution)
    }
}
