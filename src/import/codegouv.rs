//! code.gouv.fr data (DINUM, Etalab-2.0): French public-sector organisations with their forge
//! accounts (`comptes-organismes-publics.yml`) and open source programme offices
//! (`fr-public-sector-ospo.yml`), and the public-sector projects it lists as exemplary
//! (`awesome-codegouvfr.yml`).
//!
//! Organisations are identified by their service-public.fr directory id (`pso_id`) as
//! `collectivity:fr-pso-<uuid>`; they are named from `top_organizations.yml` where it names
//! them, else left unnamed (described by their directory id). Each forge account
//! (`https://github.com/etalab`, or a whole forge such as `https://gitlab.villejuif.fr` when the
//! forge belongs to one body) is listed on its owner. Each OSPO is a body with `ospo: true`
//! (the organisation of its `pso_id`, else `collectivity:fr-ospo-<name>`), with its code
//! accounts as forges. The placeholder id `00000000-…` is ignored.
//!
//! Each project of the awesome list is a solution built by the public sector (INTERNAL) with
//! its repository URL, resolved against the known solutions (repository, then name): a known
//! one is refined (LIBRE becomes INTERNAL), an unknown one is added under the repository's name
//! (the last segment of its path; the last two on forges with nested groups,
//! `heimdall/python`), serving `need:other`, with no licence stated. The list of training
//! providers (`formations-logiciels-libres.yml`) has no counterpart in the graph and is not read.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::common::{line_of, read_text, Builder, Existing};
use super::resolve::{Candidate, Merger, Overrides};
use super::{sources, ImportError};
use crate::domain::{
    Collectivity, CollectivityId, CollectivityKind, Country, Solution, SolutionId, SolutionKind,
    SourceId, WebUrl,
};

const ACCOUNTS: &str = "comptes-organismes-publics.yml";
const OSPOS: &str = "fr-public-sector-ospo.yml";
const TOP: &str = "top_organizations.yml";
const AWESOME: &str = "awesome-codegouvfr.yml";
const PLACEHOLDER: &str = "00000000-0000-0000-0000-000000000000";

/// True when `dir` looks like the code.gouv.fr data folder.
pub fn detect(dir: &Path) -> bool {
    dir.join(ACCOUNTS).is_file() && dir.join(OSPOS).is_file()
}

/// A forge. Read by hand because the real file repeats `pso_id` on one forge
/// (`gitlab.mim-libre.fr`): the first value is kept.
#[derive(Default)]
struct Forge {
    pso_id: Option<String>,
    owners: Option<BTreeMap<String, Option<Owner>>>,
    repeated: bool,
}

impl<'de> Deserialize<'de> for Forge {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Forge;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a forge mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Forge, A::Error> {
                let mut forge = Forge::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "pso_id" => {
                            let v: Option<String> = map.next_value()?;
                            if forge.pso_id.is_some() {
                                forge.repeated = true;
                            } else {
                                forge.pso_id = v;
                            }
                        }
                        "owners" => forge.owners = map.next_value()?,
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(forge)
            }
        }
        d.deserialize_map(Visit)
    }
}

#[derive(Deserialize)]
struct Owner {
    #[serde(default)]
    pso_id: Option<String>,
    #[serde(default)]
    ospo_url: Option<String>,
}

#[derive(Deserialize)]
struct Ospo {
    name: String,
    #[serde(default)]
    pso_id: Option<String>,
    #[serde(default)]
    code: Vec<String>,
}

fn parse_yaml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ImportError> {
    let text = read_text(path)?;
    serde_norway::from_str(&text)
        .map_err(|e| ImportError::at(path, e.location().map_or(0, |l| l.line()), e.to_string()))
}

struct Orgs {
    nodes: BTreeMap<String, Collectivity>,
    locators: BTreeMap<String, String>,
}

impl Orgs {
    fn body(
        &mut self,
        id: CollectivityId,
        name: Option<&str>,
        describe: &str,
        locator: String,
    ) -> &mut Collectivity {
        self.locators.entry(id.to_string()).or_insert(locator);
        self.nodes
            .entry(id.to_string())
            .or_insert_with(|| Collectivity {
                unnamed: name.is_none(),
                ..Collectivity::new(
                    id,
                    name.unwrap_or(describe),
                    CollectivityKind::OtherPublicBody,
                    Country::parse("FR").expect("FR"),
                )
            })
    }
}

fn add_forge(c: &mut Collectivity, url: WebUrl) {
    if !c.forges.contains(&url) {
        c.forges.push(url);
        c.forges.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    }
}

/// Reads the folder into a batch; nothing is written.
pub fn read(
    dir: &Path,
    existing: &Existing,
    overrides: &Overrides,
) -> Result<Builder, ImportError> {
    let (mut b, source_id) = Builder::of_source(existing, sources::codegouv());
    let top: BTreeMap<String, String> = if dir.join(TOP).is_file() {
        parse_yaml(&dir.join(TOP))?
    } else {
        BTreeMap::new()
    };
    let mut orgs = Orgs {
        nodes: BTreeMap::new(),
        locators: BTreeMap::new(),
    };
    let accounts_path = dir.join(ACCOUNTS);
    let accounts_text = read_text(&accounts_path)?;
    let forges: BTreeMap<String, Forge> = parse_yaml(&accounts_path)?;
    let pso = |uuid: &str, path: &Path, text: &str| -> Result<CollectivityId, ImportError> {
        CollectivityId::parse(&format!(
            "collectivity:fr-pso-{}",
            uuid.trim().to_lowercase()
        ))
        .map_err(|e| ImportError::at(path, line_of(text, uuid), format!("pso_id: {}", e.0)))
    };
    for (host, forge) in &forges {
        if forge.repeated {
            b.reject(
                "pso_id",
                format!("{ACCOUNTS}#{host}: pso_id given twice; the first is kept"),
            );
        }
        let forge_url = WebUrl::parse(&format!("https://{host}"))
            .map_err(|e| ImportError::at(&accounts_path, line_of(&accounts_text, host), e.0))?;
        let mut owners: Vec<(Option<String>, Option<String>, String, WebUrl)> = Vec::new();
        if let Some(uuid) = forge.pso_id.as_deref().filter(|u| *u != PLACEHOLDER) {
            owners.push((Some(uuid.to_owned()), None, host.clone(), forge_url.clone()));
        }
        for (name, owner) in forge.owners.iter().flatten() {
            let Some(owner) = owner else { continue };
            let Some(uuid) = owner.pso_id.as_deref().filter(|u| *u != PLACEHOLDER) else {
                continue;
            };
            let url = WebUrl::parse(&format!("https://{host}/{name}"))
                .map_err(|e| ImportError::at(&accounts_path, line_of(&accounts_text, name), e.0))?;
            owners.push((
                Some(uuid.to_owned()),
                owner.ospo_url.clone(),
                format!("{host}/{name}"),
                url,
            ));
        }
        for (uuid, _ospo_url, account, url) in owners {
            let Some(uuid) = uuid else { continue };
            let id = pso(&uuid, &accounts_path, &accounts_text)?;
            let describe = format!("Organisme public {uuid} (annuaire service-public.fr)");
            let node = orgs.body(
                id,
                top.get(&uuid).map(String::as_str),
                &describe,
                format!("codegouvfr-data/{ACCOUNTS}#{account}"),
            );
            add_forge(node, url);
        }
    }
    let ospo_path = dir.join(OSPOS);
    let ospo_text = read_text(&ospo_path)?;
    let ospos: BTreeMap<String, Ospo> = parse_yaml(&ospo_path)?;
    for (key, o) in &ospos {
        let fail = |m: String| ImportError::at(&ospo_path, line_of(&ospo_text, key), m);
        let id = match o.pso_id.as_deref().filter(|u| *u != PLACEHOLDER) {
            Some(uuid) => pso(uuid, &ospo_path, &ospo_text)?,
            None => {
                CollectivityId::from_name(&format!("fr-ospo-{}", o.name)).map_err(|e| fail(e.0))?
            }
        };
        let node = orgs.body(
            id,
            Some(&o.name),
            &o.name,
            format!("codegouvfr-data/{OSPOS}#{key}"),
        );
        node.ospo = true;
        if node.unnamed {
            node.name = o.name.clone();
            node.unnamed = false;
        }
        for code in &o.code {
            let url = WebUrl::parse(code.trim_end_matches('/'))
                .map_err(|e| fail(format!("code: {}", e.0)))?;
            add_forge(node, url);
        }
    }
    for (id, mut node) in orgs.nodes {
        if let Some(old) = existing.collectivities.get(&id) {
            let mut merged = old.clone();
            merged.ospo |= node.ospo;
            for f in node.forges.drain(..) {
                add_forge(&mut merged, f);
            }
            node = merged;
        }
        b.cite(node.id.clone(), &source_id, orgs.locators[&id].clone());
        b.batch.collectivities.push(node);
    }
    if dir.join(AWESOME).is_file() {
        awesome(&dir.join(AWESOME), existing, overrides, &source_id, &mut b)?;
    }
    Ok(b)
}

/// The repository's name: the last segment of its path, or the last two when the path is
/// deeper than owner/name (`gitlab.huma-num.fr/datasphere/heimdall/python`).
fn repository_name(url: &WebUrl) -> Option<String> {
    let path = url.as_str().split_once("://")?.1.split_once('/')?.1;
    let segments: Vec<&str> = path
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    match segments.as_slice() {
        [] => None,
        [last] | [_, last] => Some((*last).to_owned()),
        [.., before, last] => Some(format!("{before}/{last}")),
    }
}

/// The awesome list: one INTERNAL solution per repository.
fn awesome(
    path: &Path,
    existing: &Existing,
    overrides: &Overrides,
    source: &SourceId,
    b: &mut Builder,
) -> Result<(), ImportError> {
    let text = read_text(path)?;
    let projects: BTreeMap<String, serde::de::IgnoredAny> = parse_yaml(path)?;
    let need = super::common::need_other(b, existing);
    let mut merger = Merger::new(existing, overrides);
    for url in projects.keys() {
        let fail = |m: String| ImportError::at(path, line_of(&text, url), m);
        let repository = WebUrl::parse(url).map_err(|e| fail(format!("repository: {}", e.0)))?;
        let name = repository_name(&repository)
            .ok_or_else(|| fail("repository: the address names no repository".into()))?;
        let locator = format!("codegouvfr-data/{AWESOME}#{url}");
        let id = SolutionId::from_name(&name).map_err(|e| fail(format!("name: {}", e.0)))?;
        let record = Solution {
            repository: Some(repository.clone()),
            ..Solution::new(id, name.clone(), SolutionKind::Internal, vec![need.clone()])
        };
        let candidate = Candidate {
            record: locator.clone(),
            name,
            repository: Some(repository),
            ..Candidate::default()
        };
        let id = merger.add(record, &candidate);
        b.cite(id, source, locator);
    }
    b.batch.solutions = merger.finish();
    Ok(())
}
