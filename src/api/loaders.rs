//! Batching: every relation a resolver follows goes through one of these loaders, so a nested
//! query makes one store call per relation and level, not one per row.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::dataloader::Loader;

use crate::domain::{
    Adoption, AdoptionId, Alternative, Citation, Collectivity, CollectivityId, Contribution,
    ContributionId, Need, NeedId, NodeId, Outcome, OutcomeId, Publisher, PublisherId, Solution,
    SolutionId, Source, SourceId,
};
use crate::store::{
    AdoptionFilter, AdoptionParent, AdoptionSort, Page, SolutionFilter, SolutionSort, Store,
    StoreError,
};

/// The loader behind every relation, over one store.
pub struct StoreLoader {
    store: Arc<dyn Store>,
}

impl StoreLoader {
    /// A loader over `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }
}

type LoadResult<K, V> = Result<HashMap<K, V>, Arc<StoreError>>;

fn by_key<K: Eq + Hash, V>(items: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, V> {
    items.into_iter().map(|v| (key(&v), v)).collect()
}

fn grouped<K: Eq + Hash, V>(pairs: impl IntoIterator<Item = (K, V)>) -> HashMap<K, Vec<V>> {
    let mut map: HashMap<K, Vec<V>> = HashMap::new();
    for (k, v) in pairs {
        map.entry(k).or_default().push(v);
    }
    map
}

/// The first pages of many parents' lists, read in one store call per group of keys that ask
/// the same thing (filter, order, page size) of different parents: `split` parts a key into
/// what it asks and its parent, `fetch` reads a group's pages, `join` makes a key again. A
/// parent the store answered nothing for gets an empty page.
async fn first_pages<K, Q, P, T, Fut>(
    keys: &[K],
    split: impl Fn(&K) -> (Q, P),
    fetch: impl Fn(Q, Vec<P>) -> Fut,
    join: impl Fn(Q, P) -> K,
) -> LoadResult<K, Page<T>>
where
    K: Eq + Hash,
    Q: Eq + Hash + Clone,
    P: Eq + Hash + Clone,
    Fut: Future<Output = Result<Vec<(P, Page<T>)>, StoreError>>,
{
    let mut out = HashMap::new();
    for (asked, parents) in grouped(keys.iter().map(split)) {
        let pages = fetch(asked.clone(), parents.clone())
            .await
            .map_err(Arc::new)?;
        let mut pages: HashMap<P, Page<T>> = pages.into_iter().collect();
        for parent in parents {
            let page = pages.remove(&parent).unwrap_or_else(Page::empty);
            out.insert(join(asked.clone(), parent), page);
        }
    }
    Ok(out)
}

macro_rules! by_id_loader {
    ($id:ty, $value:ty, $method:ident) => {
        impl Loader<$id> for StoreLoader {
            type Value = $value;
            type Error = Arc<StoreError>;

            async fn load(&self, keys: &[$id]) -> LoadResult<$id, $value> {
                let found = self.store.$method(keys.to_vec()).await.map_err(Arc::new)?;
                Ok(by_key(found, |v| v.id.clone()))
            }
        }
    };
}

/// A loader of what relates to each key: `$fetch` reads it for all the keys at once (`$ids`),
/// `$group` says which key an item belongs to (`None`: to no key asked for).
macro_rules! relation_loader {
    (
        $(#[$doc:meta])*
        $key:ident($id:ty) -> $value:ty,
        |$store:ident, $ids:ident| $fetch:expr,
        |$item:ident| $group:expr
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $key(pub $id);

        impl Loader<$key> for StoreLoader {
            type Value = Vec<$value>;
            type Error = Arc<StoreError>;

            async fn load(&self, keys: &[$key]) -> LoadResult<$key, Vec<$value>> {
                let $ids = keys.iter().map(|k| k.0.clone()).collect();
                let $store = &self.store;
                let found = $fetch.await.map_err(Arc::new)?;
                Ok(grouped(found.into_iter().filter_map(|$item| $group)))
            }
        }
    };
}

by_id_loader!(NeedId, Need, needs);
by_id_loader!(PublisherId, Publisher, publishers);
by_id_loader!(SolutionId, Solution, solutions);
by_id_loader!(CollectivityId, Collectivity, collectivities);
by_id_loader!(AdoptionId, Adoption, adoptions);
by_id_loader!(OutcomeId, Outcome, outcomes);
by_id_loader!(SourceId, Source, sources);
by_id_loader!(ContributionId, Contribution, contributions);

relation_loader!(
    /// The outcomes of an adoption.
    OutcomesOf(AdoptionId) -> Outcome,
    |store, ids| store.outcomes_of(ids),
    |o| Some((OutcomesOf(o.adoption.clone()), o))
);

relation_loader!(
    /// The sources cited for a node.
    CitedBy(NodeId) -> SourceId,
    |store, ids| store.citations_of(ids),
    |c| Some((CitedBy(c.subject), c.source))
);

relation_loader!(
    /// The citations of a node, with their locators.
    CitationsOf(NodeId) -> Citation,
    |store, ids| store.citations_of(ids),
    |c| Some((CitationsOf(c.subject.clone()), c))
);

/// How many nodes cite a source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CitationCount(pub SourceId);

impl Loader<CitationCount> for StoreLoader {
    type Value = u64;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[CitationCount]) -> LoadResult<CitationCount, u64> {
        let ids = keys.iter().map(|k| k.0.clone()).collect();
        let found = self.store.citation_counts(ids).await.map_err(Arc::new)?;
        Ok(found
            .into_iter()
            .map(|(s, n)| (CitationCount(s), n))
            .collect())
    }
}

/// The alternatives a solution takes part in, on either side.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AlternativesOf(pub SolutionId);

impl Loader<AlternativesOf> for StoreLoader {
    type Value = Vec<Alternative>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[AlternativesOf]) -> LoadResult<AlternativesOf, Vec<Alternative>> {
        let ids = keys.iter().map(|k| k.0.clone()).collect();
        let found = self.store.alternatives_of(ids).await.map_err(Arc::new)?;
        let mut map: HashMap<AlternativesOf, Vec<Alternative>> = HashMap::new();
        for a in found {
            for side in [&a.libre, &a.proprietary] {
                let key = AlternativesOf(side.clone());
                if keys.contains(&key) {
                    map.entry(key).or_default().push(a.clone());
                }
            }
        }
        Ok(map)
    }
}

relation_loader!(
    /// The needs directly narrower than a need.
    NarrowerOf(NeedId) -> Need,
    |store, ids| store.narrower_needs(ids),
    |pair| Some((NarrowerOf(pair.0), pair.1))
);

/// The first page of a parent's adoptions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AdoptionsPage {
    /// What the parent is.
    pub parent: AdoptionParent,
    /// The parent's id.
    pub id: String,
    /// The filter (its own parent field unset).
    pub filter: AdoptionFilter,
    /// The order.
    pub sort: AdoptionSort,
    /// The page size.
    pub first: usize,
}

impl Loader<AdoptionsPage> for StoreLoader {
    type Value = Page<Adoption>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[AdoptionsPage]) -> LoadResult<AdoptionsPage, Page<Adoption>> {
        first_pages(
            keys,
            |k| ((k.parent, k.filter.clone(), k.sort, k.first), k.id.clone()),
            |(parent, filter, sort, first), ids| {
                self.store
                    .adoptions_by_parent(parent, ids, filter, sort, first)
            },
            |(parent, filter, sort, first), id| AdoptionsPage {
                parent,
                id,
                filter,
                sort,
                first,
            },
        )
        .await
    }
}

/// The first page of a need's solutions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SolutionsPage {
    /// The need.
    pub need: NeedId,
    /// The filter (its own need field unset).
    pub filter: SolutionFilter,
    /// The order.
    pub sort: SolutionSort,
    /// The page size.
    pub first: usize,
}

impl Loader<SolutionsPage> for StoreLoader {
    type Value = Page<Solution>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[SolutionsPage]) -> LoadResult<SolutionsPage, Page<Solution>> {
        first_pages(
            keys,
            |k| ((k.filter.clone(), k.sort, k.first), k.need.clone()),
            |(filter, sort, first), needs| self.store.solutions_by_need(needs, filter, sort, first),
            |(filter, sort, first), need| SolutionsPage {
                need,
                filter,
                sort,
                first,
            },
        )
        .await
    }
}

relation_loader!(
    /// The contributions a collectivity made.
    ContributionsBy(CollectivityId) -> Contribution,
    |store, ids| store.contributions_for(ids, Vec::new()),
    |c| Some((ContributionsBy(c.collectivity.clone()), c))
);

relation_loader!(
    /// The contributions made to a solution.
    ContributionsTo(SolutionId) -> Contribution,
    |store, ids| store.contributions_for(Vec::new(), ids),
    |c| c.solution.clone().map(|s| (ContributionsTo(s), c))
);
