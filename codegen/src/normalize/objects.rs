//! `type: object` on schemas that have `properties` but no `type`.
//!
//! The Cloud spec almost never says `type: object` (hundreds of
//! properties-only schemas). typify would otherwise treat such a schema as
//! "any type with these properties if it is an object" and generate weaker
//! types; saying it explicitly gives plain structs.

use serde_json::{Value, json};

use super::StepReport;
use crate::schema_walk::for_each_schema_mut;

/// Adds `type: object` where `properties` (or `required`) stands alone.
pub fn apply(doc: &mut Value) -> StepReport {
    let mut report = StepReport::new("objects");
    for_each_schema_mut(doc, &mut |_, schema| {
        let shaped = schema.contains_key("properties") || schema.contains_key("required");
        let typed = schema.contains_key("type")
            || ["allOf", "oneOf", "anyOf", "$ref", "enum"]
                .iter()
                .any(|k| schema.contains_key(*k));
        if shaped && !typed {
            schema.insert("type".into(), json!("object"));
            report.changes += 1;
        }
    });
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_property_only_schemas() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"properties": {"x": {"type": "string"}}},
            "B": {"allOf": [{"properties": {"y": {"type": "string"}}}]},
            "C": {"type": "object"}
        }}});
        assert_eq!(apply(&mut doc).changes, 2);
        assert_eq!(doc["components"]["schemas"]["A"]["type"], "object");
        assert_eq!(
            doc["components"]["schemas"]["B"]["allOf"][0]["type"],
            "object"
        );
        assert!(doc["components"]["schemas"]["B"].get("type").is_none());
    }
}
