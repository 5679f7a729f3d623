//! publiccode.yml files (a path, a folder of them, or an http(s) URL).
//!
//! Each file gives one solution (name, repository URL, licence, categories as needs, maintenance
//! status from `developmentStatus`), its publisher (`organisation.name`, else
//! `legal.mainCopyrightOwner` / `legal.repoOwner`, as a public body), and one adoption per
//! `usedBy` entry (by a body of that name: a French collectivity whose name is unique in the
//! store, else one named as in the file). The solution keeps the file's other facts
//! ([`PubliccodeFacts`]): `developmentStatus`, `maintenance.type` and its contractors with their
//! `until` dates and web sites (contacts, being people, are not kept), `softwareVersion` and
//! `releaseDate`, `dependsOn` (open, proprietary, hardware, with versions and `optional`) and
//! `isBasedOn`. A dependency or base that names a known solution (by repository URL, or by
//! name for dependencies: open ones match libre solutions, proprietary ones proprietary
//! solutions, hardware nothing) links to it, once every file of the import is merged.
//!
//! Keys are checked against the v0.7 standard: unknown or missing keys are reported (with file
//! and line) as rejected keys, without failing the import, because real files use older
//! versions; so are values of those optional facts that the standard does not allow (a
//! `releaseDate` of `2021-31-01`, a maintenance type `commercial`), which are left out. A file
//! that is not YAML, or lacks `name` or `url`, fails the import.

mod facts;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_norway::Value;

use super::common::{line_of, most_specific_need, read_text, Builder, Existing};
use super::licence::{parse_free_text, NOT_STATED};
use super::resolve::{Candidate, Merger, Overrides};
use super::{sources, ImportError};
use crate::domain::{
    fold, Adoption, AdoptionId, AdoptionStatus, Collectivity, CollectivityId, CollectivityKind,
    Country, Licence, LocalizedText, MaintenanceStatus, NeedId, PublisherId, PublisherKind,
    PublisherStatus, Solution, SolutionId, SolutionKind, SourceId, WebUrl,
};

/// Largest publiccode.yml accepted, in bytes (files and downloads).
pub const MAX_BYTES: usize = 1024 * 1024;
/// Timeout of a download.
pub const TIMEOUT: Duration = Duration::from_secs(20);
/// Most redirects followed by a download.
pub const MAX_REDIRECTS: usize = 5;

/// Top-level keys of the v0.7 standard (plus country sections and deprecated keys still read).
const TOP_KEYS: [&str; 26] = [
    "publiccodeYmlVersion",
    "name",
    "applicationSuite",
    "url",
    "landingURL",
    "isBasedOn",
    "softwareVersion",
    "releaseDate",
    "logo",
    "monochromeLogo",
    "inputTypes",
    "outputTypes",
    "platforms",
    "categories",
    "usedBy",
    "fundedBy",
    "roadmap",
    "developmentStatus",
    "softwareType",
    "organisation",
    "intendedAudience",
    "description",
    "legal",
    "maintenance",
    "localisation",
    "dependsOn",
];
/// Keys every v0.7 file must have.
const REQUIRED: [&str; 7] = [
    "publiccodeYmlVersion",
    "name",
    "url",
    "developmentStatus",
    "softwareType",
    "description",
    "platforms",
];
/// The values of `developmentStatus` in the standard.
const DEVELOPMENT_STATUSES: [&str; 5] = ["concept", "development", "beta", "stable", "obsolete"];
/// Known keys of the nested sections.
const SECTION_KEYS: [(&str, &[&str]); 6] = [
    (
        "legal",
        &["license", "mainCopyrightOwner", "repoOwner", "authorsFile"],
    ),
    ("maintenance", &["type", "contractors", "contacts"]),
    ("localisation", &["localisationReady", "availableLanguages"]),
    (
        "intendedAudience",
        &["countries", "unsupportedCountries", "scope"],
    ),
    ("dependsOn", &["open", "proprietary", "hardware"]),
    ("organisation", &["uri", "name"]),
];

/// True when `dir` holds publiccode.yml files.
pub fn detect(dir: &Path) -> bool {
    files_in(dir).is_ok_and(|f| !f.is_empty())
}

fn is_publiccode(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with("publiccode.yml") || name.ends_with("publiccode.yaml")
}

fn files_in(path: &Path) -> Result<Vec<PathBuf>, ImportError> {
    if path.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let entries = std::fs::read_dir(path).map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_publiccode(p))
        .collect();
    files.sort();
    Ok(files)
}

/// Downloads a publiccode.yml: bounded time, size and redirects.
pub async fn fetch(url: &str) -> Result<String, ImportError> {
    let fail = |m: String| ImportError::at(url, 0, m);
    let parsed = WebUrl::parse(url).map_err(|e| fail(e.0))?;
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
        .build()
        .map_err(|e| fail(format!("cannot build the HTTP client: {e}")))?;
    let mut response = client
        .get(parsed.as_str())
        .send()
        .await
        .map_err(|e| fail(format!("download failed: {e}")))?;
    if !response.status().is_success() {
        return Err(fail(format!("download failed: HTTP {}", response.status())));
    }
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BYTES as u64)
    {
        return Err(fail(format!("larger than {MAX_BYTES} bytes")));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| fail(format!("download failed: {e}")))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_BYTES {
            return Err(fail(format!("larger than {MAX_BYTES} bytes")));
        }
    }
    String::from_utf8(body).map_err(|_| fail("the file is not valid UTF-8".into()))
}

/// Reads a file or a folder of publiccode.yml files into one batch.
pub fn read_path(
    path: &Path,
    existing: &Existing,
    overrides: &Overrides,
) -> Result<Builder, ImportError> {
    let files = files_in(path)?;
    if files.is_empty() {
        return Err(ImportError::at(
            path,
            0,
            "no publiccode.yml or publiccode.yaml file here",
        ));
    }
    let mut reader = Reader::new(existing, overrides);
    for file in files {
        let text = read_text(&file)?;
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("publiccode.yml");
        reader.file(&file, &format!("publiccode/{name}"), &text)?;
    }
    reader.finish()
}

/// Reads one downloaded publiccode.yml.
pub fn read_url(
    url: &str,
    text: &str,
    existing: &Existing,
    overrides: &Overrides,
) -> Result<Builder, ImportError> {
    let mut reader = Reader::new(existing, overrides);
    reader.file(Path::new(url), url, text)?;
    reader.finish()
}

/// A `usedBy` entry waiting for every file to be merged.
struct Pending {
    country: Country,
    solution: SolutionId,
    user: String,
    source: SourceId,
    locator: String,
    /// The needs the file's categories state for its software.
    needs: Vec<NeedId>,
}

struct Reader<'a> {
    builder: Builder,
    merger: Merger<'a>,
    existing: &'a Existing,
    /// Folded name → the only collectivity of that name in the store.
    unique_names: HashMap<String, Option<CollectivityId>>,
    adoption_ids: HashMap<String, u32>,
    /// `usedBy` entries, turned into adoptions once every file is merged: (country, solution,
    /// user, source, locator).
    pending: Vec<Pending>,
}

fn get<'v>(v: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

fn field(v: &Value, path: &[&str]) -> Option<String> {
    match get(v, path)? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn list(v: &Value, key: &str) -> Vec<String> {
    match v.get(key) {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(|s| s.trim().to_owned()))
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

impl<'a> Reader<'a> {
    fn new(existing: &'a Existing, overrides: &Overrides) -> Self {
        let mut unique_names: HashMap<String, Option<CollectivityId>> = HashMap::new();
        for c in existing.collectivities.values() {
            unique_names
                .entry(fold(&c.name))
                .and_modify(|v| *v = None)
                .or_insert(Some(c.id.clone()));
        }
        Self {
            builder: Builder::default(),
            merger: Merger::new(existing, overrides),
            existing,
            unique_names,
            adoption_ids: HashMap::new(),
            pending: Vec::new(),
        }
    }

    fn finish(mut self) -> Result<Builder, ImportError> {
        super::common::need_other(&mut self.builder, self.existing);
        self.link_facts();
        for p in std::mem::take(&mut self.pending) {
            self.adoption(p)?;
        }
        self.builder.batch.solutions = self.merger.finish();
        Ok(self.builder)
    }

    /// Reports keys the v0.7 standard does not know, and required keys that are missing.
    fn check_keys(&mut self, path: &Path, text: &str, doc: &Value) {
        let Some(map) = doc.as_mapping() else { return };
        let file = path.display();
        for key in map.keys().filter_map(Value::as_str) {
            let country_section = key.len() == 2 && key.bytes().all(|b| b.is_ascii_lowercase());
            if !TOP_KEYS.contains(&key) && !country_section {
                let line = line_of(text, &format!("\n{key}:"));
                self.builder.reject(
                    "publiccode-key",
                    format!(
                        "{file}:{}: unknown key `{key}` (publiccode.yml v0.7)",
                        line + 1
                    ),
                );
            }
        }
        for key in REQUIRED {
            if doc.get(key).is_none() {
                self.builder
                    .reject("publiccode-key", format!("{file}: missing key `{key}`"));
            }
        }
        for (section, keys) in SECTION_KEYS {
            let Some(Value::Mapping(m)) = doc.get(section) else {
                continue;
            };
            for key in m.keys().filter_map(Value::as_str) {
                if !keys.contains(&key) {
                    let line = line_of(text, &format!(" {key}:"));
                    self.builder.reject(
                        "publiccode-key",
                        format!(
                            "{file}:{line}: unknown key `{section}/{key}` (publiccode.yml v0.7)"
                        ),
                    );
                }
            }
        }
    }

    fn file(&mut self, path: &Path, locator: &str, text: &str) -> Result<(), ImportError> {
        if text.len() > MAX_BYTES {
            return Err(ImportError::at(
                path,
                0,
                format!("larger than {MAX_BYTES} bytes"),
            ));
        }
        let doc: Value = serde_norway::from_str(text).map_err(|e| {
            let line = e.location().map_or(0, |l| l.line());
            ImportError::at(path, line, e.to_string())
        })?;
        if !doc.is_mapping() {
            return Err(ImportError::at(
                path,
                1,
                "a publiccode.yml is a mapping of keys",
            ));
        }
        self.check_keys(path, text, &doc);
        let fail = |key: &str, m: String| {
            ImportError::at(
                path,
                line_of(text, &format!("{key}:")),
                format!("key `{key}`: {m}"),
            )
        };
        let name = text_of(&doc, "name").ok_or_else(|| fail("name", "missing or empty".into()))?;
        let url = text_of(&doc, "url").ok_or_else(|| fail("url", "missing or empty".into()))?;
        let repository = WebUrl::parse(&url).map_err(|e| fail("url", e.0))?;
        let source = sources::publiccode(
            &slug_of(locator),
            &format!("publiccode.yml of {name}"),
            Some(repository.clone()),
        );
        let source_id = source.id.clone();
        self.builder.source(self.existing, source);

        let licence_text = field(&doc, &["legal", "license"]).unwrap_or_default();
        let licence = parse_free_text(&licence_text).or_else(|| Licence::parse(NOT_STATED).ok());
        let needs = self.needs(&doc);
        let stated_needs = needs.clone();
        let status = match field(&doc, &["developmentStatus"]).as_deref() {
            Some("obsolete") => MaintenanceStatus::Discontinued,
            _ => MaintenanceStatus::Active,
        };
        let publisher = self.publisher(&doc, &source_id, locator)?;
        let id = SolutionId::from_name(&name).map_err(|e| fail("name", e.0))?;
        let record = Solution {
            licence,
            publisher,
            status,
            website: field(&doc, &["landingURL"]).and_then(|u| WebUrl::parse(&u).ok()),
            repository: Some(repository.clone()),
            description: description(&doc),
            publiccode: Some(self.facts(path, text, &doc, locator)),
            ..Solution::new(id, name.clone(), SolutionKind::Libre, needs)
        };
        let candidate = Candidate {
            record: locator.to_owned(),
            name: name.clone(),
            repository: Some(repository),
            ..Candidate::default()
        };
        let solution = self.merger.add(record, &candidate);
        self.builder
            .cite(solution.clone(), &source_id, locator.to_owned());
        for user in list(&doc, "usedBy") {
            self.pending.push(Pending {
                country: doc_country(&doc),
                solution: solution.clone(),
                user,
                source: source_id.clone(),
                locator: locator.to_owned(),
                needs: stated_needs.clone(),
            });
        }
        Ok(())
    }

    /// Reports a value of an optional fact that the standard does not allow; it is left out.
    fn reject_value(&mut self, path: &Path, text: &str, key: &str, value: &str, why: &str) {
        let line = line_near(text, key, value);
        self.builder.reject(
            "publiccode-value",
            format!(
                "{}:{line}: `{key}` `{value}` {why}: left out",
                path.display()
            ),
        );
    }

    fn needs(&self, doc: &Value) -> Vec<NeedId> {
        let mut needs: Vec<NeedId> = list(doc, "categories")
            .iter()
            .filter_map(|c| super::taxonomy::publiccode_need(c))
            .filter_map(|n| NeedId::parse(n).ok())
            .filter(|n| self.existing.ids.contains(n.as_str()))
            .fold(Vec::new(), |mut unique, n| {
                if !unique.contains(&n) {
                    unique.push(n);
                }
                unique
            });
        if needs.is_empty() {
            needs.push(NeedId::parse("need:other").expect("a valid need id"));
        }
        needs
    }

    fn publisher(
        &mut self,
        doc: &Value,
        source: &SourceId,
        locator: &str,
    ) -> Result<Option<PublisherId>, ImportError> {
        let name = field(doc, &["organisation", "name"])
            .or_else(|| field(doc, &["legal", "mainCopyrightOwner"]))
            .or_else(|| field(doc, &["legal", "repoOwner"]));
        let Some(name) = name else { return Ok(None) };
        let Ok(id) = PublisherId::from_name(&name) else {
            return Ok(None);
        };
        let defined = self.existing.ids.contains(id.as_str())
            || self.builder.batch.publishers.iter().any(|p| p.id == id);
        if !defined {
            self.builder
                .batch
                .publishers
                .push(crate::domain::Publisher {
                    id: id.clone(),
                    name,
                    kind: PublisherKind::PublicBody,
                    country: None,
                    website: None,
                    status: PublisherStatus::Active,
                    closed: None,
                    unnamed: false,
                });
        }
        self.builder.cite(id.clone(), source, locator.to_owned());
        Ok(Some(id))
    }

    fn adoption(&mut self, p: Pending) -> Result<(), ImportError> {
        let Pending {
            country,
            solution,
            user,
            source,
            locator,
            needs,
        } = p;
        let (solution, user, source, locator) =
            (&solution, user.as_str(), &source, locator.as_str());
        let fail = |m: String| ImportError::at(locator, 0, format!("usedBy `{user}`: {m}"));
        let collectivity = match self.unique_names.get(&fold(user)) {
            Some(Some(id)) => id.clone(),
            _ => {
                let id = CollectivityId::from_name(user).map_err(|e| fail(e.0))?;
                let defined = self.existing.ids.contains(id.as_str())
                    || self.builder.batch.collectivities.iter().any(|c| c.id == id);
                if !defined {
                    self.builder.batch.collectivities.push(Collectivity::new(
                        id.clone(),
                        user,
                        CollectivityKind::OtherPublicBody,
                        country,
                    ));
                }
                id
            }
        };
        // The adoption is for the need the file states (its categories), else the solution's
        // most specific need.
        let need = match most_specific_need(self.existing, &needs) {
            n if n.as_str() != "need:other" => n,
            _ => {
                let merged = self
                    .merger
                    .get_mut(solution)
                    .map(|s| s.needs.clone())
                    .unwrap_or_default();
                most_specific_need(self.existing, &merged)
            }
        };
        let base = format!("adoption:{}--{}", collectivity.slug(), solution.slug());
        let n = self.adoption_ids.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            return Ok(());
        }
        let id = AdoptionId::parse(&base).map_err(|e| fail(e.0))?;
        self.builder.cite(
            collectivity.clone(),
            source,
            format!("{locator}#usedBy={user} (→ {collectivity})"),
        );
        let record = Adoption {
            status_history: Vec::new(),
            id,
            collectivity,
            solution: solution.clone(),
            need,
            status: AdoptionStatus::Deployed,
            started: None,
            ended: None,
            strategy: None,
            hosting: None,
            scale: None,
            replaced: Vec::new(),
            note: None,
        };
        let id = super::adoptions::place(&mut self.builder, self.existing, record);
        self.builder
            .cite(id, source, format!("{locator}#usedBy={user}"));
        Ok(())
    }
}

fn description(doc: &Value) -> Option<LocalizedText> {
    let lang = |code: &str| {
        let section = get(doc, &["description"])?.as_mapping()?;
        let (_, text) = section.iter().find(|(k, _)| {
            k.as_str()
                .is_some_and(|k| k == code || k.starts_with(&format!("{code}-")))
        })?;
        let short = field(text, &["shortDescription"]);
        let long = field(text, &["longDescription"]);
        super::sill::description_text(short.or(long).as_deref())
    };
    LocalizedText::new(lang("fr"), lang("en")).ok()
}

fn text_of(doc: &Value, key: &str) -> Option<String> {
    field(doc, &[key])
}

/// The country of the file's users: the first of `intendedAudience.countries`, Italy for files
/// with an `it` section, else `ZZ` (unknown, ISO 3166 user-assigned).
fn doc_country(doc: &Value) -> Country {
    let countries: BTreeMap<usize, String> = match get(doc, &["intendedAudience", "countries"]) {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .enumerate()
            .collect(),
        _ => BTreeMap::new(),
    };
    let code = countries
        .values()
        .next()
        .cloned()
        .or_else(|| doc.get("it").map(|_| "IT".to_owned()))
        .unwrap_or_else(|| "ZZ".to_owned());
    Country::parse(&code).unwrap_or_else(|_| Country::parse("ZZ").expect("valid"))
}

fn slug_of(locator: &str) -> String {
    let name = locator.rsplit('/').next().unwrap_or(locator);
    name.trim_end_matches(".yaml")
        .trim_end_matches(".yml")
        .trim_end_matches(".publiccode")
        .to_owned()
}

/// The line (1-based) of the first line holding both `key:` and `value`, else of `key:`.
fn line_near(text: &str, key: &str, value: &str) -> usize {
    let needle = format!("{key}:");
    text.lines()
        .position(|l| l.contains(&needle) && l.contains(value))
        .map(|i| i + 1)
        .unwrap_or_else(|| line_of(text, &needle))
}
