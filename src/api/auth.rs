//! Authorization, in one place: the HTTP layer resolves the bearer token into a [`Caller`]
//! put into the request's data; every mutation calls [`authorize`] with what it is about to do.
//! Reads never call it: the graph is open data.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_graphql::Context;

use super::error::{ApiError, ApiResult};
use crate::domain::{CollectivityId, Scope, Token, TokenId};

/// Who sent the request, as the HTTP layer found out.
#[derive(Debug, Clone, Default)]
pub enum Caller {
    /// No `Authorization` header.
    #[default]
    Anonymous,
    /// A header with a token that is unknown, malformed, expired or revoked.
    Invalid,
    /// A valid, active token.
    Token(Token),
}

/// The client's address, for rate limits.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientAddr(pub Option<IpAddr>);

/// What a mutation is about to do.
#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    /// Write a collectivity's own data: its adoptions, outcomes, contact.
    WriteFor(&'a CollectivityId),
    /// Edit the catalogue: needs, solutions, publishers, alternatives.
    Curate,
    /// Add shared material any writer may add (sources): adoptions:write or curator.
    Contribute,
}

/// Checks that the caller may do `action`; answers the token id the change is recorded under.
///
/// No token, or an invalid one → UNAUTHENTICATED; a token without the right scope or of
/// another collectivity → FORBIDDEN; too many writes from the token or the address →
/// RATE_LIMITED.
pub fn authorize(ctx: &Context<'_>, action: Action<'_>) -> ApiResult<TokenId> {
    let token = authenticated(ctx)?;
    check_scope(token, action)?;
    if let Some(limiter) = ctx.data_opt::<Arc<WriteLimiter>>() {
        let addr = ctx.data_opt::<ClientAddr>().and_then(|a| a.0);
        limiter.check(&token.id, addr)?;
    }
    Ok(token.id.clone())
}

/// The caller's valid token, or UNAUTHENTICATED. Mutations call it before anything else, so
/// a request without a valid token learns nothing (not even whether its input was valid).
pub fn authenticated<'a>(ctx: &Context<'a>) -> ApiResult<&'a Token> {
    match ctx.data_opt::<Caller>() {
        Some(Caller::Token(token)) => Ok(token),
        Some(Caller::Invalid) => Err(ApiError::Unauthenticated(
            "the bearer token is unknown, expired or revoked".to_owned(),
        )),
        Some(Caller::Anonymous) | None => Err(ApiError::Unauthenticated(
            "writes need a bearer token: send Authorization: Bearer rtx_...".to_owned(),
        )),
    }
}

/// The scope rule, without the request around it.
pub fn check_scope(token: &Token, action: Action<'_>) -> ApiResult<()> {
    if token.has(Scope::Admin) {
        return Ok(());
    }
    match action {
        Action::WriteFor(collectivity) => {
            if !token.has(Scope::AdoptionsWrite) {
                return Err(ApiError::Forbidden(
                    "this token lacks the adoptions:write scope".to_owned(),
                ));
            }
            if token.collectivity.as_ref() != Some(collectivity) {
                return Err(ApiError::Forbidden(format!(
                    "this token writes for another collectivity than {collectivity}"
                )));
            }
            Ok(())
        }
        Action::Contribute => {
            if token.has(Scope::Curator) || token.has(Scope::AdoptionsWrite) {
                Ok(())
            } else {
                Err(ApiError::Forbidden(
                    "this token has no write scope".to_owned(),
                ))
            }
        }
        Action::Curate => {
            if token.has(Scope::Curator) {
                Ok(())
            } else {
                Err(ApiError::Forbidden(
                    "catalogue edits need the curator scope".to_owned(),
                ))
            }
        }
    }
}

/// Token buckets limiting writes per token and per client address.
#[derive(Debug)]
pub struct WriteLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

/// Most buckets kept before idle ones are dropped.
const MAX_BUCKETS: usize = 10_000;

impl WriteLimiter {
    /// A limiter allowing `per_minute` writes a minute (with bursts of as many); 0 disables it.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one write from the token's bucket and the address's.
    pub fn check(&self, token: &TokenId, addr: Option<IpAddr>) -> ApiResult<()> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let mut buckets = self.buckets.lock().map_err(|_| ApiError::Internal)?;
        let now = Instant::now();
        if buckets.len() > MAX_BUCKETS {
            let full = f64::from(self.per_minute);
            buckets.retain(|_, (level, at)| self.refill(*level, *at, now) < full);
        }
        let mut keys = vec![format!("token:{token}")];
        if let Some(addr) = addr {
            keys.push(format!("ip:{addr}"));
        }
        let levels: Vec<f64> = keys
            .iter()
            .map(|k| {
                buckets
                    .get(k)
                    .map_or(f64::from(self.per_minute), |(l, at)| {
                        self.refill(*l, *at, now)
                    })
            })
            .collect();
        if levels.iter().any(|l| *l < 1.0) {
            return Err(ApiError::RateLimited);
        }
        for (key, level) in keys.into_iter().zip(levels) {
            buckets.insert(key, (level - 1.0, now));
        }
        Ok(())
    }

    fn refill(&self, level: f64, at: Instant, now: Instant) -> f64 {
        let rate = f64::from(self.per_minute) / 60.0;
        (level + now.duration_since(at).as_secs_f64() * rate).min(f64::from(self.per_minute))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_empties_then_refuses() {
        let limiter = WriteLimiter::new(3);
        let id = TokenId::parse("tok_0123456789abcdef").unwrap();
        for _ in 0..3 {
            limiter.check(&id, None).unwrap();
        }
        assert!(matches!(
            limiter.check(&id, None),
            Err(ApiError::RateLimited)
        ));
    }
}
