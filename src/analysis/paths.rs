//! Adoption paths away from a solution, in two tiers.
//!
//! 1. **Declared replacements** ([`Tier::DeclaredReplacement`]): libre solutions with a REPLACES
//!    link to the start, by the link's confidence (STRONG, then PARTIAL, then ADJACENT), then by
//!    evidence.
//! 2. **Same need** ([`Tier::SameNeed`]): libre solutions serving one of the start's *specific*
//!    needs (or a narrower one), by evidence. A specific need is one of the start's needs that
//!    is neither a theme root (a need without a broader one, such as `need:communication` or
//!    `need:other`) nor the broader need of another of its needs: sharing only a theme is not
//!    sharing a need.
//!
//! No declared replacement ranks below a same-need candidate, whatever their evidence. The
//! evidence score is the one of [`super::evidence`] (weighed for the asker when there is one).

use std::collections::HashMap;

use super::evidence::{rank, PeerPool, Ranked};
use super::index::{Index, Link, Stats};
use super::pool::peer_evidence;
use super::risk::{risk, Risk};
use crate::domain::{Confidence, OutcomeKind};

/// The tier of an alternative on an adoption path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// A declared REPLACES link.
    DeclaredReplacement,
    /// It serves one of the start's specific needs.
    SameNeed,
}

/// How an alternative is linked to the solution it would replace.
#[derive(Debug, Clone, PartialEq)]
pub enum PathLink {
    /// A direct REPLACES link.
    Replaces(Link),
    /// It serves some of the start's specific needs (need indices).
    SameNeed(Vec<u32>),
}

fn confidence_rank(c: Confidence) -> u8 {
    match c {
        Confidence::Strong => 0,
        Confidence::Partial => 1,
        Confidence::Adjacent => 2,
    }
}

impl PathLink {
    /// Its tier.
    pub fn tier(&self) -> Tier {
        match self {
            PathLink::Replaces(_) => Tier::DeclaredReplacement,
            PathLink::SameNeed(_) => Tier::SameNeed,
        }
    }

    /// Its place in the ranking before evidence: tier, then confidence.
    pub fn order(&self) -> (Tier, u8) {
        match self {
            PathLink::Replaces(l) => (Tier::DeclaredReplacement, confidence_rank(l.confidence)),
            PathLink::SameNeed(_) => (Tier::SameNeed, 0),
        }
    }
}

/// Whether `ancestor` is a broader need (at any depth) of `need`.
fn is_broader(index: &Index, ancestor: u32, need: u32) -> bool {
    let mut current = need;
    for _ in 0..index.needs.len() {
        let Some(b) = index.needs[current as usize]
            .broader
            .as_ref()
            .and_then(|b| index.need(b.as_str()))
        else {
            return false;
        };
        if b == ancestor {
            return true;
        }
        current = b;
    }
    false
}

/// A solution's specific needs: neither theme roots nor broader needs of its other needs.
pub fn specific_needs(index: &Index, solution: u32) -> Vec<u32> {
    let own = index.needs_of_solution.get(solution);
    own.iter()
        .copied()
        .filter(|&n| {
            index.needs[n as usize].broader.is_some()
                && !own.iter().any(|&m| m != n && is_broader(index, n, m))
        })
        .collect()
}

/// The candidates of both tiers.
fn candidates(index: &Index, from: u32) -> HashMap<u32, PathLink> {
    let mut links: HashMap<u32, PathLink> = HashMap::new();
    for l in &index.replaced_by[from as usize] {
        links.insert(l.other, PathLink::Replaces(l.clone()));
    }
    for n in specific_needs(index, from) {
        for m in index.need_subtree(n) {
            for &s in index.solutions_of_need.get(m) {
                if s == from || !index.is_libre(s) {
                    continue;
                }
                if let PathLink::SameNeed(needs) = links
                    .entry(s)
                    .or_insert_with(|| PathLink::SameNeed(Vec::new()))
                {
                    if !needs.contains(&n) {
                        needs.push(n);
                    }
                }
            }
        }
    }
    links
}

/// Adoption paths away from a solution.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The starting solution (index).
    pub from: u32,
    /// Counts over its adoptions.
    pub from_stats: std::sync::Arc<Stats>,
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

/// The libre alternatives to `from`, in two tiers (see the module documentation); each
/// ranked by evidence (with the link's confidence, and peers).
pub fn adoption_paths(index: &Index, from: u32, asker: Option<u32>, first: usize) -> Paths {
    let links = candidates(index, from);
    let pool = PeerPool::of(index, asker);
    let peers = peer_evidence(index, &pool, |a| links.contains_key(&a.solution));
    let candidates = links
        .into_iter()
        .map(|(s, l)| (s, index.solution_stats[s as usize].clone(), Some(l)));
    let mut alternatives = rank(index, candidates, &peers, &pool);
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
