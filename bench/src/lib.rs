//! What the benchmarks share: realistic dashboards, a loopback server that
//! answers one body as fast as it can, and medians.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

/// A dashboard of about 2 KB, shaped like what the servers store.
pub fn dashboard(i: usize) -> Value {
    json!({
        "id": format!("65f5e4a3b9e77c{i:010x}"),
        "name": format!("Service health {i}"),
        "tags": ["production", "team-a"],
        "tiles": [
            {"id": "t1", "name": "Read me", "x": 0, "y": 0, "w": 12, "h": 4,
             "config": {"displayType": "markdown", "markdown": "# Runbook\nPage the on-call engineer when errors spike."}},
            {"id": "t2", "name": "Errors per service", "x": 12, "y": 0, "w": 12, "h": 4,
             "config": {"displayType": "line", "sourceId": "65f5e4a3b9e77c001a111111",
                        "select": [{"aggFn": "count", "valueExpression": "", "where": "SeverityText:error", "whereLanguage": "lucene", "alias": "errors"}],
                        "groupBy": "ServiceName", "asRatio": false, "fillNulls": true,
                        "numberFormat": {"output": "number", "mantissa": 0, "thousandSeparated": true}}},
            {"id": "t3", "name": "p95 latency", "x": 0, "y": 4, "w": 8, "h": 4,
             "config": {"displayType": "number", "sourceId": "65f5e4a3b9e77c001a222222",
                        "select": [{"aggFn": "quantile", "level": 0.95, "valueExpression": "Duration", "where": "", "whereLanguage": "lucene"}],
                        "numberFormat": {"output": "duration", "factor": 0.001}}},
            {"id": "t4", "name": "Slow endpoints", "x": 8, "y": 4, "w": 16, "h": 6,
             "config": {"displayType": "table", "sourceId": "65f5e4a3b9e77c001a222222",
                        "select": [{"aggFn": "avg", "valueExpression": "Duration", "where": "", "whereLanguage": "lucene"},
                                   {"aggFn": "count", "valueExpression": "", "where": "", "whereLanguage": "lucene"}],
                        "groupBy": "SpanName", "orderBy": "avg(Duration) DESC", "asRatio": false}},
            {"id": "t5", "name": "Recent errors", "x": 0, "y": 10, "w": 24, "h": 6,
             "config": {"displayType": "search", "sourceId": "65f5e4a3b9e77c001a111111",
                        "select": "Timestamp, ServiceName, Body", "where": "SeverityText:error", "whereLanguage": "lucene"}}
        ],
        "filters": [{"id": "f1", "type": "QUERY_EXPRESSION", "name": "Service", "expression": "ServiceName",
                     "sourceId": "65f5e4a3b9e77c001a111111"}],
        "savedQuery": null, "savedQueryLanguage": null,
        "savedFilterValues": []
    })
}

/// A HyperDX list envelope of `n` dashboards.
pub fn dashboard_list(n: usize) -> Vec<u8> {
    let list: Vec<Value> = (0..n).map(dashboard).collect();
    serde_json::to_vec(&json!({"data": list})).unwrap_or_default()
}

/// Serves `body` as `application/json` to every request, over HTTP/1.1
/// keep-alive, until the runtime stops; returns the address.
pub async fn serve(body: Bytes) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let service = service_fn(move |_request| {
                    let body = body.clone();
                    async move {
                        Ok::<_, Infallible>(
                            hyper::Response::builder()
                                .header("content-type", "application/json")
                                .body(Full::new(body))
                                .unwrap_or_default(),
                        )
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(address)
}

/// The median of some durations.
pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}
