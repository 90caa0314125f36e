//! Operations and their parameters, request bodies and success responses.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::areas::UNTAGGED;
use super::schemas::optionality;
use super::walk::Doc;
use super::{ChangeKind, Ctx, Differ, Direction, Loc, Severity};
use crate::normalize::errors::is_error_status;
use crate::schema_walk::METHODS;

/// One operation of a document.
#[derive(Debug, Clone, Copy)]
pub(super) struct Operation<'a> {
    /// Lowercase HTTP method.
    pub(super) method: &'static str,
    /// The path template, as written.
    pub(super) path: &'a str,
    /// The path item holding the operation (`$ref` resolved).
    pub(super) item: &'a Map<String, Value>,
    /// The operation object.
    pub(super) op: &'a Map<String, Value>,
}

impl<'a> Operation<'a> {
    /// `GET /path`.
    pub(super) fn location(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    /// ``operation `id` `` or `operation`.
    fn describe(&self) -> String {
        match self.op.get("operationId").and_then(Value::as_str) {
            Some(id) => format!("operation `{id}`"),
            None => "operation".to_string(),
        }
    }

    /// The API area: the first tag, or [`UNTAGGED`].
    pub(super) fn area(&self) -> &'a str {
        self.op
            .get("tags")
            .and_then(Value::as_array)
            .and_then(|tags| tags.first())
            .and_then(Value::as_str)
            .unwrap_or(UNTAGGED)
    }
}

/// The operations of `doc`, keyed by `METHOD /path` with path parameter
/// names erased.
pub(super) fn list(doc: Doc<'_>) -> Vec<(String, Operation<'_>)> {
    let mut out = Vec::new();
    let Some(Value::Object(paths)) = doc.root().get("paths") else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = doc.resolve(item).as_object() else {
            continue;
        };
        for method in METHODS {
            let Some(Value::Object(op)) = item.get(method) else {
                continue;
            };
            let key = format!("{} {}", method.to_uppercase(), erase_params(path));
            out.push((
                key,
                Operation {
                    method,
                    path,
                    item,
                    op,
                },
            ));
        }
    }
    out
}

/// The schemas of every success (not `4xx`, `5xx` or `default`) response
/// of `operations`, in every media type.
pub(super) fn success_schemas<'a>(
    doc: Doc<'a>,
    operations: &[(String, Operation<'a>)],
) -> Vec<&'a Value> {
    let mut out = Vec::new();
    for (_, op) in operations {
        let Some(Value::Object(responses)) = op.op.get("responses") else {
            continue;
        };
        for (code, response) in responses {
            if is_error_status(code) {
                continue;
            }
            if let Some(Value::Object(content)) = doc.resolve(response).get("content") {
                out.extend(content.values().filter_map(|media| media.get("schema")));
            }
        }
    }
    out
}

/// `/a/{id}/b` becomes `/a/{}/b`.
fn erase_params(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push('{');
            }
            '}' => {
                inside = false;
                out.push('}');
            }
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// One parameter of an operation, after `$ref` resolution.
struct Param<'a> {
    /// Match key: `in` plus name, or plus position for path parameters.
    key: String,
    /// `name`.
    name: &'a str,
    /// `in`: `path`, `query`, `header` or `cookie`.
    location: &'a str,
    /// Whether it is required (path parameters always are).
    required: bool,
    /// `schema`, or the schema of its first `content` media type.
    schema: Option<&'a Value>,
}

/// The parameters of an operation: path-item ones overridden by the
/// operation's own (same name and `in`).
fn parameters<'a>(doc: Doc<'a>, op: &Operation<'a>) -> Vec<Param<'a>> {
    let placeholders: Vec<&str> = op
        .path
        .split('{')
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .collect();
    let mut out: Vec<Param<'a>> = Vec::new();
    for list in [op.item.get("parameters"), op.op.get("parameters")] {
        let Some(Value::Array(list)) = list else {
            continue;
        };
        for p in list {
            let p = doc.resolve(p);
            let (Some(name), Some(location)) = (
                p.get("name").and_then(Value::as_str),
                p.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let key = match placeholders.iter().position(|&n| n == name) {
                Some(i) if location == "path" => format!("path #{i}"),
                _ => format!("{location} {name}"),
            };
            let param = Param {
                required: location == "path"
                    || p.get("required").and_then(Value::as_bool) == Some(true),
                schema: p.get("schema").or_else(|| {
                    p.get("content")
                        .and_then(Value::as_object)
                        .and_then(|c| c.values().next())
                        .and_then(|m| m.get("schema"))
                }),
                key,
                name,
                location,
            };
            match out.iter_mut().find(|q| q.key == param.key) {
                Some(existing) => *existing = param,
                None => out.push(param),
            }
        }
    }
    out
}

/// The JSON schema of a request body or response: its `application/json`
/// media type, or else the first `*json*` one.
fn json_body(holder: &Value) -> Option<&Value> {
    let content = holder.get("content")?.as_object()?;
    content
        .get("application/json")
        .or_else(|| {
            content
                .iter()
                .find(|(k, _)| k.contains("json"))
                .map(|(_, v)| v)
        })?
        .get("schema")
}

impl<'a> Differ<'a> {
    /// Compares the operations of both documents: removed ones first (in
    /// old document order, with the common ones compared in place), then
    /// added ones.
    pub(super) fn operations(
        &mut self,
        old_ops: &[(String, Operation<'a>)],
        new_ops: &[(String, Operation<'a>)],
    ) {
        let new_keys: HashMap<&str, &Operation<'a>> =
            new_ops.iter().map(|(k, op)| (k.as_str(), op)).collect();
        let old_keys: HashSet<&str> = old_ops.iter().map(|(k, _)| k.as_str()).collect();
        for (key, old_op) in old_ops {
            match new_keys.get(key.as_str()) {
                Some(new_op) => {
                    self.area = new_op.area().to_string();
                    self.operation(old_op, new_op);
                }
                None => {
                    self.area = old_op.area().to_string();
                    self.push(
                        ChangeKind::OperationRemoved,
                        Severity::Breaking,
                        &Loc::inline(old_op.location()),
                        format!("{} removed", old_op.describe()),
                    );
                }
            }
        }
        for (key, new_op) in new_ops {
            if !old_keys.contains(key.as_str()) {
                self.area = new_op.area().to_string();
                self.push(
                    ChangeKind::OperationAdded,
                    Severity::Compatible,
                    &Loc::inline(new_op.location()),
                    format!("{} added", new_op.describe()),
                );
            }
        }
    }

    /// Compares an operation present in both documents.
    fn operation(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        let at = Loc::inline(new.location());
        self.parameters(old, new, &at);
        self.request_body(old, new, &at);
        self.responses(old, new, &at);
    }

    /// Parameters removed, added, made required, or whose schema changed.
    fn parameters(&mut self, old: &Operation<'a>, new: &Operation<'a>, at: &Loc) {
        let old_params = parameters(self.old, old);
        let new_params = parameters(self.new, new);
        for op in &old_params {
            let Some(np) = new_params.iter().find(|p| p.key == op.key) else {
                self.push(
                    ChangeKind::ParameterRemoved,
                    Severity::Breaking,
                    at,
                    format!("{} parameter `{}` removed", op.location, op.name),
                );
                continue;
            };
            if !op.required && np.required {
                self.push(
                    ChangeKind::ParameterNowRequired,
                    Severity::Breaking,
                    at,
                    format!("{} parameter `{}` is now required", np.location, np.name),
                );
            }
            if let (Some(os), Some(ns)) = (op.schema, np.schema) {
                let loc = Loc::inline(format!("{} {} parameter {}", at.base, np.location, np.name));
                self.compare(os, ns, &loc, Ctx::top(Direction::Request));
            }
        }
        for np in &new_params {
            if old_params.iter().any(|p| p.key == np.key) {
                continue;
            }
            let severity = if np.required {
                Severity::Breaking
            } else {
                Severity::Compatible
            };
            self.push(
                ChangeKind::ParameterAdded,
                severity,
                at,
                format!(
                    "{} {} parameter `{}` added",
                    optionality(np.required),
                    np.location,
                    np.name
                ),
            );
        }
    }

    /// The request body: removed, added, made required, or its schema.
    fn request_body(&mut self, old: &Operation<'a>, new: &Operation<'a>, at: &Loc) {
        let old_body = old.op.get("requestBody").map(|b| self.old.resolve(b));
        let new_body = new.op.get("requestBody").map(|b| self.new.resolve(b));
        let required = |b: &Value| b.get("required").and_then(Value::as_bool) == Some(true);
        match (old_body, new_body) {
            (None, None) => {}
            (Some(_), None) => self.push(
                ChangeKind::RequestFieldRemoved,
                Severity::Breaking,
                at,
                "request body removed".into(),
            ),
            (None, Some(nb)) => {
                let severity = if required(nb) {
                    Severity::Breaking
                } else {
                    Severity::Compatible
                };
                self.push(
                    ChangeKind::RequestFieldAdded,
                    severity,
                    at,
                    format!("{} request body added", optionality(required(nb))),
                );
            }
            (Some(ob), Some(nb)) => {
                if !required(ob) && required(nb) {
                    self.push(
                        ChangeKind::RequestFieldNowRequired,
                        Severity::Breaking,
                        at,
                        "request body is now required".into(),
                    );
                }
                if let (Some(os), Some(ns)) = (json_body(ob), json_body(nb)) {
                    let loc = Loc::inline(format!("{} request body", at.base));
                    self.compare(os, ns, &loc, Ctx::top(Direction::Request));
                }
            }
        }
    }

    /// The `2xx` responses: a status removed, a JSON body removed, or its
    /// schema.
    fn responses(&mut self, old: &Operation<'a>, new: &Operation<'a>, at: &Loc) {
        let (Some(Value::Object(old_rs)), Some(Value::Object(new_rs))) =
            (old.op.get("responses"), new.op.get("responses"))
        else {
            return;
        };
        for (code, old_r) in old_rs.iter().filter(|(c, _)| c.starts_with('2')) {
            let old_r = self.old.resolve(old_r);
            let Some(new_r) = new_rs.get(code).map(|r| self.new.resolve(r)) else {
                let now = new_rs
                    .keys()
                    .filter(|c| c.starts_with('2'))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                self.push(
                    ChangeKind::FieldTypeChanged,
                    Severity::Breaking,
                    at,
                    format!("success response {code} removed (now: {now})"),
                );
                continue;
            };
            match (json_body(old_r), json_body(new_r)) {
                (Some(os), Some(ns)) => {
                    let loc = Loc::inline(format!("{} response {code}", at.base));
                    self.compare(os, ns, &loc, Ctx::top(Direction::Response));
                }
                (Some(_), None) => self.push(
                    ChangeKind::ResponseFieldRemoved,
                    Severity::Breaking,
                    at,
                    format!("response {code} no longer has a JSON body"),
                ),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{doc, id_param};
    use super::super::{ChangeKind, Severity, diff};
    use super::*;
    use serde_json::json;

    #[test]
    fn path_parameter_names_are_erased() {
        assert_eq!(erase_params("/a/{id}/b/{x}"), "/a/{}/b/{}");
        assert_eq!(erase_params("/plain"), "/plain");
    }

    #[test]
    fn area_is_the_first_tag() {
        let d = json!({"paths": {
            "/a": {"get": {"tags": ["B", "A"]}, "post": {"tags": []}},
            "/b": {"$ref": "#/components/pathItems/B"}
        }, "components": {"pathItems": {"B": {"delete": {"tags": ["Z"]}}}}});
        let ops = list(Doc::new(&d));
        let areas: Vec<_> = ops.iter().map(|(k, op)| (k.as_str(), op.area())).collect();
        assert_eq!(
            areas,
            [("GET /a", "B"), ("POST /a", "untagged"), ("DELETE /b", "Z")]
        );
    }

    #[test]
    fn json_body_prefers_application_json() {
        let holder = json!({"content": {
            "application/problem+json": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "integer"}}
        }});
        assert_eq!(json_body(&holder), Some(&json!({"type": "integer"})));
        let holder = json!({"content": {"text/plain": {"schema": {}}}});
        assert_eq!(json_body(&holder), None);
    }

    #[test]
    fn required_parameter_added_is_breaking_optional_is_compatible() {
        let old = doc(
            "3.0.0",
            json!([id_param()]),
            json!({}),
            json!({}),
            json!({}),
        );
        let new = doc(
            "3.0.0",
            json!([
                {"name": "renamed", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "mode", "in": "query", "required": true, "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer"}}
            ]),
            json!({}),
            json!({}),
            json!({}),
        );
        // The path parameter is renamed in the template too: same operation.
        let mut new = new;
        let item = new["paths"]["/things/{id}"].take();
        new["paths"] = json!({"/things/{renamed}": item});
        let report = diff(&old, &new).unwrap();
        assert_eq!(report.changes.len(), 2, "{}", report.to_text());
        let added: Vec<_> = report
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::ParameterAdded)
            .map(|c| (c.severity, c.location.as_str(), c.detail.as_str()))
            .collect();
        assert_eq!(
            added,
            vec![
                (
                    Severity::Breaking,
                    "POST /things/{renamed}",
                    "required query parameter `mode` added"
                ),
                (
                    Severity::Compatible,
                    "POST /things/{renamed}",
                    "optional query parameter `limit` added"
                ),
            ]
        );
        // And the reverse: parameters removed are breaking.
        let back = diff(&new, &old).unwrap();
        assert_eq!(back.breaking().count(), 2, "{}", back.to_text());
        assert!(
            back.changes
                .iter()
                .all(|c| c.kind == ChangeKind::ParameterRemoved)
        );
    }

    #[test]
    fn bodies_and_success_responses() {
        let old = doc(
            "3.0.0",
            json!([id_param()]),
            json!({"type": "string"}),
            json!({"type": "string"}),
            json!({}),
        );
        let mut new = old.clone();
        let op = &mut new["paths"]["/things/{id}"]["post"];
        op["responses"] = json!({"201": {"description": "created"}});
        op.as_object_mut().unwrap().shift_remove("requestBody");
        let report = diff(&old, &new).unwrap();
        let details: Vec<_> = report
            .changes
            .iter()
            .map(|c| (c.kind, c.severity, c.detail.as_str()))
            .collect();
        assert_eq!(
            details,
            [
                (
                    ChangeKind::RequestFieldRemoved,
                    Severity::Breaking,
                    "request body removed"
                ),
                (
                    ChangeKind::FieldTypeChanged,
                    Severity::Breaking,
                    "success response 200 removed (now: 201)"
                ),
            ]
        );
        // The other way round: a required body appears.
        let back = diff(&new, &old).unwrap();
        let added = &back.changes[0];
        assert_eq!(added.kind, ChangeKind::RequestFieldAdded);
        assert_eq!(added.severity, Severity::Breaking);
        assert_eq!(added.detail, "required request body added");
    }
}
