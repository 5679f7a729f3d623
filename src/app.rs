//! Putting the pieces together: open the store, seed it when it is empty, build the schema.

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::{self, Limits};
use crate::export::PublishedExport;
use crate::http::{AppState, DEFAULT_MAX_BODY};
use crate::import::{self, ImportError};
use crate::store::neo4j::{Neo4jConfig, Neo4jStore};
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, StoreError, WriteReport};

/// Release events a slow subscriber may fall behind by before it misses some.
const EVENT_CAPACITY: usize = 1_024;

/// Which store to open: the embedded SQLite file, or a Bolt server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreSpec {
    /// The embedded store's file.
    Sqlite(PathBuf),
    /// A Neo4j (or other Bolt) server.
    Neo4j(Neo4jConfig),
}

impl StoreSpec {
    /// Reads `--store`: a `bolt://`, `neo4j://` (or `+s`/`+ssc`) URL names a server, anything
    /// else a file. User, password and database apply to servers only.
    pub fn parse(
        spec: &str,
        user: Option<String>,
        password: Option<String>,
        database: Option<String>,
    ) -> Self {
        if Neo4jConfig::is_bolt_uri(spec) {
            StoreSpec::Neo4j(Neo4jConfig {
                uri: spec.to_owned(),
                user: user.unwrap_or_else(|| "neo4j".to_owned()),
                password: password.unwrap_or_default(),
                database: database.filter(|d| !d.is_empty()),
            })
        } else {
            StoreSpec::Sqlite(PathBuf::from(spec))
        }
    }

    /// Where the downloadable export is kept by default: beside the embedded store's file
    /// (`<file>.export`), or `retex.export` in the working folder for a server.
    pub fn default_export_dir(&self) -> PathBuf {
        match self {
            StoreSpec::Sqlite(path) => {
                let mut name = path.clone().into_os_string();
                name.push(".export");
                PathBuf::from(name)
            }
            StoreSpec::Neo4j(_) => PathBuf::from("retex.export"),
        }
    }

    /// Where the store is, for logs (never the password).
    pub fn describe(&self) -> String {
        match self {
            StoreSpec::Sqlite(path) => path.display().to_string(),
            StoreSpec::Neo4j(c) => match &c.database {
                Some(db) => format!("{} (database {db})", c.uri),
                None => c.uri.clone(),
            },
        }
    }
}

impl From<PathBuf> for StoreSpec {
    fn from(path: PathBuf) -> Self {
        StoreSpec::Sqlite(path)
    }
}

/// Opens the store a spec names (the embedded file is created when missing).
pub async fn open_store(spec: &StoreSpec) -> Result<Arc<dyn Store>, StartError> {
    Ok(match spec {
        StoreSpec::Sqlite(path) => Arc::new(SqliteStore::open(path).await?),
        StoreSpec::Neo4j(config) => Arc::new(Neo4jStore::open(config).await?),
    })
}

/// How to start the application.
#[derive(Debug, Clone)]
pub struct Config {
    /// The store.
    pub store: StoreSpec,
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
            store: StoreSpec::Sqlite(store.into()),
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
    Store(StoreError),
    /// The seed could not be loaded.
    #[error("cannot load the seed: {0}")]
    Seed(ImportError),
}

// Written by hand rather than with `#[from]`: the message already holds the cause, and a
// `source` would make `{:#}` print it twice.
impl From<StoreError> for StartError {
    fn from(e: StoreError) -> Self {
        StartError::Store(e)
    }
}

impl From<ImportError> for StartError {
    fn from(e: ImportError) -> Self {
        StartError::Seed(e)
    }
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
    let store = open_store(&config.store).await?;
    if let Some(seed) = &config.seed {
        seed_if_empty(store.as_ref(), seed).await?;
    }
    let export_dir = config
        .export_dir
        .clone()
        .unwrap_or_else(|| config.store.default_export_dir());
    let events = crate::watch::release_events(EVENT_CAPACITY);
    Ok(AppState {
        schema: api::build_schema_with_events(store.clone(), config.limits, events.clone()),
        exports: Arc::new(PublishedExport::new(store.clone(), export_dir)),
        store,
        max_body: config.max_body,
        events,
    })
}
