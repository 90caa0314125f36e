//! OpenAPI 3.1 to 3.0 down-conversion.
//!
//! progenitor reads only OpenAPI 3.0. This step rewrites the 3.1 (JSON
//! Schema 2020-12) constructs into their 3.0 equivalents, wherever they
//! occur, not from a list of known places:
//!
//! - `type: [T, "null"]` becomes `type: T, nullable: true`; a type array of
//!   several non-null types becomes a `oneOf` of one schema per type;
//! - `oneOf`/`anyOf` with a `{type: "null"}` member loses that member and
//!   becomes `nullable` (a lone remaining `$ref` is wrapped in `allOf`, the
//!   3.0 idiom for a nullable reference);
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` become `minimum`/`maximum`
//!   with the boolean form;
//! - `const: v` becomes `enum: [v]`;
//! - `examples: [..]` in a schema becomes `example` (the first one);
//! - 3.1-only document fields (`webhooks`, `jsonSchemaDialect`,
//!   `info.license.identifier`) are removed.
//!
//! A 3.0 document passes through unchanged.

use serde_json::{Map, Value, json};

use super::StepReport;
use crate::schema_walk::for_each_schema_mut;
use crate::{Error, Result};

/// The version written into converted documents.
pub const TARGET_VERSION: &str = "3.0.3";

/// Converts `doc` to OpenAPI 3.0 if it is 3.1; leaves 3.0 untouched.
pub fn apply(doc: &mut Value) -> Result<StepReport> {
    let mut report = StepReport::new("downconvert");
    let version = doc
        .get("openapi")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::Normalize {
            step: "downconvert",
            pointer: "/openapi".into(),
            message: "the document has no `openapi` version string".into(),
        })?
        .to_string();
    if version.starts_with("3.0") {
        return Ok(report);
    }
    if !version.starts_with("3.1") {
        return Err(Error::Normalize {
            step: "downconvert",
            pointer: "/openapi".into(),
            message: format!("unsupported OpenAPI version {version}"),
        });
    }
    let mut failure = None;
    for_each_schema_mut(doc, &mut |ptr, schema| {
        if failure.is_some() {
            return;
        }
        match convert_schema(schema) {
            Ok(n) => report.changes += n,
            Err(message) => failure = Some((ptr.to_string(), message)),
        }
    });
    if let Some((pointer, message)) = failure {
        return Err(Error::Normalize {
            step: "downconvert",
            pointer,
            message,
        });
    }
    if let Some(root) = doc.as_object_mut() {
        root.insert("openapi".into(), json!(TARGET_VERSION));
        for key in ["webhooks", "jsonSchemaDialect"] {
            report.changes += usize::from(root.shift_remove(key).is_some());
        }
        if let Some(Value::Object(license)) =
            root.get_mut("info").and_then(|i| i.get_mut("license"))
        {
            report.changes += usize::from(license.shift_remove("identifier").is_some());
        }
    }
    report
        .notes
        .push(format!("OpenAPI {version} -> {TARGET_VERSION}"));
    Ok(report)
}

/// Converts one schema object (its children are already converted).
/// Returns the number of rewrites.
pub fn convert_schema(schema: &mut Map<String, Value>) -> Result<usize, String> {
    let mut changes = 0;
    changes += convert_type_array(schema)?;
    for key in ["oneOf", "anyOf"] {
        changes += convert_null_union(schema, key);
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(limit) = schema.get(exclusive).filter(|v| v.is_number()).cloned() {
            schema.insert(bound.into(), limit);
            schema.insert(exclusive.into(), Value::Bool(true));
            changes += 1;
        }
    }
    if let Some(value) = schema.shift_remove("const") {
        schema.insert("enum".into(), Value::Array(vec![value]));
        changes += 1;
    }
    if let Some(examples) = schema.shift_remove("examples") {
        if let Some(first) = examples.as_array().and_then(|a| a.first()) {
            schema.entry("example").or_insert_with(|| first.clone());
        }
        changes += 1;
    }
    for key in [
        "$schema",
        "$id",
        "$comment",
        "contentMediaType",
        "contentEncoding",
    ] {
        changes += usize::from(schema.shift_remove(key).is_some());
    }
    Ok(changes)
}

fn convert_type_array(schema: &mut Map<String, Value>) -> Result<usize, String> {
    if schema.get("type").and_then(Value::as_str) == Some("null") {
        // A lone `type: "null"`: 3.0 has no null type; what stays is a
        // nullable schema of any type.
        schema.shift_remove("type");
        schema.insert("nullable".into(), Value::Bool(true));
        return Ok(1);
    }
    let Some(Value::Array(types)) = schema.get("type") else {
        return Ok(0);
    };
    let mut names = Vec::with_capacity(types.len());
    for t in types {
        names.push(
            t.as_str()
                .ok_or_else(|| format!("`type` array holds a non-string: {t}"))?
                .to_string(),
        );
    }
    let nullable = names.iter().any(|t| t == "null");
    names.retain(|t| t != "null");
    schema.shift_remove("type");
    match names.as_slice() {
        [] => {
            // `type: ["null"]`: only null is allowed; 3.0 has no such type.
            schema.insert("nullable".into(), Value::Bool(true));
        }
        [single] => {
            schema.insert("type".into(), json!(single));
        }
        several => {
            let variants = several.iter().map(|t| json!({ "type": t })).collect();
            schema.insert("oneOf".into(), Value::Array(variants));
        }
    }
    if nullable {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    Ok(1)
}

/// Whether a union member only admits null: `{type: "null"}`, or what a
/// lone null type becomes once converted (children are converted first).
fn is_null_schema(v: &Value) -> bool {
    let converted_null = v.as_object().is_some_and(|o| {
        o.get("nullable") == Some(&Value::Bool(true))
            && o.keys()
                .all(|k| matches!(k.as_str(), "nullable" | "default" | "description" | "title"))
    });
    converted_null
        || v.get("type").and_then(Value::as_str) == Some("null")
        || v.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.len() == 1 && e[0].is_null())
}

fn convert_null_union(schema: &mut Map<String, Value>, key: &str) -> usize {
    let Some(Value::Array(members)) = schema.get_mut(key) else {
        return 0;
    };
    let before = members.len();
    members.retain(|m| !is_null_schema(m));
    if members.len() == before {
        return 0;
    }
    schema.insert("nullable".into(), Value::Bool(true));
    let members = match schema.get_mut(key) {
        Some(Value::Array(members)) => std::mem::take(members),
        _ => return 1,
    };
    if let [single] = members.as_slice() {
        schema.shift_remove(key);
        if single.get("$ref").is_some() {
            schema.insert("allOf".into(), Value::Array(vec![single.clone()]));
        } else if let Some(obj) = single.as_object() {
            for (k, v) in obj {
                schema.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    } else {
        schema.insert(key.into(), Value::Array(members));
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(v: Value) -> Value {
        let mut doc = json!({
            "openapi": "3.1.2",
            "components": {"schemas": {"S": v}}
        });
        apply(&mut doc).unwrap();
        assert_eq!(doc["openapi"], TARGET_VERSION);
        doc["components"]["schemas"]["S"].take()
    }

    #[test]
    fn type_array_with_null_becomes_nullable() {
        assert_eq!(
            convert(json!({"type": ["string", "null"], "format": "uuid"})),
            json!({"format": "uuid", "type": "string", "nullable": true})
        );
    }

    #[test]
    fn several_types_become_one_of() {
        assert_eq!(
            convert(json!({"type": ["string", "integer"]})),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn null_union_with_ref_becomes_nullable_all_of() {
        assert_eq!(
            convert(json!({"oneOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]})),
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        assert_eq!(
            convert(json!({"anyOf": [{"type": "string"}, {"type": "null"}], "description": "d"})),
            json!({"description": "d", "nullable": true, "type": "string"})
        );
        assert_eq!(
            convert(json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn lone_null_type_becomes_nullable_any() {
        assert_eq!(
            convert(json!({"type": "null", "default": null})),
            json!({"default": null, "nullable": true})
        );
    }

    #[test]
    fn nested_schemas_are_converted() {
        assert_eq!(
            convert(json!({"properties": {"a": {"items": {"type": ["integer", "null"]}}}})),
            json!({"properties": {"a": {"items": {"type": "integer", "nullable": true}}}})
        );
    }

    #[test]
    fn numeric_exclusive_bounds_const_and_examples() {
        assert_eq!(
            convert(json!({"type": "number", "exclusiveMinimum": 0, "examples": [1, 2]})),
            json!({"type": "number", "exclusiveMinimum": true, "minimum": 0, "example": 1})
        );
        assert_eq!(convert(json!({"const": "sql"})), json!({"enum": ["sql"]}));
    }

    #[test]
    fn openapi_30_passes_through_unchanged() {
        let original = json!({
            "openapi": "3.0.1",
            "components": {"schemas": {"S": {"type": "string", "nullable": true, "examples": {"a": 1}}}}
        });
        let mut doc = original.clone();
        let report = apply(&mut doc).unwrap();
        assert_eq!(report.changes, 0);
        assert_eq!(doc, original);
    }

    #[test]
    fn rejects_unknown_versions_and_bad_type_arrays() {
        let mut doc = json!({"openapi": "2.0"});
        assert!(apply(&mut doc).is_err());
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": {"type": [1]}}}});
        let err = apply(&mut doc).unwrap_err().to_string();
        assert!(err.contains("/components/schemas/S"), "{err}");
    }

    #[test]
    fn document_level_31_fields_are_removed() {
        let mut doc = json!({"openapi": "3.1.0", "webhooks": {}, "info": {"license": {"name": "MIT", "identifier": "MIT"}}});
        apply(&mut doc).unwrap();
        assert_eq!(
            doc,
            json!({"openapi": TARGET_VERSION, "info": {"license": {"name": "MIT"}}})
        );
    }
}
