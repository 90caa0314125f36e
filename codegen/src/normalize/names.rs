//! Names that progenitor and typify can always turn into Rust.
//!
//! Any name in a spec may be a Rust keyword, start with a digit, be empty or
//! only symbols, or collide with another name once case and punctuation are
//! folded. The generators handle keywords and digits themselves (a `_`
//! suffix or an `x` prefix) but fail on the rest: a path parameter whose
//! Rust name differs from its template name, two parameters or operations
//! with the same Rust name, enum values whose variant names collide (typify
//! panics), two schemas with the same type name. This step renames what it
//! can rename without changing the wire, and records what postprocessing
//! must restore:
//!
//! | what | how |
//! |---|---|
//! | operations | `operationId`s get unique, non-empty method names that do not clash with the client's own methods |
//! | path parameters | copied from the path item into each operation (progenitor loses path-level ones); colliding ones renamed with their `{template}`: the wire carries only the value |
//! | other parameters | a colliding one gets a placeholder name; postprocessing puts the wire name back into the generated request code ([`ParamRename`]) |
//! | schemas | components whose type names collide are renamed (every `$ref` follows) |
//! | enums | an enum whose values typify cannot name uniquely becomes a component marked [`CUSTOM_ENUM`]; the generator writes its type |
//! | inline bodies | an inline body whose generated name collides with a component moves to a free name |
//!
//! Struct fields whose names collide (`a-b` and `a_b`) are renamed by
//! postprocessing, which keeps the wire name in `#[serde(rename)]`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::StepReport;
use crate::naming::{progenitor_snake, twin_name, typify_pascal, typify_variants, unique};
use crate::normalize::errors::is_error_status;
use crate::pointer::{child, tokens};
use crate::schema_walk::{METHODS, for_each_schema_mut};

/// The marker on a component whose string enum the generator writes itself
/// (its values, in order).
pub const CUSTOM_ENUM: &str = "x-clickstack-enum";

/// Methods of the generated `Client` that operations must not take.
pub const RESERVED_METHODS: [&str; 10] = [
    "new",
    "new_with_client",
    "with_config",
    "with_http_client",
    "baseurl",
    "base_url",
    "client",
    "inner",
    "context",
    "api_version",
];

/// A parameter renamed in the spec whose wire name the generated code must
/// send instead of the placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamRename {
    /// The generated method (progenitor's snake-case name).
    pub method: String,
    /// The name given to the parameter in the normalized spec.
    pub placeholder: String,
    /// The name the API expects.
    pub wire: String,
}

/// `clickStackListDashboards` to `ClickStackListDashboards`.
pub fn pascal(operation_id: &str) -> String {
    typify_pascal(operation_id)
}

/// Renames and marks (see the module docs); returns what postprocessing
/// must restore.
pub fn apply(doc: &mut Value) -> (StepReport, Vec<ParamRename>) {
    let mut report = StepReport::new("names");
    inline_parameters(doc, &mut report);
    operation_ids(doc, &mut report);
    path_parameters(doc, &mut report);
    let renames = other_parameters(doc, &mut report);
    custom_enums(doc, &mut report);
    component_names(doc, &mut report);
    inline_bodies(doc, &mut report);
    (report, renames)
}

fn note(report: &mut StepReport, text: String) {
    report.changes += 1;
    report.notes.push(text);
}

/// Every path's operations, as `(path, method)` pairs.
fn operations(doc: &Value) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    if let Some(Value::Object(paths)) = doc.get("paths") {
        for (path, item) in paths {
            for method in METHODS {
                if item.get(method).is_some_and(Value::is_object) {
                    out.push((path.clone(), method));
                }
            }
        }
    }
    out
}

fn operation_mut<'a>(
    doc: &'a mut Value,
    path: &str,
    method: &str,
) -> Option<&'a mut Map<String, Value>> {
    doc.get_mut("paths")?
        .get_mut(path)?
        .get_mut(method)?
        .as_object_mut()
}

/// Resolves a local `$ref` (`#/components/parameters/X`).
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..16 {
        match current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| doc.pointer(p))
        {
            Some(target) => current = target,
            None => break,
        }
    }
    current
}

/// Copies path-item parameters into each operation (an operation's own
/// parameter of the same name and location wins) and resolves parameter
/// `$ref`s, so every operation owns its parameters and can rename them.
fn inline_parameters(doc: &mut Value, report: &mut StepReport) {
    let snapshot = doc.clone();
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    let mut moved = 0;
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let shared: Vec<Value> = match item.remove("parameters") {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        };
        for method in METHODS {
            let Some(Value::Object(op)) = item.get_mut(method) else {
                continue;
            };
            let own: Vec<Value> = match op.get("parameters") {
                Some(Value::Array(list)) => list.clone(),
                _ => Vec::new(),
            };
            let own: Vec<Value> = own.iter().map(|p| resolve(&snapshot, p).clone()).collect();
            let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
            let mut merged = own.clone();
            for p in &shared {
                let p = resolve(&snapshot, p).clone();
                if !own.iter().any(|o| key(o) == key(&p)) {
                    merged.push(p);
                    moved += 1;
                }
            }
            if !merged.is_empty() {
                op.insert("parameters".into(), Value::Array(merged));
            }
        }
    }
    if moved > 0 {
        report.notes.push(format!(
            "{moved} path-level parameter(s) copied into their operations"
        ));
    }
}

/// Unique, non-empty operation ids whose method names are free.
fn operation_ids(doc: &mut Value, report: &mut StepReport) {
    let mut taken: BTreeSet<String> = RESERVED_METHODS.iter().map(|s| s.to_string()).collect();
    for (path, method) in operations(doc) {
        let Some(op) = operation_mut(doc, &path, method) else {
            continue;
        };
        let original = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_string);
        // An id without a letter or digit (empty, `$$`) names nothing: use
        // the method and path instead.
        let base = match &original {
            Some(id) if id.chars().any(char::is_alphanumeric) => id.clone(),
            _ => format!("{method}{}", typify_pascal(&path)),
        };
        let taken_as = |candidate: &str| {
            let snake = progenitor_snake(candidate);
            taken.contains(&snake) || taken.contains(&twin_name(&snake))
        };
        let id = unique(&base, taken_as);
        taken.insert(progenitor_snake(&id));
        taken.insert(twin_name(&progenitor_snake(&id)));
        if original.as_deref() != Some(id.as_str()) {
            op.insert("operationId".into(), Value::String(id.clone()));
            note(
                report,
                format!(
                    "{} {path}: operationId {original:?} -> {id:?}",
                    method.to_uppercase()
                ),
            );
        }
    }
}

/// The `{name}`s of a path template.
fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// Renames path parameters (template and parameter) whose Rust names
/// collide (`{a-b}` and `{a_b}`, or one named `body`).
fn path_parameters(doc: &mut Value, report: &mut StepReport) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    let keys: Vec<String> = paths.keys().cloned().collect();
    for path in keys {
        let names = template_names(&path);
        let mut mapping = BTreeMap::new();
        let mut used = BTreeSet::new();
        for name in &names {
            let snake = progenitor_snake(name);
            if !used.contains(&snake) && snake != "body" {
                used.insert(snake);
                continue;
            }
            let rust = unique(&snake, |c| used.contains(c) || c == "body");
            used.insert(rust.clone());
            mapping.insert(name.clone(), rust);
        }
        if mapping.is_empty() {
            continue;
        }
        let mut new_path = path.clone();
        for (old, new) in &mapping {
            new_path = new_path.replace(&format!("{{{old}}}"), &format!("{{{new}}}"));
        }
        let Some(mut item) = paths.shift_remove(&path) else {
            continue;
        };
        for method in METHODS {
            let Some(Value::Array(params)) =
                item.get_mut(method).and_then(|op| op.get_mut("parameters"))
            else {
                continue;
            };
            for p in params
                .iter_mut()
                .filter(|p| p.get("in") == Some(&json!("path")))
            {
                let name = p.get("name").and_then(Value::as_str).map(str::to_string);
                if let Some(new) = name.and_then(|n| mapping.get(&n)) {
                    p["name"] = Value::String(new.clone());
                }
            }
        }
        note(report, format!("path {path} -> {new_path}"));
        paths.insert(new_path, item);
    }
}

/// Gives colliding non-path parameters placeholder names.
fn other_parameters(doc: &mut Value, report: &mut StepReport) -> Vec<ParamRename> {
    let mut renames = Vec::new();
    for (path, method) in operations(doc) {
        let Some(op) = operation_mut(doc, &path, method) else {
            continue;
        };
        let method_name = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(progenitor_snake)
            .unwrap_or_default();
        let has_body = op.contains_key("requestBody");
        let Some(Value::Array(params)) = op.get_mut("parameters") else {
            continue;
        };
        let mut used: BTreeSet<String> = params
            .iter()
            .filter(|p| p.get("in") == Some(&json!("path")))
            .filter_map(|p| p.get("name").and_then(Value::as_str).map(progenitor_snake))
            .collect();
        if has_body {
            used.insert("body".into());
        }
        for p in params
            .iter_mut()
            .filter(|p| p.get("in") != Some(&json!("path")))
        {
            let Some(wire) = p.get("name").and_then(Value::as_str).map(str::to_string) else {
                continue;
            };
            let rust = progenitor_snake(&wire);
            if used.insert(rust.clone()) {
                continue;
            }
            let placeholder = unique(&format!("{rust}_"), |c| used.contains(&progenitor_snake(c)));
            used.insert(progenitor_snake(&placeholder));
            p["name"] = Value::String(placeholder.clone());
            note(
                report,
                format!(
                    "{} {path}: parameter {wire:?} sent as {placeholder:?} in the spec",
                    method.to_uppercase()
                ),
            );
            renames.push(ParamRename {
                method: method_name.clone(),
                placeholder,
                wire,
            });
        }
    }
    renames
}

/// A name for an inline schema at `pointer`, from its position.
fn position_name(doc: &Value, pointer: &str) -> String {
    let parts = tokens(pointer);
    let mut name = String::new();
    let mut i = 0;
    while i < parts.len() {
        let part = parts[i].as_str();
        match part {
            "components" | "schemas" if i < 2 => {}
            "paths" if i == 0 => {
                let method = parts.get(2).cloned().unwrap_or_default();
                let op = doc
                    .get("paths")
                    .and_then(|p| p.get(&parts[1]))
                    .and_then(|item| item.get(&method))
                    .and_then(|op| op.get("operationId"))
                    .and_then(Value::as_str)
                    .unwrap_or("operation");
                name.push_str(&typify_pascal(op));
                i += 2;
            }
            "properties" | "content" | "application/json" | "schema" | "responses"
            | "requestBody" => {}
            "parameters" => {
                let index: Option<usize> = parts.get(i + 1).and_then(|s| s.parse().ok());
                let param = index.and_then(|n| {
                    resolve(
                        doc,
                        doc.pointer(&format!("{}/{n}", parts_pointer(&parts[..=i])))?,
                    )
                    .get("name")?
                    .as_str()
                    .map(str::to_string)
                });
                name.push_str(&typify_pascal(&param.unwrap_or_else(|| "Param".into())));
                i += 1;
            }
            "items" => name.push_str("Item"),
            "allOf" | "oneOf" | "anyOf" => {
                name.push_str("Variant");
            }
            other => name.push_str(&typify_pascal(other)),
        }
        i += 1;
    }
    if name.is_empty() { "Enum".into() } else { name }
}

fn parts_pointer(parts: &[String]) -> String {
    parts.iter().fold(String::new(), |acc, p| child(&acc, p))
}

/// String enums whose values typify cannot name become components marked
/// [`CUSTOM_ENUM`] (inline ones are moved there and referred to).
fn custom_enums(doc: &mut Value, report: &mut StepReport) {
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    let snapshot = doc.clone();
    for_each_schema_mut(doc, &mut |pointer, schema| {
        let Some(Value::Array(values)) = schema.get("enum") else {
            return;
        };
        let strings: Option<Vec<String>> = values
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect();
        let Some(strings) = strings else {
            return;
        };
        if typify_variants(&strings).is_some() {
            return;
        }
        found.push((pointer.to_string(), strings));
    });
    let mut names: BTreeSet<String> = component_keys(doc)
        .iter()
        .map(|n| typify_pascal(n))
        .collect();
    for (pointer, values) in found {
        let component = tokens(&pointer);
        let is_component =
            component.len() == 3 && component[0] == "components" && component[1] == "schemas";
        let marker = json!(values);
        if is_component {
            if let Some(Value::Object(schema)) = doc.pointer_mut(&pointer) {
                schema.remove("enum");
                schema.insert("type".into(), json!("string"));
                schema.insert(CUSTOM_ENUM.into(), marker);
            }
            note(
                report,
                format!("enum {pointer}: values typify cannot name; written by the generator"),
            );
            continue;
        }
        let name = unique(&position_name(&snapshot, &pointer), |c| {
            names.contains(&typify_pascal(c))
        });
        names.insert(typify_pascal(&name));
        let Some(slot) = doc.pointer_mut(&pointer) else {
            continue;
        };
        let mut schema = std::mem::replace(
            slot,
            json!({"$ref": format!("#/components/schemas/{}", escape_ref(&name))}),
        );
        if let Value::Object(s) = &mut schema {
            s.remove("enum");
            s.insert("type".into(), json!("string"));
            s.insert(CUSTOM_ENUM.into(), marker);
        }
        if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
            schemas.insert(name.clone(), schema);
        }
        note(
            report,
            format!("enum {pointer}: values typify cannot name; moved to component {name}"),
        );
    }
}

fn escape_ref(name: &str) -> String {
    crate::pointer::escape(name)
}

fn component_keys(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Renames components whose type names collide; every `$ref` follows.
fn component_names(doc: &mut Value, report: &mut StepReport) {
    let keys = component_keys(doc);
    let mut seen = BTreeSet::new();
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let all: BTreeSet<String> = keys.iter().map(|k| typify_pascal(k)).collect();
    for key in &keys {
        let rust = typify_pascal(key);
        if seen.insert(rust.clone()) {
            continue;
        }
        let new = unique(&rust, |c| seen.contains(c) || all.contains(c));
        seen.insert(new.clone());
        renames.insert(key.clone(), new);
    }
    if renames.is_empty() {
        return;
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        let old = std::mem::take(schemas);
        for (key, schema) in old {
            let key = renames.get(&key).cloned().unwrap_or(key);
            schemas.insert(key, schema);
        }
    }
    let by_ref: BTreeMap<String, String> = renames
        .iter()
        .map(|(old, new)| {
            (
                format!("#/components/schemas/{}", escape_ref(old)),
                format!("#/components/schemas/{}", escape_ref(new)),
            )
        })
        .collect();
    rewrite_refs(doc, &by_ref);
    for (old, new) in renames {
        note(
            report,
            format!("schema {old:?} -> {new:?} (type names collided)"),
        );
    }
}

fn rewrite_refs(value: &mut Value, renames: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "$ref" {
                    if let Some(new) = v.as_str().and_then(|r| renames.get(r)) {
                        *v = Value::String(new.clone());
                    }
                } else {
                    rewrite_refs(v, renames);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, renames)),
        _ => {}
    }
}

/// Hoists inline request and success bodies whose generated names
/// (`<OperationId>Body`, `<OperationId>Response`) collide with a component
/// (Cloud `udfList` returns an inline envelope around the component
/// `UdfListResponse`; typify would use the component for both).
fn inline_bodies(doc: &mut Value, report: &mut StepReport) {
    let existing: BTreeSet<String> = component_keys(doc)
        .iter()
        .map(|k| typify_pascal(k))
        .collect();
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    for (path, method) in operations(doc) {
        let Some(op) = operation_mut(doc, &path, method) else {
            continue;
        };
        let Some(id) = op.get("operationId").and_then(Value::as_str).map(pascal) else {
            continue;
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
            let name = unique(&format!("{generated_name}Envelope"), |c| {
                existing.contains(c) || hoisted.iter().any(|(h, _)| h == c)
            });
            let inline = std::mem::replace(
                schema,
                json!({ "$ref": format!("#/components/schemas/{name}") }),
            );
            report
                .notes
                .push(format!("inline {generated_name} -> {name}"));
            report.changes += 1;
            hoisted.push((name, inline));
        }
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (name, schema) in hoisted {
            schemas.insert(name, schema);
        }
    }
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
        let (report, _) = apply(&mut doc);
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

    #[test]
    fn renames_what_would_not_generate() {
        let mut doc = json!({
            "paths": {
                "/things/{type}/{Type}": {
                    "parameters": [
                        {"name": "type", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "Type", "in": "path", "required": true, "schema": {"type": "string"}}
                    ],
                    "get": {"operationId": "get-thing", "parameters": [
                        {"name": "a-b", "in": "query", "schema": {"type": "string"}},
                        {"name": "a_b", "in": "query", "schema": {"type": "string"}},
                        {"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["x y", "x-y", "x_y"]}}
                    ], "responses": {}},
                    "put": {"operationId": "getThing", "responses": {}}
                },
                "/new": {"post": {"operationId": "new", "responses": {}}}
            },
            "components": {"schemas": {
                "type": {"type": "object", "properties": {"t": {"$ref": "#/components/schemas/Type"}}},
                "Type": {"type": "string", "enum": ["self", "Self", ""]}
            }}
        });
        let (report, renames) = apply(&mut doc);
        let paths = doc["paths"].as_object().unwrap();
        assert!(paths.contains_key("/things/{type}/{type2}"), "{paths:?}");
        let item = &paths["/things/{type}/{type2}"];
        assert_eq!(item["get"]["parameters"][3]["name"], "type");
        assert_eq!(item["get"]["parameters"][4]["name"], "type2");
        assert_eq!(item["put"]["operationId"], "getThing2");
        assert_eq!(paths["/new"]["post"]["operationId"], "new2");
        assert_eq!(
            renames,
            vec![ParamRename {
                method: "get_thing".into(),
                placeholder: "a_b2".into(),
                wire: "a_b".into()
            }]
        );
        // The inline enum moved to a component, the colliding schema was renamed.
        let kind_ref = item["get"]["parameters"][2]["schema"]["$ref"]
            .as_str()
            .unwrap();
        assert_eq!(kind_ref, "#/components/schemas/GetThingKind");
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        assert_eq!(
            schemas["GetThingKind"][CUSTOM_ENUM],
            json!(["x y", "x-y", "x_y"])
        );
        assert!(schemas.contains_key("Type2"), "{schemas:?}");
        assert_eq!(
            schemas["type"]["properties"]["t"]["$ref"],
            "#/components/schemas/Type2"
        );
        assert_eq!(schemas["Type2"][CUSTOM_ENUM], json!(["self", "Self", ""]));
        assert!(report.changes >= 6, "{report:?}");
    }
}
