//! JSON Lines: each node's canonical document on its own line, one file per kind. Lossless
//! (`crate::import::export_folder` reads it back).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{node_tables, write_file, ExportError};
use crate::domain::Batch;

/// Writes `<kind>.jsonl` files into `dir`; returns their paths.
pub(crate) fn write(batch: &Batch, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let mut files = Vec::new();
    for (name, docs) in node_tables(batch) {
        let path = write_file(dir, &format!("{name}.jsonl"), |out| {
            for doc in docs {
                serde_json::to_writer(&mut *out, &doc)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        })?;
        files.push(path);
    }
    Ok(files)
}
