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
    Adoption, AdoptionId, Collectivity, CollectivityId, Contribution, ContributionId, Need, NeedId,
    Outcome, OutcomeId, Publisher, PublisherId, Solution, SolutionId, Source, SourceId,
};
use crate::store::Page;

/// The value a loader gives for key `K`.
pub type Value<K> = <StoreLoader as Loader<K>>::Value;

/// One kind of entry: key `K` read at a store revision, and what the store had for it (`None`:
/// nothing, which is as worth keeping: a node without outcomes is asked for its outcomes too).
type Shelf<K> = Cache<(u64, K), Option<Value<K>>>;

/// Most rows of each kind kept by default: a node is a row, a relation or a page weighs as many
/// rows as it holds. Sized so that all shelves together stay within a few tens of megabytes at
/// national scale (a collectivity or an adoption is a few hundred bytes, a solution about two
/// kilobytes), whatever pages or filters clients ask for.
pub const DEFAULT_ENTRIES: u64 = 10_000;

/// How many rows a kept value weighs: one for a node, its length for a relation or a page (at
/// least one: an empty list costs its key).
pub trait Rows {
    /// The rows it holds.
    fn rows(&self) -> usize;
}

macro_rules! one_row {
    ($($node:ty),*) => {$(
        impl Rows for $node {
            fn rows(&self) -> usize {
                1
            }
        }
    )*};
}

one_row!(
    Need,
    Publisher,
    Solution,
    Collectivity,
    Adoption,
    Outcome,
    Source,
    Contribution
);

impl<T> Rows for Vec<T> {
    fn rows(&self) -> usize {
        self.len().max(1)
    }
}

impl<T> Rows for Page<T> {
    fn rows(&self) -> usize {
        self.items.len().max(1)
    }
}

/// A shelf of at most `rows` rows.
fn shelf<K: Shelved>(rows: u64) -> Shelf<K>
where
    StoreLoader: Loader<K>,
    Value<K>: Rows,
{
    Cache::builder()
        .max_capacity(rows)
        .weigher(|_, value: &Option<Value<K>>| {
            value
                .as_ref()
                .map_or(1, |v| u32::try_from(v.rows()).unwrap_or(u32::MAX))
        })
        .build()
}

macro_rules! shelves {
    ($($field:ident: $key:ty;)*) => {
        /// The kept nodes and relations, one shelf per kind of key.
        pub struct NodeCache {
            /// The newest revision an entry was asked at (older entries are dropped).
            revision: AtomicU64,
            enabled: bool,
            $($field: Shelf<$key>,)*
        }

        impl NodeCache {
            /// A cache keeping at most `entries` rows of each kind (`0`: keeps nothing).
            pub fn new(entries: u64) -> Self {
                Self {
                    revision: AtomicU64::new(0),
                    enabled: entries > 0,
                    $($field: shelf(entries),)*
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
    needs: NeedId;
    publishers: PublisherId;
    solutions: SolutionId;
    collectivities: CollectivityId;
    adoptions: AdoptionId;
    outcomes: OutcomeId;
    sources: SourceId;
    contributions: ContributionId;
    outcomes_of: OutcomesOf;
    cited_by: CitedBy;
    citations_of: CitationsOf;
    alternatives_of: AlternativesOf;
    narrower_of: NarrowerOf;
    adoption_pages: AdoptionsPage;
    solution_pages: SolutionsPage;
    contributions_by: ContributionsBy;
    contributions_to: ContributionsTo;
}

/// A loader key whose values may be kept, and where.
pub trait Shelved: Clone + Eq + Hash + Send + Sync + 'static
where
    StoreLoader: Loader<Self>,
{
    /// Its shelf, `None` when its values are never kept.
    fn shelf(cache: &NodeCache) -> Option<&Shelf<Self>>;
}

/// Citation counts are not kept: one grouped count per source page, cheap to ask again.
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
    fn a_relation_weighs_its_rows() {
        let cache = NodeCache::new(10);
        let key = CitedBy(crate::domain::NodeId::parse("solution:a").unwrap());
        let source = SourceId::parse("source:a").unwrap();
        // Eleven rows do not fit in a shelf of ten; a value of three does.
        let big = HashMap::from([(key.clone(), vec![source.clone(); 11])]);
        cache.keep(1, std::slice::from_ref(&key), &big);
        cache.cited_by.run_pending_tasks();
        assert!(cache.find(1, vec![key.clone()]).0.is_empty());
        let small = HashMap::from([(key.clone(), vec![source; 3])]);
        cache.keep(1, std::slice::from_ref(&key), &small);
        cache.cited_by.run_pending_tasks();
        assert_eq!(cache.find(1, vec![key.clone()]).0[&key].len(), 3);
        assert_eq!(cache.cited_by.weighted_size(), 3);
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
