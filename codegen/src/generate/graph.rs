//! Which generated types mention which: the graph behind response
//! reachability and feature gating.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit::Visit;
use syn::{Item, ItemImpl};

/// Type names of the `types` module and their mentions of each other.
#[derive(Debug, Default)]
pub(crate) struct TypeGraph {
    names: BTreeSet<String>,
    edges: BTreeMap<String, BTreeSet<String>>,
}

/// Collects the types among `known` that stand in type position (field
/// and payload types, signatures, impl headers); a path in an expression
/// (`Self::Service`, a variant) is not a mention.
struct Mentions<'a> {
    known: &'a BTreeSet<String>,
    found: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for Mentions<'_> {
    fn visit_type_path(&mut self, path: &'ast syn::TypePath) {
        if let Some(last) = path.path.segments.last() {
            let name = last.ident.to_string();
            if self.known.contains(&name) {
                self.found.insert(name);
            }
        }
        syn::visit::visit_type_path(self, path);
    }
}

/// The type an item defines or implements for, if any.
pub(crate) fn owner(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        Item::Type(t) => Some(t.ident.to_string()),
        Item::Impl(imp) => impl_self(imp),
        _ => None,
    }
}

/// The last identifier of an impl's self type.
pub(crate) fn impl_self(imp: &ItemImpl) -> Option<String> {
    match &*imp.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

impl TypeGraph {
    /// The graph of the items of a `types` module.
    pub(crate) fn new(items: &[Item]) -> Self {
        let names: BTreeSet<String> = items
            .iter()
            .filter(|i| matches!(i, Item::Struct(_) | Item::Enum(_) | Item::Type(_)))
            .filter_map(owner)
            .collect();
        let mut graph = TypeGraph {
            names,
            edges: BTreeMap::new(),
        };
        for item in items {
            if let Some(name) = owner(item) {
                let mentions = graph.mentions_in(|v| v.visit_item(item));
                graph.edges.entry(name).or_default().extend(mentions);
            }
        }
        graph
    }

    /// Whether `name` is a type of the module.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// The module's types mentioned by whatever `visit` walks.
    pub(crate) fn mentions_in(&self, visit: impl FnOnce(&mut dyn VisitDyn)) -> BTreeSet<String> {
        let mut mentions = Mentions {
            known: &self.names,
            found: BTreeSet::new(),
        };
        visit(&mut mentions);
        mentions.found
    }

    /// Every type reachable from `roots`.
    pub(crate) fn closure(&self, roots: impl IntoIterator<Item = String>) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = roots.into_iter().collect();
        while let Some(name) = stack.pop() {
            if !self.names.contains(&name) || !seen.insert(name.clone()) {
                continue;
            }
            if let Some(next) = self.edges.get(&name) {
                stack.extend(next.iter().cloned());
            }
        }
        seen
    }
}

/// The visitor methods [`TypeGraph::mentions_in`] offers (object-safe).
pub(crate) trait VisitDyn {
    /// Walks an item.
    fn visit_item(&mut self, item: &Item);
    /// Walks a type.
    fn visit_type(&mut self, ty: &syn::Type);
    /// Walks a function signature and body.
    fn visit_impl_item_fn(&mut self, f: &syn::ImplItemFn);
}

impl VisitDyn for Mentions<'_> {
    fn visit_item(&mut self, item: &Item) {
        Visit::visit_item(self, item);
    }
    fn visit_type(&mut self, ty: &syn::Type) {
        Visit::visit_type(self, ty);
    }
    fn visit_impl_item_fn(&mut self, f: &syn::ImplItemFn) {
        Visit::visit_impl_item_fn(self, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn follows_mentions() {
        let file: syn::File = parse_quote! {
            pub struct A { b: Vec<B>, s: String }
            pub struct B { c: super::C }
            pub enum C { X(D) }
            pub struct D;
            pub struct Lonely;
            impl From<Lonely> for A { fn from(_: Lonely) -> A { todo!() } }
        };
        let graph = TypeGraph::new(&file.items);
        let reach = graph.closure(["A".to_string()]);
        assert_eq!(
            reach.into_iter().collect::<Vec<_>>(),
            ["A", "B", "C", "D", "Lonely"]
        );
        assert_eq!(graph.closure(["C".to_string()]).len(), 2);
    }
}
