//! The State's interministerial libre-software support contract: the upstream contributions its
//! contractors made, paid for by DINUM (`marches-logiciels-libres-liste-contributions.md` from
//! code.gouv.fr, Licence Ouverte 2.0).
//!
//! Facts kept per row: date, contractor, software (matched to a solution of the graph by its
//! folded name), and the upstream links. The French description of each contribution is prose
//! and is not copied; a row whose description speaks of documentation is counted as
//! DOCUMENTATION, every other as CODE.

use std::collections::HashMap;
use std::path::Path;

use super::ImportError;
use crate::domain::{
    fold, Batch, Citation, Collectivity, CollectivityId, CollectivityKind, Contribution,
    ContributionId, ContributionKind, Country, PartialDate, Source, SourceId, SourceKind, WebUrl,
};
use crate::store::{Store, WriteReport};

/// The file this importer reads.
pub const FILE_NAME: &str = "marches-logiciels-libres-liste-contributions.md";

/// One row of the contributions table.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    line: usize,
    contractor: String,
    software: String,
    date: PartialDate,
    documentation: bool,
    references: Vec<WebUrl>,
}

fn dinum() -> CollectivityId {
    CollectivityId::parse("collectivity:fr-dinum").expect("a valid id")
}

/// DINUM, created only when the graph does not hold it yet (the seed does).
fn dinum_record() -> Collectivity {
    Collectivity::new(
        dinum(),
        "DINUM (Direction interministérielle du numérique)",
        CollectivityKind::StateService,
        Country::parse("FR").expect("a valid country"),
    )
}

fn source_id() -> SourceId {
    SourceId::parse("source:codegouvfr-support-contract-contributions").expect("a valid id")
}

/// `04/01/21` → 2021-01-04.
fn parse_date(text: &str) -> Option<PartialDate> {
    let mut parts = text.trim().split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 2 {
        return None;
    }
    PartialDate::parse(&format!("20{y}-{m:0>2}-{d:0>2}")).ok()
}

/// The URLs of the Markdown links in a cell: `[commit](https://...) [commit](https://...)`.
fn links(cell: &str) -> Vec<&str> {
    cell.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .collect()
}

fn parse(path: &Path, text: &str) -> Result<Vec<Row>, ImportError> {
    let mut rows = Vec::new();
    let mut in_front_matter = false;
    let mut header_seen = false;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim();
        if trimmed == "---" {
            in_front_matter = !in_front_matter;
            continue;
        }
        if in_front_matter || !trimmed.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = trimmed
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if !header_seen {
            if cells.first().copied() != Some("Entreprise") || cells.len() != 5 {
                return Err(ImportError::at(path, number, "expected the header | Entreprise | Outil | Date | Sujet de la contribution | Référence communautaire |"));
            }
            header_seen = true;
            continue;
        }
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
        {
            continue;
        }
        if cells.len() != 5 {
            return Err(ImportError::at(
                path,
                number,
                format!("a row has {} cells instead of 5", cells.len()),
            ));
        }
        let date = parse_date(cells[2]).ok_or_else(|| {
            ImportError::at(
                path,
                number,
                format!("column Date: `{}` is not a date DD/MM/YY", cells[2]),
            )
        })?;
        if cells[0].is_empty() || cells[1].is_empty() {
            return Err(ImportError::at(
                path,
                number,
                "columns Entreprise and Outil must not be empty",
            ));
        }
        let references = links(cells[4])
            .into_iter()
            .map(|u| {
                WebUrl::parse(u).map_err(|e| {
                    ImportError::at(path, number, format!("column Référence communautaire: {e}"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        rows.push(Row {
            line: number,
            contractor: cells[0].to_owned(),
            software: cells[1]
                .replace('\u{a0}', " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            date,
            documentation: fold(cells[3]).contains("documentation"),
            references,
        });
    }
    if !header_seen {
        return Err(ImportError::at(
            path,
            0,
            "no contributions table in this file",
        ));
    }
    Ok(rows)
}

/// Letters and digits of the folded name: "LemonLDAP ::NG" and "LemonLDAP::NG" meet.
fn name_key(name: &str) -> String {
    fold(name).chars().filter(|c| c.is_alphanumeric()).collect()
}

fn batch(
    rows: Vec<Row>,
    solutions: &HashMap<String, crate::domain::SolutionId>,
    add_dinum: bool,
) -> Result<Batch, ImportError> {
    let mut batch = Batch::default();
    batch.sources.push(Source {
        id: source_id(),
        title: "Marché de support et d'expertise logiciels libres — liste des contributions (code.gouv.fr)".to_owned(),
        titles: Some(crate::domain::LocalizedText {
            fr: Some("Marché de support et d'expertise logiciels libres — liste des contributions (code.gouv.fr)".to_owned()),
            en: None,
        }),
        kind: SourceKind::Official,
        url: WebUrl::parse("https://github.com/codegouvfr/codegouvfr-website").ok(),
        publisher: Some("DINUM".to_owned()),
        published: PartialDate::parse("2024-11-30").ok(),
        licence: crate::domain::Licence::parse("etalab-2.0").ok(),
        retired: None,
    });
    if add_dinum {
        batch.collectivities.push(dinum_record());
        batch.citations.push(Citation {
            locator: None,
            subject: dinum().into(),
            source: source_id(),
        });
    }
    let mut per_day: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let key = format!("{}-{}", row.date.sort_key(), name_key(&row.software));
        let n = per_day.entry(key.clone()).or_default();
        *n += 1;
        let id = ContributionId::parse(&format!("contribution:dinum-support-{key}-{n}"))
            .map_err(|e| ImportError::at("", row.line, e.0))?;
        batch.citations.push(Citation {
            locator: None,
            subject: id.clone().into(),
            source: source_id(),
        });
        batch.contributions.push(Contribution {
            id,
            collectivity: dinum(),
            solution: solutions.get(&name_key(&row.software)).cloned(),
            software: Some(row.software),
            kind: if row.documentation {
                ContributionKind::Documentation
            } else {
                ContributionKind::Code
            },
            share_percent: None,
            started: Some(row.date),
            ended: Some(row.date),
            contractor: Some(row.contractor),
            references: row.references,
            note: None,
        });
    }
    Ok(batch)
}

/// Imports the support contract's contributions file, matching software to the graph's solutions.
pub async fn load(store: &dyn Store, path: &Path) -> Result<WriteReport, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })?;
    let rows = parse(path, &text)?;
    let solutions: HashMap<String, crate::domain::SolutionId> = store
        .dump()
        .await?
        .solutions
        .into_iter()
        .map(|s| (name_key(&s.name), s.id))
        .collect();
    let add_dinum = !store.missing(vec![dinum().into()]).await?.is_empty();
    let batch = batch(rows, &solutions, add_dinum).map_err(|e| match e {
        ImportError::Invalid { line, message, .. } => ImportError::at(path, line, message),
        other => other,
    })?;
    Ok(store.write(batch).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_links_parse() {
        assert_eq!(parse_date("04/01/21").unwrap().to_string(), "2021-01-04");
        assert!(parse_date("2021-01-04").is_none());
        assert!(parse_date("31/02/21").is_none());
        assert_eq!(
            links("[commit](https://a.example/x) [commit](https://b.example/y)"),
            vec!["https://a.example/x", "https://b.example/y"]
        );
        assert!(links("").is_empty());
        assert_eq!(name_key("LemonLDAP\u{a0}::NG"), name_key("lemonldap::ng"));
    }

    #[test]
    fn malformed_rows_are_reported_with_their_line() {
        let text = "| Entreprise | Outil | Date | Sujet de la contribution | Référence communautaire |\n|---|---|---|---|---|\n| A | LibreOffice | 2021 | x | |\n";
        let err = parse(Path::new("c.md"), text).unwrap_err().to_string();
        assert!(err.starts_with("c.md:3:") && err.contains("Date"), "{err}");
        let err = parse(Path::new("c.md"), "no table here\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("no contributions table"), "{err}");
    }
}
