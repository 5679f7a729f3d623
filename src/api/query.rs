//! The query root: lookups by id, filtered lists, search, statistics.

use async_graphql::{ComplexObject, Context, Object, SimpleObject, ID};

use super::bounds::WideInt;
use super::context::{load_as, store};
use super::enums::{AdoptionOrder, CollectivityOrder, NodeKind, SolutionOrder};
use super::error::{ApiError, ApiResult};
use super::inputs::{
    check_text, parse_id, AdoptionFilter, CollectivityFilter, ExperienceFilter, NeedFilter,
    SolutionFilter,
};
use super::insight;
use super::paging::{self, connection, Conn, MAX_PAGE};
use super::types::{
    load_node, AdoptionNode, AdoptionPaths, AdoptionTimeline, Aggregate, AlertNode,
    CollectivityNode, CollectivityStatistics, Experience, HistoryEntryNode, NeedNode, Node,
    OutcomeNode, Peer, PublisherNode, ReleaseCycleNode, ReleaseNode, SelectionAdvice, SolutionNode,
    SourceNode, WatchSourceNode, WatchStatusNode,
};
use super::watch::RunningVersion;
use crate::domain::{self, EntityKind, NodeId};

/// A node found by text search.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct SearchResult {
    #[graphql(skip)]
    id: NodeId,
    /// What kind of node it is.
    kind: NodeKind,
    /// What it is called.
    label: String,
    /// Relevance: higher is better; comparable within one answer only.
    score: f64,
}

#[ComplexObject]
impl SearchResult {
    /// The node (loaded only when asked for; the hits of one search are loaded in one batch
    /// per kind).
    async fn node(&self, ctx: &Context<'_>) -> ApiResult<Node> {
        load_node(ctx, &self.id).await?.ok_or_else(|| {
            ApiError::NotFound(format!("`{}` is no longer in the graph", self.id.as_str()))
        })
    }
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

/// The node a lookup by id found, or NOT_FOUND when no node has the id.
fn found<N>(id: &str, node: Option<N>) -> ApiResult<Option<N>> {
    node.map(Some).ok_or_else(|| not_found(id))
}

/// The entry points of every query.
pub struct QueryRoot;

#[Object]
impl QueryRoot {
    /// Any node by its id; null when nothing has it.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Node>> {
        if id.starts_with("watch:") {
            let key = parse_id(&id, domain::WatchSourceId::parse)?;
            let found = store(ctx).watch_sources(vec![key]).await?.pop();
            return Ok(found.map(|w| Node::WatchSource(WatchSourceNode(w))));
        }
        let id = parse_id(&id, NodeId::parse)?;
        load_node(ctx, &id).await
    }

    /// The changes made to a node (or a watch source, `watch:...`) through the API, newest
    /// first, as a Relay connection: who (the author token's id), when, what before and
    /// after, and why. Entries are ordered by the store's change sequence, which never ties;
    /// `after` takes a cursor of this node's history only.
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        node: ID,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<HistoryEntryNode>> {
        let subject = parse_id(&node, domain::ChangeSubject::parse)?;
        let want_total = ctx.look_ahead().field("totalCount").exists();
        let request = paging::request(first, after, want_total)?;
        if let Some(cursor) = &request.after {
            let ours = matches!(cursor.key, crate::store::SortValue::Int(_))
                && cursor.id == subject.as_str();
            if !ours {
                return Err(ApiError::BadInput(format!(
                    "`after` is not a cursor of the history of {subject}"
                )));
            }
        }
        let page = store(ctx).history_of(subject, request).await?;
        Ok(connection(page, HistoryEntryNode))
    }

    /// A need by id.
    async fn need(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<NeedNode>> {
        found(
            &id,
            load_as(ctx, &id, domain::NeedId::parse, NeedNode).await?,
        )
    }

    /// Needs, by French label.
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn needs(
        &self,
        ctx: &Context<'_>,
        filter: Option<NeedFilter>,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<NeedNode>> {
        let filter = filter.unwrap_or_default().into_store()?;
        let want_total = ctx.look_ahead().field("totalCount").exists();
        let page = store(ctx)
            .list_needs(
                filter,
                paging::request_of("needs", "need", first, after, want_total)?,
            )
            .await?;
        Ok(connection(page, NeedNode))
    }

    /// A solution by id.
    async fn solution(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<SolutionNode>> {
        found(
            &id,
            load_as(ctx, &id, domain::SolutionId::parse, SolutionNode).await?,
        )
    }

    /// Solutions, libre and proprietary.
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn solutions(
        &self,
        ctx: &Context<'_>,
        filter: Option<SolutionFilter>,
        #[graphql(default)] sort: SolutionOrder,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<SolutionNode>> {
        let filter = filter.unwrap_or_default().into_store()?;
        let want_total = ctx.look_ahead().field("totalCount").exists();
        let request = paging::request_of("solutions", "solution", first, after, want_total)?;
        let page = store(ctx)
            .list_solutions(filter, sort.into(), request)
            .await?;
        Ok(connection(page, SolutionNode))
    }

    /// A publisher by id.
    async fn publisher(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<PublisherNode>> {
        found(
            &id,
            load_as(ctx, &id, domain::PublisherId::parse, PublisherNode).await?,
        )
    }

    /// A collectivity by id.
    async fn collectivity(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<CollectivityNode>> {
        found(
            &id,
            load_as(ctx, &id, domain::CollectivityId::parse, CollectivityNode).await?,
        )
    }

    /// Collectivities: any public body.
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn collectivities(
        &self,
        ctx: &Context<'_>,
        filter: Option<CollectivityFilter>,
        #[graphql(default)] sort: CollectivityOrder,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<CollectivityNode>> {
        let filter = filter.unwrap_or_default().into_store()?;
        let want_total = ctx.look_ahead().field("totalCount").exists();
        let request =
            paging::request_of("collectivities", "collectivity", first, after, want_total)?;
        let page = store(ctx)
            .list_collectivities(filter, sort.into(), request)
            .await?;
        Ok(connection(page, CollectivityNode))
    }

    /// An adoption by id.
    async fn adoption(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<AdoptionNode>> {
        found(
            &id,
            load_as(ctx, &id, domain::AdoptionId::parse, AdoptionNode).await?,
        )
    }

    /// Adoptions: who uses what, for which need, and how it went.
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn adoptions(
        &self,
        ctx: &Context<'_>,
        filter: Option<AdoptionFilter>,
        #[graphql(default)] sort: AdoptionOrder,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<AdoptionNode>> {
        let filter = filter.unwrap_or_default().into_store()?;
        let want_total = ctx.look_ahead().field("totalCount").exists();
        let request = paging::request_of("adoptions", "adoption", first, after, want_total)?;
        let page = store(ctx)
            .list_adoptions(filter, sort.into(), request)
            .await?;
        Ok(connection(page, AdoptionNode))
    }

    /// An outcome by id.
    async fn outcome(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<OutcomeNode>> {
        found(
            &id,
            load_as(ctx, &id, domain::OutcomeId::parse, OutcomeNode).await?,
        )
    }

    /// A source by id.
    async fn source(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<SourceNode>> {
        found(
            &id,
            load_as(ctx, &id, domain::SourceId::parse, SourceNode).await?,
        )
    }

    /// Every source, by id, with how many facts cite it.
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<SourceNode>> {
        let want_total = ctx.look_ahead().field("totalCount").exists();
        let page = store(ctx)
            .list_sources(paging::request_of(
                "sources", "source", first, after, want_total,
            )?)
            .await?;
        Ok(connection(page, SourceNode))
    }

    /// Needs, solutions and collectivities matching a text: accent- and case-insensitive,
    /// every word of three letters or more matched as a prefix ("visio" finds
    /// "Visioconférence"), shorter ones as whole words. Best first: a name that is exactly the
    /// text, then names holding every word, then other text (descriptions, needs served,
    /// INSEE codes); within each, needs, then solutions, then collectivities; then the most
    /// prominent (a need by its adoptions, a solution by the sources citing it then its
    /// adoptions, a collectivity by its population then its adoptions). Read from the analysis
    /// index, like the analyses.
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        text: String,
        kinds: Option<Vec<NodeKind>>,
        #[graphql(desc = "Results: 0 to 100 (20 by default).")] first: Option<WideInt>,
    ) -> ApiResult<Vec<SearchResult>> {
        let text = check_text(Some(text))?.unwrap_or_default();
        let terms = domain::search_terms(&text, 8);
        if terms.is_empty() {
            return Err(ApiError::BadInput(
                "the search text has no letter or digit".to_owned(),
            ));
        }
        let limit = paging::page_size(first.or(Some(WideInt(20))))?.min(MAX_PAGE as usize);
        let kinds: Vec<EntityKind> = kinds
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let ix = insight::index(ctx).await?;
        Ok(ix
            .text
            .search(&terms, &kinds, limit)
            .iter()
            .map(|found| {
                let (id, label) = ix.found(found);
                SearchResult {
                    kind: id.kind().into(),
                    id,
                    label: label.to_owned(),
                    score: found.score,
                }
            })
            .collect())
    }

    /// The collectivities most similar to one, best first (ties broken by id), each with its
    /// similarity's parts; with a need, what each peer adopted for it and how it went.
    async fn peers(
        &self,
        ctx: &Context<'_>,
        of: ID,
        need: Option<ID>,
        #[graphql(default_with = "WideInt(10)", desc = "Peers: 0 to 100.")] first: WideInt,
    ) -> ApiResult<Vec<Peer>> {
        let first = insight::first(first)?;
        let ix = insight::index(ctx).await?;
        let of = insight::find_collectivity(&ix, &of)?;
        let need = need.map(|n| insight::find_need(&ix, &n)).transpose()?;
        Ok(insight::peers(&ix, of, need, first))
    }

    /// Peer experience for a need (narrower needs included): the solutions adopted for it,
    /// grouped by solution, with counts by status and outcome, strategies, hosting, dates,
    /// sources and the evidence score's parts; with `for`, that body's peers weigh in.
    async fn experience(
        &self,
        ctx: &Context<'_>,
        need: ID,
        #[graphql(name = "for")] asker: Option<ID>,
        filter: Option<ExperienceFilter>,
        #[graphql(default_with = "WideInt(20)", desc = "Solutions: 0 to 100.")] first: WideInt,
    ) -> ApiResult<Experience> {
        let first = insight::first(first)?;
        let filter = filter.unwrap_or_default().into_analysis()?;
        let ix = insight::index(ctx).await?;
        let need = insight::find_need(&ix, &need)?;
        let asker = asker
            .map(|c| insight::find_collectivity(&ix, &c))
            .transpose()?;
        Ok(insight::experience(&ix, need, asker, &filter, first))
    }

    /// Ways away from a solution: its libre alternatives (direct REPLACES links, then libre
    /// solutions serving the same needs), ranked by evidence, with the walk
    /// start → alternative → adoptions → adopters → outcomes.
    async fn adoption_paths(
        &self,
        ctx: &Context<'_>,
        from: ID,
        #[graphql(name = "for")] asker: Option<ID>,
        #[graphql(default_with = "WideInt(10)", desc = "Alternatives: 0 to 100.")] first: WideInt,
        #[graphql(
            default_with = "WideInt(5)",
            desc = "Adopters shown per alternative (0 to 100)."
        )]
        adopters: WideInt,
    ) -> ApiResult<AdoptionPaths> {
        let first = insight::first(first)?;
        let adopters = paging::rows("adopters", adopters)?;
        let ix = insight::index(ctx).await?;
        let from = insight::find_solution(&ix, &from)?;
        let asker = asker
            .map(|c| insight::find_collectivity(&ix, &c))
            .transpose()?;
        Ok(insight::adoption_paths(&ix, from, asker, first, adopters))
    }

    /// The selection procedure for a collectivity and a need: (1) what it already runs,
    /// (2) libre solutions, (3) proprietary ones with continuity risk, (4) building in-house.
    async fn selection_advice(
        &self,
        ctx: &Context<'_>,
        collectivity: ID,
        need: ID,
    ) -> ApiResult<SelectionAdvice> {
        let ix = insight::index(ctx).await?;
        let c = insight::find_collectivity(&ix, &collectivity)?;
        let need = insight::find_need(&ix, &need)?;
        Ok(insight::selection_advice(&ix, c, need))
    }

    /// A collectivity's figures: those it stated, and those computed from its adoptions.
    async fn collectivity_statistics(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> ApiResult<CollectivityStatistics> {
        let ix = insight::index(ctx).await?;
        let c = insight::find_collectivity(&ix, &id)?;
        Ok(insight::collectivity_statistics(&ix, c))
    }

    /// Adoptions by start year, for a need (narrower needs included), a solution, or a
    /// solution for a need.
    async fn adoption_timeline(
        &self,
        ctx: &Context<'_>,
        need: Option<ID>,
        solution: Option<ID>,
    ) -> ApiResult<AdoptionTimeline> {
        if need.is_none() && solution.is_none() {
            return Err(ApiError::BadInput(
                "give a `need`, a `solution`, or both".to_owned(),
            ));
        }
        let ix = insight::index(ctx).await?;
        let need = need.map(|n| insight::find_need(&ix, &n)).transpose()?;
        let solution = solution
            .map(|s| insight::find_solution(&ix, &s))
            .transpose()?;
        Ok(insight::timeline(&ix, need, solution))
    }

    /// National totals, then one per kind of collectivity (computed from the graph).
    async fn aggregates(&self, ctx: &Context<'_>) -> ApiResult<Vec<Aggregate>> {
        let ix = insight::index(ctx).await?;
        Ok(insight::aggregates(&ix))
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
    #[graphql(complexity = "first.map_or(20, |f| f.clamped(100)) * child_complexity")]
    async fn releases(
        &self,
        ctx: &Context<'_>,
        solution: Option<ID>,
        since: Option<String>,
        #[graphql(default = false)] include_prereleases: bool,
        #[graphql(desc = "Rows in the page: 0 to 100 (20 by default).")] first: Option<WideInt>,
        after: Option<String>,
    ) -> ApiResult<Conn<ReleaseNode>> {
        super::watch::releases(ctx, solution, since, include_prereleases, first, after).await
    }

    /// Every watch source, by id: when it was last checked, last answered well, its last
    /// error and its next check. Retired sources (never polled again) are left out unless
    /// `includeRetired` is true; they then carry their `retired` date.
    async fn watch_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] include_retired: bool,
    ) -> ApiResult<Vec<WatchStatusNode>> {
        super::watch::watch_status(ctx, include_retired).await
    }

    /// A watch source by id (retired ones included).
    async fn watch_source(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<WatchSourceNode>> {
        let key = parse_id(&id, domain::WatchSourceId::parse)?;
        let source = store(ctx).watch_sources(vec![key]).await?.pop();
        found(&id, source.map(WatchSourceNode))
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
        #[graphql(
            default_with = "WideInt(180)",
            desc = "Days ahead an end of support is announced: 0 to 3650."
        )]
        within_days: WideInt,
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
