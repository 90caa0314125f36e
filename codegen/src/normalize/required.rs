//! Response objects that tolerate missing fields.
//!
//! A newer server may stop sending a field an older spec requires: an
//! object turned into a union whose new variants lack it, or a field made
//! optional. A generated struct with a required field fails to decode such
//! a response, and one element fails the whole list. This step drops
//! `required` from every object schema reachable from a success response,
//! so the generated fields become `Option`s, with two exceptions:
//!
//! - union variants (members of `oneOf`/`anyOf`, and what they `$ref` or
//!   merge with `allOf`) keep `required`: their required fields are what
//!   tells the variants apart, and a variant that no longer matches falls
//!   through to the union's `Unknown` variant instead of failing;
//! - schemas reachable only from request bodies keep `required`.
//!
//! Many objects are shared by requests and responses (tile configs, select
//! items); those shared as plain objects lose `required` in requests too.
//! The server still validates what it receives.

use std::collections::BTreeMap;

use serde_json::Value;

use super::StepReport;
use crate::normalize::errors::is_error_status;
use crate::pointer::child;
use crate::schema_walk::METHODS;

/// Drops `required` from response-side objects that are not union variants.
pub fn apply(doc: &mut Value) -> StepReport {
    let mut report = StepReport::new("required");
    let mut reached: BTreeMap<String, bool> = BTreeMap::new();
    for root in response_roots(doc) {
        visit(doc, &root, false, &mut reached, 0);
    }
    let mut relaxed = 0;
    for (pointer, variant) in reached {
        if variant {
            continue;
        }
        if let Some(Value::Object(schema)) = doc.pointer_mut(&pointer)
            && schema.remove("required").is_some()
        {
            relaxed += 1;
        }
    }
    report.changes = relaxed;
    report.notes.push(format!(
        "{relaxed} response object(s) accept missing fields (union variants keep `required`)"
    ));
    report
}

/// Pointers of the JSON schemas of every success response.
fn response_roots(doc: &Value) -> Vec<String> {
    let mut roots = Vec::new();
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return roots;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(Value::Object(responses)) =
                item.get(method).and_then(|op| op.get("responses"))
            else {
                continue;
            };
            for (code, response) in responses {
                if is_error_status(code) {
                    continue;
                }
                let Some(Value::Object(content)) = response.get("content") else {
                    continue;
                };
                for media in content.keys() {
                    let ptr = child(
                        &child(
                            &child(
                                &child(&child(&child("/paths", path), method), "responses"),
                                code,
                            ),
                            "content",
                        ),
                        media,
                    );
                    roots.push(child(&ptr, "schema"));
                }
            }
        }
    }
    roots
}

/// Marks `pointer` (and what it reaches) as reached; `variant` when it
/// stands as (part of) a union member.
fn visit(
    doc: &Value,
    pointer: &str,
    variant: bool,
    reached: &mut BTreeMap<String, bool>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let Some(schema) = doc.pointer(pointer) else {
        return;
    };
    if let Some(target) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        visit(doc, target, variant, reached, depth + 1);
        return;
    }
    match reached.get(pointer) {
        Some(seen) if *seen || !variant => return,
        _ => {}
    }
    reached.insert(pointer.to_string(), variant);
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = schema.get(key) {
            for i in 0..members.len() {
                visit(
                    doc,
                    &child(&child(pointer, key), &i.to_string()),
                    true,
                    reached,
                    depth + 1,
                );
            }
        }
    }
    if let Some(Value::Array(members)) = schema.get("allOf") {
        for i in 0..members.len() {
            visit(
                doc,
                &child(&child(pointer, "allOf"), &i.to_string()),
                variant,
                reached,
                depth + 1,
            );
        }
    }
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for name in properties.keys() {
            visit(
                doc,
                &child(&child(pointer, "properties"), name),
                false,
                reached,
                depth + 1,
            );
        }
    }
    for key in ["items", "additionalProperties"] {
        if schema.get(key).is_some_and(Value::is_object) {
            visit(doc, &child(pointer, key), false, reached, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn relaxes_plain_response_objects_only() {
        let mut doc = json!({
            "paths": {"/a": {
                "get": {"responses": {"200": {"content": {"application/json": {"schema": {
                    "type": "object", "required": ["data"],
                    "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}
                }}}}}},
                "post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Input"}}}},
                         "responses": {"400": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Input"}}}}}}
            }},
            "components": {"schemas": {
                "Item": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string"},
                    "config": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "object", "required": ["b"], "properties": {"b": {"type": "string"}}}]}
                }},
                "A": {"allOf": [{"$ref": "#/components/schemas/Base"}], "type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
                "Base": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
                "Input": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
            }}
        });
        let report = apply(&mut doc);
        assert_eq!(report.changes, 2);
        let schemas = &doc["components"]["schemas"];
        assert!(schemas["Item"].get("required").is_none());
        assert!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                .get("required")
                .is_none()
        );
        assert_eq!(schemas["A"]["required"], json!(["a"]));
        assert_eq!(schemas["Base"]["required"], json!(["kind"]));
        assert_eq!(schemas["Input"]["required"], json!(["name"]));
        assert_eq!(
            schemas["Item"]["properties"]["config"]["oneOf"][1]["required"],
            json!(["b"])
        );
    }
}
