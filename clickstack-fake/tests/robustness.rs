//! Whatever arrives, the fake answers without a server error and keeps
//! serving.

// Test helpers outside `#[test]` functions unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use clickstack_fake::FakeServer;
use common::{Api, MISSING};
use reqwest::Method;
use serde_json::{Value, json};

fn junk() -> Vec<Value> {
    let mut deep = json!(1);
    for _ in 0..100 {
        deep = json!({"a": [deep]});
    }
    vec![
        json!(null),
        json!([]),
        json!([1, 2]),
        json!({}),
        json!({"name": null, "tiles": null, "series": null, "config": null}),
        json!({"name": "x", "tiles": [null, 1, "s", [], {"config": {"displayType": 5}}]}),
        json!({"name": "x", "tiles": [{"name": "t", "x": -1e300, "y": 1e300, "w": 0.5, "h": 18446744073709551615_u64,
                "config": {"displayType": "line", "sourceId": "", "select": [{}, null, {"aggFn": null}]}}]}),
        json!({"name": "x", "tiles": [], "filters": [null, {"type": "QUERY_EXPRESSION"}], "containers": [{}, null]}),
        json!({"kind": "trace", "name": "\u{0000}", "connection": null}),
        json!({"threshold": "high", "interval": [], "thresholdType": {}, "channels": [null]}),
        json!({"threshold": 1, "interval": "5m", "thresholdType": "between", "source": "tile",
               "dashboardId": MISSING, "tileId": "", "scheduleStartAt": "99999-99-99T99:99:99Z",
               "scheduleOffsetMinutes": -5, "channel": {"type": "webhook", "webhookId": ""}}),
        json!({"name": "w", "service": "generic", "url": "http://[::ffff:10.0.0.1]:99999999/",
               "headers": {"": "\n", "X": null}, "queryParams": []}),
        json!({"series": [{"sourceId": MISSING, "aggFn": "count", "where": "", "groupBy": []}],
               "startTime": 18446744073709551615_u64, "endTime": 18446744073709551615_u64,
               "granularity": "30d"}),
        json!({"series": [{"sourceId": MISSING, "aggFn": "count", "where": "", "groupBy": []}],
               "startTime": 1e300, "endTime": -1}),
        deep,
    ]
}

#[tokio::test]
async fn junk_bodies_never_get_a_server_error() {
    let fake = FakeServer::start().await.unwrap();
    let source = fake.seed_log_source("Logs");
    let apis = [Api::hyperdx(&fake), Api::cloud(&fake)];
    let paths = [
        "/dashboards".to_owned(),
        "/dashboards/validate".to_owned(),
        "/alerts".to_owned(),
        "/sources".to_owned(),
        "/webhooks".to_owned(),
        "/webhooks/validate".to_owned(),
        "/saved-searches".to_owned(),
        "/connections".to_owned(),
        "/charts/series".to_owned(),
        format!("/dashboards/{MISSING}"),
        format!("/alerts/{MISSING}"),
        format!("/sources/{source}"),
        format!("/webhooks/{MISSING}"),
        format!("/saved-searches/{MISSING}"),
        format!("/connections/{}", FakeServer::DEFAULT_CONNECTION_ID),
        "/dashboards/%ZZ%00".to_owned(),
    ];
    for api in &apis {
        for path in &paths {
            for method in [Method::POST, Method::PUT, Method::GET, Method::DELETE] {
                for body in junk() {
                    let reply = api.send(method.clone(), path, Some(&body)).await;
                    let status = reply.status.as_u16();
                    assert!(
                        status < 500 || status == 501,
                        "{method} {path} {body}: {status} {}",
                        reply.text
                    );
                }
            }
        }
    }
    // Still serving.
    assert_eq!(Api::hyperdx(&fake).get("/dashboards").await.status, 200);
}
