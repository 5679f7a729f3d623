//! The fuzz targets: every parser that takes outside input, each fed samples of the real data
//! it reads (shrunk so an iteration stays short) with one file mutated at a time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use retex::domain::{SolutionId, WatchLocation, WatchSource, WebUrl};
use retex::import::{self, Kind};
use retex::store::sqlite::SqliteStore;
use retex::store::Store;

use super::common::TestApp;

/// Records kept of each list when a real file is shrunk into a sample.
const SAMPLE_ROWS: usize = 25;
/// Files kept of a folder of many (products, pages, publiccode.yml files).
const SAMPLE_FILES: usize = 6;

/// A parser under test: the files of its sample, and what it does with one of them replaced.
pub trait Target {
    /// The target's name (its corpus folder under `tests/fixtures/fuzz/`).
    fn name(&self) -> &'static str;
    /// The sample: relative path to bytes.
    fn files(&self) -> &BTreeMap<String, Vec<u8>>;
    /// Runs the parser on the sample with `path` replaced by `bytes`: `Err` when a property
    /// broke (a panic is caught by the caller).
    fn check(&mut self, path: &str, bytes: &[u8]) -> Result<(), String>;
    /// Runs the parser on the sample as it is: `Err` unless it reads cleanly (so the
    /// mutations start from an input that goes all the way through).
    fn baseline(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// The names of every target, in the order they run.
pub const NAMES: &[&str] = &[
    "seed",
    "collectivities",
    "sill",
    "govoss",
    "publiccode",
    "endoflife",
    "munich",
    "codegouv",
    "support-contract",
    "feeds",
    "graphql",
];

/// Builds the target named `name`; `None` when its data is not on this machine.
pub fn build(name: &str) -> Option<Box<dyn Target>> {
    Some(match name {
        "seed" => Box::new(ImportTarget::seed()),
        "collectivities" => Box::new(ImportTarget::dataset(
            name_of(name),
            Kind::Collectivities,
            "decoupage-administratif",
            &[],
        )?),
        "sill" => Box::new(ImportTarget::dataset(
            name_of(name),
            Kind::Sill,
            "sill",
            &["sill-api-2022-03/software.csv"],
        )?),
        "govoss" => Box::new(ImportTarget::dataset(
            name_of(name),
            Kind::Govoss,
            "govoss-catalog",
            &["proprietary.json"],
        )?),
        "publiccode" => Box::new(ImportTarget::dataset(
            name_of(name),
            Kind::Publiccode,
            "publiccode-yml-samples/files",
            &[],
        )?),
        "endoflife" => Box::new(ImportTarget::dataset(
            name_of(name),
            Kind::Endoflife,
            "endoflife-date",
            &["product-schema.json"],
        )?),
        "munich" => Box::new(ImportTarget::dataset(
            name_of(name),
            Kind::Munich,
            "munich-oss-usage",
            &[],
        )?),
        "codegouv" => Box::new(ImportTarget::dataset(
            name_of(name),
            Kind::Codegouv,
            "codegouvfr-data",
            &[],
        )?),
        "support-contract" => Box::new(SupportContractTarget::new()?),
        "feeds" => Box::new(FeedTarget::new()),
        "graphql" => Box::new(GraphqlTarget::new()),
        _ => return None,
    })
}

fn name_of(name: &str) -> &'static str {
    NAMES.iter().find(|n| **n == name).expect("a known target")
}

/// The shared open data folder, when present.
fn shared_data() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    dir.is_dir().then_some(dir)
}

/// A current-thread runtime for one target.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// The files of `dir` (recursively), shrunk: JSON lists and maps cut to [`SAMPLE_ROWS`]
/// entries, CSV and Markdown to as many lines, folders of many files to [`SAMPLE_FILES`]
/// (`keep` files are kept whole). `SOURCE.md` and licence files are left out.
fn sample(dir: &Path, keep: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(dir, dir, keep, &mut files);
    files
}

fn collect(root: &Path, dir: &Path, keep: &[&str], files: &mut BTreeMap<String, Vec<u8>>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    let many = entries.iter().filter(|p| p.is_file()).count() > SAMPLE_FILES * 3;
    let mut taken = 0;
    for path in entries {
        let relative = path
            .strip_prefix(root)
            .expect("under the root")
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            collect(root, &path, keep, files);
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "SOURCE.md" || name.starts_with("LICENSE") || name == "index.csv" {
            continue;
        }
        if many && taken >= SAMPLE_FILES && !keep.contains(&relative.as_str()) {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        taken += 1;
        let bytes = if keep.contains(&relative.as_str()) {
            bytes
        } else {
            shrink(name, bytes)
        };
        files.insert(relative, bytes);
    }
}

/// A real file cut down to its first records.
fn shrink(name: &str, bytes: Vec<u8>) -> Vec<u8> {
    if name.ends_with(".json") {
        if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            cut(&mut value, 0);
            return serde_json::to_vec_pretty(&value).unwrap_or(bytes);
        }
    }
    if name.ends_with(".csv") {
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text.lines().take(SAMPLE_ROWS + 1).collect();
        return (lines.join("\n") + "\n").into_bytes();
    }
    bytes
}

fn cut(value: &mut serde_json::Value, depth: usize) {
    match value {
        serde_json::Value::Array(items) => {
            items.truncate(SAMPLE_ROWS);
            items.iter_mut().for_each(|v| cut(v, depth + 1));
        }
        serde_json::Value::Object(map) if depth < 2 => {
            if map.len() > SAMPLE_ROWS * 2 {
                let keys: Vec<String> = map.keys().skip(SAMPLE_ROWS).cloned().collect();
                for key in keys {
                    map.remove(&key);
                }
            }
            map.values_mut().for_each(|v| cut(v, depth + 1));
        }
        _ => {}
    }
}

/// Writes `files` under `dir`.
fn write_all(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    for (relative, bytes) in files {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        std::fs::write(&path, bytes).expect("a sample file");
    }
}

/// A temporary SQLite store holding the built-in seed (the taxonomy datasets map to).
fn seeded_store(rt: &tokio::runtime::Runtime) -> (tempfile::TempDir, Arc<dyn Store>) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store: Arc<dyn Store> = rt.block_on(async {
        let store = SqliteStore::open(dir.path().join("fuzz.db"))
            .await
            .expect("the store opens");
        import::seed::load_embedded(&store)
            .await
            .expect("the seed loads");
        Arc::new(store)
    });
    (dir, store)
}

/// What the store holds, as the export's content hash.
fn digest(rt: &tokio::runtime::Runtime, store: &dyn Store) -> Result<String, String> {
    rt.block_on(retex::store::store_digest(store))
        .map_err(|e| format!("the store cannot be read: {e}"))
}

/// An importer (or the seed loader) reading a sample folder into a seeded store. A failed
/// import must leave the store as it was.
struct ImportTarget {
    name: &'static str,
    kind: Kind,
    files: BTreeMap<String, Vec<u8>>,
    dir: tempfile::TempDir,
    rt: tokio::runtime::Runtime,
    store: Arc<dyn Store>,
    _store_dir: tempfile::TempDir,
    /// The digest of the store after the last import (recomputed only after a success).
    known: Option<String>,
}

impl ImportTarget {
    fn with_files(name: &'static str, kind: Kind, files: BTreeMap<String, Vec<u8>>) -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        write_all(dir.path(), &files);
        let rt = runtime();
        let (store_dir, store) = seeded_store(&rt);
        Self {
            name,
            kind,
            files,
            dir,
            rt,
            store,
            _store_dir: store_dir,
            known: None,
        }
    }

    /// The repository's seed folder.
    fn seed() -> Self {
        let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed");
        let files = sample(&seed, &[])
            .into_iter()
            .filter(|(path, _)| path.ends_with(".yaml") || path.ends_with(".yml"))
            .collect();
        Self::with_files("seed", Kind::Seed, files)
    }

    /// A dataset folder of the shared data, shrunk.
    fn dataset(name: &'static str, kind: Kind, folder: &str, keep: &[&str]) -> Option<Self> {
        let dir = shared_data()?.join(folder);
        if !dir.is_dir() {
            return None;
        }
        let mut files = sample(&dir, keep);
        if kind == Kind::Endoflife {
            keep_matching_release_data(&dir, &mut files);
        }
        if kind == Kind::Collectivities {
            keep_referenced_communes(&dir, &mut files);
        }
        Some(Self::with_files(name, kind, files))
    }
}

/// Découpage administratif: the groupings and departments kept whole but for the first few
/// EPCI and EPT, and the communes they name (members, chefs-lieux) besides the first ones.
fn keep_referenced_communes(dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let read = |name: &str| -> serde_json::Value {
        std::fs::read(dir.join(name))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    };
    let mut codes = std::collections::BTreeSet::new();
    for (name, keep) in [
        ("epci.json", 3),
        ("ept.json", 1),
        ("arrondissements.json", usize::MAX),
        ("departements.json", usize::MAX),
        ("regions.json", usize::MAX),
    ] {
        let mut value = read(name);
        if let Some(items) = value.as_array_mut() {
            items.truncate(keep);
            for item in items.iter() {
                if let Some(code) = item["chefLieu"].as_str() {
                    codes.insert(code.to_owned());
                }
                for member in item["membres"].as_array().into_iter().flatten() {
                    if let Some(code) = member["code"].as_str() {
                        codes.insert(code.to_owned());
                    }
                }
            }
        }
        files.insert(
            name.to_owned(),
            serde_json::to_vec(&value).unwrap_or_default(),
        );
    }
    let communes = read("communes.json");
    let kept: Vec<&serde_json::Value> = communes
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(i, c)| *i < SAMPLE_ROWS || c["code"].as_str().is_some_and(|x| codes.contains(x)))
        .map(|(_, c)| c)
        .collect();
    files.insert(
        "communes.json".to_owned(),
        serde_json::to_vec(&kept).unwrap_or_default(),
    );
}

/// endoflife.date: the release data of the products kept (their own files are large).
fn keep_matching_release_data(dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    files.retain(|path, _| !path.starts_with("release-data/"));
    let products: Vec<String> = files
        .keys()
        .filter_map(|p| p.strip_prefix("products/")?.strip_suffix(".md"))
        .map(str::to_owned)
        .collect();
    for product in products {
        let relative = format!("release-data/releases/{product}.json");
        if let Ok(bytes) = std::fs::read(dir.join(&relative)) {
            files.insert(relative, shrink("x.json", bytes));
        }
    }
}

impl Target for ImportTarget {
    fn name(&self) -> &'static str {
        self.name
    }

    fn baseline(&mut self) -> Result<(), String> {
        let target = self.dir.path().to_string_lossy().into_owned();
        self.rt
            .block_on(import::import(
                self.store.as_ref(),
                Some(self.kind),
                &target,
                &import::Options::default(),
            ))
            .map(|_| ())
            .map_err(|e| format!("the sample itself does not import: {e}"))
    }

    fn files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.files
    }

    fn check(&mut self, path: &str, bytes: &[u8]) -> Result<(), String> {
        let before = match self.known.take() {
            Some(known) => known,
            None => digest(&self.rt, self.store.as_ref())?,
        };
        let file = self.dir.path().join(path);
        std::fs::write(&file, bytes).map_err(|e| e.to_string())?;
        let target = self.dir.path().to_string_lossy().into_owned();
        let options = import::Options::default();
        let result = self.rt.block_on(import::import(
            self.store.as_ref(),
            Some(self.kind),
            &target,
            &options,
        ));
        std::fs::write(&file, &self.files[path]).map_err(|e| e.to_string())?;
        match result {
            Ok(_) => Ok(()),
            Err(error) => {
                let after = digest(&self.rt, self.store.as_ref())?;
                if error.to_string().trim().is_empty() {
                    return Err("an import failed without saying why".to_owned());
                }
                if after != before {
                    return Err(format!("a failed import changed the store ({error})"));
                }
                self.known = Some(after);
                Ok(())
            }
        }
    }
}

/// The support contract's contributions file (code.gouv.fr), matched against the graph.
struct SupportContractTarget {
    inner: ImportTarget,
}

impl SupportContractTarget {
    fn new() -> Option<Self> {
        let dir = shared_data()?.join("codegouvfr-support-contract");
        let files: BTreeMap<String, Vec<u8>> = sample(&dir, &[])
            .into_iter()
            .filter(|(p, _)| p.ends_with(".md"))
            .collect();
        if files.is_empty() {
            return None;
        }
        Some(Self {
            inner: ImportTarget::with_files("support-contract", Kind::Seed, files),
        })
    }
}

impl Target for SupportContractTarget {
    fn name(&self) -> &'static str {
        "support-contract"
    }

    fn files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.inner.files
    }

    fn check(&mut self, path: &str, bytes: &[u8]) -> Result<(), String> {
        let inner = &mut self.inner;
        let before = digest(&inner.rt, inner.store.as_ref())?;
        let file = inner.dir.path().join(path);
        std::fs::write(&file, bytes).map_err(|e| e.to_string())?;
        let result = inner
            .rt
            .block_on(import::support_contract::load(inner.store.as_ref(), &file));
        std::fs::write(&file, &inner.files[path]).map_err(|e| e.to_string())?;
        if let Err(error) = result {
            let after = digest(&inner.rt, inner.store.as_ref())?;
            if after != before {
                return Err(format!("a failed import changed the store ({error})"));
            }
        }
        Ok(())
    }
}

/// The release watch's parsers: GitHub and GitLab releases JSON, Atom and RSS feeds,
/// endoflife.date cycles.
struct FeedTarget {
    files: BTreeMap<String, Vec<u8>>,
    sources: BTreeMap<String, WatchSource>,
}

/// An RSS 2.0 feed written for the fuzzer (the fixtures hold an Atom one).
const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Releases</title><link>https://example.org/</link>
<item><title>v2.1.0</title><link>https://example.org/releases/2.1.0</link>
<pubDate>Tue, 10 Jun 2025 09:00:00 GMT</pubDate><guid>v2.1.0</guid></item>
<item><title>v2.0.0-rc.1</title><link>https://example.org/releases/2.0.0-rc.1</link>
<pubDate>Mon, 02 Jun 2025 09:00:00 GMT</pubDate></item>
</channel></rss>
"#;

impl FeedTarget {
    fn new() -> Self {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/watch");
        let mut files = BTreeMap::new();
        for name in [
            "github_releases.json",
            "gitlab_releases.json",
            "releases.atom",
            "endoflife.json",
        ] {
            files.insert(
                name.to_owned(),
                std::fs::read(fixtures.join(name)).expect("a watch fixture"),
            );
        }
        files.insert("releases.rss".to_owned(), RSS.as_bytes().to_vec());
        let solution = SolutionId::parse("solution:jitsi-meet").expect("an id");
        let url = |u: &str| WebUrl::parse(u).expect("a URL");
        let declare = |location| {
            WatchSource::declare(solution.clone(), location, None, None).expect("a source")
        };
        let mut sources = BTreeMap::new();
        sources.insert(
            "github_releases.json".to_owned(),
            declare(WatchLocation::Github("jitsi/jitsi-meet".to_owned())),
        );
        sources.insert(
            "gitlab_releases.json".to_owned(),
            declare(WatchLocation::Gitlab {
                host: url("https://gitlab.com"),
                project: "group/project".to_owned(),
            }),
        );
        let feed = declare(WatchLocation::Feed(url(
            "https://github.com/jitsi/jitsi-meet/releases.atom",
        )));
        sources.insert("releases.atom".to_owned(), feed.clone());
        sources.insert("releases.rss".to_owned(), feed);
        sources.insert(
            "endoflife.json".to_owned(),
            declare(WatchLocation::Endoflife("debian".to_owned())),
        );
        Self { files, sources }
    }
}

impl Target for FeedTarget {
    fn name(&self) -> &'static str {
        "feeds"
    }

    fn files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.files
    }

    fn check(&mut self, path: &str, bytes: &[u8]) -> Result<(), String> {
        let source = &self.sources[path];
        match retex::watch::parse::parse(source, bytes) {
            Ok(parsed) => {
                for release in &parsed.releases {
                    if release.version.trim().is_empty() {
                        return Err(format!("a release without a version: {release:?}"));
                    }
                }
                Ok(())
            }
            Err(error) if error.to_string().trim().is_empty() => {
                Err("a parse error without a message".to_owned())
            }
            Err(_) => Ok(()),
        }
    }
}

/// GraphQL requests (JSON bodies) sent to the real endpoint of a server on a seeded store:
/// every answer is a clean error or data, never a 5xx, and the server stays up.
struct GraphqlTarget {
    files: BTreeMap<String, Vec<u8>>,
    rt: tokio::runtime::Runtime,
    app: TestApp,
    sent: u64,
}

/// Requests the fuzzer starts from: the README's kinds of questions.
const REQUESTS: &[(&str, &str)] = &[
    (
        "search.json",
        r#"{"query":"{ search(text: \"visio\", first: 5) { kind label node { id } } }"}"#,
    ),
    (
        "solutions.json",
        r#"{"query":"query($n: Int, $after: String) { solutions(first: $n, after: $after, filter: { kind: LIBRE }) { totalCount pageInfo { endCursor } edges { node { id name alternatives { libre { name } proprietary { name } } } } } }","variables":{"n":10}}"#,
    ),
    (
        "collectivities.json",
        r#"{"query":"query($f: CollectivityFilter) { collectivities(filter: $f, sort: POPULATION_DESC, first: 3) { edges { node { name population adoptions(first: 2) { edges { node { status solution { name } } } } } } } }","variables":{"f":{"populationMin":10000,"country":"FR"}}}"#,
    ),
    (
        "fragments.json",
        r#"{"query":"query Q { ...F } fragment F on QueryRoot { a: statistics { kind count } b: needs(first: 2) { edges { cursor node { id label } } } }","operationName":"Q"}"#,
    ),
    (
        "insight.json",
        r#"{"query":"{ peers(of: \"collectivity:fr-commune-38151\", first: 3) { collectivity { name } similarity { score { total } } } adoptionPaths(from: \"solution:zoom\", first: 2, adopters: 2) { totalCount } }"}"#,
    ),
    (
        "mutation.json",
        r#"{"query":"mutation($input: CreateAdoptionInput!) { createAdoption(input: $input) { id } }","variables":{"input":{"collectivity":"collectivity:fr-commune-38169","solution":"solution:nextcloud","need":"need:file-sharing","status":"PILOT","statusDate":"2025-01","scale":10}}}"#,
    ),
    (
        "alerts.json",
        r#"{"query":"{ alerts(collectivity: \"collectivity:fr-commune-38151\", withinDays: 365) { kind version } node(id: \"watch:peertube-github\") { id } }"}"#,
    ),
];

impl GraphqlTarget {
    fn new() -> Self {
        let rt = runtime();
        let app = rt.block_on(TestApp::spawn());
        let files = REQUESTS
            .iter()
            .map(|(name, body)| ((*name).to_owned(), body.as_bytes().to_vec()))
            .collect();
        Self {
            files,
            rt,
            app,
            sent: 0,
        }
    }
}

impl Target for GraphqlTarget {
    fn name(&self) -> &'static str {
        "graphql"
    }

    fn files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.files
    }

    fn check(&mut self, _path: &str, bytes: &[u8]) -> Result<(), String> {
        self.sent += 1;
        let app = &self.app;
        let body = bytes.to_vec();
        self.rt.block_on(async move {
            let response = app
                .client()
                .post(app.url("/graphql"))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .map_err(|e| format!("the server did not answer: {e}"))?;
            let status = response.status().as_u16();
            let answer: serde_json::Value = response
                .json()
                .await
                .map_err(|e| format!("an answer that is not JSON ({status}): {e}"))?;
            if status >= 500 {
                return Err(format!("{status}: {answer}"));
            }
            let coded = answer["errors"].as_array().is_none_or(|errors| {
                errors
                    .iter()
                    .all(|e| e["extensions"]["code"].as_str().is_some())
            });
            if !coded {
                return Err(format!("an error without a code: {answer}"));
            }
            if answer.get("data").is_none() && answer.get("errors").is_none() {
                return Err(format!("neither data nor errors: {answer}"));
            }
            Ok(())
        })?;
        if self.sent % 50 == 0 {
            let app = &self.app;
            let health = self
                .rt
                .block_on(async { app.client().get(app.url("/health")).send().await })
                .map_err(|e| format!("/health did not answer: {e}"))?;
            if health.status() != 200 {
                return Err(format!("/health answered {}", health.status()));
            }
        }
        Ok(())
    }
}
