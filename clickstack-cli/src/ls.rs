//! `clickstack ls`: a table of one kind of resource, or JSON.

use std::collections::BTreeSet;

use anyhow::{Context, Result};
use clickstack::as_code::{Kind, State};
use clickstack::{Alert, Dashboard, Resource, SavedSearch, Source, Webhook};
use serde::Serialize;

use crate::cli::{Listing, LsArgs};
use crate::connect::Target;
use crate::format;
use crate::output;

/// Sorts by name, then id.
fn by_name<R: Resource>(items: &mut [R]) {
    items.sort_by(|a, b| (a.name(), a.id()).cmp(&(b.name(), b.id())));
}

/// Prints `items` as JSON (keys sorted), or `rows` as a table.
fn print<R: Serialize>(
    items: &[R],
    json: bool,
    header: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<()> {
    if json {
        let value = serde_json::to_value(items).context("cannot represent the list as JSON")?;
        let text =
            serde_json::to_string_pretty(&format::sorted(&value)).context("cannot write JSON")?;
        println!("{text}");
    } else {
        let mut table = output::table(header);
        for row in rows {
            table.add_row(row);
        }
        println!("{}", output::table_text(&mut table));
    }
    Ok(())
}

/// A short version of `text` for a table cell.
fn cell(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        text
    } else {
        let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
        short.push('…');
        short
    }
}

/// Reads the target's `kinds` (one list each); items that do not decode
/// are shown as warnings, the others listed.
async fn read(target: &Target, kinds: &[Kind]) -> Result<State> {
    let kinds: BTreeSet<Kind> = kinds.iter().copied().collect();
    let state = target
        .client
        .fetch_state(&kinds)
        .await
        .with_context(|| format!("cannot list on {}", target.description))?;
    for kind in &kinds {
        for item in state.undecodable(*kind) {
            eprintln!("warning: {item}");
        }
    }
    Ok(state)
}

fn dashboard_rows(items: &[Dashboard]) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|d| {
            vec![
                d.id.clone().unwrap_or_default(),
                cell(d.name.as_deref().unwrap_or_default(), 60),
                d.tiles().len().to_string(),
                cell(&d.tags.clone().unwrap_or_default().join(", "), 40),
            ]
        })
        .collect()
}

/// What an alert watches, by the names the target gives it.
fn watches(state: &State, alert: &Alert) -> String {
    let document = state.alert_document(alert);
    match (&document.dashboard, &document.tile, &document.saved_search) {
        (Some(dashboard), Some(tile), _) => format!("tile {tile:?} of {dashboard:?}"),
        (_, _, Some(search)) => format!("search {search:?}"),
        _ if alert.dashboard_id.value().is_some() => "tile (missing)".to_string(),
        _ if alert.saved_search_id.value().is_some() => "search (missing)".to_string(),
        _ => alert
            .source
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    }
}

/// An alert's condition as one cell (`above 5 every 5m`); what the server
/// did not send is left out.
fn condition(alert: &Alert) -> String {
    let mut parts = Vec::new();
    if let Some(kind) = &alert.threshold_type {
        parts.push(kind.to_string());
    }
    if let Some(threshold) = alert.threshold {
        parts.push(serde_json::to_string(&threshold).unwrap_or_default());
    }
    if let Some(interval) = &alert.interval {
        parts.push(format!("every {interval}"));
    }
    parts.join(" ")
}

fn alert_rows(state: &State, items: &[Alert]) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|a| {
            vec![
                a.id.clone().unwrap_or_default(),
                cell(a.name().unwrap_or_default(), 50),
                cell(&watches(state, a), 60),
                condition(a),
                a.state
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            ]
        })
        .collect()
}

fn source_rows(items: &[Source]) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|s| {
            let table = match s.from.table_name.value() {
                Some(t) => format!("{}.{t}", s.from.database_name),
                None => s.from.database_name.clone(),
            };
            vec![
                s.id.clone().unwrap_or_default(),
                cell(&s.name, 50),
                s.kind.to_string(),
                cell(&table, 60),
            ]
        })
        .collect()
}

fn webhook_rows(items: &[Webhook]) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|w| {
            vec![
                w.id.clone().unwrap_or_default(),
                cell(&w.name, 50),
                w.service.to_string(),
                w.url.as_deref().map(host).unwrap_or_default(),
            ]
        })
        .collect()
}

fn saved_search_rows(state: &State, items: &[SavedSearch]) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|s| {
            let source = state
                .sources
                .iter()
                .find(|x| x.id.as_deref() == Some(s.source_id.as_str()))
                .map_or_else(|| s.source_id.clone(), |x| x.name.clone());
            vec![
                s.id.clone().unwrap_or_default(),
                cell(&s.name, 50),
                cell(&source, 40),
                cell(s.where_.as_deref().unwrap_or_default(), 60),
            ]
        })
        .collect()
}

/// Lists and prints.
pub(crate) async fn ls(target: &Target, args: &LsArgs) -> Result<()> {
    let json = args.json;
    match args.what {
        Listing::Dashboards => {
            let mut state = read(target, &[Kind::Dashboard]).await?;
            by_name(&mut state.dashboards.items);
            let rows = dashboard_rows(&state.dashboards);
            print(
                &state.dashboards,
                json,
                &["ID", "NAME", "TILES", "TAGS"],
                rows,
            )
        }
        Listing::Alerts => {
            let kinds = if json {
                vec![Kind::Alert]
            } else {
                vec![Kind::Alert, Kind::Dashboard, Kind::SavedSearch]
            };
            let mut state = read(target, &kinds).await?;
            by_name(&mut state.alerts.items);
            let rows = alert_rows(&state, &state.alerts);
            let header = ["ID", "NAME", "WATCHES", "CONDITION", "STATE"];
            print(&state.alerts, json, &header, rows)
        }
        Listing::Sources => {
            let mut state = read(target, &[Kind::Source]).await?;
            by_name(&mut state.sources.items);
            let rows = source_rows(&state.sources);
            print(&state.sources, json, &["ID", "NAME", "KIND", "TABLE"], rows)
        }
        Listing::Webhooks => {
            let mut state = read(target, &[Kind::Webhook]).await?;
            by_name(&mut state.webhooks.items);
            let rows = webhook_rows(&state.webhooks);
            print(
                &state.webhooks,
                json,
                &["ID", "NAME", "SERVICE", "HOST"],
                rows,
            )
        }
        Listing::SavedSearches => {
            let kinds = if json {
                vec![Kind::SavedSearch]
            } else {
                vec![Kind::SavedSearch, Kind::Source]
            };
            let mut state = read(target, &kinds).await?;
            by_name(&mut state.saved_searches.items);
            let rows = saved_search_rows(&state, &state.saved_searches);
            print(
                &state.saved_searches,
                json,
                &["ID", "NAME", "SOURCE", "WHERE"],
                rows,
            )
        }
    }
}

/// The host of a webhook URL: its path and query may hold a token
/// (Slack's incoming webhooks do), so tables show only the host.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.rsplit('@').next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_hide_tokens() {
        assert_eq!(
            host("https://hooks.slack.com/services/T/B/SECRET"),
            "hooks.slack.com"
        );
        assert_eq!(
            host("https://user:pass@example.com:8443/x?token=1"),
            "example.com:8443"
        );
        assert_eq!(host("not a url"), "not a url");
        assert_eq!(cell("a  b\nc", 10), "a b c");
        assert_eq!(cell("abcdef", 4), "abc…");
    }
}
