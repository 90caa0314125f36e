//! Cargo features per API area: each operation compiles only with the
//! feature of its tag, and each type only with the features of the
//! operations that reach it (a type no operation reaches, only with the
//! fallback feature). Impls follow their type; any other item follows the
//! types it mentions.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;
use syn::{ImplItem, Item, TraitItem, parse_quote};

use super::graph::{TypeGraph, owner};

/// Which feature each operation method needs, and the fallback feature.
#[derive(Debug, Clone)]
pub(crate) struct Gates {
    /// Method name to feature.
    pub(crate) methods: BTreeMap<String, String>,
    /// The feature of what no operation reaches (`full`).
    pub(crate) fallback: String,
}

/// What gating did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct GateStats {
    /// Types per feature (a type counts once per feature that reaches it).
    pub(crate) types_per_feature: BTreeMap<String, usize>,
    /// Types that only the fallback feature compiles.
    pub(crate) unreached_types: usize,
}

fn cfg_for(features: &BTreeSet<String>) -> TokenStream {
    match features.len() {
        1 => {
            let f = features
                .iter()
                .next()
                .map(String::as_str)
                .unwrap_or_default();
            quote!(#[cfg(feature = #f)])
        }
        _ => {
            let fs = features.iter();
            quote!(#[cfg(any(#(feature = #fs),*))])
        }
    }
}

fn push_cfg(attrs: &mut Vec<syn::Attribute>, features: &BTreeSet<String>) {
    let cfg = cfg_for(features);
    attrs.push(parse_quote!(#cfg));
}

/// The feature set of every type of the `types` module.
fn type_features(
    graph: &TypeGraph,
    roots_by_method: &BTreeMap<String, BTreeSet<String>>,
    gates: &Gates,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut features: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (method, roots) in roots_by_method {
        let feature = gates.methods.get(method).unwrap_or(&gates.fallback);
        for ty in graph.closure(roots.iter().cloned()) {
            features.entry(ty).or_default().insert(feature.clone());
        }
    }
    features
}

/// Gates the client file's items: the `types` module's items, the
/// operation methods of `impl Client`, and other impls at the root.
pub(crate) fn gate_client(file: &mut syn::File, gates: &Gates) -> GateStats {
    let Some(types) = types_module_items(file) else {
        return GateStats::default();
    };
    let graph = TypeGraph::new(types);
    let mut roots_by_method: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in &file.items {
        let Item::Impl(imp) = item else {
            continue;
        };
        for impl_item in &imp.items {
            if let ImplItem::Fn(f) = impl_item {
                let method = operation_of(gates, &f.sig.ident.to_string());
                if gates.methods.contains_key(&method) {
                    let mentions = graph.mentions_in(|v| v.visit_impl_item_fn(f));
                    roots_by_method.entry(method).or_default().extend(mentions);
                }
            }
        }
    }
    let features = type_features(&graph, &roots_by_method, gates);
    let fallback: BTreeSet<String> = [gates.fallback.clone()].into();
    let mut stats = GateStats::default();
    for set in features.values() {
        for f in set {
            *stats.types_per_feature.entry(f.clone()).or_default() += 1;
        }
    }
    // The types module.
    if let Some(types) = types_module_items_mut(file) {
        for item in types.iter_mut() {
            let set = match owner(item) {
                Some(name) if graph.contains(&name) => match features.get(&name) {
                    Some(set) => set.clone(),
                    None => {
                        if !matches!(item, Item::Impl(_)) {
                            stats.unreached_types += 1;
                        }
                        fallback.clone()
                    }
                },
                _ => {
                    let mentions = graph.mentions_in(|v| v.visit_item(item));
                    match intersect(&mentions, &features, &fallback) {
                        Some(set) => set,
                        None => continue,
                    }
                }
            };
            if let Some(attrs) = item_attrs(item) {
                push_cfg(attrs, &set);
            }
        }
    }
    // Root items: operation methods, and impls that mention types.
    for item in &mut file.items {
        match item {
            Item::Impl(imp) => {
                let is_client_methods = imp.trait_.is_none()
                    && super::graph::impl_self(imp).as_deref() == Some("Client");
                if is_client_methods {
                    for impl_item in &mut imp.items {
                        if let ImplItem::Fn(f) = impl_item {
                            let method = operation_of(gates, &f.sig.ident.to_string());
                            if let Some(feature) = gates.methods.get(&method) {
                                let set: BTreeSet<String> = [feature.clone()].into();
                                push_cfg(&mut f.attrs, &set);
                            }
                        }
                    }
                    continue;
                }
                let mentions = graph.mentions_in(|v| v.visit_item(&Item::Impl(imp.clone())));
                if let Some(set) = intersect(&mentions, &features, &fallback) {
                    push_cfg(&mut imp.attrs, &set);
                }
            }
            Item::Mod(_) | Item::Struct(_) | Item::Const(_) | Item::Use(_) => {}
            _ => {}
        }
    }
    stats
}

/// Gates the httpmock helpers: each operation's `When`/`Then` types and
/// their impls, and each trait method, by the operation's feature.
pub(crate) fn gate_httpmock(
    file: &mut syn::File,
    gates: &Gates,
    pascal_of: impl Fn(&str) -> String,
) {
    let by_struct: BTreeMap<String, String> = gates
        .methods
        .iter()
        .flat_map(|(method, feature)| {
            let pascal = pascal_of(method);
            [
                (format!("{pascal}When"), feature.clone()),
                (format!("{pascal}Then"), feature.clone()),
            ]
        })
        .collect();
    for item in &mut file.items {
        match item {
            Item::Mod(m) => {
                let Some((_, items)) = &mut m.content else {
                    continue;
                };
                for inner in items.iter_mut() {
                    let Some(name) = owner(inner) else {
                        continue;
                    };
                    if let Some(feature) = by_struct.get(&name)
                        && let Some(attrs) = item_attrs(inner)
                    {
                        push_cfg(attrs, &[feature.clone()].into());
                    }
                }
            }
            Item::Trait(t) => {
                for ti in &mut t.items {
                    if let TraitItem::Fn(f) = ti
                        && let Some(feature) = gates.methods.get(&f.sig.ident.to_string())
                    {
                        push_cfg(&mut f.attrs, &[feature.clone()].into());
                    }
                }
            }
            Item::Impl(imp) => {
                for ii in &mut imp.items {
                    if let ImplItem::Fn(f) = ii
                        && let Some(feature) = gates.methods.get(&f.sig.ident.to_string())
                    {
                        push_cfg(&mut f.attrs, &[feature.clone()].into());
                    }
                }
            }
            _ => {}
        }
    }
}

/// The features under which everything `mentions` names is compiled: the
/// intersection of their sets (`None` when nothing is mentioned).
fn intersect(
    mentions: &BTreeSet<String>,
    features: &BTreeMap<String, BTreeSet<String>>,
    fallback: &BTreeSet<String>,
) -> Option<BTreeSet<String>> {
    let mut result: Option<BTreeSet<String>> = None;
    for name in mentions {
        let set = features.get(name).unwrap_or(fallback);
        result = Some(match result {
            None => set.clone(),
            Some(r) => r.intersection(set).cloned().collect(),
        });
    }
    // An empty intersection: only the fallback (which enables everything)
    // compiles all of them.
    result.map(|r| if r.is_empty() { fallback.clone() } else { r })
}

/// The operation a method belongs to: itself, or the operation whose
/// generic `_as` twin it is.
fn operation_of(gates: &Gates, method: &str) -> String {
    if gates.methods.contains_key(method) {
        return method.to_string();
    }
    gates
        .methods
        .keys()
        .find(|m| crate::naming::twin_name(m) == method)
        .cloned()
        .unwrap_or_else(|| method.to_string())
}

fn types_module_items(file: &syn::File) -> Option<&Vec<Item>> {
    file.items.iter().find_map(|i| match i {
        Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

fn types_module_items_mut(file: &mut syn::File) -> Option<&mut Vec<Item>> {
    file.items.iter_mut().find_map(|i| match i {
        Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

pub(crate) fn item_attrs(item: &mut Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        Item::Struct(s) => Some(&mut s.attrs),
        Item::Enum(e) => Some(&mut e.attrs),
        Item::Impl(i) => Some(&mut i.attrs),
        Item::Type(t) => Some(&mut t.attrs),
        Item::Fn(f) => Some(&mut f.attrs),
        Item::Mod(m) => Some(&mut m.attrs),
        Item::Const(c) => Some(&mut c.attrs),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gates_methods_types_and_impls() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                pub struct Dashboard { tiles: Vec<Tile> }
                pub struct Tile;
                pub struct Service;
                pub struct Orphan;
                pub struct ApiError;
                impl From<Tile> for Dashboard { fn from(_: Tile) -> Self { todo!() } }
            }
            impl Client {
                pub async fn list_dashboards(&self) -> Result<types::Dashboard, types::ApiError> { todo!() }
                pub async fn list_dashboards_as<Out>(&self) -> Result<Out, types::ApiError> { todo!() }
                pub async fn get_service(&self) -> Result<types::Service, types::ApiError> { todo!() }
            }
            impl ::clickstack_runtime::ErrorBody for types::ApiError {}
        };
        let gates = Gates {
            methods: BTreeMap::from([
                ("list_dashboards".to_string(), "clickstack".to_string()),
                ("get_service".to_string(), "service".to_string()),
            ]),
            fallback: "full".into(),
        };
        let stats = gate_client(&mut file, &gates);
        assert_eq!(stats.unreached_types, 1);
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("#[cfg(feature = \"clickstack\")]\n    pub struct Dashboard"),
            "{code}"
        );
        assert!(
            code.contains("#[cfg(feature = \"full\")]\n    pub struct Orphan"),
            "{code}"
        );
        assert!(
            code.contains("#[cfg(any(feature = \"clickstack\", feature = \"service\"))]\n    pub struct ApiError"),
            "{code}"
        );
        assert!(
            code.contains("#[cfg(feature = \"clickstack\")]\n    impl From<Tile> for Dashboard"),
            "{code}"
        );
        assert_eq!(
            code.matches("#[cfg(feature = \"clickstack\")]\n    pub async fn list_dashboards")
                .count(),
            2,
            "{code}"
        );
        assert!(
            code.contains("#[cfg(any(feature = \"clickstack\", feature = \"service\"))]\nimpl ::clickstack_runtime::ErrorBody"),
            "{code}"
        );
    }
}
