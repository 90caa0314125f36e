//! Helpers shared by the integration tests: a plain `reqwest` client for
//! each API and fixtures (sources, webhooks, dashboards).

#![allow(dead_code, unreachable_pub)]

use clickstack_fake::FakeServer;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A response: status, headers, raw body and the body as JSON (`Null` when
/// it is not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Reply {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `data` of a HyperDX reply.
    pub fn data(&self) -> &Value {
        &self.json["data"]
    }

    /// The HyperDX error message.
    pub fn message(&self) -> &str {
        self.json["message"].as_str().unwrap_or_default()
    }
}

/// Which API and credentials a client uses.
#[derive(Debug, Clone)]
pub enum Auth {
    Bearer(String),
    Basic(String, String),
    None,
}

/// A client for one API of one fake.
#[derive(Debug, Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub root: String,
    pub auth: Auth,
}

impl Api {
    /// The HyperDX API of `fake` with its key.
    pub fn hyperdx(fake: &FakeServer) -> Api {
        Api {
            http: reqwest::Client::new(),
            root: fake.hyperdx_url(),
            auth: Auth::Bearer(FakeServer::API_KEY.into()),
        }
    }

    /// The Cloud API's ClickStack endpoints of `fake` with its key.
    pub fn cloud(fake: &FakeServer) -> Api {
        Api {
            http: reqwest::Client::new(),
            root: fake.cloud_url(),
            auth: Auth::Basic(
                FakeServer::CLOUD_KEY_ID.into(),
                FakeServer::CLOUD_KEY_SECRET.into(),
            ),
        }
    }

    /// The same API with other credentials.
    pub fn with_auth(&self, auth: Auth) -> Api {
        Api {
            auth,
            ..self.clone()
        }
    }

    /// Sends `method path` (relative to the API root) with an optional
    /// JSON body.
    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.root));
        request = match &self.auth {
            Auth::Bearer(token) => request.bearer_auth(token),
            Auth::Basic(id, secret) => request.basic_auth(id, Some(secret)),
            Auth::None => request,
        };
        if let Some(body) = body {
            request = request.json(body);
        }
        reply(request.send().await.expect("request")).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }

    /// Creates a resource and returns what the API answered with (the item,
    /// unwrapped from either API's envelope); panics unless 200.
    pub async fn create(&self, path: &str, body: &Value) -> Value {
        let reply = self.post(path, body).await;
        assert_eq!(reply.status, 200, "POST {path}: {}", reply.text);
        if reply.json.get("result").is_some() {
            reply.json["result"].clone()
        } else {
            reply.json["data"].clone()
        }
    }
}

/// Reads a response.
pub async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        text,
        json,
    }
}

/// The id of a created item.
pub fn id(item: &Value) -> String {
    item["id"].as_str().expect("id").to_owned()
}

/// A valid ObjectId nothing has.
pub const MISSING: &str = "65f5e4a3b9e77c001a999999";

/// A log source body on the fake's default connection.
pub fn log_source(name: &str) -> Value {
    json!({
        "kind": "log",
        "name": name,
        "connection": FakeServer::DEFAULT_CONNECTION_ID,
        "from": {"databaseName": "default", "tableName": "otel_logs"},
        "defaultTableSelectExpression": "Timestamp, Body",
        "timestampValueExpression": "Timestamp",
    })
}

/// A trace source body on the fake's default connection.
pub fn trace_source(name: &str) -> Value {
    json!({
        "kind": "trace",
        "name": name,
        "connection": FakeServer::DEFAULT_CONNECTION_ID,
        "from": {"databaseName": "default", "tableName": "otel_traces"},
        "defaultTableSelectExpression": "Timestamp, SpanName",
        "timestampValueExpression": "Timestamp",
        "durationExpression": "Duration",
        "durationPrecision": 9,
        "traceIdExpression": "TraceId",
        "spanIdExpression": "SpanId",
        "parentSpanIdExpression": "ParentSpanId",
        "spanNameExpression": "SpanName",
        "spanKindExpression": "SpanKind",
    })
}

/// A line tile counting rows of `source`.
pub fn line_tile(name: &str, source: &str) -> Value {
    json!({
        "name": name, "x": 0, "y": 0, "w": 6, "h": 3,
        "config": {"displayType": "line", "sourceId": source, "select": [{"aggFn": "count"}]},
    })
}

/// A markdown tile.
pub fn markdown_tile(name: &str) -> Value {
    json!({
        "name": name, "x": 0, "y": 0, "w": 6, "h": 3,
        "config": {"displayType": "markdown", "markdown": "# Notes"},
    })
}

/// A generic webhook body.
pub fn webhook(name: &str) -> Value {
    json!({"name": name, "service": "generic", "url": "https://example.com/hook"})
}

/// A saved search body on `source`.
pub fn saved_search(name: &str, source: &str) -> Value {
    json!({"name": name, "sourceId": source})
}
