//! Dashboards: HyperDX's dashboard router. Lists sorted by name
//! descending; unknown ids get the plain-text `Not Found`; `DELETE` of an
//! unknown id still answers `{}`; `PUT` replaces `name` and `tiles` and
//! keeps every other field its body omits; tile ids are regenerated on
//! `POST` and kept on `PUT` only when they match an existing tile; the
//! server checks references (sources, connections, containers) after the
//! schema; deleting a dashboard, or removing a tile, deletes its alerts.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::{
    Ctx, Outcome, check_id, filters, id_issues, max_len, object, tag_issues, text, tiles,
    unique_tags,
};
use crate::api::{Api, Op};
use crate::ids::object_id;
use crate::problems::{Failure, Issue, Problems, zod};
use crate::schema;
use crate::store::{Item, Kind};

/// Most containers a dashboard has (`DASHBOARD_MAX_CONTAINERS`).
const MAX_CONTAINERS: usize = 50;

/// Display types alerts may watch (`displayTypeSupportsBuilderAlerts`
/// and `...RawSqlAlerts`).
const ALERTABLE: &[&str] = &["line", "stacked_bar", "number"];

/// Runs `op` on dashboards.
pub(crate) fn execute(ctx: &mut Ctx<'_>, op: Op, body: &Value) -> Result<Outcome, Failure> {
    match op {
        Op::List => {
            let mut items: Vec<&Item> = ctx.store.list(Kind::Dashboard).iter().collect();
            // `sort({name: -1})`; a stable sort keeps creation order on ties.
            items.sort_by(|a, b| text(b, "name").cmp(&text(a, "name")));
            let items: Vec<Value> = items
                .into_iter()
                .map(|i| Value::Object(i.clone()))
                .collect();
            Ok(Outcome::List {
                total: items.len(),
                items,
                page: None,
            })
        }
        Op::Get(id) => {
            check_id(&id)?;
            ctx.store
                .get(Kind::Dashboard, &id)
                .map(|item| Outcome::One(Value::Object(item.clone())))
                .ok_or(Failure::NotFoundText)
        }
        Op::Create => create(ctx, body),
        Op::Update(id) => update(ctx, &id, body),
        Op::Delete(id) => {
            check_id(&id)?;
            delete(ctx, &id);
            Ok(Outcome::Deleted)
        }
        Op::Validate => Ok(Outcome::Bare(validate(ctx, body))),
    }
}

/// Deletes the dashboard with `id` (if any) and the alerts on its tiles.
fn delete(ctx: &mut Ctx<'_>, id: &str) {
    ctx.remove_where(Kind::Dashboard, |d| text(d, "id") == Some(id));
    ctx.remove_where(Kind::Alert, |a| text(a, "dashboardId") == Some(id));
}

/// `POST /dashboards`.
fn create(ctx: &mut Ctx<'_>, body: &Value) -> Result<Outcome, Failure> {
    Problems {
        body: schema_issues(ctx.api, body, false),
        ..Problems::default()
    }
    .into_result()?;
    let map = object(body).map_err(Failure::body)?;
    let containers = containers_of(map).unwrap_or_default();
    if let Some(message) = server_issues(ctx, map, &containers, None) {
        return Err(Failure::BadRequest(message));
    }
    let mut item = Map::new();
    let id = object_id();
    item.insert("id".into(), json!(id));
    item.insert("name".into(), map.get("name").cloned().unwrap_or(json!("")));
    item.insert(
        "tiles".into(),
        json!(new_tiles(ctx.api, map, &HashSet::new())),
    );
    item.insert(
        "tags".into(),
        map.get("tags").map_or_else(|| json!([]), unique_tags),
    );
    let filters = array(map, "filters");
    item.insert(
        "filters".into(),
        json!(filters::normalize(&filters, &HashSet::new())),
    );
    let saved_query = map.get("savedQuery").cloned().unwrap_or(Value::Null);
    let language = resolve_language(map).unwrap_or(Value::Null);
    item.insert("savedQuery".into(), saved_query);
    item.insert("savedQueryLanguage".into(), language);
    item.insert(
        "savedFilterValues".into(),
        json!(saved_filter_values(&array(map, "savedFilterValues"))),
    );
    if !containers.is_empty() {
        item.insert("containers".into(), json!(containers));
    }
    ctx.insert(Kind::Dashboard, item.clone())?;
    Ok(Outcome::One(Value::Object(item)))
}

/// `PUT /dashboards/{id}`: schema (body and id) 400, then 404, then the
/// server's reference checks.
fn update(ctx: &mut Ctx<'_>, id: &str, body: &Value) -> Result<Outcome, Failure> {
    Problems {
        body: schema_issues(ctx.api, body, true),
        params: id_issues(id),
        ..Problems::default()
    }
    .into_result()?;
    let map = object(body).map_err(Failure::body)?;
    let existing = ctx
        .store
        .get(Kind::Dashboard, id)
        .cloned()
        .ok_or(Failure::NotFoundText)?;
    let containers = containers_of(map)
        .or_else(|| containers_of(&existing))
        .unwrap_or_default();
    if let Some(message) = server_issues(ctx, map, &containers, Some(&existing)) {
        return Err(Failure::BadRequest(message));
    }
    let ids_of = |key: &str| -> HashSet<String> {
        existing
            .get(key)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.get("id").and_then(Value::as_str).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let old_tiles = ids_of("tiles");
    let new_tiles = new_tiles(ctx.api, map, &old_tiles);
    let mut item = existing.clone();
    item.insert("name".into(), map.get("name").cloned().unwrap_or(json!("")));
    item.insert("tiles".into(), json!(new_tiles));
    if let Some(tags) = map.get("tags") {
        item.insert("tags".into(), unique_tags(tags));
    }
    if map.contains_key("filters") {
        let filters = array(map, "filters");
        item.insert(
            "filters".into(),
            json!(filters::normalize(&filters, &ids_of("filters"))),
        );
    }
    if let Some(saved_query) = map.get("savedQuery") {
        item.insert("savedQuery".into(), saved_query.clone());
    }
    if let Some(language) = resolve_language(map) {
        item.insert("savedQueryLanguage".into(), language);
    }
    if map.contains_key("savedFilterValues") {
        item.insert(
            "savedFilterValues".into(),
            json!(saved_filter_values(&array(map, "savedFilterValues"))),
        );
    }
    if let Some(containers) = containers_of(map) {
        if containers.is_empty() {
            item.remove("containers");
        } else {
            item.insert("containers".into(), json!(containers));
        }
    }
    ctx.replace(Kind::Dashboard, id, item.clone())?;
    cleanup_alerts(ctx, id, &new_tiles, &old_tiles);
    Ok(Outcome::One(Value::Object(item)))
}

/// Deletes the alerts of tiles that were removed, or whose display type
/// no longer supports alerts (`cleanupDashboardAlerts`).
fn cleanup_alerts(ctx: &mut Ctx<'_>, dashboard: &str, tiles: &[Value], old: &HashSet<String>) {
    let mut doomed: HashSet<String> = old.clone();
    for tile in tiles {
        let Some(id) = tile.get("id").and_then(Value::as_str) else {
            continue;
        };
        doomed.remove(id);
        let display = tile
            .pointer("/config/displayType")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !ALERTABLE.contains(&display) {
            doomed.insert(id.to_owned());
        }
    }
    if doomed.is_empty() {
        return;
    }
    ctx.remove_where(Kind::Alert, |alert| {
        text(alert, "dashboardId") == Some(dashboard)
            && text(alert, "tileId").is_some_and(|t| doomed.contains(t))
    });
}

/// The request's tiles as stored: ids kept when they match `existing`.
fn new_tiles(api: Api, map: &Map<String, Value>, existing: &HashSet<String>) -> Vec<Value> {
    array(map, "tiles")
        .iter()
        .map(|tile| {
            let id = tile
                .get("id")
                .and_then(Value::as_str)
                .filter(|id| existing.contains(*id))
                .map_or_else(object_id, str::to_owned);
            tiles::normalize(api, tile, &id)
        })
        .collect()
}

/// `resolveSavedQueryLanguage`: an explicit language wins; a null query
/// nulls it; a non-empty query without one means `lucene`; otherwise the
/// stored value stays (`None`).
fn resolve_language(map: &Map<String, Value>) -> Option<Value> {
    if let Some(language) = map.get("savedQueryLanguage") {
        return Some(language.clone());
    }
    match map.get("savedQuery") {
        Some(Value::Null) => Some(Value::Null),
        Some(Value::String(query)) if !query.is_empty() => Some(json!("lucene")),
        _ => None,
    }
}

/// Saved filter values as stored: each gets `type: "sql"` unless it has
/// a type.
fn saved_filter_values(values: &[Value]) -> Vec<Value> {
    values
        .iter()
        .map(|value| {
            let mut value = value.clone();
            if let Some(map) = value.as_object_mut()
                && !map.contains_key("type")
            {
                map.insert("type".into(), json!("sql"));
            }
            value
        })
        .collect()
}

/// The array at `key`, or empty.
fn array(map: &Map<String, Value>, key: &str) -> Vec<Value> {
    map.get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The containers at `containers`, when the field is there.
fn containers_of(map: &Map<String, Value>) -> Option<Vec<Value>> {
    map.get("containers").and_then(Value::as_array).cloned()
}

/// Everything the dashboard body schema rejects (create or update form),
/// with zod-style paths.
fn schema_issues(api: Api, body: &Value, update: bool) -> Vec<Issue> {
    let Ok(map) = object(body) else {
        return vec![Issue::new("", zod::expected("object", body))];
    };
    // `null` is not an array for zod (serde would read it as absent).
    let mut issues: Vec<Issue> = ["tags", "filters", "containers", "savedFilterValues"]
        .into_iter()
        .filter(|key| map.get(*key).is_some_and(Value::is_null))
        .map(|key| Issue::new(key, zod::expected("array", &Value::Null)))
        .collect();
    if !issues.is_empty() {
        return issues;
    }
    if let Err(issue) = schema::dashboard(api, update)(body) {
        return vec![issue];
    }
    max_len(map, "name", 1024, &mut issues);
    issues.extend(tiles::check_list(api, &array(map, "tiles")));
    tag_issues(map, &mut issues);
    if let Some(language) = map.get("savedQueryLanguage").filter(|l| !l.is_null())
        && !schema::known(api, schema::Enum::Language, language)
    {
        issues.push(Issue::new(
            "savedQueryLanguage",
            zod::invalid_enum(language),
        ));
    }
    for (i, value) in array(map, "savedFilterValues").iter().enumerate() {
        let kind = value.get("type");
        if let Err(issue) = schema::saved_filter_value(api)(value) {
            issues.push(issue.under(&format!("savedFilterValues.{i}")));
        } else if api == Api::Oss && kind.is_some_and(|k| k != "sql") {
            issues.push(Issue::new(
                format!("savedFilterValues.{i}.type"),
                "Invalid literal value, expected \"sql\"",
            ));
        } else if value
            .get("condition")
            .and_then(Value::as_str)
            .is_some_and(|c| c.chars().count() > 10_000)
        {
            issues.push(Issue::new(
                format!("savedFilterValues.{i}.condition"),
                zod::string_max(10_000),
            ));
        }
    }
    issues.extend(container_issues(api, &array(map, "containers")));
    issues.extend(filters::check(api, &array(map, "filters"), update));
    let saved_query_set = map.get("savedQuery").is_some_and(|q| !q.is_null());
    if saved_query_set && map.get("savedQueryLanguage") == Some(&Value::Null) {
        issues.push(Issue::new(
            "savedQueryLanguage",
            "savedQueryLanguage cannot be null when savedQuery is provided",
        ));
    }
    issues
}

/// Container issues: the schema, unique container ids, unique tab ids per
/// container (`validateDashboardContainersStructure`).
fn container_issues(api: Api, containers: &[Value]) -> Vec<Issue> {
    let mut issues = Vec::new();
    if containers.len() > MAX_CONTAINERS {
        issues.push(Issue::new("containers", zod::array_max(MAX_CONTAINERS)));
    }
    let mut seen = HashSet::new();
    for (i, container) in containers.iter().enumerate() {
        let prefix = format!("containers.{i}");
        if let Err(issue) = schema::container(api)(container) {
            issues.push(issue.under(&prefix));
            continue;
        }
        let Some(map) = container.as_object() else {
            continue;
        };
        for key in ["id", "title", "collapsed"] {
            if !map.contains_key(key) {
                issues.push(Issue::new(format!("{prefix}.{key}"), zod::REQUIRED));
            }
        }
        for key in ["id", "title"] {
            if text(map, key).is_some_and(str::is_empty) {
                issues.push(Issue::new(format!("{prefix}.{key}"), zod::string_min(1)));
            }
        }
        let id = text(map, "id").unwrap_or_default();
        if !seen.insert(id) {
            issues.push(Issue::new(
                format!("{prefix}.id"),
                format!("Container IDs must be unique: \"{id}\""),
            ));
        }
        let mut tabs = HashSet::new();
        for (j, tab) in map
            .get("tabs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let tab_id = tab.get("id").and_then(Value::as_str).unwrap_or_default();
            if !tabs.insert(tab_id) {
                issues.push(Issue::new(
                    format!("{prefix}.tabs.{j}.id"),
                    format!("Duplicate tab id \"{tab_id}\" in container \"{id}\""),
                ));
            }
        }
    }
    issues
}

/// The server's checks after the schema (`validateDashboardTiles`), in its
/// order; the message of the first failing one. On update, `existing` is
/// the stored dashboard (its heatmap tiles are not checked again unless
/// they changed).
fn server_issues(
    ctx: &Ctx<'_>,
    map: &Map<String, Value>,
    containers: &[Value],
    existing: Option<&Item>,
) -> Option<String> {
    let tiles = array(map, "tiles");
    let refs = container_ref_issues(containers, &tiles);
    if !refs.is_empty() {
        let rendered: Vec<String> = refs.iter().map(Issue::render).collect();
        return Some(rendered.join("; "));
    }
    let store = &*ctx.store;
    let mut sources: Vec<String> = Vec::new();
    let mut connections: Vec<String> = Vec::new();
    let mut mismatched: Vec<String> = Vec::new();
    let mut heatmaps: Vec<String> = Vec::new();
    let mut formula_sources: Vec<String> = Vec::new();
    let mut dashboards: Vec<String> = Vec::new();
    let mut search_sources: Vec<String> = Vec::new();
    let push = |list: &mut Vec<String>, id: &str| {
        if !list.iter().any(|x| x == id) {
            list.push(id.to_owned());
        }
    };
    let source_kind = |id: &str| {
        store
            .get(Kind::Source, id)
            .and_then(|s| text(s, "kind"))
            .map(str::to_owned)
    };
    for tile in &tiles {
        for series in tile
            .get("series")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(id) = series.get("sourceId").and_then(Value::as_str) {
                push(&mut sources, id);
            }
        }
        let Some(config) = tile.get("config").and_then(Value::as_object) else {
            continue;
        };
        let source = text(config, "sourceId").filter(|s| !s.is_empty());
        if let Some(id) = source {
            push(&mut sources, id);
        }
        if let Some((kind, target)) = on_click_target(config) {
            if kind == "search" {
                push(&mut sources, target);
                if !matches!(source_kind(target).as_deref(), Some("log" | "trace")) {
                    push(&mut search_sources, target);
                }
            } else if kind == "dashboard" && !store.contains(Kind::Dashboard, target) {
                push(&mut dashboards, target);
            }
        }
        if text(config, "configType") == Some("sql") {
            let connection = text(config, "connectionId").unwrap_or_default();
            if !store.contains(Kind::Connection, connection) {
                push(&mut connections, connection);
            }
            if let Some(id) = source
                && let Some(stored) = store.get(Kind::Source, id)
                && text(stored, "connection") != Some(connection)
            {
                push(&mut mismatched, id);
            }
            continue;
        }
        let Some(id) = source else { continue };
        let kind = source_kind(id);
        if text(config, "displayType") == Some("heatmap")
            && kind.is_some()
            && kind.as_deref() != Some("trace")
            && heatmap_changed(tile, id, existing)
        {
            push(&mut heatmaps, id);
        }
        let has_formulas = config
            .get("formulas")
            .and_then(Value::as_array)
            .is_some_and(|f| !f.is_empty());
        if has_formulas
            && kind.is_some()
            && !matches!(kind.as_deref(), Some("metric" | "log" | "trace"))
        {
            push(&mut formula_sources, id);
        }
    }
    for filter in array(map, "filters") {
        if let Some(id) = filter.get("sourceId").and_then(Value::as_str) {
            push(&mut sources, id);
        }
    }
    sources.retain(|id| !store.contains(Kind::Source, id));
    let checks = [
        (&sources, "Could not find the following source IDs: "),
        (
            &connections,
            "Could not find the following connection IDs: ",
        ),
        (
            &mismatched,
            "The following source IDs do not match the specified connections: ",
        ),
        (
            &heatmaps,
            "Heatmap tiles require a Trace source. The following source IDs are not Trace sources: ",
        ),
        (
            &formula_sources,
            "Tiles with formulas require a Metric, Log, or Trace source. The following source IDs are not formula-capable: ",
        ),
        (
            &dashboards,
            "Could not find the following onClick dashboard IDs: ",
        ),
        (
            &search_sources,
            "The following onClick search source IDs are not log or trace sources: ",
        ),
    ];
    checks
        .into_iter()
        .find(|(ids, _)| !ids.is_empty())
        .map(|(ids, prefix)| format!("{prefix}{}", ids.join(", ")))
}

/// The `(type, id)` of a table tile's `onClick` link-out by id.
fn on_click_target(config: &Map<String, Value>) -> Option<(&str, &str)> {
    let on_click = config.get("onClick")?;
    let target = on_click.get("target")?;
    if target.get("mode")?.as_str()? != "id" {
        return None;
    }
    Some((on_click.get("type")?.as_str()?, target.get("id")?.as_str()?))
}

/// Whether a heatmap tile needs its source checked on update: new, or its
/// display type or source changed (`filterChangedHeatmapTiles`).
fn heatmap_changed(tile: &Value, source: &str, existing: Option<&Item>) -> bool {
    let Some(existing) = existing else {
        return true;
    };
    let Some(id) = tile.get("id").and_then(Value::as_str) else {
        return true;
    };
    let old = existing
        .get("tiles")
        .and_then(Value::as_array)
        .and_then(|tiles| {
            tiles
                .iter()
                .find(|t| t.get("id").and_then(Value::as_str) == Some(id))
        });
    let Some(old) = old.and_then(|t| t.get("config")) else {
        return true;
    };
    old.get("displayType").and_then(Value::as_str) != Some("heatmap")
        || old.get("configType").is_some()
        || old.get("sourceId").and_then(Value::as_str) != Some(source)
}

/// Tiles whose `containerId`/`tabId` do not resolve
/// (`validateDashboardTileContainerRefs`).
fn container_ref_issues(containers: &[Value], tiles: &[Value]) -> Vec<Issue> {
    let mut issues = Vec::new();
    let find = |id: &str| {
        containers
            .iter()
            .rev()
            .find(|c| c.get("id").and_then(Value::as_str) == Some(id))
    };
    for (i, tile) in tiles.iter().enumerate() {
        let container_id = tile.get("containerId").and_then(Value::as_str);
        let container = container_id.and_then(find);
        if let Some(id) = container_id
            && container.is_none()
        {
            issues.push(Issue::new(
                format!("tiles.{i}.containerId"),
                format!("Tile references unknown containerId \"{id}\""),
            ));
        }
        let Some(tab) = tile.get("tabId").and_then(Value::as_str) else {
            continue;
        };
        let Some(container_id) = container_id else {
            issues.push(Issue::new(
                format!("tiles.{i}.tabId"),
                "tabId requires containerId to be set",
            ));
            continue;
        };
        let known = container
            .and_then(|c| c.get("tabs"))
            .and_then(Value::as_array)
            .is_some_and(|tabs| {
                tabs.iter()
                    .any(|t| t.get("id").and_then(Value::as_str) == Some(tab))
            });
        if container.is_some() && !known {
            issues.push(Issue::new(
                format!("tiles.{i}.tabId"),
                format!("Tile references unknown tabId \"{tab}\" in container \"{container_id}\""),
            ));
        }
    }
    issues
}

/// `POST /dashboards/validate`: always 200 with `{valid, errors,
/// normalized}`; `normalized` is the body after the schema (unknown
/// top-level keys dropped, select items with their `where` default).
fn validate(ctx: &Ctx<'_>, body: &Value) -> Value {
    let issues = schema_issues(ctx.api, body, false);
    if !issues.is_empty() {
        let errors: Vec<Value> = issues
            .iter()
            .map(|i| json!({"path": i.path, "message": i.message}))
            .collect();
        return json!({"valid": false, "errors": errors, "normalized": null});
    }
    let Ok(map) = object(body) else {
        return json!({"valid": false, "errors": [], "normalized": null});
    };
    let containers = containers_of(map).unwrap_or_default();
    if let Some(message) = server_issues(ctx, map, &containers, None) {
        return json!({
            "valid": false,
            "errors": [{"path": "", "message": message}],
            "normalized": null,
        });
    }
    let mut normalized = Map::new();
    for key in [
        "name",
        "tiles",
        "tags",
        "filters",
        "savedQuery",
        "savedQueryLanguage",
        "savedFilterValues",
        "containers",
    ] {
        if let Some(value) = map.get(key) {
            normalized.insert(key.to_owned(), value.clone());
        }
    }
    if let Some(values) = map.get("savedFilterValues").and_then(Value::as_array) {
        normalized.insert(
            "savedFilterValues".into(),
            json!(saved_filter_values(values)),
        );
    }
    json!({"valid": true, "errors": [], "normalized": normalized})
}
