//! Content hashes and versions: the hash every backend stores per node, the opaque version
//! clients see, and the check a versioned write makes against the stored state.

use serde::Serialize;

use crate::domain::{self, EntityKind, NodeId, WatchSource};
use crate::store::{Change, StoreError, StoreResult, WatchChange};

/// FNV-1a, 64 bits: a stable hash of a node's canonical document (its JSON as serde writes it).
/// Every backend stores it per node; it is the node's version for optimistic concurrency.
pub fn fnv1a_64(bytes: &[u8]) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

/// The opaque version clients see: the content hash as 16 hex digits.
pub fn version_text(hash: i64) -> String {
    format!("{:016x}", hash as u64)
}

/// The version of a node as a store would compute it from its document.
pub fn version_of<T: Serialize>(node: &T) -> String {
    let doc = serde_json::to_string(node).unwrap_or_default();
    version_text(fnv1a_64(doc.as_bytes()))
}

/// The version a client computes for a stored document: the hash of the document as this
/// retex writes it. It differs from the stored hash only for documents written by an older
/// retex (a field added since), which must still be updatable.
fn canonical_version(node: &NodeId, doc: &str) -> Option<String> {
    fn of<T: serde::de::DeserializeOwned + serde::Serialize>(doc: &str) -> Option<String> {
        serde_json::from_str::<T>(doc).ok().map(|n| version_of(&n))
    }
    match node.kind() {
        EntityKind::Need => of::<domain::Need>(doc),
        EntityKind::Solution => of::<domain::Solution>(doc),
        EntityKind::Publisher => of::<domain::Publisher>(doc),
        EntityKind::Collectivity => of::<domain::Collectivity>(doc),
        EntityKind::Adoption => of::<domain::Adoption>(doc),
        EntityKind::Outcome => of::<domain::Outcome>(doc),
        EntityKind::Alternative => of::<domain::Alternative>(doc),
        EntityKind::Source => of::<domain::Source>(doc),
        EntityKind::Contribution => of::<domain::Contribution>(doc),
    }
}

/// Checks the version a change expects against the node's stored document and hash.
pub(crate) fn check_version(change: &Change, before: Option<&(String, i64)>) -> StoreResult<()> {
    check_expected(
        change.node.as_str(),
        change.expected_version.as_deref(),
        before,
        |doc| canonical_version(&change.node, doc),
    )
}

/// Checks an expected version against the stored document and hash of `subject`: none
/// expected means it must not exist yet; one expected must be its current version.
fn check_expected(
    subject: &str,
    expected: Option<&str>,
    before: Option<&(String, i64)>,
    canonical: impl FnOnce(&str) -> Option<String>,
) -> StoreResult<()> {
    match (expected, before) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(StoreError::Conflict(format!("{subject} already exists"))),
        (Some(_), None) => Err(StoreError::Invalid(format!("{subject} does not exist"))),
        (Some(expected), Some((doc, hash))) => {
            let stored = version_text(*hash);
            let current = canonical(doc).unwrap_or_else(|| stored.clone());
            if expected == current || expected == stored {
                return Ok(());
            }
            Err(StoreError::Conflict(format!(
                "{subject} changed since version {expected}: it is now at version {current}; read it again and retry"
            )))
        }
    }
}

/// Checks a watch-source change's expected version against the stored document and hash.
pub(crate) fn check_watch_version(
    change: &WatchChange,
    before: Option<&(String, i64)>,
) -> StoreResult<()> {
    check_expected(
        change.source.id.as_str(),
        change.expected_version.as_deref(),
        before,
        watch_version,
    )
}

/// The version a client computes for a stored watch source's document.
fn watch_version(doc: &str) -> Option<String> {
    serde_json::from_str::<WatchSource>(doc)
        .ok()
        .map(|s| version_of(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_64_is_stable() {
        assert_eq!(fnv1a_64(b"abc"), fnv1a_64(b"abc"));
        assert_ne!(fnv1a_64(b"abc"), fnv1a_64(b"abd"));
    }
}
