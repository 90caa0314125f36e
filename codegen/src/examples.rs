//! Realistic JSON values for a schema: the spec's own `example` where it
//! has one, else a value synthesized from the schema (every property, the
//! first enum value or union member). Used to generate per-operation tests
//! and to feed mock servers.

use serde_json::{Map, Value, json};

/// How deep nested objects are expanded before a branch stops.
const MAX_DEPTH: usize = 12;

/// Builds example values for the schemas of one (normalized) document.
pub struct Examples<'a> {
    doc: &'a Value,
}

impl<'a> Examples<'a> {
    /// Examples for schemas of `doc`.
    pub fn new(doc: &'a Value) -> Self {
        Examples { doc }
    }

    fn resolve(&self, reference: &str) -> Option<&'a Value> {
        self.doc.pointer(reference.strip_prefix('#')?)
    }

    /// An example value for `schema`.
    pub fn value(&self, schema: &Value) -> Value {
        self.value_at(schema, 0, &mut Vec::new())
    }

    fn value_at(&self, schema: &Value, depth: usize, refs: &mut Vec<String>) -> Value {
        let Some(obj) = schema.as_object() else {
            return json!({});
        };
        if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
            if refs.iter().any(|r| r == reference) || depth > MAX_DEPTH {
                return Value::Null;
            }
            let Some(target) = self.resolve(reference) else {
                return Value::Null;
            };
            refs.push(reference.to_string());
            let v = self.value_at(target, depth + 1, refs);
            refs.pop();
            return v;
        }
        if let Some(example) = obj.get("example") {
            return example.clone();
        }
        if let Some(first) = obj
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
        {
            return first.clone();
        }
        if let Some(default) = obj.get("default").filter(|d| !d.is_null()) {
            return default.clone();
        }
        if let Some(Value::Array(all)) = obj.get("allOf") {
            let mut merged = Map::new();
            for part in all {
                match self.value_at(part, depth + 1, refs) {
                    Value::Object(m) => merged.extend(m),
                    other if all.len() == 1 => return other,
                    _ => {}
                }
            }
            if let Value::Object(own) = self.object(obj, depth, refs) {
                merged.extend(own);
            }
            return Value::Object(merged);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = obj
                .get(key)
                .and_then(Value::as_array)
                .and_then(|m| m.first())
            {
                return self.value_at(first, depth + 1, refs);
            }
        }
        match obj.get("type").and_then(Value::as_str) {
            Some("string") => string_example(obj.get("format").and_then(Value::as_str)),
            Some("integer") => json!(1),
            Some("number") => json!(1.5),
            Some("boolean") => json!(true),
            Some("array") => match obj.get("items") {
                Some(items) if depth < MAX_DEPTH => {
                    let item = self.value_at(items, depth + 1, refs);
                    if item.is_null() {
                        json!([])
                    } else {
                        json!([item])
                    }
                }
                _ => json!([]),
            },
            Some("object") => self.object(obj, depth, refs),
            _ if obj.contains_key("properties") => self.object(obj, depth, refs),
            _ => json!({}),
        }
    }

    fn object(&self, obj: &Map<String, Value>, depth: usize, refs: &mut Vec<String>) -> Value {
        let mut out = Map::new();
        if depth > MAX_DEPTH {
            return Value::Object(out);
        }
        if let Some(Value::Object(props)) = obj.get("properties") {
            for (name, prop) in props {
                let v = self.value_at(prop, depth + 1, refs);
                if !v.is_null() {
                    out.insert(name.clone(), v);
                }
            }
        }
        if let Some(extra @ Value::Object(_)) = obj.get("additionalProperties")
            && out.is_empty()
        {
            let v = self.value_at(extra, depth + 1, refs);
            if !v.is_null() {
                out.insert("key".into(), v);
            }
        }
        Value::Object(out)
    }
}

/// An example string for a `format`.
pub fn string_example(format: Option<&str>) -> Value {
    match format {
        Some("uuid") => json!("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        Some("date-time") => json!("2026-01-02T03:04:05Z"),
        Some("date") => json!("2026-01-02"),
        Some("email") => json!("someone@example.com"),
        Some("uri") | Some("url") => json!("https://example.com/hook"),
        Some("ipv4") => json!("192.0.2.1"),
        _ => json!("example"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthesizes_from_schemas_and_prefers_examples() {
        let doc = json!({"components": {"schemas": {
            "Node": {"type": "object", "properties": {
                "id": {"type": "string", "example": "abc"},
                "when": {"type": "string", "format": "date-time"},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "n": {"type": "integer"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
            }}
        }}});
        let v = Examples::new(&doc).value(&json!({"$ref": "#/components/schemas/Node"}));
        assert_eq!(
            v,
            json!({"id": "abc", "when": "2026-01-02T03:04:05Z", "kind": "a", "n": 1, "children": []})
        );
    }
}
