//! Realistic JSON values for a schema: the spec's own `example` where it
//! has one, else a value synthesized from the schema (every property, the
//! first enum value or union member). Used to generate per-operation tests
//! and to feed mock servers.

use serde_json::{Map, Value, json};

/// How deep nested schemas are expanded before a branch stops (recursion
/// through `$ref` is cut separately; this only bounds pathological nesting).
const MAX_DEPTH: usize = 48;

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
        match obj.get("default") {
            // An explicit `default: null` (3.1 `type: "null"` fields): leave
            // the value out.
            Some(Value::Null) => return Value::Null,
            Some(default) => return default.clone(),
            None => {}
        }
        let scalar = matches!(
            obj.get("type").and_then(Value::as_str),
            Some("string" | "integer" | "number" | "boolean")
        );
        if let Some(Value::Array(all)) = obj.get("allOf").filter(|_| !scalar) {
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
        if let Some(Value::Array(variants)) = obj.get("anyOf")
            && let Some(first) = variants.first()
        {
            return self.value_at(first, depth + 1, refs);
        }
        if let Some(Value::Array(variants)) = obj.get("oneOf")
            && !variants.is_empty()
        {
            return self.one_of(variants, depth, refs);
        }
        match obj.get("type").and_then(Value::as_str) {
            Some("string") => {
                let format = obj.get("format").and_then(Value::as_str);
                let mut s = match string_example(format) {
                    // A pattern (here or in `allOf` parts) usually wants an
                    // identifier with upper and lower case and digits.
                    Value::String(_) if format.is_none() && has_pattern(obj) => {
                        "Example123".to_string()
                    }
                    Value::String(s) => s,
                    other => return other,
                };
                let len = |k: &str| obj.get(k).and_then(Value::as_u64).map(|n| n as usize);
                if let Some(min) = len("minLength") {
                    while s.chars().count() < min {
                        s.push('x');
                    }
                }
                if let Some(max) = len("maxLength") {
                    s = s.chars().take(max).collect();
                }
                Value::String(s)
            }
            Some("integer") => number_in_range(obj, 1.0, true),
            Some("number") => number_in_range(obj, 1.5, false),
            Some("boolean") => json!(true),
            Some("array") => match obj.get("items") {
                Some(items) if depth < MAX_DEPTH => {
                    let item = self.value_at(items, depth + 1, refs);
                    if item.is_null() {
                        json!([])
                    } else {
                        let min = obj.get("minItems").and_then(Value::as_u64).unwrap_or(1);
                        Value::Array(vec![item; min.max(1) as usize])
                    }
                }
                _ => json!([]),
            },
            Some("object") => self.object(obj, depth, refs),
            _ if obj.contains_key("properties") => self.object(obj, depth, refs),
            _ => json!({}),
        }
    }

    /// The example of the first `oneOf` variant that no other variant also
    /// accepts (as far as required properties and single-value enums
    /// tell), so that the value matches exactly one; else of the first.
    fn one_of(&self, variants: &[Value], depth: usize, refs: &mut Vec<String>) -> Value {
        let mut first = None;
        for (i, variant) in variants.iter().enumerate() {
            let value = self.value_at(variant, depth + 1, refs);
            let ambiguous = variants
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && self.may_accept(other, &value, 0));
            if !ambiguous {
                return value;
            }
            first.get_or_insert(value);
        }
        first.unwrap_or(Value::Null)
    }

    /// A rough check whether `schema` accepts `value`: JSON type, enum,
    /// and for objects the required properties and the enums of the
    /// properties present.
    fn may_accept(&self, schema: &Value, value: &Value, depth: usize) -> bool {
        let Some(obj) = schema.as_object() else {
            return true;
        };
        if depth > 4 * MAX_DEPTH {
            return true;
        }
        if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
            return match self.resolve(reference) {
                Some(target) => self.may_accept(target, value, depth + 1),
                None => true,
            };
        }
        if value.is_null() {
            return obj.get("nullable") == Some(&Value::Bool(true))
                || obj.get("type").and_then(Value::as_str) == Some("null");
        }
        if let Some(Value::Array(allowed)) = obj.get("enum")
            && !allowed.contains(value)
        {
            return false;
        }
        if let Some(Value::Array(all)) = obj.get("allOf")
            && !all.iter().all(|s| self.may_accept(s, value, depth + 1))
        {
            return false;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(variants)) = obj.get(key)
                && !variants
                    .iter()
                    .any(|s| self.may_accept(s, value, depth + 1))
            {
                return false;
            }
        }
        let type_ok = match obj.get("type").and_then(Value::as_str) {
            Some("string") => value.is_string(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            Some("array") => value.is_array(),
            Some("object") => value.is_object(),
            _ => true,
        };
        if !type_ok {
            return false;
        }
        let Value::Object(map) = value else {
            return true;
        };
        if let Some(Value::Array(required)) = obj.get("required")
            && required
                .iter()
                .filter_map(Value::as_str)
                .any(|k| !map.contains_key(k))
        {
            return false;
        }
        if let Some(Value::Object(props)) = obj.get("properties") {
            for (k, v) in map {
                if let Some(prop) = props.get(k)
                    && !self.may_accept(prop, v, depth + 1)
                {
                    return false;
                }
            }
            if obj.get("additionalProperties") == Some(&Value::Bool(false))
                && map.keys().any(|k| !props.contains_key(k))
            {
                return false;
            }
        }
        true
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

fn has_pattern(obj: &Map<String, Value>) -> bool {
    obj.contains_key("pattern")
        || obj
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|all| all.iter().any(|p| p.get("pattern").is_some()))
}

/// A number that honours `minimum`, `maximum` and their exclusive forms
/// (OpenAPI 3.0 booleans or 3.1 numbers).
fn number_in_range(obj: &Map<String, Value>, preferred: f64, integer: bool) -> Value {
    let bound = |plain: &str, exclusive: &str, step: f64| -> Option<f64> {
        match obj.get(exclusive) {
            Some(Value::Number(n)) => n.as_f64().map(|x| x + step),
            Some(Value::Bool(true)) => obj.get(plain).and_then(Value::as_f64).map(|x| x + step),
            _ => obj.get(plain).and_then(Value::as_f64),
        }
    };
    let step = if integer { 1.0 } else { 0.5 };
    let mut x = preferred;
    if let Some(min) = bound("minimum", "exclusiveMinimum", step) {
        x = x.max(min);
    }
    if let Some(max) = bound("maximum", "exclusiveMaximum", -step) {
        x = x.min(max);
    }
    if integer {
        json!(x.ceil() as i64)
    } else {
        json!(x)
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

    #[test]
    fn one_of_picks_a_variant_no_other_accepts_and_honours_bounds() {
        let doc = json!({"components": {"schemas": {
            "Loose": {"type": "object", "additionalProperties": false,
                "properties": {"b": {"type": "integer"}}},
            "Strict": {"type": "object", "required": ["b"], "properties": {
                "b": {"type": "integer", "minimum": 125},
                "kind": {"type": "string", "enum": ["strict"]}
            }}
        }}});
        let ex = Examples::new(&doc);
        // `Strict` also accepts `Loose`'s example `{"b": 1}`; `Loose` does
        // not accept `Strict`'s (closed object, `kind` is not its own).
        let v = ex.value(&json!({"oneOf": [
            {"$ref": "#/components/schemas/Loose"},
            {"$ref": "#/components/schemas/Strict"}
        ]}));
        assert_eq!(v, json!({"b": 125, "kind": "strict"}));
        let v = ex.value(&json!({"type": "object", "properties": {
            "gone": {"default": null, "nullable": true},
            "name": {"type": "string", "minLength": 9, "pattern": "^[A-Z]"},
            "many": {"type": "array", "minItems": 2, "items": {"type": "boolean"}}
        }}));
        assert_eq!(v, json!({"name": "Example123", "many": [true, true]}));
    }
}
