//! The facade against httpmock: envelopes, the error cases, retry rules,
//! Retry-After, the limiter, pagination and secrets.

// Test helpers unwrap as the tests do (clippy.toml's allow-unwrap-in-tests
// covers `#[test]` functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use clickstack::{Client, Error, RateLimit, RetryPolicy, TileConfig};
use httpmock::Method::{GET, POST};
use httpmock::MockServer;
use serde_json::json;
use uuid::Uuid;

const ORG: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const SVC: &str = "4fa85f64-5717-4562-b3fc-2c963f66afa7";

fn cloud_base() -> String {
    format!("/v1/organizations/{ORG}/services/{SVC}/clickstack")
}

/// Fast retries so tests that do sleep only sleep milliseconds.
fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

fn oss(server: &MockServer) -> Client {
    Client::oss(server.base_url(), "secret-api-key")
        .config(|c| c.retry(quick_retries()))
        .build()
        .unwrap()
}

fn cloud(server: &MockServer) -> Client {
    Client::cloud(
        "key-id",
        "secret-key-secret",
        Uuid::parse_str(ORG).unwrap(),
        Uuid::parse_str(SVC).unwrap(),
    )
    .base_url(server.base_url())
    .config(|c| c.retry(quick_retries()))
    .build()
    .unwrap()
}

fn dashboard_json(id: &str) -> serde_json::Value {
    json!({
        "id": id, "name": "Checkout",
        "tiles": [
            {"id": "t1", "name": "Notes", "x": 0, "y": 0, "w": 12, "h": 4,
             "config": {"displayType": "markdown", "markdown": "# hi"}},
            {"id": "t2", "name": "Future", "x": 12, "y": 0, "w": 12, "h": 4,
             "config": {"displayType": "sankey", "nodes": [1, 2]}}
        ],
        "tags": ["prod"]
    })
}

#[tokio::test]
async fn oss_envelope_is_unwrapped() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/dashboards")
                .header("authorization", "Bearer secret-api-key");
            then.status(200)
                .json_body(json!({"data": [dashboard_json("d1")]}));
        })
        .await;
    let dashboards = oss(&server).dashboards().list().await.unwrap();
    assert_eq!(dashboards.len(), 1);
    assert_eq!(dashboards[0].name.as_deref(), Some("Checkout"));
    assert_eq!(
        dashboards[0].tiles()[1]
            .config
            .as_ref()
            .unwrap()
            .display_type(),
        Some("sankey")
    );
    match dashboards[0].tiles()[1].config.as_ref().unwrap() {
        TileConfig::Unknown(raw) => assert_eq!(raw["nodes"], json!([1, 2])),
        other => panic!("an unknown tile kind must stay raw: {other:?}"),
    }
}

#[tokio::test]
async fn cloud_envelope_is_unwrapped() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("{}/dashboards/d1", cloud_base()));
            then.status(200).json_body(
                json!({"status": 200, "requestId": ORG, "result": dashboard_json("d1")}),
            );
        })
        .await;
    let dashboard = cloud(&server).dashboards().get("d1").await.unwrap();
    assert_eq!(dashboard.id.as_deref(), Some("d1"));
    assert_eq!(dashboard.tiles().len(), 2);
}

async fn error_for(status: u16, body: serde_json::Value) -> Error {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(status)
                .header("retry-after", "7")
                .json_body(body);
        })
        .await;
    let client = Client::oss(server.base_url(), "k")
        .config(|c| c.retry(RetryPolicy::none()))
        .build()
        .unwrap();
    client.dashboards().get("d1").await.unwrap_err()
}

#[tokio::test]
async fn every_error_case_is_typed() {
    let e = error_for(404, json!({"message": "NOT_FOUND: Dashboard not found"})).await;
    assert!(matches!(e, Error::NotFound(_)), "{e}");
    assert_eq!(e.message(), Some("NOT_FOUND: Dashboard not found"));
    assert!(matches!(
        error_for(401, json!({"message": "Unauthorized"})).await,
        Error::Unauthorized(_)
    ));
    assert!(matches!(
        error_for(403, json!({"message": "no"})).await,
        Error::Forbidden(_)
    ));
    assert!(matches!(
        error_for(400, json!({"message": "bad"})).await,
        Error::Validation(_)
    ));
    let limited = error_for(429, json!({"message": "slow down"})).await;
    assert!(
        matches!(limited, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(7)),
        "{limited:?}"
    );
    let server_error = error_for(500, json!({"message": "boom"})).await;
    assert!(
        matches!(server_error, Error::Api(ref i) if i.status == 500),
        "{server_error}"
    );
}

#[tokio::test]
async fn cloud_errors_keep_the_request_id() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(400).json_body(
                json!({"status": 400, "error": "name is required", "requestId": "req-42"}),
            );
        })
        .await;
    let e = cloud(&server).dashboards().list().await.unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "{e}");
    assert_eq!(e.message(), Some("name is required"));
    assert_eq!(e.request_id(), Some("req-42"));
    assert!(e.to_string().contains("req-42"));
}

#[tokio::test]
async fn cloud_gateway_html_404_is_an_unknown_route() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(404)
                .header("content-type", "text/html")
                .body("<!DOCTYPE html>\n<html lang=\"en\">\n<body>\n<pre>Cannot GET /v1/organizations/x</pre>\n</body>\n</html>\n");
        })
        .await;
    let e = cloud(&server).dashboards().list().await.unwrap_err();
    assert!(matches!(e, Error::UnknownRoute(_)), "{e:?}");
}

#[tokio::test]
async fn an_undecodable_item_is_reported_and_a_body_that_is_not_json_keeps_the_raw_body() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/api/v2/dashboards");
            then.status(200)
                .header("content-type", "application/json")
                .body("{\"data\": [{\"id\": \"d0\", \"name\": 5}, {\"id\": \"d1\", \"name\": \"ok\"}]}");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/api/v2/dashboards/d0");
            then.status(200)
                .header("content-type", "application/json")
                .body("{\"data\": {\"id\": \"d0\", \"name\": 5}}");
        })
        .await;
    let listing = oss(&server).dashboards().list().await.unwrap();
    assert_eq!(listing.len(), 1);
    assert_eq!(listing[0].name.as_deref(), Some("ok"));
    let bad = &listing.undecodable[0];
    assert_eq!(
        (bad.index, bad.path.as_str(), bad.id.as_deref()),
        (0, "name", Some("d0"))
    );
    assert_eq!(bad.raw, serde_json::json!({"id": "d0", "name": 5}));
    assert!(bad.to_string().contains("at `name`"), "{bad}");
    // One item read by itself is the whole body: it fails, keeping it.
    match oss(&server).dashboards().get("d0").await.unwrap_err() {
        Error::Decode { message, body, .. } => {
            assert!(body.contains("\"name\": 5"), "{body}");
            assert!(message.contains("data.name"), "{message}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn transport_and_timeout_errors() {
    // Nothing listens on this port.
    let client = Client::oss("http://127.0.0.1:9", "k")
        .config(|c| c.retry(RetryPolicy::none()))
        .build()
        .unwrap();
    assert!(matches!(
        client.dashboards().list().await.unwrap_err(),
        Error::Transport(_)
    ));

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200)
                .delay(Duration::from_millis(800))
                .json_body(json!({"data": []}));
        })
        .await;
    let client = Client::oss(server.base_url(), "k")
        .config(|c| c.attempt_timeout(Some(Duration::from_millis(100))))
        .config(|c| c.retry(RetryPolicy::none()))
        .build()
        .unwrap();
    assert!(matches!(
        client.dashboards().list().await.unwrap_err(),
        Error::Timeout(_)
    ));
}

#[tokio::test]
async fn idempotent_requests_are_retried_on_503() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/dashboards");
            then.status(503)
                .json_body(json!({"message": "unavailable"}));
        })
        .await;
    let e = oss(&server).dashboards().list().await.unwrap_err();
    assert!(matches!(e, Error::Api(ref i) if i.status == 503), "{e}");
    assert_eq!(failing.calls_async().await, 4, "1 attempt + 3 retries");
}

#[tokio::test]
async fn post_is_sent_once_on_503_unless_opted_in() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/v2/dashboards");
            then.status(503)
                .json_body(json!({"message": "unavailable"}));
        })
        .await;
    let dashboard = clickstack::Dashboard::new("x");
    assert!(oss(&server).dashboards().create(&dashboard).await.is_err());
    assert_eq!(
        failing.calls_async().await,
        1,
        "a POST must not be retried by default"
    );

    let opted_in = Client::oss(server.base_url(), "k")
        .config(|c| {
            c.retry(RetryPolicy {
                retry_non_idempotent: true,
                ..quick_retries()
            })
        })
        .build()
        .unwrap();
    assert!(opted_in.dashboards().create(&dashboard).await.is_err());
    assert_eq!(failing.calls_async().await, 1 + 4);
}

/// A client whose waits run on tokio's clock only: no reqwest timers (no
/// attempt timeout, no deadline), so paused time advances exactly by the
/// sleeps the client decides on.
fn paused_time_client(server: &MockServer, retry: RetryPolicy) -> clickstack::ClientBuilder {
    Client::oss(server.base_url(), "k")
        .config(|c| c.retry(retry))
        .config(|c| c.attempt_timeout(None))
        .config(|c| c.deadline(None))
        .config(|c| c.rate_limit(None))
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_without_real_sleeps() {
    let server = MockServer::start_async().await;
    let limited = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/sources");
            then.status(429)
                .header("retry-after", "30")
                .json_body(json!({"message": "slow down"}));
        })
        .await;
    let client = paused_time_client(
        &server,
        RetryPolicy {
            max_retries: 2,
            ..quick_retries()
        },
    )
    .build()
    .unwrap();
    let wall = std::time::Instant::now();
    let clock = tokio::time::Instant::now();
    let e = client.sources().list().await.unwrap_err();
    assert!(matches!(e, Error::RateLimited { .. }), "{e}");
    assert_eq!(limited.calls_async().await, 3);
    // Two waits of the server's 30 s on the (paused) clock, not the 1-5 ms backoff...
    assert!(
        clock.elapsed() >= Duration::from_secs(60),
        "{:?}",
        clock.elapsed()
    );
    // ...and no real waiting.
    assert!(
        wall.elapsed() < Duration::from_secs(10),
        "{:?}",
        wall.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn the_limiter_holds_a_bulk_job_to_the_rate() {
    let server = MockServer::start_async().await;
    let listed = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/sources");
            then.status(200).json_body(json!({"data": []}));
        })
        .await;
    let client = paused_time_client(&server, RetryPolicy::none())
        .config(|c| c.rate_limit(Some(RateLimit::new(10, Duration::from_secs(10)))))
        .build()
        .unwrap();
    let clock = tokio::time::Instant::now();
    for _ in 0..25 {
        client.sources().list().await.unwrap();
    }
    assert_eq!(listed.calls_async().await, 25);
    // 10 at once, 10 more after 10 s, the last 5 after 20 s. (Only a lower
    // bound: while a request waits on the socket, paused time may jump to
    // unrelated timers such as the connection pool's; the limiter's exact
    // schedule is tested in its unit tests.)
    let elapsed = clock.elapsed();
    assert!(elapsed >= Duration::from_secs(20), "{elapsed:?}");
}

#[tokio::test]
async fn paginated_lists_fetch_every_page() {
    let server = MockServer::start_async().await;
    let alert = |i: usize| json!({"id": format!("a{i}"), "threshold": i, "interval": "5m", "thresholdType": "above"});
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/alerts")
                .query_param("offset", "0")
                .query_param("limit", "100");
            then.status(200).json_body(json!({
                "data": (0..100).map(alert).collect::<Vec<_>>(),
                "meta": {"total": 130, "limit": 100, "offset": 0}
            }));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v2/alerts")
                .query_param("offset", "100");
            then.status(200).json_body(json!({
                "data": (100..130).map(alert).collect::<Vec<_>>(),
                "meta": {"total": 130, "limit": 100, "offset": 100}
            }));
        })
        .await;
    let alerts = oss(&server).alerts().list().await.unwrap();
    assert_eq!(alerts.len(), 130);
    assert_eq!(alerts[129].id.as_deref(), Some("a129"));
    first.assert_async().await;
    second.assert_async().await;
}

#[tokio::test]
async fn paging_metadata_that_makes_no_sense_is_ignored_and_bad_items_do_not_end_a_stream() {
    use futures_util::StreamExt;
    let server = MockServer::start_async().await;
    let alert = |i: usize| json!({"id": format!("a{i}"), "threshold": i});
    // Full pages whose total is negative, then smaller than what was
    // received, then a short page: the list ends on the short page.
    for (offset, total, items) in [
        (0, json!(-5), 0..2),
        (2, json!(1), 2..4),
        (4, json!(3), 4..5),
    ] {
        let mut data: Vec<_> = items.map(alert).collect();
        if offset == 2 {
            data[0] = json!({"id": "a2", "threshold": "not a number"});
        }
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path("/api/v2/alerts")
                    .query_param("offset", offset.to_string());
                then.status(200).json_body(json!({
                    "data": data, "meta": {"total": total, "limit": 2, "offset": offset}
                }));
            })
            .await;
    }
    let client = Client::oss(server.base_url(), "k")
        .page_size(2)
        .config(|c| c.rate_limit(None))
        .build()
        .unwrap();
    let listing = client.alerts().list().await.unwrap();
    let ids: Vec<_> = listing.iter().map(|a| a.id.clone().unwrap()).collect();
    assert_eq!(ids, ["a0", "a1", "a3", "a4"]);
    assert_eq!(listing.undecodable.len(), 1);
    assert_eq!(
        (
            listing.undecodable[0].index,
            listing.undecodable[0].id.as_deref()
        ),
        (2, Some("a2"))
    );
    // A stream yields the bad item as an error in its place, and goes on.
    let shapes: Vec<String> = client
        .alerts()
        .stream()
        .map(|r| match r {
            Ok(a) => a.id.unwrap(),
            Err(Error::UndecodableItem(bad)) => format!("bad {}", bad.index),
            Err(e) => panic!("{e}"),
        })
        .collect()
        .await;
    assert_eq!(shapes, ["a0", "a1", "bad 2", "a3", "a4"]);
}

#[tokio::test]
async fn dashboards_as_code_stops_at_a_dashboard_it_cannot_read() {
    use clickstack::as_code::{PlanningError, Problem};
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/dashboards");
            then.status(200).json_body(json!({"data": [
                {"id": "d1", "name": "Service health", "tiles": [{"name": "broken"}]}
            ]}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/sources");
            then.status(200).json_body(json!({"data": []}));
        })
        .await;
    let mut documents = clickstack::Documents::default();
    documents
        .dashboards
        .push(clickstack::DashboardDocument::new(
            clickstack::Dashboard::new("Service health"),
        ));
    let plan = oss(&server)
        .plan(&documents, &clickstack::PlanOptions::default())
        .await;
    match plan {
        Err(PlanningError::Problems(e)) => {
            assert!(
                matches!(&e.problems[..], [Problem::Unreadable { item, .. }] if item.id.as_deref() == Some("d1")),
                "{e}"
            );
            assert!(e.to_string().contains("missing field `x`"), "{e}");
        }
        other => panic!("expected the unreadable dashboard to stop the plan: {other:?}"),
    }
}

#[tokio::test]
async fn secrets_are_absent_from_debug_and_errors() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(401)
                .json_body(json!({"status": 401, "error": "bad key", "requestId": "r"}));
        })
        .await;
    let client = cloud(&server);
    let debug = format!("{client:?}");
    let e = client.dashboards().list().await.unwrap_err();
    for text in [debug, e.to_string(), format!("{e:?}")] {
        assert!(!text.contains("secret-key-secret"), "{text}");
        // base64("key-id:secret-key-secret")
        assert!(!text.contains("a2V5LWlkOnNlY3JldC1rZXktc2VjcmV0"), "{text}");
    }
}

#[tokio::test(start_paused = true)]
async fn an_exhausted_ratelimit_quota_holds_the_next_request() {
    let server = MockServer::start_async().await;
    let listed = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/sources");
            then.status(200)
                .header("ratelimit-limit", "100")
                .header("ratelimit-remaining", "0")
                .header("ratelimit-reset", "30")
                .json_body(json!({"data": []}));
        })
        .await;
    let client = paused_time_client(&server, RetryPolicy::none())
        .build()
        .unwrap();
    client.sources().list().await.unwrap();
    let clock = tokio::time::Instant::now();
    client.sources().list().await.unwrap();
    assert!(
        clock.elapsed() >= Duration::from_secs(30),
        "{:?}",
        clock.elapsed()
    );
    assert_eq!(listed.calls_async().await, 2);
}

#[tokio::test]
async fn unlisted_success_statuses() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(httpmock::Method::DELETE)
                .path("/api/v2/dashboards/d1");
            then.status(204);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/v2/dashboards");
            then.status(201)
                .json_body(json!({"data": dashboard_json("d2")}));
        })
        .await;
    let client = oss(&server);
    // The delete happened: a 204 is success.
    client.dashboards().delete("d1").await.unwrap();
    // A created item behind a status the spec does not list is reported as
    // undecodable with its status and body, never as a server error.
    let dashboard = clickstack::Dashboard::new("x");
    match client.dashboards().create(&dashboard).await.unwrap_err() {
        Error::UnexpectedSuccess { status: 201, body } => assert!(body.contains("d2"), "{body}"),
        other => panic!("expected UnexpectedSuccess with 201, got {other:?}"),
    }
}
