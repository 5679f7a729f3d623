//! How both backends store times and documents.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::store::{StoreError, StoreResult};

/// A time as stored: RFC 3339, UTC, milliseconds (text order is time order).
pub(crate) fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A stored time read back (`None` for none or an empty text).
pub(crate) fn parse_time(text: Option<String>) -> StoreResult<Option<DateTime<Utc>>> {
    text.filter(|t| !t.is_empty())
        .map(|t| {
            DateTime::parse_from_rfc3339(&t)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|e| StoreError::Corrupt(format!("a stored time does not parse: {e}")))
        })
        .transpose()
}

/// A node's document: its JSON as serde writes it.
pub(crate) fn to_doc<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Internal(e.to_string()))
}
