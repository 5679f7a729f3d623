//! The operations guide's commands (`docs/operations.md`), run as an IT team would: backups
//! of a live store under writes, checked restores, upgrades of a store written by an earlier
//! release, trusted reverse proxies, JSON logs.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use common::{error_codes, TestApp};
use retex::app::StoreSpec;
use retex::domain::Scope;
use retex::store::sqlite::SqliteStore;
use serde_json::json;

/// A store written by retex 0.1.0 (commit 109a69a) with its seed: `retex import seed seed/`.
const OLD_STORE: &str = "tests/fixtures/stores/retex-0.1.0-109a69a-seed.db";

fn retex(store: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_retex"))
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("retex runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn count(path: &Path, table: &str) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("the file opens");
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("the table is counted")
}

fn integrity(path: &Path) -> String {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("the file opens");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("the check runs")
}

const CREATE_SOURCE: &str = "mutation($input: SourceInput!) { createSource(input: $input) { id } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_writes_is_whole_and_restores() {
    let app = TestApp::spawn_with(|c| c.limits.writes_per_minute = 0).await;
    let (_, token) = app.token(None, &[Scope::Curator]).await;
    let before = count(&app.store_path, "sources");

    // Writers add sources through the API while `retex backup` copies the live store.
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicUsize::new(0));
    let app = Arc::new(app);
    let mut writers = Vec::new();
    for w in 0..4 {
        let (app, token, stop, written) =
            (app.clone(), token.clone(), stop.clone(), written.clone());
        writers.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let input = json!({ "id": format!("source:backup-{w}-{i}"), "title": "T", "kind": "ARTICLE" });
                let answer = app.gql(Some(&token), CREATE_SOURCE, json!({ "input": input })).await;
                assert!(answer.get("errors").is_none(), "the write succeeds: {answer}");
                written.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
        }));
    }
    let dir = tempfile::tempdir().unwrap();
    let mut backups: Vec<PathBuf> = Vec::new();
    for n in 0..3 {
        while written.load(Ordering::Relaxed) < 10 * (n + 1) {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let file = dir.path().join(format!("backup-{n}.db"));
        let (store, target) = (app.store_path.clone(), file.clone());
        let out = tokio::task::spawn_blocking(move || {
            retex(&store, &["backup", target.to_str().unwrap()])
        })
        .await
        .unwrap();
        assert!(out.status.success(), "backup fails: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("integrity ok"),
            "{}",
            text(&out.stdout)
        );
        backups.push(file);
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let after = count(&app.store_path, "sources");
    assert_eq!(after, before + written.load(Ordering::Relaxed) as i64);

    let mut last = before;
    for file in &backups {
        assert_eq!(integrity(file), "ok");
        assert!(
            !Path::new(&format!("{}-wal", file.display())).exists(),
            "one self-contained file"
        );
        let sources = count(file, "sources");
        assert!(
            sources >= last && sources <= after,
            "{sources} sources, between {last} and {after}"
        );
        last = sources;
    }
    assert!(last > before, "the backups saw the writes");

    // A backup is refused over an existing file; the file is left as it was.
    let again = retex(&app.store_path, &["backup", backups[0].to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("exists already"),
        "{}",
        text(&again.stderr)
    );

    // Restoring over the live store is refused: stop the server first.
    let live = retex(&app.store_path, &["restore", backups[2].to_str().unwrap()]);
    assert!(!live.status.success());
    assert!(
        text(&live.stderr).contains("stop the server first"),
        "{}",
        text(&live.stderr)
    );

    // Restored as a new store, the last backup opens and holds what it held.
    let restored = dir.path().join("restored.db");
    let out = retex(&restored, &["restore", backups[2].to_str().unwrap()]);
    assert!(out.status.success(), "restore fails: {}", text(&out.stderr));
    let store = SqliteStore::open(&restored)
        .await
        .expect("the restored store opens");
    drop(store);
    assert_eq!(count(&restored, "sources"), last);
    // A store nobody serves backs up too (read-only, no journal files left behind).
    let copy = dir.path().join("copy.db");
    let out = retex(&restored, &["backup", copy.to_str().unwrap()]);
    assert!(out.status.success(), "backup fails: {}", text(&out.stderr));
    assert_eq!(count(&copy, "sources"), last);
}

#[test]
fn restore_refuses_what_is_not_a_whole_retex_store() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("retex.db");
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, b"this is not a database at all, only text").unwrap();
    let out = retex(&target, &["restore", garbage.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("not a retex store")
            || text(&out.stderr).contains("not a database"),
        "{}",
        text(&out.stderr)
    );

    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let out = retex(&target, &["restore", other.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("not a retex store"),
        "{}",
        text(&out.stderr)
    );
    assert!(!target.exists(), "nothing was installed");
}

#[tokio::test]
async fn a_store_written_by_the_previous_release_opens_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(OLD_STORE), &old).unwrap();
    let path = old.clone();
    let app = TestApp::spawn_with(move |c| {
        c.store = StoreSpec::Sqlite(path);
        c.seed = None;
    })
    .await;
    let data = app
        .data(r#"{ solution(id: "solution:bigbluebutton") { name licence adoptions(first: 5) { totalCount } } }"#)
        .await;
    assert_eq!(data["solution"]["name"], "BigBlueButton");
    assert!(
        data["solution"]["adoptions"]["totalCount"]
            .as_i64()
            .unwrap()
            > 0
    );
    drop(app);
    // Migrations ran at start: the old store is now at this build's schema version.
    let check = retex(&old, &["restore", "--check", old.to_str().unwrap()]);
    assert!(check.status.success(), "{}", text(&check.stderr));
}

#[tokio::test]
async fn a_store_from_a_newer_release_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(OLD_STORE), &path).unwrap();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', datetime('now'))",
            [],
        )
        .unwrap();
    let error = SqliteStore::open(&path).await.err().expect("refused");
    assert!(
        error.to_string().contains("newer than this retex knows"),
        "{error}"
    );
    let out = retex(&path, &["serve", "--listen", "127.0.0.1:0"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("upgrade retex"),
        "{}",
        text(&out.stderr)
    );
}

/// Two writes a minute per address: behind a trusted proxy each forwarded client has its own
/// count; without trusting it, every client is the proxy.
#[tokio::test]
async fn behind_a_trusted_proxy_the_write_limit_counts_forwarded_clients() {
    async fn writes(app: &TestApp, tokens: &[String], forwarded: &[&str]) -> Vec<Vec<String>> {
        let mut seen = Vec::new();
        for (i, (token, xff)) in tokens.iter().zip(forwarded).enumerate() {
            let input =
                json!({ "id": format!("source:proxy-{i}"), "title": "T", "kind": "ARTICLE" });
            let answer: serde_json::Value = app
                .client()
                .post(app.url("/graphql"))
                .bearer_auth(token)
                .header("X-Forwarded-For", *xff)
                .json(&json!({ "query": CREATE_SOURCE, "variables": { "input": input } }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            seen.push(error_codes(&answer));
        }
        seen
    }
    let forwarded = [
        "198.51.100.1",
        "198.51.100.2",
        "203.0.113.5, 198.51.100.3",
        "198.51.100.1",
    ];
    let limited = vec!["RATE_LIMITED".to_owned()];

    let trusting = TestApp::spawn_with(|c| {
        c.limits.writes_per_minute = 1;
        c.trusted_proxies = retex::http::client::TrustedProxies::parse(&["127.0.0.1"]).unwrap();
    })
    .await;
    let mut tokens = Vec::new();
    for _ in 0..4 {
        tokens.push(trusting.token(None, &[Scope::Curator]).await.1);
    }
    let seen = writes(&trusting, &tokens, &forwarded).await;
    assert_eq!(seen, [vec![], vec![], vec![], limited.clone()]);

    let direct = TestApp::spawn_with(|c| c.limits.writes_per_minute = 1).await;
    let mut tokens = Vec::new();
    for _ in 0..2 {
        tokens.push(direct.token(None, &[Scope::Curator]).await.1);
    }
    let seen = writes(&direct, &tokens, &forwarded[..2]).await;
    assert_eq!(
        seen,
        [vec![], limited],
        "the header is ignored unless the proxy is trusted"
    );
}

#[test]
fn logs_come_as_json_lines_for_collectors() {
    let dir = tempfile::tempdir().unwrap();
    let out = retex(
        &dir.path().join("retex.db"),
        &["--log-format", "json", "token", "list"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let logs = text(&out.stderr);
    let lines: Vec<&str> = logs.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty(), "opening a new store logs its migrations");
    for line in lines {
        let entry: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(
            entry["level"].is_string() && entry["timestamp"].is_string(),
            "{entry}"
        );
    }
}

/// The units of `docs/systemd/` pass `systemd-analyze verify` with this build's binary.
#[test]
fn the_systemd_units_verify() {
    let Ok(found) = Command::new("systemd-analyze").arg("--version").output() else {
        eprintln!("systemd-analyze is not installed: the units are not verified");
        return;
    };
    assert!(found.status.success());
    let dir = tempfile::tempdir().unwrap();
    let units = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/systemd");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&units).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        let unit = std::fs::read_to_string(&path)
            .unwrap()
            .replace("/usr/local/bin/retex", env!("CARGO_BIN_EXE_retex"));
        std::fs::write(dir.path().join(&name), unit).unwrap();
        names.push(dir.path().join(name));
    }
    assert_eq!(
        names.len(),
        3,
        "the service, the backup service and its timer"
    );
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .args(&names)
        .env("SYSTEMD_LOG_LEVEL", "warning")
        .output()
        .unwrap();
    let complaints = text(&out.stderr);
    assert!(
        out.status.success() && complaints.trim().is_empty(),
        "{complaints}"
    );
}
