//! Release watch on Neo4j: `(:Solution)-[:WATCHED_BY]->(:WatchSource)` with its poll state,
//! `(:WatchSource)-[:ANNOUNCED]->(:Release)` stored once per (source, version), and
//! `(:Solution)-[:HAS_CYCLE]->(:ReleaseCycle)` once per (solution, product, cycle). Same
//! semantics as the embedded store (its `watch` module).

use chrono::{DateTime, Utc};
use neo4rs::{BoltType, Graph, Txn};

use super::cypher;
use super::listing::{page, Listing, Order};
use super::read::parse_doc;
use super::{get, map_err, Neo4jStore};
use crate::domain::{
    merge_cycles, PollOutcome, PollRecord, ProductCycle, Release, ReleaseCycle, SolutionId,
    WatchSource, WatchStatus, WatchTarget,
};
use crate::store::shared::{fnv1a_64, parse_time, time_text, to_doc};
use crate::store::{Fate, Page, PageRequest, ReleaseFilter, StoreError, StoreResult, WriteReport};

async fn rows_in(txn: &mut Txn, q: neo4rs::Query) -> StoreResult<Vec<neo4rs::Row>> {
    let mut stream = txn.execute(q).await.map_err(map_err)?;
    let mut rows = Vec::new();
    while let Some(row) = stream.next(txn.handle()).await.map_err(map_err)? {
        rows.push(row);
    }
    Ok(rows)
}

/// Runs `work` in one transaction, committed on success and rolled back on error.
async fn in_transaction<T>(
    graph: &Graph,
    work: impl for<'t> FnOnce(&'t mut Txn) -> futures::future::BoxFuture<'t, StoreResult<T>>,
) -> StoreResult<T> {
    let mut txn = graph.start_txn().await.map_err(map_err)?;
    match work(&mut txn).await {
        Ok(value) => {
            txn.commit().await.map_err(map_err)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) = txn.rollback().await {
                tracing::warn!(error = %rollback, "rolling back a failed write failed");
            }
            Err(e)
        }
    }
}

/// Writes a seed, its nodes and then its watch sources, in one transaction.
pub(super) async fn write_seed(
    store: &Neo4jStore,
    batch: crate::domain::Batch,
    sources: Vec<WatchSource>,
) -> StoreResult<WriteReport> {
    in_transaction(store.graph(), move |txn| {
        Box::pin(async move {
            let mut report = super::write::write_in(txn, &batch).await?;
            for s in &sources {
                report.count("watch_source", upsert_one(txn, s).await?);
            }
            Ok(report)
        })
    })
    .await
}

/// Declares sources by id; a changed URL forgets the validators and makes the source due.
pub(super) async fn upsert_sources(
    store: &Neo4jStore,
    sources: Vec<WatchSource>,
) -> StoreResult<WriteReport> {
    in_transaction(store.graph(), move |txn| {
        Box::pin(async move {
            let mut report = WriteReport::default();
            for s in &sources {
                report.count("watch_source", upsert_one(txn, s).await?);
            }
            Ok(report)
        })
    })
    .await
}

/// Declares one source inside a transaction (also used by the API's versioned writes).
pub(super) async fn upsert_one(txn: &mut Txn, s: &WatchSource) -> StoreResult<Fate> {
    let doc = to_doc(s)?;
    let hash = fnv1a_64(doc.as_bytes());
    let existing = rows_in(
        txn,
        neo4rs::query(cypher::WATCH_SOURCE_STATE).param("id", s.id.as_str()),
    )
    .await?;
    let fate = match existing.first() {
        Some(row) if get::<i64>(row, "hash")? == hash => Fate::Unchanged,
        Some(row) => {
            let moved = get::<String>(row, "url")? != s.url.as_str();
            rows_in(
                txn,
                source_query(cypher::UPDATE_WATCH_SOURCE, s, doc, hash).param("moved", moved),
            )
            .await?;
            Fate::Updated
        }
        None => {
            let created =
                rows_in(txn, source_query(cypher::CREATE_WATCH_SOURCE, s, doc, hash)).await?;
            if created.is_empty() {
                return Err(StoreError::MissingReference(format!(
                    "{} watches {}, which the store does not hold",
                    s.id, s.solution
                )));
            }
            Fate::Created
        }
    };
    Ok(fate)
}

/// `statement` with the source's columns as parameters (`id`, `solution`, `kind`, `url`,
/// `interval`, `doc`, `hash`).
fn source_query(statement: &str, s: &WatchSource, doc: String, hash: i64) -> neo4rs::Query {
    neo4rs::query(statement)
        .param("id", s.id.as_str())
        .param("solution", s.solution.as_str())
        .param("kind", s.kind.as_str())
        .param("url", s.url.as_str())
        .param("interval", i64::from(s.interval_secs))
        .param("doc", doc)
        .param("hash", hash)
}

/// The sources due at `due_by` (all when `None`), most overdue first.
pub(super) async fn sources_due(
    store: &Neo4jStore,
    due_by: Option<DateTime<Utc>>,
) -> StoreResult<Vec<WatchTarget>> {
    let limit = due_by.map_or_else(|| "\u{10ffff}".to_owned(), time_text);
    let rows = store
        .rows(neo4rs::query(cypher::WATCH_SOURCES_DUE).param("limit", limit))
        .await?;
    rows.iter()
        .map(|row| {
            Ok(WatchTarget {
                source: parse_doc(&get::<String>(row, "doc")?)?,
                etag: get::<Option<String>>(row, "etag")?,
                last_modified: get::<Option<String>>(row, "lastModified")?,
                failures: get::<i64>(row, "failures")? as u32,
            })
        })
        // A retired source is never polled again.
        .filter(|t| !matches!(t, Ok(t) if t.source.retired.is_some()))
        .collect()
}

/// Records one poll; returns the releases not stored before.
pub(super) async fn record_poll(store: &Neo4jStore, poll: PollRecord) -> StoreResult<Vec<Release>> {
    in_transaction(store.graph(), move |txn| {
        Box::pin(async move {
            let now = time_text(poll.checked_at);
            let next = time_text(poll.next_check);
            let id = poll.source.as_str().to_owned();
            let mut new = Vec::new();
            let (statement, q) = match &poll.outcome {
                PollOutcome::Fetched {
                    etag,
                    last_modified,
                    releases,
                    cycles,
                } => {
                    for r in releases {
                        let mut r = r.clone();
                        r.first_seen = Some(poll.checked_at);
                        let published = r.published.map(time_text);
                        let sort_key = published.clone().unwrap_or_else(|| now.clone());
                        let created = rows_in(
                            txn,
                            neo4rs::query(cypher::CREATE_RELEASE)
                                .param("source", r.source.as_str())
                                .param("key", r.key())
                                .param("solution", r.solution.as_str())
                                .param("version", r.version.as_str())
                                .param("prerelease", r.prerelease)
                                .param("published", published)
                                .param("seen", now.as_str())
                                .param("sortKey", sort_key)
                                .param("doc", to_doc(&r)?),
                        )
                        .await?;
                        if created
                            .first()
                            .map(|row| get::<bool>(row, "created"))
                            .transpose()?
                            == Some(true)
                        {
                            new.push(r);
                        }
                    }
                    let mut changed = !new.is_empty();
                    for c in cycles {
                        let rows = rows_in(
                            txn,
                            neo4rs::query(cypher::UPSERT_CYCLE)
                                .param("key", format!("{}|{}|{}", c.solution, c.product, c.cycle))
                                .param("solution", c.solution.as_str())
                                .param("product", c.product.as_str())
                                .param("cycle", c.cycle.as_str())
                                .param("doc", to_doc(c)?),
                        )
                        .await?;
                        if let Some(row) = rows.first() {
                            changed |= get::<bool>(row, "changed")?;
                        }
                    }
                    if changed {
                        // New releases or cycles change what the analyses judge.
                        rows_in(txn, neo4rs::query(cypher::BUMP_REVISION)).await?;
                    }
                    let q = neo4rs::query(cypher::POLL_FETCHED)
                        .param("etag", etag.clone())
                        .param("lastModified", last_modified.clone());
                    ("fetched", q)
                }
                PollOutcome::NotModified => {
                    ("not-modified", neo4rs::query(cypher::POLL_NOT_MODIFIED))
                }
                PollOutcome::Failed { error } => (
                    "failed",
                    neo4rs::query(cypher::POLL_FAILED)
                        .param("error", error.as_str())
                        .param("failures", i64::from(poll.failures)),
                ),
            };
            let updated = rows_in(
                txn,
                q.param("id", id.as_str())
                    .param("now", now)
                    .param("next", next),
            )
            .await?;
            if updated.is_empty() {
                return Err(StoreError::MissingReference(format!(
                    "no watch source has the id {id} ({statement} poll not recorded)"
                )));
            }
            Ok(new)
        })
    })
    .await
}

/// A page of releases, newest first.
pub(super) async fn releases(
    store: &Neo4jStore,
    filter: ReleaseFilter,
    request: PageRequest,
) -> StoreResult<Page<Release>> {
    let solutions: Vec<String> = filter.solutions.iter().map(|s| s.to_string()).collect();
    let listing = Listing {
        label: "Release",
        condition: cypher::RELEASE_WHERE,
        params: vec![
            (
                "solutions",
                if solutions.is_empty() {
                    BoltType::Null(neo4rs::BoltNull)
                } else {
                    solutions.into()
                },
            ),
            ("since", filter.since.map(time_text).into()),
            ("prereleases", filter.include_prereleases.into()),
        ],
    };
    let order = Order {
        key: "n.sortKey",
        desc: true,
        numeric: false,
    };
    page(store, &listing, &order, &request).await
}

/// The release cycles of these solutions: fetched by the watch, and imported (see
/// [`merge_cycles`]).
pub(super) async fn cycles_for(
    store: &Neo4jStore,
    solutions: Vec<String>,
) -> StoreResult<Vec<ReleaseCycle>> {
    let fetched = store
        .rows(neo4rs::query(cypher::CYCLES_FOR).param("ids", solutions.clone()))
        .await?
        .iter()
        .map(|row| parse_doc::<ReleaseCycle>(&get::<String>(row, "doc")?))
        .collect::<StoreResult<Vec<_>>>()?;
    let mut imported = Vec::new();
    for row in store
        .rows(neo4rs::query(cypher::PRODUCT_CYCLES_FOR).param("ids", solutions))
        .await?
    {
        imported
            .extend(parse_doc::<ProductCycle>(&get::<String>(&row, "doc")?)?.as_release_cycle());
    }
    Ok(merge_cycles(fetched, imported))
}

/// The date of each solution's newest release that is not a pre-release.
pub(super) async fn latest_releases(
    store: &Neo4jStore,
) -> StoreResult<Vec<(SolutionId, DateTime<Utc>)>> {
    let mut out = Vec::new();
    for row in store.rows(neo4rs::query(cypher::LATEST_RELEASES)).await? {
        let solution = SolutionId::parse(&get::<String>(&row, "solution")?)
            .map_err(|e| StoreError::Corrupt(format!("a stored release: {e}")))?;
        if let Some(date) = parse_time(get::<Option<String>>(&row, "date")?)? {
            out.push((solution, date));
        }
    }
    Ok(out)
}

/// Where every source stands, by id.
pub(super) async fn status(store: &Neo4jStore) -> StoreResult<Vec<WatchStatus>> {
    store
        .rows(neo4rs::query(cypher::WATCH_STATUS))
        .await?
        .iter()
        .map(|row| {
            Ok(WatchStatus {
                source: parse_doc(&get::<String>(row, "doc")?)?,
                last_checked: parse_time(get(row, "lastChecked")?)?,
                last_success: parse_time(get(row, "lastSuccess")?)?,
                last_error: get(row, "lastError")?,
                next_check: parse_time(get(row, "nextCheck")?)?,
                failures: get::<i64>(row, "failures")? as u32,
                releases: get::<i64>(row, "releases")? as u64,
            })
        })
        .collect()
}
