//! Analyses over the whole graph: peers, peer experience, adoption paths, the selection
//! procedure, continuity risk and computed statistics.
//!
//! Pure Rust over an in-memory [`Index`] built from [`Store::dump`], so every backend answers
//! the same way. The index is cached and rebuilt when [`Store::revision`] changes; building it
//! runs on a blocking thread, one build at a time, and queries arriving during a rebuild are
//! answered from the previous index (see [`Analysis`]).
//!
//! - [`peers`]: similarity between collectivities (formula and weights documented there).
//! - [`evidence`]: the evidence score, experience, selection advice.
//! - [`paths`]: adoption paths, in tiers.
//! - [`relevance`]: how alike an adopter is to the asker.
//! - [`explain`]: a score's parts in words, in French and English.
//! - [`risk`]: continuity risk, as reasons.
//! - [`stats`]: computed statistics.

mod build;
pub mod counts;
pub mod csr;
pub mod evidence;
pub mod explain;
pub mod index;
pub mod ix;
pub mod memo;
pub mod paths;
pub mod peer_facts;
pub mod peers;
pub mod pool;
pub mod release;
pub mod relevance;
pub mod risk;
pub mod search;
pub mod stats;
pub mod totals;
pub mod weights;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub use index::Index;

use crate::store::{Store, StoreError, StoreResult};

/// A rebuild expected to take less than this (judged by the last one) is waited for by the
/// query that starts it; a longer one runs in the background while queries are answered from
/// the previous index.
pub const WAIT_FOR_BUILDS_UNDER_MS: u64 = 1_000;

/// Anonymous readers are answered from an index built less than this long ago even when the
/// store has moved since: under a stream of writes, the index is rebuilt at most about once
/// per period instead of after every write (readers see how fresh it is in
/// `X-Retex-Index-Revision`). Callers who ask for the freshest index (writers reading their
/// own writes) do not wait for the period.
pub const REBUILD_AT_MOST_EVERY: Duration = Duration::from_secs(1);

/// The analyses' entry point: the store and its cached index.
///
/// Rebuilds are coalesced: at most one runs at a time, and a query arriving while one runs is
/// answered from the previous index at once (never waiting behind writers). The query that
/// starts a rebuild waits for it when the last one took under [`WAIT_FOR_BUILDS_UNDER_MS`],
/// so a client reading after its own write, with no rebuild already running, reads it; a
/// slower rebuild (tens of seconds at national scale) always runs in the background. For
/// anonymous readers ([`Freshness::Recent`]) an index younger than [`REBUILD_AT_MOST_EVERY`]
/// still answers. Memory: the index answering, the one being built and the store dump it is
/// built from, never more. [`Analysis::is_current`] says whether the index matches a revision
/// and [`Analysis::index_revision`] which revision it was built at.
pub struct Analysis {
    store: Arc<dyn Store>,
    /// The index answering, and when it was installed.
    current: RwLock<Option<(Arc<Index>, Instant)>>,
    building: Arc<tokio::sync::Mutex<()>>,
    last_build_ms: AtomicU64,
}

/// How fresh an index a caller needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// The store's current revision when a rebuild can be waited for (writers reading their
    /// own writes, the explorer).
    Current,
    /// An index at most [`REBUILD_AT_MOST_EVERY`] old will do (anonymous API readers).
    Recent,
}

/// What answering a query now takes.
enum Plan {
    /// This index answers at once.
    Serve(Arc<Index>),
    /// A rebuild must start; `previous` answers meanwhile unless the rebuild is waited for.
    Build {
        previous: Option<Arc<Index>>,
        wait: bool,
    },
}

impl Analysis {
    /// Analyses over `store`; the index is built on first use.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            current: RwLock::new(None),
            building: Arc::new(tokio::sync::Mutex::new(())),
            last_build_ms: AtomicU64::new(0),
        }
    }

    fn latest(&self) -> Option<Arc<Index>> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|(ix, _)| ix.clone())
    }

    /// The index built at `revision`, today (release data is judged on the day of the build).
    fn cached(&self, revision: u64) -> Option<Arc<Index>> {
        let today = chrono::Utc::now().date_naive();
        self.latest()
            .filter(|ix| ix.revision == revision && ix.built_on == today)
    }

    /// Whether the index in memory, if any, was built at `revision` today (true when none is
    /// built: the next query builds it).
    pub fn is_current(&self, revision: u64) -> bool {
        self.latest().is_none() || self.cached(revision).is_some()
    }

    /// The store revision the index in memory was built at, if one is built.
    pub fn index_revision(&self) -> Option<u64> {
        self.latest().map(|ix| ix.revision)
    }

    /// The index of the store's current revision, built if needed; while a rebuild runs, the
    /// previous index (see [`Analysis`]).
    pub async fn index(self: &Arc<Self>) -> StoreResult<Arc<Index>> {
        self.index_for(Freshness::Current).await
    }

    /// The index answering a caller who needs `freshness`, built if needed (see [`Analysis`]).
    pub async fn index_for(self: &Arc<Self>, freshness: Freshness) -> StoreResult<Arc<Index>> {
        let revision = self.store.revision().await?;
        self.index_at(revision, freshness).await
    }

    /// [`Analysis::index_for`] when the caller has read the store's revision already (the HTTP
    /// layer reads it once per request, mostly from memory), so it is not asked again.
    pub async fn index_at(
        self: &Arc<Self>,
        revision: u64,
        freshness: Freshness,
    ) -> StoreResult<Arc<Index>> {
        let (previous, wait) = match self.plan(revision, freshness) {
            Plan::Serve(ix) => return Ok(ix),
            Plan::Build { previous, wait } => (previous, wait),
        };
        let Some(previous) = previous else {
            return self.first_build().await;
        };
        let Some(build) = self.start_build() else {
            return Ok(previous);
        };
        if !wait {
            return Ok(previous);
        }
        match build.await {
            Ok(Ok(index)) => Ok(index),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "cannot rebuild the analysis index");
                Ok(previous)
            }
            Err(e) => Err(StoreError::Internal(format!(
                "building the analysis index: {e}"
            ))),
        }
    }

    /// The revision of the index an anonymous query arriving now, with the store at
    /// `revision`, is answered from without waiting for a rebuild (one is started in the
    /// background when due); `None` when that query would wait for a rebuild (or for the first
    /// build). Lets the HTTP layer serve answers kept for that index.
    pub fn answering_without_wait(self: &Arc<Self>, revision: u64) -> Option<u64> {
        match self.plan(revision, Freshness::Recent) {
            Plan::Serve(ix) => Some(ix.revision),
            Plan::Build {
                previous: Some(previous),
                wait: false,
            } => {
                self.start_build();
                Some(previous.revision)
            }
            Plan::Build { .. } => None,
        }
    }

    fn plan(&self, revision: u64, freshness: Freshness) -> Plan {
        if let Some(ix) = self.cached(revision) {
            return Plan::Serve(ix);
        }
        let Some(previous) = self.latest() else {
            return Plan::Build {
                previous: None,
                wait: true,
            };
        };
        let today = chrono::Utc::now().date_naive();
        let young = self
            .current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .is_some_and(|(_, at)| at.elapsed() < REBUILD_AT_MOST_EVERY);
        if (freshness == Freshness::Recent && young && previous.built_on == today)
            || self.building.try_lock().is_err()
        {
            return Plan::Serve(previous);
        }
        Plan::Build {
            previous: Some(previous),
            wait: self.last_build_ms.load(Ordering::Relaxed) < WAIT_FOR_BUILDS_UNDER_MS,
        }
    }

    /// Waits for the first index. The build runs as a task of its own, so a caller that gives
    /// up (a request timing out while a large store is read) does not cancel it: the next
    /// caller finds it built, or still running, instead of starting over.
    async fn first_build(self: &Arc<Self>) -> StoreResult<Arc<Index>> {
        if let Some(build) = self.start_build() {
            return finished(build).await;
        }
        // One runs already: its task holds the build lock until it ends.
        drop(self.building.lock().await);
        if let Some(index) = self.latest() {
            return Ok(index);
        }
        // It failed: try again, in a task started for this caller.
        match self.start_build() {
            Some(build) => finished(build).await,
            None => Err(StoreError::Internal(
                "the analysis index could not be built".into(),
            )),
        }
    }

    /// Starts building the index in the background (unless a build runs already), so that
    /// the first query does not start it.
    pub fn warm_up(self: &Arc<Self>) {
        drop(self.start_build());
    }

    /// Starts a rebuild in the background unless one runs already.
    fn start_build(self: &Arc<Self>) -> Option<tokio::task::JoinHandle<StoreResult<Arc<Index>>>> {
        let guard = self.building.clone().try_lock_owned().ok()?;
        let this = self.clone();
        Some(tokio::spawn(async move {
            let built = this.build().await;
            drop(guard);
            built
        }))
    }

    /// Builds the index of the current revision unless it is already built (the caller holds
    /// the build lock).
    async fn build(&self) -> StoreResult<Arc<Index>> {
        let revision = self.store.revision().await?;
        if let Some(ix) = self.cached(revision) {
            return Ok(ix);
        }
        let started = Instant::now();
        let batch = self.store.dump().await?;
        let solutions = batch.solutions.iter().map(|s| s.id.clone()).collect();
        let cycles = self.store.release_cycles_for(solutions).await?;
        let latest = self.store.latest_releases().await?;
        let today = chrono::Utc::now().date_naive();
        let index = tokio::task::spawn_blocking(move || {
            let mut index = Index::build(batch, revision);
            index.add_release_data(&cycles, &latest, today);
            index
        })
        .await
        .map_err(|e| StoreError::Internal(format!("building the analysis index: {e}")))?;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        self.last_build_ms.store(elapsed_ms, Ordering::Relaxed);
        tracing::info!(
            revision,
            adoptions = index.adoptions.len(),
            elapsed_ms,
            "built the analysis index"
        );
        let index = Arc::new(index);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) =
            Some((index.clone(), Instant::now()));
        Ok(index)
    }
}

/// What a build task gave.
async fn finished(
    build: tokio::task::JoinHandle<StoreResult<Arc<Index>>>,
) -> StoreResult<Arc<Index>> {
    build
        .await
        .map_err(|e| StoreError::Internal(format!("building the analysis index: {e}")))?
}
