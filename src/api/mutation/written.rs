//! The node kinds a mutation writes one at a time: where one goes in a batch, how it is read
//! back by id, and how it is retired; and the writes built on them.

use async_graphql::Context;
use async_trait::async_trait;
use std::fmt::Display;

use super::write::{citations, commit, existing, found, same_node, today, Meta};
use crate::api::context::store;
use crate::api::error::ApiResult;
use crate::domain::{
    self, AdoptionId, Batch, ChangeAction, CollectivityId, EntityKind, NeedId, NodeId, OutcomeId,
    PartialDate, PublisherId, SolutionId, SourceId, TokenId, ValidationError,
};
use crate::store::{Store, StoreResult};

/// A node kind a mutation writes alone.
#[async_trait]
pub(super) trait Written: Sized + Send {
    /// The kind of its ids.
    const KIND: EntityKind;
    /// Its id type.
    type Id: Clone + Display + Into<NodeId> + Send + Sync;
    /// Reads an id of this kind.
    fn parse(id: &str) -> Result<Self::Id, ValidationError>;
    /// Its id.
    fn id(&self) -> &Self::Id;
    /// A batch that holds it alone.
    fn batch(self) -> Batch;
    /// Reads nodes of this kind by id.
    async fn read(store: &dyn Store, ids: Vec<Self::Id>) -> StoreResult<Vec<Self>>;
}

/// Implements [`Written`] for domain types, each with its id type, its kind and the name of
/// both its batch field and the store read by ids.
macro_rules! written {
    ($($node:ident($id:ident, $kind:ident) in $slot:ident;)*) => {$(
        #[async_trait]
        impl Written for domain::$node {
            const KIND: EntityKind = EntityKind::$kind;
            type Id = $id;

            fn parse(id: &str) -> Result<$id, ValidationError> {
                $id::parse(id)
            }

            fn id(&self) -> &$id {
                &self.id
            }

            fn batch(self) -> Batch {
                Batch {
                    $slot: vec![self],
                    ..Batch::default()
                }
            }

            async fn read(store: &dyn Store, ids: Vec<$id>) -> StoreResult<Vec<Self>> {
                store.$slot(ids).await
            }
        }
    )*};
}

written! {
    Adoption(AdoptionId, Adoption) in adoptions;
    Need(NeedId, Need) in needs;
    Publisher(PublisherId, Publisher) in publishers;
    Solution(SolutionId, Solution) in solutions;
    Collectivity(CollectivityId, Collectivity) in collectivities;
    Outcome(OutcomeId, Outcome) in outcomes;
    Source(SourceId, Source) in sources;
}

/// A node kind that is retired rather than deleted: it stays, marked with the day.
pub(super) trait Retirable {
    /// The day it was retired, if it was.
    fn retired(&self) -> Option<PartialDate>;
    /// Marks it retired on `day`.
    fn retire_on(&mut self, day: PartialDate);
}

/// Implements [`Retirable`] for domain types with a `retired` day.
macro_rules! retirable {
    ($($node:ident),*) => {$(
        impl Retirable for domain::$node {
            fn retired(&self) -> Option<PartialDate> {
                self.retired
            }

            fn retire_on(&mut self, day: PartialDate) {
                self.retired = Some(day);
            }
        }
    )*};
}

retirable!(Need, Outcome, Source, WatchSource);

/// The node `id`, or NOT_FOUND.
pub(super) async fn stored<T: Written>(ctx: &Context<'_>, id: &T::Id) -> ApiResult<T> {
    existing(T::read(store(ctx).as_ref(), vec![id.clone()]).await?, id)
}

/// Writes `node`, cited by `sources`, in one versioned store write (a replayed idempotency
/// key must have written this very node), and reads it back as `wrap` makes it.
pub(super) async fn write_node<T: Written, N>(
    ctx: &Context<'_>,
    node: T,
    sources: Vec<SourceId>,
    meta: Meta,
    wrap: fn(T) -> N,
) -> ApiResult<N> {
    let id = node.id().clone();
    let subject: NodeId = id.clone().into();
    let batch = Batch {
        citations: citations(&subject, sources),
        ..node.batch()
    };
    let receipt = commit(ctx, subject.clone(), batch, meta).await?;
    same_node(receipt.replayed, &receipt.node, &subject)?;
    found(T::read(store(ctx).as_ref(), vec![id]).await?, wrap)
}

/// Marks `node` retired today, unless it already is: retiring again changes nothing.
pub(super) fn mark_retired(node: &mut impl Retirable) -> ApiResult<()> {
    if node.retired().is_none() {
        node.retire_on(today()?);
    }
    Ok(())
}

/// Retires `node` in a change read at `expected_version`, and reads it back.
pub(super) async fn retire<T: Written + Retirable, N>(
    ctx: &Context<'_>,
    mut node: T,
    author: TokenId,
    expected_version: String,
    comment: Option<String>,
    wrap: fn(T) -> N,
) -> ApiResult<N> {
    mark_retired(&mut node)?;
    let meta = Meta::change(author, ChangeAction::Retire, expected_version, comment)?;
    write_node(ctx, node, Vec::new(), meta, wrap).await
}

/// The referenced nodes of kind `T` that are retired, by id.
pub(super) async fn retired_among<T: Written + Retirable>(
    ctx: &Context<'_>,
    refs: &[(&str, NodeId)],
) -> ApiResult<Vec<String>> {
    let ids: Vec<T::Id> = refs
        .iter()
        .filter(|(_, id)| id.kind() == T::KIND)
        .filter_map(|(_, id)| T::parse(id.as_str()).ok())
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found = T::read(store(ctx).as_ref(), ids).await?;
    Ok(found
        .into_iter()
        .filter(|n| n.retired().is_some())
        .map(|n| n.id().to_string())
        .collect())
}
