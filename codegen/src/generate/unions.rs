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

/// The component schemas of `doc` that are unions of one member
/// (`oneOf: [A]` or `anyOf: [A]`, with nothing else to read), by the name
/// typify gives them.
pub(crate) fn single_member_unions(doc: &serde_json::Value) -> Vec<String> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(serde_json::Value::as_object)
    else {
        return Vec::new();
    };
    schemas
        .iter()
        .filter(|(_, schema)| {
            let members = ["oneOf", "anyOf"]
                .iter()
                .filter_map(|k| schema.get(*k).and_then(serde_json::Value::as_array))
                .collect::<Vec<_>>();
            members.len() == 1 && members[0].len() == 1 && schema.get("properties").is_none()
        })
        .map(|(name, _)| crate::naming::typify_pascal(name))
        .collect()
}

/// Turns the newtype structs typify writes for one-member unions (`struct
/// Channel(pub ChannelWebhook)`, with `Deref` and `From` impls) into
/// untagged enums with that one variant, so that [`open_unions`] opens
/// them like every other union: a member a newer server adds (an email
/// channel beside the webhook one) lands in `Unknown` instead of failing
/// the response. Returns how many were turned.
pub(crate) fn enum_for_single_member_unions(items: &mut Vec<Item>, names: &[String]) -> usize {
    let mut turned = Vec::new();
    for item in items.iter_mut() {
        let Item::Struct(st) = item else { continue };
        let name = st.ident.to_string();
        if !names.contains(&name) {
            continue;
        }
        let Fields::Unnamed(fields) = &st.fields else {
            continue;
        };
        let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
            continue;
        };
        let Some(inner) = super::attrs::type_ident(&field.ty).cloned() else {
            continue;
        };
        let variant = inner
            .to_string()
            .strip_prefix(&name)
            .filter(|rest| rest.chars().next().is_some_and(char::is_uppercase))
            .map_or_else(|| inner.clone(), |rest| format_ident!("{rest}"));
        let mut attrs: Vec<syn::Attribute> = st
            .attrs
            .iter()
            .filter(|a| !a.path().is_ident("serde"))
            .cloned()
            .collect();
        attrs.push(parse_quote!(#[serde(untagged)]));
        let vis = &st.vis;
        let ident = &st.ident;
        *item = parse_quote! {
            #(#attrs)*
            #vis enum #ident {
                #variant(#inner),
            }
        };
        turned.push((name, inner, variant));
    }
    // The newtype's `Deref` and `From` impls no longer apply; one `From`
    // for the member replaces them.
    items.retain(|item| match item {
        Item::Impl(imp) => {
            let self_ty = super::graph::impl_self(imp);
            let for_trait = imp.trait_.is_some();
            !turned.iter().any(|(name, inner, _)| {
                for_trait
                    && (self_ty.as_deref() == Some(name.as_str())
                        || (self_ty.as_deref() == Some(&inner.to_string()) && mentions(imp, name)))
            })
        }
        _ => true,
    });
    for (name, inner, variant) in &turned {
        let ident = format_ident!("{name}");
        items.push(parse_quote! {
            impl ::std::convert::From<#inner> for #ident {
                fn from(value: #inner) -> Self {
                    Self::#variant(value)
                }
            }
        });
    }
    turned.len()
}

/// Whether an impl names type `name` anywhere in its header.
fn mentions(imp: &syn::ItemImpl, name: &str) -> bool {
    imp.trait_.as_ref().is_some_and(|(path, _)| {
        path.segments.iter().any(|seg| match &seg.arguments {
            syn::PathArguments::AngleBracketed(args) => args.args.iter().any(|arg| {
                matches!(arg, syn::GenericArgument::Type(ty)
                    if super::attrs::type_ident(ty).is_some_and(|i| i == name))
            }),
            _ => false,
        })
    })
}

/// Opens the unions among `items`; returns how many.
pub(crate) fn open_unions(items: &mut Vec<Item>) -> usize {
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
    let accessors = names.iter().map(|name| {
        let ident = format_ident!("{name}");
        parse_quote! {
            impl ::clickstack_runtime::Open for #ident {
                fn is_unknown(&self) -> bool {
                    matches!(self, Self::#unknown(_))
                }
            }
        }
    });
    let accessors: Vec<Item> = accessors.collect();
    for item in items.iter_mut() {
        if let Item::Impl(imp) = item
            && super::graph::impl_self(imp).is_some_and(|n| names.contains(&n))
        {
            super::enums::complete_impl(imp);
        }
    }
    drop_value_incompatible_derives(items, names);
    items.extend(accessors);
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
    fn one_member_unions_become_open_enums() {
        let mut file: syn::File = parse_quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
            #[serde(transparent)]
            pub struct AlertChannel(pub AlertChannelWebhook);
            impl ::std::ops::Deref for AlertChannel {
                type Target = AlertChannelWebhook;
                fn deref(&self) -> &AlertChannelWebhook { &self.0 }
            }
            impl ::std::convert::From<AlertChannel> for AlertChannelWebhook {
                fn from(value: AlertChannel) -> Self { value.0 }
            }
            impl ::std::convert::From<AlertChannelWebhook> for AlertChannel {
                fn from(value: AlertChannelWebhook) -> Self { Self(value) }
            }
            impl ::std::convert::From<Other> for AlertChannelWebhook {
                fn from(value: Other) -> Self { todo!() }
            }
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
            #[serde(transparent)]
            pub struct Ids(pub Vec<String>);
        };
        let names = single_member_unions(&serde_json::json!({"components": {"schemas": {
            "AlertChannel": {"oneOf": [{"$ref": "#/components/schemas/AlertChannelWebhook"}]},
            "Two": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "Ids": {"type": "array", "items": {"type": "string"}}
        }}}));
        assert_eq!(names, ["AlertChannel"]);
        assert_eq!(enum_for_single_member_unions(&mut file.items, &names), 1);
        assert_eq!(open_unions(&mut file.items), 1);
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains(
                "#[serde(untagged)]\npub enum AlertChannel {\n    Webhook(AlertChannelWebhook),"
            ),
            "{code}"
        );
        assert!(code.contains("Unknown(::serde_json::Value)"), "{code}");
        assert!(!code.contains("Deref for AlertChannel"), "{code}");
        assert!(!code.contains("From<AlertChannel> for"), "{code}");
        assert!(
            code.contains("From<Other> for AlertChannelWebhook"),
            "{code}"
        );
        assert!(code.contains("Self::Webhook(value)"), "{code}");
        assert!(code.contains("pub struct Ids(pub Vec<String>)"), "{code}");
    }

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
