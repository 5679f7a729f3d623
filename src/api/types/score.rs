//! A score with its parts (`Score`, `ScorePart`), as every ranked answer carries it.

use crate::analysis::evidence;
use async_graphql::SimpleObject;

/// One part of a score: its raw value, its weight, and the points it adds.
#[derive(SimpleObject, Clone)]
pub struct ScorePart {
    /// Its name (`kind`, `population`, `adoptions`, `peers`...).
    pub(super) name: String,
    /// The raw value it is computed from.
    pub(super) value: f64,
    /// Its weight.
    pub(super) weight: f64,
    /// What it adds to the total.
    pub(super) points: f64,
    /// How many things it counts: adoptions, outcomes or peer adopters (0 for a confidence or
    /// a similarity).
    pub(super) count: u32,
}

/// A score with its parts; `total` is the sum of the parts' points.
#[derive(SimpleObject, Clone)]
pub struct Score {
    /// The total.
    pub(super) total: f64,
    /// The parts.
    pub(super) parts: Vec<ScorePart>,
}

impl From<&evidence::Score> for Score {
    fn from(s: &evidence::Score) -> Self {
        Score {
            total: s.total,
            parts: s
                .parts
                .iter()
                .map(|p| ScorePart {
                    name: p.name.to_owned(),
                    value: p.value,
                    weight: p.weight,
                    points: p.points,
                    count: p.count,
                })
                .collect(),
        }
    }
}
