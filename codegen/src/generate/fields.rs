//! Struct fields that keep what the wire says.
//!
//! - Fields whose names collide once case and punctuation are folded
//!   (`a-b` and `a_b` are both `a_b`) get unique names; each keeps its wire
//!   name in `#[serde(rename)]`.
//! - An optional list or map is an `Option<Vec<T>>` / `Option<Map>`: absent
//!   (`None`, not sent) differs from empty (`Some(vec![])`, sent as `[]`),
//!   so a request can clear a list, and a response reads back as it came.
//! - Structs that responses reach keep the fields this client does not know
//!   in `#[serde(flatten)] extra`, so a read-modify-write through an older
//!   client keeps what a newer server sent.

use std::collections::BTreeSet;

use quote::format_ident;
use syn::{Fields, Item, ItemStruct, parse_quote};

use super::attrs::{derives, serde_flag, serde_value, set_serde_value, type_ident};
use crate::naming::unique;

/// What [`apply`] changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldStats {
    /// Fields renamed because their names collided.
    pub(crate) renamed: usize,
    /// Optional lists and maps made `Option`s.
    pub(crate) optional_collections: usize,
    /// Structs that gained `extra`.
    pub(crate) extra: usize,
}

/// The name of the field that keeps unknown fields.
pub const EXTRA: &str = "extra";

/// Applies the three rewrites to the structs among `items`; `extra` on
/// those named in `response_types`.
pub(crate) fn apply(items: &mut [Item], response_types: &BTreeSet<String>) -> FieldStats {
    let mut stats = FieldStats::default();
    for item in items.iter_mut() {
        let Item::Struct(s) = item else {
            continue;
        };
        if !matches!(s.fields, Fields::Named(_)) {
            continue;
        }
        stats.renamed += dedupe(s);
        stats.optional_collections += optional_collections(s);
        if response_types.contains(&s.ident.to_string()) && add_extra(s) {
            stats.extra += 1;
        }
    }
    stats
}

fn dedupe(s: &mut ItemStruct) -> usize {
    let mut seen = BTreeSet::new();
    let mut renamed = 0;
    for field in s.fields.iter_mut() {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let name = ident.to_string();
        if seen.insert(name.clone()) {
            continue;
        }
        let new = unique(&name, |c| seen.contains(c));
        seen.insert(new.clone());
        if serde_value(&field.attrs, "rename").is_none() {
            let wire = name.strip_prefix("r#").unwrap_or(&name).to_string();
            set_serde_value(&mut field.attrs, "rename", &wire);
        }
        field.ident = Some(format_ident!("{new}"));
        renamed += 1;
    }
    renamed
}

fn optional_collections(s: &mut ItemStruct) -> usize {
    let mut changed = 0;
    for field in s.fields.iter_mut() {
        let Some(skip) = serde_value(&field.attrs, "skip_serializing_if") else {
            continue;
        };
        let is_collection = matches!(
            type_ident(&field.ty).map(ToString::to_string).as_deref(),
            Some("Vec" | "BTreeMap" | "HashMap" | "Map")
        );
        if !is_collection || !skip.ends_with("::is_empty") {
            continue;
        }
        let ty = &field.ty;
        field.ty = parse_quote!(::std::option::Option<#ty>);
        set_serde_value(
            &mut field.attrs,
            "skip_serializing_if",
            "::std::option::Option::is_none",
        );
        changed += 1;
    }
    changed
}

fn add_extra(s: &mut ItemStruct) -> bool {
    if !derives(&s.attrs, "Deserialize") || serde_flag(&s.attrs, "deny_unknown_fields") {
        return false;
    }
    if s.fields.iter().any(|f| serde_flag(&f.attrs, "flatten")) {
        return false;
    }
    let taken: Vec<String> = s
        .fields
        .iter()
        .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
        .collect();
    let name = format_ident!("{}", unique(EXTRA, |c| taken.iter().any(|t| t == c)));
    let Fields::Named(named) = &mut s.fields else {
        return false;
    };
    named.named.push(parse_quote! {
        /// Fields this client does not know (sent by a newer server), kept
        /// and sent back unchanged.
        #[serde(flatten)]
        pub #name: ::serde_json::Map<::std::string::String, ::serde_json::Value>
    });
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_fields() {
        let mut file: syn::File = parse_quote! {
            #[derive(Clone, Debug, ::serde::Deserialize, ::serde::Serialize)]
            pub struct Dashboard {
                #[serde(rename = "a-b")]
                pub a_b: String,
                pub a_b: String,
                #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                pub filters: ::std::vec::Vec<String>,
                pub extra: String,
            }
            #[derive(Clone, Debug, ::serde::Deserialize, ::serde::Serialize)]
            pub struct Request { pub name: String }
        };
        let responses: BTreeSet<String> = ["Dashboard".to_string()].into();
        let stats = apply(&mut file.items, &responses);
        assert_eq!(
            stats,
            FieldStats {
                renamed: 1,
                optional_collections: 1,
                extra: 1
            }
        );
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("#[serde(rename = \"a_b\")]\n    pub a_b2: String"),
            "{code}"
        );
        assert!(
            code.contains("pub filters: ::std::option::Option<::std::vec::Vec<String>>"),
            "{code}"
        );
        assert!(
            code.contains("skip_serializing_if = \"::std::option::Option::is_none\""),
            "{code}"
        );
        assert!(code.contains("pub extra2: ::serde_json::Map"), "{code}");
        assert_eq!(code.matches("flatten").count(), 1, "{code}");
    }
}
