//! A solution ranked by evidence (`SolutionEvidence`), with its explanation and, on an
//! adoption path, its link to the starting solution (`AlternativeLink`).

use super::counts::{country_counts, counts};
use super::evidence::{adoption_evidence, peer_adoption};
use super::indexed::{need_node, solution_node};
use super::{
    AdoptionCounts, AdoptionEvidence, AlternativeNode, CountryCount, NeedNode, Score, SolutionNode,
    Text,
};
use crate::analysis::evidence::{self, PathLink, Ranked};
use crate::analysis::explain::explain;
use crate::analysis::index::Index;
use crate::domain;
use async_graphql::{Enum, Object, SimpleObject};
use std::sync::Arc;

/// How an alternative is linked to the solution it would replace.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum PathLinkKind {
    /// A direct REPLACES link (an `Alternative`).
    Replaces,
    /// It serves some of the same needs.
    SameNeed,
}

/// The link between a starting solution and an alternative.
#[derive(SimpleObject, Clone)]
pub struct AlternativeLink {
    /// Direct REPLACES link, or same need.
    pub(super) kind: PathLinkKind,
    /// The REPLACES link, with its confidence and sources.
    pub(super) alternative: Option<AlternativeNode>,
    /// The needs both serve (for SAME_NEED).
    pub(super) needs: Vec<NeedNode>,
}

/// A solution ranked by evidence, with that evidence.
///
/// Holds the ranking and the index: each field (the explanation in words, the peers'
/// adoptions...) is built when it is asked for.
pub struct SolutionEvidence {
    pub(super) ix: Arc<Index>,
    pub(super) ranked: Arc<Ranked>,
    /// The starting solution, on an adoption path.
    pub(super) from: Option<u32>,
}

/// A solution ranked by evidence, with that evidence.
#[Object]
impl SolutionEvidence {
    /// The solution (its `risk` field gives its continuity risk).
    async fn solution(&self) -> SolutionNode {
        solution_node(&self.ix, self.ranked.solution)
    }
    /// Counts over the adoptions considered.
    async fn counts(&self) -> AdoptionCounts {
        counts(&self.ix, &self.ranked.stats)
    }
    /// How many of the asker's peers (or the asker) adopted it.
    async fn peer_adopters(&self) -> u32 {
        self.ranked.peer_adopters
    }
    /// Their adoptions, most similar adopter first.
    async fn peer_adoptions(&self) -> Vec<AdoptionEvidence> {
        self.ranked
            .peer_adoptions
            .iter()
            .map(|p| peer_adoption(&self.ix, p))
            .collect()
    }
    /// The evidence score, with its parts.
    async fn score(&self) -> Score {
        (&self.ranked.score).into()
    }
    /// The score in words, in French and English, built from the same parts as the number.
    async fn explanation(&self) -> Text {
        Text(explain(&self.ix, &self.ranked))
    }
    /// True when the adoptions were weighed by how alike their adopters are to the asker
    /// (parts `comparableAdoptions`...); false when every adopter counted the same (part
    /// `adoptions`; `adoptionsByCountry` says where they come from).
    async fn weighed_for_asker(&self) -> bool {
        self.ranked.weighed_for_asker
    }
    /// Where the adoptions counted come from, by country, most first.
    async fn adoptions_by_country(&self) -> Vec<CountryCount> {
        country_counts(self.ranked.stats.by_profile.by_country(&self.ix.countries))
    }
    /// For adoption paths: how it is linked to the starting solution.
    async fn link(&self) -> Option<AlternativeLink> {
        match (&self.ranked.link, self.from) {
            (Some(l), Some(f)) => Some(link(&self.ix, f, l)),
            _ => None,
        }
    }
    /// For adoption paths: adoptions of it that replaced the starting solution.
    async fn moved_from(&self) -> Vec<AdoptionEvidence> {
        self.ranked
            .moved
            .iter()
            .take(evidence::MAX_PEER_ADOPTIONS)
            .map(|a| adoption_evidence(&self.ix, *a, None, false))
            .collect()
    }
}

fn link(ix: &Index, from: u32, l: &PathLink) -> AlternativeLink {
    match l {
        PathLink::Replaces(link) => AlternativeLink {
            kind: PathLinkKind::Replaces,
            alternative: Some(AlternativeNode(domain::Alternative {
                id: link.id.clone(),
                libre: ix.solutions[link.other as usize].id.clone(),
                proprietary: ix.solutions[from as usize].id.clone(),
                confidence: link.confidence,
                kind: link.kind,
            })),
            needs: Vec::new(),
        },
        PathLink::SameNeed(needs) => AlternativeLink {
            kind: PathLinkKind::SameNeed,
            alternative: None,
            needs: needs.iter().map(|n| need_node(ix, *n)).collect(),
        },
    }
}

pub(super) fn solution_evidence(
    ix: &Arc<Index>,
    r: &Arc<Ranked>,
    from: Option<u32>,
) -> SolutionEvidence {
    SolutionEvidence {
        ix: ix.clone(),
        ranked: r.clone(),
        from,
    }
}
