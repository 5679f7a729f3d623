//! Copying a whole graph from one store to another (`retex migrate`), and the content digest
//! that proves the copy lossless.

use serde::Serialize;

use super::{Counts, Store, StoreError, StoreResult, WriteReport};
use crate::domain::{Batch, WatchSource};

/// What a copy did and what it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyReport {
    /// What the writes did, kind by kind, summed over the batches.
    pub written: WriteReport,
    /// The source's counts.
    pub counts: Counts,
    /// The digest of the source's dump, equal to the target's after the copy.
    pub digest: String,
}

/// A stable digest of everything a migration copies: FNV-1a (64 bits, hex) of the canonical
/// JSON of the graph's dump (whose lists are ordered by id) followed by the declarations of
/// the release-watch sources, in id order. Two stores holding the same graph and watching the
/// same sources give the same digest.
pub fn content_digest(batch: &Batch, watch: &[WatchSource]) -> StoreResult<String> {
    let internal = |e: serde_json::Error| StoreError::Internal(e.to_string());
    let mut json = serde_json::to_vec(batch).map_err(internal)?;
    let mut sorted: Vec<&WatchSource> = watch.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    for source in sorted {
        json.push(b'\n');
        json.extend(serde_json::to_vec(source).map_err(internal)?);
    }
    Ok(format!("{:016x}", super::fnv1a_64(&json) as u64))
}

/// The declarations of a store's release-watch sources (retired ones included).
async fn declared_watch_sources(store: &dyn Store) -> StoreResult<Vec<WatchSource>> {
    Ok(store
        .watch_status()
        .await?
        .into_iter()
        .map(|s| s.source)
        .collect())
}

/// The [`content_digest`] of what a store holds.
pub async fn store_digest(store: &dyn Store) -> StoreResult<String> {
    let dump = store.dump().await?;
    content_digest(&dump, &declared_watch_sources(store).await?)
}

/// The dump split into batches that each only refer to nodes of earlier batches (or of
/// themselves): one per kind, in dependency order, then the citations.
fn batches(dump: Batch) -> Vec<Batch> {
    let parts = [
        Batch {
            sources: dump.sources,
            ..Batch::default()
        },
        Batch {
            needs: dump.needs,
            ..Batch::default()
        },
        Batch {
            publishers: dump.publishers,
            ..Batch::default()
        },
        Batch {
            solutions: dump.solutions,
            ..Batch::default()
        },
        Batch {
            alternatives: dump.alternatives,
            ..Batch::default()
        },
        Batch {
            collectivities: dump.collectivities,
            ..Batch::default()
        },
        Batch {
            adoptions: dump.adoptions,
            ..Batch::default()
        },
        Batch {
            outcomes: dump.outcomes,
            ..Batch::default()
        },
        Batch {
            contributions: dump.contributions,
            ..Batch::default()
        },
        Batch {
            releases: dump.releases,
            ..Batch::default()
        },
        Batch {
            citations: dump.citations,
            ..Batch::default()
        },
    ];
    parts.into_iter().filter(|b| !b.is_empty()).collect()
}

/// Counts that a copy must reproduce: everything but the releases the watch fetched, which are
/// not copied (they come back at the next poll of each copied watch source).
fn graph_counts(mut counts: Counts) -> Counts {
    counts.kinds.remove("release");
    counts
}

/// Copies every node, relationship and citation of `from` into `to`, and the declarations of
/// its release-watch sources, then checks that both hold the same counts and the same content
/// digest. Releases and poll state are not copied: the watch fetches them again.
pub async fn copy_graph(from: &dyn Store, to: &dyn Store) -> StoreResult<CopyReport> {
    let dump = from.dump().await?;
    let counts = graph_counts(from.counts().await?);
    let watched = declared_watch_sources(from).await?;
    let digest = content_digest(&dump, &watched)?;
    let mut written = WriteReport::default();
    for batch in batches(dump) {
        written.absorb(to.write(batch).await?);
    }
    if !watched.is_empty() {
        written.absorb(to.upsert_watch_sources(watched).await?);
    }
    let target_counts = graph_counts(to.counts().await?);
    if target_counts != counts {
        return Err(StoreError::Invalid(format!(
            "after the copy the target holds {:?}, the source {:?} (did the target hold other data?)",
            target_counts.kinds, counts.kinds
        )));
    }
    let target_digest = store_digest(to).await?;
    if target_digest != digest {
        return Err(StoreError::Invalid(format!(
            "after the copy the target's content digest is {target_digest}, the source's {digest}"
        )));
    }
    Ok(CopyReport {
        written,
        counts,
        digest,
    })
}
