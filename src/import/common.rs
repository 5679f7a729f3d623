//! Shared pieces of the dataset importers: reading files with a size cap, locating JSON errors,
//! building a batch with provenance, and the snapshot of what the store already holds.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::domain::{
    Adoption, Batch, Citation, Collectivity, LocalizedText, Need, NeedId, NodeId, Solution, Source,
    SourceId,
};

use super::ImportError;

/// Largest dataset file read, in bytes.
pub const MAX_DATASET_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a whole UTF-8 file of at most [`MAX_DATASET_BYTES`].
pub fn read_text(path: &Path) -> Result<String, ImportError> {
    read_text_capped(path, MAX_DATASET_BYTES)
}

/// Reads a whole UTF-8 file of at most `max_bytes`; a file not in UTF-8 is reported at the
/// line of its first bad byte.
pub fn read_text_capped(path: &Path, max_bytes: u64) -> Result<String, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > max_bytes {
        return Err(ImportError::at(
            path,
            0,
            format!("file is {size} bytes, more than the {max_bytes} accepted"),
        ));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        ImportError::at(path, line, "the file is not valid UTF-8")
    })
}

/// The files directly in `dir` whose extension is `extension`, in name order.
pub fn files_with_extension(dir: &Path, extension: &str) -> Result<Vec<PathBuf>, ImportError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| ImportError::Io {
            path: dir.to_owned(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    Ok(files)
}

/// Parses JSON, reporting a syntax or shape error at its line.
pub fn parse_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<T, ImportError> {
    serde_json::from_str(text).map_err(|e| ImportError::at(path, e.line(), e.to_string()))
}

/// The line (1-based) of the first occurrence of `needle` in `text`, 0 when absent.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle).map_or(0, |at| {
        1 + text[..at].bytes().filter(|b| *b == b'\n').count()
    })
}

/// What the store held before the import: the nodes importers merge into rather than overwrite.
#[derive(Debug, Default)]
pub struct Existing {
    /// Solutions by id.
    pub solutions: HashMap<String, Solution>,
    /// Collectivities by id.
    pub collectivities: HashMap<String, Collectivity>,
    /// Ids of every node held (any kind).
    pub ids: HashSet<String>,
    /// Adoptions, by id (a dataset's adoption merges into the one of the same collectivity
    /// and solution).
    pub adoptions: Vec<Adoption>,
    /// Needs by id (to tell broad needs from specific ones).
    pub needs: HashMap<String, Need>,
}

impl Existing {
    /// Builds the snapshot from a store dump.
    pub fn from_dump(dump: Batch) -> Self {
        let mut ids: HashSet<String> = HashSet::new();
        ids.extend(dump.sources.iter().map(|n| n.id.to_string()));
        ids.extend(dump.needs.iter().map(|n| n.id.to_string()));
        ids.extend(dump.publishers.iter().map(|n| n.id.to_string()));
        ids.extend(dump.alternatives.iter().map(|n| n.id.to_string()));
        ids.extend(dump.adoptions.iter().map(|n| n.id.to_string()));
        ids.extend(dump.outcomes.iter().map(|n| n.id.to_string()));
        ids.extend(dump.solutions.iter().map(|n| n.id.to_string()));
        ids.extend(dump.collectivities.iter().map(|n| n.id.to_string()));
        Self {
            adoptions: dump.adoptions,
            needs: dump
                .needs
                .into_iter()
                .map(|n| (n.id.to_string(), n))
                .collect(),
            solutions: dump
                .solutions
                .into_iter()
                .map(|s| (s.id.to_string(), s))
                .collect(),
            collectivities: dump
                .collectivities
                .into_iter()
                .map(|c| (c.id.to_string(), c))
                .collect(),
            ids,
        }
    }
}

/// A batch under construction, with its provenance and its rejected records.
#[derive(Debug, Default)]
pub struct Builder {
    /// The batch.
    pub batch: Batch,
    /// Records left out, per entity kind, with the reason of each.
    pub rejected: BTreeMap<String, Vec<String>>,
    cited: HashSet<(String, String)>,
}

impl Builder {
    /// A builder for a dataset of `source` (added unless the store holds it), with the
    /// source's id for the citations it writes.
    pub fn of_source(existing: &Existing, source: Source) -> (Self, SourceId) {
        let mut builder = Builder::default();
        let id = source.id.clone();
        builder.source(existing, source);
        (builder, id)
    }

    /// Adds a dataset source, unless the store already holds it (the seed's own copy wins).
    pub fn source(&mut self, existing: &Existing, source: Source) {
        if !existing.ids.contains(source.id.as_str())
            && !self.batch.sources.iter().any(|s| s.id == source.id)
        {
            self.batch.sources.push(source);
        }
    }

    /// Cites `source` at `locator` for `subject` (the first locator of a pair wins).
    pub fn cite(&mut self, subject: impl Into<NodeId>, source: &SourceId, locator: String) {
        let subject = subject.into();
        if self.cited.insert((subject.to_string(), source.to_string())) {
            self.batch.citations.push(Citation {
                subject,
                source: source.clone(),
                locator: Some(locator),
            });
        }
    }

    /// Records a left-out record.
    pub fn reject(&mut self, kind: &str, why: String) {
        tracing::debug!(kind, why, "record rejected");
        let list = self.rejected.entry(kind.to_owned()).or_default();
        if !list.contains(&why) {
            list.push(why);
        }
    }
}

/// The catch-all need (`need:other`), added to the batch when the store lacks it.
pub fn need_other(builder: &mut Builder, existing: &Existing) -> NeedId {
    let id = NeedId::parse("need:other").expect("a valid need id");
    if !existing.ids.contains(id.as_str()) && !builder.batch.needs.iter().any(|n| n.id == id) {
        builder.batch.needs.push(Need {
            id: id.clone(),
            label: LocalizedText::new(Some("Autre".into()), Some("Other".into())).expect("a label"),
            broader: None,
            publiccode: Some("other".into()),
            retired: None,
        });
    }
    id
}

/// `need` when the store holds it, else the catch-all need.
pub fn need_or_other(builder: &mut Builder, existing: &Existing, need: &str) -> NeedId {
    match NeedId::parse(need) {
        Ok(id) if existing.ids.contains(id.as_str()) => id,
        _ => need_other(builder, existing),
    }
}

/// The need an adoption from a catalogue record is for, when the record states none: the
/// solution's most specific need (the first with a broader need), else its first need other
/// than `need:other`, else `need:other`.
pub fn most_specific_need(existing: &Existing, needs: &[NeedId]) -> NeedId {
    let real = |n: &&NeedId| n.as_str() != "need:other";
    needs
        .iter()
        .filter(real)
        .find(|n| {
            existing
                .needs
                .get(n.as_str())
                .is_some_and(|need| need.broader.is_some())
        })
        .or_else(|| needs.iter().find(real))
        .cloned()
        .unwrap_or_else(|| NeedId::parse("need:other").expect("a valid need id"))
}
