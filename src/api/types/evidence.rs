//! Adoptions and outcomes seen as evidence (`AdoptionEvidence`, `OutcomeRef`).

use super::indexed::{collectivity_node, need_node, solution_node};
use super::{AdoptionNode, CollectivityNode, NeedNode, OutcomeNode, SolutionNode, SourceNode};
use crate::analysis::evidence::PeerAdoption;
use crate::analysis::index::Index;
use crate::api::context::load;
use crate::api::enums::{AdoptionStatus, DeploymentStrategy, Hosting, OutcomeKind};
use crate::api::error::ApiResult;
use crate::api::inputs::parse_id;
use crate::domain;
use async_graphql::{ComplexObject, Context, Object, SimpleObject, ID};
use std::sync::Arc;

/// An adoption seen as evidence: who, what, for which need, where it stands, how it went.
///
/// Holds the index and the adoption's place in it: each field is read when it is asked for.
#[derive(Clone)]
pub struct AdoptionEvidence {
    pub(super) ix: Arc<Index>,
    pub(super) adoption: u32,
    pub(super) similarity: Option<f64>,
    pub(super) own: bool,
}

impl AdoptionEvidence {
    fn row(&self) -> &crate::analysis::index::Adoption {
        &self.ix.adoptions[self.adoption as usize]
    }

    /// The sources of the adoption and of its outcomes (indices, sorted, distinct).
    fn source_indices(&self) -> Vec<u32> {
        let ix = &self.ix;
        let mut sources: Vec<u32> = ix.adoption_sources.get(self.adoption).to_vec();
        for &o in ix.outcomes_of.get(self.adoption) {
            sources.extend_from_slice(ix.outcome_sources.get(o));
        }
        sources.sort_unstable();
        sources.dedup();
        sources
    }
}

/// An adoption seen as evidence: who, what, for which need, where it stands, how it went.
#[Object]
impl AdoptionEvidence {
    /// The adoption's id.
    async fn adoption_id(&self) -> ID {
        ID(self.row().id.to_string())
    }
    /// Who adopted.
    async fn collectivity(&self) -> CollectivityNode {
        collectivity_node(&self.ix, self.row().collectivity)
    }
    /// What was adopted.
    async fn solution(&self) -> SolutionNode {
        solution_node(&self.ix, self.row().solution)
    }
    /// For which need.
    async fn need(&self) -> NeedNode {
        need_node(&self.ix, self.row().need)
    }
    /// Where it stands.
    async fn status(&self) -> AdoptionStatus {
        self.row().status.into()
    }
    /// When it started.
    async fn started(&self) -> Option<String> {
        self.row().started.map(|d| d.to_string())
    }
    /// When it ended.
    async fn ended(&self) -> Option<String> {
        self.row().ended.map(|d| d.to_string())
    }
    /// How it was deployed.
    async fn strategy(&self) -> Option<DeploymentStrategy> {
        self.row().strategy.map(Into::into)
    }
    /// Who runs it.
    async fn hosting(&self) -> Option<Hosting> {
        self.row().hosting.map(Into::into)
    }
    /// The kinds of its outcomes.
    async fn outcome_kinds(&self) -> Vec<OutcomeKind> {
        self.ix
            .outcomes_of
            .get(self.adoption)
            .iter()
            .map(|o| self.ix.outcomes[*o as usize].kind.into())
            .collect()
    }
    /// The adopter's similarity to the asker (1 for the asker itself; null without an asker).
    async fn similarity(&self) -> Option<f64> {
        self.similarity
    }
    /// True when the adopter is the asker itself.
    async fn own(&self) -> bool {
        self.own
    }
    /// The whole adoption.
    async fn adoption(&self, ctx: &Context<'_>) -> ApiResult<Option<AdoptionNode>> {
        Ok(load(ctx, self.row().id.clone()).await?.map(AdoptionNode))
    }
    /// Its outcomes.
    async fn outcomes(&self, ctx: &Context<'_>) -> ApiResult<Vec<OutcomeNode>> {
        let mut out = Vec::new();
        for &o in self.ix.outcomes_of.get(self.adoption) {
            let id = self.ix.outcomes[o as usize].id.clone();
            if let Some(o) = load(ctx, id).await? {
                out.push(OutcomeNode(o));
            }
        }
        Ok(out)
    }
    /// The sources of the adoption and of its outcomes.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNode>> {
        let mut out = Vec::new();
        for s in self.source_indices() {
            let id = self.ix.sources[s as usize].id.clone();
            if let Some(s) = load(ctx, id).await? {
                out.push(SourceNode(s));
            }
        }
        Ok(out)
    }
}

pub(super) fn adoption_evidence(
    ix: &Arc<Index>,
    a: u32,
    similarity: Option<f64>,
    own: bool,
) -> AdoptionEvidence {
    AdoptionEvidence {
        ix: ix.clone(),
        adoption: a,
        similarity,
        own,
    }
}

pub(super) fn peer_adoption(ix: &Arc<Index>, p: &PeerAdoption) -> AdoptionEvidence {
    adoption_evidence(ix, p.adoption, Some(p.similarity), p.own)
}

/// An outcome, as evidence.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct OutcomeRef {
    /// Its id.
    pub(super) id: ID,
    /// What happened.
    pub(super) kind: OutcomeKind,
    /// When.
    pub(super) date: Option<String>,
    /// The adoption it is the outcome of.
    pub(super) adoption: AdoptionEvidence,
}

#[ComplexObject]
impl OutcomeRef {
    /// The whole outcome (summary, figures, sources).
    async fn outcome(&self, ctx: &Context<'_>) -> ApiResult<Option<OutcomeNode>> {
        let id = parse_id(&self.id, domain::OutcomeId::parse)?;
        Ok(load(ctx, id).await?.map(OutcomeNode))
    }
}

/// The outcomes at these positions of the index, as references.
pub(super) fn outcome_refs(ix: &Arc<Index>, outcomes: &[u32]) -> Vec<OutcomeRef> {
    outcomes.iter().map(|o| outcome_ref(ix, *o)).collect()
}

pub(super) fn outcome_ref(ix: &Arc<Index>, o: u32) -> OutcomeRef {
    let outcome = &ix.outcomes[o as usize];
    OutcomeRef {
        id: ID(outcome.id.to_string()),
        kind: outcome.kind.into(),
        date: outcome.date.map(|d| d.to_string()),
        adoption: adoption_evidence(ix, outcome.adoption, None, false),
    }
}
