//! The `retex` command: serve the API, import data, export the schema, watch releases.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use retex::api::Limits;
use retex::app::{self, Config, StoreSpec};
use retex::export::Format;
use retex::import::{import, import_all, Curated, Kind, Options, Summary};
use retex::store::{Store, WriteReport};
use retex::watch::{PollSummary, Poller, WatchConfig};
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

mod cli;
use cli::token::{token, TokenCommand};

/// mimalloc rather than the system allocator: answers build and drop many small values (evidence
/// trees, GraphQL values, JSON), which glibc's allocator serves slowly across threads (a third
/// of the server's time under load in `perf`; see `benches/insight.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The version `--version` shows: the package's, and the commit it was built from ("unknown"
/// when built outside a git checkout).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("RETEX_GIT_COMMIT"),
    ")"
);

/// retex: public-sector experience with software, as a knowledge graph behind a GraphQL API.
#[derive(Parser)]
#[command(name = "retex", version = VERSION, about)]
struct Cli {
    /// The store: the embedded store's file, or a Bolt server (`bolt://host:7687`,
    /// `neo4j://host:7687` for a cluster).
    #[arg(long, env = "RETEX_STORE", default_value = "retex.db", global = true)]
    store: String,
    /// The Bolt server's user.
    #[arg(long, env = "RETEX_NEO4J_USER", default_value = "neo4j", global = true)]
    neo4j_user: String,
    /// The Bolt server's password (prefer the environment variable: flags show in `ps`).
    #[arg(
        long,
        env = "RETEX_NEO4J_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    neo4j_password: Option<String>,
    /// The Bolt server's database (the server's default when absent).
    #[arg(long, env = "RETEX_NEO4J_DATABASE", global = true)]
    neo4j_database: Option<String>,
    /// Log filter (error, warn, info, debug, trace, or a tracing filter).
    #[arg(long, env = "RETEX_LOG", default_value = "info", global = true)]
    log: String,
    /// Log lines as text (for people) or JSON objects, one a line (for log collectors).
    #[arg(long, env = "RETEX_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"], global = true)]
    log_format: String,
    /// The secret write tokens are hashed under (default: one kept in `<store>.token-secret`).
    #[arg(
        long,
        env = "RETEX_TOKEN_SECRET",
        hide_env_values = true,
        global = true
    )]
    token_secret: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the GraphQL API (GraphiQL on /, the endpoint on /graphql, health on /health).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "RETEX_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Seed folder loaded when the store is empty (default: the seed built into retex).
        #[arg(long, env = "RETEX_SEED")]
        seed: Option<PathBuf>,
        /// Do not load the seed, even into an empty store.
        #[arg(long)]
        no_seed: bool,
        /// Largest request body, in bytes.
        #[arg(long, env = "RETEX_MAX_BODY_BYTES", default_value_t = retex::http::DEFAULT_MAX_BODY)]
        max_body_bytes: usize,
        /// Deepest query nesting.
        #[arg(long, env = "RETEX_MAX_DEPTH", default_value_t = Limits::default().depth)]
        max_depth: usize,
        /// Highest query complexity.
        #[arg(long, env = "RETEX_MAX_COMPLEXITY", default_value_t = Limits::default().complexity)]
        max_complexity: usize,
        /// Most field selections (aliases included) in one query.
        #[arg(long, env = "RETEX_MAX_FIELDS", default_value_t = Limits::default().fields)]
        max_fields: usize,
        /// Writes a minute allowed per token and per client address (0: no limit).
        #[arg(long, env = "RETEX_WRITES_PER_MINUTE", default_value_t = Limits::default().writes_per_minute)]
        writes_per_minute: u32,
        /// Longest time one GraphQL request may take, in seconds.
        #[arg(long, env = "RETEX_REQUEST_TIMEOUT", default_value_t = retex::http::DEFAULT_REQUEST_TIMEOUT.as_secs())]
        request_timeout: u64,
        /// Origins allowed by CORS, comma-separated (CORS is off when none is given).
        #[arg(long, env = "RETEX_CORS_ORIGINS", value_delimiter = ',')]
        cors_origin: Vec<String>,
        /// Room for answers to anonymous read queries, kept per store revision, in MiB (0: none).
        #[arg(long, env = "RETEX_RESPONSE_CACHE_MB", default_value_t = 64)]
        response_cache_mb: u64,
        /// Most rows of each kind (solutions, adoptions, pages…) kept for anonymous readers per
        /// store revision, so a query reading nodes an earlier one read skips the store (0: none).
        #[arg(long, env = "RETEX_NODE_CACHE_ENTRIES", default_value_t = retex::api::node_cache::DEFAULT_ENTRIES)]
        node_cache_entries: u64,
        /// Largest answer to one GraphQL request, in bytes (larger ones are refused).
        #[arg(long, env = "RETEX_MAX_RESPONSE_BYTES", default_value_t = retex::http::limits::DEFAULT_MAX_RESPONSE)]
        max_response_bytes: usize,
        /// Also poll the release watch's sources while serving.
        #[arg(long, env = "RETEX_WATCH")]
        watch: bool,
        /// Most watch sources polled at once (with --watch).
        #[arg(long, default_value_t = WatchConfig::default().concurrency)]
        watch_concurrency: usize,
        /// Reverse proxies whose `X-Forwarded-For` names the client, for the write limit and
        /// the logs: addresses or CIDR blocks, comma-separated (none: the header is ignored).
        #[arg(long, env = "RETEX_TRUSTED_PROXIES", value_delimiter = ',')]
        trusted_proxies: Vec<String>,
        /// A host the watch may fetch even on a private, loopback or link-local address
        /// (repeat, or comma-separate; any other host must resolve to public addresses).
        #[arg(long, env = "RETEX_WATCH_ALLOW_HOSTS", value_delimiter = ',')]
        watch_allow_host: Vec<String>,
        /// Most WebSocket operations (subscriptions included) running at once per client
        /// address, over all its connections (0: no cap; 16 per connection whatever this says).
        #[arg(long, env = "RETEX_MAX_WS_OPERATIONS_PER_ADDRESS", default_value_t = retex::http::ws::DEFAULT_OPERATIONS_PER_ADDRESS)]
        max_ws_operations_per_address: usize,
    },
    /// Copy the embedded store, while it serves, into a new file, checked (SQLite's online
    /// backup API: the store as of one moment).
    Backup {
        /// The backup file to write (must not exist).
        file: PathBuf,
    },
    /// Check a backup and install it as the store (`--store`); stop the server first.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Only check the backup; change nothing.
        #[arg(long)]
        check: bool,
    },
    /// Poll the release watch's sources: once (--once), or whenever they are due until stopped.
    Watch {
        /// Poll every source once, print a summary and exit.
        #[arg(long)]
        once: bool,
        /// Most sources polled at once.
        #[arg(long, default_value_t = WatchConfig::default().concurrency)]
        concurrency: usize,
        /// Timeout of one request, in seconds.
        #[arg(long, default_value_t = 20)]
        timeout: u64,
        /// A GitHub token, sent to api.github.com only (raises its rate limit).
        #[arg(long, env = "RETEX_GITHUB_TOKEN", hide_env_values = true)]
        github_token: Option<String>,
        /// A host the watch may fetch even on a private, loopback or link-local address
        /// (repeat, or comma-separate; any other host must resolve to public addresses).
        #[arg(long, env = "RETEX_WATCH_ALLOW_HOSTS", value_delimiter = ',')]
        watch_allow_host: Vec<String>,
    },
    /// Import the seed or a dataset into the store, each as one transaction.
    ///
    /// `retex import seed/`, `retex import sill ../shared/data/sill`,
    /// `retex import publiccode https://.../publiccode.yml`, `retex import --all ../shared/data`.
    /// Kinds: seed, collectivities, sill, govoss, publiccode, endoflife, munich, codegouv; guessed
    /// from the input's shape when left out.
    Import {
        /// The kind of input, then the path or URL (or only the path or URL).
        #[arg(num_args = 1..=2, required_unless_present = "all")]
        args: Vec<String>,
        /// Import every dataset found in this folder (the shared data folder).
        #[arg(long, value_name = "DIR", conflicts_with = "args")]
        all: Option<PathBuf>,
        /// The seed folder loaded first by --all into an empty store (default: the seed built
        /// into retex).
        #[arg(long, env = "RETEX_SEED")]
        seed: Option<PathBuf>,
        /// Entity-resolution overrides file (aliases, merges to undo; default: the overrides
        /// built into retex, `seed/resolution/overrides.yaml`).
        #[arg(long, env = "RETEX_OVERRIDES")]
        overrides: Option<PathBuf>,
    },
    /// Explain a solution's merges: which dataset records were merged into it, and on which
    /// evidence (SILL id, Wikidata QID, repository URL, normalised name or alias).
    ExplainMerge {
        /// The solution's id (`solution:glpi` or `glpi`), name or alias.
        solution: String,
    },
    /// Report the store's data quality: conflicting stated values, facts without source,
    /// solutions with no specific need, adoptions without need, duplicate adoptions, licences
    /// not stated where a dataset states licences.
    Audit {
        /// Print the report as JSON (every finding), instead of text (counts and examples).
        #[arg(long)]
        json: bool,
    },
    /// Export the whole graph as open data (JSON Lines, CSV, GraphML, Cypher) with a manifest.
    Export {
        /// The folder to write into.
        out: PathBuf,
        /// Formats to write (jsonl, csv, graphml, cypher); all when not given.
        #[arg(long, value_delimiter = ',')]
        format: Vec<String>,
    },
    /// Copy the whole graph from one store to another, then check counts and content digest.
    Migrate {
        /// The store to read (a file or a Bolt URL); defaults to --store.
        #[arg(long)]
        from: Option<String>,
        /// The store to write (a file or a Bolt URL); both use the same Bolt credentials.
        #[arg(long)]
        to: String,
    },
    /// Create, list or revoke write tokens.
    Token {
        #[command(subcommand)]
        action: TokenCommand,
    },
    /// Generate a national-scale graph for benchmarks: the seed (real facts), real or
    /// synthetic collectivities, and synthetic solutions, adoptions and outcomes (ids
    /// `*:synthetic-*`, all citing one DATASET source titled as synthetic).
    Generate {
        /// The random seed: the same seed gives the same graph.
        #[arg(long)]
        seed: u64,
        /// The store file to write (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// The découpage administratif folder (communes.json, epci.json); synthetic
        /// collectivities with the same size distribution when absent.
        #[arg(long)]
        collectivities_from: Option<PathBuf>,
        /// A curated seed folder to import first (real facts); the seed built into the
        /// binary when absent.
        #[arg(long)]
        seed_data: Option<PathBuf>,
        /// Synthetic adoptions.
        #[arg(long, default_value_t = 1_000_000)]
        adoptions: usize,
        /// Synthetic outcomes.
        #[arg(long, default_value_t = 100_000)]
        outcomes: usize,
        /// Synthetic solutions.
        #[arg(long, default_value_t = 5_000)]
        solutions: usize,
        /// Needs in all (real ones included).
        #[arg(long, default_value_t = 300)]
        needs: usize,
        /// Rows per write transaction.
        #[arg(long, default_value_t = 50_000)]
        batch: usize,
    },
    /// Write the GraphQL schema (SDL).
    ExportSchema {
        /// Where to write it; `-` for standard output.
        #[arg(long, short, default_value = "schema/schema.graphql")]
        output: PathBuf,
    },
}

fn print_report(report: &WriteReport) {
    println!(
        "{:<14} {:>9} {:>9} {:>9}",
        "kind", "created", "updated", "unchanged"
    );
    for (kind, k) in &report.kinds {
        println!(
            "{kind:<14} {:>9} {:>9} {:>9}",
            k.created, k.updated, k.unchanged
        );
    }
}

fn print_summary(summary: &PollSummary) {
    println!(
        "polled {} sources in {} ms: {} fetched, {} not modified (304), {} failed; {} new releases; {} bytes received, {} bytes saved by conditional requests",
        summary.polled,
        summary.elapsed_ms,
        summary.fetched,
        summary.not_modified,
        summary.failed,
        summary.new_releases,
        summary.bytes_received,
        summary.bytes_saved
    );
}

async fn watch(cli: &Cli, once: bool, config: WatchConfig) -> anyhow::Result<()> {
    let store: Arc<dyn Store> = app::open_store(&cli.spec(&cli.store)).await?;
    let poller = Poller::new(store.clone(), config, retex::watch::release_events(16))?;
    if !once {
        tracing::info!(store = %cli.spec(&cli.store).describe(), "release watch running");
        poller.run(retex::server::shutdown_signal()).await;
        return Ok(());
    }
    let summary = poller.poll_all().await?;
    print_summary(&summary);
    for status in store.watch_status().await? {
        if status.source.retired.is_some() {
            continue;
        }
        if let Some(error) = &status.last_error {
            println!("  {}: {error}", status.source.id);
        }
    }
    Ok(())
}

impl Cli {
    /// The embedded store's file, for commands that only the embedded store has.
    fn sqlite_path(&self, command: &str) -> anyhow::Result<PathBuf> {
        match self.spec(&self.store) {
            StoreSpec::Sqlite(path) => Ok(path),
            StoreSpec::Neo4j(_) => anyhow::bail!(
                "`retex {command}` is for the embedded store; for Neo4j use the server's own backup tools (neo4j-admin database dump) or `retex migrate --to copy.db` for a logical copy"
            ),
        }
    }

    /// The store a spec names, with the Bolt credentials of the command line.
    fn spec(&self, spec: &str) -> StoreSpec {
        StoreSpec::parse(
            spec,
            Some(self.neo4j_user.clone()),
            self.neo4j_password.clone(),
            self.neo4j_database.clone(),
        )
    }
}

fn print_import_summary(summary: &Summary, elapsed: std::time::Duration) {
    print_report(&summary.report);
    for (kind, why) in &summary.rejected {
        println!("{kind:<14} {:>9} rejected", why.len());
        for w in why.iter().take(5) {
            println!("  - {w}");
        }
    }
    let secs = elapsed.as_secs_f64().max(1e-3);
    println!(
        "{} rows in {secs:.2} s ({:.0} rows/s)",
        summary.rows,
        summary.rows as f64 / secs
    );
    if summary.report.is_no_op() {
        println!("nothing changed: the store already held this data");
    }
}

/// A spinner on a terminal, log lines otherwise.
fn progress_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed}] {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}

async fn run_import(
    cli: &Cli,
    args: &[String],
    all: Option<&std::path::Path>,
    seed: Option<&std::path::Path>,
    overrides: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let options = Options {
        overrides: Some(Curated::or_embedded(overrides.map(PathBuf::from))),
        seed: Some(Curated::or_embedded(seed.map(PathBuf::from))),
    };
    let store = app::open_store(&cli.spec(&cli.store)).await?;
    let store = store.as_ref();
    let started = std::time::Instant::now();
    let bar = progress_bar();
    let summary = match (all, args) {
        (Some(dir), _) => {
            import_all(store, dir, &options, |kind| match &bar {
                Some(bar) => bar.set_message(format!("importing {}", kind.name())),
                None => tracing::info!(kind = kind.name(), "importing"),
            })
            .await
        }
        (None, [target]) => import(store, None, target, &options).await,
        (None, [kind, target]) => {
            let kind = Kind::parse(kind)
                .with_context(|| format!("unknown kind `{kind}`: seed, collectivities, sill, govoss, publiccode, endoflife, munich or codegouv"))?;
            if let Some(bar) = &bar {
                bar.set_message(format!("importing {}", kind.name()));
            }
            import(store, Some(kind), target, &options).await
        }
        _ => anyhow::bail!("give a path or URL, a kind and a path or URL, or --all <dir>"),
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    print_import_summary(&summary?, started.elapsed());
    Ok(())
}

async fn serve(listen: &str, config: Config, watch: Option<WatchConfig>) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::AddrInUse => {
                " (another program is using it: choose another with --listen)"
            }
            std::io::ErrorKind::PermissionDenied => " (ports below 1024 need privileges)",
            _ => "",
        };
        anyhow::anyhow!("cannot listen on {listen}: {e}{hint}")
    })?;
    let state = app::prepare(&config).await?;
    // The analyses and search read the index: build it now, so the first query finds it (or
    // finds it under way) instead of starting a build of tens of seconds at national scale.
    state.analysis.warm_up();
    let poller = match watch {
        Some(watch) => {
            let poller = Poller::new(state.store.clone(), watch, state.events.clone())?;
            Some(tokio::spawn(async move {
                poller.run(std::future::pending()).await;
            }))
        }
        None => None,
    };
    let address = listener.local_addr()?;
    tracing::info!(%address, store = %config.store.describe(), "retex is serving: GraphiQL at http://{address}/");
    let served = retex::server::run(
        listener,
        retex::http::app(state),
        retex::server::shutdown_signal(),
    )
    .await
    .context("the server stopped");
    if let Some(poller) = poller {
        poller.abort();
    }
    served
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Serve {
            listen,
            seed,
            no_seed,
            max_body_bytes,
            max_depth,
            max_complexity,
            max_fields,
            writes_per_minute,
            request_timeout,
            cors_origin,
            response_cache_mb,
            node_cache_entries,
            max_response_bytes,
            watch,
            watch_concurrency,
            trusted_proxies,
            watch_allow_host,
            max_ws_operations_per_address,
        } => {
            let trusted_proxies = retex::http::client::TrustedProxies::parse(trusted_proxies)
                .map_err(|e| anyhow::anyhow!("--trusted-proxies: {e}"))?;
            let config = Config {
                store: cli.spec(&cli.store),
                seed: (!no_seed).then(|| Curated::or_embedded(seed.clone())),
                limits: Limits {
                    depth: *max_depth,
                    complexity: *max_complexity,
                    fields: *max_fields,
                    writes_per_minute: *writes_per_minute,
                },
                max_body: *max_body_bytes,
                export_dir: None,
                token_secret: cli.token_secret.clone(),
                request_timeout: std::time::Duration::from_secs((*request_timeout).max(1)),
                cors_origins: cors_origin.clone(),
                response_cache_bytes: response_cache_mb.saturating_mul(1024 * 1024),
                node_cache_entries: *node_cache_entries,
                trusted_proxies,
                max_response_bytes: *max_response_bytes,
                ws_operations_per_address: *max_ws_operations_per_address,
            };
            let watch = watch.then(|| {
                let mut config = WatchConfig {
                    concurrency: *watch_concurrency,
                    ..WatchConfig::default()
                };
                config.client.allowed_hosts = watch_allow_host.clone();
                config
            });
            serve(listen, config, watch).await
        }
        Command::Watch {
            once,
            concurrency,
            timeout,
            github_token,
            watch_allow_host,
        } => {
            let mut config = WatchConfig {
                concurrency: *concurrency,
                ..WatchConfig::default()
            };
            config.client.timeout = std::time::Duration::from_secs(*timeout);
            config.client.github_token = github_token.clone();
            config.client.allowed_hosts = watch_allow_host.clone();
            watch(&cli, *once, config).await
        }
        Command::Import {
            args,
            all,
            seed,
            overrides,
        } => {
            run_import(
                &cli,
                args,
                all.as_deref(),
                seed.as_deref(),
                overrides.as_deref(),
            )
            .await
        }
        Command::ExplainMerge { solution } => {
            let store = app::open_store(&cli.spec(&cli.store)).await?;
            let text = retex::import::explain::explain_merge(store.as_ref(), solution).await?;
            print!("{text}");
            Ok(())
        }
        Command::Audit { json } => {
            let store = app::open_store(&cli.spec(&cli.store)).await?;
            let report = retex::audit::audit(&store.dump().await?);
            if *json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", report.to_text());
            }
            Ok(())
        }
        Command::Export { out, format } => {
            let formats = if format.is_empty() {
                Format::ALL.to_vec()
            } else {
                format
                    .iter()
                    .map(|f| {
                        Format::parse(f).ok_or_else(|| {
                            anyhow::anyhow!(
                                "unknown format `{f}`: use jsonl, csv, graphml or cypher"
                            )
                        })
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?
            };
            let store = app::open_store(&cli.spec(&cli.store)).await?;
            let started = std::time::Instant::now();
            let manifest = retex::export::export(store.as_ref(), out, &formats).await?;
            for file in &manifest.files {
                println!("{:>12} bytes  {}", file.bytes, file.path);
            }
            println!(
                "exported {} nodes and {} citations in {:.2?}; content hash {}",
                manifest
                    .counts
                    .iter()
                    .filter(|(k, _)| *k != "citations")
                    .map(|(_, n)| n)
                    .sum::<u64>(),
                manifest.counts.get("citations").copied().unwrap_or(0),
                started.elapsed(),
                manifest.content_hash
            );
            Ok(())
        }
        Command::Migrate { from, to } => {
            let from = cli.spec(from.as_deref().unwrap_or(&cli.store));
            let to = cli.spec(to);
            let source = app::open_store(&from).await?;
            let target = app::open_store(&to).await?;
            let report = retex::store::copy_graph(source.as_ref(), target.as_ref())
                .await
                .with_context(|| format!("cannot copy {} to {}", from.describe(), to.describe()))?;
            print_report(&report.written);
            println!(
                "copied {} to {}: counts match, content digest {}",
                from.describe(),
                to.describe(),
                report.digest
            );
            Ok(())
        }
        Command::Token { action } => token(&cli, action).await,
        Command::Backup { file } => {
            let store = cli.sqlite_path("backup")?;
            let started = std::time::Instant::now();
            let summary = retex::store::sqlite::backup(&store, file)?;
            println!(
                "backed up {} to {} in {:.2?}: {summary}",
                store.display(),
                file.display(),
                started.elapsed()
            );
            Ok(())
        }
        Command::Restore { file, check } => {
            let summary = if *check {
                retex::store::sqlite::check_backup(file)?
            } else {
                let to = cli.sqlite_path("restore")?;
                let summary = retex::store::sqlite::restore(file, &to)?;
                println!("restored {} as {}", file.display(), to.display());
                summary
            };
            println!("{}: {summary}", file.display());
            Ok(())
        }
        Command::Generate {
            seed,
            out,
            collectivities_from,
            seed_data,
            adoptions,
            outcomes,
            solutions,
            needs,
            batch,
        } => {
            let store = retex::store::sqlite::SqliteStore::open(out).await?;
            let plan = retex::generate::Plan {
                needs: *needs,
                solutions: *solutions,
                adoptions: *adoptions,
                outcomes: *outcomes,
                batch: (*batch).max(1),
                collectivities_from: collectivities_from.clone(),
                seed_data: Some(match seed_data {
                    Some(folder) => retex::generate::SeedData::Folder(folder.clone()),
                    None => retex::generate::SeedData::Embedded,
                }),
                ..retex::generate::Plan::national(*seed)
            };
            let summary = retex::generate::generate(&store, &plan).await?;
            for (kind, n) in &summary.counts {
                println!("wrote {n:>9} {kind}");
            }
            for (phase, secs) in &summary.phases {
                println!("{phase:<10} {secs:>8.1} s");
            }
            Ok(())
        }
        Command::ExportSchema { output } => {
            let sdl = retex::api::sdl();
            if output.as_os_str() == "-" {
                print!("{sdl}");
            } else {
                std::fs::write(output, sdl)
                    .with_context(|| format!("cannot write {}", output.display()))?;
                println!("wrote {}", output.display());
            }
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_new(&cli.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if cli.log_format == "json" {
        logs.json().flatten_event(true).init();
    } else {
        logs.init();
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
