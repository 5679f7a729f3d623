//! The web explorer: server-rendered HTML pages for people who do not write GraphQL.
//!
//! French first, English under `/en/` (or `?lang=en`); every page has a stable path:
//!
//! | path | page |
//! | --- | --- |
//! | `/` (`?q=` to search) | [`home`]: themes and needs with their counts, search, my collectivity |
//! | `/besoins/<id>` (`?pour=<collectivity>`) | [`need`]: solutions side by side, my peers' choices, adopters, advice |
//! | `/solutions/<id>` | [`solution`]: licence, publisher, risk, alternatives, adopters, timeline, releases, sources |
//! | `/collectivites/<id>` | [`collectivity`]: what it runs, libre share, peers, end-of-life alerts |
//! | `/parcours/<id>` | [`paths`]: adoption paths away from a solution, drawn as inline SVG |
//! | `/sources/`, `/sources/<id>` | [`source`]: every source; a source, its licence and the facts citing it |
//! | `/suggestions?qui=` | JSON for the suggestions script: collectivities matching the text ([`picker`]) |
//! | `/graphiql` | GraphiQL ([`graphiql`]) |
//!
//! "My collectivity" is chosen once (`?pour=`) and remembered in a cookie. Tables take filters,
//! sort and pages as query parameters ([`filters`]) and download as CSV (`?format=csv&tableau=`).
//! `<id>` is a node's id without its prefix (`bigbluebutton`), or with it. Pages read through
//! the store and the analysis index (no GraphQL, no SQL), need no JavaScript, and embed nothing
//! from outside: the assets are bundled into the binary under hashed names ([`assets`]): the
//! stylesheet, the icon, and one small script of ours that offers collectivities while one
//! types a name (`/suggestions?qui=`, JSON; the plain form works without it). GraphiQL's page
//! and assets ([`graphiql`]) are served the same way on `/graphiql`.

mod answer;
mod assets;
mod collectivity;
mod counts;
mod filters;
mod graphiql;
mod home;
mod html;
mod labels;
mod map;
mod need;
mod paths;
mod picker;
mod places;
mod search;
mod solution;
mod source;
mod svg;
mod table;
mod tables;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use poem::http::{header, StatusCode};
use poem::web::{Data, Path, Query};
use poem::{get, handler, EndpointExt, Request, Response, Route};
use serde::Deserialize;

use crate::analysis::{Analysis, Index};
use crate::domain::{AdoptionId, Outcome, Source};
use crate::store::{Store, StoreError, StoreResult};

pub use assets::STYLESHEET;
pub use html::{esc, Lang, Page};

/// What the pages read from: the store and the cached analysis index.
pub struct Explorer {
    store: Arc<dyn Store>,
    analysis: Arc<Analysis>,
    need_counts: counts::NeedCountsMemo,
}

impl Explorer {
    /// An explorer over `store`, sharing the analyses (and their cached index) of `analysis`.
    pub fn new(store: Arc<dyn Store>, analysis: Arc<Analysis>) -> Self {
        Self {
            store,
            analysis,
            need_counts: counts::NeedCountsMemo::default(),
        }
    }
}

/// The query parameters the pages understand (all text: bad values get a clear error page).
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    /// `en` for English (the `/en/` paths do the same).
    pub lang: Option<String>,
    /// The search text.
    pub q: Option<String>,
    /// My collectivity (empty to forget it).
    pub pour: Option<String>,
    /// Text typed to find my collectivity.
    pub qui: Option<String>,
    /// `csv` to download a table.
    pub format: Option<String>,
    /// Which table to download.
    pub tableau: Option<String>,
    /// Filter: department code.
    pub departement: Option<String>,
    /// Filter: size class of the adopter.
    pub taille: Option<String>,
    /// Filter: adoption status.
    pub statut: Option<String>,
    /// Filter: `libre` or `proprietaire`.
    pub licence: Option<String>,
    /// Sort: a column's key.
    pub tri: Option<String>,
    /// Sort order: `asc` or `desc`.
    pub ordre: Option<String>,
    /// Page number, from 1.
    pub page: Option<String>,
    /// `1` to show every row.
    pub tout: Option<String>,
}

/// A CSV download made while rendering a page: its file name and text.
pub struct Csv {
    /// File name offered to the browser.
    pub filename: String,
    /// The text, with a header line.
    pub body: String,
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
    /// My collectivity (index position), from `?pour=` or the cookie.
    pub pour: Option<u32>,
    /// The table's filters, sort and page.
    pub filters: filters::Filters,
    /// The CSV asked for, once a table produced it.
    pub csv: Mutex<Option<Csv>>,
    /// The need counts, kept per index revision.
    need_counts: &'a counts::NeedCountsMemo,
}

impl Ctx<'_> {
    /// How many solutions and adopters each need has (index order), narrower needs included.
    pub fn need_counts(&self) -> Arc<Vec<counts::NeedCounts>> {
        self.need_counts.of(&self.ix)
    }

    /// The source at this index position.
    pub fn source(&self, i: u32) -> &Source {
        &self.ix.sources[i as usize]
    }

    /// The sources at these index positions.
    pub fn sources(&self, ids: &[u32]) -> Vec<&Source> {
        ids.iter().map(|&i| self.source(i)).collect()
    }

    /// True when the request asks for the CSV of table `id`.
    pub fn wants_csv(&self, id: &str) -> bool {
        self.params.format.as_deref() == Some("csv") && self.params.tableau.as_deref() == Some(id)
    }

    /// Keeps the CSV of a table for the response.
    pub fn keep_csv(&self, csv: Csv) {
        *self.csv.lock().unwrap_or_else(|e| e.into_inner()) = Some(csv);
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

    /// The section listing the sources the store cites for a node (a dash when none).
    pub async fn sources_section(&self, node: &str) -> StoreResult<String> {
        let sources = self.cited(node).await?;
        let links = if sources.is_empty() {
            "—".to_owned()
        } else {
            html::source_links(self.lang, &sources)
        };
        Ok(format!(
            "<section aria-labelledby=\"sources\">\n<h2 id=\"sources\">{}</h2>\n<p>{links}</p>\n</section>\n",
            self.lang.t("Sources", "Sources"),
        ))
    }

    /// The full outcomes (with their summaries) of these adoptions, by outcome id.
    pub async fn outcomes(&self, adoptions: &[u32]) -> StoreResult<HashMap<String, Outcome>> {
        let ids: Vec<AdoptionId> = adoptions
            .iter()
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

/// Adds the explorer's pages, in one language's paths, to `route`.
fn add_pages(route: Route, explorer: &Arc<Explorer>) -> Route {
    let page = |kind: Kind| get(explorer_page).data(explorer.clone()).data(kind);
    route
        .at("/", page(Kind::Home))
        .at("/besoins/:id", page(Kind::Node(NodePage::Need)))
        .at("/solutions/:id", page(Kind::Node(NodePage::Solution)))
        .at(
            "/collectivites/:id",
            page(Kind::Node(NodePage::Collectivity)),
        )
        .at("/parcours/:id", page(Kind::Node(NodePage::Paths)))
        .at("/sources", page(Kind::Sources))
        .at("/sources/", page(Kind::Sources))
        .at("/sources/:id", page(Kind::Node(NodePage::Source)))
        .at("/suggestions", get(suggestions).data(explorer.clone()))
}

/// Adds the explorer's pages (French at the root, English under `/en/`), its assets, the
/// icon, `robots.txt` and the explorer's "page not found" for any other path to `route`.
pub fn mount(route: Route, explorer: Arc<Explorer>) -> Route {
    let english = unknown_paths(add_pages(Route::new(), &explorer), &explorer);
    unknown_paths(add_pages(route, &explorer), &explorer)
        .nest("/en", english)
        .at("/static/:name", get(assets::static_asset))
        .at("/graphiql", get(graphiql::page))
        .at("/favicon.ico", get(assets::favicon))
        .at("/robots.txt", get(assets::robots))
}

/// Answers paths that name no page with the explorer's "page not found". Parameters, not a
/// root catch-all: the router prefers a catch-all to the root's own page, and every static
/// route (the API's included) still wins over a parameter.
fn unknown_paths(route: Route, explorer: &Arc<Explorer>) -> Route {
    route
        .at("/:first", get(not_found_page).data(explorer.clone()))
        .at("/:first/*rest", get(not_found_page).data(explorer.clone()))
}

/// The kinds of page, for the dispatcher.
#[derive(Clone, Copy)]
enum Kind {
    Home,
    Sources,
    /// A page about one node, named by the path.
    Node(NodePage),
}

/// The kinds of page about one node.
#[derive(Clone, Copy)]
enum NodePage {
    Need,
    Solution,
    Collectivity,
    Paths,
    Source,
}

impl NodePage {
    /// The id prefix of the nodes it shows.
    fn prefix(self) -> &'static str {
        match self {
            NodePage::Need => "need",
            NodePage::Solution | NodePage::Paths => "solution",
            NodePage::Collectivity => "collectivity",
            NodePage::Source => "source",
        }
    }

    /// The page of the node at index position `at` (a node of this kind).
    async fn render(self, ctx: &Ctx<'_>, at: u32) -> StoreResult<Page> {
        match self {
            NodePage::Need => need::page(ctx, at).await,
            NodePage::Solution => solution::page(ctx, at).await,
            NodePage::Collectivity => collectivity::page(ctx, at).await,
            NodePage::Paths => paths::page(ctx, at).await,
            NodePage::Source => source::page(ctx, at).await,
        }
    }
}

/// The language of a request: `/en/...` paths and `?lang=en` are English.
fn lang_of(req: &Request, params: &Params) -> Lang {
    let path = req.original_uri().path();
    if path == "/en" || path.starts_with("/en/") {
        Lang::En
    } else {
        Lang::from_param(params.lang.as_deref())
    }
}

/// The name of the cookie remembering my collectivity.
const POUR_COOKIE: &str = "retex_pour";

/// My collectivity's slug from the cookie, if any.
fn pour_cookie(req: &Request) -> Option<String> {
    let cookies = req.headers().get(header::COOKIE)?.to_str().ok()?;
    cookies.split(';').find_map(|c| {
        let (name, value) = c.trim().split_once('=')?;
        (name == POUR_COOKIE && !value.is_empty()).then(|| value.to_owned())
    })
}

/// What `?pour=` asks of the cookie: set it, clear it, or leave it.
enum CookieChange {
    Keep,
    Set(String),
    Clear,
}

impl CookieChange {
    /// The `Set-Cookie` value that makes the change (none to leave the cookie).
    fn header(self) -> Option<String> {
        let (slug, max_age) = match self {
            CookieChange::Keep => return None,
            CookieChange::Set(slug) => (slug, 31_536_000),
            CookieChange::Clear => (String::new(), 0),
        };
        Some(format!(
            "{POUR_COOKIE}={slug}; Path=/; Max-Age={max_age}; SameSite=Lax; HttpOnly"
        ))
    }
}

async fn render(
    explorer: &Explorer,
    req: &Request,
    kind: Kind,
    id: Option<String>,
    params: Params,
) -> Response {
    let lang = lang_of(req, &params);
    let ix = match explorer.analysis.index().await {
        Ok(ix) => ix,
        Err(e) => return unavailable(lang, e),
    };
    let filters = match filters::Filters::parse(&params) {
        Ok(f) => f,
        Err(message) => return bad_request(lang, &message),
    };
    let (pour, cookie) = match params.pour.as_deref().map(str::trim) {
        Some("") => (None, CookieChange::Clear),
        Some(p) => match ix.collectivity(&full_id("collectivity", p)) {
            Some(c) => (
                Some(c),
                CookieChange::Set(ix.collectivities[c as usize].id.slug().to_owned()),
            ),
            None => {
                return not_found(
                    lang,
                    &ix,
                    lang.t(
                        "Aucune collectivité ne porte l'identifiant donné dans « pour ». Cherchez-la par son nom ou son code INSEE.",
                        "No collectivity has the id given in \"pour\". Search for it by name or INSEE code.",
                    ),
                )
            }
        },
        None => (
            pour_cookie(req).and_then(|p| ix.collectivity(&full_id("collectivity", &p))),
            CookieChange::Keep,
        ),
    };
    let ctx = Ctx {
        lang,
        ix: ix.clone(),
        store: explorer.store.as_ref(),
        params: &params,
        pour,
        filters,
        csv: Mutex::new(None),
        need_counts: &explorer.need_counts,
    };
    let id = id.unwrap_or_default();
    let page = match kind {
        Kind::Home => home::page(&ctx).await.map(Some),
        Kind::Sources => source::list(&ctx).await.map(Some),
        Kind::Node(node) => match ix.find(&full_id(node.prefix(), &id)) {
            Some(at) => node.render(&ctx, at).await.map(Some),
            None => Ok(None),
        },
    };
    let mut response = match page {
        Ok(Some(page)) => {
            let csv = ctx.csv.lock().unwrap_or_else(|e| e.into_inner()).take();
            match (csv, params.format.as_deref()) {
                (Some(csv), _) => csv_response(csv),
                (None, Some("csv")) => bad_request(
                    lang,
                    lang.t(
                        "Ce tableau n'existe pas sur cette page (paramètre « tableau »).",
                        "This page has no such table (parameter \"tableau\").",
                    ),
                ),
                (None, _) => html_response(StatusCode::OK, html::layout(lang, &page, Some(&ix))),
            }
        }
        Ok(None) => not_found(
            lang,
            &ix,
            lang.t(
                "Rien ne porte cet identifiant. Essayez la recherche.",
                "Nothing has this id. Try the search.",
            ),
        ),
        Err(e) => return unavailable(lang, e),
    };
    if let Some(v) = cookie.header().and_then(|h| h.parse().ok()) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// The explorer's "page not found", in the explorer's layout.
fn not_found(lang: Lang, ix: &Index, message: &str) -> Response {
    let page = Page {
        path: "/".to_owned(),
        title: lang.t("Page introuvable", "Page not found").to_owned(),
        description: message.to_owned(),
        body: format!(
            "<p>{}</p>\n<p><a href=\"{}\">{}</a></p>",
            esc(message),
            esc(&lang.href("/")),
            lang.t(
                "Retour à l'accueil et à la recherche",
                "Back to the home page and the search"
            )
        ),
    };
    html_response(StatusCode::NOT_FOUND, html::layout(lang, &page, Some(ix)))
}

/// A page saying which parameter was wrong.
fn bad_request(lang: Lang, message: &str) -> Response {
    let page = Page {
        path: "/".to_owned(),
        title: lang.t("Demande invalide", "Invalid request").to_owned(),
        description: message.to_owned(),
        body: format!("<p>{}</p>", esc(message)),
    };
    html_response(StatusCode::BAD_REQUEST, html::layout(lang, &page, None))
}

fn unavailable(lang: Lang, e: StoreError) -> Response {
    tracing::warn!(error = %e, "cannot render an explorer page");
    let message = lang.t(
        "Les données ne répondent pas pour le moment. Réessayez plus tard.",
        "The data cannot be read right now. Try again later.",
    );
    let page = Page {
        path: "/".to_owned(),
        title: lang
            .t("Service indisponible", "Service unavailable")
            .to_owned(),
        description: message.to_owned(),
        body: format!("<p>{message}</p>"),
    };
    html_response(
        StatusCode::SERVICE_UNAVAILABLE,
        html::layout(lang, &page, None),
    )
}

fn html_response(status: StatusCode, body: String) -> Response {
    Response::builder()
        .status(status)
        .content_type("text/html; charset=utf-8")
        .header(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        )
        .header(header::CACHE_CONTROL, "no-cache")
        .body(body)
}

fn csv_response(csv: Csv) -> Response {
    Response::builder()
        .content_type("text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", csv.filename),
        )
        .header(header::CACHE_CONTROL, "no-cache")
        .body(csv.body)
}

/// The HTML page of the data export (`/data/` asked by a browser): counts, files, sources.
pub fn data_page(req: &Request, manifest: &crate::export::Manifest) -> Response {
    let lang = lang_of(req, &Params::default());
    let page = assets::data_page(lang, manifest);
    html_response(StatusCode::OK, html::layout(lang, &page, None))
}

/// True when a request prefers HTML (a browser): `text/html` in its `Accept` header.
pub fn wants_html(req: &Request) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

#[handler]
async fn not_found_page(req: &Request, Data(ex): Data<&Arc<Explorer>>) -> Response {
    let lang = lang_of(req, &Params::default());
    let ix = match ex.analysis.index().await {
        Ok(ix) => ix,
        Err(e) => return unavailable(lang, e),
    };
    not_found(
        lang,
        &ix,
        lang.t(
            "Cette adresse ne mène à aucune page. Vérifiez-la ou partez de l'accueil.",
            "This address leads to no page. Check it or start from the home page.",
        ),
    )
}

/// `/suggestions?qui=`: the collectivities to offer while one types a name (JSON, for
/// `web/suggest.js`).
#[handler]
async fn suggestions(
    req: &Request,
    Query(params): Query<Params>,
    Data(ex): Data<&Arc<Explorer>>,
) -> Response {
    let lang = lang_of(req, &params);
    let found = match ex.analysis.index().await {
        Ok(ix) => Ok(picker::suggestions(
            lang,
            &ix,
            params.qui.as_deref().unwrap_or(""),
        )),
        Err(e) => Err(e),
    };
    let (status, body) = match found.map(|f| serde_json::to_string(&f)) {
        Ok(Ok(json)) => (StatusCode::OK, json),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "cannot write the suggestions");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                r#"{"status":"","suggestions":[]}"#.to_owned(),
            )
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the suggestions");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                r#"{"status":"","suggestions":[]}"#.to_owned(),
            )
        }
    };
    Response::builder()
        .status(status)
        .content_type("application/json; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(body)
}

/// Every explorer page: its kind is the route's, its id the path's (none for the home page and
/// the list of sources).
#[handler]
async fn explorer_page(
    req: &Request,
    id: Option<Path<String>>,
    Query(params): Query<Params>,
    Data(ex): Data<&Arc<Explorer>>,
    Data(kind): Data<&Kind>,
) -> Response {
    render(ex, req, *kind, id.map(|Path(id)| id), params).await
}
