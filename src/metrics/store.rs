//! A store decorator counting every call, by method, for `/metrics`.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::Metrics;
use crate::domain::*;
use crate::store::*;

/// Wraps a store; every trait method delegates and is counted (see `counted_store!`). What the calls reveal is kept
/// in [`StoreSignals`]: whether the store answered the last call, and how many writes this
/// process has made.
pub struct InstrumentedStore {
    inner: Arc<dyn Store>,
    metrics: Arc<Metrics>,
    signals: Arc<StoreSignals>,
}

/// What the store's calls tell without asking it: whether it answered the last call (an
/// unreachable store fails its calls with `Unavailable`), and a counter of this process's
/// writes, which caches of the store's revision compare to know they are out of date.
#[derive(Debug)]
pub struct StoreSignals {
    reachable: AtomicBool,
    writes: AtomicU64,
}

impl Default for StoreSignals {
    fn default() -> Self {
        Self {
            reachable: AtomicBool::new(true),
            writes: AtomicU64::new(0),
        }
    }
}

impl StoreSignals {
    /// Whether the last call the store answered succeeded (or failed for another reason than
    /// being unreachable).
    pub fn reachable(&self) -> bool {
        self.reachable.load(Ordering::Relaxed)
    }

    /// Records what a health check or a call found.
    pub fn set_reachable(&self, reachable: bool) {
        self.reachable.store(reachable, Ordering::Relaxed);
    }

    /// Writes made through this process so far (finished or failed).
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }

    /// Counts one write (done by the decorator after each writing call).
    pub fn count_write(&self) {
        self.writes.fetch_add(1, Ordering::Release);
    }
}

impl InstrumentedStore {
    /// Counts the calls made to `inner` into `metrics`.
    pub fn new(inner: Arc<dyn Store>, metrics: Arc<Metrics>) -> Self {
        Self {
            inner,
            metrics,
            signals: Arc::new(StoreSignals::default()),
        }
    }

    /// What the calls reveal, shared with the HTTP layer (health, revision cache).
    pub fn signals(&self) -> Arc<StoreSignals> {
        self.signals.clone()
    }

    /// Times one call under `method`'s name; a call that may change the graph (`writes`)
    /// counts one write in the signals, whether it succeeded or not.
    async fn timed<T>(
        &self,
        method: &'static str,
        writes: bool,
        call: impl Future<Output = StoreResult<T>>,
    ) -> StoreResult<T> {
        let started = Instant::now();
        let result = call.await;
        if writes {
            self.signals.count_write();
        }
        match &result {
            Err(StoreError::Unavailable(_)) => self.signals.set_reachable(false),
            Ok(_) => self.signals.set_reachable(true),
            Err(_) => {}
        }
        self.metrics
            .store_call(method, result.is_ok(), started.elapsed());
        result
    }
}

/// Writes the decorator's [`Store`] implementation from the list of the trait's methods: each
/// delegates to the inner store and is timed under its own name; those marked `write` (the
/// methods that may change the graph, and so its revision) also count one write in
/// [`StoreSignals`]. A method missing from the list is a compile error, unless the trait has a
/// default for it, which then runs through the counted methods it is written with.
macro_rules! counted_store {
    ($($access:ident $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        #[async_trait]
        impl Store for InstrumentedStore {
            $(
                async fn $name(&self, $($arg: $ty),*) -> StoreResult<$ret> {
                    self.timed(
                        stringify!($name),
                        counted_store!(@writes $access),
                        self.inner.$name($($arg),*),
                    )
                    .await
                }
            )*
        }
    };
    (@writes read) => { false };
    (@writes write) => { true };
}

counted_store! {
    read health() -> ();
    write write(batch: Batch) -> WriteReport;
    write write_seed(batch: Batch, watch: Vec<WatchSource>) -> WriteReport;
    read missing(ids: Vec<NodeId>) -> Vec<NodeId>;
    read counts() -> Counts;
    read revision() -> u64;
    read dump() -> Batch;
    read needs(ids: Vec<NeedId>) -> Vec<Need>;
    read narrower_needs(ids: Vec<NeedId>) -> Vec<(NeedId, Need)>;
    read list_needs(filter: NeedFilter, page: PageRequest) -> Page<Need>;
    read publishers(ids: Vec<PublisherId>) -> Vec<Publisher>;
    read solutions(ids: Vec<SolutionId>) -> Vec<Solution>;
    read list_solutions(filter: SolutionFilter, sort: SolutionSort, page: PageRequest)
        -> Page<Solution>;
    read solutions_by_need(needs: Vec<NeedId>, filter: SolutionFilter, sort: SolutionSort,
        first: usize) -> Vec<(NeedId, Page<Solution>)>;
    read alternatives_of(ids: Vec<SolutionId>) -> Vec<Alternative>;
    read collectivities(ids: Vec<CollectivityId>) -> Vec<Collectivity>;
    read list_collectivities(filter: CollectivityFilter, sort: CollectivitySort,
        page: PageRequest) -> Page<Collectivity>;
    read adoptions(ids: Vec<AdoptionId>) -> Vec<Adoption>;
    read list_adoptions(filter: AdoptionFilter, sort: AdoptionSort, page: PageRequest)
        -> Page<Adoption>;
    read adoptions_by_parent(parent: AdoptionParent, ids: Vec<String>, filter: AdoptionFilter,
        sort: AdoptionSort, first: usize) -> Vec<(String, Page<Adoption>)>;
    read outcomes(ids: Vec<OutcomeId>) -> Vec<Outcome>;
    read outcomes_of(adoptions: Vec<AdoptionId>) -> Vec<Outcome>;
    read sources(ids: Vec<SourceId>) -> Vec<Source>;
    read list_sources(page: PageRequest) -> Page<Source>;
    read citations_of(subjects: Vec<NodeId>) -> Vec<Citation>;
    read citation_counts(sources: Vec<SourceId>) -> Vec<(SourceId, u64)>;
    read contributions(ids: Vec<ContributionId>) -> Vec<Contribution>;
    read contributions_for(collectivities: Vec<CollectivityId>, solutions: Vec<SolutionId>)
        -> Vec<Contribution>;
    read search(terms: Vec<String>, kinds: Vec<EntityKind>, limit: usize) -> Vec<SearchHit>;
    write upsert_watch_sources(sources: Vec<WatchSource>) -> WriteReport;
    read watch_sources_due(due_by: Option<DateTime<Utc>>) -> Vec<WatchTarget>;
    write record_poll(poll: PollRecord) -> Vec<Release>;
    read releases(filter: ReleaseFilter, page: PageRequest) -> Page<Release>;
    read release_cycles_for(solutions: Vec<SolutionId>) -> Vec<ReleaseCycle>;
    read latest_releases() -> Vec<(SolutionId, DateTime<Utc>)>;
    read watch_status() -> Vec<WatchStatus>;
    read watch_sources(ids: Vec<WatchSourceId>) -> Vec<WatchSource>;
    write create_token(token: Token, hash: TokenHash) -> ();
    read find_token_by_hash(hash: TokenHash) -> Option<Token>;
    read list_tokens() -> Vec<Token>;
    write revoke_token(id: TokenId, at: DateTime<Utc>) -> bool;
    write write_change(change: Change) -> ChangeReceipt;
    write write_watch_change(change: WatchChange) -> WatchReceipt;
    read history_of(subject: ChangeSubject, page: PageRequest) -> Page<HistoryEntry>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;

    #[tokio::test]
    async fn every_writing_call_counts_a_write_and_reads_count_none() {
        let dir = tempfile::tempdir().unwrap();
        let inner = SqliteStore::open(dir.path().join("retex.db"))
            .await
            .unwrap();
        let metrics = Arc::new(Metrics::default());
        let store = InstrumentedStore::new(Arc::new(inner), metrics.clone());
        let signals = store.signals();
        store.counts().await.unwrap();
        store.revision().await.unwrap();
        assert_eq!(signals.writes(), 0);
        store.write(Batch::default()).await.unwrap();
        store.upsert_watch_sources(Vec::new()).await.unwrap();
        store
            .write_seed(Batch::default(), Vec::new())
            .await
            .unwrap();
        assert_eq!(signals.writes(), 3);
        let text = metrics.render();
        for method in ["write", "write_seed", "upsert_watch_sources", "counts"] {
            assert!(
                text.contains(&format!("method=\"{method}\",result=\"ok\"}} 1")),
                "{method} in {text}"
            );
        }
    }
}
