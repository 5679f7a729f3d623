//! Importing the seed: idempotent, atomic, and precise about what is wrong.

mod common;

use std::path::Path;
use std::process::Command;

use common::seed_dir;
use retex::domain::{
    Adoption, AdoptionId, AdoptionStatus, Batch, CollectivityId, NeedId, SolutionId,
};
use retex::store::sqlite::SqliteStore;
use retex::store::{Store, StoreError};

fn copy_seed(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(seed_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

async fn seeded_store(dir: &Path) -> SqliteStore {
    let store = SqliteStore::open(dir.join("retex.db")).await.unwrap();
    retex::import::import_path(&store, &seed_dir())
        .await
        .unwrap();
    store
}

#[tokio::test]
async fn importing_twice_changes_nothing_and_edits_update_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path()).await;
    let before = store.counts().await.unwrap();
    let again = retex::import::import_path(&store, &seed_dir())
        .await
        .unwrap();
    assert!(again.is_no_op(), "{again:?}");
    assert_eq!(again.kinds["solution"].unchanged, before.kinds["solution"]);
    assert_eq!(store.counts().await.unwrap(), before);

    let copy = dir.path().join("seed");
    copy_seed(&copy);
    let file = copy.join("collectivities.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("population: 22020"));
    std::fs::write(
        &file,
        text.replace("population: 22020", "population: 22021"),
    )
    .unwrap();
    let edited = retex::import::import_path(&store, &copy).await.unwrap();
    assert_eq!(edited.kinds["collectivity"].updated, 1);
    assert_eq!(edited.kinds["solution"].updated, 0);
    let fontaine = store
        .collectivities(vec![
            CollectivityId::parse("collectivity:fr-commune-38169").unwrap()
        ])
        .await
        .unwrap();
    assert_eq!(fontaine[0].population, Some(22021));
}

/// Breaks `pattern` into `replacement` in a copy of the seed file `name`; returns the folder and
/// the 1-based line of the break.
fn broken_copy(
    dir: &Path,
    name: &str,
    pattern: &str,
    replacement: &str,
) -> (std::path::PathBuf, usize) {
    let copy = dir.join("broken");
    copy_seed(&copy);
    let file = copy.join(name);
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text
        .find(pattern)
        .unwrap_or_else(|| panic!("{pattern} in {name}"));
    let line = text[..at].matches('\n').count() + 1;
    std::fs::write(
        &file,
        format!(
            "{}{}{}",
            &text[..at],
            replacement,
            &text[at + pattern.len()..]
        ),
    )
    .unwrap();
    (copy, line)
}

#[tokio::test]
async fn a_broken_seed_fails_with_file_and_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path()).await;
    let before = store.counts().await.unwrap();

    // A new solution in one file, and a bad date in another: neither may land.
    let (copy, line) = broken_copy(
        dir.path(),
        "adoptions.yaml",
        "started: 2020",
        "started: 2020-13",
    );
    let extra = "\n  - id: solution:should-not-land\n    name: Should not land\n    kind: PROPRIETARY\n    needs: [need:video-conferencing]\n";
    let solutions = copy.join("solutions.yaml");
    let text = std::fs::read_to_string(&solutions).unwrap();
    std::fs::write(&solutions, format!("{text}{extra}")).unwrap();

    let err = retex::import::import_path(&store, &copy)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains(&format!("adoptions.yaml:{line}:")), "{err}");
    assert!(err.contains("2020-13"), "{err}");
    assert_eq!(store.counts().await.unwrap(), before);
    let missing = store
        .solutions(vec![SolutionId::parse("solution:should-not-land").unwrap()])
        .await
        .unwrap();
    assert!(missing.is_empty());
}

#[tokio::test]
async fn unknown_references_and_bad_licences_point_at_their_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("retex.db"))
        .await
        .unwrap();

    let (copy, line) = broken_copy(
        dir.path(),
        "adoptions.yaml",
        "solution: solution:bigbluebutton",
        "solution: solution:nowhere",
    );
    let err = retex::import::import_path(&store, &copy)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("solution:nowhere") && err.contains("defined neither"),
        "{err}"
    );
    let reported: usize = err
        .split("adoptions.yaml:")
        .nth(1)
        .unwrap()
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        reported > 0 && reported <= line,
        "reported at line {reported}, the record's reference is at {line}"
    );
    assert!(
        store
            .counts()
            .await
            .unwrap()
            .kinds
            .values()
            .all(|n| *n == 0),
        "nothing written"
    );

    let dir2 = tempfile::tempdir().unwrap();
    let (copy, line) = broken_copy(
        dir2.path(),
        "solutions.yaml",
        "licence: MPL-2.0",
        "licence: Mozilla public licence",
    );
    let err = retex::import::import_path(&store, &copy)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("solutions.yaml:{line}:")) && err.contains("SPDX"),
        "{err}"
    );
}

#[tokio::test]
async fn files_that_are_not_yaml_or_not_utf8_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("retex.db"))
        .await
        .unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, b"needs:\n  - id: need:x\n    label: {en: \xff\xfe}\n").unwrap();
    let err = retex::import::import_path(&store, &bad)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("bad.yaml:3:") && err.contains("UTF-8"),
        "{err}"
    );
    std::fs::write(
        &bad,
        "needs:\n  - id: need:x\n    label: {en: X}\n  - id: [need:y\n",
    )
    .unwrap();
    let err = retex::import::import_path(&store, &bad)
        .await
        .unwrap_err()
        .to_string();
    let line: usize = err
        .split("bad.yaml:")
        .nth(1)
        .unwrap()
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (4..=5).contains(&line),
        "the unclosed list is at the end: {err}"
    );
    let err = retex::import::import_path(&store, &dir.path().join("nowhere"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("nowhere"), "{err}");
}

#[tokio::test]
async fn a_batch_with_a_broken_reference_rolls_back_entirely() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path()).await;
    let before = store.counts().await.unwrap();
    let adoption = |id: &str, collectivity: &str| Adoption {
        id: AdoptionId::parse(id).unwrap(),
        collectivity: CollectivityId::parse(collectivity).unwrap(),
        solution: SolutionId::parse("solution:bigbluebutton").unwrap(),
        need: NeedId::parse("need:video-conferencing").unwrap(),
        status: AdoptionStatus::Pilot,
        started: None,
        ended: None,
        strategy: None,
        hosting: None,
        scale: None,
        replaced: vec![],
        note: None,
        status_history: vec![],
    };
    let batch = Batch {
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
}

fn retex(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_retex"))
        .args(args)
        .env("RETEX_LOG", "error")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_explains_failures_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("retex.db");
    let db = db.to_str().unwrap();

    let (ok, err) = retex(&["--store", db, "import", "/no/such/seed"]);
    assert!(!ok);
    assert!(
        err.starts_with("error: ")
            && err.contains("/no/such/seed")
            && err.trim().lines().count() == 1,
        "{err}"
    );

    let corrupt = dir.path().join("corrupt.db");
    std::fs::write(&corrupt, vec![b'x'; 8192]).unwrap();
    let (ok, err) = retex(&[
        "--store",
        corrupt.to_str().unwrap(),
        "import",
        seed_dir().to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        err.contains("corrupt") && err.contains("corrupt.db") && err.trim().lines().count() == 1,
        "{err}"
    );

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (ok, err) = retex(&["--store", db, "serve", "--listen", &addr, "--no-seed"]);
    assert!(!ok);
    assert!(
        err.contains("cannot listen on") && err.contains(&addr) && err.trim().lines().count() == 1,
        "{err}"
    );
}

#[tokio::test]
async fn the_dump_holds_the_whole_graph_and_the_revision_tracks_changes() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("retex.db"))
        .await
        .unwrap();
    assert_eq!(store.revision().await.unwrap(), 0);
    retex::import::import_path(&store, &seed_dir())
        .await
        .unwrap();
    let after_seed = store.revision().await.unwrap();
    assert_eq!(after_seed, 1);
    retex::import::import_path(&store, &seed_dir())
        .await
        .unwrap();
    assert_eq!(
        store.revision().await.unwrap(),
        after_seed,
        "a no-op import keeps the revision"
    );

    let dump = store.dump().await.unwrap();
    let counts = store.counts().await.unwrap();
    assert_eq!(dump.solutions.len() as u64, counts.kinds["solution"]);
    assert_eq!(dump.adoptions.len() as u64, counts.kinds["adoption"]);
    assert_eq!(dump.citations.len() as u64, counts.kinds["citation"]);
    assert!(
        dump.solutions.windows(2).all(|w| w[0].id < w[1].id),
        "ordered by id"
    );

    // Writing the dump into an empty store reproduces the same graph.
    let copy = SqliteStore::open(dir.path().join("copy.db")).await.unwrap();
    copy.write(dump.clone()).await.unwrap();
    assert_eq!(copy.dump().await.unwrap(), dump);
}

fn retex_out(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_retex"))
        .args(args)
        .env("RETEX_LOG", "error")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn explain_merge_lists_the_records_merged_into_a_solution_and_their_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("retex.db");
    let db = db.to_str().unwrap();
    let seed = seed_dir();
    let (ok, _, err) = retex_out(&["--store", db, "import", seed.to_str().unwrap()]);
    assert!(ok, "{err}");
    // A record merged by name, then one merged by the repository the first one brought.
    let a = dir.path().join("a.publiccode.yml");
    std::fs::write(
        &a,
        "publiccodeYmlVersion: \"0.4\"\nname: Jitsi\nurl: https://github.com/jitsi/jitsi-meet\nlegal: {license: Apache-2.0}\n",
    )
    .unwrap();
    let b = dir.path().join("b.publiccode.yml");
    std::fs::write(
        &b,
        "publiccodeYmlVersion: \"0.4\"\nname: Visio Exemple\nurl: https://github.com/jitsi/jitsi-meet.git\nlegal: {license: Apache-2.0}\n",
    )
    .unwrap();
    for file in [&a, &b] {
        let (ok, _, err) = retex_out(&["--store", db, "import", file.to_str().unwrap()]);
        assert!(ok, "{err}");
    }

    let (ok, out, err) = retex_out(&["--store", db, "explain-merge", "jitsi-meet"]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("solution:jitsi-meet — Jitsi Meet (LIBRE)\n"),
        "{out}"
    );
    assert!(out.contains("Wikidata QID Q87849488"), "{out}");
    assert!(out.contains("merged records (2):"), "{out}");
    assert!(
        out.contains("  publiccode/a.publiccode.yml\n    by normalised name or alias \"jitsi\"\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "  publiccode/b.publiccode.yml\n    by repository URL github.com/jitsi/jitsi-meet\n"
        ),
        "{out}"
    );
    assert!(out.contains("at publiccode/a.publiccode.yml"), "{out}");

    // By name or alias, accents and case aside.
    let (ok, by_alias, err) = retex_out(&["--store", db, "explain-merge", "visio exemple"]);
    assert!(ok, "{err}");
    assert_eq!(by_alias, out);

    // A seed solution no dataset record merged into.
    let (ok, out, _) = retex_out(&["--store", db, "explain-merge", "solution:libreoffice"]);
    assert!(ok);
    assert!(out.contains("merged records: none"), "{out}");

    let (ok, _, err) = retex_out(&["--store", db, "explain-merge", "No Such Software"]);
    assert!(!ok);
    assert!(
        err.starts_with("error: ")
            && err.contains("No Such Software")
            && err.trim().lines().count() == 1,
        "{err}"
    );
}
