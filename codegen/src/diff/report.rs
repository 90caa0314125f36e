//! The result of a comparison: [`Report`], its [`Change`]s grouped into
//! [`Area`]s, and its text and JSON renderings.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Value, json};

use super::areas;

/// The changes between two versions of an OpenAPI document, grouped by API
/// area (see the [module documentation](super)).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Every change found, in report order: area by area (see
    /// [`Report::areas`]), breaking changes first within an area, then in
    /// discovery order (operations of the old document first, then added
    /// operations, then component schemas).
    pub changes: Vec<Change>,
    /// One summary per area that has changes, in report order.
    pub areas: Vec<Area>,
}

/// The summary of one API area: the operations of one OpenAPI tag, and the
/// component schemas they reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Area {
    /// The tag (the first tag of the operations), [`areas::UNTAGGED`] for
    /// operations without tags, or [`areas::UNUSED`] for component schemas
    /// no operation reaches.
    pub name: String,
    /// How many breaking changes are reported under this area.
    pub breaking: usize,
    /// How many compatible changes are reported under this area.
    pub compatible: usize,
    /// How many operations of this area were added.
    pub operations_added: usize,
    /// How many operations of this area were removed.
    pub operations_removed: usize,
}

/// One change a client of the API could notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// Whether a client built for the old document may break.
    pub severity: Severity,
    /// Where: `"GET /api/v2/alerts"`, `"schema ClickStackAlert.threshold"`
    /// or `"POST /api/v2/alerts request body: name"`.
    pub location: String,
    /// A human-readable description.
    pub detail: String,
    /// Why a change that looks breaking is not, for example `"old clients
    /// see the new variants through the old struct"`.
    pub note: Option<String>,
    /// The area the change is reported under: the tag of its operation, or
    /// for a change inside a component schema the first area (in report
    /// order) whose operations reach the component.
    pub area: String,
    /// The other areas whose operations reach the changed component schema,
    /// in report order (empty for changes at an operation).
    pub also_affects: Vec<String>,
}

/// Whether a change can break an existing client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A client built for the old document may fail.
    Breaking,
    /// A client built for the old document keeps working.
    Compatible,
}

impl Severity {
    /// The lowercase name used in text and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Compatible => "compatible",
        }
    }
}

/// The kind of a [`Change`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A new operation (method and path).
    OperationAdded,
    /// An operation no longer exists.
    OperationRemoved,
    /// An operation takes a new parameter.
    ParameterAdded,
    /// An operation no longer takes a parameter.
    ParameterRemoved,
    /// An optional parameter became required.
    ParameterNowRequired,
    /// A request body (or a field of it) was added.
    RequestFieldAdded,
    /// A request body (or a field of it) was removed.
    RequestFieldRemoved,
    /// A request body (or a field of it) became required.
    RequestFieldNowRequired,
    /// A response field was added.
    ResponseFieldAdded,
    /// A response field (or body) was removed.
    ResponseFieldRemoved,
    /// The type of a value changed (type, format, nullability, union shape,
    /// response field optionality, union variants, success status).
    FieldTypeChanged,
    /// An enum admits a new value.
    EnumValueAdded,
    /// An enum no longer admits a value.
    EnumValueRemoved,
    /// A component schema was added.
    SchemaAdded,
    /// A component schema was removed.
    SchemaRemoved,
}

impl ChangeKind {
    /// The `snake_case` name used in text and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::OperationAdded => "operation_added",
            ChangeKind::OperationRemoved => "operation_removed",
            ChangeKind::ParameterAdded => "parameter_added",
            ChangeKind::ParameterRemoved => "parameter_removed",
            ChangeKind::ParameterNowRequired => "parameter_now_required",
            ChangeKind::RequestFieldAdded => "request_field_added",
            ChangeKind::RequestFieldRemoved => "request_field_removed",
            ChangeKind::RequestFieldNowRequired => "request_field_now_required",
            ChangeKind::ResponseFieldAdded => "response_field_added",
            ChangeKind::ResponseFieldRemoved => "response_field_removed",
            ChangeKind::FieldTypeChanged => "field_type_changed",
            ChangeKind::EnumValueAdded => "enum_value_added",
            ChangeKind::EnumValueRemoved => "enum_value_removed",
            ChangeKind::SchemaAdded => "schema_added",
            ChangeKind::SchemaRemoved => "schema_removed",
        }
    }
}

impl Report {
    /// Orders `changes` (each already assigned to its area) into a report:
    /// areas in [`areas::order_key`] order, breaking changes first within
    /// an area, discovery order otherwise.
    pub(super) fn new(mut changes: Vec<Change>) -> Report {
        // A stable sort: discovery order stays within area and severity.
        changes.sort_by_cached_key(|c| (areas::order_key(&c.area), c.severity));
        let mut summaries: Vec<Area> = Vec::new();
        for change in &changes {
            if summaries.last().is_none_or(|a| a.name != change.area) {
                summaries.push(Area {
                    name: change.area.clone(),
                    breaking: 0,
                    compatible: 0,
                    operations_added: 0,
                    operations_removed: 0,
                });
            }
            let Some(area) = summaries.last_mut() else {
                continue;
            };
            match change.severity {
                Severity::Breaking => area.breaking += 1,
                Severity::Compatible => area.compatible += 1,
            }
            match change.kind {
                ChangeKind::OperationAdded => area.operations_added += 1,
                ChangeKind::OperationRemoved => area.operations_removed += 1,
                _ => {}
            }
        }
        Report {
            changes,
            areas: summaries,
        }
    }

    /// The breaking changes, in report order.
    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.severity == Severity::Breaking)
    }

    /// The compatible changes, in report order.
    pub fn compatible(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.severity == Severity::Compatible)
    }

    /// The changes reported under the area `name`, breaking first.
    pub fn area_changes<'r>(&'r self, name: &'r str) -> impl Iterator<Item = &'r Change> + 'r {
        self.changes.iter().filter(move |c| c.area == name)
    }

    /// The summary of the area `name`, if it has changes.
    pub fn area(&self, name: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.name == name)
    }

    /// Area by area: a summary line
    /// `== Name: N breaking, M compatible (A operations added, R removed)`,
    /// then one line per change, breaking first
    /// (`[severity] kind location: detail`, then `; note` and
    /// `[also affects: ...]` when present); then a total line
    /// `N breaking, M compatible`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for area in &self.areas {
            let _ = writeln!(
                out,
                "== {}: {} breaking, {} compatible ({} added, {} removed)",
                area.name,
                area.breaking,
                area.compatible,
                operations(area.operations_added),
                area.operations_removed
            );
            for change in self.area_changes(&area.name) {
                write_change(&mut out, change);
            }
        }
        self.write_total(&mut out);
        out
    }

    /// The same changes with every breaking change first, whatever its
    /// area: a section `== Areas` with each area's summary line
    /// (`Name: N breaking, M compatible (A operations added, R removed)`),
    /// then `== Breaking changes (N)` and `== Compatible changes (M)`, each
    /// listing its changes area by area (a `-- Name` line before each area's
    /// changes, lines as in [`Report::to_text`]), then the total line. A
    /// reader who stops early, or a report cut to a size, keeps the
    /// breaking changes.
    pub fn to_text_breaking_first(&self) -> String {
        let mut out = String::new();
        if !self.areas.is_empty() {
            out.push_str("== Areas\n");
        }
        for area in &self.areas {
            let _ = writeln!(
                out,
                "{}: {} breaking, {} compatible ({} added, {} removed)",
                area.name,
                area.breaking,
                area.compatible,
                operations(area.operations_added),
                area.operations_removed
            );
        }
        for (severity, heading) in [
            (Severity::Breaking, "Breaking changes"),
            (Severity::Compatible, "Compatible changes"),
        ] {
            let count = self
                .changes
                .iter()
                .filter(|c| c.severity == severity)
                .count();
            if count == 0 {
                continue;
            }
            let _ = writeln!(out, "== {heading} ({count})");
            for area in &self.areas {
                let mut changes = self
                    .area_changes(&area.name)
                    .filter(|c| c.severity == severity)
                    .peekable();
                if changes.peek().is_some() {
                    let _ = writeln!(out, "-- {}", area.name);
                }
                for change in changes {
                    write_change(&mut out, change);
                }
            }
        }
        self.write_total(&mut out);
        out
    }

    /// The line `N breaking, M compatible`.
    fn write_total(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "{} breaking, {} compatible",
            self.breaking().count(),
            self.compatible().count()
        );
    }

    /// The report as JSON:
    ///
    /// ```json
    /// {"breaking": n, "compatible": m, "operations_added": a, "operations_removed": r,
    ///  "areas": [{"name", "breaking", "compatible", "operations_added",
    ///             "operations_removed", "changes": [...]}],
    ///  "changes": [...]}
    /// ```
    ///
    /// Each change is `{"kind", "severity", "location", "detail", "note",
    /// "area", "also_affects"}` (`note` is `null` when absent); the flat
    /// `changes` list holds the same changes as the areas, in report order.
    pub fn to_json(&self) -> Value {
        let count = |kind: ChangeKind| self.changes.iter().filter(|c| c.kind == kind).count();
        let areas: Vec<Value> = self
            .areas
            .iter()
            .map(|area| {
                json!({
                    "name": area.name,
                    "breaking": area.breaking,
                    "compatible": area.compatible,
                    "operations_added": area.operations_added,
                    "operations_removed": area.operations_removed,
                    "changes": self.area_changes(&area.name).map(change_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "breaking": self.breaking().count(),
            "compatible": self.compatible().count(),
            "operations_added": count(ChangeKind::OperationAdded),
            "operations_removed": count(ChangeKind::OperationRemoved),
            "areas": areas,
            "changes": self.changes.iter().map(change_json).collect::<Vec<_>>(),
        })
    }
}

/// One change as a line: `[severity] kind location: detail`, then
/// `; note` and ` [also affects: ...]` when present.
fn write_change(out: &mut String, change: &Change) {
    let _ = write!(
        out,
        "[{}] {} {}: {}",
        change.severity.as_str(),
        change.kind.as_str(),
        change.location,
        change.detail
    );
    if let Some(note) = &change.note {
        let _ = write!(out, "; {note}");
    }
    if !change.also_affects.is_empty() {
        let _ = write!(out, " [also affects: {}]", change.also_affects.join(", "));
    }
    out.push('\n');
}

/// `N operation(s)`.
fn operations(n: usize) -> String {
    if n == 1 {
        "1 operation".to_string()
    } else {
        format!("{n} operations")
    }
}

/// One change as JSON.
fn change_json(c: &Change) -> Value {
    json!({
        "kind": c.kind.as_str(),
        "severity": c.severity.as_str(),
        "location": c.location,
        "detail": c.detail,
        "note": c.note,
        "area": c.area,
        "also_affects": c.also_affects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(area: &str, severity: Severity, kind: ChangeKind, location: &str) -> Change {
        Change {
            kind,
            severity,
            location: location.to_string(),
            detail: "d".to_string(),
            note: None,
            area: area.to_string(),
            also_affects: Vec::new(),
        }
    }

    #[test]
    fn orders_areas_clickstack_first_then_alphabetically_breaking_first() {
        use ChangeKind::*;
        use Severity::*;
        let mut shared = change("ClickStack", Compatible, SchemaAdded, "schema S");
        shared.also_affects = vec!["alerts".into(), "Billing".into()];
        shared.note = Some("why".into());
        let report = Report::new(vec![
            change("untagged", Breaking, OperationRemoved, "GET /u"),
            change("Billing", Compatible, OperationAdded, "GET /b"),
            change("ClickStack", Compatible, OperationAdded, "GET /c1"),
            change("alerts", Breaking, ParameterRemoved, "GET /a"),
            change("ClickStack", Breaking, OperationRemoved, "GET /c2"),
            shared,
            change("Managed clickstack", Compatible, OperationAdded, "GET /m"),
        ]);
        let names: Vec<_> = report.areas.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "ClickStack",
                "Managed clickstack",
                "alerts",
                "Billing",
                "untagged"
            ]
        );
        let locations: Vec<_> = report.changes.iter().map(|c| c.location.as_str()).collect();
        assert_eq!(
            locations,
            [
                "GET /c2", "GET /c1", "schema S", "GET /m", "GET /a", "GET /b", "GET /u"
            ]
        );
        assert_eq!(
            report.area("ClickStack"),
            Some(&Area {
                name: "ClickStack".into(),
                breaking: 1,
                compatible: 2,
                operations_added: 1,
                operations_removed: 1,
            })
        );
        let text = report.to_text();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(
            lines[0],
            "== ClickStack: 1 breaking, 2 compatible (1 operation added, 1 removed)"
        );
        assert_eq!(lines[1], "[breaking] operation_removed GET /c2: d");
        assert_eq!(
            lines[3],
            "[compatible] schema_added schema S: d; why [also affects: alerts, Billing]"
        );
        assert_eq!(
            lines[4],
            "== Managed clickstack: 0 breaking, 1 compatible (1 operation added, 0 removed)"
        );
        assert_eq!(lines.last(), Some(&"3 breaking, 4 compatible"));

        let json = report.to_json();
        assert_eq!(json["breaking"], 3);
        assert_eq!(json["compatible"], 4);
        assert_eq!(json["operations_added"], 3);
        assert_eq!(json["operations_removed"], 2);
        assert_eq!(json["areas"][0]["name"], "ClickStack");
        assert_eq!(json["areas"][0]["operations_added"], 1);
        assert_eq!(json["areas"][0]["changes"][2]["also_affects"][1], "Billing");
        assert_eq!(json["areas"][0]["changes"][2]["note"], "why");
        assert_eq!(json["areas"][4]["changes"][0]["note"], Value::Null);
        assert_eq!(json["changes"].as_array().map(Vec::len), Some(7));
        assert_eq!(json["changes"][6]["area"], "untagged");
    }

    #[test]
    fn breaking_first_lists_every_breaking_change_before_any_compatible_one() {
        use ChangeKind::*;
        use Severity::*;
        let report = Report::new(vec![
            change("Billing", Compatible, OperationAdded, "GET /b"),
            change("ClickStack", Compatible, OperationAdded, "GET /c1"),
            change("Billing", Breaking, ParameterRemoved, "GET /b2"),
            change("ClickStack", Breaking, OperationRemoved, "GET /c2"),
        ]);
        assert_eq!(
            report.to_text_breaking_first(),
            "== Areas\n\
             ClickStack: 1 breaking, 1 compatible (1 operation added, 1 removed)\n\
             Billing: 1 breaking, 1 compatible (1 operation added, 0 removed)\n\
             == Breaking changes (2)\n\
             -- ClickStack\n\
             [breaking] operation_removed GET /c2: d\n\
             -- Billing\n\
             [breaking] parameter_removed GET /b2: d\n\
             == Compatible changes (2)\n\
             -- ClickStack\n\
             [compatible] operation_added GET /c1: d\n\
             -- Billing\n\
             [compatible] operation_added GET /b: d\n\
             2 breaking, 2 compatible\n"
        );
        let only_compatible = Report::new(vec![change("X", Compatible, SchemaAdded, "schema S")]);
        let text = only_compatible.to_text_breaking_first();
        assert!(!text.contains("Breaking changes"), "{text}");
        assert!(text.contains("== Compatible changes (1)\n-- X\n"), "{text}");
    }

    #[test]
    fn empty_report() {
        let report = Report::new(Vec::new());
        assert_eq!(report.to_text(), "0 breaking, 0 compatible\n");
        assert_eq!(
            report.to_text_breaking_first(),
            "0 breaking, 0 compatible\n"
        );
        assert_eq!(report.to_json()["areas"], json!([]));
    }
}
