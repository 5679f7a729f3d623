//! `Adoption`: a collectivity's use of a solution for a need, its status changes, and the
//! adoptions of a need, solution or collectivity page by page.

use super::{CollectivityNode, NeedNode, OutcomeNode, SolutionNode, Text};
use crate::api::bounds::WideInt;
use crate::api::context::{load, related, store};
use crate::api::enums::{AdoptionOrder, AdoptionStatus, DeploymentStrategy, Hosting};
use crate::api::error::{ApiError, ApiResult};
use crate::api::inputs::AdoptionFilter;
use crate::api::loaders::{AdoptionsPage, OutcomesOf};
use crate::api::paging::{self, connection, Conn};
use crate::domain;
use crate::store::{self as st, AdoptionParent};
use async_graphql::{Context, Object};

/// A collectivity's use of a solution for a need.
#[derive(Clone)]
pub struct AdoptionNode(pub domain::Adoption);

node_object! {
    #[Object(name = "Adoption")]
    impl AdoptionNode {
        version;
        /// Its status changes, oldest first (PILOT on this date, DEPLOYED on that one).
        async fn status_history(&self) -> Vec<StatusChangeNode> {
            self.0
                .status_history
                .iter()
                .cloned()
                .map(StatusChangeNode)
                .collect()
        }
        /// Its id.
        id;
        /// Who adopted.
        linked collectivity -> CollectivityNode;
        /// What was adopted.
        linked solution -> SolutionNode;
        /// For which need.
        linked need -> NeedNode;
        /// Where it stands.
        async fn status(&self) -> AdoptionStatus {
            self.0.status.into()
        }
        /// When it started (`2020`, `2020-03`, `2020-03-16`).
        async fn started(&self) -> Option<String> {
            self.0.started.map(|d| d.to_string())
        }
        /// When it ended.
        async fn ended(&self) -> Option<String> {
            self.0.ended.map(|d| d.to_string())
        }
        /// How it was deployed.
        async fn strategy(&self) -> Option<DeploymentStrategy> {
            self.0.strategy.map(Into::into)
        }
        /// Who runs it.
        async fn hosting(&self) -> Option<Hosting> {
            self.0.hosting.map(Into::into)
        }
        /// Number of seats or users.
        async fn scale(&self) -> Option<u64> {
            self.0.scale
        }
        /// What it replaced.
        linked_all replaced -> SolutionNode;
        /// A note.
        async fn note(&self) -> Option<Text> {
            self.0.note.clone().map(Text)
        }
        /// How it went. Retired outcomes are left out unless `includeRetired` is true.
        async fn outcomes(
            &self,
            ctx: &Context<'_>,
            #[graphql(default)] include_retired: bool,
        ) -> ApiResult<Vec<OutcomeNode>> {
            let key = OutcomesOf(self.0.id.clone());
            let keep = |o: &domain::Outcome| include_retired || o.retired.is_none();
            related(ctx, key, keep, OutcomeNode).await
        }
        sources;
        citations;
    }
}

/// One step of an adoption's life.
pub struct StatusChangeNode(pub domain::StatusChange);

#[Object(name = "StatusChange")]
impl StatusChangeNode {
    /// The status reached.
    async fn status(&self) -> AdoptionStatus {
        self.0.status.into()
    }
    /// When (`2020`, `2020-03`, `2020-03-16`), where known.
    async fn date(&self) -> Option<String> {
        self.0.date.map(|d| d.to_string())
    }
}

/// Adoptions of a parent: the first page through the batching loader, later pages directly.
pub(super) async fn adoptions_of(
    parent: AdoptionParent,
    id: &impl std::fmt::Display,
    ctx: &Context<'_>,
    filter: Option<AdoptionFilter>,
    sort: AdoptionOrder,
    first: Option<WideInt>,
    after: Option<String>,
) -> ApiResult<Conn<AdoptionNode>> {
    let id = id.to_string();
    let id = id.as_str();
    let mut filter = filter.unwrap_or_default().into_store()?;
    match parent {
        AdoptionParent::Collectivity => filter.collectivity = None,
        AdoptionParent::Solution => filter.solution = None,
        AdoptionParent::Need => filter.need = None,
    }
    let sort: st::AdoptionSort = sort.into();
    let request = paging::request(first, after, true)?;
    let page = if request.after.is_none() {
        let key = AdoptionsPage {
            parent,
            id: id.to_owned(),
            filter,
            sort,
            first: request.first,
        };
        load(ctx, key).await?.unwrap_or_else(st::Page::empty)
    } else {
        match parent {
            AdoptionParent::Collectivity => {
                filter.collectivity =
                    Some(domain::CollectivityId::parse(id).map_err(|e| ApiError::BadInput(e.0))?)
            }
            AdoptionParent::Solution => {
                filter.solution =
                    Some(domain::SolutionId::parse(id).map_err(|e| ApiError::BadInput(e.0))?)
            }
            AdoptionParent::Need => {
                filter.need = Some(domain::NeedId::parse(id).map_err(|e| ApiError::BadInput(e.0))?);
                filter.include_narrower = false;
            }
        }
        store(ctx).list_adoptions(filter, sort, request).await?
    };
    Ok(connection(page, AdoptionNode))
}
