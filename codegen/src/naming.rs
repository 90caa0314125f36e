//! How progenitor and typify turn names from the spec into Rust
//! identifiers, reproduced so that normalization can see, before
//! generation, which names would collide or fail, and fix them in the spec.
//!
//! Both tools lower a name to Pascal case (types, enum variants) or snake
//! case (fields, parameters, methods) with `heck`, after turning every
//! character that cannot continue an identifier into `-`; a result that
//! does not start an identifier gets a prefix (`X`/`x` in typify, `_` in
//! progenitor), an empty one becomes `X`/`x`, and a keyword gets a
//! trailing `_`. These functions are pinned to progenitor 0.15.1 and
//! typify 0.8.0 by the tests below.

use heck::{ToPascalCase, ToSnakeCase};
use unicode_ident::{is_xid_continue, is_xid_start};

/// Identifiers Rust reserves (typify's list, `gen` included).
const KEYWORDS: [&str; 53] = [
    "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "Self", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Whether `ident` is one that typify and progenitor suffix with `_`.
pub fn is_keyword(ident: &str) -> bool {
    KEYWORDS.contains(&ident)
}

#[derive(Clone, Copy)]
enum Case {
    Pascal,
    Snake,
}

fn to_case(text: &str, case: Case) -> String {
    match case {
        Case::Pascal => text.to_pascal_case(),
        Case::Snake => text.to_snake_case(),
    }
}

fn lowered(input: &str, case: Case) -> String {
    match input {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !is_xid_continue(c), "-"),
            case,
        ),
    }
}

fn finish(out: String) -> String {
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
    }
}

/// typify's name for a type or enum variant (`sanitize(.., Case::Pascal)`).
pub fn typify_pascal(input: &str) -> String {
    let out = lowered(input, Case::Pascal);
    let prefix = to_case("x", Case::Pascal);
    let out = match out.chars().next() {
        None => prefix,
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("{prefix}{out}"),
    };
    finish(out)
}

/// typify's name for a struct field (`sanitize(.., Case::Snake)`).
pub fn typify_snake(input: &str) -> String {
    let out = lowered(input, Case::Snake);
    let out = match out.chars().next() {
        None => "x".to_string(),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("x{out}"),
    };
    finish(out)
}

/// progenitor's name for a method or parameter (`sanitize(.., Case::Snake)`).
pub fn progenitor_snake(input: &str) -> String {
    let out = lowered(input, Case::Snake);
    let out = match out.chars().next() {
        None => to_case("x", Case::Snake),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("_{out}"),
    };
    finish(out)
}

/// typify's enum variant names for these values, or `None` when typify
/// cannot make them unique (it panics then): first the plain Pascal form,
/// then, if those collide, the form with `_` and other non-identifier
/// characters turned into `X`.
pub fn typify_variants(values: &[String]) -> Option<Vec<String>> {
    let first: Vec<String> = values.iter().map(|v| typify_pascal(v)).collect();
    if all_unique(&first) {
        return Some(first);
    }
    let second: Vec<String> = values
        .iter()
        .map(|v| typify_pascal(&v.replace(|c: char| c == '_' || !is_xid_continue(c), "X")))
        .collect();
    all_unique(&second).then_some(second)
}

fn all_unique(names: &[String]) -> bool {
    let mut seen = std::collections::HashSet::new();
    names.iter().all(|n| seen.insert(n))
}

/// `base`, or `base2`, `base3`, ... : the first that `taken` does not hold
/// (a keyword's `_` suffix gives way to the number: `Self_`, `Self2`).
pub fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    let stem = base.trim_end_matches('_');
    let stem = if stem.is_empty() { base } else { stem };
    (2u32..)
        .map(|n| format!("{stem}{n}"))
        .find(|candidate| !taken(candidate) && !is_keyword(candidate))
        .unwrap_or_else(|| format!("{base}_"))
}

/// The name of an operation method's generic twin (`get_alert_as`;
/// `type_as` for the keyword-escaped `type_`).
pub fn twin_name(method: &str) -> String {
    format!("{}_as", method.trim_end_matches('_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_typify_and_progenitor() {
        assert_eq!(
            typify_pascal("ClickStackCASLPermission"),
            "ClickStackCaslPermission"
        );
        assert_eq!(typify_pascal("type"), "Type");
        assert_eq!(typify_pascal("Self"), "Self_");
        assert_eq!(typify_pascal("self"), "Self_");
        assert_eq!(typify_pascal("1Thing"), "X1thing");
        assert_eq!(typify_pascal(""), "X");
        assert_eq!(typify_pascal("$$"), "X");
        assert_eq!(typify_pascal("a b"), "AB");
        assert_eq!(typify_snake("type"), "type_");
        assert_eq!(typify_snake("1st"), "x1st");
        assert_eq!(typify_snake("series_0.data"), "series_0_data");
        assert_eq!(
            progenitor_snake("clickStackListDashboards"),
            "click_stack_list_dashboards"
        );
        assert_eq!(progenitor_snake("type"), "type_");
        assert_eq!(progenitor_snake("1x"), "_1x");
        assert_eq!(progenitor_snake(""), "x");
        assert_eq!(progenitor_snake("get-thing"), progenitor_snake("getThing"));
    }

    #[test]
    fn variant_names_fall_back_then_give_up() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(typify_variants(&v(&["a", "b"])), Some(v(&["A", "B"])));
        // `a_b` and `a-b` collide plainly but not with `X`s... they do:
        // both become `AXb`.
        assert_eq!(typify_variants(&v(&["a b", "a-b", "a_b"])), None);
        assert_eq!(typify_variants(&v(&["self", "Self"])), None);
        assert_eq!(typify_variants(&v(&["ab", "a_b"])), Some(v(&["Ab", "AB"])));
        assert_eq!(unique("Type", |n| n == "Type" || n == "Type2"), "Type3");
        assert_eq!(unique("Self_", |n| n == "Self_"), "Self2");
        assert_eq!(twin_name("type_"), "type_as");
    }
}
