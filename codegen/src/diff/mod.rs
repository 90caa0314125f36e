//! API-change report between two versions of an OpenAPI document.
//!
//! [`diff`] compares an old and a new document and lists every change a
//! **client** of the API could notice, each classified as
//! [`Severity::Breaking`] or [`Severity::Compatible`], and groups them by
//! API area ([`Report::areas`]).
//!
//! | module | concern |
//! |---|---|
//! | `walk` | the one schema walker: `$ref` resolution, `allOf` merging, reachability, bounded recursion |
//! | `operations` | operations, parameters, request bodies, success responses |
//! | `schemas` | structural schema comparison: properties, `required`, types, nullability, items; component schemas added/removed |
//! | `unions` | enum values and `oneOf`/`anyOf` variants |
//! | `areas` | API areas: tags, components reached per area, report order |
//! | `report` | [`Report`], [`Change`], [`Severity`], [`ChangeKind`], text and JSON |
//!
//! # How documents are compared
//!
//! - Both documents are first down-converted to OpenAPI 3.0 (on clones) with
//!   [`crate::normalize::downconvert::apply`], so a switch from 3.0 to 3.1
//!   (`nullable: true` becoming `type: [T, "null"]`, `const`, ...) is not a
//!   change by itself.
//! - Operations are keyed by method and path; path parameter names do not
//!   matter (`/a/{id}` and `/a/{alertId}` are the same operation), and path
//!   parameters are matched by position.
//! - Other parameters are matched by `name` and `in`. Operation parameters
//!   override path-item parameters; `$ref`s are followed.
//! - Request bodies and the `2xx` responses are compared through their JSON
//!   media type (`application/json` or any `*json*` type). Error responses
//!   are not compared: normalization unifies them into one shared error type
//!   for the generated clients anyway.
//! - Schemas are compared structurally: `$ref`s are resolved (a component
//!   renamed but unchanged is no change), `allOf` members are merged
//!   (properties and `required`), `properties`, `items` and
//!   `additionalProperties` are walked, and `oneOf`/`anyOf` members are paired
//!   by component name when every member is a `$ref`, else by index. A
//!   one-member `oneOf`/`anyOf` is that member (the 3.0 nullable reference
//!   idiom `oneOf: [{$ref}], nullable: true`). Recursion is bounded by a set
//!   of already compared component pairs and a depth limit.
//! - A change inside a named component is reported once, at
//!   `schema Name.field.sub[]`, however many operations use it; a change in
//!   an inline schema is reported at the operation, for example
//!   `GET /api/v2/alerts response 200: data[].threshold`. A change of a value
//!   that is a different component on each side (or a component on one side
//!   only) is reported where the value stands, not at the component. When
//!   the same change is found with two severities (a component used both in
//!   requests and responses), the breaking one is kept.
//!
//! # Classification rules (from a client generated from the old document)
//!
//! The generated clients are lenient readers: every string enum is open
//! (`Unknown(String)`, single-value enums and enums that already have an
//! `UNKNOWN`-like value included), every `oneOf`/`anyOf` union is open
//! (`Unknown(serde_json::Value)`), objects ignore unknown fields, and
//! response objects that are not union variants tolerate missing fields.
//! The rules judge what such a client does.
//!
//! | Change | Severity |
//! |---|---|
//! | operation removed | breaking (calls fail) |
//! | operation added | compatible |
//! | required parameter added | breaking (old calls lack it) |
//! | optional parameter added | compatible |
//! | parameter removed | breaking (the client still sends it; the server may reject or ignore it) |
//! | parameter optional -> required | breaking |
//! | request field added, required (or request body added, required) | breaking |
//! | request field added, optional | compatible |
//! | request field removed | breaking (same reasoning as a removed parameter) |
//! | request field optional -> required (or body now required) | breaking |
//! | response field added | compatible (unknown fields are ignored) |
//! | response field removed, or required -> optional (reported as a type change: `T` becomes `Option<T>`) | compatible if it was optional, or if the object is not a union variant (noted: old clients tolerate missing fields there); breaking for a required field of a union variant (variant selection needs it) |
//! | response field becomes nullable / request field stops accepting null | breaking (type change) |
//! | the opposite nullability changes | not reported (they only widen what is accepted) |
//! | type changed, format changed | breaking |
//! | object becomes a `oneOf`/`anyOf` union, in a **response** | compatible, noted "old clients see the new variants through the old struct"; each new variant is then compared with the old object, and what the old struct cannot read (a field of another type, ...) is reported, breaking, at `Name<variant V>.field` |
//! | object becomes a union, in a **request**; any other value becomes a union; a union becomes a non-union | breaking |
//! | enum value added | compatible everywhere (enums are open), single-value enums gaining values included |
//! | enum value removed | breaking in a request, compatible in a response |
//! | free-form request value becomes an enum | breaking (type change); other enum appearances/removals are not reported |
//! | `oneOf`/`anyOf` variant added | compatible (unions are open) |
//! | `oneOf`/`anyOf` variant removed | breaking in a request, compatible in a response (type change kind) |
//! | a `2xx` response status removed | breaking (type change kind, at the operation) |
//! | component schema added | compatible |
//! | component schema removed | breaking if operations of the old document referenced it (directly or through other schemas), else compatible |
//!
//! `readOnly` properties are ignored in requests and `writeOnly` ones in
//! responses. Union variants are what the generated clients keep strict
//! (the `required` normalization step): in the old document, every
//! component that stands in a `oneOf`/`anyOf` member reached from a success
//! response, following `$ref`s and `allOf` merges but not properties or
//! items (so a base merged into a variant is a variant too); an inline
//! schema is one when it is a member of the union being compared.
//!
//! # Areas
//!
//! An area is the first OpenAPI tag of an operation ([`UNTAGGED`] for
//! operations without tags). A change at an operation belongs to its area
//! (the new operation's, or the old one's when it was removed). A change
//! inside a named component schema belongs to every area whose operations
//! reach the component, directly or through other components, in the new
//! document (in the old one when no new operation reaches it, for example a
//! removed component): it is reported once, under the first of them in
//! report order, and lists the others in [`Change::also_affects`].
//! Components reached by no operation (added or removed unused schemas) go
//! to [`UNUSED`].
//!
//! Areas are ordered with those whose name contains `ClickStack`
//! (case-insensitively) first, then the other tags alphabetically, then
//! [`UNTAGGED`] and [`UNUSED`]. [`Report::to_text`] starts each area with a
//! summary line such as
//! `== ClickStack: 31 breaking, 64 compatible (2 operations added, 0 removed)`
//! followed by its changes, breaking first; [`Report::to_json`] has an
//! `areas` list next to the flat totals and changes.

mod areas;
mod operations;
mod report;
mod schemas;
mod unions;
mod walk;

#[cfg(test)]
mod fixtures;

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::Result;
use crate::normalize::downconvert;

pub use areas::{UNTAGGED, UNUSED};
pub use report::{Area, Change, ChangeKind, Report, Severity};

use areas::ComponentAreas;
use walk::Doc;

/// Compares two OpenAPI documents (3.0 or 3.1) and reports the changes a
/// client of the `old` API could notice in the `new` one, grouped by API
/// area. See the module documentation for the rules.
pub fn diff(old: &Value, new: &Value) -> Result<Report> {
    let mut old = old.clone();
    let mut new = new.clone();
    downconvert::apply(&mut old)?;
    downconvert::apply(&mut new)?;
    let (old, new) = (Doc::new(&old), Doc::new(&new));
    let old_ops = operations::list(old);
    let new_ops = operations::list(new);
    let old_areas = ComponentAreas::new(old, &old_ops);
    let new_areas = ComponentAreas::new(new, &new_ops);
    let old_variants = old.variant_components(operations::success_schemas(old, &old_ops));
    let mut differ = Differ::new(old, new, old_variants);
    differ.operations(&old_ops, &new_ops);
    differ.component_schemas(&old_areas);
    Ok(areas::assign(differ.found, &old_areas, &new_areas))
}

/// Which way a schema travels, which decides how changes are classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Direction {
    /// Sent by the client: it must still be accepted.
    Request,
    /// Read by the client: it must still decode.
    Response,
}

/// How a schema is being compared.
#[derive(Debug, Clone, Copy)]
struct Ctx {
    /// Which way the schema travels.
    dir: Direction,
    /// Nesting depth, bounded by [`walk::MAX_DEPTH`].
    depth: usize,
    /// Whether the (inline) schema stands as a member of a union. Named
    /// components are variants when the old document uses them as one.
    variant: bool,
}

impl Ctx {
    /// The top of a request or response schema.
    fn top(dir: Direction) -> Ctx {
        Ctx {
            dir,
            depth: 0,
            variant: false,
        }
    }

    /// A value nested in the current one (a property, items, ...).
    fn nested(self) -> Ctx {
        Ctx {
            depth: self.depth + 1,
            variant: false,
            ..self
        }
    }

    /// A member of the current union.
    fn member(self) -> Ctx {
        Ctx {
            depth: self.depth + 1,
            variant: true,
            ..self
        }
    }
}

/// Where a change stands: in a named component, or inline in an operation.
#[derive(Debug, Clone)]
struct Loc {
    /// `schema Name` or an operation context such as `GET /x response 200`.
    base: String,
    /// The component `base` names (fields are then joined with `.`).
    component: Option<String>,
    /// Field path below `base`: `.a.b[]`.
    path: String,
}

impl Loc {
    /// An operation, or a place inline in it.
    fn inline(context: String) -> Loc {
        Loc {
            base: context,
            component: None,
            path: String::new(),
        }
    }

    /// A named component schema.
    fn schema(name: &str) -> Loc {
        Loc {
            base: format!("schema {name}"),
            component: Some(name.to_string()),
            path: String::new(),
        }
    }

    /// `segment` appended to the path.
    fn child(&self, segment: &str) -> Loc {
        Loc {
            path: format!("{}{segment}", self.path),
            ..self.clone()
        }
    }

    /// The property `name`.
    fn field(&self, name: &str) -> Loc {
        self.child(&format!(".{name}"))
    }

    /// `schema Name.a.b`, `GET /x response 200: a.b` or `GET /x`.
    fn render(&self) -> String {
        if self.component.is_some() || self.path.is_empty() {
            format!("{}{}", self.base, self.path)
        } else {
            format!("{}: {}", self.base, self.path.trim_start_matches('.'))
        }
    }
}

/// What a change belongs to, for area assignment.
#[derive(Debug, Clone)]
enum Owner {
    /// The area of the operation it was found at.
    Area(String),
    /// A named component schema.
    Component(String),
}

/// A change before area assignment.
#[derive(Debug, Clone)]
struct Found {
    /// The change (its `area` and `also_affects` not yet set).
    change: Change,
    /// What decides its area.
    owner: Owner,
}

/// The comparison state.
struct Differ<'a> {
    /// The old document (down-converted).
    old: Doc<'a>,
    /// The new document (down-converted).
    new: Doc<'a>,
    /// The changes found so far, in discovery order.
    found: Vec<Found>,
    /// Position of each reported change, to deduplicate.
    index: HashMap<(ChangeKind, String, String), usize>,
    /// Component pairs already compared, per direction and quietness.
    compared: HashSet<(String, String, Direction, bool)>,
    /// Components the old client reads as (part of) a union variant.
    old_variants: HashSet<String>,
    /// The area of the operation being compared.
    area: String,
    /// While set, compatible findings are dropped: new union variants are
    /// being compared with the old struct only to find what it cannot read.
    quiet: bool,
}

impl<'a> Differ<'a> {
    /// A comparison of `old` with `new`, nothing found yet; `old_variants`
    /// are the union variants of the old document's responses.
    fn new(old: Doc<'a>, new: Doc<'a>, old_variants: HashSet<String>) -> Self {
        Differ {
            old,
            new,
            found: Vec::new(),
            index: HashMap::new(),
            compared: HashSet::new(),
            old_variants,
            area: UNTAGGED.to_string(),
            quiet: false,
        }
    }

    /// Records a change at `at`.
    fn push(&mut self, kind: ChangeKind, severity: Severity, at: &Loc, detail: String) {
        self.record(kind, severity, at, detail, None);
    }

    /// Records a change at `at` with a note saying why it is (in)compatible.
    fn push_note(
        &mut self,
        kind: ChangeKind,
        severity: Severity,
        at: &Loc,
        detail: String,
        note: &str,
    ) {
        self.record(kind, severity, at, detail, Some(note.to_string()));
    }

    /// Records a change once: the same kind, location and detail found
    /// again keeps the more severe classification (and its note).
    fn record(
        &mut self,
        kind: ChangeKind,
        severity: Severity,
        at: &Loc,
        detail: String,
        note: Option<String>,
    ) {
        if self.quiet && severity == Severity::Compatible {
            return;
        }
        let key = (kind, at.render(), detail);
        if let Some(&i) = self.index.get(&key) {
            if let Some(existing) = self.found.get_mut(i)
                && severity < existing.change.severity
            {
                existing.change.severity = severity;
                existing.change.note = note;
            }
            return;
        }
        let owner = match &at.component {
            Some(name) => Owner::Component(name.clone()),
            None => Owner::Area(self.area.clone()),
        };
        let (kind, location, detail) = key.clone();
        self.index.insert(key, self.found.len());
        self.found.push(Found {
            change: Change {
                kind,
                severity,
                location,
                detail,
                note,
                area: String::new(),
                also_affects: Vec::new(),
            },
            owner,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{CS, doc, find, id_param, load, pair};
    use super::*;
    use serde_json::json;

    #[test]
    fn identical_documents_have_no_changes() {
        let d = doc(
            "3.0.3",
            json!([id_param()]),
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            json!({"$ref": "#/components/schemas/Thing"}),
            json!({"Thing": {"properties": {"a": {"type": "string"}}}}),
        );
        let report = diff(&d, &d).unwrap();
        assert!(report.changes.is_empty(), "{}", report.to_text());
        assert_eq!(report.to_text(), "0 breaking, 0 compatible\n");
    }

    #[test]
    fn openapi_31_rewrite_alone_is_no_change() {
        let old = doc(
            "3.0.1",
            json!([id_param()]),
            json!({"type": "object", "properties": {"note": {"type": "string", "nullable": true}}}),
            json!({"$ref": "#/components/schemas/Thing"}),
            json!({
                "Thing": {"properties": {
                    "name": {"type": "string", "nullable": true},
                    "count": {"type": "integer", "nullable": true},
                    "kind": {"type": "string", "enum": ["a"]},
                    "other": {"allOf": [{"$ref": "#/components/schemas/Other"}], "nullable": true},
                    "silenced": {"oneOf": [{"$ref": "#/components/schemas/Other"}], "nullable": true}
                }, "required": ["name"]},
                "Other": {"type": "object", "properties": {"x": {"type": "number"}}}
            }),
        );
        let new = doc(
            "3.1.2",
            json!([id_param()]),
            json!({"type": "object", "properties": {"note": {"type": ["string", "null"]}}}),
            json!({"$ref": "#/components/schemas/Thing"}),
            json!({
                "Thing": {"properties": {
                    "name": {"type": ["string", "null"]},
                    "count": {"type": ["integer", "null"]},
                    "kind": {"type": "string", "const": "a"},
                    "other": {"oneOf": [{"$ref": "#/components/schemas/Other"}, {"type": "null"}]},
                    "silenced": {"anyOf": [{"$ref": "#/components/schemas/Other"}, {"type": "null"}]}
                }, "required": ["name"]},
                "Other": {"type": "object", "properties": {"x": {"type": "number"}}}
            }),
        );
        let report = diff(&old, &new).unwrap();
        assert!(report.changes.is_empty(), "{}", report.to_text());
        // The inputs are not modified.
        assert_eq!(new["openapi"], "3.1.2");
    }

    #[test]
    fn cloud_31_switch_is_not_a_change() {
        let Some(report) = pair(
            "cloud/clickhouse-cloud-2026-02-27.json",
            "cloud/clickhouse-cloud-2026-04-12.json",
        ) else {
            return;
        };
        eprintln!("{}", report.to_text());
        assert!(
            report
                .changes
                .iter()
                .all(|c| !c.location.contains("openapi") && !c.detail.contains("3.1")),
            "{}",
            report.to_text()
        );
        let webhooks = find(
            &report,
            ChangeKind::OperationAdded,
            &format!("GET {CS}/webhooks"),
        )
        .unwrap();
        assert_eq!(webhooks.severity, Severity::Compatible);
        assert_eq!(webhooks.area, "ClickStack");
        // The same document in both versions compares equal.
        let d = load("cloud/clickhouse-cloud-2026-04-12.json").unwrap();
        assert!(diff(&d, &d).unwrap().changes.is_empty());
    }

    #[test]
    fn cloud_clickstack_appears() {
        let Some(report) = pair(
            "cloud/clickhouse-cloud-2026-01-16.json",
            "cloud/clickhouse-cloud-2026-02-27.json",
        ) else {
            return;
        };
        let change = find(
            &report,
            ChangeKind::OperationAdded,
            &format!("GET {CS}/dashboards"),
        )
        .unwrap();
        assert_eq!(change.severity, Severity::Compatible);
        assert_eq!(change.detail, "operation `clickStackListDashboards` added");
        let added = report
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::OperationAdded && c.location.contains("/clickstack/"))
            .count();
        assert_eq!(added, 11);
        // The ClickStack area comes first and counts them.
        assert_eq!(report.areas[0].name, "ClickStack");
        assert_eq!(report.areas[0].operations_added, 11);
    }

    #[test]
    fn cloud_reversed_reports_removed_operations() {
        let Some(report) = pair(
            "cloud/clickhouse-cloud-2026-07-31.json",
            "cloud/clickhouse-cloud-2026-07-16.json",
        ) else {
            return;
        };
        for loc in [
            format!("POST {CS}/sources"),
            format!("GET {CS}/sources/{{clickStackSourceId}}"),
            format!("POST {CS}/dashboards/validate"),
            format!("DELETE {CS}/roles/{{clickStackRoleId}}"),
        ] {
            let change = find(&report, ChangeKind::OperationRemoved, &loc)
                .unwrap_or_else(|| panic!("{loc} not removed"));
            assert_eq!(change.severity, Severity::Breaking);
        }
        let removed = report
            .changes
            .iter()
            .filter(|c| {
                c.kind == ChangeKind::OperationRemoved && c.location.contains("/clickstack/")
            })
            .count();
        assert_eq!(removed, 18);
        assert_eq!(
            report.area("ClickStack").map(|a| a.operations_removed),
            Some(18)
        );
    }

    #[test]
    fn cloud_forward_summary() {
        let Some(report) = pair(
            "cloud/clickhouse-cloud-2026-07-16.json",
            "cloud/clickhouse-cloud-2026-07-31.json",
        ) else {
            return;
        };
        eprintln!("{}", report.to_text());
        let clickstack_added = report
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::OperationAdded && c.location.contains("/clickstack/"))
            .count();
        assert_eq!(clickstack_added, 18);
        assert!(
            report
                .changes
                .iter()
                .all(|c| c.kind != ChangeKind::OperationRemoved)
        );
    }

    #[test]
    fn cloud_latest_pair_groups_clickstack_first() {
        let Some(report) = pair(
            "cloud/clickhouse-cloud-2026-07-31.json",
            "cloud/clickhouse-cloud-2026-11-30.json",
        ) else {
            return;
        };
        let text = report.to_text();
        assert!(text.starts_with("== ClickStack: "), "{text}");
        let names: Vec<_> = report.areas.iter().map(|a| a.name.as_str()).collect();
        let mut rest = names[1..].to_vec();
        rest.sort_by_key(|n| n.to_lowercase());
        assert_eq!(names[1..], rest[..]);
        // Per-area counts add up to the totals.
        let sum: usize = report.areas.iter().map(|a| a.breaking).sum();
        assert_eq!(sum, report.breaking().count());
        let sum: usize = report.areas.iter().map(|a| a.compatible).sum();
        assert_eq!(sum, report.compatible().count());
        // A response object that became a union is compatible, with a note;
        // one that is also sent in requests is breaking.
        let registry = find(
            &report,
            ChangeKind::FieldTypeChanged,
            "schema ClickPipeKafkaSchemaRegistry",
        )
        .unwrap();
        assert_eq!(registry.severity, Severity::Compatible, "{text}");
        assert_eq!(registry.detail, "changed from object to a union");
        assert_eq!(
            registry.note.as_deref(),
            Some("old clients see the new variants through the old struct")
        );
        assert_eq!(registry.area, "ClickPipes");
        let filter = find(
            &report,
            ChangeKind::FieldTypeChanged,
            "schema ClickStackFilter",
        )
        .unwrap();
        assert_eq!(filter.severity, Severity::Breaking, "{text}");
        assert_eq!(filter.note, None);
        assert_eq!(filter.area, "ClickStack");
        // Enum values added are never breaking.
        assert!(
            report
                .changes
                .iter()
                .filter(|c| c.kind == ChangeKind::EnumValueAdded)
                .all(|c| c.severity == Severity::Compatible)
        );
    }

    #[test]
    fn oss_sources_added() {
        let Some(report) = pair(
            "oss/hyperdx-e3643ccfc-2025-11-21.json",
            "oss/hyperdx-dc29d57f3-2026-08-21.json",
        ) else {
            return;
        };
        eprintln!("{}", report.to_text());
        let change = find(&report, ChangeKind::OperationAdded, "GET /api/v2/sources").unwrap();
        assert_eq!(change.severity, Severity::Compatible);
        assert_eq!(change.detail, "operation `listSources` added");
        assert_eq!(change.area, "Sources");
        let added = report
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::OperationAdded)
            .count();
        assert_eq!(added, 38 - 11);
    }
}
