//! Putting the pieces together: open the store, seed it when it is empty, build the schema.

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::{self, Limits};
use crate::export::PublishedExport;
use crate::http::{AppState, DEFAULT_MAX_BODY};
use crate::import::{self, ImportError};
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, StoreError, WriteReport};

/// Release events a slow subscriber may fall behind by before it misses some.
const EVENT_CAPACITY: usize = 1_024;

/// How to start the application.
#[derive(Debug, Clone)]
pub struct Config {
    /// The embedded store's file.
    pub store: PathBuf,
    /// The seed to load into an empty store, if any.
    pub seed: Option<PathBuf>,
    /// Query limits.
    pub limits: Limits,
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Where the downloadable export is kept (default: beside the store, `<store>.export`).
    pub export_dir: Option<PathBuf>,
}

impl Config {
    /// A configuration with defaults for everything but the store.
    pub fn new(store: impl Into<PathBuf>) -> Self {
        Self {
            store: store.into(),
            seed: None,
            limits: Limits::default(),
            max_body: DEFAULT_MAX_BODY,
            export_dir: None,
        }
    }
}

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The store could not be opened.
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    /// The seed could not be loaded.
    #[error("cannot load the seed: {0}")]
    Seed(#[from] ImportError),
}

/// Loads the seed when the store holds no node at all; returns what was written, if anything.
pub async fn seed_if_empty(
    store: &dyn Store,
    seed: &std::path::Path,
) -> Result<Option<WriteReport>, StartError> {
    let counts = store.counts().await?;
    if counts.kinds.values().any(|n| *n > 0) {
        return Ok(None);
    }
    if !seed.exists() {
        tracing::warn!(seed = %seed.display(), "the store is empty and there is no seed to load");
        return Ok(None);
    }
    let report = import::import_path(store, seed).await?;
    tracing::info!(seed = %seed.display(), "loaded the seed into the empty store");
    Ok(Some(report))
}

/// Opens the store, seeds it if it is empty, and builds the application's shared state.
pub async fn prepare(config: &Config) -> Result<AppState, StartError> {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&config.store).await?);
    if let Some(seed) = &config.seed {
        seed_if_empty(store.as_ref(), seed).await?;
    }
    let export_dir = config.export_dir.clone().unwrap_or_else(|| {
        let mut name = config.store.clone().into_os_string();
        name.push(".export");
        PathBuf::from(name)
    });
    let events = crate::watch::release_events(EVENT_CAPACITY);
    let analysis = Arc::new(crate::analysis::Analysis::new(store.clone()));
    Ok(AppState {
        schema: api::build_schema_sharing(
            store.clone(),
            config.limits,
            events.clone(),
            analysis.clone(),
        ),
        analysis,
        exports: Arc::new(PublishedExport::new(store.clone(), export_dir)),
        store,
        max_body: config.max_body,
        events,
    })
}
