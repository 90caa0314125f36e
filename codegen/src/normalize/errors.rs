//! One shared error schema per spec.
//!
//! progenitor supports one error type per operation and panics when an
//! operation declares two (HyperDX `searchEvents`; every Cloud operation has
//! distinct 400 and 500 bodies). It also names inline error bodies after the
//! operation and can silently reuse the success type for them. This step
//! adds the manifest's error schema as a component and points every error
//! response (`4XX`, `5XX`, `default`, any 4xx/5xx code) at it, with or
//! without a body upstream, so every operation returns
//! `Error<types::ApiError>` carrying the server's message and request id.

use serde_json::{Value, json};

use super::StepReport;
use crate::manifest::ErrorSchema;
use crate::pointer::child;
use crate::schema_walk::for_each_operation_mut;
use crate::{Error, Result};

/// Whether a response key names an error response.
pub fn is_error_status(code: &str) -> bool {
    code == "default" || code.starts_with('4') || code.starts_with('5')
}

/// Adds the shared error schema and points every error response at it.
pub fn apply(doc: &mut Value, error: &ErrorSchema) -> Result<StepReport> {
    let mut report = StepReport::new("errors");
    let schemas = doc
        .as_object_mut()
        .ok_or_else(|| Error::Normalize {
            step: "errors",
            pointer: String::new(),
            message: "the document is not an object".into(),
        })?
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or_else(|| Error::Normalize {
            step: "errors",
            pointer: "/components".into(),
            message: "`components` is not an object".into(),
        })?
        .entry("schemas")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or_else(|| Error::Normalize {
            step: "errors",
            pointer: "/components/schemas".into(),
            message: "`components.schemas` is not an object".into(),
        })?;
    if schemas.contains_key(&error.name) {
        return Err(Error::Normalize {
            step: "errors",
            pointer: child("/components/schemas", &error.name),
            message: format!(
                "the spec already has a schema named `{}`; choose another error_schema.name",
                error.name
            ),
        });
    }
    schemas.insert(error.name.clone(), error.schema.clone());
    let reference = json!({ "$ref": format!("#/components/schemas/{}", error.name) });
    let mut shapes = std::collections::BTreeSet::new();
    for_each_operation_mut(doc, &mut |_, _, op| {
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return;
        };
        for (code, response) in responses.iter_mut() {
            if !is_error_status(code) {
                continue;
            }
            let Some(response) = response.as_object_mut() else {
                continue;
            };
            if let Some(schema) = response
                .get("content")
                .and_then(|c| c.get("application/json"))
                .and_then(|m| m.get("schema"))
            {
                shapes.insert(schema.to_string());
            }
            response.insert(
                "content".into(),
                json!({ "application/json": { "schema": reference.clone() } }),
            );
            report.changes += 1;
        }
    });
    report.notes.push(format!(
        "{} error response(s) with {} distinct upstream shape(s) now use `{}`",
        report.changes,
        shapes.len(),
        error.name
    ));
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_schema() -> ErrorSchema {
        ErrorSchema {
            name: "ApiError".into(),
            schema: json!({"type": "object", "properties": {"message": {"type": "string"}}}),
            message_field: "message".into(),
            status_field: None,
            request_id_field: None,
        }
    }

    #[test]
    fn every_error_response_uses_the_shared_schema() {
        let mut doc = json!({
            "openapi": "3.0.0",
            "paths": {"/search": {"post": {"responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": {"description": "bad", "content": {"application/json": {"schema": {"type": "object", "properties": {"message": {"type": "string"}}}}}},
                "401": {"description": "no body"},
                "500": {"description": "boom", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "integer"}}}}}}
            }}}}
        });
        let report = apply(&mut doc, &error_schema()).unwrap();
        assert_eq!(report.changes, 3);
        let responses = &doc["paths"]["/search"]["post"]["responses"];
        for code in ["400", "401", "500"] {
            assert_eq!(
                responses[code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ApiError"
            );
        }
        assert_eq!(
            responses["200"]["content"]["application/json"]["schema"],
            json!({"type": "object"})
        );
        assert!(doc["components"]["schemas"]["ApiError"].is_object());
    }

    #[test]
    fn refuses_to_overwrite_an_existing_schema() {
        let mut doc = json!({"components": {"schemas": {"ApiError": {}}}});
        assert!(apply(&mut doc, &error_schema()).is_err());
    }
}
