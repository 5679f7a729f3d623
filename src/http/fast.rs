//! Kept answers found from the request's bytes, before the request is parsed (see
//! [`super::responses`]), and served with their entity tag.

use bytes::Bytes;
use poem::http::{header, StatusCode};
use poem::{Request, Response};

use super::responses::{Kept, RawKey};
use super::{limits, AppState};

/// A request that may have a kept answer: where to look, and the client's `If-None-Match`.
pub struct Lookup {
    /// The request's raw key.
    pub key: RawKey,
    /// The entity tags the client already holds.
    pub if_none_match: Option<String>,
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
            revision,
            day: chrono::Utc::now().date_naive(),
            get,
            graphql_response,
            request,
        },
        if_none_match: req.header(header::IF_NONE_MATCH).map(str::to_owned),
    })
}

/// A kept answer for `lookup`, if there is one.
pub fn kept(state: &AppState, lookup: &Lookup) -> Option<Response> {
    let kept = state.responses.get_raw(&lookup.key)?;
    Some(answer(
        state,
        &kept,
        lookup.if_none_match.as_deref(),
        lookup.key.graphql_response,
        "hit",
    ))
}

/// A kept (or just kept) answer: 304 when the client holds it already, else its bytes; with
/// its `ETag`, `X-Retex-Cache` and the analysis index's revision.
pub fn answer(
    state: &AppState,
    kept: &Kept,
    if_none_match: Option<&str>,
    graphql_response: bool,
    cache: &'static str,
) -> Response {
    let builder = Response::builder()
        .header(header::ETAG, kept.etag.as_str())
        .header("x-retex-cache", cache);
    let builder = match state.analysis.index_revision() {
        Some(revision) => builder.header("x-retex-index-revision", revision),
        None => builder,
    };
    if if_none_match.is_some_and(|tags| kept.matches(tags)) {
        return builder.status(StatusCode::NOT_MODIFIED).finish();
    }
    builder
        .status(StatusCode::OK)
        .content_type(if graphql_response {
            limits::GRAPHQL_RESPONSE_JSON
        } else {
            "application/json"
        })
        .body(kept.body.clone())
}
