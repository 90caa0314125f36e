//! `clickstack ls`: a table of one kind of resource, or JSON.

use anyhow::{Context, Result};
use clickstack::{Alert, AlertSource, Dashboard, Resource, SavedSearch, Source, Webhook};
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

/// Lists and prints.
pub(crate) async fn ls(target: &Target, args: &LsArgs) -> Result<()> {
    let client = &target.client;
    let on = &target.description;
    match args.what {
        Listing::Dashboards => {
            let mut items: Vec<Dashboard> = client
                .dashboards()
                .list()
                .await
                .and_then(clickstack::Listing::into_complete)
                .with_context(|| format!("cannot list the dashboards on {on}"))?;
            by_name(&mut items);
            let rows = items
                .iter()
                .map(|d| {
                    vec![
                        d.id.clone().unwrap_or_default(),
                        cell(d.name.as_deref().unwrap_or_default(), 60),
                        d.tiles().len().to_string(),
                        cell(&d.tags.clone().unwrap_or_default().join(", "), 40),
                    ]
                })
                .collect();
            print(&items, args.json, &["ID", "NAME", "TILES", "TAGS"], rows)
        }
        Listing::Alerts => {
            let mut items: Vec<Alert> = client
                .alerts()
                .list()
                .await
                .and_then(clickstack::Listing::into_complete)
                .with_context(|| format!("cannot list the alerts on {on}"))?;
            by_name(&mut items);
            if args.json {
                return print(&items, true, &[], Vec::new());
            }
            let saved = client
                .saved_searches()
                .list()
                .await
                .and_then(clickstack::Listing::into_complete)
                .with_context(|| format!("cannot list the saved searches on {on}"))?;
            let dashboards = client
                .dashboards()
                .list()
                .await
                .and_then(clickstack::Listing::into_complete)
                .with_context(|| format!("cannot list the dashboards on {on}"))?;
            let rows = items
                .iter()
                .map(|a| {
                    let watches = match a.source {
                        Some(AlertSource::Tile) => {
                            let dashboard = dashboards.iter().find(|d| {
                                d.id.as_deref() == a.dashboard_id.value().map(String::as_str)
                            });
                            let tile = dashboard.and_then(|d| {
                                d.tiles().iter().find(|t| {
                                    t.id.as_deref() == a.tile_id.value().map(String::as_str)
                                })
                            });
                            match (dashboard, tile) {
                                (Some(d), Some(t)) => format!(
                                    "tile {:?} of {:?}",
                                    t.name,
                                    d.name.as_deref().unwrap_or_default()
                                ),
                                _ => "tile (missing)".to_string(),
                            }
                        }
                        Some(AlertSource::SavedSearch) | None => {
                            match saved.iter().find(|s| {
                                s.id.as_deref() == a.saved_search_id.value().map(String::as_str)
                            }) {
                                Some(s) => format!("search {:?}", s.name),
                                None => "search (missing)".to_string(),
                            }
                        }
                        Some(ref other) => other.to_string(),
                    };
                    vec![
                        a.id.clone().unwrap_or_default(),
                        cell(a.name().unwrap_or_default(), 50),
                        cell(&watches, 60),
                        condition(a),
                        a.state
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            print(
                &items,
                false,
                &["ID", "NAME", "WATCHES", "CONDITION", "STATE"],
                rows,
            )
        }
        Listing::Sources => {
            let mut items: Vec<Source> = client
                .sources()
                .list()
                .await
                .and_then(clickstack::Listing::into_complete)
                .with_context(|| format!("cannot list the sources on {on}"))?;
            by_name(&mut items);
            let rows = items
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
                .collect();
            print(&items, args.json, &["ID", "NAME", "KIND", "TABLE"], rows)
        }
        Listing::Webhooks => {
            let mut items: Vec<Webhook> = client
                .webhooks()
                .list()
                .await
                .and_then(clickstack::Listing::into_complete)
                .with_context(|| format!("cannot list the webhooks on {on}"))?;
            by_name(&mut items);
            let rows = items
                .iter()
                .map(|w| {
                    vec![
                        w.id.clone().unwrap_or_default(),
                        cell(&w.name, 50),
                        w.service.to_string(),
                        w.url.as_deref().map(host).unwrap_or_default(),
                    ]
                })
                .collect();
            print(&items, args.json, &["ID", "NAME", "SERVICE", "HOST"], rows)
        }
        Listing::SavedSearches => {
            let mut items: Vec<SavedSearch> = client
                .saved_searches()
                .list()
                .await
                .and_then(clickstack::Listing::into_complete)
                .with_context(|| format!("cannot list the saved searches on {on}"))?;
            by_name(&mut items);
            if args.json {
                return print(&items, true, &[], Vec::new());
            }
            let sources = client
                .sources()
                .list()
                .await
                .and_then(clickstack::Listing::into_complete)
                .with_context(|| format!("cannot list the sources on {on}"))?;
            let rows = items
                .iter()
                .map(|s| {
                    let source = sources
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
                .collect();
            print(&items, false, &["ID", "NAME", "SOURCE", "WHERE"], rows)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_hide_tokens() {
        assert_eq!(
            host("https://hooks.slack.com/services/T000/B000/XXXX"),
            "hooks.slack.com"
        );
        assert_eq!(
            host("https://user:pw@example.com:8443/x?token=1"),
            "example.com:8443"
        );
        assert_eq!(cell("a  b\nc", 10), "a b c");
        assert_eq!(cell("abcdef", 4), "abc…");
    }
}
