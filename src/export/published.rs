//! The export the server offers for download: regenerated when the store has changed since the
//! last one, written into a fresh folder and swapped in whole, so a download never sees half an
//! export.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::Mutex;

use super::{export, ExportError, Format, Manifest};
use crate::store::Store;

/// The latest export of a store, kept in a folder.
pub struct PublishedExport {
    store: Arc<dyn Store>,
    dir: PathBuf,
    lock: Mutex<()>,
}

impl PublishedExport {
    /// Exports of `store` kept under `dir`.
    pub fn new(store: Arc<dyn Store>, dir: impl Into<PathBuf>) -> Self {
        Self {
            store,
            dir: dir.into(),
            lock: Mutex::new(()),
        }
    }

    fn current(&self) -> PathBuf {
        self.dir.join("current")
    }

    fn read_manifest(dir: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// The manifest of an export as fresh as the store, making one if needed.
    pub async fn latest(&self) -> Result<Manifest, ExportError> {
        let _guard = self.lock.lock().await;
        let revision = self.store.revision().await?;
        let current = self.current();
        if let Some(manifest) = Self::read_manifest(&current) {
            if manifest.store_revision == revision {
                return Ok(manifest);
            }
        }
        let fresh = self.dir.join(format!("building-{revision}"));
        let _ = std::fs::remove_dir_all(&fresh);
        let manifest = export(self.store.as_ref(), &fresh, &Format::ALL).await?;
        let old = self.dir.join("previous");
        let _ = std::fs::remove_dir_all(&old);
        if current.exists() {
            std::fs::rename(&current, &old).map_err(super::io_error(&current))?;
        }
        std::fs::rename(&fresh, &current).map_err(super::io_error(&fresh))?;
        let _ = std::fs::remove_dir_all(&old);
        tracing::info!(revision, dir = %current.display(), "published a new export");
        Ok(manifest)
    }

    /// The file at `relative` in the latest export, if the manifest lists it (and only then:
    /// nothing outside the export can be asked for).
    pub async fn file(&self, relative: &str) -> Result<Option<PathBuf>, ExportError> {
        let manifest = self.latest().await?;
        if relative == "manifest.json" {
            return Ok(Some(self.current().join("manifest.json")));
        }
        Ok(manifest
            .files
            .iter()
            .find(|f| f.path == relative)
            .map(|f| self.current().join(&f.path)))
    }
}
