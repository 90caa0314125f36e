//! Generation: the normalized document through progenitor, then through
//! [`crate::postprocess`], into formatted Rust source.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use openapiv3::OpenAPI;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use serde_json::Value;

use crate::manifest::ErrorSchema;
use crate::postprocess;
use crate::{Error, Result};

/// How a client is generated.
#[derive(Debug, Clone)]
pub struct Options {
    /// Rust path of the type the generated `Client` carries for its hooks
    /// (credentials); progenitor's "inner type".
    pub inner_type: String,
    /// Component schemas replaced by hand-written types (schema name to Rust
    /// path), see [`crate::manifest::Manifest::replace_types`].
    pub replace_types: BTreeMap<String, String>,
    /// Also generate the typed httpmock helpers; the value is the Rust path
    /// through which the helpers refer to the client crate.
    pub httpmock_crate_path: Option<String>,
    /// The shared error schema, for the emitted runtime's decoding of
    /// error bodies that are not JSON.
    pub error_schema: Option<ErrorSchema>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            inner_type: "crate::Auth".into(),
            replace_types: BTreeMap::new(),
            httpmock_crate_path: None,
            error_schema: None,
        }
    }
}

/// Generated source and what it holds.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The client: `types`, `Client` and one method per operation.
    pub client: String,
    /// The httpmock helpers, when asked for.
    pub httpmock: Option<String>,
    /// Counts for reports.
    pub stats: Stats,
}

/// Sizes of the generated code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Operations in the document (one client method each).
    pub operations: usize,
    /// Lines of the formatted client.
    pub client_lines: usize,
    /// Lines of the formatted httpmock helpers.
    pub httpmock_lines: usize,
    /// What post-processing changed.
    pub postprocess: postprocess::Stats,
}

/// Parses a JSON document as OpenAPI 3.0, naming the path that failed.
pub fn parse_openapi(doc: &Value) -> Result<OpenAPI> {
    serde_path_to_error::deserialize(doc).map_err(|e| Error::Parse {
        what: "OpenAPI document".into(),
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

/// Counts the operations of a document.
pub fn count_operations(spec: &OpenAPI) -> usize {
    spec.operations().count()
}

fn settings(options: &Options) -> Result<GenerationSettings> {
    let inner: proc_macro2::TokenStream =
        options.inner_type.parse().map_err(|e| Error::Generate {
            message: format!("inner type `{}`: {e}", options.inner_type),
        })?;
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_inner_type(inner)
        .with_hooks(HooksMode::Expected)
        .with_derive("PartialEq")
        .with_map_type("::std::collections::BTreeMap");
    for (schema, rust) in &options.replace_types {
        settings.with_replacement(schema, rust, std::iter::empty());
    }
    Ok(settings)
}

/// Runs progenitor, turning its panics into errors.
fn run<T>(what: &str, f: impl FnOnce() -> progenitor_impl::Result<T>) -> Result<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    match outcome {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(Error::Generate {
            message: format!("{what}: {e}"),
        }),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            Err(Error::Generate {
                message: format!("{what} panicked: {message}"),
            })
        }
    }
}

/// Generates the client (and optionally the httpmock helpers) from a
/// normalized document.
pub fn generate(doc: &Value, options: &Options) -> Result<Generated> {
    let spec = parse_openapi(doc)?;
    let settings = settings(options)?;
    let tokens = run("client generation", || {
        Generator::new(&settings).generate_tokens(&spec)
    })?;
    let (mut client, pp_stats) = postprocess::process(tokens)?;
    if let Some(error) = &options.error_schema {
        client.push_str(&runtime(error));
    }
    let httpmock = match &options.httpmock_crate_path {
        Some(path) => {
            let tokens = run("httpmock generation", || {
                Generator::new(&settings).httpmock(&spec, path)
            })?;
            Some(postprocess::process_httpmock(tokens)?)
        }
        None => None,
    };
    let stats = Stats {
        operations: count_operations(&spec),
        client_lines: client.lines().count(),
        httpmock_lines: httpmock.as_ref().map_or(0, |h| h.lines().count()),
        postprocess: pp_stats,
    };
    Ok(Generated {
        client,
        httpmock,
        stats,
    })
}

/// The runtime support module appended to every generated client: auth
/// hooks, path-reporting decoding, TLS provider set-up.
pub fn runtime(error: &ErrorSchema) -> String {
    let status_insert = match &error.status_field {
        Some(field) => format!(
            "fallback.insert(\"{field}\".into(), ::serde_json::Value::from(status.as_u16()));"
        ),
        None => String::new(),
    };
    include_str!("runtime.rs.in")
        .replace("__ERROR_TYPE__", &error.name)
        .replace("__MESSAGE_FIELD__", &error.message_field)
        .replace("__STATUS_INSERT__", &status_insert)
}
