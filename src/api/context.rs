//! What resolvers take from the request context: the store, the batching loader and the
//! analysis index, each noted in the request's [`Reads`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::Context;

use super::auth::Caller;
use super::error::{ApiError, ApiResult};
use super::inputs::parse_id;
use super::loaders::StoreLoader;
use super::node_cache::{NodeCache, Shelved, Value};
use crate::analysis::{Analysis, Freshness, Index};
use crate::domain::ValidationError;
use crate::store::{Store, StoreError};

/// What a request's resolvers read: the store, and which analysis index. The HTTP layer
/// attaches one to a request and, from it, decides what a kept answer depends on: an answer
/// that read only the index stays true until the index changes, whatever the store does.
#[derive(Debug, Default)]
pub struct Reads {
    store: AtomicBool,
    /// The index's revision plus one; 0 when no index was read, `u64::MAX` when two were.
    index: AtomicU64,
    /// The store's revision when the request arrived, when the HTTP layer read it.
    arrived_at: Option<u64>,
}

impl Reads {
    /// Reads of a request that arrived with the store at `revision`: the analyses then pick
    /// their index without asking the store for its revision again.
    pub fn arrived_at(revision: Option<u64>) -> Self {
        Self {
            arrived_at: revision,
            ..Self::default()
        }
    }

    /// Whether a resolver read the store.
    pub fn read_store(&self) -> bool {
        self.store.load(Ordering::Relaxed)
    }

    /// The revision of the one analysis index read, if exactly one was.
    pub fn read_index(&self) -> Option<u64> {
        match self.index.load(Ordering::Relaxed) {
            0 | u64::MAX => None,
            revision => Some(revision - 1),
        }
    }

    /// Whether several analysis indexes were read (a rebuild ended during the request).
    pub fn read_several_indexes(&self) -> bool {
        self.index.load(Ordering::Relaxed) == u64::MAX
    }

    fn note_store(&self) {
        self.store.store(true, Ordering::Relaxed);
    }

    fn note_index(&self, revision: u64) {
        let mark = revision.saturating_add(1).min(u64::MAX - 1);
        if let Err(seen) =
            self.index
                .compare_exchange(0, mark, Ordering::Relaxed, Ordering::Relaxed)
        {
            if seen != mark {
                self.index.store(u64::MAX, Ordering::Relaxed);
            }
        }
    }
}

fn note_store(ctx: &Context<'_>) {
    if let Some(reads) = ctx.data_opt::<Arc<Reads>>() {
        reads.note_store();
    }
}

/// The store the schema was built on.
pub fn store<'a>(ctx: &Context<'a>) -> &'a Arc<dyn Store> {
    note_store(ctx);
    ctx.data_unchecked::<Arc<dyn Store>>()
}

/// The analysis index answering this request: the store's current revision for a caller with
/// a token (a writer reads its own writes), a recent one for anonymous readers (see
/// [`Freshness`]).
pub async fn index(ctx: &Context<'_>) -> ApiResult<Arc<Index>> {
    let freshness = match ctx.data_opt::<Caller>() {
        Some(Caller::Token(_)) => Freshness::Current,
        _ => Freshness::Recent,
    };
    let analysis = ctx.data_unchecked::<Arc<Analysis>>();
    let reads = ctx.data_opt::<Arc<Reads>>();
    let index = match reads.and_then(|r| r.arrived_at) {
        Some(revision) => analysis.index_at(revision, freshness).await?,
        None => analysis.index_for(freshness).await?,
    };
    if let Some(reads) = reads {
        reads.note_index(index.revision);
    }
    Ok(index)
}

/// Loads one value through the batching loader (or the node cache, see [`load_many`]).
pub async fn load<K>(ctx: &Context<'_>, key: K) -> ApiResult<Option<Value<K>>>
where
    K: Shelved,
    StoreLoader: Loader<K, Error = Arc<StoreError>>,
{
    Ok(load_map(ctx, vec![key]).await?.into_values().next())
}

/// Loads one value through the batching loader by the id a client gave as text, read with
/// `parse` (a bad id is BAD_USER_INPUT), as the API type `wrap` makes of it, or as what that
/// type converts into (a node type into the `Node` interface).
pub async fn load_as<K, N, T>(
    ctx: &Context<'_>,
    id: &str,
    parse: fn(&str) -> Result<K, ValidationError>,
    wrap: fn(<StoreLoader as Loader<K>>::Value) -> N,
) -> ApiResult<Option<T>>
where
    K: Shelved,
    StoreLoader: Loader<K, Error = Arc<StoreError>>,
    N: Into<T>,
{
    let found = load(ctx, parse_id(id, parse)?).await?;
    Ok(found.map(|value| wrap(value).into()))
}

/// The node an id field links to, through the batching loader, as the API type `wrap` makes
/// of it; `None` when nothing has the id.
pub async fn linked<K, N>(
    ctx: &Context<'_>,
    id: &K,
    wrap: fn(<StoreLoader as Loader<K>>::Value) -> N,
) -> ApiResult<Option<N>>
where
    K: Shelved,
    StoreLoader: Loader<K, Error = Arc<StoreError>>,
{
    Ok(load(ctx, id.clone()).await?.map(wrap))
}

/// The node an optional id field links to, as [`linked`]; `None` also when the field is empty.
pub async fn linked_opt<K, N>(
    ctx: &Context<'_>,
    id: &Option<K>,
    wrap: fn(<StoreLoader as Loader<K>>::Value) -> N,
) -> ApiResult<Option<N>>
where
    K: Shelved,
    StoreLoader: Loader<K, Error = Arc<StoreError>>,
{
    match id {
        Some(id) => linked(ctx, id, wrap).await,
        None => Ok(None),
    }
}

/// The nodes a list of ids links to, in its order, skipping unknown ones, through the
/// batching loader, as the API type `wrap` makes of each.
pub async fn linked_all<K, N>(
    ctx: &Context<'_>,
    ids: &[K],
    wrap: fn(<StoreLoader as Loader<K>>::Value) -> N,
) -> ApiResult<Vec<N>>
where
    K: Shelved,
    StoreLoader: Loader<K, Error = Arc<StoreError>>,
{
    let found = load_many(ctx, ids.iter().cloned()).await?;
    Ok(found.into_iter().map(wrap).collect())
}

/// What a relation of a node holds, read through the batching loader (`key` names the
/// relation and the node): the items `keep` keeps, in order, as the API type `wrap` makes of
/// each.
pub async fn related<K, V, N>(
    ctx: &Context<'_>,
    key: K,
    keep: impl Fn(&V) -> bool,
    wrap: fn(V) -> N,
) -> ApiResult<Vec<N>>
where
    K: Shelved,
    StoreLoader: Loader<K, Value = Vec<V>, Error = Arc<StoreError>>,
{
    let found = load(ctx, key).await?.unwrap_or_default();
    Ok(found.into_iter().filter(|v| keep(v)).map(wrap).collect())
}

/// Loads many values through the batching loader, in the order of `keys`, skipping unknown ones.
pub async fn load_many<K>(
    ctx: &Context<'_>,
    keys: impl IntoIterator<Item = K>,
) -> ApiResult<Vec<Value<K>>>
where
    K: Shelved,
    StoreLoader: Loader<K, Error = Arc<StoreError>>,
{
    let keys: Vec<K> = keys.into_iter().collect();
    let mut found = load_map(ctx, keys.clone()).await?;
    Ok(keys.iter().filter_map(|k| found.remove(k)).collect())
}

/// The values of `keys`: for an anonymous request at a known store revision, those an earlier
/// request read at that revision come from the node cache, and the others, read through the
/// batching loader, are kept there.
async fn load_map<K>(ctx: &Context<'_>, keys: Vec<K>) -> ApiResult<HashMap<K, Value<K>>>
where
    K: Shelved,
    StoreLoader: Loader<K, Error = Arc<StoreError>>,
{
    note_store(ctx);
    let cache =
        cacheable_revision(ctx).map(|revision| (ctx.data_unchecked::<Arc<NodeCache>>(), revision));
    let (mut found, missing) = match cache {
        Some((cache, revision)) => cache.find(revision, keys),
        None => (HashMap::new(), keys),
    };
    if missing.is_empty() {
        return Ok(found);
    }
    let loaded = ctx
        .data_unchecked::<Arc<DataLoader<StoreLoader>>>()
        .load_many(missing.iter().cloned())
        .await
        .map_err(ApiError::from)?;
    if let Some((cache, revision)) = cache {
        cache.keep(revision, &missing, &loaded);
    }
    found.extend(loaded);
    Ok(found)
}

/// The store revision an anonymous request arrived at, when the HTTP layer gave it: the
/// revision its cached nodes are read and kept at. `None` for a token holder.
fn cacheable_revision(ctx: &Context<'_>) -> Option<u64> {
    if !matches!(ctx.data_opt::<Caller>(), None | Some(Caller::Anonymous)) {
        return None;
    }
    ctx.data_opt::<Arc<Reads>>()?.arrived_at
}
