//! The release watch against a local HTTP server serving recorded GitHub, GitLab, Atom and
//! endoflife.date fixtures, and misbehaving on purpose (404, 500, 429, timeout, garbage, a
//! 50 MB body, a redirect loop). Nothing here reaches the internet.

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{Duration as Days, Utc};
use futures::{SinkExt, StreamExt};
use poem::http::{header, StatusCode};
use poem::web::{Data, Path as UrlPath};
use poem::{get, handler, Body, EndpointExt, Request, Response, Route};
use retex::app::{self, Config};
use retex::domain::{SolutionId, WatchKind, WatchSource, WebUrl};
use retex::store::sqlite::SqliteStore;
use retex::store::{PageRequest, ReleaseFilter, Store};
use retex::watch::{release_events, ClientConfig, Poller, WatchConfig};
use serde_json::{json, Value};

/// What the fixture server saw and how it behaves.
#[derive(Clone, Default)]
struct Fixture {
    hits: Arc<Mutex<HashMap<String, u32>>>,
    conditional: Arc<AtomicU32>,
    new_release: Arc<AtomicBool>,
}

impl Fixture {
    fn hit(&self, path: &str) {
        *self
            .hits
            .lock()
            .unwrap()
            .entry(path.to_owned())
            .or_default() += 1;
    }

    fn hits(&self, path: &str) -> u32 {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

/// A fixture with its `@@T±n@@` (time) and `@@D±n@@` (day) marks set relative to now.
fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/watch")
        .join(name);
    let mut text = std::fs::read_to_string(path).unwrap();
    let now = Utc::now();
    for days in [-400, -60, -40, -30, -10, -5, -3, -2, -1, 20, 30] {
        let at = now + Days::days(days);
        let sign = if days < 0 { "-" } else { "+" };
        let n = days.abs();
        text = text.replace(
            &format!("@@T{sign}{n}@@"),
            &at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        );
        text = text.replace(
            &format!("@@D{sign}{n}@@"),
            &at.format("%Y-%m-%d").to_string(),
        );
    }
    assert!(!text.contains("@@"), "a mark of {name} is not set");
    text
}

fn conditional(req: &Request, fx: &Fixture, etag: &str) -> bool {
    let matches = req.header(header::IF_NONE_MATCH) == Some(etag);
    if matches {
        fx.conditional.fetch_add(1, Ordering::SeqCst);
    }
    matches
}

#[handler]
fn github(req: &Request, Data(fx): Data<&Fixture>) -> Response {
    fx.hit("github");
    let fresh = fx.new_release.load(Ordering::SeqCst);
    let etag = if fresh { "\"gh-2\"" } else { "\"gh-1\"" };
    if conditional(req, fx, etag) {
        return StatusCode::NOT_MODIFIED.into();
    }
    let mut releases: Vec<Value> = serde_json::from_str(&fixture("github_releases.json")).unwrap();
    if fresh {
        releases.insert(
            0,
            json!({
                "tag_name": "v2.7.4", "name": "BigBlueButton 2.7.4", "draft": false,
                "prerelease": false, "published_at": Utc::now().to_rfc3339(),
                "html_url": "https://github.com/bigbluebutton/bigbluebutton/releases/tag/v2.7.4"
            }),
        );
    }
    Response::builder()
        .header(header::ETAG, etag)
        .content_type("application/json")
        .body(serde_json::to_string(&releases).unwrap())
}

const LAST_MODIFIED: &str = "Wed, 21 Oct 2015 07:28:00 GMT";

#[handler]
fn gitlab(req: &Request, Data(fx): Data<&Fixture>) -> Response {
    fx.hit("gitlab");
    if req.header(header::IF_MODIFIED_SINCE) == Some(LAST_MODIFIED) {
        fx.conditional.fetch_add(1, Ordering::SeqCst);
        return StatusCode::NOT_MODIFIED.into();
    }
    Response::builder()
        .header(header::LAST_MODIFIED, LAST_MODIFIED)
        .content_type("application/json")
        .body(fixture("gitlab_releases.json"))
}

#[handler]
fn atom(req: &Request, Data(fx): Data<&Fixture>) -> Response {
    fx.hit("atom");
    if conditional(req, fx, "W/\"atom-1\"") {
        return StatusCode::NOT_MODIFIED.into();
    }
    Response::builder()
        .header(header::ETAG, "W/\"atom-1\"")
        .content_type("application/atom+xml")
        .body(fixture("releases.atom"))
}

#[handler]
fn endoflife(req: &Request, Data(fx): Data<&Fixture>) -> Response {
    fx.hit("endoflife");
    if conditional(req, fx, "\"eol-1\"") {
        return StatusCode::NOT_MODIFIED.into();
    }
    Response::builder()
        .header(header::ETAG, "\"eol-1\"")
        .content_type("application/json")
        .body(fixture("endoflife.json"))
}

#[handler]
fn status_code(UrlPath(code): UrlPath<u16>, Data(fx): Data<&Fixture>) -> Response {
    fx.hit(&format!("status-{code}"));
    let status = StatusCode::from_u16(code).unwrap();
    let mut response = Response::builder().status(status);
    if code == 429 {
        response = response.header(header::RETRY_AFTER, "120");
    }
    response.body("no")
}

#[handler]
async fn slow(Data(fx): Data<&Fixture>) -> &'static str {
    fx.hit("slow");
    tokio::time::sleep(Duration::from_secs(3)).await;
    "[]"
}

#[handler]
fn garbage(Data(fx): Data<&Fixture>) -> Response {
    fx.hit("garbage");
    Response::builder()
        .content_type("application/json")
        .body("{\"releases\": [<html>oops")
}

/// 50 MB, streamed in 1 MB chunks made as they are sent, with no Content-Length.
#[handler]
fn huge(Data(fx): Data<&Fixture>) -> Response {
    fx.hit("huge");
    let chunks = futures::stream::iter(0..50)
        .map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b'['; 1 << 20])));
    Response::builder()
        .content_type("application/json")
        .body(Body::from_bytes_stream(chunks))
}

#[handler]
fn redirect_loop(Data(fx): Data<&Fixture>) -> Response {
    fx.hit("loop");
    Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, "/loop")
        .finish()
}

/// Starts the fixture server on a loopback port.
async fn fixture_server(fx: Fixture) -> SocketAddr {
    let app = Route::new()
        .at("/repos/bigbluebutton/bigbluebutton/releases", get(github))
        .at("/api/v4/projects/gitlab-org%2Fgitlab/releases", get(gitlab))
        .at("/jitsi/releases.atom", get(atom))
        .at("/api/debian.json", get(endoflife))
        .at("/status/:code", get(status_code))
        .at("/slow", get(slow))
        .at("/garbage", get(garbage))
        .at("/huge", get(huge))
        .at("/loop", get(redirect_loop))
        .data(fx);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(retex::server::run(listener, app, std::future::pending()));
    addr
}

/// The repository's seed without its watch sources (they name real hosts).
fn offline_seed(dir: &Path) -> PathBuf {
    let seed = dir.join("seed");
    std::fs::create_dir_all(&seed).unwrap();
    for entry in std::fs::read_dir(common::seed_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        if path.extension().is_some_and(|e| e == "yaml") && name != "watch.yaml" {
            std::fs::copy(&path, seed.join(name)).unwrap();
        }
    }
    seed
}

fn solution(id: &str) -> SolutionId {
    SolutionId::parse(id).unwrap()
}

fn source(sol: &str, kind: WatchKind, url: String, id: Option<&str>) -> WatchSource {
    let mut s = WatchSource::new(solution(sol), kind, WebUrl::parse(&url).unwrap()).unwrap();
    if let Some(id) = id {
        s.id = retex::domain::WatchSourceId::parse(id).unwrap();
    }
    s
}

/// The four well-behaved sources on the fixture server.
fn good_sources(addr: SocketAddr) -> Vec<WatchSource> {
    let base = format!("http://{addr}");
    vec![
        source(
            "solution:bigbluebutton",
            WatchKind::Github,
            format!("{base}/repos/bigbluebutton/bigbluebutton/releases"),
            None,
        ),
        source(
            "solution:gitlab",
            WatchKind::Gitlab,
            format!("{base}/api/v4/projects/gitlab-org%2Fgitlab/releases"),
            None,
        ),
        source(
            "solution:jitsi-meet",
            WatchKind::Feed,
            format!("{base}/jitsi/releases.atom"),
            None,
        ),
        source(
            "solution:bigbluebutton",
            WatchKind::Endoflife,
            format!("{base}/api/debian.json"),
            None,
        ),
    ]
}

/// Short timeouts and caps, no spacing between requests: the whole file stays fast.
fn test_config() -> WatchConfig {
    WatchConfig {
        client: ClientConfig {
            timeout: Duration::from_millis(400),
            connect_timeout: Duration::from_millis(400),
            max_body_bytes: 1024 * 1024,
            per_host_interval: Duration::ZERO,
            max_redirects: 5,
            user_agent: "retex-test".to_owned(),
            github_token: None,
            // The fixtures are loopback servers, which the watch refuses unless allowed.
            allowed_hosts: vec!["127.0.0.1".to_owned()],
        },
        concurrency: 8,
        backoff_base: Duration::from_secs(60),
        backoff_max: Duration::from_secs(3600),
        tick: Duration::from_millis(50),
    }
}

async fn seeded_store(dir: &Path) -> Arc<dyn Store> {
    let store = SqliteStore::open(dir.join("retex.db")).await.unwrap();
    retex::import::import_path(&store, &offline_seed(dir))
        .await
        .unwrap();
    Arc::new(store)
}

async fn all_releases(store: &dyn Store, include_prereleases: bool) -> Vec<String> {
    let filter = ReleaseFilter {
        include_prereleases,
        ..ReleaseFilter::default()
    };
    let page = store
        .releases(filter, PageRequest::first(100))
        .await
        .unwrap();
    page.items.into_iter().map(|(_, r)| r.key()).collect()
}

#[tokio::test]
async fn releases_are_stored_once_and_unchanged_feeds_cost_a_304() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path()).await;
    let fx = Fixture::default();
    let addr = fixture_server(fx.clone()).await;
    store
        .upsert_watch_sources(good_sources(addr))
        .await
        .unwrap();
    let events = release_events(64);
    let mut listener = events.subscribe();
    let poller = Poller::new(store.clone(), test_config(), events).unwrap();

    let first = poller.poll_all().await.unwrap();
    assert_eq!(
        (first.polled, first.fetched, first.failed),
        (4, 4, 0),
        "{first:?}"
    );
    // GitHub: 3 (the draft skipped); GitLab: 2; Atom: 2; endoflife: 5 latest versions.
    assert_eq!(first.new_releases, 12, "{first:?}");
    let stored = all_releases(store.as_ref(), true).await;
    assert_eq!(stored.len(), 12);
    let mut announced = 0;
    while listener.try_recv().is_ok() {
        announced += 1;
    }
    assert_eq!(announced, 12, "every new release is announced once");

    let second = poller.poll_all().await.unwrap();
    assert_eq!(
        (second.not_modified, second.new_releases),
        (4, 0),
        "{second:?}"
    );
    assert!(
        second.bytes_saved >= first.bytes_received,
        "{second:?} vs {first:?}"
    );
    assert_eq!(fx.conditional.load(Ordering::SeqCst), 4);
    assert_eq!(all_releases(store.as_ref(), true).await, stored);

    fx.new_release.store(true, Ordering::SeqCst);
    let third = poller.poll_all().await.unwrap();
    assert_eq!((third.fetched, third.new_releases), (1, 1), "{third:?}");
    assert_eq!(listener.try_recv().unwrap().version, "2.7.4");
    assert!(listener.try_recv().is_err());

    // Pre-releases are flagged and filtered; versions read as semver where they can.
    let stable = all_releases(store.as_ref(), false).await;
    assert_eq!(stable.len(), 13 - 2, "{stable:?}");
    assert!(!stable
        .iter()
        .any(|k| k.contains("3.0.0-rc.1") || k.contains("17.7.0")));
    let page = store
        .releases(
            ReleaseFilter {
                solutions: vec![solution("solution:jitsi-meet")],
                include_prereleases: true,
                ..ReleaseFilter::default()
            },
            PageRequest::first(10),
        )
        .await
        .unwrap();
    let versions: Vec<_> = page.items.iter().map(|(_, r)| r.version.clone()).collect();
    assert_eq!(versions, ["2.0.9823", "1.2.0"]);

    let cycles = store
        .release_cycles_for(vec![solution("solution:bigbluebutton")])
        .await
        .unwrap();
    assert_eq!(cycles.len(), 5);
    assert!(
        cycles.iter().any(|c| c.cycle == "9"),
        "numeric cycles are read"
    );

    // Only due sources are polled by a running poller: nothing is due now.
    assert_eq!(poller.poll_due().await.unwrap().polled, 0);
}

#[tokio::test]
async fn a_running_poller_polls_due_sources_until_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path()).await;
    let addr = fixture_server(Fixture::default()).await;
    store
        .upsert_watch_sources(good_sources(addr))
        .await
        .unwrap();
    let events = release_events(64);
    let mut listener = events.subscribe();
    let poller = Poller::new(store.clone(), test_config(), events).unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(async move {
        poller
            .run(async {
                let _ = stopped.await;
            })
            .await
    });
    for _ in 0..12 {
        let release = tokio::time::timeout(Duration::from_secs(5), listener.recv())
            .await
            .expect("a release in time")
            .unwrap();
        assert!(release.first_seen.is_some());
    }
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), running)
        .await
        .expect("the poller stops")
        .unwrap();
    let status = store.watch_status().await.unwrap();
    assert!(
        status.iter().all(|s| s.last_success.is_some()),
        "{status:?}"
    );
}

#[tokio::test]
async fn failures_are_recorded_backed_off_and_isolated() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path()).await;
    let fx = Fixture::default();
    let addr = fixture_server(fx.clone()).await;
    let base = format!("http://{addr}");
    let bad = [
        ("404", "/status/404", "HTTP 404"),
        ("500", "/status/500", "HTTP 500"),
        ("429", "/status/429", "HTTP 429"),
        ("slow", "/slow", "timed out"),
        ("garbage", "/garbage", "unexpected JSON"),
        ("huge", "/huge", "larger than"),
        ("loop", "/loop", "redirect"),
    ];
    let mut sources = good_sources(addr);
    for (name, path, _) in bad {
        sources.push(source(
            "solution:moodle",
            WatchKind::Github,
            format!("{base}{path}"),
            Some(&format!("watch:bad-{name}")),
        ));
    }
    store.upsert_watch_sources(sources).await.unwrap();
    let poller = Poller::new(store.clone(), test_config(), release_events(64)).unwrap();

    let started = std::time::Instant::now();
    let summary = poller.poll_all().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!((summary.fetched, summary.failed), (4, 7), "{summary:?}");
    assert_eq!(summary.new_releases, 12);

    let now = Utc::now();
    let status: HashMap<String, _> = store
        .watch_status()
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.source.id.to_string(), s))
        .collect();
    for (name, _, expected) in bad {
        let s = &status[&format!("watch:bad-{name}")];
        let error = s.last_error.as_deref().unwrap_or_default();
        assert!(error.contains(expected), "{name}: {error}");
        assert_eq!(s.failures, 1, "{name}");
        assert!(
            s.last_success.is_none() && s.last_checked.is_some(),
            "{name}"
        );
        let next = s.next_check.unwrap();
        assert!(next > now + Days::seconds(25), "{name} backs off: {next}");
    }
    let retry = status["watch:bad-429"].next_check.unwrap();
    assert!(
        retry >= now + Days::seconds(119),
        "Retry-After is respected: {retry}"
    );
    for s in status
        .values()
        .filter(|s| !s.source.id.as_str().starts_with("watch:bad-"))
    {
        assert!(s.last_error.is_none() && s.failures == 0, "{s:?}");
        assert!(s.last_success.is_some());
    }
    assert_eq!(fx.hits("huge"), 1);

    // Backing off: nothing is due; polled again anyway, failures add up.
    assert_eq!(poller.poll_due().await.unwrap().polled, 0);
    let again = poller.poll_all().await.unwrap();
    assert_eq!((again.not_modified, again.failed), (4, 7), "{again:?}");
    let failures = store
        .watch_status()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.source.id.as_str() == "watch:bad-500")
        .unwrap()
        .failures;
    assert_eq!(failures, 2);
}

/// Runs the application with the offline seed and the fixture sources; returns its address,
/// its state and the fixture server's address.
async fn spawn_app(dir: &Path) -> (SocketAddr, retex::http::AppState) {
    let mut config = Config::new(dir.join("retex.db"));
    config.seed = Some(offline_seed(dir).into());
    let state = app::prepare(&config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(retex::server::run(
        listener,
        retex::http::app(state.clone()),
        std::future::pending(),
    ));
    (addr, state)
}

async fn next_json<S>(ws: &mut S) -> Value
where
    S: futures::Stream<
            Item = Result<
                tokio_tungstenite::tungstenite::Message,
                tokio_tungstenite::tungstenite::Error,
            >,
        > + Unpin,
{
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a message in time")
            .expect("the socket is open")
            .expect("a good message");
        if let tokio_tungstenite::tungstenite::Message::Text(text) = message {
            return serde_json::from_str(text.as_str()).unwrap();
        }
    }
}

#[tokio::test]
async fn subscribers_receive_releases_and_the_api_serves_the_watch() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::Message;

    let dir = tempfile::tempdir().unwrap();
    let (addr, state) = spawn_app(dir.path()).await;
    let fx = Fixture::default();
    let fixtures = fixture_server(fx.clone()).await;
    state
        .store
        .upsert_watch_sources(good_sources(fixtures))
        .await
        .unwrap();

    let mut request = format!("ws://{addr}/graphql/ws")
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    ws.send(Message::Text(
        json!({"type": "connection_init"}).to_string().into(),
    ))
    .await
    .unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "connection_ack");
    // Fontaine runs BigBlueButton: its subscription gets BigBlueButton's releases only.
    let subscribe = json!({
        "id": "1", "type": "subscribe",
        "payload": { "query": "subscription { releasePublished(collectivity: \"collectivity:fr-commune-38169\", includePrereleases: false) { version prerelease solution { id } } }" }
    });
    ws.send(Message::Text(subscribe.to_string().into()))
        .await
        .unwrap();
    for _ in 0..100 {
        if state.events.receiver_count() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        state.events.receiver_count(),
        1,
        "the subscription is listening"
    );

    let poller = Poller::new(state.store.clone(), test_config(), state.events.clone()).unwrap();
    poller.poll_all().await.unwrap();
    let event = next_json(&mut ws).await;
    assert_eq!(event["type"], "next", "{event}");
    let release = &event["payload"]["data"]["releasePublished"];
    assert_eq!(release["solution"]["id"], "solution:bigbluebutton");
    assert_eq!(release["prerelease"], false);

    // The GraphQL queries.
    let client = reqwest::Client::new();
    let query = |q: &str| {
        client
            .post(format!("http://{addr}/graphql"))
            .json(&json!({ "query": q }))
            .send()
    };
    let answer: Value = query(
        "{ releases(solution: \"solution:bigbluebutton\", first: 2) { totalCount edges { node { version semver published source } } }
           all: releases(includePrereleases: true, first: 1) { totalCount pageInfo { hasNextPage } }
           watchStatus { id kind lastChecked lastSuccess lastError nextCheck failures releaseCount }
           releaseCycles(solution: \"solution:bigbluebutton\") { cycle eolDate eolReached lts latest }
           alerts(collectivity: \"collectivity:fr-commune-38169\") { kind date version message solution { id } }
           pinned: alerts(collectivity: \"collectivity:fr-commune-38169\", running: [{solution: \"solution:bigbluebutton\", version: \"10.13\"}]) { kind version } }",
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert!(answer.get("errors").is_none(), "{answer}");
    let data = &answer["data"];
    // Stable BigBlueButton releases: 2.7.3, 2.7.2 from GitHub; 5 endoflife latest versions.
    assert_eq!(data["releases"]["totalCount"], 7, "{data}");
    assert_eq!(data["releases"]["edges"][0]["node"]["semver"], "2.7.3");
    assert_eq!(data["all"]["totalCount"], 12);
    assert_eq!(data["all"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(data["watchStatus"].as_array().unwrap().len(), 4);
    assert!(data["watchStatus"][0]["lastSuccess"].is_string());
    let cycles = data["releaseCycles"].as_array().unwrap();
    assert_eq!(cycles.len(), 5);
    let kinds: Vec<&str> = data["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"NEW_RELEASE"), "{kinds:?}");
    assert!(
        kinds.contains(&"EOL_SOON"),
        "Debian 12 in 30 days: {kinds:?}"
    );
    assert!(
        kinds.contains(&"EOL_REACHED"),
        "Debian 11, 10 days ago: {kinds:?}"
    );
    assert!(
        !data["alerts"].to_string().contains("2.7.2"),
        "releases older than `since` do not alert"
    );
    // Running 10.13: only the end of life of cycle 10 (long ago), and newer releases.
    let pinned = data["pinned"].as_array().unwrap();
    let eol: Vec<&Value> = pinned
        .iter()
        .filter(|a| a["kind"] != "NEW_RELEASE")
        .collect();
    assert_eq!(eol.len(), 1, "{pinned:?}");
    assert_eq!(eol[0]["version"], "10");
    assert_eq!(eol[0]["kind"], "EOL_REACHED");

    let bad: Value = query("{ releases(since: \"yesterday\") { totalCount } }")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(common::error_codes(&bad), ["BAD_USER_INPUT"], "{bad}");

    // Atom feeds out.
    let feed = client
        .get(format!(
            "http://{addr}/feeds/collectivities/collectivity:fr-commune-38169.atom"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), 200);
    assert!(feed.headers()[header::CONTENT_TYPE.as_str()]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let parsed = feed_rs::parser::parse(feed.bytes().await.unwrap().as_ref()).unwrap();
    assert!(parsed
        .entries
        .iter()
        .any(|e| e.title.as_ref().unwrap().content.contains("2.7.3")));
    assert!(parsed.entries.iter().any(|e| e
        .title
        .as_ref()
        .unwrap()
        .content
        .contains("end of life")));
    let feed = client
        .get(format!("http://{addr}/feeds/solutions/jitsi-meet.atom"))
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), 200);
    let missing = client
        .get(format!("http://{addr}/feeds/solutions/nothing-here.atom"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}
