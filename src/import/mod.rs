//! Importers: turn files into validated batches of domain nodes and write them in one go.
//!
//! [`seed`] reads the curated YAML seed (see `seed/README.md`). Every importer validates all its
//! input before the store is touched, and writes one batch, so a failed import leaves the store
//! as it was.

mod error;
pub mod seed;

pub use error::ImportError;

use std::path::Path;

use crate::store::{Store, WriteReport};

/// Imports a seed folder (or a single seed file) into the store.
pub async fn import_path(store: &dyn Store, path: &Path) -> Result<WriteReport, ImportError> {
    seed::load(store, path).await
}
