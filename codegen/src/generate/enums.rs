//! Open string enums: every string enum, whatever its values (one value,
//! or a value that is itself named `Unknown`), gains
//! `#[serde(untagged)] Unknown(String)`, so a value a newer server adds is
//! kept, displayed and sent back verbatim instead of failing the response.
//! The one exception: a single-value enum that tells the variants of an
//! untagged union apart (a chart config's `displayType: "line"`) stays
//! exact, so the union still picks the right variant, and a new value
//! lands in the union's own `Unknown` (see [`super::unions`]).
//! A spec value whose variant is already called `Unknown` is renamed
//! (`UnknownValue`), keeping its wire value.
//!
//! Enums whose values typify cannot name (see
//! [`crate::normalize::names::CUSTOM_ENUM`]) are written here instead, with
//! the same shape.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Fields, Item, ItemEnum, parse_quote};

use super::attrs::{derives, remove_derive, serde_flag, serde_value};
use crate::naming::{typify_pascal, unique};

/// The catch-all variant added to open enums and unions.
pub const UNKNOWN: &str = "Unknown";

/// Whether an enum is a plain string enum (unit variants, externally
/// represented by their names).
pub(crate) fn is_string_enum(e: &ItemEnum) -> bool {
    derives(&e.attrs, "Deserialize")
        && !serde_flag(&e.attrs, "untagged")
        && serde_value(&e.attrs, "tag").is_none()
        && !e.variants.is_empty()
        && e.variants.iter().all(|v| matches!(v.fields, Fields::Unit))
}

/// The single-value enums that tell the variants of an untagged union
/// apart (`displayType: "line"` in a chart config variant). They stay
/// exact: opening them would let the first variant take every shape, and
/// the union's own `Unknown` already keeps what they reject.
fn union_discriminators(items: &[Item]) -> std::collections::BTreeSet<String> {
    use std::collections::BTreeMap;
    let by_name: BTreeMap<String, &Item> = items
        .iter()
        .filter_map(|i| {
            super::graph::owner(i)
                .filter(|_| !matches!(i, Item::Impl(_)))
                .map(|n| (n, i))
        })
        .collect();
    let single_value = |name: &str| matches!(by_name.get(name), Some(Item::Enum(e)) if is_string_enum(e) && e.variants.len() == 1);
    let mut found = std::collections::BTreeSet::new();
    let mut stack: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            Item::Enum(e) if serde_flag(&e.attrs, "untagged") => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        match by_name.get(&name) {
            Some(Item::Enum(e)) if serde_flag(&e.attrs, "untagged") => {
                for variant in &e.variants {
                    if let Fields::Unnamed(fields) = &variant.fields {
                        for field in &fields.unnamed {
                            if let Some(payload) = super::attrs::type_ident(&field.ty) {
                                stack.push(payload.to_string());
                            }
                        }
                    }
                }
            }
            Some(Item::Struct(s)) => {
                for field in &s.fields {
                    let mut ty = &field.ty;
                    if let Some(inner) = option_inner(ty) {
                        ty = inner;
                    }
                    if let Some(ident) = super::attrs::type_ident(ty) {
                        let ident = ident.to_string();
                        if single_value(&ident) {
                            found.insert(ident);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// `T` of `Option<T>`.
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => match a.args.first()? {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

/// Opens every string enum among `items` (but the single-value ones that
/// tell union variants apart); returns how many.
pub(crate) fn open_string_enums(items: &mut Vec<Item>) -> usize {
    let discriminators = union_discriminators(items);
    let mut opened = Vec::new();
    let mut renamed: Vec<(String, syn::Ident)> = Vec::new();
    for item in items.iter_mut() {
        let Item::Enum(e) = item else {
            continue;
        };
        if !is_string_enum(e) || discriminators.contains(&e.ident.to_string()) {
            continue;
        }
        remove_derive(&mut e.attrs, "Copy");
        let taken: Vec<String> = e.variants.iter().map(|v| v.ident.to_string()).collect();
        if let Some(spec) = e.variants.iter_mut().find(|v| v.ident == UNKNOWN) {
            let new = format_ident!(
                "{}",
                unique("UnknownValue", |c| taken.iter().any(|t| t == c))
            );
            spec.ident = new.clone();
            renamed.push((e.ident.to_string(), new));
        }
        let unknown = format_ident!("{UNKNOWN}");
        e.variants.push(parse_quote! {
            /// A value this client does not know yet (sent by a newer
            /// server), kept verbatim.
            #[serde(untagged)]
            #unknown(::std::string::String)
        });
        opened.push(e.ident.to_string());
    }
    let accessors: Vec<Item> = items
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e) if opened.contains(&e.ident.to_string()) => {
                syn::parse2::<syn::File>(accessor_impl(e)).ok()
            }
            _ => None,
        })
        .flat_map(|file| file.items)
        .collect();
    for item in items.iter_mut() {
        // `Self::Unknown` in the impls, `Enum::Unknown` anywhere else.
        for (enum_name, new) in &renamed {
            let mut renamer = VariantRenamer {
                enum_name,
                in_impl_of_enum: matches!(item, Item::Impl(imp) if super::graph::impl_self(imp).as_deref() == Some(enum_name)),
                new,
            };
            renamer.visit_item_mut(item);
        }
        if let Item::Impl(imp) = item {
            let is_opened = super::graph::impl_self(imp).is_some_and(|name| opened.contains(&name));
            if is_opened {
                complete_impl(imp);
            }
        }
    }
    // Added after the renaming above, which must not touch them.
    items.extend(accessors);
    opened.len()
}

/// `as_str()` (the wire value) and `is_unknown()` for an opened string
/// enum: each variant's wire value is its `serde(rename)`, or its name.
fn accessor_impl(e: &ItemEnum) -> TokenStream {
    let ident = &e.ident;
    let unknown = format_ident!("{UNKNOWN}");
    let arms = e.variants.iter().filter(|v| v.ident != UNKNOWN).map(|v| {
        let name = &v.ident;
        let wire = serde_value(&v.attrs, "rename").unwrap_or_else(|| name.to_string());
        quote! { Self::#name => #wire, }
    });
    quote! {
        impl #ident {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms)*
                    Self::#unknown(value) => value,
                }
            }
            /// Whether the value is one this client does not know (kept in
            /// `Unknown`).
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::#unknown(_))
            }
        }
        impl ::clickstack_runtime::Open for #ident {
            fn is_unknown(&self) -> bool {
                matches!(self, Self::#unknown(_))
            }
        }
    }
}

struct VariantRenamer<'a> {
    enum_name: &'a str,
    in_impl_of_enum: bool,
    new: &'a syn::Ident,
}

impl VisitMut for VariantRenamer<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let n = path.segments.len();
        if n >= 2 && path.segments[n - 1].ident == UNKNOWN {
            let parent = &path.segments[n - 2].ident;
            if parent == self.enum_name || (self.in_impl_of_enum && parent == "Self") {
                path.segments[n - 1].ident = self.new.clone();
            }
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

/// Adds the `Unknown` arm to typify's `Display` and `FromStr` impls (of
/// an opened enum or union).
pub(crate) fn complete_impl(imp: &mut syn::ItemImpl) {
    let trait_name = imp
        .trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .map(|s| s.ident.to_string())
        .unwrap_or_default();
    let mut fixer = MatchFixer { trait_name };
    for item in &mut imp.items {
        fixer.visit_impl_item_mut(item);
    }
}

struct MatchFixer {
    trait_name: String,
}

impl VisitMut for MatchFixer {
    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        let unknown = format_ident!("{UNKNOWN}");
        match self.trait_name.as_str() {
            // `match *self { Self::A => f.write_str("a"), .. }`
            "Display" => {
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
                    *last.body = parse_quote! { Ok(Self::#unknown(value.to_string())) };
                }
            }
            _ => {}
        }
    }
}

/// Variant names for values typify cannot name: its Pascal form, made
/// unique with a number, never `Unknown`.
fn variant_names(values: &[String]) -> Vec<syn::Ident> {
    let mut taken: Vec<String> = vec![UNKNOWN.to_string()];
    values
        .iter()
        .map(|value| {
            let base = match typify_pascal(value).as_str() {
                "X" if value.is_empty() => "Empty".to_string(),
                other => other.to_string(),
            };
            let name = unique(&base, |c| taken.iter().any(|t| t == c));
            taken.push(name.clone());
            format_ident!("{name}")
        })
        .collect()
}

/// An open string enum named `name` over `values`, in the shape typify
/// gives the others (derives, `Display`, `FromStr`, `TryFrom`).
pub(crate) fn custom_enum(name: &str, values: &[String], description: Option<&str>) -> TokenStream {
    let ident = format_ident!("{name}");
    let variants = variant_names(values);
    let doc = description.unwrap_or("A string enum.");
    let unknown = format_ident!("{UNKNOWN}");
    quote! {
        #[doc = #doc]
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
        pub enum #ident {
            #(
                #[doc = concat!("`", #values, "`")]
                #[serde(rename = #values)]
                #variants,
            )*
            /// A value this client does not know yet (sent by a newer
            /// server), kept verbatim.
            #[serde(untagged)]
            #unknown(::std::string::String),
        }
        impl #ident {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::#unknown(value) => value,
                }
            }
            /// Whether the value is one this client does not know (kept in
            /// `Unknown`).
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::#unknown(_))
            }
        }
        impl ::clickstack_runtime::Open for #ident {
            fn is_unknown(&self) -> bool {
                matches!(self, Self::#unknown(_))
            }
        }
        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for #ident {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(match value {
                    #( #values => Self::#variants, )*
                    other => Self::#unknown(other.to_string()),
                })
            }
        }
        impl ::std::convert::From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value.parse() {
                    Ok(v) => v,
                    Err(never) => match never {},
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_every_string_enum_and_renames_a_spec_unknown() {
        let mut file: syn::File = parse_quote! {
            #[derive(Clone, Copy, Debug, ::serde::Deserialize, ::serde::Serialize)]
            pub enum Level { #[serde(rename = "UNKNOWN")] Unknown, #[serde(rename = "x")] X }
            impl ::std::fmt::Display for Level {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match *self { Self::Unknown => f.write_str("UNKNOWN"), Self::X => f.write_str("x") }
                }
            }
            impl ::std::str::FromStr for Level {
                type Err = &'static str;
                fn from_str(value: &str) -> Result<Self, &'static str> {
                    match value { "UNKNOWN" => Ok(Self::Unknown), _ => Err("invalid value") }
                }
            }
            #[derive(Clone, Debug, ::serde::Deserialize)]
            pub enum One { #[serde(rename = "sql")] Sql }
            #[derive(Clone, Debug, ::serde::Deserialize)]
            pub enum LineTag { #[serde(rename = "line")] Line }
            #[derive(Clone, Debug, ::serde::Deserialize)]
            pub struct LineConfig { pub display_type: LineTag, pub one: Option<One> }
            #[derive(Clone, Debug, ::serde::Deserialize)]
            #[serde(untagged)]
            pub enum Config { Line(LineConfig) }
            pub fn default_level() -> Level { Level::Unknown }
        };
        // `LineTag` tells `Config`'s variants apart; `One` does too (a
        // single-value field of a variant).
        assert_eq!(open_string_enums(&mut file.items), 1);
        let code = prettyplease::unparse(&file);
        assert!(code.contains("UnknownValue,"), "{code}");
        assert!(
            code.contains("Self::UnknownValue => \"UNKNOWN\","),
            "{code}"
        );
        assert!(code.contains("Self::Unknown(value) => value,"), "{code}");
        assert!(
            code.contains("Self::UnknownValue => f.write_str(\"UNKNOWN\")"),
            "{code}"
        );
        assert!(
            code.contains("Self::Unknown(ref value) => ::std::fmt::Display::fmt(value, f)"),
            "{code}"
        );
        assert!(
            code.contains("\"UNKNOWN\" => Ok(Self::UnknownValue)"),
            "{code}"
        );
        assert!(
            code.contains("_ => Ok(Self::Unknown(value.to_string()))"),
            "{code}"
        );
        assert!(code.contains("Level::UnknownValue"), "{code}");
        assert_eq!(
            code.matches("Unknown(::std::string::String)").count(),
            1,
            "{code}"
        );
        assert!(!code.contains("Copy"), "{code}");
    }

    #[test]
    fn custom_enums_have_unique_variants() {
        let values: Vec<String> = ["a b", "a-b", "a_b", "", "self", "Self", "Unknown"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let names: Vec<String> = variant_names(&values)
            .iter()
            .map(|i| i.to_string())
            .collect();
        assert_eq!(
            names,
            ["AB", "AB2", "AB3", "Empty", "Self_", "Self2", "Unknown2"]
        );
        let file: syn::File = syn::parse2(custom_enum("Odd", &values, None)).unwrap();
        assert_eq!(file.items.len(), 6);
        let code = prettyplease::unparse(&file);
        assert!(code.contains("Self::AB2 => \"a-b\""), "{code}");
        assert!(code.contains("pub fn is_unknown(&self) -> bool"), "{code}");
    }
}
