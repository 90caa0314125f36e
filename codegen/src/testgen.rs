//! Generates one test per operation from the spec, independently of
//! progenitor's own logic: the expected method, path (with parameters
//! substituted), query, body and auth header come from the spec, and the
//! call goes through the generated method, found by its "Sends a `GET`
//! request to `/path`" doc line. Each test also checks that a realistic
//! response decodes without losing fields, and that the operation's first
//! declared error status decodes into the shared error type.
//!
//! The emitted code expects the including test file to define
//! `api` (the client crate), `test_client(base_url) -> api::Client` and
//! `EXPECTED_AUTHORIZATION`.
//!
//! [`conformance_tests`] calls the same methods with the same example
//! inputs against a Stoplight Prism mock server of the spec (see
//! `.ci/prism.sh`), which validates every request.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use quote::quote;
use serde_json::{Value, json};

use crate::examples::{Examples, string_example};
use crate::manifest::ErrorSchema;
use crate::normalize::errors::is_error_status;
use crate::schema_walk::METHODS;
use crate::{Error, Result};

/// A generated method: its name and parameters (name, Rust type).
#[derive(Debug, Clone)]
struct Method {
    name: String,
    params: Vec<(String, String)>,
}

/// Finds the generated methods, keyed by (HTTP method, path template).
fn methods(client_code: &str) -> Result<BTreeMap<(String, String), Method>> {
    let file = syn::parse_file(client_code).map_err(|e| Error::Postprocess {
        message: format!("generated client does not parse: {e}"),
    })?;
    let mut out = BTreeMap::new();
    let mut items: Vec<&syn::Item> = file.items.iter().collect();
    while let Some(item) = items.pop() {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    items.extend(inner.iter());
                }
            }
            syn::Item::Impl(imp) => {
                for f in imp.items.iter().filter_map(|i| match i {
                    syn::ImplItem::Fn(f) => Some(f),
                    _ => None,
                }) {
                    let Some((method, path)) = f.attrs.iter().find_map(sends_line) else {
                        continue;
                    };
                    let params = f
                        .sig
                        .inputs
                        .iter()
                        .filter_map(|arg| match arg {
                            syn::FnArg::Typed(t) => {
                                let pat = &t.pat;
                                let ty = &t.ty;
                                Some((
                                    quote!(#pat).to_string(),
                                    quote!(#ty).to_string().replace(' ', ""),
                                ))
                            }
                            syn::FnArg::Receiver(_) => None,
                        })
                        .collect();
                    out.insert(
                        (method, path),
                        Method {
                            name: f.sig.ident.to_string(),
                            params,
                        },
                    );
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Reads "Sends a `GET` request to `/path`" from a doc attribute.
fn sends_line(attr: &syn::Attribute) -> Option<(String, String)> {
    let syn::Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(s),
        ..
    }) = &nv.value
    else {
        return None;
    };
    let doc = s.value();
    let rest = doc.split("Sends a `").nth(1)?;
    let (method, rest) = rest.split_once("` request to `")?;
    let (path, _) = rest.split_once('`')?;
    Some((method.to_string(), path.to_string()))
}

/// Snake case as progenitor writes parameter names.
fn snake(name: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c == '-' || c == ' ' || c == '.' {
            out.push('_');
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

fn lit(value: &Value) -> String {
    format!("{:?}", value.to_string())
}

fn query_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// One operation with the call of its generated method on valid example
/// inputs: what both the httpmock tests and the Prism conformance tests
/// send.
struct OperationCall<'a> {
    /// The operation object of the spec.
    op: &'a Value,
    /// Path template as in the spec.
    template: &'a str,
    /// Upper-case HTTP method.
    http: String,
    /// Name of the generated method.
    fn_name: String,
    /// The path with the example parameters substituted.
    path: String,
    /// Query parameters sent (name, value).
    query: Vec<(String, String)>,
    /// The example request body, bound to `body` before the call.
    body: Option<Value>,
    /// The method's arguments, as Rust expressions.
    call_args: String,
}

/// Builds the call of every operation of a normalized document, in spec
/// order, from example values of its parameters and body.
fn operation_calls<'a>(
    doc: &'a Value,
    methods: &BTreeMap<(String, String), Method>,
    examples: &Examples<'_>,
) -> Result<Vec<OperationCall<'a>>> {
    let mut calls = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Ok(calls);
    };
    for (path, item) in paths {
        for http in METHODS {
            let Some(op) = item.get(http) else { continue };
            let upper = http.to_ascii_uppercase();
            let method =
                methods
                    .get(&(upper.clone(), path.clone()))
                    .ok_or_else(|| Error::Generate {
                        message: format!("no generated method for {upper} {path}"),
                    })?;
            let mut params: Vec<&Value> = item
                .get("parameters")
                .and_then(Value::as_array)
                .map(|p| p.iter().collect())
                .unwrap_or_default();
            if let Some(own) = op.get("parameters").and_then(Value::as_array) {
                params.extend(own.iter());
            }
            let mut args = Vec::new();
            let mut body = None;
            let mut expected_path = path.clone();
            let mut query = Vec::new();
            for (name, ty) in &method.params {
                if name == "body" {
                    let schema = op
                        .pointer("/requestBody/content/application~1json/schema")
                        .cloned()
                        .unwrap_or(json!({}));
                    body = Some(examples.value(&schema));
                    args.push("&body".to_string());
                    continue;
                }
                let spec_param = params
                    .iter()
                    .find(|p| {
                        p.get("name").and_then(Value::as_str).map(snake).as_deref() == Some(name)
                    })
                    .ok_or_else(|| Error::Generate {
                        message: format!("{upper} {path}: parameter `{name}` is not in the spec"),
                    })?;
                let location = spec_param.get("in").and_then(Value::as_str).unwrap_or("");
                let raw_name = spec_param
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or(name);
                let schema = spec_param.get("schema").cloned().unwrap_or(json!({}));
                let value = if location == "path" {
                    match schema.get("format").and_then(Value::as_str) {
                        _ if schema
                            .get("example")
                            .is_some_and(|e| query_string(e).is_some()) =>
                        {
                            examples.value(&schema)
                        }
                        Some("uuid") => string_example(Some("uuid")),
                        _ if schema.get("type").and_then(Value::as_str) == Some("string")
                            && schema.get("enum").is_none() =>
                        {
                            json!("e5f1c0ffee0000000000abcd")
                        }
                        _ => examples.value(&schema),
                    }
                } else {
                    examples.value(&schema)
                };
                let text = query_string(&value);
                if location == "path" {
                    let shown = text.clone().unwrap_or_default();
                    expected_path = expected_path.replace(&format!("{{{raw_name}}}"), &shown);
                }
                let optional = ty.starts_with("Option<");
                let expr = match (ty.as_str(), &text) {
                    ("&'astr", Some(s)) => format!("{s:?}"),
                    ("Option<&'astr>", Some(s)) => format!("Some({s:?})"),
                    (t, Some(s)) if t.contains("uuid::Uuid") => {
                        format!("&::uuid::Uuid::parse_str({s:?}).unwrap()")
                    }
                    (t, _) if t.starts_with('&') => format!("&arg(v({}))", lit(&value)),
                    (_, None) if optional => "None".to_string(),
                    (t, _) if t.starts_with("Option<&") => {
                        format!("Some(&arg(v({})))", lit(&value))
                    }
                    (_, _) if optional => format!("Some(arg(v({})))", lit(&value)),
                    _ => format!("arg(v({}))", lit(&value)),
                };
                if location == "query"
                    && let Some(s) = &text
                {
                    query.push((raw_name.to_string(), s.clone()));
                }
                args.push(expr);
            }
            calls.push(OperationCall {
                op,
                template: path,
                http: upper,
                fn_name: method.name.clone(),
                path: expected_path,
                query,
                body,
                call_args: args.join(", "),
            });
        }
    }
    Ok(calls)
}

/// Emits the tests for every operation of a normalized document.
pub fn operation_tests(doc: &Value, client_code: &str, error: &ErrorSchema) -> Result<String> {
    let methods = methods(client_code)?;
    let examples = Examples::new(doc);
    let mut out = String::from(HEADER);
    out.push_str(ASSERT_JSON_MATCHES);
    let calls = operation_calls(doc, &methods, &examples)?;
    for call in &calls {
        let responses = call.op.get("responses").and_then(Value::as_object);
        let success = responses.and_then(|r| r.iter().find(|(code, _)| code.starts_with('2')));
        let (status, success_body) = match success {
            Some((code, resp)) => (
                code.parse::<u16>().unwrap_or(200),
                resp.get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.iter().next())
                    .map(|(media, m)| {
                        (
                            media.clone(),
                            m.get("schema")
                                .map(|s| examples.value(s))
                                .unwrap_or(Value::Null),
                        )
                    }),
            ),
            None => (200, None),
        };
        let error_code = responses.and_then(|r| {
            r.keys()
                .filter(|c| is_error_status(c))
                .find_map(|c| c.parse::<u16>().ok())
                .or_else(|| r.contains_key("default").then_some(500))
        });
        write_test(
            &mut out,
            &TestCase {
                fn_name: &call.fn_name,
                http: &call.http,
                template: call.template,
                path: &call.path,
                query: &call.query,
                body: call.body.as_ref(),
                call_args: &call.call_args,
                status,
                success_body: success_body.as_ref(),
                error_code,
                error,
            },
        );
    }
    let _ = writeln!(
        out,
        "\n/// Operations covered by the tests above.\npub const OPERATIONS_TESTED: usize = {};",
        calls.len()
    );
    Ok(out)
}

/// Emits one conformance test per operation of a normalized document: the
/// generated method is called with the same valid example inputs as in
/// [`operation_tests`], against a Stoplight Prism mock server serving the
/// spec. A test fails when Prism rejects the request (any non-2xx status:
/// Prism answers an invalid request with the operation's declared 400/422
/// response or a 422 problem, 401 for missing credentials, 404/405 when
/// no route matches, and lists what it found wrong in its `sl-violations`
/// header), when a 2xx response carries error-level violations, or when a
/// 2xx response does not decode.
///
/// The including test file must define `api` (the client crate),
/// `prism_client() -> Option<api::Client>` (`None` when no Prism server is
/// configured; every test then returns early) and `PRISM_URL_ENV`, the
/// name of the variable holding the server's URL (for the skip message).
/// The file ends with `OPERATIONS`, the number of operations exercised.
pub fn conformance_tests(doc: &Value, client_code: &str) -> Result<String> {
    let methods = methods(client_code)?;
    let examples = Examples::new(doc);
    let mut out = String::from(HEADER);
    out.push_str(CONFORMANCE_SUPPORT);
    let calls = operation_calls(doc, &methods, &examples)?;
    for call in &calls {
        let prepare = match &call.body {
            Some(body) => format!("let body = arg(v({}));\n    ", lit(body)),
            None => String::new(),
        };
        let _ = write!(
            out,
            "
/// `{http} {template}` against Prism.
#[tokio::test]
async fn {name}() {{
    let Some(client) = prism_client() else {{
        eprintln!(\"{name}: skipped, {{PRISM_URL_ENV}} is not set\");
        return;
    }};
    {prepare}let outcome = client.{name}({args}).await;
    check_prism(\"{http} {path}\", outcome).await;
}}
",
            http = call.http,
            template = call.template,
            name = call.fn_name,
            path = call.path,
            args = call.call_args,
        );
    }
    let _ = writeln!(
        out,
        "\n/// Operations exercised against Prism by the tests above.\npub const OPERATIONS: usize = {};",
        calls.len()
    );
    Ok(out)
}

struct TestCase<'a> {
    fn_name: &'a str,
    http: &'a str,
    template: &'a str,
    path: &'a str,
    query: &'a [(String, String)],
    body: Option<&'a Value>,
    call_args: &'a str,
    status: u16,
    success_body: Option<&'a (String, Value)>,
    error_code: Option<u16>,
    error: &'a ErrorSchema,
}

fn write_test(out: &mut String, t: &TestCase<'_>) {
    let mut when = format!(
        "when.method(httpmock::Method::{}).path({:?}).header(\"authorization\", EXPECTED_AUTHORIZATION)",
        t.http, t.path
    );
    for (k, v) in t.query {
        let _ = write!(when, ".query_param({k:?}, {v:?})");
    }
    let mut prepare = String::new();
    if let Some(body) = t.body {
        // The typed body must carry everything of the example, and the
        // request must carry exactly the typed body.
        let _ = write!(
            prepare,
            "let body = arg(v({example}));
    let sent = serde_json::to_value(&body).unwrap();
    assert_json_matches(\"request body\", &v({example}), &sent);
    ",
            example = lit(body)
        );
        when.push_str(".json_body(sent.clone())");
    }
    let (then, check) = match t.success_body {
        Some((media, value)) if media.contains("json") => (
            format!(
                "then.status({}).header(\"content-type\", {media:?}).json_body(v({}));",
                t.status,
                lit(value)
            ),
            format!(
                "assert_json_matches(\"response\", &v({}), &serde_json::to_value(response.into_inner()).unwrap());",
                lit(value)
            ),
        ),
        Some((media, _)) => (
            format!(
                "then.status({}).header(\"content-type\", {media:?}).body(\"raw body\");",
                t.status
            ),
            format!("assert_eq!(response.status().as_u16(), {});", t.status),
        ),
        None => (
            format!("then.status({});", t.status),
            format!("assert_eq!(response.status().as_u16(), {});", t.status),
        ),
    };
    let _ = write!(
        out,
        "
/// `{http} {template}`
#[tokio::test]
async fn {name}() {{
    {prepare}let server = httpmock::MockServer::start_async().await;
    let client = test_client(&server.base_url());
    let mock = server.mock_async(|when, then| {{
        {when};
        {then}
    }}).await;
    let response = client.{name}({args}).await.expect(\"{http} {template}\");
    mock.assert_async().await;
    {check}
",
        http = t.http,
        template = t.template,
        name = t.fn_name,
        args = t.call_args,
    );
    if let Some(code) = t.error_code {
        let mut error_body = serde_json::Map::new();
        error_body.insert(t.error.message_field.clone(), json!("something went wrong"));
        if let Some(field) = &t.error.status_field {
            error_body.insert(field.clone(), json!(code));
        }
        if let Some(props) = t.error.schema.get("properties").and_then(Value::as_object) {
            for (name, schema) in props {
                if !error_body.contains_key(name)
                    && schema.get("type").and_then(Value::as_str) == Some("string")
                {
                    error_body.insert(name.clone(), json!("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
                }
            }
        }
        let error_body = Value::Object(error_body);
        let _ = write!(
            out,
            "    mock.delete_async().await;
    let failing = server.mock_async(|when, then| {{
        when.method(httpmock::Method::{http}).path({path:?});
        then.status({code}).header(\"content-type\", \"application/json\").json_body(v({body}));
    }}).await;
    match client.{name}({args}).await {{
        Err(api::Error::ErrorResponse(error)) => {{
            assert_eq!(error.status().as_u16(), {code});
            assert_json_matches(\"error\", &v({body}), &serde_json::to_value(error.into_inner()).unwrap());
        }}
        Err(other) => panic!(\"expected a {code} error response, got {{other}}\"),
        Ok(_) => panic!(\"expected a {code} error response, got a success\"),
    }}
    failing.assert_async().await;
",
            http = t.http,
            path = t.path,
            name = t.fn_name,
            args = t.call_args,
            body = lit(&error_body),
        );
    }
    out.push_str("}\n");
}

/// Helpers shared by both generated test files.
const HEADER: &str = r#"// Generated by clickstack-codegen (testgen) from the pinned spec.

/// Parses a JSON literal.
fn v(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

/// Decodes an example into the parameter type the method expects.
fn arg<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("example {value} does not decode into the parameter type: {e}"))
}
"#;

/// The response comparison of the httpmock tests.
const ASSERT_JSON_MATCHES: &str = r#"
/// Asserts that everything in `expected` survived decoding and re-encoding:
/// same fields and values (numbers compared as numbers, timestamps as
/// instants); `actual` may add defaulted fields, and may omit an optional
/// empty list or map (generated types skip those when serializing).
fn assert_json_matches(path: &str, expected: &serde_json::Value, actual: &serde_json::Value) {
    use serde_json::Value;
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let empty = matches!(ev, Value::Array(x) if x.is_empty())
                    || matches!(ev, Value::Object(x) if x.is_empty());
                match a.get(key) {
                    Some(av) => assert_json_matches(&format!("{path}.{key}"), ev, av),
                    None if empty => {}
                    None => panic!("{path}.{key} was lost in decoding: {actual}"),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{path}: array length");
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                assert_json_matches(&format!("{path}[{i}]"), ev, av);
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (e.as_f64().unwrap(), a.as_f64().unwrap());
            assert!((e - a).abs() <= 1e-9 * e.abs().max(1.0), "{path}: {e} != {a}");
        }
        (Value::String(e), Value::String(a)) if e != a => {
            let instant = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
            assert!(
                instant(e).is_some() && instant(e) == instant(a),
                "{path}: {e:?} != {a:?}"
            );
        }
        _ => assert_eq!(expected, actual, "{path}"),
    }
}
"#;

/// The checks of the Prism conformance tests.
const CONFORMANCE_SUPPORT: &str = r#"
/// What Prism found wrong with the request: the error-level entries of
/// its `sl-violations` header whose location starts with `request` (the
/// header also lists violations of Prism's own response, which are not
/// the client's), one per line.
fn prism_violations(headers: &reqwest::header::HeaderMap) -> Vec<String> {
    let Some(text) = headers.get("sl-violations").and_then(|h| h.to_str().ok()) else {
        return Vec::new();
    };
    let json = text.trim_start_matches("Too many violations!").trim();
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Array(items)) => items
            .iter()
            .filter(|i| i["location"][0] == "request")
            .filter(|i| i["severity"].as_str().is_none_or(|s| s.eq_ignore_ascii_case("error")))
            .map(|i| format!("{} (at {})", i["message"].as_str().unwrap_or("?"), i["location"]))
            .collect(),
        // A truncated list ("Too many violations!"): show its start.
        _ if text.contains("\"request\"") => vec![text.chars().take(1500).collect()],
        _ => Vec::new(),
    }
}

/// What a non-2xx answer from Prism means.
fn prism_rejection(status: u16) -> &'static str {
    match status {
        400 | 422 => "Prism rejected the request as invalid for the spec",
        401 | 403 => "Prism rejected the request's credentials",
        404 | 405 => "Prism found no route for the request in the spec",
        _ => "Prism answered an error status",
    }
}

/// Fails unless Prism accepted the request and its 2xx response decoded.
async fn check_prism<T, E: std::fmt::Debug>(
    operation: &str,
    outcome: Result<api::ResponseValue<T>, api::Error<E>>,
) {
    match outcome {
        Ok(response) => {
            let status = response.status().as_u16();
            assert!(
                (200..300).contains(&status),
                "{operation}: Prism answered {status}"
            );
            let violations = prism_violations(response.headers());
            assert!(
                violations.is_empty(),
                "{operation}: Prism answered {status} but found the request invalid:\n  {}",
                violations.join("\n  ")
            );
        }
        Err(api::Error::ErrorResponse(response)) => {
            let status = response.status().as_u16();
            let violations = prism_violations(response.headers());
            panic!(
                "{operation}: {} ({status}):\n  {}\nbody: {:?}",
                prism_rejection(status),
                violations.join("\n  "),
                response.into_inner()
            );
        }
        Err(api::Error::UnexpectedResponse(response)) => {
            let status = response.status().as_u16();
            let violations = prism_violations(response.headers());
            let body = response.text().await.unwrap_or_default();
            panic!(
                "{operation}: {} ({status}):\n  {}\nbody: {body}",
                prism_rejection(status),
                violations.join("\n  ")
            );
        }
        Err(api::Error::InvalidResponsePayload(body, error)) => panic!(
            "{operation}: Prism's 2xx response does not decode: {error}\nbody: {}",
            String::from_utf8_lossy(&body)
        ),
        Err(other) => panic!("{operation}: {other:?}"),
    }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_matches_progenitor_names() {
        assert_eq!(snake("organizationId"), "organization_id");
        assert_eq!(snake("clickStackDashboardId"), "click_stack_dashboard_id");
        assert_eq!(snake("id"), "id");
        assert_eq!(snake("limit"), "limit");
    }

    #[test]
    fn reads_the_sends_line() {
        let attr: syn::Attribute =
            syn::parse_quote!(#[doc = "Get\n\nSends a `GET` request to `/api/v2/alerts/{id}`\n"]);
        assert_eq!(
            sends_line(&attr),
            Some(("GET".into(), "/api/v2/alerts/{id}".into()))
        );
    }
}
