//! Putting the pieces together: open the store, seed it when it is empty, build the schema;
//! and issuing write tokens, for the command line and the tests alike.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::api::{self, Limits};
use crate::domain::{CollectivityId, Scope, Token, TokenId, TokenSecret};
use crate::export::PublishedExport;
use crate::http::{AppState, DEFAULT_MAX_BODY, DEFAULT_REQUEST_TIMEOUT};
use crate::import::{self, Curated, ImportError};
use crate::metrics::{InstrumentedStore, Metrics};
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

    /// The path the token secret file is named after when `RETEX_TOKEN_SECRET` is not set:
    /// the embedded store's file (`<file>.token-secret`), or `retex` in the working folder.
    pub fn secret_base(&self) -> PathBuf {
        match self {
            StoreSpec::Sqlite(path) => path.clone(),
            StoreSpec::Neo4j(_) => PathBuf::from("retex"),
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
    /// The seed to load into an empty store (the built-in one, or a folder), if any.
    pub seed: Option<Curated>,
    /// Query limits.
    pub limits: Limits,
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Where the downloadable export is kept (default: beside the store, `<store>.export`).
    pub export_dir: Option<PathBuf>,
    /// The secret write tokens are hashed under (`RETEX_TOKEN_SECRET`); by default one is
    /// kept beside the store, in `<store>.token-secret`.
    pub token_secret: Option<String>,
    /// Longest time one GraphQL request may take.
    pub request_timeout: Duration,
    /// Origins allowed by CORS (none: CORS off).
    pub cors_origins: Vec<String>,
    /// Room for answers to anonymous read queries, in bytes (0: none kept).
    pub response_cache_bytes: u64,
    /// Most rows of each kind kept for anonymous readers per store revision (0: none).
    pub node_cache_entries: u64,
    /// Reverse proxies whose `X-Forwarded-For` names the client (none: the header is ignored).
    pub trusted_proxies: crate::http::client::TrustedProxies,
    /// Largest answer to one GraphQL request, in bytes.
    pub max_response_bytes: usize,
    /// Most WebSocket operations running at once per client address, over all its
    /// connections (0: no cap).
    pub ws_operations_per_address: usize,
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
            token_secret: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            cors_origins: Vec::new(),
            response_cache_bytes: crate::http::responses::DEFAULT_CAPACITY_BYTES,
            node_cache_entries: crate::api::node_cache::DEFAULT_ENTRIES,
            trusted_proxies: Default::default(),
            max_response_bytes: crate::http::limits::DEFAULT_MAX_RESPONSE,
            ws_operations_per_address: crate::http::ws::DEFAULT_OPERATIONS_PER_ADDRESS,
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
    /// The token secret could not be read or created.
    #[error("cannot read or create the token secret {path}: {error}")]
    Secret {
        /// The secret's file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
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

/// Shortest `RETEX_TOKEN_SECRET` accepted, in bytes.
const MIN_SECRET: usize = 16;

/// The secret tokens are hashed under: the configured one, else the one kept beside the store
/// (created with 32 random bytes, readable by its owner only, on first use).
pub fn token_secret(store: &Path, configured: Option<&str>) -> Result<TokenSecret, StartError> {
    if let Some(secret) = configured.filter(|s| !s.is_empty()) {
        if secret.len() < MIN_SECRET {
            tracing::warn!("RETEX_TOKEN_SECRET is shorter than {MIN_SECRET} bytes");
        }
        return Ok(TokenSecret::new(secret));
    }
    let mut name = store.to_owned().into_os_string();
    name.push(".token-secret");
    let path = PathBuf::from(name);
    let fail = |error| StartError::Secret {
        path: path.clone(),
        error,
    };
    match std::fs::read_to_string(&path) {
        Ok(secret) if secret.trim().len() >= MIN_SECRET => {
            return Ok(TokenSecret::new(secret.trim()))
        }
        Ok(_) => return Err(fail(std::io::Error::other("the secret file is too short"))),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(fail(e)),
        Err(_) => {}
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| fail(std::io::Error::other(e.to_string())))?;
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    write_private(&path, &secret).map_err(fail)?;
    tracing::info!(path = %path.display(), "created the token secret");
    Ok(TokenSecret::new(&secret))
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

/// Why a token could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The request for a token breaks a rule.
    #[error("{0}")]
    Invalid(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates a token: stores its hash, answers it with its plaintext (to be shown once).
pub async fn issue_token(
    store: &dyn Store,
    secret: &TokenSecret,
    collectivity: Option<CollectivityId>,
    scopes: Vec<Scope>,
    label: Option<String>,
    expires: Option<DateTime<Utc>>,
) -> Result<(Token, String), TokenError> {
    if let Some(c) = &collectivity {
        if store.collectivities(vec![c.clone()]).await?.is_empty() {
            return Err(TokenError::Invalid(format!(
                "no collectivity has the id {c}"
            )));
        }
    }
    let invalid = |e: crate::domain::ValidationError| TokenError::Invalid(e.0);
    let token = Token {
        id: TokenId::generate().map_err(invalid)?,
        collectivity,
        scopes,
        label,
        created: Utc::now(),
        expires,
        revoked: None,
    };
    token.validate().map_err(invalid)?;
    let (plaintext, hash) = secret.generate().map_err(invalid)?;
    store.create_token(token.clone(), hash).await?;
    Ok((token, plaintext))
}

/// Loads the seed when the store holds no node at all; returns what was written, if anything.
/// A seed folder that does not exist is an error, whether the store is empty or not.
pub async fn seed_if_empty(
    store: &dyn Store,
    seed: &Curated,
) -> Result<Option<WriteReport>, StartError> {
    seed.check_exists()?;
    let counts = store.counts().await?;
    if counts.kinds.values().any(|n| *n > 0) {
        return Ok(None);
    }
    let report = match seed {
        Curated::Embedded => import::seed::load_embedded(store).await?,
        Curated::Path(path) => import::import_path(store, path).await?,
    };
    tracing::info!(seed = %seed.describe(), "loaded the seed into the empty store");
    Ok(Some(report))
}

/// Opens the store, seeds it if it is empty, and builds the application's shared state.
pub async fn prepare(config: &Config) -> Result<AppState, StartError> {
    let metrics = Arc::new(Metrics::default());
    let inner = open_store(&config.store).await?;
    let instrumented = InstrumentedStore::new(inner, metrics.clone());
    let store_signals = instrumented.signals();
    let store: Arc<dyn Store> = Arc::new(instrumented);
    crate::http::health::spawn_checks(Arc::downgrade(&store), store_signals.clone());
    let token_secret = token_secret(&config.store.secret_base(), config.token_secret.as_deref())?;
    if let Some(seed) = &config.seed {
        seed_if_empty(store.as_ref(), seed).await?;
    }
    let export_dir = config
        .export_dir
        .clone()
        .unwrap_or_else(|| config.store.default_export_dir());
    let events = crate::watch::release_events(EVENT_CAPACITY);
    let analysis = Arc::new(crate::analysis::Analysis::new(store.clone()));
    let api::Schemas { strict, fast } = api::build_schemas(
        store.clone(),
        config.limits,
        events.clone(),
        analysis.clone(),
        config.node_cache_entries,
    );
    Ok(AppState {
        pricer: Arc::new(api::price::Pricer::from_sdl(&strict.sdl())),
        schema: strict,
        fast_schema: fast,
        analysis,
        exports: Arc::new(PublishedExport::new(store.clone(), export_dir)),
        store,
        max_body: config.max_body,
        events,
        token_secret,
        max_fields: config.limits.fields,
        max_complexity: config.limits.complexity,
        max_response: config.max_response_bytes,
        request_timeout: config.request_timeout,
        cors_origins: config.cors_origins.clone(),
        metrics,
        documents: Arc::new(crate::http::documents::Documents::new(
            crate::http::documents::DEFAULT_CAPACITY_BYTES,
        )),
        responses: Arc::new(crate::http::responses::Responses::new(
            config.response_cache_bytes,
        )),
        trusted_proxies: Arc::new(config.trusted_proxies.clone()),
        revisions: Arc::new(crate::http::revision::RevisionClock::new(
            store_signals.clone(),
        )),
        store_signals,
        ws_operations: Arc::new(crate::http::ws::AddressOperations::new(
            config.ws_operations_per_address,
        )),
    })
}
