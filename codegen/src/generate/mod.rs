//! Generation: the normalized document through progenitor, then through
//! syntax-tree rewrites, into formatted Rust source.
//!
//! | module | rewrite |
//! |---|---|
//! | [`enums`] | every string enum is open (`Unknown(String)`); enums typify cannot name are written here |
//! | [`unions`] | every union is open (`Unknown(serde_json::Value)`) |
//! | `fields` | colliding field names, `Option` lists and maps, `extra` on response structs |
//! | `operations` | path segments, bounded decoding, renamed parameters, generic `_as` twins |
//! | `client` | runtime-based constructors and hooks, the error body trait |
//! | `features` | one cargo feature per API area |
//! | `typed` | the `types` feature: typed operations and the types only they reach |
//! | `httpmock` | progenitor's mock helpers, corrected |
//!
//! Every rewrite works on `syn` trees and emits code with `quote!`.

mod attrs;
mod client;
pub mod enums;
mod features;
mod fields;
mod graph;
mod httpmock;
mod operations;
mod typed;
pub mod unions;

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use openapiv3::OpenAPI;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use serde_json::Value;
use syn::{ImplItem, Item};

use crate::manifest::{ErrorSchema, FeatureSpec, RateLimitSpec};
use crate::naming::{progenitor_snake, typify_pascal};
use crate::normalize::names::{CUSTOM_ENUM, ParamRename};
use crate::{Error, Result};

pub use fields::EXTRA;

/// How a client is generated.
#[derive(Debug, Clone)]
pub struct Options {
    /// Short name of the API, for docs (`cloud`, `oss`).
    pub api: String,
    /// Component schemas replaced by hand-written types (schema name to
    /// Rust path).
    pub replace_types: BTreeMap<String, String>,
    /// Also generate the typed httpmock helpers.
    pub httpmock: bool,
    /// The shared error schema.
    pub error_schema: ErrorSchema,
    /// The API's documented rate limit, the generated client's default.
    pub rate_limit: Option<RateLimitSpec>,
    /// Cargo features per API area, if the crate is split.
    pub features: Option<FeatureSpec>,
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

/// Sizes of the generated code and what the rewrites did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Operations in the document (one client method each).
    pub operations: usize,
    /// Generic `_as` twins.
    pub generic_operations: usize,
    /// Lines of the formatted client.
    pub client_lines: usize,
    /// Lines of the formatted httpmock helpers.
    pub httpmock_lines: usize,
    /// String enums opened with `Unknown(String)` (custom ones included).
    pub open_enums: usize,
    /// Enums written by the generator (values typify cannot name).
    pub custom_enums: usize,
    /// Unions opened with `Unknown(serde_json::Value)`.
    pub open_unions: usize,
    /// Structs that keep unknown fields.
    pub structs_with_extra: usize,
    /// Optional lists and maps made `Option`s.
    pub optional_collections: usize,
    /// Struct fields renamed because their names collided.
    pub renamed_fields: usize,
    /// Types per cargo feature, when the crate is split by area.
    pub types_per_feature: BTreeMap<String, usize>,
    /// Types compiled without the `types` feature (what the generic
    /// twins mention).
    pub types_without_feature: usize,
    /// Types compiled only with the `types` feature.
    pub types_gated: usize,
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

fn settings(replace: &BTreeMap<String, String>) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote::quote!(::clickstack_runtime::Context))
        .with_hooks(HooksMode::Expected)
        .with_derive("PartialEq")
        .with_map_type("::std::collections::BTreeMap");
    for (schema, rust) in replace {
        settings.with_replacement(schema, rust, std::iter::empty());
    }
    settings
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
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            Err(Error::Generate {
                message: format!("{what} panicked: {message}"),
            })
        }
    }
}

fn parse_file(tokens: proc_macro2::TokenStream, what: &str) -> Result<syn::File> {
    syn::parse2(tokens).map_err(|e| Error::Postprocess {
        message: format!("{what} does not parse: {e}"),
    })
}

/// The custom enums of a normalized document: (type name, values,
/// description).
fn custom_enums(doc: &Value) -> Vec<(String, Vec<String>, Option<String>)> {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return Vec::new();
    };
    schemas
        .iter()
        .filter_map(|(name, schema)| {
            let values = schema.get(CUSTOM_ENUM)?.as_array()?;
            let values = values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let description = schema
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_string);
            Some((typify_pascal(name), values, description))
        })
        .collect()
}

/// Operation method name to the feature of its first tag.
fn method_features(doc: &Value, spec: &FeatureSpec) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return out;
    };
    for item in paths.values() {
        for method in crate::schema_walk::METHODS {
            let Some(op) = item.get(method) else {
                continue;
            };
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let tag = op
                .get("tags")
                .and_then(Value::as_array)
                .and_then(|t| t.first())
                .and_then(Value::as_str)
                .unwrap_or_default();
            let feature = spec.by_tag.get(tag).unwrap_or(&spec.fallback).clone();
            out.insert(progenitor_snake(id), feature);
        }
    }
    out
}

/// The types that success responses reach.
fn response_types(file: &syn::File, graph: &graph::TypeGraph) -> BTreeSet<String> {
    let mut roots = BTreeSet::new();
    for item in &file.items {
        let Item::Impl(imp) = item else {
            continue;
        };
        for impl_item in &imp.items {
            let ImplItem::Fn(f) = impl_item else {
                continue;
            };
            if f.sig.asyncness.is_none() {
                continue;
            }
            if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                roots.extend(graph.mentions_in(|v| v.visit_type(ty)));
            }
        }
    }
    graph.closure(roots)
}

fn types_items_mut(file: &mut syn::File) -> Option<&mut Vec<Item>> {
    file.items.iter_mut().find_map(|i| match i {
        Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// Generates the client (and optionally the httpmock helpers) from a
/// normalized document.
pub fn generate(
    doc: &Value,
    param_renames: &[ParamRename],
    options: &Options,
) -> Result<Generated> {
    let spec = parse_openapi(doc)?;
    let customs = custom_enums(doc);
    let mut replace = options.replace_types.clone();
    for (name, _, _) in &customs {
        replace.insert(name.clone(), format!("crate::types::{name}"));
    }
    let settings = settings(&replace);
    let tokens = run("client generation", || {
        Generator::new(&settings).generate_tokens(&spec)
    })?;
    let mut file = parse_file(tokens, "generated client")?;
    let mut stats = Stats {
        operations: count_operations(&spec),
        custom_enums: customs.len(),
        ..Stats::default()
    };

    // Types: custom enums, open enums and unions, fields.
    let Some(types) = types_items_mut(&mut file) else {
        return Err(Error::Postprocess {
            message: "the generated client has no `types` module".into(),
        });
    };
    for (name, values, description) in &customs {
        let code = enums::custom_enum(name, values, description.as_deref());
        types.extend(parse_file(code, "a custom enum")?.items);
    }
    stats.open_enums = enums::open_string_enums(types) + customs.len();
    unions::enum_for_single_member_unions(types, &unions::single_member_unions(doc));
    stats.open_unions = unions::open_unions(types);
    let graph = graph::TypeGraph::new(types);
    let responses = response_types(&file, &graph);
    if let Some(types) = types_items_mut(&mut file) {
        let field_stats = fields::apply(types, &responses);
        stats.structs_with_extra = field_stats.extra;
        stats.optional_collections = field_stats.optional_collections;
        stats.renamed_fields = field_stats.renamed;
    }

    // Operations and the client.
    let mut restore: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for rename in param_renames {
        restore
            .entry(rename.method.clone())
            .or_default()
            .insert(rename.placeholder.clone(), rename.wire.clone());
    }
    let op_stats = operations::rewrite(&mut file.items, &restore);
    stats.generic_operations = op_stats.generic;
    client::rewrite(&mut file.items, &options.api, options.rate_limit.as_ref());
    file.items.extend(
        parse_file(
            client::error_body(&options.error_schema),
            "the error body impl",
        )?
        .items,
    );

    let gates = options.features.as_ref().map(|spec| features::Gates {
        methods: method_features(doc, spec),
        fallback: spec.fallback.clone(),
    });
    if let Some(gates) = &gates {
        stats.types_per_feature = features::gate_client(&mut file, gates).types_per_feature;
    }
    let typed = typed::gate(&mut file);
    stats.types_without_feature = typed.kept;
    stats.types_gated = typed.gated;
    let client = prettyplease::unparse(&file);
    stats.client_lines = client.lines().count();

    let httpmock = if options.httpmock {
        let tokens = run("httpmock generation", || {
            Generator::new(&settings).httpmock(&spec, "crate")
        })?;
        let mut mock = parse_file(tokens, "generated httpmock helpers")?;
        let all: BTreeMap<String, String> = restore
            .values()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        httpmock::fix(&mut mock, &all);
        if let Some(gates) = &gates {
            features::gate_httpmock(&mut mock, gates, progenitor_pascal);
        }
        let code = prettyplease::unparse(&mock);
        stats.httpmock_lines = code.lines().count();
        Some(code)
    } else {
        None
    };
    Ok(Generated {
        client,
        httpmock,
        stats,
    })
}

/// progenitor's Pascal name of a (snake-case) method, as its httpmock
/// helper types use it.
fn progenitor_pascal(method: &str) -> String {
    use heck::ToPascalCase;
    let out = method.to_pascal_case();
    match out.chars().next() {
        Some(c) if unicode_ident::is_xid_start(c) => out,
        Some(_) => format!("_{out}"),
        None => "X".into(),
    }
}
