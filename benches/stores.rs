//! The same peer and lookup queries on both backends, side by side, on the seed.
//!
//! `cargo bench --bench stores` (add `--profile dev` on a busy machine). The Bolt column needs
//! `RETEX_TEST_BOLT_URL` (and `_USER`, `_PASSWORD`, `_DATABASE`, as for the conformance suite;
//! `.ci/arcadedb.sh start` prints them): that database is CLEARED and seeded. Not run by CI.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use retex::domain::{search_terms, CollectivityId, EntityKind, NeedId, SolutionId};
use retex::store::neo4j::{Neo4jConfig, Neo4jStore};
use retex::store::sqlite::SqliteStore;
use retex::store::{
    AdoptionFilter, AdoptionParent, AdoptionSort, CollectivityFilter, CollectivitySort,
    PageRequest, SolutionFilter, SolutionSort, Store,
};

/// Iterations per query and backend.
const RUNS: usize = 40;

type Query = fn(Arc<dyn Store>) -> futures::future::BoxFuture<'static, ()>;

fn queries() -> Vec<(&'static str, Query)> {
    vec![
        ("lookup 1 solution by id", |s| {
            Box::pin(async move {
                let id = SolutionId::parse("solution:bigbluebutton").unwrap();
                assert_eq!(s.solutions(vec![id]).await.unwrap().len(), 1);
            })
        }),
        ("lookup every collectivity by id", |s| {
            Box::pin(async move {
                let page = s
                    .list_collectivities(
                        CollectivityFilter::default(),
                        CollectivitySort::Name,
                        PageRequest::first(100),
                    )
                    .await
                    .unwrap();
                let ids: Vec<CollectivityId> = page.items.into_iter().map(|(_, c)| c.id).collect();
                s.collectivities(ids).await.unwrap();
            })
        }),
        ("peers: adopters of a solution", |s| {
            Box::pin(async move {
                let filter = AdoptionFilter {
                    solution: Some(SolutionId::parse("solution:bigbluebutton").unwrap()),
                    ..AdoptionFilter::default()
                };
                s.list_adoptions(filter, AdoptionSort::StartedDesc, PageRequest::first(20))
                    .await
                    .unwrap();
            })
        }),
        ("peers: first adoptions of 14 collectivities", |s| {
            Box::pin(async move {
                let page = s
                    .list_collectivities(
                        CollectivityFilter::default(),
                        CollectivitySort::Name,
                        PageRequest::first(100),
                    )
                    .await
                    .unwrap();
                let ids = page
                    .items
                    .into_iter()
                    .map(|(_, c)| c.id.to_string())
                    .collect();
                s.adoptions_by_parent(
                    AdoptionParent::Collectivity,
                    ids,
                    AdoptionFilter::default(),
                    AdoptionSort::StartedDesc,
                    10,
                )
                .await
                .unwrap();
            })
        }),
        ("solutions for a need and narrower", |s| {
            Box::pin(async move {
                let filter = SolutionFilter {
                    need: Some(NeedId::parse("need:communication").unwrap()),
                    include_narrower: true,
                    ..SolutionFilter::default()
                };
                s.list_solutions(filter, SolutionSort::Name, PageRequest::first(20))
                    .await
                    .unwrap();
            })
        }),
        ("alternatives of every solution", |s| {
            Box::pin(async move {
                let page = s
                    .list_solutions(
                        SolutionFilter::default(),
                        SolutionSort::Id,
                        PageRequest::first(100),
                    )
                    .await
                    .unwrap();
                let ids = page.items.into_iter().map(|(_, s)| s.id).collect();
                s.alternatives_of(ids).await.unwrap();
            })
        }),
        ("search \"visio\"", |s| {
            Box::pin(async move {
                s.search(search_terms("visio", 8), vec![], 20)
                    .await
                    .unwrap();
            })
        }),
        ("search \"Échirolles\" in collectivities", |s| {
            Box::pin(async move {
                s.search(
                    search_terms("Échirolles", 8),
                    vec![EntityKind::Collectivity],
                    20,
                )
                .await
                .unwrap();
            })
        }),
    ]
}

/// Median and 95th percentile of `RUNS` runs, after two warm-up runs.
async fn measure(store: &Arc<dyn Store>, query: Query) -> (Duration, Duration) {
    for _ in 0..2 {
        query(store.clone()).await;
    }
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        query(store.clone()).await;
        times.push(start.elapsed());
    }
    times.sort();
    (times[RUNS / 2], times[RUNS * 95 / 100])
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1_000.0)
}

async fn run() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed");
    let dir = tempfile::tempdir().unwrap();
    let sqlite: Arc<dyn Store> =
        Arc::new(SqliteStore::open(dir.path().join("b.db")).await.unwrap());
    retex::import::import_path(sqlite.as_ref(), &seed)
        .await
        .unwrap();
    let bolt: Option<Arc<dyn Store>> = match std::env::var("RETEX_TEST_BOLT_URL") {
        Ok(uri) if !uri.is_empty() => {
            let config = Neo4jConfig {
                uri,
                user: std::env::var("RETEX_TEST_BOLT_USER").unwrap_or_else(|_| "neo4j".into()),
                password: std::env::var("RETEX_TEST_BOLT_PASSWORD").unwrap_or_default(),
                database: std::env::var("RETEX_TEST_BOLT_DATABASE").ok(),
            };
            let store = Neo4jStore::open(&config).await.unwrap();
            store.clear().await.unwrap();
            retex::import::import_path(&store, &seed).await.unwrap();
            Some(Arc::new(store))
        }
        _ => {
            eprintln!("RETEX_TEST_BOLT_URL is unset: the Bolt column is left empty");
            None
        }
    };
    println!(
        "{:<46} {:>12} {:>12} {:>12} {:>12}",
        "query (ms, seed data)", "sqlite p50", "sqlite p95", "bolt p50", "bolt p95"
    );
    for (name, query) in queries() {
        let (s50, s95) = measure(&sqlite, query).await;
        let (b50, b95) = match &bolt {
            Some(bolt) => {
                let (a, b) = measure(bolt, query).await;
                (ms(a), ms(b))
            }
            None => ("-".into(), "-".into()),
        };
        println!(
            "{name:<46} {:>12} {:>12} {b50:>12} {b95:>12}",
            ms(s50),
            ms(s95)
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` would pass nothing: both just run.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(run());
}
