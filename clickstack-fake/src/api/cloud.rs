//! The ClickHouse Cloud API's ClickStack endpoints
//! (`/v1/organizations/{organizationId}/services/{serviceId}/clickstack/...`):
//! the per-key rate limit, HTTP Basic auth, `{status, requestId, result}`
//! envelopes and `{status, error, requestId}` errors. Behind the gateway
//! runs the same backend as HyperDX, so the resources behave the same.
//!
//! Inferred (the Cloud gateway's code is not public): the limiter runs
//! first, for every `/v1` path, keyed by the Basic key id (the client's
//! address without one); a 429 carries `Retry-After` (seconds until the
//! oldest request leaves the window) and a message of the fake's own; the
//! 401, the 404s for another organization or service, the 413 and an
//! invalid JSON body use the messages below; the backend's error messages
//! pass through unchanged in `error` (`Not Found` for an unknown dashboard).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use crate::FakeServer;
use crate::api::{self, Api, Route};
use crate::http::{self, Request, Response};
use crate::ids::uuid_v4;
use crate::resources::{self, Ctx, Outcome};
use crate::state::Shared;

/// Answers a request under `/v1`.
pub(crate) fn handle(shared: &Shared, request: &Request) -> Response {
    let key = basic_credentials(request).map_or_else(
        || format!("ip:{}", request.peer),
        |(id, _)| format!("key:{id}"),
    );
    if let Some(decision) = shared.cloud_limit(&key)
        && !decision.allowed
    {
        shared.counters.rate_limited.add(&request.method);
        let retry = decision.reset_secs;
        let mut response = error(
            429,
            &format!(
                "Too many requests: the limit is {} requests per {} seconds per API key; retry in {retry} s",
                decision.limit, decision.window_secs
            ),
        );
        http::set_header(&mut response, "retry-after", &retry.to_string());
        return response;
    }
    let segments = request.segments();
    let method = request.route_method();
    let [
        v1,
        organizations,
        organization,
        services,
        service,
        clickstack,
        rest @ ..,
    ] = segments.as_slice()
    else {
        return http::not_routed(&request.method, &request.path);
    };
    if v1 != "v1"
        || organizations != "organizations"
        || services != "services"
        || clickstack != "clickstack"
    {
        return http::not_routed(&request.method, &request.path);
    }
    let Some(route) = api::route(Api::Cloud, &method, rest) else {
        return http::not_routed(&request.method, &request.path);
    };
    let authorized = basic_credentials(request).is_some_and(|(id, secret)| {
        id == FakeServer::CLOUD_KEY_ID && secret == FakeServer::CLOUD_KEY_SECRET
    });
    if !authorized {
        return error(401, "Unauthorized");
    }
    if organization.parse::<uuid::Uuid>().ok() != Some(shared.organization_id) {
        return error(404, "NOT_FOUND: Organization not found");
    }
    if service.parse::<uuid::Uuid>().ok() != Some(shared.service_id) {
        return error(404, "NOT_FOUND: Service not found");
    }
    let Ok(body) = request.parsed_body() else {
        return error(400, "Invalid JSON payload");
    };
    execute(shared, request, route, &body)
}

/// Runs a routed request against the store.
fn execute(shared: &Shared, request: &Request, route: Route, body: &Value) -> Response {
    let mut store = shared.store();
    let mut ctx = Ctx::new(Api::Cloud, &mut store);
    let result = resources::execute(&mut ctx, route, body, request);
    if ctx.wrote {
        shared.counters.writes.add(&request.method);
    }
    match result {
        Ok(outcome) => success(outcome),
        Err(failure) => error(failure.status(), &failure.message()),
    }
}

/// The key id and secret of a `Basic` header.
fn basic_credentials(request: &Request) -> Option<(String, String)> {
    let encoded = http::credentials(request.authorization.as_deref(), "Basic")?;
    let decoded = STANDARD.decode(encoded).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
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
fn success(outcome: Outcome) -> Response {
    let mut body = Map::new();
    body.insert("status".into(), json!(200));
    body.insert("requestId".into(), json!(uuid_v4().to_string()));
    let result = match outcome {
        Outcome::One(item) | Outcome::Bare(item) => Some(item),
        Outcome::List { items, .. } => Some(Value::Array(items)),
        Outcome::Deleted => None,
    };
    if let Some(result) = result {
        body.insert("result".into(), result);
    }
    http::json(200, &Value::Object(body))
}
