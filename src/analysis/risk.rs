//! Continuity risk: why a solution may stop serving those who run it. Reasons, not a number.

use std::sync::OnceLock;

use chrono::{Days, NaiveDate};

use super::index::Index;
use crate::domain::{EndOfLife, MaintenanceStatus, OutcomeKind, PartialDate, PublisherStatus};

pub use super::release::ReleaseFacts;

/// Why a solution is at risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RiskReason {
    /// Its publisher closed down.
    PublisherClosed,
    /// It is no longer available or sold.
    Discontinued,
    /// It is no longer maintained.
    Unmaintained,
    /// Its newest release cycle is past its end of life (needs release data).
    ReleaseEndOfLife,
    /// Its newest release cycle ends within a year (needs release data).
    ReleaseEndOfLifeSoon,
    /// No release for three years (needs release data).
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
    /// Whether release data (release cycles with their end of life, or releases) was known
    /// for it: without it, the release-based reasons cannot be judged.
    pub release_data: bool,
}

/// How long before its end of life a cycle counts as ending soon.
const SOON_DAYS: u64 = 365;
/// How long past the newest known cycle's end of life the product counts as out of support:
/// release data is a snapshot, and a product with short cycles (GitLab's are three months)
/// may have a successor the snapshot does not know yet.
const ENDED_MARGIN_DAYS: u64 = 180;
/// How old the newest cycle must be for its coming end of life to be a risk rather than the
/// product's usual cadence (Nextcloud's yearly majors each end within a year).
const CADENCE_DAYS: u64 = 2 * 365;
/// How long without a release counts as no recent release.
const STALE_DAYS: u64 = 3 * 365;

/// Reasons drawn from release facts, judged on `today`:
/// - the newest cycle's support ended more than 180 days ago (or ended, undated): HIGH;
/// - it ends within a year and that cycle came out more than two years ago: MEDIUM;
/// - no release for three years: MEDIUM.
pub fn release_factors(facts: &ReleaseFacts, today: NaiveDate) -> Vec<RiskFactor> {
    let factor = |reason, level, date: Option<NaiveDate>| RiskFactor {
        reason,
        level,
        date: date.map(PartialDate::from_day),
        count: 0,
        outcomes: Vec::new(),
    };
    let days_before = |days| today.checked_sub_days(Days::new(days));
    let mut out = Vec::new();
    match facts.end_of_life {
        Some(EndOfLife::Date(eol)) if Some(eol) <= days_before(ENDED_MARGIN_DAYS) => out.push(
            factor(RiskReason::ReleaseEndOfLife, RiskLevel::High, Some(eol)),
        ),
        Some(EndOfLife::Date(eol))
            if eol > today
                && today.checked_add_days(Days::new(SOON_DAYS)) >= Some(eol)
                && facts
                    .cycle_released
                    .is_some_and(|r| Some(r) <= days_before(CADENCE_DAYS)) =>
        {
            out.push(factor(
                RiskReason::ReleaseEndOfLifeSoon,
                RiskLevel::Medium,
                Some(eol),
            ))
        }
        Some(EndOfLife::Ended) => {
            out.push(factor(RiskReason::ReleaseEndOfLife, RiskLevel::High, None))
        }
        _ => {}
    }
    if let Some(latest) = facts.latest_release {
        if latest.checked_add_days(Days::new(STALE_DAYS)) <= Some(today) {
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
            if date.is_none_or(|x| d.order_key() > x.order_key()) {
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

/// The continuity risk of every solution of an index, computed on first use (its memo, see
/// [`super::memo`]).
#[derive(Debug, Default)]
struct Risks(OnceLock<Vec<Risk>>);

/// The continuity risk of a solution.
///
/// - publisher CLOSED → HIGH, with its closing date;
/// - solution DISCONTINUED → HIGH; UNMAINTAINED → MEDIUM;
/// - adopters with VENDOR_SHUTDOWN outcomes → HIGH; with ROLLBACK outcomes → HIGH when they are
///   a quarter of its adoptions or more, else MEDIUM;
/// - release data: see [`release_factors`], judged on the day the index was built.
///
/// Computed once per index for every solution (on first use), then copied.
pub fn risk(index: &Index, solution: u32) -> Risk {
    index
        .memo
        .get::<Risks>()
        .0
        .get_or_init(|| {
            (0..index.solutions.len() as u32)
                .map(|s| compute(index, s))
                .collect()
        })
        .get(solution as usize)
        .cloned()
        .unwrap_or(Risk {
            level: RiskLevel::None,
            factors: Vec::new(),
            release_data: false,
        })
}

fn compute(index: &Index, solution: u32) -> Risk {
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
    let facts = index.release_facts(solution);
    if let Some(facts) = facts {
        factors.extend(release_factors(facts, index.built_on));
    }
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
        release_data: facts.is_some_and(ReleaseFacts::is_known),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ReleaseCycle;
    use chrono::{DateTime, Utc};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn cycle(name: &str, released: &str, eol: EndOfLife) -> ReleaseCycle {
        ReleaseCycle {
            solution: crate::domain::SolutionId::parse("solution:s").unwrap(),
            product: "p".into(),
            cycle: name.into(),
            released: Some(day(released)),
            eol,
            lts: false,
            latest: None,
        }
    }

    #[test]
    fn the_newest_cycle_and_release_are_judged() {
        let old = cycle("10", "2015-07-29", EndOfLife::Date(day("2025-10-14")));
        let new = cycle("11", "2021-10-04", EndOfLife::Date(day("2027-11-09")));
        let facts = ReleaseFacts::from_cycles(&[&new, &old], None);
        assert_eq!(facts.cycle.as_deref(), Some("11"));
        assert_eq!(facts.latest_release, Some(day("2021-10-04")));
        let reasons = |facts: &ReleaseFacts, today: &str| -> Vec<(RiskReason, RiskLevel)> {
            release_factors(facts, day(today))
                .iter()
                .map(|f| (f.reason, f.level))
                .collect()
        };
        assert_eq!(
            reasons(&facts, "2026-11-29"),
            vec![
                (RiskReason::ReleaseEndOfLifeSoon, RiskLevel::Medium),
                (RiskReason::NoRecentRelease, RiskLevel::Medium)
            ]
        );
        // Just past the end: the snapshot may predate a successor; half a year past: ended.
        assert_eq!(
            reasons(&facts, "2027-11-09"),
            vec![(RiskReason::NoRecentRelease, RiskLevel::Medium)]
        );
        assert_eq!(
            reasons(&facts, "2028-05-08"),
            vec![
                (RiskReason::ReleaseEndOfLife, RiskLevel::High),
                (RiskReason::NoRecentRelease, RiskLevel::Medium)
            ]
        );
        // A young newest cycle ending within the year is the product's cadence, not a risk.
        let young = cycle("34", "2026-06-09", EndOfLife::Date(day("2027-06-30")));
        assert!(reasons(&ReleaseFacts::from_cycles(&[&young], None), "2026-11-29").is_empty());
        // A recent watched release: not stale; a cycle with no planned end: no end-of-life reason.
        let open = cycle("12", "2023-06-10", EndOfLife::NotPlanned);
        let recent = DateTime::parse_from_rfc3339("2026-09-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let facts = ReleaseFacts::from_cycles(&[&open], Some(recent));
        assert_eq!(facts.latest_release, Some(day("2026-09-01")));
        assert!(reasons(&facts, "2026-11-29").is_empty());
        assert!(release_factors(&ReleaseFacts::default(), day("2026-11-29")).is_empty());
        let ended = cycle("9", "2010-01-01", EndOfLife::Ended);
        assert_eq!(
            reasons(
                &ReleaseFacts::from_cycles(&[&ended], Some(recent)),
                "2026-11-29"
            ),
            vec![(RiskReason::ReleaseEndOfLife, RiskLevel::High)]
        );
    }
}
