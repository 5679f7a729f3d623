//! What resolvers take from the request context: the store and the batching loader.

use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::Context;

use super::error::{ApiError, ApiResult};
use super::loaders::StoreLoader;
use crate::store::{Store, StoreError};

/// The store the schema was built on.
pub fn store<'a>(ctx: &Context<'a>) -> &'a Arc<dyn Store> {
    ctx.data_unchecked::<Arc<dyn Store>>()
}

/// Loads one value through the batching loader.
pub async fn load<K>(
    ctx: &Context<'_>,
    key: K,
) -> ApiResult<Option<<StoreLoader as Loader<K>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    StoreLoader: Loader<K, Error = Arc<StoreError>>,
{
    ctx.data_unchecked::<DataLoader<StoreLoader>>()
        .load_one(key)
        .await
        .map_err(ApiError::from)
}

/// Loads many values through the batching loader, in the order of `keys`, skipping unknown ones.
pub async fn load_many<K>(
    ctx: &Context<'_>,
    keys: impl IntoIterator<Item = K>,
) -> ApiResult<Vec<<StoreLoader as Loader<K>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    StoreLoader: Loader<K, Error = Arc<StoreError>>,
    <StoreLoader as Loader<K>>::Value: Clone,
{
    let keys: Vec<K> = keys.into_iter().collect();
    let mut found = ctx
        .data_unchecked::<DataLoader<StoreLoader>>()
        .load_many(keys.iter().cloned())
        .await
        .map_err(ApiError::from)?;
    Ok(keys.iter().filter_map(|k| found.remove(k)).collect())
}
