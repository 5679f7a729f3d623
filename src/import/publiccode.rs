//! Importer of the publiccode dataset (not written yet).

use std::path::Path;

use super::common::{Builder, Existing};
use super::ImportError;

/// True when `dir` looks like this dataset.
pub fn detect(_dir: &Path) -> bool {
    false
}

/// Reads the dataset into a batch.
pub fn read(dir: &Path, _existing: &Existing) -> Result<Builder, ImportError> {
    Err(ImportError::at(dir, 0, "importer not written yet"))
}

/// Reads a file or folder of publiccode.yml files.
pub fn read_path(
    path: &Path,
    existing: &Existing,
    _overrides: &super::resolve::Overrides,
) -> Result<Builder, ImportError> {
    read(path, existing)
}

/// Fetches a publiccode.yml over http(s).
pub async fn fetch(url: &str) -> Result<String, ImportError> {
    Err(ImportError::at(url, 0, "not written yet"))
}

/// Reads a fetched publiccode.yml.
pub fn read_url(
    url: &str,
    _text: &str,
    _existing: &Existing,
    _overrides: &super::resolve::Overrides,
) -> Result<Builder, ImportError> {
    Err(ImportError::at(url, 0, "not written yet"))
}
