//! The continuity risk of a solution (`Risk`, its factors, levels and reasons).

use super::evidence::outcome_refs;
use super::OutcomeRef;
use crate::analysis::index::Index;
use crate::analysis::risk::{self as rk};
use async_graphql::{Enum, SimpleObject};
use std::sync::Arc;

/// How serious a continuity risk is.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::analysis::risk::RiskLevel")]
pub enum RiskLevel {
    /// No known reason.
    None,
    /// Worth watching.
    Low,
    /// Plan for it.
    Medium,
    /// Continuity is compromised.
    High,
}

/// Why a solution's continuity is at risk.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::analysis::risk::RiskReason")]
pub enum RiskReason {
    /// Its publisher closed down.
    PublisherClosed,
    /// It is no longer available or sold.
    Discontinued,
    /// It is no longer maintained.
    Unmaintained,
    /// Its release cycle is past its end of life (needs release data).
    ReleaseEndOfLife,
    /// Its release cycle ends within a year (needs release data).
    ReleaseEndOfLifeSoon,
    /// No release for three years or more (needs release data).
    NoRecentRelease,
    /// Adopters lost their vendor (VENDOR_SHUTDOWN outcomes).
    AdoptersLostVendor,
    /// Adopters rolled it back (ROLLBACK outcomes).
    AdoptersRolledBack,
}

/// One reason for a continuity risk, with its evidence.
#[derive(SimpleObject, Clone)]
pub struct RiskFactor {
    /// Why.
    pub(super) reason: RiskReason,
    /// How serious.
    pub(super) level: RiskLevel,
    /// When (the publisher's closing date, the latest supporting outcome).
    pub(super) date: Option<String>,
    /// How many outcomes support it (outcome-based reasons).
    pub(super) count: u32,
    /// The supporting outcomes (at most 20).
    pub(super) outcomes: Vec<OutcomeRef>,
}

/// The continuity risk of a solution: its reasons, most serious first.
#[derive(SimpleObject, Clone)]
pub struct Risk {
    /// The highest level among the reasons (NONE without reasons).
    pub(super) level: RiskLevel,
    /// The reasons.
    pub(super) factors: Vec<RiskFactor>,
    /// Whether release data (release cycles with their end of life from endoflife.date,
    /// imported or followed by the release watch, or watched releases) was known to judge the
    /// release-based reasons; judged on the day the analysis index was built.
    pub(super) release_data_available: bool,
}

/// The continuity risk of a solution.
pub fn risk(ix: &Arc<Index>, solution: u32) -> Risk {
    risk_view(ix, &rk::risk(ix, solution))
}

pub(super) fn risk_view(ix: &Arc<Index>, r: &rk::Risk) -> Risk {
    Risk {
        level: r.level.into(),
        factors: r
            .factors
            .iter()
            .map(|f| RiskFactor {
                reason: f.reason.into(),
                level: f.level.into(),
                date: f.date.map(|d| d.to_string()),
                count: f.count,
                outcomes: outcome_refs(ix, &f.outcomes),
            })
            .collect(),
        release_data_available: r.release_data,
    }
}
