//! `clickstack`: ClickStack dashboards, alerts and saved searches as code,
//! on Managed ClickStack (ClickHouse Cloud API) and open-source ClickStack
//! (HyperDX API), built on the `clickstack` crate.
//!
//! ```text
//! clickstack export [--dir DIR] [--kind dashboards,alerts,saved-searches] [--name GLOB] [--format yaml|json]
//! clickstack plan DIR [--json] [--prune] [--out PLAN]
//! clickstack apply DIR|PLAN [--prune] [--yes]
//! clickstack validate DIR
//! clickstack ls dashboards|alerts|sources|webhooks|saved-searches [--json]
//! ```
//!
//! Exit codes: 0 success (for `plan`: nothing to change), 1 error, 2
//! changes pending (`plan` only). See the crate's README.

mod cli;
mod connect;
mod export;
mod format;
mod layout;
mod ls;
mod output;
mod plan;
mod render;
mod validate;

use std::process::ExitCode;

use anyhow::Result;
use clap::{ArgMatches, CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command};
use crate::output::Style;

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => {
            let _ = e.print();
            // clap exits 2 on usage errors; here 2 means "changes pending".
            return if e.use_stderr() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&cli, &matches)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            let mut previous = e.to_string();
            for cause in e.chain().skip(1) {
                let text = cause.to_string();
                // Wrapping errors often repeat their cause's text.
                if !previous.contains(&text) {
                    eprintln!("  caused by: {text}");
                }
                previous = text;
            }
            if let Some(hint) = e
                .chain()
                .find_map(|c| c.downcast_ref::<clickstack::Error>())
                .and_then(hint)
            {
                eprintln!("  hint: {hint}");
            }
            ExitCode::FAILURE
        }
    }
}

/// What to do about an API error, when there is something to say.
fn hint(error: &clickstack::Error) -> Option<&'static str> {
    use clickstack::Error;
    Some(match error {
        Error::Unauthorized(_) => {
            "check the credentials: --api-key (CLICKSTACK_API_KEY) for HyperDX, --cloud-key-id and \
             --cloud-key-secret (CLICKHOUSE_CLOUD_KEY_ID, CLICKHOUSE_CLOUD_KEY_SECRET) for Cloud"
        }
        Error::Forbidden(_) => "the key may not do this: check its role, or use another key",
        Error::UnknownRoute(_) => {
            "check the base URL: --url is the root of the HyperDX API server (e.g. \
             http://localhost:8000, without /api/v2); --cloud-api-url the root of the Cloud API"
        }
        Error::Transport(_) | Error::Timeout(_) => {
            "check the URL, and that the server is up and reachable from here"
        }
        Error::RateLimited { .. } => {
            "the server's rate limit held even after retries: wait a minute, then run again"
        }
        _ => return None,
    })
}

/// Runs the command; returns the exit code.
async fn run(cli: &Cli, matches: &ArgMatches) -> Result<u8> {
    let style = Style::for_stdout(cli.color);
    let target = connect::connect(&cli.backend, matches)?;
    match &cli.command {
        Command::Export(args) => export::export(&target, args).await.map(|()| 0),
        Command::Plan(args) => plan::plan(&target, args, style).await,
        Command::Apply(args) => plan::apply(&target, args, style).await,
        Command::Validate(args) => Ok(u8::from(!validate::validate(&target, args, style).await?)),
        Command::Ls(args) => ls::ls(&target, args).await.map(|()| 0),
    }
}
