//! JSON Lines: each node's canonical document on its own line, one file per kind. Lossless
//! (`crate::import::export_folder` reads it back).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

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
