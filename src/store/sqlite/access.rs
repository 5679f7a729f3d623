//! Access and history in the embedded store: tokens (by keyed hash), idempotency keys, and
//! versioned single-node writes recorded with their history entry in one transaction.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::sql::{rows_in, tuples};
use super::{map_err, table_of, watch, write};
use crate::domain::{
    ChangeSubject, HistoryEntry, NodeId, Token, TokenHash, TokenId, WatchSource, WatchSourceId,
};
use crate::store::shared::{
    change_replay, check_version, check_watch_version, history_after, history_item, watch_replay,
    ChangeRecord, HistoryRow,
};
use crate::store::{
    version_text, Change, ChangeReceipt, Page, PageRequest, StoreError, StoreResult, WatchChange,
    WatchReceipt,
};

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

/// The (node, version) an idempotency key of this author already named, if any.
fn used_key(
    tx: &Transaction<'_>,
    author: &TokenId,
    key: &str,
) -> StoreResult<Option<(String, String)>> {
    tx.query_row(
        "SELECT node_id, version FROM idempotency_keys WHERE token_id = ?1 AND key = ?2",
        [author.as_str(), key],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
    .map_err(map_err)
}

fn replayed(tx: &Transaction<'_>, change: &Change) -> StoreResult<Option<ChangeReceipt>> {
    let Some(key) = &change.idempotency_key else {
        return Ok(None);
    };
    change_replay(change, key, used_key(tx, &change.author, key)?)
}

/// Records one history entry and, for a creation with a key, the key's use.
fn record(
    tx: &Transaction<'_>,
    change: &ChangeRecord<'_>,
    before: Option<&(String, i64)>,
    after: &(String, i64),
) -> StoreResult<String> {
    let ChangeRecord {
        subject,
        author,
        action,
        comment,
        key,
    } = *change;
    let version = version_text(after.1);
    let now = Utc::now().to_rfc3339();
    if before.is_none_or(|(_, h)| *h != after.1) {
        tx.execute(
            "INSERT INTO history (node_id, at, author_id, action, before, after, comment)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![
                subject,
                now,
                author.as_str(),
                action.as_str(),
                before.map(|(d, _)| d.as_str()),
                after.0,
                comment
            ],
        )
        .map_err(map_err)?;
    }
    if let Some(key) = key {
        tx.execute(
            "INSERT INTO idempotency_keys (token_id, key, node_id, version, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![author.as_str(), key, subject, version, now],
        )
        .map_err(map_err)?;
    }
    Ok(version)
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
    let after = current(&tx, &change.node)?.ok_or_else(|| {
        StoreError::Internal(format!("{} is missing from its own change", change.node))
    })?;
    let version = record(&tx, &change.record(), before.as_ref(), &after)?;
    tx.commit().map_err(map_err)?;
    Ok(ChangeReceipt {
        node: change.node.clone(),
        version,
        replayed: false,
    })
}

/// The current document and hash of a watch source.
fn current_watch(tx: &Transaction<'_>, id: &WatchSourceId) -> StoreResult<Option<(String, i64)>> {
    tx.prepare_cached("SELECT doc, hash FROM watch_sources WHERE id = ?1")
        .and_then(|mut s| {
            s.query_row([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(map_err)
}

/// Writes one versioned change of a watch source and its history entry in one transaction.
pub(super) fn write_watch_change(
    conn: &mut Connection,
    change: &WatchChange,
) -> StoreResult<WatchReceipt> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(map_err)?;
    if let Some(key) = &change.idempotency_key {
        if let Some(receipt) = watch_replay(key, used_key(&tx, &change.author, key)?)? {
            return Ok(receipt);
        }
    }
    let id = &change.source.id;
    let before = current_watch(&tx, id)?;
    check_watch_version(change, before.as_ref())?;
    watch::upsert_one(&tx, &change.source)?;
    let after = current_watch(&tx, id)?
        .ok_or_else(|| StoreError::Internal(format!("{id} is missing from its own change")))?;
    let version = record(&tx, &change.record(), before.as_ref(), &after)?;
    tx.commit().map_err(map_err)?;
    Ok(WatchReceipt {
        source: id.clone(),
        version,
        replayed: false,
    })
}

/// Watch sources by id.
pub(super) fn watch_sources(conn: &Connection, ids: &[String]) -> StoreResult<Vec<WatchSource>> {
    let sql = "SELECT doc FROM watch_sources WHERE id IN ({in}) ORDER BY id";
    rows_in(conn, sql, ids, |r| r.get::<_, String>(0))?
        .iter()
        .map(|doc| serde_json::from_str(doc).map_err(internal))
        .collect()
}

/// A page of the changes of a node, newest first (by sequence number).
pub(super) fn history_of(
    conn: &Connection,
    subject: &ChangeSubject,
    page: &PageRequest,
) -> StoreResult<Page<HistoryEntry>> {
    let after = history_after(subject, page)?;
    let rows: Vec<HistoryRow> = tuples(
        conn,
        "SELECT seq, node_id, at, author_id, action, before, after, comment FROM history
         WHERE node_id = ?1 AND (?2 IS NULL OR seq < ?2) ORDER BY seq DESC LIMIT ?3",
        rusqlite::params![subject.as_str(), after, page.first as i64 + 1],
    )?;
    let items = rows
        .into_iter()
        .map(|row| history_item(subject, row))
        .collect::<StoreResult<Vec<_>>>()?;
    let total = if page.want_total {
        let n: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM history WHERE node_id = ?1",
                [subject.as_str()],
                |r| r.get(0),
            )
            .map_err(map_err)?;
        Some(n as u64)
    } else {
        None
    };
    Ok(Page::of_rows(items, page, total))
}
