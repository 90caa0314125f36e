//! HyperDX dashboard files, offline: our own files (every tile kind,
//! filters, containers with tabs) read, turned into documents and written
//! back, equal to the original up to the normalizations the crate
//! documents, and everything the APIs cannot carry reported.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use clickstack::hyperdx::{DashboardFile, Names};
use clickstack::{Dashboard, DashboardDocument, TileConfig};
use serde_json::{Value, json};

fn text(name: &str) -> String {
    let path = format!("{}/tests/data/hyperdx/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

fn fixture(name: &str) -> DashboardFile {
    DashboardFile::from_json(&text(name)).unwrap()
}

/// The file through a document and back, as JSON.
fn round_trip(file: &DashboardFile) -> (Value, Vec<String>) {
    let imported = file.to_document();
    let back = DashboardFile::from_dashboard(&imported.document.0, &Names::ids_as_names());
    let mut losses: Vec<String> = imported.losses.iter().map(ToString::to_string).collect();
    losses.extend(back.losses.iter().map(|l| format!("back: {l}")));
    (serde_json::to_value(&back.file).unwrap(), losses)
}

/// The documented normalization of ids: the APIs assign tile and filter
/// ids, so a document has none, and a file written from it numbers them.
fn renumbered(mut file: Value) -> Value {
    for (i, tile) in file["tiles"].as_array_mut().unwrap().iter_mut().enumerate() {
        tile["id"] = json!(format!("tile-{}", i + 1));
    }
    if let Some(filters) = file["filters"].as_array_mut() {
        for (i, filter) in filters.iter_mut().enumerate() {
            filter["id"] = json!(format!("filter-{}", i + 1));
        }
    }
    file
}

#[test]
fn a_file_of_every_tile_kind_survives_the_round_trip_as_it_is() {
    let file = fixture("checkout.json");
    let kinds: Vec<&str> = file
        .tiles
        .iter()
        .map(|t| t.config.display_type.as_deref().unwrap())
        .collect();
    for kind in [
        "line",
        "stacked_bar",
        "table",
        "number",
        "pie",
        "bar",
        "heatmap",
        "search",
        "event_patterns",
        "markdown",
    ] {
        assert!(kinds.contains(&kind), "the fixture has no {kind} tile");
    }
    let (back, losses) = round_trip(&file);
    assert_eq!(losses, Vec::<String>::new());
    let original: Value = serde_json::from_str(&text("checkout.json")).unwrap();
    assert_eq!(back, renumbered(original));
}

#[test]
fn a_template_style_file_normalizes_as_documented_and_reports_each_loss() {
    let (back, losses) = round_trip(&fixture("runtime.json"));
    let expected: Value = serde_json::from_str(&text("runtime.roundtrip.json")).unwrap();
    assert_eq!(back, expected);
    assert_eq!(
        losses,
        [
            "tile \"Read me\": source is lost: a markdown tile queries no source",
            "tile \"GC pauses\": granularity is lost: the APIs always bucket automatically",
            "tile \"GC pauses\": level 0.75 is lost: the APIs take 0.5, 0.9, 0.95 or 0.99, for quantiles only",
            "tile \"Top spans\": alternateRowBackground is lost: not a field of a tile in the APIs",
            "tile \"Top spans\": limit is lost: a table tile has none in the APIs",
            "tile \"Threads\": select[1..] is lost: this kind charts one series",
            "tile \"Goroutines (PromQL)\" is left out: the APIs have no PromQL tiles (HyperDX's API leaves them out)",
            "savedFilterValues[0] (lucene) is lost: the APIs keep SQL conditions only",
            "description is lost: dashboards have none in the APIs (a template's text)",
        ]
    );
}

#[test]
fn a_document_names_what_the_file_names_for_a_plan_to_resolve() {
    let imported = fixture("checkout.json").to_document();
    let dashboard = &imported.document.0;
    assert_eq!(
        dashboard.source_ids(),
        ["Requests", "App logs", "Runtime metrics"]
    );
    assert_eq!(
        imported.sources.keys().collect::<Vec<_>>(),
        ["App logs", "Requests", "Runtime metrics"]
    );
    assert!(imported.sources.values().all(|s| s.kind.is_none()));
    assert_eq!(dashboard.connection_ids(), ["Local ClickHouse"]);
    assert_eq!(
        imported.connections["Local ClickHouse"].name,
        "Local ClickHouse"
    );
    let runtime = fixture("runtime.json").to_document();
    assert_eq!(runtime.document.0.linked_dashboards(), ["Checkout"]);
    // Containers, tabs and filters are the APIs' own.
    assert_eq!(dashboard.containers.as_ref().unwrap().len(), 2);
    let filters = dashboard.filters.as_ref().unwrap();
    assert_eq!(
        filters[0].applies_to_source_ids.as_deref().unwrap(),
        ["Requests", "App logs"]
    );
    assert_eq!(filters[1].variable_name.as_deref(), Some("region"));
    assert!(filters.iter().all(|f| f.id.is_none()));
    let tile = dashboard.tile_named("Slow routes").unwrap();
    assert_eq!(tile.container_id.as_deref(), Some("drilldown"));
    assert_eq!(tile.tab_id.as_deref(), Some("requests"));
}

#[test]
fn a_chart_condition_is_folded_into_each_series_or_reported() {
    let file = DashboardFile::from_value(json!({
        "version": "0.1.0", "name": "Folds",
        "tiles": [{"id": "a", "x": 0, "y": 0, "w": 6, "h": 3, "config": {
            "name": "Mixed", "displayType": "line", "source": "Logs",
            "where": "ServiceName = 'api'", "whereLanguage": "sql",
            "select": [
                {"aggFn": "count", "valueExpression": "", "aggCondition": "level:error"},
                {"aggFn": "count", "valueExpression": "", "aggCondition": ""}
            ]
        }}]
    }))
    .unwrap();
    let imported = file.to_document();
    let Some(TileConfig::Line(chart)) = &imported.document.0.tiles()[0].config else {
        panic!("not a line");
    };
    let select = chart.select.as_ref().unwrap();
    // A Lucene series condition cannot be joined to a SQL one: the chart's
    // condition goes into every series or none (and is reported once).
    assert_eq!(select[0].where_.as_deref(), Some("level:error"));
    assert_eq!(select[1].where_.as_deref(), Some(""));
    assert_eq!(imported.losses.len(), 1);
    assert_eq!(imported.losses[0].what, "where");
}

#[test]
fn a_dashboard_from_a_deployment_is_written_with_names_and_its_losses() {
    let dashboard: Dashboard = serde_json::from_value(json!({
        "id": "d1", "name": "Cloud board", "tags": [],
        "tiles": [
            {"id": "t1", "name": "Area", "x": 0, "y": 0, "w": 12, "h": 4, "description": "stacked",
             "config": {"displayType": "stacked_line", "sourceId": "s1",
                        "select": [{"aggFn": "count"}], "lineInterpolation": "step"}},
            {"id": "t2", "name": "Open", "x": 12, "y": 0, "w": 12, "h": 4,
             "config": {"displayType": "table", "sourceId": "s1", "select": [{"aggFn": "count"}],
                        "onClick": {"type": "dashboard", "target": {"mode": "id", "id": "gone"}}}},
            {"id": "t3", "name": "Future", "x": 0, "y": 4, "w": 6, "h": 2,
             "config": {"displayType": "gantt", "sourceId": "s1"}}
        ],
        "filters": [
            {"id": "f1", "type": "STATIC_LIST", "name": "Env", "options": ["prod"]},
            {"id": "f2", "type": "QUERY_EXPRESSION", "name": "Svc", "expression": "ServiceName",
             "sourceId": "s1", "appliesToSourceIds": ["s1", "s9"]}
        ]
    }))
    .unwrap();
    let names = Names::strict().source("s1", "Logs");
    let exported = DashboardFile::from_dashboard(&dashboard, &names);
    let losses: Vec<String> = exported.losses.iter().map(ToString::to_string).collect();
    assert_eq!(
        losses,
        [
            "tile \"Area\": displayType stacked_line is lost: HyperDX has no stacked line chart; written as a line",
            "tile \"Area\": lineInterpolation step is lost: HyperDX draws lines one way (Managed ClickStack only)",
            "tile \"Area\": description is lost: HyperDX's tiles have none (Managed ClickStack only)",
            "tile \"Open\": onClick is lost: it opens dashboard gone, which has no name on the deployment (HyperDX's export drops it too)",
            "tile \"Future\" is left out: this crate does not know its kind \"gantt\"",
            "filter \"Env\" is lost: HyperDX's filters are query expressions, not STATIC_LIST",
            "filter \"Svc\" appliesToSourceIds s9 is lost: the deployment has no source with that id",
        ]
    );
    let file = &exported.file;
    assert_eq!(file.tiles.len(), 2);
    assert_eq!(file.tiles[0].id, "t1");
    assert_eq!(file.tiles[0].config.display_type.as_deref(), Some("line"));
    assert_eq!(file.tiles[0].config.source.as_deref(), Some("Logs"));
    assert!(file.tiles[1].config.on_click.is_none());
    assert_eq!(
        file.tags, None,
        "empty tags are left out, as HyperDX's export does"
    );
    let filters = file.filters.as_ref().unwrap();
    assert_eq!(filters.len(), 1);
    assert_eq!(filters[0].id, "f2");
    assert_eq!(
        filters[0].applies_to_source_ids.as_deref().unwrap(),
        ["Logs"]
    );
    assert_eq!(file.check(), Vec::<String>::new());
}

#[test]
fn check_names_what_hyperdx_would_refuse() {
    let file = DashboardFile::from_value(json!({
        "version": "0.1.0", "name": "Broken",
        "containers": [
            {"id": "c", "title": "One", "collapsed": false},
            {"id": "c", "title": "Two", "collapsed": true}
        ],
        "filters": [{"id": "f", "type": "QUERY_EXPRESSION", "name": "Svc", "expression": "ServiceName", "source": ""}],
        "tiles": [
            {"id": "a", "x": 0, "y": 0, "w": 6, "h": 3, "config": {"displayType": "markdown", "markdown": "hi"}},
            {"id": "a", "x": 6, "y": 0, "w": 6, "h": 3, "config": {
                "displayType": "line", "source": "Logs", "where": "",
                "select": [{"aggFn": "quantile", "level": 0.9, "valueExpression": "Duration"}]}},
            {"id": "b", "x": 0, "y": 3, "w": 6, "h": 3, "config": {"configType": "sql", "displayType": "table", "sqlTemplate": "SELECT 1"}}
        ]
    }))
    .unwrap();
    assert_eq!(
        file.check(),
        [
            "tiles[0]: a `source` (\"\" for none) is required",
            "tiles[0]: a `select` ([] for none) is required",
            "tiles[0]: a `where` (\"\" for none) is required",
            "tiles[1]: duplicate tile id \"a\"",
            "tiles[1]: select[0] has a `level` but no `aggCondition`: HyperDX would drop the level (write \"aggCondition\": \"\")",
            "tiles[2]: a `connection` is required",
            "container ids must be unique: \"c\"",
            "filters[0]: `source` is empty",
        ]
    );
}

#[test]
fn a_native_document_is_written_as_a_file_hyperdx_imports() {
    let document = DashboardDocument::from_json(
        r#"{"name": "Native", "tags": ["a"], "tiles": [
            {"name": "Errors", "x": 0, "y": 0, "w": 12, "h": 4,
             "config": {"displayType": "line", "sourceId": "65f5e4a3b9e77c001a111111",
                        "select": [{"aggFn": "quantile", "level": 0.99, "valueExpression": "Duration"}]}}
        ]}"#,
    )
    .unwrap();
    let mut documents = clickstack::Documents::default();
    documents.sources.insert(
        "65f5e4a3b9e77c001a111111".into(),
        clickstack::SourceRef {
            name: "Traces".into(),
            kind: None,
        },
    );
    let exported = DashboardFile::from_dashboard(&document.0, &Names::of_documents(&documents));
    assert!(exported.losses.is_empty());
    let config = &exported.file.tiles[0].config;
    assert_eq!(config.source.as_deref(), Some("Traces"));
    // `aggCondition` is written, or HyperDX's schema drops the level.
    let json = serde_json::to_value(config).unwrap();
    assert_eq!(json["select"][0]["aggCondition"], "");
    assert_eq!(json["select"][0]["level"], 0.99);
    assert_eq!(exported.file.check(), Vec::<String>::new());
}

/// The losses of one tile of kind `config` (a HyperDX chart config).
fn tile_losses(config: &Value) -> (Option<TileConfig>, Vec<String>) {
    let file = DashboardFile::from_value(json!({
        "version": "0.1.0", "name": "One",
        "tiles": [{"id": "a", "x": 0, "y": 0, "w": 6, "h": 3, "config": config}]
    }))
    .unwrap();
    let imported = file.to_document();
    let config = imported
        .document
        .0
        .tiles()
        .first()
        .and_then(|t| t.config.clone());
    let losses = imported.losses.iter().map(|l| l.what.clone()).collect();
    (config, losses)
}

#[test]
fn each_kind_keeps_what_the_apis_hold_and_reports_the_rest() {
    // A pie with formulas: the APIs chart one series and no formula.
    let (config, losses) = tile_losses(&json!({
        "name": "Pie", "displayType": "pie", "source": "Logs", "where": "",
        "select": [
            {"aggFn": "count", "valueExpression": "", "aggCondition": ""},
            {"aggFn": "count", "valueExpression": "", "aggCondition": "level:error"}
        ],
        "formulas": [{"expression": "B / A"}], "seriesReturnType": "ratio"
    }));
    assert_eq!(losses, ["formulas", "seriesReturnType", "select[1..]"]);
    let Some(TileConfig::Pie(pie)) = config else {
        panic!()
    };
    assert_eq!(pie.select.as_ref().unwrap().len(), 1);
    assert!(pie.formulas.is_none());

    // A number: no grouping, no operand series, one formula.
    let (config, losses) = tile_losses(&json!({
        "name": "N", "displayType": "number", "source": "Logs", "where": "",
        "select": [{"aggFn": "count", "valueExpression": "", "aggCondition": ""}],
        "groupBy": "ServiceName", "showOperandSeries": true,
        "formulas": [{"expression": "A"}, {"expression": "A * 2"}],
        "colorRules": [{"operator": "gt", "value": 1, "color": "chart-9"},
                       {"operator": "gt", "value": 2, "color": "ultraviolet"}]
    }));
    assert_eq!(
        losses,
        [
            "groupBy",
            "showOperandSeries",
            "formulas[1..]",
            "colorRules (gt, ultraviolet)"
        ]
    );
    let Some(TileConfig::Number(number)) = config else {
        panic!()
    };
    assert!(number.group_by.is_none());
    assert_eq!(number.formulas.as_ref().unwrap().len(), 1);
    assert_eq!(
        number.color_rules.as_ref().unwrap()[0]["color"],
        "chart-brown"
    );

    // A search: columns and a condition, nothing else.
    let (_, losses) = tile_losses(&json!({
        "name": "S", "displayType": "search", "source": "Logs", "select": "Body",
        "where": "level:error", "groupBy": "ServiceName", "numberFormat": {"output": "number"}
    }));
    assert_eq!(losses, ["groupBy", "numberFormat"]);

    // Markdown: its text only.
    let (_, losses) = tile_losses(&json!({
        "name": "M", "displayType": "markdown", "source": "", "select": [],
        "where": "level:error", "markdown": "hi"
    }));
    assert_eq!(losses, ["where"]);

    // Raw SQL: a fill value other than 0 or none.
    let (_, losses) = tile_losses(&json!({
        "name": "R", "configType": "sql", "displayType": "line", "connection": "c",
        "sqlTemplate": "SELECT 1", "fillNulls": 7
    }));
    assert_eq!(losses, ["fillNulls"]);

    // Columns on a chart become a count, which takes the chart's
    // condition; without series, the condition has nowhere to go.
    let (config, losses) = tile_losses(&json!({
        "name": "L", "displayType": "line", "source": "Logs", "select": "Body",
        "where": "level:error", "whereLanguage": "lucene"
    }));
    assert_eq!(losses, ["select"]);
    let Some(TileConfig::Line(line)) = config else {
        panic!()
    };
    assert_eq!(
        line.select.as_ref().unwrap()[0].where_.as_deref(),
        Some("level:error")
    );
    let (_, losses) = tile_losses(&json!({
        "name": "L", "displayType": "line", "source": "Logs", "select": [],
        "where": "level:error"
    }));
    assert_eq!(losses, ["where"]);
}

#[test]
fn check_refuses_what_hyperdx_schema_refuses_in_charts() {
    let file = DashboardFile::from_value(json!({
        "version": "0.1.0", "name": "Charts",
        "tiles": [{"id": "a", "x": 0, "y": 0, "w": 6, "h": 3, "config": {
            "displayType": "number", "source": "Logs", "where": "", "granularity": "5m",
            "color": "chart-3",
            "select": [{"aggFn": "count", "valueExpression": "", "aggCondition": ""}],
            "colorRules": [{"operator": "gt", "value": 1, "color": "chart-3"}]
        }}]
    }))
    .unwrap();
    assert_eq!(
        file.check(),
        [
            "tiles[0]: granularity \"5m\" is neither `auto` nor an interval such as \"5 minute\"",
            "tiles[0]: colorRules[0] color \"chart-3\" is not a palette token (HyperDX rewrites legacy tokens in a tile's color only)",
        ]
    );
}
