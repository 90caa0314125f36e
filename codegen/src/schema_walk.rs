//! Visits every schema object of an OpenAPI document (3.0 or 3.1), so that a
//! normalization step can rewrite schemas wherever they stand: components,
//! parameters, request bodies, responses and headers, and every schema
//! nested in them.

use serde_json::{Map, Value};

use crate::pointer::child;

/// HTTP methods that may hold an operation in a path item.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keywords whose value is a single sub-schema.
const SCHEMA_KEYWORDS: [&str; 5] = ["items", "not", "additionalProperties", "contains", "if"];
/// Keywords whose value is an array of sub-schemas.
const SCHEMA_ARRAY_KEYWORDS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value is a map of sub-schemas.
const SCHEMA_MAP_KEYWORDS: [&str; 4] = ["properties", "patternProperties", "$defs", "definitions"];

/// Calls `f(pointer, schema)` for every schema object in `doc`, nested
/// schemas before the schema that holds them. `pointer` is the schema's JSON
/// pointer in the document.
pub fn for_each_schema_mut(doc: &mut Value, f: &mut dyn FnMut(&str, &mut Map<String, Value>)) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for (name, schema) in schemas.iter_mut() {
                walk_schema(&child("/components/schemas", name), schema, f);
            }
        }
        for (section, holder) in [
            ("parameters", Holder::Parameter),
            ("headers", Holder::Parameter),
            ("requestBodies", Holder::Content),
            ("responses", Holder::Response),
        ] {
            if let Some(Value::Object(items)) = components.get_mut(section) {
                for (name, item) in items.iter_mut() {
                    let ptr = child(&format!("/components/{section}"), name);
                    walk_holder(&ptr, item, holder, f);
                }
            }
        }
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let path_ptr = child("/paths", path);
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            walk_parameters(&path_ptr, item, f);
            for method in METHODS {
                let Some(Value::Object(op)) = item.get_mut(method) else {
                    continue;
                };
                let op_ptr = child(&path_ptr, method);
                walk_parameters(&op_ptr, op, f);
                if let Some(body) = op.get_mut("requestBody") {
                    walk_holder(&child(&op_ptr, "requestBody"), body, Holder::Content, f);
                }
                if let Some(Value::Object(responses)) = op.get_mut("responses") {
                    for (code, response) in responses.iter_mut() {
                        let ptr = child(&child(&op_ptr, "responses"), code);
                        walk_holder(&ptr, response, Holder::Response, f);
                    }
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Holder {
    /// A parameter or header: `schema`, or `content`.
    Parameter,
    /// A request body: `content`.
    Content,
    /// A response: `content` and `headers`.
    Response,
}

fn walk_parameters(
    ptr: &str,
    owner: &mut Map<String, Value>,
    f: &mut dyn FnMut(&str, &mut Map<String, Value>),
) {
    if let Some(Value::Array(params)) = owner.get_mut("parameters") {
        for (i, param) in params.iter_mut().enumerate() {
            let p = child(&child(ptr, "parameters"), &i.to_string());
            walk_holder(&p, param, Holder::Parameter, f);
        }
    }
}

fn walk_holder(
    ptr: &str,
    value: &mut Value,
    holder: Holder,
    f: &mut dyn FnMut(&str, &mut Map<String, Value>),
) {
    let Some(obj) = value.as_object_mut() else {
        return;
    };
    if let (Holder::Parameter, Some(schema)) = (holder, obj.get_mut("schema")) {
        walk_schema(&child(ptr, "schema"), schema, f);
    }
    if let Some(Value::Object(content)) = obj.get_mut("content") {
        for (media, media_obj) in content.iter_mut() {
            if let Some(schema) = media_obj.get_mut("schema") {
                let p = child(&child(&child(ptr, "content"), media), "schema");
                walk_schema(&p, schema, f);
            }
        }
    }
    if let (Holder::Response, Some(Value::Object(headers))) = (holder, obj.get_mut("headers")) {
        for (name, header) in headers.iter_mut() {
            let p = child(&child(ptr, "headers"), name);
            walk_holder(&p, header, Holder::Parameter, f);
        }
    }
}

/// Walks one schema and everything nested in it, children first.
pub fn walk_schema(
    ptr: &str,
    schema: &mut Value,
    f: &mut dyn FnMut(&str, &mut Map<String, Value>),
) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    for key in SCHEMA_KEYWORDS {
        if let Some(sub) = obj.get_mut(key) {
            match sub {
                Value::Object(_) => walk_schema(&child(ptr, key), sub, f),
                // 2019 draft `items: [..]` tuples.
                Value::Array(items) => {
                    for (i, s) in items.iter_mut().enumerate() {
                        walk_schema(&child(&child(ptr, key), &i.to_string()), s, f);
                    }
                }
                _ => {}
            }
        }
    }
    for key in SCHEMA_ARRAY_KEYWORDS {
        if let Some(Value::Array(items)) = obj.get_mut(key) {
            for (i, s) in items.iter_mut().enumerate() {
                walk_schema(&child(&child(ptr, key), &i.to_string()), s, f);
            }
        }
    }
    for key in SCHEMA_MAP_KEYWORDS {
        if let Some(Value::Object(items)) = obj.get_mut(key) {
            for (name, s) in items.iter_mut() {
                walk_schema(&child(&child(ptr, key), name), s, f);
            }
        }
    }
    f(ptr, obj);
}

/// A callback over operations: `(pointer, method, operation)`.
pub type OperationVisitor<'a> = dyn FnMut(&str, &str, &mut Map<String, Value>) + 'a;

/// Calls `f(pointer, method, operation)` for every operation in `doc`.
pub fn for_each_operation_mut(doc: &mut Value, f: &mut OperationVisitor<'_>) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in METHODS {
            if let Some(Value::Object(op)) = item.get_mut(method) {
                f(&child(&child("/paths", path), method), method, op);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn visits_every_schema_position_children_first() {
        let mut doc = json!({
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}],
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {"x": {"type": "array", "items": {"type": "integer"}}}
                    }}}},
                    "responses": {"200": {
                        "content": {"application/json": {"schema": {"oneOf": [{"type": "string"}]}}},
                        "headers": {"X-Id": {"schema": {"type": "string"}}}
                    }}
                }
            }},
            "components": {"schemas": {"S": {"allOf": [{"$ref": "#/components/schemas/T"}]}}}
        });
        let mut seen = Vec::new();
        for_each_schema_mut(&mut doc, &mut |ptr, _| seen.push(ptr.to_string()));
        assert_eq!(
            seen,
            vec![
                "/components/schemas/S/allOf/0",
                "/components/schemas/S",
                "/paths/~1a~1{id}/parameters/0/schema",
                "/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/properties/x/items",
                "/paths/~1a~1{id}/post/requestBody/content/application~1json/schema/properties/x",
                "/paths/~1a~1{id}/post/requestBody/content/application~1json/schema",
                "/paths/~1a~1{id}/post/responses/200/content/application~1json/schema/oneOf/0",
                "/paths/~1a~1{id}/post/responses/200/content/application~1json/schema",
                "/paths/~1a~1{id}/post/responses/200/headers/X-Id/schema",
            ]
        );
    }
}
