//! Any node of the graph, found by its id: the `Node` interface and its loader.

use super::{
    AdoptionNode, AlternativeNode, CollectivityNode, ContributionNode, NeedNode, OutcomeNode,
    PublisherNode, SolutionNode, SourceNode, WatchSourceNode,
};
use crate::api::context::load;
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
    let parse_err = |e: domain::ValidationError| ApiError::BadInput(e.0);
    Ok(match id.kind() {
        K::Need => load(ctx, domain::NeedId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Need(NeedNode(n))),
        K::Solution => load(ctx, domain::SolutionId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Solution(SolutionNode(n))),
        K::Publisher => load(ctx, domain::PublisherId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Publisher(PublisherNode(n))),
        K::Collectivity => load(ctx, domain::CollectivityId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Collectivity(CollectivityNode(n))),
        K::Adoption => load(ctx, domain::AdoptionId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Adoption(AdoptionNode(n))),
        K::Outcome => load(ctx, domain::OutcomeId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Outcome(OutcomeNode(n))),
        K::Source => load(ctx, domain::SourceId::parse(s).map_err(parse_err)?)
            .await?
            .map(|n| Node::Source(SourceNode(n))),
        K::Contribution => load(ctx, domain::ContributionId::parse(s).map_err(parse_err)?)
            .await?
            .map(|c| Node::Contribution(ContributionNode(c))),
        K::Alternative => {
            let wanted = domain::AlternativeId::parse(s).map_err(parse_err)?;
            let Some((libre, _)) = wanted.slug().split_once("--") else {
                return Ok(None);
            };
            let libre =
                domain::SolutionId::parse(&format!("solution:{libre}")).map_err(parse_err)?;
            load(ctx, AlternativesOf(libre))
                .await?
                .unwrap_or_default()
                .into_iter()
                .find(|a| a.id == wanted)
                .map(|a| Node::Alternative(AlternativeNode(a)))
        }
    })
}
