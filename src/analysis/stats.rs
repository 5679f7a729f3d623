//! Computed statistics: a collectivity's share of libre, adoptions over time, national and
//! per-kind aggregates. Figures a collectivity stated itself are not here: they stay on the
//! collectivity (`statedFigures`), and the API labels both kinds apart.

use std::collections::BTreeMap;

use super::counts::position;
use super::index::Index;

pub use super::totals::{Aggregate, RunCounts};
use crate::domain::{AdoptionStatus, CollectivityKind, OutcomeKind};

/// Whether an adoption counts as running: DEPLOYED or PILOT, and not ended.
pub fn is_running(index: &Index, adoption: u32) -> bool {
    let a = &index.adoptions[adoption as usize];
    matches!(a.status, AdoptionStatus::Deployed | AdoptionStatus::Pilot) && a.ended.is_none()
}

/// What a collectivity runs, by kind of solution (computed from its adoptions).
pub fn collectivity_runs(index: &Index, collectivity: u32) -> RunCounts {
    let mut solutions: Vec<u32> = index
        .adoptions_of_collectivity
        .get(collectivity)
        .iter()
        .filter(|a| is_running(index, **a))
        .map(|a| index.adoptions[*a as usize].solution)
        .collect();
    solutions.sort_unstable();
    solutions.dedup();
    let mut counts = RunCounts::default();
    for s in solutions {
        counts.add(index.solutions[s as usize].kind);
    }
    counts
}

/// Adoptions per start year, and how many have no known start.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    /// (year, adoptions started that year), by year.
    pub years: Vec<(u16, u32)>,
    /// Adoptions without a start date.
    pub undated: u32,
}

/// The timeline of these adoptions.
pub fn timeline(index: &Index, adoptions: impl Iterator<Item = u32>) -> Timeline {
    let mut years: BTreeMap<u16, u32> = BTreeMap::new();
    let mut undated = 0;
    for a in adoptions {
        match index.adoptions[a as usize].started {
            Some(d) => *years.entry(d.year()).or_default() += 1,
            None => undated += 1,
        }
    }
    Timeline {
        years: years.into_iter().collect(),
        undated,
    }
}

/// The national aggregate first, then one per kind of collectivity (in declaration order).
pub fn aggregates(index: &Index) -> Vec<Aggregate> {
    let mut national = Aggregate::default();
    let mut per_kind: Vec<Aggregate> = CollectivityKind::ALL
        .iter()
        .map(|k| Aggregate {
            kind: Some(*k),
            ..Default::default()
        })
        .collect();
    for c in 0..index.collectivities.len() as u32 {
        let k = index.collectivities[c as usize].kind;
        let slot = position(CollectivityKind::ALL, &k);
        let adoptions = index.adoptions_of_collectivity.get(c);
        let runs = collectivity_runs(index, c);
        for agg in [&mut national, &mut per_kind[slot]] {
            agg.collectivities += 1;
            agg.adopters += u32::from(!adoptions.is_empty());
            agg.adoptions += adoptions.len() as u32;
            agg.runs.running += runs.running;
            agg.runs.libre += runs.libre;
            agg.runs.proprietary += runs.proprietary;
            agg.runs.internal += runs.internal;
            for &a in adoptions {
                let status = index.adoptions[a as usize].status;
                agg.by_status[position(AdoptionStatus::ALL, &status)] += 1;
                for &o in index.outcomes_of.get(a) {
                    let kind = index.outcomes[o as usize].kind;
                    agg.by_outcome[position(OutcomeKind::ALL, &kind)] += 1;
                }
            }
        }
    }
    std::iter::once(national).chain(per_kind).collect()
}
