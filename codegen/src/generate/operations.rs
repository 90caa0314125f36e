//! The operation methods of the generated `Client`.
//!
//! - Every path parameter goes through
//!   `clickstack_runtime::path::segment`: one percent-encoded segment, and
//!   an empty id, `.` or `..` refused before anything is sent.
//! - Bodies are read and decoded by `clickstack_runtime::decode` (bounded,
//!   one pass, redacted error texts), error bodies into the shared error type.
//! - A parameter renamed by normalization sends its wire name again.
//! - Every operation with a JSON success body also gets a generic twin,
//!   `<operation>_as::<Out, Body>`, that decodes the success body into any
//!   `Out` and sends any serializable `Body`: a caller (the `clickstack`
//!   facade) can use its own types without converting, while the path,
//!   the parameters and the status handling stay in one place. The typed
//!   method calls its twin.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, ImplItemFn, Item, Token, parse_quote};

/// What the method rewrites did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OperationStats {
    /// Operation methods.
    pub(crate) methods: usize,
    /// Generic `_as` twins added.
    pub(crate) generic: usize,
}

fn path_ends_with(expr: &Expr, segments: &[&str]) -> bool {
    let Expr::Path(p) = expr else {
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

/// Rewrites the calls inside one method body.
struct BodyRewriter<'a> {
    /// Placeholder name to wire name, for this method.
    restore: &'a BTreeMap<String, String>,
    /// Whether the body decodes a JSON success value.
    decodes_json: bool,
}

impl VisitMut for BodyRewriter<'_> {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // `format!("{}/things/{}", self.baseurl, encode_path(&id.to_string()))`:
        // the arguments are expressions inside the macro's tokens.
        if !mac.path.is_ident("format") {
            return;
        }
        let Ok(mut args) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        else {
            return;
        };
        for arg in args.iter_mut() {
            self.visit_expr_mut(arg);
        }
        mac.tokens = quote!(#args);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Call(call) = expr {
            // `encode_path(&id.to_string())`
            if path_ends_with(&call.func, &["encode_path"]) && call.args.len() == 1 {
                let arg = &call.args[0];
                let name = param_name(arg).unwrap_or_else(|| "path parameter".to_string());
                *expr = parse_quote!(::clickstack_runtime::path::segment(#name, #arg)?);
                return;
            }
            // `Error::ErrorResponse(ResponseValue::from_response(response).await?)`
            if path_ends_with(&call.func, &["Error", "ErrorResponse"]) {
                let mut inner = DecodeRewriter { target: "error" };
                for arg in call.args.iter_mut() {
                    inner.visit_expr_mut(arg);
                }
                return;
            }
            if path_ends_with(&call.func, &["ResponseValue", "from_response"]) {
                let mut inner = DecodeRewriter { target: "success" };
                inner.visit_expr_mut(expr);
                self.decodes_json = true;
                return;
            }
        }
        if let Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) = expr
            && let Some(wire) = self.restore.get(&s.value())
        {
            *expr = parse_quote!(#wire);
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// The identifier in `&id.to_string()`.
fn param_name(arg: &Expr) -> Option<String> {
    let Expr::Reference(r) = arg else {
        return None;
    };
    let Expr::MethodCall(m) = &*r.expr else {
        return None;
    };
    let Expr::Path(p) = &*m.receiver else {
        return None;
    };
    p.path.get_ident().map(|i| {
        let text = i.to_string();
        text.strip_prefix("r#").unwrap_or(&text).to_string()
    })
}

struct DecodeRewriter {
    target: &'static str,
}

impl VisitMut for DecodeRewriter {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if path_ends_with(&call.func, &["ResponseValue", "from_response"]) {
            let target = format_ident!("{}", self.target);
            let args = &call.args;
            *call = parse_quote!(::clickstack_runtime::decode::#target(&self.inner, #args));
            return;
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }
}

/// `T` in `Result<ResponseValue<T>, Error<E>>`.
fn success_type(f: &ImplItemFn) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = &f.sig.output else {
        return None;
    };
    let result = last_generic_args(ty)?;
    let syn::GenericArgument::Type(response_value) = result.first()? else {
        return None;
    };
    let inner = last_generic_args(response_value)?;
    match inner.first()? {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

fn last_generic_args(
    ty: &syn::Type,
) -> Option<&syn::punctuated::Punctuated<syn::GenericArgument, syn::Token![,]>> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    match &p.path.segments.last()?.arguments {
        syn::PathArguments::AngleBracketed(a) => Some(&a.args),
        _ => None,
    }
}

/// The generic twin of an operation method and the typed method's new body.
fn generic_twin(f: &ImplItemFn) -> Option<(ImplItemFn, syn::Block)> {
    let out_ty = success_type(f)?;
    let name = &f.sig.ident;
    let twin_name = format_ident!("{}", crate::naming::twin_name(&name.to_string()));
    let mut twin = f.clone();
    twin.sig.ident = twin_name.clone();
    twin.attrs.retain(|a| !a.path().is_ident("doc"));
    let doc = format!(
        " [`Client::{name}`], with the success body decoded into any `Out` (and any \
         serializable `Body` sent as the request body): bring your own types, keep \
         this operation's path, parameters and status handling."
    );
    twin.attrs.insert(0, parse_quote!(#[doc = #doc]));
    twin.sig.generics.params.push(parse_quote!(Out));
    let mut where_clause: syn::WhereClause = parse_quote!(where Out: ::serde::de::DeserializeOwned);
    let mut call_types: Vec<TokenStream> = vec![quote!(#out_ty)];
    let mut args: Vec<TokenStream> = Vec::new();
    for input in twin.sig.inputs.iter_mut() {
        let syn::FnArg::Typed(arg) = input else {
            continue;
        };
        let pat = &arg.pat;
        args.push(quote!(#pat));
        let is_body = matches!(&*arg.pat, syn::Pat::Ident(i) if i.ident == "body");
        if is_body && let syn::Type::Reference(r) = &mut *arg.ty {
            let body_ty = &r.elem;
            call_types.push(quote!(#body_ty));
            *r.elem = parse_quote!(Body);
            where_clause
                .predicates
                .push(parse_quote!(Body: ::serde::Serialize + ?Sized));
        }
    }
    if call_types.len() == 2 {
        twin.sig.generics.params.push(parse_quote!(Body));
    }
    twin.sig.generics.where_clause = Some(where_clause);
    let syn::ReturnType::Type(_, ret) = &mut twin.sig.output else {
        return None;
    };
    let mut replacer = ReplaceType {
        from: out_ty,
        to: parse_quote!(Out),
    };
    replacer.visit_type_mut(ret);
    let body: syn::Block = parse_quote!({ self.#twin_name::<#(#call_types),*>(#(#args),*).await });
    Some((twin, body))
}

struct ReplaceType {
    from: syn::Type,
    to: syn::Type,
}

impl VisitMut for ReplaceType {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if *ty == self.from {
            *ty = self.to.clone();
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

/// Rewrites every operation method of the `impl Client` blocks among
/// `items`. `restore` maps a method name to its renamed parameters.
pub(crate) fn rewrite(
    items: &mut [Item],
    restore: &BTreeMap<String, BTreeMap<String, String>>,
) -> OperationStats {
    let empty = BTreeMap::new();
    let mut stats = OperationStats::default();
    for item in items.iter_mut() {
        let Item::Impl(imp) = item else {
            continue;
        };
        if imp.trait_.is_some() || super::graph::impl_self(imp).as_deref() != Some("Client") {
            continue;
        }
        let mut twins = Vec::new();
        for impl_item in &mut imp.items {
            let ImplItem::Fn(f) = impl_item else {
                continue;
            };
            if f.sig.asyncness.is_none() {
                continue;
            }
            stats.methods += 1;
            let mut rewriter = BodyRewriter {
                restore: restore.get(&f.sig.ident.to_string()).unwrap_or(&empty),
                decodes_json: false,
            };
            rewriter.visit_block_mut(&mut f.block);
            if rewriter.decodes_json
                && let Some((twin, body)) = generic_twin(f)
            {
                f.block = body;
                twins.push(ImplItem::Fn(twin));
            }
        }
        stats.generic += twins.len();
        imp.items.extend(twins);
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_calls_and_adds_generic_twins() {
        let mut file: syn::File = parse_quote! {
            impl Client {
                pub async fn update_thing<'a>(
                    &'a self,
                    id: &'a str,
                    body: &'a types::Thing,
                ) -> Result<ResponseValue<types::ThingEnvelope>, Error<types::ApiError>> {
                    let url = format!("{}/things/{}", self.baseurl, encode_path(&id.to_string()));
                    let request = self.client.put(url).query(&QueryParam::new("a_b_", &a)).json(&body).build()?;
                    match response.status().as_u16() {
                        200u16 => ResponseValue::from_response(response).await,
                        400u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
                pub async fn delete_thing<'a>(&'a self) -> Result<ResponseValue<()>, Error<types::ApiError>> {
                    Ok(ResponseValue::empty(response))
                }
            }
        };
        let restore = BTreeMap::from([(
            "update_thing".to_string(),
            BTreeMap::from([("a_b_".to_string(), "a_b".to_string())]),
        )]);
        let stats = rewrite(&mut file.items, &restore);
        assert_eq!(
            stats,
            OperationStats {
                methods: 2,
                generic: 1
            }
        );
        let code = prettyplease::unparse(&file);
        let squashed: String = code
            .split_whitespace()
            .collect::<String>()
            .replace(",)", ")");
        let has = |s: &str| squashed.contains(&s.split_whitespace().collect::<String>());
        assert!(
            has("::clickstack_runtime::path::segment(\"id\", &id.to_string())?"),
            "{code}"
        );
        assert!(
            has("::clickstack_runtime::decode::success(&self.inner, response).await"),
            "{code}"
        );
        assert!(
            has(
                "Error::ErrorResponse(::clickstack_runtime::decode::error(&self.inner, response).await?)"
            ),
            "{code}"
        );
        assert!(has("QueryParam::new(\"a_b\", &a)"), "{code}");
        assert!(
            has("pub async fn update_thing_as<'a, Out, Body>("),
            "{code}"
        );
        assert!(has("body: &'a Body"), "{code}");
        assert!(
            has("Result<ResponseValue<Out>, Error<types::ApiError>>"),
            "{code}"
        );
        assert!(has("Body: ::serde::Serialize + ?Sized"), "{code}");
        assert!(
            has("self.update_thing_as::<types::ThingEnvelope, types::Thing>(id, body).await"),
            "{code}"
        );
        assert!(!code.contains("delete_thing_as"), "{code}");
    }
}
