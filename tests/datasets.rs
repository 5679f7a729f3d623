//! Importing the real open datasets of the shared data folder.
//!
//! The folder comes from `RETEX_SHARED_DATA` (default `../shared/data` next to the crate). When
//! it is missing these tests fail in CI (`CI=true`) and are skipped, with a notice, elsewhere.

use std::path::{Path, PathBuf};

use retex::domain::{CollectivityId, CollectivityKind, NodeId};
use retex::import::{import, Kind, Options, Summary};
use retex::store::sqlite::SqliteStore;
use retex::store::Store;

/// The shared data folder, or `None` (after a notice) when it is absent outside CI.
fn shared_data() -> Option<PathBuf> {
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

async fn store(dir: &Path) -> SqliteStore {
    SqliteStore::open(dir.join("retex.db")).await.unwrap()
}

async fn run(store: &SqliteStore, kind: Kind, path: &Path) -> Summary {
    import(
        store,
        Some(kind),
        &path.to_string_lossy(),
        &Options::default(),
    )
    .await
    .unwrap_or_else(|e| panic!("import {} failed: {e}", kind.name()))
}

fn created(summary: &Summary, kind: &str) -> u64 {
    summary.report.kinds.get(kind).map_or(0, |k| k.created)
}

/// Copies a dataset folder into a temporary one, to break a copy of it.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
}

#[tokio::test]
async fn collectivities_import_every_body_once_and_twice_changes_nothing() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path()).await;
    let folder = data.join("decoupage-administratif");
    let first = run(&store, Kind::Collectivities, &folder).await;
    // 34,969 communes + 1,255 EPCI + 11 EPT + 109 departments + 26 regions.
    assert_eq!(created(&first, "collectivity"), 36_370);
    let found = store
        .collectivities(vec![
            CollectivityId::parse("collectivity:fr-commune-38151").unwrap(),
            CollectivityId::parse("collectivity:fr-epci-200040715").unwrap(),
            CollectivityId::parse("collectivity:fr-commune-93001").unwrap(),
        ])
        .await
        .unwrap();
    let echirolles = found.iter().find(|c| c.name == "Échirolles").unwrap();
    assert_eq!(echirolles.population, Some(37_491));
    assert_eq!(echirolles.siren.as_ref().unwrap().as_str(), "213801517");
    assert_eq!(
        echirolles.parent.as_ref().unwrap().as_str(),
        "collectivity:fr-epci-200040715"
    );
    let metro = found
        .iter()
        .find(|c| c.kind == CollectivityKind::Intercommunality)
        .unwrap();
    assert_eq!(metro.population, Some(449_509));
    let aubervilliers = found.iter().find(|c| c.name == "Aubervilliers").unwrap();
    assert_eq!(
        aubervilliers.member_of[0].as_str(),
        "collectivity:fr-ept-200057867"
    );
    let citations = store
        .citations_of(vec![NodeId::parse("collectivity:fr-commune-38151").unwrap()])
        .await
        .unwrap();
    assert_eq!(
        citations[0].locator.as_deref(),
        Some("decoupage-administratif/communes.json#code=38151")
    );

    let again = run(&store, Kind::Collectivities, &folder).await;
    assert!(again.report.is_no_op(), "{:?}", again.report);
}

#[tokio::test]
async fn a_broken_collectivities_file_is_rejected_with_its_record_and_the_store_is_unchanged() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("decoupage");
    copy_dir(&data.join("decoupage-administratif"), &copy);
    let epci = std::fs::read_to_string(copy.join("epci.json")).unwrap();
    std::fs::write(
        copy.join("epci.json"),
        epci.replacen("\"code\":\"200040715\"", "\"code\":\"200040716\"", 1),
    )
    .unwrap();
    let store = store(dir.path()).await;
    let before = store.counts().await.unwrap();
    let err = import(
        &store,
        Some(Kind::Collectivities),
        &copy.to_string_lossy(),
        &Options::default(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("epci.json:") && err.contains("200040716"),
        "{err}"
    );
    assert!(!err.contains("epci.json:0:"), "the line is known: {err}");
    assert!(err.contains("check digit"), "{err}");
    assert_eq!(store.counts().await.unwrap(), before);

    std::fs::write(copy.join("epci.json"), "[{\"code\": ").unwrap();
    let err = import(
        &store,
        Some(Kind::Collectivities),
        &copy.to_string_lossy(),
        &Options::default(),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("epci.json:1:"), "{err}");
    assert_eq!(store.counts().await.unwrap(), before);
}
