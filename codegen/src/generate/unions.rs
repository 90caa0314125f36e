//! Open unions: every enum generated from `oneOf`/`anyOf` (untagged,
//! internally tagged, externally tagged or mixed) gains
//! `Unknown(serde_json::Value)`, which keeps a shape this client does not
//! know (a new tile type, a variant whose fields changed) as raw JSON and
//! serializes it back unchanged, instead of failing the whole response.
//!
//! Unions that are the payload of another union's variant stay closed: an
//! `Unknown` there would swallow every shape before the outer union could
//! try its other variants (and its own `Unknown`).

use quote::format_ident;
use syn::visit::Visit;
use syn::{Fields, Item, ItemEnum, parse_quote};

use super::attrs::{derives, remove_derive, serde_flag};
use super::enums::{UNKNOWN, is_string_enum};

fn is_union(e: &ItemEnum) -> bool {
    derives(&e.attrs, "Deserialize")
        && !is_string_enum(e)
        && !e.variants.iter().any(|v| v.ident == UNKNOWN)
}

/// Finds unions that are the payload of another union's variant.
#[derive(Default)]
struct NestedUnions {
    payloads: Vec<String>,
}

impl<'ast> Visit<'ast> for NestedUnions {
    fn visit_item_enum(&mut self, e: &'ast ItemEnum) {
        if !is_union(e) {
            return;
        }
        for variant in &e.variants {
            if let Fields::Unnamed(fields) = &variant.fields {
                for field in &fields.unnamed {
                    if let Some(name) = super::attrs::type_ident(&field.ty) {
                        self.payloads.push(name.to_string());
                    }
                }
            }
        }
    }
}

/// Opens the unions among `items`; returns how many.
pub(crate) fn open_unions(items: &mut [Item]) -> usize {
    let mut nested = NestedUnions::default();
    for item in items.iter() {
        nested.visit_item(item);
    }
    let unknown = format_ident!("{UNKNOWN}");
    let mut opened = 0;
    let mut names = Vec::new();
    for item in items.iter_mut() {
        let Item::Enum(e) = item else {
            continue;
        };
        if !is_union(e) || nested.payloads.contains(&e.ident.to_string()) {
            continue;
        }
        remove_derive(&mut e.attrs, "Copy");
        let untagged = serde_flag(&e.attrs, "untagged");
        e.variants.push(if untagged {
            parse_quote! {
                /// A shape this client does not know yet (sent by a newer
                /// server), kept as raw JSON and sent back unchanged.
                #unknown(::serde_json::Value)
            }
        } else {
            parse_quote! {
                /// A variant this client does not know yet (sent by a newer
                /// server), kept as raw JSON and sent back unchanged.
                #[serde(untagged)]
                #unknown(::serde_json::Value)
            }
        });
        opened += 1;
        names.push(e.ident.to_string());
    }
    for item in items.iter_mut() {
        if let Item::Impl(imp) = item
            && super::graph::impl_self(imp).is_some_and(|n| names.contains(&n))
        {
            super::enums::complete_impl(imp);
        }
    }
    drop_value_incompatible_derives(items, names);
    opened
}

/// Traits `serde_json::Value` does not implement.
const NOT_FOR_VALUE: [&str; 3] = ["Hash", "Ord", "PartialOrd"];

/// An opened union holds a `serde_json::Value`, which is neither `Hash`
/// nor ordered: those derives go, from the union and from every type that
/// holds it (directly or through others).
fn drop_value_incompatible_derives(items: &mut [Item], opened: Vec<String>) {
    let graph = super::graph::TypeGraph::new(items);
    let mut lacking: std::collections::BTreeSet<String> = opened.into_iter().collect();
    loop {
        let mut grew = false;
        for item in items.iter() {
            let Some(name) = super::graph::owner(item) else {
                continue;
            };
            if lacking.contains(&name) || matches!(item, Item::Impl(_)) {
                continue;
            }
            let holds = graph
                .mentions_in(|v| v.visit_item(item))
                .iter()
                .any(|m| m != &name && lacking.contains(m));
            if holds {
                lacking.insert(name);
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    for item in items.iter_mut() {
        let attrs = match item {
            Item::Enum(e) if lacking.contains(&e.ident.to_string()) => &mut e.attrs,
            Item::Struct(s) if lacking.contains(&s.ident.to_string()) => &mut s.attrs,
            _ => continue,
        };
        for name in NOT_FOR_VALUE {
            remove_derive(attrs, name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_outer_unions_only() {
        let mut file: syn::File = parse_quote! {
            #[derive(Clone, Debug, ::serde::Deserialize, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum Tile { A(A), Line(Line) }
            #[derive(Clone, Debug, ::serde::Deserialize, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum Line { B(B), C(C) }
            #[derive(Clone, Debug, ::serde::Deserialize, ::serde::Serialize)]
            #[serde(tag = "kind")]
            pub enum Source { #[serde(rename = "log")] Log(L) }
            #[derive(Clone, Debug, ::serde::Deserialize, ::serde::Serialize)]
            pub enum External { Foo(F), Bar }
            #[derive(Clone, Copy, Debug, ::serde::Deserialize)]
            pub enum Tag { #[serde(rename = "only")] Only }
        };
        assert_eq!(open_unions(&mut file.items), 3);
        let code = prettyplease::unparse(&file);
        assert_eq!(
            code.matches("Unknown(::serde_json::Value)").count(),
            3,
            "{code}"
        );
        assert!(
            code.contains("pub enum Line {\n    B(B),\n    C(C),\n}"),
            "{code}"
        );
    }
}
