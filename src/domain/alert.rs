//! Release-watch alerts: what a collectivity running a solution should know (a new release,
//! an end of life near or reached), from the releases and release cycles the watch keeps.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::watch::{compare_versions, EndOfLife, Release, ReleaseCycle, Version};
use super::{CollectivityId, SolutionId};

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AlertKind {
    /// A new release of a solution the collectivity runs.
    NewRelease,
    /// A cycle of a solution it runs reaches its end of life soon.
    EolSoon,
    /// A cycle of a solution it runs has reached its end of life.
    EolReached,
}

/// Something a collectivity running a solution should know.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// Who should know.
    pub collectivity: CollectivityId,
    /// About which solution.
    pub solution: SolutionId,
    /// What kind of news.
    pub kind: AlertKind,
    /// When it happened or will happen.
    pub date: Option<NaiveDate>,
    /// The release version or the cycle concerned.
    pub version: String,
    /// A page to read more.
    pub url: Option<String>,
    /// One line for a person.
    pub message: String,
}

/// What the alerts of a collectivity look at.
#[derive(Debug, Clone, Copy)]
pub struct AlertWindow {
    /// Today.
    pub today: NaiveDate,
    /// Releases and ends of life since this day are reported.
    pub since: NaiveDate,
    /// Ends of life up to this many days ahead are reported as coming.
    pub horizon_days: i64,
    /// Whether pre-releases raise alerts.
    pub include_prereleases: bool,
}

/// A solution a collectivity runs, with the version it runs when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    /// The solution.
    pub solution: SolutionId,
    /// The version it runs (`12.5`, `2.7.1`), when known.
    pub version: Option<String>,
}

/// Whether `version` belongs to `cycle` (`12.5` to `12`, `10-22h2` to `10`).
pub fn in_cycle(version: &str, cycle: &str) -> bool {
    let version = Version::parse(version).text;
    version == cycle
        || version
            .strip_prefix(cycle)
            .is_some_and(|rest| rest.starts_with(['.', '-', ' ']))
}

/// Whether a release is newer than what runs (always, when the versions do not compare).
fn newer_than(release: &Release, running: Option<&str>) -> bool {
    let Some(running) = running else {
        return true;
    };
    let current = Version::parse(running);
    match (&release.semver, &current.semver) {
        (Some(_), Some(_)) => compare_versions(&release.version, &current.text).is_gt(),
        _ => release.version != current.text,
    }
}

/// The end-of-life alert of a cycle, if the window or the running version calls for one.
fn eol_alert(
    collectivity: &CollectivityId,
    cycle: &ReleaseCycle,
    runs_it: bool,
    window: AlertWindow,
) -> Option<Alert> {
    let EndOfLife::Date(eol) = cycle.eol else {
        return None;
    };
    let horizon = window.today + chrono::Duration::days(window.horizon_days);
    // A cycle known to run is reported however long ago its support ended.
    let kind = if eol <= window.today && (eol >= window.since || runs_it) {
        AlertKind::EolReached
    } else if eol > window.today && eol <= horizon {
        AlertKind::EolSoon
    } else {
        return None;
    };
    let verb = if kind == AlertKind::EolReached {
        "reached its end of life on"
    } else {
        "reaches its end of life on"
    };
    let running = if runs_it {
        " (the version it runs)"
    } else {
        ""
    };
    Some(Alert {
        collectivity: collectivity.clone(),
        solution: cycle.solution.clone(),
        kind,
        date: Some(eol),
        version: cycle.cycle.clone(),
        url: None,
        message: format!("{} {}{running} {verb} {eol}", cycle.product, cycle.cycle),
    })
}

/// The alerts of a collectivity running these solutions (its deployed adoptions), newest
/// first. Where the version it runs is known, only newer releases alert, and only the
/// cycle of that version (when one matches) raises end-of-life alerts.
pub fn alerts_for(
    collectivity: &CollectivityId,
    running: &[Running],
    releases: &[Release],
    cycles: &[ReleaseCycle],
    window: AlertWindow,
) -> Vec<Alert> {
    let find = |s: &SolutionId| running.iter().find(|r| &r.solution == s);
    let mut alerts: Vec<Alert> = releases
        .iter()
        .filter(|r| window.include_prereleases || !r.prerelease)
        .filter(|r| r.published.is_none_or(|p| p.date_naive() >= window.since))
        .filter(|r| find(&r.solution).is_some_and(|run| newer_than(r, run.version.as_deref())))
        .map(|r| Alert {
            collectivity: collectivity.clone(),
            solution: r.solution.clone(),
            kind: AlertKind::NewRelease,
            date: r.published.map(|p| p.date_naive()),
            version: r.version.clone(),
            url: r.url.clone(),
            message: format!("{} {} is out", r.solution.slug(), r.version),
        })
        .collect();
    for run in running {
        let own: Vec<&ReleaseCycle> = cycles
            .iter()
            .filter(|c| c.solution == run.solution)
            .collect();
        let matching: Vec<&ReleaseCycle> = match &run.version {
            Some(v) => own
                .iter()
                .copied()
                .filter(|c| in_cycle(v, &c.cycle))
                .collect(),
            None => Vec::new(),
        };
        let (chosen, runs_it) = if matching.is_empty() {
            (own, false)
        } else {
            (matching, true)
        };
        alerts.extend(
            chosen
                .into_iter()
                .filter_map(|c| eol_alert(collectivity, c, runs_it, window)),
        );
    }
    alerts.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.version.cmp(&b.version)));
    alerts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::WatchSource;

    #[test]
    fn alerts_cover_releases_and_ends_of_life() {
        let c = CollectivityId::parse("collectivity:x").unwrap();
        let s = SolutionId::parse("solution:debian").unwrap();
        let day = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
        let cycle = |name: &str, eol: &str| ReleaseCycle {
            solution: s.clone(),
            product: "debian".into(),
            cycle: name.into(),
            released: None,
            eol: EndOfLife::Date(day(eol)),
            lts: false,
            latest: None,
        };
        let cycles = vec![
            cycle("10", "2022-09-10"),
            cycle("11", "2026-08-31"),
            cycle("12", "2028-06-10"),
        ];
        let window = AlertWindow {
            today: day("2026-06-01"),
            since: day("2026-01-01"),
            horizon_days: 180,
            include_prereleases: false,
        };
        let unknown = Running {
            solution: s.clone(),
            version: None,
        };
        let alerts = alerts_for(&c, std::slice::from_ref(&unknown), &[], &cycles, window);
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].kind, AlertKind::EolSoon);
        assert_eq!(alerts[0].version, "11");
        let none = alerts_for(&c, &[], &[], &cycles, window);
        assert!(none.is_empty());

        // Running Debian 10.13: its cycle ended long ago, and that is what it hears about.
        let old = Running {
            solution: s.clone(),
            version: Some("10.13".into()),
        };
        let mut release = Release::new(
            &WatchSource::endoflife(s.clone(), "debian").unwrap(),
            "10.12",
            false,
        );
        let alerts = alerts_for(
            &c,
            std::slice::from_ref(&old),
            std::slice::from_ref(&release),
            &cycles,
            window,
        );
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(alerts[0].kind, AlertKind::EolReached);
        assert_eq!(alerts[0].version, "10");
        release.version = "10.14".into();
        release.semver = Some("10.14.0".into());
        let alerts = alerts_for(&c, &[old], &[release], &cycles, window);
        assert!(alerts.iter().any(|a| a.kind == AlertKind::NewRelease));
        assert!(in_cycle("v12.5", "12") && !in_cycle("125", "12"));
    }
}
