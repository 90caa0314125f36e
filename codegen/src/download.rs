//! Reading a spec source, a URL or a file, within bounds of size and time,
//! and checking that it is JSON. `drift` and `update-pin` share it.
//!
//! - **Size**: a body may hold at most [`Limits::max_bytes`]. A declared
//!   `Content-Length` above it fails before any of the body is read; an
//!   undeclared size is read up to one byte past the limit, then reading
//!   stops ([`Problem::TooLarge`]). A file is measured the same way.
//! - **Time**: the whole exchange, connection, redirects and the body
//!   included, must end within [`Limits::timeout`] ([`Problem::Timeout`]).
//! - **Completeness**: a body shorter than its `Content-Length`, or cut off
//!   by an error of the connection, fails ([`Problem::Truncated`]). A body
//!   without a declared length that the server cuts short is caught by the
//!   JSON check instead (the document ends too early).
//! - **Status**: anything but a `2xx` after redirects fails with the status
//!   and the start of the body ([`Problem::Status`]).
//! - **Content**: [`fetch_json`] fails for a body that is not one JSON
//!   document, naming the `Content-Type`, the parser's position and how the
//!   body starts ([`Problem::NotJson`]), such as an HTML page given for a
//!   raw file's URL.
//!
//! Every error is an [`Error::Download`] naming the source.
//!
//! The HTTP client (ureq with rustls) is the `download` feature, on by
//! default; without it a URL fails with [`Problem::NoHttpClient`] and files
//! still work, which is how the clients' build scripts use this crate.

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use crate::{Error, Result};

/// The default [`Limits::max_bytes`]: 32 MiB (the largest upstream spec,
/// Cloud's, is 1.6 MB).
pub const DEFAULT_MAX_BYTES: u64 = 32 * 1024 * 1024;

/// The default [`Limits::timeout`]: 60 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Bounds of one download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest body accepted, in bytes.
    pub max_bytes: u64,
    /// The longest a download may take, from connecting to the body's end.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: DEFAULT_MAX_BYTES,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// Why a source could not be read (see [`Error::Download`]).
#[derive(Debug)]
pub enum Problem {
    /// The server answered with a status other than `2xx`.
    Status {
        /// The HTTP status code.
        code: u16,
        /// The start of the response body, lossily decoded.
        body_start: String,
    },
    /// The download did not end within the time limit.
    Timeout {
        /// The limit.
        limit: Duration,
    },
    /// The body is larger than the size limit.
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
        /// The size the server declared (`Content-Length`) or the file's
        /// size, when known.
        declared: Option<u64>,
    },
    /// The body ended before it was complete.
    Truncated {
        /// The bytes received.
        received: u64,
        /// The length the server declared, if any.
        declared: Option<u64>,
        /// What ended it.
        cause: String,
    },
    /// The body is not a JSON document.
    NotJson {
        /// The response's `Content-Type` (`None` for a file or when absent).
        content_type: Option<String>,
        /// The JSON parser's message, with line and column.
        message: String,
        /// The first characters of the body, whitespace collapsed.
        body_start: String,
    },
    /// No connection or no valid HTTP exchange: name resolution, connect,
    /// TLS, protocol errors.
    Transport {
        /// The HTTP client's message.
        message: String,
    },
    /// This build has no HTTP client (the `download` feature is off).
    NoHttpClient,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Status { code, body_start } => {
                write!(f, "HTTP status {code}")?;
                if let Some(reason) = reason_phrase(*code) {
                    write!(f, " {reason}")?;
                }
                if !body_start.is_empty() {
                    write!(f, "; the body starts with {body_start:?}")?;
                }
                Ok(())
            }
            Problem::Timeout { limit } => write!(
                f,
                "timed out: no complete response within {} s (the time limit of a download; \
                 --timeout SECS sets it)",
                limit.as_secs_f64()
            ),
            Problem::TooLarge { limit, declared } => {
                write!(f, "too large: the body is over the limit of {limit} bytes")?;
                if let Some(size) = declared {
                    write!(f, " (its declared size is {size} bytes)")?;
                }
                write!(f, "; --max-bytes BYTES sets the limit")
            }
            Problem::Truncated {
                received,
                declared,
                cause,
            } => {
                write!(f, "truncated: the body ended after {received} bytes")?;
                if let Some(length) = declared {
                    write!(f, " of the {length} its Content-Length declares")?;
                }
                write!(f, " ({cause})")
            }
            Problem::NotJson {
                content_type,
                message,
                body_start,
            } => {
                write!(f, "not JSON: {message}")?;
                if let Some(ct) = content_type {
                    write!(f, "; Content-Type {ct}")?;
                }
                write!(f, "; the body starts with {body_start:?}")
            }
            Problem::Transport { message } => write!(f, "the download failed: {message}"),
            Problem::NoHttpClient => write!(
                f,
                "this clickstack-codegen was built without its HTTP client (the `download` \
                 feature); download the file and pass its path"
            ),
        }
    }
}

fn reason_phrase(code: u16) -> Option<&'static str> {
    Some(match code {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

/// Whether `source` is an `http://` or `https://` URL (anything else is a
/// file path).
pub fn is_url(source: &str) -> bool {
    source.starts_with("https://") || source.starts_with("http://")
}

fn problem(source: &str, problem: Problem) -> Error {
    Error::Download {
        from: source.to_string(),
        problem,
    }
}

/// The bytes of `source` (a URL or a file path), within `limits`.
pub fn fetch(source: &str, limits: &Limits) -> Result<Vec<u8>> {
    if is_url(source) {
        http_get(source, limits)
    } else {
        read_file(source, limits)
    }
}

/// [`fetch`], then checks that the bytes are one JSON document.
pub fn fetch_json(source: &str, limits: &Limits) -> Result<Vec<u8>> {
    let (bytes, content_type) = if is_url(source) {
        http_get_typed(source, limits)?
    } else {
        (read_file(source, limits)?, None)
    };
    check_json(source, &bytes, content_type)?;
    Ok(bytes)
}

/// Fails with [`Problem::NotJson`] unless `bytes` is one JSON document.
fn check_json(source: &str, bytes: &[u8], content_type: Option<String>) -> Result<()> {
    match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        Ok(_) => Ok(()),
        Err(e) => Err(problem(
            source,
            Problem::NotJson {
                content_type,
                message: e.to_string(),
                body_start: body_start(bytes, 60),
            },
        )),
    }
}

/// The first `chars` characters of `bytes`, lossily decoded, with runs of
/// whitespace collapsed to one space.
fn body_start(bytes: &[u8], chars: usize) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(chars * 4)]);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = collapsed.chars().take(chars).collect();
    if collapsed.chars().count() > chars {
        out.push('…');
    }
    out
}

fn read_file(source: &str, limits: &Limits) -> Result<Vec<u8>> {
    let path = Path::new(source);
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if size > limits.max_bytes {
        return Err(problem(
            source,
            Problem::TooLarge {
                limit: limits.max_bytes,
                declared: Some(size),
            },
        ));
    }
    let mut bytes = Vec::new();
    file.take(limits.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limits.max_bytes {
        // The file grew while it was read.
        return Err(problem(
            source,
            Problem::TooLarge {
                limit: limits.max_bytes,
                declared: None,
            },
        ));
    }
    Ok(bytes)
}

fn http_get(url: &str, limits: &Limits) -> Result<Vec<u8>> {
    http_get_typed(url, limits).map(|(bytes, _)| bytes)
}

#[cfg(not(feature = "download"))]
fn http_get_typed(url: &str, _limits: &Limits) -> Result<(Vec<u8>, Option<String>)> {
    Err(problem(url, Problem::NoHttpClient))
}

/// GET `url` within `limits`: the body and its `Content-Type`.
#[cfg(feature = "download")]
fn http_get_typed(url: &str, limits: &Limits) -> Result<(Vec<u8>, Option<String>)> {
    use ureq::http::header::{CONTENT_LENGTH, CONTENT_TYPE};

    /// How much of the body an HTTP error shows.
    const ERROR_SNIPPET_BYTES: u64 = 300;

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(limits.timeout))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(concat!("clickstack-codegen/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header("Accept", "application/json")
        .call()
        .map_err(|e| problem(url, transport_problem(e, limits)))?;
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v: &ureq::http::HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header(CONTENT_TYPE);
    let declared = header(CONTENT_LENGTH).and_then(|v| v.trim().parse::<u64>().ok());
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        let mut start = Vec::new();
        // The start of the body says what went wrong; its errors do not.
        let _ = response
            .body_mut()
            .as_reader()
            .take(ERROR_SNIPPET_BYTES)
            .read_to_end(&mut start);
        return Err(problem(
            url,
            Problem::Status {
                code: status,
                body_start: body_start(&start, 200),
            },
        ));
    }
    if let Some(size) = declared.filter(|&size| size > limits.max_bytes) {
        return Err(problem(
            url,
            Problem::TooLarge {
                limit: limits.max_bytes,
                declared: Some(size),
            },
        ));
    }
    let mut bytes = Vec::new();
    // Reads at most one byte past the limit (ureq's `limit`).
    let read = response
        .body_mut()
        .with_config()
        .limit(limits.max_bytes)
        .reader()
        .read_to_end(&mut bytes);
    if let Err(e) = read {
        return Err(problem(url, body_problem(e, bytes.len(), declared, limits)));
    }
    if let Some(length) = declared.filter(|&length| length != bytes.len() as u64) {
        return Err(problem(
            url,
            Problem::Truncated {
                received: bytes.len() as u64,
                declared: Some(length),
                cause: "the body's length differs from its Content-Length".into(),
            },
        ));
    }
    Ok((bytes, content_type))
}

/// The problem of a failed request, before any of the body was read.
#[cfg(feature = "download")]
fn transport_problem(e: ureq::Error, limits: &Limits) -> Problem {
    match e {
        ureq::Error::Timeout(_) => Problem::Timeout {
            limit: limits.timeout,
        },
        ureq::Error::BodyExceedsLimit(_) => Problem::TooLarge {
            limit: limits.max_bytes,
            declared: None,
        },
        other => Problem::Transport {
            message: other.to_string(),
        },
    }
}

/// The problem of a body whose reading failed after `received` bytes.
#[cfg(feature = "download")]
fn body_problem(
    e: std::io::Error,
    received: usize,
    declared: Option<u64>,
    limits: &Limits,
) -> Problem {
    match ureq::Error::from(e) {
        ureq::Error::Timeout(_) => Problem::Timeout {
            limit: limits.timeout,
        },
        ureq::Error::BodyExceedsLimit(_) => Problem::TooLarge {
            limit: limits.max_bytes,
            declared,
        },
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            Problem::Truncated {
                received: received as u64,
                declared,
                cause: "the server closed the connection early".into(),
            }
        }
        other => Problem::Truncated {
            received: received as u64,
            declared,
            cause: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(tag: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("clickstack-download-{tag}-{}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn files_are_bounded_and_checked_for_json() {
        let limits = Limits {
            max_bytes: 16,
            timeout: DEFAULT_TIMEOUT,
        };
        let ok = temp_file("ok", br#"{"openapi":"3"}"#);
        let ok_name = ok.to_str().unwrap();
        assert_eq!(fetch_json(ok_name, &limits).unwrap(), br#"{"openapi":"3"}"#);

        let big = temp_file("big", &[b' '; 17]);
        let err = fetch(big.to_str().unwrap(), &limits).unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Download {
                    problem: Problem::TooLarge {
                        limit: 16,
                        declared: Some(17)
                    },
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("--max-bytes"), "{err}");

        let html = temp_file("html", b"<!DOCTYPE html>\n\n<p>");
        let err = fetch_json(html.to_str().unwrap(), &Limits::default()).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with(html.to_str().unwrap()), "{text}");
        assert!(
            text.contains("not JSON") && text.contains("line 1 column 1"),
            "{text}"
        );
        assert!(text.contains(r#""<!DOCTYPE html> <p>""#), "{text}");

        let missing = fetch("/nonexistent/spec.json", &limits).unwrap_err();
        assert!(matches!(missing, Error::Io { .. }), "{missing:?}");
        for path in [ok, big, html] {
            std::fs::remove_file(path).unwrap();
        }
    }

    #[test]
    fn body_start_collapses_whitespace_and_cuts() {
        assert_eq!(body_start(b"  a\n\n b  ", 10), "a b");
        assert_eq!(body_start(b"abcdef", 3), "abc…");
        assert_eq!(body_start(&[0xff, b'x'], 5), "\u{fffd}x");
    }

    #[test]
    fn urls_are_told_from_files() {
        assert!(is_url("https://api.clickhouse.cloud/v1"));
        assert!(is_url("http://127.0.0.1:1/x"));
        assert!(!is_url("../shared/specs/upstream/oss/x.json"));
        assert!(!is_url("file:///x.json"));
    }

    #[test]
    fn problems_explain_themselves() {
        let status = Problem::Status {
            code: 404,
            body_start: "404: Not Found".into(),
        };
        assert_eq!(
            status.to_string(),
            r#"HTTP status 404 Not Found; the body starts with "404: Not Found""#
        );
        let truncated = Problem::Truncated {
            received: 10,
            declared: Some(100),
            cause: "the server closed the connection early".into(),
        };
        assert_eq!(
            truncated.to_string(),
            "truncated: the body ended after 10 bytes of the 100 its Content-Length declares \
             (the server closed the connection early)"
        );
        let timeout = Problem::Timeout {
            limit: Duration::from_millis(250),
        };
        assert!(timeout.to_string().contains("within 0.25 s"), "{timeout}");
    }
}
