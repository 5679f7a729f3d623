//! Continuity risk: why a solution may stop serving those who run it. Reasons, not a number.

use super::index::Index;
use crate::domain::{MaintenanceStatus, OutcomeKind, PartialDate, PublisherStatus};

/// Why a solution is at risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RiskReason {
    /// Its publisher closed down.
    PublisherClosed,
    /// It is no longer available or sold.
    Discontinued,
    /// It is no longer maintained.
    Unmaintained,
    /// Its release cycle is past its end of life (needs release data, which retex has not yet).
    ReleaseEndOfLife,
    /// Its release cycle ends soon (needs release data).
    ReleaseEndOfLifeSoon,
    /// No release for a long time (needs release data).
    NoRecentRelease,
    /// Adopters lost their vendor (VENDOR_SHUTDOWN outcomes).
    AdoptersLostVendor,
    /// Adopters rolled it back (ROLLBACK outcomes).
    AdoptersRolledBack,
}

/// How serious a reason is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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

/// One reason, with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskFactor {
    /// Why.
    pub reason: RiskReason,
    /// How serious.
    pub level: RiskLevel,
    /// When it happened, if known (closing date, last outcome date).
    pub date: Option<PartialDate>,
    /// How many adopters' outcomes support it (for outcome-based reasons).
    pub count: u32,
    /// The outcomes that support it (indices, at most [`MAX_EVIDENCE`]).
    pub outcomes: Vec<u32>,
}

/// Most outcomes cited per reason.
pub const MAX_EVIDENCE: usize = 20;

/// The continuity risk of a solution.
#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    /// The highest level among the reasons (`None` without reasons).
    pub level: RiskLevel,
    /// The reasons, most serious first.
    pub factors: Vec<RiskFactor>,
    /// Whether release data (versions, end-of-life dates) was available to judge the release
    /// cycle. Not yet: this is the hook where a release source plugs in.
    pub release_data: bool,
}

/// Release facts about a solution, from a future release source (endoflife.date, forges...).
/// None exist yet; [`release_factors`] is where they turn into reasons.
#[derive(Debug, Clone, Default)]
pub struct ReleaseFacts {
    /// End of life of the latest release cycle.
    pub end_of_life: Option<PartialDate>,
    /// Date of the latest release.
    pub latest_release: Option<PartialDate>,
}

/// Reasons drawn from release facts, judged at `year`: past end of life (HIGH), end of life
/// within a year (MEDIUM), no release for three years (MEDIUM).
pub fn release_factors(facts: &ReleaseFacts, year: u16) -> Vec<RiskFactor> {
    let factor = |reason, level, date| RiskFactor {
        reason,
        level,
        date,
        count: 0,
        outcomes: Vec::new(),
    };
    let mut out = Vec::new();
    if let Some(eol) = facts.end_of_life {
        if eol.year() < year {
            out.push(factor(
                RiskReason::ReleaseEndOfLife,
                RiskLevel::High,
                Some(eol),
            ));
        } else if eol.year() <= year + 1 {
            out.push(factor(
                RiskReason::ReleaseEndOfLifeSoon,
                RiskLevel::Medium,
                Some(eol),
            ));
        }
    }
    if let Some(latest) = facts.latest_release {
        if latest.year() + 3 <= year {
            out.push(factor(
                RiskReason::NoRecentRelease,
                RiskLevel::Medium,
                Some(latest),
            ));
        }
    }
    out
}

fn outcome_factor(
    index: &Index,
    solution: u32,
    kind: OutcomeKind,
    reason: RiskReason,
) -> Option<RiskFactor> {
    let count = index.solution_stats[solution as usize].outcomes(kind);
    if count == 0 {
        return None;
    }
    let mut outcomes = Vec::new();
    let mut date: Option<PartialDate> = None;
    for &o in index.outcomes_of_solution.get(solution) {
        let outcome = &index.outcomes[o as usize];
        if outcome.kind != kind {
            continue;
        }
        if let Some(d) = outcome.date {
            if date.is_none_or(|x| d.sort_key() > x.sort_key()) {
                date = Some(d);
            }
        }
        if outcomes.len() < MAX_EVIDENCE {
            outcomes.push(o);
        }
    }
    let adoptions = index.solution_stats[solution as usize].adoptions.max(1);
    let level = if count * 4 >= adoptions || kind == OutcomeKind::VendorShutdown {
        RiskLevel::High
    } else {
        RiskLevel::Medium
    };
    Some(RiskFactor {
        reason,
        level,
        date,
        count,
        outcomes,
    })
}

/// The continuity risk of a solution.
///
/// - publisher CLOSED → HIGH, with its closing date;
/// - solution DISCONTINUED → HIGH; UNMAINTAINED → MEDIUM;
/// - adopters with VENDOR_SHUTDOWN outcomes → HIGH; with ROLLBACK outcomes → HIGH when they are
///   a quarter of its adoptions or more, else MEDIUM;
/// - release cycle: see [`release_factors`] (no release data yet, so never raised today).
pub fn risk(index: &Index, solution: u32) -> Risk {
    let s = &index.solutions[solution as usize];
    let mut factors = Vec::new();
    let plain = |reason, level, date| RiskFactor {
        reason,
        level,
        date,
        count: 0,
        outcomes: Vec::new(),
    };
    if let Some(p) = index.publisher_of[solution as usize] {
        let p = &index.publishers[p as usize];
        if p.status == PublisherStatus::Closed {
            factors.push(plain(
                RiskReason::PublisherClosed,
                RiskLevel::High,
                p.closed,
            ));
        }
    }
    match s.status {
        MaintenanceStatus::Discontinued => {
            factors.push(plain(RiskReason::Discontinued, RiskLevel::High, None))
        }
        MaintenanceStatus::Unmaintained => {
            factors.push(plain(RiskReason::Unmaintained, RiskLevel::Medium, None))
        }
        MaintenanceStatus::Active => {}
    }
    factors.extend(release_factors(&ReleaseFacts::default(), index.latest_year));
    factors.extend(outcome_factor(
        index,
        solution,
        OutcomeKind::VendorShutdown,
        RiskReason::AdoptersLostVendor,
    ));
    factors.extend(outcome_factor(
        index,
        solution,
        OutcomeKind::Rollback,
        RiskReason::AdoptersRolledBack,
    ));
    factors.sort_by(|a, b| b.level.cmp(&a.level).then(a.reason.cmp(&b.reason)));
    Risk {
        level: factors.first().map_or(RiskLevel::None, |f| f.level),
        factors,
        release_data: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_hook_raises_end_of_life_and_staleness() {
        let facts = ReleaseFacts {
            end_of_life: PartialDate::parse("2023-06").ok(),
            latest_release: PartialDate::parse("2020").ok(),
        };
        let reasons: Vec<RiskReason> = release_factors(&facts, 2025)
            .iter()
            .map(|f| f.reason)
            .collect();
        assert_eq!(
            reasons,
            vec![RiskReason::ReleaseEndOfLife, RiskReason::NoRecentRelease]
        );
        assert!(release_factors(&ReleaseFacts::default(), 2025).is_empty());
    }
}
