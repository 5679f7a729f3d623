//! Peers: a collectivity similar to the asker (`Peer`, `PeerRef`), and why
//! (`PeerSimilarity`, `GeographicProximity`).

use super::evidence::adoption_evidence;
use super::indexed::{collectivity_node, solution_node};
use super::{AdoptionEvidence, CollectivityNode, Score, ScorePart, SolutionNode};
use crate::analysis::evidence;
use crate::analysis::index::Index;
use crate::analysis::peers::{self as pr, Proximity, Similarity, Target};
use async_graphql::{Enum, Object, SimpleObject};
use std::sync::Arc;

/// How close two collectivities are geographically.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum GeographicProximity {
    /// Same department.
    SameDepartment,
    /// Same region.
    SameRegion,
    /// Same country.
    SameCountry,
    /// Further apart, or unknown.
    Distant,
}

impl From<Proximity> for GeographicProximity {
    fn from(p: Proximity) -> Self {
        match p {
            Proximity::Department => Self::SameDepartment,
            Proximity::Region => Self::SameRegion,
            Proximity::Country => Self::SameCountry,
            Proximity::None => Self::Distant,
        }
    }
}

/// Why a peer is similar: `score.total = 0.25·kind + 0.25·population + 0.15·geography +
/// 0.35·sharedSolutions` (see the README).
#[derive(SimpleObject, Clone)]
pub struct PeerSimilarity {
    /// The score and its parts (`kind`, `population`, `geography`, `sharedSolutions`).
    pub(super) score: Score,
    /// Geographic closeness.
    pub(super) proximity: GeographicProximity,
    /// How many solutions both adopted.
    pub(super) shared_solution_count: u32,
}

fn similarity(s: &Similarity) -> PeerSimilarity {
    let part = |name: &str, value: f64, weight: f64| ScorePart {
        name: name.to_owned(),
        value,
        weight,
        points: value * weight,
        count: 0,
    };
    PeerSimilarity {
        score: Score {
            total: s.total,
            parts: vec![
                part("kind", s.kind, pr::W_KIND),
                part("population", s.population, pr::W_POPULATION),
                part("geography", s.proximity.value(), pr::W_GEOGRAPHY),
                part("sharedSolutions", s.shared, pr::W_SHARED),
            ],
        },
        proximity: s.proximity.into(),
        shared_solution_count: s.shared_count,
    }
}

/// A collectivity similar to the asker, and why.
pub struct Peer {
    pub(super) ix: Arc<Index>,
    /// The asker (collectivity index).
    pub(super) of: u32,
    pub(super) similarity: Similarity,
    /// The need and its narrower needs, when one is asked about.
    pub(super) needs: Option<Arc<Vec<u32>>>,
}

/// A collectivity similar to the asker, and why.
#[Object]
impl Peer {
    /// The peer.
    async fn collectivity(&self) -> CollectivityNode {
        collectivity_node(&self.ix, self.similarity.peer)
    }
    /// Its similarity, with the score's parts.
    async fn similarity(&self) -> PeerSimilarity {
        similarity(&self.similarity)
    }
    /// The solutions both adopted.
    async fn shared_solutions(&self) -> Vec<SolutionNode> {
        let ix = &self.ix;
        let mine = ix.solutions_of_collectivity.get(self.of);
        ix.solutions_of_collectivity
            .get(self.similarity.peer)
            .iter()
            .filter(|s| mine.binary_search(s).is_ok())
            .map(|s| solution_node(ix, *s))
            .collect()
    }
    /// With a need: what the peer adopted for it (or a narrower need), and how it went.
    async fn adoptions(&self) -> Vec<AdoptionEvidence> {
        let Some(needs) = &self.needs else {
            return Vec::new();
        };
        let ix = &self.ix;
        ix.adoptions_of_collectivity
            .get(self.similarity.peer)
            .iter()
            .filter(|a| {
                needs
                    .binary_search(&ix.adoptions[**a as usize].need)
                    .is_ok()
            })
            .map(|a| adoption_evidence(ix, *a, Some(self.similarity.total), false))
            .collect()
    }
}

/// The peers of a collectivity, best first (ties broken by id); the first
/// [`evidence::PEER_POOL`] are memoized for the index's revision.
pub fn peers(ix: &Arc<Index>, of: u32, need: Option<u32>, first: usize) -> Vec<Peer> {
    let needs = need.map(|n| Arc::new(ix.need_subtree(n)));
    let peer = |s: &Similarity| Peer {
        ix: ix.clone(),
        of,
        similarity: s.clone(),
        needs: needs.clone(),
    };
    if first <= evidence::PEER_POOL {
        let pool = evidence::cached_peers(ix, of);
        pool.iter().take(first).map(peer).collect()
    } else {
        Target::new(ix, of).peers(first).iter().map(peer).collect()
    }
}

/// A peer that weighed in, with its similarity.
#[derive(Clone)]
pub struct PeerRef {
    pub(super) ix: Arc<Index>,
    pub(super) similarity: Similarity,
}

/// A peer that weighed in, with its similarity.
#[Object]
impl PeerRef {
    /// The peer.
    async fn collectivity(&self) -> CollectivityNode {
        collectivity_node(&self.ix, self.similarity.peer)
    }
    /// Its similarity to the asker.
    async fn similarity(&self) -> PeerSimilarity {
        similarity(&self.similarity)
    }
}

pub(super) fn peer_refs(ix: &Arc<Index>, pool: &evidence::PeerPool) -> Vec<PeerRef> {
    pool.peers
        .iter()
        .map(|s| PeerRef {
            ix: ix.clone(),
            similarity: s.clone(),
        })
        .collect()
}
