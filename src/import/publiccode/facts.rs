//! The facts a publiccode.yml gives beyond a solution's identity (development status,
//! maintenance and contractors, latest release, dependencies, the software it is based on),
//! and their links to the known solutions they name once every file is merged.

use std::path::Path;

use serde_norway::Value;

use super::{field, get, Reader, DEVELOPMENT_STATUSES};
use crate::domain::{
    BasedOn, Contractor, Dependency, DependencyKind, Maintenance, MaintenanceType, PartialDate,
    PubliccodeFacts, SolutionId, SolutionKind, VersionRelease, WebUrl,
};
use crate::import::common::line_of;
use crate::import::resolve::Candidate;

impl Reader<'_> {
    /// The file's facts beyond the solution's identity.
    pub(super) fn facts(
        &mut self,
        path: &Path,
        text: &str,
        doc: &Value,
        locator: &str,
    ) -> PubliccodeFacts {
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
    pub(super) fn link_facts(&mut self) {
        type Links = Vec<Option<SolutionId>>;
        let mut links: Vec<(SolutionId, Links, Links)> = Vec::new();
        for s in self.merger.solutions() {
            let Some(facts) = &s.publiccode else { continue };
            let other = |m: Option<crate::import::resolve::Match>| {
                m.map(|m| m.solution).filter(|id| *id != s.id)
            };
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
