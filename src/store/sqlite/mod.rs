//! The embedded store: one SQLite file (WAL, foreign keys on), versioned migrations kept in
//! `schema/migrations/sqlite/`, a small connection pool, and blocking calls moved off the
//! async runtime.

mod access;
mod backup;
mod read;
mod sql;
mod watch;
mod write;

pub use backup::{backup, check_backup, restore, BackupSummary};

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use tokio::sync::Semaphore;

use super::{
    AdoptionFilter, AdoptionParent, AdoptionSort, Change, ChangeReceipt, CollectivityFilter,
    CollectivitySort, Counts, NeedFilter, Page, PageRequest, ReleaseFilter, SearchHit,
    SolutionFilter, SolutionSort, Store, StoreError, StoreResult, WatchChange, WatchReceipt,
    WriteReport,
};
use crate::domain::{
    Adoption, AdoptionId, Alternative, Batch, Citation, Collectivity, CollectivityId, Contribution,
    ContributionId, EntityKind, Need, NeedId, NodeId, Outcome, OutcomeId, Publisher, PublisherId,
    Solution, SolutionId, Source, SourceId,
};
use crate::domain::{ChangeSubject, HistoryEntry, Token, TokenHash, TokenId};
use crate::domain::{
    PollRecord, Release, ReleaseCycle, WatchSource, WatchSourceId, WatchStatus, WatchTarget,
};
use chrono::{DateTime, Utc};

/// The migrations, in order: version, name, SQL.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../../../schema/migrations/sqlite/0001_init.sql"),
    ),
    (
        2,
        "provenance",
        include_str!("../../../schema/migrations/sqlite/0002_provenance.sql"),
    ),
    (
        3,
        "release_watch",
        include_str!("../../../schema/migrations/sqlite/0003_release_watch.sql"),
    ),
    (
        4,
        "contributions",
        include_str!("../../../schema/migrations/sqlite/0004_contributions.sql"),
    ),
    (
        5,
        "access",
        include_str!("../../../schema/migrations/sqlite/0005_access.sql"),
    ),
];

/// Most connections reading at once.
const MAX_READERS: usize = 8;

/// The embedded SQLite store.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    read_permits: Semaphore,
}

/// Maps a SQLite error to the store's error, keeping the details for the log.
pub(crate) fn map_err(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            StoreError::Locked(e.to_string())
        }
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            StoreError::Corrupt(e.to_string())
        }
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
            StoreError::Unavailable(e.to_string())
        }
        _ => StoreError::Internal(e.to_string()),
    }
}

fn open_connection(path: &Path) -> StoreResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
    let describe = |e: rusqlite::Error| match map_err(e) {
        StoreError::Corrupt(m) => StoreError::Corrupt(format!("{}: {m}", path.display())),
        StoreError::Locked(m) => StoreError::Locked(format!("{}: {m}", path.display())),
        other => other,
    };
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(describe)?;
    // Reading the journal mode reads the file header: a file that is not a database fails here.
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(describe)?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "the store could not switch to WAL journaling");
    }
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
        .map_err(describe)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection, path: &Path) -> StoreResult<()> {
    let has_tables: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations')",
            [],
            |r| r.get(0),
        )
        .map_err(map_err)?;
    let has_versions: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')",
            [],
            |r| r.get(0),
        )
        .map_err(map_err)?;
    if has_tables && !has_versions {
        return Err(StoreError::Corrupt(format!(
            "{} is an SQLite database but not a retex store",
            path.display()
        )));
    }
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT",
    )
    .map_err(map_err)?;
    let current: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(map_err)?;
    let latest = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > latest {
        return Err(StoreError::Unavailable(format!(
            "{} has schema version {current}, newer than this retex knows ({latest}): upgrade retex",
            path.display()
        )));
    }
    // Every known migration not applied yet, in order: versions are taken by parallel work,
    // so a lower number may be merged after a higher one was applied.
    let applied: std::collections::HashSet<i64> = conn
        .prepare("SELECT version FROM schema_migrations")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect::<Result<_, _>>())
        .map_err(map_err)?;
    for (version, name, sql) in MIGRATIONS.iter().filter(|m| !applied.contains(&m.0)) {
        let tx = conn.transaction().map_err(map_err)?;
        tx.execute_batch(sql).map_err(map_err)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, datetime('now'))",
            rusqlite::params![version, name],
        )
        .map_err(map_err)?;
        tx.commit().map_err(map_err)?;
        tracing::info!(version, name, "applied store migration");
    }
    Ok(())
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub async fn open(path: impl Into<PathBuf>) -> StoreResult<Self> {
        let path = path.into();
        tokio::task::spawn_blocking(move || {
            let mut writer = open_connection(&path)?;
            migrate(&mut writer, &path)?;
            Ok(SqliteStore {
                inner: Arc::new(Inner {
                    path,
                    writer: Mutex::new(writer),
                    readers: Mutex::new(Vec::new()),
                    read_permits: Semaphore::new(MAX_READERS),
                }),
            })
        })
        .await
        .map_err(|e| StoreError::Internal(e.to_string()))?
    }

    /// The file the store lives in.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` on a reading connection, off the async runtime.
    async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let _permit = self
            .inner
            .read_permits
            .acquire()
            .await
            .map_err(|e| StoreError::Internal(e.to_string()))?;
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = inner.readers.lock().expect("reader pool lock").pop();
            let conn = match pooled {
                Some(conn) => conn,
                None => {
                    let conn = open_connection(&inner.path)?;
                    conn.execute_batch("PRAGMA query_only = ON")
                        .map_err(map_err)?;
                    conn
                }
            };
            let result = f(&conn);
            inner.readers.lock().expect("reader pool lock").push(conn);
            result
        })
        .await
        .map_err(|e| StoreError::Internal(e.to_string()))?
    }

    /// Runs `f` on the one writing connection, off the async runtime.
    async fn write_with<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = inner.writer.lock().expect("writer lock");
            f(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Internal(e.to_string()))?
    }
}

/// The table holding nodes of a kind.
pub(crate) fn table_of(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Need => "needs",
        EntityKind::Solution => "solutions",
        EntityKind::Publisher => "publishers",
        EntityKind::Collectivity => "collectivities",
        EntityKind::Adoption => "adoptions",
        EntityKind::Outcome => "outcomes",
        EntityKind::Alternative => "alternatives",
        EntityKind::Source => "sources",
        EntityKind::Contribution => "contributions",
    }
}

fn strings<T: ToString>(ids: Vec<T>) -> Vec<String> {
    ids.into_iter().map(|i| i.to_string()).collect()
}

#[async_trait]
impl Store for SqliteStore {
    async fn health(&self) -> StoreResult<()> {
        self.read(|c| {
            c.query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|_| ())
            .map_err(map_err)
        })
        .await
    }

    async fn write_seed(&self, batch: Batch, watch: Vec<WatchSource>) -> StoreResult<WriteReport> {
        batch
            .validate()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.write_with(move |c| watch::write_seed(c, &batch, &watch))
            .await
    }

    async fn missing(&self, ids: Vec<NodeId>) -> StoreResult<Vec<NodeId>> {
        self.read(move |c| read::missing(c, ids)).await
    }

    async fn counts(&self) -> StoreResult<Counts> {
        self.read(read::counts).await
    }

    async fn revision(&self) -> StoreResult<u64> {
        self.read(read::revision).await
    }

    async fn dump(&self) -> StoreResult<Batch> {
        self.read(read::dump).await
    }

    async fn needs(&self, ids: Vec<NeedId>) -> StoreResult<Vec<Need>> {
        self.read(move |c| read::docs_by_id(c, "needs", &strings(ids)))
            .await
    }

    async fn narrower_needs(&self, ids: Vec<NeedId>) -> StoreResult<Vec<(NeedId, Need)>> {
        self.read(move |c| read::narrower_needs(c, &strings(ids)))
            .await
    }

    async fn list_needs(&self, filter: NeedFilter, page: PageRequest) -> StoreResult<Page<Need>> {
        self.read(move |c| read::list_needs(c, &filter, &page))
            .await
    }

    async fn publishers(&self, ids: Vec<PublisherId>) -> StoreResult<Vec<Publisher>> {
        self.read(move |c| read::docs_by_id(c, "publishers", &strings(ids)))
            .await
    }

    async fn solutions(&self, ids: Vec<SolutionId>) -> StoreResult<Vec<Solution>> {
        self.read(move |c| read::docs_by_id(c, "solutions", &strings(ids)))
            .await
    }

    async fn list_solutions(
        &self,
        filter: SolutionFilter,
        sort: SolutionSort,
        page: PageRequest,
    ) -> StoreResult<Page<Solution>> {
        self.read(move |c| read::list_solutions(c, &filter, sort, &page))
            .await
    }

    async fn solutions_by_need(
        &self,
        needs: Vec<NeedId>,
        filter: SolutionFilter,
        sort: SolutionSort,
        first: usize,
    ) -> StoreResult<Vec<(NeedId, Page<Solution>)>> {
        self.read(move |c| read::solutions_by_need(c, &strings(needs), &filter, sort, first))
            .await
    }

    async fn alternatives_of(&self, ids: Vec<SolutionId>) -> StoreResult<Vec<Alternative>> {
        self.read(move |c| read::alternatives_of(c, &strings(ids)))
            .await
    }

    async fn collectivities(&self, ids: Vec<CollectivityId>) -> StoreResult<Vec<Collectivity>> {
        self.read(move |c| read::docs_by_id(c, "collectivities", &strings(ids)))
            .await
    }

    async fn list_collectivities(
        &self,
        filter: CollectivityFilter,
        sort: CollectivitySort,
        page: PageRequest,
    ) -> StoreResult<Page<Collectivity>> {
        self.read(move |c| read::list_collectivities(c, &filter, sort, &page))
            .await
    }

    async fn adoptions(&self, ids: Vec<AdoptionId>) -> StoreResult<Vec<Adoption>> {
        self.read(move |c| read::docs_by_id(c, "adoptions", &strings(ids)))
            .await
    }

    async fn list_adoptions(
        &self,
        filter: AdoptionFilter,
        sort: AdoptionSort,
        page: PageRequest,
    ) -> StoreResult<Page<Adoption>> {
        self.read(move |c| read::list_adoptions(c, &filter, sort, &page))
            .await
    }

    async fn adoptions_by_parent(
        &self,
        parent: AdoptionParent,
        ids: Vec<String>,
        filter: AdoptionFilter,
        sort: AdoptionSort,
        first: usize,
    ) -> StoreResult<Vec<(String, Page<Adoption>)>> {
        self.read(move |c| read::adoptions_by_parent(c, parent, &ids, &filter, sort, first))
            .await
    }

    async fn outcomes(&self, ids: Vec<OutcomeId>) -> StoreResult<Vec<Outcome>> {
        self.read(move |c| read::docs_by_id(c, "outcomes", &strings(ids)))
            .await
    }

    async fn outcomes_of(&self, adoptions: Vec<AdoptionId>) -> StoreResult<Vec<Outcome>> {
        self.read(move |c| read::outcomes_of(c, &strings(adoptions)))
            .await
    }

    async fn sources(&self, ids: Vec<SourceId>) -> StoreResult<Vec<Source>> {
        self.read(move |c| read::docs_by_id(c, "sources", &strings(ids)))
            .await
    }

    async fn list_sources(&self, page: PageRequest) -> StoreResult<Page<Source>> {
        self.read(move |c| read::list_sources(c, &page)).await
    }

    async fn citations_of(&self, subjects: Vec<NodeId>) -> StoreResult<Vec<Citation>> {
        self.read(move |c| read::citations_of(c, &strings(subjects)))
            .await
    }

    async fn citation_counts(&self, sources: Vec<SourceId>) -> StoreResult<Vec<(SourceId, u64)>> {
        self.read(move |c| read::citation_counts(c, &strings(sources)))
            .await
    }

    async fn contributions(&self, ids: Vec<ContributionId>) -> StoreResult<Vec<Contribution>> {
        self.read(move |c| read::docs_by_id(c, "contributions", &strings(ids)))
            .await
    }

    async fn contributions_for(
        &self,
        collectivities: Vec<CollectivityId>,
        solutions: Vec<SolutionId>,
    ) -> StoreResult<Vec<Contribution>> {
        self.read(move |c| {
            read::contributions_for(c, &strings(collectivities), &strings(solutions))
        })
        .await
    }

    async fn search(
        &self,
        terms: Vec<String>,
        kinds: Vec<EntityKind>,
        limit: usize,
    ) -> StoreResult<Vec<SearchHit>> {
        self.read(move |c| read::search(c, &terms, &kinds, limit))
            .await
    }

    // Release watch ------------------------------------------------------------------------

    async fn upsert_watch_sources(&self, sources: Vec<WatchSource>) -> StoreResult<WriteReport> {
        self.write_with(move |c| watch::upsert_sources(c, &sources))
            .await
    }

    async fn watch_sources_due(
        &self,
        due_by: Option<DateTime<Utc>>,
    ) -> StoreResult<Vec<WatchTarget>> {
        self.read(move |c| watch::sources_due(c, due_by)).await
    }

    async fn record_poll(&self, poll: PollRecord) -> StoreResult<Vec<Release>> {
        self.write_with(move |c| watch::record_poll(c, poll)).await
    }

    async fn releases(
        &self,
        filter: ReleaseFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Release>> {
        self.read(move |c| watch::releases(c, &filter, &page)).await
    }

    async fn release_cycles_for(
        &self,
        solutions: Vec<SolutionId>,
    ) -> StoreResult<Vec<ReleaseCycle>> {
        self.read(move |c| watch::cycles_for(c, &strings(solutions)))
            .await
    }

    async fn latest_releases(&self) -> StoreResult<Vec<(SolutionId, DateTime<Utc>)>> {
        self.read(watch::latest_releases).await
    }

    async fn watch_status(&self) -> StoreResult<Vec<WatchStatus>> {
        self.read(watch::status).await
    }

    async fn watch_sources(&self, ids: Vec<WatchSourceId>) -> StoreResult<Vec<WatchSource>> {
        self.read(move |c| access::watch_sources(c, &strings(ids)))
            .await
    }

    // Access and history -------------------------------------------------------------------

    async fn create_token(&self, token: Token, hash: TokenHash) -> StoreResult<()> {
        self.write_with(move |c| access::create_token(c, &token, &hash))
            .await
    }

    async fn find_token_by_hash(&self, hash: TokenHash) -> StoreResult<Option<Token>> {
        self.read(move |c| access::find_token(c, &hash)).await
    }

    async fn list_tokens(&self) -> StoreResult<Vec<Token>> {
        self.read(access::list_tokens).await
    }

    async fn revoke_token(&self, id: TokenId, at: DateTime<Utc>) -> StoreResult<bool> {
        self.write_with(move |c| access::revoke_token(c, &id, at))
            .await
    }

    async fn write_change(&self, change: Change) -> StoreResult<ChangeReceipt> {
        change
            .batch
            .validate()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.write_with(move |c| access::write_change(c, &change))
            .await
    }

    async fn write_watch_change(&self, change: WatchChange) -> StoreResult<WatchReceipt> {
        self.write_with(move |c| access::write_watch_change(c, &change))
            .await
    }

    async fn history_of(
        &self,
        subject: ChangeSubject,
        page: PageRequest,
    ) -> StoreResult<Page<HistoryEntry>> {
        self.read(move |c| access::history_of(c, &subject, &page))
            .await
    }
}
