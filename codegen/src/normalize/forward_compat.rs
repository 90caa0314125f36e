//! Forward compatibility: a client generated today must read what a newer
//! server sends.
//!
//! - Validation keywords (`maxLength`, `minimum`, `pattern`, `maxItems`, ...)
//!   are dropped: typify turns them into constrained newtypes whose
//!   deserializers reject a value a newer server is allowed to send (a
//!   longer name, a larger limit). The server validates what it receives.
//! - `additionalProperties: false` is dropped, so unknown fields from a
//!   newer server are ignored instead of failing the whole response.
//!
//! Open string enums and unknown union variants are added to the generated
//! Rust code by [`crate::postprocess`], since they are Rust-level constructs.

use serde_json::Value;

use super::StepReport;
use crate::schema_walk::for_each_schema_mut;

/// Keywords that only validate, never shape, a value.
pub const VALIDATION_KEYWORDS: [&str; 13] = [
    "maxLength",
    "minLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

/// Drops validation keywords and closed-object markers everywhere.
pub fn apply(doc: &mut Value) -> StepReport {
    let mut report = StepReport::new("forward_compat");
    let mut dropped = 0;
    let mut opened = 0;
    for_each_schema_mut(doc, &mut |_, schema| {
        for key in VALIDATION_KEYWORDS {
            dropped += usize::from(schema.shift_remove(key).is_some());
        }
        if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
            schema.shift_remove("additionalProperties");
            opened += 1;
        }
    });
    report.changes = dropped + opened;
    report.notes.push(format!(
        "{dropped} validation keyword(s) dropped, {opened} closed object(s) opened"
    ));
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn drops_validation_and_closed_objects() {
        let mut doc = json!({"components": {"schemas": {"S": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "name": {"type": "string", "maxLength": 10, "pattern": "^a"},
                "n": {"type": "integer", "minimum": 1},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3, "uniqueItems": true},
                "headers": {"type": "object", "additionalProperties": {"type": "string"}}
            }
        }}}});
        let report = apply(&mut doc);
        assert_eq!(report.changes, 6);
        assert_eq!(
            doc["components"]["schemas"]["S"],
            json!({
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "n": {"type": "integer"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "headers": {"type": "object", "additionalProperties": {"type": "string"}}
                }
            })
        );
    }
}
