//! French collectivities from the découpage administratif (INSEE/DGCL 2026, via Etalab): every
//! current commune, intercommunality with its own taxation (EPCI), EPT, department and region.
//!
//! Ids: `collectivity:fr-commune-<INSEE>`, `fr-epci-<SIREN>`, `fr-ept-<SIREN>`,
//! `fr-departement-<code lower-case>`, `fr-region-<code>`.
//! Hierarchy: a commune's parent is its EPCI (from `epci.json` members; Paris, which belongs to
//! none, has none) and its EPT, when it has one, is listed in `member_of`; an EPCI and an EPT
//! have no parent (an EPCI may span departments) and take the department and region of their
//! most populous member; a department's parent is its region.
//! Figures and other facts the store already holds for these ids (from the seed) are kept.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::common::{line_of, parse_json, read_text, Builder, Existing};
use super::{sources, ImportError};
use crate::domain::{
    Collectivity, CollectivityId, CollectivityKind, Country, InseeCode, Siren, SourceId,
    ValidationError,
};

/// The files read, relative to the dataset folder.
pub const FILES: [&str; 5] = [
    "regions.json",
    "departements.json",
    "epci.json",
    "ept.json",
    "communes.json",
];

/// A record of `communes.json`, as the découpage administratif writes it (also read by
/// `retex generate`).
#[derive(Deserialize)]
pub(crate) struct RawCommune {
    /// The INSEE code.
    pub(crate) code: String,
    /// The name.
    pub(crate) nom: String,
    /// `commune-actuelle`, `arrondissement-municipal`, ...
    #[serde(rename = "type")]
    pub(crate) kind: String,
    /// The department's code.
    pub(crate) departement: Option<String>,
    /// The region's code.
    pub(crate) region: Option<String>,
    /// The SIREN.
    pub(crate) siren: Option<String>,
    /// The municipal population.
    pub(crate) population: Option<u64>,
}

/// A member of an intercommunality in `epci.json` or `ept.json`.
#[derive(Deserialize)]
pub(crate) struct RawMember {
    /// The member commune's INSEE code.
    pub(crate) code: String,
}

#[derive(Deserialize)]
struct RawGroup {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "populationMunicipale")]
    population: Option<u64>,
    membres: Vec<RawMember>,
}

#[derive(Deserialize)]
struct RawDepartment {
    code: String,
    nom: String,
    region: String,
}

#[derive(Deserialize)]
struct RawRegion {
    code: String,
    nom: String,
}

/// The current communes (`commune-actuelle`) of `communes.json`'s records, which also lists
/// former and delegated communes and municipal districts.
pub(crate) fn current_communes(communes: Vec<RawCommune>) -> Vec<RawCommune> {
    communes
        .into_iter()
        .filter(|c| c.kind == "commune-actuelle")
        .collect()
}

/// Communes by INSEE code.
pub(crate) fn by_code(communes: &[RawCommune]) -> HashMap<&str, &RawCommune> {
    communes.iter().map(|c| (c.code.as_str(), c)).collect()
}

/// True when `dir` looks like a découpage administratif folder.
pub fn detect(dir: &Path) -> bool {
    dir.join("communes.json").is_file() && dir.join("epci.json").is_file()
}

struct Reader<'a> {
    dir: &'a Path,
    builder: Builder,
    existing: &'a Existing,
    source: SourceId,
}

impl Reader<'_> {
    fn file(&self, name: &str) -> Result<(PathBuf, String), ImportError> {
        let path = self.dir.join(name);
        let text = read_text(&path)?;
        Ok((path, text))
    }

    /// An error on the record whose `code` is `code`.
    fn invalid(path: &Path, text: &str, code: &str, e: ValidationError) -> ImportError {
        let line = match line_of(text, &format!("\"code\":\"{code}\"")) {
            0 => line_of(text, &format!("\"code\": \"{code}\"")),
            n => n,
        };
        ImportError::at(path, line, format!("record code={code}: {}", e.0))
    }

    fn push(&mut self, mut c: Collectivity, file: &str, code: &str) {
        if let Some(old) = self.existing.collectivities.get(c.id.as_str()) {
            c.figures.clone_from(&old.figures);
            c.forges.clone_from(&old.forges);
            c.ospo = old.ospo;
            // The découpage is the authority for names, codes and populations where it states
            // them; a value it leaves unstated never erases one another source stated.
            c.insee = c.insee.take().or_else(|| old.insee.clone());
            c.siren = c.siren.take().or_else(|| old.siren.clone());
            c.population = c.population.or(old.population);
            c.department = c.department.take().or_else(|| old.department.clone());
            c.region = c.region.take().or_else(|| old.region.clone());
            c.parent = c.parent.take().or_else(|| old.parent.clone());
            if c.member_of.is_empty() {
                c.member_of.clone_from(&old.member_of);
            }
            if c.contact.is_none() {
                c.contact.clone_from(&old.contact);
                c.contact_public = old.contact_public;
            }
        }
        let locator = format!("decoupage-administratif/{file}#code={code}");
        self.builder.cite(c.id.clone(), &self.source, locator);
        self.builder.batch.collectivities.push(c);
    }
}

/// A French body of the découpage, known by its identity.
fn collectivity(id: CollectivityId, name: &str, kind: CollectivityKind) -> Collectivity {
    Collectivity::new(
        id,
        name,
        kind,
        Country::parse("FR").expect("FR is a country code"),
    )
}

fn id(text: &str) -> Result<CollectivityId, ValidationError> {
    CollectivityId::parse(&format!("collectivity:{text}"))
}

/// The id of the body with this official code: `collectivity:<prefix>-<code in lower case>`.
fn coded_id(prefix: &str, code: &str) -> Result<CollectivityId, ValidationError> {
    id(&format!("{prefix}-{}", code.to_lowercase()))
}

/// Reads the folder into a batch; nothing is written.
pub fn read(dir: &Path, existing: &Existing) -> Result<Builder, ImportError> {
    let (builder, source) = Builder::of_source(existing, sources::decoupage());
    let mut r = Reader {
        dir,
        builder,
        existing,
        source,
    };

    let (path, text) = r.file("regions.json")?;
    let regions: Vec<RawRegion> = parse_json(&path, &text)?;
    for g in regions {
        let fail = |e| Reader::invalid(&path, &text, &g.code, e);
        let c = Collectivity {
            region: Some(g.code.clone()),
            ..collectivity(
                coded_id("fr-region", &g.code).map_err(fail)?,
                &g.nom,
                CollectivityKind::Region,
            )
        };
        r.push(c, "regions.json", &g.code);
    }

    let (path, text) = r.file("departements.json")?;
    let departments: Vec<RawDepartment> = parse_json(&path, &text)?;
    for d in departments {
        let fail = |e| Reader::invalid(&path, &text, &d.code, e);
        let c = Collectivity {
            department: Some(d.code.clone()),
            region: Some(d.region.clone()),
            parent: Some(coded_id("fr-region", &d.region).map_err(fail)?),
            ..collectivity(
                coded_id("fr-departement", &d.code).map_err(fail)?,
                &d.nom,
                CollectivityKind::Department,
            )
        };
        r.push(c, "departements.json", &d.code);
    }

    // Communes first in memory, so groups can take their members' department and region.
    let (cpath, ctext) = r.file("communes.json")?;
    let communes: Vec<RawCommune> = parse_json(&cpath, &ctext)?;
    let current = current_communes(communes);
    let by_code = by_code(&current);

    let mut parent_of: HashMap<String, CollectivityId> = HashMap::new();
    let mut ept_of: HashMap<String, CollectivityId> = HashMap::new();
    for (file, prefix) in [("epci.json", "fr-epci"), ("ept.json", "fr-ept")] {
        let (path, text) = r.file(file)?;
        let groups: Vec<RawGroup> = parse_json(&path, &text)?;
        for g in groups {
            let fail = |e| Reader::invalid(&path, &text, &g.code, e);
            let siren = Siren::parse(&g.code).map_err(fail)?;
            let gid = coded_id(prefix, siren.as_str()).map_err(fail)?;
            let main = g
                .membres
                .iter()
                .filter_map(|m| by_code.get(m.code.as_str()))
                .max_by_key(|m| m.population.unwrap_or(0));
            for m in &g.membres {
                if !by_code.contains_key(m.code.as_str()) {
                    return Err(fail(ValidationError::new(format!(
                        "member {} ({}) is not a current commune of communes.json",
                        m.code, g.kind
                    ))));
                }
                let target = if prefix == "fr-epci" {
                    &mut parent_of
                } else {
                    &mut ept_of
                };
                target.insert(m.code.clone(), gid.clone());
            }
            let c = Collectivity {
                siren: Some(siren),
                population: g.population,
                department: main.and_then(|m| m.departement.clone()),
                region: main.and_then(|m| m.region.clone()),
                ..collectivity(gid, &g.nom, CollectivityKind::Intercommunality)
            };
            r.push(c, file, &g.code);
        }
    }

    for c in &current {
        let fail = |e| Reader::invalid(&cpath, &ctext, &c.code, e);
        let insee = InseeCode::parse(&c.code).map_err(fail)?;
        let siren = c
            .siren
            .as_deref()
            .map(Siren::parse)
            .transpose()
            .map_err(fail)?;
        let node = Collectivity {
            insee: Some(insee.clone()),
            siren,
            population: c.population,
            department: c.departement.clone(),
            region: c.region.clone(),
            parent: parent_of.get(&c.code).cloned(),
            member_of: ept_of.get(&c.code).cloned().into_iter().collect(),
            ..collectivity(
                coded_id("fr-commune", insee.as_str()).map_err(fail)?,
                &c.nom,
                CollectivityKind::Commune,
            )
        };
        r.push(node, "communes.json", &c.code);
    }
    for c in &r.builder.batch.collectivities {
        c.validate()
            .map_err(|e| ImportError::at(dir.join("communes.json"), 0, e.0))?;
    }
    Ok(r.builder)
}
