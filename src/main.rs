//! The `retex` command: serve the API, import data, export the schema, watch releases.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use retex::api::Limits;
use retex::app::{self, Config};
use retex::export::Format;
use retex::store::sqlite::SqliteStore;
use retex::store::{Store, WriteReport};
use retex::watch::{PollSummary, Poller, WatchConfig};
use tracing_subscriber::EnvFilter;

/// retex: public-sector experience with software, as a knowledge graph behind a GraphQL API.
#[derive(Parser)]
#[command(name = "retex", version, about)]
struct Cli {
    /// The embedded store's file.
    #[arg(long, env = "RETEX_STORE", default_value = "retex.db", global = true)]
    store: PathBuf,
    /// Log filter (error, warn, info, debug, trace, or a tracing filter).
    #[arg(long, env = "RETEX_LOG", default_value = "info", global = true)]
    log: String,
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
        /// Seed loaded when the store is empty.
        #[arg(long, env = "RETEX_SEED", default_value = "seed")]
        seed: PathBuf,
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
        /// Also poll the release watch's sources while serving.
        #[arg(long, env = "RETEX_WATCH")]
        watch: bool,
        /// Most watch sources polled at once (with --watch).
        #[arg(long, default_value_t = WatchConfig::default().concurrency)]
        watch_concurrency: usize,
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
    },
    /// Import a seed folder or file into the store, as one transaction.
    Import {
        /// The folder or file to import.
        path: PathBuf,
    },
    /// Export the whole graph as open data (JSON Lines, CSV, GraphML, Cypher) with a manifest.
    Export {
        /// The folder to write into.
        out: PathBuf,
        /// Formats to write (jsonl, csv, graphml, cypher); all when not given.
        #[arg(long, value_delimiter = ',')]
        format: Vec<String>,
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
        /// The curated seed to import first (real facts).
        #[arg(long, default_value = "seed")]
        seed_data: PathBuf,
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
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&cli.store).await?);
    let poller = Poller::new(store.clone(), config, retex::watch::release_events(16))?;
    if !once {
        tracing::info!(store = %cli.store.display(), "release watch running");
        poller.run(retex::server::shutdown_signal()).await;
        return Ok(());
    }
    let summary = poller.poll_all().await?;
    print_summary(&summary);
    for status in store.watch_status().await? {
        if let Some(error) = &status.last_error {
            println!("  {}: {error}", status.source.id);
        }
    }
    Ok(())
}

async fn serve(
    cli: &Cli,
    listen: &str,
    config: Config,
    watch: Option<WatchConfig>,
) -> anyhow::Result<()> {
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
    tracing::info!(%address, store = %cli.store.display(), "retex is serving: GraphiQL at http://{address}/");
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
            watch,
            watch_concurrency,
        } => {
            let config = Config {
                store: cli.store.clone(),
                seed: (!no_seed).then(|| seed.clone()),
                limits: Limits {
                    depth: *max_depth,
                    complexity: *max_complexity,
                },
                max_body: *max_body_bytes,
                export_dir: None,
            };
            let watch = watch.then(|| WatchConfig {
                concurrency: *watch_concurrency,
                ..WatchConfig::default()
            });
            serve(&cli, listen, config, watch).await
        }
        Command::Watch {
            once,
            concurrency,
            timeout,
            github_token,
        } => {
            let mut config = WatchConfig {
                concurrency: *concurrency,
                ..WatchConfig::default()
            };
            config.client.timeout = std::time::Duration::from_secs(*timeout);
            config.client.github_token = github_token.clone();
            watch(&cli, *once, config).await
        }
        Command::Import { path } => {
            let store = SqliteStore::open(&cli.store).await?;
            let report = retex::import::import_path(&store, path).await?;
            print_report(&report);
            if report.is_no_op() {
                println!("nothing changed: the store already held this data");
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
            let store = SqliteStore::open(&cli.store).await?;
            let started = std::time::Instant::now();
            let manifest = retex::export::export(&store, out, &formats).await?;
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
            let store = SqliteStore::open(out).await?;
            let plan = retex::generate::Plan {
                needs: *needs,
                solutions: *solutions,
                adoptions: *adoptions,
                outcomes: *outcomes,
                batch: (*batch).max(1),
                collectivities_from: collectivities_from.clone(),
                seed_data: Some(seed_data.clone()),
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
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
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
