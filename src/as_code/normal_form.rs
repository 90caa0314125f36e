//! Resources in the server's normal form, for comparing what a document
//! asks for with what a server stores.
//!
//! Dashboards:
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
//!
//! Alerts and saved searches: server fields, nulls and the values the
//! server fills in (`select: ""`, `whereLanguage: lucene`, `tags: []`,
//! `scheduleOffsetMinutes: 0`) removed, `channel` folded into `channels`,
//! numbers canonical (`100.0` is `100`).

use serde_json::{Map, Value};

use crate::client::BackendKind;
use crate::model::{Dashboard, SERVER_FIELDS};

/// Tile and tile-config fields the `HyperDX` API does not know (Cloud added
/// them); its server drops them.
pub(crate) const DROPPED_BY_HYPERDX: [&str; 2] = ["description", "lineInterpolation"];

/// Alert fields the server keeps, or fills in, when a write omits them: a
/// document that leaves one out does not ask to change it.
pub(crate) const ALERT_FIELDS_KEPT_WHEN_OMITTED: [&str; 5] = [
    "displayName",
    "tags",
    "scheduleOffsetMinutes",
    "scheduleStartAt",
    "thresholdMax",
];

/// The normal form of a dashboard on `backend`, as JSON.
pub(crate) fn dashboard(dashboard: &Dashboard, backend: BackendKind) -> Value {
    let mut value = serde_json::to_value(dashboard).unwrap_or(Value::Null);
    canonical_numbers(&mut value);
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

/// Integral floats as integers (`100.0` is `100`), as JavaScript writes
/// them.
pub(crate) fn canonical_numbers(value: &mut Value) {
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                #[allow(clippy::cast_possible_truncation)]
                let int = f as i64;
                *value = Value::from(int);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(canonical_numbers),
        Value::Object(map) => map.values_mut().for_each(canonical_numbers),
        _ => {}
    }
}

/// Removes the server's fields, the id and every null.
fn strip(map: &mut Map<String, Value>, more: &[&str]) {
    map.retain(|key, value| {
        !value.is_null()
            && key != "id"
            && !SERVER_FIELDS.contains(&key.as_str())
            && !more.contains(&key.as_str())
    });
}

/// The normal form of an alert (as JSON, references in any form).
pub(crate) fn alert(value: &Value) -> Value {
    let mut value = value.clone();
    canonical_numbers(&mut value);
    let Some(map) = value.as_object_mut() else {
        return value;
    };
    strip(map, &["state", "silenced", "executionErrors"]);
    // `channel` mirrors the first of `channels`.
    if !map.contains_key("channels")
        && let Some(channel) = map.get("channel").cloned()
    {
        map.insert("channels".into(), Value::Array(vec![channel]));
    }
    map.remove("channel");
    if let Some(Value::Array(channels)) = map.get_mut("channels") {
        for channel in channels.iter_mut().filter_map(Value::as_object_mut) {
            channel.retain(|_, v| !v.is_null());
            // A channel without a type is a webhook (HyperDX).
            drop_if(channel, "type", &[Value::String("webhook".into())]);
            channel.remove("webhookService");
        }
    }
    drop_if(map, "scheduleOffsetMinutes", &[Value::from(0)]);
    drop_if(map, "tags", &[Value::Array(Vec::new())]);
    let between = matches!(
        map.get("thresholdType").and_then(Value::as_str),
        Some("between" | "not_between")
    );
    if !between {
        map.remove("thresholdMax");
    }
    if map.get("displayName").is_some() && map.get("displayName") == map.get("name") {
        map.remove("displayName");
    }
    value
}

/// `current` without the fields the server keeps when a write omits them
/// and `desired` does not name: what an alert update would leave alone.
pub(crate) fn alert_as_a_write_sees_it(current: &Value, desired: &Value) -> Value {
    let mut current = current.clone();
    if let (Some(current), Some(desired)) = (current.as_object_mut(), desired.as_object()) {
        for key in ALERT_FIELDS_KEPT_WHEN_OMITTED {
            if !desired.contains_key(key) {
                current.remove(key);
            }
        }
    }
    current
}

/// The normal form of a saved search.
pub(crate) fn saved_search(value: &Value) -> Value {
    let mut value = value.clone();
    canonical_numbers(&mut value);
    let Some(map) = value.as_object_mut() else {
        return value;
    };
    strip(map, &[]);
    if let Some(Value::String(name)) = map.get_mut("name") {
        *name = name.trim().to_string();
    }
    let blank = Value::String(String::new());
    for key in ["select", "where", "orderBy"] {
        drop_if(map, key, std::slice::from_ref(&blank));
    }
    drop_if(map, "whereLanguage", &[Value::String("lucene".into())]);
    for key in ["tags", "filters"] {
        drop_if(map, key, &[Value::Array(Vec::new())]);
    }
    if let Some(Value::Array(filters)) = map.get_mut("filters") {
        for filter in filters.iter_mut().filter_map(Value::as_object_mut) {
            filter.retain(|_, v| !v.is_null());
            drop_if(filter, "type", &[Value::String("sql".into())]);
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stored_alerts_equal_their_documents() {
        let stored = json!({"id": "a1", "name": "High", "message": null, "note": null, "state": "OK",
                            "threshold": 100.0, "thresholdType": "above", "interval": "5m",
                            "scheduleOffsetMinutes": 0, "teamId": "t", "displayName": "High", "tags": [],
                            "savedSearch": "Errors", "source": "saved_search",
                            "channel": {"type": "webhook", "webhook": "On call"},
                            "channels": [{"type": "webhook", "webhook": "On call", "webhookService": "slack"}]});
        let document = json!({"name": "High", "threshold": 100, "thresholdType": "above", "interval": "5m",
                              "savedSearch": "Errors", "source": "saved_search",
                              "channels": [{"webhook": "On call"}]});
        let desired = alert(&document);
        let current = alert_as_a_write_sees_it(&alert(&stored), &desired);
        assert_eq!(current, desired);
        let mut raised = document.clone();
        raised["threshold"] = json!(200.5);
        assert_ne!(alert(&raised), current);
    }

    #[test]
    fn saved_search_defaults_equal_their_omission() {
        let stored = json!({"id": "s1", "name": "Errors", "select": "", "where": "level:error",
                            "whereLanguage": "lucene", "orderBy": "", "tags": [], "filters": [{"type": "sql", "condition": "a IN (1)"}],
                            "sourceId": "src", "teamId": "t", "createdAt": "x", "updatedAt": "y"});
        let document = json!({"name": "Errors ", "where": "level:error", "sourceId": "src",
                              "filters": [{"condition": "a IN (1)"}]});
        assert_eq!(saved_search(&stored), saved_search(&document));
    }

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
            assert_eq!(dashboard(&sent, backend), dashboard(&stored, backend));
        }
        let changed = Dashboard {
            name: Some("other".into()),
            ..stored
        };
        assert_ne!(
            dashboard(&sent, BackendKind::Cloud),
            dashboard(&changed, BackendKind::Cloud)
        );
    }
}
