//! The Cloud API's ClickStack endpoints: envelopes, error shapes, the
//! same backend rules as HyperDX, the shared store, pagination, webhook
//! validation and the generated client.

// Test helpers outside `#[test]` functions unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use clickstack_fake::FakeServer;
use common::{Api, Auth, MISSING, id, line_tile};
use serde_json::{Value, json};

#[tokio::test]
async fn successes_use_the_cloud_envelope() {
    let fake = FakeServer::start().await.unwrap();
    let cloud = Api::cloud(&fake);
    let reply = cloud.get("/dashboards").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json["status"], 200);
    assert_eq!(reply.json["result"], json!([]));
    assert!(
        reply.json["requestId"]
            .as_str()
            .unwrap()
            .parse::<uuid::Uuid>()
            .is_ok()
    );
    let created = cloud
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [common::markdown_tile("m")]}),
        )
        .await;
    let reply = cloud.delete(&format!("/dashboards/{}", id(&created))).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json["status"], 200);
    assert!(reply.json.get("result").is_none());
}

#[tokio::test]
async fn errors_use_the_cloud_error_envelope() {
    let fake = FakeServer::start().await.unwrap();
    let cloud = Api::cloud(&fake);
    let check = |reply: &common::Reply, status: u16, message: &str| {
        assert_eq!(reply.status, status, "{}", reply.text);
        assert_eq!(reply.json["status"], status);
        assert_eq!(reply.json["error"], message);
        assert!(reply.json["requestId"].is_string());
    };
    check(
        &cloud
            .with_auth(Auth::Basic("fake-key-id".into(), "wrong".into()))
            .get("/dashboards")
            .await,
        401,
        "Unauthorized",
    );
    check(
        &cloud.post("/dashboards", &json!({"tiles": []})).await,
        400,
        "Body validation failed: name: Required",
    );
    check(
        &cloud.get(&format!("/dashboards/{MISSING}")).await,
        404,
        "Not Found",
    );
    check(
        &cloud.get(&format!("/alerts/{MISSING}")).await,
        404,
        "Alert not found",
    );
    check(
        &cloud.get("/alerts/x").await,
        400,
        "Params validation failed: id: Invalid ObjectId",
    );
    let other_org = Api {
        root: format!(
            "{}/v1/organizations/{}/services/{}/clickstack",
            fake.base_url(),
            uuid::Uuid::nil(),
            fake.cloud_service_id()
        ),
        ..cloud.clone()
    };
    check(
        &other_org.get("/dashboards").await,
        404,
        "NOT_FOUND: Organization not found",
    );
    // Paths the gateway does not route get its HTML page.
    let reply = cloud.get(&format!("/webhooks/{MISSING}")).await;
    assert_eq!(reply.status, 404);
    assert!(reply.text.contains("Cannot GET /v1/organizations/"));
    // Deleting an unknown dashboard succeeds, as on HyperDX.
    assert_eq!(
        cloud.delete(&format!("/dashboards/{MISSING}")).await.status,
        200
    );
}

#[tokio::test]
async fn cloud_writes_get_the_same_normalizations() {
    let fake = FakeServer::start().await.unwrap();
    let source = fake.seed_log_source("Logs");
    let cloud = Api::cloud(&fake);
    let mut tile = line_tile("t", &source);
    tile["id"] = json!("client-id");
    let created = cloud
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [tile], "tags": ["a", "a"]}),
        )
        .await;
    assert_ne!(created["tiles"][0]["id"], "client-id");
    assert_eq!(created["tags"], json!(["a"]));
    assert_eq!(created["savedQueryLanguage"], Value::Null);
    assert_eq!(
        created["tiles"][0]["config"]["select"][0],
        json!({"aggFn": "count", "valueExpression": "", "where": "", "whereLanguage": "lucene"})
    );
    let reply = cloud
        .post(
            "/dashboards",
            &json!({"name": "D", "tiles": [line_tile("t", MISSING)]}),
        )
        .await;
    assert_eq!(
        reply.json["error"],
        format!("Could not find the following source IDs: {MISSING}")
    );
    // Cloud's newer schema: stacked_line tiles are accepted.
    let stacked = json!({"name": "s", "x": 0, "y": 0, "w": 6, "h": 3, "config": {
        "displayType": "stacked_line", "sourceId": source, "select": [{"aggFn": "count"}]}});
    let created = cloud
        .create("/dashboards", &json!({"name": "D2", "tiles": [stacked]}))
        .await;
    assert_eq!(created["tiles"][0]["config"]["fillNulls"], true);
}

#[tokio::test]
async fn both_apis_share_one_store() {
    let fake = FakeServer::start().await.unwrap();
    let source = fake.seed_log_source("Logs");
    let hx = Api::hyperdx(&fake);
    let cloud = Api::cloud(&fake);
    let dashboard = hx
        .create(
            "/dashboards",
            &json!({"name": "D", "tiles": [line_tile("t", &source)]}),
        )
        .await;
    let reply = cloud.get(&format!("/dashboards/{}", id(&dashboard))).await;
    assert_eq!(reply.json["result"], dashboard);
    let search = cloud
        .create("/saved-searches", &common::saved_search("s", &source))
        .await;
    let hook = cloud.create("/webhooks", &common::webhook("w")).await;
    let alert = cloud
        .create(
            "/alerts",
            &json!({"source": "saved_search", "savedSearchId": id(&search), "threshold": 1, "interval": "30s",
                    "thresholdType": "above", "channel": {"type": "webhook", "webhookId": id(&hook)}}),
        )
        .await;
    // Cloud's alert schema requires displayName and tags.
    assert_eq!(alert["displayName"], "");
    assert_eq!(alert["tags"], json!([]));
    assert_eq!(alert["name"], Value::Null);
    let listed = hx.get("/alerts").await;
    assert_eq!(listed.data()[0]["id"], alert["id"]);
}

#[tokio::test]
async fn cloud_lists_take_limit_and_offset() {
    let fake = FakeServer::start().await.unwrap();
    let cloud = Api::cloud(&fake);
    for name in ["a", "b", "c"] {
        cloud.create("/webhooks", &common::webhook(name)).await;
    }
    let reply = cloud.get("/webhooks?limit=1&offset=1").await;
    let result = reply.json["result"].as_array().unwrap();
    assert_eq!(result.len(), 1);
    assert_eq!(result[0]["name"], "b");
    let reply = cloud.get("/webhooks?limit=5000").await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json["error"],
        "Query validation failed: limit: Number must be less than or equal to 1000"
    );
}

#[tokio::test]
async fn webhooks_validate_checks_without_storing() {
    let fake = FakeServer::start().await.unwrap();
    let cloud = Api::cloud(&fake);
    let reply = cloud
        .post(
            "/webhooks/validate",
            &json!({"name": " w ", "service": "generic", "url": "https://example.com", "headers": {"a": "b"}}),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json["result"],
        json!({"valid": true, "errors": [],
               "normalized": {"name": "w", "service": "generic", "url": "https://example.com"}})
    );
    let reply = cloud
        .post(
            "/webhooks/validate",
            &json!({"name": "w", "service": "slack", "url": "https://hooks.slack.com/x", "body": "x"}),
        )
        .await;
    assert_eq!(
        reply.json["result"],
        json!({"valid": false, "normalized": null, "errors": [
            {"path": "body", "message": "body is not supported for the slack webhook service"}]})
    );
    assert_eq!(cloud.get("/webhooks").await.json["result"], json!([]));
}

#[tokio::test]
async fn the_generated_cloud_client_works_against_the_fake() {
    use clickstack_cloud::types::ClickStackCreateDashboardRequest;
    use clickstack_cloud::{Client, Config, Credentials};

    let fake = FakeServer::start().await.unwrap();
    let source = fake.seed_log_source("Logs");
    let config = Config::new(Credentials::basic(
        FakeServer::CLOUD_KEY_ID,
        FakeServer::CLOUD_KEY_SECRET,
    ));
    let client = Client::with_config(&fake.base_url(), config).unwrap();
    let (org, svc) = (fake.cloud_organization_id(), fake.cloud_service_id());
    let body: ClickStackCreateDashboardRequest =
        serde_json::from_value(json!({"name": "D", "tiles": [line_tile("t", &source)]})).unwrap();
    let created = client
        .click_stack_create_dashboard(&org, &svc, &body)
        .await
        .unwrap()
        .into_inner();
    let created = created.result.unwrap();
    assert_eq!(created.name.as_deref(), Some("D"));
    let listed = client
        .click_stack_list_dashboards(&org, &svc)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.result.unwrap().len(), 1);
}

#[tokio::test]
async fn the_generated_hyperdx_client_works_against_the_fake() {
    use clickstack_oss::{Client, Config, Credentials};

    let fake = FakeServer::start().await.unwrap();
    let client = Client::with_config(
        &fake.base_url(),
        Config::new(Credentials::bearer(FakeServer::API_KEY)),
    )
    .unwrap();
    let sources = client.list_sources().await.unwrap().into_inner();
    assert!(sources.data.unwrap_or_default().is_empty());
}
