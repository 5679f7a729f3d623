//! The binary is the unit of deployment: run from any folder, it carries its seed and its
//! resolution overrides, names its version and commit, and refuses a seed folder that is not
//! there. These tests run the real `retex` binary cargo built, in other working folders.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use retex::store::sqlite::SqliteStore;
use retex::store::{store_digest, Store};
use serde_json::{json, Value};

/// The binary, with none of the variables that would change its defaults.
fn retex(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_retex"));
    command.current_dir(dir);
    for var in [
        "RETEX_STORE",
        "RETEX_SEED",
        "RETEX_OVERRIDES",
        "RETEX_LISTEN",
        "RETEX_TOKEN_SECRET",
    ] {
        command.env_remove(var);
    }
    command.env("RETEX_LOG", "warn");
    command
}

fn run(command: &mut Command) -> Output {
    let out = command.output().expect("the binary runs");
    assert!(
        out.status.success(),
        "{:?} failed: {}",
        command,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A data folder holding the small shared datasets (SILL, govoss, publiccode.yml samples,
/// code.gouv.fr), linked from the shared folder, or `None` when that is absent outside CI.
fn small_data(into: &Path) -> Option<PathBuf> {
    let shared = common::shared_data()?;
    let data = into.join("data");
    std::fs::create_dir(&data).unwrap();
    for name in [
        "sill",
        "govoss-catalog",
        "publiccode-yml-samples",
        "codegouvfr-data",
    ] {
        std::os::unix::fs::symlink(shared.join(name).canonicalize().unwrap(), data.join(name))
            .unwrap();
    }
    Some(data)
}

async fn digest_of(path: &Path) -> (String, SqliteStore) {
    let store = SqliteStore::open(path).await.unwrap();
    (store_digest(&store).await.unwrap(), store)
}

#[tokio::test]
async fn import_all_gives_the_same_graph_from_any_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(data) = small_data(tmp.path()) else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // From the project root, with the seed and overrides files named.
    let at_root = tmp.path().join("root.db");
    run(retex(root).args([
        "--store",
        at_root.to_str().unwrap(),
        "import",
        "--all",
        data.to_str().unwrap(),
        "--seed",
        "seed",
        "--overrides",
        "seed/resolution/overrides.yaml",
    ]));
    // From an empty folder, with the built-in seed and overrides.
    let elsewhere = tempfile::tempdir().unwrap();
    run(retex(elsewhere.path()).args([
        "--store",
        "retex.db",
        "import",
        "--all",
        data.to_str().unwrap(),
    ]));
    let (expected, _) = digest_of(&at_root).await;
    let (digest, store) = digest_of(&elsewhere.path().join("retex.db")).await;
    assert_eq!(digest, expected);
    let seeded = store
        .adoptions(vec![retex::domain::AdoptionId::parse(
            "adoption:fontaine-bigbluebutton",
        )
        .unwrap()])
        .await
        .unwrap();
    assert_eq!(seeded.len(), 1, "the seed was loaded");
    assert_eq!(store.watch_status().await.unwrap().len(), 14);
    // The overrides matter: without them the same import gives another graph.
    let empty = tmp.path().join("no-overrides.yaml");
    std::fs::write(&empty, "aliases: {}\n").unwrap();
    let bare = tmp.path().join("bare.db");
    run(retex(elsewhere.path()).args([
        "--store",
        bare.to_str().unwrap(),
        "import",
        "--all",
        data.to_str().unwrap(),
        "--overrides",
        empty.to_str().unwrap(),
    ]));
    assert_ne!(digest_of(&bare).await.0, expected);
}

#[test]
fn a_seed_folder_named_but_missing_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::create_dir(dir.path().join("data/sill")).unwrap();
    for args in [
        vec!["import", "--all", "data", "--seed", "no-such-seed"],
        vec!["import", "--all", "data", "--overrides", "no-such-seed"],
        vec!["serve", "--listen", "127.0.0.1:0", "--seed", "no-such-seed"],
    ] {
        let out = retex(dir.path())
            .args(["--store", "retex.db"])
            .args(&args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} succeeded");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("no-such-seed") && stderr.contains("no such file or folder"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn version_names_the_package_and_the_commit() {
    let out = run(retex(Path::new("/")).arg("--version"));
    let text = String::from_utf8(out.stdout).unwrap();
    let expected = format!("retex {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&expected), "{text}");
    let commit = text
        .trim()
        .trim_start_matches(&expected)
        .trim_end_matches(')');
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{text}"
    );
}

/// A server process, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `retex serve` on a free loopback port; returns it and its address, read from its log.
fn serve(dir: &Path) -> (Server, String) {
    let mut child = retex(dir)
        .env("RETEX_LOG", "info")
        .args(["--store", "retex.db", "serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("GraphiQL at http://").nth(1) {
                let address: String = rest.chars().take_while(|c| *c != '/').collect();
                let _ = tx.send(address);
            }
        }
    });
    let address = rx
        .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        .expect("the server logs its address");
    (server, address)
}

#[tokio::test]
async fn serve_from_an_empty_folder_serves_the_seeded_graph() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, address) = serve(dir.path());
    let query = r#"{ solution(id: "solution:bigbluebutton") {
        name
        adoptions(first: 10) { edges { node { collectivity { name } status } } }
      }
      watchStatus { id } }"#;
    let answer: Value = reqwest::Client::new()
        .post(format!("http://{address}/graphql"))
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(answer.get("errors").is_none(), "{answer}");
    let solution = &answer["data"]["solution"];
    assert_eq!(solution["name"], "BigBlueButton");
    let adopters: Vec<&str> = solution["adoptions"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["collectivity"]["name"].as_str().unwrap())
        .collect();
    assert!(adopters.contains(&"Fontaine"), "{adopters:?}");
    assert_eq!(
        answer["data"]["watchStatus"].as_array().unwrap().len(),
        14,
        "the seed's watch sources came with it"
    );
    assert!(dir.path().join("retex.db").is_file());
}
