//! The SILL (Socle Interministériel de Logiciels Libres): the French State's recommended free
//! software, from three snapshots.
//!
//! - `sill-api-2022-03/software.csv`: one solution per row (licence, Wikidata QID, Comptoir du
//!   Libre id, SILL status, parent/plugin and "similar" links; `public = Oui` rows are INTERNAL).
//! - `sill-consolidated-2022-05/sill.json`: the newer status for 2022 and the 9 solutions added
//!   since March 2022.
//! - `disic-sill-2018-2021/*.csv`: the status of earlier years, for the status history
//!   (2020 and 2021 by SILL id, 2019 and 2018 by name).
//! - `sill-api-2022-03/services.csv`: the 100 public instances, as adoptions by the public bodies
//!   that run them (`CD38` is matched to `collectivity:fr-departement-38`).
//!
//! Quirks handled: a QID shared by a plugin and its parent (GLPI and its "Survey" plugin) stays
//! on the parent only; similar ids separated by commas (Moodle) as well as ` ; `; free-text
//! similar products (Onyxia's "AWS, Google Cloud Platform, Microsoft Azure") become proprietary
//! solutions that the libre one replaces (ADJACENT); free-text licences become SPDX expressions.
//!
//! Needs: the SILL gives no category in its 2022 files, so a solution serves `need:other` unless
//! one of these rules gives it a need (only for solutions that serve no other need; never for
//! one a curated source or another dataset already placed):
//!
//! 1. **SILL 2020 component.** The 2020 edition (`sill-2020.csv`, by SILL id) files each
//!    software under a `composant`; `seed/resolution/need-map.yaml` maps 46 of its 49 components to a
//!    need of the taxonomy; the 3 too vague to place (`Outil métier`, `Outil de productivité`,
//!    `Système d'Exploitation`, which files servers and desktops alike) map to none.
//! 2. **Plugin.** A plugin or extension (`parent`) serves its parent's needs.

mod history;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::common::{most_specific_need, parse_json, read_text, Builder, Existing};
use super::licence::{parse_free_text, NOT_STATED};
use super::resolve::{normalise, Candidate, Merger, Overrides};
use super::{sources, ImportError};
use crate::domain::{
    Adoption, AdoptionId, AdoptionStatus, Alternative, AlternativeKind, Collectivity,
    CollectivityId, CollectivityKind, Confidence, Country, Hosting, Licence, LocalizedText, NeedId,
    PartialDate, Solution, SolutionId, SolutionKind, SourceId, WebUrl, WikidataId,
};
use history::{status, years, History};

const SOFTWARE: &str = "sill-api-2022-03/software.csv";
const SERVICES: &str = "sill-api-2022-03/services.csv";
const CONSOLIDATED: &str = "sill-consolidated-2022-05/sill.json";
const SILL_2020: &str = "disic-sill-2018-2021/sill-2020.csv";

/// True when `dir` looks like the SILL folder.
pub fn detect(dir: &Path) -> bool {
    dir.join(SOFTWARE).is_file()
}

#[derive(Debug, Deserialize)]
struct SoftwareRow {
    #[serde(rename = "ID")]
    id: u32,
    nom: String,
    #[serde(default)]
    fonction: String,
    annees: String,
    statut: String,
    parent: String,
    public: String,
    #[serde(rename = "similaire-a")]
    similar: String,
    wikidata: String,
    #[serde(rename = "comptoir-du-libre")]
    comptoir: String,
    licence: String,
}

#[derive(Debug, Deserialize)]
struct ServiceRow {
    id: u32,
    agency_name: String,
    public_sector: String,
    agency_url: String,
    service_name: String,
    software_name: String,
    software_sill_id: String,
    publication_date: String,
}

#[derive(Debug, Deserialize)]
struct JsonEntry {
    id: String,
    i: String,
    #[serde(default)]
    y: String,
    #[serde(default)]
    st: String,
    #[serde(default)]
    l: String,
    #[serde(default)]
    co: String,
    #[serde(default)]
    p: String,
    #[serde(default)]
    a: String,
    /// What it is for (`fonction`).
    #[serde(default)]
    f: Option<String>,
    /// Its French description.
    #[serde(default, rename = "fr-desc")]
    fr_desc: Option<String>,
    /// Its English description.
    #[serde(default, rename = "en-desc")]
    en_desc: Option<String>,
}

/// Longest description kept from a dataset, in characters (longer ones are cut at a word).
pub const MAX_DESCRIPTION_CHARS: usize = 600;

/// A dataset's description, cut at a word boundary past [`MAX_DESCRIPTION_CHARS`] (with `…`);
/// `None` when blank.
pub fn description_text(text: Option<&str>) -> Option<String> {
    let text = text?.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= MAX_DESCRIPTION_CHARS {
        return Some(text);
    }
    let cut: String = text.chars().take(MAX_DESCRIPTION_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    Some(format!("{}…", cut.trim_end()))
}

/// The SILL's description of a solution: its French description (else its `fonction`) and its
/// English one, with the records they come from.
fn sill_description(
    csv: Option<(&SoftwareRow, &str)>,
    json: Option<(&JsonEntry, &str)>,
) -> (Option<LocalizedText>, Vec<String>) {
    let mut sources = Vec::new();
    let mut pick = |text: Option<&str>, locator: Option<&str>, field: &str| {
        let t = description_text(text)?;
        sources.push(format!("{} ({field})", locator?));
        Some(t)
    };
    let j = json;
    let fr = pick(
        j.and_then(|(e, _)| e.fr_desc.as_deref()),
        j.map(|(_, l)| l),
        "fr-desc",
    )
    .or_else(|| pick(j.and_then(|(e, _)| e.f.as_deref()), j.map(|(_, l)| l), "f"))
    .or_else(|| {
        pick(
            csv.map(|(r, _)| r.fonction.as_str()),
            csv.map(|(_, l)| l),
            "fonction",
        )
    });
    let en = pick(
        j.and_then(|(e, _)| e.en_desc.as_deref()),
        j.map(|(_, l)| l),
        "en-desc",
    );
    match LocalizedText::new(fr, en) {
        Ok(text) => (Some(text), sources),
        Err(_) => (None, Vec::new()),
    }
}

/// Reads a CSV file into rows, with the line of each row.
fn read_csv<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<(usize, T)>, ImportError> {
    let text = read_text(path)?;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ImportError::at(path, 1, e.to_string()))?
        .clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            ImportError::at(path, line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let row = record.deserialize::<T>(Some(&headers)).map_err(|e| {
            let message = match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => match err.field() {
                    Some(f) => format!(
                        "field {}: {}",
                        headers.get(f as usize).unwrap_or("?"),
                        err.kind()
                    ),
                    None => err.to_string(),
                },
                _ => e.to_string(),
            };
            ImportError::at(path, line, message)
        })?;
        rows.push((line, row));
    }
    Ok(rows)
}

/// The need rule 1 gives a SILL 2020 component, if any (the map is data:
/// `seed/resolution/need-map.yaml`, section `sill_components`).
pub fn component_need(component: &str) -> Option<&'static str> {
    super::taxonomy::sill_component_need(component)
}

fn need_other() -> NeedId {
    NeedId::parse("need:other").expect("a valid need id")
}

fn solution(id: SolutionId, name: &str, kind: SolutionKind, licence: Option<Licence>) -> Solution {
    Solution {
        licence,
        ..Solution::new(id, name.trim(), kind, vec![need_other()])
    }
}

/// A solution the SILL lists: internal when its `public` flag (the CSV's `public`, the JSON's
/// `a`) reads `Oui`, libre otherwise; its licence read from the SILL's free text (not stated
/// when unreadable).
fn listed_solution(id: SolutionId, name: &str, public: &str, licence: &str) -> Solution {
    let kind = if public.trim() == "Oui" {
        SolutionKind::Internal
    } else {
        SolutionKind::Libre
    };
    let licence = parse_free_text(licence)
        .or_else(|| Some(Licence::parse(NOT_STATED).expect("a valid LicenseRef")));
    solution(id, name, kind, licence)
}

struct Reader<'a> {
    dir: PathBuf,
    builder: Builder,
    merger: Merger<'a>,
    existing: &'a Existing,
    source: SourceId,
    consolidated: SourceId,
    /// SILL id → the solution it ended in.
    by_sill: HashMap<u32, SolutionId>,
}

/// Reads the SILL folder into a batch; nothing is written.
pub fn read(
    dir: &Path,
    existing: &Existing,
    overrides: &Overrides,
) -> Result<Builder, ImportError> {
    let mut r = Reader {
        dir: dir.to_owned(),
        builder: Builder::default(),
        merger: Merger::new(existing, overrides),
        existing,
        source: sources::sill_2022().id,
        consolidated: sources::sill_consolidated().id,
        by_sill: HashMap::new(),
    };
    r.builder.source(existing, sources::sill_2022());
    r.builder.source(existing, sources::sill_consolidated());
    r.builder.source(existing, sources::sill_historic());
    super::common::need_other(&mut r.builder, existing);
    let history = History::read(dir)?;
    let software_path = dir.join(SOFTWARE);
    let rows: Vec<(usize, SoftwareRow)> = read_csv(&software_path)?;
    let json_path = dir.join(CONSOLIDATED);
    let json: Vec<JsonEntry> = if json_path.is_file() {
        parse_json(&json_path, &read_text(&json_path)?)?
    } else {
        Vec::new()
    };
    let json_by_id: HashMap<&str, &JsonEntry> = json.iter().map(|e| (e.id.as_str(), e)).collect();

    let mut qid_count: HashMap<&str, usize> = HashMap::new();
    for (_, row) in &rows {
        *qid_count.entry(row.wikidata.trim()).or_default() += 1;
    }
    for (line, row) in &rows {
        r.add_row(*line, row, &history, &json_by_id, &qid_count)?;
    }
    for e in &json {
        r.add_json_only(e, &history)?;
    }
    r.link_rows(&rows, &json)?;
    r.infer_needs(&history);
    r.services()?;
    let Reader {
        mut builder,
        merger,
        ..
    } = r;
    builder.batch.solutions = merger.finish();
    Ok(builder)
}

impl Reader<'_> {
    fn fail(&self, file: &str, line: usize, message: String) -> ImportError {
        ImportError::at(self.dir.join(file), line, message)
    }

    /// The error of a software row's `field` that breaks a domain rule.
    fn bad_field(
        &self,
        line: usize,
        row: &SoftwareRow,
        field: &str,
        e: crate::domain::ValidationError,
    ) -> ImportError {
        self.fail(
            SOFTWARE,
            line,
            format!("ID={}: field {field}: {}", row.id, e.0),
        )
    }

    fn add_row(
        &mut self,
        line: usize,
        row: &SoftwareRow,
        history: &History,
        json: &HashMap<&str, &JsonEntry>,
        qid_count: &HashMap<&str, usize>,
    ) -> Result<(), ImportError> {
        let locator = format!("sill/{SOFTWARE}#ID={}", row.id);
        let id =
            SolutionId::from_name(&row.nom).map_err(|e| self.bad_field(line, row, "nom", e))?;
        let qid = row.wikidata.trim();
        let mut wikidata = None;
        if !qid.is_empty() {
            let q = WikidataId::parse(qid).map_err(|e| self.bad_field(line, row, "wikidata", e))?;
            if qid_count.get(qid).copied().unwrap_or(0) > 1 && !row.parent.trim().is_empty() {
                self.builder.reject(
                    "wikidata",
                    format!("{locator}: {qid} is also its parent's QID; kept on the parent only"),
                );
            } else {
                wikidata = Some(q);
            }
        }
        let comptoir = row.comptoir.trim().parse().ok();
        let newer = json.get(row.id.to_string().as_str());
        let current = newer
            .and_then(|e| status(&e.st))
            .or_else(|| status(&row.statut));
        let mut s = listed_solution(id, &row.nom, &row.public, &row.licence);
        let json_locator = format!("sill/{CONSOLIDATED}#id={}", row.id);
        (s.description, s.description_sources) = sill_description(
            Some((row, locator.as_str())),
            newer.map(|e| (*e, json_locator.as_str())),
        );
        s.wikidata = wikidata.clone();
        s.sill = Some(row.id);
        s.comptoir = comptoir;
        s.sill_history = history.of(row.id, &row.nom, &years(&row.annees), current);
        let candidate = Candidate {
            record: locator.clone(),
            name: row.nom.clone(),
            sill: Some(row.id),
            wikidata,
            ..Candidate::default()
        };
        let final_id = self.merger.add(s, &candidate);
        self.builder.cite(final_id.clone(), &self.source, locator);
        if newer.is_some() {
            self.builder.cite(
                final_id.clone(),
                &self.consolidated,
                format!("sill/{CONSOLIDATED}#id={}", row.id),
            );
        }
        self.by_sill.insert(row.id, final_id);
        Ok(())
    }

    fn add_json_only(&mut self, e: &JsonEntry, history: &History) -> Result<(), ImportError> {
        let Ok(sill_id) = e.id.trim().parse::<u32>() else {
            return Err(self.fail(CONSOLIDATED, 1, format!("id `{}` is not a number", e.id)));
        };
        if self.by_sill.contains_key(&sill_id) {
            return Ok(());
        }
        let locator = format!("sill/{CONSOLIDATED}#id={sill_id}");
        let id = SolutionId::from_name(&e.i).map_err(|err| {
            self.fail(CONSOLIDATED, 1, format!("id={sill_id}: field i: {}", err.0))
        })?;
        let mut s = listed_solution(id, &e.i, &e.a, &e.l);
        (s.description, s.description_sources) =
            sill_description(None, Some((e, locator.as_str())));
        s.sill = Some(sill_id);
        s.comptoir = e.co.trim().parse().ok();
        s.sill_history = history.of(sill_id, &e.i, &years(&e.y), status(&e.st));
        let candidate = Candidate {
            record: locator.clone(),
            name: e.i.clone(),
            sill: Some(sill_id),
            ..Candidate::default()
        };
        let final_id = self.merger.add(s, &candidate);
        self.builder
            .cite(final_id.clone(), &self.consolidated, locator);
        self.by_sill.insert(sill_id, final_id);
        Ok(())
    }

    /// Rules 1 and 2 (see the module's documentation), for solutions serving `need:other` only.
    fn infer_needs(&mut self, history: &History) {
        let only_other = |s: &Solution| s.needs.iter().all(|n| n.as_str() == "need:other");
        let mut ids: Vec<(u32, SolutionId)> = self
            .by_sill
            .iter()
            .map(|(n, id)| (*n, id.clone()))
            .collect();
        ids.sort();
        for (sill_id, id) in &ids {
            let Some(need) = history
                .component_2020
                .get(sill_id)
                .and_then(|c| component_need(c))
                .filter(|n| self.existing.ids.contains(*n))
                .and_then(|n| NeedId::parse(n).ok())
            else {
                continue;
            };
            if let Some(s) = self.merger.get_mut(id).filter(|s| only_other(s)) {
                s.needs = vec![need];
                self.builder.cite(
                    id.clone(),
                    &sources::sill_historic().id,
                    format!(
                        "sill/{SILL_2020}#ID={sill_id} (composant \"{}\")",
                        history.component_2020[sill_id]
                    ),
                );
            }
        }
        for (_, id) in &ids {
            let Some(parent) = self.merger.get_mut(id).and_then(|s| s.plugin_of.clone()) else {
                continue;
            };
            let needs: Vec<NeedId> = self
                .merger
                .get_mut(&parent)
                .map(|p| p.needs.clone())
                .unwrap_or_default()
                .into_iter()
                .filter(|n| n.as_str() != "need:other")
                .collect();
            if needs.is_empty() {
                continue;
            }
            if let Some(s) = self.merger.get_mut(id).filter(|s| only_other(s)) {
                s.needs = needs;
            }
        }
    }

    /// Parent/plugin and similar links, once every row has its solution.
    fn link_rows(
        &mut self,
        rows: &[(usize, SoftwareRow)],
        json: &[JsonEntry],
    ) -> Result<(), ImportError> {
        let mut by_name: HashMap<String, SolutionId> = HashMap::new();
        for (_, row) in rows {
            if let Some(id) = self.by_sill.get(&row.id) {
                by_name.entry(normalise(&row.nom)).or_insert(id.clone());
            }
        }
        let parents = rows
            .iter()
            .map(|(l, r)| (r.id, r.parent.clone(), SOFTWARE, *l))
            .chain(json.iter().filter_map(|e| {
                let id = e.id.trim().parse().ok()?;
                Some((id, e.p.clone(), CONSOLIDATED, 1))
            }));
        for (sill_id, parent, _, _) in parents.collect::<Vec<_>>() {
            let parent = parent.trim();
            if parent.is_empty() {
                continue;
            }
            let parent_id = by_name.get(&normalise(parent)).cloned().or_else(|| {
                let candidate = Candidate {
                    name: parent.to_owned(),
                    ..Candidate::default()
                };
                self.merger.lookup(&candidate).map(|m| m.solution)
            });
            let (Some(child), Some(parent_id)) = (self.by_sill.get(&sill_id).cloned(), parent_id)
            else {
                self.builder.reject(
                    "plugin_of",
                    format!("sill#{sill_id}: parent `{parent}` is not a SILL solution"),
                );
                continue;
            };
            if child != parent_id {
                if let Some(s) = self.merger.get_mut(&child) {
                    s.plugin_of.get_or_insert(parent_id);
                }
            }
        }
        for (line, row) in rows {
            self.link_similar(*line, row)?;
        }
        Ok(())
    }

    fn link_similar(&mut self, line: usize, row: &SoftwareRow) -> Result<(), ImportError> {
        let Some(me) = self.by_sill.get(&row.id).cloned() else {
            return Ok(());
        };
        let parts: Vec<&str> = row
            .similar
            .split([';', ','])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        for part in parts {
            if let Ok(n) = part.parse::<u32>() {
                match self.by_sill.get(&n).cloned() {
                    Some(other) if other != me => {
                        if let Some(s) = self.merger.get_mut(&me) {
                            if !s.similar.contains(&other) {
                                s.similar.push(other);
                            }
                        }
                    }
                    Some(_) => {}
                    None => self.builder.reject(
                        "similar",
                        format!(
                            "sill/{SOFTWARE}:{line}: ID={}: similar id {n} is not in the SILL",
                            row.id
                        ),
                    ),
                }
            } else {
                self.add_proprietary_equivalent(line, row, &me, part)?;
            }
        }
        Ok(())
    }

    /// A free-text similar product: a proprietary solution the libre one replaces.
    fn add_proprietary_equivalent(
        &mut self,
        line: usize,
        row: &SoftwareRow,
        libre: &SolutionId,
        name: &str,
    ) -> Result<(), ImportError> {
        let locator = format!("sill/{SOFTWARE}#ID={}", row.id);
        let id =
            SolutionId::from_name(name).map_err(|e| self.bad_field(line, row, "similaire-a", e))?;
        let candidate = Candidate {
            record: format!("{locator}/similaire-a={name}"),
            name: name.to_owned(),
            ..Candidate::default()
        };
        let proprietary = self.merger.add(
            solution(id, name, SolutionKind::Proprietary, None),
            &candidate,
        );
        self.builder
            .cite(proprietary.clone(), &self.source, locator.clone());
        let alt = Alternative {
            id: Alternative::id_for(libre, &proprietary),
            libre: libre.clone(),
            proprietary,
            confidence: Confidence::Adjacent,
            kind: AlternativeKind::Software,
        };
        self.builder.cite(alt.id.clone(), &self.source, locator);
        if !self
            .builder
            .batch
            .alternatives
            .iter()
            .any(|a| a.id == alt.id)
        {
            self.builder.batch.alternatives.push(alt);
        }
        Ok(())
    }

    /// The public instances of services.csv, as adoptions.
    fn services(&mut self) -> Result<(), ImportError> {
        let path = self.dir.join(SERVICES);
        if !path.is_file() {
            return Ok(());
        }
        let rows: Vec<(usize, ServiceRow)> = read_csv(&path)?;
        for (line, row) in rows {
            self.service(line, &row)?;
        }
        Ok(())
    }

    fn service(&mut self, line: usize, row: &ServiceRow) -> Result<(), ImportError> {
        let locator = format!("sill/{SERVICES}#id={}", row.id);
        let file = self.dir.join(SERVICES);
        let fail = |field: &str, message: String| {
            ImportError::at(
                file.clone(),
                line,
                format!("id={}: field {field}: {message}", row.id),
            )
        };
        let collectivity = self
            .agency(row, &locator)
            .map_err(|e| fail("agency_name", e))?;
        let solution = match row.software_sill_id.trim().parse::<u32>().ok() {
            Some(n) => match self.by_sill.get(&n) {
                Some(id) => id.clone(),
                None => {
                    return Err(fail(
                        "software_sill_id",
                        format!("{n} is not in software.csv"),
                    ))
                }
            },
            None => {
                let candidate = Candidate {
                    record: locator.clone(),
                    name: row.software_name.clone(),
                    ..Candidate::default()
                };
                let id = SolutionId::from_name(&row.software_name)
                    .map_err(|e| fail("software_name", e.0))?;
                let licence = Licence::parse(NOT_STATED).ok();
                let s = solution(id, &row.software_name, SolutionKind::Libre, licence);
                let id = self.merger.add(s, &candidate);
                self.builder.cite(id.clone(), &self.source, locator.clone());
                id
            }
        };
        // The record states no need: the adoption is for the solution's most specific one.
        let needs = self
            .merger
            .get_mut(&solution)
            .map(|s| s.needs.clone())
            .unwrap_or_default();
        let need = most_specific_need(self.existing, &needs);
        let id_text = format!("adoption:{}--{}", collectivity.slug(), solution.slug());
        let id = AdoptionId::parse(&id_text).map_err(|e| fail("id", e.0))?;
        let started = match row.publication_date.trim() {
            "" => None,
            d => Some(PartialDate::parse(d).map_err(|e| fail("publication_date", e.0))?),
        };
        let note = LocalizedText::new(
            None,
            Some(format!("Public instance: {}", row.service_name.trim())),
        )
        .ok();
        let record = Adoption {
            status_history: Vec::new(),
            id,
            collectivity,
            solution,
            need,
            status: AdoptionStatus::Deployed,
            started,
            ended: None,
            strategy: None,
            hosting: Some(Hosting::SelfHosted),
            scale: None,
            replaced: Vec::new(),
            note,
        };
        // One fact, one node: a second instance of the same body and solution, or the seed's
        // adoption of it, takes this record as one more source.
        let id = super::adoptions::place(&mut self.builder, self.existing, record);
        self.builder.cite(id, &self.source, locator);
        Ok(())
    }

    /// The collectivity running a service: a department (`CD38`), a body the seed knows, or a
    /// new one named as in the file.
    fn agency(&mut self, row: &ServiceRow, locator: &str) -> Result<CollectivityId, String> {
        let name = row.agency_name.trim();
        let known = [
            ("DINUM", "fr-dinum"),
            ("DINUM/Etalab", "fr-etalab"),
            ("MESRI/RENATER", "fr-renater"),
            ("MIM", "fr-mim"),
            ("MENJS", "fr-ministere-education-nationale"),
            ("MENJ", "fr-ministere-education-nationale"),
            ("Académie de Grenoble", "fr-academie-grenoble"),
            ("ADULLACT", "fr-adullact"),
            ("Université Grenoble Alpes", "fr-universite-grenoble-alpes"),
        ];
        let (slug, kind, department) = if let Some(code) = name
            .strip_prefix("CD")
            .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_digit()))
        {
            (
                format!("fr-departement-{code}"),
                CollectivityKind::Department,
                Some(code.to_owned()),
            )
        } else if let Some((_, slug)) = known.iter().find(|(n, _)| *n == name) {
            (slug.to_string(), CollectivityKind::StateService, None)
        } else {
            let kind = if row.public_sector.trim() == "State" {
                CollectivityKind::StateService
            } else {
                CollectivityKind::OtherPublicBody
            };
            (
                format!(
                    "fr-{}",
                    crate::domain::SourceId::from_name(name)
                        .map_err(|e| e.0)?
                        .slug()
                ),
                kind,
                None,
            )
        };
        let id = CollectivityId::parse(&format!("collectivity:{slug}")).map_err(|e| e.0)?;
        let defined = self.existing.ids.contains(id.as_str())
            || self.builder.batch.collectivities.iter().any(|c| c.id == id);
        if !defined {
            self.builder.batch.collectivities.push(Collectivity {
                department,
                forges: WebUrl::parse(&row.agency_url).ok().into_iter().collect(),
                ..Collectivity::new(id.clone(), name, kind, Country::parse("FR").expect("FR"))
            });
        }
        self.builder.cite(
            id.clone(),
            &self.source,
            format!("{locator} (agency_name \"{name}\" → {id})"),
        );
        Ok(id)
    }
}
