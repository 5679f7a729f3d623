//! JSON Lines: each node's canonical document on its own line, one file per kind. Lossless.

use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::{io_error, node_tables, ExportError};
use crate::domain::Batch;

/// Writes `<kind>.jsonl` files into `dir`; returns their paths.
pub(crate) fn write(batch: &Batch, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let mut files = Vec::new();
    for (name, docs) in node_tables(batch) {
        let path = dir.join(format!("{name}.jsonl"));
        let file = std::fs::File::create(&path).map_err(io_error(&path))?;
        let mut out = BufWriter::new(file);
        for doc in docs {
            serde_json::to_writer(&mut out, &doc).map_err(|e| io_error(&path)(e.into()))?;
            out.write_all(b"\n").map_err(io_error(&path))?;
        }
        out.flush().map_err(io_error(&path))?;
        files.push(path);
    }
    Ok(files)
}

fn read_file<T: DeserializeOwned>(dir: &Path, name: &str) -> Result<Vec<T>, ExportError> {
    let path = dir.join(format!("{name}.jsonl"));
    let file = std::fs::File::open(&path).map_err(io_error(&path))?;
    let mut out = Vec::new();
    for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io_error(&path))?;
        if line.trim().is_empty() {
            continue;
        }
        let item = serde_json::from_str(&line).map_err(|e| ExportError::Invalid {
            path: path.clone(),
            line: index + 1,
            message: e.to_string(),
        })?;
        out.push(item);
    }
    Ok(out)
}

/// Reads a JSON Lines export folder (the `jsonl/` folder of an export) back into a batch; every
/// value is validated again on the way in.
pub fn read_jsonl(dir: &Path) -> Result<Batch, ExportError> {
    Ok(Batch {
        releases: read_file(dir, "product_cycles")?,
        sources: read_file(dir, "sources")?,
        needs: read_file(dir, "needs")?,
        publishers: read_file(dir, "publishers")?,
        solutions: read_file(dir, "solutions")?,
        alternatives: read_file(dir, "alternatives")?,
        collectivities: read_file(dir, "collectivities")?,
        adoptions: read_file(dir, "adoptions")?,
        outcomes: read_file(dir, "outcomes")?,
        contributions: read_file(dir, "contributions")?,
        citations: read_file(dir, "citations")?,
    })
}
