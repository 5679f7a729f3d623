//! `Need`: what a collectivity needs done.

use super::adoption::adoptions_of;
use super::citation::{citations_of, sources_of};
use super::{AdoptionNode, CitationNode, SolutionNode, SourceNode, Text};
use crate::api::bounds::WideInt;
use crate::api::context::{load, load_opt, store};
use crate::api::enums::{AdoptionOrder, SolutionOrder};
use crate::api::error::ApiResult;
use crate::api::inputs::{AdoptionFilter, SolutionFilter};
use crate::api::loaders::{NarrowerOf, SolutionsPage};
use crate::api::paging::{self, connection, Conn};
use crate::domain;
use crate::store::{self as st, AdoptionParent};
use async_graphql::{Context, Object, ID};

/// What a collectivity needs done: videoconferencing, an office suite, a desktop OS...
#[derive(Clone)]
pub struct NeedNode(pub domain::Need);

#[Object(name = "Need")]
impl NeedNode {
    /// Its version: pass it as `expectedVersion` when updating it (changes with every edit).
    async fn version(&self) -> String {
        st::version_of(&self.0)
    }
    /// Its id (`need:video-conferencing`).
    pub(crate) async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Its name in French and English.
    async fn label(&self) -> Text {
        Text(self.0.label.clone())
    }
    /// The matching publiccode.yml category.
    async fn publiccode_category(&self) -> Option<&str> {
        self.0.publiccode.as_deref()
    }
    /// The broader need it belongs to.
    async fn broader(&self, ctx: &Context<'_>) -> ApiResult<Option<NeedNode>> {
        Ok(load_opt(ctx, self.0.broader.clone()).await?.map(NeedNode))
    }
    /// The needs directly under it (retired ones left out).
    async fn narrower(&self, ctx: &Context<'_>) -> ApiResult<Vec<NeedNode>> {
        let needs = load(ctx, NarrowerOf(self.0.id.clone()))
            .await?
            .unwrap_or_default();
        Ok(needs
            .into_iter()
            .filter(|n| n.retired.is_none())
            .map(NeedNode)
            .collect())
    }
    /// When it was retired (`YYYY-MM-DD`); null while it is in use. A retired need stays
    /// readable but is left out of `needs` and `narrower`, and nothing new may refer to it.
    async fn retired(&self) -> Option<String> {
        self.0.retired.map(|d| d.to_string())
    }
    /// Solutions serving this need (and, by default, its narrower needs).
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn solutions(
        &self,
        ctx: &Context<'_>,
        filter: Option<SolutionFilter>,
        #[graphql(default)] sort: SolutionOrder,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<SolutionNode>> {
        let mut filter = filter.unwrap_or_default().into_store()?;
        let request = paging::request(first, after, true)?;
        let page = if request.after.is_none() {
            filter.need = None;
            let key = SolutionsPage {
                need: self.0.id.clone(),
                filter,
                sort: sort.into(),
                first: request.first,
            };
            load(ctx, key).await?.unwrap_or_else(st::Page::empty)
        } else {
            filter.need = Some(self.0.id.clone());
            store(ctx)
                .list_solutions(filter, sort.into(), request)
                .await?
        };
        Ok(connection(page, SolutionNode))
    }
    /// Adoptions made for this need (this need only, not narrower ones).
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn adoptions(
        &self,
        ctx: &Context<'_>,
        filter: Option<AdoptionFilter>,
        #[graphql(default)] sort: AdoptionOrder,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<AdoptionNode>> {
        adoptions_of(
            ctx,
            AdoptionParent::Need,
            self.0.id.as_str(),
            filter,
            sort,
            first,
            after,
        )
        .await
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
