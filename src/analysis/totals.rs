//! The totals the index keeps (what bodies run, national and per-kind aggregates), as plain
//! data; [`super::stats`] computes them.

use crate::domain::{CollectivityKind, SolutionKind};

/// The solutions a body runs, by kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunCounts {
    /// Distinct solutions run.
    pub running: u32,
    /// Of which libre.
    pub libre: u32,
    /// Of which proprietary.
    pub proprietary: u32,
    /// Of which built in-house.
    pub internal: u32,
}

impl RunCounts {
    /// Counts one more solution run, of this kind.
    pub fn add(&mut self, kind: SolutionKind) {
        self.running += 1;
        match kind {
            SolutionKind::Libre => self.libre += 1,
            SolutionKind::Proprietary => self.proprietary += 1,
            SolutionKind::Internal => self.internal += 1,
        }
    }

    /// Libre among the solutions run, in percent; `None` when it runs none.
    pub fn libre_share(&self) -> Option<f64> {
        (self.running > 0).then(|| 100.0 * f64::from(self.libre) / f64::from(self.running))
    }
}

/// Totals over a set of collectivities (all of them, or one kind).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Aggregate {
    /// The kind, or `None` for the national total.
    pub kind: Option<CollectivityKind>,
    /// Collectivities.
    pub collectivities: u32,
    /// Collectivities with at least one adoption.
    pub adopters: u32,
    /// Adoptions.
    pub adoptions: u32,
    /// Adoptions per status, in [`AdoptionStatus::ALL`] order.
    pub by_status: [u32; 5],
    /// Outcomes per kind, in [`OutcomeKind::ALL`] order.
    pub by_outcome: [u32; 6],
    /// (collectivity, solution) pairs running, by kind of solution.
    pub runs: RunCounts,
}
