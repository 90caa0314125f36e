//! Names for inline operation schemas that would collide with components.
//!
//! progenitor names an operation's inline success body
//! `<OperationId>Response` (and an inline request body `<OperationId>Body`).
//! When a component already has that name (Cloud `udfList` returns an
//! inline envelope around the component `UdfListResponse`), typify silently
//! uses the component for both, and the envelope fails to decode. This step
//! moves such inline schemas into components under a free name
//! (`<OperationId>ResponseEnvelope`, `<OperationId>BodyEnvelope`) and refers
//! to them there.

use serde_json::{Value, json};

use super::StepReport;
use crate::normalize::errors::is_error_status;
use crate::schema_walk::for_each_operation_mut;

/// `clickStackListDashboards` to `ClickStackListDashboards`.
pub fn pascal(operation_id: &str) -> String {
    let mut out = String::with_capacity(operation_id.len());
    let mut upper = true;
    for c in operation_id.chars() {
        if c == '_' || c == '-' || c == ' ' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Hoists colliding inline request and success response schemas.
pub fn apply(doc: &mut Value) -> StepReport {
    let mut report = StepReport::new("names");
    let existing: std::collections::BTreeSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    for_each_operation_mut(doc, &mut |_, _, op| {
        let Some(id) = op.get("operationId").and_then(Value::as_str).map(pascal) else {
            return;
        };
        let mut slots: Vec<(&str, &mut Value)> = Vec::new();
        for (key, value) in op.iter_mut() {
            match key.as_str() {
                "requestBody" => {
                    if let Some(Value::Object(content)) = value.get_mut("content") {
                        for media in content.values_mut() {
                            if let Some(schema) = media.get_mut("schema") {
                                slots.push(("Body", schema));
                            }
                        }
                    }
                }
                "responses" => {
                    let Some(responses) = value.as_object_mut() else {
                        continue;
                    };
                    for (code, response) in responses.iter_mut() {
                        if is_error_status(code) {
                            continue;
                        }
                        if let Some(Value::Object(content)) = response.get_mut("content") {
                            for media in content.values_mut() {
                                if let Some(schema) = media.get_mut("schema") {
                                    slots.push(("Response", schema));
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        for (suffix, schema) in slots {
            let generated_name = format!("{id}{suffix}");
            if schema.get("$ref").is_some() || !existing.contains(&generated_name) {
                continue;
            }
            // A numeric suffix, not `_`: typify drops trailing underscores.
            let mut name = format!("{generated_name}Envelope");
            let mut n = 1;
            while existing.contains(&name) || hoisted.iter().any(|(h, _)| *h == name) {
                n += 1;
                name = format!("{generated_name}Envelope{n}");
            }
            let inline = std::mem::replace(
                schema,
                json!({ "$ref": format!("#/components/schemas/{name}") }),
            );
            report
                .notes
                .push(format!("inline {generated_name} -> {name}"));
            hoisted.push((name, inline));
        }
    });
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (name, schema) in hoisted {
            schemas.insert(name, schema);
            report.changes += 1;
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hoists_only_colliding_inline_schemas() {
        let mut doc = json!({
            "paths": {
                "/udfs": {"get": {"operationId": "udfList", "responses": {"200": {"content": {"application/json": {"schema": {
                    "type": "object", "properties": {"result": {"$ref": "#/components/schemas/UdfListResponse"}}
                }}}}}}},
                "/other": {"get": {"operationId": "otherList", "responses": {"200": {"content": {"application/json": {"schema": {"type": "object"}}}}}}}
            },
            "components": {"schemas": {"UdfListResponse": {"type": "object"}}}
        });
        let report = apply(&mut doc);
        assert_eq!(report.changes, 1);
        assert_eq!(
            doc["paths"]["/udfs"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/UdfListResponseEnvelope"})
        );
        assert_eq!(
            doc["components"]["schemas"]["UdfListResponseEnvelope"]["properties"]["result"]["$ref"],
            "#/components/schemas/UdfListResponse"
        );
        assert_eq!(
            doc["paths"]["/other"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "object"})
        );
        assert_eq!(
            pascal("clickStackListDashboards"),
            "ClickStackListDashboards"
        );
    }
}
