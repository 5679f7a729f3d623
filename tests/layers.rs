//! The layer rule of `src/lib.rs`, checked on the source files: the domain knows neither
//! GraphQL, HTTP, SQL nor Cypher drivers; the store knows neither GraphQL nor HTTP; the two
//! store backends are siblings, neither naming the other, and what they share (`store/shared`,
//! `store/copy.rs`) names neither; the API and the explorer reach the store through its trait
//! only (no driver, no backend) and neither names the other's framework; the analyses know
//! neither GraphQL, HTTP nor a driver.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, recursively, in name order.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The code of a line: without its `//` comment (doc comments included), so prose may name
/// the other layers.
fn code_of(line: &str) -> &str {
    match line.find("//") {
        Some(i) if !line[..i].contains('"') => &line[..i],
        _ => line,
    }
}

/// The lines of `text` whose code names one of `forbidden`: (line number, line).
fn violations(text: &str, forbidden: &[&str]) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let code = code_of(line);
            forbidden.iter().any(|word| code.contains(word))
        })
        .map(|(i, line)| (i + 1, line.trim().to_owned()))
        .collect()
}

/// Fails listing every line, in the files at `paths` (files or folders under `src/`), that
/// names one of `forbidden`.
fn assert_none_names(paths: &[&str], forbidden: &[&str], rule: &str) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for path in paths {
        let path = src.join(path);
        assert!(path.exists(), "{} does not exist", path.display());
        let files = if path.is_dir() {
            rust_files(&path)
        } else {
            vec![path.clone()]
        };
        assert!(!files.is_empty(), "no Rust file under {path:?}");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a readable source file");
            for (line, code) in violations(&text, forbidden) {
                found.push(format!("{}:{line}: {code}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "{rule}:\n{}", found.join("\n"));
}

/// What names the SQLite backend in code.
const SQLITE: [&str; 3] = ["sqlite::", "::sqlite", "rusqlite"];
/// What names the Neo4j backend in code.
const NEO4J: [&str; 3] = ["neo4j::", "::neo4j", "neo4rs"];
/// What names the GraphQL and HTTP layers in code.
const API: [&str; 4] = ["async_graphql", "poem::", "crate::api", "crate::http"];

#[test]
fn the_scanner_finds_names_in_code_and_not_in_comments() {
    let text = "//! Like the SQLite store (`store::sqlite::write`).\nuse crate::store::sqlite::licence_key;\nlet x = 1; // sqlite::x\nlet url = \"http://a\"; use rusqlite::Connection;\n";
    let found = violations(text, &SQLITE);
    assert_eq!(
        found.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
        vec![2, 4],
        "{found:?}"
    );
}

#[test]
fn the_neo4j_store_never_names_the_sqlite_store() {
    assert_none_names(
        &["store/neo4j"],
        &SQLITE,
        "the Neo4j store borrows from the SQLite store (move what both use to store/shared)",
    );
}

#[test]
fn the_sqlite_store_never_names_the_neo4j_store() {
    assert_none_names(
        &["store/sqlite"],
        &NEO4J,
        "the SQLite store borrows from the Neo4j store (move what both use to store/shared)",
    );
}

#[test]
fn what_the_backends_share_names_neither() {
    let both: Vec<&str> = SQLITE.iter().chain(NEO4J.iter()).copied().collect();
    assert_none_names(
        &["store/shared", "store/copy.rs", "store/page.rs"],
        &both,
        "the stores' shared code names a backend",
    );
}

#[test]
fn the_domain_knows_no_graphql_http_sql_or_cypher_driver() {
    let forbidden: Vec<&str> = API
        .iter()
        .chain(["rusqlite", "neo4rs", "reqwest", "crate::store"].iter())
        .copied()
        .collect();
    assert_none_names(&["domain"], &forbidden, "the domain names another layer");
}

#[test]
fn the_api_knows_no_driver_backend_explorer_or_http_layer() {
    assert_none_names(
        &["api"],
        &[
            "rusqlite",
            "neo4rs",
            "store::sqlite",
            "store::neo4j",
            "crate::web",
            "crate::http",
        ],
        "the GraphQL API names a store driver or backend, the explorer or the HTTP layer",
    );
}

#[test]
fn the_explorer_knows_no_graphql_driver_or_backend() {
    assert_none_names(
        &["web"],
        &[
            "async_graphql",
            "rusqlite",
            "neo4rs",
            "store::sqlite",
            "store::neo4j",
        ],
        "the web explorer names GraphQL, a store driver or a backend",
    );
}

#[test]
fn the_analyses_know_no_graphql_http_or_driver() {
    assert_none_names(
        &["analysis"],
        &["async_graphql", "poem", "rusqlite", "neo4rs"],
        "the analyses name GraphQL, HTTP or a store driver",
    );
}

#[test]
fn the_store_knows_no_graphql_or_http() {
    assert_none_names(&["store"], &API, "the store names the API or HTTP layer");
}

/// The retex modules each lower layer may use (`crate::<module>`), as `src/lib.rs` states:
/// nothing runs upward. The layers above (`api`, `web`, `http`, `app`, `server`) may use any
/// of these.
const MAY_USE: [(&str, &[&str]); 9] = [
    ("domain", &[]),
    ("store", &["domain"]),
    ("export", &["domain", "store"]),
    ("import", &["domain", "store"]),
    ("analysis", &["domain", "store"]),
    ("audit", &["domain", "store"]),
    ("watch", &["domain", "store"]),
    ("metrics", &["domain", "store"]),
    ("generate", &["domain", "store", "import"]),
];

/// Every retex module (`src/lib.rs`'s `pub mod` lines).
fn modules() -> Vec<String> {
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs");
    std::fs::read_to_string(lib)
        .expect("src/lib.rs")
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_owned())
        .collect()
}

#[test]
fn every_lower_layer_uses_only_the_layers_below_it() {
    let all = modules();
    assert!(
        all.len() > 10 && all.iter().any(|m| m == "export"),
        "{all:?}"
    );
    for (module, allowed) in MAY_USE {
        let forbidden: Vec<String> = all
            .iter()
            .filter(|m| m.as_str() != module && !allowed.contains(&m.as_str()))
            .map(|m| format!("crate::{m}"))
            .collect();
        let forbidden: Vec<&str> = forbidden.iter().map(String::as_str).collect();
        let file = format!("{module}.rs");
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let paths: Vec<&str> = [module, file.as_str()]
            .into_iter()
            .filter(|p| src.join(p).exists())
            .collect();
        assert_none_names(
            &paths,
            &forbidden,
            &format!("`{module}` uses a layer it may not (it may use {allowed:?})"),
        );
    }
}
