//! Rust-level transformations of progenitor's output.
//!
//! - **Open string enums**: every generated enum of two or more unit
//!   variants (a multi-value string enum in the spec) gains
//!   `#[serde(untagged)] Unknown(String)`, so a value added by a newer
//!   server is kept, displayed and sent back verbatim instead of failing the
//!   whole response. `FromStr` accepts any string for the same reason.
//! - **Open unions**: every enum generated from `oneOf`/`anyOf` (serde
//!   `untagged` or internally `tag`ged) gains `Unknown(serde_json::Value)`,
//!   which keeps a variant this client does not know (a new tile type, a
//!   new webhook service) as raw JSON and serializes it back unchanged.
//! - `Copy` is removed from derives, since open enums hold data.
//! - Response decoding goes through a path-reporting decoder, when one is
//!   configured, so a payload that does not match names the failing field.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Attribute, Fields, Item, ItemEnum, parse_quote};

use crate::{Error, Result};

/// The name of the variant added to open enums and unions.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// What post-processing changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// String enums opened with `Unknown(String)`.
    pub open_enums: usize,
    /// Unions opened with `Unknown(serde_json::Value)`.
    pub open_unions: usize,
}

/// Formats a token stream as Rust source.
pub fn format(tokens: TokenStream) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Postprocess {
        message: format!("generated code does not parse: {e}"),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// Post-processes progenitor's httpmock helpers: array query parameters
/// (progenitor calls `to_string()` on the `Vec`, which does not compile)
/// match one `name=value` pair per element.
pub fn process_httpmock(tokens: TokenStream) -> Result<String> {
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| Error::Postprocess {
        message: format!("generated httpmock code does not parse: {e}"),
    })?;
    ArrayQueryFixer.visit_file_mut(&mut file);
    Ok(prettyplease::unparse(&file))
}

struct ArrayQueryFixer;

impl VisitMut for ArrayQueryFixer {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        let bounds = f
            .sig
            .generics
            .where_clause
            .as_ref()
            .map(|w| quote!(#w).to_string());
        if bounds.is_some_and(|b| b.contains("Vec <")) {
            ArrayQueryCall.visit_block_mut(&mut f.block);
        }
    }
}

struct ArrayQueryCall;

impl VisitMut for ArrayQueryCall {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::MethodCall(call) = expr {
            let is_target = call.method == "query_param"
                && call.args.len() == 2
                && quote!(#call).to_string().contains("value . to_string ()");
            if is_target {
                let receiver = &call.receiver;
                let name = &call.args[0];
                *expr = parse_quote! {
                    value.iter().fold(#receiver, |when, item| when.query_param(#name, item.to_string()))
                };
                return;
            }
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// Applies every transformation and formats the result.
pub fn process(tokens: TokenStream) -> Result<(String, Stats)> {
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| Error::Postprocess {
        message: format!("generated code does not parse: {e}"),
    })?;
    let mut nested = NestedUnions::default();
    syn::visit::Visit::visit_file(&mut nested, &file);
    let mut opener = Opener {
        nested: nested.payloads,
        ..Opener::default()
    };
    opener.visit_file_mut(&mut file);
    let mut impls = ImplFixer {
        string_enums: opener.string_enums.clone(),
        union_enums: opener.union_enums.clone(),
    };
    impls.visit_file_mut(&mut file);
    ClientRewriter.visit_file_mut(&mut file);
    let stats = Stats {
        open_enums: opener.string_enums.len(),
        open_unions: opener.unions,
    };
    Ok((prettyplease::unparse(&file), stats))
}

/// The kind of enum typify generated, read from its serde attributes.
#[derive(Debug, PartialEq, Eq)]
enum EnumKind {
    /// Unit variants only: a string enum.
    Strings,
    /// `#[serde(untagged)]` on the enum.
    Untagged,
    /// `#[serde(tag = "..")]` on the enum.
    Tagged,
    /// Anything else (left alone).
    Other,
}

fn serde_args(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .map(|a| a.meta.to_token_stream_string())
        .collect::<Vec<_>>()
        .join(" ")
}

trait MetaString {
    fn to_token_stream_string(&self) -> String;
}

impl MetaString for syn::Meta {
    fn to_token_stream_string(&self) -> String {
        quote!(#self).to_string()
    }
}

fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive") && {
            let text = a.meta.to_token_stream_string();
            text.split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == name)
        }
    })
}

fn kind(e: &ItemEnum) -> EnumKind {
    if !derives(&e.attrs, "Deserialize") {
        return EnumKind::Other;
    }
    let serde = serde_args(&e.attrs);
    if serde.contains("untagged") {
        EnumKind::Untagged
    } else if serde.contains("tag =") {
        EnumKind::Tagged
    } else if e.variants.len() >= 2 && e.variants.iter().all(|v| matches!(v.fields, Fields::Unit)) {
        EnumKind::Strings
    } else {
        EnumKind::Other
    }
}

/// Finds unions that are the payload of another union's variant. Those
/// stay closed: an `Unknown` there would swallow every shape before the
/// outer union could try its other variants (and its own `Unknown`).
#[derive(Default)]
struct NestedUnions {
    payloads: Vec<String>,
}

impl<'ast> syn::visit::Visit<'ast> for NestedUnions {
    fn visit_item_enum(&mut self, e: &'ast ItemEnum) {
        if matches!(kind(e), EnumKind::Untagged | EnumKind::Tagged) {
            for variant in &e.variants {
                if let Fields::Unnamed(fields) = &variant.fields {
                    for field in &fields.unnamed {
                        if let syn::Type::Path(p) = &field.ty
                            && let Some(last) = p.path.segments.last()
                        {
                            self.payloads.push(last.ident.to_string());
                        }
                    }
                }
            }
        }
    }
}

#[derive(Default)]
struct Opener {
    nested: Vec<String>,
    string_enums: Vec<String>,
    union_enums: Vec<String>,
    unions: usize,
}

impl VisitMut for Opener {
    fn visit_item_mut(&mut self, item: &mut Item) {
        match item {
            Item::Enum(e) => {
                remove_copy(&mut e.attrs);
                let unknown = format_ident!("{UNKNOWN_VARIANT}");
                if e.variants.iter().any(|v| v.ident == unknown) {
                    return;
                }
                match kind(e) {
                    EnumKind::Strings => {
                        e.variants.push(parse_quote! {
                            /// A value this client does not know yet (sent by a newer
                            /// server), kept verbatim.
                            #[serde(untagged)]
                            #unknown(::std::string::String)
                        });
                        self.string_enums.push(e.ident.to_string());
                    }
                    EnumKind::Untagged | EnumKind::Tagged
                        if self.nested.contains(&e.ident.to_string()) => {}
                    EnumKind::Untagged => {
                        e.variants.push(parse_quote! {
                            /// A shape this client does not know yet (sent by a newer
                            /// server), kept as raw JSON and sent back unchanged.
                            #unknown(::serde_json::Value)
                        });
                        self.unions += 1;
                        self.union_enums.push(e.ident.to_string());
                    }
                    EnumKind::Tagged => {
                        e.variants.push(parse_quote! {
                            /// A variant this client does not know yet (sent by a newer
                            /// server), kept as raw JSON and sent back unchanged.
                            #[serde(untagged)]
                            #unknown(::serde_json::Value)
                        });
                        self.unions += 1;
                        self.union_enums.push(e.ident.to_string());
                    }
                    EnumKind::Other => {}
                }
            }
            Item::Struct(s) => remove_copy(&mut s.attrs),
            _ => syn::visit_mut::visit_item_mut(self, item),
        }
    }
}

fn remove_copy(attrs: &mut [Attribute]) {
    for attr in attrs.iter_mut() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|p| p.segments.last().is_none_or(|s| s.ident != "Copy"))
            .collect();
        if kept.len() != paths.len() {
            *attr = parse_quote!(#[derive(#(#kept),*)]);
        }
    }
}

/// Completes the `Display`/`FromStr` impls typify writes for opened enums.
struct ImplFixer {
    string_enums: Vec<String>,
    union_enums: Vec<String>,
}

impl VisitMut for ImplFixer {
    fn visit_item_impl_mut(&mut self, imp: &mut syn::ItemImpl) {
        let self_name = match &*imp.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let opened = self_name
            .is_some_and(|n| self.string_enums.contains(&n) || self.union_enums.contains(&n));
        if !opened {
            return;
        }
        let trait_name = imp
            .trait_
            .as_ref()
            .and_then(|(path, _)| path.segments.last())
            .map(|s| s.ident.to_string());
        let mut fixer = MatchFixer {
            trait_name: trait_name.unwrap_or_default(),
        };
        for item in &mut imp.items {
            fixer.visit_impl_item_mut(item);
        }
    }
}

struct MatchFixer {
    trait_name: String,
}

impl VisitMut for MatchFixer {
    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        let unknown = format_ident!("{UNKNOWN_VARIANT}");
        match self.trait_name.as_str() {
            // `match *self { Self::A => f.write_str("a"), .. }`
            "Display" => {
                // `match *self` binds by value (needs `ref`); `match self`
                // binds by reference already (edition 2024 forbids `ref`).
                let by_value =
                    matches!(&*m.expr, syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)));
                m.arms.push(if by_value {
                    parse_quote! { Self::#unknown(ref value) => ::std::fmt::Display::fmt(value, f), }
                } else {
                    parse_quote! { Self::#unknown(value) => ::std::fmt::Display::fmt(value, f), }
                });
            }
            // `match value { "a" => Ok(Self::A), _ => Err(..) }`
            "FromStr" => {
                if let Some(last) = m.arms.last_mut()
                    && matches!(last.pat, syn::Pat::Wild(_))
                {
                    *last.body = parse_quote! {
                        Ok(Self::#unknown(value.to_string()))
                    };
                }
            }
            _ => {}
        }
    }
}

/// Routes response decoding through the emitted `runtime` module and makes
/// `Client::new` install the TLS provider first.
struct ClientRewriter;

fn path_ends_with(expr: &syn::Expr, segments: &[&str]) -> bool {
    let syn::Expr::Path(p) = expr else {
        return false;
    };
    let idents: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    idents.len() >= segments.len() && idents[idents.len() - segments.len()..] == *segments
}

impl VisitMut for ClientRewriter {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        // `Error::ErrorResponse(ResponseValue::from_response(response).await?)`
        if path_ends_with(&call.func, &["Error", "ErrorResponse"]) {
            for arg in call.args.iter_mut() {
                let mut rewriter = DecodeRewriter {
                    target: parse_quote!(runtime::error_value),
                };
                rewriter.visit_expr_mut(arg);
            }
            return;
        }
        if path_ends_with(&call.func, &["ResponseValue", "from_response"]) {
            *call.func = parse_quote!(runtime::response_value);
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if f.sig.ident == "new"
            && f.sig
                .inputs
                .iter()
                .any(|a| quote!(#a).to_string().contains("baseurl"))
        {
            f.block
                .stmts
                .insert(0, parse_quote!(runtime::ensure_tls();));
        }
        syn::visit_mut::visit_impl_item_fn_mut(self, f);
    }
}

struct DecodeRewriter {
    target: syn::Expr,
}

impl VisitMut for DecodeRewriter {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if path_ends_with(&call.func, &["ResponseValue", "from_response"]) {
            *call.func = self.target.clone();
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_string_enums_and_unions() {
        let tokens = quote! {
            #[derive(Clone, Copy, Debug, Deserialize, Serialize)]
            pub enum Level { #[serde(rename = "a")] A, #[serde(rename = "b")] B }
            impl ::std::fmt::Display for Level {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match *self { Self::A => f.write_str("a"), Self::B => f.write_str("b"), }
                }
            }
            impl ::std::str::FromStr for Level {
                type Err = &'static str;
                fn from_str(value: &str) -> Result<Self, &'static str> {
                    match value { "a" => Ok(Self::A), "b" => Ok(Self::B), _ => Err("invalid value"), }
                }
            }
            #[derive(Clone, Debug, Deserialize, Serialize)]
            #[serde(untagged)]
            pub enum Tile { A(A), B(B) }
            #[derive(Clone, Debug, Deserialize, Serialize)]
            #[serde(tag = "kind")]
            pub enum Source { #[serde(rename = "log")] Log(L), #[serde(rename = "trace")] Trace(T) }
            #[derive(Clone, Copy, Debug, Deserialize, Serialize)]
            pub enum Tag { #[serde(rename = "only")] Only }
        };
        let (code, stats) = process(tokens).unwrap();
        assert_eq!(
            stats,
            Stats {
                open_enums: 1,
                open_unions: 2
            }
        );
        assert!(!code.contains("Copy"), "{code}");
        assert!(code.contains("Unknown(::std::string::String)"), "{code}");
        assert!(
            code.contains("Self::Unknown(ref value) => ::std::fmt::Display::fmt(value, f)"),
            "{code}"
        );
        assert!(
            code.contains("_ => Ok(Self::Unknown(value.to_string()))"),
            "{code}"
        );
        assert_eq!(
            code.matches("Unknown(::serde_json::Value)").count(),
            2,
            "{code}"
        );
        assert!(
            code.contains("pub enum Tag {\n    #[serde(rename = \"only\")]\n    Only,\n}"),
            "{code}"
        );
    }

    #[test]
    fn routes_decoding_through_the_runtime() {
        let tokens = quote! {
            impl Client {
                pub fn new(baseurl: &str) -> Self { Self::new_with_client(baseurl) }
                pub async fn op(&self) {
                    match response.status().as_u16() {
                        200u16 => ResponseValue::from_response(response).await,
                        400u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
            }
        };
        let (code, _) = process(tokens).unwrap();
        assert!(
            code.contains("runtime::ensure_tls();\n        Self::new_with_client"),
            "{code}"
        );
        assert!(
            code.contains("200u16 => runtime::response_value(response).await"),
            "{code}"
        );
        assert!(
            code.contains("Error::ErrorResponse(runtime::error_value(response).await?)"),
            "{code}"
        );
    }
}
