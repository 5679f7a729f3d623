//! The State support contract's upstream contributions, imported from the real file.

mod common;

use std::path::PathBuf;

use common::{seed_dir, TestApp};
use retex::domain::{ContributionKind, SolutionId};
use retex::store::sqlite::SqliteStore;
use retex::store::Store;

/// The shared datasets: `RETEX_SHARED_DATA`, else `../shared/data`. In CI they must be there.
fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("RETEX_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").is_err(),
        "CI must have the shared datasets at {}",
        dir.display()
    );
    eprintln!("skipped: no shared datasets at {}", dir.display());
    None
}

fn contributions_file(data: &std::path::Path) -> PathBuf {
    data.join("codegouvfr-support-contract")
        .join(retex::import::support_contract::FILE_NAME)
}

#[tokio::test]
async fn the_support_contracts_contributions_land_on_the_graphs_solutions() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("retex.db"))
        .await
        .unwrap();
    retex::import::import_path(&store, &seed_dir())
        .await
        .unwrap();
    let report = retex::import::import_path(&store, &contributions_file(&data))
        .await
        .unwrap();
    assert_eq!(report.kinds["contribution"].created, 46);
    assert_eq!(
        report.kinds.get("collectivity").map_or(0, |k| k.updated),
        0,
        "the seed's DINUM is kept"
    );

    let all: Vec<_> = store
        .dump()
        .await
        .unwrap()
        .contributions
        .into_iter()
        .filter(|c| c.collectivity.as_str() == "collectivity:fr-dinum")
        .collect();
    assert_eq!(all.len(), 46);
    let libreoffice = SolutionId::parse("solution:libreoffice").unwrap();
    assert_eq!(
        all.iter()
            .filter(|c| c.solution.as_ref() == Some(&libreoffice))
            .count(),
        30
    );
    assert_eq!(
        all.iter()
            .filter(|c| c.contractor.as_deref() == Some("Arawa/Collabora"))
            .count(),
        32
    );
    let lemon: Vec<_> = all
        .iter()
        .filter(|c| c.software.as_deref() == Some("LemonLDAP ::NG"))
        .collect();
    assert_eq!(
        lemon.len(),
        5,
        "the no-break space in the name is normalised"
    );
    assert!(
        lemon
            .iter()
            .filter(|c| c.kind == ContributionKind::Documentation)
            .count()
            >= 2
    );
    let thunderbird_cves: Vec<_> = all
        .iter()
        .filter(|c| c.software.as_deref() == Some("Thunderbird"))
        .collect();
    assert_eq!(thunderbird_cves.len(), 2);
    assert!(
        thunderbird_cves.iter().all(|c| c.references.is_empty()),
        "those rows have no upstream link"
    );
    assert!(all
        .iter()
        .all(|c| c.started.is_some() && c.started == c.ended));

    let again = retex::import::import_path(&store, &contributions_file(&data))
        .await
        .unwrap();
    assert!(again.is_no_op(), "{again:?}");
}

#[tokio::test]
async fn the_api_shows_who_gives_back_to_a_solution() {
    let Some(data) = shared_data() else { return };
    let app = TestApp::spawn().await;
    let store = SqliteStore::open(&app.store_path).await.unwrap();
    retex::import::import_path(&store, &contributions_file(&data))
        .await
        .unwrap();
    let answer = app
        .data(r#"{ solution(id: "solution:libreoffice") { contributors { collectivity { id } contractor kind references started sources { id licence } } } }"#)
        .await;
    let contributors = answer["solution"]["contributors"].as_array().unwrap();
    assert_eq!(contributors.len(), 30);
    let first = &contributors[0];
    assert_eq!(first["collectivity"]["id"], "collectivity:fr-dinum");
    assert_eq!(first["sources"][0]["licence"], "etalab-2.0");
    assert!(first["references"][0]
        .as_str()
        .unwrap()
        .starts_with("https://git.libreoffice.org/"));
}

#[tokio::test]
async fn a_broken_copy_is_rejected_with_its_line_and_changes_nothing() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("retex.db"))
        .await
        .unwrap();
    retex::import::import_path(&store, &seed_dir())
        .await
        .unwrap();
    let before = store.counts().await.unwrap();
    let text = std::fs::read_to_string(contributions_file(&data)).unwrap();
    let at = text.find("| 30/03/21 |").unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let broken = dir.path().join(retex::import::support_contract::FILE_NAME);
    std::fs::write(&broken, text.replacen("| 30/03/21 |", "| 30-03-2021 |", 1)).unwrap();
    let err = retex::import::import_path(&store, &broken)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!(":{line}:")) && err.contains("Date"),
        "{err}"
    );
    assert_eq!(store.counts().await.unwrap(), before);
}
