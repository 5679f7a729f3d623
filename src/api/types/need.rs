//! `Need`: what a collectivity needs done.

use super::{SolutionNode, Text};
use crate::api::bounds::WideInt;
use crate::api::context::{load, related, store};
use crate::api::enums::SolutionOrder;
use crate::api::error::ApiResult;
use crate::api::inputs::SolutionFilter;
use crate::api::loaders::{NarrowerOf, SolutionsPage};
use crate::api::paging::{self, connection, Conn};
use crate::domain;
use crate::store::{self as st};
use async_graphql::{Context, Object};

/// What a collectivity needs done: videoconferencing, an office suite, a desktop OS...
#[derive(Clone)]
pub struct NeedNode(pub domain::Need);

node_object! {
    #[Object(name = "Need")]
    impl NeedNode {
        version;
        /// Its id (`need:video-conferencing`).
        id;
        /// Its name in French and English.
        async fn label(&self) -> Text {
            Text(self.0.label.clone())
        }
        /// The matching publiccode.yml category.
        async fn publiccode_category(&self) -> Option<&str> {
            self.0.publiccode.as_deref()
        }
        /// The broader need it belongs to.
        linked_opt broader -> NeedNode;
        /// The needs directly under it (retired ones left out).
        async fn narrower(&self, ctx: &Context<'_>) -> ApiResult<Vec<NeedNode>> {
            let keep = |n: &domain::Need| n.retired.is_none();
            related(ctx, NarrowerOf(self.0.id.clone()), keep, NeedNode).await
        }
        /// When it was retired (`YYYY-MM-DD`); null while it is in use. A retired need stays
        /// readable but is left out of `needs` and `narrower`, and nothing new may refer to it.
        async fn retired(&self) -> Option<String> {
            self.0.retired.map(|d| d.to_string())
        }
        /// Solutions serving this need (and, by default, its narrower needs).
        paged solutions(
            filter: Option<SolutionFilter>,
            #[graphql(default)] sort: SolutionOrder
        ) -> SolutionNode = solutions_of();
        /// Adoptions made for this need (this need only, not narrower ones).
        adoptions(Need);
        sources;
        citations;
    }
}

/// The solutions serving the need `need` (and, by default, its narrower needs), page by page:
/// the first page through the batching loader, later pages directly.
async fn solutions_of(
    need: &domain::NeedId,
    ctx: &Context<'_>,
    filter: Option<SolutionFilter>,
    sort: SolutionOrder,
    first: Option<WideInt>,
    after: Option<String>,
) -> ApiResult<Conn<SolutionNode>> {
    let mut filter = filter.unwrap_or_default().into_store()?;
    let request = paging::request(first, after, true)?;
    let page = if request.after.is_none() {
        filter.need = None;
        let key = SolutionsPage {
            need: need.clone(),
            filter,
            sort: sort.into(),
            first: request.first,
        };
        load(ctx, key).await?.unwrap_or_else(st::Page::empty)
    } else {
        filter.need = Some(need.clone());
        store(ctx)
            .list_solutions(filter, sort.into(), request)
            .await?
    };
    Ok(connection(page, SolutionNode))
}
