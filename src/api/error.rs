//! The error policy of the API: every error a client sees carries a stable `extensions.code`;
//! what went wrong inside goes to the log only.

use async_graphql::{ErrorExtensions, ServerError};

use crate::store::StoreError;

/// The code of input the client got wrong.
pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
/// The code of an id that names nothing.
pub const NOT_FOUND: &str = "NOT_FOUND";
/// The code of a store that cannot answer right now.
pub const SERVICE_UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";
/// The code of anything else.
pub const INTERNAL: &str = "INTERNAL";
/// The code of a write without a valid token (missing, unknown, expired or revoked).
pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
/// The code of a write the token does not allow (another collectivity, missing scope).
pub const FORBIDDEN: &str = "FORBIDDEN";
/// The code of an update based on a stale version, or a reused idempotency key.
pub const CONFLICT: &str = "CONFLICT";
/// The code of a request that took longer than the server allows.
pub const TIMEOUT: &str = "TIMEOUT";
/// The code of a write refused because its token or address sent too many.
pub const RATE_LIMITED: &str = "RATE_LIMITED";

/// An error as the API reports it.
///
/// It deliberately does not implement `Display`: async-graphql turns any displayable error into
/// an error without a code, and this type must always go through [`ErrorExtensions`] instead.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// The client's input is wrong; the message says how.
    BadInput(String),
    /// Nothing has this id.
    NotFound(String),
    /// The store cannot answer right now.
    Unavailable,
    /// Something failed inside; details are in the log.
    Internal,
    /// No valid token came with a write.
    Unauthenticated(String),
    /// The token does not allow this write.
    Forbidden(String),
    /// The node changed since the version the client saw.
    Conflict(String),
    /// Too many writes.
    RateLimited,
}

impl ApiError {
    /// The message the client sees.
    pub fn message(&self) -> &str {
        match self {
            ApiError::BadInput(m)
            | ApiError::NotFound(m)
            | ApiError::Unauthenticated(m)
            | ApiError::Forbidden(m)
            | ApiError::Conflict(m) => m,
            ApiError::RateLimited => "too many writes: slow down and retry later",
            ApiError::Unavailable => "the store is unavailable, try again later",
            ApiError::Internal => "internal error",
        }
    }

    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadInput(_) => BAD_USER_INPUT,
            ApiError::NotFound(_) => NOT_FOUND,
            ApiError::Unavailable => SERVICE_UNAVAILABLE,
            ApiError::Internal => INTERNAL,
            ApiError::Unauthenticated(_) => UNAUTHENTICATED,
            ApiError::Forbidden(_) => FORBIDDEN,
            ApiError::Conflict(_) => CONFLICT,
            ApiError::RateLimited => RATE_LIMITED,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(m) | StoreError::MissingReference(m) => ApiError::BadInput(m),
            StoreError::Conflict(m) => ApiError::Conflict(m),
            StoreError::Unavailable(_) | StoreError::Locked(_) => {
                tracing::warn!(error = %e, "store unavailable");
                ApiError::Unavailable
            }
            StoreError::Corrupt(_) | StoreError::Internal(_) => {
                tracing::error!(error = %e, "store failure");
                ApiError::Internal
            }
        }
    }
}

impl From<std::sync::Arc<StoreError>> for ApiError {
    fn from(e: std::sync::Arc<StoreError>) -> Self {
        match &*e {
            StoreError::Invalid(m) => ApiError::BadInput(m.clone()),
            StoreError::MissingReference(m) => ApiError::BadInput(m.clone()),
            StoreError::Conflict(m) => ApiError::Conflict(m.clone()),
            StoreError::Unavailable(m) => StoreError::Unavailable(m.clone()).into(),
            StoreError::Locked(m) => StoreError::Locked(m.clone()).into(),
            StoreError::Corrupt(m) => StoreError::Corrupt(m.clone()).into(),
            StoreError::Internal(m) => StoreError::Internal(m.clone()).into(),
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.message()).extend_with(|_, ext| ext.set("code", self.code()))
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(e: ApiError) -> Self {
        e.extend()
    }
}

/// Result of a resolver.
pub type ApiResult<T> = Result<T, ApiError>;

/// Gives every error that has no code the code of bad input: those are the errors the GraphQL
/// machinery raises about the request itself (syntax, validation, limits, argument types).
pub fn ensure_code(error: &mut ServerError) {
    let has_code = error
        .extensions
        .as_ref()
        .map(|e| e.get("code").is_some())
        .unwrap_or(false);
    if !has_code {
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", BAD_USER_INPUT);
    }
}
