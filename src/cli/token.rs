//! `retex token`: create, list and revoke the bearer tokens of writers.

use clap::Subcommand;
use retex::app;

use crate::Cli;

/// `retex token`'s actions.
#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create a token; its plaintext is printed once, on standard output.
    Create {
        /// The collectivity it writes for (needed by adoptions:write).
        #[arg(long)]
        collectivity: Option<String>,
        /// Its scopes: adoptions:write, curator, admin (repeat or separate with commas).
        #[arg(long, required = true, value_delimiter = ',')]
        scope: Vec<String>,
        /// A note on who holds it (a team or role).
        #[arg(long)]
        label: Option<String>,
        /// Days until it expires (never by default).
        #[arg(long)]
        expires_in_days: Option<u32>,
    },
    /// List every token (never their plaintext, which is not kept).
    List,
    /// Revoke a token by id.
    Revoke {
        /// The token's id (`tok_...`).
        id: String,
    },
}

/// Runs one `retex token` action on the store `cli` names.
pub async fn token(cli: &Cli, action: &TokenCommand) -> anyhow::Result<()> {
    use retex::domain::{CollectivityId, Scope, TokenId};
    let spec = cli.spec(&cli.store);
    let store = app::open_store(&spec).await?;
    match action {
        TokenCommand::Create {
            collectivity,
            scope,
            label,
            expires_in_days,
        } => {
            let collectivity = collectivity
                .as_deref()
                .map(CollectivityId::parse)
                .transpose()?;
            let scopes = scope
                .iter()
                .map(|s| Scope::parse(s.trim()))
                .collect::<Result<Vec<_>, _>>()?;
            let expires =
                expires_in_days.map(|d| chrono::Utc::now() + chrono::Duration::days(i64::from(d)));
            let secret = app::token_secret(&spec.secret_base(), cli.token_secret.as_deref())?;
            let (token, plaintext) = app::issue_token(
                store.as_ref(),
                &secret,
                collectivity,
                scopes,
                label.clone(),
                expires,
            )
            .await?;
            eprintln!(
                "created {} ({}); it is shown once, keep it now:",
                token.id,
                describe(&token)
            );
            println!("{plaintext}");
        }
        TokenCommand::List => {
            let now = chrono::Utc::now();
            for token in store.list_tokens().await? {
                let state = if token.revoked.is_some() {
                    "revoked"
                } else if !token.is_active(now) {
                    "expired"
                } else {
                    "active"
                };
                println!("{}  {state:<8} {}", token.id, describe(&token));
            }
        }
        TokenCommand::Revoke { id } => {
            let id = TokenId::parse(id)?;
            if !store.revoke_token(id.clone(), chrono::Utc::now()).await? {
                anyhow::bail!("no token has the id {id}");
            }
            println!("revoked {id}");
        }
    }
    Ok(())
}

fn describe(token: &retex::domain::Token) -> String {
    let scopes: Vec<&str> = token.scopes.iter().map(|s| s.as_str()).collect();
    format!(
        "scopes {}; collectivity {}; created {}; expires {}{}",
        scopes.join(","),
        token.collectivity.as_ref().map_or("-", |c| c.as_str()),
        token.created.format("%Y-%m-%d %H:%M"),
        token.expires.map_or("never".to_owned(), |e| e
            .format("%Y-%m-%d %H:%M")
            .to_string()),
        token
            .label
            .as_deref()
            .map_or(String::new(), |l| format!("; {l}"))
    )
}
