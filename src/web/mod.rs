//! The web explorer: server-rendered HTML pages for people who do not write GraphQL.
//!
//! French first, English with `?lang=en`; every page has a stable path:
//!
//! | path | page |
//! | --- | --- |
//! | `/` (`?q=` to search) | [`search`]: one box, results grouped by needs, solutions, collectivities |
//! | `/besoins/<id>` (`?pour=<collectivity>`) | [`need`]: libre and proprietary solutions side by side, adopters, selection advice |
//! | `/solutions/<id>` | [`solution`]: licence, publisher, risk, alternatives, adopters, timeline, releases, sources |
//! | `/collectivites/<id>` | [`collectivity`]: what it runs, libre share, peers, end-of-life alerts |
//! | `/parcours/<id>` | [`paths`]: adoption paths away from a solution, drawn as inline SVG |
//! | `/sources/<id>` | [`source`]: a source and its licence |
//!
//! `<id>` is a node's id without its prefix (`bigbluebutton`), or with it. Pages read through
//! the store and the analysis index (no GraphQL, no SQL), need no JavaScript, and embed nothing
//! from outside: the only asset is the stylesheet bundled into the binary.

mod collectivity;
mod html;
mod need;
mod paths;
mod search;
mod solution;
mod source;
mod svg;
mod tables;

use std::collections::HashMap;
use std::sync::Arc;

use poem::http::{header, StatusCode};
use poem::web::{Data, Path, Query};
use poem::{get, handler, EndpointExt, Response, Route};
use serde::Deserialize;

use crate::analysis::{Analysis, Index};
use crate::domain::{AdoptionId, Outcome, Source};
use crate::store::{Store, StoreError, StoreResult};

pub use html::{esc, Lang, Page};

/// The explorer's stylesheet, bundled into the binary.
pub const STYLESHEET: &str = include_str!("../../web/explorer.css");

/// What the pages read from: the store and the cached analysis index.
pub struct Explorer {
    store: Arc<dyn Store>,
    analysis: Arc<Analysis>,
}

impl Explorer {
    /// An explorer over `store`, sharing the analyses (and their cached index) of `analysis`.
    pub fn new(store: Arc<dyn Store>, analysis: Arc<Analysis>) -> Self {
        Self { store, analysis }
    }
}

/// The query parameters the pages understand.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    /// `en` for English.
    pub lang: Option<String>,
    /// The search text.
    pub q: Option<String>,
    /// The collectivity asking for selection advice, on a need's page.
    pub pour: Option<String>,
}

/// What a page renderer is given.
pub struct Ctx<'a> {
    /// The page's language.
    pub lang: Lang,
    /// The analysis index of the store's current revision.
    pub ix: Arc<Index>,
    /// The store.
    pub store: &'a dyn Store,
    /// The query parameters.
    pub params: &'a Params,
}

impl Ctx<'_> {
    /// The source at this index position.
    pub fn source(&self, i: u32) -> &Source {
        &self.ix.sources[i as usize]
    }

    /// The sources at these index positions.
    pub fn sources(&self, ids: &[u32]) -> Vec<&Source> {
        ids.iter().map(|&i| self.source(i)).collect()
    }

    /// The sources the store cites for a node.
    pub async fn cited(&self, node: &str) -> StoreResult<Vec<&Source>> {
        let Ok(id) = crate::domain::NodeId::parse(node) else {
            return Ok(Vec::new());
        };
        let citations = self.store.citations_of(vec![id]).await?;
        Ok(citations
            .iter()
            .filter_map(|c| self.ix.find(c.source.as_str()))
            .map(|i| self.source(i))
            .collect())
    }

    /// The full outcomes (with their summaries) of these adoptions, by outcome id; only the
    /// first [`tables::MAX_ROWS`] adoptions are read, as tables show no more.
    pub async fn outcomes(&self, adoptions: &[u32]) -> StoreResult<HashMap<String, Outcome>> {
        let ids: Vec<AdoptionId> = adoptions
            .iter()
            .take(tables::MAX_ROWS)
            .filter(|&&a| !self.ix.outcomes_of.get(a).is_empty())
            .map(|&a| self.ix.adoptions[a as usize].id.clone())
            .collect();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let outcomes = self.store.outcomes_of(ids).await?;
        Ok(outcomes
            .into_iter()
            .filter(|o| o.retired.is_none())
            .map(|o| (o.id.as_str().to_owned(), o))
            .collect())
    }
}

/// The full id named by a path segment: `x` → `<prefix>:x`; `<prefix>:x` as is.
fn full_id(prefix: &str, segment: &str) -> String {
    match segment.split_once(':') {
        Some((p, _)) if p == prefix => segment.to_owned(),
        _ => format!("{prefix}:{segment}"),
    }
}

/// Adds the explorer's pages to `route`.
pub fn mount(route: Route, explorer: Arc<Explorer>) -> Route {
    route
        .at("/", get(search_page).data(explorer.clone()))
        .at("/besoins/:id", get(need_page).data(explorer.clone()))
        .at("/solutions/:id", get(solution_page).data(explorer.clone()))
        .at(
            "/collectivites/:id",
            get(collectivity_page).data(explorer.clone()),
        )
        .at("/parcours/:id", get(paths_page).data(explorer.clone()))
        .at("/sources/:id", get(source_page).data(explorer))
}

/// The kinds of page, for the dispatcher.
#[derive(Clone, Copy)]
enum Kind {
    Search,
    Need,
    Solution,
    Collectivity,
    Paths,
    Source,
}

async fn render(explorer: &Explorer, kind: Kind, id: Option<String>, params: Params) -> Response {
    let lang = Lang::from_param(params.lang.as_deref());
    let ix = match explorer.analysis.index().await {
        Ok(ix) => ix,
        Err(e) => return unavailable(lang, e),
    };
    let ctx = Ctx {
        lang,
        ix: ix.clone(),
        store: explorer.store.as_ref(),
        params: &params,
    };
    let id = id.unwrap_or_default();
    let page = match kind {
        Kind::Search => search::page(&ctx).await.map(Some),
        Kind::Need => need::page(&ctx, &full_id("need", &id)).await,
        Kind::Solution => solution::page(&ctx, &full_id("solution", &id)).await,
        Kind::Collectivity => collectivity::page(&ctx, &full_id("collectivity", &id)).await,
        Kind::Paths => paths::page(&ctx, &full_id("solution", &id)).await,
        Kind::Source => source::page(&ctx, &full_id("source", &id)).await,
    };
    match page {
        Ok(Some(page)) => html_response(StatusCode::OK, html::layout(lang, &page, &ix.sources)),
        Ok(None) => {
            let page = Page {
                path: "/".to_owned(),
                title: lang.t("Page introuvable", "Page not found").to_owned(),
                body: format!(
                    "<p>{}</p>",
                    lang.t(
                        "Rien ne porte cet identifiant. Essayez la recherche.",
                        "Nothing has this id. Try the search."
                    )
                ),
            };
            html_response(
                StatusCode::NOT_FOUND,
                html::layout(lang, &page, &ix.sources),
            )
        }
        Err(e) => unavailable(lang, e),
    }
}

fn unavailable(lang: Lang, e: StoreError) -> Response {
    tracing::warn!(error = %e, "cannot render an explorer page");
    let page = Page {
        path: "/".to_owned(),
        title: lang
            .t("Service indisponible", "Service unavailable")
            .to_owned(),
        body: format!(
            "<p>{}</p>",
            lang.t(
                "Les données ne répondent pas pour le moment. Réessayez plus tard.",
                "The data cannot be read right now. Try again later."
            )
        ),
    };
    html_response(
        StatusCode::SERVICE_UNAVAILABLE,
        html::layout(lang, &page, &[]),
    )
}

fn html_response(status: StatusCode, body: String) -> Response {
    Response::builder()
        .status(status)
        .content_type("text/html; charset=utf-8")
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        )
        .header(header::CACHE_CONTROL, "no-cache")
        .body(body)
}

#[handler]
async fn search_page(Query(params): Query<Params>, Data(ex): Data<&Arc<Explorer>>) -> Response {
    render(ex, Kind::Search, None, params).await
}

#[handler]
async fn need_page(
    Path(id): Path<String>,
    Query(params): Query<Params>,
    Data(ex): Data<&Arc<Explorer>>,
) -> Response {
    render(ex, Kind::Need, Some(id), params).await
}

#[handler]
async fn solution_page(
    Path(id): Path<String>,
    Query(params): Query<Params>,
    Data(ex): Data<&Arc<Explorer>>,
) -> Response {
    render(ex, Kind::Solution, Some(id), params).await
}

#[handler]
async fn collectivity_page(
    Path(id): Path<String>,
    Query(params): Query<Params>,
    Data(ex): Data<&Arc<Explorer>>,
) -> Response {
    render(ex, Kind::Collectivity, Some(id), params).await
}

#[handler]
async fn paths_page(
    Path(id): Path<String>,
    Query(params): Query<Params>,
    Data(ex): Data<&Arc<Explorer>>,
) -> Response {
    render(ex, Kind::Paths, Some(id), params).await
}

#[handler]
async fn source_page(
    Path(id): Path<String>,
    Query(params): Query<Params>,
    Data(ex): Data<&Arc<Explorer>>,
) -> Response {
    render(ex, Kind::Source, Some(id), params).await
}
