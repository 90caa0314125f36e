//! Every request gets a `clickstack.request` span with its real method,
//! the operation id, the path, the attempt and the status, and no
//! credentials; also through the generated clients directly.

// Test helpers unwrap as tests do; span ids are small.
#![allow(clippy::unwrap_used, clippy::cast_possible_truncation)]

use std::sync::{Arc, Mutex};

use clickstack::{Client, RetryPolicy};
use httpmock::MockServer;
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A span's name and its fields as text.
type RecordedSpan = (String, Vec<(String, String)>);

/// Records every span's name and fields as text.
#[derive(Clone, Default)]
struct Recorder {
    spans: Arc<Mutex<Vec<RecordedSpan>>>,
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .push((field.name().to_string(), format!("{value:?}")));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut spans = self.spans.lock().unwrap();
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        spans.push((attrs.metadata().name().to_string(), fields));
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        if let Some((_, fields)) = spans.get_mut(span.into_u64() as usize - 1) {
            values.record(&mut Fields(fields));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn one_span_per_attempt_with_status_and_no_secrets() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(503)
                .json_body(json!({"message": "unavailable"}));
        })
        .await;
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let client = Client::oss(server.base_url(), "span-secret-key")
        .config(|c| {
            c.retry(RetryPolicy {
                max_retries: 1,
                base_delay: std::time::Duration::from_millis(1),
                ..RetryPolicy::default()
            })
        })
        .build()
        .unwrap();
    assert!(client.dashboards().get("d1").await.is_err());

    let spans = recorder.spans.lock().unwrap();
    let requests: Vec<_> = spans
        .iter()
        .filter(|(name, _)| name == "clickstack.request")
        .collect();
    assert_eq!(requests.len(), 2, "one span per attempt");
    for (i, (_, fields)) in requests.iter().enumerate() {
        let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(get("http.request.method").as_deref(), Some("GET"));
        assert_eq!(
            get("clickstack.operation").as_deref(),
            Some("\"get_dashboard\"")
        );
        assert_eq!(
            get("url.path").as_deref(),
            Some("\"/api/v2/dashboards/d1\"")
        );
        assert_eq!(get("attempt"), Some((i + 1).to_string()));
        assert_eq!(get("http.response.status_code").as_deref(), Some("503"));
    }
    let everything = format!("{:?}", *spans);
    assert!(!everything.contains("span-secret-key"), "{everything}");
}

#[tokio::test]
async fn the_generated_clients_get_spans_retries_and_the_limiter_too() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(503)
                .json_body(json!({"message": "unavailable"}));
        })
        .await;
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let config = clickstack::oss::Client::default_config(clickstack::oss::Credentials::bearer("k"))
        .retry(RetryPolicy {
            max_retries: 2,
            base_delay: std::time::Duration::from_millis(1),
            ..RetryPolicy::default()
        });
    let client = clickstack::oss::Client::with_config(&server.base_url(), config).unwrap();
    assert_eq!(
        client.context().rate_limit(),
        Some(clickstack::RateLimit::HYPERDX)
    );
    assert!(client.list_sources().await.is_err());
    assert_eq!(failing.calls_async().await, 3, "1 attempt + 2 retries");
    let spans = recorder.spans.lock().unwrap();
    let operations: Vec<String> = spans
        .iter()
        .filter(|(name, _)| name == "clickstack.request")
        .filter_map(|(_, fields)| {
            fields
                .iter()
                .find(|(n, _)| n == "clickstack.operation")
                .map(|(_, v)| v.clone())
        })
        .collect();
    assert_eq!(operations, vec!["\"list_sources\""; 3]);
}
