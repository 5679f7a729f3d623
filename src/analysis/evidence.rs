//! Ranking solutions by evidence: peer experience for a need, adoption paths away from a
//! solution, and the selection procedure.
//!
//! # Evidence score
//!
//! Every ranked solution carries its score's parts; the total is their sum:
//!
//! | part | value | points |
//! | --- | --- | --- |
//! | `adoptions` | A = Σ status weight (DEPLOYED 1, PILOT 0.5, EVALUATING 0.25, else 0) | `1.0 × ln(1 + A)` |
//! | `favourableOutcomes` | F = SUCCESS + COST_SAVING + 0.5 × PARTIAL | `1.0 × ln(1 + F)` |
//! | `unfavourableOutcomes` | G = ROLLBACK + VENDOR_SHUTDOWN | `−1.0 × ln(1 + G)` |
//! | `recentAdoptions` | R = adoptions started in the graph's last 5 years | `0.5 × ln(1 + R)` |
//! | `peers` | P = Σ over peers' adoptions of similarity × (status weight + outcome signs) | `2.0 × P` |
//! | `replacesConfidence` | C = a direct REPLACES link: STRONG 1, PARTIAL 0.6, ADJACENT 0.3 | `1.0 × C` |
//!
//! Outcome signs: SUCCESS and COST_SAVING +1, PARTIAL +0.5, ROLLBACK and VENDOR_SHUTDOWN −1,
//! OTHER 0. Counts enter through a logarithm so that a national crowd does not drown the few
//! peers who resemble the asker; peers (the asker's [`PEER_POOL`] most similar bodies, and the
//! asker itself with similarity 1) enter linearly. Ranking: total descending (rounded to 1e-9),
//! then libre before internal before proprietary ("libre first where evidence is equal"), then id.

use std::collections::HashMap;

use super::index::{Index, Link, Stats};
use super::peers::{Similarity, Target};
use super::risk::{risk, Risk, RiskLevel};
use super::stats::is_running;
use crate::domain::{AdoptionStatus, CollectivityKind, Confidence, OutcomeKind, SolutionKind};

/// How many peers of the asker weigh in the `peers` part.
pub const PEER_POOL: usize = 50;
/// Most peer adoptions listed per ranked solution.
pub const MAX_PEER_ADOPTIONS: usize = 10;

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

/// The weight of an adoption's status in the evidence.
pub fn status_weight(status: AdoptionStatus) -> f64 {
    match status {
        AdoptionStatus::Deployed => 1.0,
        AdoptionStatus::Pilot => 0.5,
        AdoptionStatus::Evaluating => 0.25,
        AdoptionStatus::Abandoned | AdoptionStatus::Replaced => 0.0,
    }
}

/// The sign of an outcome in the evidence.
pub fn outcome_sign(kind: OutcomeKind) -> f64 {
    match kind {
        OutcomeKind::Success | OutcomeKind::CostSaving => 1.0,
        OutcomeKind::Partial => 0.5,
        OutcomeKind::Rollback | OutcomeKind::VendorShutdown => -1.0,
        OutcomeKind::Other => 0.0,
    }
}

/// The value of a REPLACES link's confidence.
pub fn confidence_value(confidence: Confidence) -> f64 {
    match confidence {
        Confidence::Strong => 1.0,
        Confidence::Partial => 0.6,
        Confidence::Adjacent => 0.3,
    }
}

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
    fn push(&mut self, name: &'static str, value: f64, weight: f64, points: f64) {
        self.total += points;
        self.parts.push(ScorePart {
            name,
            value,
            weight,
            points,
        });
    }
}

/// The evidence score of a group of adoptions (see the module documentation).
pub fn evidence_score(stats: &Stats, peers: f64, confidence: Option<f64>) -> Score {
    let adoption_strength: f64 = AdoptionStatus::ALL
        .iter()
        .map(|s| status_weight(*s) * f64::from(stats.status(*s)))
        .sum();
    let favourable = f64::from(stats.outcomes(OutcomeKind::Success))
        + f64::from(stats.outcomes(OutcomeKind::CostSaving))
        + 0.5 * f64::from(stats.outcomes(OutcomeKind::Partial));
    let unfavourable = f64::from(stats.outcomes(OutcomeKind::Rollback))
        + f64::from(stats.outcomes(OutcomeKind::VendorShutdown));
    let recent = f64::from(stats.recent);
    let mut score = Score::default();
    score.push(
        "adoptions",
        adoption_strength,
        W_ADOPTIONS,
        W_ADOPTIONS * adoption_strength.ln_1p(),
    );
    score.push(
        "favourableOutcomes",
        favourable,
        W_FAVOURABLE,
        W_FAVOURABLE * favourable.ln_1p(),
    );
    score.push(
        "unfavourableOutcomes",
        unfavourable,
        W_UNFAVOURABLE,
        W_UNFAVOURABLE * unfavourable.ln_1p(),
    );
    score.push(
        "recentAdoptions",
        recent,
        W_RECENT,
        W_RECENT * recent.ln_1p(),
    );
    score.push("peers", peers, W_PEERS, W_PEERS * peers);
    if let Some(c) = confidence {
        score.push("replacesConfidence", c, W_CONFIDENCE, W_CONFIDENCE * c);
    }
    score
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
    /// Its most similar bodies, best first.
    pub peers: Vec<Similarity>,
}

impl PeerPool {
    /// The pool of `asker` (empty without one).
    pub fn of(index: &Index, asker: Option<u32>) -> Self {
        Self {
            asker,
            peers: asker
                .map(|a| cached_peers(index, a).as_ref().clone())
                .unwrap_or_default(),
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

/// The asker's [`PEER_POOL`] closest peers, memoized for the index's revision.
pub fn cached_peers(index: &Index, asker: u32) -> std::sync::Arc<Vec<Similarity>> {
    let lock = || index.peer_pools.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(p) = lock().get(&asker) {
        return p.clone();
    }
    let peers = std::sync::Arc::new(Target::new(index, asker).peers(PEER_POOL));
    let mut pools = lock();
    if pools.len() >= MAX_CACHED_POOLS {
        pools.clear();
    }
    pools.insert(asker, peers.clone());
    peers
}

/// What peers did with a solution.
#[derive(Debug, Clone, Default)]
struct PeerEvidence {
    points: f64,
    adopters: u32,
    adoptions: Vec<PeerAdoption>,
}

fn peer_evidence(
    index: &Index,
    pool: &PeerPool,
    keep: impl Fn(&super::index::Adoption) -> bool,
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
            e.points += similarity * (status_weight(adoption.status) + signs);
            if !seen.contains(&adoption.solution) {
                seen.push(adoption.solution);
                e.adopters += 1;
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

/// How an alternative is linked to the solution it would replace.
#[derive(Debug, Clone, PartialEq)]
pub enum PathLink {
    /// A direct REPLACES link.
    Replaces(Link),
    /// It serves some of the same needs (need indices).
    SameNeed(Vec<u32>),
}

/// A solution ranked by evidence.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// The solution (index).
    pub solution: u32,
    /// Counts over the adoptions considered.
    pub stats: Stats,
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

/// Sorts by score (desc), libre first on equal scores, then id.
fn sort_ranked(index: &Index, ranked: &mut [Ranked]) {
    ranked.sort_by(|a, b| {
        let (sa, sb) = (
            &index.solutions[a.solution as usize],
            &index.solutions[b.solution as usize],
        );
        rounded(b.score.total)
            .cmp(&rounded(a.score.total))
            .then(kind_rank(sa.kind).cmp(&kind_rank(sb.kind)))
            .then(sa.id.cmp(&sb.id))
    });
}

fn rank(
    index: &Index,
    candidates: impl IntoIterator<Item = (u32, Stats, Option<PathLink>)>,
    peers: &HashMap<u32, PeerEvidence>,
) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = candidates
        .into_iter()
        .map(|(solution, stats, link)| {
            let pe = peers.get(&solution).cloned().unwrap_or_default();
            let confidence = match &link {
                Some(PathLink::Replaces(l)) => Some(confidence_value(l.confidence)),
                Some(PathLink::SameNeed(_)) => Some(0.0),
                None => None,
            };
            let mut adoptions = pe.adoptions;
            adoptions.sort_by(|a, b| {
                b.similarity
                    .total_cmp(&a.similarity)
                    .then(a.adoption.cmp(&b.adoption))
            });
            Ranked {
                solution,
                score: evidence_score(&stats, pe.points, confidence),
                stats,
                peer_adopters: pe.adopters,
                peer_adoptions: adoptions,
                link,
                moved: Vec::new(),
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

fn merge(into: &mut Stats, other: &Stats) {
    into.adoptions += other.adoptions;
    for (a, b) in into.by_status.iter_mut().zip(other.by_status) {
        *a += b;
    }
    for (a, b) in into.by_outcome.iter_mut().zip(other.by_outcome) {
        *a += b;
    }
    for (a, b) in into.by_strategy.iter_mut().zip(other.by_strategy) {
        *a += b;
    }
    for (a, b) in into.by_hosting.iter_mut().zip(other.by_hosting) {
        *a += b;
    }
    for (a, b) in into.strategy_worked.iter_mut().zip(other.strategy_worked) {
        *a += b;
    }
    into.recent += other.recent;
    into.widen_dates(other.first_started, other.last_started);
    into.sources.extend_from_slice(&other.sources);
    into.tidy();
}

/// Stats per solution over the adoptions for these needs, by adopters the filter keeps.
fn need_stats(index: &Index, needs: &[u32], filter: &ExperienceFilter) -> HashMap<u32, Stats> {
    let mut out: HashMap<u32, Stats> = HashMap::new();
    if filter.filters_adopters() {
        for &n in needs {
            for &a in index.adoptions_of_need.get(n) {
                let adoption = &index.adoptions[a as usize];
                if filter.keeps_adopter(index, adoption.collectivity) {
                    out.entry(adoption.solution).or_default().add(index, a);
                }
            }
        }
        out.values_mut().for_each(Stats::tidy);
    } else {
        for &n in needs {
            for (s, stats) in &index.need_solution_stats[n as usize] {
                merge(out.entry(*s).or_default(), stats);
            }
        }
    }
    out
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
    let stats = need_stats(index, &needs, filter);
    let candidates = stats.into_iter().filter(|(s, _)| {
        let kind = index.solutions[*s as usize].kind;
        (filter.solution_kinds.is_empty() || filter.solution_kinds.contains(&kind))
            && (!filter.peers_only || peers.contains_key(s))
    });
    let mut solutions = rank(index, candidates.map(|(s, st)| (s, st, None)), &peers);
    let total = solutions.len();
    solutions.truncate(first);
    Experience {
        needs,
        pool,
        total,
        solutions,
    }
}

/// Adoption paths away from a solution.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The starting solution (index).
    pub from: u32,
    /// Counts over its adoptions.
    pub from_stats: Stats,
    /// Its adoptions' outcomes that count against it (ROLLBACK, VENDOR_SHUTDOWN; indices).
    pub against: Vec<u32>,
    /// Its adoptions' outcomes that count for it (SUCCESS, COST_SAVING; indices).
    pub favourable: Vec<u32>,
    /// Its continuity risk.
    pub risk: Risk,
    /// The asker's peers that weighed in.
    pub pool: PeerPool,
    /// How many alternatives matched, before `first`.
    pub total: usize,
    /// The alternatives, best evidence first.
    pub alternatives: Vec<Ranked>,
}

/// Most outcomes listed for or against the starting solution.
pub const MAX_FROM_OUTCOMES: usize = 20;

fn from_outcomes(index: &Index, from: u32) -> (Vec<u32>, Vec<u32>) {
    let (mut against, mut favourable) = (Vec::new(), Vec::new());
    for &o in index.outcomes_of_solution.get(from) {
        match index.outcomes[o as usize].kind {
            OutcomeKind::Rollback | OutcomeKind::VendorShutdown
                if against.len() < MAX_FROM_OUTCOMES =>
            {
                against.push(o)
            }
            OutcomeKind::Success | OutcomeKind::CostSaving
                if favourable.len() < MAX_FROM_OUTCOMES =>
            {
                favourable.push(o)
            }
            _ => {}
        }
        if against.len() >= MAX_FROM_OUTCOMES && favourable.len() >= MAX_FROM_OUTCOMES {
            break;
        }
    }
    (against, favourable)
}

/// The libre alternatives to `from`: its direct REPLACES links, then libre solutions serving
/// one of its needs; each ranked by evidence (with the link's confidence, and peers).
pub fn adoption_paths(index: &Index, from: u32, asker: Option<u32>, first: usize) -> Paths {
    let mut links: HashMap<u32, PathLink> = HashMap::new();
    for l in &index.replaced_by[from as usize] {
        links.insert(l.other, PathLink::Replaces(l.clone()));
    }
    for &n in index.needs_of_solution.get(from) {
        for &s in index.solutions_of_need.get(n) {
            if s == from || !index.is_libre(s) {
                continue;
            }
            if let PathLink::SameNeed(needs) = links
                .entry(s)
                .or_insert_with(|| PathLink::SameNeed(Vec::new()))
            {
                needs.push(n);
            }
        }
    }
    let pool = PeerPool::of(index, asker);
    let peers = peer_evidence(index, &pool, |a| links.contains_key(&a.solution));
    let candidates = links
        .into_iter()
        .map(|(s, l)| (s, index.solution_stats[s as usize].clone(), Some(l)));
    let mut alternatives = rank(index, candidates, &peers);
    let total = alternatives.len();
    alternatives.truncate(first);
    for r in &mut alternatives {
        r.moved = index
            .moves
            .get(&(from, r.solution))
            .cloned()
            .unwrap_or_default();
    }
    let (against, favourable) = from_outcomes(index, from);
    Paths {
        from,
        from_stats: index.solution_stats[from as usize].clone(),
        against,
        favourable,
        risk: risk(index, from),
        pool,
        total,
        alternatives,
    }
}

/// Adopters shown for an alternative on an adoption path: peers first, then adoptions that
/// replaced the starting solution, then adoptions with outcomes.
pub fn path_adopters(index: &Index, ranked: &Ranked, most: usize) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    let push = |a: u32, out: &mut Vec<u32>| {
        if out.len() < most && !out.contains(&a) {
            out.push(a);
        }
    };
    for p in &ranked.peer_adoptions {
        push(p.adoption, &mut out);
    }
    for &a in &ranked.moved {
        push(a, &mut out);
    }
    for &a in index
        .adoptions_of_solution
        .get(ranked.solution)
        .iter()
        .take(2_000)
    {
        if out.len() >= most {
            break;
        }
        if !index.outcomes_of.get(a).is_empty() {
            push(a, &mut out);
        }
    }
    out
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
    let serves = |s: u32| {
        index
            .needs_of_solution
            .get(s)
            .iter()
            .any(|n| needs.binary_search(n).is_ok())
    };
    let peers = peer_evidence(index, &pool, |a| serves(a.solution));
    let mut candidates: Vec<u32> = needs
        .iter()
        .flat_map(|n| index.solutions_of_need.get(*n).iter().copied())
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let running: Vec<u32> = {
        let mut v: Vec<u32> = index
            .adoptions_of_collectivity
            .get(asker)
            .iter()
            .filter(|a| is_running(index, **a))
            .map(|a| index.adoptions[*a as usize].solution)
            .filter(|s| serves(*s))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let of_kind = |kind: SolutionKind| {
        candidates
            .iter()
            .copied()
            .filter(|s| index.solutions[*s as usize].kind == kind && !running.contains(s))
            .map(|s| (s, index.solution_stats[s as usize].clone(), None))
            .collect::<Vec<_>>()
    };
    let step = |kind, options: Vec<(u32, Stats, Option<PathLink>)>| {
        let mut ranked = rank(index, options, &peers);
        ranked.truncate(MAX_OPTIONS);
        Step {
            kind,
            options: ranked,
        }
    };
    let own = running
        .iter()
        .map(|s| (*s, index.solution_stats[*s as usize].clone(), None))
        .collect();
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

/// In-house solutions for the need's subtree, or else for its broader need's subtree.
fn in_house(index: &Index, need: u32, running: &[u32]) -> Vec<(u32, Stats, Option<PathLink>)> {
    let internal_for = |root: u32| {
        let mut v: Vec<u32> = index
            .need_subtree(root)
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
    let mut found = internal_for(need);
    if found.is_empty() {
        let broader = index.needs[need as usize]
            .broader
            .as_ref()
            .and_then(|b| index.need(b.as_str()));
        if let Some(b) = broader {
            found = internal_for(b);
        }
    }
    found
        .into_iter()
        .map(|s| (s, index.solution_stats[s as usize].clone(), None))
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
        let score = evidence_score(&stats, 0.5, Some(confidence_value(Confidence::Strong)));
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
    }

    #[test]
    fn outcome_signs_follow_the_issue() {
        assert_eq!(outcome_sign(OutcomeKind::Success), 1.0);
        assert_eq!(outcome_sign(OutcomeKind::CostSaving), 1.0);
        assert_eq!(outcome_sign(OutcomeKind::Rollback), -1.0);
        assert_eq!(outcome_sign(OutcomeKind::VendorShutdown), -1.0);
    }
}
