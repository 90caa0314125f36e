//! The entry point of every request: counting, the body size bound, fault
//! injection and dispatch to the API the path belongs to.

use std::convert::Infallible;
use std::net::SocketAddr;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};

use crate::api::{cloud, oss};
use crate::http::{self, MAX_BODY_BYTES, Request, Response};
use crate::state::Shared;

/// Which API's error shape a path gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// `/v1/...`: the ClickHouse Cloud API.
    Cloud,
    /// Anything else: the HyperDX API app.
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

    /// An error in this family's shape.
    fn error(self, status: u16, message: &str) -> Response {
        match self {
            Family::Cloud => cloud::error(status, message),
            Family::Oss => oss::error(status, message),
        }
    }
}

/// Serves one HTTP request from `peer`.
pub(crate) async fn serve(
    shared: &Shared,
    peer: SocketAddr,
    request: hyper::Request<Incoming>,
) -> Result<Response, Infallible> {
    shared.counters.requests.add(request.method());
    let (parts, body) = request.into_parts();
    let family = Family::of(parts.uri.path());
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > u64::try_from(MAX_BODY_BYTES).unwrap_or(u64::MAX)) {
        return Ok(too_large(family));
    }
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) if err.is::<http_body_util::LengthLimitError>() => return Ok(too_large(family)),
        Err(err) => {
            let message = format!("Could not read the request body: {err}");
            return Ok(family.error(400, &message));
        }
    };
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let request = Request {
        method: parts.method.clone(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        authorization: header(AUTHORIZATION),
        content_type: header(CONTENT_TYPE),
        body,
        peer: peer.ip(),
    };
    if let Some(fault) = shared.take_fault() {
        // An out-of-range status is answered as 500, in the body too.
        let status = http::status_code(fault.status).as_u16();
        let mut response = family.error(status, http::reason(status));
        if let Some(retry_after) = &fault.retry_after {
            http::set_header(&mut response, "retry-after", retry_after);
        }
        return Ok(response);
    }
    Ok(match family {
        Family::Cloud => cloud::handle(shared, &request),
        Family::Oss => oss::handle(shared, &request),
    })
}

/// 413 for a body over [`MAX_BODY_BYTES`]: HyperDX's error handler
/// answers it with its generic message.
fn too_large(family: Family) -> Response {
    match family {
        Family::Oss => oss::error(413, "Something went wrong :("),
        Family::Cloud => cloud::error(413, "Request body is too large"),
    }
}
