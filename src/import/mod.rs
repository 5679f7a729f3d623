//! Importers: turn files into validated batches of domain nodes and write them in one go.
//!
//! [`seed`] reads the curated YAML seed (see `seed/README.md`). Every importer validates all its
//! input before the store is touched, and writes one batch, so a failed import leaves the store
//! as it was.

mod error;
pub mod seed;
pub mod support_contract;

pub use error::ImportError;

use std::path::Path;

use crate::store::{Store, WriteReport};

/// Imports a seed folder (or a single seed file), or a retex export folder (one holding
/// `manifest.json` and `jsonl/`), into the store.
pub async fn import_path(store: &dyn Store, path: &Path) -> Result<WriteReport, ImportError> {
    if path.join("manifest.json").is_file() && path.join("jsonl").is_dir() {
        return import_export(store, path).await;
    }
    if path.file_name().and_then(|n| n.to_str()) == Some(support_contract::FILE_NAME) {
        return support_contract::load(store, path).await;
    }
    seed::load(store, path).await
}

/// Reads back the JSON Lines of a retex export and writes them as one batch.
async fn import_export(store: &dyn Store, path: &Path) -> Result<WriteReport, ImportError> {
    let dir = path.join("jsonl");
    let batch = tokio::task::spawn_blocking(move || crate::export::read_jsonl(&dir))
        .await
        .map_err(|e| ImportError::at(path, 0, format!("reading the export failed: {e}")))?
        .map_err(|e| match e {
            crate::export::ExportError::Invalid {
                path,
                line,
                message,
            } => ImportError::Invalid {
                path,
                line,
                message,
            },
            crate::export::ExportError::Io { path, source } => ImportError::Io { path, source },
            crate::export::ExportError::Store(e) => ImportError::Store(e),
        })?;
    Ok(store.write(batch).await?)
}
