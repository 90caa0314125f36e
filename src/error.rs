//! The facade's one error type, whichever backend answered.

use std::time::Duration;

/// Result alias for facade operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Details a server put in an error response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiErrorInfo {
    /// HTTP status.
    pub status: u16,
    /// The server's message (`error` on Cloud, `message` on HyperDX).
    pub message: String,
    /// The request id (Cloud), to quote to support.
    pub request_id: Option<String>,
}

impl std::fmt::Display for ApiErrorInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// Everything a facade call can fail with.
///
/// Errors never contain credentials: they are built from statuses, server
/// messages and response bodies, never from request headers.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// 404 for a resource that does not exist.
    NotFound(ApiErrorInfo),
    /// 404 for a route the server does not serve (the Cloud gateway's HTML
    /// "Cannot GET ..." page): the client and the server disagree on the
    /// API, not on a resource.
    UnknownRoute(ApiErrorInfo),
    /// 401: missing or wrong credentials.
    Unauthorized(ApiErrorInfo),
    /// 403: the credentials may not do this.
    Forbidden(ApiErrorInfo),
    /// 429: over the rate limit; `retry_after` is the server's hint.
    RateLimited {
        /// Status, message, request id.
        info: ApiErrorInfo,
        /// How long the server asked to wait, if it said.
        retry_after: Option<Duration>,
    },
    /// 400 or 422: the server rejected the request's content.
    Validation(ApiErrorInfo),
    /// Any other error status (5xx included).
    Api(ApiErrorInfo),
    /// The request could not be sent or the response not read.
    Transport(String),
    /// The connect or total timeout elapsed.
    Timeout,
    /// The response body does not decode; the raw body is kept.
    Decode {
        /// HTTP status of the response, when known.
        status: Option<u16>,
        /// What did not match (names the field's path).
        message: String,
        /// The body as received (lossy UTF-8).
        body: String,
    },
    /// The caller's input cannot be sent (names the field's path).
    InvalidInput(String),
    /// The operation does not exist on this backend.
    Unsupported(&'static str),
    /// Configuration is missing or wrong (e.g. an environment variable).
    Config(String),
}

impl Error {
    /// The HTTP status, for errors that came with one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Decode { status, .. } => *status,
            other => other.info().map(|i| i.status),
        }
    }

    /// The server's error details, for errors that came with a response.
    pub fn info(&self) -> Option<&ApiErrorInfo> {
        match self {
            Error::NotFound(i)
            | Error::UnknownRoute(i)
            | Error::Unauthorized(i)
            | Error::Forbidden(i)
            | Error::Validation(i)
            | Error::Api(i)
            | Error::RateLimited { info: i, .. } => Some(i),
            _ => None,
        }
    }

    /// The server's message, if any.
    pub fn message(&self) -> Option<&str> {
        self.info().map(|i| i.message.as_str())
    }

    /// The request id, if the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.info().and_then(|i| i.request_id.as_deref())
    }

    /// Classifies an error response by status.
    pub(crate) fn from_status(info: ApiErrorInfo, retry_after: Option<Duration>) -> Error {
        match info.status {
            404 if looks_like_unknown_route(&info.message) => Error::UnknownRoute(info),
            404 => Error::NotFound(info),
            401 => Error::Unauthorized(info),
            403 => Error::Forbidden(info),
            429 => Error::RateLimited { info, retry_after },
            400 | 422 => Error::Validation(info),
            _ => Error::Api(info),
        }
    }
}

/// The Cloud gateway answers an unknown route with an HTML page holding
/// `Cannot GET /path` instead of the JSON error envelope.
pub(crate) fn looks_like_unknown_route(body: &str) -> bool {
    let lower = body.trim_start().to_ascii_lowercase();
    (lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.starts_with("<pre"))
        && body.contains("Cannot ")
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::NotFound(i) => write!(f, "not found: {i}"),
            Error::UnknownRoute(i) => write!(
                f,
                "unknown route (the server does not serve this API path; check the base URL): {i}"
            ),
            Error::Unauthorized(i) => write!(f, "unauthorized: {i}"),
            Error::Forbidden(i) => write!(f, "forbidden: {i}"),
            Error::RateLimited { info, retry_after } => {
                write!(f, "rate limited: {info}")?;
                if let Some(d) = retry_after {
                    write!(f, "; retry after {:.1}s", d.as_secs_f64())?;
                }
                Ok(())
            }
            Error::Validation(i) => write!(f, "rejected by the server: {i}"),
            Error::Api(i) => write!(f, "server error: {i}"),
            Error::Transport(m) => write!(f, "transport error: {m}"),
            Error::Timeout => write!(f, "timed out"),
            Error::Decode {
                status, message, ..
            } => match status {
                Some(s) => write!(f, "undecodable response (HTTP {s}): {message}"),
                None => write!(f, "undecodable response: {message}"),
            },
            Error::InvalidInput(m) => write!(f, "invalid input: {m}"),
            Error::Unsupported(what) => write!(f, "not supported by this backend: {what}"),
            Error::Config(m) => write!(f, "configuration: {m}"),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(status: u16, message: &str) -> ApiErrorInfo {
        ApiErrorInfo {
            status,
            message: message.into(),
            request_id: Some("r-1".into()),
        }
    }

    #[test]
    fn classifies_statuses() {
        assert!(matches!(
            Error::from_status(info(404, "NOT_FOUND"), None),
            Error::NotFound(_)
        ));
        let html = "<!DOCTYPE html>\n<html><body><pre>Cannot GET /v1/x</pre></body></html>";
        assert!(matches!(
            Error::from_status(info(404, html), None),
            Error::UnknownRoute(_)
        ));
        assert!(matches!(
            Error::from_status(info(401, ""), None),
            Error::Unauthorized(_)
        ));
        assert!(matches!(
            Error::from_status(info(403, ""), None),
            Error::Forbidden(_)
        ));
        assert!(matches!(
            Error::from_status(info(400, ""), None),
            Error::Validation(_)
        ));
        assert!(matches!(
            Error::from_status(info(503, ""), None),
            Error::Api(_)
        ));
        let limited = Error::from_status(info(429, "slow down"), Some(Duration::from_secs(3)));
        assert!(
            matches!(limited, Error::RateLimited { retry_after: Some(d), .. } if d.as_secs() == 3)
        );
        assert_eq!(limited.status(), Some(429));
        assert_eq!(limited.request_id(), Some("r-1"));
        assert!(
            limited.to_string().contains("retry after 3.0s"),
            "{limited}"
        );
    }
}
