//! Release facts about a solution, as the index keeps them for the continuity risk (see
//! [`super::risk`]).

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{compare_versions, EndOfLife, ReleaseCycle};

/// Release facts about a solution: its newest release cycle (endoflife.date, imported or
/// fetched by the release watch) and its newest release.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReleaseFacts {
    /// The newest release cycle's name (`12`, `11-24h2`).
    pub cycle: Option<String>,
    /// When the newest release cycle's support ends or ended.
    pub end_of_life: Option<EndOfLife>,
    /// When the newest release cycle came out.
    pub cycle_released: Option<NaiveDate>,
    /// When the newest release came out (a watched release, or a cycle's first release).
    pub latest_release: Option<NaiveDate>,
}

impl ReleaseFacts {
    /// The facts of one solution from its release cycles and the date of its newest watched
    /// release. The newest cycle is the one released last (cycles without a date count as
    /// oldest; equal dates are ordered by version).
    pub fn from_cycles(cycles: &[&ReleaseCycle], latest: Option<DateTime<Utc>>) -> Self {
        let newest = cycles.iter().copied().max_by(|a, b| {
            a.released
                .cmp(&b.released)
                .then_with(|| compare_versions(&a.cycle, &b.cycle))
        });
        let cycle_release = cycles.iter().filter_map(|c| c.released).max();
        Self {
            cycle: newest.map(|c| c.cycle.clone()),
            end_of_life: newest.map(|c| c.eol),
            cycle_released: newest.and_then(|c| c.released),
            latest_release: latest.map(|d| d.date_naive()).max(cycle_release),
        }
    }

    /// Whether anything is known.
    pub fn is_known(&self) -> bool {
        self.end_of_life.is_some() || self.latest_release.is_some()
    }
}
