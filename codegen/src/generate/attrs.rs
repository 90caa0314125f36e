//! Reading and rewriting `#[serde(..)]` and `#[derive(..)]` attributes on
//! syntax trees.

use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Lit, Meta, Token, parse_quote};

/// The items of every `#[serde(..)]` attribute.
pub(crate) fn serde_metas(attrs: &[Attribute]) -> Vec<Meta> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .filter_map(|a| {
            a.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .collect()
}

/// Whether a `#[serde(name)]` flag is present.
pub(crate) fn serde_flag(attrs: &[Attribute], name: &str) -> bool {
    serde_metas(attrs)
        .iter()
        .any(|m| matches!(m, Meta::Path(p) if p.is_ident(name)))
}

/// The string value of `#[serde(name = "value")]`.
pub(crate) fn serde_value(attrs: &[Attribute], name: &str) -> Option<String> {
    serde_metas(attrs).iter().find_map(|m| match m {
        Meta::NameValue(nv) if nv.path.is_ident(name) => lit_str(&nv.value),
        _ => None,
    })
}

fn lit_str(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// Sets `#[serde(name = "value")]`, replacing an existing value; all serde
/// items end up in one attribute.
pub(crate) fn set_serde_value(attrs: &mut Vec<Attribute>, name: &str, value: &str) {
    let mut metas = serde_metas(attrs);
    let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
    let new: Meta = parse_quote!(#ident = #value);
    match metas.iter_mut().find(|m| m.path().is_ident(name)) {
        Some(existing) => *existing = new,
        None => metas.push(new),
    }
    attrs.retain(|a| !a.path().is_ident("serde"));
    attrs.push(parse_quote!(#[serde(#(#metas),*)]));
}

/// Whether a `#[derive(..)]` lists `name`.
pub(crate) fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .filter_map(|a| {
            a.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
}

/// Removes `name` from every `#[derive(..)]`.
pub(crate) fn remove_derive(attrs: &mut [Attribute], name: &str) {
    for attr in attrs.iter_mut() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) = attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|p| p.segments.last().is_none_or(|s| s.ident != name))
            .collect();
        if kept.len() != paths.len() {
            *attr = parse_quote!(#[derive(#(#kept),*)]);
        }
    }
}

/// The last identifier of a type path (`Vec` in `::std::vec::Vec<T>`).
pub(crate) fn type_ident(ty: &syn::Type) -> Option<&syn::Ident> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| &s.ident),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_rewrites() {
        let mut attrs: Vec<Attribute> = vec![
            parse_quote!(#[derive(Clone, Copy, Debug, ::serde::Deserialize)]),
            parse_quote!(#[serde(rename = "a-b", default, skip_serializing_if = "Vec::is_empty")]),
        ];
        assert!(derives(&attrs, "Copy") && derives(&attrs, "Deserialize"));
        assert!(serde_flag(&attrs, "default"));
        assert_eq!(serde_value(&attrs, "rename").as_deref(), Some("a-b"));
        set_serde_value(&mut attrs, "skip_serializing_if", "Option::is_none");
        assert_eq!(
            serde_value(&attrs, "skip_serializing_if").as_deref(),
            Some("Option::is_none")
        );
        remove_derive(&mut attrs, "Copy");
        assert!(!derives(&attrs, "Copy") && derives(&attrs, "Clone"));
    }
}
