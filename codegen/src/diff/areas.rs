//! API areas: which tag an operation belongs to, which areas reach a
//! component schema, the order areas are reported in, and the assignment of
//! every change to its area.

use std::collections::{BTreeSet, HashMap};

use super::operations::Operation;
use super::report::Report;
use super::walk::{Doc, Reach};
use super::{Found, Owner};

/// The area of operations without tags.
pub const UNTAGGED: &str = "untagged";

/// The area of component schemas that no operation reaches (added or
/// removed unused components).
pub const UNUSED: &str = "unused";

/// The sort key of an area: areas whose name contains `ClickStack`
/// (case-insensitively) first, then the other tags, then [`UNTAGGED`] and
/// [`UNUSED`]; alphabetically (case-insensitively) within each group.
pub(super) fn order_key(name: &str) -> (u8, String, String) {
    let lower = name.to_lowercase();
    let group = if name == UNTAGGED || name == UNUSED {
        2
    } else if lower.contains("clickstack") {
        0
    } else {
        1
    };
    (group, lower, name.to_string())
}

/// For each component schema of one document, the areas whose operations
/// reach it (directly or through other components).
#[derive(Debug, Default)]
pub(super) struct ComponentAreas {
    /// Component name to the areas reaching it.
    areas: HashMap<String, BTreeSet<String>>,
}

impl ComponentAreas {
    /// Walks the references of every operation of `doc` (parameters of the
    /// path item included).
    pub(super) fn new<'a>(doc: Doc<'a>, operations: &[(String, Operation<'a>)]) -> Self {
        let mut reach = Reach::new(doc);
        let mut areas: HashMap<String, BTreeSet<String>> = HashMap::new();
        for (_, op) in operations {
            let area = op.area();
            let path_params = op.item.get("parameters");
            for name in reach.components(op.op.values().chain(path_params)) {
                areas.entry(name).or_default().insert(area.to_string());
            }
        }
        ComponentAreas { areas }
    }

    /// Whether some operation reaches the component `name`.
    pub(super) fn used(&self, name: &str) -> bool {
        self.areas.contains_key(name)
    }

    /// The areas reaching the component `name`.
    fn of(&self, name: &str) -> impl Iterator<Item = &str> {
        self.areas
            .get(name)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }
}

/// Assigns every change to its area and builds the report. A change at an
/// operation belongs to the operation's area; a change inside a component
/// schema belongs to every area whose operations reach the component in the
/// new document (in the old one when no new operation reaches it, as for a
/// removed component): it is reported under the first in report order and
/// lists the others.
pub(super) fn assign(found: Vec<Found>, old: &ComponentAreas, new: &ComponentAreas) -> Report {
    let changes = found
        .into_iter()
        .map(|Found { mut change, owner }| {
            let mut areas: Vec<&str> = match &owner {
                Owner::Area(area) => vec![area.as_str()],
                Owner::Component(name) if new.used(name) => new.of(name).collect(),
                Owner::Component(name) => old.of(name).collect(),
            };
            areas.sort_by_key(|a| order_key(a));
            let mut areas = areas.into_iter().map(str::to_string);
            change.area = areas.next().unwrap_or_else(|| UNUSED.to_string());
            change.also_affects = areas.collect();
            change
        })
        .collect();
    Report::new(changes)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{find, reference};
    use super::super::{ChangeKind, Severity, diff};
    use serde_json::{Value, json};

    /// A document whose operations are `(method, path, tags, response
    /// schema)` and whose components are `schemas`.
    fn api(ops: &[(&str, &str, Value, Value)], schemas: Value) -> Value {
        let mut paths = serde_json::Map::new();
        for (method, path, tags, schema) in ops {
            let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
            entry[*method] = json!({
                "operationId": format!("{method}{}", path.replace('/', "_")),
                "tags": tags,
                "responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": schema}}}}
            });
            if tags.is_null() {
                entry[*method].as_object_mut().unwrap().shift_remove("tags");
            }
        }
        json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
               "paths": paths, "components": {"schemas": schemas}})
    }

    #[test]
    fn changes_are_grouped_by_first_tag_and_shared_components_reported_once() {
        let schemas = |extra: bool| {
            let mut leaf = json!({"type": "object", "properties": {"a": {"type": "string"}},
                                  "required": ["a"]});
            if extra {
                leaf["properties"]["b"] = json!({"type": "string"});
            }
            json!({
                "Leaf": leaf,
                "Alert": {"type": "object", "properties": {"leaf": reference("Leaf")}},
                "Dashboard": {"type": "object", "properties": {
                    "alert": reference("Alert"), "n": {"type": if extra {"string"} else {"integer"}}}}
            })
        };
        let old = api(
            &[
                (
                    "get",
                    "/alerts",
                    json!(["Alerts", "Other"]),
                    reference("Alert"),
                ),
                (
                    "get",
                    "/dashboards",
                    json!(["Dashboards"]),
                    reference("Dashboard"),
                ),
                ("get", "/cs", json!(["ClickStack"]), reference("Leaf")),
                ("get", "/plain", Value::Null, json!({"type": "object"})),
                (
                    "get",
                    "/gone",
                    json!(["Dashboards"]),
                    json!({"type": "object"}),
                ),
            ],
            schemas(false),
        );
        let new = api(
            &[
                ("get", "/alerts", json!(["Alerts"]), reference("Alert")),
                (
                    "get",
                    "/dashboards",
                    json!(["Dashboards"]),
                    reference("Dashboard"),
                ),
                ("get", "/cs", json!(["ClickStack"]), reference("Leaf")),
                (
                    "get",
                    "/plain",
                    Value::Null,
                    json!({"type": "object", "properties": {
                    "x": {"type": "string"}}}),
                ),
                ("get", "/new", Value::Null, json!({"type": "object"})),
                (
                    "post",
                    "/alerts",
                    json!(["Alerts"]),
                    json!({"type": "object"}),
                ),
            ],
            schemas(true),
        );
        let report = diff(&old, &new).unwrap();
        let text = report.to_text();
        // Leaf is reached by all three tagged areas: reported once, under
        // ClickStack, listing the others.
        let leaf = find(&report, ChangeKind::ResponseFieldAdded, "schema Leaf.b").unwrap();
        assert_eq!(leaf.area, "ClickStack", "{text}");
        assert_eq!(leaf.also_affects, ["Alerts", "Dashboards"]);
        // Dashboard.n only matters to Dashboards.
        let n = find(&report, ChangeKind::FieldTypeChanged, "schema Dashboard.n").unwrap();
        assert_eq!(n.area, "Dashboards");
        assert!(n.also_affects.is_empty());
        // Inline changes belong to their operation's area.
        let x = find(
            &report,
            ChangeKind::ResponseFieldAdded,
            "GET /plain response 200: x",
        )
        .unwrap();
        assert_eq!(x.area, "untagged");
        let names: Vec<_> = report.areas.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["ClickStack", "Alerts", "Dashboards", "untagged"]);
        let summary = |name: &str| {
            let a = report.area(name).unwrap();
            (
                a.breaking,
                a.compatible,
                a.operations_added,
                a.operations_removed,
            )
        };
        assert_eq!(summary("ClickStack"), (0, 1, 0, 0));
        assert_eq!(summary("Alerts"), (0, 1, 1, 0));
        assert_eq!(summary("Dashboards"), (2, 0, 0, 1));
        assert_eq!(summary("untagged"), (0, 2, 1, 0));
        assert!(
            text.starts_with(
                "== ClickStack: 0 breaking, 1 compatible (0 operations added, 0 removed)\n\
                 [compatible] response_field_added schema Leaf.b: optional field `b` added \
                 [also affects: Alerts, Dashboards]\n\
                 == Alerts: 0 breaking, 1 compatible (1 operation added, 0 removed)\n"
            ),
            "{text}"
        );
        assert!(text.contains(
            "== Dashboards: 2 breaking, 0 compatible (0 operations added, 1 removed)\n\
             [breaking] field_type_changed schema Dashboard.n: type changed from integer to string\n\
             [breaking] operation_removed GET /gone: operation `get_gone` removed\n"
        ));
        assert!(text.ends_with("2 breaking, 4 compatible\n"), "{text}");

        let json = report.to_json();
        assert_eq!(json["breaking"], 2);
        assert_eq!(json["compatible"], 4);
        assert_eq!(json["areas"][0]["name"], "ClickStack");
        assert_eq!(
            json["areas"][0]["changes"][0]["also_affects"],
            json!(["Alerts", "Dashboards"])
        );
        assert_eq!(json["areas"][2]["operations_removed"], 1);
        assert_eq!(json["areas"][3]["name"], "untagged");
        assert_eq!(json["areas"][3]["operations_added"], 1);
        assert_eq!(json["changes"].as_array().map(Vec::len), Some(6));
    }

    #[test]
    fn component_areas_come_from_the_new_document() {
        // The operation moved from tag "Legacy" to "Keys": a change in the
        // component it uses is a "Keys" change only.
        let schemas = |ty: &str| {
            json!({"Key": {"type": "object", "properties": {
            "name": {"type": ty}}}})
        };
        let old = api(
            &[("get", "/keys", json!(["Legacy"]), reference("Key"))],
            schemas("integer"),
        );
        let new = api(
            &[("get", "/keys", json!(["Keys"]), reference("Key"))],
            schemas("string"),
        );
        let report = diff(&old, &new).unwrap();
        let change = find(&report, ChangeKind::FieldTypeChanged, "schema Key.name").unwrap();
        assert_eq!(change.area, "Keys");
        assert!(change.also_affects.is_empty());
        let names: Vec<_> = report.areas.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Keys"]);
    }

    #[test]
    fn unused_components_go_to_the_unused_area() {
        let old = api(
            &[("get", "/a", json!(["A"]), reference("Used"))],
            json!({"Used": {"type": "string"}, "Old": {"type": "string"}}),
        );
        let new = api(
            &[("get", "/a", json!(["A"]), reference("Used"))],
            json!({"Used": {"type": "string"}, "Fresh": {"type": "string"}}),
        );
        let report = diff(&old, &new).unwrap();
        let removed = find(&report, ChangeKind::SchemaRemoved, "schema Old").unwrap();
        assert_eq!(removed.area, "unused");
        assert_eq!(removed.severity, Severity::Compatible);
        let added = find(&report, ChangeKind::SchemaAdded, "schema Fresh").unwrap();
        assert_eq!(added.area, "unused");
        assert_eq!(report.areas.len(), 1);
        // A removed component still used by the old operations is breaking,
        // in the area of those operations.
        let new = api(
            &[("get", "/a", json!(["A"]), json!({"type": "string"}))],
            json!({}),
        );
        let report = diff(&old, &new).unwrap();
        let removed = find(&report, ChangeKind::SchemaRemoved, "schema Used").unwrap();
        assert_eq!(
            (removed.severity, removed.area.as_str()),
            (Severity::Breaking, "A")
        );
    }
}
