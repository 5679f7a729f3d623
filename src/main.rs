//! The `retex` command: serve the API, import data, export the schema.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use retex::api::Limits;
use retex::app::{self, Config};
use retex::export::Format;
use retex::store::sqlite::SqliteStore;
use retex::store::WriteReport;
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

async fn serve(cli: &Cli, listen: &str, config: Config) -> anyhow::Result<()> {
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
    let address = listener.local_addr()?;
    tracing::info!(%address, store = %cli.store.display(), "retex is serving: GraphiQL at http://{address}/");
    retex::server::run(
        listener,
        retex::http::app(state),
        retex::server::shutdown_signal(),
    )
    .await
    .context("the server stopped")
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
            serve(&cli, listen, config).await
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
