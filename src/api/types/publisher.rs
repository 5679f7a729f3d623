//! `Publisher`: who makes a solution.

use super::citation::{citations_of, sources_of};
use super::{CitationNode, SolutionNode, SourceNode};
use crate::api::bounds::WideInt;
use crate::api::context::store;
use crate::api::enums::{PublisherKind, PublisherStatus};
use crate::api::error::ApiResult;
use crate::api::paging::{self, connection, Conn};
use crate::domain;
use crate::store::{self as st};
use async_graphql::{Context, Object, ID};

/// Who makes a solution.
#[derive(Clone)]
pub struct PublisherNode(pub domain::Publisher);

#[Object(name = "Publisher")]
impl PublisherNode {
    /// Its version: pass it as `expectedVersion` when updating it (changes with every edit).
    async fn version(&self) -> String {
        st::version_of(&self.0)
    }
    /// Its id (`publisher:videolan`).
    pub(crate) async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
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
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn solutions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<SolutionNode>> {
        let filter = st::SolutionFilter {
            publisher: Some(self.0.id.clone()),
            ..Default::default()
        };
        let request = paging::request(first, after, true)?;
        let page = store(ctx)
            .list_solutions(filter, st::SolutionSort::Name, request)
            .await?;
        Ok(connection(page, SolutionNode))
    }
    /// The sources cited for it.
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNode>> {
        sources_of(ctx, self.0.id.clone()).await
    }
    /// The sources cited for it, each with the dataset file and record the fact comes from.
    async fn citations(&self, ctx: &Context<'_>) -> ApiResult<Vec<CitationNode>> {
        citations_of(ctx, self.0.id.clone()).await
    }
}
