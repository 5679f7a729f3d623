//! The curated seed: YAML files in the format of `seed/README.md`, read as one batch.
//!
//! Read from a folder or from the copy built into the binary ([`load_embedded`]), and written
//! with its watch sources in one transaction. A record's `sources:` may give each source a
//! locator (`{source: source:interview-vivant-2025, locator: "…txt#§35"}`), kept on its citation.
//!
//! Values are validated as they are parsed (ids, dates, licences, codes), so a bad value is
//! reported with its file, line and column; references between records are then checked
//! against the seed itself and the store, and reported at the line of the record that makes them.

mod nodes;
mod reading;
mod records;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::ImportError;
use crate::domain::{Batch, NodeId, SolutionKind, WatchSource};
use crate::store::{Store, WriteReport};
use reading::{read_into, Place, Reading};
use records::SeedFile;

/// Largest seed file read, in bytes.
const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// The seed files under `path` (a folder, or one file), in name order.
fn seed_files(path: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(ImportError::Empty(path.to_owned()));
    }
    Ok(files)
}

fn read_file(path: &Path) -> Result<String, ImportError> {
    super::common::read_text_capped(path, MAX_FILE_BYTES)
}

/// Parses one seed file's text (an empty file holds no record).
fn parse_file(path: &Path, text: &str) -> Result<SeedFile, ImportError> {
    if text.trim().is_empty() {
        return Ok(SeedFile::default());
    }
    serde_norway::from_str(text).map_err(|e| {
        let message = e.to_string();
        // The parser appends its own "at line L column C"; the place is already in front.
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        let line = e
            .location()
            .map_or(0, |l| refine_line(text, l.line(), &message));
        ImportError::at(path, line, message)
    })
}

/// The parser places a bad value at the start of its record; when the message quotes the value
/// (`` `2020-13` ``), the line of the record that holds it is more precise.
fn refine_line(text: &str, record_line: usize, message: &str) -> usize {
    let Some(value) = message.split('`').nth(1).filter(|v| !v.is_empty()) else {
        return record_line;
    };
    text.lines()
        .enumerate()
        .skip(record_line.saturating_sub(1))
        .take(200)
        .find(|(_, l)| l.contains(value))
        .map_or(record_line, |(i, _)| i + 1)
}

/// Checks each node's own rules, reporting the first failure at its record's line.
fn validate_nodes(reading: &Reading) -> Result<(), ImportError> {
    let b = &reading.batch;
    let checks = b
        .sources
        .iter()
        .map(|n| (n.id.to_string(), n.validate()))
        .chain(b.needs.iter().map(|n| (n.id.to_string(), n.validate())))
        .chain(
            b.publishers
                .iter()
                .map(|n| (n.id.to_string(), n.validate())),
        )
        .chain(b.solutions.iter().map(|n| (n.id.to_string(), n.validate())))
        .chain(
            b.alternatives
                .iter()
                .map(|n| (n.id.to_string(), n.validate())),
        )
        .chain(
            b.collectivities
                .iter()
                .map(|n| (n.id.to_string(), n.validate())),
        )
        .chain(b.adoptions.iter().map(|n| (n.id.to_string(), n.validate())))
        .chain(b.outcomes.iter().map(|n| (n.id.to_string(), n.validate())))
        .chain(
            b.contributions
                .iter()
                .map(|n| (n.id.to_string(), n.validate())),
        );
    for (id, result) in checks {
        if let Err(e) = result {
            let place = &reading.defined[&id];
            return Err(place.error(e.0));
        }
    }
    Ok(())
}

/// Checks that alternatives join a libre (or internal) solution to a proprietary one, when both are in the seed.
fn validate_alternatives(reading: &Reading) -> Result<(), ImportError> {
    let kinds: HashMap<&str, SolutionKind> = reading
        .batch
        .solutions
        .iter()
        .map(|s| (s.id.as_str(), s.kind))
        .collect();
    for a in &reading.batch.alternatives {
        let place = &reading.defined[a.id.as_str()];
        if let Some(SolutionKind::Proprietary) = kinds.get(a.libre.as_str()) {
            return Err(place.error(format!("{}: {} is PROPRIETARY, not libre", a.id, a.libre)));
        }
        if let Some(k @ (SolutionKind::Libre | SolutionKind::Internal)) =
            kinds.get(a.proprietary.as_str())
        {
            return Err(place.error(format!(
                "{}: {} is {k}, not proprietary",
                a.id, a.proprietary
            )));
        }
    }
    Ok(())
}

/// References the seed makes to nodes it does not define: (from, to, where).
type ExternalReferences = Vec<(NodeId, NodeId, Place)>;

/// What the seed holds: the graph's batch, its external references, and watch sources.
struct SeedContent {
    batch: Batch,
    external: ExternalReferences,
    watch: Vec<(WatchSource, Place)>,
}

/// The seed files under `path` (a folder, or one file), in name order, with their text.
fn read_folder(path: &Path) -> Result<Vec<(PathBuf, String)>, ImportError> {
    seed_files(path)?
        .into_iter()
        .map(|file| read_file(&file).map(|text| (file, text)))
        .collect()
}

/// Reads and validates the seed's files (path and text) without touching any store.
///
/// References that the seed does not define itself are returned, each with the place that
/// makes it, to be looked up in the store.
fn read(files: Vec<(PathBuf, String)>) -> Result<SeedContent, ImportError> {
    let mut reading = Reading::default();
    for (file, text) in &files {
        read_into(&mut reading, file, text)?;
    }
    validate_nodes(&reading)?;
    validate_alternatives(&reading)?;
    let defined = &reading.defined;
    let mut external: ExternalReferences = reading
        .references
        .into_iter()
        .filter(|(_, to, _)| !defined.contains_key(to.as_str()))
        .collect();
    // A release cycle refers to a solution and a source of the seed itself.
    for (c, place) in &reading.cycles {
        let solution = c.solution.as_ref().map(|s| s.as_str()).unwrap_or_default();
        for wanted in [solution, c.source.as_str()] {
            if !defined.contains_key(wanted) {
                return Err(place.error(format!(
                    "{} refers to {wanted}, which the seed does not define",
                    c.id
                )));
            }
        }
    }
    for (w, place) in &reading.watch {
        if !defined.contains_key(w.solution.as_str()) {
            external.push((
                w.solution.clone().into(),
                w.solution.clone().into(),
                place.clone(),
            ));
        }
    }
    let mut batch = reading.batch;
    batch.releases = reading.cycles.into_iter().map(|(c, _)| c).collect();
    Ok(SeedContent {
        batch,
        external,
        watch: reading.watch,
    })
}

/// Reads the seed at `path` (a folder or one file) and writes it to the store in one
/// transaction, watch sources included.
pub async fn load(store: &dyn Store, path: &Path) -> Result<WriteReport, ImportError> {
    let path_owned = path.to_owned();
    let content = tokio::task::spawn_blocking(move || read(read_folder(&path_owned)?))
        .await
        .map_err(|e| ImportError::at(path, 0, format!("reading the seed failed: {e}")))??;
    write(store, content).await
}

/// Writes the seed built into the binary (see [`super::curated`]), like [`load`].
pub async fn load_embedded(store: &dyn Store) -> Result<WriteReport, ImportError> {
    let content = tokio::task::spawn_blocking(|| read(super::curated::embedded_seed()))
        .await
        .map_err(|e| ImportError::at("seed", 0, format!("reading the seed failed: {e}")))??;
    write(store, content).await
}

/// Loads the seed from where `from` says.
pub async fn load_from(
    store: &dyn Store,
    from: &super::Curated,
) -> Result<WriteReport, ImportError> {
    match from {
        super::Curated::Embedded => load_embedded(store).await,
        super::Curated::Path(path) => {
            from.check_exists()?;
            load(store, path).await
        }
    }
}

/// Checks the seed's references against the store, then writes its nodes and its watch
/// sources in one transaction.
async fn write(store: &dyn Store, content: SeedContent) -> Result<WriteReport, ImportError> {
    let SeedContent {
        batch,
        external,
        watch,
    } = content;
    if !external.is_empty() {
        let mut wanted: Vec<NodeId> = external.iter().map(|(_, to, _)| to.clone()).collect();
        wanted.sort();
        wanted.dedup();
        let missing = store.missing(wanted).await?;
        if let Some((from, to, place)) = external.iter().find(|(_, to, _)| missing.contains(to)) {
            let what = if from == to {
                "a watch source follows".to_owned()
            } else {
                format!("{from} refers to")
            };
            return Err(place.error(format!(
                "{what} {to}, which is defined neither in the seed nor in the store"
            )));
        }
    }
    let sources = watch.into_iter().map(|(w, _)| w).collect();
    Ok(store.write_seed(batch, sources).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<(Batch, ExternalReferences), ImportError> {
        read_content(text).map(|c| (c.batch, c.external))
    }

    fn read_content(text: &str) -> Result<SeedContent, ImportError> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("seed.yaml");
        std::fs::write(&file, text).unwrap();
        read(read_folder(&file)?)
    }

    #[test]
    fn watch_sources_are_read_and_checked() {
        let text = "watch_sources:\n  - solution: solution:a\n    github: o/r\n  - solution: solution:a\n    id: watch:a-eol\n    endoflife: debian\n    interval: 3600\n";
        let content = read_content(text).unwrap();
        assert_eq!(content.watch.len(), 2);
        assert_eq!(content.watch[1].0.interval_secs, 3600);
        assert_eq!(content.external.len(), 2, "the solution is not in the seed");
        let twice = "watch_sources:\n  - solution: solution:a\n    github: o/r\n  - solution: solution:a\n    github: o/s\n";
        let err = message(read_content(twice).err().unwrap());
        assert!(
            err.contains(":5:") && err.contains("defined twice"),
            "{err}"
        );
        let both = "watch_sources:\n  - solution: solution:a\n    github: o/r\n    endoflife: x\n";
        let err = message(read_content(both).err().unwrap());
        assert!(err.contains("exactly one"), "{err}");
    }

    fn message(e: ImportError) -> String {
        e.to_string()
    }

    /// Asserts that reading `text` fails with a message that holds each of `parts`.
    fn assert_rejected(text: &str, parts: &[&str]) {
        let err = message(read_text(text).unwrap_err());
        assert!(parts.iter().all(|p| err.contains(p)), "{err}");
    }

    #[test]
    fn release_cycles_are_read_and_checked() {
        let head = "sources:\n  - id: source:eol\n    title: EOL\n    kind: DATASET\nsolutions:\n  - id: solution:a\n    name: A\n    kind: LIBRE\n    licence: MIT\n    needs: [need:x]\n    sources: [source:eol]\n";
        let cycle = |id: &str, solution: &str| {
            format!("release_cycles:\n  - id: {id}\n    solution: {solution}\n    product: a\n    product_name: A\n    cycle: \"2\"\n    released: 2024-01-02\n    eol: 2026-01\n    source: source:eol\n")
        };
        let (batch, _) =
            read_text(&format!("{head}{}", cycle("release:a--2", "solution:a"))).unwrap();
        assert_eq!(batch.releases.len(), 1);
        let c = &batch.releases[0];
        assert_eq!(c.eol_date.unwrap().to_string(), "2026-01");
        assert_eq!(c.solution.as_ref().unwrap().as_str(), "solution:a");
        assert_eq!(c.locator, "endoflife-date/products/a.md#releaseCycle=2");
        let err = message(
            read_content(&format!("{head}{}", cycle("release:a--3", "solution:a")))
                .err()
                .unwrap(),
        );
        assert!(
            err.contains(":13:") && err.contains("is `release:a--2`"),
            "{err}"
        );
        let err = message(
            read_content(&format!("{head}{}", cycle("release:a--2", "solution:b")))
                .err()
                .unwrap(),
        );
        assert!(
            err.contains("solution:b, which the seed does not define"),
            "{err}"
        );
    }

    #[test]
    fn bad_values_are_reported_with_their_line() {
        let text = "sources:\n  - id: source:a\n    title: A\n    kind: INTERVIEW\n    published: 2020-13\n";
        assert_rejected(text, &["seed.yaml:5:", "2020-13"]);
    }

    #[test]
    fn unknown_fields_and_enums_are_rejected() {
        assert_rejected(
            "sources:\n  - id: source:a\n    title: A\n    kind: RUMOUR\n",
            &[":4:", "RUMOUR"],
        );
        assert_rejected("solutionz: []\n", &["solutionz"]);
    }

    #[test]
    fn rules_spanning_fields_point_at_the_record() {
        let text = "needs:\n  - id: need:x\n    label: {en: X}\nsolutions:\n  - id: solution:y\n    name: Y\n    kind: LIBRE\n    needs: [need:x]\n";
        assert_rejected(text, &["seed.yaml:5:", "no licence"]);
    }

    #[test]
    fn duplicates_and_missing_sources_are_rejected() {
        let text =
            "needs:\n  - id: need:x\n    label: {en: X}\n  - id: need:x\n    label: {en: Y}\n";
        assert_rejected(text, &["defined twice"]);
        let text = "adoptions:\n  - collectivity: collectivity:a\n    solution: solution:b\n    need: need:c\n    status: DEPLOYED\n";
        assert_rejected(text, &[":2:", "cites no source"]);
    }

    #[test]
    fn citations_carry_their_locator_and_cite_a_source_once() {
        let head = "sources:\n  - id: source:a\n    title: A\n    kind: INTERVIEW\nneeds:\n  - id: need:x\n    label: {en: X}\n";
        let (batch, _) = read_text(&format!(
            "{head}    sources: [{{source: source:a, locator: \" a.txt#§3 \"}}]\n"
        ))
        .unwrap();
        assert_eq!(batch.citations.len(), 1);
        assert_eq!(batch.citations[0].locator.as_deref(), Some("a.txt#§3"));
        let (plain, _) = read_text(&format!("{head}    sources: [source:a]\n")).unwrap();
        assert_eq!(plain.citations[0].locator, None);
        let twice = format!("{head}    sources: [source:a, {{source: source:a, locator: x}}]\n");
        assert_rejected(&twice, &[":6:", "cites source:a twice"]);
        let empty = format!("{head}    sources: [{{source: source:a, locator: \" \"}}]\n");
        assert_rejected(&empty, &["locator of source:a"]);
        let bad = format!("{head}    sources: [{{source: need:x, locator: y}}]\n");
        assert_rejected(&bad, &["source id"]);
    }

    #[test]
    fn references_outside_the_seed_are_returned_for_the_store() {
        let text = "needs:\n  - id: need:x\n    label: {en: X}\n    broader: need:elsewhere\n";
        let (batch, external) = read_text(text).unwrap();
        assert_eq!(batch.needs.len(), 1);
        assert_eq!(external.len(), 1);
        assert_eq!(external[0].1.as_str(), "need:elsewhere");
        assert_eq!(external[0].2.line, 2);
    }
}
