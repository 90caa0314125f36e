//! The HyperDX API's shared pipeline: body parsing, auth, routing, id
//! checks, error shapes, fault injection and counters.

// Test helpers outside `#[test]` functions unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use clickstack_fake::FakeServer;
use common::{Api, Auth, MISSING};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn missing_or_wrong_key_is_401_text_unauthorized() {
    let fake = FakeServer::start().await.unwrap();
    let hx = Api::hyperdx(&fake);
    for auth in [Auth::None, Auth::Bearer("wrong".into())] {
        let reply = hx.with_auth(auth).get("/dashboards").await;
        assert_eq!(reply.status, 401);
        assert_eq!(reply.text, "Unauthorized");
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with("text/plain")
        );
    }
}

#[tokio::test]
async fn bad_json_is_400_invalid_json_payload_before_auth() {
    let fake = FakeServer::start().await.unwrap();
    let client = reqwest::Client::new();
    for body in ["{not json", "42", "\"text\""] {
        let reply = common::reply(
            client
                .post(format!("{}/dashboards", fake.hyperdx_url()))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(reply.json, json!({"message": "Invalid JSON payload"}));
    }
}

#[tokio::test]
async fn body_over_32_mib_is_413() {
    let fake = FakeServer::start().await.unwrap();
    let big = vec![b' '; 32 * 1024 * 1024 + 1];
    let reply = common::reply(
        reqwest::Client::new()
            .post(format!("{}/dashboards", fake.hyperdx_url()))
            .bearer_auth(FakeServer::API_KEY)
            .header("content-type", "application/json")
            .body(big)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, 413);
    assert_eq!(reply.json, json!({"message": "Something went wrong :("}));
}

#[tokio::test]
async fn unknown_paths_and_methods_get_the_express_404_page() {
    let fake = FakeServer::start().await.unwrap();
    let hx = Api::hyperdx(&fake);
    let reply = hx.get("/nope").await;
    assert_eq!(reply.status, 404);
    assert!(reply.text.contains("<pre>Cannot GET /api/v2/nope</pre>"));
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    // No `GET /webhooks/{id}` route, and no PATCH anywhere.
    let reply = hx.get(&format!("/webhooks/{MISSING}")).await;
    assert_eq!(reply.status, 404);
    assert!(
        reply
            .text
            .contains(&format!("Cannot GET /api/v2/webhooks/{MISSING}"))
    );
    let reply = hx.send(Method::PATCH, "/dashboards", None).await;
    assert!(reply.text.contains("Cannot PATCH /api/v2/dashboards"));
    // Mounted routers authenticate before routing.
    let reply = hx
        .with_auth(Auth::None)
        .get(&format!("/webhooks/{MISSING}"))
        .await;
    assert_eq!(reply.status, 401);
}

#[tokio::test]
async fn invalid_object_ids_are_400_on_every_resource() {
    let fake = FakeServer::start().await.unwrap();
    let hx = Api::hyperdx(&fake);
    for path in [
        "/dashboards/x",
        "/alerts/x",
        "/sources/x",
        "/saved-searches/x",
        "/connections/x",
    ] {
        let reply = hx.get(path).await;
        assert_eq!(reply.status, 400, "{path}");
        assert_eq!(
            reply.json,
            json!({"message": "Params validation failed: id: Invalid ObjectId"})
        );
    }
    // DELETE of a dashboard too, and body and params issues are joined.
    let reply = hx.delete("/dashboards/x").await;
    assert_eq!(
        reply.message(),
        "Params validation failed: id: Invalid ObjectId"
    );
    let reply = hx.put("/dashboards/x", &json!({})).await;
    assert_eq!(
        reply.message(),
        "Body validation failed: name: Required; Params validation failed: id: Invalid ObjectId"
    );
    // Any 12-character string passes Mongoose's check.
    assert_eq!(hx.get("/alerts/abcdefghijkl").await.status, 404);
}

#[tokio::test]
async fn root_answers_version_and_user() {
    let fake = FakeServer::start().await.unwrap();
    let reply = Api::hyperdx(&fake).get("").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json["version"], "v2");
    assert_eq!(reply.json["user"]["team"], FakeServer::TEAM_ID);
}

#[tokio::test]
async fn routes_the_fake_does_not_implement_are_501() {
    let fake = FakeServer::start().await.unwrap();
    let hx = Api::hyperdx(&fake);
    let reply = hx.get("/team").await;
    assert_eq!(reply.status, 501);
    assert!(reply.message().contains("not implemented"));
}

#[tokio::test]
async fn fail_next_injects_failures_with_retry_after() {
    let fake = FakeServer::start().await.unwrap();
    let hx = Api::hyperdx(&fake);
    fake.fail_next(503, Some("2"), 2);
    for _ in 0..2 {
        let reply = hx.get("/dashboards").await;
        assert_eq!(reply.status, 503);
        assert_eq!(reply.header("retry-after"), Some("2"));
        assert_eq!(reply.json, json!({"message": "Service Unavailable"}));
    }
    assert_eq!(hx.get("/dashboards").await.status, 200);
    // Cloud paths get the Cloud error shape.
    fake.fail_next(429, None, 1);
    let reply = Api::cloud(&fake).get("/dashboards").await;
    assert_eq!(reply.status, 429);
    assert_eq!(reply.json["status"], 429);
    assert_eq!(reply.json["error"], "Too Many Requests");
    assert!(reply.json["requestId"].is_string());
    // An out-of-range status is answered as 500.
    fake.fail_next(1000, None, 1);
    assert_eq!(hx.get("/dashboards").await.status, 500);
}

#[tokio::test]
async fn counts_requests_and_writes_per_method() {
    let fake = FakeServer::start().await.unwrap();
    let hx = Api::hyperdx(&fake);
    let source = fake.seed_log_source("Logs");
    let created = hx
        .create("/saved-searches", &common::saved_search("s", &source))
        .await;
    hx.get("/saved-searches").await;
    hx.put(
        &format!("/saved-searches/{}", common::id(&created)),
        &common::saved_search("t", &source),
    )
    .await;
    hx.delete(&format!("/saved-searches/{MISSING}")).await;
    hx.delete(&format!("/saved-searches/{}", common::id(&created)))
        .await;
    let requests = fake.requests();
    assert_eq!(
        (requests.get, requests.post, requests.put, requests.delete),
        (1, 1, 1, 2)
    );
    assert_eq!(fake.request_count(), 5);
    let writes = fake.writes();
    assert_eq!(
        (writes.get, writes.post, writes.put, writes.delete),
        (0, 1, 1, 1)
    );
    assert_eq!(fake.rate_limited().total(), 0);
}

#[tokio::test]
async fn non_json_bodies_are_read_as_empty_objects() {
    let fake = FakeServer::start().await.unwrap();
    let reply = common::reply(
        reqwest::Client::new()
            .post(format!("{}/dashboards", fake.hyperdx_url()))
            .bearer_auth(FakeServer::API_KEY)
            .body("{\"name\": \"x\"}")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.message(), "Body validation failed: name: Required");
}
