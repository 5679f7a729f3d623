//! Peer experience for a need (`Experience`).

use super::counts::population;
use super::indexed::{collectivity_node, need_node};
use super::peer::peer_refs;
use super::solution_evidence::solution_evidence;
use super::{CollectivityNode, CountryCount, NeedNode, PeerRef, SolutionEvidence};
use crate::analysis::evidence::{self, Ranked};
use crate::analysis::index::Index;
use async_graphql::Object;
use std::sync::Arc;

/// Peer experience for a need: the solutions adopted for it, grouped by solution, best
/// evidence first (libre first where evidence is equal).
pub struct Experience {
    pub(super) ix: Arc<Index>,
    pub(super) need: u32,
    pub(super) asker: Option<u32>,
    pub(super) pool: evidence::PeerPool,
    pub(super) total: usize,
    pub(super) solutions: Vec<Arc<Ranked>>,
}

/// Peer experience for a need: the solutions adopted for it, grouped by solution, best
/// evidence first (libre first where evidence is equal).
#[Object]
impl Experience {
    /// The need (its narrower needs are included).
    async fn need(&self) -> NeedNode {
        need_node(&self.ix, self.need)
    }
    /// The asker, if any.
    async fn asker(&self) -> Option<CollectivityNode> {
        self.asker.map(|a| collectivity_node(&self.ix, a))
    }
    /// The asker's peers that weighed in, best first.
    async fn peers(&self) -> Vec<PeerRef> {
        peer_refs(&self.ix, &self.pool)
    }
    /// How many solutions match, before `first`.
    async fn total_count(&self) -> u32 {
        self.total as u32
    }
    /// Where the evidence of the solutions listed comes from: adoptions by country (without
    /// an asker every adoption weighs the same, whatever its country).
    async fn evidence_countries(&self) -> Vec<CountryCount> {
        population(&self.ix, &self.solutions)
    }
    /// The solutions, with their evidence.
    async fn solutions(&self) -> Vec<SolutionEvidence> {
        self.solutions
            .iter()
            .map(|r| solution_evidence(&self.ix, r, None))
            .collect()
    }
}

/// Builds the experience answer (its fields are filled in when asked for).
pub fn experience(
    ix: &Arc<Index>,
    need: u32,
    asker: Option<u32>,
    filter: &evidence::ExperienceFilter,
    first: usize,
) -> Experience {
    let e = evidence::experience(ix, need, asker, filter, first);
    Experience {
        ix: ix.clone(),
        need,
        asker,
        pool: e.pool,
        total: e.total,
        solutions: e.solutions.into_iter().map(Arc::new).collect(),
    }
}
