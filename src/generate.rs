//! `retex generate`: a national-scale graph for benchmarks, deterministic with a seed.
//!
//! Real collectivities (the communes and intercommunalities of the découpage administratif,
//! when its folder is given; synthetic ones with a similar size distribution otherwise) and the
//! curated seed (real, sourced facts), plus synthetic needs, publishers, solutions,
//! alternatives, adoptions and outcomes. Everything synthetic is marked twice: its id's slug
//! starts with `synthetic-`, and it cites one source of kind DATASET titled as synthetic. It
//! never reuses a real node's id, so it cannot overwrite or blur a real fact.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Deserialize;

use crate::domain::{
    Adoption, AdoptionId, AdoptionStatus, Alternative, AlternativeKind, Batch, Citation,
    Collectivity, CollectivityId, CollectivityKind, Confidence, Country, DeploymentStrategy,
    Hosting, InseeCode, Licence, LocalizedText, MaintenanceStatus, Need, NeedId, NodeId, Outcome,
    OutcomeId, OutcomeKind, PartialDate, Publisher, PublisherId, PublisherKind, PublisherStatus,
    Siren, Solution, SolutionId, SolutionKind, Source, SourceId, SourceKind, ValidationError,
};
use crate::store::{Store, StoreError};

/// Why generating failed.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The store refused a batch or could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The collectivities' folder could not be read.
    #[error("cannot read {path}: {message}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The seed could not be imported.
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    /// A generated value broke a domain rule (a bug).
    #[error("generated an invalid value: {0}")]
    Invalid(#[from] ValidationError),
}

/// How big a graph to generate.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The random seed.
    pub seed: u64,
    /// Total needs (real ones included).
    pub needs: usize,
    /// Synthetic solutions.
    pub solutions: usize,
    /// Synthetic publishers.
    pub publishers: usize,
    /// Synthetic adoptions.
    pub adoptions: usize,
    /// Synthetic outcomes.
    pub outcomes: usize,
    /// Rows per write (one transaction each).
    pub batch: usize,
    /// The découpage administratif folder (communes.json, epci.json), if any.
    pub collectivities_from: Option<PathBuf>,
    /// The curated seed to import first, if any.
    pub seed_data: Option<SeedData>,
}

/// The curated seed a generated graph starts from.
#[derive(Debug, Clone)]
pub enum SeedData {
    /// The seed built into the binary (`seed/` at build time).
    Embedded,
    /// A seed folder on disk.
    Folder(PathBuf),
}

impl Plan {
    /// The scale: 300 needs, 5,000 solutions, 1,000,000 adoptions, 100,000 outcomes.
    pub fn national(seed: u64) -> Self {
        Self {
            seed,
            needs: 300,
            solutions: 5_000,
            publishers: 800,
            adoptions: 1_000_000,
            outcomes: 100_000,
            batch: 50_000,
            collectivities_from: None,
            seed_data: None,
        }
    }
}

/// What was generated, and how long it took.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Node counts per kind written.
    pub counts: Vec<(&'static str, usize)>,
    /// Seconds spent, per phase.
    pub phases: Vec<(&'static str, f64)>,
}

/// SplitMix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Samples indices with given weights (cumulative sums and a binary search).
struct Weighted(Vec<f64>);

impl Weighted {
    fn new(weights: impl Iterator<Item = f64>) -> Self {
        let mut total = 0.0;
        Self(
            weights
                .map(|w| {
                    total += w;
                    total
                })
                .collect(),
        )
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.0.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.0.partition_point(|c| *c <= x).min(self.0.len() - 1)
    }
}

fn id<T>(parse: fn(&str) -> Result<T, ValidationError>, text: &str) -> Result<T, GenerateError> {
    Ok(parse(text)?)
}

fn text(fr: &str, en: &str) -> Result<LocalizedText, GenerateError> {
    Ok(LocalizedText::new(
        Some(fr.to_owned()),
        Some(en.to_owned()),
    )?)
}

#[derive(Deserialize)]
struct RawCommune {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    departement: Option<String>,
    region: Option<String>,
    siren: Option<String>,
    population: Option<u64>,
}

#[derive(Deserialize)]
struct RawMember {
    code: String,
}

#[derive(Deserialize)]
struct RawEpci {
    code: String,
    nom: String,
    #[serde(rename = "populationMunicipale")]
    population: Option<u64>,
    #[serde(default)]
    membres: Vec<RawMember>,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, GenerateError> {
    let read = |message: String| GenerateError::Read {
        path: path.to_owned(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| read(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| read(e.to_string()))
}

/// The real communes (commune-actuelle) and intercommunalities of the découpage administratif,
/// intercommunalities first; communes belong to their intercommunality.
fn real_collectivities(dir: &Path) -> Result<Vec<Collectivity>, GenerateError> {
    let communes: Vec<RawCommune> = read_json(&dir.join("communes.json"))?;
    let epcis: Vec<RawEpci> = read_json(&dir.join("epci.json"))?;
    let communes: Vec<RawCommune> = communes
        .into_iter()
        .filter(|c| c.kind == "commune-actuelle")
        .collect();
    let by_code: HashMap<&str, &RawCommune> =
        communes.iter().map(|c| (c.code.as_str(), c)).collect();
    let mut parent: HashMap<&str, String> = HashMap::new();
    let fr = Country::parse("FR")?;
    let mut out = Vec::with_capacity(communes.len() + epcis.len());
    for e in &epcis {
        let id = format!("collectivity:fr-epci-{}", e.code);
        let first = e.membres.iter().find_map(|m| by_code.get(m.code.as_str()));
        for m in &e.membres {
            parent.insert(m.code.as_str(), id.clone());
        }
        let id = CollectivityId::parse(&id)?;
        out.push(Collectivity {
            siren: Siren::parse(&e.code).ok(),
            population: e.population,
            department: first.and_then(|c| c.departement.clone()),
            region: first.and_then(|c| c.region.clone()),
            ..Collectivity::new(
                id,
                e.nom.clone(),
                CollectivityKind::Intercommunality,
                fr.clone(),
            )
        });
    }
    for c in &communes {
        let code = c.code.to_lowercase();
        let id = CollectivityId::parse(&format!("collectivity:fr-commune-{code}"))?;
        out.push(Collectivity {
            insee: InseeCode::parse(&c.code).ok(),
            siren: c.siren.as_deref().and_then(|s| Siren::parse(s).ok()),
            population: c.population,
            department: c.departement.clone(),
            region: c.region.clone(),
            parent: parent
                .get(c.code.as_str())
                .and_then(|p| CollectivityId::parse(p).ok()),
            ..Collectivity::new(id, c.nom.clone(), CollectivityKind::Commune, fr.clone())
        });
    }
    Ok(out)
}

/// Synthetic collectivities with the size distribution of the real ones: 34,969 communes
/// (log-normal populations, median about 450) and 1,255 intercommunalities, over 101
/// departments in 18 regions.
fn synthetic_collectivities(rng: &mut Rng) -> Result<Vec<Collectivity>, GenerateError> {
    let fr = Country::parse("FR")?;
    let mut out = Vec::new();
    let department = |i: usize| format!("{:02}", i % 101 + 1);
    let region = |i: usize| format!("{:02}", (i % 101) % 18 + 1);
    let normal = |rng: &mut Rng| {
        // Box-Muller.
        let (u, v) = (rng.unit().max(1e-12), rng.unit());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    };
    for i in 0..1_255 {
        let population = (10f64.powf(4.3 + 0.5 * normal(rng))) as u64;
        let id = CollectivityId::parse(&format!("collectivity:synthetic-epci-{i:04}"))?;
        let name = format!("Intercommunalité synthétique {i}");
        out.push(Collectivity {
            population: Some(population.max(1_000)),
            department: Some(department(i)),
            region: Some(region(i)),
            ..Collectivity::new(id, name, CollectivityKind::Intercommunality, fr.clone())
        });
    }
    for i in 0..34_969 {
        let population = (10f64.powf(2.65 + 0.6 * normal(rng))) as u64;
        let id = CollectivityId::parse(&format!("collectivity:synthetic-commune-{i:05}"))?;
        let name = format!("Commune synthétique {i}");
        out.push(Collectivity {
            population: Some(population.max(1)),
            department: Some(department(i)),
            region: Some(region(i)),
            parent: CollectivityId::parse(&format!("collectivity:synthetic-epci-{:04}", i % 1_255))
                .ok(),
            ..Collectivity::new(id, name, CollectivityKind::Commune, fr.clone())
        });
    }
    Ok(out)
}

/// The source every synthetic node cites.
fn synthetic_source(seed: u64) -> Result<Source, GenerateError> {
    Ok(Source {
        id: SourceId::parse(&format!("source:synthetic-retex-generate-seed-{seed}"))?,
        title: format!(
            "SYNTHETIC benchmark data generated by `retex generate --seed {seed}`: not real facts"
        ),
        titles: None,
        kind: SourceKind::Dataset,
        url: None,
        publisher: Some("retex".to_owned()),
        published: None,
        licence: None,
        retired: None,
    })
}

fn decoupage_source() -> Result<Source, GenerateError> {
    Ok(Source {
        id: SourceId::parse("source:decoupage-administratif-2026")?,
        title: "Découpage administratif 2026 (@etalab/decoupage-administratif 6.0.0)".to_owned(),
        titles: crate::import::sources::decoupage().titles,
        kind: SourceKind::Dataset,
        url: crate::domain::WebUrl::parse("https://github.com/etalab/decoupage-administratif").ok(),
        publisher: Some("Etalab (DINUM), from INSEE and DGCL data".to_owned()),
        published: None,
        licence: Licence::parse("etalab-2.0").ok(),
        retired: None,
    })
}

const LICENCES: &[&str] = &[
    "GPL-3.0-or-later",
    "AGPL-3.0-only",
    "MIT",
    "Apache-2.0",
    "LGPL-3.0-or-later",
    "MPL-2.0",
];

struct World {
    solutions: Vec<Solution>,
    closed_publishers: Vec<bool>,
    publisher_of: Vec<usize>,
    proprietary_by_need: HashMap<NeedId, Vec<usize>>,
}

fn cite(batch: &mut Batch, source: &SourceId, subject: impl Into<NodeId>) {
    batch.citations.push(Citation {
        locator: None,
        subject: subject.into(),
        source: source.clone(),
    });
}

/// Synthetic needs (up to the plan's total, under real top-level needs), publishers,
/// solutions and alternatives.
fn catalogue(
    plan: &Plan,
    rng: &mut Rng,
    real_needs: &[Need],
    source: &SourceId,
) -> Result<(Batch, World), GenerateError> {
    let mut batch = Batch::default();
    let tops: Vec<NeedId> = real_needs
        .iter()
        .filter(|n| n.broader.is_none())
        .map(|n| n.id.clone())
        .collect();
    let mut needs: Vec<NeedId> = real_needs.iter().map(|n| n.id.clone()).collect();
    for i in 0..plan.needs.saturating_sub(real_needs.len()) {
        let need = Need {
            id: id(NeedId::parse, &format!("need:synthetic-need-{i:03}"))?,
            label: text(
                &format!("Besoin synthétique {i}"),
                &format!("Synthetic need {i}"),
            )?,
            broader: (!tops.is_empty()).then(|| rng.pick(&tops).clone()),
            publiccode: None,
            retired: None,
        };
        needs.push(need.id.clone());
        cite(&mut batch, source, need.id.clone());
        batch.needs.push(need);
    }
    let mut closed_publishers = Vec::new();
    for i in 0..plan.publishers {
        let closed = rng.chance(0.03);
        let p = Publisher {
            id: id(
                PublisherId::parse,
                &format!("publisher:synthetic-publisher-{i:04}"),
            )?,
            name: format!("Synthetic publisher {i}"),
            kind: *rng.pick(&[
                PublisherKind::Company,
                PublisherKind::Company,
                PublisherKind::Association,
                PublisherKind::Foundation,
                PublisherKind::Community,
            ]),
            country: None,
            website: None,
            status: if closed {
                PublisherStatus::Closed
            } else {
                PublisherStatus::Active
            },
            closed: if closed {
                Some(PartialDate::parse(&format!("{}", 2010 + rng.below(16)))?)
            } else {
                None
            },
            unnamed: false,
        };
        closed_publishers.push(closed);
        cite(&mut batch, source, p.id.clone());
        batch.publishers.push(p);
    }
    let mut solutions = Vec::new();
    let mut publisher_of = Vec::new();
    let mut proprietary_by_need: HashMap<NeedId, Vec<usize>> = HashMap::new();
    let mut libre_by_need: HashMap<NeedId, Vec<usize>> = HashMap::new();
    for i in 0..plan.solutions {
        let roll = rng.unit();
        let kind = if roll < 0.45 {
            SolutionKind::Libre
        } else if roll < 0.95 {
            SolutionKind::Proprietary
        } else {
            SolutionKind::Internal
        };
        let publisher = rng.below(plan.publishers.max(1));
        let mut own_needs = vec![rng.pick(&needs).clone()];
        if rng.chance(0.3) {
            let extra = rng.pick(&needs).clone();
            if !own_needs.contains(&extra) {
                own_needs.push(extra);
            }
        }
        let status_roll = rng.unit();
        let status = if plan.publishers > 0 && closed_publishers[publisher] {
            MaintenanceStatus::Discontinued
        } else if status_roll < 0.85 {
            MaintenanceStatus::Active
        } else if status_roll < 0.95 {
            MaintenanceStatus::Unmaintained
        } else {
            MaintenanceStatus::Discontinued
        };
        let licence = *rng.pick(LICENCES);
        let solution_id = id(
            SolutionId::parse,
            &format!("solution:synthetic-solution-{i:04}"),
        )?;
        let s = Solution {
            licence: (kind != SolutionKind::Proprietary)
                .then(|| Licence::parse(licence))
                .transpose()?,
            publisher: (plan.publishers > 0)
                .then(|| {
                    PublisherId::parse(&format!("publisher:synthetic-publisher-{publisher:04}"))
                })
                .transpose()?,
            status,
            ..Solution::new(
                solution_id,
                format!("Synthetic solution {i}"),
                kind,
                own_needs.clone(),
            )
        };
        for n in own_needs {
            match kind {
                SolutionKind::Proprietary => proprietary_by_need.entry(n).or_default().push(i),
                SolutionKind::Libre => libre_by_need.entry(n).or_default().push(i),
                SolutionKind::Internal => {}
            }
        }
        cite(&mut batch, source, s.id.clone());
        solutions.push(s.clone());
        batch.solutions.push(s);
        publisher_of.push(publisher);
    }
    // Alternatives: up to three libre solutions sharing a need with each proprietary one.
    let mut seen = std::collections::HashSet::new();
    for (p, s) in solutions.iter().enumerate() {
        if s.kind != SolutionKind::Proprietary {
            continue;
        }
        let Some(libres) = libre_by_need.get(&s.needs[0]) else {
            continue;
        };
        for _ in 0..rng.below(4) {
            let l = *rng.pick(libres);
            if !seen.insert((l, p)) {
                continue;
            }
            let libre = &solutions[l];
            let a = Alternative {
                id: Alternative::id_for(&libre.id, &s.id),
                libre: libre.id.clone(),
                proprietary: s.id.clone(),
                confidence: *rng.pick(&[
                    Confidence::Strong,
                    Confidence::Partial,
                    Confidence::Adjacent,
                ]),
                kind: AlternativeKind::Software,
            };
            cite(&mut batch, source, a.id.clone());
            batch.alternatives.push(a);
        }
    }
    let world = World {
        solutions,
        closed_publishers,
        publisher_of,
        proprietary_by_need,
    };
    Ok((batch, world))
}

fn year(y: usize) -> Result<PartialDate, GenerateError> {
    Ok(PartialDate::parse(&format!("{y}"))?)
}

/// One synthetic adoption.
fn adoption(
    i: usize,
    rng: &mut Rng,
    world: &World,
    collectivities: &[CollectivityId],
    who: &Weighted,
    what: &Weighted,
) -> Result<Adoption, GenerateError> {
    let s = what.sample(rng);
    let solution = &world.solutions[s];
    let need = rng.pick(&solution.needs).clone();
    let roll = rng.unit();
    let status = match roll {
        r if r < 0.70 => AdoptionStatus::Deployed,
        r if r < 0.78 => AdoptionStatus::Pilot,
        r if r < 0.83 => AdoptionStatus::Evaluating,
        r if r < 0.92 => AdoptionStatus::Abandoned,
        _ => AdoptionStatus::Replaced,
    };
    // Starts skewed towards recent years, 2000 to 2025.
    let start = 2000 + (rng.unit().sqrt() * 26.0) as usize;
    let ended = matches!(status, AdoptionStatus::Abandoned | AdoptionStatus::Replaced)
        .then(|| year((start + 1 + rng.below(4)).min(2026)))
        .transpose()?;
    let replaced = if solution.kind == SolutionKind::Libre && rng.chance(0.2) {
        world
            .proprietary_by_need
            .get(&need)
            .map(|p| vec![world.solutions[*rng.pick(p)].id.clone()])
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(Adoption {
        status_history: Vec::new(),
        id: id(AdoptionId::parse, &format!("adoption:synthetic-{i:07}"))?,
        collectivity: collectivities[who.sample(rng)].clone(),
        solution: solution.id.clone(),
        need,
        status,
        started: Some(year(start)?),
        ended,
        strategy: rng.chance(0.4).then(|| *rng.pick(DeploymentStrategy::ALL)),
        hosting: rng.chance(0.6).then(|| *rng.pick(Hosting::ALL)),
        scale: None,
        replaced,
        note: None,
    })
}

/// What an outcome needs to know of its adoption.
struct Adopted {
    id: AdoptionId,
    solution: usize,
    started: Option<PartialDate>,
    status: AdoptionStatus,
}

/// One synthetic outcome of an adoption.
fn outcome(
    i: usize,
    rng: &mut Rng,
    world: &World,
    adoption: &Adopted,
) -> Result<Outcome, GenerateError> {
    let solution = adoption.solution;
    let closed = !world.closed_publishers.is_empty()
        && world.closed_publishers[world.publisher_of[solution]];
    let libre = world.solutions[solution].kind == SolutionKind::Libre;
    let roll = rng.unit();
    let kind = match adoption.status {
        _ if closed
            && world.solutions[solution].kind == SolutionKind::Proprietary
            && roll < 0.6 =>
        {
            OutcomeKind::VendorShutdown
        }
        AdoptionStatus::Abandoned | AdoptionStatus::Replaced => {
            if roll < 0.7 {
                OutcomeKind::Rollback
            } else {
                OutcomeKind::Other
            }
        }
        _ => match roll {
            r if r < 0.55 => OutcomeKind::Success,
            r if r < (if libre { 0.80 } else { 0.62 }) => OutcomeKind::CostSaving,
            r if r < 0.90 => OutcomeKind::Partial,
            r if r < 0.95 => OutcomeKind::Rollback,
            _ => OutcomeKind::Other,
        },
    };
    let start = adoption.started.map_or(2015, |d| usize::from(d.year()));
    Ok(Outcome {
        id: id(OutcomeId::parse, &format!("outcome:synthetic-{i:07}"))?,
        adoption: adoption.id.clone(),
        kind,
        date: Some(year((start + rng.below(3)).min(2026))?),
        summary: text(
            "Résultat synthétique (données de test générées, pas un fait réel).",
            "Synthetic outcome (generated test data, not a real fact).",
        )?,
        figures: Vec::new(),
        retired: None,
    })
}

async fn write(
    store: &dyn Store,
    batch: Batch,
    summary: &mut Summary,
    what: &'static str,
) -> Result<(), GenerateError> {
    let n = batch.len();
    store.write(batch).await?;
    match summary.counts.iter_mut().find(|(k, _)| *k == what) {
        Some((_, c)) => *c += n,
        None => summary.counts.push((what, n)),
    }
    Ok(())
}

/// Generates the graph into `store`.
pub async fn generate(store: &dyn Store, plan: &Plan) -> Result<Summary, GenerateError> {
    let mut rng = Rng(plan.seed);
    let mut summary = Summary::default();
    let clock = Instant::now();
    let phase = |summary: &mut Summary, name: &'static str, since: &mut Instant| {
        summary.phases.push((name, since.elapsed().as_secs_f64()));
        *since = Instant::now();
    };
    let mut since = Instant::now();
    match &plan.seed_data {
        Some(SeedData::Embedded) => {
            crate::import::seed::load_embedded(store).await?;
        }
        Some(SeedData::Folder(folder)) => {
            crate::import::import_path(store, folder).await?;
        }
        None => {}
    }
    phase(&mut summary, "seed", &mut since);

    let source = synthetic_source(plan.seed)?;
    let mut collectivities = match &plan.collectivities_from {
        Some(dir) => real_collectivities(dir)?,
        None => synthetic_collectivities(&mut rng)?,
    };
    let wanted: Vec<NodeId> = collectivities.iter().map(|c| c.id.clone().into()).collect();
    let missing: std::collections::HashSet<NodeId> =
        store.missing(wanted).await?.into_iter().collect();
    let all_ids: Vec<CollectivityId> = collectivities.iter().map(|c| c.id.clone()).collect();
    let weights: Vec<f64> = collectivities
        .iter()
        .map(|c| {
            let base = 1.0 + (1.0 + c.population.unwrap_or(500) as f64).ln();
            if c.kind == CollectivityKind::Intercommunality {
                2.0 * base
            } else {
                base
            }
        })
        .collect();
    collectivities.retain(|c| missing.contains(&NodeId::from(c.id.clone())));
    let mut first = Batch::default();
    let place_source = if plan.collectivities_from.is_some() {
        decoupage_source()?
    } else {
        source.clone()
    };
    for c in &collectivities {
        cite(&mut first, &place_source.id, c.id.clone());
    }
    first.sources = vec![source.clone()];
    if place_source.id != source.id {
        first.sources.push(place_source);
    }
    first.collectivities = collectivities;
    let request = crate::store::PageRequest {
        first: 100_000,
        after: None,
        want_total: false,
    };
    let real_needs: Vec<Need> = store
        .list_needs(Default::default(), request)
        .await?
        .items
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    let (catalogue, world) = catalogue(plan, &mut rng, &real_needs, &source.id)?;
    first.needs = catalogue.needs;
    first.publishers = catalogue.publishers;
    first.solutions = catalogue.solutions;
    first.alternatives = catalogue.alternatives;
    first.citations.extend(catalogue.citations);
    write(
        store,
        first,
        &mut summary,
        "collectivities, needs, publishers, solutions, alternatives",
    )
    .await?;
    phase(&mut summary, "catalogue", &mut since);

    let who = Weighted::new(weights.into_iter());
    // Zipf-like popularity (exponent 0.8) over solutions.
    let what = Weighted::new((0..world.solutions.len()).map(|k| 1.0 / ((k + 1) as f64).powf(0.8)));
    let mut adoptions: Vec<Adopted> = Vec::with_capacity(plan.adoptions);
    let solution_index: HashMap<&str, usize> = world
        .solutions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut i = 0;
    while i < plan.adoptions {
        let mut batch = Batch::default();
        let end = (i + plan.batch).min(plan.adoptions);
        for k in i..end {
            let a = adoption(k, &mut rng, &world, &all_ids, &who, &what)?;
            cite(&mut batch, &source.id, a.id.clone());
            let s = solution_index
                .get(a.solution.as_str())
                .copied()
                .unwrap_or(0);
            adoptions.push(Adopted {
                id: a.id.clone(),
                solution: s,
                started: a.started,
                status: a.status,
            });
            batch.adoptions.push(a);
        }
        write(store, batch, &mut summary, "adoptions").await?;
        tracing::info!(written = end, "adoptions");
        i = end;
    }
    phase(&mut summary, "adoptions", &mut since);

    let mut i = 0;
    while i < plan.outcomes && !adoptions.is_empty() {
        let mut batch = Batch::default();
        let end = (i + plan.batch).min(plan.outcomes);
        for k in i..end {
            let adopted = &adoptions[rng.below(adoptions.len())];
            let o = outcome(k, &mut rng, &world, adopted)?;
            cite(&mut batch, &source.id, o.id.clone());
            batch.outcomes.push(o);
        }
        write(store, batch, &mut summary, "outcomes").await?;
        i = end;
    }
    phase(&mut summary, "outcomes", &mut since);
    summary
        .phases
        .push(("total", clock.elapsed().as_secs_f64()));
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_draws() {
        let (mut a, mut b) = (Rng(42), Rng(42));
        let xs: Vec<u64> = (0..5).map(|_| a.next()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next()).collect();
        assert_eq!(xs, ys);
        assert_ne!(Rng(43).next(), xs[0]);
    }

    #[test]
    fn weighted_sampling_follows_the_weights() {
        let w = Weighted::new([1.0, 0.0, 3.0].into_iter());
        let mut rng = Rng(7);
        let mut counts = [0usize; 3];
        for _ in 0..4_000 {
            counts[w.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!(counts[2] > 2 * counts[0], "{counts:?}");
    }

    #[test]
    fn synthetic_nodes_are_marked() {
        let plan = Plan {
            needs: 5,
            solutions: 20,
            publishers: 3,
            ..Plan::national(1)
        };
        let source = synthetic_source(1).unwrap();
        assert_eq!(source.kind, SourceKind::Dataset);
        assert!(source.title.starts_with("SYNTHETIC"));
        let (batch, _) = catalogue(&plan, &mut Rng(1), &[], &source.id).unwrap();
        assert_eq!(batch.needs.len(), 5);
        assert_eq!(batch.solutions.len(), 20);
        assert!(batch
            .solutions
            .iter()
            .all(|s| s.id.slug().starts_with("synthetic-")));
        assert!(batch
            .needs
            .iter()
            .all(|n| n.id.slug().starts_with("synthetic-")));
        assert!(batch.citations.iter().all(|c| c.source == source.id));
        batch.validate().unwrap();
    }
}
