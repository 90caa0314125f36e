//! The `types` cargo feature. With it (the default) a crate has every
//! typed operation and every type. Without it, a crate keeps its client,
//! every generic `_as` twin and the few types those mention (the error
//! body, parameter enums): all that a caller bringing its own types needs
//! (the `clickstack` facade), compiled in a fraction of the time.

use std::collections::BTreeSet;

use syn::{ImplItem, Item, parse_quote};

use super::graph::{TypeGraph, impl_self, owner};

/// The feature's name.
pub(crate) const FEATURE: &str = "types";

/// What gating by the feature did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct TypedStats {
    /// Types compiled without the feature.
    pub(crate) kept: usize,
    /// Types compiled only with it.
    pub(crate) gated: usize,
    /// Typed operations (those with a generic twin) compiled only with it.
    pub(crate) operations: usize,
}

fn is_client_methods(imp: &syn::ItemImpl) -> bool {
    imp.trait_.is_none() && impl_self(imp).as_deref() == Some("Client")
}

/// The typed operations: methods of `Client` that have a generic twin.
fn typed_operations(items: &[Item]) -> BTreeSet<String> {
    let mut methods = BTreeSet::new();
    for item in items {
        if let Item::Impl(imp) = item
            && is_client_methods(imp)
        {
            for impl_item in &imp.items {
                if let ImplItem::Fn(f) = impl_item {
                    methods.insert(f.sig.ident.to_string());
                }
            }
        }
    }
    methods
        .iter()
        .filter(|m| {
            let twin = crate::naming::twin_name(m);
            twin != **m && methods.contains(&twin)
        })
        .cloned()
        .collect()
}

fn cfg() -> syn::Attribute {
    let feature = FEATURE;
    parse_quote!(#[cfg(feature = #feature)])
}

/// Gates the typed operations and the types only they reach.
pub(crate) fn gate(file: &mut syn::File) -> TypedStats {
    let typed = typed_operations(&file.items);
    let Some(types) = file.items.iter().find_map(|i| match i {
        Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    }) else {
        return TypedStats::default();
    };
    let graph = TypeGraph::new(types);
    // What stays: the types every other root item mentions, and theirs.
    let mut roots = BTreeSet::new();
    for item in &file.items {
        match item {
            Item::Mod(m) if m.ident == "types" => {}
            Item::Impl(imp) if is_client_methods(imp) => {
                for impl_item in &imp.items {
                    if let ImplItem::Fn(f) = impl_item
                        && !typed.contains(&f.sig.ident.to_string())
                    {
                        roots.extend(graph.mentions_in(|v| v.visit_impl_item_fn(f)));
                    }
                }
            }
            other => roots.extend(graph.mentions_in(|v| v.visit_item(other))),
        }
    }
    let kept = graph.closure(roots);
    let mut stats = TypedStats::default();
    for item in &mut file.items {
        match item {
            Item::Mod(m) if m.ident == "types" => {
                let Some((_, items)) = &mut m.content else {
                    continue;
                };
                for inner in items.iter_mut() {
                    let defines = matches!(inner, Item::Struct(_) | Item::Enum(_) | Item::Type(_));
                    let mentions = graph.mentions_in(|v| v.visit_item(inner));
                    let owned_gated = owner(inner)
                        .is_some_and(|name| graph.contains(&name) && !kept.contains(&name));
                    let gated = owned_gated || mentions.iter().any(|m| !kept.contains(m));
                    if defines {
                        if gated {
                            stats.gated += 1;
                        } else {
                            stats.kept += 1;
                        }
                    }
                    if gated && let Some(attrs) = super::features::item_attrs(inner) {
                        attrs.push(cfg());
                    }
                }
            }
            Item::Impl(imp) if is_client_methods(imp) => {
                for impl_item in &mut imp.items {
                    if let ImplItem::Fn(f) = impl_item
                        && typed.contains(&f.sig.ident.to_string())
                    {
                        f.attrs.push(cfg());
                        stats.operations += 1;
                    }
                }
            }
            _ => {}
        }
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_the_twins_need_and_gates_the_rest() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                pub struct Dashboard { tiles: Vec<Tile> }
                pub struct Tile;
                pub enum Order { Asc, Desc }
                pub struct ApiError { message: String }
                impl From<Tile> for Dashboard { fn from(_: Tile) -> Self { todo!() } }
                impl ApiError { pub fn message(&self) -> &str { &self.message } }
                pub mod error { pub struct ConversionError; }
            }
            impl Client {
                pub fn new() -> Self { todo!() }
                pub async fn list_dashboards(&self, order: types::Order) -> Result<Vec<types::Dashboard>, types::ApiError> {
                    self.list_dashboards_as::<Vec<types::Dashboard>>(order).await
                }
                pub async fn list_dashboards_as<Out>(&self, order: types::Order) -> Result<Out, types::ApiError> { todo!() }
                pub async fn delete_everything(&self) -> Result<(), types::ApiError> { todo!() }
            }
            impl ::clickstack_runtime::ErrorBody for types::ApiError {}
        };
        let stats = gate(&mut file);
        assert_eq!(
            stats,
            TypedStats {
                kept: 2,
                gated: 2,
                operations: 1
            }
        );
        let code = prettyplease::unparse(&file);
        for gated in [
            "pub struct Dashboard",
            "pub struct Tile",
            "impl From<Tile> for Dashboard",
            "pub async fn list_dashboards(",
        ] {
            assert!(
                code.contains(&format!("#[cfg(feature = \"types\")]\n    {gated}")),
                "{gated}: {code}"
            );
        }
        for kept in [
            "pub enum Order",
            "pub struct ApiError",
            "impl ApiError",
            "pub async fn list_dashboards_as",
            "pub async fn delete_everything",
            "pub mod error",
        ] {
            assert!(
                !code.contains(&format!("#[cfg(feature = \"types\")]\n    {kept}")),
                "{kept}: {code}"
            );
        }
    }
}
