//! Ranking solutions by evidence: peer experience for a need and the selection procedure
//! (adoption paths, which add tiers, are in [`super::paths`]).
//!
//! # Evidence score
//!
//! Every ranked solution carries its score's parts; the total is their sum. Only adoptions
//! FOR the need asked about (or a narrower need) count in experience and selection advice, not
//! every adoption of a solution that happens to serve the need too.
//!
//! Without an asker, every adoption weighs the same:
//!
//! | part | value | points |
//! | --- | --- | --- |
//! | `adoptions` | A = Σ status weight (DEPLOYED 1, PILOT 0.5, EVALUATING 0.25, else 0) | `1.0 × ln(1 + A)` |
//!
//! With an asker, that part is split by how alike the adopters are to the asker (see
//! [`super::relevance`]), each class with its own weight outside the logarithm, so that a crowd
//! of far-away adopters does not outweigh a few bodies like the asker:
//!
//! | part | value | points |
//! | --- | --- | --- |
//! | `comparableAdoptions` | A₁ over adopters of the same country, kind and size | `1.0 × ln(1 + A₁)` |
//! | `sameKindAdoptions` | A₂: same country and kind, another size | `0.5 × ln(1 + A₂)` |
//! | `sameCountryAdoptions` | A₃: same country, another kind | `0.3 × ln(1 + A₃)` |
//! | `sameLanguageAdoptions` | A₄: another country sharing a language | `0.15 × ln(1 + A₄)` |
//! | `otherAdoptions` | A₅: anywhere else | `0.05 × ln(1 + A₅)` |
//!
//! Then, in both cases (with an asker, F, G and R are weighted by the same class weights):
//!
//! | part | value | points |
//! | --- | --- | --- |
//! | `favourableOutcomes` | F = SUCCESS + COST_SAVING + 0.5 × PARTIAL | `1.0 × ln(1 + F)` |
//! | `unfavourableOutcomes` | G = ROLLBACK + VENDOR_SHUTDOWN | `−1.0 × ln(1 + G)` |
//! | `recentAdoptions` | R = adoptions started in the graph's last 5 years | `0.5 × ln(1 + R)` |
//! | `peers` | P = Σ over peers' adoptions of similarity × (status weight + outcome signs) | `2.0 × P` |
//! | `replacesConfidence` | C = a declared REPLACES link: STRONG 1, PARTIAL 0.6, ADJACENT 0.3 | `1.0 × C` |
//!
//! Each part also carries the raw `count` it stands for (adoptions, outcomes, peer adopters),
//! which the explanation in words ([`super::explain`]) states. Outcome signs: SUCCESS and
//! COST_SAVING +1, PARTIAL +0.5, ROLLBACK and VENDOR_SHUTDOWN −1, OTHER 0. Peers (the asker's
//! [`PEER_POOL`] most similar bodies, and the asker itself with similarity 1) enter linearly.
//! Ranking: total descending (rounded to 1e-9), then libre before internal before proprietary
//! ("libre first where evidence is equal"), then id.

use std::collections::HashMap;
use std::sync::Arc;

use super::index::{Index, Stats};
use super::pool::{peer_evidence, PeerEvidence};
use super::relevance::{Likeness, Profile, Tally};
use super::risk::{risk, RiskLevel};
use super::stats::is_running;
use crate::domain::{CollectivityKind, Confidence, OutcomeKind, SolutionKind};

pub use super::paths::{adoption_paths, path_adopters, PathLink, Paths, Tier};
pub use super::pool::{
    cached_peers, forget_peer_pools, PeerAdoption, PeerPoints, PeerPool, MAX_PEER_ADOPTIONS,
    PEER_POOL,
};
pub use super::weights::{confidence_value, outcome_sign, status_weight};

/// Weight of `adoptions`.
pub const W_ADOPTIONS: f64 = 1.0;
/// Weight of `favourableOutcomes`.
pub const W_FAVOURABLE: f64 = 1.0;
/// Weight of `unfavourableOutcomes`.
pub const W_UNFAVOURABLE: f64 = -1.0;
/// Weight of `recentAdoptions`.
pub const W_RECENT: f64 = 0.5;
/// Weight of `peers`.
pub const W_PEERS: f64 = 2.0;
/// Weight of `replacesConfidence`.
pub const W_CONFIDENCE: f64 = 1.0;

/// One part of a score.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorePart {
    /// Its name (`adoptions`, `peers`...).
    pub name: &'static str,
    /// The raw value it is computed from.
    pub value: f64,
    /// Its weight.
    pub weight: f64,
    /// What it adds to the total.
    pub points: f64,
    /// How many things it counts (adoptions, outcomes, peer adopters; 0 for a confidence).
    pub count: u32,
}

/// A score and its parts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Score {
    /// The sum of the parts' points.
    pub total: f64,
    /// The parts.
    pub parts: Vec<ScorePart>,
}

impl Score {
    fn push(&mut self, name: &'static str, value: f64, weight: f64, points: f64, count: u32) {
        self.total += points;
        self.parts.push(ScorePart {
            name,
            value,
            weight,
            points,
            count,
        });
    }

    /// A part, by name.
    pub fn part(&self, name: &str) -> Option<&ScorePart> {
        self.parts.iter().find(|p| p.name == name)
    }

    /// The `ln(1 + value)` part of a tally value.
    fn push_log(&mut self, name: &'static str, value: f64, weight: f64, count: u32) {
        self.push(name, value, weight, weight * value.ln_1p(), count);
    }
}

/// The evidence score of a group of adoptions (see the module documentation): weighted by
/// likeness to `asker` when there is one.
pub fn evidence_score(
    index: &Index,
    stats: &Stats,
    peers: PeerPoints,
    confidence: Option<Confidence>,
    asker: Option<&Profile>,
) -> Score {
    let mut score = Score::default();
    let outcomes = |kinds: &[OutcomeKind]| kinds.iter().map(|k| stats.outcomes(*k)).sum::<u32>();
    let favourable_count = outcomes(&[
        OutcomeKind::Success,
        OutcomeKind::CostSaving,
        OutcomeKind::Partial,
    ]);
    let unfavourable_count = outcomes(&[OutcomeKind::Rollback, OutcomeKind::VendorShutdown]);
    let (favourable, unfavourable, recent) = match asker {
        None => {
            let total = stats
                .by_profile
                .0
                .iter()
                .fold(Tally::default(), |mut t, (_, x)| {
                    t.strength += x.strength;
                    t.favourable += x.favourable;
                    t.unfavourable += x.unfavourable;
                    t
                });
            score.push_log("adoptions", total.strength, W_ADOPTIONS, stats.adoptions);
            (
                total.favourable,
                total.unfavourable,
                f64::from(stats.recent),
            )
        }
        Some(asker) => {
            let classes = stats.by_profile.by_likeness(&index.countries, asker);
            let (mut f, mut g, mut r) = (0.0, 0.0, 0.0);
            for (class, t) in Likeness::ALL.iter().zip(classes.iter()) {
                let w = class.weight();
                score.push_log(class.part_name(), t.strength, w, t.adoptions);
                f += w * t.favourable;
                g += w * t.unfavourable;
                r += w * f64::from(t.recent);
            }
            (f, g, r)
        }
    };
    score.push_log(
        "favourableOutcomes",
        favourable,
        W_FAVOURABLE,
        favourable_count,
    );
    score.push_log(
        "unfavourableOutcomes",
        unfavourable,
        W_UNFAVOURABLE,
        unfavourable_count,
    );
    score.push_log("recentAdoptions", recent, W_RECENT, stats.recent);
    score.push(
        "peers",
        peers.points,
        W_PEERS,
        W_PEERS * peers.points,
        peers.adopters,
    );
    if let Some(c) = confidence {
        let c = confidence_value(c);
        score.push("replacesConfidence", c, W_CONFIDENCE, W_CONFIDENCE * c, 0);
    }
    score
}

/// A solution ranked by evidence.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// The solution (index).
    pub solution: u32,
    /// Counts over the adoptions considered (shared with the index's memoized counts).
    pub stats: Arc<Stats>,
    /// Peers that adopted it (and the asker, if it did).
    pub peer_adopters: u32,
    /// Their adoptions, most similar first (at most [`MAX_PEER_ADOPTIONS`]).
    pub peer_adoptions: Vec<PeerAdoption>,
    /// The score and its parts.
    pub score: Score,
    /// For adoption paths: how it is linked to the starting solution.
    pub link: Option<PathLink>,
    /// For adoption paths: adoptions of it that replaced the starting solution (indices).
    pub moved: Vec<u32>,
    /// True when an asker's likeness weighed its adoptions (false: every adopter the same).
    pub weighed_for_asker: bool,
}

impl Ranked {
    /// Its tier on an adoption path (`None` outside adoption paths).
    pub fn tier(&self) -> Option<Tier> {
        self.link.as_ref().map(PathLink::tier)
    }
}

fn kind_rank(kind: SolutionKind) -> u8 {
    match kind {
        SolutionKind::Libre => 0,
        SolutionKind::Internal => 1,
        SolutionKind::Proprietary => 2,
    }
}

fn rounded(x: f64) -> i64 {
    (x * 1e9).round() as i64
}

/// Sorts by tier (declared replacements by confidence first), then score (desc), libre first
/// on equal scores, then id.
fn sort_ranked(index: &Index, ranked: &mut [Ranked]) {
    ranked.sort_by(|a, b| {
        let (sa, sb) = (
            &index.solutions[a.solution as usize],
            &index.solutions[b.solution as usize],
        );
        let order = |r: &Ranked| r.link.as_ref().map(PathLink::order);
        order(a)
            .cmp(&order(b))
            .then(rounded(b.score.total).cmp(&rounded(a.score.total)))
            .then(kind_rank(sa.kind).cmp(&kind_rank(sb.kind)))
            .then(sa.id.cmp(&sb.id))
    });
}

/// Scores and sorts candidates, with what the pool's members did with them.
pub(super) fn rank(
    index: &Index,
    candidates: impl IntoIterator<Item = (u32, Arc<Stats>, Option<PathLink>)>,
    peers: &HashMap<u32, PeerEvidence>,
    pool: &PeerPool,
) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = candidates
        .into_iter()
        .map(|(solution, stats, link)| {
            let pe = peers.get(&solution).cloned().unwrap_or_default();
            let confidence = match &link {
                Some(PathLink::Replaces(l)) => Some(l.confidence),
                _ => None,
            };
            let mut adoptions = pe.adoptions;
            adoptions.sort_by(|a, b| {
                b.similarity
                    .total_cmp(&a.similarity)
                    .then(a.adoption.cmp(&b.adoption))
            });
            let peer_adopters = pe.points.adopters + u32::from(adoptions.iter().any(|a| a.own));
            Ranked {
                solution,
                score: evidence_score(index, &stats, pe.points, confidence, pool.profile.as_ref()),
                stats,
                peer_adopters,
                peer_adoptions: adoptions,
                link,
                moved: Vec::new(),
                weighed_for_asker: pool.profile.is_some(),
            }
        })
        .collect();
    sort_ranked(index, &mut out);
    out
}

/// Who may count in a peer-experience answer.
#[derive(Debug, Clone, Default)]
pub struct ExperienceFilter {
    /// Only these kinds of solution (all when empty).
    pub solution_kinds: Vec<SolutionKind>,
    /// Only adopters of these kinds (all when empty).
    pub collectivity_kinds: Vec<CollectivityKind>,
    /// Only adopters of this department.
    pub department: Option<String>,
    /// Only adopters of this region.
    pub region: Option<String>,
    /// Only solutions that the asker's peers (or the asker) adopted.
    pub peers_only: bool,
}

impl ExperienceFilter {
    fn filters_adopters(&self) -> bool {
        !self.collectivity_kinds.is_empty() || self.department.is_some() || self.region.is_some()
    }

    fn keeps_adopter(&self, index: &Index, collectivity: u32) -> bool {
        let c = &index.collectivities[collectivity as usize];
        (self.collectivity_kinds.is_empty() || self.collectivity_kinds.contains(&c.kind))
            && self
                .department
                .as_ref()
                .is_none_or(|d| c.department.as_ref() == Some(d))
            && self
                .region
                .as_ref()
                .is_none_or(|r| c.region.as_ref() == Some(r))
    }
}

/// Peer experience for a need.
#[derive(Debug, Clone)]
pub struct Experience {
    /// The need and its narrower needs (indices).
    pub needs: Vec<u32>,
    /// The asker's peers that weighed in.
    pub pool: PeerPool,
    /// How many solutions matched, before `first`.
    pub total: usize,
    /// The solutions adopted for it, best evidence first.
    pub solutions: Vec<Ranked>,
}

/// Stats per solution over the adoptions for `need` and its narrower `needs`, by adopters
/// the filter keeps (without an adopter filter, the index's memoized subtree counts).
fn need_stats(
    index: &Index,
    need: u32,
    needs: &[u32],
    filter: &ExperienceFilter,
) -> Vec<(u32, Arc<Stats>)> {
    if !filter.filters_adopters() {
        return index.subtree_stats(need).as_ref().clone();
    }
    let mut out: HashMap<u32, Stats> = HashMap::new();
    for &n in needs {
        for &a in index.adoptions_of_need.get(n) {
            let adoption = &index.adoptions[a as usize];
            if filter.keeps_adopter(index, adoption.collectivity) {
                out.entry(adoption.solution).or_default().add(index, a);
            }
        }
    }
    out.into_iter()
        .map(|(s, mut stats)| {
            stats.tidy();
            (s, Arc::new(stats))
        })
        .collect()
}

/// Stats of one solution over its adoptions for `need` and its narrower needs.
fn solution_need_stats(index: &Index, solution: u32, need: u32) -> Arc<Stats> {
    let per = index.subtree_stats(need);
    match per.binary_search_by_key(&solution, |(s, _)| *s) {
        Ok(i) => per[i].1.clone(),
        Err(_) => Arc::default(),
    }
}

/// The solutions adopted for `need` (and narrower needs), grouped by solution, ranked by
/// evidence; with an asker, its peers' adoptions weigh in.
pub fn experience(
    index: &Index,
    need: u32,
    asker: Option<u32>,
    filter: &ExperienceFilter,
    first: usize,
) -> Experience {
    let needs = index.need_subtree(need);
    let pool = PeerPool::of(index, asker);
    let peers = peer_evidence(index, &pool, |a| {
        needs.binary_search(&a.need).is_ok() && filter.keeps_adopter(index, a.collectivity)
    });
    let stats = need_stats(index, need, &needs, filter);
    let candidates = stats.into_iter().filter(|(s, _)| {
        let kind = index.solutions[*s as usize].kind;
        (filter.solution_kinds.is_empty() || filter.solution_kinds.contains(&kind))
            && (!filter.peers_only || peers.contains_key(s))
    });
    let mut solutions = rank(
        index,
        candidates.map(|(s, st)| (s, st, None)),
        &peers,
        &pool,
    );
    let total = solutions.len();
    solutions.truncate(first);
    Experience {
        needs,
        pool,
        total,
        solutions,
    }
}

/// The steps of the selection procedure, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// 1. What the collectivity already runs that serves the need.
    AlreadyRuns,
    /// 2. Libre solutions for the need.
    Libre,
    /// 3. Proprietary solutions, with continuity risk.
    Proprietary,
    /// 4. Building it in-house; who already published an in-house solution.
    BuildInHouse,
}

/// One step of the procedure, with its options.
#[derive(Debug, Clone)]
pub struct Step {
    /// Which step.
    pub kind: StepKind,
    /// The options it finds, best first.
    pub options: Vec<Ranked>,
}

/// The selection procedure for a collectivity and a need.
#[derive(Debug, Clone)]
pub struct Advice {
    /// The need and its narrower needs (indices).
    pub needs: Vec<u32>,
    /// The asker's peers that weighed in.
    pub pool: PeerPool,
    /// The four steps, in order.
    pub steps: Vec<Step>,
    /// The first step that found an option (step 4 when none did).
    pub conclusion: StepKind,
}

/// Options listed per step.
pub const MAX_OPTIONS: usize = 20;

/// The procedure public bodies such as Échirolles follow: (1) what it already runs for the
/// need; (2) libre solutions, ranked by evidence, with maintenance and risk; (3) proprietary
/// solutions, with continuity risk; (4) building in-house, with the in-house solutions already
/// published for this need or a sibling of it.
pub fn selection_advice(index: &Index, asker: u32, need: u32) -> Advice {
    let needs = index.need_subtree(need);
    let pool = PeerPool::of(index, Some(asker));
    let for_need = |a: &super::index::Adoption| needs.binary_search(&a.need).is_ok();
    let serves = |s: u32| {
        index
            .needs_of_solution
            .get(s)
            .iter()
            .any(|n| needs.binary_search(n).is_ok())
    };
    let peers = peer_evidence(index, &pool, for_need);
    let mut candidates: Vec<u32> = needs
        .iter()
        .flat_map(|n| {
            let adopted = index.need_solution_stats[*n as usize]
                .iter()
                .map(|(s, _)| *s);
            index
                .solutions_of_need
                .get(*n)
                .iter()
                .copied()
                .chain(adopted)
        })
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let running: Vec<u32> = {
        let mut v: Vec<u32> = index
            .adoptions_of_collectivity
            .get(asker)
            .iter()
            .filter(|a| is_running(index, **a))
            .map(|a| &index.adoptions[*a as usize])
            .filter(|a| for_need(a) || serves(a.solution))
            .map(|a| a.solution)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let with_stats = |s: u32| (s, solution_need_stats(index, s, need), None);
    let of_kind = |kind: SolutionKind| {
        candidates
            .iter()
            .copied()
            .filter(|s| index.solutions[*s as usize].kind == kind && !running.contains(s))
            .map(with_stats)
            .collect::<Vec<_>>()
    };
    let step = |kind, options: Vec<(u32, Arc<Stats>, Option<PathLink>)>| {
        let mut ranked = rank(index, options, &peers, &pool);
        ranked.truncate(MAX_OPTIONS);
        Step {
            kind,
            options: ranked,
        }
    };
    let own = running.iter().copied().map(with_stats).collect();
    let mut proprietary = step(StepKind::Proprietary, of_kind(SolutionKind::Proprietary));
    proprietary
        .options
        .sort_by_key(|r| risk(index, r.solution).level == RiskLevel::High);
    let steps = vec![
        step(StepKind::AlreadyRuns, own),
        step(StepKind::Libre, of_kind(SolutionKind::Libre)),
        proprietary,
        step(StepKind::BuildInHouse, in_house(index, need, &running)),
    ];
    let conclusion = steps
        .iter()
        .find(|s| !s.options.is_empty())
        .map_or(StepKind::BuildInHouse, |s| s.kind);
    Advice {
        needs,
        pool,
        steps,
        conclusion,
    }
}

/// In-house solutions for the need's subtree, or else for its broader need's subtree; their
/// evidence is their adoptions for the subtree searched.
fn in_house(index: &Index, need: u32, running: &[u32]) -> Vec<(u32, Arc<Stats>, Option<PathLink>)> {
    let internal_for = |root: u32| {
        let subtree = index.need_subtree(root);
        let mut v: Vec<u32> = subtree
            .iter()
            .flat_map(|n| index.solutions_of_need.get(*n).iter().copied())
            .filter(|s| {
                index.solutions[*s as usize].kind == SolutionKind::Internal && !running.contains(s)
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let (mut found, mut root) = (internal_for(need), need);
    if found.is_empty() {
        let broader = index.needs[need as usize]
            .broader
            .as_ref()
            .and_then(|b| index.need(b.as_str()));
        if let Some(b) = broader {
            (found, root) = (internal_for(b), b);
        }
    }
    found
        .into_iter()
        .map(|s| (s, solution_need_stats(index, s, root), None))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_score_adds_its_parts() {
        // One PILOT and two DEPLOYED; one SUCCESS and one VENDOR_SHUTDOWN.
        let stats = Stats {
            adoptions: 3,
            by_status: [0, 1, 2, 0, 0],
            by_outcome: [1, 0, 0, 1, 0, 0],
            recent: 1,
            ..Default::default()
        };
        let mut stats = stats;
        let mut countries = super::super::relevance::Countries::default();
        let fr = crate::domain::Country::parse("FR").unwrap();
        let profile = countries.profile(&fr, CollectivityKind::Commune, Some(1000));
        let tally = |strength, favourable, unfavourable, recent| Tally {
            adoptions: 1,
            strength,
            favourable,
            unfavourable,
            recent,
        };
        stats.by_profile.add(profile, &tally(0.5, 1.0, 0.0, 1));
        stats.by_profile.add(profile, &tally(1.0, 0.0, 1.0, 0));
        stats.by_profile.add(profile, &tally(1.0, 0.0, 0.0, 0));
        let index = Index {
            countries,
            ..Default::default()
        };
        let peers = PeerPoints {
            points: 0.5,
            adopters: 1,
        };
        let score = evidence_score(&index, &stats, peers, Some(Confidence::Strong), None);
        let names: Vec<&str> = score.parts.iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            [
                "adoptions",
                "favourableOutcomes",
                "unfavourableOutcomes",
                "recentAdoptions",
                "peers",
                "replacesConfidence"
            ]
        );
        let expected =
            2.5f64.ln_1p() + 1f64.ln_1p() - 1f64.ln_1p() + 0.5 * 1f64.ln_1p() + 1.0 + 1.0;
        assert!((score.total - expected).abs() < 1e-12);
        let sum: f64 = score.parts.iter().map(|p| p.points).sum();
        assert!((score.total - sum).abs() < 1e-12);
        // For a comparable asker, the same adoptions are all comparable: same points, split.
        let weighed = evidence_score(
            &index,
            &stats,
            peers,
            Some(Confidence::Strong),
            Some(&profile),
        );
        let comparable = weighed.part("comparableAdoptions").unwrap();
        assert_eq!(comparable.count, 3);
        assert!((comparable.points - 2.5f64.ln_1p()).abs() < 1e-12);
        assert!((weighed.total - expected).abs() < 1e-12);
    }

    #[test]
    fn outcome_signs_follow_the_issue() {
        assert_eq!(outcome_sign(OutcomeKind::Success), 1.0);
        assert_eq!(outcome_sign(OutcomeKind::CostSaving), 1.0);
        assert_eq!(outcome_sign(OutcomeKind::Rollback), -1.0);
        assert_eq!(outcome_sign(OutcomeKind::VendorShutdown), -1.0);
    }
}
