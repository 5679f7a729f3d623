//! The Neo4j store: the same graph on a Bolt server (Neo4j 4.4/5.x, a causal cluster through
//! `neo4j://`, or ArcadeDB's Bolt plugin), through neo4rs.
//!
//! Each node keeps its canonical JSON document (`doc`, the source of truth the read side
//! deserialises) and its content hash (`hash`), plus readable typed properties and the
//! relationships described in `schema/neo4j/README.md`, so analysts can query the graph
//! directly. All Cypher lives in [`cypher`]; constraints and indexes are applied at start-up
//! from `schema/neo4j/`.

mod access;
pub mod cypher;
mod listing;
mod read;
mod watch;
mod write;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use neo4rs::{ConfigBuilder, Graph, Query, Row};

use chrono::{DateTime, Utc};

use super::{
    AdoptionFilter, AdoptionParent, AdoptionSort, Change, ChangeReceipt, CollectivityFilter,
    CollectivitySort, Counts, NeedFilter, Page, PageRequest, ReleaseFilter, SearchHit,
    SolutionFilter, SolutionSort, Store, StoreError, StoreResult, WatchChange, WatchReceipt,
    WriteReport,
};
use crate::domain::ChangeSubject;
use crate::domain::{
    Adoption, AdoptionId, Alternative, Batch, Citation, Collectivity, CollectivityId, Contribution,
    ContributionId, EntityKind, HistoryEntry, Need, NeedId, NodeId, Outcome, OutcomeId, PollRecord,
    Publisher, PublisherId, Release, ReleaseCycle, Solution, SolutionId, Source, SourceId, Token,
    TokenHash, TokenId, WatchSource, WatchSourceId, WatchStatus, WatchTarget,
};

/// How long one store call may take before the server counts as unavailable.
const CALL_TIMEOUT: Duration = Duration::from_secs(20);
/// How long writing one batch may take (large imports write many thousand rows).
const WRITE_TIMEOUT: Duration = Duration::from_secs(600);
/// How long opening a connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Most connections in the pool.
const MAX_CONNECTIONS: usize = 16;

/// Where and how to reach the Bolt server. The password never appears in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Neo4jConfig {
    /// `bolt://host:7687`, `neo4j://host:7687` (a routed cluster), or their `+s`/`+ssc` forms.
    pub uri: String,
    /// The user.
    pub user: String,
    /// The password.
    pub password: String,
    /// The database, when not the server's default.
    pub database: Option<String>,
}

impl fmt::Debug for Neo4jConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Neo4jConfig")
            .field("uri", &self.uri)
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .field("database", &self.database)
            .finish()
    }
}

impl Neo4jConfig {
    /// Whether `spec` names a Bolt server rather than a file.
    pub fn is_bolt_uri(spec: &str) -> bool {
        [
            "bolt://",
            "bolt+s://",
            "bolt+ssc://",
            "neo4j://",
            "neo4j+s://",
            "neo4j+ssc://",
        ]
        .iter()
        .any(|scheme| spec.starts_with(scheme))
    }
}

/// The Neo4j store.
#[derive(Clone)]
pub struct Neo4jStore {
    graph: Graph,
    uri: String,
}

/// Maps a driver error: connection trouble makes the store unavailable, the rest is internal.
pub(crate) fn map_err(e: neo4rs::Error) -> StoreError {
    use neo4rs::Error as E;
    match &e {
        E::IOError { .. }
        | E::ConnectionError
        | E::ConnectionTimedOut
        | E::ServerUnavailableError(_)
        | E::RoutingTableError(_)
        | E::RoutingTableRefreshFailed(_)
        | E::IncompleteBoltExchange
        | E::RequestIgnoredError
        | E::AuthenticationError(_)
        | E::ProtocolMismatch(_)
        | E::UnsupportedVersion(..) => StoreError::Unavailable(e.to_string()),
        E::Neo4j(inner) if matches!(inner.kind(), neo4rs::Neo4jErrorKind::Transient) => {
            StoreError::Unavailable(e.to_string())
        }
        E::Neo4j(inner) if inner.code().contains("Security") => {
            StoreError::Unavailable(e.to_string())
        }
        _ => StoreError::Internal(e.to_string()),
    }
}

/// A row's column, or a corrupt-store error naming it.
pub(crate) fn get<T: serde::de::DeserializeOwned>(row: &Row, column: &str) -> StoreResult<T> {
    row.get::<T>(column)
        .map_err(|e| StoreError::Corrupt(format!("column `{column}` does not read: {e}")))
}

/// Runs `call` with the store's time limit; running out of time means the server is away.
async fn timed<T>(call: impl std::future::Future<Output = StoreResult<T>>) -> StoreResult<T> {
    timed_for(CALL_TIMEOUT, call).await
}

/// Runs `call` with a time limit; a write cut short is rolled back by the server when its
/// connection drops.
async fn timed_for<T>(
    limit: Duration,
    call: impl std::future::Future<Output = StoreResult<T>>,
) -> StoreResult<T> {
    tokio::time::timeout(limit, call).await.unwrap_or_else(|_| {
        Err(StoreError::Unavailable(format!(
            "the Bolt server did not answer within {}s",
            limit.as_secs()
        )))
    })
}

impl Neo4jStore {
    /// Connects, checks that the server answers, and applies the constraints and indexes.
    pub async fn open(config: &Neo4jConfig) -> StoreResult<Self> {
        let mut builder = ConfigBuilder::default()
            .uri(config.uri.as_str())
            .user(config.user.as_str())
            .password(config.password.as_str())
            .max_connections(MAX_CONNECTIONS)
            .connection_timeout(CONNECT_TIMEOUT)
            .fetch_size(500);
        if let Some(db) = &config.database {
            builder = builder.db(db.as_str());
        }
        let built = builder.build().map_err(|e| {
            StoreError::Unavailable(format!(
                "invalid Bolt configuration for {}: {e}",
                config.uri
            ))
        })?;
        let graph = Graph::connect(built).map_err(|e| {
            StoreError::Unavailable(format!("cannot connect to {}: {e}", config.uri))
        })?;
        let store = Self {
            graph,
            uri: config.uri.clone(),
        };
        store.health().await.map_err(|e| match e {
            StoreError::Unavailable(m) => {
                StoreError::Unavailable(format!("cannot reach {}: {m}", config.uri))
            }
            other => other,
        })?;
        timed(store.migrate()).await?;
        Ok(store)
    }

    /// The driver's connection pool.
    pub(crate) fn graph(&self) -> &Graph {
        &self.graph
    }

    /// The server's address.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    async fn migrate(&self) -> StoreResult<()> {
        for statement in migration_statements(cypher::MIGRATION) {
            self.graph
                .run(neo4rs::query(&statement))
                .await
                .map_err(|e| match map_err(e) {
                    StoreError::Internal(m) => {
                        StoreError::Internal(format!("migration step `{statement}` failed: {m}"))
                    }
                    other => other,
                })?;
        }
        Ok(())
    }

    /// Runs a read query and collects its rows.
    pub(crate) async fn rows(&self, q: Query) -> StoreResult<Vec<Row>> {
        timed(async {
            let mut stream = self.graph.execute_read(q).await.map_err(map_err)?;
            let mut rows = Vec::new();
            while let Some(row) = stream.next().await.map_err(map_err)? {
                rows.push(row);
            }
            Ok(rows)
        })
        .await
    }

    /// Deletes every node and relationship, a few thousand at a time: for tests and benchmarks
    /// on a scratch database.
    pub async fn clear(&self) -> StoreResult<()> {
        loop {
            let rows = timed_for(WRITE_TIMEOUT, async {
                let mut stream = self
                    .graph
                    .execute(neo4rs::query(cypher::CLEAR_SOME))
                    .await
                    .map_err(map_err)?;
                let mut rows = Vec::new();
                while let Some(row) = stream.next().await.map_err(map_err)? {
                    rows.push(row);
                }
                Ok(rows)
            })
            .await?;
            let deleted = match rows.first() {
                Some(row) => get::<i64>(row, "n")?,
                None => 0,
            };
            if deleted == 0 {
                break;
            }
        }
        timed(async {
            self.graph
                .run(neo4rs::query(cypher::RESET_REVISION))
                .await
                .map(|_| ())
                .map_err(map_err)
        })
        .await
    }
}

/// The statements of a migration file: `;` at the end of a line ends one; `//` lines are comments.
fn migration_statements(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        current.push_str(line);
        current.push(' ');
        if line.ends_with(';') {
            out.push(current.trim().trim_end_matches(';').to_owned());
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out
}

fn strings<T: ToString>(ids: Vec<T>) -> Vec<String> {
    ids.into_iter().map(|i| i.to_string()).collect()
}

#[async_trait]
impl Store for Neo4jStore {
    async fn health(&self) -> StoreResult<()> {
        self.rows(neo4rs::query(cypher::PING)).await.map(|_| ())
    }

    async fn write_seed(&self, batch: Batch, watch: Vec<WatchSource>) -> StoreResult<WriteReport> {
        batch
            .validate()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        timed_for(WRITE_TIMEOUT, watch::write_seed(self, batch, watch)).await
    }

    async fn missing(&self, ids: Vec<NodeId>) -> StoreResult<Vec<NodeId>> {
        read::missing(self, ids).await
    }

    async fn counts(&self) -> StoreResult<Counts> {
        read::counts(self).await
    }

    async fn revision(&self) -> StoreResult<u64> {
        read::revision(self).await
    }

    async fn dump(&self) -> StoreResult<Batch> {
        read::dump(self).await
    }

    async fn needs(&self, ids: Vec<NeedId>) -> StoreResult<Vec<Need>> {
        read::docs_by_id(self, "Need", strings(ids)).await
    }

    async fn narrower_needs(&self, ids: Vec<NeedId>) -> StoreResult<Vec<(NeedId, Need)>> {
        read::narrower_needs(self, strings(ids)).await
    }

    async fn list_needs(&self, filter: NeedFilter, page: PageRequest) -> StoreResult<Page<Need>> {
        read::list_needs(self, &filter, &page).await
    }

    async fn publishers(&self, ids: Vec<PublisherId>) -> StoreResult<Vec<Publisher>> {
        read::docs_by_id(self, "Publisher", strings(ids)).await
    }

    async fn solutions(&self, ids: Vec<SolutionId>) -> StoreResult<Vec<Solution>> {
        read::docs_by_id(self, "Solution", strings(ids)).await
    }

    async fn list_solutions(
        &self,
        filter: SolutionFilter,
        sort: SolutionSort,
        page: PageRequest,
    ) -> StoreResult<Page<Solution>> {
        read::list_solutions(self, &filter, sort, &page).await
    }

    async fn solutions_by_need(
        &self,
        needs: Vec<NeedId>,
        filter: SolutionFilter,
        sort: SolutionSort,
        first: usize,
    ) -> StoreResult<Vec<(NeedId, Page<Solution>)>> {
        read::solutions_by_need(self, needs, &filter, sort, first).await
    }

    async fn alternatives_of(&self, ids: Vec<SolutionId>) -> StoreResult<Vec<Alternative>> {
        read::alternatives_of(self, strings(ids)).await
    }

    async fn collectivities(&self, ids: Vec<CollectivityId>) -> StoreResult<Vec<Collectivity>> {
        read::docs_by_id(self, "Collectivity", strings(ids)).await
    }

    async fn list_collectivities(
        &self,
        filter: CollectivityFilter,
        sort: CollectivitySort,
        page: PageRequest,
    ) -> StoreResult<Page<Collectivity>> {
        read::list_collectivities(self, &filter, sort, &page).await
    }

    async fn adoptions(&self, ids: Vec<AdoptionId>) -> StoreResult<Vec<Adoption>> {
        read::docs_by_id(self, "Adoption", strings(ids)).await
    }

    async fn list_adoptions(
        &self,
        filter: AdoptionFilter,
        sort: AdoptionSort,
        page: PageRequest,
    ) -> StoreResult<Page<Adoption>> {
        read::list_adoptions(self, &filter, sort, &page).await
    }

    async fn adoptions_by_parent(
        &self,
        parent: AdoptionParent,
        ids: Vec<String>,
        filter: AdoptionFilter,
        sort: AdoptionSort,
        first: usize,
    ) -> StoreResult<Vec<(String, Page<Adoption>)>> {
        read::adoptions_by_parent(self, parent, ids, &filter, sort, first).await
    }

    async fn outcomes(&self, ids: Vec<OutcomeId>) -> StoreResult<Vec<Outcome>> {
        read::docs_by_id(self, "Outcome", strings(ids)).await
    }

    async fn outcomes_of(&self, adoptions: Vec<AdoptionId>) -> StoreResult<Vec<Outcome>> {
        read::outcomes_of(self, strings(adoptions)).await
    }

    async fn sources(&self, ids: Vec<SourceId>) -> StoreResult<Vec<Source>> {
        read::docs_by_id(self, "Source", strings(ids)).await
    }

    async fn list_sources(&self, page: PageRequest) -> StoreResult<Page<Source>> {
        read::list_sources(self, &page).await
    }

    async fn citations_of(&self, subjects: Vec<NodeId>) -> StoreResult<Vec<Citation>> {
        read::citations_of(self, subjects).await
    }

    async fn citation_counts(&self, sources: Vec<SourceId>) -> StoreResult<Vec<(SourceId, u64)>> {
        read::citation_counts(self, strings(sources)).await
    }

    async fn contributions(&self, ids: Vec<ContributionId>) -> StoreResult<Vec<Contribution>> {
        read::docs_by_id(self, "Contribution", strings(ids)).await
    }

    async fn contributions_for(
        &self,
        collectivities: Vec<CollectivityId>,
        solutions: Vec<SolutionId>,
    ) -> StoreResult<Vec<Contribution>> {
        read::contributions_for(self, strings(collectivities), strings(solutions)).await
    }

    async fn search(
        &self,
        terms: Vec<String>,
        kinds: Vec<EntityKind>,
        limit: usize,
    ) -> StoreResult<Vec<SearchHit>> {
        read::search(self, terms, kinds, limit).await
    }

    // Access and history ---------------------------------------------------------------

    async fn create_token(&self, token: Token, hash: TokenHash) -> StoreResult<()> {
        timed(access::create_token(self, token, hash)).await
    }

    async fn find_token_by_hash(&self, hash: TokenHash) -> StoreResult<Option<Token>> {
        timed(access::find_token(self, hash)).await
    }

    async fn list_tokens(&self) -> StoreResult<Vec<Token>> {
        access::list_tokens(self).await
    }

    async fn revoke_token(&self, id: TokenId, at: DateTime<Utc>) -> StoreResult<bool> {
        timed(access::revoke_token(self, id, at)).await
    }

    async fn write_change(&self, change: Change) -> StoreResult<ChangeReceipt> {
        change
            .batch
            .validate()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        timed_for(WRITE_TIMEOUT, access::write_change(self, change)).await
    }

    async fn write_watch_change(&self, change: WatchChange) -> StoreResult<WatchReceipt> {
        timed(access::write_watch_change(self, change)).await
    }

    async fn history_of(
        &self,
        subject: ChangeSubject,
        page: PageRequest,
    ) -> StoreResult<Page<HistoryEntry>> {
        access::history_of(self, subject, page).await
    }

    // Release watch ------------------------------------------------------------------------

    async fn upsert_watch_sources(&self, sources: Vec<WatchSource>) -> StoreResult<WriteReport> {
        timed_for(WRITE_TIMEOUT, watch::upsert_sources(self, sources)).await
    }

    async fn watch_sources_due(
        &self,
        due_by: Option<DateTime<Utc>>,
    ) -> StoreResult<Vec<WatchTarget>> {
        watch::sources_due(self, due_by).await
    }

    async fn record_poll(&self, poll: PollRecord) -> StoreResult<Vec<Release>> {
        timed(watch::record_poll(self, poll)).await
    }

    async fn releases(
        &self,
        filter: ReleaseFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Release>> {
        watch::releases(self, filter, page).await
    }

    async fn release_cycles_for(
        &self,
        solutions: Vec<SolutionId>,
    ) -> StoreResult<Vec<ReleaseCycle>> {
        watch::cycles_for(self, strings(solutions)).await
    }

    async fn latest_releases(&self) -> StoreResult<Vec<(SolutionId, DateTime<Utc>)>> {
        watch::latest_releases(self).await
    }

    async fn watch_status(&self) -> StoreResult<Vec<WatchStatus>> {
        watch::status(self).await
    }

    async fn watch_sources(&self, ids: Vec<WatchSourceId>) -> StoreResult<Vec<WatchSource>> {
        read::docs_by_id(self, "WatchSource", strings(ids)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_never_printed() {
        let config = Neo4jConfig {
            uri: "bolt://localhost:7687".into(),
            user: "neo4j".into(),
            password: "s3cret".into(),
            database: None,
        };
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("s3cret") && shown.contains("redacted"),
            "{shown}"
        );
    }

    #[test]
    fn the_migration_splits_into_statements() {
        let statements = migration_statements(cypher::MIGRATION);
        assert!(statements.len() > 8);
        assert!(statements
            .iter()
            .all(|s| !s.ends_with(';') && !s.starts_with("//")));
    }

    #[test]
    fn bolt_uris_are_told_from_paths() {
        assert!(Neo4jConfig::is_bolt_uri("bolt://h:7687"));
        assert!(Neo4jConfig::is_bolt_uri("neo4j+s://cluster"));
        assert!(!Neo4jConfig::is_bolt_uri("retex.db"));
    }
}
