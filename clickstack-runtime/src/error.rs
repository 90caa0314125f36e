//! One error type for both APIs, classified by status, for the facade and
//! for callers of the generated clients ([`Error::from_generated`]).

use std::time::{Duration, SystemTime};

use crate::config::{ConfigError, Context};
use crate::decode::{self, ErrorBody};
use crate::retry::server_wait;

/// Result alias with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Details a server put in an error response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiErrorInfo {
    /// HTTP status.
    pub status: u16,
    /// The server's message (`error` on Cloud, `message` on `HyperDX`, or an
    /// excerpt of a body that is not JSON), credentials redacted.
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

/// Everything a call can fail with.
///
/// Errors never contain credentials: they are built from statuses, server
/// messages and body excerpts with the client's credentials redacted, and
/// never from request headers.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 404 for a resource that does not exist.
    #[error("not found: {0}")]
    NotFound(ApiErrorInfo),
    /// 404 for a route the server does not serve (an HTML "Cannot GET ..."
    /// page): the client and the server disagree on the API, not on a
    /// resource.
    #[error("unknown route (the server does not serve this API path; check the base URL): {0}")]
    UnknownRoute(ApiErrorInfo),
    /// 401: missing or wrong credentials.
    #[error("unauthorized: {0}")]
    Unauthorized(ApiErrorInfo),
    /// 403: the credentials may not do this.
    #[error("forbidden: {0}")]
    Forbidden(ApiErrorInfo),
    /// 409: the request conflicts with the state of the resource (for
    /// example deleting a webhook that alerts still use).
    #[error("conflict: {0}")]
    Conflict(ApiErrorInfo),
    /// 429: over the rate limit; `retry_after` is the server's hint.
    #[error("rate limited: {info}{}", retry_after.map(|d| format!("; retry after {:.1}s", d.as_secs_f64())).unwrap_or_default())]
    RateLimited {
        /// Status, message, request id.
        info: ApiErrorInfo,
        /// How long the server asked to wait, if it said.
        retry_after: Option<Duration>,
    },
    /// 400 or 422: the server rejected the request's content.
    #[error("rejected by the server: {0}")]
    Validation(ApiErrorInfo),
    /// Any other error status (5xx included).
    #[error("server error: {0}")]
    Api(ApiErrorInfo),
    /// The request could not be sent or the response not read.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// The call's deadline, or an attempt's timeout, passed.
    #[error("timed out")]
    Timeout(#[source] Option<reqwest::Error>),
    /// The response does not decode (or is larger than the body limit, or
    /// its status is a success the API does not list).
    #[error("undecodable response (HTTP {status}): {message}")]
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// What did not match (names the field's path).
        message: String,
        /// An excerpt of the body (at most the configured excerpt size,
        /// credentials redacted).
        body: String,
    },
    /// A success status the API does not list for this operation (a 201
    /// or 204 where it documents 200): the server did what was asked, but
    /// what it answered is unknown.
    #[error("unexpected success status {status}")]
    UnexpectedSuccess {
        /// The status.
        status: u16,
        /// An excerpt of the body.
        body: String,
    },
    /// One item of a list did not decode (the list's other items did). A
    /// list collects these beside its items; a stream yields this error in
    /// the item's place and goes on.
    #[error("{0}")]
    UndecodableItem(Box<crate::UndecodableItem>),
    /// The caller's input cannot be sent (an empty id, a body that does not
    /// fit the API).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The operation does not exist on this backend.
    #[error("not supported by this backend: {0}")]
    Unsupported(&'static str),
    /// A list did not end: the server kept sending pages past the
    /// configured maximum, or contradicted itself.
    #[error("pagination stopped: {0}")]
    Pagination(String),
    /// The client cannot be built from its settings.
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
}

/// The prefix the runtime puts on decode messages so that the status
/// survives progenitor's `InvalidResponsePayload`, which has no field for it.
pub(crate) fn status_prefix(status: u16) -> String {
    format!("HTTP {status}: ")
}

/// Splits a decode message made with [`status_prefix`].
fn split_status(message: &str) -> (u16, &str) {
    message
        .strip_prefix("HTTP ")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(code, rest)| Some((code.parse().ok()?, rest)))
        .unwrap_or((0, message))
}

impl Error {
    /// The HTTP status, for errors that came with a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Decode { status, .. } | Error::UnexpectedSuccess { status, .. } => Some(*status),
            other => other.info().map(|i| i.status),
        }
    }

    /// The server's error details, for errors that came with an error
    /// response.
    pub fn info(&self) -> Option<&ApiErrorInfo> {
        match self {
            Error::NotFound(i)
            | Error::UnknownRoute(i)
            | Error::Unauthorized(i)
            | Error::Forbidden(i)
            | Error::Conflict(i)
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

    /// Whether retrying the same call later may succeed (rate limits,
    /// gateway errors, timeouts, connection failures).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Timeout(_) => true,
            Error::Api(i) => crate::retry::is_retryable_status(i.status),
            Error::Transport(e) => e.is_connect(),
            _ => false,
        }
    }

    /// Classifies an error response by status.
    pub fn from_status(info: ApiErrorInfo, retry_after: Option<Duration>) -> Error {
        match info.status {
            404 if looks_like_unknown_route(&info.message) => Error::UnknownRoute(info),
            404 => Error::NotFound(info),
            401 => Error::Unauthorized(info),
            403 => Error::Forbidden(info),
            409 => Error::Conflict(info),
            429 => Error::RateLimited { info, retry_after },
            400 | 422 => Error::Validation(info),
            _ => Error::Api(info),
        }
    }

    /// A transport error, or a timeout when it is one.
    pub fn from_reqwest(error: reqwest::Error) -> Error {
        if error.is_timeout() {
            Error::Timeout(Some(error))
        } else {
            Error::Transport(error)
        }
    }

    /// Converts an error of a generated client (`clickstack_cloud` or
    /// `clickstack_oss`) made with `context` into this type, reading the
    /// body of a response the client did not expect within the limits.
    pub async fn from_generated<B: ErrorBody>(
        context: &Context,
        error: progenitor_client::Error<B>,
    ) -> Error {
        use progenitor_client::Error as G;
        match error {
            G::ErrorResponse(value) => {
                let status = value.status().as_u16();
                let retry_after = server_wait(status, value.headers(), SystemTime::now());
                let body = value.into_inner();
                let max = context.limits().max_error_excerpt;
                let info = ApiErrorInfo {
                    status,
                    message: decode::clean(context, body.message().unwrap_or_default(), max),
                    request_id: body
                        .request_id()
                        .map(|id| decode::clean(context, id, decode::MAX_REQUEST_ID)),
                };
                Error::from_status(info, retry_after)
            }
            G::UnexpectedResponse(response) => {
                let status = response.status().as_u16();
                let retry_after = server_wait(status, response.headers(), SystemTime::now());
                let text = decode::unexpected_text(context, response).await;
                if (200..300).contains(&status) {
                    return Error::UnexpectedSuccess { status, body: text };
                }
                let (message, request_id) = message_from_text(text);
                let max = context.limits().max_error_excerpt;
                Error::from_status(
                    ApiErrorInfo {
                        status,
                        message: decode::clean(context, &message, max),
                        request_id: request_id
                            .map(|id| decode::clean(context, &id, decode::MAX_REQUEST_ID)),
                    },
                    retry_after,
                )
            }
            G::CommunicationError(e) | G::ResponseBodyError(e) | G::InvalidUpgrade(e) => {
                // The error's URL may be a server's redirect `Location`,
                // which may hold a credential.
                let leaks = e.url().is_some_and(|url| {
                    !context.redactor().is_empty()
                        && context.redactor().redact(url.as_str()) != url.as_str()
                });
                Error::from_reqwest(if leaks { e.without_url() } else { e })
            }
            G::InvalidResponsePayload(body, e) => {
                let message = e.to_string();
                let (status, message) = split_status(&message);
                Error::Decode {
                    status,
                    message: message.to_string(),
                    body: String::from_utf8_lossy(&body).into_owned(),
                }
            }
            G::InvalidRequest(m) => Error::InvalidInput(m),
            G::Custom(m) => Error::InvalidInput(m),
        }
    }
}

/// The message and request id of an error body the client did not expect:
/// a JSON error envelope of either API, or the text itself.
fn message_from_text(text: String) -> (String, Option<String>) {
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&text) {
        let field = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_string);
        if let Some(message) = field("error").or_else(|| field("message")) {
            return (message, field("requestId"));
        }
    }
    (text, None)
}

/// An unknown route answers an HTML page holding `Cannot GET /path`
/// instead of the JSON error envelope (Express, the Cloud gateway).
fn looks_like_unknown_route(body: &str) -> bool {
    let lower = body.trim_start().to_ascii_lowercase();
    (lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.starts_with("<pre"))
        && body.contains("Cannot ")
}

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
            Error::from_status(info(409, ""), None),
            Error::Conflict(_)
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
        assert!(limited.is_transient());
    }

    #[test]
    fn error_bodies_of_either_api() {
        assert_eq!(
            message_from_text(r#"{"status":400,"error":"bad","requestId":"r"}"#.into()),
            ("bad".to_string(), Some("r".to_string()))
        );
        assert_eq!(
            message_from_text(r#"{"message":"nope"}"#.into()),
            ("nope".to_string(), None)
        );
        assert_eq!(
            message_from_text("Forbidden".into()),
            ("Forbidden".to_string(), None)
        );
        assert_eq!(split_status("HTTP 200: at `x`: bad"), (200, "at `x`: bad"));
        assert_eq!(split_status("bad"), (0, "bad"));
    }
}
