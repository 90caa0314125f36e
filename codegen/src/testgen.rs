//! Tests written by the tool, once, from the normalized spec's operations
//! and the generated client's syntax tree (for each method's argument list):
//!
//! - [`operation_tests`]: one httpmock test per operation, checking the
//!   method, path (parameters substituted), query, credentials and exact
//!   body the generated method sends, that a realistic response decodes
//!   without losing anything, and that an error status decodes into the
//!   shared error type;
//! - [`conformance_tests`]: the same calls against a Stoplight Prism mock
//!   server of the spec, which validates every request;
//! - [`forward_compat_tests`]: each GET served bodies from a newer spec
//!   (files written by `clickstack-codegen fixtures`), counting the bodies
//!   that fail to decode or do not read back as they came.
//!
//! The emitted code refers to a support module the including crate
//! provides (`support`: `value`, `assert_json_equivalent`, `check_prism`,
//! `prism_client`, `test_client`, `forward_compat`), to `api` (the client
//! crate) and to `types` (`api::types`).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Value, json};
use syn::{FnArg, ImplItem, ImplItemFn, Item, Type};

use crate::examples::{Examples, string_example};
use crate::manifest::ErrorSchema;
use crate::naming::progenitor_snake;
use crate::normalize::errors::is_error_status;
use crate::schema_walk::METHODS;
use crate::{Error, Result};

/// One operation of the spec and the call of its generated method on
/// valid example inputs.
struct Call {
    /// The generated method.
    method: syn::Ident,
    /// `GET`, `POST`, ...
    http: String,
    /// The path template as in the spec.
    template: String,
    /// The first tag.
    tag: String,
    /// The path with the example parameters substituted.
    path: String,
    /// Query parameters sent (name, value).
    query: Vec<(String, String)>,
    /// Statements that bind the arguments (the body).
    prepare: TokenStream,
    /// The arguments.
    args: Vec<TokenStream>,
    /// The example body, as JSON text.
    body: Option<String>,
    /// The first success status, its media type and example body.
    success: (u16, Option<(String, Value)>),
    /// The first error status.
    error_status: Option<u16>,
}

/// The generated operation methods (not the `_as` twins), by name.
fn methods(client: &syn::File) -> BTreeMap<String, &ImplItemFn> {
    let mut out = BTreeMap::new();
    for item in &client.items {
        let Item::Impl(imp) = item else { continue };
        for impl_item in &imp.items {
            if let ImplItem::Fn(f) = impl_item
                && f.sig.asyncness.is_some()
            {
                out.insert(f.sig.ident.to_string(), f);
            }
        }
    }
    out
}

/// A scalar example as it appears in a URL.
fn url_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `T` of `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => match a.args.first()? {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

fn is_str(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.is_ident("str"))
}

fn is_vec(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Vec"))
}

/// The argument expression that passes `value` as `ty`, and whether the
/// value is sent (an optional argument may be passed as `None`).
fn argument(ty: &Type, value: &Value) -> (TokenStream, bool) {
    let json = value.to_string();
    match ty {
        Type::Reference(r) if is_str(&r.elem) => {
            let s = url_text(value).unwrap_or_default();
            (quote!(#s), true)
        }
        Type::Reference(_) => (quote!(&support::value(#json)), true),
        other => match option_inner(other) {
            Some(Type::Reference(r)) if is_str(&r.elem) => match url_text(value) {
                Some(s) => (quote!(Some(#s)), true),
                None => (quote!(None), false),
            },
            Some(inner) if is_vec(inner) => (quote!(None), false),
            Some(Type::Reference(_)) => (quote!(Some(&support::value(#json))), true),
            Some(_) if value.is_null() => (quote!(None), false),
            Some(_) => (quote!(Some(support::value(#json))), true),
            None => (quote!(support::value(#json)), true),
        },
    }
}

/// Builds the call of every operation, in spec order.
fn calls(doc: &Value, client: &syn::File) -> Result<Vec<Call>> {
    let methods = methods(client);
    let examples = Examples::new(doc);
    let mut out = Vec::new();
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return Ok(out);
    };
    for (template, item) in paths {
        for http in METHODS {
            let Some(op) = item.get(http) else { continue };
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let name = progenitor_snake(id);
            let f = methods.get(&name).ok_or_else(|| Error::Generate {
                message: format!(
                    "no generated method `{name}` for {} {template}",
                    http.to_uppercase()
                ),
            })?;
            let params: Vec<&Value> = op
                .get("parameters")
                .and_then(Value::as_array)
                .map(|p| p.iter().collect())
                .unwrap_or_default();
            let mut call = Call {
                method: f.sig.ident.clone(),
                http: http.to_uppercase(),
                template: template.clone(),
                tag: op
                    .pointer("/tags/0")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                path: template.clone(),
                query: Vec::new(),
                prepare: TokenStream::new(),
                args: Vec::new(),
                body: None,
                success: (200, None),
                error_status: None,
            };
            for input in &f.sig.inputs {
                let FnArg::Typed(arg) = input else { continue };
                let syn::Pat::Ident(pat) = &*arg.pat else {
                    continue;
                };
                let arg_name = pat.ident.to_string();
                if arg_name == "body" {
                    let schema = op
                        .pointer("/requestBody/content/application~1json/schema")
                        .cloned()
                        .unwrap_or(json!({}));
                    let example = examples.value(&schema).to_string();
                    let Type::Reference(r) = &*arg.ty else {
                        continue;
                    };
                    let ty = &r.elem;
                    call.prepare = quote! {
                        let body: #ty = support::value(#example);
                        let sent = serde_json::to_value(&body).unwrap();
                        support::assert_json_equivalent("request body", &support::value(#example), &sent);
                    };
                    call.args.push(quote!(&body));
                    call.body = Some(example);
                    continue;
                }
                let spec = params
                    .iter()
                    .find(|p| {
                        p.get("name")
                            .and_then(Value::as_str)
                            .map(progenitor_snake)
                            .as_deref()
                            == Some(arg_name.trim_start_matches("r#"))
                    })
                    .ok_or_else(|| Error::Generate {
                        message: format!(
                            "{} {template}: argument `{arg_name}` matches no parameter",
                            http.to_uppercase()
                        ),
                    })?;
                let wire = spec.get("name").and_then(Value::as_str).unwrap_or_default();
                let location = spec.get("in").and_then(Value::as_str).unwrap_or_default();
                let schema = spec.get("schema").cloned().unwrap_or(json!({}));
                let value = if location == "path" {
                    match schema.get("format").and_then(Value::as_str) {
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
                let (expr, sent) = argument(&arg.ty, &value);
                if location == "path" {
                    let text = url_text(&value).unwrap_or_default();
                    call.path = call.path.replace(&format!("{{{wire}}}"), &text);
                } else if location == "query"
                    && sent
                    && let Some(text) = url_text(&value)
                {
                    call.query.push((wire.to_string(), text));
                }
                call.args.push(expr);
            }
            let responses = op.get("responses").and_then(Value::as_object);
            if let Some((code, response)) =
                responses.and_then(|r| r.iter().find(|(c, _)| c.starts_with('2')))
            {
                let media = response
                    .get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.iter().next())
                    .map(|(media, m)| {
                        (
                            media.clone(),
                            m.get("schema")
                                .map(|s| examples.value(s))
                                .unwrap_or(Value::Null),
                        )
                    });
                call.success = (code.parse().unwrap_or(200), media);
            }
            call.error_status = responses.and_then(|r| {
                r.keys()
                    .filter(|c| is_error_status(c))
                    .find_map(|c| c.parse::<u16>().ok())
                    .or_else(|| r.contains_key("default").then_some(500))
            });
            out.push(call);
        }
    }
    Ok(out)
}

/// The httpmock `when` of a call.
fn when(call: &Call) -> TokenStream {
    let method = format_ident!("{}", call.http);
    let path = &call.path;
    let query = call.query.iter().map(|(k, v)| quote!(.query_param(#k, #v)));
    // The request carries exactly the typed body (`sent`), which the test
    // checked against the example first.
    let body = call.body.as_ref().map(|_| quote!(.json_body(sent.clone())));
    quote! {
        when.method(httpmock::Method::#method)
            .path(#path)
            .header("authorization", EXPECTED_AUTHORIZATION)
            #(#query)*
            #body;
    }
}

/// One httpmock test per operation (see the module docs). `error` is the
/// shared error schema, for the error body the tests serve.
pub fn operation_tests(
    doc: &Value,
    client: &syn::File,
    error: &ErrorSchema,
) -> Result<TokenStream> {
    let calls = calls(doc, client)?;
    let mut tests = Vec::new();
    for call in &calls {
        let name = &call.method;
        let label = format!("{} {}", call.http, call.template);
        let when = when(call);
        let prepare = &call.prepare;
        let args = &call.args;
        let (status, success) = &call.success;
        let (then, check) = match success {
            Some((media, value)) if media.contains("json") => {
                let text = value.to_string();
                (
                    quote!(then.status(#status).header("content-type", #media).body(#text);),
                    quote!(support::assert_json_equivalent(
                        "response",
                        &support::value(#text),
                        &serde_json::to_value(response.into_inner()).unwrap(),
                    );),
                )
            }
            Some((media, _)) => (
                quote!(then.status(#status).header("content-type", #media).body("raw body");),
                quote!(assert_eq!(response.status().as_u16(), #status);),
            ),
            None => (
                quote!(then.status(#status);),
                quote!(assert_eq!(response.status().as_u16(), #status);),
            ),
        };
        let failing = call.error_status.map(|code| {
            let mut body = serde_json::Map::new();
            body.insert(error.message_field.clone(), json!("something went wrong"));
            if let Some(field) = &error.status_field {
                body.insert(field.clone(), json!(code));
            }
            if let Some(field) = &error.request_id_field {
                body.insert(field.clone(), json!("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
            }
            let body = Value::Object(body).to_string();
            let method = format_ident!("{}", call.http);
            let path = &call.path;
            quote! {
                mock.delete_async().await;
                let failing = server.mock_async(|when, then| {
                    when.method(httpmock::Method::#method).path(#path);
                    then.status(#code).header("content-type", "application/json").body(#body);
                }).await;
                match client.#name(#(#args),*).await {
                    Err(api::Error::ErrorResponse(error)) => {
                        assert_eq!(error.status().as_u16(), #code);
                        support::assert_json_equivalent(
                            "error",
                            &support::value(#body),
                            &serde_json::to_value(error.into_inner()).unwrap(),
                        );
                    }
                    Err(other) => panic!("expected a {} error response, got {other}", #code),
                    Ok(_) => panic!("expected a {} error response, got a success", #code),
                }
                failing.assert_async().await;
            }
        });
        tests.push(quote! {
            #[doc = #label]
            #[tokio::test]
            async fn #name() {
                #prepare
                let server = httpmock::MockServer::start_async().await;
                let client = support::test_client(&server.base_url());
                let mock = server.mock_async(|when, then| {
                    #when
                    #then
                }).await;
                let response = client.#name(#(#args),*).await.expect(#label);
                mock.assert_async().await;
                #check
                #failing
            }
        });
    }
    let count = calls.len();
    Ok(quote! {
        #(#tests)*
        /// Operations covered by the tests above.
        pub const OPERATIONS_TESTED: usize = #count;
    })
}

/// One test per operation against Prism (see the module docs).
pub fn conformance_tests(doc: &Value, client: &syn::File) -> Result<TokenStream> {
    let calls = calls(doc, client)?;
    let tests = calls.iter().map(|call| {
        let name = &call.method;
        let prepare = &call.prepare;
        let args = &call.args;
        let label = format!("{} {}", call.http, call.path);
        let doc = format!("`{} {}` against Prism.", call.http, call.template);
        let skipped = format!("{name}: skipped, no Prism server is configured");
        quote! {
            #[doc = #doc]
            #[tokio::test]
            async fn #name() {
                let Some(client) = support::prism_client() else {
                    eprintln!(#skipped);
                    return;
                };
                #prepare
                let outcome = client.#name(#(#args),*).await;
                support::check_prism(#label, outcome).await;
            }
        }
    });
    let count = calls.len();
    Ok(quote! {
        #(#tests)*
        /// Operations exercised against Prism by the tests above.
        pub const OPERATIONS: usize = #count;
    })
}

/// One forward-compatibility check per GET whose first tag `area` accepts
/// (see the module docs): the operation's method is served every fixture
/// of `<fixtures dir>/<api>/<operationId>.jsonl`.
pub fn forward_compat_tests(
    doc: &Value,
    client: &syn::File,
    api: &str,
    area: impl Fn(&str) -> bool,
) -> Result<TokenStream> {
    let calls = calls(doc, client)?;
    let mut checks = Vec::new();
    for call in calls.iter().filter(|c| c.http == "GET" && area(&c.tag)) {
        let name = &call.method;
        let prepare = &call.prepare;
        let args = &call.args;
        let path = &call.path;
        let file = format!("{api}/{}.jsonl", call.method);
        let label = format!("{} {}", call.http, call.template);
        checks.push(quote! {
            {
                #prepare
                let mut outcome = support::forward_compat::Outcome::new(#label);
                let server = httpmock::MockServer::start_async().await;
                let client = support::test_client(&server.base_url());
                for body in support::forward_compat::fixtures(#file) {
                    let mock = server.mock_async(|when, then| {
                        when.method(httpmock::Method::GET).path(#path);
                        then.status(200).header("content-type", "application/json").body(&body);
                    }).await;
                    let decoded = client.#name(#(#args),*).await.map(|r| serde_json::to_value(r.into_inner()));
                    outcome.record(&body, decoded);
                    mock.delete_async().await;
                }
                outcomes.push(outcome);
            }
        });
    }
    Ok(quote! {
        /// Runs every GET's fixtures; returns one outcome per operation.
        pub async fn run_all() -> Vec<support::forward_compat::Outcome> {
            let mut outcomes = Vec::new();
            #(#checks)*
            outcomes
        }
    })
}
