//! Enum values and `oneOf`/`anyOf` variants. The generated clients keep
//! every string enum and every union open (`Unknown(..)`), so values and
//! variants may be added freely; only what an old client can no longer send
//! or read is breaking.

use serde_json::Value;

use super::schemas::type_name;
use super::walk::{MAX_DEPTH, View, component_name};
use super::{ChangeKind, Ctx, Differ, Direction, Loc, Severity};

/// The note on a response object that became a union.
const THROUGH_OLD_STRUCT: &str = "old clients see the new variants through the old struct";

impl<'a> Differ<'a> {
    /// Compares union shapes: union against union (variants), and a value
    /// becoming or ceasing to be a union. Returns whether the comparison of
    /// this value is complete (the rest of [`Differ::compare_views`] would
    /// compare unrelated shapes).
    pub(super) fn compare_union_shapes(
        &mut self,
        ov: &View<'a>,
        nv: &View<'a>,
        here: &Loc,
        inner: &Loc,
        ctx: Ctx,
    ) -> bool {
        match (ov.union, nv.union) {
            (Some(om), Some(nm)) => {
                self.compare_unions(om, nm, here, inner, ctx);
                false
            }
            (None, Some(nm)) if ov.is_object() && ctx.dir == Direction::Response => {
                // The old struct keeps decoding: unknown fields are ignored
                // and missing ones tolerated. Each variant is compared with
                // it below, keeping only what the old struct cannot read.
                self.push_note(
                    ChangeKind::FieldTypeChanged,
                    Severity::Compatible,
                    here,
                    "changed from object to a union".into(),
                    THROUGH_OLD_STRUCT,
                );
                if ctx.depth < MAX_DEPTH {
                    let ctx = Ctx {
                        depth: ctx.depth + 1,
                        ..ctx
                    };
                    let quiet = std::mem::replace(&mut self.quiet, true);
                    for (i, member) in nm.iter().enumerate() {
                        let label = component_name(member).unwrap_or_else(|| i.to_string());
                        let at = inner.child(&format!("<variant {label}>"));
                        let mv = self.new.view(member);
                        self.compare_views(ov, &mv, &at, &at, ctx);
                    }
                    self.quiet = quiet;
                }
                true
            }
            (None, Some(_)) if ov.ty.is_some() => {
                self.push(
                    ChangeKind::FieldTypeChanged,
                    Severity::Breaking,
                    here,
                    format!("changed from {} to a union", type_name(ov)),
                );
                true
            }
            (Some(_), None) if nv.ty.is_some() => {
                self.push(
                    ChangeKind::FieldTypeChanged,
                    Severity::Breaking,
                    here,
                    format!("changed from a union to {}", type_name(nv)),
                );
                true
            }
            _ => false,
        }
    }

    /// Compares the variants of two unions: by component name when every
    /// member is a reference, else by position.
    fn compare_unions(
        &mut self,
        old: &'a [Value],
        new: &'a [Value],
        here: &Loc,
        inner: &Loc,
        ctx: Ctx,
    ) {
        let old_names: Vec<Option<String>> = old.iter().map(component_name).collect();
        let new_names: Vec<Option<String>> = new.iter().map(component_name).collect();
        let by_name = old_names.iter().chain(&new_names).all(Option::is_some);
        let removed_severity = match ctx.dir {
            Direction::Request => Severity::Breaking,
            Direction::Response => Severity::Compatible,
        };
        if by_name {
            for (om, oname) in old.iter().zip(&old_names) {
                match new.iter().zip(&new_names).find(|(_, n)| *n == oname) {
                    Some((nm, _)) => self.compare(om, nm, inner, ctx.member()),
                    None => self.push(
                        ChangeKind::FieldTypeChanged,
                        removed_severity,
                        here,
                        format!("union variant `{}` removed", oname.as_deref().unwrap_or("")),
                    ),
                }
            }
            for nname in new_names.iter().filter(|n| !old_names.contains(n)) {
                self.push(
                    ChangeKind::FieldTypeChanged,
                    Severity::Compatible,
                    here,
                    format!("union variant `{}` added", nname.as_deref().unwrap_or("")),
                );
            }
            return;
        }
        for (i, (om, nm)) in old.iter().zip(new).enumerate() {
            let at = inner.child(&format!("<variant {i}>"));
            self.compare(om, nm, &at, ctx.member());
        }
        for i in new.len()..old.len() {
            self.push(
                ChangeKind::FieldTypeChanged,
                removed_severity,
                here,
                format!("union variant {i} removed"),
            );
        }
        for i in old.len()..new.len() {
            self.push(
                ChangeKind::FieldTypeChanged,
                Severity::Compatible,
                here,
                format!("union variant {i} added"),
            );
        }
    }

    /// Compares enum values. Added values are compatible (enums are open,
    /// single-value ones included); removed ones break requests only; a
    /// free-form request value becoming an enum is breaking.
    pub(super) fn compare_enums(
        &mut self,
        ov: &View<'a>,
        nv: &View<'a>,
        here: &Loc,
        dir: Direction,
    ) {
        match (ov.enum_values, nv.enum_values) {
            (Some(oe), Some(ne)) => {
                let removed_severity = match dir {
                    Direction::Request => Severity::Breaking,
                    Direction::Response => Severity::Compatible,
                };
                for value in oe.iter().filter(|v| !ne.contains(v)) {
                    self.push(
                        ChangeKind::EnumValueRemoved,
                        removed_severity,
                        here,
                        format!("enum value {} removed", show(value)),
                    );
                }
                for value in ne.iter().filter(|v| !oe.contains(v)) {
                    self.push(
                        ChangeKind::EnumValueAdded,
                        Severity::Compatible,
                        here,
                        format!("enum value {} added", show(value)),
                    );
                }
            }
            (None, Some(ne)) if dir == Direction::Request => {
                let values = ne.iter().map(show).collect::<Vec<_>>().join(", ");
                self.push(
                    ChangeKind::FieldTypeChanged,
                    Severity::Breaking,
                    here,
                    format!("now restricted to the enum [{values}]"),
                );
            }
            _ => {}
        }
    }
}

/// An enum value for messages: strings in backticks, others as JSON.
fn show(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{doc, find, id_param, reference};
    use super::super::{ChangeKind, Report, Severity, diff};
    use super::THROUGH_OLD_STRUCT;
    use serde_json::{Value, json};

    /// A document whose request body and response are both `schema`.
    fn both_ways(schema: Value, schemas: Value) -> Value {
        doc(
            "3.0.0",
            json!([id_param()]),
            schema.clone(),
            schema,
            schemas,
        )
    }

    /// A document whose response only is `schema`.
    fn response(schema: Value, schemas: Value) -> Value {
        doc("3.0.0", json!([id_param()]), json!({}), schema, schemas)
    }

    /// A document whose request body only is `schema`.
    fn request(schema: Value, schemas: Value) -> Value {
        doc("3.0.0", json!([id_param()]), schema, json!({}), schemas)
    }

    fn summary(report: &Report) -> Vec<(ChangeKind, Severity, &str, &str)> {
        report
            .changes
            .iter()
            .map(|c| (c.kind, c.severity, c.location.as_str(), c.detail.as_str()))
            .collect()
    }

    #[test]
    fn response_enum_value_added_is_compatible_request_removal_breaking() {
        let schemas = |values: Value| {
            json!({"Level": {"type": "string", "enum": values},
                   "Out": {"properties": {"level": {"$ref": "#/components/schemas/Level"}}}})
        };
        let old = doc(
            "3.0.0",
            json!([id_param()]),
            json!({"properties": {"level": {"type": "string", "enum": ["a", "b"]}}}),
            json!({"$ref": "#/components/schemas/Out"}),
            schemas(json!(["a", "b"])),
        );
        let new = doc(
            "3.0.0",
            json!([id_param()]),
            json!({"properties": {"level": {"type": "string", "enum": ["a"]}}}),
            json!({"$ref": "#/components/schemas/Out"}),
            schemas(json!(["a", "b", "c"])),
        );
        let report = diff(&old, &new).unwrap();
        let added = find(&report, ChangeKind::EnumValueAdded, "schema Level").unwrap();
        assert_eq!(added.severity, Severity::Compatible);
        assert_eq!(added.detail, "enum value `c` added");
        let removed = find(
            &report,
            ChangeKind::EnumValueRemoved,
            "POST /things/{id} request body: level",
        )
        .unwrap();
        assert_eq!(removed.severity, Severity::Breaking);
        assert_eq!(report.changes.len(), 2, "{}", report.to_text());
    }

    #[test]
    fn enum_values_added_are_compatible_everywhere() {
        // Single-value enums (also as 3.1 `const`) and enums that already
        // have an UNKNOWN-like value are open too, in requests and
        // responses alike.
        let mk = |kind: Value, status: Value| {
            both_ways(
                reference("Thing"),
                json!({"Thing": {"type": "object", "properties": {
                    "kind": kind, "status": status}}}),
            )
        };
        let old = mk(
            json!({"type": "string", "enum": ["line"]}),
            json!({"type": "string", "enum": ["UNKNOWN", "OK"]}),
        );
        let new = mk(
            json!({"type": "string", "enum": ["line", "bar", "heatmap"]}),
            json!({"type": "string", "enum": ["UNKNOWN", "OK", "FAILED"]}),
        );
        let report = diff(&old, &new).unwrap();
        assert_eq!(
            summary(&report),
            [
                (
                    ChangeKind::EnumValueAdded,
                    Severity::Compatible,
                    "schema Thing.kind",
                    "enum value `bar` added"
                ),
                (
                    ChangeKind::EnumValueAdded,
                    Severity::Compatible,
                    "schema Thing.kind",
                    "enum value `heatmap` added"
                ),
                (
                    ChangeKind::EnumValueAdded,
                    Severity::Compatible,
                    "schema Thing.status",
                    "enum value `FAILED` added"
                ),
            ]
        );
        // The same from a 3.1 `const`.
        let mut old31 = mk(
            json!({"type": "string", "const": "line"}),
            json!({"type": "string", "enum": ["UNKNOWN", "OK"]}),
        );
        old31["openapi"] = json!("3.1.0");
        let report = diff(&old31, &new).unwrap();
        assert_eq!(report.breaking().count(), 0, "{}", report.to_text());
        assert_eq!(report.changes.len(), 3, "{}", report.to_text());
    }

    #[test]
    fn free_form_request_value_becoming_an_enum_is_breaking() {
        let old = both_ways(json!({"type": "string"}), json!({}));
        let new = both_ways(json!({"type": "string", "enum": ["a", "b"]}), json!({}));
        let report = diff(&old, &new).unwrap();
        assert_eq!(
            summary(&report),
            [(
                ChangeKind::FieldTypeChanged,
                Severity::Breaking,
                "POST /things/{id} request body",
                "now restricted to the enum [`a`, `b`]"
            )]
        );
        // And back: a response enum becoming free-form is not reported.
        assert!(diff(&new, &old).unwrap().changes.is_empty());
    }

    #[test]
    fn union_variants_added_are_compatible_removed_break_requests() {
        let schemas = json!({"A": {"type": "object"}, "B": {"type": "object"},
                             "C": {"type": "object"}});
        let union = |names: &[&str]| json!({"oneOf": names.iter().map(|n| reference(n)).collect::<Vec<_>>()});
        let old = both_ways(union(&["A", "B"]), schemas.clone());
        let new = both_ways(union(&["A", "C"]), schemas.clone());
        let report = diff(&old, &new).unwrap();
        let req_at = "POST /things/{id} request body";
        let resp_at = "POST /things/{id} response 200";
        let (breaking, compatible) = (Severity::Breaking, Severity::Compatible);
        let changed = ChangeKind::FieldTypeChanged;
        assert_eq!(
            summary(&report),
            [
                (changed, breaking, req_at, "union variant `B` removed"),
                (changed, compatible, req_at, "union variant `C` added"),
                (changed, compatible, resp_at, "union variant `B` removed"),
                (changed, compatible, resp_at, "union variant `C` added"),
            ]
        );
        // Inline members are paired by position.
        let inline = |n: usize| {
            json!({"anyOf": (0..n).map(|i| json!({"type": "object", "properties": {
                format!("f{i}"): {"type": "string"}}})).collect::<Vec<_>>()})
        };
        let report = diff(
            &response(inline(2), json!({})),
            &response(inline(3), json!({})),
        )
        .unwrap();
        assert_eq!(
            summary(&report),
            [(changed, compatible, resp_at, "union variant 2 added")]
        );
        let report = diff(
            &request(inline(3), json!({})),
            &request(inline(2), json!({})),
        )
        .unwrap();
        assert_eq!(
            summary(&report),
            [(changed, breaking, req_at, "union variant 2 removed")]
        );
    }

    #[test]
    fn response_object_becoming_a_union_is_compatible_request_breaking() {
        let old_schemas = json!({"Filter": {"type": "object", "required": ["type", "name"],
            "properties": {
                "type": {"type": "string", "enum": ["QUERY"]},
                "name": {"type": "string"},
                "limit": {"type": "integer"}}}});
        let new_schemas = json!({
            "Filter": {"oneOf": [reference("QueryFilter"), reference("ListFilter")]},
            "QueryFilter": {"type": "object", "required": ["type", "name"], "properties": {
                "type": {"type": "string", "enum": ["QUERY"]},
                "name": {"type": "string"},
                "limit": {"type": "integer"}}},
            "ListFilter": {"type": "object", "required": ["type"], "properties": {
                "type": {"type": "string", "enum": ["LIST"]},
                "values": {"type": "array", "items": {"type": "string"}},
                "limit": {"type": "string"}}}
        });
        let report = diff(
            &response(reference("Filter"), old_schemas.clone()),
            &response(reference("Filter"), new_schemas.clone()),
        )
        .unwrap();
        let text = report.to_text();
        let became = find(&report, ChangeKind::FieldTypeChanged, "schema Filter").unwrap();
        assert_eq!(became.severity, Severity::Compatible, "{text}");
        assert_eq!(became.detail, "changed from object to a union");
        assert_eq!(became.note.as_deref(), Some(THROUGH_OLD_STRUCT));
        // Each variant is compared with the old struct, keeping what it
        // cannot read: the list filter's `limit`. (Its value added to the
        // open single-value enum `type`, its missing `name`, tolerated, and
        // its new `values` are compatible and not listed.)
        let variant_changes: Vec<_> = report
            .changes
            .iter()
            .filter(|c| c.location.contains("<variant"))
            .map(|c| (c.kind, c.severity, c.location.as_str(), c.detail.as_str()))
            .collect();
        assert_eq!(
            variant_changes,
            [(
                ChangeKind::FieldTypeChanged,
                Severity::Breaking,
                "schema Filter<variant ListFilter>.limit",
                "type changed from integer to string"
            )],
            "{text}"
        );
        assert_eq!(report.breaking().count(), 1, "{text}");
        // The new components are still reported as added.
        assert_eq!(report.changes.len(), 4, "{text}");

        // In a request the old client sends the old struct, which the
        // server no longer takes as such: breaking.
        let report = diff(
            &request(reference("Filter"), old_schemas),
            &request(reference("Filter"), new_schemas),
        )
        .unwrap();
        let became = find(&report, ChangeKind::FieldTypeChanged, "schema Filter").unwrap();
        assert_eq!(became.severity, Severity::Breaking);
        assert_eq!(became.note, None);
        assert!(
            report
                .changes
                .iter()
                .all(|c| c.kind == ChangeKind::SchemaAdded || c.location == "schema Filter"),
            "{}",
            report.to_text()
        );
    }

    #[test]
    fn other_union_transitions_are_breaking() {
        let union = json!({"oneOf": [{"type": "string"}, {"type": "number"}]});
        let scalar = json!({"type": "string"});
        let object = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let response_at = "POST /things/{id} response 200";
        for (old, new, detail) in [
            (&scalar, &union, "changed from string to a union"),
            (&union, &scalar, "changed from a union to string"),
            (&union, &object, "changed from a union to object"),
        ] {
            let report = diff(
                &response(old.clone(), json!({})),
                &response(new.clone(), json!({})),
            )
            .unwrap();
            assert_eq!(
                summary(&report),
                [(
                    ChangeKind::FieldTypeChanged,
                    Severity::Breaking,
                    response_at,
                    detail
                )]
            );
        }
    }
}
