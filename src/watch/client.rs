//! The HTTP side of the watch: one reqwest client with timeouts, a redirect limit and a
//! response size cap; conditional requests (`If-None-Match`, `If-Modified-Since`) from a moka
//! cache of each URL's validators (falling back to those the store kept); a per-host rate
//! limit; `Retry-After` read from refusals.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{
    HeaderMap, ACCEPT, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RETRY_AFTER,
};
use reqwest::StatusCode;

use super::guard::{AddressGuard, GuardedResolver};

/// The media types asked for: the JSON APIs and the feeds.
const ACCEPTED: &str =
    "application/json, application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5";

/// How the client behaves.
#[derive(Clone)]
pub struct ClientConfig {
    /// Whole-request timeout, body included.
    pub timeout: Duration,
    /// Connection timeout.
    pub connect_timeout: Duration,
    /// Largest body read, in bytes; larger answers are errors.
    pub max_body_bytes: usize,
    /// Least time between two requests to one host.
    pub per_host_interval: Duration,
    /// Most redirects followed.
    pub max_redirects: usize,
    /// The `User-Agent` sent.
    pub user_agent: String,
    /// A GitHub token, sent to `api.github.com` only (raises GitHub's rate limit).
    pub github_token: Option<String>,
    /// Hosts fetched whatever they resolve to (`--watch-allow-host`); any other host must
    /// be a public address (see [`super::guard`]).
    pub allowed_hosts: Vec<String>,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("per_host_interval", &self.per_host_interval)
            .field("max_redirects", &self.max_redirects)
            .field("user_agent", &self.user_agent)
            .field("github_token", &self.github_token.as_ref().map(|_| "<set>"))
            .field("allowed_hosts", &self.allowed_hosts)
            .finish()
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
            max_body_bytes: 5 * 1024 * 1024,
            per_host_interval: Duration::from_millis(250),
            max_redirects: 5,
            user_agent: concat!("retex-watch/", env!("CARGO_PKG_VERSION")).to_owned(),
            github_token: None,
            allowed_hosts: Vec::new(),
        }
    }
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The server answered with an error status.
    #[error("HTTP {status}")]
    Status {
        /// The status.
        status: u16,
        /// How long the server asked us to wait (`Retry-After`), if it did.
        retry_after: Option<Duration>,
    },
    /// No complete answer in time.
    #[error("timed out")]
    Timeout,
    /// The body is larger than the cap.
    #[error("the body is larger than {0} bytes")]
    TooLarge(usize),
    /// Too many redirects, or a loop.
    #[error("too many redirects: {0}")]
    Redirects(String),
    /// Anything else on the way (connection refused, reset, bad URL...).
    #[error("request failed: {0}")]
    Network(String),
    /// The URL, or a redirect, leads to an address the watch does not fetch.
    #[error("refused: {0}")]
    Refused(String),
}

impl FetchError {
    /// How long the server asked us to wait, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// The validators of a URL's last answer, and that answer's size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
    /// Size of the body they validate, in bytes (0 when unknown).
    pub body_len: u64,
}

impl Validators {
    fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// What a fetch brought.
#[derive(Debug)]
pub enum Fetched {
    /// A new body, with its validators.
    Body {
        /// The body.
        body: Vec<u8>,
        /// Its validators.
        validators: Validators,
    },
    /// 304: unchanged since the validators sent; `saved` bytes were not transferred.
    NotModified {
        /// Size of the body the cache validated.
        saved: u64,
    },
}

/// Spaces requests to each host.
#[derive(Default)]
struct HostLimiter {
    next_slot: Mutex<HashMap<String, Instant>>,
}

impl HostLimiter {
    /// Waits for this host's next slot.
    async fn wait(&self, host: &str, interval: Duration) {
        if interval.is_zero() {
            return;
        }
        let slot = {
            let mut slots = self.next_slot.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let slot = slots.get(host).copied().filter(|s| *s > now).unwrap_or(now);
            slots.insert(host.to_owned(), slot + interval);
            slot
        };
        tokio::time::sleep_until(slot.into()).await;
    }
}

/// The watch's HTTP client; cheap to clone.
#[derive(Clone)]
pub struct WatchClient {
    http: reqwest::Client,
    guard: AddressGuard,
    config: Arc<ClientConfig>,
    validators: moka::future::Cache<String, Validators>,
    limiter: Arc<HostLimiter>,
}

/// Reads `Retry-After`: seconds, or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs.min(7 * 24 * 3600)));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

fn header_text(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 1_000)
        .map(str::to_owned)
}

/// Follows at most `max` redirects, each to a URL the guard accepts.
fn redirect_policy(guard: AddressGuard, max: usize) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > max {
            return attempt.error(format!("more than {max} redirects"));
        }
        match guard.check_url(attempt.url()) {
            Ok(()) => attempt.follow(),
            Err(refused) => attempt.error(format!("redirected to a refused address: {refused}")),
        }
    })
}

fn classify(e: reqwest::Error) -> FetchError {
    if e.is_timeout() {
        FetchError::Timeout
    } else if e.is_redirect() {
        FetchError::Redirects(e.to_string())
    } else {
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        FetchError::Network(message)
    }
}

impl WatchClient {
    /// A client with this configuration.
    pub fn new(config: ClientConfig) -> Result<Self, FetchError> {
        let guard = AddressGuard::new(&config.allowed_hosts);
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .redirect(redirect_policy(guard.clone(), config.max_redirects))
            .dns_resolver(Arc::new(GuardedResolver(guard.clone())))
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        Ok(Self {
            http,
            guard,
            config: Arc::new(config),
            validators: moka::future::Cache::builder()
                .max_capacity(100_000)
                .time_to_idle(Duration::from_secs(7 * 24 * 3600))
                .build(),
            limiter: Arc::new(HostLimiter::default()),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Fetches `url`, conditionally when validators are known (the cache's, else `stored`).
    pub async fn fetch(&self, url: &str, stored: Validators) -> Result<Fetched, FetchError> {
        let parsed = url::Url::parse(url).map_err(|e| FetchError::Network(e.to_string()))?;
        self.guard.check_url(&parsed).map_err(FetchError::Refused)?;
        let host = parsed.host_str().unwrap_or_default().to_owned();
        let known = self
            .validators
            .get(url)
            .await
            .filter(|v| !v.is_empty())
            .unwrap_or(stored);
        self.limiter
            .wait(&host, self.config.per_host_interval)
            .await;
        let mut request = self.http.get(parsed).header(ACCEPT, ACCEPTED);
        if let (Some(token), "api.github.com") = (&self.config.github_token, host.as_str()) {
            request = request.bearer_auth(token);
        }
        if let Some(etag) = &known.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(date) = &known.last_modified {
            request = request.header(IF_MODIFIED_SINCE, date);
        }
        let mut response = request.send().await.map_err(classify)?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified {
                saved: known.body_len,
            });
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                status: status.as_u16(),
                retry_after: retry_after(response.headers()),
            });
        }
        let cap = self.config.max_body_bytes;
        if response.content_length().is_some_and(|n| n > cap as u64) {
            return Err(FetchError::TooLarge(cap));
        }
        let mut validators = Validators {
            etag: header_text(response.headers(), ETAG),
            last_modified: header_text(response.headers(), LAST_MODIFIED),
            body_len: 0,
        };
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > cap {
                return Err(FetchError::TooLarge(cap));
            }
            body.extend_from_slice(&chunk);
        }
        validators.body_len = body.len() as u64;
        if validators.is_empty() {
            self.validators.invalidate(url).await;
        } else {
            self.validators
                .insert(url.to_owned(), validators.clone())
                .await;
        }
        Ok(Fetched::Body { body, validators })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, "120".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(120)));
        let later = std::time::SystemTime::now() + Duration::from_secs(3600);
        headers.insert(RETRY_AFTER, httpdate::fmt_http_date(later).parse().unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait > Duration::from_secs(3590) && wait <= Duration::from_secs(3600));
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
