//! The GraphQL API: one schema, built the same way for the server and for the SDL export.
//!
//! - [`query`]: the query root.
//! - [`mutation`]: the mutation root (writes need a bearer token, see [`auth`]): inputs and
//!   their conversions into domain types, creations and updates, retirements and the
//!   watch-source writes.
//! - [`types`]: the object types, one concern per file: the node types wrapping domain types
//!   (each with its analysis fields beside it, as `Solution.risk`), and the analyses' answers
//!   (peers, experience, adoption paths, selection advice, risk, statistics).
//! - [`inputs`], [`enums`]: filters and vocabularies as clients write them.
//! - [`insight`]: the analyses as the query root asks for them (ids found in the index).
//! - [`loaders`]: batching of every relation.
//! - [`node_cache`]: nodes and relations read for anonymous requests, kept per store revision.
//! - [`watch`]: the release watch's reads (releases, status, alerts) and the subscription root.
//! - [`error`]: the error policy (stable `extensions.code`).
//! - [`Reads`]: what a request's resolvers read (the store, an analysis index), so the HTTP
//!   layer knows what a kept answer depends on.
//! - [`bounds`]: numeric inputs checked against the range their description states.

pub mod auth;
pub mod bounds;
mod context;
pub mod enums;
pub mod error;
pub mod inputs;
pub mod insight;
pub mod loaders;
pub mod mutation;
pub mod node_cache;
mod paging;
pub mod price;
pub mod query;
pub mod types;
pub mod watch;

pub use context::Reads;

use std::sync::Arc;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Schema, SchemaBuilder};

use crate::store::Store;
use crate::watch::ReleaseEvents;
use auth::WriteLimiter;
use loaders::StoreLoader;
use mutation::MutationRoot;
use query::QueryRoot;
use watch::SubscriptionRoot;

/// The schema type.
pub type RetexSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Limits on what one query may ask.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of fields.
    pub depth: usize,
    /// Highest complexity (a list field counts its page size times its children).
    pub complexity: usize,
    /// Most field selections (aliases included) in one document.
    pub fields: usize,
    /// Writes a minute per token and per client address (0: no limit).
    pub writes_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            depth: 16,
            complexity: 20_000,
            fields: 1_000,
            writes_per_minute: 60,
        }
    }
}

fn builder(limits: Limits) -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(QueryRoot, MutationRoot::default(), SubscriptionRoot)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .limit_recursive_depth(32)
        .limit_directives(8)
}

/// The schema, serving `store`, with a release channel of its own (nothing publishes on it).
pub fn build_schema(store: Arc<dyn Store>, limits: Limits) -> RetexSchema {
    build_schema_with_events(store, limits, crate::watch::release_events(16))
}

/// The schema, serving `store`; `releasePublished` subscribers listen to `events`.
pub fn build_schema_with_events(
    store: Arc<dyn Store>,
    limits: Limits,
    events: ReleaseEvents,
) -> RetexSchema {
    let analysis = Arc::new(crate::analysis::Analysis::new(store.clone()));
    build_schemas(store, limits, events, analysis, node_cache::DEFAULT_ENTRIES).strict
}

/// The two schemas of a server, the same but for how much of a document they check.
pub struct Schemas {
    /// Checks every validation rule on every request.
    pub strict: RetexSchema,
    /// Checks only what depends on more than the document (its complexity and depth, under
    /// the same limits), for a document `strict` has already passed: a document without
    /// variables passes the other rules either always or never (see
    /// `http::documents::Document::passed`). The same data as `strict`: one store, loader,
    /// node cache, write limiter and analysis index.
    pub fast: RetexSchema,
}

/// The schemas (see [`Schemas`]), serving `store`, with the analyses (and their cached index)
/// of `analysis`, which the web explorer shares; `releasePublished` subscribers listen to
/// `events`; at most `node_cache_entries` rows of each kind kept for anonymous readers (see
/// [`node_cache`]).
pub fn build_schemas(
    store: Arc<dyn Store>,
    limits: Limits,
    events: ReleaseEvents,
    analysis: Arc<crate::analysis::Analysis>,
    node_cache_entries: u64,
) -> Schemas {
    let loader = Arc::new(DataLoader::new(
        StoreLoader::new(store.clone()),
        tokio::spawn,
    ));
    let node_cache = Arc::new(node_cache::NodeCache::new(node_cache_entries));
    let limiter = Arc::new(WriteLimiter::new(limits.writes_per_minute));
    let finish = |builder: SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot>| {
        builder
            .data(store.clone())
            .data(loader.clone())
            .data(node_cache.clone())
            .data(events.clone())
            .data(analysis.clone())
            .data(limiter.clone())
            .finish()
    };
    Schemas {
        strict: finish(builder(limits)),
        fast: finish(builder(limits).validation_mode(async_graphql::ValidationMode::Fast)),
    }
}

/// The schema in SDL, as exported to `schema/schema.graphql`.
pub fn sdl() -> String {
    builder(Limits::default()).finish().sdl()
}
