//! Nodes and relations read for anonymous requests, kept per store revision.
//!
//! A kept answer (see `http::responses`) serves a request repeated to the byte; this serves the
//! parts: a request that reads a node an earlier one read at the same store revision takes it
//! from here, without waiting for the batching loader's delay or asking the store. An entry is
//! keyed by the revision it was read at, so a write (which moves the revision) makes every
//! entry unreachable at once; entries of older revisions are then dropped.
//!
//! Only anonymous readers whose request's revision is known (the HTTP layer's remembered one)
//! use it: a token holder reads the store, and so reads its own writes.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};

use async_graphql::dataloader::Loader;
use moka::sync::Cache;

use super::loaders::{
    AdoptionsPage, AlternativesOf, CitationCount, CitationsOf, CitedBy, ContributionsBy,
    ContributionsTo, NarrowerOf, OutcomesOf, SolutionsPage, StoreLoader,
};
use crate::domain::{
    AdoptionId, CollectivityId, ContributionId, NeedId, OutcomeId, PublisherId, SolutionId,
    SourceId,
};

/// The value a loader gives for key `K`.
pub type Value<K> = <StoreLoader as Loader<K>>::Value;

/// One kind of entry: key `K` read at a store revision, and what the store had for it (`None`:
/// nothing, which is as worth keeping: a node without outcomes is asked for its outcomes too).
type Shelf<K> = Cache<(u64, K), Option<Value<K>>>;

/// Most entries of each kind by default. Sized so that all of them together stay within a few
/// tens of megabytes at national scale (a collectivity or an adoption is a few hundred bytes).
pub const DEFAULT_ENTRIES: u64 = 20_000;
/// A page (of a parent's adoptions, of a need's solutions) holds up to 100 rows: a tenth as
/// many of them are kept.
const PAGE: u64 = 10;

macro_rules! shelves {
    ($($field:ident: $key:ty, $per:expr;)*) => {
        /// The kept nodes and relations, one shelf per kind of key.
        pub struct NodeCache {
            /// The newest revision an entry was asked at (older entries are dropped).
            revision: AtomicU64,
            enabled: bool,
            $($field: Shelf<$key>,)*
        }

        impl NodeCache {
            /// A cache keeping at most `entries` of each kind of node (`0`: keeps nothing).
            pub fn new(entries: u64) -> Self {
                Self {
                    revision: AtomicU64::new(0),
                    enabled: entries > 0,
                    $($field: Cache::new(entries / $per),)*
                }
            }

            fn drop_all(&self) {
                $(self.$field.invalidate_all();)*
            }
        }

        $(impl Shelved for $key {
            fn shelf(cache: &NodeCache) -> Option<&Shelf<Self>> {
                Some(&cache.$field)
            }
        })*
    };
}

shelves! {
    needs: NeedId, 1;
    publishers: PublisherId, 1;
    solutions: SolutionId, 1;
    collectivities: CollectivityId, 1;
    adoptions: AdoptionId, 1;
    outcomes: OutcomeId, 1;
    sources: SourceId, 1;
    contributions: ContributionId, 1;
    outcomes_of: OutcomesOf, 1;
    cited_by: CitedBy, 1;
    citations_of: CitationsOf, 1;
    alternatives_of: AlternativesOf, 1;
    narrower_of: NarrowerOf, 1;
    adoption_pages: AdoptionsPage, PAGE;
    solution_pages: SolutionsPage, PAGE;
    contributions_by: ContributionsBy, 1;
    contributions_to: ContributionsTo, 1;
}

/// A loader key whose values may be kept, and where.
pub trait Shelved: Clone + Eq + Hash + Send + Sync + 'static
where
    StoreLoader: Loader<Self>,
{
    /// Its shelf, `None` when its values are never kept.
    fn shelf(cache: &NodeCache) -> Option<&Shelf<Self>>;
}

/// Citation counts change with any citation anywhere: never kept.
impl Shelved for CitationCount {
    fn shelf(_: &NodeCache) -> Option<&Shelf<Self>> {
        None
    }
}

impl NodeCache {
    /// The shelf for `K` at `revision`, when kept values may be read and kept there: `None`
    /// when disabled, for unkept kinds and for a revision older than the newest asked for.
    fn shelf_at<K: Shelved>(&self, revision: u64) -> Option<&Shelf<K>>
    where
        StoreLoader: Loader<K>,
    {
        if !self.enabled {
            return None;
        }
        let newest = self.revision.fetch_max(revision, Ordering::AcqRel);
        if revision < newest {
            return None;
        }
        if revision > newest {
            self.drop_all();
        }
        K::shelf(self)
    }

    /// The kept values of `keys` at `revision` (a key kept as having none is in neither list),
    /// and the keys not kept.
    pub fn find<K: Shelved>(&self, revision: u64, keys: Vec<K>) -> (HashMap<K, Value<K>>, Vec<K>)
    where
        StoreLoader: Loader<K>,
    {
        let Some(shelf) = self.shelf_at::<K>(revision) else {
            return (HashMap::new(), keys);
        };
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for key in keys {
            match shelf.get(&(revision, key.clone())) {
                Some(Some(value)) => {
                    found.insert(key, value);
                }
                Some(None) => {}
                None => missing.push(key),
            }
        }
        (found, missing)
    }

    /// Keeps what was read for `asked` at `revision` (or later: a store read never sees an
    /// older state): the values `loaded`, and the absence of the others.
    pub fn keep<K: Shelved>(&self, revision: u64, asked: &[K], loaded: &HashMap<K, Value<K>>)
    where
        StoreLoader: Loader<K>,
    {
        if let Some(shelf) = self.shelf_at::<K>(revision) {
            for key in asked {
                shelf.insert((revision, key.clone()), loaded.get(key).cloned());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::NeedId;

    fn need(id: &str) -> NeedId {
        NeedId::parse(id).unwrap()
    }

    #[test]
    fn a_kept_node_is_found_at_its_revision_only() {
        let cache = NodeCache::new(10);
        let id = need("need:office");
        let (found, missing) = cache.find(3, vec![id.clone()]);
        assert!(found.is_empty());
        assert_eq!(missing, vec![id.clone()]);
        // The need was asked for and not found: its absence is kept too.
        cache.keep(3, std::slice::from_ref(&id), &HashMap::new());
        let (found, missing) = cache.find(3, vec![id.clone()]);
        assert!(found.is_empty() && missing.is_empty());
        let key = OutcomesOf(crate::domain::AdoptionId::parse("adoption:a").unwrap());
        let loaded = HashMap::from([(key.clone(), Vec::new())]);
        cache.keep(3, std::slice::from_ref(&key), &loaded);
        let (found, missing) = cache.find(3, vec![key.clone()]);
        assert_eq!(found.get(&key), Some(&Vec::new()));
        assert!(missing.is_empty());
        // A write moved the store on: the entry is no longer served.
        let (found, missing) = cache.find(4, vec![key.clone()]);
        assert!(found.is_empty());
        assert_eq!(missing, vec![key.clone()]);
        // A request that arrived before the write neither reads nor keeps anything.
        cache.keep(3, std::slice::from_ref(&key), &loaded);
        let (found, _) = cache.find(3, vec![key.clone()]);
        assert!(found.is_empty());
    }

    #[test]
    fn a_disabled_cache_keeps_nothing() {
        let cache = NodeCache::new(0);
        let key = OutcomesOf(crate::domain::AdoptionId::parse("adoption:a").unwrap());
        cache.keep(
            1,
            std::slice::from_ref(&key),
            &HashMap::from([(key.clone(), Vec::new())]),
        );
        let (found, missing) = cache.find(1, vec![key.clone()]);
        assert!(found.is_empty());
        assert_eq!(missing, vec![key]);
    }
}
