//! Any node of the graph, found by its id: the `Node` interface and its loader.

use super::{
    AdoptionNode, AlternativeNode, CollectivityNode, ContributionNode, NeedNode, OutcomeNode,
    PublisherNode, SolutionNode, SourceNode, WatchSourceNode,
};
use crate::api::context::{load, load_as};
use crate::api::error::{ApiError, ApiResult};
use crate::api::loaders::AlternativesOf;
use crate::domain::{self, NodeId};
use async_graphql::{Context, Interface, ID};

/// Any node of the graph, found by its id.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The node's stable id (`solution:bigbluebutton`)."
))]
// A solution carries its provenance (merge evidence, conflicts, description sources): the
// variant is large, but nodes are built one per answer item and moved rarely.
#[allow(clippy::large_enum_variant)]
pub enum Node {
    /// A need.
    Need(NeedNode),
    /// A solution.
    Solution(SolutionNode),
    /// A publisher.
    Publisher(PublisherNode),
    /// A collectivity.
    Collectivity(CollectivityNode),
    /// An adoption.
    Adoption(AdoptionNode),
    /// An outcome.
    Outcome(OutcomeNode),
    /// An alternative.
    Alternative(AlternativeNode),
    /// A source.
    Source(SourceNode),
    /// A contribution.
    Contribution(ContributionNode),
    /// A release-watch source (`watch:...`).
    WatchSource(WatchSourceNode),
}

/// Loads any node by id; `None` when nothing has it.
pub async fn load_node(ctx: &Context<'_>, id: &NodeId) -> ApiResult<Option<Node>> {
    use domain::EntityKind as K;
    let s = id.as_str();
    match id.kind() {
        K::Need => load_as(ctx, s, domain::NeedId::parse, NeedNode).await,
        K::Solution => load_as(ctx, s, domain::SolutionId::parse, SolutionNode).await,
        K::Publisher => load_as(ctx, s, domain::PublisherId::parse, PublisherNode).await,
        K::Collectivity => load_as(ctx, s, domain::CollectivityId::parse, CollectivityNode).await,
        K::Adoption => load_as(ctx, s, domain::AdoptionId::parse, AdoptionNode).await,
        K::Outcome => load_as(ctx, s, domain::OutcomeId::parse, OutcomeNode).await,
        K::Source => load_as(ctx, s, domain::SourceId::parse, SourceNode).await,
        K::Contribution => load_as(ctx, s, domain::ContributionId::parse, ContributionNode).await,
        K::Alternative => load_alternative(ctx, s).await,
    }
}

/// Loads an alternative: through its libre side's alternatives, its id naming both sides.
async fn load_alternative(ctx: &Context<'_>, s: &str) -> ApiResult<Option<Node>> {
    let parse_err = |e: domain::ValidationError| ApiError::BadInput(e.0);
    let wanted = domain::AlternativeId::parse(s).map_err(parse_err)?;
    let Some((libre, _)) = wanted.slug().split_once("--") else {
        return Ok(None);
    };
    let libre = domain::SolutionId::parse(&format!("solution:{libre}")).map_err(parse_err)?;
    Ok(load(ctx, AlternativesOf(libre))
        .await?
        .unwrap_or_default()
        .into_iter()
        .find(|a| a.id == wanted)
        .map(|a| Node::Alternative(AlternativeNode(a))))
}
