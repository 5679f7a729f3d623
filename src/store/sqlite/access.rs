//! Access and history in the embedded store: tokens (by keyed hash), idempotency keys, and
//! versioned single-node writes recorded with their history entry in one transaction.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::{map_err, table_of, write};
use crate::domain::{
    self, ChangeAction, EntityKind, HistoryEntry, NodeId, Token, TokenHash, TokenId,
};
use crate::store::{version_of, version_text, Change, ChangeReceipt, StoreError, StoreResult};

fn internal(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(e.to_string())
}

/// Stores a token under its hash.
pub(super) fn create_token(
    conn: &mut Connection,
    token: &Token,
    hash: &TokenHash,
) -> StoreResult<()> {
    token
        .validate()
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let doc = serde_json::to_string(token).map_err(internal)?;
    conn.execute(
        "INSERT INTO tokens (id, hash, collectivity_id, doc, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![
            token.id.as_str(),
            hash.0,
            token.collectivity.as_ref().map(|c| c.as_str()),
            doc,
            token.created.to_rfc3339()
        ],
    )
    .map_err(map_err)?;
    Ok(())
}

fn parse_token(doc: String) -> StoreResult<Token> {
    serde_json::from_str(&doc).map_err(internal)
}

/// The token with this hash.
pub(super) fn find_token(conn: &Connection, hash: &TokenHash) -> StoreResult<Option<Token>> {
    conn.prepare_cached("SELECT doc FROM tokens WHERE hash = ?1")
        .and_then(|mut s| s.query_row([&hash.0], |r| r.get::<_, String>(0)).optional())
        .map_err(map_err)?
        .map(parse_token)
        .transpose()
}

/// Every token, oldest first.
pub(super) fn list_tokens(conn: &Connection) -> StoreResult<Vec<Token>> {
    let mut stmt = conn
        .prepare_cached("SELECT doc FROM tokens ORDER BY created_at, id")
        .map_err(map_err)?;
    let docs: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .map_err(map_err)?
        .collect::<Result<_, _>>()
        .map_err(map_err)?;
    docs.into_iter().map(parse_token).collect()
}

/// Revokes a token (keeps the first revocation time).
pub(super) fn revoke_token(
    conn: &mut Connection,
    id: &TokenId,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(map_err)?;
    let doc: Option<String> = tx
        .query_row("SELECT doc FROM tokens WHERE id = ?1", [id.as_str()], |r| {
            r.get(0)
        })
        .optional()
        .map_err(map_err)?;
    let Some(doc) = doc else {
        return Ok(false);
    };
    let mut token = parse_token(doc)?;
    if token.revoked.is_none() {
        token.revoked = Some(at);
        let doc = serde_json::to_string(&token).map_err(internal)?;
        tx.execute(
            "UPDATE tokens SET doc = ?1 WHERE id = ?2",
            [doc.as_str(), id.as_str()],
        )
        .map_err(map_err)?;
    }
    tx.commit().map_err(map_err)?;
    Ok(true)
}

/// The current document and hash of a node.
fn current(tx: &Transaction<'_>, node: &NodeId) -> StoreResult<Option<(String, i64)>> {
    tx.prepare_cached(&format!(
        "SELECT doc, hash FROM {} WHERE id = ?1",
        table_of(node.kind())
    ))
    .and_then(|mut s| {
        s.query_row([node.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
    })
    .map_err(map_err)
}

fn replayed(tx: &Transaction<'_>, change: &Change) -> StoreResult<Option<ChangeReceipt>> {
    let Some(key) = &change.idempotency_key else {
        return Ok(None);
    };
    let row: Option<(String, String)> = tx
        .query_row(
            "SELECT node_id, version FROM idempotency_keys WHERE token_id = ?1 AND key = ?2",
            [change.author.as_str(), key.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(map_err)?;
    let Some((node, version)) = row else {
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

/// The version a client computes for a stored document: the hash of the document as this
/// retex writes it. It differs from the stored hash only for documents written by an older
/// retex (a field added since), which must still be updatable.
fn canonical_version(node: &NodeId, doc: &str) -> Option<String> {
    fn of<T: serde::de::DeserializeOwned + serde::Serialize>(doc: &str) -> Option<String> {
        serde_json::from_str::<T>(doc).ok().map(|n| version_of(&n))
    }
    match node.kind() {
        EntityKind::Need => of::<domain::Need>(doc),
        EntityKind::Solution => of::<domain::Solution>(doc),
        EntityKind::Publisher => of::<domain::Publisher>(doc),
        EntityKind::Collectivity => of::<domain::Collectivity>(doc),
        EntityKind::Adoption => of::<domain::Adoption>(doc),
        EntityKind::Outcome => of::<domain::Outcome>(doc),
        EntityKind::Alternative => of::<domain::Alternative>(doc),
        EntityKind::Source => of::<domain::Source>(doc),
        EntityKind::Contribution => of::<domain::Contribution>(doc),
    }
}

pub(crate) fn check_version(change: &Change, before: Option<&(String, i64)>) -> StoreResult<()> {
    match (&change.expected_version, before) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(StoreError::Conflict(format!(
            "{} already exists",
            change.node
        ))),
        (Some(_), None) => Err(StoreError::Invalid(format!(
            "{} does not exist",
            change.node
        ))),
        (Some(expected), Some((doc, hash))) => {
            let stored = version_text(*hash);
            let current = canonical_version(&change.node, doc).unwrap_or_else(|| stored.clone());
            if *expected == current || *expected == stored {
                return Ok(());
            }
            Err(StoreError::Conflict(format!(
                "{} changed since version {expected}: it is now at version {current}; read it again and retry",
                change.node
            )))
        }
    }
}

/// Writes one versioned change and its history entry in one transaction.
pub(super) fn write_change(conn: &mut Connection, change: &Change) -> StoreResult<ChangeReceipt> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(map_err)?;
    if let Some(receipt) = replayed(&tx, change)? {
        return Ok(receipt);
    }
    let before = current(&tx, &change.node)?;
    check_version(change, before.as_ref())?;
    write::write_in(&tx, &change.batch)?;
    let (after_doc, after_hash) = current(&tx, &change.node)?.ok_or_else(|| {
        StoreError::Internal(format!("{} is missing from its own change", change.node))
    })?;
    let version = version_text(after_hash);
    let now = Utc::now().to_rfc3339();
    let changed = before.as_ref().is_none_or(|(_, h)| *h != after_hash);
    if changed {
        tx.execute(
            "INSERT INTO history (node_id, at, author_id, action, before, after, comment)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![
                change.node.as_str(),
                now,
                change.author.as_str(),
                change.action.as_str(),
                before.as_ref().map(|(d, _)| d.as_str()),
                after_doc,
                change.comment
            ],
        )
        .map_err(map_err)?;
    }
    if let Some(key) = &change.idempotency_key {
        tx.execute(
            "INSERT INTO idempotency_keys (token_id, key, node_id, version, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![
                change.author.as_str(),
                key,
                change.node.as_str(),
                version,
                now
            ],
        )
        .map_err(map_err)?;
    }
    tx.commit().map_err(map_err)?;
    Ok(ChangeReceipt {
        node: change.node.clone(),
        version,
        replayed: false,
    })
}

pub(crate) type HistoryRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub(crate) fn entry(row: HistoryRow) -> StoreResult<HistoryEntry> {
    let (node, at, author, action, before, after, comment) = row;
    let parse_doc = |d: Option<String>| -> StoreResult<Option<serde_json::Value>> {
        d.map(|d| serde_json::from_str(&d).map_err(internal))
            .transpose()
    };
    Ok(HistoryEntry {
        node: NodeId::parse(&node).map_err(internal)?,
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

/// The changes of a node, newest first.
pub(super) fn history_of(
    conn: &Connection,
    node: &NodeId,
    first: usize,
) -> StoreResult<Vec<HistoryEntry>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT node_id, at, author_id, action, before, after, comment FROM history
             WHERE node_id = ?1 ORDER BY seq DESC LIMIT ?2",
        )
        .map_err(map_err)?;
    let rows: Vec<HistoryRow> = stmt
        .query_map(rusqlite::params![node.as_str(), first as i64], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .map_err(map_err)?
        .collect::<Result<_, _>>()
        .map_err(map_err)?;
    rows.into_iter().map(entry).collect()
}
