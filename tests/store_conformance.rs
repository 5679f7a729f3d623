//! One conformance suite for every store: the same test functions run against the embedded
//! SQLite store (a temporary file) and a Bolt server (Neo4j or ArcadeDB).
//!
//! The Bolt run needs `RETEX_TEST_BOLT_URL` (and `RETEX_TEST_BOLT_USER`, `_PASSWORD`,
//! `_DATABASE`); `.ci/arcadedb.sh start` prints them. Without it the Bolt tests print a notice
//! and pass locally, but fail when `CI` is set: CI must exercise the server. Bolt tests share one
//! database, so they run one at a time (a global lock) on a cleared graph.
//!
//! Expectations are computed from the store's own dump (an oracle independent of the query
//! code), and a cross-backend test asserts both stores give the same answers.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use common::{seed_dir, seed_records};
use retex::domain::{
    search_terms, AdoptionId, AdoptionStatus, Batch, CollectivityId, CollectivityKind, EntityKind,
    LocalizedText, MaintenanceStatus, NeedId, NodeId, OutcomeKind, SolutionId, SolutionKind,
};
use retex::store::neo4j::{Neo4jConfig, Neo4jStore};
use retex::store::sqlite::SqliteStore;
use retex::store::{
    copy_graph, store_digest, AdoptionFilter, AdoptionParent, AdoptionSort, CollectivityFilter,
    CollectivitySort, Cursor, NeedFilter, Page, PageRequest, SolutionFilter, SolutionSort, Store,
    StoreError,
};

/// The Bolt server named by the environment, if any.
fn bolt_config() -> Option<Neo4jConfig> {
    let uri = std::env::var("RETEX_TEST_BOLT_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    Some(Neo4jConfig {
        uri,
        user: std::env::var("RETEX_TEST_BOLT_USER").unwrap_or_else(|_| "neo4j".into()),
        password: std::env::var("RETEX_TEST_BOLT_PASSWORD").unwrap_or_default(),
        database: std::env::var("RETEX_TEST_BOLT_DATABASE")
            .ok()
            .filter(|d| !d.is_empty()),
    })
}

/// True on CI, where skipping the Bolt run is a failure.
fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The one Bolt database is shared: Bolt tests take turns.
fn bolt_lock() -> &'static tokio::sync::Mutex<()> {
    static LOCK: OnceLock<tokio::sync::Mutex<()>> = OnceLock::new();
    LOCK.get_or_init(|| tokio::sync::Mutex::new(()))
}

/// A store under test and what keeps it alive and to itself.
struct Fixture {
    store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
    _turn: Option<tokio::sync::MutexGuard<'static, ()>>,
}

async fn sqlite_fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("retex.db"))
        .await
        .unwrap();
    Fixture {
        store: Arc::new(store),
        _dir: Some(dir),
        _turn: None,
    }
}

/// An empty Bolt store, or `None` (with a notice) when no server is configured locally.
async fn bolt_fixture(test: &str) -> Option<Fixture> {
    let Some(config) = bolt_config() else {
        assert!(
            !on_ci(),
            "CI is set but RETEX_TEST_BOLT_URL is not: the Bolt conformance run must not be skipped"
        );
        eprintln!("notice: RETEX_TEST_BOLT_URL is unset, skipping the Bolt run of {test}");
        return None;
    };
    let turn = bolt_lock().lock().await;
    let store = Neo4jStore::open(&config)
        .await
        .unwrap_or_else(|e| panic!("the Bolt server at {} answers: {e}", config.uri));
    store.clear().await.unwrap();
    Some(Fixture {
        store: Arc::new(store),
        _dir: None,
        _turn: Some(turn),
    })
}

/// Runs each listed test function on both backends: `sqlite::name` and `bolt::name`.
macro_rules! conformance {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let fixture = super::sqlite_fixture().await;
                    super::$name(fixture.store.as_ref()).await;
                }
            )+
        }
        mod bolt {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(fixture) = super::bolt_fixture(stringify!($name)).await else {
                        return;
                    };
                    super::$name(fixture.store.as_ref()).await;
                }
            )+
        }
    };
}

conformance!(
    seed_load_counts_match_the_seed,
    reloading_changes_nothing,
    edits_update_only_what_changed,
    lookups_by_id_return_what_exists,
    pages_walk_every_row_once,
    solution_filters_select_what_they_say,
    collectivity_filters_select_what_they_say,
    adoption_filters_select_what_they_say,
    need_filters_select_what_they_say,
    grouped_first_pages_equal_single_pages,
    relations_and_provenance_match_the_dump,
    search_is_accent_and_case_insensitive,
    solutions_are_found_by_description_other_names_and_need_labels,
    a_failed_batch_rolls_back_entirely,
    missing_names_what_is_absent,
    contributions_are_found_from_both_sides,
    the_release_watch_keeps_its_state_and_each_release_once,
    release_cycles_join_imported_ones_and_new_releases_move_the_revision,
    tokens_versions_and_history_behave_alike,
    watch_source_changes_are_versioned_and_paged_alike,
    retired_nodes_leave_live_listings_alike,
    concurrent_versioned_writes_conflict_alike,
    a_seed_and_its_watch_sources_land_in_one_transaction,
    source_titles_by_language_are_kept,
);

async fn seed(store: &dyn Store) {
    retex::import::import_path(store, &seed_dir())
        .await
        .unwrap();
}

fn ids_of<T, F: Fn(&T) -> String>(page: &Page<T>, id: F) -> Vec<String> {
    page.items.iter().map(|(_, n)| id(n)).collect()
}

fn all() -> PageRequest {
    PageRequest::first(100_000)
}

// ---- The test functions -----------------------------------------------------------------

async fn seed_load_counts_match_the_seed(store: &dyn Store) {
    assert_eq!(store.revision().await.unwrap(), 0);
    let report = retex::import::import_path(store, &seed_dir())
        .await
        .unwrap();
    let counts = store.counts().await.unwrap();
    for (section, kind) in [
        ("sources", "source"),
        ("needs", "need"),
        ("publishers", "publisher"),
        ("solutions", "solution"),
        ("alternatives", "alternative"),
        ("collectivities", "collectivity"),
        ("adoptions", "adoption"),
    ] {
        assert_eq!(
            counts.kinds[kind],
            seed_records(section).len() as u64,
            "{kind}"
        );
    }
    for (kind, k) in &report.kinds {
        assert_eq!(k.created, counts.kinds[kind], "created {kind}");
    }
    assert!(counts.kinds["citation"] > 0 && counts.kinds["outcome"] > 0);
    assert_eq!(store.revision().await.unwrap(), 1);
    let dump = store.dump().await.unwrap();
    assert_eq!(dump.citations.len() as u64, counts.kinds["citation"]);
    assert!(dump.needs.windows(2).all(|w| w[0].id < w[1].id));
}

async fn reloading_changes_nothing(store: &dyn Store) {
    seed(store).await;
    let counts = store.counts().await.unwrap();
    let revision = store.revision().await.unwrap();
    let again = retex::import::import_path(store, &seed_dir())
        .await
        .unwrap();
    assert!(again.is_no_op(), "{again:?}");
    for (kind, k) in &again.kinds {
        assert_eq!(k.unchanged, counts.kinds[kind], "unchanged {kind}");
    }
    assert_eq!(store.revision().await.unwrap(), revision);
    assert_eq!(store.counts().await.unwrap(), counts);
    // Writing the dump back is a no-op too.
    let dump = store.dump().await.unwrap();
    assert!(store.write(dump).await.unwrap().is_no_op());
}

async fn edits_update_only_what_changed(store: &dyn Store) {
    seed(store).await;
    let revision = store.revision().await.unwrap();
    let dump = store.dump().await.unwrap();
    let mut town = dump
        .collectivities
        .iter()
        .find(|c| c.id.as_str() == "collectivity:fr-commune-38169")
        .unwrap()
        .clone();
    town.population = Some(town.population.unwrap_or(0) + 1);
    // A solution moves to another need: its SERVES relationships follow.
    let mut moved = dump.solutions[0].clone();
    let old_need = moved.needs[0].clone();
    let new_need = dump
        .needs
        .iter()
        .find(|n| !moved.needs.contains(&n.id))
        .unwrap()
        .id
        .clone();
    moved.needs = vec![new_need.clone()];
    let report = store
        .write(Batch {
            collectivities: vec![town.clone()],
            solutions: vec![moved.clone()],
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(report.kinds["collectivity"].updated, 1);
    assert_eq!(report.kinds["solution"].updated, 1);
    assert_eq!(store.revision().await.unwrap(), revision + 1);
    let read = store.collectivities(vec![town.id.clone()]).await.unwrap();
    assert_eq!(read, vec![town]);
    let serving = |need: NeedId| SolutionFilter {
        need: Some(need),
        ..SolutionFilter::default()
    };
    let old = store
        .list_solutions(serving(old_need), SolutionSort::Id, all())
        .await
        .unwrap();
    assert!(!old.items.iter().any(|(_, s)| s.id == moved.id));
    let new = store
        .list_solutions(serving(new_need), SolutionSort::Id, all())
        .await
        .unwrap();
    assert!(new.items.iter().any(|(_, s)| s.id == moved.id));
}

async fn lookups_by_id_return_what_exists(store: &dyn Store) {
    seed(store).await;
    let dump = store.dump().await.unwrap();
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let ids = |v: Vec<String>| sorted(v);
    let solutions = store
        .solutions(
            dump.solutions
                .iter()
                .map(|s| s.id.clone())
                .chain([SolutionId::parse("solution:no-such-thing").unwrap()])
                .collect(),
        )
        .await
        .unwrap();
    assert_eq!(
        ids(solutions.iter().map(|s| s.id.to_string()).collect()),
        ids(dump.solutions.iter().map(|s| s.id.to_string()).collect())
    );
    let needs = store
        .needs(dump.needs.iter().map(|n| n.id.clone()).collect())
        .await
        .unwrap();
    assert_eq!(needs.len(), dump.needs.len());
    let publishers = store
        .publishers(dump.publishers.iter().map(|n| n.id.clone()).collect())
        .await
        .unwrap();
    assert_eq!(publishers.len(), dump.publishers.len());
    let collectivities = store
        .collectivities(dump.collectivities.iter().map(|n| n.id.clone()).collect())
        .await
        .unwrap();
    assert_eq!(collectivities.len(), dump.collectivities.len());
    let adoptions = store
        .adoptions(dump.adoptions.iter().map(|n| n.id.clone()).collect())
        .await
        .unwrap();
    assert_eq!(adoptions.len(), dump.adoptions.len());
    let outcomes = store
        .outcomes(dump.outcomes.iter().map(|n| n.id.clone()).collect())
        .await
        .unwrap();
    assert_eq!(outcomes.len(), dump.outcomes.len());
    let sources = store
        .sources(dump.sources.iter().map(|n| n.id.clone()).collect())
        .await
        .unwrap();
    assert_eq!(sources.len(), dump.sources.len());
    let bbb = store
        .solutions(vec![SolutionId::parse("solution:bigbluebutton").unwrap()])
        .await
        .unwrap();
    assert_eq!(bbb[0].name, "BigBlueButton");
    assert!(store.solutions(vec![]).await.unwrap().is_empty());
}

/// A source's titles by language (from the seed) come back from lookups and listings alike.
async fn source_titles_by_language_are_kept(store: &dyn Store) {
    seed(store).await;
    let ids = ["source:sill-2022", "source:interview-vivant-2025"]
        .map(|id| retex::domain::SourceId::parse(id).unwrap());
    let mut found = store.sources(ids.to_vec()).await.unwrap();
    found.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    let [interview, sill] = &found[..] else {
        panic!("two sources: {found:?}");
    };
    let sill_titles = sill.titles.as_ref().expect("the SILL's titles");
    assert_eq!(
        sill_titles.fr.as_deref(),
        Some("SILL (Socle interministériel de logiciels libres) — software.csv et services.csv (sill-api, données du 14 février 2022)")
    );
    assert_eq!(sill_titles.en.as_deref(), Some(sill.title.as_str()));
    let interview_titles = interview.titles.as_ref().expect("the interview's title");
    assert_eq!(
        interview_titles.fr.as_deref(),
        Some(interview.title.as_str())
    );
    assert_eq!(interview_titles.en, None, "no English title is invented");
    let listed = store.list_sources(all()).await.unwrap();
    let (_, listed) = listed
        .items
        .iter()
        .find(|(_, s)| s.id == sill.id)
        .expect("listed");
    assert_eq!(listed.titles, sill.titles);
}

/// Walks a list page by page with `size`; checks the page flags and returns the cursors and ids.
async fn walk<T, F, Fut>(size: usize, id: impl Fn(&T) -> String, fetch: F) -> Vec<(Cursor, String)>
where
    F: Fn(PageRequest) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, StoreError>>,
{
    let mut out: Vec<(Cursor, String)> = Vec::new();
    let mut after = None;
    loop {
        let page = fetch(PageRequest {
            first: size,
            after: after.clone(),
            want_total: true,
        })
        .await
        .unwrap();
        assert_eq!(page.has_previous, after.is_some());
        assert!(page.items.len() <= size);
        let total = page.total.unwrap() as usize;
        out.extend(page.items.iter().map(|(c, n)| (c.clone(), id(n))));
        if !page.has_next {
            assert_eq!(out.len(), total, "every row once");
            // Past the end: an empty page.
            if let Some((cursor, _)) = out.last() {
                let past = fetch(PageRequest {
                    first: size,
                    after: Some(cursor.clone()),
                    want_total: false,
                })
                .await
                .unwrap();
                assert!(past.items.is_empty() && !past.has_next && past.total.is_none());
            }
            return out;
        }
        assert_eq!(page.items.len(), size, "a page before the last is full");
        after = page.items.last().map(|(c, _)| c.clone());
    }
}

async fn pages_walk_every_row_once(store: &dyn Store) {
    seed(store).await;
    let solutions = |sort| move |page| store.list_solutions(SolutionFilter::default(), sort, page);
    let n = store.counts().await.unwrap().kinds["solution"] as usize;
    let whole = walk(
        n + 5,
        |s: &retex::domain::Solution| s.id.to_string(),
        solutions(SolutionSort::Name),
    )
    .await;
    assert_eq!(whole.len(), n);
    // Sorted by folded name, then id.
    let text_key = |c: &Cursor| match &c.key {
        retex::store::SortValue::Text(t) => t.clone(),
        other => panic!("name keys are text, not {other:?}"),
    };
    assert!(whole
        .windows(2)
        .all(|w| (text_key(&w[0].0), &w[0].1) <= (text_key(&w[1].0), &w[1].1)));
    for size in [1, 7, n / 2, n] {
        if size == 0 {
            continue;
        }
        for sort in [SolutionSort::Name, SolutionSort::Id] {
            let walked = walk(
                size,
                |s: &retex::domain::Solution| s.id.to_string(),
                solutions(sort),
            )
            .await;
            let first = walk(
                n + 1,
                |s: &retex::domain::Solution| s.id.to_string(),
                solutions(sort),
            )
            .await;
            assert_eq!(walked, first, "size {size}");
        }
    }
    // first: 0 counts without rows.
    let zero = store
        .list_solutions(
            SolutionFilter::default(),
            SolutionSort::Name,
            PageRequest::first(0),
        )
        .await
        .unwrap();
    assert!(zero.items.is_empty() && zero.has_next && zero.total == Some(n as u64));

    let by_population = walk(
        3,
        |c: &retex::domain::Collectivity| c.id.to_string(),
        |page| {
            store.list_collectivities(
                CollectivityFilter::default(),
                CollectivitySort::PopulationDesc,
                page,
            )
        },
    )
    .await;
    let populations: Vec<i64> = by_population
        .iter()
        .map(|(c, _)| match c.key {
            retex::store::SortValue::Int(i) => i,
            _ => panic!("population keys are numbers"),
        })
        .collect();
    assert!(
        populations.windows(2).all(|w| w[0] >= w[1]),
        "{populations:?}"
    );
    // A cursor made for names does not fit the population order.
    let name_cursor = whole[0].0.clone();
    let err = store
        .list_collectivities(
            CollectivityFilter::default(),
            CollectivitySort::PopulationDesc,
            PageRequest {
                first: 2,
                after: Some(name_cursor),
                want_total: false,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");

    walk(
        5,
        |a: &retex::domain::Adoption| a.id.to_string(),
        |page| store.list_adoptions(AdoptionFilter::default(), AdoptionSort::StartedDesc, page),
    )
    .await;
    walk(
        4,
        |a: &retex::domain::Adoption| a.id.to_string(),
        |page| store.list_adoptions(AdoptionFilter::default(), AdoptionSort::Id, page),
    )
    .await;
    walk(
        2,
        |s: &retex::domain::Source| s.id.to_string(),
        |page| store.list_sources(page),
    )
    .await;
    let needs = walk(
        10,
        |n: &retex::domain::Need| n.id.to_string(),
        |page| store.list_needs(NeedFilter::default(), page),
    )
    .await;
    assert_eq!(
        needs.len() as u64,
        store.counts().await.unwrap().kinds["need"]
    );
}

/// The needs under `root` (itself included), computed from the dump.
fn subtree(dump: &Batch, root: &NeedId) -> BTreeSet<NeedId> {
    let mut set = BTreeSet::from([root.clone()]);
    loop {
        let before = set.len();
        for n in &dump.needs {
            if n.broader.as_ref().is_some_and(|b| set.contains(b)) {
                set.insert(n.id.clone());
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

fn sorted_ids<I: IntoIterator<Item = String>>(ids: I) -> Vec<String> {
    let mut v: Vec<String> = ids.into_iter().collect();
    v.sort();
    v
}

async fn solution_filters_select_what_they_say(store: &dyn Store) {
    seed(store).await;
    let dump = store.dump().await.unwrap();
    let check = |filter: SolutionFilter, expected: Vec<String>| async move {
        let page = store
            .list_solutions(filter.clone(), SolutionSort::Id, all())
            .await
            .unwrap();
        let got = ids_of(&page, |s| s.id.to_string());
        assert_eq!(got, sorted_ids(expected), "{filter:?}");
        assert_eq!(page.total, Some(got.len() as u64));
    };
    for kind in SolutionKind::ALL {
        check(
            SolutionFilter {
                kinds: vec![*kind],
                ..Default::default()
            },
            dump.solutions
                .iter()
                .filter(|s| s.kind == *kind)
                .map(|s| s.id.to_string())
                .collect(),
        )
        .await;
    }
    check(
        SolutionFilter {
            statuses: vec![MaintenanceStatus::Active],
            kinds: vec![SolutionKind::Libre, SolutionKind::Proprietary],
            ..Default::default()
        },
        dump.solutions
            .iter()
            .filter(|s| s.status == MaintenanceStatus::Active && s.kind != SolutionKind::Internal)
            .map(|s| s.id.to_string())
            .collect(),
    )
    .await;
    let with_publisher = dump
        .solutions
        .iter()
        .find(|s| s.publisher.is_some())
        .unwrap();
    let publisher = with_publisher.publisher.clone().unwrap();
    check(
        SolutionFilter {
            publisher: Some(publisher.clone()),
            ..Default::default()
        },
        dump.solutions
            .iter()
            .filter(|s| s.publisher.as_ref() == Some(&publisher))
            .map(|s| s.id.to_string())
            .collect(),
    )
    .await;
    for licence in [
        "gpl-3.0-or-later",
        " MIT ",
        "AGPL-3.0-only",
        "no-such-licence",
    ] {
        let wanted = licence.trim().to_uppercase();
        check(
            SolutionFilter {
                licence: Some(licence.to_owned()),
                ..Default::default()
            },
            dump.solutions
                .iter()
                .filter(|s| {
                    s.licence.as_ref().is_some_and(|l| {
                        l.as_str()
                            .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
                            .any(|t| t.to_uppercase() == wanted)
                    })
                })
                .map(|s| s.id.to_string())
                .collect(),
        )
        .await;
    }
    for need in &dump.needs {
        for narrower in [false, true] {
            let set = if narrower {
                subtree(&dump, &need.id)
            } else {
                BTreeSet::from([need.id.clone()])
            };
            check(
                SolutionFilter {
                    need: Some(need.id.clone()),
                    include_narrower: narrower,
                    ..Default::default()
                },
                dump.solutions
                    .iter()
                    .filter(|s| s.needs.iter().any(|n| set.contains(n)))
                    .map(|s| s.id.to_string())
                    .collect(),
            )
            .await;
        }
    }
    let visio = store
        .list_solutions(
            SolutionFilter {
                text: Some("BigBlue".into()),
                ..Default::default()
            },
            SolutionSort::Name,
            all(),
        )
        .await
        .unwrap();
    assert_eq!(
        ids_of(&visio, |s| s.id.to_string()),
        vec!["solution:bigbluebutton"]
    );
    let nothing = store
        .list_solutions(
            SolutionFilter {
                text: Some("?!".into()),
                ..Default::default()
            },
            SolutionSort::Name,
            all(),
        )
        .await
        .unwrap();
    assert!(nothing.items.is_empty() && nothing.total == Some(0));
}

async fn collectivity_filters_select_what_they_say(store: &dyn Store) {
    seed(store).await;
    let dump = store.dump().await.unwrap();
    let check = |filter: CollectivityFilter, expected: Vec<String>| async move {
        let page = store
            .list_collectivities(filter.clone(), CollectivitySort::Name, all())
            .await
            .unwrap();
        assert_eq!(
            sorted_ids(ids_of(&page, |c| c.id.to_string())),
            sorted_ids(expected),
            "{filter:?}"
        );
    };
    for kind in CollectivityKind::ALL {
        check(
            CollectivityFilter {
                kinds: vec![*kind],
                ..Default::default()
            },
            dump.collectivities
                .iter()
                .filter(|c| c.kind == *kind)
                .map(|c| c.id.to_string())
                .collect(),
        )
        .await;
    }
    check(
        CollectivityFilter {
            country: Some("fr".into()),
            ..Default::default()
        },
        dump.collectivities
            .iter()
            .filter(|c| c.country.as_str() == "FR")
            .map(|c| c.id.to_string())
            .collect(),
    )
    .await;
    check(
        CollectivityFilter {
            population_min: Some(20_000),
            population_max: Some(200_000),
            ..Default::default()
        },
        dump.collectivities
            .iter()
            .filter(|c| {
                c.population
                    .is_some_and(|p| (20_000..=200_000).contains(&p))
            })
            .map(|c| c.id.to_string())
            .collect(),
    )
    .await;
    let parent = CollectivityId::parse("collectivity:fr-epci-200040715").unwrap();
    check(
        CollectivityFilter {
            parent: Some(parent.clone()),
            ..Default::default()
        },
        dump.collectivities
            .iter()
            .filter(|c| c.parent.as_ref() == Some(&parent))
            .map(|c| c.id.to_string())
            .collect(),
    )
    .await;
    check(
        CollectivityFilter {
            department: Some("38".into()),
            ..Default::default()
        },
        dump.collectivities
            .iter()
            .filter(|c| c.department.as_deref() == Some("38"))
            .map(|c| c.id.to_string())
            .collect(),
    )
    .await;
    check(
        CollectivityFilter {
            text: Some("echirolles".into()),
            ..Default::default()
        },
        vec!["collectivity:fr-commune-38151".into()],
    )
    .await;
}

async fn adoption_filters_select_what_they_say(store: &dyn Store) {
    seed(store).await;
    let dump = store.dump().await.unwrap();
    let check = |filter: AdoptionFilter, expected: Vec<String>| async move {
        for sort in [AdoptionSort::Id, AdoptionSort::StartedDesc] {
            let page = store
                .list_adoptions(filter.clone(), sort, all())
                .await
                .unwrap();
            assert_eq!(
                sorted_ids(ids_of(&page, |a| a.id.to_string())),
                sorted_ids(expected.clone()),
                "{filter:?}"
            );
        }
    };
    let all_ids = |f: &dyn Fn(&retex::domain::Adoption) -> bool| -> Vec<String> {
        dump.adoptions
            .iter()
            .filter(|a| f(a))
            .map(|a| a.id.to_string())
            .collect()
    };
    for a in &dump.adoptions {
        check(
            AdoptionFilter {
                solution: Some(a.solution.clone()),
                ..Default::default()
            },
            all_ids(&|x| x.solution == a.solution),
        )
        .await;
        check(
            AdoptionFilter {
                collectivity: Some(a.collectivity.clone()),
                ..Default::default()
            },
            all_ids(&|x| x.collectivity == a.collectivity),
        )
        .await;
        check(
            AdoptionFilter {
                need: Some(a.need.clone()),
                ..Default::default()
            },
            all_ids(&|x| x.need == a.need),
        )
        .await;
    }
    for need in dump.needs.iter().filter(|n| n.broader.is_none()) {
        let set = subtree(&dump, &need.id);
        check(
            AdoptionFilter {
                need: Some(need.id.clone()),
                include_narrower: true,
                ..Default::default()
            },
            all_ids(&|x| set.contains(&x.need)),
        )
        .await;
    }
    for status in AdoptionStatus::ALL {
        check(
            AdoptionFilter {
                statuses: vec![*status],
                ..Default::default()
            },
            all_ids(&|x| x.status == *status),
        )
        .await;
    }
    for kind in OutcomeKind::ALL {
        let with: BTreeSet<&AdoptionId> = dump
            .outcomes
            .iter()
            .filter(|o| o.kind == *kind)
            .map(|o| &o.adoption)
            .collect();
        check(
            AdoptionFilter {
                outcome_kinds: vec![*kind],
                ..Default::default()
            },
            all_ids(&|x| with.contains(&x.id)),
        )
        .await;
    }
    let started = store
        .list_adoptions(AdoptionFilter::default(), AdoptionSort::StartedDesc, all())
        .await
        .unwrap();
    let keys: Vec<String> = started
        .items
        .iter()
        .map(|(_, a)| a.started.map(|d| d.sort_key()).unwrap_or_default())
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] >= w[1]),
        "most recent first, unknown last"
    );
}

async fn need_filters_select_what_they_say(store: &dyn Store) {
    seed(store).await;
    let dump = store.dump().await.unwrap();
    let top = store
        .list_needs(
            NeedFilter {
                top_level: true,
                ..Default::default()
            },
            all(),
        )
        .await
        .unwrap();
    assert_eq!(
        sorted_ids(ids_of(&top, |n| n.id.to_string())),
        sorted_ids(
            dump.needs
                .iter()
                .filter(|n| n.broader.is_none())
                .map(|n| n.id.to_string())
        )
    );
    for need in &dump.needs {
        let under = store
            .list_needs(
                NeedFilter {
                    broader: Some(need.id.clone()),
                    ..Default::default()
                },
                all(),
            )
            .await
            .unwrap();
        assert_eq!(
            sorted_ids(ids_of(&under, |n| n.id.to_string())),
            sorted_ids(
                dump.needs
                    .iter()
                    .filter(|n| n.broader.as_ref() == Some(&need.id))
                    .map(|n| n.id.to_string())
            )
        );
    }
    let visio = store
        .list_needs(
            NeedFilter {
                text: Some("visio".into()),
                ..Default::default()
            },
            all(),
        )
        .await
        .unwrap();
    assert!(!visio.items.is_empty());
}

async fn grouped_first_pages_equal_single_pages(store: &dyn Store) {
    seed(store).await;
    let dump = store.dump().await.unwrap();
    let needs: Vec<NeedId> = dump.needs.iter().map(|n| n.id.clone()).collect();
    for narrower in [false, true] {
        let filter = SolutionFilter {
            include_narrower: narrower,
            ..Default::default()
        };
        let grouped = store
            .solutions_by_need(needs.clone(), filter.clone(), SolutionSort::Name, 2)
            .await
            .unwrap();
        let mut expected = Vec::new();
        for need in &needs {
            let page = store
                .list_solutions(
                    SolutionFilter {
                        need: Some(need.clone()),
                        ..filter.clone()
                    },
                    SolutionSort::Name,
                    PageRequest::first(2),
                )
                .await
                .unwrap();
            if page.total != Some(0) {
                expected.push((need.clone(), page));
            }
        }
        let mut grouped = grouped;
        grouped.sort_by(|a, b| a.0.cmp(&b.0));
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(grouped, expected, "narrower {narrower}");
    }
    for (parent, ids) in [
        (
            AdoptionParent::Collectivity,
            dump.collectivities
                .iter()
                .map(|c| c.id.to_string())
                .collect::<Vec<_>>(),
        ),
        (
            AdoptionParent::Solution,
            dump.solutions.iter().map(|c| c.id.to_string()).collect(),
        ),
        (
            AdoptionParent::Need,
            dump.needs.iter().map(|c| c.id.to_string()).collect(),
        ),
    ] {
        let mut grouped = store
            .adoptions_by_parent(
                parent,
                ids.clone(),
                AdoptionFilter::default(),
                AdoptionSort::StartedDesc,
                1,
            )
            .await
            .unwrap();
        grouped.sort_by(|a, b| a.0.cmp(&b.0));
        let mut expected = Vec::new();
        for id in sorted_ids(ids) {
            let filter = match parent {
                AdoptionParent::Collectivity => AdoptionFilter {
                    collectivity: Some(CollectivityId::parse(&id).unwrap()),
                    ..Default::default()
                },
                AdoptionParent::Solution => AdoptionFilter {
                    solution: Some(SolutionId::parse(&id).unwrap()),
                    ..Default::default()
                },
                AdoptionParent::Need => AdoptionFilter {
                    need: Some(NeedId::parse(&id).unwrap()),
                    ..Default::default()
                },
            };
            let page = store
                .list_adoptions(filter, AdoptionSort::StartedDesc, PageRequest::first(1))
                .await
                .unwrap();
            if page.total != Some(0) {
                expected.push((id, page));
            }
        }
        assert_eq!(grouped, expected, "{parent:?}");
    }
}

async fn relations_and_provenance_match_the_dump(store: &dyn Store) {
    seed(store).await;
    let dump = store.dump().await.unwrap();
    let mut alternatives = store
        .alternatives_of(dump.solutions.iter().map(|s| s.id.clone()).collect())
        .await
        .unwrap();
    alternatives.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(alternatives, dump.alternatives);
    let outcomes = store
        .outcomes_of(dump.adoptions.iter().map(|a| a.id.clone()).collect())
        .await
        .unwrap();
    assert_eq!(outcomes, dump.outcomes);
    let subjects: BTreeSet<NodeId> = dump.citations.iter().map(|c| c.subject.clone()).collect();
    let mut citations = store
        .citations_of(subjects.into_iter().collect())
        .await
        .unwrap();
    citations.sort();
    assert_eq!(citations, dump.citations);
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for c in &dump.citations {
        *expected.entry(c.source.to_string()).or_default() += 1;
    }
    let mut counts: Vec<(String, u64)> = store
        .citation_counts(dump.sources.iter().map(|s| s.id.clone()).collect())
        .await
        .unwrap()
        .into_iter()
        .map(|(s, n)| (s.to_string(), n))
        .collect();
    counts.sort();
    assert_eq!(counts, expected.into_iter().collect::<Vec<_>>());
    // Provenance: every adoption cites a source that exists.
    let cited: HashMap<String, usize> = dump.citations.iter().fold(HashMap::new(), |mut m, c| {
        *m.entry(c.subject.to_string()).or_default() += 1;
        m
    });
    for a in &dump.adoptions {
        assert!(
            cited.get(a.id.as_str()).is_some_and(|n| *n > 0),
            "{} cites no source",
            a.id
        );
    }
    let mut narrower: Vec<(String, String)> = store
        .narrower_needs(dump.needs.iter().map(|n| n.id.clone()).collect())
        .await
        .unwrap()
        .into_iter()
        .map(|(b, n)| (b.to_string(), n.id.to_string()))
        .collect();
    narrower.sort();
    let mut expected: Vec<(String, String)> = dump
        .needs
        .iter()
        .filter_map(|n| {
            n.broader
                .as_ref()
                .map(|b| (b.to_string(), n.id.to_string()))
        })
        .collect();
    expected.sort();
    assert_eq!(narrower, expected);
}

async fn search_ids(store: &dyn Store, text: &str, kinds: Vec<EntityKind>) -> BTreeSet<String> {
    store
        .search(search_terms(text, 8), kinds, 1_000)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.id.to_string())
        .collect()
}

async fn solutions_are_found_by_description_other_names_and_need_labels(store: &dyn Store) {
    seed(store).await;
    let id = SolutionId::parse("solution:jitsi-meet").unwrap();
    let mut jitsi = store.solutions(vec![id.clone()]).await.unwrap().remove(0);
    // By the label of a need it serves (Visioconférence), with no description yet.
    let by_need = search_ids(store, "visio", vec![EntityKind::Solution]).await;
    assert!(by_need.contains(id.as_str()), "{by_need:?}");
    jitsi.description = Some(
        LocalizedText::new(
            Some("Passerelle zorglubienne de réunions".into()),
            Some("Quuxish meeting gateway".into()),
        )
        .unwrap(),
    );
    jitsi.aliases.push("Webconf Flurbo".into());
    let batch = Batch {
        solutions: vec![jitsi.clone()],
        ..Batch::default()
    };
    store.write(batch).await.unwrap();
    for text in [
        "zorglubienne",
        "ZORGLUB",
        "quuxish meeting",
        "flurbo",
        "visioconférence",
    ] {
        let found = search_ids(store, text, vec![EntityKind::Solution]).await;
        assert!(found.contains(id.as_str()), "{text}: {found:?}");
    }
    // A new description replaces the old one in the index.
    jitsi.description = Some(LocalizedText::new(Some("Autre texte".into()), None).unwrap());
    let batch = Batch {
        solutions: vec![jitsi],
        ..Batch::default()
    };
    store.write(batch).await.unwrap();
    assert!(search_ids(store, "zorglubienne", vec![]).await.is_empty());
    assert!(search_ids(store, "autre texte", vec![EntityKind::Solution])
        .await
        .contains(id.as_str()));
}

async fn search_is_accent_and_case_insensitive(store: &dyn Store) {
    seed(store).await;
    let accented = search_ids(store, "Échirolles", vec![]).await;
    assert!(
        accented.contains("collectivity:fr-commune-38151"),
        "{accented:?}"
    );
    assert_eq!(accented, search_ids(store, "echirolles", vec![]).await);
    assert_eq!(accented, search_ids(store, "ECHIROLLES", vec![]).await);
    assert!(search_ids(store, "38151", vec![])
        .await
        .contains("collectivity:fr-commune-38151"));
    let visio = search_ids(store, "visio", vec![]).await;
    assert!(visio.iter().any(|id| id.starts_with("need:")), "{visio:?}");
    assert!(visio.is_superset(&search_ids(store, "visioconférence", vec![]).await));
    let solutions = search_ids(store, "visio", vec![EntityKind::Solution]).await;
    assert!(solutions.iter().all(|id| id.starts_with("solution:")));
    assert!(store
        .search(vec!["\"*".into()], vec![], 10)
        .await
        .unwrap()
        .is_empty());
    let hits = store
        .search(search_terms("BigBlue", 8), vec![], 10)
        .await
        .unwrap();
    assert_eq!(hits[0].id.as_str(), "solution:bigbluebutton");
    assert_eq!(hits[0].label, "BigBlueButton");
    assert!(
        store
            .search(search_terms("a", 8), vec![], 3)
            .await
            .unwrap()
            .len()
            <= 3
    );
    // A term shorter than three characters matches whole words only: "vi" begins
    // "visioconférence" but is no word of it; "l" is a word of "Ministère de l'Éducation".
    assert!(search_ids(store, "vi", vec![]).await.is_empty());
    assert!(search_ids(store, "vis", vec![])
        .await
        .contains("need:video-conferencing"));
    let ministry = search_ids(store, "ministere l education", vec![]).await;
    assert!(
        ministry.iter().any(|id| id.starts_with("collectivity:")),
        "{ministry:?}"
    );
    assert!(search_ids(store, "ministere educ", vec![])
        .await
        .is_superset(&ministry));
}

async fn a_failed_batch_rolls_back_entirely(store: &dyn Store) {
    seed(store).await;
    let before = store.counts().await.unwrap();
    let revision = store.revision().await.unwrap();
    let dump = store.dump().await.unwrap();
    let template = dump.adoptions[0].clone();
    let adoption = |id: &str, collectivity: &str| retex::domain::Adoption {
        id: AdoptionId::parse(id).unwrap(),
        collectivity: CollectivityId::parse(collectivity).unwrap(),
        ..template.clone()
    };
    let mut changed = dump.collectivities[0].clone();
    changed.name = format!("{} (renamed)", changed.name);
    let batch = Batch {
        collectivities: vec![changed],
        adoptions: vec![
            adoption("adoption:valid-one", "collectivity:fr-commune-38151"),
            adoption("adoption:broken-one", "collectivity:nowhere"),
        ],
        ..Batch::default()
    };
    let err = store.write(batch).await.unwrap_err();
    assert!(
        matches!(err, StoreError::MissingReference(ref m) if m.contains("adoption:broken-one")),
        "{err}"
    );
    assert_eq!(
        store.counts().await.unwrap(),
        before,
        "the valid adoption did not land either"
    );
    assert_eq!(store.revision().await.unwrap(), revision);
    assert_eq!(
        store.dump().await.unwrap(),
        dump,
        "the renamed collectivity was rolled back"
    );
    let err = store
        .write(Batch {
            citations: vec![retex::domain::Citation {
                locator: None,
                subject: NodeId::parse("solution:no-such-thing").unwrap(),
                source: dump.sources[0].id.clone(),
            }],
            ..Batch::default()
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::MissingReference(_)), "{err}");
}

async fn missing_names_what_is_absent(store: &dyn Store) {
    seed(store).await;
    let ids: Vec<NodeId> = [
        "solution:bigbluebutton",
        "solution:nope",
        "need:nope",
        "alternative:nope--nothing",
        "source:nope",
    ]
    .iter()
    .map(|i| NodeId::parse(i).unwrap())
    .collect();
    let missing: Vec<String> = store
        .missing(ids)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.to_string())
        .collect();
    assert_eq!(
        missing,
        vec![
            "solution:nope",
            "need:nope",
            "alternative:nope--nothing",
            "source:nope"
        ]
    );
    let dump = store.dump().await.unwrap();
    let present: Vec<NodeId> = dump
        .alternatives
        .iter()
        .map(|a| NodeId::parse(a.id.as_str()).unwrap())
        .collect();
    assert!(store.missing(present).await.unwrap().is_empty());
}

// ---- Across backends --------------------------------------------------------------------

/// Both stores, seeded, when a Bolt server is configured.
async fn both_seeded(test: &str) -> Option<(Fixture, Fixture)> {
    let bolt = bolt_fixture(test).await?;
    let sqlite = sqlite_fixture().await;
    seed(sqlite.store.as_ref()).await;
    seed(bolt.store.as_ref()).await;
    Some((sqlite, bolt))
}

/// Runs the same query on both stores and asserts equal answers.
macro_rules! same {
    ($a:expr, $b:expr, |$s:ident| $call:expr) => {{
        let left = {
            let $s = $a;
            $call.await
        };
        let right = {
            let $s = $b;
            $call.await
        };
        assert_eq!(
            format!("{left:?}"),
            format!("{right:?}"),
            "{}",
            stringify!($call)
        );
    }};
}

#[tokio::test]
async fn both_backends_give_the_same_answers() {
    let Some((sqlite, bolt)) = both_seeded("both_backends_give_the_same_answers").await else {
        return;
    };
    let (a, b) = (sqlite.store.as_ref(), bolt.store.as_ref());
    let dump = a.dump().await.unwrap();
    assert_eq!(dump, b.dump().await.unwrap(), "same graph");
    same!(a, b, |s| s.counts());
    same!(a, b, |s| s.revision());
    for need in &dump.needs {
        for narrower in [false, true] {
            let filter = SolutionFilter {
                need: Some(need.id.clone()),
                include_narrower: narrower,
                ..Default::default()
            };
            same!(a, b, |s| s.list_solutions(
                filter.clone(),
                SolutionSort::Name,
                PageRequest::first(3)
            ));
            let filter = AdoptionFilter {
                need: Some(need.id.clone()),
                include_narrower: narrower,
                ..Default::default()
            };
            same!(a, b, |s| s.list_adoptions(
                filter.clone(),
                AdoptionSort::StartedDesc,
                PageRequest::first(3)
            ));
        }
    }
    for c in &dump.collectivities {
        let filter = AdoptionFilter {
            collectivity: Some(c.id.clone()),
            ..Default::default()
        };
        same!(a, b, |s| s.list_adoptions(
            filter.clone(),
            AdoptionSort::Id,
            all()
        ));
    }
    same!(a, b, |s| s.list_collectivities(
        CollectivityFilter::default(),
        CollectivitySort::PopulationDesc,
        all()
    ));
    same!(a, b, |s| s.list_collectivities(
        CollectivityFilter::default(),
        CollectivitySort::Name,
        all()
    ));
    same!(a, b, |s| s.list_needs(NeedFilter::default(), all()));
    same!(a, b, |s| s.list_sources(all()));
    same!(a, b, |s| s.list_solutions(
        SolutionFilter::default(),
        SolutionSort::Name,
        all()
    ));
    same!(a, b, |s| s.list_solutions(
        SolutionFilter {
            text: Some("office".into()),
            ..Default::default()
        },
        SolutionSort::Name,
        all()
    ));
    let needs: Vec<NeedId> = dump.needs.iter().map(|n| n.id.clone()).collect();
    same!(a, b, |s| s.solutions_by_need(
        needs.clone(),
        SolutionFilter::default(),
        SolutionSort::Name,
        2
    ));
    same!(a, b, |s| s.narrower_needs(needs.clone()));
    let solutions: Vec<SolutionId> = dump.solutions.iter().map(|n| n.id.clone()).collect();
    same!(a, b, |s| s.alternatives_of(solutions.clone()));
    same!(a, b, |s| s.outcomes_of(
        dump.adoptions.iter().map(|n| n.id.clone()).collect()
    ));
    same!(a, b, |s| s.citations_of(
        dump.citations
            .iter()
            .map(|c| c.subject.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    ));
    same!(a, b, |s| s.citation_counts(
        dump.sources.iter().map(|n| n.id.clone()).collect()
    ));
    // Search: the same set of ids (scores differ: BM25 on SQLite, whole-word matches on Bolt).
    for text in [
        "visio",
        "Échirolles",
        "Echirolles",
        "38151",
        "bureau",
        "libre office",
        "grenoble alpes",
        "mail",
    ] {
        assert_eq!(
            search_ids(a, text, vec![]).await,
            search_ids(b, text, vec![]).await,
            "search {text}"
        );
    }
}

#[tokio::test]
async fn migrate_round_trips_sqlite_to_bolt_and_back() {
    let Some(bolt) = bolt_fixture("migrate_round_trips_sqlite_to_bolt_and_back").await else {
        return;
    };
    let source = sqlite_fixture().await;
    seed(source.store.as_ref()).await;
    // An alternative's citation with a locator (alternatives are relationships on Neo4j).
    let seeded = source.store.dump().await.unwrap();
    let cited = retex::domain::Citation {
        subject: NodeId::parse(seeded.alternatives[0].id.as_str()).unwrap(),
        source: seeded.sources[0].id.clone(),
        locator: Some("replaces.json#entry=1".into()),
    };
    source
        .store
        .write(Batch {
            citations: vec![cited.clone()],
            ..Batch::default()
        })
        .await
        .unwrap();
    let there = copy_graph(source.store.as_ref(), bolt.store.as_ref())
        .await
        .unwrap();
    let back = sqlite_fixture().await;
    let again = copy_graph(bolt.store.as_ref(), back.store.as_ref())
        .await
        .unwrap();
    assert_eq!(there.digest, again.digest);
    assert_eq!(there.counts, again.counts);
    let original = source.store.dump().await.unwrap();
    assert_eq!(back.store.dump().await.unwrap(), original);
    assert!(original.citations.contains(&cited));
    assert_eq!(
        store_digest(bolt.store.as_ref()).await.unwrap(),
        there.digest
    );
    let on_bolt = bolt
        .store
        .citations_of(vec![cited.subject.clone()])
        .await
        .unwrap();
    assert!(on_bolt.contains(&cited), "{on_bolt:?}");
}

#[tokio::test]
async fn a_closed_port_is_reported_unavailable_at_once() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let config = Neo4jConfig {
        uri: format!("bolt://127.0.0.1:{port}"),
        user: "neo4j".into(),
        password: "not-shown".into(),
        database: None,
    };
    let started = std::time::Instant::now();
    let err = match Neo4jStore::open(&config).await {
        Ok(_) => panic!("nothing listens there"),
        Err(e) => e,
    };
    assert!(matches!(err, StoreError::Unavailable(_)), "{err}");
    let message = err.to_string();
    assert!(
        message.contains(&config.uri) && !message.contains("not-shown"),
        "{message}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
}

/// A TCP relay to the Bolt server that can be cut and restored on the same port, to play an
/// outage without stopping the shared server.
struct Relay {
    port: u16,
    target: std::net::SocketAddr,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Relay {
    async fn start(port: u16, target: std::net::SocketAddr) -> Self {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            // Dropping the set (when the task is aborted) closes every relayed connection.
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                connections.spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Self {
            port,
            target,
            task: Some(task),
        }
    }

    async fn cut(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }

    async fn restore(&mut self) {
        *self = Relay::start(self.port, self.target).await;
    }
}

#[tokio::test]
async fn requests_get_service_unavailable_while_the_server_is_away_then_recover() {
    let Some(bolt) =
        bolt_fixture("requests_get_service_unavailable_while_the_server_is_away").await
    else {
        return;
    };
    seed(bolt.store.as_ref()).await;
    let config = bolt_config().unwrap();
    let url = url::Url::parse(&config.uri).unwrap();
    let target = tokio::net::lookup_host((url.host_str().unwrap(), url.port().unwrap_or(7687)))
        .await
        .unwrap()
        .next()
        .unwrap();
    let mut relay = Relay::start(0, target).await;
    let relayed = Neo4jConfig {
        uri: format!("bolt://127.0.0.1:{}", relay.port),
        ..config
    };
    let app = common::TestApp::spawn_with(|c| {
        c.store = retex::app::StoreSpec::Neo4j(relayed);
        c.seed = None;
        // Every request asks the store: a kept answer or kept nodes would be served from
        // memory for the second its revision is trusted (tests/kept.rs covers that).
        c.response_cache_bytes = 0;
        c.node_cache_entries = 0;
    })
    .await;
    let query = r#"{ solution(id: "solution:bigbluebutton") { name } }"#;
    assert_eq!(app.data(query).await["solution"]["name"], "BigBlueButton");

    relay.cut().await;
    let answer = app.query(query).await;
    assert_eq!(
        common::error_codes(&answer),
        vec!["SERVICE_UNAVAILABLE"],
        "{answer}"
    );
    let health = app.client().get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 503);

    relay.restore().await;
    let mut recovered = false;
    for _ in 0..50 {
        let answer = app.query(query).await;
        if answer.get("errors").is_none() {
            assert_eq!(answer["data"]["solution"]["name"], "BigBlueButton");
            recovered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(
        recovered,
        "the app reconnects by itself once the server is back"
    );
}

async fn contributions_are_found_from_both_sides(store: &dyn Store) {
    use retex::domain::{CollectivityId, ContributionId, SolutionId};
    seed(store).await;
    let echirolles = CollectivityId::parse("collectivity:fr-commune-38151").unwrap();
    let mut by = store
        .contributions_for(vec![echirolles.clone()], vec![])
        .await
        .unwrap();
    by.sort_by(|a, b| a.id.cmp(&b.id));
    let ids: Vec<&str> = by.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "contribution:echirolles-developer-time",
            "contribution:echirolles-experience-sharing",
            "contribution:echirolles-wordpress-plugin"
        ]
    );
    assert_eq!(by[0].share_percent, Some(20.0));
    let again = store
        .contributions(vec![ContributionId::parse(
            "contribution:echirolles-developer-time",
        )
        .unwrap()])
        .await
        .unwrap();
    assert_eq!(again, by[..1]);
    let to_wordpress = store
        .contributions_for(
            vec![],
            vec![SolutionId::parse("solution:wordpress").unwrap()],
        )
        .await
        .unwrap();
    assert_eq!(to_wordpress, by[2..]);
    let to_vlc = store
        .contributions_for(vec![], vec![SolutionId::parse("solution:vlc").unwrap()])
        .await
        .unwrap();
    assert!(to_vlc.is_empty());
    assert_eq!(store.dump().await.unwrap().contributions, by);
    assert_eq!(store.counts().await.unwrap().kinds["contribution"], 3);
}

async fn the_release_watch_keeps_its_state_and_each_release_once(store: &dyn Store) {
    use chrono::{Duration, TimeZone, Utc};
    use retex::domain::{
        EndOfLife, PollOutcome, PollRecord, Release, ReleaseCycle, SolutionId, WatchSource,
    };
    use retex::store::ReleaseFilter;
    seed(store).await;
    let bbb = SolutionId::parse("solution:bigbluebutton").unwrap();
    let mut source = WatchSource::github(bbb.clone(), "retex-test/bigbluebutton-fork").unwrap();
    source.id = retex::domain::WatchSourceId::parse("watch:conformance-test").unwrap();
    let report = store
        .upsert_watch_sources(vec![source.clone()])
        .await
        .unwrap();
    assert_eq!(report.kinds["watch_source"].created, 1, "{report:?}");
    // The seed declares watch sources too; ours is found among the due ones.
    let due = store.watch_sources_due(None).await.unwrap();
    assert!(due
        .iter()
        .any(|t| t.source.id == source.id && t.etag.is_none() && t.failures == 0));

    let t0 = Utc.with_ymd_and_hms(2026, 1, 10, 12, 0, 0).unwrap();
    let mut v1 = Release::new(&source, "v3.0.0", false);
    v1.published = Some(t0 - Duration::days(2));
    let mut rc = Release::new(&source, "v3.1.0-rc.1", false);
    rc.published = Some(t0 - Duration::days(1));
    let cycle = ReleaseCycle {
        solution: bbb.clone(),
        product: "bigbluebutton".into(),
        cycle: "3.0".into(),
        released: None,
        eol: EndOfLife::NotPlanned,
        lts: false,
        latest: Some("3.0.0".into()),
    };
    let poll = |outcome, failures| PollRecord {
        source: source.id.clone(),
        checked_at: t0,
        outcome,
        next_check: t0 + Duration::hours(6),
        failures,
    };
    let fetched = PollOutcome::Fetched {
        etag: Some("\"abc\"".into()),
        last_modified: None,
        releases: vec![v1.clone(), rc.clone()],
        cycles: vec![cycle.clone()],
    };
    let new = store.record_poll(poll(fetched.clone(), 0)).await.unwrap();
    assert_eq!(new.len(), 2);
    let again = store.record_poll(poll(fetched, 0)).await.unwrap();
    assert!(again.is_empty(), "a release is stored once");

    let stable = ReleaseFilter {
        solutions: vec![bbb.clone()],
        since: None,
        include_prereleases: false,
    };
    let page = store
        .releases(stable, PageRequest::first(10))
        .await
        .unwrap();
    assert_eq!(page.total, Some(1));
    assert_eq!(page.items[0].1.version, "3.0.0");
    let with_pre = ReleaseFilter {
        solutions: vec![bbb.clone()],
        since: None,
        include_prereleases: true,
    };
    let page = store
        .releases(with_pre, PageRequest::first(10))
        .await
        .unwrap();
    let versions: Vec<&str> = page.items.iter().map(|(_, r)| r.version.as_str()).collect();
    assert_eq!(versions, vec!["3.1.0-rc.1", "3.0.0"], "newest first");
    assert_eq!(
        store.release_cycles_for(vec![bbb.clone()]).await.unwrap(),
        vec![cycle]
    );

    store
        .record_poll(poll(
            PollOutcome::Failed {
                error: "HTTP 500".into(),
            },
            1,
        ))
        .await
        .unwrap();
    let status = store.watch_status().await.unwrap();
    let ours = status.iter().find(|s| s.source.id == source.id).unwrap();
    assert_eq!(ours.last_error.as_deref(), Some("HTTP 500"));
    assert_eq!(ours.failures, 1);
    assert_eq!(ours.releases, 2);
    assert_eq!(ours.last_success, Some(t0));
    assert_eq!(ours.next_check, Some(t0 + Duration::hours(6)));
    let due_later = store
        .watch_sources_due(Some(t0 + Duration::hours(7)))
        .await
        .unwrap();
    let target = due_later.iter().find(|t| t.source.id == source.id).unwrap();
    assert_eq!(target.etag.as_deref(), Some("\"abc\""));
    assert!(store
        .watch_sources_due(Some(t0))
        .await
        .unwrap()
        .iter()
        .all(|t| t.source.id != source.id));
}

async fn release_cycles_join_imported_ones_and_new_releases_move_the_revision(store: &dyn Store) {
    use chrono::{Duration, NaiveDate, TimeZone, Utc};
    use retex::domain::{
        EndOfLife, PollOutcome, PollRecord, Release, ReleaseCycle, SolutionId, WatchSource,
    };
    seed(store).await;
    let bbb = SolutionId::parse("solution:bigbluebutton").unwrap();
    let batch = Batch {
        releases: vec![
            common::bigbluebutton_cycle("2.7", "2023-09", "2025-01-31"),
            common::bigbluebutton_cycle("3.0", "2024-07-01", "2030-12-31"),
        ],
        ..Batch::default()
    };
    store.write(batch).await.unwrap();
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    let old = ReleaseCycle {
        solution: bbb.clone(),
        product: "bigbluebutton".into(),
        cycle: "2.7".into(),
        released: Some(day("2023-09-01")),
        eol: EndOfLife::Date(day("2025-01-31")),
        lts: false,
        latest: None,
    };
    let mut both = store.release_cycles_for(vec![bbb.clone()]).await.unwrap();
    assert_eq!(both.len(), 2, "{both:?}");
    assert_eq!(both[0], old, "imported cycles read as the watch's");
    assert_eq!(both[1].eol, EndOfLife::Date(day("2030-12-31")));
    assert!(store
        .latest_releases()
        .await
        .unwrap()
        .iter()
        .all(|(s, _)| s != &bbb));

    // The watch fetches cycle 3.0 with other facts: its version wins over the imported one.
    let mut source = WatchSource::github(bbb.clone(), "retex-test/bbb-cycles").unwrap();
    source.id = retex::domain::WatchSourceId::parse("watch:conformance-cycles").unwrap();
    store
        .upsert_watch_sources(vec![source.clone()])
        .await
        .unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    let mut release = Release::new(&source, "v3.0.4", false);
    release.published = Some(t0 - Duration::days(3));
    let fetched_cycle = ReleaseCycle {
        solution: bbb.clone(),
        product: "bigbluebutton".into(),
        cycle: "3.0".into(),
        released: Some(day("2024-07-01")),
        eol: EndOfLife::NotPlanned,
        lts: true,
        latest: Some("3.0.4".into()),
    };
    let poll = PollRecord {
        source: source.id.clone(),
        checked_at: t0,
        outcome: PollOutcome::Fetched {
            etag: None,
            last_modified: None,
            releases: vec![release.clone()],
            cycles: vec![fetched_cycle.clone()],
        },
        next_check: t0 + Duration::hours(6),
        failures: 0,
    };
    let before = store.revision().await.unwrap();
    assert_eq!(store.record_poll(poll.clone()).await.unwrap().len(), 1);
    let after = store.revision().await.unwrap();
    assert!(after > before, "a new release moves the revision");
    assert!(store.record_poll(poll).await.unwrap().is_empty());
    assert_eq!(
        store.revision().await.unwrap(),
        after,
        "nothing new: the revision stays"
    );
    both = store.release_cycles_for(vec![bbb.clone()]).await.unwrap();
    assert_eq!(both, vec![old, fetched_cycle]);
    let latest = store.latest_releases().await.unwrap();
    let ours: Vec<_> = latest.iter().filter(|(s, _)| s == &bbb).collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0].1, t0 - Duration::days(3));
}

async fn tokens_versions_and_history_behave_alike(store: &dyn Store) {
    use chrono::Utc;
    use retex::domain::{ChangeAction, NodeId, Scope, Token, TokenId, TokenSecret};
    use retex::store::{version_of, Change, StoreError};
    seed(store).await;
    let secret = TokenSecret::new("a conformance test secret");
    let (_, hash) = secret.generate().unwrap();
    let token = Token {
        id: TokenId::generate().unwrap(),
        collectivity: None,
        scopes: vec![Scope::Admin],
        label: Some("conformance".into()),
        created: Utc::now(),
        expires: None,
        revoked: None,
    };
    store
        .create_token(token.clone(), hash.clone())
        .await
        .unwrap();
    assert_eq!(
        store.find_token_by_hash(hash.clone()).await.unwrap(),
        Some(token.clone())
    );
    assert!(store
        .list_tokens()
        .await
        .unwrap()
        .iter()
        .any(|t| t.id == token.id));

    let dump = store.dump().await.unwrap();
    let mut vlc = dump
        .solutions
        .iter()
        .find(|s| s.id.as_str() == "solution:vlc")
        .unwrap()
        .clone();
    let node: NodeId = vlc.id.clone().into();
    let seen = version_of(&vlc);
    vlc.name = "VLC media player (edited)".into();
    let change = |batch, expected: Option<String>, key: Option<&str>| Change {
        node: node.clone(),
        batch,
        expected_version: expected,
        author: token.id.clone(),
        action: ChangeAction::Update,
        comment: Some("conformance".into()),
        idempotency_key: key.map(str::to_owned),
    };
    let edit = retex::domain::Batch {
        solutions: vec![vlc.clone()],
        ..Default::default()
    };
    let receipt = store
        .write_change(change(edit.clone(), Some(seen.clone()), None))
        .await
        .unwrap();
    assert_eq!(receipt.version, version_of(&vlc));
    assert!(!receipt.replayed);
    let stale = store
        .write_change(change(edit.clone(), Some(seen), None))
        .await
        .unwrap_err();
    assert!(matches!(stale, StoreError::Conflict(_)), "{stale:?}");
    let history: Vec<_> = store
        .history_of(node.clone().into(), PageRequest::first(10))
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].author, token.id);
    assert_eq!(
        history[0].after.as_ref().unwrap()["name"],
        "VLC media player (edited)"
    );
    assert_eq!(
        history[0].before.as_ref().unwrap()["name"],
        "VLC media player"
    );

    assert!(store
        .revoke_token(token.id.clone(), Utc::now())
        .await
        .unwrap());
    assert!(store
        .find_token_by_hash(hash)
        .await
        .unwrap()
        .unwrap()
        .revoked
        .is_some());
    assert!(!store
        .revoke_token(TokenId::generate().unwrap(), Utc::now())
        .await
        .unwrap());
}

async fn watch_source_changes_are_versioned_and_paged_alike(store: &dyn Store) {
    use chrono::{Duration, Utc};
    use retex::domain::{
        ChangeAction, ChangeSubject, PartialDate, PollOutcome, PollRecord, TokenId, WatchLocation,
        WatchSource, WatchSourceId, WebUrl,
    };
    use retex::store::{version_of, Change, WatchChange};
    seed(store).await;
    let author = TokenId::generate().unwrap();
    let nextcloud = SolutionId::parse("solution:nextcloud").unwrap();
    let id = WatchSourceId::parse("watch:conformance-feed").unwrap();
    let feed = |url: &str| WatchLocation::Feed(WebUrl::parse(url).unwrap());
    let source = WatchSource::declare(
        nextcloud.clone(),
        feed("https://example.org/a.atom"),
        Some(id.clone()),
        Some(3600),
    )
    .unwrap();
    let change =
        |source: &WatchSource, expected: Option<String>, action, key: Option<&str>| WatchChange {
            source: source.clone(),
            expected_version: expected,
            author: author.clone(),
            action,
            comment: Some(format!("{action:?}")),
            idempotency_key: key.map(str::to_owned),
        };
    let created = store
        .write_watch_change(change(&source, None, ChangeAction::Create, Some("k1")))
        .await
        .unwrap();
    assert_eq!(created.source, id);
    assert_eq!(created.version, version_of(&source));
    assert!(!created.replayed);
    let replay = store
        .write_watch_change(change(&source, None, ChangeAction::Create, Some("k1")))
        .await
        .unwrap();
    assert!(replay.replayed);
    assert_eq!(replay.version, created.version);
    let twice = store
        .write_watch_change(change(&source, None, ChangeAction::Create, None))
        .await
        .unwrap_err();
    assert!(matches!(twice, StoreError::Conflict(_)), "{twice:?}");
    // A key used for a watch source is not reused for a graph node, nor the other way round.
    let dump = store.dump().await.unwrap();
    let vlc = dump
        .solutions
        .iter()
        .find(|s| s.id.as_str() == "solution:vlc")
        .unwrap()
        .clone();
    let node_change = Change {
        node: vlc.id.clone().into(),
        batch: Batch {
            solutions: vec![vlc.clone()],
            ..Batch::default()
        },
        expected_version: Some(version_of(&vlc)),
        author: author.clone(),
        action: ChangeAction::Update,
        comment: None,
        idempotency_key: Some("k1".into()),
    };
    let crossed = store.write_change(node_change).await.unwrap_err();
    assert!(matches!(crossed, StoreError::Conflict(_)), "{crossed:?}");
    let missing_solution = WatchSource::declare(
        SolutionId::parse("solution:nothing-here").unwrap(),
        feed("https://example.org/x.atom"),
        Some(WatchSourceId::parse("watch:conformance-orphan").unwrap()),
        None,
    )
    .unwrap();
    let orphan = store
        .write_watch_change(change(&missing_solution, None, ChangeAction::Create, None))
        .await
        .unwrap_err();
    assert!(
        matches!(orphan, StoreError::MissingReference(_)),
        "{orphan:?}"
    );

    // A poll leaves validators; the interval changes keep them, a new URL forgets them.
    let t0 = Utc::now();
    store
        .record_poll(PollRecord {
            source: id.clone(),
            checked_at: t0,
            outcome: PollOutcome::Fetched {
                etag: Some("\"e1\"".into()),
                last_modified: Some("Mon, 01 Jan 2026 00:00:00 GMT".into()),
                releases: Vec::new(),
                cycles: Vec::new(),
            },
            next_check: t0 + Duration::hours(1),
            failures: 0,
        })
        .await
        .unwrap();
    let mut slower = source.clone();
    slower.interval_secs = 7200;
    let updated = store
        .write_watch_change(change(
            &slower,
            Some(created.version.clone()),
            ChangeAction::Update,
            None,
        ))
        .await
        .unwrap();
    assert_eq!(updated.version, version_of(&slower));
    let stale = store
        .write_watch_change(change(
            &slower,
            Some(created.version.clone()),
            ChangeAction::Update,
            None,
        ))
        .await
        .unwrap_err();
    assert!(matches!(stale, StoreError::Conflict(_)), "{stale:?}");
    let find = |due: Vec<retex::domain::WatchTarget>| due.into_iter().find(|t| t.source.id == id);
    let kept = find(store.watch_sources_due(None).await.unwrap()).unwrap();
    assert_eq!(kept.etag.as_deref(), Some("\"e1\""));
    assert!(find(store.watch_sources_due(Some(t0)).await.unwrap()).is_none());
    let moved = slower.relocate(feed("https://example.org/b.atom")).unwrap();
    assert_eq!(moved.interval_secs, 7200);
    let moved_receipt = store
        .write_watch_change(change(
            &moved,
            Some(updated.version.clone()),
            ChangeAction::Update,
            None,
        ))
        .await
        .unwrap();
    let due = find(store.watch_sources_due(Some(t0)).await.unwrap()).unwrap();
    assert_eq!(due.etag, None);
    assert_eq!(due.last_modified, None);
    assert_eq!(due.source.url.as_str(), "https://example.org/b.atom");

    // Retired: never due again, still found by id and in the status, marked.
    let mut retired = moved.clone();
    retired.retired = Some(PartialDate::parse("2026-02-01").unwrap());
    store
        .write_watch_change(change(
            &retired,
            Some(moved_receipt.version.clone()),
            ChangeAction::Retire,
            None,
        ))
        .await
        .unwrap();
    assert!(find(store.watch_sources_due(None).await.unwrap()).is_none());
    assert_eq!(
        store.watch_sources(vec![id.clone()]).await.unwrap(),
        vec![retired.clone()]
    );
    let status = store.watch_status().await.unwrap();
    let ours = status.iter().find(|s| s.source.id == id).unwrap();
    assert_eq!(ours.source.retired, retired.retired);
    // The seed's sources are still due.
    assert!(store
        .watch_sources_due(None)
        .await
        .unwrap()
        .iter()
        .any(|t| t.source.id.as_str() == "watch:nextcloud-github"));

    // History: four changes, newest first, walked two at a time.
    let subject = ChangeSubject::Watch(id.clone());
    let mut after = None;
    let mut walked = Vec::new();
    let mut sizes = Vec::new();
    loop {
        let page = store
            .history_of(
                subject.clone(),
                PageRequest {
                    first: 3,
                    after: after.clone(),
                    want_total: true,
                },
            )
            .await
            .unwrap();
        assert_eq!(page.total, Some(4));
        assert_eq!(page.has_previous, after.is_some());
        sizes.push(page.items.len());
        for (_, e) in &page.items {
            assert_eq!(e.node, subject);
            assert_eq!(e.author, author);
            walked.push((e.action, e.comment.clone()));
        }
        if !page.has_next {
            break;
        }
        after = page.items.last().map(|(c, _)| c.clone());
    }
    assert_eq!(sizes, [3, 1]);
    assert_eq!(
        walked,
        [
            (ChangeAction::Retire, Some("Retire".to_owned())),
            (ChangeAction::Update, Some("Update".to_owned())),
            (ChangeAction::Update, Some("Update".to_owned())),
            (ChangeAction::Create, Some("Create".to_owned())),
        ]
    );
    let entries = store
        .history_of(subject.clone(), PageRequest::first(10))
        .await
        .unwrap();
    let newest = &entries.items[0].1;
    assert_eq!(
        newest.before.as_ref().unwrap()["url"],
        "https://example.org/b.atom"
    );
    assert_eq!(newest.after.as_ref().unwrap()["retired"], "2026-02-01");
    assert!(entries.items[3].1.before.is_none());
    // A cursor of another subject's history is refused.
    let other = store
        .history_of(
            ChangeSubject::parse("solution:vlc").unwrap(),
            PageRequest {
                first: 2,
                after: Some(entries.items[0].0.clone()),
                want_total: false,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(other, StoreError::Invalid(_)), "{other:?}");
    let empty = store
        .history_of(
            ChangeSubject::parse("need:video-conferencing").unwrap(),
            PageRequest::first(5),
        )
        .await
        .unwrap();
    assert!(empty.items.is_empty() && !empty.has_next);
    assert_eq!(empty.total, Some(0));
}

async fn adoptions_with(store: &dyn Store, filter: AdoptionFilter) -> Vec<String> {
    let page = store
        .list_adoptions(filter, AdoptionSort::Id, all())
        .await
        .unwrap();
    ids_of(&page, |a| a.id.to_string())
}

async fn retired_nodes_leave_live_listings_alike(store: &dyn Store) {
    use retex::domain::PartialDate;
    seed(store).await;
    let dump = store.dump().await.unwrap();
    let retired_on = Some(PartialDate::parse("2026-01-15").unwrap());
    // A need with no user, and an outcome of an adoption.
    let unused: BTreeSet<&str> = dump
        .solutions
        .iter()
        .flat_map(|s| s.needs.iter().map(|n| n.as_str()))
        .chain(dump.adoptions.iter().map(|a| a.need.as_str()))
        .chain(
            dump.needs
                .iter()
                .filter_map(|n| n.broader.as_ref().map(|b| b.as_str())),
        )
        .collect();
    let mut need = dump
        .needs
        .iter()
        .find(|n| !unused.contains(n.id.as_str()))
        .expect("the seed has a need nothing uses")
        .clone();
    // An outcome alone of its kind on its adoption: retiring it takes the adoption out of
    // that kind's filter.
    let mut outcome = dump
        .outcomes
        .iter()
        .find(|o| {
            dump.outcomes
                .iter()
                .filter(|p| p.adoption == o.adoption && p.kind == o.kind)
                .count()
                == 1
        })
        .expect("the seed has such an outcome")
        .clone();
    let kind_filter = AdoptionFilter {
        outcome_kinds: vec![outcome.kind],
        ..AdoptionFilter::default()
    };
    let before = adoptions_with(store, kind_filter.clone()).await;
    assert!(before.contains(&outcome.adoption.to_string()));
    let listed_needs = |include_retired| NeedFilter {
        include_retired,
        ..NeedFilter::default()
    };
    let needs_before = store.list_needs(listed_needs(false), all()).await.unwrap();
    assert!(ids_of(&needs_before, |n| n.id.to_string()).contains(&need.id.to_string()));

    // Found by its label before, not after: search offers live needs only.
    let label = need.label.get(true).to_owned();
    let found =
        |hits: Vec<retex::store::SearchHit>| hits.iter().any(|h| h.id.as_str() == need.id.as_str());
    assert!(found(
        store
            .search(search_terms(&label, 8), vec![EntityKind::Need], 50)
            .await
            .unwrap()
    ));
    need.retired = retired_on;
    outcome.retired = retired_on;
    store
        .write(Batch {
            needs: vec![need.clone()],
            outcomes: vec![outcome.clone()],
            ..Batch::default()
        })
        .await
        .unwrap();

    assert!(!found(
        store
            .search(search_terms(&label, 8), vec![EntityKind::Need], 50)
            .await
            .unwrap()
    ));
    let live = store.list_needs(listed_needs(false), all()).await.unwrap();
    let live_ids = ids_of(&live, |n| n.id.to_string());
    assert!(!live_ids.contains(&need.id.to_string()));
    assert_eq!(live.total, needs_before.total.map(|t| t - 1));
    let every = store.list_needs(listed_needs(true), all()).await.unwrap();
    assert_eq!(every.total, needs_before.total);
    assert_eq!(
        store.needs(vec![need.id.clone()]).await.unwrap(),
        vec![need.clone()],
        "still readable by id"
    );
    let after = adoptions_with(store, kind_filter).await;
    assert!(!after.contains(&outcome.adoption.to_string()), "{after:?}");
    assert_eq!(after.len(), before.len() - 1);
    let read = store.outcomes(vec![outcome.id.clone()]).await.unwrap();
    assert_eq!(read, vec![outcome.clone()]);
    let of = store
        .outcomes_of(vec![outcome.adoption.clone()])
        .await
        .unwrap();
    assert!(
        of.contains(&outcome),
        "outcomes_of keeps retired ones (numbering)"
    );
    // The dump carries the marks (migration and export keep them).
    let dumped = store.dump().await.unwrap();
    assert_eq!(
        dumped
            .needs
            .iter()
            .find(|n| n.id == need.id)
            .unwrap()
            .retired,
        retired_on
    );
}

async fn concurrent_versioned_writes_conflict_alike(store: &dyn Store) {
    use retex::domain::{ChangeAction, ChangeSubject, TokenId};
    use retex::store::{version_of, Change};
    seed(store).await;
    let author = TokenId::generate().unwrap();
    let dump = store.dump().await.unwrap();
    for round in 0..3 {
        let current = store
            .solutions(vec![SolutionId::parse("solution:vlc").unwrap()])
            .await
            .unwrap()
            .pop()
            .unwrap();
        let seen = version_of(&current);
        let edit = |name: String| {
            let mut edited = current.clone();
            edited.name = name;
            Change {
                node: edited.id.clone().into(),
                batch: Batch {
                    solutions: vec![edited],
                    ..Batch::default()
                },
                expected_version: Some(seen.clone()),
                author: author.clone(),
                action: ChangeAction::Update,
                comment: None,
                idempotency_key: None,
            }
        };
        // The same edit twice, and two different edits: one wins, the other is a conflict.
        let (a, b) = if round == 0 {
            (edit("VLC (same)".into()), edit("VLC (same)".into()))
        } else {
            (edit(format!("VLC a{round}")), edit(format!("VLC b{round}")))
        };
        let (ra, rb) = tokio::join!(store.write_change(a), store.write_change(b));
        let wins = [&ra, &rb].iter().filter(|r| r.is_ok()).count();
        let conflicts = [&ra, &rb]
            .iter()
            .filter(|r| matches!(r, Err(StoreError::Conflict(_))))
            .count();
        assert_eq!((wins, conflicts), (1, 1), "round {round}: {ra:?} {rb:?}");
    }
    let history = store
        .history_of(
            ChangeSubject::parse("solution:vlc").unwrap(),
            PageRequest::first(10),
        )
        .await
        .unwrap();
    assert_eq!(history.total, Some(3), "one entry per winning change");
    assert!(dump
        .solutions
        .iter()
        .any(|s| s.id.as_str() == "solution:vlc"));
}

/// The seed's nodes and its watch sources are one transaction: a watch source that cannot be
/// written takes the whole seed back; the content digest covers watch sources.
async fn a_seed_and_its_watch_sources_land_in_one_transaction(store: &dyn Store) {
    use retex::domain::{WatchLocation, WatchSource, WatchSourceId, WebUrl};
    // The built-in seed, as serve and import --all load it.
    let dir = tempfile::tempdir().unwrap();
    let oracle = SqliteStore::open(dir.path().join("oracle.db"))
        .await
        .unwrap();
    retex::import::seed::load_embedded(&oracle).await.unwrap();
    let batch = oracle.dump().await.unwrap();
    let watch: Vec<WatchSource> = oracle
        .watch_status()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.source)
        .collect();
    assert_eq!(watch.len(), 14);
    // One watch source follows a solution that neither the seed nor the store holds.
    let orphan = WatchSource::declare(
        SolutionId::parse("solution:nothing-here").unwrap(),
        WatchLocation::Feed(WebUrl::parse("https://example.org/x.atom").unwrap()),
        Some(WatchSourceId::parse("watch:conformance-orphan").unwrap()),
        None,
    )
    .unwrap();
    let mut broken = watch.clone();
    broken.push(orphan);
    let err = store.write_seed(batch.clone(), broken).await.unwrap_err();
    assert!(matches!(err, StoreError::MissingReference(_)), "{err:?}");
    assert!(
        store
            .counts()
            .await
            .unwrap()
            .kinds
            .values()
            .all(|n| *n == 0),
        "no node of the seed landed"
    );
    assert!(
        store.watch_status().await.unwrap().is_empty(),
        "nor a watch source"
    );
    assert_eq!(store.revision().await.unwrap(), 0);
    // The whole seed, once.
    let report = store
        .write_seed(batch.clone(), watch.clone())
        .await
        .unwrap();
    assert_eq!(report.kinds["watch_source"].created, 14);
    assert_eq!(store.watch_status().await.unwrap().len(), 14);
    assert_eq!(store.dump().await.unwrap(), batch);
    let digest = store_digest(store).await.unwrap();
    assert_eq!(digest, store_digest(&oracle).await.unwrap());
    assert!(store
        .write_seed(batch, watch.clone())
        .await
        .unwrap()
        .is_no_op());
    // A changed watch source changes the digest, though the graph is the same.
    let mut slower = watch[0].clone();
    slower.interval_secs += 60;
    store.upsert_watch_sources(vec![slower]).await.unwrap();
    assert_ne!(store_digest(store).await.unwrap(), digest);
}
