//! The ClickHouse Cloud API's ClickStack endpoints
//! (`/v1/organizations/{organizationId}/services/{serviceId}/clickstack/...`):
//! HTTP Basic auth, `{status, requestId, result}` envelopes and
//! `{status, error, requestId}` errors.

use serde_json::{Map, Value, json};

use super::FakeServer;
use super::http::{self, Request, Response};
use super::ids::uuid_v4;
use super::resource::{self, Api, Outcome};
use super::state::Shared;
use super::store::Kind;

/// Answers a request under `/v1`; `None` when the method and path are not
/// a route of this API.
pub(crate) fn handle(shared: &Shared, request: &Request) -> Option<Response> {
    let segments = request.segments();
    let [
        "v1",
        "organizations",
        organization,
        "services",
        service,
        "clickstack",
        rest @ ..,
    ] = segments.as_slice()
    else {
        return None;
    };
    let (kind, op) = http::route(&request.method, rest)?;
    // The header the Cloud client sends for the fake's key, encoded by the
    // client crate itself.
    let expected =
        clickstack_cloud::Auth::basic(FakeServer::CLOUD_KEY_ID, FakeServer::CLOUD_KEY_SECRET);
    let credentials = expected
        .authorization()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .unwrap_or_default();
    if !http::has_credentials(request.authorization.as_deref(), "Basic", credentials) {
        return Some(error(401, "Unauthorized"));
    }
    if organization.parse::<uuid::Uuid>().ok() != Some(shared.organization_id) {
        return Some(error(404, "NOT_FOUND: Organization not found"));
    }
    if service.parse::<uuid::Uuid>().ok() != Some(shared.service_id) {
        return Some(error(404, "NOT_FOUND: Service not found"));
    }
    let outcome = resource::execute(&mut shared.store(), kind, op, &request.body, Api::Cloud);
    Some(match outcome {
        Ok(outcome) => success(kind, outcome),
        Err(failure) => error(failure.status(), &failure.message()),
    })
}

/// A Cloud error response: `{"status", "error", "requestId"}`.
pub(crate) fn error(status: u16, message: &str) -> Response {
    let body = json!({
        "status": status,
        "error": message,
        "requestId": uuid_v4().to_string(),
    });
    http::json(status, &body)
}

/// Wraps a successful outcome in the Cloud envelope.
fn success(kind: Kind, outcome: Outcome) -> Response {
    let mut body = Map::new();
    body.insert("status".into(), json!(200));
    body.insert("requestId".into(), json!(uuid_v4().to_string()));
    let result = match outcome {
        Outcome::One(item) => Some(render(kind, item)),
        Outcome::Many(items) => Some(Value::Array(
            items.into_iter().map(|i| render(kind, i)).collect(),
        )),
        Outcome::Deleted => None,
        Outcome::Validation { errors, normalized } => Some(json!({
            "valid": errors.is_empty(),
            "errors": errors,
            "normalized": normalized,
        })),
    };
    if let Some(result) = result {
        body.insert("result".into(), result);
    }
    http::json(200, &Value::Object(body))
}

/// A stored item as the Cloud API returns it.
fn render(kind: Kind, item: Map<String, Value>) -> Value {
    let mut item = resource::readable(kind, item);
    if kind == Kind::Alert {
        single_channel(&mut item);
    }
    Value::Object(item)
}

/// Cloud alerts have one `channel` with a required `type`: take it from
/// `channels` when only that was stored (HyperDX's multi-channel form) and
/// infer a missing `type` from the channel's fields.
fn single_channel(item: &mut Map<String, Value>) {
    let channel = item
        .get("channel")
        .filter(|c| c.is_object())
        .or_else(|| {
            item.get("channels")
                .and_then(Value::as_array)
                .and_then(|c| c.first())
        })
        .cloned();
    let Some(Value::Object(mut channel)) = channel else {
        return;
    };
    if !channel.contains_key("type") {
        let inferred = if channel.contains_key("emailRecipients") {
            "email"
        } else {
            "webhook"
        };
        channel.insert("type".into(), json!(inferred));
    }
    item.insert("channel".into(), Value::Object(channel));
}
