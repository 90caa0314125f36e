//! The client the flags and the environment describe.
//!
//! The flags are clap arguments with `env = ...`, so each already holds
//! the flag's value or else its variable's; this module hands them to
//! [`ClientBuilder::from_lookup`], the same rules as
//! [`Client::from_env`](clickstack::Client::from_env), with one addition:
//! a backend named on the command line wins over the other backend's
//! variables in the environment.

use std::collections::HashMap;

use anyhow::{Result, anyhow};
use clap::ArgMatches;
use clap::parser::ValueSource;
use clickstack::{BackendKind, Client, ClientBuilder, Error, env};

use crate::cli::BackendArgs;

/// A connected backend and how to name it in output (no secrets).
#[derive(Debug)]
pub(crate) struct Target {
    /// The client.
    pub(crate) client: Client,
    /// "HyperDX at http://..." or "Managed ClickStack (...)".
    pub(crate) description: String,
    /// The API base URL.
    pub(crate) url: String,
}

impl Target {
    /// Which API.
    pub(crate) fn backend(&self) -> BackendKind {
        self.client.backend()
    }

    /// The backend's name for messages: "HyperDX" or "ClickHouse Cloud".
    pub(crate) fn api_name(&self) -> &'static str {
        match self.backend() {
            BackendKind::Oss => "HyperDX",
            BackendKind::Cloud => "ClickHouse Cloud",
        }
    }
}

/// Each backend flag: its argument id, its variable, its flag.
const FLAGS: [(&str, &str, &str, bool); 7] = [
    ("url", env::URL, "--url", false),
    ("api_key", env::API_KEY, "--api-key", false),
    ("cloud_key_id", env::CLOUD_KEY_ID, "--cloud-key-id", true),
    (
        "cloud_key_secret",
        env::CLOUD_KEY_SECRET,
        "--cloud-key-secret",
        true,
    ),
    (
        "organization",
        env::CLOUD_ORGANIZATION_ID,
        "--organization",
        true,
    ),
    ("service", env::CLOUD_SERVICE_ID, "--service", true),
    ("cloud_api_url", env::CLOUD_API_URL, "--cloud-api-url", true),
];

/// Whether argument `id` was given on the command line (of the top level
/// or of the subcommand, as backend flags are global).
fn on_command_line(matches: &ArgMatches, id: &str) -> bool {
    let here = matches!(matches.value_source(id), Some(ValueSource::CommandLine));
    here || matches
        .subcommand()
        .is_some_and(|(_, sub)| on_command_line(sub, id))
}

/// Connects to the backend the flags and the environment name.
pub(crate) fn connect(args: &BackendArgs, matches: &ArgMatches) -> Result<Target> {
    let values: [Option<&String>; 7] = [
        args.url.as_ref(),
        args.api_key.as_ref(),
        args.cloud_key_id.as_ref(),
        args.cloud_key_secret.as_ref(),
        args.organization.as_ref(),
        args.service.as_ref(),
        args.cloud_api_url.as_ref(),
    ];
    let cloud_flag = FLAGS
        .iter()
        .any(|(id, _, _, cloud)| *cloud && on_command_line(matches, id));
    let oss_flag = FLAGS
        .iter()
        .any(|(id, _, _, cloud)| !*cloud && on_command_line(matches, id));
    let mut vars: HashMap<&'static str, String> = HashMap::new();
    for ((id, name, _, cloud), value) in FLAGS.iter().zip(values) {
        let Some(value) = value else { continue };
        // Cloud flags on the command line and no HyperDX flag: the
        // environment's HyperDX variables do not count (and vice versa).
        let from_command_line = on_command_line(matches, id);
        if !from_command_line
            && ((cloud_flag && !oss_flag && !cloud) || (oss_flag && !cloud_flag && *cloud))
        {
            continue;
        }
        vars.insert(name, value.clone());
    }
    let builder = ClientBuilder::from_lookup(|name| vars.get(name).cloned())
        .map_err(|e| explain(&e, &vars))?;
    let Some(builder) = builder else {
        return Err(anyhow!(
            "no backend configured: pass --url and --api-key for open-source ClickStack \
             (HyperDX), or --cloud-key-id, --cloud-key-secret, --organization and --service for \
             Managed ClickStack (ClickHouse Cloud); each flag can also be set through its \
             environment variable (see `clickstack --help`)"
        ));
    };
    let client = builder.build().map_err(|e| explain(&e, &vars))?;
    let (description, url) = match client.backend() {
        BackendKind::Oss => {
            let url = vars.get(env::URL).cloned().unwrap_or_default();
            (format!("HyperDX at {url}"), url)
        }
        BackendKind::Cloud => {
            let url = vars
                .get(env::CLOUD_API_URL)
                .cloned()
                .unwrap_or_else(|| clickstack::cloud::DEFAULT_BASE_URL.to_string());
            let organization = vars
                .get(env::CLOUD_ORGANIZATION_ID)
                .cloned()
                .unwrap_or_default();
            let service = vars.get(env::CLOUD_SERVICE_ID).cloned().unwrap_or_default();
            (
                format!(
                    "Managed ClickStack at {url} (organization {organization}, service {service})"
                ),
                url,
            )
        }
    };
    Ok(Target {
        client,
        description,
        url,
    })
}

/// A configuration error with the flag next to each variable it names.
fn explain(error: &Error, vars: &HashMap<&'static str, String>) -> anyhow::Error {
    let text = error.to_string();
    let text = text.strip_prefix("configuration: ").unwrap_or(&text);
    let mut message = format!("invalid backend configuration: {text}");
    // A URL's query or fragment may hold a token: never echo them.
    for name in [env::URL, env::CLOUD_API_URL] {
        if let Some(url) = vars.get(name)
            && let Some(at) = url.find(['?', '#'])
        {
            message = message.replace(url.as_str(), &format!("{}[redacted]", &url[..=at]));
        }
    }
    if let Some(start) = message.find("URL \"").map(|i| i + 5)
        && let Some(len) = message[start..].find('"')
        && let Some(at) = message[start..start + len].find(['?', '#'])
    {
        message.replace_range(start + at + 1..start + len, "[redacted]");
    }
    for (_, name, flag, _) in FLAGS {
        if message.contains(name) {
            message = message.replace(name, &format!("{name} (or {flag})"));
        }
    }
    anyhow!(message)
}
