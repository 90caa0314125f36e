//! The entry point of every request: counting, fault injection, dispatch
//! to the API it belongs to, and the gateway's 404 page for the rest.

use std::convert::Infallible;

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::AUTHORIZATION;

use super::http::{self, Request, Response};
use super::state::Shared;
use super::{cloud, oss};

/// Which API a path belongs to, for error shapes and headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// `/v1/...`: ClickHouse Cloud.
    Cloud,
    /// Anything else: HyperDX.
    Oss,
}

impl Family {
    fn of(path: &str) -> Family {
        if path == "/v1" || path.starts_with("/v1/") {
            Family::Cloud
        } else {
            Family::Oss
        }
    }
}

/// Serves one HTTP request.
pub(crate) async fn serve(
    shared: &Shared,
    request: hyper::Request<Incoming>,
) -> Result<Response, Infallible> {
    shared.count_request();
    let (parts, body) = request.into_parts();
    let family = Family::of(parts.uri.path());
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) => {
            let message = format!("Could not read the request body: {err}");
            return Ok(finish(shared, family, error(family, 400, &message)));
        }
    };
    let request = Request {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        authorization: parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body,
    };
    Ok(finish(shared, family, respond(shared, family, &request)))
}

/// The response to a buffered request.
fn respond(shared: &Shared, family: Family, request: &Request) -> Response {
    if let Some(fault) = shared.take_fault() {
        // An out-of-range status is answered as 500, in the body too.
        let status = http::status_code(fault.status).as_u16();
        let mut response = error(family, status, http::reason(status));
        if let Some(retry_after) = &fault.retry_after {
            http::set_header(&mut response, "retry-after", retry_after);
        }
        return response;
    }
    let handled = match family {
        Family::Cloud => cloud::handle(shared, request),
        Family::Oss => oss::handle(shared, request),
    };
    handled.unwrap_or_else(|| http::not_routed(&request.method, &request.path))
}

/// An error in the shape of `family`'s API.
fn error(family: Family, status: u16, message: &str) -> Response {
    match family {
        Family::Cloud => cloud::error(status, message),
        Family::Oss => oss::error(status, message),
    }
}

/// Adds HyperDX's rate-limit headers to HyperDX API responses.
fn finish(shared: &Shared, family: Family, mut response: Response) -> Response {
    if family == Family::Oss {
        oss::add_rate_limit_headers(&mut response, shared.rate_limit());
    }
    response
}
