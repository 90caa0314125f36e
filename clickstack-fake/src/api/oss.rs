//! The HyperDX External API v2 (`/api/v2/...`) in HyperDX's order: body
//! parsing for the whole app, then per mounted router the rate limiter,
//! then Bearer auth, then the route; `{data}` envelopes, `{data, meta}`
//! pages and `{message}` errors.

use hyper::Method;
use serde_json::{Value, json};

use crate::FakeServer;
use crate::api::{self, Api, Route};
use crate::http::{self, Request, Response};
use crate::problems::Failure;
use crate::rate_limit::Decision;
use crate::resources::{self, Ctx, Outcome};
use crate::state::Shared;

/// The routers HyperDX mounts under `/api/v2`, each behind the rate
/// limiter and auth.
const MOUNTED: &[&str] = &[
    "alerts",
    "charts",
    "connections",
    "dashboards",
    "sources",
    "saved-searches",
    "search",
    "webhooks",
    "team",
];

/// The body of a 429 (`express-rate-limit`'s default message).
const TOO_MANY: &str = "Too many requests, please try again later.";

/// Answers a request that is not under `/v1`.
pub(crate) fn handle(shared: &Shared, request: &Request) -> Response {
    // `express.json()` runs for the whole app, before any router.
    let Ok(body) = request.parsed_body() else {
        return error(400, "Invalid JSON payload");
    };
    let segments = request.segments();
    let method = request.route_method();
    let rest = match segments.as_slice() {
        [api, v2, rest @ ..] if api == "api" && v2 == "v2" => rest,
        _ => return http::not_routed(&request.method, &request.path),
    };
    let Some(first) = rest.first() else {
        // `GET /api/v2`: auth only, no rate limit.
        if method != Method::GET {
            return http::not_routed(&request.method, &request.path);
        }
        if !authorized(request) {
            return http::text(401, "Unauthorized");
        }
        return http::json(200, &root());
    };
    if !MOUNTED.contains(&first.as_str()) {
        return http::not_routed(&request.method, &request.path);
    }
    let decision = shared.hyperdx_limit(&limit_key(request));
    let mut response = if decision.is_some_and(|d| !d.allowed) {
        shared.counters.rate_limited.add(&request.method);
        let mut response = http::html(429, TOO_MANY);
        if let Some(decision) = decision {
            // `Retry-After` is always the whole window, in seconds.
            let window = decision.window_secs.to_string();
            http::set_header(&mut response, "retry-after", &window);
        }
        response
    } else if !authorized(request) {
        http::text(401, "Unauthorized")
    } else {
        match api::route(Api::Oss, &method, rest) {
            None => http::not_routed(&request.method, &request.path),
            Some(route) => execute(shared, request, route, &body),
        }
    };
    if let Some(decision) = decision {
        add_rate_limit_headers(&mut response, decision);
    }
    response
}

/// Runs a routed request against the store.
fn execute(shared: &Shared, request: &Request, route: Route, body: &Value) -> Response {
    let mut store = shared.store();
    let mut ctx = Ctx::new(Api::Oss, &mut store);
    let result = resources::execute(&mut ctx, route, body, request);
    if ctx.wrote {
        shared.counters.writes.add(&request.method);
    }
    match result {
        Ok(outcome) => success(outcome),
        Err(Failure::NotFoundText) => http::text(404, "Not Found"),
        Err(Failure::Raw(status, body)) => http::json(status, &body),
        Err(failure) => error(failure.status(), &failure.message()),
    }
}

/// Whether the request carries the fake's Bearer key.
fn authorized(request: &Request) -> bool {
    http::credentials(request.authorization.as_deref(), "Bearer") == Some(FakeServer::API_KEY)
}

/// The rate limit key: the Bearer token, or the client's address.
fn limit_key(request: &Request) -> String {
    match http::credentials(request.authorization.as_deref(), "Bearer") {
        Some(token) => format!("token:{token}"),
        None => format!("ip:{}", request.peer),
    }
}

/// `GET /api/v2`: the API version and the key's user (inferred shape: the
/// server returns `req.user.toJSON()`).
fn root() -> Value {
    json!({
        "version": "v2",
        "user": {
            "_id": resources::USER_ID,
            "email": "fake@clickstack.invalid",
            "name": "Fake User",
            "team": resources::TEAM_ID,
        },
    })
}

/// A HyperDX error response: `{"message": ...}`.
pub(crate) fn error(status: u16, message: &str) -> Response {
    http::json(status, &json!({ "message": message }))
}

/// Sets the `RateLimit-*` headers HyperDX sends on every limited response.
fn add_rate_limit_headers(response: &mut Response, decision: Decision) {
    http::set_header(response, "ratelimit-limit", &decision.limit.to_string());
    http::set_header(
        response,
        "ratelimit-remaining",
        &decision.remaining.to_string(),
    );
    http::set_header(
        response,
        "ratelimit-reset",
        &decision.reset_secs.to_string(),
    );
}

/// Wraps a successful outcome in HyperDX's envelopes.
fn success(outcome: Outcome) -> Response {
    match outcome {
        Outcome::One(item) => http::json(200, &json!({ "data": item })),
        Outcome::List { items, total, page } => {
            let Some(page) = page else {
                return http::json(200, &json!({ "data": items }));
            };
            let body = json!({
                "data": items,
                "meta": {"total": total, "limit": page.limit, "offset": page.offset},
            });
            let mut response = http::json(200, &body);
            http::set_header(&mut response, "x-total-count", &total.to_string());
            response
        }
        Outcome::Deleted => http::json(200, &json!({})),
        Outcome::Bare(value) => http::json(200, &value),
    }
}
