//! The City of Munich's open source pages (it@M, MIT): each English page of `en/software/` is
//! an adoption by Landeshauptstadt München (`collectivity:de-muenchen`) of the solution it
//! names, with its licence; `startYYYY` tags give the start year, `saas` the hosting,
//! `eigenentwicklung` (in-house) makes the solution INTERNAL.
//!
//! Outcomes are read only from pages tagged `archive` (the dataset's tag for software the City
//! no longer uses), by these rules on the page's Munich part (the text after the generic
//! description's closing `---`):
//!
//! 1. **Ended.** The adoption is ABANDONED, and has one outcome of kind OTHER saying the City
//!    stopped using the solution (in our own words; the page's prose is not copied).
//! 2. **End date.** The first `until <year>`, `until the end of <year>` or `until the
//!    beginning of <year>` gives the adoption's `ended` year and the outcome's date.
//! 3. **Replacement.** A sentence holding a link to another page of the folder (`[Katello](katello)`)
//!    and `taken over`, `replaced by` or `successor` names the successor: the adoption is
//!    REPLACED instead, the successor's adoption lists the solution in `replaced`, and the
//!    outcome names the successor.
//! 4. **Development stopped.** A heading containing `discontinued` says development stopped:
//!    the outcome says so, and an in-house solution (`eigenentwicklung`) is DISCONTINUED.
//!
//! Nothing else in the prose is read: figures, reasons and unlinked replacements stay out.
//!
//! Needs: a solution first brought by a Munich page and serving only `need:other` takes the
//! need of the page's first tag in `seed/resolution/need-map.yaml` (`security`, `observability`, `development`
//! or `devstack`, `infrastruktur`, `desktop`); solutions another dataset brought keep theirs,
//! so that the adoptions that dataset made keep their need when it is imported again.

use std::path::Path;

use serde::Deserialize;

use super::common::{read_text, Builder, Existing};
use super::licence::{parse_free_text, NOT_STATED};
use super::resolve::{Candidate, Merger, Overrides};
use super::{sources, ImportError};
use crate::domain::{
    Adoption, AdoptionId, AdoptionStatus, Collectivity, CollectivityId, CollectivityKind, Country,
    Hosting, Licence, LocalizedText, MaintenanceStatus, NeedId, Outcome, OutcomeId, OutcomeKind,
    PartialDate, Solution, SolutionId, SolutionKind, WebUrl,
};

/// The City of Munich's id.
pub const MUNICH: &str = "collectivity:de-muenchen";

/// True when `dir` looks like the Munich folder.
pub fn detect(dir: &Path) -> bool {
    dir.join("en/software").is_dir()
}

#[derive(Deserialize)]
struct Page {
    title: String,
    #[serde(default)]
    license: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    code: Option<String>,
}

fn front_matter(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?.trim_start_matches(['\r', '\n']);
    let end = rest.find("\n---")?;
    Some(&rest[..end])
}

/// The page's Munich part: the text after the line `---` that closes the generic description
/// (the whole body when there is none).
fn munich_part(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---") else {
        return "";
    };
    let Some(end) = rest.find("\n---") else {
        return "";
    };
    let body = &rest[end + 4..];
    let body = body.split_once('\n').map_or("", |(_, b)| b);
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        at += line.len();
        if line.trim_end() == "---" {
            return &body[at..];
        }
    }
    body
}

/// The first paragraph of the page's generic description (before the Munich part), as the
/// page states it, markup dropped (`__name__`, `[text](link)`), cut to a sensible length.
fn generic_description(text: &str) -> Option<String> {
    let rest = text.strip_prefix("---")?;
    let end = rest.find("\n---")?;
    let body = rest[end + 4..].split_once('\n').map_or("", |(_, b)| b);
    let paragraph = body
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))?;
    if paragraph == "---" {
        return None;
    }
    let unmarked = paragraph.replace("__", "").replace("**", "");
    let mut plain = String::with_capacity(unmarked.len());
    let mut chars = unmarked.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' => {
                let label: String = chars.by_ref().take_while(|c| *c != ']').collect();
                plain.push_str(&label);
                if chars.peek() == Some(&'(') {
                    chars.by_ref().take_while(|c| *c != ')').for_each(drop);
                }
            }
            c => plain.push(c),
        }
    }
    super::sill::description_text(Some(&plain))
}

/// What an archived page states about the end of its adoption (rules 2 to 4).
#[derive(Debug, Default, PartialEq)]
struct Ending {
    /// The year use ended.
    year: Option<PartialDate>,
    /// The page (file stem) of the successor.
    successor: Option<String>,
    /// True when a heading says development stopped.
    discontinued: bool,
}

fn ending(part: &str) -> Ending {
    // Rule 2: the first `until [the end of | the beginning of] <year>`.
    let year = part.match_indices("until ").find_map(|(at, lead)| {
        let rest = &part[at + lead.len()..];
        let rest = rest
            .strip_prefix("the end of ")
            .or_else(|| rest.strip_prefix("the beginning of "))
            .unwrap_or(rest);
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        (digits == 4)
            .then(|| PartialDate::parse(&rest[..4]).ok())
            .flatten()
    });
    // Rule 3: a sentence with a link to another page and a phrase of replacement.
    let successor = part
        .split(['.', '\n'])
        .filter(|sentence| {
            let lower = sentence.to_lowercase();
            ["taken over", "replaced by", "successor"]
                .iter()
                .any(|p| lower.contains(p))
        })
        .find_map(local_link);
    // Rule 4: a heading saying development is discontinued.
    let discontinued = part
        .lines()
        .any(|l| l.trim_start().starts_with('#') && l.to_lowercase().contains("discontinued"));
    Ending {
        year,
        successor,
        discontinued,
    }
}

/// The target of the first Markdown link to another page of the folder (`[Katello](katello)`):
/// no scheme, no slash, no extension.
fn local_link(sentence: &str) -> Option<String> {
    sentence.match_indices("](").find_map(|(at, _)| {
        let rest = &sentence[at + 2..];
        let target = &rest[..rest.find(')')?];
        (!target.is_empty()
            && target
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .then(|| target.to_owned())
    })
}

/// Reads the folder into a batch; nothing is written.
pub fn read(
    dir: &Path,
    existing: &Existing,
    overrides: &Overrides,
) -> Result<Builder, ImportError> {
    let (mut b, source_id) = Builder::of_source(existing, sources::munich());
    super::common::need_other(&mut b, existing);
    let munich = CollectivityId::parse(MUNICH).expect("a valid id");
    if !existing.ids.contains(MUNICH) {
        b.batch.collectivities.push(Collectivity {
            forges: vec![WebUrl::parse("https://github.com/it-at-m").expect("valid")],
            ..Collectivity::new(
                munich.clone(),
                "Landeshauptstadt München",
                CollectivityKind::Commune,
                Country::parse("DE").expect("DE"),
            )
        });
    }
    b.cite(
        munich.clone(),
        &source_id,
        "munich-oss-usage/en/use.md".into(),
    );
    let mut merger = Merger::new(existing, overrides);
    let folder = dir.join("en/software");
    let files = super::common::files_with_extension(&folder, "md")?;
    let mut pending = Vec::new();
    let mut tagged: Vec<(Vec<String>, usize)> = Vec::new();
    let mut pages: std::collections::HashMap<String, SolutionId> = Default::default();
    for file in &files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let locator = format!("munich-oss-usage/en/software/{name}");
        let text = read_text(file)?;
        let yaml = front_matter(&text)
            .ok_or_else(|| ImportError::at(file, 1, "no YAML front matter between `---` lines"))?;
        let page: Page = serde_norway::from_str(yaml).map_err(|e| {
            ImportError::at(
                file,
                e.location().map_or(0, |l| l.line() + 1),
                e.to_string(),
            )
        })?;
        let fail = |m: String| ImportError::at(file, 2, m);
        let tag = |t: &str| page.tags.iter().any(|x| x == t);
        let kind = if tag("eigenentwicklung") {
            SolutionKind::Internal
        } else {
            SolutionKind::Libre
        };
        let repository = page.code.as_deref().and_then(|c| WebUrl::parse(c).ok());
        // Rules 1 to 4 (see the module's documentation): archived pages only.
        let ended = tag("archive").then(|| ending(munich_part(&text)));
        let rule_discontinued =
            kind == SolutionKind::Internal && ended.as_ref().is_some_and(|e| e.discontinued);
        let id = SolutionId::from_name(&page.title)
            .map_err(|e| fail(format!("field title: {}", e.0)))?;
        let need_other = NeedId::parse("need:other").expect("valid");
        let record = Solution {
            licence: page
                .license
                .as_deref()
                .and_then(parse_free_text)
                .or_else(|| Licence::parse(NOT_STATED).ok()),
            status: if rule_discontinued {
                MaintenanceStatus::Discontinued
            } else {
                MaintenanceStatus::Active
            },
            repository: repository.clone(),
            description: generic_description(&text)
                .and_then(|en| LocalizedText::new(None, Some(en)).ok()),
            ..Solution::new(id, page.title.trim(), kind, vec![need_other])
        };
        let candidate = Candidate {
            record: locator.clone(),
            name: page.title.clone(),
            repository,
            ..Candidate::default()
        };
        let solution = merger.add(record, &candidate);
        b.cite(solution.clone(), &source_id, locator.clone());
        let started = page
            .tags
            .iter()
            .filter_map(|t| t.strip_prefix("start"))
            .find_map(|y| PartialDate::parse(y).ok());
        let stem = name.trim_end_matches(".md").to_owned();
        pages.insert(stem, solution.clone());
        pending.push((solution, locator, started, ended, tag("saas")));
        tagged.push((page.tags.clone(), pending.len() - 1));
    }
    // Needs from tags, for the solutions Munich brought (see the module's documentation).
    for (tags, at) in tagged {
        let solution = pending[at].0.clone();
        let need = super::taxonomy::munich_tags_need(&tags)
            .filter(|n| existing.ids.contains(*n))
            .and_then(|n| NeedId::parse(n).ok());
        let Some(need) = need else { continue };
        if let Some(s) = merger.get_mut(&solution).filter(|s| {
            s.needs.iter().all(|n| n.as_str() == "need:other")
                && s.merge_evidence
                    .first()
                    .is_some_and(|e| e.starts_with("munich-oss-usage/"))
        }) {
            s.needs = vec![need];
        }
    }
    // Successors named by archived pages (rule 3): successor's solution → replaced solutions.
    let mut successors: Vec<(SolutionId, SolutionId)> = Vec::new();
    for (solution, locator, started, ended, saas) in pending {
        let needs = merger
            .get_mut(&solution)
            .map(|s| s.needs.clone())
            .unwrap_or_default();
        let need = super::common::most_specific_need(existing, &needs);
        let id = AdoptionId::parse(&format!("adoption:de-muenchen--{}", solution.slug()))
            .map_err(|e| ImportError::at(&locator, 0, e.0))?;
        if b.batch
            .adoptions
            .iter()
            .any(|a| a.collectivity == munich && a.solution == solution)
        {
            b.reject(
                "adoption",
                format!("{locator}: a second page for {solution}"),
            );
            continue;
        }
        // One fact, one node: the seed's adoption of the same solution by Munich, if any.
        let id = existing
            .adoptions
            .iter()
            .filter(|a| a.collectivity == munich && a.solution == solution)
            .map(|a| a.id.clone())
            .min()
            .unwrap_or(id);
        b.cite(id.clone(), &source_id, locator.clone());
        let successor = match ended.as_ref().and_then(|e| e.successor.as_deref()) {
            Some(page) => match pages.get(page) {
                Some(s) if *s != solution => Some(s.clone()),
                _ => {
                    b.reject(
                        "munich-successor",
                        format!("{locator}: the successor page `{page}` is not in the folder"),
                    );
                    None
                }
            },
            None => None,
        };
        let status = match (&ended, &successor) {
            (None, _) => AdoptionStatus::Deployed,
            (Some(_), None) => AdoptionStatus::Abandoned,
            (Some(_), Some(_)) => AdoptionStatus::Replaced,
        };
        if let Some(ended) = &ended {
            let name = merger
                .get_mut(&solution)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let successor_name = successor
                .as_ref()
                .and_then(|s| merger.get_mut(s).map(|s| s.name.clone()));
            let outcome = ended_outcome(&id, &name, ended, successor_name.as_deref())
                .map_err(|e| ImportError::at(&locator, 0, e))?;
            b.cite(outcome.id.clone(), &source_id, locator.clone());
            b.batch.outcomes.push(outcome);
        }
        if let Some(s) = &successor {
            successors.push((s.clone(), solution.clone()));
        }
        let record = Adoption {
            status_history: Vec::new(),
            id,
            collectivity: munich.clone(),
            solution,
            need,
            status,
            started,
            ended: ended.and_then(|e| e.year),
            strategy: None,
            hosting: saas.then_some(Hosting::Saas),
            scale: None,
            replaced: Vec::new(),
            note: None,
        };
        super::adoptions::place(&mut b, existing, record);
    }
    for (successor, replaced) in successors {
        if let Some(a) = b
            .batch
            .adoptions
            .iter_mut()
            .find(|a| a.solution == successor)
        {
            if !a.replaced.contains(&replaced) {
                a.replaced.push(replaced);
            }
        }
    }
    b.batch.solutions = merger.finish();
    Ok(b)
}

/// The outcome of an archived page (rules 1 to 4), in our own words.
fn ended_outcome(
    adoption: &AdoptionId,
    name: &str,
    ending: &Ending,
    successor: Option<&str>,
) -> Result<Outcome, String> {
    let id = OutcomeId::parse(&format!("outcome:{}--ended", adoption.slug())).map_err(|e| e.0)?;
    let (mut fr, mut en) = match ending.year {
        Some(y) => (
            format!("La Ville de Munich a cessé d'utiliser {name} en {y}"),
            format!("The City of Munich stopped using {name} in {y}"),
        ),
        None => (
            format!("La Ville de Munich n'utilise plus {name}"),
            format!("The City of Munich no longer uses {name}"),
        ),
    };
    if let Some(s) = successor {
        fr.push_str(&format!(" ; {s} l'a remplacé"));
        en.push_str(&format!("; {s} replaced it"));
    }
    if ending.discontinued {
        fr.push_str(" ; son développement est arrêté");
        en.push_str("; its development has stopped");
    }
    fr.push('.');
    en.push('.');
    Ok(Outcome {
        id,
        adoption: adoption.clone(),
        kind: OutcomeKind::Other,
        date: ending.year,
        summary: LocalizedText::new(Some(fr), Some(en)).map_err(|e| e.0)?,
        figures: Vec::new(),
        retired: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generic_description_is_the_first_paragraph_without_markup() {
        let page = "---\ntitle: X\n---\n\n__389 Directory Server__ is a free [LDAP](ldap) server.\nMore.\n\n---\n\nMunich part.";
        assert_eq!(
            generic_description(page).as_deref(),
            Some("389 Directory Server is a free LDAP server. More.")
        );
    }

    #[test]
    fn endings_follow_the_rules() {
        let page =
            "---\ntitle: X\n---\nGeneric until 1999.\n\n---\n\nUsed until the end of 2023.\n";
        assert_eq!(munich_part(page), "\nUsed until the end of 2023.\n");
        let e = ending(munich_part(page));
        assert_eq!(e.year.map(|y| y.to_string()).as_deref(), Some("2023"));
        assert_eq!(e.successor, None);
        let e = ending("Used until 2024.\n[Katello](katello) has now taken over all tasks.");
        assert_eq!(e.year.map(|y| y.to_string()).as_deref(), Some("2024"));
        assert_eq!(e.successor.as_deref(), Some("katello"));
        let e = ending("## Development is discontinued\nSee [site](https://x.org) taken over.");
        assert!(e.discontinued);
        assert_eq!(e.successor, None, "an outside link is no successor");
        assert_eq!(ending("until 20245 or until now").year, None);
    }
}
