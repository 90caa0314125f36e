//! Webhooks through the HyperDX API: write-only secrets, PUT semantics,
//! unique names, URL rules, 404 and 409 on delete.

// Test helpers outside `#[test]` functions unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use clickstack_fake::FakeServer;
use common::{Api, MISSING, id};
use serde_json::json;

async fn setup() -> (FakeServer, Api) {
    let fake = FakeServer::start().await.unwrap();
    let hx = Api::hyperdx(&fake);
    (fake, hx)
}

#[tokio::test]
async fn headers_and_query_params_are_never_returned() {
    let (fake, hx) = setup().await;
    let created = hx
        .create(
            "/webhooks",
            &json!({"name": "  Hook  ", "service": "generic", "url": "https://example.com/h",
                    "description": "d", "body": "{}", "headers": {"Authorization": "Bearer s"},
                    "queryParams": {"token": "t"}}),
        )
        .await;
    assert_eq!(created["name"], "Hook");
    assert_eq!(created["body"], "{}");
    assert_eq!(created["description"], "d");
    assert!(created.get("headers").is_none() && created.get("queryParams").is_none());
    let listed = hx.get("/webhooks").await;
    assert!(listed.data()[0].get("headers").is_none());
    assert_eq!(
        listed.json["meta"],
        json!({"total": 1, "limit": 1000, "offset": 0})
    );
    let stored = fake.stored_webhook(&id(&created)).unwrap();
    assert_eq!(stored["headers"], json!({"Authorization": "Bearer s"}));
}

#[tokio::test]
async fn put_keeps_secrets_unless_the_destination_changes() {
    let (fake, hx) = setup().await;
    let created = hx
        .create(
            "/webhooks",
            &json!({"name": "Hook", "service": "generic", "url": "https://example.com/h",
                    "description": "d", "body": "{}", "headers": {"X-Key": "s"}}),
        )
        .await;
    let path = format!("/webhooks/{}", id(&created));
    let updated = hx
        .put(
            &path,
            &json!({"name": "Hook", "service": "generic", "url": "https://example.com/h"}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    // Readable fields are cleared when omitted; secrets are kept.
    assert!(updated.data().get("description").is_none());
    assert!(updated.data().get("body").is_none());
    let stored = fake.stored_webhook(&id(&created)).unwrap();
    assert_eq!(stored["headers"], json!({"X-Key": "s"}));
    // A new URL drops them.
    hx.put(
        &path,
        &json!({"name": "Hook", "service": "generic", "url": "https://example.org/h"}),
    )
    .await;
    let stored = fake.stored_webhook(&id(&created)).unwrap();
    assert!(stored.get("headers").is_none());
    // `{}` clears them explicitly.
    hx.put(
        &path,
        &json!({"name": "Hook", "service": "generic", "url": "https://example.org/h", "headers": {"A": "b"}}),
    )
    .await;
    hx.put(
        &path,
        &json!({"name": "Hook", "service": "generic", "url": "https://example.org/h", "headers": {}}),
    )
    .await;
    assert!(
        fake.stored_webhook(&id(&created))
            .unwrap()
            .get("headers")
            .is_none()
    );
}

#[tokio::test]
async fn service_and_name_are_unique() {
    let (_fake, hx) = setup().await;
    hx.create("/webhooks", &common::webhook("Hook")).await;
    let reply = hx.post("/webhooks", &common::webhook("Hook")).await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json,
        json!({"message": "A webhook with this service and name already exists"})
    );
    hx.create(
        "/webhooks",
        &json!({"name": "Hook", "service": "incidentio", "url": "https://example.com/i"}),
    )
    .await;
}

#[tokio::test]
async fn validation_messages() {
    let (_fake, hx) = setup().await;
    let cases = [
        (
            json!({"name": "s", "service": "slack", "url": "https://hooks.slack.com/x", "headers": {"a": "b"}}),
            "Body validation failed: headers: headers is not supported for the slack webhook service",
        ),
        (
            json!({"name": "g", "service": "generic", "url": "not a url"}),
            "Body validation failed: url: Invalid url",
        ),
        (
            json!({"name": "   ", "service": "generic", "url": "https://example.com"}),
            "Body validation failed: name: String must contain at least 1 character(s)",
        ),
        (
            json!({"name": "g", "service": "teams", "url": "https://example.com"}),
            "Body validation failed: service: Invalid enum value. Received 'teams'",
        ),
        (
            json!({"name": "g", "service": "generic", "url": "https://example.com", "headers": {"1x": "v"}}),
            "Body validation failed: headers.1x: Header name cannot start with a number",
        ),
        (
            json!({"name": "g", "service": "generic", "url": "http://127.0.0.1:8080/hook"}),
            "Webhook URL resolves to a private or reserved address.",
        ),
        (
            json!({"name": "s", "service": "slack", "url": "https://example.com/x"}),
            "Slack Webhook URL https://example.com/x does not have hostname that ends in 'slack.com'",
        ),
        (
            json!({"name": "g", "service": "generic"}),
            "Body validation failed: url: Required",
        ),
        (
            json!({"name": "g", "service": "generic", "url": "https://example.com", "description": null}),
            "Body validation failed: description: Expected string, received null",
        ),
    ];
    for (body, message) in cases {
        let reply = hx.post("/webhooks", &body).await;
        assert_eq!(reply.status, 400, "{message}");
        assert_eq!(reply.message(), message);
    }
}

#[tokio::test]
async fn body_is_returned_only_for_generic_webhooks() {
    let (_fake, hx) = setup().await;
    let created = hx
        .create(
            "/webhooks",
            &json!({"name": "i", "service": "incidentio", "url": "https://example.com/i", "body": "{}"}),
        )
        .await;
    assert!(created.get("body").is_none());
}

#[tokio::test]
async fn delete_is_409_while_an_alert_uses_the_webhook() {
    let (fake, hx) = setup().await;
    let source = fake.seed_log_source("Logs");
    let search = hx
        .create("/saved-searches", &common::saved_search("s", &source))
        .await;
    let hook = hx.create("/webhooks", &common::webhook("Hook")).await;
    let alert = hx
        .create(
            "/alerts",
            &json!({"source": "saved_search", "savedSearchId": id(&search), "threshold": 1, "interval": "1m",
                    "thresholdType": "above", "channel": {"type": "webhook", "webhookId": id(&hook)}}),
        )
        .await;
    let path = format!("/webhooks/{}", id(&hook));
    let reply = hx.delete(&path).await;
    assert_eq!(reply.status, 409);
    assert_eq!(
        reply.json,
        json!({"message": "Cannot delete webhook: 1 alert(s) still reference it. Reassign or remove those alerts first."})
    );
    hx.delete(&format!("/alerts/{}", id(&alert))).await;
    let reply = hx.delete(&path).await;
    assert_eq!(
        (reply.status.as_u16(), reply.json.clone()),
        (200, json!({}))
    );
}

#[tokio::test]
async fn unknown_webhooks_are_404_webhook_not_found() {
    let (_fake, hx) = setup().await;
    let path = format!("/webhooks/{MISSING}");
    for reply in [
        hx.delete(&path).await,
        hx.put(&path, &common::webhook("x")).await,
    ] {
        assert_eq!(reply.status, 404);
        assert_eq!(reply.json, json!({"message": "Webhook not found"}));
    }
}
