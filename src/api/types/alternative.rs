//! `Alternative`: a libre solution that can replace a proprietary one.

use super::SolutionNode;
use crate::api::context::load;
use crate::api::enums::{AlternativeKind, Confidence};
use crate::api::error::ApiResult;
use crate::domain;
use async_graphql::{Context, Object};

/// A libre solution that can replace a proprietary one.
#[derive(Clone)]
pub struct AlternativeNode(pub domain::Alternative);

node_object! {
    #[Object(name = "Alternative")]
    impl AlternativeNode {
        version;
        /// Its id (`alternative:libreoffice--microsoft-office`).
        id;
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
        sources;
        citations;
    }
}
