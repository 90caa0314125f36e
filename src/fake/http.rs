//! HTTP plumbing shared by both fake APIs: the buffered request, response
//! builders, the gateway's HTML 404 page, routing of resource paths and
//! small parsing helpers.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use hyper::{Method, StatusCode};
use serde_json::{Map, Value};

use super::store::Kind;

/// The response type every handler produces.
pub(crate) type Response = hyper::Response<Full<Bytes>>;

/// A request with its body read into memory.
#[derive(Debug)]
pub(crate) struct Request {
    /// HTTP method.
    pub(crate) method: Method,
    /// Path, without the query string.
    pub(crate) path: String,
    /// Raw query string, if any.
    pub(crate) query: Option<String>,
    /// The `Authorization` header, if present and valid UTF-8.
    pub(crate) authorization: Option<String>,
    /// The whole body.
    pub(crate) body: Bytes,
}

impl Request {
    /// The non-empty path segments (`/api/v2/dashboards/` gives
    /// `["api", "v2", "dashboards"]`, like Express's non-strict routing).
    pub(crate) fn segments(&self) -> Vec<&str> {
        self.path.split('/').filter(|s| !s.is_empty()).collect()
    }

    /// The first value of query parameter `name`, percent-decoded.
    pub(crate) fn query_param(&self, name: &str) -> Option<String> {
        let query = self.query.as_deref()?;
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key, true) == name).then(|| percent_decode(value, true))
        })
    }
}

/// What a resource path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    /// `GET /<resource>`.
    List,
    /// `POST /<resource>`.
    Create,
    /// `GET /<resource>/{id}`.
    Get(String),
    /// `PUT /<resource>/{id}`.
    Update(String),
    /// `DELETE /<resource>/{id}`.
    Delete(String),
    /// `POST /dashboards/validate`.
    Validate,
}

/// Routes the segments after an API's prefix (`["dashboards", "abc"]`) to a
/// resource and operation; `None` when neither API serves that
/// method and path (webhooks have no single-item GET).
pub(crate) fn route(method: &Method, rest: &[&str]) -> Option<(Kind, Op)> {
    match rest {
        ["dashboards", "validate"] if *method == Method::POST => {
            Some((Kind::Dashboard, Op::Validate))
        }
        [resource] => {
            let kind = Kind::from_segment(resource)?;
            if *method == Method::GET {
                Some((kind, Op::List))
            } else if *method == Method::POST {
                Some((kind, Op::Create))
            } else {
                None
            }
        }
        [resource, id] => {
            let kind = Kind::from_segment(resource)?;
            let id = percent_decode(id, false);
            if *method == Method::GET && kind != Kind::Webhook {
                Some((kind, Op::Get(id)))
            } else if *method == Method::PUT {
                Some((kind, Op::Update(id)))
            } else if *method == Method::DELETE {
                Some((kind, Op::Delete(id)))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Parses a request body that must be a JSON object; the error is the
/// message for the API's 400 response.
pub(crate) fn json_object(body: &Bytes) -> Result<Map<String, Value>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err("Body validation failed: Expected object, received undefined".into());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(format!(
            "Body validation failed: Expected object, received {}",
            json_type(&other)
        )),
        Err(err) => Err(format!("Invalid JSON body: {err}")),
    }
}

/// The zod-style name of a JSON value's type, for error messages.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A JSON response with `status` (500 when `status` is not a valid code).
pub(crate) fn json(status: u16, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() = status_code(status);
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// The page an Express app (the Cloud gateway and the HyperDX API alike)
/// serves for a method and path it does not route.
pub(crate) fn not_routed(method: &Method, path: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Error</title>\n</head>\n<body>\n<pre>Cannot {} {}</pre>\n</body>\n</html>\n",
        method.as_str(),
        escape_html(path)
    );
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = StatusCode::NOT_FOUND;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        HeaderName::from_static("content-security-policy"),
        HeaderValue::from_static("default-src 'none'"),
    );
    headers.insert(
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Sets header `name` to `value`, skipping values that are not valid
/// header text (a fake must not panic on what a test passes in).
pub(crate) fn set_header(response: &mut Response, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(name), value);
    }
}

/// `status` as a [`StatusCode`], 500 when out of range.
pub(crate) fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The reason phrase for `status`, or a generic one.
pub(crate) fn reason(status: u16) -> &'static str {
    status_code(status)
        .canonical_reason()
        .unwrap_or("Injected failure")
}

/// Whether `header` is `<scheme> <credentials>` with the scheme matched
/// case-insensitively.
pub(crate) fn has_credentials(header: Option<&str>, scheme: &str, credentials: &str) -> bool {
    header
        .and_then(|h| h.trim().split_once(' '))
        .is_some_and(|(s, c)| s.eq_ignore_ascii_case(scheme) && c.trim() == credentials)
}

/// Decodes `%XX` escapes, and `+` as a space when `plus_as_space` (query
/// strings); invalid escapes stay as they are.
fn percent_decode(input: &str, plus_as_space: bool) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_as_space => {
                out.push(b' ');
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes the characters HTML treats specially.
fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(
            route(&Method::GET, &["alerts"]),
            Some((Kind::Alert, Op::List))
        );
        assert_eq!(
            route(&Method::POST, &["dashboards", "validate"]),
            Some((Kind::Dashboard, Op::Validate))
        );
        assert_eq!(route(&Method::GET, &["webhooks", "x"]), None);
        assert_eq!(route(&Method::GET, &["nope"]), None);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b+c%zz", true), "a b c%zz");
        assert_eq!(percent_decode("a+b", false), "a+b");
    }
}
