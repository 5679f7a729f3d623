//! Importers: turn files into validated batches of domain nodes and write them in one go.
//!
//! [`seed`] reads the curated YAML seed (see `seed/README.md`); the dataset importers read the
//! real open datasets: [`collectivities`] (découpage administratif), [`sill`], [`govoss`],
//! [`publiccode`], [`endoflife`], [`munich`] and [`codegouv`]. Each reads all its input and
//! validates it before the store is touched, then writes one batch in one transaction, so a
//! failed import leaves the store as it was, and importing the same data twice changes nothing.
//! Solutions met in several datasets are merged by [`resolve`].

pub mod adoptions;
pub mod codegouv;
pub mod collectivities;
mod common;
pub mod curated;
pub mod endoflife;
mod error;
pub mod explain;
mod export_folder;
pub mod govoss;
pub mod licence;
pub mod munich;
pub mod policy;
pub mod publiccode;
pub mod resolve;
pub mod seed;
pub mod sill;
pub mod sources;
pub mod support_contract;
pub mod taxonomy;

pub use common::Existing;
pub use curated::Curated;
pub use error::ImportError;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::store::{Store, WriteReport};
use common::Builder;
use resolve::Overrides;

/// The kinds of input `retex import` knows, decided once per input (named, or guessed by
/// [`Kind::detect`]) and read by [`import`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The curated YAML seed.
    Seed,
    /// A retex export folder (one holding `manifest.json` and `jsonl/`), read back.
    Export,
    /// The support contract's list of contributions (its file name is
    /// [`support_contract::FILE_NAME`]).
    SupportContract,
    /// The découpage administratif folder.
    Collectivities,
    /// A SILL folder (any of its three snapshots).
    Sill,
    /// The govoss-catalog folder.
    Govoss,
    /// A publiccode.yml file, a folder of them, or an http(s) URL.
    Publiccode,
    /// The endoflife.date folder.
    Endoflife,
    /// The City of Munich's pages.
    Munich,
    /// code.gouv.fr data.
    Codegouv,
}

impl Kind {
    /// Every dataset kind, in the order `import --all` loads them.
    /// (govoss before the SILL, so the SILL's instances take the needs govoss gives their
    /// solutions; Munich before publiccode.yml, so the files' dependencies can link to the
    /// solutions Munich runs; code.gouv.fr's awesome list after publiccode.yml, so its
    /// repositories meet the files' solutions; release cycles last, so they link to every
    /// solution the others brought).
    pub const DATASETS: [Kind; 7] = [
        Kind::Collectivities,
        Kind::Govoss,
        Kind::Sill,
        Kind::Munich,
        Kind::Publiccode,
        Kind::Codegouv,
        Kind::Endoflife,
    ];

    /// Parses a kind name (`sill`, `collectivities`...). An export folder and the support
    /// contract are not named: they are told by their shape.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "seed" => Kind::Seed,
            "collectivities" | "decoupage" => Kind::Collectivities,
            "sill" => Kind::Sill,
            "govoss" => Kind::Govoss,
            "publiccode" => Kind::Publiccode,
            "endoflife" => Kind::Endoflife,
            "munich" => Kind::Munich,
            "codegouv" => Kind::Codegouv,
            _ => return None,
        })
    }

    /// The kind's name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Seed => "seed",
            Kind::Export => "export",
            Kind::SupportContract => "support-contract",
            Kind::Collectivities => "collectivities",
            Kind::Sill => "sill",
            Kind::Govoss => "govoss",
            Kind::Publiccode => "publiccode",
            Kind::Endoflife => "endoflife",
            Kind::Munich => "munich",
            Kind::Codegouv => "codegouv",
        }
    }

    /// The sub-folder of the shared data folder that holds this dataset (`None` for the
    /// inputs that are not one of [`Kind::DATASETS`]).
    pub fn folder(self) -> Option<&'static str> {
        Some(match self {
            Kind::Seed | Kind::Export | Kind::SupportContract => return None,
            Kind::Collectivities => "decoupage-administratif",
            Kind::Sill => "sill",
            Kind::Govoss => "govoss-catalog",
            Kind::Publiccode => "publiccode-yml-samples",
            Kind::Endoflife => "endoflife-date",
            Kind::Munich => "munich-oss-usage",
            Kind::Codegouv => "codegouvfr-data",
        })
    }

    /// What a local path holds when it is not a dataset: a retex export folder, the support
    /// contract's contributions, or else the seed (a folder of YAML files, or one file).
    pub fn of_curated_path(path: &Path) -> Self {
        if path.join("manifest.json").is_file() && path.join("jsonl").is_dir() {
            Kind::Export
        } else if path.file_name().and_then(|n| n.to_str()) == Some(support_contract::FILE_NAME) {
            Kind::SupportContract
        } else {
            Kind::Seed
        }
    }

    /// Guesses the kind from the shape of a path or URL.
    pub fn detect(target: &str) -> Option<Self> {
        if target.starts_with("http://") || target.starts_with("https://") {
            return Some(Kind::Publiccode);
        }
        let path = Path::new(target);
        match Kind::of_curated_path(path) {
            Kind::Seed => {}
            other => return Some(other),
        }
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_file() {
            return match file_name {
                n if n.starts_with("publiccode") || n.ends_with(".publiccode.yml") => {
                    Some(Kind::Publiccode)
                }
                n if n.ends_with(".yml") || n.ends_with(".yaml") => Some(Kind::Seed),
                _ => None,
            };
        }
        [
            (
                Kind::Collectivities,
                collectivities::detect as fn(&Path) -> bool,
            ),
            (Kind::Sill, sill::detect),
            (Kind::Govoss, govoss::detect),
            (Kind::Endoflife, endoflife::detect),
            (Kind::Munich, munich::detect),
            (Kind::Codegouv, codegouv::detect),
            (Kind::Publiccode, publiccode::detect),
        ]
        .into_iter()
        .find(|(_, f)| f(path))
        .map(|(k, _)| k)
        .or_else(|| path.is_dir().then_some(Kind::Seed))
    }
}

/// Settings of an import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The resolution overrides (aliases and merges to undo): the built-in ones or a file;
    /// none when `None`.
    pub overrides: Option<Curated>,
    /// The seed loaded first by [`import_all`] into an empty store (its needs are the taxonomy
    /// the datasets map to): the built-in one or a folder; none when `None`.
    pub seed: Option<Curated>,
}

/// What an import did: the store's report, plus the records left out, per entity kind.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Created / updated / unchanged per kind.
    pub report: WriteReport,
    /// Records left out per kind, with the reasons.
    pub rejected: BTreeMap<String, Vec<String>>,
    /// Rows read from the input files.
    pub rows: u64,
}

impl Summary {
    /// The summary of an input written as it stands: every node it holds counts as a row.
    fn of_report(report: WriteReport) -> Self {
        let rows = report
            .kinds
            .values()
            .map(|k| k.created + k.updated + k.unchanged)
            .sum();
        Summary {
            report,
            rows,
            ..Summary::default()
        }
    }

    fn absorb(&mut self, other: Summary) {
        self.report.absorb(other.report);
        for (kind, v) in other.rejected {
            self.rejected.entry(kind).or_default().extend(v);
        }
        self.rows += other.rows;
    }
}

/// Imports a seed folder (or a single seed file), a retex export folder (one holding
/// `manifest.json` and `jsonl/`) or the support contract's contributions into the store, as
/// [`Kind::of_curated_path`] tells them apart.
pub async fn import_path(store: &dyn Store, path: &Path) -> Result<WriteReport, ImportError> {
    load_curated(store, Kind::of_curated_path(path), path).await
}

/// Writes an input that is read whole and written as it stands: an export folder, the
/// support contract, else the seed (a dataset is read against the store by [`import`]).
async fn load_curated(
    store: &dyn Store,
    kind: Kind,
    path: &Path,
) -> Result<WriteReport, ImportError> {
    match kind {
        Kind::Export => import_export(store, path).await,
        Kind::SupportContract => support_contract::load(store, path).await,
        _ => seed::load(store, path).await,
    }
}

/// Reads back the JSON Lines of a retex export and writes them as one batch.
async fn import_export(store: &dyn Store, path: &Path) -> Result<WriteReport, ImportError> {
    let dir = path.join("jsonl");
    let batch = tokio::task::spawn_blocking(move || export_folder::read_jsonl(&dir))
        .await
        .map_err(|e| ImportError::at(path, 0, format!("reading the export failed: {e}")))??;
    Ok(store.write(batch).await?)
}

fn rows_of(b: &Builder) -> u64 {
    (b.batch.len() + b.batch.citations.len()) as u64
}

/// The reader of one dataset (blocking: run it off the async runtime).
type DatasetReader = fn(&Path, &Existing, &Overrides) -> Result<Builder, ImportError>;

impl Kind {
    /// How this kind is read: a dataset reader, or `None` for the seed, an export folder and
    /// the support contract (written as they stand by [`load_curated`]).
    fn dataset_reader(self) -> Option<DatasetReader> {
        let reader: DatasetReader = match self {
            Kind::Seed | Kind::Export | Kind::SupportContract => return None,
            Kind::Collectivities => |path, existing, _| collectivities::read(path, existing),
            Kind::Sill => sill::read,
            Kind::Govoss => govoss::read,
            Kind::Publiccode => publiccode::read_path,
            Kind::Endoflife => |path, existing, _| endoflife::read(path, existing),
            Kind::Munich => munich::read,
            Kind::Codegouv => codegouv::read,
        };
        Some(reader)
    }
}

/// Imports one dataset (or the seed) from a path or, for publiccode.yml, an http(s) URL.
/// `kind` is guessed from the input's shape when not given.
pub async fn import(
    store: &dyn Store,
    kind: Option<Kind>,
    target: &str,
    options: &Options,
) -> Result<Summary, ImportError> {
    let kind = match kind.or_else(|| Kind::detect(target)) {
        Some(k) => k,
        None => {
            return Err(ImportError::at(
                target,
                0,
                "cannot tell which dataset this is: name its kind (retex import <kind> <path>)",
            ))
        }
    };
    let Some(read_dataset) = kind.dataset_reader() else {
        let report = load_curated(store, kind, Path::new(target)).await?;
        return Ok(Summary::of_report(report));
    };
    let overrides = Arc::new(curated::overrides(options.overrides.as_ref())?);
    let existing = Arc::new(Existing::from_dump(store.dump().await?));
    let builder = if kind == Kind::Publiccode
        && (target.starts_with("http://") || target.starts_with("https://"))
    {
        let text = publiccode::fetch(target).await?;
        let target = target.to_owned();
        let (existing, overrides) = (existing.clone(), overrides.clone());
        spawn(move || publiccode::read_url(&target, &text, &existing, &overrides)).await?
    } else {
        let path = PathBuf::from(target);
        let (existing, overrides) = (existing.clone(), overrides.clone());
        spawn(move || read_dataset(&path, &existing, &overrides)).await?
    };
    let rows = rows_of(&builder);
    let Builder {
        batch, rejected, ..
    } = builder;
    batch
        .validate()
        .map_err(|e| ImportError::at(target, 0, e.0))?;
    let report = store.write(batch).await?;
    Ok(Summary {
        report,
        rejected,
        rows,
    })
}

async fn spawn<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ImportError> + Send + 'static,
) -> Result<T, ImportError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ImportError::at("", 0, format!("the import task failed: {e}")))?
}

/// Imports every dataset found in `dir` (the shared data folder), each as one transaction,
/// in dependency order, after the seed when `options.seed` is set and the store is empty
/// (as `serve` does: the datasets then refine the seed's nodes, which a later seed import
/// would reset); `progress` is told each
/// dataset's name before it starts.
pub async fn import_all(
    store: &dyn Store,
    dir: &Path,
    options: &Options,
    mut progress: impl FnMut(Kind),
) -> Result<Summary, ImportError> {
    let mut total = Summary::default();
    for named in [&options.seed, &options.overrides].into_iter().flatten() {
        named.check_exists()?;
    }
    let empty = store.counts().await?.kinds.values().all(|n| *n == 0);
    if let Some(seed) = options.seed.as_ref().filter(|_| empty) {
        progress(Kind::Seed);
        let report = seed::load_from(store, seed).await?;
        total.absorb(Summary {
            report,
            ..Summary::default()
        });
    }
    let mut found = false;
    for (kind, folder) in Kind::DATASETS
        .into_iter()
        .filter_map(|k| Some((k, k.folder()?)))
    {
        let folder = dir.join(folder);
        if !folder.is_dir() {
            tracing::warn!(kind = kind.name(), folder = %folder.display(), "dataset folder missing: skipped");
            continue;
        }
        found = true;
        progress(kind);
        let target = match kind {
            Kind::Publiccode => folder.join("files"),
            _ => folder,
        };
        let summary = import(store, Some(kind), &target.to_string_lossy(), options).await?;
        total.absorb(summary);
    }
    if !found {
        return Err(ImportError::at(
            dir,
            0,
            "no dataset folder here (decoupage-administratif, sill, govoss-catalog, publiccode-yml-samples, munich-oss-usage, codegouvfr-data, endoflife-date)",
        ));
    }
    Ok(total)
}
