//! The `retex` command: serve the API, import data, export the schema.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use retex::api::Limits;
use retex::app::{self, Config};
use retex::import::{import, import_all, Kind, Options, Summary};
use retex::store::sqlite::SqliteStore;
use retex::store::WriteReport;
use std::io::IsTerminal;
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
        /// The seed loaded first by --all.
        #[arg(long, env = "RETEX_SEED", default_value = "seed")]
        seed: PathBuf,
        /// Entity-resolution overrides (aliases, merges to undo).
        #[arg(
            long,
            env = "RETEX_OVERRIDES",
            default_value = "seed/resolution/overrides.yaml"
        )]
        overrides: PathBuf,
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

fn print_summary(summary: &Summary, elapsed: std::time::Duration) {
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
    seed: &std::path::Path,
    overrides: &std::path::Path,
) -> anyhow::Result<()> {
    let store = SqliteStore::open(&cli.store).await?;
    let options = Options {
        overrides: Some(overrides.to_owned()),
        seed: Some(seed.to_owned()),
    };
    let started = std::time::Instant::now();
    let bar = progress_bar();
    let summary = match (all, args) {
        (Some(dir), _) => {
            import_all(&store, dir, &options, |kind| match &bar {
                Some(bar) => bar.set_message(format!("importing {}", kind.name())),
                None => tracing::info!(kind = kind.name(), "importing"),
            })
            .await
        }
        (None, [target]) => import(&store, None, target, &options).await,
        (None, [kind, target]) => {
            let kind = Kind::parse(kind)
                .with_context(|| format!("unknown kind `{kind}`: seed, collectivities, sill, govoss, publiccode, endoflife, munich or codegouv"))?;
            if let Some(bar) = &bar {
                bar.set_message(format!("importing {}", kind.name()));
            }
            import(&store, Some(kind), target, &options).await
        }
        _ => anyhow::bail!("give a path or URL, a kind and a path or URL, or --all <dir>"),
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    print_summary(&summary?, started.elapsed());
    Ok(())
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
            };
            serve(&cli, listen, config).await
        }
        Command::Import {
            args,
            all,
            seed,
            overrides,
        } => run_import(&cli, args, all.as_deref(), seed, overrides).await,
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
