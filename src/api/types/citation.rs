//! Where a fact comes from (`Citation`), and the sources and citations of any node.

use super::SourceNode;
use crate::api::context::{linked, linked_all, load, related};
use crate::api::error::ApiResult;
use crate::api::loaders::{CitationsOf, CitedBy};
use crate::domain::{self, NodeId};
use async_graphql::{Context, Object};

pub(super) async fn sources_of(
    ctx: &Context<'_>,
    id: impl Into<NodeId>,
) -> ApiResult<Vec<SourceNode>> {
    let ids = load(ctx, CitedBy(id.into())).await?.unwrap_or_default();
    linked_all(ctx, &ids, SourceNode).await
}

pub(super) async fn citations_of(
    ctx: &Context<'_>,
    id: impl Into<NodeId>,
) -> ApiResult<Vec<CitationNode>> {
    related(ctx, CitationsOf(id.into()), |_| true, CitationNode).await
}

/// Where a fact comes from: a source, and the file and record in it.
pub struct CitationNode(pub domain::Citation);

#[Object(name = "Citation")]
impl CitationNode {
    /// The source cited.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Option<SourceNode>> {
        linked(ctx, &self.0.source, SourceNode).await
    }
    /// The dataset file and record (`sill/sill-api-2022-03/software.csv#ID=67`), when known;
    /// for matched records it also shows the match (`... (agency_name "CD38" → ...)`).
    async fn locator(&self) -> Option<&str> {
        self.0.locator.as_deref()
    }
}
