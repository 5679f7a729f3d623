//! The manifest of an export: what is in it, when it was made, a hash per file, and the
//! licence and attribution of every source its facts came from.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{io_error, ExportError};
use crate::domain::Batch;

/// One file of the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Its path, relative to the export folder.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its SHA-256, in hexadecimal.
    pub sha256: String,
}

/// A source the facts came from, with what a reuser must know to credit it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceAttribution {
    /// The source's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// Where to find it.
    pub url: Option<String>,
    /// Its licence (SPDX), when known.
    pub licence: Option<String>,
    /// How many facts cite it.
    pub citations: u64,
}

/// What an export holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The retex version that wrote it.
    pub generator: String,
    /// When it was written (seconds since the Unix epoch, UTC).
    pub exported_at_unix: u64,
    /// The store revision it was taken at.
    pub store_revision: u64,
    /// Node and citation counts per kind.
    pub counts: BTreeMap<String, u64>,
    /// A SHA-256 over every node's canonical document, in id order: equal graphs have equal hashes
    /// ([`export_content_sha256`]; the field keeps its name, exports on disk carry it).
    pub content_hash: String,
    /// Every file, with its size and hash.
    pub files: Vec<ManifestFile>,
    /// Every source, its licence and how many facts cite it.
    pub sources: Vec<SourceAttribution>,
}

/// A SHA-256 over the canonical documents of a batch, in a fixed order: two stores holding the
/// same graph give the same hash.
pub fn export_content_sha256(batch: &Batch) -> String {
    let mut hasher = Sha256::new();
    for (name, docs) in super::node_tables(batch) {
        hasher.update(name.as_bytes());
        for doc in docs {
            hasher.update(doc.to_string().as_bytes());
            hasher.update(b"\n");
        }
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn file_hash(path: &Path) -> Result<(u64, String), ExportError> {
    let mut file = std::fs::File::open(path).map_err(io_error(path))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buffer).map_err(io_error(path))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buffer[..n]);
    }
    Ok((total, hex(&hasher.finalize())))
}

impl Manifest {
    /// Builds the manifest of `files` written from `batch` into `dir`.
    pub(crate) fn build(
        batch: &Batch,
        revision: u64,
        dir: &Path,
        files: &[PathBuf],
    ) -> Result<Self, ExportError> {
        let mut counts = BTreeMap::new();
        for (name, docs) in super::node_tables(batch) {
            counts.insert(name.to_owned(), docs.len() as u64);
        }
        let mut cited: BTreeMap<&str, u64> = BTreeMap::new();
        for c in &batch.citations {
            *cited.entry(c.source.as_str()).or_default() += 1;
        }
        let sources = batch
            .sources
            .iter()
            .map(|s| SourceAttribution {
                id: s.id.to_string(),
                title: s.title.clone(),
                publisher: s.publisher.clone(),
                url: s.url.as_ref().map(|u| u.to_string()),
                licence: s.licence.as_ref().map(|l| l.to_string()),
                citations: cited.get(s.id.as_str()).copied().unwrap_or(0),
            })
            .collect();
        let mut manifest_files = Vec::new();
        for path in files {
            let (bytes, sha256) = file_hash(path)?;
            let relative = path
                .strip_prefix(dir)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            manifest_files.push(ManifestFile {
                path: relative,
                bytes,
                sha256,
            });
        }
        Ok(Manifest {
            generator: format!("retex {}", env!("CARGO_PKG_VERSION")),
            exported_at_unix: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            store_revision: revision,
            counts,
            content_hash: export_content_sha256(batch),
            files: manifest_files,
            sources,
        })
    }

    /// Writes `manifest.json` into `dir`.
    pub(crate) fn write(&self, dir: &Path) -> Result<(), ExportError> {
        let path = dir.join("manifest.json");
        let text = serde_json::to_string_pretty(self).expect("a manifest serialises");
        std::fs::write(&path, text + "\n").map_err(io_error(&path))
    }
}
