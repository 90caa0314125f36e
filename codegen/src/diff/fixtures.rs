//! Helpers shared by the tests of the diff modules.

use std::path::Path;

use serde_json::{Value, json};

use super::{Change, ChangeKind, Report, diff};

/// The ClickStack path prefix of the Cloud API.
pub(super) const CS: &str = "/v1/organizations/{organizationId}/services/{serviceId}/clickstack";

/// An upstream spec from the shared spec directory, or `None` (and a note)
/// when it is not there.
pub(super) fn load(rel: &str) -> Option<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs/upstream")
        .join(rel);
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return None;
    }
    let text = std::fs::read_to_string(&path).unwrap();
    Some(serde_json::from_str(&text).unwrap())
}

/// The report between two upstream specs, if both are there.
pub(super) fn pair(old: &str, new: &str) -> Option<Report> {
    let old = load(old)?;
    let new = load(new)?;
    Some(diff(&old, &new).unwrap())
}

/// The first change of `kind` at `location`.
pub(super) fn find<'r>(report: &'r Report, kind: ChangeKind, location: &str) -> Option<&'r Change> {
    report
        .changes
        .iter()
        .find(|c| c.kind == kind && c.location == location)
}

/// A small document with one operation taking `params` and a request body
/// `req`, answering `resp`.
pub(super) fn doc(version: &str, params: Value, req: Value, resp: Value, schemas: Value) -> Value {
    json!({
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {"/things/{id}": {"post": {
            "operationId": "postThing",
            "parameters": params,
            "requestBody": {"required": true, "content": {"application/json": {"schema": req}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": resp}}}}
        }}},
        "components": {"schemas": schemas}
    })
}

/// The required path parameter `id`.
pub(super) fn id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}})
}

/// A reference to the component schema `name`.
pub(super) fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}
