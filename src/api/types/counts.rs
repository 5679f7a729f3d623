//! Counts over a group of adoptions (`AdoptionCounts` and its per-status, per-outcome,
//! per-strategy, per-hosting and per-country counts).

use super::SourceNode;
use crate::analysis::evidence::Ranked;
use crate::analysis::index::{Index, Stats};
use crate::api::enums::{AdoptionStatus, DeploymentStrategy, Hosting, OutcomeKind};
use crate::domain;
use async_graphql::{Object, SimpleObject};
use std::sync::Arc;

/// How many adoptions have a status.
#[derive(SimpleObject, Clone)]
pub struct StatusCount {
    /// The status.
    pub(super) status: AdoptionStatus,
    /// How many.
    pub(super) count: u32,
}

/// How many outcomes are of a kind.
#[derive(SimpleObject, Clone)]
pub struct OutcomeCount {
    /// The kind.
    pub(super) kind: OutcomeKind,
    /// How many.
    pub(super) count: u32,
}

/// How many adoptions used a deployment strategy, and how many of those went well.
#[derive(SimpleObject, Clone)]
pub struct StrategyCount {
    /// The strategy.
    pub(super) strategy: DeploymentStrategy,
    /// Adoptions that used it.
    pub(super) count: u32,
    /// Of which with a SUCCESS or COST_SAVING outcome.
    pub(super) favourable: u32,
}

/// How many adoptions use a hosting mode.
#[derive(SimpleObject, Clone)]
pub struct HostingCount {
    /// The hosting mode.
    pub(super) hosting: Hosting,
    /// How many.
    pub(super) count: u32,
}

/// The values of `all` counted at least once (`by[i]` counts `all[i]`), in the order of `all`,
/// each made by `make` from its position, the value and its count.
fn counted<D: Copy, T>(all: &[D], by: &[u32], make: impl Fn(usize, D, u32) -> T) -> Vec<T> {
    all.iter()
        .zip(by)
        .enumerate()
        .filter(|(_, (_, n))| **n > 0)
        .map(|(i, (value, n))| make(i, *value, *n))
        .collect()
}

pub(super) fn status_counts(by: &[u32; 5]) -> Vec<StatusCount> {
    counted(domain::AdoptionStatus::ALL, by, |_, s, count| StatusCount {
        status: s.into(),
        count,
    })
}

pub(super) fn outcome_counts(by: &[u32; 6]) -> Vec<OutcomeCount> {
    counted(domain::OutcomeKind::ALL, by, |_, k, count| OutcomeCount {
        kind: k.into(),
        count,
    })
}

/// Counts and dates over a group of adoptions.
#[derive(Clone)]
pub struct AdoptionCounts {
    pub(super) ix: Arc<Index>,
    pub(super) stats: Arc<Stats>,
}

/// Counts and dates over a group of adoptions.
#[Object]
impl AdoptionCounts {
    /// Adoptions.
    async fn adoptions(&self) -> u32 {
        self.stats.adoptions
    }
    /// Per status (non-zero only).
    async fn by_status(&self) -> Vec<StatusCount> {
        status_counts(&self.stats.by_status)
    }
    /// Outcomes per kind (non-zero only).
    async fn by_outcome(&self) -> Vec<OutcomeCount> {
        outcome_counts(&self.stats.by_outcome)
    }
    /// Deployment strategies used (non-zero only).
    async fn strategies(&self) -> Vec<StrategyCount> {
        let s = &self.stats;
        counted(
            domain::DeploymentStrategy::ALL,
            &s.by_strategy,
            |i, k, count| StrategyCount {
                strategy: k.into(),
                count,
                favourable: s.strategy_worked[i],
            },
        )
    }
    /// Hosting modes used (non-zero only).
    async fn hostings(&self) -> Vec<HostingCount> {
        counted(
            domain::Hosting::ALL,
            &self.stats.by_hosting,
            |_, h, count| HostingCount {
                hosting: h.into(),
                count,
            },
        )
    }
    /// Earliest start.
    async fn first_started(&self) -> Option<String> {
        self.stats.first_started.map(|d| d.to_string())
    }
    /// Latest start.
    async fn last_started(&self) -> Option<String> {
        self.stats.last_started.map(|d| d.to_string())
    }
    /// Adoptions started in the graph's last five years.
    async fn recent_adoptions(&self) -> u32 {
        self.stats.recent
    }
    /// The sources cited by these adoptions and their outcomes.
    async fn sources(&self) -> Vec<SourceNode> {
        self.stats
            .sources
            .iter()
            .map(|x| SourceNode(self.ix.sources[*x as usize].clone()))
            .collect()
    }
}

pub(super) fn counts(ix: &Arc<Index>, s: &Arc<Stats>) -> AdoptionCounts {
    AdoptionCounts {
        ix: ix.clone(),
        stats: s.clone(),
    }
}

/// How many adoptions come from a country.
#[derive(SimpleObject, Clone)]
pub struct CountryCount {
    /// The country (ISO 3166-1 code).
    pub(super) country: String,
    /// How many adoptions.
    pub(super) adoptions: u32,
}

pub(super) fn country_counts(by: Vec<(String, u32)>) -> Vec<CountryCount> {
    by.into_iter()
        .map(|(country, adoptions)| CountryCount { country, adoptions })
        .collect()
}

/// Adoptions by country over all the ranked solutions, most first, then by country.
pub(super) fn population(ix: &Index, ranked: &[Arc<Ranked>]) -> Vec<CountryCount> {
    let mut all: Vec<(String, u32)> = Vec::new();
    for r in ranked {
        for (country, n) in r.stats.by_profile.by_country(&ix.countries) {
            match all.iter_mut().find(|(c, _)| *c == country) {
                Some((_, total)) => *total += n,
                None => all.push((country, n)),
            }
        }
    }
    all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    country_counts(all)
}
