//! `POST /api/v2/charts/series`.

// Test helpers outside `#[test]` functions unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use clickstack_fake::FakeServer;
use common::{Api, MISSING};
use serde_json::{Value, json};

const START: u64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const HOUR: u64 = 3_600_000;

fn query(source: &str, agg: &str) -> Value {
    json!({
        "series": [
            {"sourceId": source, "aggFn": "count", "where": "", "groupBy": []},
            {"sourceId": source, "aggFn": agg, "field": "Duration", "where": "", "groupBy": []},
        ],
        "startTime": START, "endTime": START + 3 * HOUR, "granularity": "1h",
    })
}

#[tokio::test]
async fn counts_come_back_as_strings_and_others_as_numbers() {
    let fake = FakeServer::start().await.unwrap();
    let source = fake.seed_log_source("Logs");
    let reply = Api::hyperdx(&fake)
        .post("/charts/series", &query(&source, "avg"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let data = reply.data().as_array().unwrap();
    assert_eq!(data.len(), 3);
    assert_eq!(
        data[0],
        json!({"ts_bucket": START, "group": [], "series_0.data": "1", "series_1.data": 3.0})
    );
    assert_eq!(data[1]["ts_bucket"], START + HOUR);
    assert_eq!(data[1]["series_0.data"], "2");
    // Deterministic: the same query gives the same answer.
    let again = Api::hyperdx(&fake)
        .post("/charts/series", &query(&source, "avg"))
        .await;
    assert_eq!(again.json, reply.json);
}

#[tokio::test]
async fn unknown_sources_are_404_with_an_error_field() {
    let fake = FakeServer::start().await.unwrap();
    let reply = Api::hyperdx(&fake)
        .post("/charts/series", &query(MISSING, "sum"))
        .await;
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.json,
        json!({"error": "Source not found for series 0"})
    );
}

#[tokio::test]
async fn validation_messages() {
    let fake = FakeServer::start().await.unwrap();
    let source = fake.seed_log_source("Logs");
    let hx = Api::hyperdx(&fake);
    let mut body = query(&source, "sum");
    body["series"] = json!([]);
    assert_eq!(
        hx.post("/charts/series", &body).await.message(),
        "Body validation failed: series: Series array cannot be empty"
    );
    let mut body = query(&source, "sum");
    body["startTime"] = json!(1_767_225_600);
    assert_eq!(
        hx.post("/charts/series", &body).await.message(),
        "Body validation failed: startTime: Timestamp must be in milliseconds"
    );
    let mut body = query(&source, "sum");
    body["series"][1]["groupBy"] = json!(["ServiceName"]);
    assert_eq!(
        hx.post("/charts/series", &body).await.message(),
        "Body validation failed: series: All series must have the same groupBy fields"
    );
}
