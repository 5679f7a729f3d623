//! `retex audit`: a data-quality report over any store, computed from its dump (no SQL or
//! Cypher here): conflicting stated values, facts without a source, solutions with no
//! specific need, adoptions without a need, duplicate-looking adoptions, and licences not
//! stated where a dataset states licences.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

use serde::Serialize;

use crate::domain::{Batch, Need, NodeId, Solution};

/// The licence of a solution whose sources state none.
const NOT_STATED: &str = "LicenseRef-not-stated";

/// How many examples of each finding the text report shows.
const EXAMPLES: usize = 10;

/// The checks, in report order, with what each counts.
pub const CHECKS: [(&str, &str); 6] = [
    (
        "conflicting_values",
        "stated values two sources give differently (kept on `conflicts`)",
    ),
    ("facts_without_source", "nodes no source is cited for"),
    (
        "solutions_without_specific_need",
        "solutions serving only `need:other` or only broad needs",
    ),
    ("adoptions_without_need", "adoptions for `need:other`"),
    (
        "duplicate_adoptions",
        "adoptions of a collectivity and a solution another adoption already has",
    ),
    (
        "licences_not_stated_where_stated",
        "solutions with no stated licence although a licence-stating dataset (SILL, publiccode.yml, Munich) describes them",
    ),
];

/// The report: per check, a count and the findings (one line each).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Audit {
    /// Per check, how many findings.
    pub counts: BTreeMap<String, u64>,
    /// Per check, the findings.
    pub findings: BTreeMap<String, Vec<String>>,
}

impl Audit {
    fn add(&mut self, check: &str, finding: String) {
        self.findings
            .entry(check.to_owned())
            .or_default()
            .push(finding);
    }

    /// The report as text: each check's count and its first findings.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (check, what) in CHECKS {
            let n = self.counts.get(check).copied().unwrap_or(0);
            let _ = writeln!(out, "{check}: {n} — {what}");
            let findings = self.findings.get(check).map_or(&[][..], Vec::as_slice);
            for f in findings.iter().take(EXAMPLES) {
                let _ = writeln!(out, "  {f}");
            }
            if findings.len() > EXAMPLES {
                let _ = writeln!(out, "  … and {} more", findings.len() - EXAMPLES);
            }
        }
        out
    }
}

/// Audits a store's dump.
pub fn audit(dump: &Batch) -> Audit {
    let mut a = Audit::default();
    conflicting_values(dump, &mut a);
    facts_without_source(dump, &mut a);
    solutions_without_specific_need(dump, &mut a);
    adoptions(dump, &mut a);
    licences_not_stated(dump, &mut a);
    for (check, _) in CHECKS {
        let n = a.findings.get(check).map_or(0, Vec::len) as u64;
        a.counts.insert(check.to_owned(), n);
    }
    a
}

fn conflicting_values(dump: &Batch, a: &mut Audit) {
    for s in &dump.solutions {
        for c in &s.conflicts {
            a.add("conflicting_values", format!("{}: {c}", s.id));
        }
    }
}

fn facts_without_source(dump: &Batch, a: &mut Audit) {
    let cited: HashSet<&str> = dump.citations.iter().map(|c| c.subject.as_str()).collect();
    let ids: Vec<NodeId> = dump
        .needs
        .iter()
        .map(|n| n.id.clone().into())
        .chain(dump.publishers.iter().map(|n| n.id.clone().into()))
        .chain(dump.solutions.iter().map(|n| n.id.clone().into()))
        .chain(dump.alternatives.iter().map(|n| n.id.clone().into()))
        .chain(dump.collectivities.iter().map(|n| n.id.clone().into()))
        .chain(dump.adoptions.iter().map(|n| n.id.clone().into()))
        .chain(dump.outcomes.iter().map(|n| n.id.clone().into()))
        .chain(dump.contributions.iter().map(|n| n.id.clone().into()))
        .collect();
    for id in ids {
        if !cited.contains(id.as_str()) {
            a.add("facts_without_source", id.to_string());
        }
    }
}

/// True for a need that is specific: it has a broader need, and is not `need:other`.
fn is_specific(needs: &HashMap<&str, &Need>, id: &str) -> bool {
    id != "need:other" && needs.get(id).is_some_and(|n| n.broader.is_some())
}

fn solutions_without_specific_need(dump: &Batch, a: &mut Audit) {
    let needs: HashMap<&str, &Need> = dump.needs.iter().map(|n| (n.id.as_str(), n)).collect();
    for s in &dump.solutions {
        if !s.needs.iter().any(|n| is_specific(&needs, n.as_str())) {
            let served: Vec<&str> = s.needs.iter().map(|n| n.as_str()).collect();
            a.add(
                "solutions_without_specific_need",
                format!("{} ({}): {}", s.id, s.name, served.join(", ")),
            );
        }
    }
}

fn adoptions(dump: &Batch, a: &mut Audit) {
    let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
    for ad in &dump.adoptions {
        if ad.need.as_str() == "need:other" {
            a.add("adoptions_without_need", ad.id.to_string());
        }
        let key = (ad.collectivity.as_str(), ad.solution.as_str());
        match seen.get(&key) {
            Some(first) => a.add(
                "duplicate_adoptions",
                format!("{} repeats {first} ({} adopting {})", ad.id, key.0, key.1),
            ),
            None => {
                seen.insert(key, ad.id.as_str());
            }
        }
    }
}

/// True when a record of a licence-stating dataset was merged into the solution.
fn described_by_licence_dataset(s: &Solution) -> bool {
    s.merge_evidence.iter().any(|e| {
        e.starts_with("sill/sill-api-2022-03/software.csv")
            || e.starts_with("sill/sill-consolidated")
            || e.starts_with("publiccode/")
            || e.starts_with("munich-oss-usage/")
    })
}

fn licences_not_stated(dump: &Batch, a: &mut Audit) {
    for s in &dump.solutions {
        let stated = s.licence.as_ref().is_some_and(|l| l.as_str() != NOT_STATED);
        if !stated
            && s.kind != crate::domain::SolutionKind::Proprietary
            && described_by_licence_dataset(s)
        {
            a.add(
                "licences_not_stated_where_stated",
                format!("{} ({})", s.id, s.name),
            );
        }
    }
}
