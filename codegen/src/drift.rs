//! `drift`: has upstream moved away from the pin?
//!
//! For each API, [`drift_api`] reads the current upstream spec (a URL or a
//! file; by default [`Manifest::drift_source`]) within [`Limits`] through
//! [`crate::download`], then:
//!
//! - **unchanged**: its sha256 is the pin's, or it parses to the same JSON
//!   document as the pinned file (other formatting or key order: the live
//!   Cloud endpoint need not serve the bytes of a vendored copy);
//! - **changed**: another document. [`crate::check`] says whether it
//!   generates (its report, or the pipeline's error), and
//!   [`crate::diff`] lists the API changes from the pinned file, breaking
//!   first ([`Report::to_text_breaking_first`]);
//! - **error**: it could not be read (HTTP error, time or size limit,
//!   truncated, not JSON), or the pinned file is missing from the spec
//!   directory or does not match its pin.
//!
//! [`DriftReport`] gathers the APIs: [`DriftReport::to_text`] for people,
//! [`DriftReport::to_json`] for machines (with the text as `rendered`),
//! and [`DriftReport::exit_code`]: [`EXIT_UNCHANGED`], [`EXIT_CHANGED`]
//! (changed, and every changed spec generates) or [`EXIT_FAILED`] (an
//! error, or a changed spec that does not generate).

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::build_script::parse_json;
use crate::check::{self, CheckReport};
use crate::diff::{self, Report};
use crate::download::{self, Limits};
use crate::manifest::Manifest;
use crate::pin::{self, sha256_hex};
use crate::update_pin::target_name;
use crate::{Error, Result};

/// Exit code: every upstream spec is the pinned one.
pub const EXIT_UNCHANGED: u8 = 0;
/// Exit code: an upstream spec changed, and every changed one generates.
pub const EXIT_CHANGED: u8 = 2;
/// Exit code: an error, or a changed upstream spec that does not generate.
pub const EXIT_FAILED: u8 = 1;

/// The command's usage line.
pub const USAGE: &str = "clickstack-codegen drift [--cloud [SOURCE]] [--oss [SOURCE]] [--json] \
                         [--timeout SECS] [--max-bytes BYTES]";

/// One API to compare, and where to read its upstream spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `cloud` or `oss`.
    pub api: String,
    /// A URL or file; `None` for the manifest's [`Manifest::drift_source`].
    pub source: Option<String>,
}

/// The parsed command line of `drift`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// The APIs to compare, in order (both when no `--cloud`/`--oss` is
    /// given).
    pub requests: Vec<Request>,
    /// `--json`: print [`DriftReport::to_json`].
    pub json: bool,
    /// `--timeout SECS` and `--max-bytes BYTES`.
    pub limits: Limits,
}

/// Parses the arguments after `drift`:
/// `[--cloud [SOURCE]] [--oss [SOURCE]] [--json] [--timeout SECS]
/// [--max-bytes BYTES]`. A SOURCE is the next argument when it does not
/// start with `--`.
pub fn parse_args(args: &[String]) -> std::result::Result<Args, String> {
    let mut requests: Vec<Request> = Vec::new();
    let mut json = false;
    let mut limits = Limits::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        let value = |i: usize| {
            args.get(i)
                .filter(|v| !v.starts_with("--"))
                .ok_or_else(|| format!("{arg} needs a value\nusage: {USAGE}"))
        };
        match arg.as_str() {
            "--cloud" | "--oss" => {
                let api = &arg[2..];
                if requests.iter().any(|r| r.api == api) {
                    return Err(format!("{arg} is given twice\nusage: {USAGE}"));
                }
                let source = args.get(i).filter(|v| !v.starts_with("--")).cloned();
                if source.is_some() {
                    i += 1;
                }
                requests.push(Request {
                    api: api.to_string(),
                    source,
                });
            }
            "--json" => json = true,
            "--timeout" => {
                let text = value(i)?;
                i += 1;
                let secs = text
                    .parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s > 0.0 && *s <= 86_400.0)
                    .ok_or_else(|| {
                        format!("--timeout wants seconds (0 < SECS <= 86400), not `{text}`")
                    })?;
                limits.timeout = Duration::from_secs_f64(secs);
            }
            "--max-bytes" => {
                let text = value(i)?;
                i += 1;
                limits.max_bytes =
                    text.parse::<u64>().ok().filter(|&n| n > 0).ok_or_else(|| {
                        format!("--max-bytes wants a positive integer, not `{text}`")
                    })?;
            }
            other => return Err(format!("unknown argument `{other}`\nusage: {USAGE}")),
        }
    }
    if requests.is_empty() {
        requests = ["cloud", "oss"]
            .into_iter()
            .map(|api| Request {
                api: api.to_string(),
                source: None,
            })
            .collect();
    }
    Ok(Args {
        requests,
        json,
        limits,
    })
}

/// What [`drift_api`] found for one API.
#[derive(Debug)]
pub struct ApiDrift {
    /// `cloud` or `oss`.
    pub api: String,
    /// Where the upstream spec was read from.
    pub source: String,
    /// The pinned file's name (`pin.file`).
    pub pinned_file: String,
    /// The pin's sha256.
    pub pinned_sha256: String,
    /// What the comparison found.
    pub outcome: Outcome,
}

/// The result of comparing one upstream spec with its pin.
#[derive(Debug)]
pub enum Outcome {
    /// Upstream serves the pinned document.
    Unchanged {
        /// The sha256 of what upstream serves.
        sha256: String,
        /// Whether those are the pinned bytes (else the same JSON document
        /// in other bytes).
        same_bytes: bool,
    },
    /// Upstream serves another document.
    Changed(Box<Changed>),
    /// The upstream spec could not be read, or the pinned file could not
    /// be compared with it.
    Error(Error),
}

/// A changed upstream spec.
#[derive(Debug)]
pub struct Changed {
    /// Its sha256.
    pub sha256: String,
    /// Its size in bytes.
    pub size: usize,
    /// The name `update-pin` gives it in the spec directory.
    pub file_name: String,
    /// [`check`]: its report when it generates, else the pipeline's error.
    pub check: Result<CheckReport>,
    /// [`diff`] from the pinned file to it, or why that failed.
    pub changes: Result<Report>,
}

impl ApiDrift {
    /// `unchanged`, `changed` or `error`.
    pub fn status(&self) -> &'static str {
        match &self.outcome {
            Outcome::Unchanged { .. } => "unchanged",
            Outcome::Changed(_) => "changed",
            Outcome::Error(_) => "error",
        }
    }

    /// This API's exit code: [`EXIT_UNCHANGED`], [`EXIT_CHANGED`] when the
    /// changed spec generates and was compared, [`EXIT_FAILED`] otherwise.
    pub fn exit_code(&self) -> u8 {
        match &self.outcome {
            Outcome::Unchanged { .. } => EXIT_UNCHANGED,
            Outcome::Changed(c) if c.check.is_ok() && c.changes.is_ok() => EXIT_CHANGED,
            Outcome::Changed(_) | Outcome::Error(_) => EXIT_FAILED,
        }
    }

    fn write_text(&self, out: &mut String) {
        match &self.outcome {
            Outcome::Unchanged { sha256, same_bytes } => {
                let _ = writeln!(out, "== {}: unchanged", self.api);
                if *same_bytes {
                    let _ = writeln!(
                        out,
                        "{} serves the pinned {} (sha256 {sha256}).",
                        self.source, self.pinned_file
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "{} serves the document of the pinned {} in other bytes \
                         (sha256 {sha256}, pinned {}): formatting or key order only.",
                        self.source, self.pinned_file, self.pinned_sha256
                    );
                }
            }
            Outcome::Error(e) => {
                let _ = writeln!(out, "== {}: ERROR", self.api);
                let _ = writeln!(out, "{e}");
            }
            Outcome::Changed(c) => self.write_changed(c, out),
        }
    }

    fn write_changed(&self, c: &Changed, out: &mut String) {
        let verdict = if c.check.is_ok() {
            "generates"
        } else {
            "DOES NOT GENERATE"
        };
        let _ = write!(out, "== {}: CHANGED, {verdict}", self.api);
        if let Ok(report) = &c.changes {
            let _ = write!(
                out,
                "; {} breaking, {} compatible API changes",
                report.breaking().count(),
                report.compatible().count()
            );
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "pinned:    {} (sha256 {})",
            self.pinned_file, self.pinned_sha256
        );
        let _ = writeln!(
            out,
            "upstream:  {} (sha256 {}, {} bytes)",
            self.source, c.sha256, c.size
        );
        let _ = writeln!(out, "update-pin stores it as {}/{}", self.api, c.file_name);
        match &c.check {
            Ok(report) => {
                let norm = &report.normalize;
                let _ = writeln!(
                    out,
                    "check:     generates: {} operations (OpenAPI {}); declared fixes: {} apply, \
                     {} stale",
                    report.stats.operations,
                    report.openapi_version,
                    norm.fixes_applied.len(),
                    norm.fixes_stale.len()
                );
                for (id, why) in &norm.fixes_stale {
                    let _ = writeln!(
                        out,
                        "           STALE {id}: {why} (remove it from specs/{}.json)",
                        self.api
                    );
                }
            }
            Err(e) => {
                let _ = writeln!(out, "check:     does not generate: {e}");
            }
        }
        match &c.changes {
            Ok(report) => {
                let _ = writeln!(
                    out,
                    "-- API changes from the pinned {}, breaking first",
                    self.pinned_file
                );
                out.push_str(&report.to_text_breaking_first());
            }
            Err(e) => {
                let _ = writeln!(out, "-- API changes: the comparison failed: {e}");
            }
        }
    }

    /// This API's part of [`DriftReport::to_json`].
    pub fn to_json(&self) -> Value {
        let mut value = json!({
            "api": self.api,
            "source": self.source,
            "status": self.status(),
            "exit_code": self.exit_code(),
            "pinned": {"file": self.pinned_file, "sha256": self.pinned_sha256},
            "upstream": null,
            "same_bytes": null,
            "generates": null,
            "check": null,
            "check_error": null,
            "changes": null,
            "diff_error": null,
            "error": null,
        });
        match &self.outcome {
            Outcome::Unchanged { sha256, same_bytes } => {
                value["upstream"] = json!({"sha256": sha256});
                value["same_bytes"] = json!(same_bytes);
            }
            Outcome::Error(e) => value["error"] = json!(e.to_string()),
            Outcome::Changed(c) => {
                value["upstream"] = json!({
                    "sha256": c.sha256,
                    "bytes": c.size,
                    "file": c.file_name,
                });
                value["same_bytes"] = json!(false);
                value["generates"] = json!(c.check.is_ok());
                match &c.check {
                    Ok(report) => {
                        let norm = &report.normalize;
                        value["check"] = json!({
                            "openapi_version": report.openapi_version,
                            "operations": report.stats.operations,
                            "fixes_applied": norm.fixes_applied,
                            "fixes_stale": norm.fixes_stale.iter()
                                .map(|(id, why)| json!({"id": id, "why": why}))
                                .collect::<Vec<_>>(),
                        });
                    }
                    Err(e) => value["check_error"] = json!(e.to_string()),
                }
                match &c.changes {
                    Ok(report) => value["changes"] = report.to_json(),
                    Err(e) => value["diff_error"] = json!(e.to_string()),
                }
            }
        }
        value
    }
}

/// Compares the upstream spec of `manifest`'s API, read from `source`
/// (default [`Manifest::drift_source`]) within `limits`, with the pinned
/// file in `spec_dir/<api>/`. Never fails: problems are
/// [`Outcome::Error`].
pub fn drift_api(
    manifest: &Manifest,
    spec_dir: &Path,
    source: Option<&str>,
    limits: &Limits,
) -> ApiDrift {
    let source = source.unwrap_or_else(|| manifest.drift_source());
    ApiDrift {
        api: manifest.api.clone(),
        source: source.to_string(),
        pinned_file: manifest.pin.file.clone(),
        pinned_sha256: manifest.pin.sha256.clone(),
        outcome: compare(manifest, spec_dir, source, limits).unwrap_or_else(Outcome::Error),
    }
}

fn compare(manifest: &Manifest, spec_dir: &Path, source: &str, limits: &Limits) -> Result<Outcome> {
    let bytes = download::fetch_json(source, limits)?;
    let sha256 = sha256_hex(&bytes);
    if sha256.eq_ignore_ascii_case(&manifest.pin.sha256) {
        return Ok(Outcome::Unchanged {
            sha256,
            same_bytes: true,
        });
    }
    let pinned = pin::load_pinned(manifest, spec_dir)?;
    if let Some(expected) = &pinned.drift {
        return Err(Error::io(
            &pinned.path,
            std::io::Error::other(format!(
                "the pinned file in the spec directory has sha256 {}, not the pin's {expected}; \
                 it cannot stand for the pin",
                pinned.sha256
            )),
        ));
    }
    let old = parse_json(&pinned.bytes, &pinned.path)?;
    let new = parse_json(&bytes, Path::new(source))?;
    if old == new {
        return Ok(Outcome::Unchanged {
            sha256,
            same_bytes: false,
        });
    }
    let file_name = target_name(&manifest.api, source, &bytes);
    let check = check::check(manifest, &bytes, Path::new(source));
    let changes = diff::diff(&old, &new);
    Ok(Outcome::Changed(Box::new(Changed {
        sha256,
        size: bytes.len(),
        file_name,
        check,
        changes,
    })))
}

/// What `drift` found for every API it compared.
#[derive(Debug)]
pub struct DriftReport {
    /// One entry per API, in the order asked.
    pub apis: Vec<ApiDrift>,
}

impl DriftReport {
    /// [`EXIT_FAILED`] when any API failed (an error, or a changed spec
    /// that does not generate), else [`EXIT_CHANGED`] when any changed,
    /// else [`EXIT_UNCHANGED`].
    pub fn exit_code(&self) -> u8 {
        let codes: Vec<u8> = self.apis.iter().map(ApiDrift::exit_code).collect();
        if codes.contains(&EXIT_FAILED) {
            EXIT_FAILED
        } else if codes.contains(&EXIT_CHANGED) {
            EXIT_CHANGED
        } else {
            EXIT_UNCHANGED
        }
    }

    /// For people: each API's section (`== <api>: unchanged`, `== <api>:
    /// CHANGED, generates; N breaking, M compatible API changes` with the
    /// pin, the upstream file, `check`'s verdict and the API changes
    /// breaking first, or `== <api>: ERROR`), then a last line
    /// `drift: <api> <status>, ...: exit N`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for api in &self.apis {
            api.write_text(&mut out);
            out.push('\n');
        }
        let statuses: Vec<String> = self
            .apis
            .iter()
            .map(|a| match &a.outcome {
                Outcome::Changed(c) if c.check.is_err() => {
                    format!("{} changed (does not generate)", a.api)
                }
                Outcome::Changed(_) => format!("{} changed", a.api),
                _ => format!("{} {}", a.api, a.status()),
            })
            .collect();
        let _ = writeln!(
            out,
            "drift: {}: exit {}",
            statuses.join(", "),
            self.exit_code()
        );
        out
    }

    /// For machines: `{"exit_code", "apis": [...], "rendered"}`, where each
    /// API is `{"api", "source", "status" (unchanged|changed|error),
    /// "exit_code", "pinned": {"file", "sha256"}, "upstream": {"sha256",
    /// "bytes", "file"} | null, "same_bytes", "generates" (null unless
    /// changed), "check": {"openapi_version", "operations",
    /// "fixes_applied", "fixes_stale": [{"id", "why"}]} | null,
    /// "check_error", "changes" (the `diff --json` report) | null,
    /// "diff_error", "error"}` and `rendered` is [`DriftReport::to_text`].
    pub fn to_json(&self) -> Value {
        json!({
            "exit_code": self.exit_code(),
            "apis": self.apis.iter().map(ApiDrift::to_json).collect::<Vec<_>>(),
            "rendered": self.to_text(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> std::result::Result<Args, String> {
        parse_args(&list.iter().map(|s| (*s).to_string()).collect::<Vec<_>>())
    }

    fn request(api: &str, source: Option<&str>) -> Request {
        Request {
            api: api.into(),
            source: source.map(str::to_string),
        }
    }

    #[test]
    fn parses_apis_sources_and_limits() {
        let parsed = args(&[]).unwrap();
        assert_eq!(
            parsed.requests,
            [request("cloud", None), request("oss", None)]
        );
        assert!(!parsed.json);
        assert_eq!(parsed.limits, Limits::default());

        let parsed = args(&[
            "--oss",
            "http://127.0.0.1:9/x.json",
            "--json",
            "--timeout",
            "0.5",
            "--max-bytes",
            "1000",
        ])
        .unwrap();
        assert_eq!(
            parsed.requests,
            [request("oss", Some("http://127.0.0.1:9/x.json"))]
        );
        assert!(parsed.json);
        assert_eq!(parsed.limits.timeout, Duration::from_millis(500));
        assert_eq!(parsed.limits.max_bytes, 1000);

        let parsed = args(&["--cloud", "--oss", "f.json"]).unwrap();
        assert_eq!(
            parsed.requests,
            [request("cloud", None), request("oss", Some("f.json"))]
        );

        for (bad, why) in [
            (&["--timeout"][..], "needs a value"),
            (&["--timeout", "0"][..], "--timeout wants seconds"),
            (&["--timeout", "soon"][..], "--timeout wants seconds"),
            (&["--max-bytes", "-1"][..], "positive integer, not `-1`"),
            (&["--max-bytes"][..], "needs a value"),
            (&["--max-bytes", "0"][..], "positive integer"),
            (&["--cloud", "--cloud"][..], "given twice"),
            (&["cloud"][..], "unknown argument `cloud`"),
        ] {
            let err = args(bad).unwrap_err();
            assert!(err.contains(why), "{bad:?}: {err}");
        }
    }

    fn api(outcome: Outcome) -> ApiDrift {
        ApiDrift {
            api: "oss".into(),
            source: "https://example.invalid/openapi.json".into(),
            pinned_file: "pinned.json".into(),
            pinned_sha256: "aa".into(),
            outcome,
        }
    }

    #[test]
    fn exit_codes_combine_the_worst_first() {
        let unchanged = || {
            api(Outcome::Unchanged {
                sha256: "aa".into(),
                same_bytes: true,
            })
        };
        let failed = || {
            api(Outcome::Error(Error::Postprocess {
                message: "boom".into(),
            }))
        };
        // A changed spec that does not generate (one that generates needs a
        // real spec and a CheckReport: the integration tests have those).
        let not_generating = || {
            api(Outcome::Changed(Box::new(Changed {
                sha256: "bb".into(),
                size: 2,
                file_name: "openapi-bb.json".into(),
                check: Err(Error::Generate {
                    message: "no".into(),
                }),
                changes: {
                    let doc = json!({"openapi": "3.0.0", "paths": {}});
                    diff::diff(&doc, &doc)
                },
            })))
        };
        let report = |apis| DriftReport { apis };
        assert_eq!(report(vec![unchanged(), unchanged()]).exit_code(), 0);
        assert_eq!(report(vec![unchanged(), failed()]).exit_code(), 1);
        assert_eq!(report(vec![not_generating(), unchanged()]).exit_code(), 1);

        let text = report(vec![failed(), unchanged()]).to_text();
        assert!(text.starts_with("== oss: ERROR\npost-processing generated code: boom\n"));
        assert!(
            text.ends_with("drift: oss error, oss unchanged: exit 1\n"),
            "{text}"
        );

        let json = report(vec![not_generating()]).to_json();
        assert_eq!(json["exit_code"], 1);
        assert_eq!(json["apis"][0]["status"], "changed");
        assert_eq!(json["apis"][0]["generates"], false);
        assert_eq!(json["apis"][0]["check_error"], "progenitor: no");
        assert_eq!(json["apis"][0]["upstream"]["file"], "openapi-bb.json");
        assert_eq!(json["apis"][0]["changes"]["breaking"], 0);
        assert_eq!(json["apis"][0]["diff_error"], Value::Null);
        let rendered = json["rendered"].as_str().unwrap();
        assert!(
            rendered.starts_with("== oss: CHANGED, DOES NOT GENERATE; 0 breaking"),
            "{rendered}"
        );
        assert!(
            rendered.contains("check:     does not generate: progenitor: no\n"),
            "{rendered}"
        );
        assert!(
            rendered.ends_with("drift: oss changed (does not generate): exit 1\n"),
            "{rendered}"
        );
    }
}
