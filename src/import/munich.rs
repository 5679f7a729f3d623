//! The City of Munich's open source pages (it@M, MIT): each English page of `en/software/` is
//! an adoption by Landeshauptstadt München (`collectivity:de-muenchen`) of the solution it
//! names, with its licence; pages tagged `archive` are ended adoptions (ABANDONED), `startYYYY`
//! tags give the start year, `saas` the hosting, `eigenentwicklung` (in-house) makes the
//! solution INTERNAL. Outcomes stated in the pages' prose are not read.

use std::path::Path;

use serde::Deserialize;

use super::common::{read_text, Builder, Existing};
use super::licence::{parse_free_text, NOT_STATED};
use super::resolve::{Candidate, Merger, Overrides};
use super::{sources, ImportError};
use crate::domain::{
    Adoption, AdoptionId, AdoptionStatus, Collectivity, CollectivityId, CollectivityKind, Country,
    Hosting, Licence, MaintenanceStatus, NeedId, PartialDate, Solution, SolutionId, SolutionKind,
    WebUrl,
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

/// Reads the folder into a batch; nothing is written.
pub fn read(
    dir: &Path,
    existing: &Existing,
    overrides: &Overrides,
) -> Result<Builder, ImportError> {
    let mut b = Builder::default();
    let source = sources::munich();
    let source_id = source.id.clone();
    b.source(existing, source);
    super::common::need_other(&mut b, existing);
    let munich = CollectivityId::parse(MUNICH).expect("a valid id");
    if !existing.ids.contains(MUNICH) {
        b.batch.collectivities.push(Collectivity {
            contact: None,
            contact_public: false,
            id: munich.clone(),
            name: "Landeshauptstadt München".into(),
            kind: CollectivityKind::Commune,
            country: Country::parse("DE").expect("DE"),
            insee: None,
            siren: None,
            population: None,
            department: None,
            region: None,
            parent: None,
            unnamed: false,
            figures: Vec::new(),
            member_of: Vec::new(),
            forges: vec![WebUrl::parse("https://github.com/it-at-m").expect("valid")],
            ospo: false,
        });
    }
    b.cite(
        munich.clone(),
        &source_id,
        "munich-oss-usage/en/use.md".into(),
    );
    let mut merger = Merger::new(existing, overrides);
    let folder = dir.join("en/software");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .map_err(|source| ImportError::Io {
            path: folder.clone(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let mut pending = Vec::new();
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
        let record = Solution {
            id: SolutionId::from_name(&page.title)
                .map_err(|e| fail(format!("field title: {}", e.0)))?,
            name: page.title.trim().to_owned(),
            kind,
            licence: page
                .license
                .as_deref()
                .and_then(parse_free_text)
                .or_else(|| Licence::parse(NOT_STATED).ok()),
            publisher: None,
            needs: vec![NeedId::parse("need:other").expect("valid")],
            status: MaintenanceStatus::Active,
            website: None,
            repository: repository.clone(),
            wikidata: None,
            sill: None,
            comptoir: None,
            description: None,
            unnamed: false,
            sill_history: Vec::new(),
            plugin_of: None,
            similar: Vec::new(),
            aliases: Vec::new(),
            merge_evidence: Vec::new(),
            publiccode: None,
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
        pending.push((solution, locator, started, tag("archive"), tag("saas")));
    }
    for (solution, locator, started, archived, saas) in pending {
        let need = merger
            .get_mut(&solution)
            .and_then(|s| s.needs.first().cloned())
            .unwrap_or_else(|| NeedId::parse("need:other").expect("valid"));
        let id = AdoptionId::parse(&format!("adoption:de-muenchen--{}", solution.slug()))
            .map_err(|e| ImportError::at(&locator, 0, e.0))?;
        if b.batch.adoptions.iter().any(|a| a.id == id) {
            b.reject(
                "adoption",
                format!("{locator}: a second page for {solution}"),
            );
            continue;
        }
        b.cite(id.clone(), &source_id, locator);
        b.batch.adoptions.push(Adoption {
            status_history: Vec::new(),
            id,
            collectivity: munich.clone(),
            solution,
            need,
            status: if archived {
                AdoptionStatus::Abandoned
            } else {
                AdoptionStatus::Deployed
            },
            started,
            ended: None,
            strategy: None,
            hosting: saas.then_some(Hosting::Saas),
            scale: None,
            replaced: Vec::new(),
            note: None,
        });
    }
    b.batch.solutions = merger.finish();
    Ok(b)
}
