//! Answers to anonymous read queries, kept per store revision.
//!
//! retex is read far more than it is written, and the same questions come back (a need's
//! experience, the paths from Microsoft Office...). An answer is kept under the store revision
//! it was computed at (and the day: ends of life are judged on it), the query text, the
//! operation name and the variables; any write moves the revision, so a kept answer is never
//! served for a newer graph, and older entries are dropped when a newer revision is seen. Not kept: requests with a bearer token, mutations,
//! answers with errors, answers that select data which changes without a revision (fields
//! marked `no_cache` in the schema: releases, watch status, alerts), and answers computed
//! while the analysis index lagged behind the store.

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;

/// Default room for kept answers, in bytes.
pub const DEFAULT_CAPACITY_BYTES: u64 = 64 * 1024 * 1024;

/// Largest single answer kept, in bytes.
const MAX_ENTRY_BYTES: usize = 4 * 1024 * 1024;

/// What an answer is kept under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    /// The store revision it was computed at.
    pub revision: u64,
    /// The day it was computed on.
    pub day: chrono::NaiveDate,
    /// The query text.
    pub query: String,
    /// The operation name, if any.
    pub operation: Option<String>,
    /// The variables, as JSON.
    pub variables: String,
}

/// Kept answers (disabled with a capacity of 0).
pub struct Responses {
    cache: Option<moka::sync::Cache<Key, Bytes>>,
    newest_revision: AtomicU64,
}

impl Responses {
    /// Room for answers adding up to `capacity_bytes` (0 keeps none).
    pub fn new(capacity_bytes: u64) -> Self {
        let cache = (capacity_bytes > 0).then(|| {
            moka::sync::Cache::builder()
                .max_capacity(capacity_bytes)
                .weigher(|key: &Key, body: &Bytes| {
                    u32::try_from(key.query.len() + key.variables.len() + body.len())
                        .unwrap_or(u32::MAX)
                })
                .build()
        });
        Self {
            cache,
            newest_revision: AtomicU64::new(0),
        }
    }

    /// Whether answers are kept at all.
    pub fn enabled(&self) -> bool {
        self.cache.is_some()
    }

    /// The answer kept under `key`, if any. Seeing a newer revision drops older answers.
    pub fn get(&self, key: &Key) -> Option<Bytes> {
        let cache = self.cache.as_ref()?;
        let previous = self
            .newest_revision
            .fetch_max(key.revision, Ordering::Relaxed);
        if previous < key.revision {
            cache.invalidate_all();
            return None;
        }
        cache.get(key)
    }

    /// Keeps `body` under `key` (too large an answer is not kept).
    pub fn put(&self, key: Key, body: Bytes) {
        let Some(cache) = self.cache.as_ref() else {
            return;
        };
        if body.len() <= MAX_ENTRY_BYTES
            && key.revision >= self.newest_revision.load(Ordering::Relaxed)
        {
            cache.insert(key, body);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(revision: u64, query: &str) -> Key {
        Key {
            revision,
            day: chrono::NaiveDate::default(),
            query: query.to_owned(),
            operation: None,
            variables: "{}".to_owned(),
        }
    }

    #[test]
    fn answers_are_kept_per_revision() {
        let responses = Responses::new(1024 * 1024);
        assert!(responses.get(&key(1, "{ a }")).is_none());
        responses.put(key(1, "{ a }"), Bytes::from_static(b"one"));
        assert_eq!(responses.get(&key(1, "{ a }")).unwrap(), "one");
        assert!(responses.get(&key(1, "{ b }")).is_none());
        // A newer revision: the old answer is not served, and not kept either.
        assert!(responses.get(&key(2, "{ a }")).is_none());
        assert!(responses.get(&key(1, "{ a }")).is_none());
        // An answer computed at an older revision is not kept once a newer one is seen.
        responses.put(key(1, "{ a }"), Bytes::from_static(b"late"));
        assert!(responses.get(&key(1, "{ a }")).is_none());
    }

    #[test]
    fn a_zero_capacity_keeps_nothing() {
        let responses = Responses::new(0);
        assert!(!responses.enabled());
        responses.put(key(1, "{ a }"), Bytes::from_static(b"one"));
        assert!(responses.get(&key(1, "{ a }")).is_none());
    }
}
