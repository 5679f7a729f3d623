//! Access and history on Neo4j: `(:Token)` nodes keyed by their hash, `(:HistoryEntry)` nodes
//! numbered by a store-wide sequence, `(:IdempotencyKey)` nodes; a versioned single-node write
//! checks the version, writes the batch and records its history entry in one transaction.
//! Same semantics as the embedded store (its `access` module).

use chrono::{DateTime, Utc};
use neo4rs::Txn;

use super::write::{exec, write_in};
use super::{cypher, get, map_err, watch, Neo4jStore};
use crate::domain::{
    ChangeSubject, HistoryEntry, NodeId, Token, TokenHash, TokenId, WatchSourceId,
};
use crate::store::shared::{
    change_replay, check_version, check_watch_version, history_after, history_item, watch_replay,
    ChangeRecord,
};
use crate::store::{
    version_text, Change, ChangeReceipt, Page, PageRequest, StoreError, StoreResult, WatchChange,
    WatchReceipt,
};

fn internal(e: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(e.to_string())
}

fn parse_token(doc: String) -> StoreResult<Token> {
    serde_json::from_str(&doc).map_err(internal)
}

/// Stores a token under its hash.
pub(super) async fn create_token(
    store: &Neo4jStore,
    token: Token,
    hash: TokenHash,
) -> StoreResult<()> {
    token
        .validate()
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let doc = serde_json::to_string(&token).map_err(internal)?;
    let q = neo4rs::query(cypher::CREATE_TOKEN)
        .param("id", token.id.as_str())
        .param("hash", hash.0.as_str())
        .param(
            "collectivity",
            token.collectivity.as_ref().map(|c| c.to_string()),
        )
        .param("doc", doc)
        .param("created", token.created.to_rfc3339());
    store.graph().run(q).await.map_err(map_err)
}

/// The token with this hash.
pub(super) async fn find_token(store: &Neo4jStore, hash: TokenHash) -> StoreResult<Option<Token>> {
    let rows = store
        .rows(neo4rs::query(cypher::TOKEN_BY_HASH).param("hash", hash.0.as_str()))
        .await?;
    rows.first()
        .map(|row| parse_token(get::<String>(row, "doc")?))
        .transpose()
}

/// Every token, oldest first.
pub(super) async fn list_tokens(store: &Neo4jStore) -> StoreResult<Vec<Token>> {
    store
        .rows(neo4rs::query(cypher::ALL_TOKENS))
        .await?
        .iter()
        .map(|row| parse_token(get::<String>(row, "doc")?))
        .collect()
}

/// Revokes a token (keeps the first revocation time).
pub(super) async fn revoke_token(
    store: &Neo4jStore,
    id: TokenId,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let rows = store
        .rows(neo4rs::query(cypher::TOKEN_BY_ID).param("id", id.as_str()))
        .await?;
    let Some(row) = rows.first() else {
        return Ok(false);
    };
    let mut token = parse_token(get::<String>(row, "doc")?)?;
    if token.revoked.is_none() {
        token.revoked = Some(at);
        let doc = serde_json::to_string(&token).map_err(internal)?;
        let q = neo4rs::query(cypher::SET_TOKEN_DOC)
            .param("id", id.as_str())
            .param("doc", doc);
        store.graph().run(q).await.map_err(map_err)?;
    }
    Ok(true)
}

/// The current document and hash of a node, inside the transaction.
async fn current(txn: &mut Txn, node: &NodeId) -> StoreResult<Option<(String, i64)>> {
    let statement = match cypher::label(node.kind()) {
        Some(label) => cypher::for_label(cypher::DOC_AND_HASH, label),
        None => cypher::ALTERNATIVE_DOC_AND_HASH.to_owned(),
    };
    let rows = exec(txn, neo4rs::query(&statement).param("id", node.as_str())).await?;
    rows.first()
        .map(|row| Ok((get::<String>(row, "doc")?, get::<i64>(row, "hash")?)))
        .transpose()
}

async fn replayed(txn: &mut Txn, change: &Change) -> StoreResult<Option<ChangeReceipt>> {
    let Some(key) = &change.idempotency_key else {
        return Ok(None);
    };
    change_replay(change, key, used_key(txn, &change.author, key).await?)
}

/// The node and version an author's idempotency key was used for, if it was.
async fn used_key(
    txn: &mut Txn,
    author: &TokenId,
    key: &str,
) -> StoreResult<Option<(String, String)>> {
    let rows = exec(
        txn,
        neo4rs::query(cypher::IDEMPOTENCY_KEY)
            .param("token", author.as_str())
            .param("key", key),
    )
    .await?;
    rows.first()
        .map(|row| Ok((get(row, "node")?, get(row, "version")?)))
        .transpose()
}

/// Records a versioned write: its history entry when the subject changed, and the use of its
/// idempotency key. Returns the subject's version now.
async fn record(
    txn: &mut Txn,
    change: &ChangeRecord<'_>,
    before: Option<&(String, i64)>,
    (after_doc, after_hash): (String, i64),
) -> StoreResult<String> {
    let version = version_text(after_hash);
    let now = Utc::now().to_rfc3339();
    if before.is_none_or(|(_, h)| *h != after_hash) {
        exec(
            txn,
            neo4rs::query(cypher::CREATE_HISTORY_ENTRY)
                .param("node", change.subject)
                .param("at", now.as_str())
                .param("author", change.author.as_str())
                .param("action", change.action.as_str())
                .param("before", before.map(|(d, _)| d.clone()))
                .param("after", after_doc)
                .param("comment", change.comment.map(str::to_owned)),
        )
        .await?;
    }
    if let Some(key) = change.key {
        exec(
            txn,
            neo4rs::query(cypher::CREATE_IDEMPOTENCY_KEY)
                .param("token", change.author.as_str())
                .param("key", key)
                .param("node", change.subject)
                .param("version", version.as_str())
                .param("at", now.as_str()),
        )
        .await?;
    }
    Ok(version)
}

async fn change_in(txn: &mut Txn, change: &Change) -> StoreResult<ChangeReceipt> {
    if let Some(receipt) = replayed(txn, change).await? {
        return Ok(receipt);
    }
    let before = current(txn, &change.node).await?;
    check_version(change, before.as_ref())?;
    write_in(txn, &change.batch).await?;
    let after = current(txn, &change.node).await?.ok_or_else(|| {
        StoreError::Internal(format!("{} is missing from its own change", change.node))
    })?;
    let version = record(txn, &change.record(), before.as_ref(), after).await?;
    Ok(ChangeReceipt {
        node: change.node.clone(),
        version,
        replayed: false,
    })
}

/// How many times a versioned write is tried when the server reports a transient failure.
const ATTEMPTS: u32 = 5;

/// True for a failure that a new attempt may not meet: ArcadeDB reports two transactions
/// changing one record as `Neo.TransientError.Transaction.DeadlockDetected`, Neo4j a deadlock
/// the same way.
fn transient(e: &StoreError) -> bool {
    matches!(e, StoreError::Unavailable(m) if m.contains("Neo.TransientError"))
}

/// Runs a versioned write in one transaction that first takes the store-wide change lock
/// (one write of the `StoreMeta` node), so the version it then reads is the committed one:
/// on Neo4j a concurrent change waits for the lock; on ArcadeDB (optimistic) one of two
/// concurrent changes fails at commit and is tried again, and then sees the other's version
/// (CONFLICT when it expected the old one). The transaction is rolled back on any error.
async fn versioned<T, F, Fut>(store: &Neo4jStore, work: F) -> StoreResult<T>
where
    F: Fn(Txn) -> Fut,
    Fut: std::future::Future<Output = (Txn, StoreResult<T>)>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        let mut txn = store.graph().start_txn().await.map_err(map_err)?;
        let locked = exec(&mut txn, neo4rs::query(cypher::LOCK_CHANGES)).await;
        let (txn, result) = match locked {
            Ok(_) => work(txn).await,
            Err(e) => (txn, Err(e)),
        };
        let result = match result {
            Ok(value) => txn.commit().await.map_err(map_err).map(|_| value),
            Err(e) => {
                if let Err(rollback) = txn.rollback().await {
                    tracing::warn!(error = %rollback, "rolling back a failed change failed");
                }
                Err(e)
            }
        };
        match result {
            Err(e) if transient(&e) && attempt < ATTEMPTS => {
                tracing::debug!(attempt, error = %e, "a versioned write meets a concurrent one; trying again");
                tokio::time::sleep(std::time::Duration::from_millis(20 * u64::from(attempt))).await;
            }
            other => return other,
        }
    }
}

/// Writes one versioned change and its history entry in one transaction.
pub(super) async fn write_change(store: &Neo4jStore, change: Change) -> StoreResult<ChangeReceipt> {
    let change = &change;
    versioned(store, |mut txn| async move {
        let result = change_in(&mut txn, change).await;
        (txn, result)
    })
    .await
}

/// The current document and hash of a watch source, inside the transaction.
async fn current_watch(txn: &mut Txn, id: &WatchSourceId) -> StoreResult<Option<(String, i64)>> {
    let rows = exec(
        txn,
        neo4rs::query(cypher::WATCH_DOC_AND_HASH).param("id", id.as_str()),
    )
    .await?;
    rows.first()
        .map(|row| Ok((get::<String>(row, "doc")?, get::<i64>(row, "hash")?)))
        .transpose()
}

async fn watch_change_in(txn: &mut Txn, change: &WatchChange) -> StoreResult<WatchReceipt> {
    if let Some(key) = &change.idempotency_key {
        if let Some(receipt) = watch_replay(key, used_key(txn, &change.author, key).await?)? {
            return Ok(receipt);
        }
    }
    let id = &change.source.id;
    let before = current_watch(txn, id).await?;
    check_watch_version(change, before.as_ref())?;
    watch::upsert_one(txn, &change.source).await?;
    let after = current_watch(txn, id)
        .await?
        .ok_or_else(|| StoreError::Internal(format!("{id} is missing from its own change")))?;
    let version = record(txn, &change.record(), before.as_ref(), after).await?;
    Ok(WatchReceipt {
        source: id.clone(),
        version,
        replayed: false,
    })
}

/// Writes one versioned change of a watch source and its history entry in one transaction.
pub(super) async fn write_watch_change(
    store: &Neo4jStore,
    change: WatchChange,
) -> StoreResult<WatchReceipt> {
    let change = &change;
    versioned(store, |mut txn| async move {
        let result = watch_change_in(&mut txn, change).await;
        (txn, result)
    })
    .await
}

/// A page of the changes of a node, newest first (by sequence number).
pub(super) async fn history_of(
    store: &Neo4jStore,
    subject: ChangeSubject,
    page: PageRequest,
) -> StoreResult<Page<HistoryEntry>> {
    let after = history_after(&subject, &page)?;
    let rows = store
        .rows(
            neo4rs::query(cypher::HISTORY_OF)
                .param("node", subject.as_str())
                .param("after", after)
                .param("limit", page.first as i64 + 1),
        )
        .await?;
    let items = rows
        .iter()
        .map(|row| {
            let stored = (
                get(row, "seq")?,
                get(row, "node")?,
                get(row, "at")?,
                get(row, "author")?,
                get(row, "action")?,
                get(row, "before")?,
                get(row, "after")?,
                get(row, "comment")?,
            );
            history_item(&subject, stored)
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let total = if page.want_total {
        let rows = store
            .rows(neo4rs::query(cypher::HISTORY_COUNT).param("node", subject.as_str()))
            .await?;
        Some(
            rows.first()
                .map(|r| get::<i64>(r, "n"))
                .transpose()?
                .unwrap_or(0) as u64,
        )
    } else {
        None
    };
    Ok(Page::of_rows(items, &page, total))
}
