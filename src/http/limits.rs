//! What a GraphQL request may cost, checked on its parsed document before the schema runs
//! it (see [`crate::api::price`]), and how large its answer may be. Shared by `POST /graphql`,
//! `GET /graphql` and the WebSocket endpoint, so every way in obeys the same limits.

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::Variables;

use crate::api::price::{PriceError, Pricer};

/// Default largest answer, in bytes.
pub const DEFAULT_MAX_RESPONSE: usize = 8 * 1024 * 1024;

/// The limits a request is priced against.
#[derive(Debug, Clone, Copy)]
pub struct RequestLimits {
    /// Most field selections of the expanded operation (aliases included).
    pub fields: usize,
    /// Highest cost.
    pub complexity: usize,
}

/// Why a request is refused before it runs: a message for the client (`BAD_USER_INPUT`).
pub fn check_price(
    pricer: &Pricer,
    limits: RequestLimits,
    document: &ExecutableDocument,
    variables: &Variables,
) -> Result<(), String> {
    let price = pricer
        .price(document, variables)
        .map_err(|e: PriceError| e.to_string())?;
    if price.fields > limits.fields as u64 {
        return Err(format!(
            "the query selects {} fields (aliases included, fragments expanded), more than the {} allowed",
            price.fields, limits.fields
        ));
    }
    if price.cost > limits.complexity as u64 {
        return Err(format!(
            "the query costs {} (lists count their largest page, search and analyses have a price), more than the {} allowed: ask for fewer rows or fields",
            price.cost, limits.complexity
        ));
    }
    Ok(())
}

/// A buffer that refuses to grow past a cap, so an oversized answer is never held whole.
pub struct CappedBuffer {
    bytes: Vec<u8>,
    cap: usize,
}

impl CappedBuffer {
    /// An empty buffer holding at most `cap` bytes.
    pub fn new(cap: usize) -> Self {
        Self {
            bytes: Vec::new(),
            cap,
        }
    }

    /// The bytes written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

impl std::io::Write for CappedBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.cap {
            return Err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                "the answer is over the cap",
            ));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How serialising an answer under a cap went.
pub enum Serialised {
    /// The answer's bytes.
    Body(Vec<u8>),
    /// The answer is larger than the cap.
    TooLarge,
    /// It cannot be serialised (a bug: logged).
    Failed(serde_json::Error),
}

/// `value` as JSON, unless it is larger than `cap` bytes.
pub fn serialise_capped(value: &impl serde::Serialize, cap: usize) -> Serialised {
    let mut buffer = CappedBuffer::new(cap);
    match serde_json::to_writer(&mut buffer, value) {
        Ok(()) => Serialised::Body(buffer.into_bytes()),
        Err(e) if e.is_io() => Serialised::TooLarge,
        Err(e) => Serialised::Failed(e),
    }
}

/// The message of an answer over the cap.
pub fn too_large(cap: usize) -> String {
    format!(
        "the answer is larger than {cap} bytes: ask for fewer rows (a smaller `first`) or fewer fields"
    )
}

/// The media type of GraphQL over HTTP answers.
pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// Whether the client's `Accept` header asks for `application/graphql-response+json` (before
/// or without `application/json`).
pub fn wants_graphql_response(accept: Option<&str>) -> bool {
    let Some(accept) = accept else {
        return false;
    };
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim();
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
        });
        if refused {
            continue;
        }
        if media.eq_ignore_ascii_case(GRAPHQL_RESPONSE_JSON) {
            return true;
        }
        if media.eq_ignore_ascii_case("application/json") {
            return false;
        }
    }
    false
}

/// Whether a response reports a request error (the document did not parse, failed
/// validation, or its variables were wrong): no data, and errors without a path.
pub fn is_request_error(response: &async_graphql::Response) -> bool {
    matches!(response.data, async_graphql::Value::Null)
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accept_header_chooses_the_media_type() {
        assert!(!wants_graphql_response(None));
        assert!(!wants_graphql_response(Some("application/json")));
        assert!(wants_graphql_response(Some(
            "application/graphql-response+json, application/json;q=0.9"
        )));
        assert!(!wants_graphql_response(Some(
            "application/json, application/graphql-response+json"
        )));
        assert!(!wants_graphql_response(Some(
            "application/graphql-response+json;q=0"
        )));
    }

    #[test]
    fn answers_over_the_cap_are_not_held() {
        let value = serde_json::json!({ "a": "x".repeat(100) });
        assert!(matches!(serialise_capped(&value, 50), Serialised::TooLarge));
        match serialise_capped(&value, 1000) {
            Serialised::Body(bytes) => assert!(bytes.len() > 100),
            _ => panic!("under the cap"),
        }
    }
}
