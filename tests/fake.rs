//! The fake server (`clickstack::fake`) against the generated clients of
//! both APIs: every response must decode with the spec's schemas.

use clickstack::fake::FakeServer;
use clickstack::{cloud, oss};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// A generated type from JSON (panics with the serde error in tests).
fn body<T: DeserializeOwned>(value: Value) -> T {
    match serde_json::from_value(value) {
        Ok(body) => body,
        Err(err) => panic!("request body does not match the generated type: {err}"),
    }
}

/// A decoded response as JSON, for field assertions.
fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn hyperdx(fake: &FakeServer) -> oss::Client {
    oss::Client::new(&fake.base_url(), oss::Auth::bearer(FakeServer::API_KEY))
}

fn managed(fake: &FakeServer) -> cloud::Client {
    cloud::Client::new(
        &fake.base_url(),
        cloud::Auth::basic(FakeServer::CLOUD_KEY_ID, FakeServer::CLOUD_KEY_SECRET),
    )
}

fn dashboard_body(name: &str) -> Value {
    json!({
        "name": name,
        "tiles": [{
            "name": "Notes",
            "x": 0, "y": 0, "w": 6, "h": 3,
            "config": {"displayType": "markdown", "markdown": "# Hello"}
        }],
        "tags": ["team-a"],
        "filters": [{
            "type": "QUERY_EXPRESSION",
            "name": "Service",
            "expression": "ServiceName",
            "sourceId": "65f5e4a3b9e77c001a111111"
        }]
    })
}

fn alert_body(threshold: f64) -> Value {
    json!({
        "dashboardId": "65f5e4a3b9e77c001a567890",
        "tileId": "65f5e4a3b9e77c001a901234",
        "threshold": threshold,
        "interval": "5m",
        "thresholdType": "above",
        "source": "tile",
        "channel": {"type": "webhook", "webhookId": "65f5e4a3b9e77c001a789012"},
        "name": "Error spike"
    })
}

fn source_body(name: &str) -> Value {
    json!({
        "kind": "log",
        "name": name,
        "connection": "65f5e4a3b9e77c001a222222",
        "from": {"databaseName": "default", "tableName": "otel_logs"},
        "defaultTableSelectExpression": "Timestamp, ServiceName, Body",
        "timestampValueExpression": "TimestampTime"
    })
}

fn webhook_body(name: &str) -> Value {
    json!({
        "name": name,
        "service": "generic",
        "url": "https://example.com/hook",
        "body": "{\"text\": \"{{title}}\"}",
        "headers": {"X-Token": "secret"}
    })
}

fn saved_search_body(name: &str) -> Value {
    json!({
        "name": name,
        "sourceId": "65f5e4a3b9e77c001a333333",
        "where": "SeverityText:error",
        "whereLanguage": "lucene",
        "tags": ["errors"]
    })
}

/// Raw GET/POST for what the generated clients cannot express.
async fn raw(
    method: reqwest::Method,
    url: String,
    auth: Option<&str>,
    json_body: Option<&str>,
) -> reqwest::Response {
    let mut request = reqwest::Client::new().request(method, url);
    if let Some(auth) = auth {
        request = request.header("authorization", auth);
    }
    if let Some(json_body) = json_body {
        request = request
            .header("content-type", "application/json")
            .body(json_body.to_owned());
    }
    match request.send().await {
        Ok(response) => response,
        Err(err) => panic!("request failed: {err}"),
    }
}

async fn raw_json(response: reqwest::Response) -> Value {
    response.json::<Value>().await.unwrap_or(Value::Null)
}

fn cloud_path(fake: &FakeServer, rest: &str) -> String {
    format!(
        "{}/v1/organizations/{}/services/{}/clickstack/{rest}",
        fake.base_url(),
        fake.cloud_organization_id(),
        fake.cloud_service_id()
    )
}

const BEARER: &str = "Bearer fake-api-key";
/// `fake-key-id:fake-key-secret` in base64.
const BASIC: &str = "Basic ZmFrZS1rZXktaWQ6ZmFrZS1rZXktc2VjcmV0";

// ---------------------------------------------------------------- HyperDX

#[tokio::test]
async fn hyperdx_dashboards_crud() {
    let fake = FakeServer::start().await.expect("start");
    let client = hyperdx(&fake);

    let created = client
        .create_dashboard(&body(dashboard_body("API")))
        .await
        .expect("create")
        .into_inner();
    let created = to_json(&created);
    let id = created["data"]["id"].as_str().expect("id").to_owned();
    assert_eq!(id.len(), 24);
    assert_eq!(created["data"]["name"], "API");
    assert!(created["data"]["tiles"][0]["id"].is_string());
    assert!(created["data"]["filters"][0]["id"].is_string());

    let got = client.get_dashboard(&id).await.expect("get").into_inner();
    assert_eq!(to_json(&got)["data"], created["data"]);

    // Updates send tiles and filters back with their ids.
    let mut update = created["data"].clone();
    update["name"] = json!("API v2");

    let updated = client
        .update_dashboard(&id, &body(update))
        .await
        .expect("update")
        .into_inner();
    assert_eq!(to_json(&updated)["data"]["name"], "API v2");
    assert_eq!(to_json(&updated)["data"]["id"], id.as_str());

    let listed = client.list_dashboards().await.expect("list").into_inner();
    assert_eq!(listed.data.len(), 1);
    assert_eq!(listed.data[0].0.name.as_deref(), Some("API v2"));

    let deleted = client
        .delete_dashboard(&id)
        .await
        .expect("delete")
        .into_inner();
    assert!(deleted.0.is_empty());
    let gone = client.get_dashboard(&id).await.expect_err("404");
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn hyperdx_alerts_crud_and_pagination() {
    let fake = FakeServer::start().await.expect("start");
    let client = hyperdx(&fake);

    let mut ids = Vec::new();
    for threshold in [1.0, 2.0, 3.0] {
        let created = client
            .create_alert(&body(alert_body(threshold)))
            .await
            .expect("create")
            .into_inner();
        let data = created.data.expect("data");
        assert_eq!(data.state.as_ref().map(to_json), Some(json!("OK")));
        assert!(data.created_at.is_some() && data.team_id.is_some());
        let created = to_json(&data);
        // Responses carry both `channel` and `channels`.
        assert_eq!(created["channels"][0], created["channel"]);
        ids.push(data.id.expect("id"));
    }

    let page = client
        .list_alerts(Some(2), Some(2))
        .await
        .expect("list")
        .into_inner();
    assert_eq!(
        (page.meta.total, page.meta.limit, page.meta.offset),
        (3, 2, 2)
    );
    assert_eq!(page.data.len(), 1);
    assert_eq!(page.data[0].id.as_deref(), Some(ids[2].as_str()));

    let all = client
        .list_alerts(None, None)
        .await
        .expect("list")
        .into_inner();
    assert_eq!(
        (all.meta.total, all.meta.limit, all.meta.offset),
        (3, 1000, 0)
    );
    assert_eq!(all.data.len(), 3);

    let mut update = alert_body(500.0);
    update["interval"] = json!("1h");
    let updated = client
        .update_alert(&ids[0], &body(update))
        .await
        .expect("update")
        .into_inner();
    let updated = to_json(&updated);
    assert_eq!(updated["data"]["threshold"], 500.0);
    assert_eq!(updated["data"]["interval"], "1h");

    let got = client.get_alert(&ids[0]).await.expect("get").into_inner();
    assert_eq!(to_json(&got), updated);

    client.delete_alert(&ids[0]).await.expect("delete");
    let gone = client.get_alert(&ids[0]).await.expect_err("404");
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));

    let bad = raw(
        reqwest::Method::GET,
        format!("{}/api/v2/alerts?limit=0", fake.base_url()),
        Some(BEARER),
        None,
    )
    .await;
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn hyperdx_sources_crud() {
    let fake = FakeServer::start().await.expect("start");
    let client = hyperdx(&fake);

    let created = client
        .create_source(&body(source_body("Logs")))
        .await
        .expect("create")
        .into_inner();
    let Some(oss::types::Source::LogSource(source)) = created.data else {
        panic!("not a log source: {created:?}");
    };
    let id = source.id.clone().expect("id");

    let got = client.get_source(&id).await.expect("get").into_inner();
    assert!(matches!(got.data, Some(oss::types::Source::LogSource(ref s)) if s.name == "Logs"));

    let updated = client
        .update_source(&id, &body(source_body("Logs v2")))
        .await
        .expect("update")
        .into_inner();
    assert!(
        matches!(updated.data, Some(oss::types::Source::LogSource(ref s)) if s.name == "Logs v2" && s.id.as_deref() == Some(id.as_str()))
    );

    let listed = client.list_sources().await.expect("list").into_inner();
    assert_eq!(listed.data.len(), 1);
    assert!(matches!(listed.data[0], oss::types::Source::LogSource(_)));

    client.delete_source(&id).await.expect("delete");
    let gone = client.get_source(&id).await.expect_err("404");
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn hyperdx_webhooks_crud() {
    let fake = FakeServer::start().await.expect("start");
    let client = hyperdx(&fake);

    let created = client
        .create_webhook(&body(webhook_body("Hook")))
        .await
        .expect("create")
        .into_inner();
    let Some(oss::types::Webhook::GenericWebhook(webhook)) = created.data else {
        panic!("not a generic webhook: {created:?}");
    };
    // `headers` is write-only.
    let raw_list = raw_json(
        raw(
            reqwest::Method::GET,
            format!("{}/api/v2/webhooks", fake.base_url()),
            Some(BEARER),
            None,
        )
        .await,
    )
    .await;
    assert!(raw_list["data"][0].get("headers").is_none());
    assert_eq!(
        raw_list["meta"],
        json!({"total": 1, "limit": 1000, "offset": 0})
    );

    let updated = client
        .update_webhook(&webhook.id, &body(webhook_body("Hook 2")))
        .await
        .expect("update")
        .into_inner();
    assert!(
        matches!(updated.data, Some(oss::types::Webhook::GenericWebhook(ref w)) if w.name == "Hook 2" && w.id == webhook.id)
    );

    let listed = client
        .list_webhooks(Some(10), None)
        .await
        .expect("list")
        .into_inner();
    assert_eq!(listed.data.len(), 1);
    assert_eq!(listed.meta.total, 1);

    client.delete_webhook(&webhook.id).await.expect("delete");
    let listed = client
        .list_webhooks(None, None)
        .await
        .expect("list")
        .into_inner();
    assert!(listed.data.is_empty());
    let gone = client.delete_webhook(&webhook.id).await.expect_err("404");
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn hyperdx_saved_searches_crud() {
    let fake = FakeServer::start().await.expect("start");
    let client = hyperdx(&fake);

    let created = client
        .create_saved_search(&body(saved_search_body("Errors")))
        .await
        .expect("create")
        .into_inner()
        .data
        .expect("data");
    assert_eq!(created.name, "Errors");
    assert!(created.team_id.is_some() && created.created_at.is_some());

    let got = client
        .get_saved_search(&created.id)
        .await
        .expect("get")
        .into_inner();
    assert_eq!(
        got.data.as_ref().map(|s| s.id.as_str()),
        Some(created.id.as_str())
    );

    let updated = client
        .update_saved_search(&created.id, &body(saved_search_body("Errors 2")))
        .await
        .expect("update")
        .into_inner()
        .data
        .expect("data");
    assert_eq!(
        (updated.id.as_str(), updated.name.as_str()),
        (created.id.as_str(), "Errors 2")
    );
    assert_eq!(updated.created_at, created.created_at);

    let listed = client
        .list_saved_searches(None, None)
        .await
        .expect("list")
        .into_inner();
    assert_eq!((listed.data.len(), listed.meta.total), (1, 1));

    client
        .delete_saved_search(&created.id)
        .await
        .expect("delete");
    let gone = client.get_saved_search(&created.id).await.expect_err("404");
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn hyperdx_validate_dashboard() {
    let fake = FakeServer::start().await.expect("start");
    let client = hyperdx(&fake);

    let valid = client
        .validate_dashboard(&body(dashboard_body("Valid")))
        .await
        .expect("validate")
        .into_inner();
    assert!(valid.valid && valid.errors.is_empty() && valid.normalized.is_some());
    // Nothing was stored.
    let listed = client.list_dashboards().await.expect("list").into_inner();
    assert!(listed.data.is_empty());

    let invalid = raw_json(
        raw(
            reqwest::Method::POST,
            format!("{}/api/v2/dashboards/validate", fake.base_url()),
            Some(BEARER),
            Some(r#"{"tiles": []}"#),
        )
        .await,
    )
    .await;
    assert_eq!(
        invalid,
        json!({"valid": false, "errors": [{"path": "name", "message": "Required"}], "normalized": null})
    );
}

#[tokio::test]
async fn hyperdx_rejects_bad_bodies() {
    let fake = FakeServer::start().await.expect("start");
    let url = format!("{}/api/v2/dashboards", fake.base_url());
    for bad in [r#"{"tiles": []}"#, "[1, 2]", "not json", ""] {
        let response = raw(reqwest::Method::POST, url.clone(), Some(BEARER), Some(bad)).await;
        assert_eq!(response.status(), 400, "body {bad:?}");
        let error = raw_json(response).await;
        assert!(error["message"].is_string(), "body {bad:?}: {error}");
    }
    let response = raw(
        reqwest::Method::POST,
        url,
        Some(BEARER),
        Some(r#"{"tiles": []}"#),
    )
    .await;
    assert_eq!(
        raw_json(response).await,
        json!({"message": "Body validation failed: name: Required"})
    );
}

#[tokio::test]
async fn hyperdx_auth_errors_and_rate_limit_headers() {
    let fake = FakeServer::start().await.expect("start");

    let unauthorized = oss::Client::new(&fake.base_url(), oss::Auth::bearer("wrong"));
    let err = unauthorized.list_dashboards().await.expect_err("401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));

    let response = raw(
        reqwest::Method::GET,
        format!("{}/api/v2/dashboards", fake.base_url()),
        None,
        None,
    )
    .await;
    assert_eq!(response.status(), 401);
    assert_eq!(raw_json(response).await, json!({"message": "Unauthorized"}));

    let response = raw(
        reqwest::Method::GET,
        format!(
            "{}/api/v2/dashboards/65f5e4a3b9e77c001a000000",
            fake.base_url()
        ),
        Some(BEARER),
        None,
    )
    .await;
    assert_eq!(response.status(), 404);
    let headers = response.headers().clone();
    assert_eq!(headers["ratelimit-limit"], "100");
    assert!(headers.contains_key("ratelimit-remaining"));
    assert!(headers.contains_key("ratelimit-reset"));
    assert_eq!(
        raw_json(response).await,
        json!({"message": "NOT_FOUND: Dashboard not found"})
    );

    let err = hyperdx(&fake)
        .get_dashboard("65f5e4a3b9e77c001a000000")
        .await
        .expect_err("404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

// ------------------------------------------------------------------ Cloud

#[tokio::test]
async fn cloud_dashboards_crud() {
    let fake = FakeServer::start().await.expect("start");
    let client = managed(&fake);
    let (org, service) = (fake.cloud_organization_id(), fake.cloud_service_id());

    let created = client
        .click_stack_create_dashboard(&org, &service, &body(dashboard_body("Cloud")))
        .await
        .expect("create")
        .into_inner();
    assert_eq!(created.status, Some(200.0));
    assert!(created.request_id.is_some());
    let dashboard = created.result.expect("result");
    let id = dashboard.id.clone().expect("id");
    assert_eq!(dashboard.tiles.len(), 1);
    assert_eq!(dashboard.filters.len(), 1);

    let got = client
        .click_stack_get_dashboard(&org, &service, &id)
        .await
        .expect("get")
        .into_inner();
    assert_eq!(got.result.as_ref(), Some(&dashboard));

    let mut update = to_json(&dashboard);
    update["name"] = json!("Cloud 2");

    let updated = client
        .click_stack_update_dashboard(&org, &service, &id, &body(update))
        .await
        .expect("update")
        .into_inner()
        .result
        .expect("result");
    assert_eq!(updated.name.as_deref(), Some("Cloud 2"));

    let listed = client
        .click_stack_list_dashboards(&org, &service)
        .await
        .expect("list")
        .into_inner();
    assert_eq!(listed.result.len(), 1);

    let deleted = client
        .click_stack_delete_dashboard(&org, &service, &id)
        .await
        .expect("delete")
        .into_inner();
    let deleted = to_json(&deleted);
    assert_eq!(deleted["status"], 200.0);
    assert!(deleted.get("result").is_none());

    let gone = client
        .click_stack_get_dashboard(&org, &service, &id)
        .await
        .expect_err("404");
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));

    let validated = client
        .click_stack_validate_dashboard(&org, &service, &body(dashboard_body("V")))
        .await
        .expect("validate")
        .into_inner()
        .result
        .expect("result");
    assert!(validated.valid && validated.errors.is_empty());
}

#[tokio::test]
async fn cloud_alerts_crud() {
    let fake = FakeServer::start().await.expect("start");
    let client = managed(&fake);
    let (org, service) = (fake.cloud_organization_id(), fake.cloud_service_id());

    let created = client
        .click_stack_create_alert(&org, &service, &body(alert_body(10.0)))
        .await
        .expect("create")
        .into_inner()
        .result
        .expect("result");
    let id = created.id.clone().expect("id");
    assert!(matches!(
        created.channel,
        Some(cloud::types::ClickStackAlertChannel::Webhook(_))
    ));

    let got = client
        .click_stack_get_alert(&org, &service, &id)
        .await
        .expect("get")
        .into_inner();
    assert_eq!(got.result.as_ref(), Some(&created));

    let updated = client
        .click_stack_update_alert(&org, &service, &id, &body(alert_body(20.0)))
        .await
        .expect("update")
        .into_inner()
        .result
        .expect("result");
    assert_eq!(updated.threshold, Some(20.0));
    assert_eq!(updated.created_at, created.created_at);

    let listed = client
        .click_stack_list_alerts(&org, &service)
        .await
        .expect("list")
        .into_inner();
    assert_eq!(listed.result.len(), 1);

    client
        .click_stack_delete_alert(&org, &service, &id)
        .await
        .expect("delete");
    let gone = client
        .click_stack_get_alert(&org, &service, &id)
        .await
        .expect_err("404");
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn cloud_sources_crud() {
    let fake = FakeServer::start().await.expect("start");
    let client = managed(&fake);
    let (org, service) = (fake.cloud_organization_id(), fake.cloud_service_id());

    let created = client
        .click_stack_create_source(&org, &service, &body(source_body("Logs")))
        .await
        .expect("create")
        .into_inner()
        .result
        .expect("result");
    let cloud::types::ClickStackSource::LogSource(source) = created else {
        panic!("not a log source: {created:?}");
    };
    let id = source.id.clone().expect("id");

    let got = client
        .click_stack_get_source(&org, &service, &id)
        .await
        .expect("get")
        .into_inner()
        .result;
    assert!(matches!(
        got,
        Some(cloud::types::ClickStackSource::LogSource(_))
    ));

    let updated = client
        .click_stack_update_source(&org, &service, &id, &body(source_body("Logs 2")))
        .await
        .expect("update")
        .into_inner()
        .result;
    assert!(
        matches!(updated, Some(cloud::types::ClickStackSource::LogSource(ref s)) if s.name == "Logs 2")
    );

    let listed = client
        .click_stack_list_sources(&org, &service)
        .await
        .expect("list")
        .into_inner();
    assert_eq!(listed.result.len(), 1);

    client
        .click_stack_delete_source(&org, &service, &id)
        .await
        .expect("delete");
    let gone = client
        .click_stack_get_source(&org, &service, &id)
        .await
        .expect_err("404");
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn cloud_webhooks_crud() {
    let fake = FakeServer::start().await.expect("start");
    let client = managed(&fake);
    let (org, service) = (fake.cloud_organization_id(), fake.cloud_service_id());

    let created = client
        .click_stack_create_webhook(&org, &service, &body(webhook_body("Hook")))
        .await
        .expect("create")
        .into_inner()
        .result
        .expect("result");
    let cloud::types::ClickStackWebhook::GenericWebhook(webhook) = created else {
        panic!("not a generic webhook: {created:?}");
    };

    let updated = client
        .click_stack_update_webhook(&org, &service, &webhook.id, &body(webhook_body("Hook 2")))
        .await
        .expect("update")
        .into_inner()
        .result;
    assert!(
        matches!(updated, Some(cloud::types::ClickStackWebhook::GenericWebhook(ref w)) if w.name == "Hook 2")
    );

    let listed = client
        .click_stack_list_webhooks(&org, &service)
        .await
        .expect("list")
        .into_inner();
    assert_eq!(listed.result.len(), 1);

    client
        .click_stack_delete_webhook(&org, &service, &webhook.id)
        .await
        .expect("delete");
    let gone = client
        .click_stack_delete_webhook(&org, &service, &webhook.id)
        .await
        .expect_err("404");
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn cloud_saved_searches_crud() {
    let fake = FakeServer::start().await.expect("start");
    let client = managed(&fake);
    let (org, service) = (fake.cloud_organization_id(), fake.cloud_service_id());

    let created = client
        .click_stack_create_saved_search(&org, &service, &body(saved_search_body("Errors")))
        .await
        .expect("create")
        .into_inner()
        .result
        .expect("result");

    let got = client
        .click_stack_get_saved_search(&org, &service, &created.id)
        .await
        .expect("get")
        .into_inner()
        .result;
    assert_eq!(got.as_ref(), Some(&created));

    let updated = client
        .click_stack_update_saved_search(
            &org,
            &service,
            &created.id,
            &body(saved_search_body("Errors 2")),
        )
        .await
        .expect("update")
        .into_inner()
        .result
        .expect("result");
    assert_eq!(updated.name, "Errors 2");

    let listed = client
        .click_stack_list_saved_searches(&org, &service)
        .await
        .expect("list")
        .into_inner();
    assert_eq!(listed.result.len(), 1);

    client
        .click_stack_delete_saved_search(&org, &service, &created.id)
        .await
        .expect("delete");
    let gone = client
        .click_stack_get_saved_search(&org, &service, &created.id)
        .await
        .expect_err("404");
    assert_eq!(gone.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn cloud_auth_and_not_found_errors() {
    let fake = FakeServer::start().await.expect("start");
    let (org, service) = (fake.cloud_organization_id(), fake.cloud_service_id());

    let wrong = cloud::Client::new(&fake.base_url(), cloud::Auth::basic("fake-key-id", "nope"));
    let err = wrong
        .click_stack_list_dashboards(&org, &service)
        .await
        .expect_err("401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));

    let response = raw(
        reqwest::Method::GET,
        cloud_path(&fake, "dashboards/65f5e4a3b9e77c001a000000"),
        Some(BASIC),
        None,
    )
    .await;
    assert_eq!(response.status(), 404);
    let error = raw_json(response).await;
    assert_eq!(error["status"], 404);
    assert_eq!(error["error"], "NOT_FOUND: Dashboard not found");
    assert!(error["requestId"].as_str().is_some_and(|id| id.len() == 36));

    let other_org = format!(
        "{}/v1/organizations/{}/services/{}/clickstack/dashboards",
        fake.base_url(),
        service,
        service
    );
    let response = raw(reqwest::Method::GET, other_org, Some(BASIC), None).await;
    assert_eq!(response.status(), 404);
    assert_eq!(raw_json(response).await["status"], 404);

    let response = raw(
        reqwest::Method::GET,
        cloud_path(&fake, "dashboards"),
        None,
        None,
    )
    .await;
    assert_eq!(response.status(), 401);
    assert_eq!(raw_json(response).await["error"], "Unauthorized");
}

// --------------------------------------------------------------- Shared

#[tokio::test]
async fn unknown_routes_get_the_gateway_html_404() {
    let fake = FakeServer::start().await.expect("start");
    let response = raw(
        reqwest::Method::GET,
        format!("{}/v1/nope", fake.base_url()),
        Some(BASIC),
        None,
    )
    .await;
    assert_eq!(response.status(), 404);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert_eq!(
        response.text().await.unwrap_or_default(),
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /v1/nope</pre>\n</body>\n</html>\n"
    );

    let response = raw(
        reqwest::Method::PATCH,
        format!("{}/api/v2/dashboards", fake.base_url()),
        Some(BEARER),
        None,
    )
    .await;
    assert_eq!(response.status(), 404);
    assert!(
        response
            .text()
            .await
            .unwrap_or_default()
            .contains("<pre>Cannot PATCH /api/v2/dashboards</pre>")
    );

    // The generated client turns the page into an error, not a panic
    // (the fake does not serve connections).
    let err = hyperdx(&fake).list_connections().await.expect_err("404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn fail_next_injects_failures_with_retry_after() {
    let fake = FakeServer::start().await.expect("start");
    let client = hyperdx(&fake);
    assert_eq!(fake.request_count(), 0);

    fake.fail_next(429, Some("2"), 2);
    for _ in 0..2 {
        let response = raw(
            reqwest::Method::POST,
            format!("{}/api/v2/dashboards", fake.base_url()),
            Some(BEARER),
            Some(&dashboard_body("never stored").to_string()),
        )
        .await;
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "2");
        assert_eq!(response.headers()["ratelimit-limit"], "100");
        assert!(raw_json(response).await["message"].is_string());
    }
    let listed = client.list_dashboards().await.expect("list").into_inner();
    assert!(
        listed.data.is_empty(),
        "failed requests must not touch state"
    );
    assert_eq!(fake.request_count(), 3);

    // Cloud shape for /v1 paths, and through the generated client.
    fake.fail_next(503, None, 1);
    let err = managed(&fake)
        .click_stack_list_dashboards(&fake.cloud_organization_id(), &fake.cloud_service_id())
        .await
        .expect_err("503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));

    fake.fail_next(500, Some("1"), 1);
    let response = raw(
        reqwest::Method::GET,
        cloud_path(&fake, "alerts"),
        Some(BASIC),
        None,
    )
    .await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.headers()["retry-after"], "1");
    let error = raw_json(response).await;
    assert_eq!(error["status"], 500);
    assert!(error["error"].is_string() && error["requestId"].is_string());
    assert_eq!(fake.request_count(), 5);
}

#[tokio::test]
async fn resources_are_shared_between_the_apis() {
    let fake = FakeServer::start().await.expect("start");
    let (org, service) = (fake.cloud_organization_id(), fake.cloud_service_id());

    let created = hyperdx(&fake)
        .create_dashboard(&body(dashboard_body("Shared")))
        .await
        .expect("create")
        .into_inner();
    let id = created.data.and_then(|d| d.0.id).expect("id");

    let through_cloud = managed(&fake)
        .click_stack_get_dashboard(&org, &service, &id)
        .await
        .expect("get through cloud")
        .into_inner()
        .result
        .expect("result");
    assert_eq!(through_cloud.name.as_deref(), Some("Shared"));
    assert_eq!(through_cloud.tiles.len(), 1);
    assert_eq!(through_cloud.tags, vec!["team-a".to_owned()]);

    // A multi-channel HyperDX alert reads as a single-channel Cloud alert.
    let mut alert = alert_body(1.0);
    alert.as_object_mut().map(|a| a.remove("channel"));
    alert["channels"] = json!([{"type": "webhook", "webhookId": "65f5e4a3b9e77c001a789012"}]);
    let alert = hyperdx(&fake)
        .create_alert(&body(alert))
        .await
        .expect("create alert")
        .into_inner()
        .data
        .and_then(|a| a.id)
        .expect("id");
    let through_cloud = managed(&fake)
        .click_stack_get_alert(&org, &service, &alert)
        .await
        .expect("get alert through cloud")
        .into_inner()
        .result
        .expect("result");
    assert!(matches!(
        through_cloud.channel,
        Some(cloud::types::ClickStackAlertChannel::Webhook(_))
    ));

    // And the other way round.
    let created = managed(&fake)
        .click_stack_create_saved_search(&org, &service, &body(saved_search_body("From cloud")))
        .await
        .expect("create")
        .into_inner()
        .result
        .expect("result");
    let listed = hyperdx(&fake)
        .list_saved_searches(None, None)
        .await
        .expect("list")
        .into_inner();
    assert_eq!(listed.data.len(), 1);
    assert_eq!(listed.data[0].id, created.id);
}

#[tokio::test]
async fn dropping_the_server_stops_it() {
    let fake = FakeServer::start().await.expect("start");
    let url = fake.base_url();
    assert!(format!("{fake:?}").contains(&url));
    drop(fake);
    tokio::task::yield_now().await;
    let result = reqwest::Client::new()
        .get(format!("{url}/api/v2/dashboards"))
        .send()
        .await;
    assert!(result.is_err());
}
