//! Importer of the sill dataset (not written yet).

use std::path::Path;

use super::common::{Builder, Existing};
use super::ImportError;

/// True when `dir` looks like this dataset.
pub fn detect(_dir: &Path) -> bool {
    false
}

/// Reads the dataset into a batch.
pub fn read(
    dir: &Path,
    _existing: &Existing,
    _overrides: &super::resolve::Overrides,
) -> Result<Builder, ImportError> {
    Err(ImportError::at(dir, 0, "importer not written yet"))
}
