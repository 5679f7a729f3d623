//! The storage boundary: what the rest of retex may ask of a store, in the domain's words.
//!
//! Two backends implement [`Store`]: the embedded SQLite store ([`sqlite`], the default) and
//! the Neo4j store ([`neo4j`], any Bolt server). Neither SQL nor Cypher crosses this boundary; resolvers and importers only see
//! domain types, filters and pages.

mod copy;
pub mod neo4j;
mod page;
pub(crate) mod shared;
pub mod sqlite;

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::{
    Adoption, AdoptionId, AdoptionStatus, Alternative, Batch, Citation, Collectivity,
    CollectivityId, CollectivityKind, Contribution, ContributionId, EntityKind, MaintenanceStatus,
    Need, NeedId, NodeId, Outcome, OutcomeId, OutcomeKind, Publisher, PublisherId, Solution,
    SolutionId, SolutionKind, Source, SourceId,
};
use crate::domain::{ChangeAction, ChangeSubject, HistoryEntry, Token, TokenHash, TokenId};
use crate::domain::{
    PollRecord, Release, ReleaseCycle, WatchSource, WatchSourceId, WatchStatus, WatchTarget,
};

pub use copy::{content_digest, copy_graph, store_digest, CopyReport};
pub use page::{Cursor, Page, PageRequest, SortValue};
pub use shared::{
    collectivity_search_text, fnv1a_64, need_label_text, need_search_text, solution_search_text,
    version_of, version_text,
};

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store cannot be reached or opened right now.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// Another process holds a lock on the store.
    #[error("store is locked by another process: {0}")]
    Locked(String),
    /// The store's file is not a database of ours, or is damaged.
    #[error("store is corrupt or not a retex store: {0}")]
    Corrupt(String),
    /// A batch refers to nodes that exist neither in it nor in the store.
    #[error("{0}")]
    MissingReference(String),
    /// A batch breaks a rule of the domain.
    #[error("{0}")]
    Invalid(String),
    /// A versioned write found the node in another state than expected (or an idempotency
    /// key already used for another node).
    #[error("{0}")]
    Conflict(String),
    /// Anything else; details are for the log.
    #[error("store error: {0}")]
    Internal(String),
}

/// One change of one node, written with its history entry in one transaction.
#[derive(Debug, Clone)]
pub struct Change {
    /// The node changed.
    pub node: NodeId,
    /// The new state: the node itself, and any citations or dependent nodes.
    pub batch: Batch,
    /// The version the author saw; `None` for a creation (the node must not exist yet).
    pub expected_version: Option<String>,
    /// Who changes it.
    pub author: TokenId,
    /// What is done.
    pub action: ChangeAction,
    /// Why.
    pub comment: Option<String>,
    /// A key the author gives so a retried creation is done once (scoped to the author).
    pub idempotency_key: Option<String>,
}

/// What a versioned write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeReceipt {
    /// The node written.
    pub node: NodeId,
    /// Its version now.
    pub version: String,
    /// True when the idempotency key had been used already: nothing was written again.
    pub replayed: bool,
}

/// One change of one watch source through the API, written with its history entry in one
/// transaction (the watch source's counterpart of [`Change`]).
#[derive(Debug, Clone)]
pub struct WatchChange {
    /// The source's new state (a changed URL forgets its validators; a retired source is
    /// never due again).
    pub source: WatchSource,
    /// The version the author saw; `None` for a creation (the source must not exist yet).
    pub expected_version: Option<String>,
    /// Who changes it.
    pub author: TokenId,
    /// What is done.
    pub action: ChangeAction,
    /// Why.
    pub comment: Option<String>,
    /// A key the author gives so a retried creation is done once (scoped to the author).
    pub idempotency_key: Option<String>,
}

/// What a versioned watch-source write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchReceipt {
    /// The source written (on a replay: the one the key created first).
    pub source: WatchSourceId,
    /// Its version now.
    pub version: String,
    /// True when the idempotency key had been used already: nothing was written again.
    pub replayed: bool,
}

/// What a write did, per kind of node.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WriteReport {
    /// Counts per kind of node (`solution`, `adoption`...), plus `citation`.
    pub kinds: BTreeMap<String, KindReport>,
}

/// Counts of one kind of node in a write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KindReport {
    /// Nodes that did not exist.
    pub created: u64,
    /// Nodes that existed with other content.
    pub updated: u64,
    /// Nodes that existed with the same content.
    pub unchanged: u64,
}

impl WriteReport {
    /// Adds one node's fate to the report.
    pub fn count(&mut self, kind: &str, fate: Fate) {
        let entry = self.kinds.entry(kind.to_owned()).or_default();
        match fate {
            Fate::Created => entry.created += 1,
            Fate::Updated => entry.updated += 1,
            Fate::Unchanged => entry.unchanged += 1,
        }
    }

    /// Adds another write's counts to this report, kind by kind.
    pub fn absorb(&mut self, other: WriteReport) {
        for (kind, k) in other.kinds {
            let entry = self.kinds.entry(kind).or_default();
            entry.created += k.created;
            entry.updated += k.updated;
            entry.unchanged += k.unchanged;
        }
    }

    /// True when nothing was created or updated.
    pub fn is_no_op(&self) -> bool {
        self.kinds
            .values()
            .all(|k| k.created == 0 && k.updated == 0)
    }
}

/// What happened to one node in a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// It was new.
    Created,
    /// It changed.
    Updated,
    /// It was already there, the same.
    Unchanged,
}

/// Filter on needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NeedFilter {
    /// Only the needs directly under this one.
    pub broader: Option<NeedId>,
    /// Only needs that have no broader need.
    pub top_level: bool,
    /// Only needs whose labels match this text.
    pub text: Option<String>,
    /// Whether retired needs are listed too (they are left out by default).
    pub include_retired: bool,
}

/// Filter on solutions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SolutionFilter {
    /// Only these kinds (all when empty).
    pub kinds: Vec<SolutionKind>,
    /// Only these maintenance statuses (all when empty).
    pub statuses: Vec<MaintenanceStatus>,
    /// Only solutions serving this need...
    pub need: Option<NeedId>,
    /// ...or, when true, any need narrower than it.
    pub include_narrower: bool,
    /// Only solutions whose licence expression names this SPDX id (case-insensitive).
    pub licence: Option<String>,
    /// Only solutions of this publisher.
    pub publisher: Option<PublisherId>,
    /// Only solutions matching this text.
    pub text: Option<String>,
}

/// Sort order of solutions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SolutionSort {
    /// By name, accent- and case-insensitive.
    #[default]
    Name,
    /// By id.
    Id,
}

/// Filter on collectivities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CollectivityFilter {
    /// Only these kinds (all when empty).
    pub kinds: Vec<CollectivityKind>,
    /// Only this country (ISO code).
    pub country: Option<String>,
    /// Only bodies with at least this population.
    pub population_min: Option<u64>,
    /// Only bodies with at most this population.
    pub population_max: Option<u64>,
    /// Only bodies directly under this one.
    pub parent: Option<CollectivityId>,
    /// Only bodies of this department code.
    pub department: Option<String>,
    /// Only bodies matching this text.
    pub text: Option<String>,
}

/// Sort order of collectivities.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum CollectivitySort {
    /// By name.
    #[default]
    Name,
    /// Largest population first (unknown last).
    PopulationDesc,
}

/// Filter on adoptions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AdoptionFilter {
    /// Only adoptions of this solution.
    pub solution: Option<SolutionId>,
    /// Only adoptions for this need...
    pub need: Option<NeedId>,
    /// ...or, when true, any need narrower than it.
    pub include_narrower: bool,
    /// Only adoptions by this collectivity.
    pub collectivity: Option<CollectivityId>,
    /// Only these statuses (all when empty).
    pub statuses: Vec<AdoptionStatus>,
    /// Only adoptions with at least one outcome of these kinds (no constraint when empty).
    pub outcome_kinds: Vec<OutcomeKind>,
}

/// Sort order of adoptions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum AdoptionSort {
    /// By id.
    #[default]
    Id,
    /// Most recent start first (unknown last).
    StartedDesc,
}

/// What adoptions are grouped by when several parents' first pages are fetched at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdoptionParent {
    /// Grouped by collectivity.
    Collectivity,
    /// Grouped by solution.
    Solution,
    /// Grouped by need (direct need only).
    Need,
}

/// A node found by text search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The node.
    pub id: NodeId,
    /// What it is called.
    pub label: String,
    /// Relevance, higher is better.
    pub score: f64,
}

/// How many nodes of each kind the store holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Count per kind prefix (`need`, `solution`...), plus `citation`.
    pub kinds: BTreeMap<String, u64>,
}

/// Filter on releases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ReleaseFilter {
    /// Only releases of these solutions (all when empty).
    pub solutions: Vec<SolutionId>,
    /// Only releases published (or first seen) at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Whether pre-releases are included.
    pub include_prereleases: bool,
}

/// Result alias for store calls.
pub type StoreResult<T> = Result<T, StoreError>;

/// Everything retex asks of a store. Lookups by id return the nodes found, in any order;
/// unknown ids are simply absent. A method written from others has a default here (a backend
/// implements only what it must).
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Checks that the store answers.
    async fn health(&self) -> StoreResult<()>;
    /// Writes a batch in one transaction: all of it, or nothing (a seed without watch sources).
    async fn write(&self, batch: Batch) -> StoreResult<WriteReport> {
        self.write_seed(batch, Vec::new()).await
    }
    /// Writes a seed in one transaction: its batch and the declarations of its release-watch
    /// sources (which may follow the batch's solutions), all of it or nothing.
    async fn write_seed(&self, batch: Batch, watch: Vec<WatchSource>) -> StoreResult<WriteReport>;
    /// The ids, among these, that the store does not hold.
    async fn missing(&self, ids: Vec<NodeId>) -> StoreResult<Vec<NodeId>>;
    /// How many nodes of each kind the store holds.
    async fn counts(&self) -> StoreResult<Counts>;
    /// A number that grows with every write that changed something (for caches of derived data).
    async fn revision(&self) -> StoreResult<u64>;
    /// The whole graph as one batch, every list ordered by id (for migration, export and analysis).
    async fn dump(&self) -> StoreResult<Batch>;

    /// Needs by id.
    async fn needs(&self, ids: Vec<NeedId>) -> StoreResult<Vec<Need>>;
    /// Needs directly narrower than these, as (broader, narrower) pairs.
    async fn narrower_needs(&self, ids: Vec<NeedId>) -> StoreResult<Vec<(NeedId, Need)>>;
    /// A page of needs.
    async fn list_needs(&self, filter: NeedFilter, page: PageRequest) -> StoreResult<Page<Need>>;

    /// Publishers by id.
    async fn publishers(&self, ids: Vec<PublisherId>) -> StoreResult<Vec<Publisher>>;

    /// Solutions by id.
    async fn solutions(&self, ids: Vec<SolutionId>) -> StoreResult<Vec<Solution>>;
    /// A page of solutions.
    async fn list_solutions(
        &self,
        filter: SolutionFilter,
        sort: SolutionSort,
        page: PageRequest,
    ) -> StoreResult<Page<Solution>>;
    /// The first page of solutions for each of several needs (the filter's own need is ignored).
    async fn solutions_by_need(
        &self,
        needs: Vec<NeedId>,
        filter: SolutionFilter,
        sort: SolutionSort,
        first: usize,
    ) -> StoreResult<Vec<(NeedId, Page<Solution>)>>;
    /// The alternatives in which any of these solutions is the libre or the proprietary side.
    async fn alternatives_of(&self, ids: Vec<SolutionId>) -> StoreResult<Vec<Alternative>>;

    /// Collectivities by id.
    async fn collectivities(&self, ids: Vec<CollectivityId>) -> StoreResult<Vec<Collectivity>>;
    /// A page of collectivities.
    async fn list_collectivities(
        &self,
        filter: CollectivityFilter,
        sort: CollectivitySort,
        page: PageRequest,
    ) -> StoreResult<Page<Collectivity>>;

    /// Adoptions by id.
    async fn adoptions(&self, ids: Vec<AdoptionId>) -> StoreResult<Vec<Adoption>>;
    /// A page of adoptions.
    async fn list_adoptions(
        &self,
        filter: AdoptionFilter,
        sort: AdoptionSort,
        page: PageRequest,
    ) -> StoreResult<Page<Adoption>>;
    /// The first page of adoptions for each of several parents.
    async fn adoptions_by_parent(
        &self,
        parent: AdoptionParent,
        ids: Vec<String>,
        filter: AdoptionFilter,
        sort: AdoptionSort,
        first: usize,
    ) -> StoreResult<Vec<(String, Page<Adoption>)>>;

    /// Outcomes by id.
    async fn outcomes(&self, ids: Vec<OutcomeId>) -> StoreResult<Vec<Outcome>>;
    /// The outcomes of these adoptions.
    async fn outcomes_of(&self, adoptions: Vec<AdoptionId>) -> StoreResult<Vec<Outcome>>;

    /// Sources by id.
    async fn sources(&self, ids: Vec<SourceId>) -> StoreResult<Vec<Source>>;
    /// A page of sources, by id.
    async fn list_sources(&self, page: PageRequest) -> StoreResult<Page<Source>>;
    /// The citations of these nodes.
    async fn citations_of(&self, subjects: Vec<NodeId>) -> StoreResult<Vec<Citation>>;
    /// How many nodes cite each of these sources.
    async fn citation_counts(&self, sources: Vec<SourceId>) -> StoreResult<Vec<(SourceId, u64)>>;

    /// Contributions by id.
    async fn contributions(&self, ids: Vec<ContributionId>) -> StoreResult<Vec<Contribution>>;
    /// The contributions made by any of these collectivities or to any of these solutions, by id.
    async fn contributions_for(
        &self,
        collectivities: Vec<CollectivityId>,
        solutions: Vec<SolutionId>,
    ) -> StoreResult<Vec<Contribution>>;

    /// Nodes of these kinds (all when empty) whose text matches every search term, best first
    /// by the backend's full-text relevance. The server ranks from the analysis index instead
    /// (`analysis::search`, the same words); this is the store's own answer, for tools that
    /// read a store without building an index.
    async fn search(
        &self,
        terms: Vec<String>,
        kinds: Vec<EntityKind>,
        limit: usize,
    ) -> StoreResult<Vec<SearchHit>>;

    // Release watch ------------------------------------------------------------------------
    // Watch sources, their poll state, releases and release cycles: not graph nodes, but
    // tables of their own that refer to solutions.

    /// Declares watch sources, by id (created, updated or unchanged); poll state is kept,
    /// validators are forgotten when a source's URL changes.
    async fn upsert_watch_sources(&self, sources: Vec<WatchSource>) -> StoreResult<WriteReport>;
    /// The sources due for a poll at `due_by` (every source when `None`), most overdue first,
    /// with the validators of their last answer.
    async fn watch_sources_due(
        &self,
        due_by: Option<DateTime<Utc>>,
    ) -> StoreResult<Vec<WatchTarget>>;
    /// Records one poll in one transaction: the source's state, its releases (each stored
    /// once) and its release cycles; moves the revision on when a release or a cycle is new
    /// or changed (the analyses judge them). Returns the releases that were new.
    async fn record_poll(&self, poll: PollRecord) -> StoreResult<Vec<Release>>;
    /// A page of releases, newest first (by publication, else by when first seen).
    async fn releases(
        &self,
        filter: ReleaseFilter,
        page: PageRequest,
    ) -> StoreResult<Page<Release>>;
    /// The release cycles of these solutions: fetched by the watch, and imported (product
    /// cycles of endoflife.date's dataset) where the watch has no such cycle; ordered by
    /// solution, product and cycle.
    async fn release_cycles_for(
        &self,
        solutions: Vec<SolutionId>,
    ) -> StoreResult<Vec<ReleaseCycle>>;
    /// The date of each solution's newest release that is not a pre-release (published, else
    /// first seen), by solution id.
    async fn latest_releases(&self) -> StoreResult<Vec<(SolutionId, DateTime<Utc>)>>;
    /// Where every watch source stands, by id (retired ones included, marked).
    async fn watch_status(&self) -> StoreResult<Vec<WatchStatus>>;
    /// Watch sources by id (retired ones included).
    async fn watch_sources(&self, ids: Vec<WatchSourceId>) -> StoreResult<Vec<WatchSource>>;
    // End of release watch -----------------------------------------------------------------

    // Access and history -------------------------------------------------------------------
    // Write tokens (only their keyed hash is kept) and the history of every change made
    // through the API.

    /// Stores a new token under its hash (never its plaintext).
    async fn create_token(&self, token: Token, hash: TokenHash) -> StoreResult<()>;
    /// The token with this hash, revoked or expired ones included.
    async fn find_token_by_hash(&self, hash: TokenHash) -> StoreResult<Option<Token>>;
    /// Every token, oldest first.
    async fn list_tokens(&self) -> StoreResult<Vec<Token>>;
    /// Revokes a token; false when no token has this id.
    async fn revoke_token(&self, id: TokenId, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Writes a change in one transaction: checks the idempotency key (a replay answers the
    /// first receipt, when it named a node of the same kind; another kind is a conflict), then that the node's current version is the expected one (else
    /// [`StoreError::Conflict`]), writes the batch and records the history entry.
    async fn write_change(&self, change: Change) -> StoreResult<ChangeReceipt>;
    /// Writes a change of a watch source in one transaction, as [`Store::write_change`] does
    /// for nodes: idempotency key (a key used for a graph node is a conflict), expected
    /// version (the source's content hash), the upsert (validators forgotten when the URL
    /// changes), and the history entry.
    async fn write_watch_change(&self, change: WatchChange) -> StoreResult<WatchReceipt>;
    /// A page of the changes of a node or watch source, newest first (by the store's change
    /// sequence, which is unique: no ties); cursors carry the sequence number.
    async fn history_of(
        &self,
        subject: ChangeSubject,
        page: PageRequest,
    ) -> StoreResult<Page<HistoryEntry>>;
    // End of access and history ------------------------------------------------------------
}
