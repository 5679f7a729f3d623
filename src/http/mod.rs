//! The HTTP face: the web explorer's pages (see [`crate::web`]) on `GET /`, `POST /graphql`,
//! GraphiQL on `GET /graphiql` (page and hashed assets served by [`crate::web`]),
//! `GET /health`, subscriptions over WebSocket (graphql-transport-ws) on `/graphql/ws`, and the
//! release watch's Atom feeds on `/feeds/solutions/<id>.atom` and
//! `/feeds/collectivities/<id>.atom`, and Prometheus metrics on `GET /metrics`. No asset comes
//! from a CDN: retex runs on closed networks.
//!
//! Hardening lives here too: body size and content type checks, every request priced before
//! it runs (fields as expanded, cost; see [`crate::api::price`]), an answer size cap, a
//! timeout per request, optional CORS, and the bearer token resolved into the [`Caller`]
//! every mutation is authorized against.
//!
//! - [`documents`]: parsed query documents, kept by text (one parse per distinct query).
//! - [`limits`]: the price check, the answer cap, `application/graphql-response+json`.
//! - [`responses`]: answers to anonymous read queries, kept per store revision.
//! - [`ws`]: GraphQL over WebSocket (graphql-transport-ws) under the same limits.

pub mod client;
pub mod documents;
pub mod fast;
pub mod health;
pub mod limits;
pub mod responses;
pub mod revision;
pub mod ws;

use std::sync::Arc;
use std::time::{Duration, Instant};

use poem::http::{header, StatusCode};
use poem::middleware::{CatchPanic, Cors};
use poem::web::{Data, Path};
use poem::{get, handler, Body, Endpoint, EndpointExt, IntoResponse, Request, Response, Route};
use serde_json::json;

use crate::api::auth::{Caller, ClientAddr};
use crate::api::error::{BAD_USER_INPUT, INTERNAL, SERVICE_UNAVAILABLE, TIMEOUT};
use crate::api::RetexSchema;
use crate::domain::{CollectivityId, SolutionId, TokenSecret, TOKEN_PREFIX};
use crate::export::PublishedExport;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::watch::{feeds, ReleaseEvents};

/// Default largest request body, in bytes.
pub const DEFAULT_MAX_BODY: usize = 64 * 1024;

/// Default longest time one GraphQL request may take.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest `Authorization` header considered, in bytes.
const MAX_AUTHORIZATION: usize = 200;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The GraphQL schema.
    pub schema: RetexSchema,
    /// The same schema, checking only the complexity and depth of a document the full
    /// validation has passed before (see [`crate::api::Schemas`]).
    pub fast_schema: RetexSchema,
    /// The store, for the health check.
    pub store: Arc<dyn Store>,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// The export offered under `/data/`.
    pub exports: Arc<PublishedExport>,
    /// Where the release watch announces new releases (to `releasePublished` subscribers).
    pub events: ReleaseEvents,
    /// The secret bearer tokens are hashed under.
    pub token_secret: TokenSecret,
    /// Most field selections (aliases included, fragments expanded) in one operation.
    pub max_fields: usize,
    /// Highest price of one request (see [`crate::api::price`]).
    pub max_complexity: usize,
    /// Largest answer, in bytes.
    pub max_response: usize,
    /// Prices requests before they run.
    pub pricer: Arc<crate::api::price::Pricer>,
    /// Longest time one GraphQL request may take.
    pub request_timeout: Duration,
    /// Origins allowed by CORS (none: CORS off).
    pub cors_origins: Vec<String>,
    /// The counters behind `/metrics`.
    pub metrics: Arc<Metrics>,
    /// The analyses and their cached index, shared by the schema and the web explorer.
    pub analysis: Arc<crate::analysis::Analysis>,
    /// Parsed query documents.
    pub documents: Arc<documents::Documents>,
    /// Answers to anonymous read queries.
    pub responses: Arc<responses::Responses>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (rate limits and logs).
    pub trusted_proxies: Arc<client::TrustedProxies>,
    /// What the store's calls reveal: reachable or not, writes made (health, revision cache).
    pub store_signals: Arc<crate::metrics::store::StoreSignals>,
    /// The store's revision, remembered between writes.
    pub revisions: Arc<revision::RevisionClock>,
    /// WebSocket operations running per client address, under their cap.
    pub ws_operations: Arc<ws::AddressOperations>,
}

/// The whole application, ready to serve.
pub fn app(state: AppState) -> impl Endpoint {
    let metrics = state.metrics.clone();
    let cors = cors(&state.cors_origins);
    let trusted_proxies = state.trusted_proxies.clone();
    let explorer = Arc::new(crate::web::Explorer::new(
        state.store.clone(),
        state.analysis.clone(),
    ));
    let routes = crate::web::mount(Route::new(), explorer)
        .at("/graphql", poem::post(graphql).get(graphql_get))
        .at("/graphql/ws", get(ws::endpoint))
        .at("/feeds/solutions/:name", get(solution_feed))
        .at("/feeds/collectivities/:name", get(collectivity_feed))
        .at("/health", get(health::health))
        .at("/ready", get(health::ready))
        .at("/data", get(data_index))
        .at("/data/*path", get(data_file))
        .at("/metrics", get(metrics_text))
        // Shared, not cloned per request (poem clones the data into every request).
        .data(Arc::new(state))
        // gzip or brotli as the client asks; level 5 (brotli's default here is faster but
        // larger than gzip's).
        .with(
            poem::middleware::Compression::new()
                .with_quality(poem::web::CompressionLevel::Precise(5)),
        )
        .with(CatchPanic::new())
        .around(move |ep, req| {
            let metrics = metrics.clone();
            async move {
                let route = route_of(req.uri().path());
                let started = Instant::now();
                let response = ep.get_response(req).await;
                metrics.request(route, response.status().as_u16(), started.elapsed());
                Ok(response)
            }
        });
    let routes = client::AccessLog::new(routes, trusted_proxies);
    match cors {
        Some(cors) => routes.with(cors).boxed(),
        None => routes.boxed(),
    }
}

impl AppState {
    /// The limits every request is priced against.
    pub fn request_limits(&self) -> limits::RequestLimits {
        limits::RequestLimits {
            fields: self.max_fields,
            complexity: self.max_complexity,
        }
    }
}

/// CORS for these origins; `None` (off) when there are none.
fn cors(origins: &[String]) -> Option<Cors> {
    if origins.is_empty() {
        return None;
    }
    Some(
        Cors::new()
            .allow_origins(origins.iter().map(String::as_str))
            .allow_methods([poem::http::Method::GET, poem::http::Method::POST])
            .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
            .max_age(600),
    )
}

/// The route a path belongs to, as a metrics label (never the raw path: it is unbounded).
fn route_of(path: &str) -> &'static str {
    const ROUTES: &[&str] = &[
        "/graphql/ws",
        "/graphql",
        "/feeds/solutions",
        "/feeds/collectivities",
        "/health",
        "/static",
        "/data",
        "/metrics",
    ];
    if path == "/" {
        return "/";
    }
    ROUTES
        .iter()
        .find(|r| {
            path.strip_prefix(**r)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .copied()
        .unwrap_or("other")
}

#[handler]
fn metrics_text(Data(state): Data<&Arc<AppState>>) -> Response {
    Response::builder()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}

/// Who sends the request: no header, a valid token, or anything else (invalid).
async fn caller(req: &Request, state: &AppState) -> Result<Caller, Response> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(Caller::Anonymous);
    };
    let Some(plaintext) = value
        .to_str()
        .ok()
        .filter(|v| v.len() <= MAX_AUTHORIZATION)
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| t.starts_with(TOKEN_PREFIX))
    else {
        return Ok(Caller::Invalid);
    };
    let hash = state.token_secret.hash(plaintext);
    match state.store.find_token_by_hash(hash).await {
        Ok(Some(token)) if token.is_active(chrono::Utc::now()) => Ok(Caller::Token(token)),
        Ok(_) => Ok(Caller::Invalid),
        Err(e) => {
            tracing::warn!(error = %e, "cannot look a token up");
            Err(request_error(
                StatusCode::SERVICE_UNAVAILABLE,
                SERVICE_UNAVAILABLE,
                "the store is unavailable, try again later",
            ))
        }
    }
}

fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    Response::builder()
        .status(status)
        .content_type("application/json")
        .body(body.to_string())
}

/// A GraphQL-shaped error answer for a request that never reached the schema.
fn request_error(status: StatusCode, code: &str, message: &str) -> Response {
    json_response(
        status,
        &json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }),
    )
}

#[handler]
async fn graphql(req: &Request, body: Body, Data(state): Data<&Arc<AppState>>) -> Response {
    let content_type = req.header(header::CONTENT_TYPE).unwrap_or_default();
    if !content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
    {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            BAD_USER_INPUT,
            "send the query as JSON with Content-Type: application/json",
        );
    }
    let bytes = match body.into_bytes_limit(state.max_body).await {
        Ok(bytes) => bytes,
        Err(poem::error::ReadBodyError::PayloadTooLarge) => {
            return request_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                BAD_USER_INPUT,
                &format!("the request body is larger than {} bytes", state.max_body),
            )
        }
        Err(e) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                BAD_USER_INPUT,
                &format!("cannot read the request body: {e}"),
            )
        }
    };
    let graphql_response = limits::wants_graphql_response(req.header(header::ACCEPT));
    let lookup = fast::lookup(state, req, false, graphql_response, bytes.clone()).await;
    if let Some(answer) = lookup.as_ref().and_then(|l| fast::kept(state, l)) {
        return answer;
    }
    let request: async_graphql::Request = match serde_json::from_slice(&bytes) {
        Ok(request) => request,
        Err(e) => {
            let message = if bytes.first() == Some(&b'[') {
                "batched requests are not supported: send one operation per request".to_owned()
            } else {
                format!("the body is not a GraphQL request in JSON: {e}")
            };
            return request_error(StatusCode::BAD_REQUEST, BAD_USER_INPUT, &message);
        }
    };
    let caller = match caller(req, state).await {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let anonymous = matches!(caller, Caller::Anonymous);
    let addr = ClientAddr(match req.data::<client::ClientIp>() {
        Some(client) => client.0,
        None => req.remote_addr().as_socket_addr().map(|a| a.ip()),
    });
    execute(
        state,
        request.data(caller).data(addr),
        anonymous,
        graphql_response,
        lookup,
    )
    .await
}

#[handler]
async fn graphql_get(req: &Request, Data(state): Data<&Arc<AppState>>) -> Response {
    let query = req.uri().query().unwrap_or_default();
    if query.len() > state.max_body {
        return request_error(
            StatusCode::URI_TOO_LONG,
            BAD_USER_INPUT,
            "the query string is too long",
        );
    }
    let graphql_response = limits::wants_graphql_response(req.header(header::ACCEPT));
    let raw = bytes::Bytes::copy_from_slice(query.as_bytes());
    let lookup = fast::lookup(state, req, true, graphql_response, raw).await;
    if let Some(answer) = lookup.as_ref().and_then(|l| fast::kept(state, l)) {
        return answer;
    }
    // GraphQL over HTTP names the parameter `operationName`; async-graphql reads `operation_name`.
    let query = query.replace("operationName=", "operation_name=");
    match async_graphql::http::parse_query_string(&query) {
        Ok(request) if selects_mutation(state, &request) => request_error(
            StatusCode::METHOD_NOT_ALLOWED,
            BAD_USER_INPUT,
            "mutations must be sent with POST",
        ),
        Ok(request) => execute(state, request, true, graphql_response, lookup).await,
        Err(e) => request_error(
            StatusCode::BAD_REQUEST,
            BAD_USER_INPUT,
            &format!("bad query string: {e}"),
        ),
    }
}

/// Runs a GraphQL request: its price checked on its parsed document, then the answer kept
/// for it (anonymous reads), else the schema under the request timeout; the answer is
/// serialised under the size cap. `graphql_response` says the client accepts
/// `application/graphql-response+json` (request errors are then 4xx without `data`).
async fn execute(
    state: &AppState,
    mut request: async_graphql::Request,
    anonymous: bool,
    graphql_response: bool,
    lookup: Option<fast::Lookup>,
) -> Response {
    let document = state.documents.parse(&request.query);
    if let Some(document) = &document {
        if let Err(message) = limits::check_price(
            &state.pricer,
            state.request_limits(),
            document,
            &request.variables,
        ) {
            state.metrics.error(BAD_USER_INPUT);
            return request_error(StatusCode::BAD_REQUEST, BAD_USER_INPUT, &message);
        }
    }
    let key = match &document {
        Some(document) if anonymous => {
            response_key(state, document, &request, lookup.as_ref()).await
        }
        _ => None,
    };
    if let Some((basis, kept)) = key.as_ref().and_then(|k| {
        state.responses.find(k, || {
            state.analysis.answering_without_wait(k.basis.revision())
        })
    }) {
        return keep_raw(state, basis, kept, lookup, graphql_response, "hit");
    }
    // A document that passed the full validation before is checked for its complexity and
    // depth only (see `api::Schemas::fast`).
    let passed = document.as_ref().is_some_and(|d| d.passed());
    if let Some(document) = &document {
        request.set_parsed_query(document.to_parsed());
    }
    let schema = if passed {
        &state.fast_schema
    } else {
        &state.schema
    };
    // Anonymous readers get the remembered revision (see `revision`); a token holder's
    // analyses ask the store, so they see their own writes at once.
    let arrived_at = match (&lookup, &key) {
        (Some(lookup), _) => Some(lookup.revision()),
        (None, Some(key)) => Some(key.basis.revision()),
        (None, None) if anonymous => state.revisions.current(state.store.as_ref()).await.ok(),
        (None, None) => None,
    };
    let reads = Arc::new(crate::api::Reads::arrived_at(arrived_at));
    let request = request.data(reads.clone());
    let Ok(mut response) =
        tokio::time::timeout(state.request_timeout, schema.execute(request)).await
    else {
        state.metrics.error(TIMEOUT);
        return request_error(
            StatusCode::SERVICE_UNAVAILABLE,
            TIMEOUT,
            &format!(
                "the request took longer than {} ms: ask for less",
                state.request_timeout.as_millis()
            ),
        );
    };
    if response.errors.is_empty() && !passed {
        if let Some(document) = &document {
            document.note_passed();
        }
    }
    give_codes(state, &mut response);
    if graphql_response && limits::is_request_error(&response) {
        let body = json!({ "errors": response.errors });
        let mut answer = json_response(StatusCode::BAD_REQUEST, &body);
        answer.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static(limits::GRAPHQL_RESPONSE_JSON),
        );
        return answer;
    }
    let body = match limits::serialise_capped(&response, state.max_response) {
        limits::Serialised::Body(body) => bytes::Bytes::from(body),
        limits::Serialised::TooLarge => {
            state.metrics.error(BAD_USER_INPUT);
            return request_error(
                StatusCode::BAD_REQUEST,
                BAD_USER_INPUT,
                &limits::too_large(state.max_response),
            );
        }
        limits::Serialised::Failed(e) => {
            tracing::error!(error = %e, "cannot serialise a response");
            return request_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                INTERNAL,
                "internal error",
            );
        }
    };
    let basis = key
        .as_ref()
        .filter(|_| response.errors.is_empty() && response.cache_control.max_age != -1)
        .and_then(|key| kept_basis(state, &reads, key.basis.revision()));
    let (Some(mut key), Some(basis)) = (key, basis) else {
        let index_revision = reads
            .read_index()
            .or_else(|| state.analysis.index_revision());
        return fast::json_answer(body, graphql_response, "none", None, index_revision);
    };
    key.basis = basis;
    let kept = responses::Kept::new(basis, body);
    state.responses.put(key, kept.clone());
    keep_raw(state, basis, kept, lookup, graphql_response, "miss")
}

/// What an answer computed with `reads`, at store revision `revision`, may be kept under:
/// the analysis index when it read only that index, else the store's revision (if it read an
/// index, that index must be the one built at that revision, today); `None` when it read two
/// indexes.
fn kept_basis(
    state: &AppState,
    reads: &crate::api::Reads,
    revision: u64,
) -> Option<responses::Basis> {
    if reads.read_several_indexes() {
        return None;
    }
    match reads.read_index() {
        Some(index) if !reads.read_store() => Some(responses::Basis::Index(index)),
        Some(index) if index != revision || !state.analysis.is_current(revision) => None,
        _ => Some(responses::Basis::Store(revision)),
    }
}

/// Keeps an answer under the request's raw bytes too, and answers it with its entity tag.
fn keep_raw(
    state: &AppState,
    basis: responses::Basis,
    kept: responses::Kept,
    lookup: Option<fast::Lookup>,
    graphql_response: bool,
    cache: &'static str,
) -> Response {
    let Some(lookup) = lookup else {
        return fast::kept_answer(state, basis, &kept, None, graphql_response, cache);
    };
    let response = fast::kept_answer(
        state,
        basis,
        &kept,
        lookup.if_none_match.as_deref(),
        graphql_response,
        cache,
    );
    let key = responses::RawKey {
        basis,
        ..lookup.key
    };
    state.responses.put_raw(key, kept);
    response
}

/// The stable code of an error leaving the schema.
/// Gives every error of an answer its code and counts it: the one place codes are given, for
/// HTTP and WebSocket answers alike. Not by a schema extension: any extension makes
/// async-graphql describe every field it resolves (type names, registry lookups, a boxed
/// future each).
fn give_codes(state: &AppState, response: &mut async_graphql::Response) {
    for error in &mut response.errors {
        crate::api::error::ensure_code(error);
        state.metrics.error(error_code(error));
    }
}

fn error_code(error: &async_graphql::ServerError) -> &str {
    error
        .extensions
        .as_ref()
        .and_then(|e| e.get("code"))
        .and_then(|c| match c {
            async_graphql::Value::String(s) => Some(s.as_str()),
            _ => None,
        })
        .unwrap_or(INTERNAL)
}

/// The key an anonymous read's answer is kept under, at the store's revision (the one its
/// raw lookup was made at, if any): `None` for a mutation or subscription, when answers are
/// not kept, or when the store's revision cannot be read.
async fn response_key(
    state: &AppState,
    document: &async_graphql::parser::types::ExecutableDocument,
    request: &async_graphql::Request,
    lookup: Option<&fast::Lookup>,
) -> Option<responses::Key> {
    use async_graphql::parser::types::OperationType;
    if !state.responses.enabled()
        || documents::operation_type(document, request.operation_name.as_deref())
            != Some(OperationType::Query)
    {
        return None;
    }
    let revision = match lookup {
        Some(lookup) => lookup.revision(),
        None => state.revisions.current(state.store.as_ref()).await.ok()?,
    };
    Some(responses::Key {
        basis: responses::Basis::Store(revision),
        day: chrono::Utc::now().date_naive(),
        query: documents::normalise(&request.query),
        operation: request.operation_name.clone(),
        variables: serde_json::to_string(&request.variables).ok()?,
    })
}

/// The id named by a feed's file name: `solution:x.atom` or `x.atom`.
fn feed_id<T>(
    name: &str,
    prefix: &str,
    parse: fn(&str) -> Result<T, crate::domain::ValidationError>,
) -> Option<T> {
    let stem = name.strip_suffix(".atom")?;
    let full = if stem.contains(':') {
        stem.to_owned()
    } else {
        format!("{prefix}:{stem}")
    };
    parse(&full).ok()
}

fn feed_response(
    req: &Request,
    feed: Result<Option<String>, crate::store::StoreError>,
) -> Response {
    match feed {
        Ok(Some(xml)) => Response::builder()
            .content_type("application/atom+xml; charset=utf-8")
            .header(header::CACHE_CONTROL, "public, max-age=300")
            .body(xml),
        Ok(None) => request_error(
            StatusCode::NOT_FOUND,
            crate::api::error::NOT_FOUND,
            &format!("nothing has the feed {}", req.uri().path()),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "cannot build a feed");
            request_error(
                StatusCode::SERVICE_UNAVAILABLE,
                crate::api::error::SERVICE_UNAVAILABLE,
                "the store is unavailable, try again later",
            )
        }
    }
}

fn self_url(req: &Request) -> String {
    let host = req
        .header(header::HOST)
        .filter(|h| h.len() <= 255 && !h.contains(['"', '<', '>']))
        .unwrap_or("localhost");
    format!("http://{host}{}", req.uri().path())
}

fn bad_feed_name(name: &str) -> Response {
    request_error(
        StatusCode::NOT_FOUND,
        crate::api::error::NOT_FOUND,
        &format!("`{name}` is not a feed: ask for <id>.atom"),
    )
}

/// A handler serving one kind of node's Atom feed at `<id>.atom`.
macro_rules! feed_handler {
    ($(#[$doc:meta])* $handler:ident, $kind:literal, $parse:path, $feed:path) => {
        $(#[$doc])*
        #[handler]
        async fn $handler(
            req: &Request,
            Path(name): Path<String>,
            Data(state): Data<&Arc<AppState>>,
        ) -> Response {
            let Some(id) = feed_id(&name, $kind, $parse) else {
                return bad_feed_name(&name);
            };
            let feed = $feed(state.store.as_ref(), &id, &self_url(req)).await;
            feed_response(req, feed)
        }
    };
}

feed_handler!(
    /// A solution's releases and end-of-life dates.
    solution_feed,
    "solution",
    SolutionId::parse,
    feeds::solution_feed
);
feed_handler!(
    /// The releases and ends of life of what a collectivity runs.
    collectivity_feed,
    "collectivity",
    CollectivityId::parse,
    feeds::collectivity_feed
);

fn export_unavailable(e: crate::export::ExportError) -> Response {
    tracing::error!(error = %e, "cannot publish the export");
    json_response(
        StatusCode::SERVICE_UNAVAILABLE,
        &json!({ "error": "the export cannot be produced right now", "code": "SERVICE_UNAVAILABLE" }),
    )
}

/// The latest export's manifest: counts, hashes, licences; every file is under `/data/<path>`.
#[handler]
async fn data_index(req: &Request, Data(state): Data<&Arc<AppState>>) -> Response {
    manifest_response(req, state).await
}

/// The manifest as JSON, or as the explorer's page when a browser asks (`Accept: text/html`).
async fn manifest_response(req: &Request, state: &AppState) -> Response {
    match state.exports.latest().await {
        Ok(manifest) if crate::web::wants_html(req) => crate::web::data_page(req, &manifest),
        Ok(manifest) => match serde_json::to_value(&manifest) {
            Ok(body) => json_response(StatusCode::OK, &body),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        Err(e) => export_unavailable(e),
    }
}

/// One file of the latest export, streamed from disk.
#[handler]
async fn data_file(
    req: &Request,
    Path(path): Path<String>,
    Data(state): Data<&Arc<AppState>>,
) -> Response {
    if path.is_empty() {
        return manifest_response(req, state).await;
    }
    let file = match state.exports.file(&path).await {
        Ok(Some(file)) => file,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return export_unavailable(e),
    };
    let media_type = match file.extension().and_then(|e| e.to_str()) {
        Some("json") => "application/json",
        Some("jsonl") => "application/x-ndjson; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        Some("graphml") => "application/graphml+xml",
        _ => "text/plain; charset=utf-8",
    };
    match tokio::fs::File::open(&file).await {
        Ok(f) => Response::builder()
            .content_type(media_type)
            .header(header::CACHE_CONTROL, "no-cache")
            .body(Body::from_async_read(f)),
        Err(e) => {
            tracing::error!(error = %e, file = %file.display(), "cannot open an export file");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Whether the operation a request would run is a mutation (or a subscription): those are not
/// run over GET. A document that does not parse is left to the schema, which reports it.
fn selects_mutation(state: &AppState, request: &async_graphql::Request) -> bool {
    use async_graphql::parser::types::OperationType;
    let Some(document) = state.documents.parse(&request.query) else {
        return false;
    };
    match &request.operation_name {
        Some(name) => documents::operation_type(&document, Some(name))
            .is_some_and(|ty| ty != OperationType::Query),
        None => documents::has_non_query(&document),
    }
}
