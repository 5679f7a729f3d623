//! `Publisher`: who makes a solution.

use super::SolutionNode;
use crate::api::bounds::WideInt;
use crate::api::context::store;
use crate::api::enums::{PublisherKind, PublisherStatus};
use crate::api::error::ApiResult;
use crate::api::paging::{self, connection, Conn};
use crate::domain;
use crate::store::{self as st};
use async_graphql::{Context, Object};

/// Who makes a solution.
#[derive(Clone)]
pub struct PublisherNode(pub domain::Publisher);

node_object! {
    #[Object(name = "Publisher")]
    impl PublisherNode {
        version;
        /// Its id (`publisher:videolan`).
        id;
        /// Its name.
        async fn name(&self) -> &str {
            &self.0.name
        }
        /// What kind of organisation it is.
        async fn kind(&self) -> PublisherKind {
            self.0.kind.into()
        }
        /// Its country (ISO 3166-1 alpha-2).
        async fn country(&self) -> Option<&str> {
            self.0.country.as_ref().map(|c| c.as_str())
        }
        /// Its web site.
        async fn website(&self) -> Option<&str> {
            self.0.website.as_ref().map(|w| w.as_str())
        }
        /// Whether it still exists.
        async fn status(&self) -> PublisherStatus {
            self.0.status.into()
        }
        /// When it closed (`2022-07`), if it did.
        async fn closed(&self) -> Option<String> {
            self.0.closed.map(|d| d.to_string())
        }
        /// True when the sources do not name it.
        async fn unnamed(&self) -> bool {
            self.0.unnamed
        }
        /// Its solutions.
        paged solutions() -> SolutionNode = solutions_of();
        sources;
        citations;
    }
}

/// The solutions of the publisher `publisher`, by name, page by page.
async fn solutions_of(
    publisher: &domain::PublisherId,
    ctx: &Context<'_>,
    first: Option<WideInt>,
    after: Option<String>,
) -> ApiResult<Conn<SolutionNode>> {
    let filter = st::SolutionFilter {
        publisher: Some(publisher.clone()),
        ..Default::default()
    };
    let request = paging::request(first, after, true)?;
    let page = store(ctx)
        .list_solutions(filter, st::SolutionSort::Name, request)
        .await?;
    Ok(connection(page, SolutionNode))
}
