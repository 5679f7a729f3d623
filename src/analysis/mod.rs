//! Analyses over the whole graph: peers, peer experience, adoption paths, the selection
//! procedure, continuity risk and computed statistics.
//!
//! Pure Rust over an in-memory [`Index`] built from [`Store::dump`], so every backend answers
//! the same way. The index is cached and rebuilt when [`Store::revision`] changes; building it
//! runs on a blocking thread, and concurrent queries wait for one build rather than starting
//! their own.
//!
//! - [`peers`]: similarity between collectivities (formula and weights documented there).
//! - [`evidence`]: the evidence score, experience, adoption paths, selection advice.
//! - [`risk`]: continuity risk, as reasons.
//! - [`stats`]: computed statistics.

pub mod evidence;
pub mod index;
pub mod peers;
pub mod risk;
pub mod stats;

use std::sync::{Arc, RwLock};

pub use index::Index;

use crate::store::{Store, StoreError, StoreResult};

/// The analyses' entry point: the store and its cached index.
pub struct Analysis {
    store: Arc<dyn Store>,
    current: RwLock<Option<Arc<Index>>>,
    building: tokio::sync::Mutex<()>,
}

impl Analysis {
    /// Analyses over `store`; the index is built on first use.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            current: RwLock::new(None),
            building: tokio::sync::Mutex::new(()),
        }
    }

    fn cached(&self, revision: u64) -> Option<Arc<Index>> {
        let guard = self.current.read().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().filter(|ix| ix.revision == revision).cloned()
    }

    /// The index of the store's current revision, built if needed.
    pub async fn index(&self) -> StoreResult<Arc<Index>> {
        let revision = self.store.revision().await?;
        if let Some(ix) = self.cached(revision) {
            return Ok(ix);
        }
        let _one_build = self.building.lock().await;
        let revision = self.store.revision().await?;
        if let Some(ix) = self.cached(revision) {
            return Ok(ix);
        }
        let started = std::time::Instant::now();
        let batch = self.store.dump().await?;
        let index = tokio::task::spawn_blocking(move || Index::build(batch, revision))
            .await
            .map_err(|e| StoreError::Internal(format!("building the analysis index: {e}")))?;
        tracing::info!(
            revision,
            adoptions = index.adoptions.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "built the analysis index"
        );
        let index = Arc::new(index);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(index.clone());
        Ok(index)
    }
}
