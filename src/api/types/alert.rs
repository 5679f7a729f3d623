//! Release-watch alerts for a collectivity (`Alert`).

use super::{CollectivityNode, SolutionNode};
use crate::api::context::linked;
use crate::api::error::ApiResult;
use crate::domain;
use async_graphql::{Context, Enum, Object};

/// What an alert is about.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::AlertKind")]
pub enum AlertKind {
    /// A new release of a solution the collectivity runs.
    NewRelease,
    /// A release cycle it runs reaches its end of life soon.
    EolSoon,
    /// A release cycle it runs has reached its end of life.
    EolReached,
}

/// Something a collectivity running a solution should know.
pub struct AlertNode(pub domain::Alert);

#[Object(name = "Alert", cache_control(no_cache))]
impl AlertNode {
    /// What kind of news.
    async fn kind(&self) -> AlertKind {
        self.0.kind.into()
    }
    /// When it happened or will happen (`YYYY-MM-DD`).
    async fn date(&self) -> Option<String> {
        self.0.date.map(|d| d.to_string())
    }
    /// The release version or the release cycle concerned.
    async fn version(&self) -> &str {
        &self.0.version
    }
    /// A page to read more.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// One line for a person, in English.
    async fn message(&self) -> &str {
        &self.0.message
    }
    /// The solution concerned.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        linked(ctx, &self.0.solution, SolutionNode).await
    }
    /// The collectivity alerted.
    async fn collectivity(&self, ctx: &Context<'_>) -> ApiResult<Option<CollectivityNode>> {
        linked(ctx, &self.0.collectivity, CollectivityNode).await
    }
}
