//! Where a solution's releases are followed (`WatchSource`) and where its polling stands
//! (`WatchStatus`).

use super::release::time;
use super::SolutionNode;
use crate::api::context::linked;
use crate::api::error::ApiResult;
use crate::domain;
use async_graphql::{Context, Enum, Object, ID};

/// What a watch source speaks.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::WatchKind")]
pub enum WatchKind {
    /// GitHub's releases API.
    Github,
    /// A GitLab host's releases API.
    Gitlab,
    /// An Atom or RSS feed.
    Feed,
    /// An endoflife.date product.
    Endoflife,
}

/// Where the releases of a solution are followed (as declared: its poll state is on
/// `WatchStatus`).
pub struct WatchSourceNode(pub domain::WatchSource);

#[Object(name = "WatchSource")]
impl WatchSourceNode {
    /// Its version: pass it as `expectedVersion` when updating or retiring it.
    async fn version(&self) -> String {
        crate::store::version_of(&self.0)
    }
    /// Its id (`watch:bigbluebutton-github`).
    pub(crate) async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// What it speaks.
    async fn kind(&self) -> WatchKind {
        self.0.kind.into()
    }
    /// The URL polled.
    async fn url(&self) -> &str {
        self.0.url.as_str()
    }
    /// Seconds between two polls.
    async fn interval_seconds(&self) -> u32 {
        self.0.interval_secs
    }
    /// When it was retired (`YYYY-MM-DD`): a retired source is never polled again; the
    /// releases it listed are kept. Null while it is watched.
    async fn retired(&self) -> Option<String> {
        self.0.retired.map(|d| d.to_string())
    }
    /// The solution it follows.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        linked(ctx, &self.0.solution, SolutionNode).await
    }
}

/// Where the releases of a solution are followed, and how that goes.
pub struct WatchStatusNode(pub domain::WatchStatus);

#[Object(name = "WatchStatus", cache_control(no_cache))]
impl WatchStatusNode {
    /// The source's id (`watch:bigbluebutton-github`).
    async fn id(&self) -> ID {
        ID(self.0.source.id.to_string())
    }
    /// What it speaks.
    async fn kind(&self) -> WatchKind {
        self.0.source.kind.into()
    }
    /// The URL polled.
    async fn url(&self) -> &str {
        self.0.source.url.as_str()
    }
    /// Seconds between two polls.
    async fn interval_seconds(&self) -> u32 {
        self.0.source.interval_secs
    }
    /// Its version: pass it as `expectedVersion` when updating or retiring it.
    async fn version(&self) -> String {
        crate::store::version_of(&self.0.source)
    }
    /// When it was retired (`YYYY-MM-DD`; only with `includeRetired`): never polled again.
    async fn retired(&self) -> Option<String> {
        self.0.source.retired.map(|d| d.to_string())
    }
    /// The solution it follows.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        linked(ctx, &self.0.source.solution, SolutionNode).await
    }
    /// When it was last polled (RFC 3339).
    async fn last_checked(&self) -> Option<String> {
        self.0.last_checked.map(time)
    }
    /// When it last answered well, with content or "not modified".
    async fn last_success(&self) -> Option<String> {
        self.0.last_success.map(time)
    }
    /// The error of its last poll, when that poll failed.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    /// When it will be polled next; null when due now.
    async fn next_check(&self) -> Option<String> {
        self.0.next_check.map(time)
    }
    /// Failed polls in a row.
    async fn failures(&self) -> u32 {
        self.0.failures
    }
    /// Releases stored from it.
    async fn release_count(&self) -> u64 {
        self.0.releases
    }
}
