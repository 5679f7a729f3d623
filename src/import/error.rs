//! The one error type of the import boundary.

use std::path::PathBuf;

use crate::store::StoreError;

/// Why an import failed. Nothing was written when it did.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not what it should be.
    #[error("{path}:{line}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The line (1-based; 0 when unknown).
        line: usize,
        /// What is wrong, for a person.
        message: String,
    },
    /// The path holds nothing to import.
    #[error("{0}: no .yaml or .yml file to import")]
    Empty(PathBuf),
    /// The store refused or failed the write.
    #[error("the store refused the import: {0}")]
    Store(#[from] StoreError),
}

impl ImportError {
    /// An error at a place in a file.
    pub fn at(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}
