//! The collectivities a generated graph places its adoptions in: the real ones of the
//! découpage administratif when its folder is given, synthetic ones with their size
//! distribution otherwise.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::random::Rng;
use super::GenerateError;
use crate::domain::{
    Collectivity, CollectivityId, CollectivityKind, Country, InseeCode, Licence, Siren, Source,
    SourceId, SourceKind,
};
use crate::import::collectivities::{by_code, current_communes, RawCommune, RawMember};

/// A record of `epci.json` (members default to none, unlike the importer's reading).
#[derive(Deserialize)]
struct RawEpci {
    code: String,
    nom: String,
    #[serde(rename = "populationMunicipale")]
    population: Option<u64>,
    #[serde(default)]
    membres: Vec<RawMember>,
}

/// `path`'s JSON.
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
pub(super) fn real_collectivities(dir: &Path) -> Result<Vec<Collectivity>, GenerateError> {
    let communes: Vec<RawCommune> = read_json(&dir.join("communes.json"))?;
    let epcis: Vec<RawEpci> = read_json(&dir.join("epci.json"))?;
    let communes = current_communes(communes);
    let by_code = by_code(&communes);
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
pub(super) fn synthetic_collectivities(rng: &mut Rng) -> Result<Vec<Collectivity>, GenerateError> {
    let fr = Country::parse("FR")?;
    let mut out = Vec::new();
    let department = |i: usize| format!("{:02}", i % 101 + 1);
    let region = |i: usize| format!("{:02}", (i % 101) % 18 + 1);
    let normal = |rng: &mut Rng| {
        // Box-Muller.
        let (u, v) = (rng.unit().max(1e-12), rng.unit());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    };
    // The i-th place of a kind, in the department and region its number spreads it to.
    let place = |i: usize, id: String, name: String, kind, population: u64| {
        Ok::<_, GenerateError>(Collectivity {
            population: Some(population),
            department: Some(department(i)),
            region: Some(region(i)),
            ..Collectivity::new(CollectivityId::parse(&id)?, name, kind, fr.clone())
        })
    };
    for i in 0..1_255 {
        let population = (10f64.powf(4.3 + 0.5 * normal(rng))) as u64;
        out.push(place(
            i,
            format!("collectivity:synthetic-epci-{i:04}"),
            format!("Intercommunalité synthétique {i}"),
            CollectivityKind::Intercommunality,
            population.max(1_000),
        )?);
    }
    for i in 0..34_969 {
        let population = (10f64.powf(2.65 + 0.6 * normal(rng))) as u64;
        let commune = place(
            i,
            format!("collectivity:synthetic-commune-{i:05}"),
            format!("Commune synthétique {i}"),
            CollectivityKind::Commune,
            population.max(1),
        )?;
        out.push(Collectivity {
            parent: CollectivityId::parse(&format!("collectivity:synthetic-epci-{:04}", i % 1_255))
                .ok(),
            ..commune
        });
    }
    Ok(out)
}

/// The source the real collectivities cite.
pub(super) fn decoupage_source() -> Result<Source, GenerateError> {
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
