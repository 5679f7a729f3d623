//! Batching: every relation a resolver follows goes through one of these loaders, so a nested
//! query makes one store call per relation and level, not one per row.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::dataloader::Loader;

use crate::domain::{
    Adoption, AdoptionId, Alternative, Collectivity, CollectivityId, Contribution, ContributionId,
    Need, NeedId, NodeId, Outcome, OutcomeId, Publisher, PublisherId, Solution, SolutionId, Source,
    SourceId,
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

by_id_loader!(NeedId, Need, needs);
by_id_loader!(PublisherId, Publisher, publishers);
by_id_loader!(SolutionId, Solution, solutions);
by_id_loader!(CollectivityId, Collectivity, collectivities);
by_id_loader!(AdoptionId, Adoption, adoptions);
by_id_loader!(OutcomeId, Outcome, outcomes);
by_id_loader!(SourceId, Source, sources);
by_id_loader!(ContributionId, Contribution, contributions);

/// The outcomes of an adoption.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OutcomesOf(pub AdoptionId);

impl Loader<OutcomesOf> for StoreLoader {
    type Value = Vec<Outcome>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[OutcomesOf]) -> LoadResult<OutcomesOf, Vec<Outcome>> {
        let ids = keys.iter().map(|k| k.0.clone()).collect();
        let found = self.store.outcomes_of(ids).await.map_err(Arc::new)?;
        Ok(grouped(
            found
                .into_iter()
                .map(|o| (OutcomesOf(o.adoption.clone()), o)),
        ))
    }
}

/// The sources cited for a node.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CitedBy(pub NodeId);

impl Loader<CitedBy> for StoreLoader {
    type Value = Vec<SourceId>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[CitedBy]) -> LoadResult<CitedBy, Vec<SourceId>> {
        let ids = keys.iter().map(|k| k.0.clone()).collect();
        let found = self.store.citations_of(ids).await.map_err(Arc::new)?;
        Ok(grouped(
            found.into_iter().map(|c| (CitedBy(c.subject), c.source)),
        ))
    }
}

/// The citations of a node, with their locators.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CitationsOf(pub NodeId);

impl Loader<CitationsOf> for StoreLoader {
    type Value = Vec<crate::domain::Citation>;
    type Error = Arc<StoreError>;

    async fn load(
        &self,
        keys: &[CitationsOf],
    ) -> LoadResult<CitationsOf, Vec<crate::domain::Citation>> {
        let ids = keys.iter().map(|k| k.0.clone()).collect();
        let found = self.store.citations_of(ids).await.map_err(Arc::new)?;
        Ok(grouped(
            found
                .into_iter()
                .map(|c| (CitationsOf(c.subject.clone()), c)),
        ))
    }
}

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

/// The needs directly narrower than a need.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NarrowerOf(pub NeedId);

impl Loader<NarrowerOf> for StoreLoader {
    type Value = Vec<Need>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[NarrowerOf]) -> LoadResult<NarrowerOf, Vec<Need>> {
        let ids = keys.iter().map(|k| k.0.clone()).collect();
        let found = self.store.narrower_needs(ids).await.map_err(Arc::new)?;
        Ok(grouped(found.into_iter().map(|(b, n)| (NarrowerOf(b), n))))
    }
}

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
        let groups = grouped(
            keys.iter()
                .map(|k| ((k.parent, k.filter.clone(), k.sort, k.first), k.id.clone())),
        );
        let mut out = HashMap::new();
        for ((parent, filter, sort, first), ids) in groups {
            let pages = self
                .store
                .adoptions_by_parent(parent, ids.clone(), filter.clone(), sort, first)
                .await
                .map_err(Arc::new)?;
            let mut pages: HashMap<String, Page<Adoption>> = pages.into_iter().collect();
            for id in ids {
                let page = pages.remove(&id).unwrap_or_else(Page::empty);
                let key = AdoptionsPage {
                    parent,
                    id,
                    filter: filter.clone(),
                    sort,
                    first,
                };
                out.insert(key, page);
            }
        }
        Ok(out)
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
        let groups = grouped(
            keys.iter()
                .map(|k| ((k.filter.clone(), k.sort, k.first), k.need.clone())),
        );
        let mut out = HashMap::new();
        for ((filter, sort, first), needs) in groups {
            let pages = self
                .store
                .solutions_by_need(needs.clone(), filter.clone(), sort, first)
                .await
                .map_err(Arc::new)?;
            let mut pages: HashMap<NeedId, Page<Solution>> = pages.into_iter().collect();
            for need in needs {
                let page = pages.remove(&need).unwrap_or_else(Page::empty);
                let key = SolutionsPage {
                    need,
                    filter: filter.clone(),
                    sort,
                    first,
                };
                out.insert(key, page);
            }
        }
        Ok(out)
    }
}

/// The contributions a collectivity made.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContributionsBy(pub CollectivityId);

impl Loader<ContributionsBy> for StoreLoader {
    type Value = Vec<Contribution>;
    type Error = Arc<StoreError>;

    async fn load(
        &self,
        keys: &[ContributionsBy],
    ) -> LoadResult<ContributionsBy, Vec<Contribution>> {
        let ids = keys.iter().map(|k| k.0.clone()).collect();
        let found = self
            .store
            .contributions_for(ids, Vec::new())
            .await
            .map_err(Arc::new)?;
        Ok(grouped(
            found
                .into_iter()
                .map(|c| (ContributionsBy(c.collectivity.clone()), c)),
        ))
    }
}

/// The contributions made to a solution.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContributionsTo(pub SolutionId);

impl Loader<ContributionsTo> for StoreLoader {
    type Value = Vec<Contribution>;
    type Error = Arc<StoreError>;

    async fn load(
        &self,
        keys: &[ContributionsTo],
    ) -> LoadResult<ContributionsTo, Vec<Contribution>> {
        let ids = keys.iter().map(|k| k.0.clone()).collect();
        let found = self
            .store
            .contributions_for(Vec::new(), ids)
            .await
            .map_err(Arc::new)?;
        Ok(grouped(found.into_iter().filter_map(|c| {
            c.solution.clone().map(|s| (ContributionsTo(s), c))
        })))
    }
}
