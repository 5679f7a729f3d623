//! What a solution's publiccode.yml states: its maintenance and contractors, its latest
//! release, what it depends on and what it is based on.

use super::SolutionNode;
use crate::api::context::linked_opt;
use crate::api::enums::{DependencyKind, MaintenanceType};
use crate::api::error::ApiResult;
use crate::domain;
use async_graphql::{Context, Object};

/// Who maintains a piece of software, as its publiccode.yml says.
pub struct MaintenanceNode(pub domain::Maintenance);

#[Object(name = "Maintenance")]
impl MaintenanceNode {
    /// Internal, contract, community or none; absent when the file gives a value the standard
    /// does not know.
    #[graphql(name = "type")]
    async fn kind(&self) -> Option<MaintenanceType> {
        self.0.kind.map(Into::into)
    }
    /// The contractors paid to maintain it, with the end of their contract.
    async fn contractors(&self) -> Vec<ContractorNode> {
        self.0
            .contractors
            .iter()
            .cloned()
            .map(ContractorNode)
            .collect()
    }
}

/// A company under contract to maintain a piece of software.
pub struct ContractorNode(pub domain::Contractor);

#[Object(name = "Contractor")]
impl ContractorNode {
    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// When its contract ends (`2025-12-31`).
    async fn until(&self) -> Option<String> {
        self.0.until.map(|d| d.to_string())
    }
    /// Its web site.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_ref().map(|w| w.as_str())
    }
}

/// A release: a version and its date, either of which may be unknown.
pub struct VersionReleaseNode(pub domain::VersionRelease);

#[Object(name = "VersionRelease")]
impl VersionReleaseNode {
    /// The version, as written (`v17.6.0`).
    async fn version(&self) -> Option<&str> {
        self.0.version.as_deref()
    }
    /// When it was released (`2026-08-20`).
    async fn date(&self) -> Option<String> {
        self.0.date.map(|d| d.to_string())
    }
}

/// Something a piece of software needs to run, as its publiccode.yml says.
pub struct DependencyNode(pub domain::Dependency);

#[Object(name = "Dependency")]
impl DependencyNode {
    /// Its name, as the file gives it.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Open, proprietary or hardware.
    async fn kind(&self) -> DependencyKind {
        self.0.kind.into()
    }
    /// The exact version needed.
    async fn version(&self) -> Option<&str> {
        self.0.version.as_deref()
    }
    /// The oldest version that works.
    async fn version_min(&self) -> Option<&str> {
        self.0.version_min.as_deref()
    }
    /// The newest version that works.
    async fn version_max(&self) -> Option<&str> {
        self.0.version_max.as_deref()
    }
    /// Whether it can be done without, when the file says.
    async fn optional(&self) -> Option<bool> {
        self.0.optional
    }
    /// The known solution it is, when entity resolution found one.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        linked_opt(ctx, &self.0.solution, SolutionNode).await
    }
}

/// The software a piece of software is based on, as its publiccode.yml says.
pub struct BasedOnNode(pub domain::BasedOn);

#[Object(name = "BasedOn")]
impl BasedOnNode {
    /// How the file names it: a repository URL or a name.
    async fn reference(&self) -> &str {
        &self.0.reference
    }
    /// The known solution it is, when entity resolution found one.
    async fn solution(&self, ctx: &Context<'_>) -> ApiResult<Option<SolutionNode>> {
        linked_opt(ctx, &self.0.solution, SolutionNode).await
    }
}
