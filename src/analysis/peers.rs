//! Peers: the collectivities most similar to a given one, with the score's parts.
//!
//! # Similarity
//!
//! `similarity(a, b) = 0.25·kind + 0.25·population + 0.15·geography + 0.35·shared`, in [0, 1]:
//!
//! - `kind`: 1 when both are the same kind of body (commune, intercommunality...), else 0.
//! - `population`: `max(0, 1 − |ln(pop_a / pop_b)| / ln 10)`: 1 for equal populations, 0 from
//!   a factor of ten apart (the band); 0 when either population is unknown.
//! - `geography`: 1 for the same department, 0.6 for the same region, 0.2 for the same country
//!   only, else 0.
//! - `shared`: the Jaccard index of the sets of solutions both adopted (any status):
//!   `|S_a ∩ S_b| / |S_a ∪ S_b|`; 0 when either set is empty.
//!
//! # Candidates
//!
//! Scoring all ~36,000 collectivities for every query would be wasteful, so candidates are
//! pre-filtered: bodies of the same kind in the same department; when that gives fewer than
//! [`MIN_LOCAL_CANDIDATES`], those of the same kind in the same region too (and of the same kind
//! anywhere when the body has neither department nor region); plus every body that adopted one
//! of its solutions, as long as that solution has at most [`RARE_SOLUTION_ADOPTERS`] adopters (a
//! widely used solution says little about likeness; it still counts in `shared`). When fewer
//! than [`MIN_COMPARABLE_CANDIDATES`] of these are of the same kind and a comparable size (size
//! bands of [`super::relevance`] at most one apart: at most four times apart), as for a large
//! city among the communes of its department, the bodies of the same kind, country and
//! comparable size are added, as long as there are at most [`MAX_COMPARABLE_ADDED`] of them.
//! Peers are ranked by similarity, then id.

use super::index::Index;
use super::ix::{CollectivityIx, NodeIx, SolutionIx};
use super::peer_facts::{PeerFacts, NO_PLACE};
use super::relevance::UNKNOWN_SIZE;

/// Weight of the same kind of body.
pub const W_KIND: f64 = 0.25;
/// Weight of the population closeness.
pub const W_POPULATION: f64 = 0.25;
/// Weight of the geographic closeness.
pub const W_GEOGRAPHY: f64 = 0.15;
/// Weight of the shared solutions.
pub const W_SHARED: f64 = 0.35;
/// Populations this many times apart score 0 on population.
pub const POPULATION_BAND: f64 = 10.0;
/// A solution with more adopters than this does not bring candidates.
pub const RARE_SOLUTION_ADOPTERS: usize = 500;
/// Below this many same-kind candidates in the department, the region's are added.
pub const MIN_LOCAL_CANDIDATES: usize = 200;
/// Below this many candidates of the same kind and a comparable size, the country's are added.
pub const MIN_COMPARABLE_CANDIDATES: usize = 10;
/// Most bodies of comparable size added from the whole country.
pub const MAX_COMPARABLE_ADDED: usize = 2_000;

/// How close two collectivities are geographically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proximity {
    /// Same department.
    Department,
    /// Same region.
    Region,
    /// Same country.
    Country,
    /// Further apart, or unknown.
    None,
}

impl Proximity {
    /// Its value in the geography part.
    pub fn value(self) -> f64 {
        match self {
            Proximity::Department => 1.0,
            Proximity::Region => 0.6,
            Proximity::Country => 0.2,
            Proximity::None => 0.0,
        }
    }
}

/// The similarity of a peer, with its parts (each in [0, 1], before weighting).
#[derive(Debug, Clone, PartialEq)]
pub struct Similarity {
    /// The peer (collectivity index).
    pub peer: u32,
    /// The weighted total, in [0, 1].
    pub total: f64,
    /// 1 when the same kind.
    pub kind: f64,
    /// Population closeness.
    pub population: f64,
    /// Geographic closeness.
    pub proximity: Proximity,
    /// Jaccard index of the solution sets.
    pub shared: f64,
    /// Number of solutions both adopted.
    pub shared_count: u32,
}

/// Population closeness on a log scale: 1 when equal, 0 at [`POPULATION_BAND`] times apart.
pub fn population_closeness(a: Option<u64>, b: Option<u64>) -> f64 {
    closeness(a.unwrap_or(0), b.unwrap_or(0))
}

/// [`population_closeness`] with 0 for an unknown population.
fn closeness(a: u64, b: u64) -> f64 {
    if a > 0 && b > 0 {
        let distance = ((a as f64) / (b as f64)).ln().abs();
        (1.0 - distance / POPULATION_BAND.ln()).max(0.0)
    } else {
        0.0
    }
}

/// How close two collectivities are geographically, from their facts.
fn proximity(a: &PeerFacts, b: &PeerFacts) -> Proximity {
    if a.department != NO_PLACE && a.department == b.department {
        Proximity::Department
    } else if a.region != NO_PLACE && a.region == b.region {
        Proximity::Region
    } else if a.profile.country == b.profile.country {
        Proximity::Country
    } else {
        Proximity::None
    }
}

/// The target of a peer search: its solutions as a bit set, for fast intersections.
pub struct Target<'a> {
    index: &'a Index,
    who: CollectivityIx,
    facts: PeerFacts,
    bits: Vec<u64>,
    count: u32,
}

impl<'a> Target<'a> {
    /// Prepares the comparison of others with `who`.
    pub fn new(index: &'a Index, who: u32) -> Self {
        let mut bits = vec![0u64; index.solutions.len().div_ceil(64)];
        let own = index.solutions_of_collectivity.get(who);
        for &s in own {
            bits[s as usize / 64] |= 1 << (s % 64);
        }
        let who = CollectivityIx(who);
        Self {
            index,
            who,
            facts: index.peer_facts[who.at()],
            bits,
            count: own.len() as u32,
        }
    }

    fn has(&self, solution: SolutionIx) -> bool {
        self.bits[solution.at() / 64] & (1 << (solution.0 % 64)) != 0
    }

    /// The similarity of `other` (a collectivity number) to the target.
    pub fn similarity(&self, other: u32) -> Similarity {
        self.score(CollectivityIx(other))
    }

    fn score(&self, other: CollectivityIx) -> Similarity {
        let ix = self.index;
        let a = &self.facts;
        let b = &ix.peer_facts[other.at()];
        let kind = if a.profile.kind == b.profile.kind {
            1.0
        } else {
            0.0
        };
        let population = closeness(a.population, b.population);
        let proximity = proximity(a, b);
        let theirs = ix.solutions_of_collectivity.get(other.0);
        let shared_count = theirs.iter().filter(|s| self.has(SolutionIx(**s))).count() as u32;
        let union = self.count + theirs.len() as u32 - shared_count;
        let shared = if union == 0 || shared_count == 0 {
            0.0
        } else {
            f64::from(shared_count) / f64::from(union)
        };
        let total = W_KIND * kind
            + W_POPULATION * population
            + W_GEOGRAPHY * proximity.value()
            + W_SHARED * shared;
        Similarity {
            peer: other.0,
            total,
            kind,
            population,
            proximity,
            shared,
            shared_count,
        }
    }

    /// The solutions both adopted (indices, sorted).
    pub fn shared_solutions(&self, other: u32) -> Vec<u32> {
        self.index
            .solutions_of_collectivity
            .get(other)
            .iter()
            .copied()
            .filter(|s| self.has(SolutionIx(*s)))
            .collect()
    }

    fn candidates(&self) -> Vec<CollectivityIx> {
        let ix = self.index;
        let kind = ix.collectivities[self.who.at()].kind;
        let me = &self.facts;
        let mut out: Vec<CollectivityIx> = Vec::new();
        let mut bucketed = false;
        if me.department != NO_PLACE {
            if let Some(v) = ix.by_kind_department.get(&(kind, me.department)) {
                out.extend_from_slice(v);
            }
            bucketed = true;
        }
        if me.region != NO_PLACE && out.len() < MIN_LOCAL_CANDIDATES {
            if let Some(v) = ix.by_kind_region.get(&(kind, me.region)) {
                out.extend_from_slice(v);
            }
            bucketed = true;
        }
        if !bucketed {
            if let Some(v) = ix.by_kind.get(&kind) {
                out.extend_from_slice(v);
            }
        }
        self.add_comparable(&mut out);
        for &s in ix.solutions_of_collectivity.get(self.who.0) {
            let adopters = ix.adopters_of_solution.get(SolutionIx(s));
            if adopters.len() <= RARE_SOLUTION_ADOPTERS {
                out.extend_from_slice(adopters);
            }
        }
        out.sort_unstable();
        out.dedup();
        out.retain(|c| *c != self.who);
        out
    }

    /// Adds the bodies of the same kind, country and a comparable size when `out` holds fewer
    /// than [`MIN_COMPARABLE_CANDIDATES`] of them.
    fn add_comparable(&self, out: &mut Vec<CollectivityIx>) {
        let ix = self.index;
        let me = &self.facts.profile;
        let kind = ix.collectivities[self.who.at()].kind;
        if me.size == UNKNOWN_SIZE {
            return;
        }
        let comparable = |c: &CollectivityIx| {
            let p = &ix.peer_facts[c.at()].profile;
            p.kind == me.kind && p.size != UNKNOWN_SIZE && p.size.abs_diff(me.size) <= 1
        };
        if out.iter().filter(|c| comparable(c)).count() > MIN_COMPARABLE_CANDIDATES {
            return;
        }
        let bands = me.size.saturating_sub(1)..=me.size.saturating_add(1).min(UNKNOWN_SIZE - 1);
        let found: Vec<&Vec<CollectivityIx>> = bands
            .filter_map(|b| ix.by_kind_size.get(&(kind, me.country, b)))
            .collect();
        if found.iter().map(|v| v.len()).sum::<usize>() <= MAX_COMPARABLE_ADDED {
            out.extend(found.into_iter().flatten());
        }
    }

    /// The `first` most similar collectivities, best first, ties broken by id; only those with
    /// a positive similarity.
    pub fn peers(&self, first: usize) -> Vec<Similarity> {
        let mut scored: Vec<Similarity> = self
            .candidates()
            .into_iter()
            .map(|c| self.score(c))
            .filter(|s| s.total > 0.0)
            .collect();
        let facts = &self.index.peer_facts;
        let order = |x: &Similarity, y: &Similarity| {
            y.total.total_cmp(&x.total).then_with(|| {
                facts[x.peer as usize]
                    .id_rank
                    .cmp(&facts[y.peer as usize].id_rank)
            })
        };
        if scored.len() > first && first > 0 {
            scored.select_nth_unstable_by(first - 1, order);
            scored.truncate(first);
        }
        scored.sort_by(order);
        scored.truncate(first);
        scored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn population_closeness_is_log_scaled_within_a_band() {
        assert_eq!(population_closeness(Some(1000), Some(1000)), 1.0);
        assert!(population_closeness(Some(1000), Some(10_000)) < 1e-12);
        assert_eq!(population_closeness(Some(100), Some(100_000)), 0.0);
        let half = population_closeness(Some(1000), Some(3162));
        assert!((half - 0.5).abs() < 1e-3, "{half}");
        assert_eq!(
            population_closeness(Some(37491), Some(22020)),
            population_closeness(Some(22020), Some(37491))
        );
        assert_eq!(population_closeness(None, Some(5)), 0.0);
        assert_eq!(population_closeness(Some(0), Some(5)), 0.0);
    }

    #[test]
    fn weights_sum_to_one() {
        assert!((W_KIND + W_POPULATION + W_GEOGRAPHY + W_SHARED - 1.0).abs() < 1e-12);
    }
}
