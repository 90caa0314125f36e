//! `clickstack-fake`: runs the fake of both ClickStack APIs as a process.
//!
//! ```text
//! clickstack-fake [--port N] [--host ADDR] [--rate-limits on|off]
//!                 [--organization-id UUID] [--service-id UUID]
//! ```
//!
//! Prints one line with the base URL, the Cloud organization and service
//! ids and the credentials, then serves until SIGINT or SIGTERM. The port
//! defaults to `$PORT` (as HyperDX's API reads it), else 0 (a free port);
//! the host to `127.0.0.1`.

use std::process::ExitCode;

use clickstack_fake::{FakeOptions, FakeServer};

/// The usage text.
const USAGE: &str = "usage: clickstack-fake [--port N] [--host ADDR] [--rate-limits on|off] \
                     [--organization-id UUID] [--service-id UUID]";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1), std::env::var("PORT").ok()) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("clickstack-fake: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rate_limits = if options.enforce_rate_limits {
        "on"
    } else {
        "off"
    };
    let fake = match FakeServer::start_with(options).await {
        Ok(fake) => fake,
        Err(err) => {
            eprintln!("clickstack-fake: cannot listen: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "clickstack-fake listening on {} organization_id={} service_id={} api_key={} \
         cloud_key_id={} cloud_key_secret={} rate_limits={rate_limits}",
        fake.base_url(),
        fake.cloud_organization_id(),
        fake.cloud_service_id(),
        FakeServer::API_KEY,
        FakeServer::CLOUD_KEY_ID,
        FakeServer::CLOUD_KEY_SECRET,
    );
    shutdown_signal().await;
    drop(fake);
    ExitCode::SUCCESS
}

/// The options the arguments ask for; `None` for `--help`.
fn parse(
    args: impl Iterator<Item = String>,
    port_env: Option<String>,
) -> Result<Option<FakeOptions>, String> {
    let mut args = args.peekable();
    let mut options = FakeOptions::default();
    if let Some(port) = port_env.filter(|p| !p.trim().is_empty()) {
        options.port = port
            .trim()
            .parse()
            .map_err(|_| format!("PORT: not a port number: {port}"))?;
    }
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => {
                let raw = inline
                    .or_else(|| args.next())
                    .ok_or("--port needs a value")?;
                options.port = raw
                    .parse()
                    .map_err(|_| format!("--port: not a port number: {raw}"))?;
            }
            "--host" => {
                let raw = inline
                    .or_else(|| args.next())
                    .ok_or("--host needs a value")?;
                options.host = raw
                    .parse()
                    .map_err(|_| format!("--host: not an IP address: {raw}"))?;
            }
            "--rate-limits" => {
                // The value is optional: a bare `--rate-limits` means on.
                let raw = match inline {
                    Some(raw) => raw,
                    None if args.peek().is_some_and(|next| !next.starts_with('-')) => {
                        args.next().unwrap_or_default()
                    }
                    None => "on".to_owned(),
                };
                options.enforce_rate_limits = match raw.as_str() {
                    "on" | "true" | "1" => true,
                    "off" | "false" | "0" => false,
                    other => {
                        return Err(format!("--rate-limits: expected on or off, got {other}"));
                    }
                };
            }
            "--organization-id" | "--service-id" => {
                let raw = inline
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{flag} needs a value"))?;
                let id = raw
                    .parse::<uuid::Uuid>()
                    .map_err(|_| format!("{flag}: not a UUID: {raw}"))?;
                if flag == "--organization-id" {
                    options.organization_id = Some(id);
                } else {
                    options.service_id = Some(id);
                }
            }
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(Some(options))
}

/// Resolves on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Option<FakeOptions>, String> {
        parse(list.iter().map(|s| (*s).to_owned()), None)
    }

    #[test]
    fn arguments() {
        let options = args(&["--port", "8080", "--rate-limits", "on"])
            .unwrap()
            .unwrap();
        assert_eq!((options.port, options.enforce_rate_limits), (8080, true));
        let options = args(&["--rate-limits", "--port=1"]).unwrap().unwrap();
        assert_eq!((options.port, options.enforce_rate_limits), (1, true));
        let options = args(&["--rate-limits=off"]).unwrap().unwrap();
        assert!(!options.enforce_rate_limits);
        assert!(args(&["--help"]).unwrap().is_none());
        assert!(args(&["--port"]).is_err());
        assert!(args(&["--port", "x"]).is_err());
        assert!(args(&["--bogus"]).is_err());
        assert!(args(&["--service-id", "not-a-uuid"]).is_err());
        let options = args(&["--host", "0.0.0.0"]).unwrap().unwrap();
        assert!(options.host.is_unspecified());
        let from_env = parse(std::iter::empty(), Some("8123".into()))
            .unwrap()
            .unwrap();
        assert_eq!(from_env.port, 8123);
        let flag_wins = parse(["--port=9".to_owned()].into_iter(), Some("8123".into()));
        assert_eq!(flag_wins.unwrap().unwrap().port, 9);
    }
}
