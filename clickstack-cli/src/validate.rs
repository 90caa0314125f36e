//! `clickstack validate`: dashboards through the server's validation,
//! alerts and saved searches against the request types generated from
//! the pinned API specs of the target's backend.
//!
//! The generated types keep values they do not know (open enums, raw
//! unions) so that responses of newer servers decode; for validation that
//! is too lenient, so every enum-valued field is also checked for an
//! `Unknown` value. Fields the schema does not have are reported as
//! warnings (the servers ignore them).

use std::fmt::Write as _;

use anyhow::{Context, Result};
use clickstack::runtime::Open;
use clickstack::{BackendKind, Dashboard, cloud, oss};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::cli::{Kind, ValidateArgs};
use crate::connect::Target;
use crate::layout::{self, Document, SOURCES_FILE};
use crate::output::Style;
use crate::portable;
use crate::sources::{self, SourceUse};

/// The verdict on one document.
#[derive(Debug, Default)]
struct Verdict {
    problems: Vec<String>,
    warnings: Vec<String>,
}

/// Deserializes `value` as `T`, naming the failing field and collecting
/// the fields `T` does not have.
fn check<T: DeserializeOwned>(value: &Value, verdict: &mut Verdict, api: &str) -> Option<T> {
    let mut ignored = Vec::new();
    let mut record = |path: serde_ignored::Path<'_>| ignored.push(path.to_string());
    let result: Result<T, _> =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(value, &mut record));
    for path in ignored {
        verdict.warnings.push(format!(
            "`{path}` is not in the {api} API's schema (the server ignores it)"
        ));
    }
    match result {
        Ok(typed) => Some(typed),
        Err(e) => {
            let path = e.path().to_string();
            let at = if path == "." {
                String::new()
            } else {
                format!("at `{path}`: ")
            };
            verdict.problems.push(format!("{at}{}", e.inner()));
            None
        }
    }
}

/// Reports an enum value the schema does not list.
fn known<T: Open + Serialize>(verdict: &mut Verdict, api: &str, path: &str, value: &T) {
    if value.is_unknown() {
        let shown = serde_json::to_string(value).unwrap_or_default();
        verdict.problems.push(format!(
            "at `{path}`: {shown} is not one of the values the {api} API's schema allows"
        ));
    }
}

/// Reports a channel of a shape the schema does not list.
fn known_channel<T: Open>(verdict: &mut Verdict, api: &str, path: &str, channel: &T) {
    if channel.is_unknown() {
        verdict.problems.push(format!(
            "at `{path}`: not a notification channel the {api} API's schema allows (a webhook channel is \
             `type: webhook` with `webhook: <name>`; Cloud also has `type: email` with `emailRecipients`)"
        ));
    }
}

/// The alert and saved search checks of one backend's generated types.
macro_rules! schema_checks {
    ($alert_fn:ident, $search_fn:ident, $alert:ty, $search:ty) => {
        fn $alert_fn(value: &Value, verdict: &mut Verdict, api: &str) {
            let value = portable::alert_with_placeholder_ids(value);
            let Some(request) = check::<$alert>(&value, verdict, api) else {
                return;
            };
            known(verdict, api, "interval", &request.interval);
            known(verdict, api, "thresholdType", &request.threshold_type);
            if let Some(source) = &request.source {
                known(verdict, api, "source", source);
            }
            if let Some(channel) = &request.channel {
                known_channel(verdict, api, "channel", channel);
            }
            for (i, channel) in request.channels.iter().flat_map(|c| c.0.iter()).enumerate() {
                known_channel(verdict, api, &format!("channels[{i}]"), channel);
            }
        }

        fn $search_fn(value: &Value, verdict: &mut Verdict, api: &str) {
            let Some(request) = check::<$search>(value, verdict, api) else {
                return;
            };
            if let Some(language) = &request.where_language {
                known(verdict, api, "whereLanguage", language);
            }
            for (i, filter) in request.filters.iter().flatten().enumerate() {
                if let Some(kind) = &filter.type_ {
                    known(verdict, api, &format!("filters[{i}].type"), kind);
                }
            }
        }
    };
}

schema_checks!(
    oss_alert,
    oss_saved_search,
    oss::types::CreateAlertRequest,
    oss::types::SavedSearchInput
);
schema_checks!(
    cloud_alert,
    cloud_saved_search,
    cloud::types::ClickStackCreateAlertRequest,
    cloud::types::ClickStackSavedSearchInput
);

/// The problems (and warnings) of an alert or saved search document
/// against the request type of `backend`'s API, generated from its pinned
/// spec; no server is asked.
pub(crate) fn schema_problems(
    kind: Kind,
    backend: BackendKind,
    value: &Value,
    api: &str,
) -> (Vec<String>, Vec<String>) {
    let mut verdict = Verdict::default();
    match (kind, backend) {
        (Kind::Alerts, BackendKind::Oss) => oss_alert(value, &mut verdict, api),
        (Kind::Alerts, BackendKind::Cloud) => cloud_alert(value, &mut verdict, api),
        (Kind::SavedSearches, BackendKind::Oss) => oss_saved_search(value, &mut verdict, api),
        (Kind::SavedSearches, BackendKind::Cloud) => cloud_saved_search(value, &mut verdict, api),
        (Kind::Dashboards, _) => {}
    }
    (verdict.problems, verdict.warnings)
}

/// Checks a dashboard: its type, its sources, the server's validation.
async fn check_dashboard(
    target: &Target,
    doc: &Document,
    layout: &layout::Layout,
    live: &[clickstack::Source],
) -> Result<Verdict> {
    let mut verdict = Verdict::default();
    let Some(mut dashboard) = check::<Dashboard>(&doc.value, &mut verdict, target.api_name())
    else {
        return Ok(verdict);
    };
    // `Dashboard` keeps every field; the server's validation judges them.
    verdict.warnings.clear();
    let uses: Vec<SourceUse> = sources::dashboard_source_ids(&dashboard)
        .into_iter()
        .map(|id| SourceUse {
            id,
            user: doc.label(),
        })
        .collect();
    let file = layout
        .sources_file
        .clone()
        .unwrap_or_else(|| format!("{SOURCES_FILE}.yaml"));
    match sources::map_sources(&uses, &layout.sources, &file, live, target.api_name()) {
        Ok(map) => sources::map_dashboard_sources(&mut dashboard, &map),
        Err(problems) => {
            verdict.problems.extend(problems);
            return Ok(verdict);
        }
    }
    let validation = target
        .client
        .dashboards()
        .validate(&dashboard)
        .await
        .with_context(|| format!("cannot validate {} on {}", doc.label(), target.description))?;
    if !validation.valid {
        if validation.errors.is_empty() {
            verdict
                .problems
                .push("the server says it is not valid (without saying why)".into());
        }
        for error in validation.errors {
            if error.path.is_empty() {
                verdict.problems.push(error.message);
            } else {
                verdict
                    .problems
                    .push(format!("at `{}`: {}", error.path, error.message));
            }
        }
    }
    Ok(verdict)
}

/// Checks every document of DIR; returns whether all are valid.
pub(crate) async fn validate(target: &Target, args: &ValidateArgs, style: Style) -> Result<bool> {
    let layout = layout::load(&args.dir)?;
    let live = if layout.has(Kind::Dashboards) {
        target
            .client
            .sources()
            .list()
            .await
            .and_then(clickstack::Listing::into_complete)
            .with_context(|| format!("cannot list the sources on {}", target.description))?
    } else {
        Vec::new()
    };
    let api = target.api_name();
    let mut out = String::new();
    let mut invalid = 0;
    for kind in Kind::ALL {
        for doc in layout.of(kind) {
            let verdict = match kind {
                Kind::Dashboards => check_dashboard(target, doc, &layout, &live).await?,
                Kind::SavedSearches | Kind::Alerts => {
                    let (problems, warnings) =
                        schema_problems(kind, target.backend(), &doc.value, api);
                    Verdict { problems, warnings }
                }
            };
            let label = format!("{} {} {:?}", doc.file, kind.noun(), doc.name);
            if verdict.problems.is_empty() {
                let _ = writeln!(out, "{}  {label}", style.green("valid  "));
            } else {
                invalid += 1;
                let _ = writeln!(out, "{}  {label}", style.red("INVALID"));
                for problem in &verdict.problems {
                    let _ = writeln!(out, "           {problem}");
                }
            }
            for warning in &verdict.warnings {
                let _ = writeln!(out, "           {} {warning}", style.yellow("warning:"));
            }
        }
    }
    let total = layout.documents.len();
    let _ = writeln!(
        out,
        "\n{}: {} valid, {} invalid (checked against {}).",
        layout::plural(total, "document", "documents"),
        total - invalid,
        invalid,
        target.description
    );
    print!("{out}");
    Ok(invalid == 0)
}
