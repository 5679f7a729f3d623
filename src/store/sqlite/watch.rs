//! Release watch in the embedded store: watch sources with their poll state, releases stored
//! once per (source, version), release cycles once per (solution, product, cycle).

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::map_err;
use super::sql::{self, Conditions, Order};
use crate::domain::{
    merge_cycles, PollOutcome, PollRecord, ProductCycle, Release, ReleaseCycle, SolutionId,
    WatchSource, WatchStatus, WatchTarget,
};
use crate::store::shared::{fnv1a_64, parse_time, time_text, to_doc};
use crate::store::{Fate, Page, PageRequest, ReleaseFilter, StoreError, StoreResult, WriteReport};

/// Writes a seed, its nodes and then its watch sources, in one transaction.
pub(super) fn write_seed(
    conn: &mut Connection,
    batch: &crate::domain::Batch,
    sources: &[WatchSource],
) -> StoreResult<WriteReport> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(map_err)?;
    let mut report = super::write::write_in(&tx, batch)?;
    for s in sources {
        report.count("watch_source", upsert_one(&tx, s)?);
    }
    tx.commit().map_err(map_err)?;
    Ok(report)
}

/// Declares sources by id; a changed URL forgets the validators and makes the source due.
pub(super) fn upsert_sources(
    conn: &mut Connection,
    sources: &[WatchSource],
) -> StoreResult<WriteReport> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(map_err)?;
    let mut report = WriteReport::default();
    for s in sources {
        report.count("watch_source", upsert_one(&tx, s)?);
    }
    tx.commit().map_err(map_err)?;
    Ok(report)
}

/// The source's columns, in the order of `?1` to `?7` (id, solution, kind, URL, interval,
/// document, hash).
fn source_values(s: &WatchSource, doc: &str, hash: i64) -> Vec<Value> {
    vec![
        Value::Text(s.id.as_str().to_owned()),
        Value::Text(s.solution.as_str().to_owned()),
        Value::Text(s.kind.as_str().to_owned()),
        Value::Text(s.url.as_str().to_owned()),
        Value::Integer(i64::from(s.interval_secs)),
        Value::Text(doc.to_owned()),
        Value::Integer(hash),
    ]
}

/// Declares one source inside a transaction (also used by the API's versioned writes).
pub(super) fn upsert_one(tx: &Transaction<'_>, s: &WatchSource) -> StoreResult<Fate> {
    let doc = to_doc(s)?;
    let hash = fnv1a_64(doc.as_bytes());
    let existing: Option<(i64, String)> = tx
        .prepare_cached("SELECT hash, url FROM watch_sources WHERE id = ?1")
        .and_then(|mut st| {
            st.query_row([s.id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(map_err)?;
    let fate = match existing {
        Some((h, _)) if h == hash => Fate::Unchanged,
        Some((_, url)) => {
            let moved = url != s.url.as_str();
            tx.prepare_cached(
                "UPDATE watch_sources SET solution_id = ?2, kind = ?3, url = ?4,
                    interval_secs = ?5, doc = ?6, hash = ?7,
                    etag = CASE WHEN ?8 THEN NULL ELSE etag END,
                    last_modified = CASE WHEN ?8 THEN NULL ELSE last_modified END,
                    next_check = CASE WHEN ?8 THEN '' ELSE next_check END
                 WHERE id = ?1",
            )
            .and_then(|mut st| {
                let mut values = source_values(s, &doc, hash);
                values.push(Value::Integer(i64::from(moved)));
                st.execute(rusqlite::params_from_iter(values))
            })
            .map_err(map_err)?;
            Fate::Updated
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO watch_sources (id, solution_id, kind, url, interval_secs, doc, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut st| st.execute(rusqlite::params_from_iter(source_values(s, &doc, hash))))
            .map_err(|e| match map_err(e) {
                StoreError::Internal(m) if m.contains("FOREIGN KEY") => {
                    StoreError::MissingReference(format!(
                        "{} watches {}, which the store does not hold",
                        s.id, s.solution
                    ))
                }
                other => other,
            })?;
            Fate::Created
        }
    };
    Ok(fate)
}

/// The sources due at `due_by` (all when `None`), most overdue first.
pub(super) fn sources_due(
    conn: &Connection,
    due_by: Option<DateTime<Utc>>,
) -> StoreResult<Vec<WatchTarget>> {
    let limit = due_by.map_or_else(|| "\u{10ffff}".to_owned(), time_text);
    let rows: Vec<(String, Option<String>, Option<String>, u32)> = sql::tuples(
        conn,
        "SELECT doc, etag, last_modified, failures FROM watch_sources
         WHERE next_check <= ?1 ORDER BY next_check, id",
        [limit],
    )?;
    let mut out = Vec::new();
    for (doc, etag, last_modified, failures) in rows {
        out.push(WatchTarget {
            source: sql::parse_doc(&doc)?,
            etag,
            last_modified,
            failures,
        });
    }
    // A retired source is never polled again.
    out.retain(|t| t.source.retired.is_none());
    Ok(out)
}

/// Stores the releases not yet known; returns them.
fn insert_releases(
    tx: &rusqlite::Transaction<'_>,
    releases: &[Release],
    checked_at: DateTime<Utc>,
) -> StoreResult<Vec<Release>> {
    let now = time_text(checked_at);
    let mut new = Vec::new();
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO releases (id, source_id, solution_id, version, prerelease, published,
                seen_at, sort_key, doc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO NOTHING",
        )
        .map_err(map_err)?;
    for r in releases {
        let mut r = r.clone();
        r.first_seen = Some(checked_at);
        let published = r.published.map(time_text);
        let sort_key = published.clone().unwrap_or_else(|| now.clone());
        let inserted = stmt
            .execute(rusqlite::params![
                r.key(),
                r.source.as_str(),
                r.solution.as_str(),
                r.version,
                r.prerelease,
                published,
                now,
                sort_key,
                to_doc(&r)?
            ])
            .map_err(map_err)?;
        if inserted > 0 {
            new.push(r);
        }
    }
    Ok(new)
}

/// Stores the cycles; returns how many were new or changed.
fn upsert_cycles(tx: &rusqlite::Transaction<'_>, cycles: &[ReleaseCycle]) -> StoreResult<usize> {
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO release_cycles (solution_id, product, cycle, doc) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (solution_id, product, cycle) DO UPDATE SET doc = excluded.doc
             WHERE doc <> excluded.doc",
        )
        .map_err(map_err)?;
    let mut changed = 0;
    for c in cycles {
        changed += stmt
            .execute(rusqlite::params![
                c.solution.as_str(),
                c.product,
                c.cycle,
                to_doc(c)?
            ])
            .map_err(map_err)?;
    }
    Ok(changed)
}

/// Records one poll; returns the new releases.
pub(super) fn record_poll(conn: &mut Connection, poll: PollRecord) -> StoreResult<Vec<Release>> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(map_err)?;
    let now = time_text(poll.checked_at);
    let next = time_text(poll.next_check);
    let id = poll.source.as_str();
    let mut new = Vec::new();
    let updated = match &poll.outcome {
        PollOutcome::Fetched {
            etag,
            last_modified,
            releases,
            cycles,
        } => {
            new = insert_releases(&tx, releases, poll.checked_at)?;
            if upsert_cycles(&tx, cycles)? > 0 || !new.is_empty() {
                // New releases or cycles change what the analyses judge (continuity risk).
                tx.execute(
                    "UPDATE store_meta SET value = value + 1 WHERE key = 'revision'",
                    [],
                )
                .map_err(map_err)?;
            }
            tx.execute(
                "UPDATE watch_sources SET etag = ?2, last_modified = ?3, last_checked = ?4,
                    last_success = ?4, last_error = NULL, next_check = ?5, failures = 0
                 WHERE id = ?1",
                rusqlite::params![id, etag, last_modified, now, next],
            )
        }
        PollOutcome::NotModified => tx.execute(
            "UPDATE watch_sources SET last_checked = ?2, last_success = ?2, last_error = NULL,
                next_check = ?3, failures = 0 WHERE id = ?1",
            rusqlite::params![id, now, next],
        ),
        PollOutcome::Failed { error } => tx.execute(
            "UPDATE watch_sources SET last_checked = ?2, last_error = ?3, next_check = ?4,
                failures = ?5 WHERE id = ?1",
            rusqlite::params![id, now, error, next, poll.failures],
        ),
    }
    .map_err(map_err)?;
    if updated == 0 {
        return Err(StoreError::MissingReference(format!(
            "no watch source has the id {id}"
        )));
    }
    tx.commit().map_err(map_err)?;
    Ok(new)
}

/// A page of releases, newest first.
pub(super) fn releases(
    conn: &Connection,
    filter: &ReleaseFilter,
    page: &PageRequest,
) -> StoreResult<Page<Release>> {
    let mut conditions = Conditions::default();
    let solutions: Vec<&str> = filter.solutions.iter().map(|s| s.as_str()).collect();
    conditions.add_in("r.solution_id", &solutions);
    if let Some(since) = filter.since {
        conditions.add("r.sort_key >= ?", [Value::Text(time_text(since))]);
    }
    if !filter.include_prereleases {
        conditions.add("r.prerelease = 0", []);
    }
    let order = Order::text("r.sort_key", "r.id").descending();
    sql::page(conn, "releases r", "r.doc", &conditions, &order, page)
}

/// The release cycles of these solutions: those the watch fetched, and those imported from
/// endoflife.date's dataset (see [`merge_cycles`]).
pub(super) fn cycles_for(
    conn: &Connection,
    solutions: &[String],
) -> StoreResult<Vec<ReleaseCycle>> {
    let fetched: Vec<ReleaseCycle> =
        sql::docs_where_in(conn, "release_cycles", "solution_id", solutions)?;
    let imported: Vec<ProductCycle> =
        sql::docs_where_in(conn, "product_cycles", "solution_id", solutions)?;
    let imported: Vec<ReleaseCycle> = imported
        .iter()
        .flat_map(ProductCycle::as_release_cycle)
        .collect();
    Ok(merge_cycles(fetched, imported))
}

/// The date of each solution's newest release that is not a pre-release (its publication,
/// else when it was first seen).
pub(super) fn latest_releases(conn: &Connection) -> StoreResult<Vec<(SolutionId, DateTime<Utc>)>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT solution_id, MAX(sort_key) FROM releases WHERE prerelease = 0
             GROUP BY solution_id ORDER BY solution_id",
        )
        .map_err(map_err)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map_err(map_err)?;
    let mut out = Vec::new();
    for row in rows {
        let (solution, date) = row.map_err(map_err)?;
        let solution = SolutionId::parse(&solution)
            .map_err(|e| StoreError::Corrupt(format!("a stored release: {e}")))?;
        if let Some(date) = parse_time(Some(date))? {
            out.push((solution, date));
        }
    }
    Ok(out)
}

type StatusRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    u32,
    u64,
);

/// Where every source stands, by id.
pub(super) fn status(conn: &Connection) -> StoreResult<Vec<WatchStatus>> {
    let rows: Vec<StatusRow> = sql::tuples(
        conn,
        "SELECT w.doc, w.last_checked, w.last_success, w.last_error, w.next_check, w.failures,
            (SELECT COUNT(*) FROM releases r WHERE r.source_id = w.id)
         FROM watch_sources w ORDER BY w.id",
        [],
    )?;
    let mut out = Vec::new();
    for (doc, checked, success, error, next, failures, releases) in rows {
        out.push(WatchStatus {
            source: sql::parse_doc(&doc)?,
            last_checked: parse_time(checked)?,
            last_success: parse_time(success)?,
            last_error: error,
            next_check: parse_time(Some(next))?,
            failures,
            releases,
        });
    }
    Ok(out)
}
