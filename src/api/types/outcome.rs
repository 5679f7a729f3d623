//! `Outcome`: how an adoption went.

use super::citation::{citations_of, sources_of};
use super::figure::figures;
use super::{AdoptionNode, CitationNode, FigureNode, SourceNode, Text};
use crate::api::context::load;
use crate::api::enums::OutcomeKind;
use crate::api::error::ApiResult;
use crate::domain;
use crate::store::{self as st};
use async_graphql::{Context, Object, ID};

/// How an adoption went.
#[derive(Clone)]
pub struct OutcomeNode(pub domain::Outcome);

#[Object(name = "Outcome")]
impl OutcomeNode {
    /// Its version: pass it as `expectedVersion` when updating it (changes with every edit).
    async fn version(&self) -> String {
        st::version_of(&self.0)
    }
    /// Its id.
    pub(crate) async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The adoption it is the outcome of.
    async fn adoption(&self, ctx: &Context<'_>) -> ApiResult<Option<AdoptionNode>> {
        Ok(load(ctx, self.0.adoption.clone()).await?.map(AdoptionNode))
    }
    /// What happened.
    async fn kind(&self) -> OutcomeKind {
        self.0.kind.into()
    }
    /// When.
    async fn date(&self) -> Option<String> {
        self.0.date.map(|d| d.to_string())
    }
    /// A short summary.
    async fn summary(&self) -> Text {
        Text(self.0.summary.clone())
    }
    /// Figures, where known.
    async fn figures(&self) -> Vec<FigureNode> {
        figures(&self.0.figures)
    }
    /// When it was retired (`YYYY-MM-DD`); null while it stands. A retired outcome stays
    /// readable (by id, in history) but no longer counts as evidence and is left out of
    /// `Adoption.outcomes` and of outcome filters.
    async fn retired(&self) -> Option<String> {
        self.0.retired.map(|d| d.to_string())
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
