//! Structural schema comparison: types and formats, nullability,
//! properties and `required`, `items` and `additionalProperties`; and the
//! component schemas added or removed.

use serde_json::Value;

use super::areas::ComponentAreas;
use super::walk::{MAX_DEPTH, View};
use super::{ChangeKind, Ctx, Differ, Direction, Loc, Severity};

/// The note on a response field that may now be absent.
const MISSING_TOLERATED: &str =
    "old clients tolerate missing fields in response objects that are not union variants";

impl<'a> Differ<'a> {
    /// Compares two schemas found at the same place `loc`.
    pub(super) fn compare(&mut self, old: &'a Value, new: &'a Value, loc: &Loc, ctx: Ctx) {
        if ctx.depth > MAX_DEPTH {
            return;
        }
        let ov = self.old.view(old);
        let nv = self.new.view(new);
        // Fields below a named component are reported at the component.
        // The value itself is too when it is the same component on both
        // sides; otherwise (inline <-> reference, or another component) its
        // own changes belong to the place that holds it.
        let inner = match &nv.name {
            Some(name) => Loc::schema(name),
            None => loc.clone(),
        };
        let here = if ov.name.is_some() && ov.name == nv.name {
            inner.clone()
        } else {
            loc.clone()
        };
        if let (Some(a), Some(b)) = (&ov.name, &nv.name)
            && !self
                .compared
                .insert((a.clone(), b.clone(), ctx.dir, self.quiet))
        {
            return;
        }
        let variant = match &ov.name {
            Some(name) => self.old_variants.contains(name),
            None => ctx.variant,
        };
        self.compare_views(&ov, &nv, &here, &inner, Ctx { variant, ..ctx });
    }

    /// Compares two merged views. Changes of the value itself are reported
    /// at `here`, those of its fields below `inner`.
    pub(super) fn compare_views(
        &mut self,
        ov: &View<'a>,
        nv: &View<'a>,
        here: &Loc,
        inner: &Loc,
        ctx: Ctx,
    ) {
        if self.compare_union_shapes(ov, nv, here, inner, ctx) {
            return;
        }
        if let (Some(ot), Some(nt)) = (ov.ty, nv.ty) {
            if ot != nt {
                self.push(
                    ChangeKind::FieldTypeChanged,
                    Severity::Breaking,
                    here,
                    format!("type changed from {} to {}", type_name(ov), type_name(nv)),
                );
                return;
            }
            if ov.format != nv.format {
                self.push(
                    ChangeKind::FieldTypeChanged,
                    Severity::Breaking,
                    here,
                    format!("format changed from {} to {}", type_name(ov), type_name(nv)),
                );
            }
        }
        match ctx.dir {
            Direction::Response if !ov.nullable && nv.nullable => self.push(
                ChangeKind::FieldTypeChanged,
                Severity::Breaking,
                here,
                "response value is now nullable".into(),
            ),
            Direction::Request if ov.nullable && !nv.nullable => self.push(
                ChangeKind::FieldTypeChanged,
                Severity::Breaking,
                here,
                "request value no longer accepts null".into(),
            ),
            _ => {}
        }
        self.compare_enums(ov, nv, here, ctx.dir);
        self.compare_properties(ov, nv, inner, ctx);
        if let (Some(oi), Some(ni)) = (ov.items, nv.items) {
            self.compare(oi, ni, &inner.child("[]"), ctx.nested());
        }
        if let (Some(oa), Some(na)) = (ov.additional, nv.additional) {
            self.compare(oa, na, &inner.child("{*}"), ctx.nested());
        }
    }

    /// Properties removed, added, changing optionality, and their schemas
    /// (reported below `loc`). `readOnly` ones are skipped in requests,
    /// `writeOnly` ones in responses.
    fn compare_properties(&mut self, ov: &View<'a>, nv: &View<'a>, loc: &Loc, ctx: Ctx) {
        let dir = ctx.dir;
        let visible = |v: View<'_>| match dir {
            Direction::Request => !v.read_only,
            Direction::Response => !v.write_only,
        };
        let (old_doc, new_doc) = (self.old, self.new);
        let old_visible = |schema: &'a Value| visible(old_doc.view(schema));
        let new_visible = |schema: &'a Value| visible(new_doc.view(schema));
        for &(name, old_schema) in &ov.properties {
            if !old_visible(old_schema) {
                continue;
            }
            let field = loc.field(name);
            let old_required = ov.required.contains(name);
            let new_schema = nv
                .properties
                .iter()
                .find(|&&(n, s)| n == name && new_visible(s))
                .map(|&(_, s)| s);
            let Some(new_schema) = new_schema else {
                let kind = match dir {
                    Direction::Request => ChangeKind::RequestFieldRemoved,
                    Direction::Response => ChangeKind::ResponseFieldRemoved,
                };
                let detail = format!("{} field `{name}` removed", optionality(old_required));
                match dir {
                    Direction::Request => self.push(kind, Severity::Breaking, &field, detail),
                    Direction::Response if !old_required => {
                        self.push(kind, Severity::Compatible, &field, detail);
                    }
                    Direction::Response => self.may_be_missing(&field, kind, detail, ctx),
                }
                continue;
            };
            let new_required = nv.required.contains(name);
            match dir {
                Direction::Request if !old_required && new_required => self.push(
                    ChangeKind::RequestFieldNowRequired,
                    Severity::Breaking,
                    &field,
                    format!("request field `{name}` is now required"),
                ),
                Direction::Response if old_required && !new_required => self.may_be_missing(
                    &field,
                    ChangeKind::FieldTypeChanged,
                    format!("response field `{name}` is no longer required (may be absent)"),
                    ctx,
                ),
                _ => {}
            }
            self.compare(old_schema, new_schema, &field, ctx.nested());
        }
        for &(name, new_schema) in &nv.properties {
            if !new_visible(new_schema)
                || ov
                    .properties
                    .iter()
                    .any(|&(n, s)| n == name && old_visible(s))
            {
                continue;
            }
            let required = nv.required.contains(name);
            let (kind, severity) = match dir {
                Direction::Request if required => {
                    (ChangeKind::RequestFieldAdded, Severity::Breaking)
                }
                Direction::Request => (ChangeKind::RequestFieldAdded, Severity::Compatible),
                Direction::Response => (ChangeKind::ResponseFieldAdded, Severity::Compatible),
            };
            self.push(
                kind,
                severity,
                &loc.field(name),
                format!("{} field `{name}` added", optionality(required)),
            );
        }
    }

    /// A required response field that may now be absent: tolerated by old
    /// clients unless the object is a union variant, where a missing field
    /// changes which variant matches.
    fn may_be_missing(&mut self, field: &Loc, kind: ChangeKind, detail: String, ctx: Ctx) {
        if ctx.variant {
            self.push(kind, Severity::Breaking, field, detail);
        } else {
            self.push_note(kind, Severity::Compatible, field, detail, MISSING_TOLERATED);
        }
    }

    /// Component schemas added, and removed (breaking when operations of
    /// the old document reached them).
    pub(super) fn component_schemas(&mut self, old_areas: &ComponentAreas) {
        let old_names = self.old.component_names();
        let new_names = self.new.component_names();
        for &name in old_names.iter().filter(|n| !new_names.contains(n)) {
            let (severity, why) = if old_areas.used(name) {
                (Severity::Breaking, "used by operations")
            } else {
                (Severity::Compatible, "not used by any operation")
            };
            self.push(
                ChangeKind::SchemaRemoved,
                severity,
                &Loc::schema(name),
                format!("component schema removed (was {why})"),
            );
        }
        for &name in new_names.iter().filter(|n| !old_names.contains(n)) {
            self.push(
                ChangeKind::SchemaAdded,
                Severity::Compatible,
                &Loc::schema(name),
                "component schema added".into(),
            );
        }
    }
}

/// `required` or `optional`, for messages.
pub(super) fn optionality(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

/// `type` plus `format`, for messages.
pub(super) fn type_name(v: &View<'_>) -> String {
    match (v.ty, v.format) {
        (Some(t), Some(f)) => format!("{t} ({f})"),
        (Some(t), None) => t.to_string(),
        (None, _) => "untyped".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{doc, find, id_param, reference};
    use super::super::{ChangeKind, Severity, diff};
    use super::MISSING_TOLERATED;
    use serde_json::{Value, json};

    #[test]
    fn request_field_made_required_is_breaking() {
        let schemas = |required: Value| {
            json!({"In": {"type": "object", "required": required, "properties": {
                "a": {"type": "string"}, "b": {"type": "string"}}}})
        };
        let mk = |required: Value| {
            doc(
                "3.0.0",
                json!([id_param()]),
                json!({"$ref": "#/components/schemas/In"}),
                json!({"$ref": "#/components/schemas/In"}),
                schemas(required),
            )
        };
        let report = diff(&mk(json!(["a"])), &mk(json!(["a", "b"]))).unwrap();
        let change = find(&report, ChangeKind::RequestFieldNowRequired, "schema In.b").unwrap();
        assert_eq!(change.severity, Severity::Breaking);
        // The same schema is a response: b becoming required there is fine.
        assert_eq!(report.changes.len(), 1, "{}", report.to_text());
        // Response field a: required -> optional is reported as a type
        // change; old clients tolerate the missing field (In is no union
        // variant), so it is compatible, with a note. The request side is
        // fine.
        let report = diff(&mk(json!(["a"])), &mk(json!([]))).unwrap();
        let change = find(&report, ChangeKind::FieldTypeChanged, "schema In.a").unwrap();
        assert_eq!(change.severity, Severity::Compatible);
        assert_eq!(change.note.as_deref(), Some(MISSING_TOLERATED));
        assert_eq!(report.changes.len(), 1, "{}", report.to_text());
    }

    #[test]
    fn type_change_is_breaking_and_reported_once_per_component() {
        let mk = |ty: &str| {
            let mut d = doc(
                "3.0.0",
                json!([id_param()]),
                json!({"$ref": "#/components/schemas/Thing"}),
                json!({"type": "object", "properties": {
                    "data": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}),
                json!({"Thing": {"properties": {
                    "threshold": {"type": ty},
                    "self": {"$ref": "#/components/schemas/Thing"}}}}),
            );
            d["paths"]["/other"] = json!({"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}});
            d
        };
        let report = diff(&mk("number"), &mk("string")).unwrap();
        assert_eq!(report.changes.len(), 1, "{}", report.to_text());
        let change = &report.changes[0];
        assert_eq!(change.kind, ChangeKind::FieldTypeChanged);
        assert_eq!(change.severity, Severity::Breaking);
        assert_eq!(change.location, "schema Thing.threshold");
        assert_eq!(change.detail, "type changed from number to string");
        let json = report.to_json();
        assert_eq!(json["breaking"], 1);
        assert_eq!(json["compatible"], 0);
        assert_eq!(json["changes"][0]["kind"], "field_type_changed");
        assert_eq!(json["changes"][0]["severity"], "breaking");
        assert_eq!(
            serde_json::to_value(change).unwrap()["kind"],
            "field_type_changed"
        );
    }

    #[test]
    fn response_fields_and_schemas_classified() {
        let mk = |props: Value, required: Value, extra: bool| {
            let mut schemas = json!({"Out": {"properties": props, "required": required},
                                     "Unused": {"type": "string"}});
            if extra {
                schemas["Extra"] = json!({"type": "string"});
            }
            doc(
                "3.0.0",
                json!([id_param()]),
                json!({}),
                json!({"type": "object", "properties": {"data": {"$ref": "#/components/schemas/Out"}}}),
                schemas,
            )
        };
        let old = mk(
            json!({"a": {"type": "string"}, "b": {"type": "string"}}),
            json!(["a"]),
            false,
        );
        let mut new = mk(json!({"c": {"type": "string"}}), json!([]), true);
        new["components"]["schemas"]
            .as_object_mut()
            .unwrap()
            .shift_remove("Unused");
        let report = diff(&old, &new).unwrap();
        let sev = |kind, loc| find(&report, kind, loc).map(|c| c.severity);
        // A required field removed from a response object that is not a
        // union variant: old clients tolerate its absence.
        assert_eq!(
            sev(ChangeKind::ResponseFieldRemoved, "schema Out.a"),
            Some(Severity::Compatible)
        );
        assert_eq!(
            sev(ChangeKind::ResponseFieldRemoved, "schema Out.b"),
            Some(Severity::Compatible)
        );
        assert_eq!(
            sev(ChangeKind::ResponseFieldAdded, "schema Out.c"),
            Some(Severity::Compatible)
        );
        assert_eq!(
            sev(ChangeKind::SchemaRemoved, "schema Unused"),
            Some(Severity::Compatible)
        );
        assert_eq!(
            sev(ChangeKind::SchemaAdded, "schema Extra"),
            Some(Severity::Compatible)
        );
        assert_eq!(report.changes.len(), 5, "{}", report.to_text());
        let text = report.to_text();
        assert!(
            text.starts_with(
                "== untagged: 0 breaking, 3 compatible (0 operations added, 0 removed)\n\
                 [compatible] response_field_removed schema Out.a: required field `a` removed; \
                 old clients tolerate missing fields"
            ),
            "{text}"
        );
        assert!(text.ends_with("0 breaking, 5 compatible\n"), "{text}");
    }

    #[test]
    fn required_response_field_of_a_union_variant_is_breaking() {
        let mk = |required: Value, props: Value| {
            doc(
                "3.0.0",
                json!([id_param()]),
                json!({}),
                json!({"oneOf": [
                    {"$ref": "#/components/schemas/Out"},
                    {"type": "object", "properties": props.clone(), "required": required.clone()}
                ]}),
                json!({"Out": {"type": "object", "properties": props, "required": required}}),
            )
        };
        let ab = json!({"a": {"type": "string"}, "b": {"type": "string"}});
        let old = mk(json!(["a", "b"]), ab.clone());
        // a removed, b optional, in both the named and the inline variant.
        let new = mk(json!([]), json!({"b": {"type": "string"}}));
        let report = diff(&old, &new).unwrap();
        let text = report.to_text();
        for loc in ["schema Out", "POST /things/{id} response 200: <variant 1>"] {
            let removed = find(
                &report,
                ChangeKind::ResponseFieldRemoved,
                &format!("{loc}.a"),
            )
            .unwrap_or_else(|| panic!("{loc}: {text}"));
            assert_eq!(removed.severity, Severity::Breaking, "{text}");
            assert_eq!(removed.note, None);
            let optional = find(&report, ChangeKind::FieldTypeChanged, &format!("{loc}.b"))
                .unwrap_or_else(|| panic!("{loc}: {text}"));
            assert_eq!(optional.severity, Severity::Breaking, "{text}");
        }
        assert_eq!(report.changes.len(), 4, "{text}");
    }

    #[test]
    fn variants_follow_the_generator_rule() {
        // Base is merged into the response variant A, so it stays strict
        // wherever it stands; Plain is a union member only in the request,
        // so as a response object it tolerates missing fields.
        let mk = |required: Value| {
            let object = json!({"type": "object", "required": required, "properties": {
                "kind": {"type": "string"}}});
            doc(
                "3.0.0",
                json!([id_param()]),
                json!({"oneOf": [reference("Plain"), {"type": "string"}]}),
                json!({"type": "object", "properties": {
                    "u": {"oneOf": [reference("A"), {"type": "string"}]},
                    "b": reference("Base"),
                    "p": reference("Plain")}}),
                json!({
                    "A": {"allOf": [reference("Base")], "properties": {"a": {"type": "string"}}},
                    "Base": object.clone(),
                    "Plain": object
                }),
            )
        };
        let report = diff(&mk(json!(["kind"])), &mk(json!([]))).unwrap();
        let text = report.to_text();
        let at = |loc: &str| {
            find(&report, ChangeKind::FieldTypeChanged, loc).map(|c| (c.severity, c.note.is_some()))
        };
        assert_eq!(
            at("schema A.kind"),
            Some((Severity::Breaking, false)),
            "{text}"
        );
        assert_eq!(
            at("schema Base.kind"),
            Some((Severity::Breaking, false)),
            "{text}"
        );
        assert_eq!(
            at("schema Plain.kind"),
            Some((Severity::Compatible, true)),
            "{text}"
        );
        assert_eq!(report.changes.len(), 3, "{text}");
    }

    #[test]
    fn nullability_and_format() {
        let mk = |nullable: bool, format: &str| {
            let field = json!({"type": "string", "format": format, "nullable": nullable});
            doc(
                "3.0.0",
                json!([id_param()]),
                json!({"type": "object", "properties": {"f": field.clone()}}),
                json!({"type": "object", "properties": {"f": field}}),
                json!({}),
            )
        };
        let report = diff(&mk(false, "date"), &mk(true, "date-time")).unwrap();
        let text = report.to_text();
        let at = |loc: &str, detail: &str| {
            report
                .changes
                .iter()
                .find(|c| c.location == loc && c.detail == detail)
                .map(|c| c.severity)
        };
        assert_eq!(
            at(
                "POST /things/{id} response 200: f",
                "response value is now nullable"
            ),
            Some(Severity::Breaking),
            "{text}"
        );
        assert_eq!(
            at(
                "POST /things/{id} request body: f",
                "format changed from string (date) to string (date-time)"
            ),
            Some(Severity::Breaking),
            "{text}"
        );
        // Requests accepting null is wider: not reported.
        assert_eq!(report.changes.len(), 3, "{text}");
    }
}
