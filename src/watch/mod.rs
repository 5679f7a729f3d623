//! Release watch: follows solutions' releases and end-of-life dates, and tells the
//! collectivities that run them.
//!
//! - [`client`]: HTTP with timeouts, a size cap, conditional requests, a per-host rate limit.
//! - [`guard`]: public addresses only (after DNS resolution and on redirects), unless allowed.
//! - [`parse`]: GitHub and GitLab releases JSON, Atom and RSS, endoflife.date products.
//! - [`poller`]: scheduling, backoff, recording, and the broadcast of new releases.
//! - [`alerts`]: what a collectivity running a solution should know.
//! - [`feeds`]: Atom feeds out, per solution and per collectivity.

pub mod alerts;
pub mod client;
pub mod feeds;
pub mod guard;
pub mod parse;
pub mod poller;

pub use client::{ClientConfig, FetchError, WatchClient};
pub use poller::{release_events, PollSummary, Poller, ReleaseEvents, WatchConfig, WatchError};
