//! endoflife.date (MIT): release cycles of products, from the YAML front matter of
//! `products/<slug>.md` (release date, end of life, LTS, latest version), with the individual
//! versions of `release-data/releases/<slug>.json` attached to their cycle for the products
//! that match a known solution (by name or slug: Nextcloud, LibreOffice, Moodle, Debian...).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_norway::Value;

use super::common::{parse_json, read_text, Builder, Existing};
use super::resolve::{Candidate, Overrides, Resolver};
use super::{sources, ImportError};
use crate::domain::{PartialDate, ProductCycle, ReleaseVersion, SolutionId};

/// True when `dir` looks like the endoflife.date folder.
pub fn detect(dir: &Path) -> bool {
    dir.join("products").is_dir() && dir.join("product-schema.json").is_file()
}

#[derive(Deserialize)]
struct FrontMatter {
    title: String,
    #[serde(default)]
    releases: Vec<RawCycle>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCycle {
    release_cycle: Value,
    release_date: Option<Value>,
    eol: Option<Value>,
    lts: Option<Value>,
    latest: Option<Value>,
    latest_release_date: Option<Value>,
}

#[derive(Deserialize)]
struct ReleaseData {
    #[serde(default)]
    versions: BTreeMap<String, RawVersion>,
}

#[derive(Deserialize)]
struct RawVersion {
    date: Option<String>,
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn date(v: Option<&Value>) -> Result<Option<PartialDate>, String> {
    match v.and_then(scalar) {
        Some(s) if s != "true" && s != "false" => PartialDate::parse(&s).map(Some).map_err(|e| e.0),
        _ => Ok(None),
    }
}

/// The front matter: the text between the first two `---` lines, and the line it starts on.
fn front_matter(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.trim_start_matches(['\r', '\n']);
    let end = rest.find("\n---")?;
    Some(&rest[..end])
}

/// Reads the folder into a batch; nothing is written.
pub fn read(dir: &Path, existing: &Existing) -> Result<Builder, ImportError> {
    let (mut b, source_id) = Builder::of_source(existing, sources::endoflife());
    let resolver = Resolver::new(existing, &Overrides::default());
    let products = dir.join("products");
    let files = super::common::files_with_extension(&products, "md")?;
    for file in files {
        let slug = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let text = read_text(&file)?;
        let Some(yaml) = front_matter(&text) else {
            return Err(ImportError::at(
                &file,
                1,
                "no YAML front matter between `---` lines",
            ));
        };
        let fm: FrontMatter = serde_norway::from_str(yaml).map_err(|e| {
            let line = e.location().map_or(0, |l| l.line() + 1);
            ImportError::at(&file, line, e.to_string())
        })?;
        let solution = [fm.title.as_str(), slug.as_str()].iter().find_map(|name| {
            resolver
                .resolve(&Candidate {
                    name: (*name).to_owned(),
                    ..Candidate::default()
                })
                .map(|m| m.solution)
        });
        let versions = match &solution {
            Some(_) => versions_of(dir, &slug)?,
            None => Vec::new(),
        };
        for (index, raw) in fm.releases.iter().enumerate() {
            let cycle = cycle_of(
                &file,
                &slug,
                index,
                raw,
                &fm.title,
                solution.as_ref(),
                &versions,
            )?;
            b.batch.releases.push(ProductCycle {
                source: source_id.clone(),
                ..cycle
            });
        }
    }
    b.batch.releases.sort_by(|a, c| a.id.cmp(&c.id));
    b.batch.releases.dedup_by(|a, c| a.id == c.id);
    Ok(b)
}

fn versions_of(dir: &Path, slug: &str) -> Result<Vec<ReleaseVersion>, ImportError> {
    let path = dir
        .join("release-data/releases")
        .join(format!("{slug}.json"));
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let data: ReleaseData = parse_json(&path, &read_text(&path)?)?;
    let mut out: Vec<ReleaseVersion> = data
        .versions
        .into_iter()
        .map(|(version, v)| ReleaseVersion {
            version,
            date: v.date.and_then(|d| PartialDate::parse(&d).ok()),
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |v: &ReleaseVersion| v.date.map(|d| d.sort_key()).unwrap_or_default();
        key(b).cmp(&key(a)).then(b.version.cmp(&a.version))
    });
    Ok(out)
}

fn cycle_of(
    file: &Path,
    slug: &str,
    index: usize,
    raw: &RawCycle,
    title: &str,
    solution: Option<&SolutionId>,
    versions: &[ReleaseVersion],
) -> Result<ProductCycle, ImportError> {
    let fail = |field: &str, m: String| {
        ImportError::at(file, 0, format!("releases[{index}]: field {field}: {m}"))
    };
    let cycle = scalar(&raw.release_cycle)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| fail("releaseCycle", "missing".into()))?;
    let (eol, eol_date) = match raw.eol.as_ref() {
        Some(Value::Bool(b)) => (*b, None),
        other => {
            let d = date(other).map_err(|e| fail("eol", e))?;
            (false, d)
        }
    };
    let lts = match raw.lts.as_ref() {
        Some(Value::Bool(b)) => *b,
        Some(_) => true,
        None => false,
    };
    let prefix = format!("{cycle}.");
    Ok(ProductCycle {
        id: ProductCycle::id_for(slug, &cycle),
        product: slug.to_owned(),
        product_name: title.to_owned(),
        release_date: date(raw.release_date.as_ref()).map_err(|e| fail("releaseDate", e))?,
        eol,
        eol_date,
        lts,
        latest: raw.latest.as_ref().and_then(scalar),
        latest_date: date(raw.latest_release_date.as_ref())
            .map_err(|e| fail("latestReleaseDate", e))?,
        versions: versions
            .iter()
            .filter(|v| v.version == cycle || v.version.starts_with(&prefix))
            .cloned()
            .collect(),
        solution: solution.cloned(),
        source: crate::domain::SourceId::parse("source:endoflife-date").expect("valid"),
        locator: ProductCycle::locator_for(slug, &cycle),
        cycle,
    })
}
