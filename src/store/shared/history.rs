//! History pages and idempotent replays, the same on every backend: history rows into
//! entries, the cursors of history pages, and the receipts of replayed changes.

use chrono::{DateTime, Utc};

use crate::domain::{ChangeAction, ChangeSubject, HistoryEntry, NodeId, TokenId, WatchSourceId};
use crate::store::{
    Change, ChangeReceipt, Cursor, PageRequest, SortValue, StoreError, StoreResult, WatchChange,
    WatchReceipt,
};

/// What a versioned write records beside the write itself, on every backend: its history
/// entry (when the subject changed) and the use of its idempotency key.
pub(crate) struct ChangeRecord<'a> {
    /// The node or watch source changed.
    pub(crate) subject: &'a str,
    /// Who changes it.
    pub(crate) author: &'a TokenId,
    /// What is done.
    pub(crate) action: ChangeAction,
    /// Why.
    pub(crate) comment: Option<&'a str>,
    /// The author's idempotency key.
    pub(crate) key: Option<&'a str>,
}

impl Change {
    /// What this change records.
    pub(crate) fn record(&self) -> ChangeRecord<'_> {
        ChangeRecord {
            subject: self.node.as_str(),
            author: &self.author,
            action: self.action,
            comment: self.comment.as_deref(),
            key: self.idempotency_key.as_deref(),
        }
    }
}

impl WatchChange {
    /// What this change records.
    pub(crate) fn record(&self) -> ChangeRecord<'_> {
        ChangeRecord {
            subject: self.source.id.as_str(),
            author: &self.author,
            action: self.action,
            comment: self.comment.as_deref(),
            key: self.idempotency_key.as_deref(),
        }
    }
}

fn internal(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(e.to_string())
}

/// The receipt of a replayed change of a node, when its author's idempotency key was already
/// `used` (for a node and at a version).
pub(crate) fn change_replay(
    change: &Change,
    key: &str,
    used: Option<(String, String)>,
) -> StoreResult<Option<ChangeReceipt>> {
    let Some((node, version)) = used else {
        return Ok(None);
    };
    // A retried creation may derive another id (an outcome's number): the key wins, as long
    // as it named a node of the same kind.
    let same_kind = NodeId::parse(&node).is_ok_and(|n| n.kind() == change.node.kind());
    if !same_kind {
        return Err(StoreError::Conflict(format!(
            "the idempotency key `{key}` was already used for {node}"
        )));
    }
    let node = NodeId::parse(&node).map_err(internal)?;
    Ok(Some(ChangeReceipt {
        node,
        version,
        replayed: true,
    }))
}

/// The receipt of a replayed watch-source creation: the key must have named a watch source.
pub(crate) fn watch_replay(
    key: &str,
    used: Option<(String, String)>,
) -> StoreResult<Option<WatchReceipt>> {
    let Some((node, version)) = used else {
        return Ok(None);
    };
    let source = WatchSourceId::parse(&node).map_err(|_| {
        StoreError::Conflict(format!(
            "the idempotency key `{key}` was already used for {node}"
        ))
    })?;
    Ok(Some(WatchReceipt {
        source,
        version,
        replayed: true,
    }))
}

/// One stored history entry: sequence number, subject, time, author, action, document before
/// and after, and comment, as text.
pub(crate) type HistoryRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The history entry a stored row of `subject`'s history holds, with its cursor.
pub(crate) fn history_item(
    subject: &ChangeSubject,
    row: HistoryRow,
) -> StoreResult<(Cursor, HistoryEntry)> {
    let seq = row.0;
    Ok((history_cursor(subject, seq), history_entry(row)?))
}

/// The history entry a stored row holds.
fn history_entry(row: HistoryRow) -> StoreResult<HistoryEntry> {
    let (_, node, at, author, action, before, after, comment) = row;
    let parse_doc = |d: Option<String>| -> StoreResult<Option<serde_json::Value>> {
        d.map(|d| serde_json::from_str(&d).map_err(internal))
            .transpose()
    };
    Ok(HistoryEntry {
        node: ChangeSubject::parse(&node).map_err(internal)?,
        at: DateTime::parse_from_rfc3339(&at)
            .map_err(internal)?
            .with_timezone(&Utc),
        author: TokenId::parse(&author).map_err(internal)?,
        action: ChangeAction::parse(&action).map_err(internal)?,
        before: parse_doc(before)?,
        after: parse_doc(after)?,
        comment,
    })
}

/// The sequence number a history cursor carries, for this subject.
pub(crate) fn history_after(
    subject: &ChangeSubject,
    page: &PageRequest,
) -> StoreResult<Option<i64>> {
    match &page.after {
        None => Ok(None),
        Some(Cursor {
            key: SortValue::Int(seq),
            id,
        }) if id == subject.as_str() => Ok(Some(*seq)),
        Some(_) => Err(StoreError::Invalid(format!(
            "this cursor is not one of the history of {subject}"
        ))),
    }
}

/// The cursor of a history entry.
fn history_cursor(subject: &ChangeSubject, seq: i64) -> Cursor {
    Cursor {
        key: SortValue::Int(seq),
        id: subject.as_str().to_owned(),
    }
}
