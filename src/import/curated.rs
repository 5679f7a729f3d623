//! The curated data that ships with retex: the seed (`seed/*.yaml`) and the entity-resolution
//! overrides (`seed/resolution/overrides.yaml`). Both are compiled into the binary (by
//! `build.rs`), so that `retex serve` and `retex import --all` give the same graph from any
//! working folder; a folder or file named on the command line replaces them, and one that does
//! not exist is an error, never skipped.

use std::path::{Path, PathBuf};

use super::resolve::Overrides;
use super::ImportError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_seed.rs"));
}

/// Where curated data is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Curated {
    /// The copy compiled into the binary.
    Embedded,
    /// A folder (the seed) or a file (a seed file, or the overrides), which must exist.
    Path(PathBuf),
}

impl From<PathBuf> for Curated {
    fn from(path: PathBuf) -> Self {
        Curated::Path(path)
    }
}

impl Curated {
    /// `Path` for a path given, `Embedded` otherwise (a command-line flag left out).
    pub fn or_embedded(path: Option<PathBuf>) -> Self {
        path.map_or(Curated::Embedded, Curated::Path)
    }

    /// What it is, for logs.
    pub fn describe(&self) -> String {
        match self {
            Curated::Embedded => "the seed built into retex".to_owned(),
            Curated::Path(path) => path.display().to_string(),
        }
    }

    /// Fails when a path is named that does not exist.
    pub fn check_exists(&self) -> Result<(), ImportError> {
        match self {
            Curated::Path(path) if !path.exists() => Err(ImportError::at(
                path,
                0,
                "no such file or folder (leave the flag out to use the copy built into retex)",
            )),
            _ => Ok(()),
        }
    }
}

/// The embedded seed's files, named as in the repository (`seed/<file>`), with their text.
pub fn embedded_seed() -> Vec<(PathBuf, String)> {
    embedded::SEED_FILES
        .iter()
        .map(|(name, text)| (Path::new("seed").join(name), (*text).to_owned()))
        .collect()
}

/// The overrides the import resolves with: the embedded ones, a file's, or none.
pub fn overrides(from: Option<&Curated>) -> Result<Overrides, ImportError> {
    match from {
        None => Ok(Overrides::default()),
        Some(Curated::Embedded) => {
            let path = Path::new("seed/resolution/overrides.yaml");
            serde_norway::from_str(embedded::OVERRIDES).map_err(|e| {
                let line = e.location().map_or(0, |l| l.line());
                ImportError::at(path, line, e.to_string())
            })
        }
        Some(named @ Curated::Path(path)) => {
            named.check_exists()?;
            Overrides::load(Some(path))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_seed_is_every_yaml_file_of_the_folder() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed");
        let mut on_disk: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml"))
            .collect();
        on_disk.sort();
        let embedded: Vec<String> = embedded_seed()
            .into_iter()
            .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(embedded, on_disk);
        for (path, text) in embedded_seed() {
            let file = folder.join(path.file_name().unwrap());
            assert_eq!(text, std::fs::read_to_string(file).unwrap());
        }
    }

    #[test]
    fn embedded_overrides_are_the_files_and_a_missing_path_is_an_error() {
        let embedded = overrides(Some(&Curated::Embedded)).unwrap();
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed/resolution/overrides.yaml");
        let from_file = overrides(Some(&Curated::Path(file))).unwrap();
        let sorted = |o: &Overrides| {
            let aliases: std::collections::BTreeMap<_, _> = o.aliases.iter().collect();
            let distinct: Vec<_> = o
                .distinct
                .iter()
                .map(|d| (&d.record, &d.solution))
                .collect();
            format!("{aliases:?} {distinct:?}")
        };
        assert_eq!(sorted(&embedded), sorted(&from_file));
        assert!(embedded.aliases.contains_key("Firefox"));
        let missing = Curated::Path(PathBuf::from("/nonexistent/overrides.yaml"));
        let err = overrides(Some(&missing)).unwrap_err().to_string();
        assert!(err.contains("/nonexistent/overrides.yaml"), "{err}");
        assert!(err.contains("no such file"), "{err}");
    }
}
