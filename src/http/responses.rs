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
//!
//! A kept answer is also found from the request's raw bytes ([`RawKey`]: the method, the body
//! or query string, the media type asked for, the revision and the day) before anything is
//! parsed, so a repeated question costs about what a static file costs; it is served with an
//! `ETag`, and `If-None-Match` gets a 304.

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;

/// Default room for kept answers, in bytes.
pub const DEFAULT_CAPACITY_BYTES: u64 = 64 * 1024 * 1024;

/// Largest single answer kept, in bytes.
const MAX_ENTRY_BYTES: usize = 4 * 1024 * 1024;

/// What an answer is kept under once the request is parsed.
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

/// What an answer is found under before the request is parsed: the request's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RawKey {
    /// The store revision.
    pub revision: u64,
    /// The day.
    pub day: chrono::NaiveDate,
    /// `GET` (the query string) or `POST` (the body).
    pub get: bool,
    /// Whether `application/graphql-response+json` was asked for.
    pub graphql_response: bool,
    /// The body, or the query string.
    pub request: Bytes,
}

/// A kept answer: its bytes and their entity tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The serialised answer.
    pub body: Bytes,
    /// A strong entity tag of the answer (quoted, as in the `ETag` header).
    pub etag: String,
}

impl Kept {
    /// An answer computed at `revision`, with its entity tag.
    pub fn new(revision: u64, body: Bytes) -> Self {
        let digest = crate::store::fnv1a_64(&body) as u64;
        Self {
            etag: format!("\"r{revision}-{digest:016x}\""),
            body,
        }
    }

    /// Whether an `If-None-Match` header names this answer.
    pub fn matches(&self, if_none_match: &str) -> bool {
        if_none_match.trim() == "*"
            || if_none_match
                .split(',')
                .any(|tag| tag.trim().trim_start_matches("W/") == self.etag)
    }
}

/// Kept answers (disabled with a capacity of 0).
pub struct Responses {
    parsed: Option<moka::sync::Cache<Key, Kept>>,
    raw: Option<moka::sync::Cache<RawKey, Kept>>,
    newest_revision: AtomicU64,
}

impl Responses {
    /// Room for answers adding up to `capacity_bytes` (0 keeps none): half for answers found by
    /// their parsed request, half by their raw bytes.
    pub fn new(capacity_bytes: u64) -> Self {
        let half = capacity_bytes / 2;
        let parsed = (capacity_bytes > 0).then(|| {
            moka::sync::Cache::builder()
                .max_capacity(half.max(1))
                .weigher(|key: &Key, kept: &Kept| {
                    weight(key.query.len() + key.variables.len() + kept.body.len())
                })
                .build()
        });
        let raw = (capacity_bytes > 0).then(|| {
            moka::sync::Cache::builder()
                .max_capacity(half.max(1))
                .weigher(|key: &RawKey, kept: &Kept| weight(key.request.len() + kept.body.len()))
                .build()
        });
        Self {
            parsed,
            raw,
            newest_revision: AtomicU64::new(0),
        }
    }

    /// Whether answers are kept at all.
    pub fn enabled(&self) -> bool {
        self.parsed.is_some()
    }

    /// Notes the revision a lookup is made at: a newer one drops every older answer. Answers
    /// whether answers of `revision` may be served.
    fn see(&self, revision: u64) -> bool {
        let previous = self.newest_revision.fetch_max(revision, Ordering::Relaxed);
        if previous < revision {
            if let Some(cache) = &self.parsed {
                cache.invalidate_all();
            }
            if let Some(cache) = &self.raw {
                cache.invalidate_all();
            }
            return false;
        }
        previous == revision
    }

    /// The answer kept under `key`, if any. Seeing a newer revision drops older answers.
    pub fn get(&self, key: &Key) -> Option<Kept> {
        let cache = self.parsed.as_ref()?;
        self.see(key.revision).then(|| cache.get(key)).flatten()
    }

    /// The answer kept under a request's raw bytes, if any.
    pub fn get_raw(&self, key: &RawKey) -> Option<Kept> {
        let cache = self.raw.as_ref()?;
        self.see(key.revision).then(|| cache.get(key)).flatten()
    }

    /// Keeps `kept` under `key` (too large an answer, or one of an older revision, is not kept).
    pub fn put(&self, key: Key, kept: Kept) {
        if let Some(cache) = &self.parsed {
            if self.keepable(key.revision, &kept) {
                cache.insert(key, kept);
            }
        }
    }

    /// Keeps `kept` under a request's raw bytes.
    pub fn put_raw(&self, key: RawKey, kept: Kept) {
        if let Some(cache) = &self.raw {
            if self.keepable(key.revision, &kept) {
                cache.insert(key, kept);
            }
        }
    }

    fn keepable(&self, revision: u64, kept: &Kept) -> bool {
        kept.body.len() <= MAX_ENTRY_BYTES
            && revision >= self.newest_revision.load(Ordering::Relaxed)
    }
}

fn weight(bytes: usize) -> u32 {
    u32::try_from(bytes).unwrap_or(u32::MAX)
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

    fn raw(revision: u64, body: &'static str) -> RawKey {
        RawKey {
            revision,
            day: chrono::NaiveDate::default(),
            get: false,
            graphql_response: false,
            request: Bytes::from_static(body.as_bytes()),
        }
    }

    fn kept(revision: u64, body: &'static str) -> Kept {
        Kept::new(revision, Bytes::from_static(body.as_bytes()))
    }

    #[test]
    fn answers_are_kept_per_revision() {
        let responses = Responses::new(1024 * 1024);
        assert!(responses.get(&key(1, "{ a }")).is_none());
        responses.put(key(1, "{ a }"), kept(1, "one"));
        assert_eq!(responses.get(&key(1, "{ a }")).unwrap().body, "one");
        assert!(responses.get(&key(1, "{ b }")).is_none());
        // A newer revision: the old answer is not served, and not kept either.
        assert!(responses.get(&key(2, "{ a }")).is_none());
        assert!(responses.get(&key(1, "{ a }")).is_none());
        // An answer computed at an older revision is not kept once a newer one is seen.
        responses.put(key(1, "{ a }"), kept(1, "late"));
        assert!(responses.get(&key(1, "{ a }")).is_none());
    }

    #[test]
    fn raw_answers_follow_the_same_revisions() {
        let responses = Responses::new(1024 * 1024);
        // A request looks its answer up before it is computed and kept.
        assert!(responses.get_raw(&raw(1, r#"{"query":"{a}"}"#)).is_none());
        responses.put_raw(raw(1, r#"{"query":"{a}"}"#), kept(1, "one"));
        assert_eq!(
            responses
                .get_raw(&raw(1, r#"{"query":"{a}"}"#))
                .unwrap()
                .body,
            "one"
        );
        assert!(responses.get_raw(&raw(1, r#"{"query":"{b}"}"#)).is_none());
        assert!(responses.get(&key(2, "{ x }")).is_none());
        assert!(responses.get_raw(&raw(1, r#"{"query":"{a}"}"#)).is_none());
    }

    #[test]
    fn entity_tags_name_the_answer() {
        let one = kept(3, "one");
        assert!(one.etag.starts_with("\"r3-") && one.etag.ends_with('"'));
        assert_ne!(one.etag, kept(3, "two").etag);
        assert!(one.matches(&one.etag));
        assert!(one.matches(&format!("\"x\", W/{}", one.etag)));
        assert!(one.matches("*"));
        assert!(!one.matches("\"r3-0000000000000000\""));
    }

    #[test]
    fn a_zero_capacity_keeps_nothing() {
        let responses = Responses::new(0);
        assert!(!responses.enabled());
        responses.put(key(1, "{ a }"), kept(1, "one"));
        assert!(responses.get(&key(1, "{ a }")).is_none());
    }
}
