//! Forward compatibility: a client generated today must read what a newer
//! server sends.
//!
//! - Validation keywords (`maxLength`, `minimum`, `pattern`, `maxItems`, ...)
//!   are dropped: typify turns them into constrained newtypes whose
//!   deserializers reject a value a newer server is allowed to send (a
//!   longer name, a larger limit). The server validates what it receives.
//! - `additionalProperties: false` is dropped, so unknown fields from a
//!   newer server are ignored instead of failing the whole response.
//! - `enum` is dropped from number, integer and boolean schemas (and from
//!   any schema whose values are not of its type, an upstream bug such as a
//!   `type: number` with string values): typify cannot generate the
//!   mismatched ones, and a closed list of numbers would reject a value a
//!   newer server adds. String enums stay: the generator opens them.
//! - `default` is dropped: typify fills a missing field with its default,
//!   so a field the server did not send would be sent back on a write (and
//!   a response would not read back as it came). The server applies its own
//!   defaults to what it receives.
//!
//! Open string enums and unknown union variants are added to the generated
//! Rust code by [`crate::generate`], since they are Rust-level constructs.

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
    let mut defaults = 0;
    let mut enums = 0;
    for_each_schema_mut(doc, &mut |_, schema| {
        for key in VALIDATION_KEYWORDS {
            dropped += usize::from(schema.shift_remove(key).is_some());
        }
        defaults += usize::from(schema.shift_remove("default").is_some());
        if closed_non_string_enum(schema) {
            schema.shift_remove("enum");
            enums += 1;
        }
        if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
            schema.shift_remove("additionalProperties");
            opened += 1;
        }
    });
    report.changes = dropped + opened + defaults + enums;
    report.notes.push(format!(
        "{dropped} validation keyword(s) dropped, {opened} closed object(s) opened, \
         {defaults} default(s) dropped, {enums} non-string enum(s) opened"
    ));
    report
}

/// An `enum` on a schema that is not a string, or whose values are not all
/// of the schema's type.
fn closed_non_string_enum(schema: &serde_json::Map<String, Value>) -> bool {
    let Some(Value::Array(values)) = schema.get("enum") else {
        return false;
    };
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => !values.iter().all(|v| v.is_string() || v.is_null()),
        Some(_) => true,
        None => false,
    }
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
                "n": {"type": "integer", "minimum": 1, "default": 3},
                "level": {"type": "number", "enum": ["0.5", "0.9"]},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3, "uniqueItems": true},
                "headers": {"type": "object", "additionalProperties": {"type": "string"}}
            }
        }}}});
        let report = apply(&mut doc);
        assert_eq!(report.changes, 8);
        assert_eq!(
            doc["components"]["schemas"]["S"],
            json!({
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "n": {"type": "integer"},
                    "level": {"type": "number"},
                    "kind": {"type": "string", "enum": ["a", "b"]},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "headers": {"type": "object", "additionalProperties": {"type": "string"}}
                }
            })
        );
    }
}
