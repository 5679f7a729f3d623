//! `retex explain-merge`: which dataset records were merged into a solution, and on which
//! evidence, read from what the store keeps (the solution's `merge_evidence` and citations).

use super::resolve::normalise;
use super::ImportError;
use crate::domain::{NodeId, Solution, SolutionId};
use crate::store::{PageRequest, SolutionFilter, SolutionSort, Store};

/// One record merged into a solution, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedRecord {
    /// The record's locator (`sill-api-2022-03/software.csv#ID=67`).
    pub record: String,
    /// The rule that matched it, in words (`Wikidata QID Q3104570`).
    pub evidence: String,
}

/// Reads one `merge_evidence` entry (`<record>: <rule> <value>`) into words.
pub fn read_evidence(entry: &str) -> MergedRecord {
    // Records may hold `: ` themselves (URLs do not, locators do not): split at the last one
    // followed by a known rule, else at the first.
    let rules: [(&str, &str); 7] = [
        (
            "first record",
            "first record: the solution was created from it",
        ),
        ("same id ", "same id as the solution"),
        ("sill id ", "SILL id "),
        ("wikidata ", "Wikidata QID "),
        ("repository ", "repository URL "),
        ("name ", "normalised name or alias "),
        (
            "curated alias ",
            "alias curated in seed/resolution/overrides.yaml ",
        ),
    ];
    for (at, _) in entry
        .match_indices(": ")
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        let (record, rule) = (&entry[..at], &entry[at + 2..]);
        for (prefix, words) in rules {
            if let Some(value) = rule.strip_prefix(prefix) {
                let evidence = if prefix == "first record" || prefix == "same id " {
                    words.to_owned()
                } else {
                    format!("{words}{value}")
                };
                return MergedRecord {
                    record: record.to_owned(),
                    evidence,
                };
            }
        }
    }
    match entry.split_once(": ") {
        Some((record, rule)) => MergedRecord {
            record: record.to_owned(),
            evidence: rule.to_owned(),
        },
        None => MergedRecord {
            record: entry.to_owned(),
            evidence: String::new(),
        },
    }
}

/// Finds a solution by id (with or without `solution:`) or by name or alias (normalised as
/// entity resolution does); an ambiguous name lists the candidates.
pub async fn find_solution(store: &dyn Store, query: &str) -> Result<Solution, ImportError> {
    let query = query.trim();
    let as_id = if query.starts_with("solution:") {
        query.to_owned()
    } else {
        format!("solution:{query}")
    };
    if let Ok(id) = SolutionId::parse(&as_id) {
        if let Some(s) = store.solutions(vec![id]).await?.into_iter().next() {
            return Ok(s);
        }
    }
    // Names and aliases, normalised as entity resolution does, over every solution (aliases
    // are not in the full-text index).
    let key = normalise(query);
    let mut found: Vec<Solution> = Vec::new();
    let mut after = None;
    loop {
        let request = PageRequest {
            first: 100,
            after: after.take(),
            want_total: false,
        };
        let page = store
            .list_solutions(SolutionFilter::default(), SolutionSort::Id, request)
            .await?;
        let has_next = page.has_next;
        for (cursor, s) in page.items {
            after = Some(cursor);
            if std::iter::once(&s.name)
                .chain(&s.aliases)
                .any(|n| normalise(n) == key)
            {
                found.push(s);
            }
        }
        if !has_next || after.is_none() {
            break;
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(ImportError::at(
            query,
            0,
            "no solution has this id, name or alias",
        )),
        _ => Err(ImportError::at(
            query,
            0,
            format!(
                "several solutions have this name: {}; give an id",
                found
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// The explanation printed by `retex explain-merge`.
pub async fn explain_merge(store: &dyn Store, query: &str) -> Result<String, ImportError> {
    use std::fmt::Write;
    let solution = find_solution(store, query).await?;
    let citations = store
        .citations_of(vec![NodeId::from(solution.id.clone())])
        .await?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} ({})",
        solution.id,
        solution.name,
        solution.kind.as_str()
    );
    if !solution.aliases.is_empty() {
        let _ = writeln!(out, "also known as: {}", solution.aliases.join(", "));
    }
    let strong: Vec<String> = [
        solution.sill.map(|n| format!("SILL id {n}")),
        solution
            .wikidata
            .as_ref()
            .map(|q| format!("Wikidata QID {}", q.as_str())),
        solution
            .repository
            .as_ref()
            .map(|r| format!("repository {}", r.as_str())),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !strong.is_empty() {
        let _ = writeln!(out, "identified by: {}", strong.join(", "));
    }
    if solution.merge_evidence.is_empty() {
        let _ = writeln!(
            out,
            "merged records: none (no dataset record was merged into it)"
        );
    } else {
        let _ = writeln!(out, "merged records ({}):", solution.merge_evidence.len());
        for entry in &solution.merge_evidence {
            let m = read_evidence(entry);
            let _ = writeln!(out, "  {}\n    by {}", m.record, m.evidence);
        }
    }
    let licence = solution.licence.as_ref().map_or("none", |l| l.as_str());
    let _ = writeln!(out, "licence served: {licence}");
    if solution.conflicts.is_empty() {
        let _ = writeln!(out, "conflicting values: none");
    } else {
        let _ = writeln!(
            out,
            "conflicting values ({}), the served one first:",
            solution.conflicts.len()
        );
        for c in &solution.conflicts {
            let _ = writeln!(out, "  {c}");
        }
    }
    if !solution.description_sources.is_empty() {
        let _ = writeln!(
            out,
            "description from: {}",
            solution.description_sources.join(", ")
        );
    }
    if !citations.is_empty() {
        let _ = writeln!(out, "sources cited ({}):", citations.len());
        for c in &citations {
            match &c.locator {
                Some(l) => {
                    let _ = writeln!(out, "  {} at {l}", c.source);
                }
                None => {
                    let _ = writeln!(out, "  {}", c.source);
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_reads_as_words() {
        let m = read_evidence("sill-api-2022-03/software.csv#ID=67: sill id 67");
        assert_eq!(m.record, "sill-api-2022-03/software.csv#ID=67");
        assert_eq!(m.evidence, "SILL id 67");
        let m = read_evidence("publiccode/a.publiccode.yml: repository github.com/a/b");
        assert_eq!(m.evidence, "repository URL github.com/a/b");
        let m = read_evidence("govoss-catalog/replaces.json#3: name \"jitsi\"");
        assert_eq!(m.evidence, "normalised name or alias \"jitsi\"");
        let m = read_evidence(
            "codegouvfr-data/awesome-codegouvfr.yml#https://github.com/a/b: first record",
        );
        assert_eq!(
            m.record,
            "codegouvfr-data/awesome-codegouvfr.yml#https://github.com/a/b"
        );
        assert!(m.evidence.starts_with("first record"));
    }
}
