//! `Alternative`: a libre solution that can replace a proprietary one.

use super::citation::{citations_of, sources_of};
use super::{CitationNode, SolutionNode, SourceNode};
use crate::api::context::load;
use crate::api::enums::{AlternativeKind, Confidence};
use crate::api::error::ApiResult;
use crate::domain;
use crate::store::{self as st};
use async_graphql::{Context, Object, ID};

/// A libre solution that can replace a proprietary one.
#[derive(Clone)]
pub struct AlternativeNode(pub domain::Alternative);

#[Object(name = "Alternative")]
impl AlternativeNode {
    /// Its version: pass it as `expectedVersion` when updating it (changes with every edit).
    async fn version(&self) -> String {
        st::version_of(&self.0)
    }
    /// Its id (`alternative:libreoffice--microsoft-office`).
    pub(crate) async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The libre solution.
    async fn libre(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        Ok(load(ctx, self.0.libre.clone()).await?.map(SolutionNode))
    }
    /// The proprietary solution it replaces.
    async fn proprietary(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        Ok(load(ctx, self.0.proprietary.clone())
            .await?
            .map(SolutionNode))
    }
    /// How fully it replaces it.
    async fn confidence(&self) -> Confidence {
        self.0.confidence.into()
    }
    /// What the replaced paid item is.
    async fn kind(&self) -> AlternativeKind {
        self.0.kind.into()
    }
    /// The sources cited for it.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNode>> {
        sources_of(ctx, self.0.id.clone()).await
    }
    /// The sources cited for it, each with the dataset file and record the fact comes from.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationNode>> {
        citations_of(ctx, self.0.id.clone()).await
    }
}
