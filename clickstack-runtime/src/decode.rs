//! Reading and decoding response bodies, in one place for both APIs.
//!
//! - A body is read as it streams in and refused as soon as it passes
//!   [`crate::Limits::max_body_bytes`] (a `Content-Length` above it is
//!   refused before reading).
//! - A success body is decoded in one pass; only when that fails is it
//!   decoded again to name the failing field (``at `data[3].tiles[0]`: ...``).
//! - An error body is decoded into the API's error type ([`ErrorBody`]); a
//!   body that is not that JSON (a gateway's HTML page, plain text) becomes
//!   an error value holding an excerpt of the text.
//! - Every text kept in an error is an excerpt of at most
//!   [`crate::Limits::max_error_excerpt`] bytes, with the client's
//!   credentials redacted.

use bytes::Bytes;
use progenitor_client::{Error, ResponseValue};
use reqwest::Response;
use serde::de::DeserializeOwned;

use crate::config::Context;
use crate::error::status_prefix;
use crate::redact::excerpt;

/// The error body type of a generated client (Cloud `{status, error,
/// requestId}`, `HyperDX` `{message}`), implemented by the code generator.
pub trait ErrorBody: DeserializeOwned {
    /// An error value for a body that is not the API's JSON error shape:
    /// `text` is an excerpt of the body.
    fn from_text(status: u16, text: String) -> Self;
    /// The server's message, if any.
    fn message(&self) -> Option<&str>;
    /// The server's message, for shortening it.
    fn message_mut(&mut self) -> Option<&mut String>;
    /// The request id the server assigned, if any.
    fn request_id(&self) -> Option<&str>;
    /// The request id, for shortening and redacting it.
    fn request_id_mut(&mut self) -> Option<&mut String>;
}

/// The longest request id kept in an error.
pub(crate) const MAX_REQUEST_ID: usize = 256;

/// A server text as it may go into an error: credentials redacted, at most
/// `max` bytes.
pub(crate) fn clean(context: &Context, text: &str, max: usize) -> String {
    excerpt(&context.redactor().redact(text), max).into_owned()
}

/// Why a body could not be read whole.
enum ReadError {
    /// The transport failed (or the attempt timed out) while reading.
    Transport(reqwest::Error),
    /// The body passed the limit; what was read so far is kept.
    TooLarge(Vec<u8>),
}

/// The most a declared `Content-Length` reserves before any byte arrives
/// (the default body limit).
const PREALLOCATE_MAX: usize = 32 * 1024 * 1024;

/// Reads at most `max` bytes of a body.
async fn read_limited(mut response: Response, max: usize) -> Result<Vec<u8>, ReadError> {
    let declared = response
        .content_length()
        .and_then(|n| usize::try_from(n).ok());
    if declared.is_some_and(|n| n > max) {
        return Err(ReadError::TooLarge(Vec::new()));
    }
    // A declared length within the limit is allocated once, exactly: a body
    // read by doubling would hold up to twice its size while it is decoded.
    // The length is a claim, not a promise, so the allocation is also
    // capped at `PREALLOCATE_MAX` whatever the limit. A server that declares
    // a length and then stalls holds no more memory than one that sends
    // that many bytes slowly, and only until the call's deadline.
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(max).min(PREALLOCATE_MAX));
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if body.len().saturating_add(chunk.len()) > max {
            let room = max - body.len();
            body.extend_from_slice(&chunk[..room]);
            return Err(ReadError::TooLarge(body));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// How much of an error body is read: real error bodies are small, so at
/// most 1 MiB (or the body limit, if lower); the rest is never read.
fn error_body_limit(context: &Context) -> usize {
    context.limits().max_body_bytes.min(1024 * 1024)
}

/// A redacted excerpt of a body, as bytes for `Error::InvalidResponsePayload`.
fn body_excerpt(context: &Context, body: &[u8]) -> Bytes {
    let text = String::from_utf8_lossy(body);
    let text = context.redactor().redact(&text);
    Bytes::from(excerpt(&text, context.limits().max_error_excerpt).into_owned())
}

/// A decode error naming the path of the field that failed, for a body
/// that did not decode as `T` (decoded a second time only on this path).
fn path_error<T: DeserializeOwned>(
    context: &Context,
    status: u16,
    body: &[u8],
) -> serde_json::Error {
    let de = &mut serde_json::Deserializer::from_slice(body);
    let message = match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(_) => "the body decodes only when retried".to_string(),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner().to_string();
            if path.is_empty() || path == "." {
                inner
            } else {
                format!("at `{path}`: {inner}")
            }
        }
    };
    let message = context.redactor().redact(&message).into_owned();
    let message = excerpt(&message, context.limits().max_error_excerpt);
    <serde_json::Error as serde::de::Error>::custom(format!("{}{message}", status_prefix(status)))
}

/// Decodes a success body into `T` (progenitor's `from_response`, within
/// the limits).
pub async fn success<T: DeserializeOwned, E>(
    context: &Context,
    response: Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = response.headers().clone();
    let limit = context.limits().max_body_bytes;
    let body = match read_limited(response, limit).await {
        Ok(body) => body,
        Err(ReadError::Transport(e)) => return Err(Error::ResponseBodyError(e)),
        Err(ReadError::TooLarge(start)) => {
            return Err(Error::InvalidResponsePayload(
                body_excerpt(context, &start),
                <serde_json::Error as serde::de::Error>::custom(format!(
                    "{}the response body is larger than the {limit}-byte limit",
                    status_prefix(status.as_u16())
                )),
            ));
        }
    };
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(_) => Err(Error::InvalidResponsePayload(
            body_excerpt(context, &body),
            path_error::<T>(context, status.as_u16(), &body),
        )),
    }
}

/// Decodes an error body into the API's error type `B` (see the module
/// docs); never fails on the body's content.
pub async fn error<B: ErrorBody, E>(
    context: &Context,
    response: Response,
) -> Result<ResponseValue<B>, Error<E>> {
    let status = response.status();
    let headers = response.headers().clone();
    let limits = context.limits();
    let body = match read_limited(response, error_body_limit(context)).await {
        Ok(body) | Err(ReadError::TooLarge(body)) => body,
        Err(ReadError::Transport(e)) => return Err(Error::ResponseBodyError(e)),
    };
    let value = match serde_json::from_slice::<B>(&body) {
        // Decoded: JSON escapes (`\/`, `\u0068`) are resolved now, so the
        // decoded texts are redacted and cut, not the raw body.
        Ok(mut value) => {
            if let Some(message) = value.message_mut() {
                *message = clean(context, message, limits.max_error_excerpt);
            }
            if let Some(id) = value.request_id_mut() {
                *id = clean(context, id, MAX_REQUEST_ID);
            }
            value
        }
        Err(_) => {
            let text = String::from_utf8_lossy(&body);
            B::from_text(
                status.as_u16(),
                clean(context, text.trim(), limits.max_error_excerpt),
            )
        }
    };
    Ok(ResponseValue::new(value, status, headers))
}

/// The text of a response the client did not expect (a status the spec
/// does not list): a redacted excerpt, read within the limits.
pub async fn unexpected_text(context: &Context, response: Response) -> String {
    let limits = context.limits();
    let body = match read_limited(response, error_body_limit(context)).await {
        Ok(body) | Err(ReadError::TooLarge(body)) => body,
        Err(ReadError::Transport(_)) => Vec::new(),
    };
    let text = String::from_utf8_lossy(&body);
    let text = context.redactor().redact(text.trim());
    excerpt(&text, limits.max_error_excerpt).into_owned()
}
