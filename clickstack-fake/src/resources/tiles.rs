//! Dashboard tiles: HyperDX's tile schema refinements (grid ranges, series
//! or config, one `displayType` per config) and the form a tile is stored
//! and returned in (HyperDX converts each tile to its internal chart config
//! and back, so a tile comes back with that round trip's defaults).

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::{copy, max_len, select, text};
use crate::api::Api;
use crate::ids::is_object_id;
use crate::problems::{Issue, zod};
use crate::schema::{self, Enum};

/// Most tiles a dashboard has (`DASHBOARD_MAX_TILES`).
const MAX_TILES: usize = 500;

/// The schema issues of a dashboard's `tiles`, with paths from the body.
pub(crate) fn check_list(api: Api, tiles: &[Value]) -> Vec<Issue> {
    let mut issues = Vec::new();
    if tiles.len() > MAX_TILES {
        issues.push(Issue::new("tiles", zod::array_max(MAX_TILES)));
    }
    let mut seen = HashSet::new();
    for (i, tile) in tiles.iter().enumerate() {
        let prefix = format!("tiles.{i}");
        issues.extend(check_tile(api, tile).into_iter().map(|x| x.under(&prefix)));
        if let Some(id) = tile
            .get("id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            && !seen.insert(id)
        {
            issues.push(Issue::new(
                format!("{prefix}.id"),
                format!("Duplicate tile ID: {id}. Omit the ID to generate a unique one."),
            ));
        }
    }
    issues
}

/// The issues of one tile.
fn check_tile(api: Api, tile: &Value) -> Vec<Issue> {
    if let Err(issue) = schema::tile(api)(tile) {
        return vec![issue];
    }
    let Some(map) = tile.as_object() else {
        return vec![Issue::new("", zod::expected("object", tile))];
    };
    let mut issues = Vec::new();
    for key in ["name", "x", "y", "w", "h"] {
        if map.get(key).is_none_or(Value::is_null) {
            issues.push(Issue::new(key, zod::REQUIRED));
        }
    }
    for (key, min, max) in [
        ("x", 0, Some(23)),
        ("y", 0, None),
        ("w", 1, Some(24)),
        ("h", 1, None),
    ] {
        let Some(n) = map.get(key).and_then(Value::as_i64) else {
            continue;
        };
        if n < min {
            issues.push(Issue::new(key, zod::number_min(min)));
        } else if max.is_some_and(|max| n > max) {
            issues.push(Issue::new(key, zod::number_max(max.unwrap_or_default())));
        }
    }
    max_len(map, "id", 36, &mut issues);
    for key in ["containerId", "tabId"] {
        if text(map, key).is_some_and(str::is_empty) {
            issues.push(Issue::new(key, zod::string_min(1)));
        }
        max_len(map, key, 256, &mut issues);
    }
    let present = |key: &str| map.get(key).is_some_and(|v| !v.is_null());
    if present("series") && present("config") {
        issues.push(Issue::new("", "Tile cannot have both series and config"));
    } else if !present("series") && !present("config") {
        issues.push(Issue::new("", "Tile must have either series or config"));
    }
    if present("asRatio") && present("config") {
        issues.push(Issue::new(
            "",
            "asRatio property is not supported when using config property. Specify config.asRatio instead.",
        ));
    }
    if let Some(config) = map.get("config").filter(|v| !v.is_null()) {
        issues.extend(
            check_config(api, config)
                .into_iter()
                .map(|x| x.under("config")),
        );
    }
    if let Some(series) = map.get("series").filter(|v| !v.is_null()) {
        issues.extend(
            check_series(api, series)
                .into_iter()
                .map(|x| x.under("series")),
        );
    }
    issues
}

/// The issues of one tile `config`: the generated type of its
/// `displayType` (and `configType`), then HyperDX's refinements.
pub(crate) fn check_config(api: Api, config: &Value) -> Vec<Issue> {
    let Some(map) = config.as_object() else {
        return vec![Issue::new("", zod::expected("object", config))];
    };
    let sql = text(map, "configType") == Some("sql");
    let schemas: Vec<&schema::ConfigSchema> = schema::tile_configs(api)
        .iter()
        .filter(|s| !sql || s.sql.is_some())
        .collect();
    let display = text(map, "displayType").unwrap_or_default();
    let Some(found) = schemas.iter().find(|s| s.display == display) else {
        let allowed: Vec<&str> = schemas.iter().map(|s| s.display).collect();
        return vec![Issue::new(
            "displayType",
            zod::invalid_discriminator(&allowed),
        )];
    };
    let check = if sql {
        found.sql.unwrap_or(found.builder)
    } else {
        found.builder
    };
    if let Err(issue) = check(config) {
        return vec![issue];
    }
    let mut issues = Vec::new();
    if sql {
        if text(map, "connectionId").is_some_and(|id| !is_object_id(id)) {
            issues.push(Issue::new("connectionId", zod::INVALID_OBJECT_ID));
        }
        if text(map, "sourceId").is_some_and(|id| !is_object_id(id)) {
            issues.push(Issue::new("sourceId", zod::INVALID_OBJECT_ID));
        }
        return issues;
    }
    if display != "markdown" && text(map, "sourceId").is_some_and(|id| !is_object_id(id)) {
        issues.push(Issue::new("sourceId", zod::INVALID_OBJECT_ID));
    }
    if let Some(language) = map.get("whereLanguage")
        && !schema::known(api, Enum::Language, language)
    {
        issues.push(Issue::new("whereLanguage", zod::invalid_enum(language)));
    }
    let builder_select = matches!(
        display,
        "line" | "stacked_bar" | "stacked_line" | "table" | "number" | "pie" | "bar"
    ) || (display == "heatmap" && text(map, "heatmapMode") == Some("series"));
    let Some(items) = map.get("select").and_then(Value::as_array) else {
        return issues;
    };
    if builder_select {
        let max = if matches!(display, "pie" | "bar") {
            1
        } else {
            20
        };
        if items.is_empty() {
            issues.push(Issue::new("select", zod::array_min(1)));
        } else if items.len() > max {
            issues.push(Issue::new("select", zod::array_max(max)));
        }
        for (i, item) in items.iter().enumerate() {
            let prefix = format!("select.{i}");
            issues.extend(
                select::check(api, item)
                    .into_iter()
                    .map(|x| x.under(&prefix)),
            );
        }
        if map.get("asRatio").and_then(Value::as_bool) == Some(true) && items.len() != 2 {
            issues.push(Issue::new(
                "",
                "asRatio can only be used with exactly two select items",
            ));
        }
        let formulas = map.get("formulas").and_then(Value::as_array);
        let most = if display == "number" { 1 } else { 10 };
        if formulas.is_some_and(|f| f.len() > most) {
            issues.push(Issue::new("formulas", zod::array_max(most)));
        }
        let has_formulas = formulas.is_some_and(|f| !f.is_empty());
        if display == "number" && !has_formulas && items.len() != 1 {
            issues.push(Issue::new(
                "select",
                "Number tiles support a single select item unless formulas are used (extra items are formula operands)",
            ));
        }
    } else if display == "heatmap" {
        if items.len() != 1 {
            let message = if items.is_empty() {
                zod::array_min(1)
            } else {
                zod::array_max(1)
            };
            issues.push(Issue::new("select", message));
        }
        for (i, item) in items.iter().enumerate() {
            if item
                .get("valueExpression")
                .and_then(Value::as_str)
                .is_some_and(str::is_empty)
            {
                issues.push(Issue::new(
                    format!("select.{i}.valueExpression"),
                    zod::string_min(1),
                ));
            }
        }
    }
    issues
}

/// The issues of a legacy `series` list: each by its `type`, all of one
/// type.
fn check_series(api: Api, series: &Value) -> Vec<Issue> {
    let Some(items) = series.as_array() else {
        return vec![Issue::new("", zod::expected("array", series))];
    };
    if items.is_empty() {
        return vec![Issue::new("", zod::array_min(1))];
    }
    let schemas = schema::series(api);
    let mut issues = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let kind = item.get("type").and_then(Value::as_str).unwrap_or_default();
        match schemas.iter().find(|(name, _)| *name == kind) {
            Some((_, check)) => {
                if let Err(issue) = check(item) {
                    issues.push(issue.under(&i.to_string()));
                }
            }
            None => {
                let allowed: Vec<&str> = schemas.iter().map(|(name, _)| *name).collect();
                issues.push(Issue::new(
                    format!("{i}.type"),
                    zod::invalid_discriminator(&allowed),
                ));
            }
        }
    }
    let first = items.first().and_then(|s| s.get("type"));
    if items.iter().any(|s| s.get("type") != first) {
        issues.push(Issue::new("", "All series must have the same type"));
    }
    issues
}

/// A valid tile as HyperDX stores and returns it, with id `id`.
pub(crate) fn normalize(api: Api, tile: &Value, id: &str) -> Value {
    let empty = Map::new();
    let map = tile.as_object().unwrap_or(&empty);
    let mut out = Map::new();
    out.insert("id".into(), json!(id));
    for key in ["x", "y", "w", "h"] {
        copy(&mut out, map, key);
    }
    out.insert("name".into(), json!(text(map, "name").unwrap_or_default()));
    let config = match map.get("config").and_then(Value::as_object) {
        Some(config) => normalize_config(api, config),
        None => from_series(api, map),
    };
    out.insert("config".into(), config);
    for key in ["containerId", "tabId"] {
        if text(map, key).is_some_and(|v| !v.is_empty()) {
            copy(&mut out, map, key);
        }
    }
    if api == Api::Cloud {
        // Newer Cloud backends keep a tile description (Cloud spec only).
        copy(&mut out, map, "description");
    }
    Value::Object(out)
}

/// `select` mapped through [`select::normalize`], the first item only when
/// `first_only`.
fn selects(api: Api, config: &Map<String, Value>, first_only: bool) -> Value {
    let items = config
        .get("select")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let take = if first_only { 1 } else { items.len() };
    let mapped: Vec<Value> = items
        .iter()
        .take(take)
        .map(|item| select::normalize(api, item))
        .collect();
    if mapped.is_empty() {
        json!([{"aggFn": "count", "where": "", "whereLanguage": "lucene"}])
    } else {
        Value::Array(mapped)
    }
}

/// A string field, or `default`.
fn string_or(config: &Map<String, Value>, key: &str, default: &str) -> Value {
    json!(text(config, key).unwrap_or(default))
}

/// A tile config as HyperDX returns it after storing it (see the module
/// docs): e.g. `line` always has boolean `asRatio` and `fillNulls`,
/// `stacked_bar` drops `fitYAxisToData`/`compareToPreviousPeriod`,
/// `formulas` only when non-empty, `number` never returns
/// `showOperandSeries`, `search`/`heatmap` default `where` to `''` and
/// `whereLanguage` to `lucene`, `markdown` to `''`.
pub(crate) fn normalize_config(api: Api, config: &Map<String, Value>) -> Value {
    let display = text(config, "displayType").unwrap_or("line");
    let mut out = Map::new();
    out.insert("displayType".into(), json!(display));
    let line_like = matches!(display, "line" | "stacked_bar" | "stacked_line");
    if text(config, "configType") == Some("sql") {
        out.insert("configType".into(), json!("sql"));
        for key in ["connectionId", "sqlTemplate", "sourceId", "numberFormat"] {
            copy(&mut out, config, key);
        }
        match display {
            _ if line_like => {
                copy(&mut out, config, "alignDateRangeToGranularity");
                out.insert("fillNulls".into(), json!(fill_nulls(config)));
                copy(&mut out, config, "seriesLimit");
                if display != "stacked_bar" {
                    copy(&mut out, config, "fitYAxisToData");
                    copy(&mut out, config, "compareToPreviousPeriod");
                }
            }
            "table" => copy(&mut out, config, "onClick"),
            "number" => copy(&mut out, config, "color"),
            _ => {}
        }
        cloud_extras(api, config, &mut out);
        return Value::Object(out);
    }
    let source_id = string_or(config, "sourceId", "");
    let formulas = config
        .get("formulas")
        .and_then(Value::as_array)
        .filter(|f| !f.is_empty());
    let select_len = config
        .get("select")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let as_ratio = config.get("asRatio").and_then(Value::as_bool) == Some(true) && select_len == 2;
    let formula_fields = |out: &mut Map<String, Value>, operands: bool| {
        if let Some(formulas) = formulas {
            out.insert("formulas".into(), Value::Array(formulas.clone()));
            if operands {
                copy(out, config, "showOperandSeries");
            }
        }
    };
    match display {
        _ if line_like => {
            out.insert("sourceId".into(), source_id);
            out.insert("asRatio".into(), json!(as_ratio));
            copy(&mut out, config, "alignDateRangeToGranularity");
            out.insert("fillNulls".into(), json!(fill_nulls(config)));
            if display != "stacked_bar" {
                copy(&mut out, config, "fitYAxisToData");
                copy(&mut out, config, "compareToPreviousPeriod");
            }
            copy_string(&mut out, config, "groupBy");
            out.insert("select".into(), selects(api, config, false));
            copy(&mut out, config, "numberFormat");
            copy(&mut out, config, "seriesLimit");
            formula_fields(&mut out, true);
        }
        "table" => {
            for key in ["having", "numberFormat", "groupByColumnsOnLeft", "onClick"] {
                copy(&mut out, config, key);
            }
            out.insert("sourceId".into(), source_id);
            out.insert("asRatio".into(), json!(as_ratio));
            copy_string(&mut out, config, "groupBy");
            out.insert("select".into(), selects(api, config, false));
            copy_string(&mut out, config, "orderBy");
            formula_fields(&mut out, true);
        }
        "number" => {
            out.insert("sourceId".into(), source_id);
            out.insert("select".into(), selects(api, config, formulas.is_none()));
            copy(&mut out, config, "numberFormat");
            formula_fields(&mut out, false);
            copy(&mut out, config, "color");
            if config
                .get("colorRules")
                .and_then(Value::as_array)
                .is_some_and(|r| !r.is_empty())
            {
                copy(&mut out, config, "colorRules");
            }
            copy(&mut out, config, "backgroundChart");
        }
        "pie" | "bar" => {
            out.insert("sourceId".into(), source_id);
            out.insert("select".into(), selects(api, config, true));
            copy_string(&mut out, config, "groupBy");
            copy_string(&mut out, config, "orderBy");
            copy(&mut out, config, "numberFormat");
            copy(&mut out, config, "limit");
        }
        "heatmap" if text(config, "heatmapMode") == Some("series") => {
            // Cloud's newer series heatmap: builder select items.
            out.insert("sourceId".into(), source_id);
            out.insert("heatmapMode".into(), json!("series"));
            out.insert("select".into(), selects(api, config, false));
            copy_string(&mut out, config, "groupBy");
            copy(&mut out, config, "numberFormat");
        }
        "heatmap" => {
            out.insert("sourceId".into(), source_id);
            let item = config
                .get("select")
                .and_then(Value::as_array)
                .and_then(|s| s.first())
                .and_then(Value::as_object);
            let mut first = Map::new();
            first.insert(
                "valueExpression".into(),
                json!(
                    item.and_then(|i| text(i, "valueExpression"))
                        .unwrap_or_default()
                ),
            );
            if let Some(item) = item {
                copy(&mut first, item, "countExpression");
                copy(&mut first, item, "heatmapScaleType");
            }
            out.insert("select".into(), json!([first]));
            out.insert("where".into(), string_or(config, "where", ""));
            out.insert(
                "whereLanguage".into(),
                string_or(config, "whereLanguage", "lucene"),
            );
            copy(&mut out, config, "numberFormat");
            if api == Api::Cloud {
                copy(&mut out, config, "heatmapMode");
            }
        }
        "search" | "event_patterns" => {
            out.insert("sourceId".into(), source_id);
            out.insert("select".into(), string_or(config, "select", ""));
            out.insert("where".into(), string_or(config, "where", ""));
            out.insert(
                "whereLanguage".into(),
                string_or(config, "whereLanguage", "lucene"),
            );
        }
        "markdown" => {
            out.insert("markdown".into(), string_or(config, "markdown", ""));
        }
        _ => return Value::Object(config.clone()),
    }
    cloud_extras(api, config, &mut out);
    Value::Object(out)
}

/// `fillNulls` as HyperDX returns it: `true` unless `false` was stored.
fn fill_nulls(config: &Map<String, Value>) -> bool {
    config.get("fillNulls").and_then(Value::as_bool) != Some(false)
}

/// Copies `key` when it is a string (`stringValueOrDefault(.., undefined)`).
fn copy_string(out: &mut Map<String, Value>, config: &Map<String, Value>, key: &str) {
    if let Some(value) = text(config, key) {
        out.insert(key.to_owned(), json!(value));
    }
}

/// Fields only Cloud's newer schema has, kept for Cloud requests
/// (inferred: the newer backend stores them).
fn cloud_extras(api: Api, config: &Map<String, Value>, out: &mut Map<String, Value>) {
    if api == Api::Cloud {
        copy(out, config, "lineInterpolation");
    }
}

/// The config of a legacy `series` tile, as HyperDX converts it
/// (`translateExternalChartToTileConfig`) and returns it.
fn from_series(api: Api, tile: &Map<String, Value>) -> Value {
    let series = tile
        .get("series")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let empty = Map::new();
    let first = series.first().and_then(Value::as_object).unwrap_or(&empty);
    let kind = text(first, "type").unwrap_or_default();
    let source_id = string_or(first, "sourceId", "");
    let truthy = |v: &&Value| !matches!(v, Value::Null | Value::Bool(false)) && *v != "" && *v != 0;
    let item = |s: &Map<String, Value>| {
        let mut item = Map::new();
        for key in ["alias", "aggFn", "level", "metricName"] {
            if let Some(value) = s.get(key).filter(truthy) {
                item.insert(key.to_owned(), value.clone());
            }
        }
        if let Some(value) = s.get("metricDataType").filter(truthy) {
            item.insert("metricType".into(), value.clone());
        }
        item.insert("valueExpression".into(), string_or(s, "field", ""));
        item.insert("where".into(), string_or(s, "where", ""));
        item.insert(
            "whereLanguage".into(),
            string_or(s, "whereLanguage", "lucene"),
        );
        select::normalize(api, &Value::Object(item))
    };
    let objects: Vec<&Map<String, Value>> = series.iter().filter_map(Value::as_object).collect();
    let number_format = objects
        .iter()
        .find_map(|s| s.get("numberFormat").filter(truthy))
        .cloned();
    let group_by = first
        .get("groupBy")
        .and_then(Value::as_array)
        .map(|g| {
            g.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(",")
        })
        .filter(|g| !g.is_empty());
    let as_ratio = tile.get("asRatio").and_then(Value::as_bool) == Some(true);
    let mut out = Map::new();
    match kind {
        "time" | "table" => {
            let display = match (kind, text(first, "displayType")) {
                ("table", _) => "table",
                (_, Some("stacked_bar")) => "stacked_bar",
                _ => "line",
            };
            let selects: Vec<Value> = objects.iter().map(|s| item(s)).collect();
            out.insert("displayType".into(), json!(display));
            out.insert("sourceId".into(), source_id);
            out.insert("asRatio".into(), json!(as_ratio && selects.len() == 2));
            if display != "table" {
                out.insert("fillNulls".into(), json!(true));
            }
            if let Some(group_by) = group_by {
                out.insert("groupBy".into(), json!(group_by));
            }
            out.insert("select".into(), Value::Array(selects));
            if let Some(format) = number_format {
                out.insert("numberFormat".into(), format);
            }
        }
        "number" => {
            out.insert("displayType".into(), json!("number"));
            out.insert("sourceId".into(), source_id);
            out.insert("select".into(), json!([item(first)]));
            copy(&mut out, first, "numberFormat");
        }
        "search" => {
            let fields: Vec<&str> = first
                .get("fields")
                .and_then(Value::as_array)
                .map(|f| f.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            out.insert("displayType".into(), json!("search"));
            out.insert("sourceId".into(), source_id);
            out.insert("select".into(), json!(fields.join(", ")));
            out.insert("where".into(), string_or(first, "where", ""));
            out.insert(
                "whereLanguage".into(),
                string_or(first, "whereLanguage", "lucene"),
            );
        }
        _ => {
            out.insert("displayType".into(), json!("markdown"));
            out.insert("markdown".into(), string_or(first, "content", ""));
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(value: &Value) -> Value {
        normalize_config(Api::Oss, value.as_object().unwrap())
    }

    #[test]
    fn line_gets_boolean_defaults() {
        let out = config(&json!({
            "displayType": "line", "sourceId": "s", "select": [{"aggFn": "count"}],
            "formulas": [], "showOperandSeries": true, "extra": 1
        }));
        assert_eq!(
            out,
            json!({"displayType": "line", "sourceId": "s", "asRatio": false, "fillNulls": true,
                   "select": [{"aggFn": "count", "valueExpression": "", "where": "", "whereLanguage": "lucene"}]})
        );
        let bar = config(&json!({
            "displayType": "stacked_bar", "sourceId": "s", "select": [{"aggFn": "count"}],
            "fitYAxisToData": true, "compareToPreviousPeriod": true, "fillNulls": false
        }));
        assert_eq!(bar["fillNulls"], false);
        assert!(bar.get("fitYAxisToData").is_none());
    }

    #[test]
    fn other_types() {
        assert_eq!(
            config(&json!({"displayType": "markdown"})),
            json!({"displayType": "markdown", "markdown": ""})
        );
        assert_eq!(
            config(&json!({"displayType": "search", "sourceId": "s", "select": "a"})),
            json!({"displayType": "search", "sourceId": "s", "select": "a", "where": "", "whereLanguage": "lucene"})
        );
        let number = config(&json!({
            "displayType": "number", "sourceId": "s", "colorRules": [],
            "select": [{"aggFn": "count"}], "showOperandSeries": true
        }));
        assert!(number.get("colorRules").is_none() && number.get("showOperandSeries").is_none());
    }

    #[test]
    fn checks() {
        let issues = check_list(
            Api::Oss,
            &[
                json!({"id": "a", "name": "t", "x": 24, "y": 0, "w": 0, "h": 1,
                       "config": {"displayType": "markdown"}}),
                json!({"id": "a", "name": "t", "x": 0, "y": 0, "w": 1, "h": 1}),
                json!({"name": "t", "x": 0, "y": 0, "w": 1, "h": 1, "config": {"displayType": "gauge"}}),
            ],
        );
        let rendered: Vec<String> = issues.iter().map(Issue::render).collect();
        assert_eq!(
            rendered,
            [
                "tiles.0.x: Number must be less than or equal to 23",
                "tiles.0.w: Number must be greater than or equal to 1",
                "tiles.1: Tile must have either series or config",
                "tiles.1.id: Duplicate tile ID: a. Omit the ID to generate a unique one.",
                "tiles.2.config.displayType: Invalid discriminator value. Expected 'line' | \
                 'stacked_bar' | 'table' | 'number' | 'pie' | 'bar' | 'heatmap' | 'search' | \
                 'event_patterns' | 'markdown'",
            ]
        );
    }

    #[test]
    fn legacy_series_become_configs() {
        let tile = json!({"name": "t", "x": 0, "y": 0, "w": 1, "h": 1, "series": [
            {"type": "time", "sourceId": "s", "aggFn": "count", "where": "", "whereLanguage": "lucene",
             "groupBy": ["a", "b"], "displayType": "stacked_bar"}
        ]});
        let out = normalize(Api::Oss, &tile, "id");
        assert_eq!(out["config"]["displayType"], "stacked_bar");
        assert_eq!(out["config"]["groupBy"], "a,b");
        assert_eq!(out["config"]["select"][0]["valueExpression"], "");
    }
}
