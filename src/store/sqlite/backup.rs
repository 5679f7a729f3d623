//! Backups of the embedded store while it serves, and their checked restoration.
//!
//! A backup is SQLite's online backup API run in one step from a reading connection: one read
//! transaction, so the copy is the store as of one moment, while writers go on (WAL). It is
//! written beside its destination, checked (`PRAGMA integrity_check`, foreign keys, a retex
//! schema this build knows), then renamed into place, so a destination file is either a whole
//! checked backup or absent. A restore checks the backup the same way before it replaces a store.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{map_err, MIGRATIONS};
use crate::store::{StoreError, StoreResult};

/// What a checked backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// The store's schema version (its last migration).
    pub schema_version: i64,
    /// Rows of the main kinds: solutions, collectivities, adoptions, outcomes, sources.
    pub counts: Vec<(&'static str, i64)>,
    /// The file's size, in bytes.
    pub bytes: u64,
}

impl std::fmt::Display for BackupSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect();
        write!(
            f,
            "schema version {}, {}; {} bytes; integrity ok",
            self.schema_version,
            counts.join(", "),
            self.bytes
        )
    }
}

/// The kinds counted in a summary (tables of the first migration: every store has them).
const COUNTED: [&str; 5] = [
    "solutions",
    "collectivities",
    "adoptions",
    "outcomes",
    "sources",
];

/// Writes a consistent copy of the store at `store`, which may be serving, to `dest`, which
/// must not exist yet, and checks it. The store is opened read-only: a backup never migrates
/// it (an upgraded binary may back up the store an older server is still serving).
pub fn backup(store: &Path, dest: &Path) -> StoreResult<BackupSummary> {
    if dest.exists() {
        return Err(StoreError::Invalid(format!(
            "{} exists already: name a new file",
            dest.display()
        )));
    }
    if !store.is_file() {
        return Err(StoreError::Unavailable(format!(
            "{} is not a store file",
            store.display()
        )));
    }
    let source = Connection::open_with_flags(store, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", store.display())))?;
    source
        .busy_timeout(std::time::Duration::from_secs(5))
        .map_err(map_err)?;
    let partial = partial_path(dest);
    let _ = std::fs::remove_file(&partial);
    match copy_database(&source, &partial).and_then(|()| check_backup(&partial)) {
        Ok(summary) => {
            std::fs::rename(&partial, dest).map_err(|e| io_error(dest, e))?;
            Ok(summary)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// Copies every page of `conn`'s main database into a new file, in one step of the backup API.
fn copy_database(conn: &Connection, to: &Path) -> StoreResult<()> {
    let mut target = Connection::open(to)
        .map_err(|e| StoreError::Unavailable(format!("cannot create {}: {e}", to.display())))?;
    {
        let backup = rusqlite::backup::Backup::new(conn, &mut target).map_err(map_err)?;
        // -1: all pages in one step, under one read transaction of the source.
        match backup.step(-1).map_err(map_err)? {
            rusqlite::backup::StepResult::Done => {}
            other => {
                return Err(StoreError::Locked(format!(
                    "the backup did not complete in one step ({other:?}); try again"
                )))
            }
        }
    }
    // Fold the copy's journal into its file: a backup is one self-contained file.
    target
        .execute_batch("PRAGMA journal_mode = DELETE")
        .map_err(map_err)?;
    target.close().map_err(|(_, e)| map_err(e))
}

/// Checks that `path` is a whole retex store this build can open: SQLite's integrity check and
/// foreign keys pass, and its schema version is one this build knows.
pub fn check_backup(path: &Path) -> StoreResult<BackupSummary> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
    let corrupt = |what: String| StoreError::Corrupt(format!("{}: {what}", path.display()));
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| corrupt(e.to_string()))?;
    if integrity != "ok" {
        return Err(corrupt(format!("integrity check failed: {integrity}")));
    }
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(|e| corrupt(e.to_string()))?;
    if dangling > 0 {
        return Err(corrupt(format!("{dangling} rows break a foreign key")));
    }
    let version: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(|_| corrupt("an SQLite database but not a retex store".to_owned()))?;
    let latest = MIGRATIONS.last().map_or(0, |m| m.0);
    if version > latest {
        return Err(StoreError::Unavailable(format!(
            "{} has schema version {version}, newer than this retex knows ({latest}): upgrade retex",
            path.display()
        )));
    }
    let mut counts = Vec::with_capacity(COUNTED.len());
    for kind in COUNTED {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {kind}"), [], |r| r.get(0))
            .map_err(|e| corrupt(e.to_string()))?;
        counts.push((kind, n));
    }
    let bytes = std::fs::metadata(path)
        .map_err(|e| io_error(path, e))?
        .len();
    Ok(BackupSummary {
        schema_version: version,
        counts,
        bytes,
    })
}

/// Installs the backup `from` as the store `to`: checks the backup, copies it beside `to`, and
/// renames it over `to` (its old journal files removed). The server must be stopped: a store
/// in use (a live journal beside it) is refused.
pub fn restore(from: &Path, to: &Path) -> StoreResult<BackupSummary> {
    let summary = check_backup(from)?;
    let wal = suffixed(to, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(StoreError::Invalid(format!(
            "{} is in use or was not closed cleanly ({} is not empty): stop the server first",
            to.display(),
            wal.display()
        )));
    }
    let partial = partial_path(to);
    std::fs::copy(from, &partial).map_err(|e| io_error(&partial, e))?;
    std::fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error(&partial, e))?;
    for stale in [wal, suffixed(to, "-shm")] {
        match std::fs::remove_file(&stale) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&stale, e)),
        }
    }
    std::fs::rename(&partial, to).map_err(|e| io_error(to, e))?;
    Ok(summary)
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn partial_path(path: &Path) -> PathBuf {
    suffixed(path, ".partial")
}

fn io_error(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Unavailable(format!("{}: {e}", path.display()))
}
