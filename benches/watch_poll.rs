//! Benchmark of the release watch: 1,000 GitHub-like sources on a local server, polled twice.
//! The first round fetches and stores every release; the second sends the validators and is
//! answered 304 everywhere. Prints both rounds' time and the bytes the 304s saved.
//!
//! Run: `cargo bench --bench watch_poll` (optimised), or `cargo test --bench watch_poll`
//! (debug build, quicker to compile). `WATCH_BENCH_SOURCES` and `WATCH_BENCH_CONCURRENCY`
//! change the number of sources (1000) and of polls at once (32). Not run by CI.

use std::sync::Arc;
use std::time::Duration;

use poem::http::{header, StatusCode};
use poem::web::Path as UrlPath;
use poem::{get, handler, Request, Response, Route};
use retex::domain::{SolutionId, WatchKind, WatchSource, WatchSourceId, WebUrl};
use retex::store::sqlite::SqliteStore;
use retex::store::Store;
use retex::watch::{release_events, ClientConfig, PollSummary, Poller, WatchConfig};

const SEED: &str = "sources:
  - id: source:bench
    title: Bench
    kind: DATASET
needs:
  - id: need:bench
    label: {en: Bench}
solutions:
  - id: solution:bench
    name: Bench
    kind: LIBRE
    licence: MIT
    needs: [need:bench]
";

/// Ten releases of source `n`, in GitHub's shape.
fn releases(n: u32) -> String {
    let items: Vec<serde_json::Value> = (0..10)
        .map(|i| {
            serde_json::json!({
                "tag_name": format!("v{n}.{i}.0"),
                "name": format!("Bench {n}.{i}.0"),
                "html_url": format!("https://example.org/bench/{n}/releases/tag/v{n}.{i}.0"),
                "draft": false,
                "prerelease": i == 9,
                "published_at": format!("2026-01-{:02}T10:00:00Z", i + 1),
                "body": "Notes of this release, as long as real notes often are. ".repeat(8),
            })
        })
        .collect();
    serde_json::to_string(&items).unwrap_or_default()
}

#[handler]
fn source(req: &Request, UrlPath(n): UrlPath<u32>) -> Response {
    let etag = format!("\"bench-{n}\"");
    if req.header(header::IF_NONE_MATCH) == Some(etag.as_str()) {
        return StatusCode::NOT_MODIFIED.into();
    }
    Response::builder()
        .header(header::ETAG, etag)
        .content_type("application/json")
        .body(releases(n))
}

fn env_or(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn report(round: &str, s: &PollSummary) {
    println!(
        "{round}: {} sources in {:.2} s: {} fetched, {} not modified (304), {} failed, {} new releases, {} bytes received, {} bytes saved",
        s.polled,
        s.elapsed_ms as f64 / 1000.0,
        s.fetched,
        s.not_modified,
        s.failed,
        s.new_releases,
        s.bytes_received,
        s.bytes_saved
    );
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes `--bench`; `cargo test --bench` passes nothing special: both run.
    let count = env_or("WATCH_BENCH_SOURCES", 1000);
    let concurrency = env_or("WATCH_BENCH_CONCURRENCY", 32) as usize;
    let dir = tempfile::tempdir()?;
    let seed = dir.path().join("seed.yaml");
    std::fs::write(&seed, SEED)?;
    let store = SqliteStore::open(dir.path().join("bench.db")).await?;
    retex::import::import_path(&store, &seed).await?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = Route::new().at("/repos/:n", get(source));
    tokio::spawn(retex::server::run(listener, app, std::future::pending()));

    let solution = SolutionId::parse("solution:bench")?;
    let mut sources = Vec::new();
    for n in 0..count {
        let url = WebUrl::parse(&format!("http://{addr}/repos/{n}"))?;
        let mut s = WatchSource::new(solution.clone(), WatchKind::Github, url)?;
        s.id = WatchSourceId::parse(&format!("watch:bench-{n}"))?;
        sources.push(s);
    }
    store.upsert_watch_sources(sources).await?;

    let config = WatchConfig {
        client: ClientConfig {
            timeout: Duration::from_secs(10),
            per_host_interval: Duration::ZERO,
            // The bench's server is on loopback, which the watch refuses unless allowed.
            allowed_hosts: vec![addr.ip().to_string()],
            ..ClientConfig::default()
        },
        concurrency,
        ..WatchConfig::default()
    };
    let store: Arc<dyn Store> = Arc::new(store);
    let poller = Poller::new(store, config, release_events(16))?;
    println!("release watch benchmark: {count} sources on {addr}, {concurrency} at once");
    let first = poller.poll_all().await?;
    report("round 1 (cold)", &first);
    let second = poller.poll_all().await?;
    report("round 2 (conditional)", &second);
    let total = first.elapsed_ms + second.elapsed_ms;
    println!(
        "both rounds: {:.2} s; the second round saved {} of {} bytes ({:.1} %)",
        total as f64 / 1000.0,
        second.bytes_saved,
        first.bytes_received,
        100.0 * second.bytes_saved as f64 / first.bytes_received.max(1) as f64
    );
    Ok(())
}
