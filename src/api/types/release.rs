//! The release watch's releases and release cycles (`Release`, `ReleaseCycle`).

use super::SolutionNode;
use crate::api::context::linked;
use crate::api::error::ApiResult;
use crate::domain::{self, EndOfLife, Release};
use async_graphql::{Context, Object, ID};
use chrono::{DateTime, SecondsFormat, Utc};

pub(super) fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A release of a solution, as a watch source listed it.
pub struct ReleaseNode(pub Release);

#[Object(name = "Release", cache_control(no_cache))]
impl ReleaseNode {
    /// Its stable key: `<watch source id>@<version>`.
    async fn key(&self) -> String {
        self.0.key()
    }
    /// The version as published, without a leading `v`.
    async fn version(&self) -> &str {
        &self.0.version
    }
    /// Its semantic version, normalised (`24.8` → `24.8.0`), when it reads as one.
    async fn semver(&self) -> Option<&str> {
        self.0.semver.as_deref()
    }
    /// Whether it is a pre-release.
    async fn prerelease(&self) -> bool {
        self.0.prerelease
    }
    /// When it was published (RFC 3339), when the source says.
    async fn published(&self) -> Option<String> {
        self.0.published.map(time)
    }
    /// When the watch first stored it (RFC 3339).
    async fn first_seen(&self) -> Option<String> {
        self.0.first_seen.map(time)
    }
    /// Its page.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// Its title, when the source gives one.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    /// The watch source that listed it.
    async fn source(&self) -> ID {
        ID(self.0.source.to_string())
    }
    /// The solution released.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        linked(ctx, &self.0.solution, SolutionNode).await
    }
}

/// A release cycle of a product, with its end of life (from endoflife.date).
pub struct ReleaseCycleNode(pub domain::ReleaseCycle);

#[Object(name = "ReleaseCycle", cache_control(no_cache))]
impl ReleaseCycleNode {
    /// The product at the source (`debian`).
    async fn product(&self) -> &str {
        &self.0.product
    }
    /// The cycle (`12`).
    async fn cycle(&self) -> &str {
        &self.0.cycle
    }
    /// When it was first released (`YYYY-MM-DD`).
    async fn released(&self) -> Option<String> {
        self.0.released.map(|d| d.to_string())
    }
    /// When its support ends (`YYYY-MM-DD`), when a date is known.
    async fn eol_date(&self) -> Option<String> {
        match self.0.eol {
            EndOfLife::Date(d) => Some(d.to_string()),
            _ => None,
        }
    }
    /// Whether its support has ended today.
    async fn eol_reached(&self) -> bool {
        match self.0.eol {
            EndOfLife::Date(d) => d <= Utc::now().date_naive(),
            EndOfLife::Ended => true,
            EndOfLife::NotPlanned => false,
        }
    }
    /// Whether it is a long-term support cycle.
    async fn lts(&self) -> bool {
        self.0.lts
    }
    /// Its latest version.
    async fn latest(&self) -> Option<&str> {
        self.0.latest.as_deref()
    }
}
