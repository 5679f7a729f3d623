//! The whole graph out as open data, and back in: the round trip is exact.

mod common;

use common::{seed_dir, seed_records, TestApp};
use retex::export::{export, export_content_sha256, Format, Manifest};
use retex::store::sqlite::SqliteStore;
use retex::store::Store;
use serde_json::Value;

async fn seeded(dir: &std::path::Path) -> SqliteStore {
    let store = SqliteStore::open(dir.join("retex.db")).await.unwrap();
    retex::import::import_path(&store, &seed_dir())
        .await
        .unwrap();
    store
}

#[tokio::test]
async fn export_then_import_into_an_empty_store_reproduces_the_graph() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let out = dir.path().join("export");
    let manifest = export(&store, &out, &Format::ALL).await.unwrap();
    let original = store.dump().await.unwrap();
    assert_eq!(manifest.content_hash, export_content_sha256(&original));
    assert_eq!(
        manifest.counts["solutions"] as usize,
        seed_records("solutions").len()
    );
    assert_eq!(
        manifest.counts["citations"] as usize,
        original.citations.len()
    );

    let copy = SqliteStore::open(dir.path().join("copy.db")).await.unwrap();
    let report = retex::import::import_path(&copy, &out).await.unwrap();
    assert_eq!(
        report.kinds["solution"].created as usize,
        seed_records("solutions").len()
    );
    let restored = copy.dump().await.unwrap();
    assert_eq!(restored, original);
    assert_eq!(export_content_sha256(&restored), manifest.content_hash);
    // The release watch's sources and releases are operational data, not graph nodes: the
    // export leaves them out, so only the graph's counts must match.
    let graph_counts = |mut c: retex::store::Counts| {
        c.kinds.remove("watch_source");
        c.kinds.remove("release");
        c
    };
    assert_eq!(
        graph_counts(copy.counts().await.unwrap()),
        graph_counts(store.counts().await.unwrap())
    );
}

#[tokio::test]
async fn every_format_is_written_and_the_manifest_describes_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let out = dir.path().join("export");
    export(&store, &out, &Format::ALL).await.unwrap();
    let manifest: Manifest =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    for file in &manifest.files {
        let bytes = std::fs::read(out.join(&file.path)).unwrap();
        assert_eq!(bytes.len() as u64, file.bytes, "{}", file.path);
        assert_eq!(file.sha256.len(), 64);
    }
    let interview = manifest
        .sources
        .iter()
        .find(|s| s.id == "source:interview-vivant-2025")
        .unwrap();
    assert!(
        interview.citations >= 7,
        "the interview supports the interview's facts"
    );
    let govoss = manifest
        .sources
        .iter()
        .find(|s| s.id == "source:govoss-catalog")
        .unwrap();
    assert_eq!(govoss.licence.as_deref(), Some("CC-BY-4.0"));

    // CSV: one row per solution, the id first, lists joined by `|`.
    let mut csv = csv::Reader::from_path(out.join("csv/solutions.csv")).unwrap();
    assert_eq!(&csv.headers().unwrap()[0], "id");
    let needs_column = csv
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "needs")
        .unwrap();
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), seed_records("solutions").len());
    let lo = rows
        .iter()
        .find(|r| &r[0] == "solution:libreoffice")
        .unwrap();
    assert!(lo[needs_column].split('|').count() >= 2, "{:?}", lo);

    // GraphML: every edge joins two nodes of the file.
    let graphml = std::fs::read_to_string(out.join("graphml/retex.graphml")).unwrap();
    let nodes: std::collections::HashSet<&str> = graphml
        .match_indices("<node id=\"")
        .map(|(i, m)| {
            let rest = &graphml[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    let mut edges = 0;
    for (i, m) in graphml.match_indices(" source=\"") {
        let rest = &graphml[i + m.len()..];
        let source = &rest[..rest.find('"').unwrap()];
        let after = &rest[rest.find("target=\"").unwrap() + 8..];
        let target = &after[..after.find('"').unwrap()];
        assert!(
            nodes.contains(source) && nodes.contains(target),
            "{source} -> {target}"
        );
        edges += 1;
    }
    assert!(edges > 300);
    assert!(graphml
        .contains("<data key=\"type\">REPLACES</data><data key=\"confidence\">STRONG</data>"));

    // Cypher: constraints first, then one MERGE per node batch; strings are escaped literals.
    let cypher = std::fs::read_to_string(out.join("cypher/retex.cypher")).unwrap();
    assert!(cypher.contains(
        "CREATE CONSTRAINT solution_id IF NOT EXISTS FOR (n:Solution) REQUIRE n.id IS UNIQUE;"
    ));
    assert!(cypher.contains("MERGE (a)-[r:MADE]->(b)"));
    assert!(cypher.contains("(a:Collectivity {id: row.from}), (b:Adoption {id: row.to})"));
    assert!(cypher.contains(r#"name: "Échirolles""#));
}

#[tokio::test]
async fn a_broken_export_is_rejected_with_file_and_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let out = dir.path().join("export");
    export(&store, &out, &[Format::Jsonl]).await.unwrap();
    let file = out.join("jsonl/adoptions.jsonl");
    let mut lines: Vec<String> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines[2] = lines[2].replace("\"status\":\"", "\"status\":\"NOT_A_STATUS");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let empty = SqliteStore::open(dir.path().join("copy.db")).await.unwrap();
    let err = retex::import::import_path(&empty, &out)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("adoptions.jsonl:3:"), "{err}");
    assert!(empty
        .counts()
        .await
        .unwrap()
        .kinds
        .values()
        .all(|n| *n == 0));
}

#[tokio::test]
async fn the_server_offers_the_latest_export_for_download() {
    let app = TestApp::spawn().await;
    let index: Value = app
        .client()
        .get(app.url("/data/"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        index["counts"]["solutions"].as_u64().unwrap() as usize,
        seed_records("solutions").len()
    );
    let files = index["files"].as_array().unwrap();
    assert!(files.iter().any(|f| f["path"] == "graphml/retex.graphml"));
    let response = app
        .client()
        .get(app.url("/data/jsonl/solutions.jsonl"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert_eq!(body.lines().count(), seed_records("solutions").len());
    let listed = files
        .iter()
        .find(|f| f["path"] == "jsonl/solutions.jsonl")
        .unwrap();
    assert_eq!(listed["bytes"].as_u64().unwrap() as usize, body.len());
    for path in [
        "/data/../retex.db",
        "/data/jsonl/../../retex.db",
        "/data/nope.csv",
    ] {
        let status = app
            .client()
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .status();
        assert!(status == 404 || status == 400, "{path}: {status}");
    }
}
