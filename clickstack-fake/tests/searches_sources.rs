//! Saved searches, sources and connections through the HyperDX API.

// Test helpers outside `#[test]` functions unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use clickstack_fake::FakeServer;
use common::{Api, MISSING, id, log_source};
use serde_json::json;

#[tokio::test]
async fn saved_search_defaults_and_output_fields() {
    let fake = FakeServer::start().await.unwrap();
    let source = fake.seed_log_source("Logs");
    let hx = Api::hyperdx(&fake);
    let created = hx
        .create(
            "/saved-searches",
            &json!({"name": "  Errors ", "sourceId": source, "extra": true}),
        )
        .await;
    let mut expected = json!({
        "name": "Errors", "sourceId": source, "select": "", "where": "", "whereLanguage": "lucene",
        "orderBy": "", "tags": [], "filters": [], "teamId": FakeServer::TEAM_ID,
    });
    for key in ["id", "createdAt", "updatedAt"] {
        expected[key] = created[key].clone();
    }
    assert_eq!(created, expected);
    assert!(created["id"].is_string() && created["createdAt"].is_string());
}

#[tokio::test]
async fn saved_search_source_must_exist() {
    let fake = FakeServer::start().await.unwrap();
    let hx = Api::hyperdx(&fake);
    let reply = hx
        .post("/saved-searches", &common::saved_search("s", MISSING))
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json,
        json!({"message": "sourceId must be an existing source id"})
    );
    let reply = hx
        .post("/saved-searches", &common::saved_search("s", "nope"))
        .await;
    assert_eq!(
        reply.message(),
        "Body validation failed: sourceId: Invalid ObjectId"
    );
}

#[tokio::test]
async fn saved_search_put_replaces_everything() {
    let fake = FakeServer::start().await.unwrap();
    let source = fake.seed_log_source("Logs");
    let hx = Api::hyperdx(&fake);
    let created = hx
        .create(
            "/saved-searches",
            &json!({"name": "s", "sourceId": source, "where": "level:error", "tags": ["t"],
                    "filters": [{"condition": "ServiceName IN ('api')"}]}),
        )
        .await;
    assert_eq!(
        created["filters"],
        json!([{"type": "sql", "condition": "ServiceName IN ('api')"}])
    );
    let updated = hx
        .put(
            &format!("/saved-searches/{}", id(&created)),
            &common::saved_search("s2", &source),
        )
        .await;
    let updated = updated.data();
    assert_eq!(updated["where"], "");
    assert_eq!(updated["tags"], json!([]));
    assert_eq!(updated["filters"], json!([]));
    assert_eq!(updated["createdAt"], created["createdAt"]);
}

#[tokio::test]
async fn saved_search_filters_must_be_renderable() {
    let fake = FakeServer::start().await.unwrap();
    let source = fake.seed_log_source("Logs");
    let hx = Api::hyperdx(&fake);
    let reply = hx
        .post(
            "/saved-searches",
            &json!({"name": "s", "sourceId": source, "filters": [
                {"condition": "a IN ('x')"}, {"condition": "ServiceName = 'api'"}]}),
        )
        .await;
    assert_eq!(reply.status, 400);
    assert!(
        reply
            .message()
            .starts_with("filters[1] must be a sidebar-renderable SQL predicate"),
        "{}",
        reply.message()
    );
}

#[tokio::test]
async fn unknown_saved_searches_are_404() {
    let fake = FakeServer::start().await.unwrap();
    let source = fake.seed_log_source("Logs");
    let hx = Api::hyperdx(&fake);
    let path = format!("/saved-searches/{MISSING}");
    for reply in [
        hx.get(&path).await,
        hx.delete(&path).await,
        hx.put(&path, &common::saved_search("s", &source)).await,
    ] {
        assert_eq!(reply.status, 404);
        assert_eq!(reply.json, json!({"message": "Saved search not found"}));
    }
    // The source is checked before the id on PUT.
    let reply = hx.put(&path, &common::saved_search("s", MISSING)).await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn sources_get_model_defaults_and_need_a_connection() {
    let fake = FakeServer::start().await.unwrap();
    let hx = Api::hyperdx(&fake);
    let created = hx.create("/sources", &log_source("Logs")).await;
    assert_eq!(created["disabled"], false);
    assert_eq!(created["querySettings"], json!([]));
    assert_eq!(created["materializedViews"], json!([]));
    assert_eq!(created["highlightedRowAttributeExpressions"], json!([]));
    assert_eq!(hx.get("/sources").await.data()[0]["id"], created["id"]);
    let mut body = log_source("x");
    body["connection"] = json!("nope");
    assert_eq!(
        hx.post("/sources", &body).await.json,
        json!({"message": "connection must be a valid connection id"})
    );
    body["connection"] = json!(MISSING);
    assert_eq!(
        hx.post("/sources", &body).await.json,
        json!({"message": "connection must be an existing connection id"})
    );
    let session = hx
        .create(
            "/sources",
            &json!({"kind": "session", "name": "Sessions", "connection": FakeServer::DEFAULT_CONNECTION_ID,
                    "from": {"databaseName": "d", "tableName": "t"}, "traceSourceId": id(&created)}),
        )
        .await;
    assert_eq!(session["timestampValueExpression"], "TimestampTime");
}

#[tokio::test]
async fn source_validation_messages() {
    let fake = FakeServer::start().await.unwrap();
    let hx = Api::hyperdx(&fake);
    let mut body = log_source("x");
    body["kind"] = json!("events");
    assert_eq!(
        hx.post("/sources", &body).await.message(),
        "Body validation failed: kind: Invalid discriminator value. Expected 'log' | 'trace' | \
         'metric' | 'session' | 'promql'"
    );
    let mut body = log_source("x");
    body.as_object_mut()
        .unwrap()
        .remove("timestampValueExpression");
    assert_eq!(
        hx.post("/sources", &body).await.message(),
        "Body validation failed: timestampValueExpression: Required"
    );
}

#[tokio::test]
async fn source_put_replaces_and_unknown_is_404() {
    let fake = FakeServer::start().await.unwrap();
    let hx = Api::hyperdx(&fake);
    let created = hx.create("/sources", &log_source("Logs")).await;
    let mut body = log_source("Renamed");
    body["serviceNameExpression"] = json!("ServiceName");
    let updated = hx.put(&format!("/sources/{}", id(&created)), &body).await;
    assert_eq!(updated.data()["name"], "Renamed");
    assert_eq!(updated.data()["id"], created["id"]);
    let path = format!("/sources/{MISSING}");
    for reply in [
        hx.get(&path).await,
        hx.delete(&path).await,
        hx.put(&path, &log_source("x")).await,
    ] {
        assert_eq!(reply.status, 404);
        assert_eq!(reply.json, json!({"message": "Source not found"}));
    }
}

#[tokio::test]
async fn connections_hide_passwords() {
    let fake = FakeServer::start().await.unwrap();
    let hx = Api::hyperdx(&fake);
    let listed = hx.get("/connections").await;
    assert_eq!(listed.data()[0]["id"], FakeServer::DEFAULT_CONNECTION_ID);
    let created = hx
        .create(
            "/connections",
            &json!({"name": "Prod", "host": "https://ch.example.com:8443", "username": "u", "password": "p"}),
        )
        .await;
    assert!(created.get("password").is_none());
    assert_eq!(created["host"], "https://ch.example.com:8443");
    let reply = hx.get(&format!("/connections/{MISSING}")).await;
    assert_eq!(
        (reply.status.as_u16(), reply.text.as_str()),
        (404, "Not Found")
    );
}

#[tokio::test]
async fn seed_source_checks_like_the_api() {
    let fake = FakeServer::start().await.unwrap();
    let mut body = log_source("x");
    body["connection"] = json!(MISSING);
    let err = fake.seed_source(&body).unwrap_err();
    assert_eq!(
        err.to_string(),
        "connection must be an existing connection id"
    );
    let id = fake.seed_source(&log_source("ok")).unwrap();
    let reply = Api::hyperdx(&fake).get(&format!("/sources/{id}")).await;
    assert_eq!(reply.data()["name"], "ok");
    // Seeding is not a request.
    assert_eq!(fake.request_count(), 1);
}
