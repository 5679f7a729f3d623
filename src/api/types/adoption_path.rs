//! Adoption paths away from a solution (`AdoptionPaths`, `PathStart`, `AdoptionPath`) and
//! the walk drawn from them.

use super::counts::counts;
use super::counts::population;
use super::evidence::{adoption_evidence, outcome_refs};
use super::indexed::{collectivity_node, solution_node};
use super::peer::peer_refs;
use super::risk::risk_view;
use super::solution_evidence::solution_evidence;
use super::{
    AdoptionCounts, AdoptionEvidence, CollectivityNode, CountryCount, OutcomeRef, PeerRef, Risk,
    SolutionEvidence, SolutionNode, Walk, WalkRelation,
};
use crate::analysis::evidence::{self, PathLink, Ranked};
use crate::analysis::index::Index;
use crate::api::enums::PathTier;
use crate::domain;
use async_graphql::Object;
use std::sync::Arc;

/// One alternative on an adoption path, with the adopters shown on the walk.
pub struct AdoptionPath {
    pub(super) ix: Arc<Index>,
    pub(super) from: u32,
    pub(super) ranked: Arc<Ranked>,
    /// The adoptions shown for it (see [`evidence::path_adopters`]).
    pub(super) shown: Vec<u32>,
}

/// One alternative on an adoption path, with the adopters shown on the walk.
#[Object]
impl AdoptionPath {
    /// Its tier: declared replacements (by confidence) before same-need candidates.
    async fn tier(&self) -> PathTier {
        self.ranked
            .tier()
            .unwrap_or(evidence::Tier::SameNeed)
            .into()
    }
    /// The alternative and its evidence (`link` says how it is linked to the start,
    /// `explanation` why it ranks here).
    async fn alternative(&self) -> SolutionEvidence {
        solution_evidence(&self.ix, &self.ranked, Some(self.from))
    }
    /// Adopters shown for it: peers first, then those who moved from the start, then
    /// adopters with outcomes.
    async fn adopters(&self) -> Vec<AdoptionEvidence> {
        let similarity = |a: u32| {
            self.ranked
                .peer_adoptions
                .iter()
                .find(|p| p.adoption == a)
                .map(|p| (p.similarity, p.own))
        };
        self.shown
            .iter()
            .map(|a| {
                let (s, own) = similarity(*a).map_or((None, false), |(s, o)| (Some(s), o));
                adoption_evidence(&self.ix, *a, s, own)
            })
            .collect()
    }
}

/// What adoption paths are computed from: the analysis' answer and the adopters shown.
struct PathsData {
    pub(super) ix: Arc<Index>,
    pub(super) paths: evidence::Paths,
    pub(super) alternatives: Vec<Arc<Ranked>>,
    /// The adoptions shown per alternative, in the order of `alternatives`.
    pub(super) shown: Vec<Vec<u32>>,
    pub(super) asker: Option<u32>,
}

/// The starting solution of adoption paths, with what its adopters went through.
pub struct PathStart(Arc<PathsData>);

/// The starting solution of adoption paths, with what its adopters went through.
#[Object]
impl PathStart {
    /// The solution.
    async fn solution(&self) -> SolutionNode {
        solution_node(&self.0.ix, self.0.paths.from)
    }
    /// Counts over its adoptions.
    async fn counts(&self) -> AdoptionCounts {
        counts(&self.0.ix, &self.0.paths.from_stats)
    }
    /// Outcomes that count against it (ROLLBACK, VENDOR_SHUTDOWN), at most 20.
    async fn against(&self) -> Vec<OutcomeRef> {
        outcome_refs(&self.0.ix, &self.0.paths.against)
    }
    /// Outcomes that count for it (SUCCESS, COST_SAVING), at most 20.
    async fn favourable(&self) -> Vec<OutcomeRef> {
        outcome_refs(&self.0.ix, &self.0.paths.favourable)
    }
    /// Its continuity risk.
    async fn risk(&self) -> Risk {
        risk_view(&self.0.ix, &self.0.paths.risk)
    }
}

/// Ways away from a solution, each ranked by peers' evidence, and the walk to draw them.
pub struct AdoptionPaths(Arc<PathsData>);

/// Ways away from a solution, each ranked by peers' evidence, and the walk to draw them.
#[Object]
impl AdoptionPaths {
    /// Where the paths start.
    async fn from(&self) -> PathStart {
        PathStart(self.0.clone())
    }
    /// The asker, if any.
    async fn asker(&self) -> Option<CollectivityNode> {
        self.0.asker.map(|a| collectivity_node(&self.0.ix, a))
    }
    /// The asker's peers that weighed in.
    async fn peers(&self) -> Vec<PeerRef> {
        peer_refs(&self.0.ix, &self.0.paths.pool)
    }
    /// How many alternatives exist, before `first`.
    async fn total_count(&self) -> u32 {
        self.0.paths.total as u32
    }
    /// Where the evidence of the alternatives listed comes from: adoptions by country.
    async fn evidence_countries(&self) -> Vec<CountryCount> {
        population(&self.0.ix, &self.0.alternatives)
    }
    /// The alternatives: declared replacements first (STRONG, PARTIAL, ADJACENT), then
    /// solutions serving the same specific need; by evidence within each.
    async fn paths(&self) -> Vec<AdoptionPath> {
        let d = &self.0;
        d.alternatives
            .iter()
            .zip(&d.shown)
            .map(|(r, shown)| AdoptionPath {
                ix: d.ix.clone(),
                from: d.paths.from,
                ranked: r.clone(),
                shown: shown.clone(),
            })
            .collect()
    }
    /// The whole walk: start → alternatives → adoptions → adopters → outcomes.
    async fn walk(&self) -> Walk {
        walk(&self.0)
    }
}

/// The walk start → alternatives → adoptions → adopters → outcomes.
fn walk(d: &PathsData) -> Walk {
    let ix = &d.ix;
    let mut walk = Walk::default();
    let start = walk.solution(ix, d.paths.from);
    let against = [
        domain::OutcomeKind::Rollback,
        domain::OutcomeKind::VendorShutdown,
    ];
    let mut shown: Vec<u32> = d
        .paths
        .against
        .iter()
        .map(|o| ix.outcomes[*o as usize].adoption)
        .collect();
    shown.dedup();
    for a in shown {
        walk.adoption(ix, &start, a, &against);
    }
    for (r, shown) in d.alternatives.iter().zip(&d.shown) {
        let alt = walk.solution(ix, r.solution);
        let (relation, detail) = match &r.link {
            Some(PathLink::Replaces(l)) => (
                WalkRelation::ReplacedBy,
                Some(l.confidence.as_str().to_owned()),
            ),
            _ => (WalkRelation::SameNeed, None),
        };
        walk.edge(&start, &alt, relation, detail);
        for &a in shown {
            walk.adoption(ix, &alt, a, &[]);
        }
    }
    walk
}

/// Builds the adoption-paths answer (its fields are filled in when asked for).
pub fn adoption_paths(
    ix: &Arc<Index>,
    from: u32,
    asker: Option<u32>,
    first: usize,
    adopters: usize,
) -> AdoptionPaths {
    let mut paths = evidence::adoption_paths(ix, from, asker, first);
    let alternatives: Vec<Arc<Ranked>> = std::mem::take(&mut paths.alternatives)
        .into_iter()
        .map(Arc::new)
        .collect();
    let shown = alternatives
        .iter()
        .map(|r| evidence::path_adopters(ix, r, adopters))
        .collect();
    AdoptionPaths(Arc::new(PathsData {
        ix: ix.clone(),
        paths,
        alternatives,
        shown,
        asker,
    }))
}
