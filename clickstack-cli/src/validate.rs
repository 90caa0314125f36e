//! `clickstack validate`: dashboards through the server's validation,
//! alerts and saved searches against the request types generated from
//! the pinned API specs of the target's backend.
//!
//! The generated types keep values they do not know (open enums, raw
//! unions) so that responses of newer servers decode; for validation that
//! is too lenient, so every enum-valued field is also checked for an
//! `Unknown` value. Fields the schema does not have are reported as
//! warnings (the servers ignore them).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use anyhow::{Context, Result};
use clickstack::as_code::{Kind as ResourceKind, State};
use clickstack::runtime::Open;
use clickstack::{BackendKind, DashboardDocument, Resource, cloud, oss};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::cli::{Kind, ValidateArgs};
use crate::connect::Target;
use crate::layout::{self, Layout};
use crate::output::Style;

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
            let Some(request) = check::<$alert>(value, verdict, api) else {
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

/// The problems (and warnings) of an alert or saved search request (as
/// JSON) against the request type of `backend`'s API, generated from its
/// pinned spec; no server is asked.
fn schema_problems(kind: Kind, backend: BackendKind, value: &Value, api: &str) -> Verdict {
    let mut verdict = Verdict::default();
    match (kind, backend) {
        (Kind::Alerts, BackendKind::Oss) => oss_alert(value, &mut verdict, api),
        (Kind::Alerts, BackendKind::Cloud) => cloud_alert(value, &mut verdict, api),
        (Kind::SavedSearches, BackendKind::Oss) => oss_saved_search(value, &mut verdict, api),
        (Kind::SavedSearches, BackendKind::Cloud) => cloud_saved_search(value, &mut verdict, api),
        (Kind::Dashboards, _) => {}
    }
    verdict
}

/// Checks a dashboard: its sources on the target, then the server's own
/// validation.
async fn check_dashboard(
    target: &Target,
    document: &DashboardDocument,
    layout: &Layout,
    state: &State,
) -> Result<Verdict> {
    let mut verdict = Verdict::default();
    verdict.warnings.extend(
        layout
            .losses(document.name())
            .iter()
            .map(ToString::to_string),
    );
    verdict.warnings.extend(
        layout
            .hyperdx_refusals(document.name())
            .iter()
            .map(|r| format!("HyperDX's own import would refuse this file: {r}")),
    );
    let dashboard = match layout.documents.dashboard_on_target(document, state) {
        Ok(mapped) => {
            // The server checks that click targets exist; those a plan
            // creates first are checked once they do.
            for target in &mapped.pending_links {
                verdict.warnings.push(format!(
                    "its click to dashboard {target:?} is checked once that dashboard exists (apply \
                     creates it first)"
                ));
            }
            let mut dashboard = mapped.dashboard;
            dashboard.remove_links_to(&mapped.pending_links);
            dashboard
        }
        Err(e) => {
            verdict
                .problems
                .extend(e.problems.iter().map(ToString::to_string));
            return Ok(verdict);
        }
    };
    let validation = target
        .client
        .dashboards()
        .validate(&dashboard)
        .await
        .with_context(|| {
            format!(
                "cannot validate dashboard {:?} on {}",
                document.name(),
                target.description
            )
        })?;
    if !validation.valid {
        if validation.errors.is_empty() {
            verdict
                .problems
                .push("the server says it is not valid (without saying why)".into());
        }
        verdict.problems.extend(validation.errors.iter().map(|e| {
            if e.path.is_empty() {
                e.message.clone()
            } else {
                format!("at `{}`: {}", e.path, e.message)
            }
        }));
    }
    Ok(verdict)
}

/// The request (as JSON) of each alert and saved search document, with
/// its kind and name.
fn requests(layout: &Layout) -> Result<Vec<(Kind, String, Value)>> {
    let documents = &layout.documents;
    let mut out = Vec::new();
    for search in &documents.saved_searches {
        let value =
            serde_json::to_value(search.0.to_create()).context("cannot represent a document")?;
        out.push((Kind::SavedSearches, search.name().to_string(), value));
    }
    for alert in &documents.alerts {
        let value =
            serde_json::to_value(alert.request_shape()).context("cannot represent a document")?;
        out.push((Kind::Alerts, alert.alert_name().to_string(), value));
    }
    Ok(out)
}

/// What the API's schema refuses in the alert and saved search documents
/// of DIR, one line per problem with its file: plan and apply stop on
/// these before any write, so that an apply does not stop half-way on a
/// document the server would refuse.
pub(crate) fn schema_refusals(target: &Target, layout: &Layout) -> Result<Vec<String>> {
    let mut refusals = Vec::new();
    for (kind, name, value) in requests(layout)? {
        let verdict = schema_problems(kind, target.backend(), &value, target.api_name());
        let file = layout.file(kind.resource(), &name).unwrap_or_default();
        refusals.extend(verdict.problems.into_iter().map(|p| format!("{file}: {p}")));
    }
    Ok(refusals)
}

/// The verdict on each document of DIR, with its kind and name, in order.
async fn verdicts(target: &Target, layout: &Layout) -> Result<Vec<(Kind, String, Verdict)>> {
    let state = target
        .client
        .fetch_state(&BTreeSet::from([
            ResourceKind::Source,
            ResourceKind::Dashboard,
            ResourceKind::Connection,
        ]))
        .await
        .with_context(|| format!("cannot list the sources on {}", target.description))?;
    let mut out = Vec::new();
    for dashboard in &layout.documents.dashboards {
        let verdict = check_dashboard(target, dashboard, layout, &state).await?;
        out.push((Kind::Dashboards, dashboard.name().to_string(), verdict));
    }
    for (kind, name, value) in requests(layout)? {
        let verdict = schema_problems(kind, target.backend(), &value, target.api_name());
        out.push((kind, name, verdict));
    }
    Ok(out)
}

/// One document's verdict as lines.
fn verdict_lines(out: &mut String, label: &str, verdict: &Verdict, style: Style) {
    if verdict.problems.is_empty() {
        let _ = writeln!(out, "{}  {label}", style.green("valid  "));
    } else {
        let _ = writeln!(out, "{}  {label}", style.red("INVALID"));
        for problem in &verdict.problems {
            let _ = writeln!(out, "           {problem}");
        }
    }
    for warning in &verdict.warnings {
        let _ = writeln!(out, "           {} {warning}", style.yellow("warning:"));
    }
}

/// Checks every document of DIR; returns whether all are valid.
pub(crate) async fn validate(target: &Target, args: &ValidateArgs, style: Style) -> Result<bool> {
    let (layout, unreadable) = layout::load_lenient(&args.dir)?;
    let mut out = String::new();
    let mut invalid = 0;
    let mut total = 0;
    for u in &unreadable {
        if u.file.is_empty() {
            anyhow::bail!("cannot use {}: {}", args.dir.display(), u.problem);
        }
        let name = u
            .name
            .as_deref()
            .map(|n| format!(" {n:?}"))
            .unwrap_or_default();
        let label = format!("{} {}{name}", u.file, u.kind.noun());
        let verdict = Verdict {
            problems: vec![u.problem.clone()],
            warnings: Vec::new(),
        };
        verdict_lines(&mut out, &label, &verdict, style);
        invalid += 1;
        total += 1;
    }
    for (kind, name, verdict) in &verdicts(target, &layout).await? {
        let file = layout.file(kind.resource(), name).unwrap_or_default();
        verdict_lines(
            &mut out,
            &format!("{file} {} {name:?}", kind.noun()),
            verdict,
            style,
        );
        invalid += usize::from(!verdict.problems.is_empty());
        total += 1;
    }
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
