//! The query root: lookups by id, filtered lists, search, statistics.

use async_graphql::{Context, Object, SimpleObject, ID};

use super::context::{load, store};
use super::enums::{AdoptionOrder, CollectivityOrder, NodeKind, SolutionOrder};
use super::error::{ApiError, ApiResult};
use super::inputs::{
    check_text, parse_id, AdoptionFilter, CollectivityFilter, NeedFilter, SolutionFilter,
};
use super::nodes::{
    adoption_sort, collectivity_sort, load_node, solution_sort, AdoptionNode, CollectivityNode,
    NeedNode, Node, OutcomeNode, PublisherNode, SolutionNode, SourceNode,
};
use super::paging::{self, connection, Conn, MAX_PAGE};
use super::watch::{AlertNode, ReleaseCycleNode, ReleaseNode, RunningVersion, WatchStatusNode};
use crate::domain::{self, EntityKind, NodeId};

/// A node found by text search.
#[derive(SimpleObject)]
pub struct SearchResult {
    /// The node.
    node: Node,
    /// What kind of node it is.
    kind: NodeKind,
    /// What it is called.
    label: String,
    /// Relevance: higher is better; comparable within one answer only.
    score: f64,
}

/// How many nodes of a kind the graph holds.
#[derive(SimpleObject)]
pub struct KindCount {
    /// The kind (`need`, `solution`..., and `citation`).
    kind: String,
    /// How many.
    count: u64,
}

fn not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("nothing has the id `{id}`"))
}

/// The entry points of every query.
pub struct QueryRoot;

#[Object]
impl QueryRoot {
    /// Any node by its id; null when nothing has it.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Node>> {
        let id = parse_id(&id, NodeId::parse)?;
        load_node(ctx, &id).await
    }

    /// The changes made to a node through the API, newest first: who (the author token's
    /// id), when, what before and after, and why.
    async fn history(
        &self,
        ctx: &Context<'_>,
        node: ID,
        #[graphql(default = 20)] first: i32,
    ) -> ApiResult<Vec<super::nodes::HistoryEntryNode>> {
        let node = parse_id(&node, NodeId::parse)?;
        let first = usize::try_from(first)
            .ok()
            .filter(|f| (1..=100).contains(f))
            .ok_or_else(|| ApiError::BadInput("first: between 1 and 100".to_owned()))?;
        let entries = store(ctx).history_of(node, first).await?;
        Ok(entries
            .into_iter()
            .map(super::nodes::HistoryEntryNode)
            .collect())
    }

    /// A need by id.
    async fn need(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<NeedNode>> {
        let key = parse_id(&id, domain::NeedId::parse)?;
        load(ctx, key)
            .await?
            .map(NeedNode)
            .map(Some)
            .ok_or_else(|| not_found(&id))
    }

    /// Needs, by French label.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn needs(
        &self,
        ctx: &Context<'_>,
        filter: Option<NeedFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Conn<NeedNode>> {
        let filter = filter.unwrap_or_default().into_store()?;
        let want_total = ctx.look_ahead().field("totalCount").exists();
        let page = store(ctx)
            .list_needs(filter, paging::request(first, after, want_total)?)
            .await?;
        Ok(connection(page, NeedNode))
    }

    /// A solution by id.
    async fn solution(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<SolutionNode>> {
        let key = parse_id(&id, domain::SolutionId::parse)?;
        load(ctx, key)
            .await?
            .map(SolutionNode)
            .map(Some)
            .ok_or_else(|| not_found(&id))
    }

    /// Solutions, libre and proprietary.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn solutions(
        &self,
        ctx: &Context<'_>,
        filter: Option<SolutionFilter>,
        #[graphql(default)] sort: SolutionOrder,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Conn<SolutionNode>> {
        let filter = filter.unwrap_or_default().into_store()?;
        let want_total = ctx.look_ahead().field("totalCount").exists();
        let request = paging::request(first, after, want_total)?;
        let page = store(ctx)
            .list_solutions(filter, solution_sort(sort), request)
            .await?;
        Ok(connection(page, SolutionNode))
    }

    /// A publisher by id.
    async fn publisher(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<PublisherNode>> {
        let key = parse_id(&id, domain::PublisherId::parse)?;
        load(ctx, key)
            .await?
            .map(PublisherNode)
            .map(Some)
            .ok_or_else(|| not_found(&id))
    }

    /// A collectivity by id.
    async fn collectivity(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<CollectivityNode>> {
        let key = parse_id(&id, domain::CollectivityId::parse)?;
        load(ctx, key)
            .await?
            .map(CollectivityNode)
            .map(Some)
            .ok_or_else(|| not_found(&id))
    }

    /// Collectivities: any public body.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn collectivities(
        &self,
        ctx: &Context<'_>,
        filter: Option<CollectivityFilter>,
        #[graphql(default)] sort: CollectivityOrder,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Conn<CollectivityNode>> {
        let filter = filter.unwrap_or_default().into_store()?;
        let want_total = ctx.look_ahead().field("totalCount").exists();
        let request = paging::request(first, after, want_total)?;
        let page = store(ctx)
            .list_collectivities(filter, collectivity_sort(sort), request)
            .await?;
        Ok(connection(page, CollectivityNode))
    }

    /// An adoption by id.
    async fn adoption(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<AdoptionNode>> {
        let key = parse_id(&id, domain::AdoptionId::parse)?;
        load(ctx, key)
            .await?
            .map(AdoptionNode)
            .map(Some)
            .ok_or_else(|| not_found(&id))
    }

    /// Adoptions: who uses what, for which need, and how it went.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn adoptions(
        &self,
        ctx: &Context<'_>,
        filter: Option<AdoptionFilter>,
        #[graphql(default)] sort: AdoptionOrder,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Conn<AdoptionNode>> {
        let filter = filter.unwrap_or_default().into_store()?;
        let want_total = ctx.look_ahead().field("totalCount").exists();
        let request = paging::request(first, after, want_total)?;
        let page = store(ctx)
            .list_adoptions(filter, adoption_sort(sort), request)
            .await?;
        Ok(connection(page, AdoptionNode))
    }

    /// An outcome by id.
    async fn outcome(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<OutcomeNode>> {
        let key = parse_id(&id, domain::OutcomeId::parse)?;
        load(ctx, key)
            .await?
            .map(OutcomeNode)
            .map(Some)
            .ok_or_else(|| not_found(&id))
    }

    /// A source by id.
    async fn source(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<SourceNode>> {
        let key = parse_id(&id, domain::SourceId::parse)?;
        load(ctx, key)
            .await?
            .map(SourceNode)
            .map(Some)
            .ok_or_else(|| not_found(&id))
    }

    /// Every source, by id, with how many facts cite it.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn sources(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Conn<SourceNode>> {
        let want_total = ctx.look_ahead().field("totalCount").exists();
        let page = store(ctx)
            .list_sources(paging::request(first, after, want_total)?)
            .await?;
        Ok(connection(page, SourceNode))
    }

    /// Needs, solutions and collectivities matching a text: accent- and case-insensitive,
    /// every word matched as a prefix ("visio" finds "Visioconférence"), best first.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        text: String,
        kinds: Option<Vec<NodeKind>>,
        first: Option<i32>,
    ) -> ApiResult<Vec<SearchResult>> {
        let text = check_text(Some(text))?.unwrap_or_default();
        let terms = domain::search_terms(&text, 8);
        if terms.is_empty() {
            return Err(ApiError::BadInput(
                "the search text has no letter or digit".to_owned(),
            ));
        }
        let limit = paging::page_size(first.or(Some(20)))?.min(MAX_PAGE as usize);
        let kinds: Vec<EntityKind> = kinds
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let hits = store(ctx).search(terms, kinds, limit).await?;
        // Loaded together, so the loaders batch them into one store call per kind.
        let nodes =
            futures::future::try_join_all(hits.iter().map(|h| load_node(ctx, &h.id))).await?;
        let results = hits
            .into_iter()
            .zip(nodes)
            .filter_map(|(hit, node)| {
                node.map(|node| SearchResult {
                    node,
                    kind: hit.id.kind().into(),
                    label: hit.label,
                    score: hit.score,
                })
            })
            .collect();
        Ok(results)
    }

    /// How many nodes of each kind the graph holds.
    async fn statistics(&self, ctx: &Context<'_>) -> ApiResult<Vec<KindCount>> {
        let counts = store(ctx).counts().await?;
        Ok(counts
            .kinds
            .into_iter()
            .map(|(kind, count)| KindCount { kind, count })
            .collect())
    }

    // Release watch ------------------------------------------------------------------------

    /// Releases stored by the release watch, newest first (by publication, else by when first
    /// seen): of one solution, or of all; since an RFC 3339 time or a `YYYY-MM-DD` day.
    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity")]
    async fn releases(
        &self,
        ctx: &Context<'_>,
        solution: Option<ID>,
        since: Option<String>,
        #[graphql(default = false)] include_prereleases: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Conn<ReleaseNode>> {
        super::watch::releases(ctx, solution, since, include_prereleases, first, after).await
    }

    /// Every watch source, by id: when it was last checked, last answered well, its last
    /// error and its next check.
    async fn watch_status(&self, ctx: &Context<'_>) -> ApiResult<Vec<WatchStatusNode>> {
        super::watch::watch_status(ctx).await
    }

    /// The release cycles of a solution, with their end of life.
    async fn release_cycles(
        &self,
        ctx: &Context<'_>,
        solution: ID,
    ) -> ApiResult<Vec<ReleaseCycleNode>> {
        super::watch::release_cycles(ctx, solution).await
    }

    /// What a collectivity should know about the solutions it runs (DEPLOYED adoptions):
    /// releases since `since` (default: 90 days ago), ends of life reached since then, and
    /// ends of life within `withinDays`; newest first. With the versions it runs
    /// (`running`), only newer releases alert, and only the cycle of that version raises
    /// end-of-life alerts (however long ago its support ended).
    async fn alerts(
        &self,
        ctx: &Context<'_>,
        collectivity: ID,
        since: Option<String>,
        #[graphql(default = 180)] within_days: i32,
        #[graphql(default = false)] include_prereleases: bool,
        #[graphql(default)] running: Vec<RunningVersion>,
    ) -> ApiResult<Vec<AlertNode>> {
        super::watch::collectivity_alerts(
            ctx,
            collectivity,
            since,
            within_days,
            include_prereleases,
            running,
        )
        .await
    }
}
