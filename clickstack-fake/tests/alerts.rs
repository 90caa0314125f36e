//! Alerts through the HyperDX API: the returned shape, validation, the
//! reference checks, PUT as a full rebuild, 404s and pagination.

// Test helpers outside `#[test]` functions unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use clickstack_fake::FakeServer;
use common::{Api, MISSING, id};
use serde_json::{Value, json};

struct Fixture {
    _fake: FakeServer,
    hx: Api,
    search: String,
    hook: String,
}

async fn setup() -> Fixture {
    let fake = FakeServer::start().await.unwrap();
    let source = fake.seed_log_source("Logs");
    let hx = Api::hyperdx(&fake);
    let search = id(&hx
        .create("/saved-searches", &common::saved_search("Errors", &source))
        .await);
    let hook = id(&hx.create("/webhooks", &common::webhook("Hook")).await);
    Fixture {
        _fake: fake,
        hx,
        search,
        hook,
    }
}

fn alert(search: &str, hook: &str) -> Value {
    json!({
        "source": "saved_search", "savedSearchId": search,
        "threshold": 5, "interval": "5m", "thresholdType": "above",
        "channel": {"type": "webhook", "webhookId": hook},
    })
}

#[tokio::test]
async fn create_returns_nulls_mirrored_channels_and_server_fields() {
    let f = setup().await;
    let created = f.hx.create("/alerts", &alert(&f.search, &f.hook)).await;
    for key in ["name", "message", "note", "numConsecutiveWindows"] {
        assert_eq!(created[key], Value::Null, "{key}");
    }
    let channel = json!({"type": "webhook", "webhookId": f.hook});
    assert_eq!(created["channel"], channel);
    assert_eq!(created["channels"], json!([channel]));
    assert_eq!(created["state"], "OK");
    assert_eq!(created["teamId"], FakeServer::TEAM_ID);
    assert_eq!(created["source"], "saved_search");
    assert_eq!(created["savedSearchId"], f.search.as_str());
    for key in ["thresholdMax", "tileId", "dashboardId", "groupBy"] {
        assert!(created.get(key).is_none(), "{key}");
    }
    assert!(created["createdAt"].as_str().unwrap().ends_with('Z'));
    // `channels` alone is mirrored into `channel`.
    let mut body = alert(&f.search, &f.hook);
    body.as_object_mut().unwrap().remove("channel");
    body["channels"] = json!([channel]);
    let created = f.hx.create("/alerts", &body).await;
    assert_eq!(created["channel"], channel);
}

#[tokio::test]
async fn between_needs_threshold_max() {
    let f = setup().await;
    let mut body = alert(&f.search, &f.hook);
    body["thresholdType"] = json!("between");
    let reply = f.hx.post("/alerts", &body).await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json,
        json!({"message": "Body validation failed: thresholdMax: thresholdMax is required for between/not_between threshold types"})
    );
    body["thresholdMax"] = json!(1);
    assert_eq!(
        f.hx.post("/alerts", &body).await.message(),
        "Body validation failed: thresholdMax: thresholdMax must be greater than or equal to threshold"
    );
    body["thresholdMax"] = json!(10);
    let created = f.hx.create("/alerts", &body).await;
    assert_eq!(created["thresholdMax"], 10);
}

#[tokio::test]
async fn schema_messages() {
    let f = setup().await;
    let mut body = alert(&f.search, &f.hook);
    body["interval"] = json!("2m");
    assert_eq!(
        f.hx.post("/alerts", &body).await.message(),
        "Body validation failed: interval: Invalid enum value. Received '2m'"
    );
    let mut body = alert(&f.search, &f.hook);
    body.as_object_mut().unwrap().remove("threshold");
    assert_eq!(
        f.hx.post("/alerts", &body).await.message(),
        "Body validation failed: threshold: Required"
    );
    let mut body = alert(&f.search, &f.hook);
    body.as_object_mut().unwrap().remove("channel");
    assert_eq!(
        f.hx.post("/alerts", &body).await.message(),
        "Body validation failed: channels: Provide either \"channel\" or \"channels\""
    );
    let mut body = alert(&f.search, &f.hook);
    body["channels"] = json!([{"type": "webhook", "webhookId": MISSING}]);
    assert_eq!(
        f.hx.post("/alerts", &body).await.message(),
        "Body validation failed: channels: When both \"channel\" and \"channels\" are provided, \
         \"channel\" must match the first entry of \"channels\""
    );
    let mut body = alert(&f.search, &f.hook);
    body["scheduleOffsetMinutes"] = json!(5);
    assert_eq!(
        f.hx.post("/alerts", &body).await.message(),
        "Body validation failed: scheduleOffsetMinutes: scheduleOffsetMinutes must be less than 5 minutes"
    );
    // The source union fails as a whole: without its id, or without `source`.
    for key in ["savedSearchId", "source"] {
        let mut body = alert(&f.search, &f.hook);
        body.as_object_mut().unwrap().remove(key);
        assert_eq!(
            f.hx.post("/alerts", &body).await.message(),
            "Body validation failed: Invalid input",
            "without {key}"
        );
    }
}

#[tokio::test]
async fn references_must_exist() {
    let f = setup().await;
    let cases = [
        (json!({"savedSearchId": MISSING}), "Saved search not found"),
        (json!({"savedSearchId": "nope"}), "Invalid saved search ID"),
        (
            json!({"channel": {"type": "webhook", "webhookId": MISSING}}),
            "Webhook not found",
        ),
        (
            json!({"channel": {"type": "webhook", "webhookId": "nope"}}),
            "Invalid webhook ID",
        ),
        (
            json!({"source": "tile", "dashboardId": MISSING, "tileId": "t"}),
            "Dashboard not found",
        ),
        (
            json!({"source": "tile", "dashboardId": "nope", "tileId": "t"}),
            "Invalid dashboard ID",
        ),
    ];
    for (patch, message) in cases {
        let mut body = alert(&f.search, &f.hook);
        body.as_object_mut()
            .unwrap()
            .extend(patch.as_object().unwrap().clone());
        let reply = f.hx.post("/alerts", &body).await;
        assert_eq!(reply.status, 400, "{message}");
        assert_eq!(reply.json, json!({"message": message}));
    }
    let dashboard =
        f.hx.create(
            "/dashboards",
            &json!({"name": "D", "tiles": [common::markdown_tile("m")]}),
        )
        .await;
    let mut body = alert(&f.search, &f.hook);
    body["source"] = json!("tile");
    body["dashboardId"] = json!(id(&dashboard));
    body["tileId"] = json!("not-a-tile");
    assert_eq!(
        f.hx.post("/alerts", &body).await.message(),
        "Tile not found"
    );
}

#[tokio::test]
async fn put_rebuilds_the_alert() {
    let f = setup().await;
    let mut body = alert(&f.search, &f.hook);
    body["name"] = json!("High errors");
    body["message"] = json!("Look");
    body["note"] = json!("Runbook");
    body["groupBy"] = json!("ServiceName");
    body["numConsecutiveWindows"] = json!(2);
    let created = f.hx.create("/alerts", &body).await;
    assert_eq!(created["groupBy"], "ServiceName");
    let reply =
        f.hx.put(
            &format!("/alerts/{}", id(&created)),
            &alert(&f.search, &f.hook),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let updated = reply.data();
    for key in ["name", "message", "note", "numConsecutiveWindows"] {
        assert_eq!(updated[key], Value::Null, "{key}");
    }
    assert!(updated.get("groupBy").is_none());
    assert_eq!(updated["id"], created["id"]);
    assert_eq!(updated["createdAt"], created["createdAt"]);
}

#[tokio::test]
async fn unknown_alerts_are_404_alert_not_found() {
    let f = setup().await;
    let path = format!("/alerts/{MISSING}");
    for reply in [
        f.hx.get(&path).await,
        f.hx.delete(&path).await,
        f.hx.put(&path, &alert(&f.search, &f.hook)).await,
    ] {
        assert_eq!(reply.status, 404);
        assert_eq!(reply.json, json!({"message": "Alert not found"}));
    }
}

#[tokio::test]
async fn list_is_paginated_with_meta_and_total_header() {
    let f = setup().await;
    for _ in 0..3 {
        f.hx.create("/alerts", &alert(&f.search, &f.hook)).await;
    }
    let reply = f.hx.get("/alerts?limit=2&offset=1").await;
    assert_eq!(reply.data().as_array().unwrap().len(), 2);
    assert_eq!(
        reply.json["meta"],
        json!({"total": 3, "limit": 2, "offset": 1})
    );
    assert_eq!(reply.header("x-total-count"), Some("3"));
    let reply = f.hx.get("/alerts?offset=10").await;
    assert_eq!(reply.data(), &json!([]));
    assert_eq!(
        reply.json["meta"],
        json!({"total": 3, "limit": 1000, "offset": 10})
    );
    let reply = f.hx.get("/alerts?limit=0&offset=x").await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.message(),
        "Query validation failed: limit: Number must be greater than or equal to 1; \
         offset: Expected number, received nan"
    );
    assert_eq!(
        f.hx.get("/alerts?limit=1001").await.message(),
        "Query validation failed: limit: Number must be less than or equal to 1000"
    );
}

#[tokio::test]
async fn alerts_on_raw_sql_tiles_need_an_alertable_display_type() {
    let f = setup().await;
    let dashboard =
        f.hx.create(
            "/dashboards",
            &json!({"name": "D", "tiles": [{"name": "s", "x": 0, "y": 0, "w": 6, "h": 3, "config": {
                "configType": "sql", "displayType": "table",
                "connectionId": FakeServer::DEFAULT_CONNECTION_ID, "sqlTemplate": "SELECT 1"}}]}),
        )
        .await;
    let mut body = alert(&f.search, &f.hook);
    body["source"] = json!("tile");
    body["dashboardId"] = json!(id(&dashboard));
    body["tileId"] = dashboard["tiles"][0]["id"].clone();
    assert_eq!(
        f.hx.post("/alerts", &body).await.message(),
        "Alerts on Raw SQL tiles are only supported for Line, Stacked Bar, or Number display types"
    );
}

#[tokio::test]
async fn deleting_a_saved_search_deletes_its_alerts() {
    let f = setup().await;
    let created = f.hx.create("/alerts", &alert(&f.search, &f.hook)).await;
    f.hx.delete(&format!("/saved-searches/{}", f.search)).await;
    assert_eq!(
        f.hx.get(&format!("/alerts/{}", id(&created))).await.status,
        404
    );
}
