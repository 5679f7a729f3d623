//! Spawning the real application on a loopback port with a temporary store, and speaking
//! GraphQL to it over HTTP.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use retex::app::{self, Config, StoreSpec};
use retex::domain::{CollectivityId, Scope, TokenId, TokenSecret};
use retex::store::neo4j::{Neo4jConfig, Neo4jStore};
use retex::store::Store;
use serde_json::{json, Value};

/// The Bolt server the API tests run on instead of a temporary SQLite file, when
/// `RETEX_TEST_API_ON_BOLT` is set (with the conformance suite's `RETEX_TEST_BOLT_*` variables).
fn api_bolt_config() -> Option<Neo4jConfig> {
    std::env::var("RETEX_TEST_API_ON_BOLT")
        .ok()
        .filter(|v| !v.is_empty() && v != "0")?;
    let uri = std::env::var("RETEX_TEST_BOLT_URL")
        .expect("RETEX_TEST_API_ON_BOLT needs RETEX_TEST_BOLT_URL");
    Some(Neo4jConfig {
        uri,
        user: std::env::var("RETEX_TEST_BOLT_USER").unwrap_or_else(|_| "neo4j".into()),
        password: std::env::var("RETEX_TEST_BOLT_PASSWORD").unwrap_or_default(),
        database: std::env::var("RETEX_TEST_BOLT_DATABASE")
            .ok()
            .filter(|d| !d.is_empty()),
    })
}

/// Apps on the one Bolt database take turns.
fn bolt_turns() -> &'static tokio::sync::Mutex<()> {
    static TURNS: std::sync::OnceLock<tokio::sync::Mutex<()>> = std::sync::OnceLock::new();
    TURNS.get_or_init(|| tokio::sync::Mutex::new(()))
}

/// The repository's seed folder.
pub fn seed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seed")
}

/// A running application.
pub struct TestApp {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The store's file.
    pub store_path: PathBuf,
    /// The app's store, to prepare data (tokens) behind the API's back.
    pub store: Arc<dyn Store>,
    /// The secret the app hashes tokens under.
    pub secret: TokenSecret,
    client: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
    _turn: Option<tokio::sync::MutexGuard<'static, ()>>,
}

impl TestApp {
    /// Starts the app on port 0 with a fresh store loaded with the repository's seed.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Starts the app with a configuration adjusted by `adjust`.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store_path = dir.path().join("retex.db");
        let mut config = Config::new(&store_path);
        config.seed = Some(seed_dir().into());
        let mut turn = None;
        if let Some(bolt) = api_bolt_config() {
            turn = Some(bolt_turns().lock().await);
            let store = Neo4jStore::open(&bolt)
                .await
                .expect("the Bolt server answers");
            store.clear().await.expect("the Bolt database clears");
            config.store = StoreSpec::Neo4j(bolt);
        }
        adjust(&mut config);
        let state = app::prepare(&config).await.expect("the app starts");
        let store = state.store.clone();
        let secret = state.token_secret.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(retex::server::run(
            listener,
            retex::http::app(state),
            async {
                let _ = rx.await;
            },
        ));
        TestApp {
            addr,
            store_path,
            store,
            secret,
            client: reqwest::Client::new(),
            shutdown: Some(tx),
            _dir: dir,
            _turn: turn,
        }
    }

    /// The URL of a path on the app.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Posts a GraphQL query with variables; returns the whole JSON answer.
    pub async fn query_with(&self, query: &str, variables: Value) -> Value {
        let response = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request sent");
        assert_eq!(response.status(), 200, "GraphQL answers 200");
        response.json().await.expect("JSON answer")
    }

    /// Posts a GraphQL query; returns the whole JSON answer.
    pub async fn query(&self, query: &str) -> Value {
        self.query_with(query, json!({})).await
    }

    /// Posts a query that must succeed; returns its `data`.
    pub async fn data(&self, query: &str) -> Value {
        let answer = self.query(query).await;
        assert!(
            answer.get("errors").is_none(),
            "unexpected errors: {answer}"
        );
        answer["data"].clone()
    }

    /// Creates a token directly through the store; answers its id and plaintext.
    pub async fn token(&self, collectivity: Option<&str>, scopes: &[Scope]) -> (TokenId, String) {
        self.token_expiring(collectivity, scopes, None).await
    }

    /// Creates a token that expires at `expires`.
    pub async fn token_expiring(
        &self,
        collectivity: Option<&str>,
        scopes: &[Scope],
        expires: Option<chrono::DateTime<chrono::Utc>>,
    ) -> (TokenId, String) {
        let collectivity = collectivity.map(|c| CollectivityId::parse(c).unwrap());
        let (token, plaintext) = app::issue_token(
            self.store.as_ref(),
            &self.secret,
            collectivity,
            scopes.to_vec(),
            Some("test".to_owned()),
            expires,
        )
        .await
        .expect("token issued");
        (token.id, plaintext)
    }

    /// Posts a GraphQL request with an optional bearer token; returns the whole JSON answer.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        assert_eq!(response.status(), 200, "GraphQL answers 200");
        response.json().await.expect("JSON answer")
    }

    /// The raw HTTP client.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The codes of an answer's errors.
pub fn error_codes(answer: &Value) -> Vec<String> {
    answer["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    e["extensions"]["code"]
                        .as_str()
                        .unwrap_or("<none>")
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The seed's records of a section, read straight from the YAML files (an oracle independent
/// of the importer).
pub fn seed_records(section: &str) -> Vec<Value> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(seed_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let doc: Value = serde_norway::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        if let Some(items) = doc.get(section).and_then(Value::as_array) {
            out.extend(items.iter().cloned());
        }
    }
    out
}

/// The shared data folder of the real open datasets (`RETEX_SHARED_DATA`, default
/// `../shared/data` next to the crate), or `None` (after a notice) when it is absent outside CI;
/// in CI (`CI=true`) its absence fails the test.
pub fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("RETEX_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("RETEX_SHARED_DATA ({}) is missing in CI", dir.display());
    }
    eprintln!(
        "notice: skipping dataset tests: {} not found (set RETEX_SHARED_DATA)",
        dir.display()
    );
    None
}

/// A release cycle of BigBlueButton as the endoflife.date importer stores it (`released` and
/// `eol` are dates as written, `2023-09` or `2025-01-31`), citing the seed's interview.
pub fn bigbluebutton_cycle(cycle: &str, released: &str, eol: &str) -> retex::domain::ProductCycle {
    use retex::domain::{PartialDate, ProductCycle, SolutionId, SourceId};
    ProductCycle {
        id: ProductCycle::id_for("bigbluebutton", cycle),
        product: "bigbluebutton".into(),
        product_name: "BigBlueButton".into(),
        cycle: cycle.into(),
        release_date: Some(PartialDate::parse(released).expect("a date")),
        eol: false,
        eol_date: Some(PartialDate::parse(eol).expect("a date")),
        lts: false,
        latest: None,
        latest_date: None,
        versions: Vec::new(),
        solution: Some(SolutionId::parse("solution:bigbluebutton").unwrap()),
        source: SourceId::parse("source:interview-vivant-2025").unwrap(),
        locator: ProductCycle::locator_for("bigbluebutton", cycle),
    }
}
