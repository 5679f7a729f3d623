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

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_norway::Value;

use super::common::{line_of, most_specific_need, read_text, Builder, Existing};
use super::licence::{parse_free_text, NOT_STATED};
use super::resolve::{Candidate, Merger, Overrides};
use super::{sources, ImportError};
use crate::domain::{
    fold, Adoption, AdoptionId, AdoptionStatus, BasedOn, Collectivity, CollectivityId,
    CollectivityKind, Contractor, Country, Dependency, DependencyKind, Licence, LocalizedText,
    Maintenance, MaintenanceStatus, MaintenanceType, NeedId, PartialDate, PubliccodeFacts,
    PublisherId, PublisherKind, PublisherStatus, Solution, SolutionId, SolutionKind, SourceId,
    VersionRelease, WebUrl,
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
        let record = Solution {
            id: SolutionId::from_name(&name).map_err(|e| fail("name", e.0))?,
            name: name.clone(),
            kind: SolutionKind::Libre,
            licence,
            publisher,
            needs,
            status,
            website: field(&doc, &["landingURL"]).and_then(|u| WebUrl::parse(&u).ok()),
            repository: Some(repository.clone()),
            wikidata: None,
            sill: None,
            comptoir: None,
            description: description(&doc),
            unnamed: false,
            sill_history: Vec::new(),
            plugin_of: None,
            similar: Vec::new(),
            aliases: Vec::new(),
            merge_evidence: Vec::new(),
            description_sources: Vec::new(),
            conflicts: Vec::new(),
            publiccode: Some(self.facts(path, text, &doc, locator)),
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

    /// The file's facts beyond the solution's identity.
    fn facts(&mut self, path: &Path, text: &str, doc: &Value, locator: &str) -> PubliccodeFacts {
        let maintenance = match doc.get("maintenance") {
            Some(m @ Value::Mapping(_)) => Some(self.maintenance(path, text, m)),
            _ => None,
        };
        let version = field(doc, &["softwareVersion"]);
        let date = field(doc, &["releaseDate"]).and_then(|d| match PartialDate::parse(&d) {
            Ok(date) => Some(date),
            Err(_) => {
                self.reject_value(path, text, "releaseDate", &d, "is not a date");
                None
            }
        });
        let latest_version =
            (version.is_some() || date.is_some()).then_some(VersionRelease { version, date });
        let mut depends_on = Vec::new();
        for (group, kind) in [
            ("open", DependencyKind::Open),
            ("proprietary", DependencyKind::Proprietary),
            ("hardware", DependencyKind::Hardware),
        ] {
            let Some(Value::Sequence(items)) = get(doc, &["dependsOn", group]) else {
                continue;
            };
            for item in items {
                let name = match item {
                    Value::String(_) => field(item, &[]),
                    _ => field(item, &["name"]),
                };
                let Some(name) = name else {
                    self.builder.reject(
                        "publiccode-value",
                        format!(
                            "{}:{}: a `dependsOn/{group}` entry has no name: left out",
                            path.display(),
                            line_of(text, "dependsOn:")
                        ),
                    );
                    continue;
                };
                let optional = match item.get("optional") {
                    Some(Value::Bool(b)) => Some(*b),
                    // YAML 1.1 spellings some files still use (`optional: no`).
                    Some(Value::String(s)) => match s.trim().to_lowercase().as_str() {
                        "yes" | "true" => Some(true),
                        "no" | "false" => Some(false),
                        other => {
                            let other = other.to_owned();
                            self.reject_value(path, text, "optional", &other, "is not a boolean");
                            None
                        }
                    },
                    _ => None,
                };
                depends_on.push(Dependency {
                    name,
                    kind,
                    version: field(item, &["version"]),
                    version_min: field(item, &["versionMin"]),
                    version_max: field(item, &["versionMax"]),
                    optional,
                    solution: None,
                });
            }
        }
        let based_on = match doc.get("isBasedOn") {
            Some(v @ Value::String(_)) => field(v, &[]).into_iter().collect(),
            Some(Value::Sequence(items)) => items.iter().filter_map(|i| field(i, &[])).collect(),
            _ => Vec::new(),
        }
        .into_iter()
        .map(|reference| BasedOn {
            reference,
            solution: None,
        })
        .collect();
        let development_status = field(doc, &["developmentStatus"]).filter(|d| {
            let known = DEVELOPMENT_STATUSES.contains(&d.as_str());
            if !known {
                self.reject_value(
                    path,
                    text,
                    "developmentStatus",
                    d,
                    "is not a development status of the standard",
                );
            }
            known
        });
        PubliccodeFacts {
            record: locator.to_owned(),
            development_status,
            maintenance,
            latest_version,
            depends_on,
            based_on,
        }
    }

    fn maintenance(&mut self, path: &Path, text: &str, m: &Value) -> Maintenance {
        let kind = field(m, &["type"]).and_then(|t| {
            match MaintenanceType::parse(&t.to_uppercase()) {
                Ok(kind) => Some(kind),
                Err(_) => {
                    self.reject_value(
                        path,
                        text,
                        "type",
                        &t,
                        "is not a maintenance type of the standard (internal, contract, community, none)",
                    );
                    None
                }
            }
        });
        let mut contractors = Vec::new();
        if let Some(Value::Sequence(items)) = m.get("contractors") {
            for item in items {
                let Some(name) = field(item, &["name"]) else {
                    self.builder.reject(
                        "publiccode-value",
                        format!(
                            "{}:{}: a `maintenance/contractors` entry has no name: left out",
                            path.display(),
                            line_of(text, "contractors:")
                        ),
                    );
                    continue;
                };
                let until = field(item, &["until"]).and_then(|u| match PartialDate::parse(&u) {
                    Ok(d) => Some(d),
                    Err(_) => {
                        self.reject_value(path, text, "until", &u, "is not a date");
                        None
                    }
                });
                let website = field(item, &["website"]).and_then(|w| match WebUrl::parse(&w) {
                    Ok(u) => Some(u),
                    Err(_) => {
                        self.reject_value(path, text, "website", &w, "is not a web address");
                        None
                    }
                });
                contractors.push(Contractor {
                    name,
                    until,
                    website,
                });
            }
        }
        Maintenance { kind, contractors }
    }

    /// Links the dependencies and bases of this import's solutions to the known solutions they
    /// name (a solution never depends on itself).
    fn link_facts(&mut self) {
        type Links = Vec<Option<SolutionId>>;
        let mut links: Vec<(SolutionId, Links, Links)> = Vec::new();
        for s in self.merger.solutions() {
            let Some(facts) = &s.publiccode else { continue };
            let other =
                |m: Option<super::resolve::Match>| m.map(|m| m.solution).filter(|id| *id != s.id);
            let deps = facts
                .depends_on
                .iter()
                .map(|d| {
                    let kind = match d.kind {
                        DependencyKind::Open => SolutionKind::Libre,
                        DependencyKind::Proprietary => SolutionKind::Proprietary,
                        DependencyKind::Hardware => return None,
                    };
                    other(self.merger.lookup(&reference(
                        &facts.record,
                        "dependsOn",
                        &d.name,
                        Some(kind),
                    )))
                })
                .collect();
            let bases = facts
                .based_on
                .iter()
                .map(|b| {
                    other(self.merger.lookup(&reference(
                        &facts.record,
                        "isBasedOn",
                        &b.reference,
                        None,
                    )))
                })
                .collect();
            links.push((s.id.clone(), deps, bases));
        }
        for (id, deps, bases) in links {
            let Some(facts) = self.merger.get_mut(&id).and_then(|s| s.publiccode.as_mut()) else {
                continue;
            };
            for (d, solution) in facts.depends_on.iter_mut().zip(deps) {
                d.solution = solution;
            }
            for (b, solution) in facts.based_on.iter_mut().zip(bases) {
                b.solution = solution;
            }
        }
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
                    self.builder.batch.collectivities.push(Collectivity {
                        contact: None,
                        contact_public: false,
                        id: id.clone(),
                        name: user.to_owned(),
                        kind: CollectivityKind::OtherPublicBody,
                        country,
                        insee: None,
                        siren: None,
                        population: None,
                        department: None,
                        region: None,
                        parent: None,
                        unnamed: false,
                        figures: Vec::new(),
                        member_of: Vec::new(),
                        forges: Vec::new(),
                        ospo: false,
                    });
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

/// What a dependency or a base is known by: a repository URL is matched by repository only, a
/// name by name (with the kind the file gives it).
fn reference(record: &str, key: &str, text: &str, kind: Option<SolutionKind>) -> Candidate {
    let record = format!("{record}#{key}={text}");
    match WebUrl::parse(text) {
        Ok(url) if text.starts_with("http://") || text.starts_with("https://") => Candidate {
            record,
            repository: Some(url),
            kind,
            ..Candidate::default()
        },
        _ => Candidate {
            record,
            name: text.to_owned(),
            kind,
            ..Candidate::default()
        },
    }
}

/// The line (1-based) of the first line holding both `key:` and `value`, else of `key:`.
fn line_near(text: &str, key: &str, value: &str) -> usize {
    let needle = format!("{key}:");
    text.lines()
        .position(|l| l.contains(&needle) && l.contains(value))
        .map(|i| i + 1)
        .unwrap_or_else(|| line_of(text, &needle))
}
