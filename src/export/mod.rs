//! The whole graph out, as open data: JSON Lines, CSV, GraphML and a Cypher script, with a
//! manifest (counts, hashes, licences and attribution of every source).
//!
//! Every format is written from one consistent [`Store::dump`], so the files of an export agree
//! with each other. JSON Lines is the lossless one: the importer reads it back into a batch
//! that reproduces the same graph in an empty store.

mod csv_out;
mod cypher;
mod graphml;
mod jsonl;
pub mod manifest;
mod published;
mod relations;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

pub use manifest::{export_content_sha256, Manifest, ManifestFile, SourceAttribution};
pub use published::PublishedExport;

use crate::domain::Batch;
use crate::store::{Store, StoreError};

/// The formats an export can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// One JSON document per line, one file per kind of node, plus citations (lossless).
    Jsonl,
    /// One CSV file per kind of node and per relation.
    Csv,
    /// One GraphML file for Gephi, yEd, Cytoscape and NetworkX.
    Graphml,
    /// One Cypher script that rebuilds the graph in Neo4j.
    Cypher,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 4] = [Format::Jsonl, Format::Csv, Format::Graphml, Format::Cypher];

    /// The format's name, also the name of its folder in an export.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Graphml => "graphml",
            Format::Cypher => "cypher",
        }
    }

    /// Parses a format name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The store could not be read.
    #[error("cannot read the store: {0}")]
    Store(#[from] StoreError),
    /// A file could not be written or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What names a node document for a reader: its name, title, or French then English label.
pub(crate) fn readable_label(doc: &Value) -> Option<&str> {
    doc.get("name")
        .or_else(|| doc.get("title"))
        .or_else(|| doc.pointer("/label/fr"))
        .or_else(|| doc.pointer("/label/en"))
        .and_then(Value::as_str)
}

/// Writes the file `name` into `dir` through a buffer, with `body`; returns its path. A failed
/// write names the file.
pub(crate) fn write_file(
    dir: &Path,
    name: &str,
    body: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<PathBuf, ExportError> {
    let path = dir.join(name);
    let file = File::create(&path).map_err(io_error(&path))?;
    let mut out = BufWriter::new(file);
    body(&mut out)
        .and_then(|()| out.flush())
        .map_err(io_error(&path))?;
    Ok(path)
}

/// The node tables of a batch: file stem, documents (in id order).
pub(crate) fn node_tables(batch: &Batch) -> Vec<(&'static str, Vec<Value>)> {
    fn docs<T: serde::Serialize>(items: &[T]) -> Vec<Value> {
        items
            .iter()
            .map(|i| serde_json::to_value(i).expect("domain nodes serialise"))
            .collect()
    }
    vec![
        ("sources", docs(&batch.sources)),
        ("needs", docs(&batch.needs)),
        ("publishers", docs(&batch.publishers)),
        ("solutions", docs(&batch.solutions)),
        ("alternatives", docs(&batch.alternatives)),
        ("collectivities", docs(&batch.collectivities)),
        ("adoptions", docs(&batch.adoptions)),
        ("outcomes", docs(&batch.outcomes)),
        ("contributions", docs(&batch.contributions)),
        ("product_cycles", docs(&batch.releases)),
        ("citations", docs(&batch.citations)),
    ]
}

/// Writes the store's whole graph into `dir`, one sub-folder per format, and `manifest.json`.
pub async fn export(
    store: &dyn Store,
    dir: &Path,
    formats: &[Format],
) -> Result<Manifest, ExportError> {
    let revision = store.revision().await?;
    let mut batch = store.dump().await?;
    redact_contacts(&mut batch);
    let dir = dir.to_owned();
    let formats = formats.to_vec();
    tokio::task::spawn_blocking(move || write_all(&batch, revision, &dir, &formats))
        .await
        .map_err(|e| ExportError::Io {
            path: PathBuf::from("."),
            source: std::io::Error::other(e.to_string()),
        })?
}

fn write_all(
    batch: &Batch,
    revision: u64,
    dir: &Path,
    formats: &[Format],
) -> Result<Manifest, ExportError> {
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let mut written: Vec<PathBuf> = Vec::new();
    for format in formats {
        let sub = dir.join(format.name());
        std::fs::create_dir_all(&sub).map_err(io_error(&sub))?;
        let files = match format {
            Format::Jsonl => jsonl::write(batch, &sub)?,
            Format::Csv => csv_out::write(batch, &sub)?,
            Format::Graphml => graphml::write(batch, &sub)?,
            Format::Cypher => cypher::write(batch, &sub)?,
        };
        written.extend(files);
    }
    let manifest = Manifest::build(batch, revision, dir, &written)?;
    manifest.write(dir)?;
    Ok(manifest)
}

/// Drops the functional contacts of collectivities that did not consent to show them.
pub fn redact_contacts(batch: &mut crate::domain::Batch) {
    for c in batch
        .collectivities
        .iter_mut()
        .filter(|c| !c.contact_public)
    {
        c.contact = None;
    }
}
