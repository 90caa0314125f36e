//! A dashboard in the server's normal form, for comparing what a document
//! asks for with what a server stores.
//!
//! Servers normalize what they store: a `count` select comes back with
//! `valueExpression: ""` and `whereLanguage: "lucene"`, a line chart with
//! `asRatio: false` and `fillNulls: true`, empty lists are dropped or
//! filled in. In the normal form every such field equals its omission (it
//! is removed when it holds the server's default), server-assigned parts
//! (ids, team, timestamps) are gone, and nulls in tile configs (which the
//! servers drop) are removed, so a document and the dashboard it produced
//! compare equal. The rules follow `HyperDX`'s own normalization (Managed
//! `ClickStack` runs the same backend). A field one backend does not know is
//! dropped by that server, so it equals its omission there too
//! ([`DROPPED_BY_HYPERDX`]).

use serde_json::{Map, Value};

use crate::client::BackendKind;
use crate::model::{Dashboard, SERVER_FIELDS};

/// Tile and tile-config fields the `HyperDX` API does not know (Cloud added
/// them); its server drops them.
pub(crate) const DROPPED_BY_HYPERDX: [&str; 2] = ["description", "lineInterpolation"];

/// The normal form of a dashboard on `backend`, as JSON.
pub(crate) fn normal_form(dashboard: &Dashboard, backend: BackendKind) -> Value {
    let mut value = serde_json::to_value(dashboard).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        normalize_dashboard(map);
        if backend == BackendKind::Oss {
            drop_unknown_to_hyperdx(map);
        }
    }
    value
}

fn drop_unknown_to_hyperdx(map: &mut Map<String, Value>) {
    if let Some(Value::Array(tiles)) = map.get_mut("tiles") {
        for tile in tiles.iter_mut().filter_map(Value::as_object_mut) {
            tile.remove(DROPPED_BY_HYPERDX[0]);
            if let Some(Value::Object(config)) = tile.get_mut("config") {
                config.remove(DROPPED_BY_HYPERDX[1]);
            }
        }
    }
}

/// Removes `key` when its value is one of `defaults`.
fn drop_if(map: &mut Map<String, Value>, key: &str, defaults: &[Value]) {
    if map.get(key).is_some_and(|v| defaults.contains(v)) {
        map.remove(key);
    }
}

fn empty_list() -> Value {
    Value::Array(Vec::new())
}

fn normalize_dashboard(map: &mut Map<String, Value>) {
    map.remove("id");
    for field in SERVER_FIELDS {
        map.remove(field);
    }
    // Tags: duplicates dropped (order kept), empty equals absent.
    if let Some(Value::Array(tags)) = map.get_mut("tags") {
        let mut seen = Vec::new();
        tags.retain(|t| {
            let new = !seen.contains(t);
            seen.push(t.clone());
            new
        });
    }
    for key in ["tags", "filters", "containers", "savedFilterValues"] {
        drop_if(map, key, &[empty_list(), Value::Null]);
    }
    // A saved query's language is Lucene unless said otherwise.
    drop_if(
        map,
        "savedQuery",
        &[Value::Null, Value::String(String::new())],
    );
    match map.get("savedQuery") {
        Some(_) => {
            if map.get("savedQueryLanguage").is_none_or(Value::is_null) {
                map.insert("savedQueryLanguage".into(), Value::String("lucene".into()));
            }
        }
        None => {
            map.remove("savedQueryLanguage");
        }
    }
    if let Some(Value::Array(values)) = map.get_mut("savedFilterValues") {
        for v in values.iter_mut().filter_map(Value::as_object_mut) {
            drop_if(v, "type", &[Value::String("sql".into())]);
        }
    }
    if let Some(Value::Array(filters)) = map.get_mut("filters") {
        for f in filters.iter_mut().filter_map(Value::as_object_mut) {
            normalize_filter(f);
        }
    }
    if let Some(Value::Array(tiles)) = map.get_mut("tiles") {
        for t in tiles.iter_mut().filter_map(Value::as_object_mut) {
            normalize_tile(t);
        }
    }
}

fn normalize_filter(f: &mut Map<String, Value>) {
    f.remove("id");
    if let Some(source) = f.remove("source") {
        f.entry("sourceId").or_insert(source);
    }
    if f.get("isVariableEnabled") != Some(&Value::Bool(true)) {
        f.remove("variableName");
    }
    if f.get("isBroadcastEnabled") == Some(&Value::Bool(false)) {
        f.remove("appliesToSourceIds");
    }
    f.retain(|_, v| !v.is_null());
}

fn normalize_tile(t: &mut Map<String, Value>) {
    t.remove("id");
    for key in ["containerId", "tabId", "description"] {
        drop_if(t, key, &[Value::Null, Value::String(String::new())]);
    }
    if let Some(Value::Object(config)) = t.get_mut("config") {
        normalize_config(config);
    }
}

fn normalize_config(c: &mut Map<String, Value>) {
    c.retain(|_, v| !v.is_null());
    let display = c
        .get("displayType")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let is_sql = c.get("configType").and_then(Value::as_str) == Some("sql");
    let blank = Value::String(String::new());
    let lucene = Value::String("lucene".into());
    match display.as_str() {
        "line" | "stacked_bar" | "stacked_line" | "table" => {
            drop_if(c, "asRatio", &[Value::Bool(false)]);
            if display != "table" {
                drop_if(c, "fillNulls", &[Value::Bool(true)]);
            }
        }
        "number" => {
            c.remove("showOperandSeries");
            drop_if(c, "colorRules", &[empty_list()]);
        }
        "heatmap" | "search" | "event_patterns" => {
            drop_if(c, "where", std::slice::from_ref(&blank));
            drop_if(c, "whereLanguage", std::slice::from_ref(&lucene));
            if display == "event_patterns" {
                drop_if(c, "select", std::slice::from_ref(&blank));
            }
        }
        "markdown" => drop_if(c, "markdown", std::slice::from_ref(&blank)),
        _ => {}
    }
    drop_if(c, "formulas", &[empty_list()]);
    if !c.contains_key("formulas") {
        c.remove("showOperandSeries");
    }
    if is_sql {
        return;
    }
    if let Some(Value::Array(select)) = c.get_mut("select") {
        for item in select.iter_mut().filter_map(Value::as_object_mut) {
            item.retain(|_, v| !v.is_null());
            let is_count = item.get("aggFn").and_then(Value::as_str) == Some("count");
            if is_count {
                item.remove("valueExpression");
            }
            drop_if(item, "valueExpression", std::slice::from_ref(&blank));
            drop_if(item, "where", std::slice::from_ref(&blank));
            drop_if(item, "whereLanguage", std::slice::from_ref(&lucene));
            if item.get("aggFn").and_then(Value::as_str) != Some("quantile") {
                item.remove("level");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn what_the_server_fills_in_equals_its_omission() {
        let sent: Dashboard = serde_json::from_value(json!({
            "name": "d", "tiles": [{"name": "t", "x": 0, "y": 0, "w": 6, "h": 2,
                "config": {"displayType": "line", "sourceId": "s", "select": [{"aggFn": "count"}]}}],
            "savedQuery": "a:b"
        }))
        .unwrap();
        let stored: Dashboard = serde_json::from_value(json!({
            "id": "d1", "name": "d", "tags": [], "filters": [], "savedFilterValues": [],
            "savedQuery": "a:b", "savedQueryLanguage": "lucene", "teamId": "t", "createdAt": "x",
            "tiles": [{"id": "t1", "name": "t", "x": 0, "y": 0, "w": 6, "h": 2,
                "config": {"displayType": "line", "sourceId": "s", "asRatio": false, "fillNulls": true,
                           "select": [{"aggFn": "count", "valueExpression": "", "where": "", "whereLanguage": "lucene"}]}}]
        }))
        .unwrap();
        for backend in [BackendKind::Oss, BackendKind::Cloud] {
            assert_eq!(normal_form(&sent, backend), normal_form(&stored, backend));
        }
        let changed = Dashboard {
            name: Some("other".into()),
            ..stored
        };
        assert_ne!(
            normal_form(&sent, BackendKind::Cloud),
            normal_form(&changed, BackendKind::Cloud)
        );
    }
}
