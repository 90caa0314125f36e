//! Portable documents of alerts and saved searches, their normal forms,
//! and field-level differences.
//!
//! The facade has portable documents, a normal form and plans for
//! dashboards only; alerts and saved searches get theirs here:
//!
//! - a saved search document is the create request without the server's
//!   fields and without the values the server fills in (`select: ""`,
//!   `whereLanguage: lucene`, `tags: []`, ...); its `sourceId` is mapped
//!   between deployments like a dashboard's (sources.yaml);
//! - an alert document names what it refers to instead of using ids, since
//!   ids differ between deployments: `savedSearch: <name>` for
//!   `savedSearchId`, `dashboard: <name>` and `tile: <tile name>` for
//!   `dashboardId`/`tileId`, and `webhook: <name>` in each channel for
//!   `webhookId`. An id with no name to replace it (a dangling reference)
//!   stays an id.
//!
//! Two resources are compared in their normal forms: server fields,
//! nulls and server defaults removed, numbers canonical (`100.0` = `100`).

use std::collections::HashMap;

use clickstack::{Dashboard, FieldChange, SavedSearch, Webhook};
use serde_json::{Map, Value};

use crate::format::canonical_numbers;

/// Fields the servers add to stored resources (the facade's list).
pub(crate) const SERVER_FIELDS: [&str; 9] = [
    "_id",
    "__v",
    "team",
    "teamId",
    "createdAt",
    "updatedAt",
    "createdBy",
    "updatedBy",
    "requestId",
];

/// Alert fields the server keeps, or fills in, when a write omits them:
/// a document that leaves one out does not ask to change it.
const ALERT_FIELDS_KEPT_WHEN_OMITTED: [&str; 5] = [
    "displayName",
    "tags",
    "scheduleOffsetMinutes",
    "scheduleStartAt",
    "thresholdMax",
];

/// The portable keys of alert documents.
pub(crate) const SAVED_SEARCH_REF: &str = "savedSearch";
/// `dashboard: <name>`.
pub(crate) const DASHBOARD_REF: &str = "dashboard";
/// `tile: <tile name>`.
pub(crate) const TILE_REF: &str = "tile";
/// `webhook: <name>` in a channel.
pub(crate) const WEBHOOK_REF: &str = "webhook";

/// A dashboard as alerts see it: its id, name and tiles.
#[derive(Debug, Clone)]
pub(crate) struct DashboardRef {
    /// Id on the target.
    pub(crate) id: String,
    /// Name.
    pub(crate) name: String,
    /// `(tile id, tile name)`.
    pub(crate) tiles: Vec<(String, String)>,
}

/// The ids and names of what alerts refer to, on one deployment.
#[derive(Debug, Clone, Default)]
pub(crate) struct Catalog {
    /// `(id, name)` of saved searches.
    pub(crate) saved_searches: Vec<(String, String)>,
    /// Dashboards.
    pub(crate) dashboards: Vec<DashboardRef>,
    /// `(id, name)` of webhooks.
    pub(crate) webhooks: Vec<(String, String)>,
}

impl Catalog {
    /// The catalog of these lists.
    pub(crate) fn new(
        saved: &[SavedSearch],
        dashboards: &[Dashboard],
        webhooks: &[Webhook],
    ) -> Self {
        Catalog {
            saved_searches: saved
                .iter()
                .filter_map(|s| Some((s.id.clone()?, s.name.clone())))
                .collect(),
            dashboards: dashboards
                .iter()
                .filter_map(|d| {
                    Some(DashboardRef {
                        id: d.id.clone()?,
                        name: d.name.clone().unwrap_or_default(),
                        tiles: d
                            .tiles()
                            .iter()
                            .filter_map(|t| Some((t.id.clone()?, t.name.clone())))
                            .collect(),
                    })
                })
                .collect(),
            webhooks: webhooks
                .iter()
                .filter_map(|w| Some((w.id.clone()?, w.name.clone())))
                .collect(),
        }
    }

    fn saved_search_name(&self, id: &str) -> Option<&str> {
        self.saved_searches
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, n)| n.as_str())
    }

    /// The id of the (first) saved search named `name`.
    pub(crate) fn saved_search_id(&self, name: &str) -> Option<&str> {
        self.saved_searches
            .iter()
            .find(|(_, n)| n == name)
            .map(|(i, _)| i.as_str())
    }

    fn dashboard(&self, id: &str) -> Option<&DashboardRef> {
        self.dashboards.iter().find(|d| d.id == id)
    }

    /// The (first) dashboard named `name`.
    pub(crate) fn dashboard_named(&self, name: &str) -> Option<&DashboardRef> {
        self.dashboards.iter().find(|d| d.name == name)
    }

    fn webhook_name(&self, id: &str) -> Option<&str> {
        self.webhooks
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, n)| n.as_str())
    }

    /// The ids of the webhooks named `name`.
    pub(crate) fn webhook_ids(&self, name: &str) -> Vec<&str> {
        self.webhooks
            .iter()
            .filter(|(_, n)| n == name)
            .map(|(i, _)| i.as_str())
            .collect()
    }
}

/// Replaces `key: <id>` in `map` by `new_key: <name>` when `name_of`
/// knows the id; returns the id it could not name.
fn name_ref(
    map: &mut Map<String, Value>,
    key: &str,
    new_key: &str,
    name_of: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let Some(Value::String(id)) = map.get(key) else {
        return None;
    };
    let id = id.clone();
    match name_of(&id) {
        Some(name) => {
            map.remove(key);
            map.insert(new_key.to_string(), Value::String(name));
            None
        }
        None => Some(id),
    }
}

/// The channels of an alert (`channel` and every entry of `channels`).
fn channels_mut(map: &mut Map<String, Value>) -> Vec<&mut Map<String, Value>> {
    let mut out = Vec::new();
    for (key, value) in map.iter_mut() {
        match (key.as_str(), value) {
            ("channel", Value::Object(channel)) => out.push(channel),
            ("channels", Value::Array(channels)) => {
                out.extend(channels.iter_mut().filter_map(Value::as_object_mut));
            }
            _ => {}
        }
    }
    out
}

/// Turns the ids of an alert into names, as `catalog` knows them; returns
/// a note for each id it could not name.
pub(crate) fn name_alert_refs(value: &mut Value, catalog: &Catalog) -> Vec<String> {
    let mut notes = Vec::new();
    let Some(map) = value.as_object_mut() else {
        return notes;
    };
    if let Some(id) = name_ref(map, "savedSearchId", SAVED_SEARCH_REF, |id| {
        catalog.saved_search_name(id).map(str::to_string)
    }) {
        notes.push(format!(
            "saved search {id} does not exist; the alert keeps its id"
        ));
    }
    if let Some(Value::String(dashboard_id)) = map.get("dashboardId").cloned() {
        match catalog.dashboard(&dashboard_id) {
            Some(dashboard) => {
                map.remove("dashboardId");
                map.insert(DASHBOARD_REF.into(), Value::String(dashboard.name.clone()));
                let tile = name_ref(map, "tileId", TILE_REF, |id| {
                    dashboard
                        .tiles
                        .iter()
                        .find(|(i, _)| i == id)
                        .map(|(_, n)| n.clone())
                });
                if let Some(id) = tile {
                    notes.push(format!(
                        "tile {id} is not on dashboard {:?}; the alert keeps its id",
                        dashboard.name
                    ));
                }
                let named = map
                    .get(TILE_REF)
                    .and_then(Value::as_str)
                    .map(str::to_string);
                if let Some(name) = named
                    && dashboard.tiles.iter().filter(|(_, n)| *n == name).count() > 1
                {
                    notes.push(format!(
                        "dashboard {:?} has several tiles named {name:?}; the alert will watch the first",
                        dashboard.name
                    ));
                }
            }
            None => notes.push(format!(
                "dashboard {dashboard_id} does not exist; the alert keeps its id"
            )),
        }
    }
    for channel in channels_mut(map) {
        if let Some(id) = name_ref(channel, "webhookId", WEBHOOK_REF, |id| {
            catalog.webhook_name(id).map(str::to_string)
        }) {
            notes.push(format!(
                "webhook {id} does not exist; the channel keeps its id"
            ));
        }
    }
    notes.sort();
    notes.dedup();
    notes
}

/// What the alert document refers to by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AlertRefs {
    /// `savedSearch`.
    pub(crate) saved_search: Option<String>,
    /// `dashboard` and `tile`.
    pub(crate) dashboard: Option<(String, Option<String>)>,
    /// `webhook` of each channel.
    pub(crate) webhooks: Vec<String>,
}

/// The names an alert document refers to.
pub(crate) fn alert_refs(value: &Value) -> AlertRefs {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let mut webhooks: Vec<String> = value
        .get("channel")
        .into_iter()
        .chain(
            value
                .get("channels")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        )
        .filter_map(|c| text(c, WEBHOOK_REF))
        .collect();
    webhooks.dedup();
    AlertRefs {
        saved_search: text(value, SAVED_SEARCH_REF),
        dashboard: text(value, DASHBOARD_REF).map(|d| (d, text(value, TILE_REF))),
        webhooks,
    }
}

/// Turns the names of an alert document into ids, as `catalog` knows
/// them; fails with every name it cannot resolve.
pub(crate) fn resolve_alert_refs(value: &Value, catalog: &Catalog) -> Result<Value, Vec<String>> {
    let mut value = value.clone();
    let mut problems = Vec::new();
    let Some(map) = value.as_object_mut() else {
        return Err(vec!["an alert document must be a mapping".into()]);
    };
    if let Some(Value::String(name)) = map.remove(SAVED_SEARCH_REF) {
        match catalog.saved_search_id(&name) {
            Some(id) => {
                map.insert("savedSearchId".into(), Value::String(id.to_string()));
            }
            None => problems.push(format!("saved search {name:?} does not exist")),
        }
    }
    if let Some(Value::String(name)) = map.remove(DASHBOARD_REF) {
        let tile = map.remove(TILE_REF);
        match catalog.dashboard_named(&name) {
            Some(dashboard) => {
                map.insert("dashboardId".into(), Value::String(dashboard.id.clone()));
                if let Some(Value::String(tile)) = tile {
                    match dashboard.tiles.iter().find(|(_, n)| *n == tile) {
                        Some((id, _)) => {
                            map.insert("tileId".into(), Value::String(id.clone()));
                        }
                        None => {
                            problems.push(format!("dashboard {name:?} has no tile named {tile:?}"));
                        }
                    }
                }
            }
            None => problems.push(format!("dashboard {name:?} does not exist")),
        }
    }
    for channel in channels_mut(map) {
        if let Some(Value::String(name)) = channel.remove(WEBHOOK_REF) {
            match catalog.webhook_ids(&name).as_slice() {
                [id] => {
                    channel.insert("webhookId".into(), Value::String((*id).to_string()));
                }
                [] => problems.push(format!("webhook {name:?} does not exist")),
                _ => problems.push(format!("several webhooks are named {name:?}")),
            }
        }
    }
    if problems.is_empty() {
        Ok(value)
    } else {
        problems.dedup();
        Err(problems)
    }
}

/// The alert document with placeholder ids for its names (for checking
/// its shape against the API's schema without a server).
pub(crate) fn alert_with_placeholder_ids(value: &Value) -> Value {
    const PLACEHOLDER: &str = "000000000000000000000000";
    let mut value = value.clone();
    if let Some(map) = value.as_object_mut() {
        for (from, to) in [
            (SAVED_SEARCH_REF, "savedSearchId"),
            (DASHBOARD_REF, "dashboardId"),
            (TILE_REF, "tileId"),
        ] {
            if map.remove(from).is_some() {
                map.insert(to.into(), Value::String(PLACEHOLDER.into()));
            }
        }
        for channel in channels_mut(map) {
            if channel.remove(WEBHOOK_REF).is_some() {
                channel.insert("webhookId".into(), Value::String(PLACEHOLDER.into()));
            }
        }
    }
    value
}

/// Removes `key` when its value is one of `defaults`.
fn drop_if(map: &mut Map<String, Value>, key: &str, defaults: &[Value]) {
    if map.get(key).is_some_and(|v| defaults.contains(v)) {
        map.remove(key);
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

/// The normal form of a (portable) alert.
pub(crate) fn alert_normal_form(value: &Value) -> Value {
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
    let first = map
        .get("channels")
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .cloned();
    if first.is_some() && map.get("channel") == first.as_ref() {
        map.remove("channel");
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

/// The changes from stored alert `current` to document `desired` (both
/// portable and in normal form); fields the server keeps when a write
/// omits them count only when the document has them.
pub(crate) fn alert_changes(current: &Value, desired: &Value) -> Vec<FieldChange> {
    let mut current = current.clone();
    if let (Some(current), Some(desired)) = (current.as_object_mut(), desired.as_object()) {
        for key in ALERT_FIELDS_KEPT_WHEN_OMITTED {
            if !desired.contains_key(key) {
                current.remove(key);
            }
        }
    }
    changes(&current, desired)
}

/// The normal form of a saved search.
pub(crate) fn saved_search_normal_form(value: &Value) -> Value {
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

/// The changes that turn `before` into `after`, leaf by leaf (the
/// facade's rule for dashboards: objects key by key, lists item by item,
/// extra items whole).
pub(crate) fn changes(before: &Value, after: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk("", Some(before), Some(after), &mut out);
    out
}

fn walk(path: &str, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<FieldChange>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                walk(&join(key), b.get(key), a.get(key), out);
            }
        }
        (Some(Value::Array(b)), Some(Value::Array(a))) => {
            for i in 0..b.len().max(a.len()) {
                walk(&format!("{path}[{i}]"), b.get(i), a.get(i), out);
            }
        }
        (b, a) if b == a => {}
        (b, a) => out.push(FieldChange {
            path: path.to_string(),
            before: b.cloned(),
            after: a.cloned(),
        }),
    }
}

/// Ids of the sources an alert reads directly (Cloud's inline alerts).
pub(crate) fn alert_source_ids(value: &Value) -> Vec<String> {
    value
        .get("chartConfig")
        .and_then(|c| c.get("sourceId"))
        .and_then(Value::as_str)
        .map(|s| vec![s.to_string()])
        .unwrap_or_default()
}

/// Maps the source ids an alert reads directly.
pub(crate) fn map_alert_source_ids(value: &mut Value, map: &HashMap<String, String>) {
    if let Some(Value::String(id)) = value
        .get_mut("chartConfig")
        .and_then(|c| c.get_mut("sourceId"))
        && let Some(new) = map.get(id.as_str())
    {
        *id = new.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn catalog() -> Catalog {
        Catalog {
            saved_searches: vec![("s1".into(), "Errors".into())],
            dashboards: vec![DashboardRef {
                id: "d1".into(),
                name: "Checkout".into(),
                tiles: vec![("t1".into(), "Latency".into())],
            }],
            webhooks: vec![("w1".into(), "On call".into())],
        }
    }

    #[test]
    fn alert_ids_become_names_and_back() {
        let stored = json!({"source": "tile", "dashboardId": "d1", "tileId": "t1", "threshold": 1,
                            "channel": {"type": "webhook", "webhookId": "w1"},
                            "channels": [{"type": "webhook", "webhookId": "w1"}]});
        let mut portable = stored.clone();
        assert!(name_alert_refs(&mut portable, &catalog()).is_empty());
        assert_eq!(portable["dashboard"], "Checkout");
        assert_eq!(portable["tile"], "Latency");
        assert_eq!(portable["channels"][0]["webhook"], "On call");
        assert!(portable.get("dashboardId").is_none());
        assert_eq!(resolve_alert_refs(&portable, &catalog()).unwrap(), stored);
        let normal = alert_normal_form(&portable);
        assert!(normal.get("channel").is_none());
    }

    #[test]
    fn unknown_names_are_reported() {
        let doc =
            json!({"savedSearch": "Nope", "channels": [{"type": "webhook", "webhook": "Pager"}]});
        let problems = resolve_alert_refs(&doc, &catalog()).unwrap_err();
        assert_eq!(
            problems,
            [
                "saved search \"Nope\" does not exist",
                "webhook \"Pager\" does not exist"
            ]
        );
        let mut dangling = json!({"savedSearchId": "gone"});
        let notes = name_alert_refs(&mut dangling, &catalog());
        assert_eq!(dangling["savedSearchId"], "gone");
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn stored_alerts_equal_their_documents() {
        let stored = json!({"id": "a1", "name": "High", "message": null, "note": null, "state": "OK",
                            "threshold": 100.0, "thresholdType": "above", "interval": "5m",
                            "scheduleOffsetMinutes": 0, "teamId": "t", "displayName": "High", "tags": [],
                            "savedSearch": "Errors", "source": "saved_search",
                            "channel": {"type": "webhook", "webhook": "On call"},
                            "channels": [{"type": "webhook", "webhook": "On call"}]});
        let document = json!({"name": "High", "threshold": 100, "thresholdType": "above", "interval": "5m",
                              "savedSearch": "Errors", "source": "saved_search",
                              "channels": [{"type": "webhook", "webhook": "On call"}]});
        let current = alert_normal_form(&stored);
        let desired = alert_normal_form(&document);
        assert_eq!(alert_changes(&current, &desired), []);
        let mut raised = document.clone();
        raised["threshold"] = json!(200.5);
        let diff = alert_changes(&current, &alert_normal_form(&raised));
        assert_eq!(diff.len(), 1);
        assert_eq!(diff[0].to_string(), "~ threshold: 100 -> 200.5");
    }

    #[test]
    fn saved_search_defaults_equal_their_omission() {
        let stored = json!({"id": "s1", "name": "Errors", "select": "", "where": "level:error",
                            "whereLanguage": "lucene", "orderBy": "", "tags": [], "filters": [{"type": "sql", "condition": "a IN (1)"}],
                            "sourceId": "src", "teamId": "t", "createdAt": "x", "updatedAt": "y"});
        let document = json!({"name": "Errors ", "where": "level:error", "sourceId": "src",
                              "filters": [{"condition": "a IN (1)"}]});
        assert_eq!(
            saved_search_normal_form(&stored),
            saved_search_normal_form(&document)
        );
        let changed = json!({"name": "Errors", "where": "level:warn", "sourceId": "src"});
        let diff = changes(
            &saved_search_normal_form(&stored),
            &saved_search_normal_form(&changed),
        );
        let paths: Vec<&str> = diff.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["filters", "where"]);
    }
}
