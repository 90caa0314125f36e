//! The command line: global backend flags and the subcommands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clickstack::env;

use crate::format::Format;

/// The exit codes (a macro, to build the help texts at compile time).
macro_rules! exit_codes {
    () => {
        "Exit codes:
  0  success; for `plan`: nothing to change
  1  error (bad usage, configuration, a file, the API, an invalid document, a refused delete)
  2  `plan` only: changes are pending (like `terraform plan -detailed-exitcode`)"
    };
}

/// The exit codes, shown at the end of `--help`.
pub(crate) const EXIT_CODES: &str = exit_codes!();

/// How the backend is chosen, then the exit codes: the end of the long
/// `--help`.
const LONG_HELP_END: &str = concat!(
    "Backend: open-source ClickStack (HyperDX API) with --url and --api-key, or Managed
ClickStack (ClickHouse Cloud API) with --cloud-key-id, --cloud-key-secret,
--organization and --service. Each flag falls back to its environment variable
(CLICKSTACK_URL, CLICKSTACK_API_KEY, CLICKHOUSE_CLOUD_KEY_ID,
CLICKHOUSE_CLOUD_KEY_SECRET, CLICKHOUSE_CLOUD_ORGANIZATION_ID,
CLICKHOUSE_CLOUD_SERVICE_ID, CLICKHOUSE_CLOUD_API_URL); flags win. Values from
the environment and secrets are never printed.

",
    exit_codes!()
);

/// `clickstack`: ClickStack dashboards, alerts and saved searches as code.
// Doc comments of arguments are their `--help` text: plain text, not
// Markdown.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Parser)]
#[command(
    name = "clickstack",
    version,
    about = "ClickStack dashboards, alerts and saved searches as code",
    long_about = "ClickStack dashboards, alerts and saved searches as code: export them to \
                  YAML or JSON files, review changes with `plan`, apply them with `apply`, on \
                  Managed ClickStack (ClickHouse Cloud) or open-source ClickStack (HyperDX).",
    after_help = EXIT_CODES,
    after_long_help = LONG_HELP_END,
    propagate_version = true
)]
pub(crate) struct Cli {
    /// The backend.
    #[command(flatten)]
    pub(crate) backend: BackendArgs,
    /// When to colour the output (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub(crate) color: ColorChoice,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The backend flags (each also read from its environment variable).
#[allow(clippy::doc_markdown)]
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Backend (flags override the environment)")]
pub(crate) struct BackendArgs {
    /// HyperDX API base URL (open-source ClickStack), e.g. http://localhost:8000.
    #[arg(long, env = env::URL, hide_env_values = true, global = true, value_name = "URL")]
    pub(crate) url: Option<String>,
    /// HyperDX Personal API Access Key.
    #[arg(long, env = env::API_KEY, hide_env_values = true, global = true, value_name = "KEY")]
    pub(crate) api_key: Option<String>,
    /// ClickHouse Cloud API key id.
    #[arg(long, env = env::CLOUD_KEY_ID, hide_env_values = true, global = true, value_name = "ID")]
    pub(crate) cloud_key_id: Option<String>,
    /// ClickHouse Cloud API key secret.
    #[arg(long, env = env::CLOUD_KEY_SECRET, hide_env_values = true, global = true, value_name = "SECRET")]
    pub(crate) cloud_key_secret: Option<String>,
    /// ClickHouse Cloud organization id (UUID).
    #[arg(long, env = env::CLOUD_ORGANIZATION_ID, hide_env_values = true, global = true, value_name = "UUID")]
    pub(crate) organization: Option<String>,
    /// ClickHouse Cloud service id (UUID) of the ClickStack service.
    #[arg(long, env = env::CLOUD_SERVICE_ID, hide_env_values = true, global = true, value_name = "UUID")]
    pub(crate) service: Option<String>,
    /// ClickHouse Cloud API base URL (default https://api.clickhouse.cloud).
    #[arg(long, env = env::CLOUD_API_URL, hide_env_values = true, global = true, value_name = "URL")]
    pub(crate) cloud_api_url: Option<String>,
}

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Write the backend's resources to files, one per resource
    /// (DIR/dashboards/<name>.yaml, ...) plus DIR/sources.yaml.
    Export(ExportArgs),
    /// Show what `apply` would create, update or delete, field by field
    /// (exit code 2 when something would change).
    Plan(PlanArgs),
    /// Create, update (and with --prune delete) resources so the backend
    /// matches DIR.
    Apply(ApplyArgs),
    /// Check the documents in DIR: dashboards with the server's validation,
    /// alerts and saved searches against the API's schemas.
    Validate(ValidateArgs),
    /// List resources as a table, or as JSON.
    Ls(LsArgs),
}

/// The kinds of resources kept as files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ValueEnum)]
pub(crate) enum Kind {
    /// Dashboards (DIR/dashboards/).
    Dashboards,
    /// Saved searches (DIR/saved-searches/).
    SavedSearches,
    /// Alerts (DIR/alerts/).
    Alerts,
}

impl Kind {
    /// The library's kind.
    pub(crate) fn resource(self) -> clickstack::as_code::Kind {
        match self {
            Kind::Dashboards => clickstack::as_code::Kind::Dashboard,
            Kind::SavedSearches => clickstack::as_code::Kind::SavedSearch,
            Kind::Alerts => clickstack::as_code::Kind::Alert,
        }
    }

    /// The kind of files of the library's kind, if it has files.
    pub(crate) fn of(kind: clickstack::as_code::Kind) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.resource() == kind)
    }

    /// Every kind, in the order they are applied.
    pub(crate) const ALL: [Kind; 3] = [Kind::SavedSearches, Kind::Dashboards, Kind::Alerts];

    /// The directory of this kind's files inside DIR.
    pub(crate) fn dir(self) -> &'static str {
        match self {
            Kind::Dashboards => "dashboards",
            Kind::SavedSearches => "saved-searches",
            Kind::Alerts => "alerts",
        }
    }

    /// The singular noun ("saved search").
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Dashboards => "dashboard",
            Kind::SavedSearches => "saved search",
            Kind::Alerts => "alert",
        }
    }

    /// The noun for `count` of them ("1 dashboard", "2 dashboards").
    pub(crate) fn count(self, count: usize) -> String {
        let noun = match (self, count) {
            (Kind::Dashboards, 1) => "dashboard",
            (Kind::Dashboards, _) => "dashboards",
            (Kind::SavedSearches, 1) => "saved search",
            (Kind::SavedSearches, _) => "saved searches",
            (Kind::Alerts, 1) => "alert",
            (Kind::Alerts, _) => "alerts",
        };
        format!("{count} {noun}")
    }
}

/// `clickstack export`.
#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES)]
pub(crate) struct ExportArgs {
    /// The directory to write to (created if needed).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub(crate) dir: PathBuf,
    /// The kinds to export, comma-separated (default: all).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS")]
    pub(crate) kind: Vec<Kind>,
    /// Only resources whose name matches this glob (`*`, `?`, `[abc]`);
    /// without it, files of resources that no longer exist are removed.
    #[arg(long, value_name = "GLOB")]
    pub(crate) name: Option<String>,
    /// The file format.
    #[arg(long, value_enum, default_value_t = Format::Yaml)]
    pub(crate) format: Format,
}

/// `clickstack plan`.
#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES)]
pub(crate) struct PlanArgs {
    /// The directory `export` wrote (dashboards/, alerts/, saved-searches/, sources.yaml).
    #[arg(value_name = "DIR")]
    pub(crate) dir: PathBuf,
    /// Print the plan as JSON.
    #[arg(long)]
    pub(crate) json: bool,
    /// Also plan to delete the resources DIR does not hold, of the kinds DIR
    /// has a directory for.
    #[arg(long)]
    pub(crate) prune: bool,
    /// Also save the plan to FILE, for `clickstack apply FILE` to apply
    /// exactly this plan later (refused if the target changed since).
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

/// `clickstack apply`.
#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES)]
pub(crate) struct ApplyArgs {
    /// The directory `export` wrote, or a plan file `plan --out` saved.
    #[arg(value_name = "DIR|PLAN")]
    pub(crate) dir: PathBuf,
    /// Also delete the resources DIR does not hold, of the kinds DIR has a
    /// directory for (asks first unless --yes). A saved plan deletes what it
    /// was planned with.
    #[arg(long)]
    pub(crate) prune: bool,
    /// Delete without asking (required for deletes when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub(crate) yes: bool,
}

/// `clickstack validate`.
#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES)]
pub(crate) struct ValidateArgs {
    /// The directory to check.
    #[arg(value_name = "DIR")]
    pub(crate) dir: PathBuf,
}

/// What `ls` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Listing {
    /// Dashboards.
    Dashboards,
    /// Alerts.
    Alerts,
    /// Sources.
    Sources,
    /// Webhooks.
    Webhooks,
    /// Saved searches.
    SavedSearches,
}

/// `clickstack ls`.
#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES)]
pub(crate) struct LsArgs {
    /// What to list.
    #[arg(value_enum)]
    pub(crate) what: Listing,
    /// Print JSON (the resources as the API returns them) instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}
