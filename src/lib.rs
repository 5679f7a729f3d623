//! retex: public-sector experience with software, as one knowledge graph behind one GraphQL API.
//!
//! # Layout
//!
//! - [`domain`]: needs, solutions, publishers, collectivities, adoptions, outcomes,
//!   alternatives and sources, validated once when built; release watch and its alerts; write
//!   tokens and the history of changes; escaping text for XML and HTML. No GraphQL, SQL or
//!   Cypher here.
//! - [`store`]: the storage boundary ([`store::Store`]) in the domain's words, its embedded
//!   SQLite implementation ([`store::sqlite`]) and its Neo4j/Bolt one ([`store::neo4j`]):
//!   siblings that share `store/shared` (content hashes and versions, versioned-write checks,
//!   history pages and idempotent replays, the search text) and never name each other; the
//!   pages both give (`store/page.rs`); copying a graph between them.
//! - [`export`]: the graph out as JSON Lines, CSV, GraphML and Cypher, with a manifest
//!   (counts, SHA-256 per file and over the content, sources and their licences), and the
//!   published export.
//! - [`import`]: importers that read files into validated batches: the curated seed, the open
//!   datasets, an export folder read back, the support contract's contributions.
//! - [`analysis`]: peers, peer experience, adoption paths, selection advice, continuity risk
//!   and statistics, computed over an in-memory index of the whole graph (any backend).
//! - [`audit`]: `retex audit`, a data-quality report over any store's dump (conflicting
//!   values, facts without source, needs too broad, duplicate adoptions, unstated licences).
//! - [`watch`]: release watch: polls GitHub, GitLab, Atom/RSS and endoflife.date sources,
//!   stores releases and release cycles, raises alerts, writes Atom feeds.
//! - [`metrics`]: Prometheus counters behind `GET /metrics`, and a store decorator counting
//!   store calls (and what they reveal: the store reachable or not, this process's writes).
//! - [`generate`]: a synthetic national-scale graph for benchmarks (`retex generate`): seeded
//!   randomness, places, the catalogue, adoptions and outcomes, one file each.
//! - [`api`]: the GraphQL schema (async-graphql): the query root, the object types one concern
//!   per file (`api/types`, each node type with its analysis fields beside it, the fields all
//!   node types share written once by `node_object!`), the mutations
//!   (`api/mutation`: inputs turned into domain types at one seam, then one versioned write)
//!   and their authorization, batching loaders, limits and the error policy (stable
//!   `extensions.code`). Shared by the server and the SDL export.
//! - [`web`]: the web explorer, server-rendered HTML pages (search, needs, solutions,
//!   collectivities, adoption paths drawn in SVG) on `GET /`; GraphiQL moves to `/graphiql`.
//! - [`http`]: the poem application: `POST /graphql` (bearer tokens resolved, requests priced
//!   on a parsed document kept by text, timeouts, anonymous read answers kept per store
//!   revision and found from the request's bytes with ETags), subscriptions over WebSocket,
//!   GraphiQL on `GET /graphiql`, `GET /health` (last known state) and `GET /ready`,
//!   `GET /metrics`; clients behind trusted proxies and the request log.
//! - [`app`]: opens the store, seeds it when empty, and builds the shared state.
//! - [`server`]: runs the application on a listener until a shutdown future resolves.
//!
//! # Which layer may use which
//!
//! Dependencies run one way: a module uses only modules listed before it above.
//!
//! | module | may use |
//! | --- | --- |
//! | `domain` | nothing of retex |
//! | `store` | `domain` (and within it, `sqlite` and `neo4j` only `store` and `store/shared`) |
//! | `export` | `domain`, `store` |
//! | `import` | `domain`, `store` |
//! | `analysis`, `audit`, `watch`, `metrics` | `domain`, `store` |
//! | `generate` | `domain`, `store`, `import` |
//! | `api` | `domain`, `store`, `analysis`, `watch` |
//! | `web` | `domain`, `store`, `analysis`, `watch`, `export` |
//! | `http`, `app`, `server` | anything |
//!
//! GraphQL and HTTP types never reach the store or the domain; SQL and Cypher never leave their
//! backend; the API and the explorer reach a store only through [`store::Store`].
//! `tests/layers.rs` checks the rule on the source files.
//!
//! The binary (`src/main.rs`, with `src/cli/`) parses the command line and wires these together.

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
