//! HTTP plumbing shared by both APIs: the buffered request, body parsing
//! like Express's `express.json()`, response builders and the HTML 404
//! page of an Express app.

use std::net::IpAddr;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use hyper::{Method, StatusCode};
use serde_json::Value;

/// The response type every handler produces.
pub(crate) type Response = hyper::Response<Full<Bytes>>;

/// The largest request body either server reads (`express.json({limit:
/// '32mb'})`).
pub(crate) const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// A request with its body read into memory.
#[derive(Debug)]
pub(crate) struct Request {
    /// HTTP method (`HEAD` is routed as `GET`).
    pub(crate) method: Method,
    /// Path, without the query string.
    pub(crate) path: String,
    /// Raw query string, if any.
    pub(crate) query: Option<String>,
    /// The `Authorization` header, if present and valid UTF-8.
    pub(crate) authorization: Option<String>,
    /// The `Content-Type` header, if present and valid UTF-8.
    pub(crate) content_type: Option<String>,
    /// The whole body.
    pub(crate) body: Bytes,
    /// The client's address.
    pub(crate) peer: IpAddr,
}

impl Request {
    /// The non-empty path segments, percent-decoded (`/api/v2/dashboards/`
    /// gives `["api", "v2", "dashboards"]`, like Express's non-strict
    /// routing).
    pub(crate) fn segments(&self) -> Vec<String> {
        self.path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| percent_decode(s, false))
            .collect()
    }

    /// The method routes match: `HEAD` is served as `GET`, as Express does.
    pub(crate) fn route_method(&self) -> Method {
        if self.method == Method::HEAD {
            Method::GET
        } else {
            self.method.clone()
        }
    }

    /// The first value of query parameter `name`, percent-decoded.
    pub(crate) fn query_param(&self, name: &str) -> Option<String> {
        let query = self.query.as_deref()?;
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key, true) == name).then(|| percent_decode(value, true))
        })
    }

    /// The body the way Express's parsers leave `req.body`: JSON for a JSON
    /// content type (an empty body is `{}`), a string for `text/plain`,
    /// `{}` otherwise. `Err` for malformed JSON or a top-level primitive
    /// (`express.json()` is strict).
    pub(crate) fn parsed_body(&self) -> Result<Value, BadJson> {
        let content_type = self
            .content_type
            .as_deref()
            .map(|c| {
                c.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        let is_json = content_type == "application/json" || content_type.ends_with("+json");
        if is_json {
            if self.body.iter().all(u8::is_ascii_whitespace) {
                return Ok(Value::Object(serde_json::Map::new()));
            }
            match serde_json::from_slice::<Value>(&self.body) {
                Ok(value @ (Value::Object(_) | Value::Array(_))) => Ok(value),
                _ => Err(BadJson),
            }
        } else if content_type == "text/plain" {
            Ok(Value::String(
                String::from_utf8_lossy(&self.body).into_owned(),
            ))
        } else {
            Ok(Value::Object(serde_json::Map::new()))
        }
    }
}

/// A body that is not acceptable JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadJson;

/// A JSON response with `status` (500 when `status` is not a valid code).
pub(crate) fn json(status: u16, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    with_body(
        status,
        "application/json; charset=utf-8",
        Bytes::from(bytes),
    )
}

/// A `text/plain` response, like Express's `res.sendStatus`.
pub(crate) fn text(status: u16, body: &str) -> Response {
    with_body(
        status,
        "text/plain; charset=utf-8",
        Bytes::from(body.to_owned()),
    )
}

/// A `text/html` response, like Express's `res.send(string)`.
pub(crate) fn html(status: u16, body: &str) -> Response {
    with_body(
        status,
        "text/html; charset=utf-8",
        Bytes::from(body.to_owned()),
    )
}

/// A response with a body and its content type.
fn with_body(status: u16, content_type: &'static str, body: Bytes) -> Response {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status_code(status);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
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
    let mut response = html(404, &body);
    let headers = response.headers_mut();
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

/// The credentials of `header` when it is `<scheme> <credentials>`, the
/// scheme matched case-insensitively.
pub(crate) fn credentials<'a>(header: Option<&'a str>, scheme: &str) -> Option<&'a str> {
    header
        .and_then(|h| h.trim().split_once(' '))
        .filter(|(s, _)| s.eq_ignore_ascii_case(scheme))
        .map(|(_, c)| c.trim())
}

/// Decodes `%XX` escapes, and `+` as a space when `plus_as_space` (query
/// strings); invalid escapes stay as they are.
pub(crate) fn percent_decode(input: &str, plus_as_space: bool) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(decoded) = hex {
                    out.push(decoded);
                    i += 3;
                } else {
                    out.push(b'%');
                    i += 1;
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
    use std::net::Ipv4Addr;

    fn request(content_type: Option<&str>, body: &str) -> Request {
        Request {
            method: Method::POST,
            path: "/a%20b/c/".into(),
            query: Some("limit=5&x=a+b".into()),
            authorization: Some("bearer  key ".into()),
            content_type: content_type.map(str::to_owned),
            body: Bytes::from(body.to_owned()),
            peer: IpAddr::V4(Ipv4Addr::LOCALHOST),
        }
    }

    #[test]
    fn parsing() {
        let r = request(Some("application/json; charset=utf-8"), "");
        assert_eq!(r.parsed_body(), Ok(serde_json::json!({})));
        assert_eq!(r.segments(), vec!["a b", "c"]);
        assert_eq!(r.query_param("x").as_deref(), Some("a b"));
        assert_eq!(
            credentials(r.authorization.as_deref(), "Bearer"),
            Some("key")
        );
        assert_eq!(
            request(Some("application/json"), "3").parsed_body(),
            Err(BadJson)
        );
        assert_eq!(
            request(Some("application/json"), "{").parsed_body(),
            Err(BadJson)
        );
        assert_eq!(
            request(None, "{\"a\":1}").parsed_body(),
            Ok(serde_json::json!({}))
        );
        assert_eq!(
            request(Some("text/plain"), "hi").parsed_body(),
            Ok(serde_json::json!("hi"))
        );
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b+c%zz%", true), "a b c%zz%");
        assert_eq!(percent_decode("a+b", false), "a+b");
    }
}
