//! Kept answers found from the request's bytes, before the request is parsed (see
//! [`super::responses`]), and every JSON answer's response: body, media type, entity tag and
//! the analysis index's revision.

use bytes::Bytes;
use poem::http::{header, HeaderName, HeaderValue, StatusCode};
use poem::{Request, Response};

use super::responses::{Basis, Kept, RawKey};
use super::{limits, AppState};

/// `X-Retex-Cache`: `hit`, `miss` or `none` (see [`json_answer`]).
const CACHE: HeaderName = HeaderName::from_static("x-retex-cache");
/// `X-Retex-Index-Revision`: the store revision of the analysis index answering.
const INDEX_REVISION: HeaderName = HeaderName::from_static("x-retex-index-revision");
/// The media types of JSON answers, checked once at compile time (not parsed per answer).
const JSON: HeaderValue = HeaderValue::from_static("application/json");
const GRAPHQL_RESPONSE_JSON: HeaderValue = HeaderValue::from_static(limits::GRAPHQL_RESPONSE_JSON);

/// A request that may have a kept answer: where to look, and the client's `If-None-Match`.
pub struct Lookup {
    /// The request's raw key, under the store's revision.
    pub key: RawKey,
    /// The entity tags the client already holds.
    pub if_none_match: Option<String>,
}

impl Lookup {
    /// The store revision the lookup was made at.
    pub fn revision(&self) -> u64 {
        self.key.basis.revision()
    }
}

/// Where an anonymous request's answer would be kept by its bytes; `None` when answers are
/// not kept, the request carries credentials, or the revision cannot be read.
pub async fn lookup(
    state: &AppState,
    req: &Request,
    get: bool,
    graphql_response: bool,
    request: Bytes,
) -> Option<Lookup> {
    if !state.responses.enabled() || req.headers().contains_key(header::AUTHORIZATION) {
        return None;
    }
    let revision = state.revisions.current(state.store.as_ref()).await.ok()?;
    Some(Lookup {
        key: RawKey {
            basis: Basis::Store(revision),
            day: chrono::Utc::now().date_naive(),
            get,
            graphql_response,
            request,
        },
        if_none_match: req.header(header::IF_NONE_MATCH).map(str::to_owned),
    })
}

/// A kept answer for `lookup`, if there is one: kept under the store's revision, or under the
/// analysis index that answers anonymous readers now.
pub fn kept(state: &AppState, lookup: &Lookup) -> Option<Response> {
    let (basis, kept) = state.responses.find_raw(&lookup.key, || {
        state.analysis.answering_without_wait(lookup.revision())
    })?;
    Some(kept_answer(
        state,
        basis,
        &kept,
        lookup.if_none_match.as_deref(),
        lookup.key.graphql_response,
        "hit",
    ))
}

/// A kept (or just kept) answer: 304 when the client holds it already, else its bytes.
pub fn kept_answer(
    state: &AppState,
    basis: Basis,
    kept: &Kept,
    if_none_match: Option<&str>,
    graphql_response: bool,
    cache: &'static str,
) -> Response {
    let index_revision = match basis {
        Basis::Index(revision) => Some(revision),
        Basis::Store(_) => state.analysis.index_revision(),
    };
    if if_none_match.is_some_and(|tags| kept.matches(tags)) {
        let mut response = Response::builder()
            .status(StatusCode::NOT_MODIFIED)
            .header(header::ETAG, kept.etag.clone())
            .header(CACHE, HeaderValue::from_static(cache))
            .finish();
        add_index_revision(&mut response, index_revision);
        return response;
    }
    json_answer(
        kept.body.clone(),
        graphql_response,
        cache,
        Some(&kept.etag),
        index_revision,
    )
}

/// A JSON answer from its bytes: `cache` says whether it was kept (`X-Retex-Cache`: `hit`,
/// `miss` when computed and kept, `none` when not keepable), with its entity tag when kept
/// and `X-Retex-Index-Revision`, the store revision the analysis index answering was built at.
pub fn json_answer(
    body: Bytes,
    graphql_response: bool,
    cache: &'static str,
    etag: Option<&HeaderValue>,
    index_revision: Option<u64>,
) -> Response {
    let mut response = Response::builder()
        .status(StatusCode::OK)
        .header(
            header::CONTENT_TYPE,
            if graphql_response {
                GRAPHQL_RESPONSE_JSON
            } else {
                JSON
            },
        )
        .header(CACHE, HeaderValue::from_static(cache))
        .body(body);
    if let Some(etag) = etag {
        response.headers_mut().insert(header::ETAG, etag.clone());
    }
    add_index_revision(&mut response, index_revision);
    response
}

fn add_index_revision(response: &mut Response, revision: Option<u64>) {
    if let Some(revision) = revision {
        response
            .headers_mut()
            .insert(INDEX_REVISION, HeaderValue::from(revision));
    }
}
