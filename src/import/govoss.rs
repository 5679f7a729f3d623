//! govoss-catalog (Sarapis, CC BY 4.0): which proprietary products libre solutions replace.
//!
//! - `proprietary.json`: 392 proprietary products, each a PROPRIETARY solution serving the
//!   need its govoss `function` maps to.
//! - `replaces.json`: 499 mappings libre entry → proprietary product, each an alternative with
//!   its confidence and kind; the product's vendor becomes its publisher. Libre entries are
//!   resolved against known solutions (SILL, seed); unknown ones become LIBRE solutions whose
//!   licence the catalogue does not state (`LicenseRef-not-stated`).
//! - `product_aliases.json`: alias → product; single-target aliases become the product's
//!   aliases (for resolution); ambiguous ones (`atlassian` → Jira, Confluence) are left out.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::common::{line_of, need_or_other, parse_json, read_text, Builder, Existing};
use super::licence::NOT_STATED;
use super::resolve::{Candidate, Merger, Overrides};
use super::{sources, ImportError};
use crate::domain::{
    Alternative, AlternativeKind, Confidence, Licence, NeedId, Publisher, PublisherId,
    PublisherKind, PublisherStatus, Solution, SolutionId, SolutionKind,
};

/// True when `dir` looks like the govoss-catalog folder.
pub fn detect(dir: &Path) -> bool {
    dir.join("replaces.json").is_file() && dir.join("proprietary.json").is_file()
}

#[derive(Deserialize)]
struct Product {
    name: String,
    function: String,
    /// What it does, in English.
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
struct ProprietaryFile {
    products: Vec<Product>,
}

#[derive(Deserialize)]
struct Mapping {
    product: String,
    vendor: String,
    confidence: String,
    kind: String,
}

#[derive(Deserialize)]
struct AliasesFile {
    aliases: BTreeMap<String, Vec<String>>,
}

fn base(id: SolutionId, name: &str, kind: SolutionKind, need: NeedId) -> Solution {
    Solution {
        licence: (kind == SolutionKind::Libre)
            .then(|| Licence::parse(NOT_STATED).expect("a valid LicenseRef")),
        ..Solution::new(id, name, kind, vec![need])
    }
}

fn confidence(text: &str) -> Option<Confidence> {
    Some(match text {
        "strong" => Confidence::Strong,
        "partial" => Confidence::Partial,
        "adjacent" => Confidence::Adjacent,
        _ => return None,
    })
}

fn kind(text: &str) -> Option<AlternativeKind> {
    Some(match text {
        "software" => AlternativeKind::Software,
        "service" => AlternativeKind::Service,
        "paid-tier" => AlternativeKind::PaidTier,
        _ => return None,
    })
}

/// Reads the folder into a batch; nothing is written.
pub fn read(
    dir: &Path,
    existing: &Existing,
    overrides: &Overrides,
) -> Result<Builder, ImportError> {
    let (mut b, source) = Builder::of_source(existing, sources::govoss());
    let mut merger = Merger::new(existing, overrides);

    let prop_path = dir.join("proprietary.json");
    let prop_text = read_text(&prop_path)?;
    let products: ProprietaryFile = parse_json(&prop_path, &prop_text)?;
    let alias_path = dir.join("product_aliases.json");
    let aliases: AliasesFile = if alias_path.is_file() {
        parse_json(&alias_path, &read_text(&alias_path)?)?
    } else {
        AliasesFile {
            aliases: BTreeMap::new(),
        }
    };
    let mut alias_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for (alias, targets) in &aliases.aliases {
        if let [one] = targets.as_slice() {
            alias_of
                .entry(one.as_str())
                .or_default()
                .push(alias.as_str());
        } else {
            b.reject(
                "alias",
                format!(
                    "product_aliases.json#{alias}: names {} products",
                    targets.len()
                ),
            );
        }
    }

    let mut product_ids: HashMap<String, (SolutionId, NeedId)> = HashMap::new();
    for p in &products.products {
        let line = line_of(&prop_text, &format!("\"name\": {}", json_string(&p.name)));
        let fail = |field: &str, m: String| {
            ImportError::at(
                &prop_path,
                line,
                format!("product `{}`: field {field}: {m}", p.name),
            )
        };
        let id = SolutionId::from_name(&p.name).map_err(|e| fail("name", e.0))?;
        let need = need_or_other(&mut b, existing, super::taxonomy::govoss_need(&p.function));
        let mut s = base(id, &p.name, SolutionKind::Proprietary, need.clone());
        s.description = super::sill::description_text(p.description.as_deref())
            .and_then(|en| crate::domain::LocalizedText::new(None, Some(en)).ok());
        s.aliases = alias_of
            .get(p.name.as_str())
            .map(|a| a.iter().map(|a| a.to_string()).collect())
            .unwrap_or_default();
        let locator = format!("govoss-catalog/proprietary.json#name={}", p.name);
        let candidate = Candidate {
            record: locator.clone(),
            name: p.name.clone(),
            ..Candidate::default()
        };
        let final_id = merger.add(s, &candidate);
        b.cite(final_id.clone(), &source, locator);
        product_ids.insert(p.name.clone(), (final_id, need));
    }

    let rep_path = dir.join("replaces.json");
    let rep_text = read_text(&rep_path)?;
    let replaces: BTreeMap<String, serde_json::Value> = parse_json(&rep_path, &rep_text)?;
    let mut publishers: BTreeMap<String, Publisher> = BTreeMap::new();
    for (entry, value) in &replaces {
        if entry.starts_with('_') {
            continue;
        }
        let line = line_of(&rep_text, &format!("{}:", json_string(entry)));
        let fail = |m: String| ImportError::at(&rep_path, line, format!("entry `{entry}`: {m}"));
        let mappings: Vec<Mapping> =
            serde_json::from_value(value.clone()).map_err(|e| fail(e.to_string()))?;
        if mappings.is_empty() {
            continue;
        }
        let locator = format!("govoss-catalog/replaces.json#{entry}");
        let mut needs: Vec<NeedId> = Vec::new();
        for m in &mappings {
            let (_, need) = product_ids.get(&m.product).ok_or_else(|| {
                fail(format!(
                    "product `{}` is not in proprietary.json",
                    m.product
                ))
            })?;
            if !needs.contains(need) {
                needs.push(need.clone());
            }
        }
        let id = SolutionId::from_name(entry).map_err(|e| fail(e.0))?;
        let mut libre = base(id, entry, SolutionKind::Libre, needs[0].clone());
        libre.needs = needs;
        let candidate = Candidate {
            record: locator.clone(),
            name: entry.clone(),
            ..Candidate::default()
        };
        let libre_id = merger.add(libre, &candidate);
        b.cite(libre_id.clone(), &source, locator.clone());
        for m in &mappings {
            let (product, _) = &product_ids[&m.product];
            let confidence = confidence(&m.confidence).ok_or_else(|| {
                fail(format!(
                    "field confidence: `{}` is not strong, partial or adjacent",
                    m.confidence
                ))
            })?;
            let kind = kind(&m.kind).ok_or_else(|| {
                fail(format!(
                    "field kind: `{}` is not software, service or paid-tier",
                    m.kind
                ))
            })?;
            if !m.vendor.trim().is_empty() {
                let pid = PublisherId::from_name(&m.vendor).map_err(|e| fail(e.0))?;
                if let Some(s) = merger.get_mut(product) {
                    s.publisher.get_or_insert(pid.clone());
                }
                if !existing.ids.contains(pid.as_str()) {
                    publishers.entry(pid.to_string()).or_insert(Publisher {
                        id: pid.clone(),
                        name: m.vendor.trim().to_owned(),
                        kind: PublisherKind::Company,
                        country: None,
                        website: None,
                        status: PublisherStatus::Active,
                        closed: None,
                        unnamed: false,
                    });
                    b.cite(pid, &source, locator.clone());
                }
            }
            if libre_id == *product {
                b.reject(
                    "alternative",
                    format!("{locator}: {} replaces itself", m.product),
                );
                continue;
            }
            let alt = Alternative {
                id: Alternative::id_for(&libre_id, product),
                libre: libre_id.clone(),
                proprietary: product.clone(),
                confidence,
                kind,
            };
            if b.batch.alternatives.iter().any(|a| a.id == alt.id) {
                b.reject("alternative", format!("{locator}: {} listed twice", alt.id));
                continue;
            }
            b.cite(alt.id.clone(), &source, format!("{locator}/{}", m.product));
            b.batch.alternatives.push(alt);
        }
    }
    b.batch.publishers = publishers.into_values().collect();
    b.batch.solutions = merger.finish();
    Ok(b)
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}
