//! Answers to anonymous read queries, kept while what they read stays the same.
//!
//! retex is read far more than it is written, and the same questions come back (a need's
//! experience, the paths from Microsoft Office...). An answer is kept under its [`Basis`],
//! the day (ends of life are judged on it), the query text, the operation name and the
//! variables:
//! - an answer that read the store is kept under the store revision it was computed at; any
//!   write moves the revision, so it is never served for a newer graph;
//! - an answer that read only the analysis index (peers, experience, paths, advice, with the
//!   ids and scores the index holds) is kept under that index, and served as long as that
//!   index answers anonymous readers (see [`crate::analysis::Freshness`]), even while the
//!   store moves: writes do not empty it, only a new index does.
//!
//! Older entries are dropped when a newer revision of their kind is seen. Not kept: requests
//! with a bearer token, mutations, answers with errors, answers that select data which
//! changes without a revision (fields marked `no_cache` in the schema: releases, watch status,
//! alerts), answers that read the store and an index that lagged behind it, and answers that
//! read two indexes.
//!
//! A kept answer is also found from the request's raw bytes ([`RawKey`]: the method, the body
//! or query string, the media type asked for, the basis and the day) before anything is
//! parsed, so a repeated question costs about what a static file costs; it is served with an
//! `ETag`, and `If-None-Match` gets a 304.

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use poem::http::HeaderValue;

/// Default room for kept answers, in bytes.
pub const DEFAULT_CAPACITY_BYTES: u64 = 64 * 1024 * 1024;

/// Largest single answer kept, in bytes.
const MAX_ENTRY_BYTES: usize = 4 * 1024 * 1024;

/// What a kept answer was computed from, and so what makes it stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Basis {
    /// It read the store (and maybe the analysis index of the same revision): true until the
    /// store's revision moves.
    Store(u64),
    /// It read only the analysis index built at this store revision: true while that index
    /// answers, however the store moves meanwhile (the index says how fresh it is).
    Index(u64),
}

impl Basis {
    /// The store revision it names (of the store, or the one the index was built at).
    pub fn revision(self) -> u64 {
        match self {
            Basis::Store(revision) | Basis::Index(revision) => revision,
        }
    }
}

/// What an answer is kept under once the request is parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    /// What it was computed from.
    pub basis: Basis,
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
    /// What it was computed from.
    pub basis: Basis,
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
    pub etag: HeaderValue,
}

impl Kept {
    /// An answer computed from `basis`, with its entity tag.
    pub fn new(basis: Basis, body: Bytes) -> Self {
        let digest = crate::store::fnv1a_64(&body) as u64;
        let etag = match basis {
            Basis::Store(revision) => format!("\"r{revision}-{digest:016x}\""),
            Basis::Index(revision) => format!("\"i{revision}-{digest:016x}\""),
        };
        Self {
            etag: HeaderValue::from_str(&etag).expect("an entity tag is visible ASCII"),
            body,
        }
    }

    /// Whether an `If-None-Match` header names this answer.
    pub fn matches(&self, if_none_match: &str) -> bool {
        let etag = self.etag.to_str().unwrap_or_default();
        if_none_match.trim() == "*"
            || if_none_match
                .split(',')
                .any(|tag| tag.trim().trim_start_matches("W/") == etag)
    }
}

/// Answers of one basis kind, dropped together when a newer revision of that kind is seen.
struct Shelf {
    parsed: moka::sync::Cache<Key, Kept>,
    raw: moka::sync::Cache<RawKey, Kept>,
    newest_revision: AtomicU64,
}

impl Shelf {
    fn new(capacity_bytes: u64) -> Self {
        let half = (capacity_bytes / 2).max(1);
        Self {
            parsed: moka::sync::Cache::builder()
                .max_capacity(half)
                .weigher(|key: &Key, kept: &Kept| {
                    weight(key.query.len() + key.variables.len() + kept.body.len())
                })
                .build(),
            raw: moka::sync::Cache::builder()
                .max_capacity(half)
                .weigher(|key: &RawKey, kept: &Kept| weight(key.request.len() + kept.body.len()))
                .build(),
            newest_revision: AtomicU64::new(0),
        }
    }

    /// Notes the revision a lookup is made at: a newer one drops every older answer. Answers
    /// whether answers of `revision` may be served.
    fn see(&self, revision: u64) -> bool {
        let previous = self.newest_revision.fetch_max(revision, Ordering::Relaxed);
        if previous < revision {
            self.parsed.invalidate_all();
            self.raw.invalidate_all();
            return false;
        }
        previous == revision
    }

    /// Whether `kept`, computed at `revision`, may be kept: not too large, and not older than
    /// the newest revision seen (a newer one is seen now, dropping older answers).
    fn keepable(&self, revision: u64, kept: &Kept) -> bool {
        if kept.body.len() > MAX_ENTRY_BYTES {
            return false;
        }
        self.see(revision);
        self.newest_revision.load(Ordering::Relaxed) == revision
    }
}

/// Kept answers (disabled with a capacity of 0): those that read the store, kept per store
/// revision, and those that read only the analysis index, kept per index.
pub struct Responses {
    store: Option<Shelf>,
    index: Option<Shelf>,
}

impl Responses {
    /// Room for answers adding up to `capacity_bytes` (0 keeps none): half for answers that
    /// read the store, half for those that read only the analysis index; each half split
    /// between answers found by their parsed request and by their raw bytes.
    pub fn new(capacity_bytes: u64) -> Self {
        let half = capacity_bytes / 2;
        Self {
            store: (capacity_bytes > 0).then(|| Shelf::new(half)),
            index: (capacity_bytes > 0).then(|| Shelf::new(half)),
        }
    }

    /// Whether answers are kept at all.
    pub fn enabled(&self) -> bool {
        self.store.is_some()
    }

    fn shelf(&self, basis: Basis) -> Option<&Shelf> {
        match basis {
            Basis::Store(_) => self.store.as_ref(),
            Basis::Index(_) => self.index.as_ref(),
        }
    }

    /// The answer kept under `key`, if any. Seeing a newer revision drops older answers.
    pub fn get(&self, key: &Key) -> Option<Kept> {
        self.kept(key)
    }

    /// The answer kept under a request's raw bytes, if any.
    pub fn get_raw(&self, key: &RawKey) -> Option<Kept> {
        self.kept(key)
    }

    /// The answer kept for `key` (whose basis is the store's revision) under that revision,
    /// else under the analysis index answering now (`index`), with the basis it was found on.
    pub fn find(&self, key: &Key, index: impl FnOnce() -> Option<u64>) -> Option<(Basis, Kept)> {
        self.find_either(key, index)
    }

    /// [`Responses::find`] by a request's raw bytes.
    pub fn find_raw(
        &self,
        key: &RawKey,
        index: impl FnOnce() -> Option<u64>,
    ) -> Option<(Basis, Kept)> {
        self.find_either(key, index)
    }

    /// Keeps `kept` under `key` (too large an answer, or one of an older revision, is not kept).
    pub fn put(&self, key: Key, kept: Kept) {
        self.keep(key, kept);
    }

    /// Keeps `kept` under a request's raw bytes.
    pub fn put_raw(&self, key: RawKey, kept: Kept) {
        self.keep(key, kept);
    }

    fn kept<K: Based>(&self, key: &K) -> Option<Kept> {
        let shelf = self.shelf(key.basis())?;
        shelf
            .see(key.basis().revision())
            .then(|| K::cache(shelf).get(key))
            .flatten()
    }

    fn keep<K: Based>(&self, key: K, kept: Kept) {
        if let Some(shelf) = self.shelf(key.basis()) {
            if shelf.keepable(key.basis().revision(), &kept) {
                K::cache(shelf).insert(key, kept);
            }
        }
    }

    /// What is kept under `key`, else under the same key on the index answering now.
    fn find_either<K: Based>(
        &self,
        key: &K,
        index: impl FnOnce() -> Option<u64>,
    ) -> Option<(Basis, Kept)> {
        if let Some(kept) = self.kept(key) {
            return Some((key.basis(), kept));
        }
        let key = key.on(Basis::Index(index()?));
        self.kept(&key).map(|kept| (key.basis(), kept))
    }
}

/// A key whose basis can be swapped: looked up under the store's revision, then the index's;
/// each kind of key has its own cache on a shelf.
trait Based: Sized + std::hash::Hash + Eq + Send + Sync + 'static {
    fn basis(&self) -> Basis;
    fn on(&self, basis: Basis) -> Self;
    fn cache(shelf: &Shelf) -> &moka::sync::Cache<Self, Kept>;
}

/// `Based` for a key type with a `basis` field, kept on the shelf's `$cache`.
macro_rules! based {
    ($($key:ty => $cache:ident),*) => {$(
        impl Based for $key {
            fn basis(&self) -> Basis {
                self.basis
            }

            fn on(&self, basis: Basis) -> Self {
                Self {
                    basis,
                    ..self.clone()
                }
            }

            fn cache(shelf: &Shelf) -> &moka::sync::Cache<Self, Kept> {
                &shelf.$cache
            }
        }
    )*};
}

based!(Key => parsed, RawKey => raw);

fn weight(bytes: usize) -> u32 {
    u32::try_from(bytes).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(revision: u64, query: &str) -> Key {
        Key {
            basis: Basis::Store(revision),
            day: chrono::NaiveDate::default(),
            query: query.to_owned(),
            operation: None,
            variables: "{}".to_owned(),
        }
    }

    fn raw(revision: u64, body: &'static str) -> RawKey {
        RawKey {
            basis: Basis::Store(revision),
            day: chrono::NaiveDate::default(),
            get: false,
            graphql_response: false,
            request: Bytes::from_static(body.as_bytes()),
        }
    }

    fn kept(revision: u64, body: &'static str) -> Kept {
        Kept::new(Basis::Store(revision), Bytes::from_static(body.as_bytes()))
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
        let tag = one.etag.to_str().unwrap();
        assert!(tag.starts_with("\"r3-") && tag.ends_with('"'));
        assert_ne!(one.etag, kept(3, "two").etag);
        assert!(one.matches(tag));
        assert!(one.matches(&format!("\"x\", W/{tag}")));
        assert!(one.matches("*"));
        assert!(!one.matches("\"r3-0000000000000000\""));
    }

    #[test]
    fn answers_of_the_index_outlive_store_revisions_but_not_the_index() {
        let responses = Responses::new(1024 * 1024);
        let at_index_4 = Key {
            basis: Basis::Index(4),
            ..key(4, "{ peers }")
        };
        responses.put(
            at_index_4,
            Kept::new(Basis::Index(4), Bytes::from_static(b"peers")),
        );
        // The store moved to 6, the index answering is still 4: found under the index.
        let (basis, found) = responses.find(&key(6, "{ peers }"), || Some(4)).unwrap();
        assert_eq!(basis, Basis::Index(4));
        assert_eq!(found.body, "peers");
        assert!(found.etag.to_str().unwrap().starts_with("\"i4-"));
        // An answer that read the store is not found under the index.
        responses.put(key(6, "{ store }"), kept(6, "store"));
        assert!(responses.find(&key(7, "{ store }"), || Some(4)).is_none());
        // A newer index drops the answers of the older one.
        assert!(responses.find(&key(7, "{ peers }"), || Some(7)).is_none());
        assert!(responses.find(&key(7, "{ peers }"), || Some(4)).is_none());
        // No index answering without a wait: nothing from the index.
        assert!(responses.find(&key(8, "{ peers }"), || None).is_none());
    }

    #[test]
    fn a_zero_capacity_keeps_nothing() {
        let responses = Responses::new(0);
        assert!(!responses.enabled());
        responses.put(key(1, "{ a }"), kept(1, "one"));
        assert!(responses.get(&key(1, "{ a }")).is_none());
    }
}
