//! progenitor's typed httpmock helpers, corrected:
//!
//! - an array query parameter matches one `name=value` pair per element
//!   (progenitor calls `to_string()` on the whole `Vec`, which does not
//!   compile);
//! - a parameter renamed by normalization matches its wire name;
//! - a response value is passed to `json_body_obj` by reference (progenitor
//!   passes values of `Copy` types by value, and the open enums are no
//!   longer `Copy`).

use std::collections::BTreeMap;

use syn::visit_mut::VisitMut;
use syn::{Expr, parse_quote};

/// Applies both corrections to the helpers' file. `restore` maps a
/// placeholder parameter name to its wire name.
pub(crate) fn fix(file: &mut syn::File, restore: &BTreeMap<String, String>) {
    ArrayQueryFixer.visit_file_mut(file);
    BodyByReference.visit_file_mut(file);
    if !restore.is_empty() {
        Restorer { restore }.visit_file_mut(file);
    }
}

/// Whether a generic bound names `Vec` (`T: Into<Option<&'a Vec<String>>>`).
struct MentionsVec(bool);

impl<'ast> syn::visit::Visit<'ast> for MentionsVec {
    fn visit_path_segment(&mut self, segment: &'ast syn::PathSegment) {
        if segment.ident == "Vec" {
            self.0 = true;
        }
        syn::visit::visit_path_segment(self, segment);
    }
}

struct ArrayQueryFixer;

impl VisitMut for ArrayQueryFixer {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        let mut finder = MentionsVec(false);
        if let Some(w) = &f.sig.generics.where_clause {
            syn::visit::Visit::visit_where_clause(&mut finder, w);
        }
        if finder.0 {
            ArrayQueryCall.visit_block_mut(&mut f.block);
        }
    }
}

struct ArrayQueryCall;

/// `value.to_string()`.
fn is_value_to_string(expr: &Expr) -> bool {
    let Expr::MethodCall(m) = expr else {
        return false;
    };
    m.method == "to_string" && matches!(&*m.receiver, Expr::Path(p) if p.path.is_ident("value"))
}

impl VisitMut for ArrayQueryCall {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::MethodCall(call) = expr
            && call.method == "query_param"
            && call.args.len() == 2
            && is_value_to_string(&call.args[1])
        {
            let receiver = &call.receiver;
            let name = &call.args[0];
            *expr = parse_quote! {
                value.iter().fold(#receiver, |when, item| when.query_param(#name, item.to_string()))
            };
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

struct BodyByReference;

impl VisitMut for BodyByReference {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        if call.method == "json_body_obj"
            && call.args.len() == 1
            && let Some(Expr::Path(arg)) = call.args.first()
        {
            let arg = arg.clone();
            call.args[0] = parse_quote!(&#arg);
        }
        syn::visit_mut::visit_expr_method_call_mut(self, call);
    }
}

struct Restorer<'a> {
    restore: &'a BTreeMap<String, String>,
}

impl VisitMut for Restorer<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::MethodCall(call) = expr {
            let matches_param = matches!(
                call.method.to_string().as_str(),
                "query_param" | "query_param_missing" | "header" | "header_missing"
            );
            if matches_param
                && let Some(Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                })) = call.args.first_mut()
                && let Some(wire) = self.restore.get(&s.value())
            {
                *s = syn::LitStr::new(wire, s.span());
            }
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_queries_and_renamed_parameters() {
        let mut file: syn::File = parse_quote! {
            impl ListWhen {
                pub fn filter<'a, T>(self, value: T) -> Self
                where T: Into<Option<&'a ::std::vec::Vec<::std::string::String>>>,
                {
                    if let Some(value) = value.into() {
                        Self(self.0.query_param("filter", value.to_string()))
                    } else {
                        Self(self.0.query_param_missing("filter"))
                    }
                }
                pub fn a_b<'a, T>(self, value: T) -> Self where T: Into<Option<&'a str>> {
                    Self(self.0.query_param("a_b_", value.to_string()))
                }
            }
        };
        fix(
            &mut file,
            &BTreeMap::from([("a_b_".to_string(), "a_b".to_string())]),
        );
        let code = prettyplease::unparse(&file);
        let squashed: String = code.split_whitespace().collect();
        assert!(
            squashed.contains("value.iter().fold(self.0,|when,item|when.query_param(\"filter\",item.to_string()),)"),
            "{code}"
        );
        assert!(
            squashed.contains("query_param(\"a_b\",value.to_string())"),
            "{code}"
        );
    }
}
