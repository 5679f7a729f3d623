//! retex: public-sector experience with software, as one knowledge graph behind one GraphQL API.
//!
//! # Layout
//!
//! - [`analysis`]: peers, peer experience, adoption paths, selection advice, continuity risk
//!   and statistics, computed over an in-memory index of the whole graph (any backend).
//! - [`domain`]: needs, solutions, publishers, collectivities, adoptions, outcomes,
//!   alternatives and sources, validated once when built. No GraphQL, SQL or Cypher here.
//! - [`store`]: the storage boundary ([`store::Store`]) in the domain's words, its embedded
//!   SQLite implementation ([`store::sqlite`]) and its Neo4j/Bolt one ([`store::neo4j`]).
//! - [`import`]: importers that read files into validated batches (the curated seed first).
//! - [`audit`]: `retex audit`, a data-quality report over any store's dump (conflicting
//!   values, facts without source, needs too broad, duplicate adoptions, unstated licences).
//! - [`api`]: the GraphQL schema (async-graphql): queries, mutations and their authorization,
//!   batching loaders, limits and the error policy (stable `extensions.code`). Shared by the
//!   server and the SDL export.
//! - [`metrics`]: Prometheus counters behind `GET /metrics`, and a store decorator counting
//!   store calls (and what they reveal: the store reachable or not, this process's writes).
//! - [`http`]: the poem application: `POST /graphql` (bearer tokens resolved, requests priced
//!   on a parsed document kept by text, timeouts, anonymous read answers kept per store
//!   revision and found from the request's bytes with ETags), subscriptions over WebSocket,
//!   GraphiQL on `GET /graphiql`, `GET /health` (last known state) and `GET /ready`,
//!   `GET /metrics`; clients behind trusted proxies and the request log.
//! - [`audit`]: the data-quality report over any store's dump (`retex audit`).
//! - [`export`]: the graph out as JSON Lines, CSV, GraphML and Cypher, and the published export.
//! - [`generate`]: a synthetic national-scale graph for benchmarks (`retex generate`).
//! - [`web`]: the web explorer, server-rendered HTML pages (search, needs, solutions,
//!   collectivities, adoption paths drawn in SVG) on `GET /`; GraphiQL moves to `/graphiql`.
//! - [`server`]: runs the application on a listener until a shutdown future resolves.
//! - [`watch`]: release watch: polls GitHub, GitLab, Atom/RSS and endoflife.date sources,
//!   stores releases and release cycles, raises alerts, writes Atom feeds.
//! - [`app`]: opens the store, seeds it when empty, and builds the shared state.
//!
//! The binary (`src/main.rs`) parses the command line and wires these together.

pub mod analysis;
pub mod api;
pub mod app;
pub mod audit;
pub mod domain;
pub mod export;
pub mod generate;
pub mod http;
pub mod import;
pub mod metrics;
pub mod server;
pub mod store;
pub mod watch;
pub mod web;
