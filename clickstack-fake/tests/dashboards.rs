//! Dashboards through the HyperDX API: normalizations, PUT semantics, ids,
//! validation messages, reference checks, cascades.

// Test helpers outside `#[test]` functions unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use clickstack_fake::FakeServer;
use common::{Api, MISSING, id, line_tile, markdown_tile};
use serde_json::{Value, json};

fn is_object_id(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| s.len() == 24 && s.chars().all(|c| c.is_ascii_hexdigit()))
}

async fn setup() -> (FakeServer, Api, String) {
    let fake = FakeServer::start().await.unwrap();
    let source = fake.seed_log_source("Logs");
    let hx = Api::hyperdx(&fake);
    (fake, hx, source)
}

#[tokio::test]
async fn create_returns_the_normalized_dashboard() {
    let (_fake, hx, source) = setup().await;
    let mut tile = line_tile("Requests", &source);
    tile["id"] = json!("my-tile");
    let created = hx
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [tile], "tags": ["b", "a", "b"], "unknown": 1}),
        )
        .await;
    assert!(is_object_id(&created["id"]));
    // Tile ids are always regenerated on POST.
    assert!(is_object_id(&created["tiles"][0]["id"]));
    assert_ne!(created["tiles"][0]["id"], "my-tile");
    assert_eq!(created["tags"], json!(["b", "a"]));
    assert_eq!(created["filters"], json!([]));
    assert_eq!(created["savedQuery"], Value::Null);
    assert_eq!(created["savedQueryLanguage"], Value::Null);
    assert_eq!(created["savedFilterValues"], json!([]));
    assert!(created.get("containers").is_none());
    assert!(created.get("unknown").is_none());
    assert_eq!(
        created["tiles"][0]["config"],
        json!({
            "displayType": "line", "sourceId": source, "asRatio": false, "fillNulls": true,
            "select": [{"aggFn": "count", "valueExpression": "", "where": "", "whereLanguage": "lucene"}],
        })
    );
}

#[tokio::test]
async fn get_of_an_unknown_dashboard_is_404_text_not_found() {
    let (_fake, hx, _) = setup().await;
    let reply = hx.get(&format!("/dashboards/{MISSING}")).await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.text, "Not Found");
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
}

#[tokio::test]
async fn delete_of_an_unknown_dashboard_is_200_empty_object() {
    let (fake, hx, _) = setup().await;
    let reply = hx.delete(&format!("/dashboards/{MISSING}")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json, json!({}));
    assert_eq!(fake.writes().delete, 0);
}

#[tokio::test]
async fn list_is_sorted_by_name_descending_without_meta() {
    let (_fake, hx, _) = setup().await;
    for name in ["b", "c", "a"] {
        hx.create(
            "/dashboards",
            &json!({"name": name, "tiles": [markdown_tile("m")]}),
        )
        .await;
    }
    let reply = hx.get("/dashboards?limit=1").await;
    let names: Vec<&str> = reply
        .data()
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["c", "b", "a"]);
    assert!(reply.json.get("meta").is_none());
}

#[tokio::test]
async fn put_keeps_omitted_fields_and_clears_explicit_empties() {
    let (_fake, hx, source) = setup().await;
    let body = json!({
        "name": "D", "tiles": [markdown_tile("m")], "tags": ["t"],
        "filters": [{"type": "QUERY_EXPRESSION", "name": "Env", "expression": "env", "sourceId": source}],
        "savedQuery": "level:error",
        "savedFilterValues": [{"condition": "a IN ('b')"}],
        "containers": [{"id": "c", "title": "C", "collapsed": false}],
    });
    let created = hx.create("/dashboards", &body).await;
    assert_eq!(created["savedQueryLanguage"], "lucene");
    assert_eq!(
        created["savedFilterValues"],
        json!([{"type": "sql", "condition": "a IN ('b')"}])
    );
    let path = format!("/dashboards/{}", id(&created));
    let kept = hx
        .put(&path, &json!({"name": "D2", "tiles": [markdown_tile("m")]}))
        .await;
    assert_eq!(kept.status, 200, "{}", kept.text);
    let kept = kept.data();
    assert_eq!(kept["name"], "D2");
    for key in [
        "tags",
        "filters",
        "savedQuery",
        "savedQueryLanguage",
        "savedFilterValues",
        "containers",
    ] {
        assert_eq!(kept[key], created[key], "{key} kept");
    }
    let cleared = hx
        .put(
            &path,
            &json!({"name": "D2", "tiles": [markdown_tile("m")], "tags": [], "filters": [],
                    "savedQuery": null, "savedFilterValues": [], "containers": []}),
        )
        .await;
    let cleared = cleared.data();
    assert_eq!(cleared["tags"], json!([]));
    assert_eq!(cleared["filters"], json!([]));
    assert_eq!(cleared["savedQuery"], Value::Null);
    assert_eq!(cleared["savedQueryLanguage"], Value::Null);
    assert_eq!(cleared["savedFilterValues"], json!([]));
    assert!(cleared.get("containers").is_none());
}

#[tokio::test]
async fn null_arrays_are_rejected() {
    let (_fake, hx, _) = setup().await;
    let reply = hx
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [], "tags": null}),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.message(),
        "Body validation failed: tags: Expected array, received null"
    );
}

#[tokio::test]
async fn put_keeps_tile_ids_only_when_they_match() {
    let (_fake, hx, _) = setup().await;
    let created = hx
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [markdown_tile("a"), markdown_tile("b")]}),
        )
        .await;
    let first = created["tiles"][0]["id"].clone();
    let mut kept = markdown_tile("a");
    kept["id"] = first.clone();
    let mut foreign = markdown_tile("c");
    foreign["id"] = json!("not-a-stored-tile");
    let updated = hx
        .put(
            &format!("/dashboards/{}", id(&created)),
            &json!({"name": "D", "tiles": [kept, foreign]}),
        )
        .await;
    let tiles = updated.data()["tiles"].as_array().unwrap().clone();
    assert_eq!(tiles[0]["id"], first);
    assert!(is_object_id(&tiles[1]["id"]));
    assert_ne!(tiles[1]["id"], created["tiles"][1]["id"]);
}

#[tokio::test]
async fn filter_ids_are_assigned_on_post_and_matched_on_put() {
    let (_fake, hx, source) = setup().await;
    let filter =
        json!({"type": "QUERY_EXPRESSION", "name": "Env", "expression": "env", "sourceId": source});
    let mut with_id = filter.clone();
    with_id["id"] = json!("f1");
    let reply = hx
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [], "filters": [with_id]}),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.message(),
        "Body validation failed: filters.0: Unrecognized key(s) in object: 'id'"
    );
    let created = hx
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [], "filters": [filter]}),
        )
        .await;
    let stored_id = created["filters"][0]["id"].clone();
    assert!(is_object_id(&stored_id));
    let path = format!("/dashboards/{}", id(&created));
    let reply = hx
        .put(
            &path,
            &json!({"name": "D", "tiles": [], "filters": [filter]}),
        )
        .await;
    assert_eq!(
        reply.message(),
        "Body validation failed: filters.0.id: Required"
    );
    let mut same = filter.clone();
    same["id"] = stored_id.clone();
    let mut other = filter.clone();
    other["id"] = json!(MISSING);
    other["name"] = json!("Env2");
    let updated = hx
        .put(
            &path,
            &json!({"name": "D", "tiles": [], "filters": [same, other]}),
        )
        .await;
    let filters = updated.data()["filters"].clone();
    assert_eq!(filters[0]["id"], stored_id);
    assert!(is_object_id(&filters[1]["id"]));
    assert_ne!(filters[1]["id"], MISSING);
}

#[tokio::test]
async fn filter_fields_follow_their_modes() {
    let (_fake, hx, source) = setup().await;
    let created = hx
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [], "filters": [{
                "type": "QUERY_EXPRESSION", "name": "Env", "expression": "env", "sourceId": source,
                "isBroadcastEnabled": false, "isVariableEnabled": true, "variableName": "env",
                "appliesToSourceIds": []
            }]}),
        )
        .await;
    let filter = &created["filters"][0];
    assert_eq!(filter["variableName"], "env");
    assert!(filter.get("appliesToSourceIds").is_none());
    let reply = hx
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [], "filters": [{
                "type": "QUERY_EXPRESSION", "name": "Env", "expression": "env", "sourceId": source,
                "variableName": "env"
            }]}),
        )
        .await;
    assert_eq!(
        reply.message(),
        "Body validation failed: filters.0.variableName: Filter \"Env\" sets variableName but is not \
         available as a variable; set isVariableEnabled to true or drop variableName"
    );
}

#[tokio::test]
async fn saved_query_language_rules() {
    let (_fake, hx, _) = setup().await;
    let reply = hx
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [], "savedQuery": "x", "savedQueryLanguage": null}),
        )
        .await;
    assert_eq!(
        reply.message(),
        "Body validation failed: savedQueryLanguage: savedQueryLanguage cannot be null when savedQuery is provided"
    );
    let created = hx
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [], "savedQuery": "x = 1", "savedQueryLanguage": "sql"}),
        )
        .await;
    assert_eq!(created["savedQueryLanguage"], "sql");
    let path = format!("/dashboards/{}", id(&created));
    // A new query without a language resets it to lucene.
    let updated = hx
        .put(&path, &json!({"name": "D", "tiles": [], "savedQuery": "y"}))
        .await;
    assert_eq!(updated.data()["savedQueryLanguage"], "lucene");
    let updated = hx
        .put(
            &path,
            &json!({"name": "D", "tiles": [], "savedQueryLanguage": null}),
        )
        .await;
    assert_eq!(updated.data()["savedQueryLanguage"], Value::Null);
    assert_eq!(updated.data()["savedQuery"], "y");
}

#[tokio::test]
async fn tile_validation_messages() {
    let (_fake, hx, source) = setup().await;
    let cases = [
        (
            json!({"name": "t", "x": 24, "y": 0, "w": 1, "h": 1, "config": {"displayType": "markdown"}}),
            "Body validation failed: tiles.0.x: Number must be less than or equal to 23",
        ),
        (
            json!({"name": "t", "x": 0, "y": 0, "w": 1, "h": 1}),
            "Body validation failed: tiles.0: Tile must have either series or config",
        ),
        (
            json!({"name": "t", "x": 0, "y": 0, "w": 1, "h": 1, "config": {"displayType": "gauge"}}),
            "Body validation failed: tiles.0.config.displayType: Invalid discriminator value. Expected \
             'line' | 'stacked_bar' | 'table' | 'number' | 'pie' | 'bar' | 'heatmap' | 'search' | \
             'event_patterns' | 'markdown'",
        ),
        (
            json!({"name": "t", "x": 0, "y": 0, "w": 1, "h": 1, "config": {"displayType": "line",
                   "sourceId": source, "select": [{"aggFn": "count", "valueExpression": "x"}]}}),
            "Body validation failed: tiles.0.config.select.0: Value expression cannot be used with count aggregation function",
        ),
        (
            json!({"name": "t", "x": 0, "y": 0, "w": 1, "h": 1, "config": {"displayType": "line",
                   "sourceId": source, "select": [{"aggFn": "sum"}]}}),
            "Body validation failed: tiles.0.config.select.0: Value expression is required for non-count aggregation functions",
        ),
        (
            json!({"name": "t", "x": 0, "y": 0, "w": 1, "h": 1, "config": {"displayType": "line",
                   "sourceId": source, "select": [{"aggFn": "avg", "valueExpression": "d", "level": 0.5}]}}),
            "Body validation failed: tiles.0.config.select.0: Level can only be used with quantile aggregation function",
        ),
        (
            json!({"name": "t", "x": 0, "y": 0, "w": 1, "h": 1, "config": {"displayType": "number",
                   "sourceId": source, "select": [{"aggFn": "count"}, {"aggFn": "count"}]}}),
            "Body validation failed: tiles.0.config.select: Number tiles support a single select item \
             unless formulas are used (extra items are formula operands)",
        ),
        (
            json!({"name": "t", "x": 0, "y": 0, "w": 1, "h": 1, "tabId": "x",
                   "config": {"displayType": "markdown"}}),
            "tiles.0.tabId: tabId requires containerId to be set",
        ),
    ];
    for (tile, message) in cases {
        let reply = hx
            .post("/dashboards", &json!({"name": "D", "tiles": [tile]}))
            .await;
        assert_eq!(reply.status, 400);
        assert_eq!(reply.message(), message);
    }
    // A type error is serde's message at the exact path.
    let reply = hx
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [{"name": "t", "x": 0, "y": 0, "w": "wide", "h": 1,
                                           "config": {"displayType": "markdown"}}]}),
        )
        .await;
    assert!(
        reply
            .message()
            .starts_with("Body validation failed: tiles.0.w: invalid type: string \"wide\""),
        "{}",
        reply.message()
    );
    let mut a = markdown_tile("a");
    a["id"] = json!("same");
    let reply = hx
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [a.clone(), a]}),
        )
        .await;
    assert_eq!(
        reply.message(),
        "Body validation failed: tiles.1.id: Duplicate tile ID: same. Omit the ID to generate a unique one."
    );
}

#[tokio::test]
async fn referenced_sources_must_exist() {
    let (_fake, hx, _) = setup().await;
    let other = "65f5e4a3b9e77c001a888888";
    let reply = hx
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [line_tile("a", MISSING), line_tile("b", other), line_tile("c", MISSING)]}),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json,
        json!({"message": format!("Could not find the following source IDs: {MISSING}, {other}")})
    );
}

#[tokio::test]
async fn heatmap_tiles_need_a_trace_source() {
    let (fake, hx, logs) = setup().await;
    let traces = fake.seed_source(&common::trace_source("Traces")).unwrap();
    let heatmap = |source: &str| {
        json!({"name": "h", "x": 0, "y": 0, "w": 6, "h": 3, "config": {
            "displayType": "heatmap", "sourceId": source, "select": [{"valueExpression": "Duration"}]}})
    };
    let reply = hx
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [heatmap(&logs)]}),
        )
        .await;
    assert_eq!(
        reply.message(),
        format!(
            "Heatmap tiles require a Trace source. The following source IDs are not Trace sources: {logs}"
        )
    );
    let created = hx
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [heatmap(&traces)]}),
        )
        .await;
    assert_eq!(
        created["tiles"][0]["config"],
        json!({"displayType": "heatmap", "sourceId": traces, "select": [{"valueExpression": "Duration"}],
               "where": "", "whereLanguage": "lucene"})
    );
}

#[tokio::test]
async fn raw_sql_tiles_need_an_existing_connection() {
    let (_fake, hx, _) = setup().await;
    let sql = |connection: &str| {
        json!({"name": "s", "x": 0, "y": 0, "w": 6, "h": 3, "config": {
            "configType": "sql", "displayType": "line", "connectionId": connection,
            "sqlTemplate": "SELECT 1"}})
    };
    let reply = hx
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [sql(MISSING)]}),
        )
        .await;
    assert_eq!(
        reply.message(),
        format!("Could not find the following connection IDs: {MISSING}")
    );
    let created = hx
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [sql(FakeServer::DEFAULT_CONNECTION_ID)]}),
        )
        .await;
    assert_eq!(
        created["tiles"][0]["config"],
        json!({"configType": "sql", "displayType": "line", "connectionId": FakeServer::DEFAULT_CONNECTION_ID,
               "sqlTemplate": "SELECT 1", "fillNulls": true})
    );
}

#[tokio::test]
async fn container_references_and_structure() {
    let (_fake, hx, _) = setup().await;
    let mut tile = markdown_tile("m");
    tile["containerId"] = json!("c");
    let reply = hx
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [tile.clone()]}),
        )
        .await;
    assert_eq!(
        reply.message(),
        "tiles.0.containerId: Tile references unknown containerId \"c\""
    );
    let container = json!({"id": "c", "title": "C", "collapsed": false});
    let reply = hx
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [], "containers": [container.clone(), container.clone()]}),
        )
        .await;
    assert_eq!(
        reply.message(),
        "Body validation failed: containers.1.id: Container IDs must be unique: \"c\""
    );
    let created = hx
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [tile], "containers": [container]}),
        )
        .await;
    assert_eq!(created["tiles"][0]["containerId"], "c");
    // A PUT without containers resolves tiles against the stored ones.
    let mut again = markdown_tile("m");
    again["containerId"] = json!("c");
    let reply = hx
        .put(
            &format!("/dashboards/{}", id(&created)),
            &json!({"name": "D", "tiles": [again]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test]
async fn validate_always_answers_200() {
    let (_fake, hx, source) = setup().await;
    let reply = hx.post("/dashboards/validate", &json!({"tiles": []})).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json,
        json!({"valid": false, "errors": [{"path": "name", "message": "Required"}], "normalized": null})
    );
    let reply = hx
        .post(
            "/dashboards/validate",
            &json!({"name": "D", "tiles": [line_tile("a", MISSING)]}),
        )
        .await;
    assert_eq!(
        reply.json["errors"],
        json!([{"path": "", "message": format!("Could not find the following source IDs: {MISSING}")}])
    );
    let body = json!({"name": "D", "tiles": [line_tile("a", &source)]});
    let reply = hx.post("/dashboards/validate", &body).await;
    assert_eq!(reply.json["valid"], true);
    assert_eq!(reply.json["errors"], json!([]));
    assert_eq!(reply.json["normalized"]["name"], "D");
    // Nothing was stored.
    assert_eq!(hx.get("/dashboards").await.data(), &json!([]));
}

#[tokio::test]
async fn put_checks_schema_then_existence_then_references() {
    let (_fake, hx, _) = setup().await;
    let path = format!("/dashboards/{MISSING}");
    let reply = hx.put(&path, &json!({"name": "D"})).await;
    assert_eq!(reply.status, 400);
    let reply = hx
        .put(
            &path,
            &json!({"name": "D", "tiles": [line_tile("a", MISSING)]}),
        )
        .await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.text, "Not Found");
}

#[tokio::test]
async fn deleting_a_dashboard_or_removing_a_tile_deletes_its_alerts() {
    let (_fake, hx, source) = setup().await;
    let hook = hx.create("/webhooks", &common::webhook("w")).await;
    let dashboard = hx
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [line_tile("a", &source), line_tile("b", &source)]}),
        )
        .await;
    let alert = |tile: &Value| {
        json!({"source": "tile", "dashboardId": id(&dashboard), "tileId": tile["id"],
               "threshold": 1, "interval": "5m", "thresholdType": "above",
               "channel": {"type": "webhook", "webhookId": id(&hook)}})
    };
    let on_a = hx.create("/alerts", &alert(&dashboard["tiles"][0])).await;
    let on_b = hx.create("/alerts", &alert(&dashboard["tiles"][1])).await;
    let mut keep = line_tile("b", &source);
    keep["id"] = dashboard["tiles"][1]["id"].clone();
    hx.put(
        &format!("/dashboards/{}", id(&dashboard)),
        &json!({"name": "D", "tiles": [keep]}),
    )
    .await;
    assert_eq!(hx.get(&format!("/alerts/{}", id(&on_a))).await.status, 404);
    assert_eq!(hx.get(&format!("/alerts/{}", id(&on_b))).await.status, 200);
    hx.delete(&format!("/dashboards/{}", id(&dashboard))).await;
    assert_eq!(hx.get(&format!("/alerts/{}", id(&on_b))).await.status, 404);
}

#[tokio::test]
async fn legacy_series_tiles_come_back_as_configs() {
    let (_fake, hx, source) = setup().await;
    let created = hx
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [{"name": "t", "x": 0, "y": 0, "w": 6, "h": 3, "series": [{
                "type": "time", "sourceId": source, "aggFn": "count", "where": "", "whereLanguage": "lucene",
                "groupBy": ["ServiceName"]}]}]}),
        )
        .await;
    assert_eq!(
        created["tiles"][0]["config"],
        json!({"displayType": "line", "sourceId": source, "asRatio": false, "fillNulls": true,
               "groupBy": "ServiceName",
               "select": [{"aggFn": "count", "valueExpression": "", "where": "", "whereLanguage": "lucene"}]})
    );
}

#[tokio::test]
async fn quantile_levels_are_numbers() {
    let (_fake, hx, source) = setup().await;
    let tile = |level: Value| {
        json!({"name": "p", "x": 0, "y": 0, "w": 6, "h": 3, "config": {"displayType": "number",
               "sourceId": source, "select": [{"aggFn": "quantile", "valueExpression": "Duration", "level": level}]}})
    };
    let created = hx
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [tile(json!(0.95))]}),
        )
        .await;
    assert_eq!(created["tiles"][0]["config"]["select"][0]["level"], 0.95);
    let reply = hx
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [tile(json!("0.95"))]}),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert!(
        reply.message().starts_with(
            "Body validation failed: tiles.0.config.select.0.level: invalid type: string"
        ),
        "{}",
        reply.message()
    );
    let reply = hx
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [tile(json!(0.7))]}),
        )
        .await;
    assert_eq!(
        reply.message(),
        "Body validation failed: tiles.0.config.select.0.level: Invalid input"
    );
}

#[tokio::test]
async fn a_dashboard_read_back_and_applied_again_is_unchanged() {
    let (fake, hx, source) = setup().await;
    let traces = fake.seed_source(&common::trace_source("Traces")).unwrap();
    let tiles = json!([
        line_tile("line", &source),
        {"name": "bar", "x": 6, "y": 0, "w": 6, "h": 3, "config": {"displayType": "stacked_bar",
            "sourceId": source, "groupBy": "ServiceName", "fitYAxisToData": true,
            "select": [{"aggFn": "avg", "valueExpression": "Duration", "alias": "avg"}]}},
        {"name": "table", "x": 0, "y": 3, "w": 12, "h": 4, "config": {"displayType": "table",
            "sourceId": source, "orderBy": "count DESC",
            "select": [{"aggFn": "count"}, {"aggFn": "count_distinct", "valueExpression": "TraceId"}]}},
        {"name": "number", "x": 0, "y": 7, "w": 3, "h": 2, "config": {"displayType": "number",
            "sourceId": source, "select": [{"aggFn": "sum", "valueExpression": "Bytes",
            "periodAggFn": "delta", "where": "a:b", "whereLanguage": "sql"}]}},
        {"name": "pie", "x": 3, "y": 7, "w": 3, "h": 2, "config": {"displayType": "pie",
            "sourceId": source, "groupBy": "ServiceName", "limit": 5, "select": [{"aggFn": "count"}]}},
        {"name": "heat", "x": 6, "y": 7, "w": 6, "h": 3, "config": {"displayType": "heatmap",
            "sourceId": traces, "select": [{"valueExpression": "Duration", "heatmapScaleType": "log"}]}},
        {"name": "search", "x": 0, "y": 10, "w": 12, "h": 4, "config": {"displayType": "search",
            "sourceId": source, "select": "Timestamp, Body", "whereLanguage": "lucene"}},
        {"name": "patterns", "x": 0, "y": 14, "w": 12, "h": 4, "config": {"displayType": "event_patterns",
            "sourceId": source}},
        markdown_tile("notes"),
        {"name": "sql", "x": 0, "y": 18, "w": 6, "h": 3, "config": {"configType": "sql",
            "displayType": "number", "connectionId": FakeServer::DEFAULT_CONNECTION_ID,
            "sqlTemplate": "SELECT 1", "sourceId": source}},
    ]);
    let created = hx
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": tiles, "tags": ["x"], "savedQuery": "level:error",
                    "filters": [{"type": "QUERY_EXPRESSION", "name": "Env", "expression": "env", "sourceId": source}],
                    "savedFilterValues": [{"condition": "env IN ('prod')"}],
                    "containers": [{"id": "c", "title": "C", "collapsed": true}]}),
        )
        .await;
    let read = hx.get(&format!("/dashboards/{}", id(&created))).await;
    assert_eq!(read.data(), &created);
    let mut body = created.clone();
    body.as_object_mut().unwrap().remove("id");
    let again = hx
        .put(&format!("/dashboards/{}", id(&created)), &body)
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.data(), &created);
    // The same document through Cloud is accepted unchanged too.
    let cloud = Api::cloud(&fake);
    let reply = cloud
        .put(&format!("/dashboards/{}", id(&created)), &body)
        .await;
    assert_eq!(reply.json["result"], created);
}
