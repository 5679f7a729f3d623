//! An export folder read back: the JSON Lines a `retex export` wrote, into one batch, every
//! value validated again on the way in.

use std::io::BufRead;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::ImportError;
use crate::domain::Batch;

fn read_file<T: DeserializeOwned>(dir: &Path, name: &str) -> Result<Vec<T>, ImportError> {
    let path = dir.join(format!("{name}.jsonl"));
    let io = |source| ImportError::Io {
        path: path.clone(),
        source,
    };
    let file = std::fs::File::open(&path).map_err(io)?;
    let mut out = Vec::new();
    for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let item = serde_json::from_str(&line)
            .map_err(|e| ImportError::at(&path, index + 1, e.to_string()))?;
        out.push(item);
    }
    Ok(out)
}

/// Reads a JSON Lines export folder (the `jsonl/` folder of an export) back into a batch that
/// reproduces the same graph in an empty store.
pub fn read_jsonl(dir: &Path) -> Result<Batch, ImportError> {
    Ok(Batch {
        releases: read_file(dir, "product_cycles")?,
        sources: read_file(dir, "sources")?,
        needs: read_file(dir, "needs")?,
        publishers: read_file(dir, "publishers")?,
        solutions: read_file(dir, "solutions")?,
        alternatives: read_file(dir, "alternatives")?,
        collectivities: read_file(dir, "collectivities")?,
        adoptions: read_file(dir, "adoptions")?,
        outcomes: read_file(dir, "outcomes")?,
        contributions: read_file(dir, "contributions")?,
        citations: read_file(dir, "citations")?,
    })
}
