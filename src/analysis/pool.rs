//! The asker's peer pool and what its members did: the `peers` part of the evidence score
//! (see [`super::evidence`]). Pools are memoized per index.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::index::{Adoption, Index};
use super::ix::CollectivityIx;
use super::peers::{Similarity, Target};
use super::relevance::Profile;
use super::weights::{outcome_sign, status_weight};

/// How many peers of the asker weigh in the `peers` part.
pub const PEER_POOL: usize = 50;
/// Most peer adoptions listed per ranked solution.
pub const MAX_PEER_ADOPTIONS: usize = 10;

/// What peers did with a solution, as it enters the score.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PeerPoints {
    /// P: Σ similarity × (status weight + outcome signs).
    pub points: f64,
    /// Peers (not the asker) that adopted it.
    pub adopters: u32,
}

/// A peer's (or the asker's own) adoption, as evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerAdoption {
    /// The adoption (index).
    pub adoption: u32,
    /// The adopter (collectivity index).
    pub collectivity: u32,
    /// Its similarity to the asker (1 for the asker itself).
    pub similarity: f64,
    /// True when the adopter is the asker itself.
    pub own: bool,
}

/// The asker's peers that weigh in the evidence.
#[derive(Debug, Clone, Default)]
pub struct PeerPool {
    /// The asker (collectivity index).
    pub asker: Option<u32>,
    /// Its most similar bodies, best first (shared with the memoized pool).
    pub peers: Arc<Vec<Similarity>>,
    /// The asker's profile, against which adopters' likeness is weighed.
    pub profile: Option<Profile>,
}

impl PeerPool {
    /// The pool of `asker` (empty without one).
    pub fn of(index: &Index, asker: Option<u32>) -> Self {
        Self {
            asker,
            peers: asker.map(|a| cached_peers(index, a)).unwrap_or_default(),
            profile: asker.map(|a| index.profiles[a as usize]),
        }
    }

    fn members(&self) -> impl Iterator<Item = (u32, f64, bool)> + '_ {
        self.asker
            .map(|a| (a, 1.0, true))
            .into_iter()
            .chain(self.peers.iter().map(|p| (p.peer, p.total, false)))
    }
}

/// Most peer pools kept per index (each about [`PEER_POOL`] similarities).
const MAX_CACHED_POOLS: usize = 20_000;

/// The peer pools already computed for an index, by asker (its memo, see [`super::memo`]).
#[derive(Debug, Default)]
struct PeerPools(Mutex<HashMap<CollectivityIx, Arc<Vec<Similarity>>>>);

impl PeerPools {
    fn of(index: &Index) -> Arc<Self> {
        index.memo.get::<Self>()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<CollectivityIx, Arc<Vec<Similarity>>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The asker's [`PEER_POOL`] closest peers, memoized for the index's revision.
pub fn cached_peers(index: &Index, asker: u32) -> Arc<Vec<Similarity>> {
    let pools = PeerPools::of(index);
    let key = CollectivityIx(asker);
    if let Some(p) = pools.lock().get(&key) {
        return p.clone();
    }
    let peers = Arc::new(Target::new(index, asker).peers(PEER_POOL));
    let mut kept = pools.lock();
    if kept.len() >= MAX_CACHED_POOLS {
        kept.clear();
    }
    kept.insert(key, peers.clone());
    peers
}

/// Forgets the peer pools memoized for `index` (the next queries compute them again, as
/// after a rebuild; benchmarks of cold queries use it).
pub fn forget_peer_pools(index: &Index) {
    PeerPools::of(index).lock().clear();
}

/// What peers did with a solution.
#[derive(Debug, Clone, Default)]
pub(super) struct PeerEvidence {
    /// What they weigh in the score.
    pub(super) points: PeerPoints,
    /// Their adoptions.
    pub(super) adoptions: Vec<PeerAdoption>,
}

/// What the pool's members did with each solution, over the adoptions `keep` keeps.
pub(super) fn peer_evidence(
    index: &Index,
    pool: &PeerPool,
    keep: impl Fn(&Adoption) -> bool,
) -> HashMap<u32, PeerEvidence> {
    let mut out: HashMap<u32, PeerEvidence> = HashMap::new();
    for (who, similarity, own) in pool.members() {
        let mut seen: Vec<u32> = Vec::new();
        for &a in index.adoptions_of_collectivity.get(who) {
            let adoption = &index.adoptions[a as usize];
            if !keep(adoption) {
                continue;
            }
            let signs: f64 = index
                .outcomes_of
                .get(a)
                .iter()
                .map(|o| outcome_sign(index.outcomes[*o as usize].kind))
                .sum();
            let e = out.entry(adoption.solution).or_default();
            e.points.points += similarity * (status_weight(adoption.status) + signs);
            if !own && !seen.contains(&adoption.solution) {
                seen.push(adoption.solution);
                e.points.adopters += 1;
            }
            e.adoptions.push(PeerAdoption {
                adoption: a,
                collectivity: who,
                similarity,
                own,
            });
        }
    }
    for e in out.values_mut() {
        e.adoptions.truncate(MAX_PEER_ADOPTIONS);
    }
    out
}
