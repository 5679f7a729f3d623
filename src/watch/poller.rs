//! Scheduling polls: the due sources, a bounded number at once; each answer parsed and
//! recorded in one store call; failures recorded on their source with an exponential backoff
//! (with jitter, never sooner than `Retry-After`); new releases broadcast to subscribers.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures::StreamExt;
use serde::Serialize;
use tokio::sync::broadcast;

use super::client::{ClientConfig, FetchError, Fetched, Validators, WatchClient};
use super::parse;
use crate::domain::{PollOutcome, PollRecord, Release, WatchTarget};
use crate::store::{Store, StoreError};

/// Where new releases are announced the moment they are stored.
pub type ReleaseEvents = broadcast::Sender<Release>;

/// A channel for release events, with room for this many undelivered events per receiver.
pub fn release_events(capacity: usize) -> ReleaseEvents {
    broadcast::channel(capacity.max(1)).0
}

/// How the poller behaves.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// The HTTP client's settings.
    pub client: ClientConfig,
    /// Most sources polled at once.
    pub concurrency: usize,
    /// Wait after a first failure; doubled with each failure in a row.
    pub backoff_base: Duration,
    /// Longest wait after failures.
    pub backoff_max: Duration,
    /// How often a running poller looks for due sources.
    pub tick: Duration,
}

impl Default for WatchConfig {
    fn default() -> Self {
        Self {
            client: ClientConfig::default(),
            concurrency: 16,
            backoff_base: Duration::from_secs(60),
            backoff_max: Duration::from_secs(24 * 3600),
            tick: Duration::from_secs(30),
        }
    }
}

/// Why the poller as a whole could not work (single sources' failures are recorded instead).
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Client(#[from] FetchError),
}

/// What a round of polls did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PollSummary {
    /// Sources polled.
    pub polled: u64,
    /// Sources that answered with content.
    pub fetched: u64,
    /// Sources that answered 304.
    pub not_modified: u64,
    /// Sources whose poll failed.
    pub failed: u64,
    /// Releases stored for the first time.
    pub new_releases: u64,
    /// Body bytes received.
    pub bytes_received: u64,
    /// Body bytes not transferred thanks to 304 answers.
    pub bytes_saved: u64,
    /// Wall time of the round, in milliseconds.
    pub elapsed_ms: u64,
}

impl PollSummary {
    fn add(&mut self, one: &SourcePoll) {
        self.polled += 1;
        match one {
            SourcePoll::Fetched { new, bytes } => {
                self.fetched += 1;
                self.new_releases += *new;
                self.bytes_received += *bytes;
            }
            SourcePoll::NotModified { saved } => {
                self.not_modified += 1;
                self.bytes_saved += *saved;
            }
            SourcePoll::Failed => self.failed += 1,
        }
    }
}

enum SourcePoll {
    Fetched { new: u64, bytes: u64 },
    NotModified { saved: u64 },
    Failed,
}

/// Polls watch sources and records what they say.
#[derive(Clone)]
pub struct Poller {
    store: Arc<dyn Store>,
    client: WatchClient,
    config: Arc<WatchConfig>,
    events: ReleaseEvents,
}

impl Poller {
    /// A poller on `store`, announcing new releases on `events`.
    pub fn new(
        store: Arc<dyn Store>,
        config: WatchConfig,
        events: ReleaseEvents,
    ) -> Result<Self, WatchError> {
        Ok(Self {
            store,
            client: WatchClient::new(config.client.clone())?,
            config: Arc::new(config),
            events,
        })
    }

    /// Polls every source, due or not (`retex watch --once`).
    pub async fn poll_all(&self) -> Result<PollSummary, WatchError> {
        let targets = self.store.watch_sources_due(None).await?;
        Ok(self.poll(targets).await)
    }

    /// Polls the sources due now.
    pub async fn poll_due(&self) -> Result<PollSummary, WatchError> {
        let targets = self.store.watch_sources_due(Some(Utc::now())).await?;
        Ok(self.poll(targets).await)
    }

    /// Polls due sources every tick until `shutdown` resolves.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            match self.poll_due().await {
                Ok(s) if s.polled > 0 => tracing::info!(
                    polled = s.polled,
                    fetched = s.fetched,
                    not_modified = s.not_modified,
                    failed = s.failed,
                    new_releases = s.new_releases,
                    "release watch round"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "release watch round failed"),
            }
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(self.config.tick) => {}
            }
        }
    }

    async fn poll(&self, targets: Vec<WatchTarget>) -> PollSummary {
        let started = Instant::now();
        let concurrency = self.config.concurrency.max(1);
        let mut summary = PollSummary::default();
        let mut results = futures::stream::iter(targets)
            .map(|t| self.poll_one(t))
            .buffer_unordered(concurrency);
        while let Some(one) = results.next().await {
            summary.add(&one);
        }
        summary.elapsed_ms = started.elapsed().as_millis() as u64;
        summary
    }

    /// The wait before the next poll after `failures` failures in a row: exponential, with
    /// jitter (between half and all of it), never shorter than what the server asked.
    fn backoff(&self, failures: u32, retry_after: Option<Duration>) -> Duration {
        let exponent = failures.saturating_sub(1).min(30);
        let full = self
            .config
            .backoff_base
            .saturating_mul(1u32 << exponent.min(20))
            .min(self.config.backoff_max);
        let jittered = full.mul_f64(0.5 + fastrand::f64() * 0.5);
        retry_after.map_or(jittered, |r| r.max(jittered))
    }

    async fn poll_one(&self, target: WatchTarget) -> SourcePoll {
        let source = &target.source;
        let stored = Validators {
            etag: target.etag.clone(),
            last_modified: target.last_modified.clone(),
            body_len: 0,
        };
        let fetched = self.client.fetch(source.url.as_str(), stored).await;
        let now = Utc::now();
        // Spread polls over ±10 % of the interval, so sources declared together drift apart.
        let interval = Duration::from_secs(u64::from(source.interval_secs))
            .mul_f64(0.9 + fastrand::f64() * 0.2);
        let (outcome, result, wait) = match fetched {
            Ok(Fetched::NotModified { saved }) => (
                PollOutcome::NotModified,
                SourcePoll::NotModified { saved },
                interval,
            ),
            Ok(Fetched::Body { body, validators }) => match parse::parse(source, &body) {
                Ok(parsed) => (
                    PollOutcome::Fetched {
                        etag: validators.etag,
                        last_modified: validators.last_modified,
                        releases: parsed.releases,
                        cycles: parsed.cycles,
                    },
                    SourcePoll::Fetched {
                        new: 0,
                        bytes: body.len() as u64,
                    },
                    interval,
                ),
                Err(e) => self.failure(&target, e.to_string(), None),
            },
            Err(e) => self.failure(&target, e.to_string(), e.retry_after()),
        };
        let failures = match outcome {
            PollOutcome::Failed { .. } => target.failures.saturating_add(1),
            _ => 0,
        };
        let record = PollRecord {
            source: source.id.clone(),
            checked_at: now,
            next_check: now
                + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::days(365)),
            outcome,
            failures,
        };
        match self.store.record_poll(record).await {
            Ok(new) => {
                let count = new.len() as u64;
                for release in new {
                    // No subscriber is not an error.
                    let _ = self.events.send(release);
                }
                match result {
                    SourcePoll::Fetched { bytes, .. } => SourcePoll::Fetched { new: count, bytes },
                    other => other,
                }
            }
            Err(e) => {
                tracing::warn!(source = %source.id, error = %e, "cannot record a poll");
                SourcePoll::Failed
            }
        }
    }

    fn failure(
        &self,
        target: &WatchTarget,
        error: String,
        retry_after: Option<Duration>,
    ) -> (PollOutcome, SourcePoll, Duration) {
        tracing::debug!(source = %target.source.id, %error, "poll failed");
        let wait = self.backoff(target.failures.saturating_add(1), retry_after);
        (PollOutcome::Failed { error }, SourcePoll::Failed, wait)
    }
}
