//! The HyperDX External API v2 (`/api/v2/...`): Bearer auth, `{data}`
//! envelopes, `{data, meta}` pagination and `{message}` errors.

use serde_json::{Map, Value, json};

use super::FakeServer;
use super::http::{self, Op, Request, Response};
use super::resource::{self, Api, Outcome};
use super::state::{RATE_LIMIT, RateLimit, Shared};
use super::store::Kind;

/// Path prefix of the HyperDX API.
pub(crate) const PREFIX: [&str; 2] = ["api", "v2"];

/// Largest `limit` the list endpoints accept, and their default.
const MAX_LIMIT: u64 = 1000;

/// Answers a request under `/api/v2`; `None` when the method and path are
/// not a route of this API.
pub(crate) fn handle(shared: &Shared, request: &Request) -> Option<Response> {
    let segments = request.segments();
    let rest = segments.strip_prefix(PREFIX.as_slice())?;
    let (kind, op) = http::route(&request.method, rest)?;
    if !http::has_credentials(
        request.authorization.as_deref(),
        "Bearer",
        FakeServer::API_KEY,
    ) {
        return Some(error(401, "Unauthorized"));
    }
    let page = if op == Op::List && paginated(kind) {
        match Page::from_query(request) {
            Ok(page) => Some(page),
            Err(message) => return Some(error(400, &message)),
        }
    } else {
        None
    };
    let outcome = resource::execute(&mut shared.store(), kind, op, &request.body, Api::Oss);
    Some(match outcome {
        Ok(outcome) => success(kind, outcome, page),
        Err(failure) => error(failure.status(), &failure.message()),
    })
}

/// A HyperDX error response: `{"message": ...}`.
pub(crate) fn error(status: u16, message: &str) -> Response {
    http::json(status, &json!({ "message": message }))
}

/// Sets the `RateLimit-*` headers HyperDX sends on every API response.
pub(crate) fn add_rate_limit_headers(response: &mut Response, limit: RateLimit) {
    http::set_header(response, "ratelimit-limit", &RATE_LIMIT.to_string());
    http::set_header(
        response,
        "ratelimit-remaining",
        &limit.remaining.to_string(),
    );
    http::set_header(response, "ratelimit-reset", &limit.reset.to_string());
}

/// Whether the list endpoint of `kind` is paginated.
fn paginated(kind: Kind) -> bool {
    matches!(kind, Kind::Alert | Kind::Webhook | Kind::SavedSearch)
}

/// `limit` and `offset` of a paginated list.
#[derive(Debug, Clone, Copy)]
struct Page {
    limit: u64,
    offset: u64,
}

impl Page {
    /// Reads and checks `limit` (1..=1000, default 1000) and `offset`
    /// (>= 0, default 0).
    fn from_query(request: &Request) -> Result<Page, String> {
        let number = |name: &str, default: u64, min: u64, max: u64| -> Result<u64, String> {
            let Some(raw) = request.query_param(name) else {
                return Ok(default);
            };
            match raw.trim().parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(format!(
                    "Query validation failed: {name}: expected an integer from {min} to {max}, \
                     received {raw:?}"
                )),
            }
        };
        Ok(Page {
            limit: number("limit", MAX_LIMIT, 1, MAX_LIMIT)?,
            offset: number("offset", 0, 0, u64::from(u32::MAX))?,
        })
    }
}

/// Wraps a successful outcome in HyperDX's envelopes.
fn success(kind: Kind, outcome: Outcome, page: Option<Page>) -> Response {
    let body = match outcome {
        Outcome::One(item) => json!({ "data": render(kind, item) }),
        Outcome::Many(items) => {
            let total = items.len();
            let (items, meta) = match page {
                Some(page) => {
                    let items = items
                        .into_iter()
                        .skip(usize::try_from(page.offset).unwrap_or(usize::MAX))
                        .take(usize::try_from(page.limit).unwrap_or(usize::MAX))
                        .collect();
                    let meta = json!({"total": total, "limit": page.limit, "offset": page.offset});
                    (items, Some(meta))
                }
                None => (items, None),
            };
            let data: Vec<Value> = items.into_iter().map(|i| render(kind, i)).collect();
            match meta {
                Some(meta) => json!({ "data": data, "meta": meta }),
                None => json!({ "data": data }),
            }
        }
        Outcome::Deleted => json!({}),
        Outcome::Validation { errors, normalized } => json!({
            "valid": errors.is_empty(),
            "errors": errors,
            "normalized": normalized,
        }),
    };
    http::json(200, &body)
}

/// A stored item as HyperDX returns it.
fn render(kind: Kind, item: Map<String, Value>) -> Value {
    let mut item = resource::readable(kind, item);
    if kind == Kind::Alert {
        mirror_channels(&mut item);
    }
    Value::Object(item)
}

/// HyperDX responses carry both `channels` and the legacy `channel`, which
/// mirrors the first entry of `channels`.
fn mirror_channels(item: &mut Map<String, Value>) {
    let first = item
        .get("channels")
        .and_then(Value::as_array)
        .and_then(|channels| channels.first())
        .cloned();
    match first {
        Some(first) => {
            item.insert("channel".into(), first);
        }
        None => {
            if let Some(channel) = item.get("channel").filter(|c| c.is_object()).cloned() {
                item.insert("channels".into(), Value::Array(vec![channel]));
            }
        }
    }
}
