//! What a newer Cloud server may send must decode and round-trip.

// Test helpers unwrap as the tests do (clippy.toml's allow-unwrap-in-tests
// covers `#[test]` functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use clickstack_cloud::types::{ApiError, ClickStackSelectItem};
use serde_json::json;

#[test]
fn unknown_aggregation_function_is_kept() {
    let item: ClickStackSelectItem =
        serde_json::from_value(json!({"aggFn": "p999_fancy", "valueExpression": "Duration"}))
            .unwrap();
    assert_eq!(
        serde_json::to_value(&item).unwrap()["aggFn"],
        json!("p999_fancy")
    );
    assert!(format!("{:?}", item.agg_fn).contains("Unknown"));
}

#[tokio::test]
async fn non_json_error_body_keeps_status_and_text() {
    let server = httpmock::MockServer::start_async().await;
    server.mock(|when, then| {
        when.any_request();
        then.status(400)
            .header("content-type", "text/html")
            .body("<pre>Bad Request</pre>");
    });
    let client = clickstack_cloud::Client::new(
        &server.base_url(),
        clickstack_cloud::Credentials::basic("id", "secret"),
    )
    .unwrap();
    let org = uuid::Uuid::nil();
    match client.click_stack_list_dashboards(&org, &org).await {
        Err(clickstack_cloud::Error::ErrorResponse(e)) => {
            assert_eq!(e.status().as_u16(), 400);
            let body: &ApiError = &e;
            assert_eq!(body.error.as_deref(), Some("<pre>Bad Request</pre>"));
            assert_eq!(body.status, Some(400));
        }
        other => panic!("expected a typed 400, got {other:?}"),
    }
}
