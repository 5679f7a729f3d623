//! Counts and dates over a group of adoptions, as the index keeps them per solution and per
//! need (adding an adoption to them reads the index: see [`super::build`]).

use std::sync::Arc;

use super::relevance::ByProfile;
use crate::domain::{AdoptionStatus, OutcomeKind, PartialDate};

/// Counts and dates over a group of adoptions (a solution's, or a solution's for one need).
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Adoptions.
    pub adoptions: u32,
    /// Adoptions per status, in [`AdoptionStatus::ALL`] order.
    pub by_status: [u32; 5],
    /// Outcomes per kind, in [`OutcomeKind::ALL`] order.
    pub by_outcome: [u32; 6],
    /// Adoptions per strategy, in [`DeploymentStrategy::ALL`] order.
    pub by_strategy: [u32; 4],
    /// Adoptions per hosting mode, in [`Hosting::ALL`] order.
    pub by_hosting: [u32; 3],
    /// Strategies of adoptions with a favourable outcome (SUCCESS or COST_SAVING).
    pub strategy_worked: [u32; 4],
    /// Earliest start.
    pub first_started: Option<PartialDate>,
    /// Latest start.
    pub last_started: Option<PartialDate>,
    /// Adoptions started within [`RECENT_YEARS`] of the graph's latest year.
    pub recent: u32,
    /// Sources cited by the adoptions and their outcomes (indices, sorted, distinct).
    pub sources: Vec<u32>,
    /// What the adoptions bring to the evidence, per adopter profile (see [`super::relevance`]).
    pub by_profile: ByProfile,
}

/// Stats per solution over the adoptions for a need's subtree, sorted by solution.
pub type SubtreeStats = Arc<Vec<(u32, Arc<Stats>)>>;

/// How many years back an adoption counts as recent, from the graph's latest dated fact.
pub const RECENT_YEARS: u16 = 5;

pub(super) fn position<T: PartialEq>(all: &[T], value: &T) -> usize {
    all.iter().position(|v| v == value).unwrap_or(0)
}

fn add_counts(into: &mut [u32], other: &[u32]) {
    for (a, b) in into.iter_mut().zip(other) {
        *a += b;
    }
}

impl Stats {
    /// Widens the span of start dates to take in `first` and `last`.
    pub fn widen_dates(&mut self, first: Option<PartialDate>, last: Option<PartialDate>) {
        if let Some(d) = first {
            if self
                .first_started
                .is_none_or(|f| d.order_key() < f.order_key())
            {
                self.first_started = Some(d);
            }
        }
        if let Some(d) = last {
            if self
                .last_started
                .is_none_or(|l| d.order_key() > l.order_key())
            {
                self.last_started = Some(d);
            }
        }
    }

    /// Adds another group's counts.
    pub fn merge(&mut self, other: &Stats) {
        self.adoptions += other.adoptions;
        add_counts(&mut self.by_status, &other.by_status);
        add_counts(&mut self.by_outcome, &other.by_outcome);
        add_counts(&mut self.by_strategy, &other.by_strategy);
        add_counts(&mut self.by_hosting, &other.by_hosting);
        add_counts(&mut self.strategy_worked, &other.strategy_worked);
        self.recent += other.recent;
        self.widen_dates(other.first_started, other.last_started);
        self.sources.extend_from_slice(&other.sources);
        self.by_profile.merge(&other.by_profile);
        self.tidy();
    }

    /// Sorts and deduplicates the sources.
    pub fn tidy(&mut self) {
        self.sources.sort_unstable();
        self.sources.dedup();
    }

    /// Outcomes of this kind.
    pub fn outcomes(&self, kind: OutcomeKind) -> u32 {
        self.by_outcome[position(OutcomeKind::ALL, &kind)]
    }

    /// Adoptions with this status.
    pub fn status(&self, status: AdoptionStatus) -> u32 {
        self.by_status[position(AdoptionStatus::ALL, &status)]
    }
}
