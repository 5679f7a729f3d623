//! The curated seed: YAML files in the format of `seed/README.md`, read as one batch.
//!
//! Read from a folder or from the copy built into the binary ([`load_embedded`]), and written
//! with its watch sources in one transaction. A record's `sources:` may give each source a
//! locator (`{source: source:interview-vivant-2025, locator: "…txt#§35"}`), kept on its citation.
//!
//! Values are validated as they are parsed (ids, dates, licences, codes), so a bad value is
//! reported with its file, line and column; references between records are then checked
//! against the seed itself and the store, and reported at the line of the record that makes them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ImportError;
use crate::domain::{
    Adoption, AdoptionId, AdoptionStatus, Alternative, AlternativeKind, Batch, Citation,
    Collectivity, CollectivityId, CollectivityKind, Confidence, Contribution, ContributionId,
    ContributionKind, Country, DeploymentStrategy, Figure, Hosting, InseeCode, Licence,
    LocalizedText, MaintenanceStatus, Need, NeedId, NodeId, Outcome, OutcomeId, OutcomeKind,
    PartialDate, ProductCycle, Publisher, PublisherId, PublisherKind, PublisherStatus, Siren,
    Solution, SolutionId, SolutionKind, Source, SourceId, SourceKind, ValidationError,
    WatchLocation, WatchSource, WatchSourceId, WebUrl, WikidataId,
};
use crate::store::{Store, WriteReport};

/// Largest seed file read, in bytes.
const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    #[serde(default)]
    sources: Vec<SourceRecord>,
    #[serde(default)]
    needs: Vec<NeedRecord>,
    #[serde(default)]
    publishers: Vec<PublisherRecord>,
    #[serde(default)]
    solutions: Vec<SolutionRecord>,
    #[serde(default)]
    alternatives: Vec<AlternativeRecord>,
    #[serde(default)]
    collectivities: Vec<CollectivityRecord>,
    #[serde(default)]
    adoptions: Vec<AdoptionRecord>,
    #[serde(default)]
    contributions: Vec<ContributionRecord>,
    #[serde(default)]
    watch_sources: Vec<WatchSourceRecord>,
    #[serde(default)]
    release_cycles: Vec<ReleaseCycleRecord>,
}

/// A source a record cites: its id (`source:sill-2022`), or the id with where in the source
/// the fact stands (`{source: source:interview-vivant-2025, locator: "interview-vivant-2025-10-21.txt#§35"}`).
struct CitedSource {
    source: SourceId,
    locator: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocatedSource {
    source: SourceId,
    locator: String,
}

impl<'de> Deserialize<'de> for CitedSource {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = CitedSource;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a source id, or {source: <id>, locator: <where in the source>}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<CitedSource, E> {
                let source = SourceId::parse(v).map_err(|e| E::custom(e.0))?;
                Ok(CitedSource {
                    source,
                    locator: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<CitedSource, A::Error> {
                let r =
                    LocatedSource::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                let locator = r.locator.trim();
                if locator.is_empty() || locator.len() > MAX_LOCATOR_LEN {
                    return Err(serde::de::Error::custom(format!(
                        "the locator of {} must be 1 to {MAX_LOCATOR_LEN} characters",
                        r.source
                    )));
                }
                Ok(CitedSource {
                    source: r.source,
                    locator: Some(locator.to_owned()),
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Longest citation locator accepted, in bytes.
const MAX_LOCATOR_LEN: usize = 300;

/// A release cycle of a seeded solution, as endoflife.date gives it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReleaseCycleRecord {
    id: String,
    solution: SolutionId,
    product: String,
    product_name: String,
    cycle: String,
    released: Option<PartialDate>,
    /// When its support ends or ended.
    eol: Option<PartialDate>,
    /// Support ended, on a date the data does not give.
    #[serde(default)]
    ended: bool,
    #[serde(default)]
    lts: bool,
    latest: Option<String>,
    latest_date: Option<PartialDate>,
    source: SourceId,
}

impl ReleaseCycleRecord {
    fn into_cycle(self) -> Result<ProductCycle, ValidationError> {
        let id = ProductCycle::id_for(&self.product, &self.cycle);
        if self.id != id {
            return Err(ValidationError::new(format!(
                "the id of product `{}`'s cycle `{}` is `{id}`, not `{}`",
                self.product, self.cycle, self.id
            )));
        }
        if self.ended && self.eol.is_some() {
            return Err(ValidationError::new(format!(
                "{id}: give `eol` (a date) or `ended: true`, not both"
            )));
        }
        let cycle = ProductCycle {
            locator: ProductCycle::locator_for(&self.product, &self.cycle),
            id,
            product: self.product,
            product_name: self.product_name,
            cycle: self.cycle,
            release_date: self.released,
            eol: self.ended,
            eol_date: self.eol,
            lts: self.lts,
            latest: self.latest,
            latest_date: self.latest_date,
            versions: Vec::new(),
            solution: Some(self.solution),
            source: self.source,
        };
        cycle.validate()?;
        Ok(cycle)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GitlabRecord {
    host: WebUrl,
    project: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WatchSourceRecord {
    id: Option<WatchSourceId>,
    solution: SolutionId,
    github: Option<String>,
    gitlab: Option<GitlabRecord>,
    feed: Option<WebUrl>,
    endoflife: Option<String>,
    interval: Option<u32>,
}

impl WatchSourceRecord {
    /// The key and value that name the record in its file, for error lines.
    fn anchor(&self) -> (&'static str, String) {
        match (&self.github, &self.gitlab, &self.feed, &self.endoflife) {
            (Some(repo), ..) => ("github", repo.clone()),
            (_, Some(g), ..) => ("project", g.project.clone()),
            (_, _, Some(url), _) => ("feed", url.to_string()),
            (.., Some(product)) => ("endoflife", product.clone()),
            _ => ("solution", self.solution.to_string()),
        }
    }

    /// The source, built and checked by the domain (the API's watch-source mutations do the
    /// same).
    fn into_source(self) -> Result<WatchSource, ValidationError> {
        let location = WatchLocation::one_of(
            self.github,
            self.gitlab.map(|g| (g.host, g.project)),
            self.feed,
            self.endoflife,
        )
        .map_err(|e| ValidationError::new(format!("{}: {}", self.solution, e.0)))?;
        WatchSource::declare(self.solution, location, self.id, self.interval)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceRecord {
    id: SourceId,
    title: String,
    titles: Option<LocalizedText>,
    kind: SourceKind,
    url: Option<WebUrl>,
    publisher: Option<String>,
    published: Option<PartialDate>,
    licence: Option<Licence>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NeedRecord {
    id: NeedId,
    label: LocalizedText,
    broader: Option<NeedId>,
    publiccode: Option<String>,
    #[serde(default)]
    sources: Vec<CitedSource>,
}

fn active_publisher() -> PublisherStatus {
    PublisherStatus::Active
}

fn active_solution() -> MaintenanceStatus {
    MaintenanceStatus::Active
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublisherRecord {
    id: PublisherId,
    name: String,
    kind: PublisherKind,
    country: Option<Country>,
    website: Option<WebUrl>,
    #[serde(default = "active_publisher")]
    status: PublisherStatus,
    closed: Option<PartialDate>,
    #[serde(default)]
    unnamed: bool,
    #[serde(default)]
    sources: Vec<CitedSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SolutionRecord {
    id: SolutionId,
    name: String,
    kind: SolutionKind,
    licence: Option<Licence>,
    publisher: Option<PublisherId>,
    #[serde(default)]
    needs: Vec<NeedId>,
    #[serde(default = "active_solution")]
    status: MaintenanceStatus,
    website: Option<WebUrl>,
    repository: Option<WebUrl>,
    wikidata: Option<WikidataId>,
    sill: Option<u32>,
    comptoir: Option<u32>,
    description: Option<LocalizedText>,
    #[serde(default)]
    unnamed: bool,
    #[serde(default)]
    sources: Vec<CitedSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AlternativeRecord {
    libre: SolutionId,
    proprietary: SolutionId,
    confidence: Confidence,
    kind: AlternativeKind,
    #[serde(default)]
    sources: Vec<CitedSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FigureRecord {
    name: String,
    value: f64,
    unit: Option<String>,
    source: Option<SourceId>,
}

impl From<FigureRecord> for Figure {
    fn from(r: FigureRecord) -> Self {
        Figure {
            name: r.name,
            value: r.value,
            unit: r.unit,
            source: r.source,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CollectivityRecord {
    id: CollectivityId,
    name: String,
    kind: CollectivityKind,
    country: Country,
    insee: Option<InseeCode>,
    siren: Option<Siren>,
    population: Option<u64>,
    department: Option<String>,
    region: Option<String>,
    parent: Option<CollectivityId>,
    #[serde(default)]
    unnamed: bool,
    #[serde(default)]
    figures: Vec<FigureRecord>,
    #[serde(default)]
    sources: Vec<CitedSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeRecord {
    id: Option<OutcomeId>,
    kind: OutcomeKind,
    date: Option<PartialDate>,
    summary: LocalizedText,
    #[serde(default)]
    figures: Vec<FigureRecord>,
    #[serde(default)]
    sources: Vec<CitedSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdoptionRecord {
    id: Option<AdoptionId>,
    collectivity: CollectivityId,
    solution: SolutionId,
    need: NeedId,
    status: AdoptionStatus,
    started: Option<PartialDate>,
    ended: Option<PartialDate>,
    strategy: Option<DeploymentStrategy>,
    hosting: Option<Hosting>,
    scale: Option<u64>,
    #[serde(default)]
    replaced: Vec<SolutionId>,
    note: Option<LocalizedText>,
    #[serde(default)]
    sources: Vec<CitedSource>,
    #[serde(default)]
    outcomes: Vec<OutcomeRecord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContributionRecord {
    id: ContributionId,
    collectivity: CollectivityId,
    solution: Option<SolutionId>,
    kind: ContributionKind,
    share_percent: Option<f64>,
    started: Option<PartialDate>,
    ended: Option<PartialDate>,
    software: Option<String>,
    contractor: Option<String>,
    #[serde(default)]
    references: Vec<WebUrl>,
    note: Option<LocalizedText>,
    #[serde(default)]
    sources: Vec<CitedSource>,
}

/// Where a record stands in the seed.
#[derive(Debug, Clone)]
struct Place {
    path: PathBuf,
    line: usize,
}

impl Place {
    fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError::at(&self.path, self.line, message)
    }
}

/// A file's text, to find where records stand.
struct FileText<'a> {
    path: &'a Path,
    lines: Vec<&'a str>,
}

impl FileText<'_> {
    /// The first line holding `key: value` (quoted or not); line 0 when none does.
    fn place_of(&self, key: &str, value: &str) -> Place {
        let line = self
            .lines
            .iter()
            .position(|l| {
                let l = l.trim_start().trim_start_matches("- ");
                l.strip_prefix(key)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .map(|rest| rest.trim().trim_matches(|c| c == '"' || c == '\'') == value)
                    .unwrap_or(false)
            })
            .map_or(0, |i| i + 1);
        Place {
            path: self.path.to_owned(),
            line,
        }
    }

    /// The line of an alternative: its `proprietary:` line right after its `libre:` line.
    fn place_of_pair(&self, libre: &str, proprietary: &str) -> Place {
        let line = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.contains(libre))
            .find(|(i, _)| {
                self.lines[*i..(*i + 8).min(self.lines.len())]
                    .iter()
                    .any(|l| l.contains(proprietary))
            })
            .map_or(0, |(i, _)| i + 1);
        Place {
            path: self.path.to_owned(),
            line,
        }
    }
}

/// The batch read from the seed, with where each record and reference stands.
struct Reading {
    batch: Batch,
    watch: Vec<(WatchSource, Place)>,
    cycles: Vec<(ProductCycle, Place)>,
    defined: HashMap<String, Place>,
    references: Vec<(NodeId, NodeId, Place)>,
}

impl Reading {
    fn define(&mut self, id: NodeId, place: Place) -> Result<(), ImportError> {
        if let Some(first) = self.defined.get(id.as_str()) {
            return Err(place.error(format!(
                "{id} is defined twice (first at {}:{})",
                first.path.display(),
                first.line
            )));
        }
        self.defined.insert(id.to_string(), place);
        Ok(())
    }

    fn refer(&mut self, from: impl Into<NodeId>, to: impl Into<NodeId>, place: &Place) {
        self.references
            .push((from.into(), to.into(), place.clone()));
    }

    fn cite(
        &mut self,
        subject: impl Into<NodeId>,
        sources: Vec<CitedSource>,
        place: &Place,
    ) -> Result<(), ImportError> {
        let subject: NodeId = subject.into();
        let mut cited: Vec<SourceId> = Vec::new();
        for CitedSource { source, locator } in sources {
            if cited.contains(&source) {
                return Err(place.error(format!(
                    "{subject} cites {source} twice: give one locator naming every passage"
                )));
            }
            cited.push(source.clone());
            self.refer(subject.clone(), source.clone(), place);
            self.batch.citations.push(Citation {
                locator,
                subject: subject.clone(),
                source,
            });
        }
        Ok(())
    }
}

/// The seed files under `path` (a folder, or one file), in name order.
fn seed_files(path: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(ImportError::Empty(path.to_owned()));
    }
    Ok(files)
}

fn read_file(path: &Path) -> Result<String, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ImportError::at(
            path,
            0,
            format!("file is {size} bytes, more than the {MAX_FILE_BYTES} accepted"),
        ));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        ImportError::at(path, line, "the file is not valid UTF-8")
    })
}

fn parse_file(path: &Path, text: &str) -> Result<SeedFile, ImportError> {
    if text.trim().is_empty() {
        return Ok(SeedFile::default());
    }
    serde_norway::from_str(text).map_err(|e| {
        let message = e.to_string();
        // The parser appends its own "at line L column C"; the place is already in front.
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        let line = e
            .location()
            .map_or(0, |l| refine_line(text, l.line(), &message));
        ImportError::at(path, line, message)
    })
}

/// The parser places a bad value at the start of its record; when the message quotes the value
/// (`` `2020-13` ``), the line of the record that holds it is more precise.
fn refine_line(text: &str, record_line: usize, message: &str) -> usize {
    let Some(value) = message.split('`').nth(1).filter(|v| !v.is_empty()) else {
        return record_line;
    };
    text.lines()
        .enumerate()
        .skip(record_line.saturating_sub(1))
        .take(200)
        .find(|(_, l)| l.contains(value))
        .map_or(record_line, |(i, _)| i + 1)
}

fn read_into(reading: &mut Reading, path: &Path, text: &str) -> Result<(), ImportError> {
    let file = parse_file(path, text)?;
    let located = FileText {
        path,
        lines: text.lines().collect(),
    };
    for r in file.sources {
        let place = located.place_of("id", r.id.as_str());
        reading.define(r.id.clone().into(), place)?;
        reading.batch.sources.push(Source {
            id: r.id,
            title: r.title,
            titles: r.titles,
            kind: r.kind,
            url: r.url,
            publisher: r.publisher,
            published: r.published,
            licence: r.licence,
            retired: None,
        });
    }
    for r in file.needs {
        let place = located.place_of("id", r.id.as_str());
        reading.define(r.id.clone().into(), place.clone())?;
        if let Some(broader) = &r.broader {
            reading.refer(r.id.clone(), broader.clone(), &place);
        }
        reading.cite(r.id.clone(), r.sources, &place)?;
        reading.batch.needs.push(Need {
            id: r.id,
            label: r.label,
            broader: r.broader,
            publiccode: r.publiccode,
            retired: None,
        });
    }
    for r in file.publishers {
        let place = located.place_of("id", r.id.as_str());
        reading.define(r.id.clone().into(), place.clone())?;
        reading.cite(r.id.clone(), r.sources, &place)?;
        reading.batch.publishers.push(Publisher {
            id: r.id,
            name: r.name,
            kind: r.kind,
            country: r.country,
            website: r.website,
            status: r.status,
            closed: r.closed,
            unnamed: r.unnamed,
        });
    }
    for r in file.solutions {
        let place = located.place_of("id", r.id.as_str());
        reading.define(r.id.clone().into(), place.clone())?;
        if let Some(publisher) = &r.publisher {
            reading.refer(r.id.clone(), publisher.clone(), &place);
        }
        for need in &r.needs {
            reading.refer(r.id.clone(), need.clone(), &place);
        }
        reading.cite(r.id.clone(), r.sources, &place)?;
        reading.batch.solutions.push(Solution {
            id: r.id,
            name: r.name,
            kind: r.kind,
            licence: r.licence,
            publisher: r.publisher,
            needs: r.needs,
            status: r.status,
            website: r.website,
            repository: r.repository,
            wikidata: r.wikidata,
            sill: r.sill,
            comptoir: r.comptoir,
            description: r.description,
            unnamed: r.unnamed,
            sill_history: Vec::new(),
            plugin_of: None,
            similar: Vec::new(),
            aliases: Vec::new(),
            merge_evidence: Vec::new(),
            description_sources: Vec::new(),
            conflicts: Vec::new(),
            publiccode: None,
        });
    }
    for r in file.alternatives {
        let place = located.place_of_pair(r.libre.as_str(), r.proprietary.as_str());
        let id = Alternative::id_for(&r.libre, &r.proprietary);
        reading.define(id.clone().into(), place.clone())?;
        if r.sources.is_empty() {
            return Err(place.error(format!("{id} cites no source: give at least one")));
        }
        reading.refer(id.clone(), r.libre.clone(), &place);
        reading.refer(id.clone(), r.proprietary.clone(), &place);
        reading.cite(id.clone(), r.sources, &place)?;
        reading.batch.alternatives.push(Alternative {
            id,
            libre: r.libre,
            proprietary: r.proprietary,
            confidence: r.confidence,
            kind: r.kind,
        });
    }
    for r in file.collectivities {
        let place = located.place_of("id", r.id.as_str());
        reading.define(r.id.clone().into(), place.clone())?;
        if let Some(parent) = &r.parent {
            reading.refer(r.id.clone(), parent.clone(), &place);
        }
        for source in r.figures.iter().filter_map(|f| f.source.clone()) {
            reading.refer(r.id.clone(), source, &place);
        }
        reading.cite(r.id.clone(), r.sources, &place)?;
        reading.batch.collectivities.push(Collectivity {
            id: r.id,
            name: r.name,
            kind: r.kind,
            country: r.country,
            insee: r.insee,
            siren: r.siren,
            population: r.population,
            department: r.department,
            region: r.region,
            parent: r.parent,
            unnamed: r.unnamed,
            figures: r.figures.into_iter().map(Figure::from).collect(),
            contact: None,
            contact_public: false,
            member_of: Vec::new(),
            forges: Vec::new(),
            ospo: false,
        });
    }
    for r in file.adoptions {
        let id = match r.id {
            Some(id) => id,
            None => AdoptionId::parse(&format!(
                "adoption:{}--{}",
                r.collectivity.slug(),
                r.solution.slug()
            ))
            .map_err(|e| {
                located
                    .place_of("collectivity", r.collectivity.as_str())
                    .error(e.0)
            })?,
        };
        let place = match located.place_of("id", id.as_str()) {
            p if p.line > 0 => p,
            _ => located.place_of("collectivity", r.collectivity.as_str()),
        };
        reading.define(id.clone().into(), place.clone())?;
        if r.sources.is_empty() {
            return Err(place.error(format!("{id} cites no source: give at least one")));
        }
        reading.refer(id.clone(), r.collectivity.clone(), &place);
        reading.refer(id.clone(), r.solution.clone(), &place);
        reading.refer(id.clone(), r.need.clone(), &place);
        for replaced in &r.replaced {
            reading.refer(id.clone(), replaced.clone(), &place);
        }
        reading.cite(id.clone(), r.sources, &place)?;
        for (index, o) in r.outcomes.into_iter().enumerate() {
            let outcome_id = match o.id {
                Some(oid) => oid,
                None => OutcomeId::parse(&format!("outcome:{}--{}", id.slug(), index + 1))
                    .map_err(|e| place.error(e.0))?,
            };
            reading.define(outcome_id.clone().into(), place.clone())?;
            if o.sources.is_empty() {
                return Err(place.error(format!("{outcome_id} cites no source: give at least one")));
            }
            reading.cite(outcome_id.clone(), o.sources, &place)?;
            reading.batch.outcomes.push(Outcome {
                id: outcome_id,
                adoption: id.clone(),
                kind: o.kind,
                date: o.date,
                summary: o.summary,
                figures: o.figures.into_iter().map(Figure::from).collect(),
                retired: None,
            });
        }
        reading.batch.adoptions.push(Adoption {
            id,
            collectivity: r.collectivity,
            solution: r.solution,
            need: r.need,
            status: r.status,
            started: r.started,
            ended: r.ended,
            strategy: r.strategy,
            hosting: r.hosting,
            scale: r.scale,
            replaced: r.replaced,
            note: r.note,
            status_history: Vec::new(),
        });
    }
    for r in file.contributions {
        let place = located.place_of("id", r.id.as_str());
        reading.define(r.id.clone().into(), place.clone())?;
        if r.sources.is_empty() {
            return Err(place.error(format!("{} cites no source: give at least one", r.id)));
        }
        reading.refer(r.id.clone(), r.collectivity.clone(), &place);
        if let Some(solution) = &r.solution {
            reading.refer(r.id.clone(), solution.clone(), &place);
        }
        reading.cite(r.id.clone(), r.sources, &place)?;
        reading.batch.contributions.push(Contribution {
            id: r.id,
            collectivity: r.collectivity,
            solution: r.solution,
            kind: r.kind,
            share_percent: r.share_percent,
            started: r.started,
            ended: r.ended,
            software: r.software,
            contractor: r.contractor,
            references: r.references,
            note: r.note,
        });
    }
    for r in file.watch_sources {
        let (key, value) = r.anchor();
        let place = located.place_of(key, &value);
        let source = r.into_source().map_err(|e| place.error(e.0))?;
        if let Some((_, first)) = reading.watch.iter().find(|(w, _)| w.id == source.id) {
            return Err(place.error(format!(
                "{} is defined twice (first at {}:{}): give one an `id`",
                source.id,
                first.path.display(),
                first.line
            )));
        }
        reading.watch.push((source, place));
    }
    for r in file.release_cycles {
        let place = located.place_of("id", &r.id);
        let cycle = r.into_cycle().map_err(|e| place.error(e.0))?;
        if let Some((_, first)) = reading.cycles.iter().find(|(c, _)| c.id == cycle.id) {
            return Err(place.error(format!(
                "{} is defined twice (first at {}:{})",
                cycle.id,
                first.path.display(),
                first.line
            )));
        }
        reading.cycles.push((cycle, place));
    }
    Ok(())
}

/// Checks each node's own rules, reporting the first failure at its record's line.
fn validate_nodes(reading: &Reading) -> Result<(), ImportError> {
    let b = &reading.batch;
    let checks = b
        .sources
        .iter()
        .map(|n| (n.id.to_string(), n.validate()))
        .chain(b.needs.iter().map(|n| (n.id.to_string(), n.validate())))
        .chain(
            b.publishers
                .iter()
                .map(|n| (n.id.to_string(), n.validate())),
        )
        .chain(b.solutions.iter().map(|n| (n.id.to_string(), n.validate())))
        .chain(
            b.alternatives
                .iter()
                .map(|n| (n.id.to_string(), n.validate())),
        )
        .chain(
            b.collectivities
                .iter()
                .map(|n| (n.id.to_string(), n.validate())),
        )
        .chain(b.adoptions.iter().map(|n| (n.id.to_string(), n.validate())))
        .chain(b.outcomes.iter().map(|n| (n.id.to_string(), n.validate())))
        .chain(
            b.contributions
                .iter()
                .map(|n| (n.id.to_string(), n.validate())),
        );
    for (id, result) in checks {
        if let Err(e) = result {
            let place = &reading.defined[&id];
            return Err(place.error(e.0));
        }
    }
    Ok(())
}

/// Checks that alternatives join a libre (or internal) solution to a proprietary one, when both are in the seed.
fn validate_alternatives(reading: &Reading) -> Result<(), ImportError> {
    let kinds: HashMap<&str, SolutionKind> = reading
        .batch
        .solutions
        .iter()
        .map(|s| (s.id.as_str(), s.kind))
        .collect();
    for a in &reading.batch.alternatives {
        let place = &reading.defined[a.id.as_str()];
        if let Some(SolutionKind::Proprietary) = kinds.get(a.libre.as_str()) {
            return Err(place.error(format!("{}: {} is PROPRIETARY, not libre", a.id, a.libre)));
        }
        if let Some(k @ (SolutionKind::Libre | SolutionKind::Internal)) =
            kinds.get(a.proprietary.as_str())
        {
            return Err(place.error(format!(
                "{}: {} is {k}, not proprietary",
                a.id, a.proprietary
            )));
        }
    }
    Ok(())
}

/// References the seed makes to nodes it does not define: (from, to, where).
type ExternalReferences = Vec<(NodeId, NodeId, Place)>;

/// What the seed holds: the graph's batch, its external references, and watch sources.
struct SeedContent {
    batch: Batch,
    external: ExternalReferences,
    watch: Vec<(WatchSource, Place)>,
}

/// The seed files under `path` (a folder, or one file), in name order, with their text.
fn read_folder(path: &Path) -> Result<Vec<(PathBuf, String)>, ImportError> {
    seed_files(path)?
        .into_iter()
        .map(|file| read_file(&file).map(|text| (file, text)))
        .collect()
}

/// Reads and validates the seed's files (path and text) without touching any store.
///
/// References that the seed does not define itself are returned, each with the place that
/// makes it, to be looked up in the store.
fn read(files: Vec<(PathBuf, String)>) -> Result<SeedContent, ImportError> {
    let mut reading = Reading {
        batch: Batch::default(),
        watch: Vec::new(),
        cycles: Vec::new(),
        defined: HashMap::new(),
        references: Vec::new(),
    };
    for (file, text) in &files {
        read_into(&mut reading, file, text)?;
    }
    validate_nodes(&reading)?;
    validate_alternatives(&reading)?;
    let defined = &reading.defined;
    let mut external: ExternalReferences = reading
        .references
        .into_iter()
        .filter(|(_, to, _)| !defined.contains_key(to.as_str()))
        .collect();
    // A release cycle refers to a solution and a source of the seed itself.
    for (c, place) in &reading.cycles {
        let solution = c.solution.as_ref().map(|s| s.as_str()).unwrap_or_default();
        for wanted in [solution, c.source.as_str()] {
            if !defined.contains_key(wanted) {
                return Err(place.error(format!(
                    "{} refers to {wanted}, which the seed does not define",
                    c.id
                )));
            }
        }
    }
    for (w, place) in &reading.watch {
        if !defined.contains_key(w.solution.as_str()) {
            external.push((
                w.solution.clone().into(),
                w.solution.clone().into(),
                place.clone(),
            ));
        }
    }
    let mut batch = reading.batch;
    batch.releases = reading.cycles.into_iter().map(|(c, _)| c).collect();
    Ok(SeedContent {
        batch,
        external,
        watch: reading.watch,
    })
}

/// Reads the seed at `path` (a folder or one file) and writes it to the store in one
/// transaction, watch sources included.
pub async fn load(store: &dyn Store, path: &Path) -> Result<WriteReport, ImportError> {
    let path_owned = path.to_owned();
    let content = tokio::task::spawn_blocking(move || read(read_folder(&path_owned)?))
        .await
        .map_err(|e| ImportError::at(path, 0, format!("reading the seed failed: {e}")))??;
    write(store, content).await
}

/// Writes the seed built into the binary (see [`super::curated`]), like [`load`].
pub async fn load_embedded(store: &dyn Store) -> Result<WriteReport, ImportError> {
    let content = tokio::task::spawn_blocking(|| read(super::curated::embedded_seed()))
        .await
        .map_err(|e| ImportError::at("seed", 0, format!("reading the seed failed: {e}")))??;
    write(store, content).await
}

/// Loads the seed from where `from` says.
pub async fn load_from(
    store: &dyn Store,
    from: &super::Curated,
) -> Result<WriteReport, ImportError> {
    match from {
        super::Curated::Embedded => load_embedded(store).await,
        super::Curated::Path(path) => {
            from.check_exists()?;
            load(store, path).await
        }
    }
}

/// Checks the seed's references against the store, then writes its nodes and its watch
/// sources in one transaction.
async fn write(store: &dyn Store, content: SeedContent) -> Result<WriteReport, ImportError> {
    let SeedContent {
        batch,
        external,
        watch,
    } = content;
    if !external.is_empty() {
        let mut wanted: Vec<NodeId> = external.iter().map(|(_, to, _)| to.clone()).collect();
        wanted.sort();
        wanted.dedup();
        let missing = store.missing(wanted).await?;
        if let Some((from, to, place)) = external.iter().find(|(_, to, _)| missing.contains(to)) {
            let what = if from == to {
                "a watch source follows".to_owned()
            } else {
                format!("{from} refers to")
            };
            return Err(place.error(format!(
                "{what} {to}, which is defined neither in the seed nor in the store"
            )));
        }
    }
    let sources = watch.into_iter().map(|(w, _)| w).collect();
    Ok(store.write_seed(batch, sources).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<(Batch, ExternalReferences), ImportError> {
        read_content(text).map(|c| (c.batch, c.external))
    }

    fn read_content(text: &str) -> Result<SeedContent, ImportError> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("seed.yaml");
        std::fs::write(&file, text).unwrap();
        read(read_folder(&file)?)
    }

    #[test]
    fn watch_sources_are_read_and_checked() {
        let text = "watch_sources:\n  - solution: solution:a\n    github: o/r\n  - solution: solution:a\n    id: watch:a-eol\n    endoflife: debian\n    interval: 3600\n";
        let content = read_content(text).unwrap();
        assert_eq!(content.watch.len(), 2);
        assert_eq!(content.watch[1].0.interval_secs, 3600);
        assert_eq!(content.external.len(), 2, "the solution is not in the seed");
        let twice = "watch_sources:\n  - solution: solution:a\n    github: o/r\n  - solution: solution:a\n    github: o/s\n";
        let err = message(read_content(twice).err().unwrap());
        assert!(
            err.contains(":5:") && err.contains("defined twice"),
            "{err}"
        );
        let both = "watch_sources:\n  - solution: solution:a\n    github: o/r\n    endoflife: x\n";
        let err = message(read_content(both).err().unwrap());
        assert!(err.contains("exactly one"), "{err}");
    }

    fn message(e: ImportError) -> String {
        e.to_string()
    }

    #[test]
    fn release_cycles_are_read_and_checked() {
        let head = "sources:\n  - id: source:eol\n    title: EOL\n    kind: DATASET\nsolutions:\n  - id: solution:a\n    name: A\n    kind: LIBRE\n    licence: MIT\n    needs: [need:x]\n    sources: [source:eol]\n";
        let cycle = |id: &str, solution: &str| {
            format!("release_cycles:\n  - id: {id}\n    solution: {solution}\n    product: a\n    product_name: A\n    cycle: \"2\"\n    released: 2024-01-02\n    eol: 2026-01\n    source: source:eol\n")
        };
        let (batch, _) =
            read_text(&format!("{head}{}", cycle("release:a--2", "solution:a"))).unwrap();
        assert_eq!(batch.releases.len(), 1);
        let c = &batch.releases[0];
        assert_eq!(c.eol_date.unwrap().to_string(), "2026-01");
        assert_eq!(c.solution.as_ref().unwrap().as_str(), "solution:a");
        assert_eq!(c.locator, "endoflife-date/products/a.md#releaseCycle=2");
        let err = message(
            read_content(&format!("{head}{}", cycle("release:a--3", "solution:a")))
                .err()
                .unwrap(),
        );
        assert!(
            err.contains(":13:") && err.contains("is `release:a--2`"),
            "{err}"
        );
        let err = message(
            read_content(&format!("{head}{}", cycle("release:a--2", "solution:b")))
                .err()
                .unwrap(),
        );
        assert!(
            err.contains("solution:b, which the seed does not define"),
            "{err}"
        );
    }

    #[test]
    fn bad_values_are_reported_with_their_line() {
        let text = "sources:\n  - id: source:a\n    title: A\n    kind: INTERVIEW\n    published: 2020-13\n";
        let err = message(read_text(text).unwrap_err());
        assert!(err.contains("seed.yaml:5:"), "{err}");
        assert!(err.contains("2020-13"), "{err}");
    }

    #[test]
    fn unknown_fields_and_enums_are_rejected() {
        let err = message(
            read_text("sources:\n  - id: source:a\n    title: A\n    kind: RUMOUR\n").unwrap_err(),
        );
        assert!(err.contains(":4:") && err.contains("RUMOUR"), "{err}");
        let err = message(read_text("solutionz: []\n").unwrap_err());
        assert!(err.contains("solutionz"), "{err}");
    }

    #[test]
    fn rules_spanning_fields_point_at_the_record() {
        let text = "needs:\n  - id: need:x\n    label: {en: X}\nsolutions:\n  - id: solution:y\n    name: Y\n    kind: LIBRE\n    needs: [need:x]\n";
        let err = message(read_text(text).unwrap_err());
        assert!(
            err.contains("seed.yaml:5:") && err.contains("no licence"),
            "{err}"
        );
    }

    #[test]
    fn duplicates_and_missing_sources_are_rejected() {
        let text =
            "needs:\n  - id: need:x\n    label: {en: X}\n  - id: need:x\n    label: {en: Y}\n";
        assert!(message(read_text(text).unwrap_err()).contains("defined twice"));
        let text = "adoptions:\n  - collectivity: collectivity:a\n    solution: solution:b\n    need: need:c\n    status: DEPLOYED\n";
        let err = message(read_text(text).unwrap_err());
        assert!(
            err.contains(":2:") && err.contains("cites no source"),
            "{err}"
        );
    }

    #[test]
    fn citations_carry_their_locator_and_cite_a_source_once() {
        let head = "sources:\n  - id: source:a\n    title: A\n    kind: INTERVIEW\nneeds:\n  - id: need:x\n    label: {en: X}\n";
        let (batch, _) = read_text(&format!(
            "{head}    sources: [{{source: source:a, locator: \" a.txt#§3 \"}}]\n"
        ))
        .unwrap();
        assert_eq!(batch.citations.len(), 1);
        assert_eq!(batch.citations[0].locator.as_deref(), Some("a.txt#§3"));
        let (plain, _) = read_text(&format!("{head}    sources: [source:a]\n")).unwrap();
        assert_eq!(plain.citations[0].locator, None);
        let twice = format!("{head}    sources: [source:a, {{source: source:a, locator: x}}]\n");
        let err = message(read_text(&twice).unwrap_err());
        assert!(
            err.contains(":6:") && err.contains("cites source:a twice"),
            "{err}"
        );
        let empty = format!("{head}    sources: [{{source: source:a, locator: \" \"}}]\n");
        assert!(message(read_text(&empty).unwrap_err()).contains("locator of source:a"));
        let bad = format!("{head}    sources: [{{source: need:x, locator: y}}]\n");
        assert!(message(read_text(&bad).unwrap_err()).contains("source id"));
    }

    #[test]
    fn references_outside_the_seed_are_returned_for_the_store() {
        let text = "needs:\n  - id: need:x\n    label: {en: X}\n    broader: need:elsewhere\n";
        let (batch, external) = read_text(text).unwrap();
        assert_eq!(batch.needs.len(), 1);
        assert_eq!(external.len(), 1);
        assert_eq!(external[0].1.as_str(), "need:elsewhere");
        assert_eq!(external[0].2.line, 2);
    }
}
