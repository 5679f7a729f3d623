//! In-process latency of the insight queries (peers, experience, adoption paths, selection
//! advice) and of text search on a generated national-scale store. Not run by CI or `cargo test`:
//!
//! ```sh
//! cargo run --release -- generate --seed 42 --out target/bench/national.db \
//!     --collectivities-from ../shared/data/decoupage-administratif
//! RETEX_BENCH_STORE=target/bench/national.db cargo bench --bench insight
//! ```
//!
//! Prints, per query, the median and 99th percentile over many different inputs (collectivities,
//! needs and solutions spread over the whole graph), answers built as the API builds them.
//! "cold" runs clear the memoized peer pools first; the others reuse them, as a server does
//! between writes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use retex::analysis::evidence::forget_peer_pools;
use retex::analysis::index::Index;
use retex::analysis::search::TextIndex;
use retex::analysis::Analysis;
use retex::api::insight;
use retex::domain::{search_terms, CollectivityKind, SolutionKind};
use retex::store::sqlite::SqliteStore;
use retex::store::Store;

/// Runs per query.
const RUNS: usize = 2_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn measure(name: &str, mut run: impl FnMut(usize)) {
    for i in 0..RUNS / 10 {
        run(i); // warm-up
    }
    let mut times = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let start = Instant::now();
        run(i);
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "{name:<34} median {:>8.3} ms   p99 {:>8.3} ms   ({RUNS} runs)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
    );
}

/// Every `step`-th index below `n`, at most `most` of them.
fn spread(n: usize, most: usize) -> Vec<u32> {
    let step = (n / most).max(1);
    (0..n).step_by(step).take(most).map(|i| i as u32).collect()
}

fn main() {
    let path =
        std::env::var("RETEX_BENCH_STORE").unwrap_or_else(|_| "target/bench/national.db".into());
    if !std::path::Path::new(&path).exists() {
        println!("no store at {path}: generate one first (see benches/insight.rs or the README)");
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let ix: Arc<Index> = runtime.block_on(async {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).await.expect("the store opens"));
        let start = Instant::now();
        let ix = std::sync::Arc::new(Analysis::new(store))
            .index()
            .await
            .expect("the index builds");
        println!(
            "index: {} collectivities, {} solutions, {} needs, {} adoptions, {} outcomes; built in {:.1} s",
            ix.collectivities.len(),
            ix.solutions.len(),
            ix.needs.len(),
            ix.adoptions.len(),
            ix.outcomes.len(),
            start.elapsed().as_secs_f64()
        );
        ix
    });
    let communes: Vec<u32> = (0..ix.collectivities.len() as u32)
        .filter(|c| ix.collectivities[*c as usize].kind == CollectivityKind::Commune)
        .collect();
    let askers: Vec<u32> = spread(communes.len(), 500)
        .into_iter()
        .map(|i| communes[i as usize])
        .collect();
    let needs: Vec<u32> = (0..ix.needs.len() as u32)
        .filter(|n| !ix.adoptions_of_need.get(*n).is_empty())
        .collect();
    let proprietary: Vec<u32> = (0..ix.solutions.len() as u32)
        .filter(|s| ix.solutions[*s as usize].kind == SolutionKind::Proprietary)
        .collect();
    let froms: Vec<u32> = spread(proprietary.len(), 500)
        .into_iter()
        .map(|i| proprietary[i as usize])
        .collect();
    let filter = Default::default();
    let asker = |i: usize| askers[i % askers.len()];
    let need = |i: usize| needs[(i * 7) % needs.len()];
    let from = |i: usize| froms[i % froms.len()];
    measure("1. peers(of, need, 10) cold", |i| {
        forget_peer_pools(&ix);
        std::hint::black_box(insight::peers(&ix, asker(i), Some(need(i)), 10));
    });
    measure("1. peers(of, need, first: 10)", |i| {
        std::hint::black_box(insight::peers(&ix, asker(i), Some(need(i)), 10));
    });
    measure("2. experience(need, for) cold peers", |i| {
        forget_peer_pools(&ix);
        std::hint::black_box(insight::experience(
            &ix,
            need(i),
            Some(asker(i)),
            &filter,
            20,
        ));
    });
    measure("3. adoptionPaths(from, for) cold", |i| {
        forget_peer_pools(&ix);
        std::hint::black_box(insight::adoption_paths(&ix, from(i), Some(asker(i)), 10, 5));
    });
    measure("2. experience(need, for, first: 20)", |i| {
        std::hint::black_box(insight::experience(
            &ix,
            need(i),
            Some(asker(i)),
            &filter,
            20,
        ));
    });
    measure("2. experience(need, first: 20)", |i| {
        std::hint::black_box(insight::experience(&ix, need(i), None, &filter, 20));
    });
    measure("3. adoptionPaths(from, for, 10)", |i| {
        std::hint::black_box(insight::adoption_paths(&ix, from(i), Some(asker(i)), 10, 5));
    });
    measure("3. adoptionPaths(from, first: 10)", |i| {
        std::hint::black_box(insight::adoption_paths(&ix, from(i), None, 10, 5));
    });
    measure("4. selectionAdvice(collectivity, need)", |i| {
        std::hint::black_box(insight::selection_advice(&ix, asker(i), need(i)));
    });
    search(&ix);
}

/// Text search: building its index once, then each text of [`SEARCHES`] alone (a word, common
/// prefixes, a short word, two words written apart, an INSEE code).
fn search(ix: &Index) {
    let start = Instant::now();
    let text = std::hint::black_box(TextIndex::build(ix));
    println!(
        "5. search index: {} nodes, built in {:.1} ms",
        text.len(),
        start.elapsed().as_secs_f64() * 1e3
    );
    for query in SEARCHES {
        let terms = search_terms(query, 8);
        measure(&format!("5. search({query:?}, first: 20)"), |_| {
            std::hint::black_box(ix.text.search(&terms, &[], 20));
        });
    }
}

/// The texts the search bench asks.
const SEARCHES: [&str; 7] = [
    "visio",
    "saint",
    "la",
    "s",
    "grenoble",
    "libre office",
    "38151",
];
