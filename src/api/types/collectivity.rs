//! `Collectivity`: any public body, and its functional contact.

use super::figure::figures;
use super::{ContributionNode, FigureNode};
use crate::api::bounds::WideInt;
use crate::api::context::{related, store};
use crate::api::enums::{CollectivityKind, CollectivityOrder};
use crate::api::error::ApiResult;
use crate::api::loaders::ContributionsBy;
use crate::api::paging::{self, connection, Conn};
use crate::domain;
use crate::store::{self as st};
use async_graphql::{Context, Object};

/// Any public body: commune, intercommunality, department, region, state service...
#[derive(Clone)]
pub struct CollectivityNode(pub domain::Collectivity);

node_object! {
    #[Object(name = "Collectivity")]
    impl CollectivityNode {
        version;
        /// Its functional contact (a role, a team mailbox), only when it consents to show it.
        async fn contact(&self) -> Option<FunctionalContactNode> {
            self.0
                .contact
                .clone()
                .filter(|_| self.0.contact_public)
                .map(FunctionalContactNode)
        }
        /// Other groupings it belongs to besides its parent (a commune's EPT).
        linked_all member_of -> CollectivityNode;
        /// Its accounts on software forges.
        async fn forges(&self) -> Vec<&str> {
            self.0.forges.iter().map(|f| f.as_str()).collect()
        }
        /// True when it runs an open source programme office.
        async fn ospo(&self) -> bool {
            self.0.ospo
        }
        /// Its id (`collectivity:fr-commune-38151`).
        id;
        /// Its name (or a description of an unnamed group).
        async fn name(&self) -> &str {
            &self.0.name
        }
        /// What kind of body it is.
        async fn kind(&self) -> CollectivityKind {
            self.0.kind.into()
        }
        /// Its country (ISO 3166-1 alpha-2).
        async fn country(&self) -> &str {
            self.0.country.as_str()
        }
        /// Its INSEE commune code.
        async fn insee_code(&self) -> Option<&str> {
            self.0.insee.as_ref().map(|c| c.as_str())
        }
        /// Its SIREN.
        async fn siren(&self) -> Option<&str> {
            self.0.siren.as_ref().map(|c| c.as_str())
        }
        /// Its population.
        async fn population(&self) -> Option<u64> {
            self.0.population
        }
        /// The code of its department.
        async fn department_code(&self) -> Option<&str> {
            self.0.department.as_deref()
        }
        /// The code of its region.
        async fn region_code(&self) -> Option<&str> {
            self.0.region.as_deref()
        }
        /// True for a group the sources leave unnamed.
        async fn unnamed(&self) -> bool {
            self.0.unnamed
        }
        /// The body it belongs to.
        linked_opt parent -> CollectivityNode;
        /// The bodies that belong to it.
        paged members(#[graphql(default)] sort: CollectivityOrder) -> CollectivityNode = members_of();
        /// Figures it stated about itself (stated, not computed).
        async fn stated_figures(&self) -> Vec<FigureNode> {
            figures(&self.0.figures)
        }
        /// What it adopted, and how it went.
        adoptions(Collectivity);
        /// What it gives back to libre software (code, funding, staff time...).
        async fn contributions(&self, ctx: &Context<'_>) -> ApiResult<Vec<ContributionNode>> {
            related(ctx, ContributionsBy(self.0.id.clone()), |_| true, ContributionNode).await
        }
        sources;
        citations;
    }
}

/// A functional contact: a role and a team mailbox or page, never a person's name.
pub struct FunctionalContactNode(pub domain::FunctionalContact);

#[Object(name = "FunctionalContact")]
impl FunctionalContactNode {
    /// The role or team.
    async fn role(&self) -> &str {
        &self.0.role
    }
    /// A team mailbox.
    async fn mailbox(&self) -> Option<&str> {
        self.0.mailbox.as_deref()
    }
    /// A page or form.
    async fn url(&self) -> Option<String> {
        self.0.url.as_ref().map(|u| u.to_string())
    }
}

/// The bodies that belong to the collectivity `parent`, page by page.
async fn members_of(
    parent: &domain::CollectivityId,
    ctx: &Context<'_>,
    sort: CollectivityOrder,
    first: Option<WideInt>,
    after: Option<String>,
) -> ApiResult<Conn<CollectivityNode>> {
    let filter = st::CollectivityFilter {
        parent: Some(parent.clone()),
        ..Default::default()
    };
    let request = paging::request(first, after, true)?;
    let page = store(ctx)
        .list_collectivities(filter, sort.into(), request)
        .await?;
    Ok(connection(page, CollectivityNode))
}
