//! The shapes of the seed's YAML records (see `seed/README.md`): values are parsed and
//! validated as they are read, so a bad one is reported at its line and column.

use serde::Deserialize;

use crate::domain::{
    AdoptionId, AdoptionStatus, AlternativeKind, CollectivityId, CollectivityKind, Confidence,
    ContributionId, ContributionKind, Country, DeploymentStrategy, Figure, Hosting, InseeCode,
    Licence, LocalizedText, MaintenanceStatus, NeedId, OutcomeId, OutcomeKind, PartialDate,
    ProductCycle, PublisherId, PublisherKind, PublisherStatus, Siren, SolutionId, SolutionKind,
    SourceId, SourceKind, ValidationError, WatchLocation, WatchSource, WatchSourceId, WebUrl,
    WikidataId,
};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct SeedFile {
    #[serde(default)]
    pub(super) sources: Vec<SourceRecord>,
    #[serde(default)]
    pub(super) needs: Vec<NeedRecord>,
    #[serde(default)]
    pub(super) publishers: Vec<PublisherRecord>,
    #[serde(default)]
    pub(super) solutions: Vec<SolutionRecord>,
    #[serde(default)]
    pub(super) alternatives: Vec<AlternativeRecord>,
    #[serde(default)]
    pub(super) collectivities: Vec<CollectivityRecord>,
    #[serde(default)]
    pub(super) adoptions: Vec<AdoptionRecord>,
    #[serde(default)]
    pub(super) contributions: Vec<ContributionRecord>,
    #[serde(default)]
    pub(super) watch_sources: Vec<WatchSourceRecord>,
    #[serde(default)]
    pub(super) release_cycles: Vec<ReleaseCycleRecord>,
}

/// A source a record cites: its id (`source:sill-2022`), or the id with where in the source
/// the fact stands (`{source: source:interview-vivant-2025, locator: "interview-vivant-2025-10-21.txt#§35"}`).
pub(super) struct CitedSource {
    pub(super) source: SourceId,
    pub(super) locator: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LocatedSource {
    pub(super) source: SourceId,
    pub(super) locator: String,
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
pub(super) struct ReleaseCycleRecord {
    pub(super) id: String,
    pub(super) solution: SolutionId,
    pub(super) product: String,
    pub(super) product_name: String,
    pub(super) cycle: String,
    pub(super) released: Option<PartialDate>,
    /// When its support ends or ended.
    pub(super) eol: Option<PartialDate>,
    /// Support ended, on a date the data does not give.
    #[serde(default)]
    pub(super) ended: bool,
    #[serde(default)]
    pub(super) lts: bool,
    pub(super) latest: Option<String>,
    pub(super) latest_date: Option<PartialDate>,
    pub(super) source: SourceId,
}

impl TryFrom<ReleaseCycleRecord> for ProductCycle {
    type Error = ValidationError;

    /// The cycle, its id checked against its product and cycle, built and checked by the domain.
    fn try_from(r: ReleaseCycleRecord) -> Result<Self, ValidationError> {
        let id = ProductCycle::id_for(&r.product, &r.cycle);
        if r.id != id {
            return Err(ValidationError::new(format!(
                "the id of product `{}`'s cycle `{}` is `{id}`, not `{}`",
                r.product, r.cycle, r.id
            )));
        }
        if r.ended && r.eol.is_some() {
            return Err(ValidationError::new(format!(
                "{id}: give `eol` (a date) or `ended: true`, not both"
            )));
        }
        let cycle = ProductCycle {
            locator: ProductCycle::locator_for(&r.product, &r.cycle),
            id,
            product: r.product,
            product_name: r.product_name,
            cycle: r.cycle,
            release_date: r.released,
            eol: r.ended,
            eol_date: r.eol,
            lts: r.lts,
            latest: r.latest,
            latest_date: r.latest_date,
            versions: Vec::new(),
            solution: Some(r.solution),
            source: r.source,
        };
        cycle.validate()?;
        Ok(cycle)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GitlabRecord {
    pub(super) host: WebUrl,
    pub(super) project: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WatchSourceRecord {
    pub(super) id: Option<WatchSourceId>,
    pub(super) solution: SolutionId,
    pub(super) github: Option<String>,
    pub(super) gitlab: Option<GitlabRecord>,
    pub(super) feed: Option<WebUrl>,
    pub(super) endoflife: Option<String>,
    pub(super) interval: Option<u32>,
}

impl WatchSourceRecord {
    /// The key and value that name the record in its file, for error lines.
    pub(super) fn anchor(&self) -> (&'static str, String) {
        match (&self.github, &self.gitlab, &self.feed, &self.endoflife) {
            (Some(repo), ..) => ("github", repo.clone()),
            (_, Some(g), ..) => ("project", g.project.clone()),
            (_, _, Some(url), _) => ("feed", url.to_string()),
            (.., Some(product)) => ("endoflife", product.clone()),
            _ => ("solution", self.solution.to_string()),
        }
    }
}

impl TryFrom<WatchSourceRecord> for WatchSource {
    type Error = ValidationError;

    /// The source, built and checked by the domain (the API's watch-source mutations do the
    /// same).
    fn try_from(r: WatchSourceRecord) -> Result<Self, ValidationError> {
        let location = WatchLocation::one_of(
            r.github,
            r.gitlab.map(|g| (g.host, g.project)),
            r.feed,
            r.endoflife,
        )
        .map_err(|e| ValidationError::new(format!("{}: {}", r.solution, e.0)))?;
        WatchSource::declare(r.solution, location, r.id, r.interval)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourceRecord {
    pub(super) id: SourceId,
    pub(super) title: String,
    pub(super) titles: Option<LocalizedText>,
    pub(super) kind: SourceKind,
    pub(super) url: Option<WebUrl>,
    pub(super) publisher: Option<String>,
    pub(super) published: Option<PartialDate>,
    pub(super) licence: Option<Licence>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NeedRecord {
    pub(super) id: NeedId,
    pub(super) label: LocalizedText,
    pub(super) broader: Option<NeedId>,
    pub(super) publiccode: Option<String>,
    #[serde(default)]
    pub(super) sources: Vec<CitedSource>,
}

fn active_publisher() -> PublisherStatus {
    PublisherStatus::Active
}

fn active_solution() -> MaintenanceStatus {
    MaintenanceStatus::Active
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PublisherRecord {
    pub(super) id: PublisherId,
    pub(super) name: String,
    pub(super) kind: PublisherKind,
    pub(super) country: Option<Country>,
    pub(super) website: Option<WebUrl>,
    #[serde(default = "active_publisher")]
    pub(super) status: PublisherStatus,
    pub(super) closed: Option<PartialDate>,
    #[serde(default)]
    pub(super) unnamed: bool,
    #[serde(default)]
    pub(super) sources: Vec<CitedSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SolutionRecord {
    pub(super) id: SolutionId,
    pub(super) name: String,
    pub(super) kind: SolutionKind,
    pub(super) licence: Option<Licence>,
    pub(super) publisher: Option<PublisherId>,
    #[serde(default)]
    pub(super) needs: Vec<NeedId>,
    #[serde(default = "active_solution")]
    pub(super) status: MaintenanceStatus,
    pub(super) website: Option<WebUrl>,
    pub(super) repository: Option<WebUrl>,
    pub(super) wikidata: Option<WikidataId>,
    pub(super) sill: Option<u32>,
    pub(super) comptoir: Option<u32>,
    pub(super) description: Option<LocalizedText>,
    #[serde(default)]
    pub(super) unnamed: bool,
    #[serde(default)]
    pub(super) sources: Vec<CitedSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AlternativeRecord {
    pub(super) libre: SolutionId,
    pub(super) proprietary: SolutionId,
    pub(super) confidence: Confidence,
    pub(super) kind: AlternativeKind,
    #[serde(default)]
    pub(super) sources: Vec<CitedSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FigureRecord {
    pub(super) name: String,
    pub(super) value: f64,
    pub(super) unit: Option<String>,
    pub(super) source: Option<SourceId>,
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
pub(super) struct CollectivityRecord {
    pub(super) id: CollectivityId,
    pub(super) name: String,
    pub(super) kind: CollectivityKind,
    pub(super) country: Country,
    pub(super) insee: Option<InseeCode>,
    pub(super) siren: Option<Siren>,
    pub(super) population: Option<u64>,
    pub(super) department: Option<String>,
    pub(super) region: Option<String>,
    pub(super) parent: Option<CollectivityId>,
    #[serde(default)]
    pub(super) unnamed: bool,
    #[serde(default)]
    pub(super) figures: Vec<FigureRecord>,
    #[serde(default)]
    pub(super) sources: Vec<CitedSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OutcomeRecord {
    pub(super) id: Option<OutcomeId>,
    pub(super) kind: OutcomeKind,
    pub(super) date: Option<PartialDate>,
    pub(super) summary: LocalizedText,
    #[serde(default)]
    pub(super) figures: Vec<FigureRecord>,
    #[serde(default)]
    pub(super) sources: Vec<CitedSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AdoptionRecord {
    pub(super) id: Option<AdoptionId>,
    pub(super) collectivity: CollectivityId,
    pub(super) solution: SolutionId,
    pub(super) need: NeedId,
    pub(super) status: AdoptionStatus,
    pub(super) started: Option<PartialDate>,
    pub(super) ended: Option<PartialDate>,
    pub(super) strategy: Option<DeploymentStrategy>,
    pub(super) hosting: Option<Hosting>,
    pub(super) scale: Option<u64>,
    #[serde(default)]
    pub(super) replaced: Vec<SolutionId>,
    pub(super) note: Option<LocalizedText>,
    #[serde(default)]
    pub(super) sources: Vec<CitedSource>,
    #[serde(default)]
    pub(super) outcomes: Vec<OutcomeRecord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ContributionRecord {
    pub(super) id: ContributionId,
    pub(super) collectivity: CollectivityId,
    pub(super) solution: Option<SolutionId>,
    pub(super) kind: ContributionKind,
    pub(super) share_percent: Option<f64>,
    pub(super) started: Option<PartialDate>,
    pub(super) ended: Option<PartialDate>,
    pub(super) software: Option<String>,
    pub(super) contractor: Option<String>,
    #[serde(default)]
    pub(super) references: Vec<WebUrl>,
    pub(super) note: Option<LocalizedText>,
    #[serde(default)]
    pub(super) sources: Vec<CitedSource>,
}
