//! Cursor pagination shared by every backend: pages are ordered by a sort key, then by id.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// The sort key of a row, carried in its cursor.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SortValue {
    /// A number.
    Int(i64),
    /// Text.
    Text(String),
}

/// Where a page starts: just after the row with this sort key and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cursor {
    /// The row's sort key.
    #[serde(rename = "k")]
    pub key: SortValue,
    /// The row's id.
    #[serde(rename = "i")]
    pub id: String,
}

impl Cursor {
    /// The opaque form given to clients.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).expect("a cursor always serialises"))
    }

    /// Reads a cursor given back by a client; `None` when it is not one of ours.
    pub fn decode(text: &str) -> Option<Self> {
        if text.len() > 1_000 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// Which page to read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageRequest {
    /// How many rows at most.
    pub first: usize,
    /// Start after this cursor.
    pub after: Option<Cursor>,
    /// Whether to count all matching rows.
    pub want_total: bool,
}

impl PageRequest {
    /// The first `first` rows, with the total count.
    pub fn first(first: usize) -> Self {
        Self {
            first,
            after: None,
            want_total: true,
        }
    }
}

/// A page of rows, each with its cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows, each with its cursor.
    pub items: Vec<(Cursor, T)>,
    /// Whether more rows follow.
    pub has_next: bool,
    /// Whether rows come before (a cursor was given).
    pub has_previous: bool,
    /// The number of matching rows, when asked for.
    pub total: Option<u64>,
}

impl<T> Page<T> {
    /// An empty page.
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            has_next: false,
            has_previous: false,
            total: Some(0),
        }
    }

    /// The page `request` asked for, from the rows read in order with one more than it wants
    /// (that extra row, dropped, only says that more follow), with `total` when it was counted.
    pub fn of_rows(mut items: Vec<(Cursor, T)>, request: &PageRequest, total: Option<u64>) -> Self {
        let has_next = items.len() > request.first;
        items.truncate(request.first);
        Self {
            items,
            has_next,
            has_previous: request.after.is_some(),
            total,
        }
    }

    /// The first page of a group of `total` rows, of which at most `first` are read.
    pub fn first_of_group(items: Vec<(Cursor, T)>, total: u64, first: usize) -> Self {
        Self {
            items,
            has_next: total > first as u64,
            has_previous: false,
            total: Some(total),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = Cursor {
            key: SortValue::Text("echirolles".into()),
            id: "collectivity:fr-commune-38151".into(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("not a cursor"), None);
        assert_eq!(Cursor::decode(&URL_SAFE_NO_PAD.encode(b"{}")), None);
    }
}
