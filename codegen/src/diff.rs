//! API-change report between two versions of an OpenAPI document.
//!
//! [`diff`] compares an old and a new document and lists every change a
//! **client** of the API could notice, each classified as
//! [`Severity::Breaking`] or [`Severity::Compatible`].
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
//! | response field removed | breaking if it was required (deserialization needs it), else compatible |
//! | response field required -> optional | breaking (reported as a type change: `T` becomes `Option<T>`) |
//! | response field becomes nullable / request field stops accepting null | breaking (type change) |
//! | the opposite nullability changes | not reported (they only widen what is accepted) |
//! | type changed, format changed, schema became or stopped being a `oneOf`/`anyOf` | breaking |
//! | enum value added | compatible (in responses too: the generated clients accept unknown values) |
//! | enum value removed | breaking in a request, compatible in a response |
//! | free-form request value becomes an enum | breaking (type change); other enum appearances/removals are not reported |
//! | `oneOf`/`anyOf` variant added | compatible (unions are open in the generated clients) |
//! | `oneOf`/`anyOf` variant removed | breaking in a request, compatible in a response (type change kind) |
//! | a `2xx` response status removed | breaking (type change kind, at the operation) |
//! | component schema added | compatible |
//! | component schema removed | breaking if operations of the old document referenced it (directly or through other schemas), else compatible |
//!
//! `readOnly` properties are ignored in requests and `writeOnly` ones in
//! responses.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::Result;
use crate::normalize::downconvert;
use crate::pointer::escape;
use crate::schema_walk::METHODS;

/// How deep schemas are walked (and `$ref` chains followed) at most.
const MAX_DEPTH: usize = 64;
/// Prefix of references to component schemas.
const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The changes between two versions of an OpenAPI document.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Every change found, in discovery order (operations of the old
    /// document first, then added operations, then component schemas).
    pub changes: Vec<Change>,
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
    /// The snake_case name used in text and JSON output.
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

    /// One line per change, breaking changes first, then a summary line
    /// `N breaking, M compatible`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for change in self.breaking().chain(self.compatible()) {
            let _ = writeln!(
                out,
                "[{}] {} {}: {}",
                change.severity.as_str(),
                change.kind.as_str(),
                change.location,
                change.detail
            );
        }
        let _ = writeln!(
            out,
            "{} breaking, {} compatible",
            self.breaking().count(),
            self.compatible().count()
        );
        out
    }

    /// `{"breaking": n, "compatible": m, "changes": [...]}`, each change as
    /// `{"kind", "severity", "location", "detail"}`.
    pub fn to_json(&self) -> Value {
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|c| {
                json!({
                    "kind": c.kind.as_str(),
                    "severity": c.severity.as_str(),
                    "location": c.location,
                    "detail": c.detail,
                })
            })
            .collect();
        json!({
            "breaking": self.breaking().count(),
            "compatible": self.compatible().count(),
            "changes": changes,
        })
    }
}

/// Compares two OpenAPI documents (3.0 or 3.1) and reports the changes a
/// client of the `old` API could notice in the `new` one. See the module
/// documentation for the rules.
pub fn diff(old: &Value, new: &Value) -> Result<Report> {
    let mut old = old.clone();
    let mut new = new.clone();
    downconvert::apply(&mut old)?;
    downconvert::apply(&mut new)?;
    let mut differ = Differ {
        old: &old,
        new: &new,
        changes: Vec::new(),
        index: HashMap::new(),
        compared: HashSet::new(),
    };
    differ.operations();
    differ.component_schemas();
    Ok(Report {
        changes: differ.changes,
    })
}

/// Which way a schema travels, which decides how changes are classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Direction {
    Request,
    Response,
}

/// Where a schema stands: in a named component, or inline in an operation.
#[derive(Debug, Clone)]
struct Loc {
    /// `schema Name` or an operation context such as `GET /x response 200`.
    base: String,
    /// Whether `base` is a named component (fields are joined with `.`).
    named: bool,
    /// Field path below `base`: `.a.b[]`.
    path: String,
}

impl Loc {
    fn inline(context: String) -> Loc {
        Loc {
            base: context,
            named: false,
            path: String::new(),
        }
    }

    fn schema(name: &str) -> Loc {
        Loc {
            base: format!("schema {name}"),
            named: true,
            path: String::new(),
        }
    }

    fn child(&self, segment: &str) -> Loc {
        Loc {
            path: format!("{}{segment}", self.path),
            ..self.clone()
        }
    }

    fn field(&self, name: &str) -> Loc {
        self.child(&format!(".{name}"))
    }

    fn render(&self) -> String {
        if self.named || self.path.is_empty() {
            format!("{}{}", self.base, self.path)
        } else {
            format!("{}: {}", self.base, self.path.trim_start_matches('.'))
        }
    }
}

/// One operation of a document.
struct Operation<'a> {
    method: &'static str,
    path: &'a str,
    item: &'a Map<String, Value>,
    op: &'a Map<String, Value>,
}

impl Operation<'_> {
    fn location(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    fn describe(&self) -> String {
        match self.op.get("operationId").and_then(Value::as_str) {
            Some(id) => format!("operation `{id}`"),
            None => "operation".to_string(),
        }
    }
}

/// One parameter of an operation, after `$ref` resolution.
struct Param<'a> {
    /// Match key: `in` plus name, or plus position for path parameters.
    key: String,
    name: &'a str,
    location: &'a str,
    required: bool,
    schema: Option<&'a Value>,
}

/// The merged view of a schema: `$ref`s followed and `allOf` merged.
#[derive(Default)]
struct View<'a> {
    name: Option<String>,
    ty: Option<&'a str>,
    format: Option<&'a str>,
    properties: Vec<(&'a str, &'a Value)>,
    required: BTreeSet<&'a str>,
    enum_values: Option<&'a Vec<Value>>,
    items: Option<&'a Value>,
    additional: Option<&'a Value>,
    union: Option<&'a Vec<Value>>,
    nullable: bool,
    read_only: bool,
    write_only: bool,
}

struct Differ<'a> {
    old: &'a Value,
    new: &'a Value,
    changes: Vec<Change>,
    /// Position of each reported change, to deduplicate.
    index: HashMap<(ChangeKind, String, String), usize>,
    /// Component pairs already compared, per direction.
    compared: HashSet<(String, String, Direction)>,
}

impl<'a> Differ<'a> {
    fn push(&mut self, kind: ChangeKind, severity: Severity, location: String, detail: String) {
        let key = (kind, location, detail);
        if let Some(&i) = self.index.get(&key) {
            if let Some(existing) = self.changes.get_mut(i) {
                existing.severity = existing.severity.min(severity);
            }
            return;
        }
        let (kind, location, detail) = key.clone();
        self.index.insert(key, self.changes.len());
        self.changes.push(Change {
            kind,
            severity,
            location,
            detail,
        });
    }

    fn operations(&mut self) {
        let old_ops = operations(self.old);
        let new_ops = operations(self.new);
        let new_keys: HashMap<&str, usize> = new_ops
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.as_str(), i))
            .collect();
        let old_keys: HashSet<&str> = old_ops.iter().map(|(k, _)| k.as_str()).collect();
        for (key, old_op) in &old_ops {
            match new_keys.get(key.as_str()).and_then(|&i| new_ops.get(i)) {
                Some((_, new_op)) => self.operation(old_op, new_op),
                None => self.push(
                    ChangeKind::OperationRemoved,
                    Severity::Breaking,
                    old_op.location(),
                    format!("{} removed", old_op.describe()),
                ),
            }
        }
        for (key, new_op) in &new_ops {
            if !old_keys.contains(key.as_str()) {
                self.push(
                    ChangeKind::OperationAdded,
                    Severity::Compatible,
                    new_op.location(),
                    format!("{} added", new_op.describe()),
                );
            }
        }
    }

    fn operation(&mut self, old: &Operation<'a>, new: &Operation<'a>) {
        let location = new.location();
        self.parameters(old, new, &location);
        self.request_body(old, new, &location);
        self.responses(old, new, &location);
    }

    fn parameters(&mut self, old: &Operation<'a>, new: &Operation<'a>, location: &str) {
        let old_params = parameters(self.old, old);
        let new_params = parameters(self.new, new);
        for op in &old_params {
            let Some(np) = new_params.iter().find(|p| p.key == op.key) else {
                self.push(
                    ChangeKind::ParameterRemoved,
                    Severity::Breaking,
                    location.to_string(),
                    format!("{} parameter `{}` removed", op.location, op.name),
                );
                continue;
            };
            if !op.required && np.required {
                self.push(
                    ChangeKind::ParameterNowRequired,
                    Severity::Breaking,
                    location.to_string(),
                    format!("{} parameter `{}` is now required", np.location, np.name),
                );
            }
            if let (Some(os), Some(ns)) = (op.schema, np.schema) {
                let loc = Loc::inline(format!("{location} {} parameter {}", np.location, np.name));
                self.compare(os, ns, &loc, Direction::Request, 0);
            }
        }
        for np in &new_params {
            if old_params.iter().any(|p| p.key == np.key) {
                continue;
            }
            let (severity, what) = if np.required {
                (Severity::Breaking, "required")
            } else {
                (Severity::Compatible, "optional")
            };
            self.push(
                ChangeKind::ParameterAdded,
                severity,
                location.to_string(),
                format!("{what} {} parameter `{}` added", np.location, np.name),
            );
        }
    }

    fn request_body(&mut self, old: &Operation<'a>, new: &Operation<'a>, location: &str) {
        let old_body = old.op.get("requestBody").map(|b| deref(self.old, b));
        let new_body = new.op.get("requestBody").map(|b| deref(self.new, b));
        let required = |b: &Value| b.get("required").and_then(Value::as_bool) == Some(true);
        match (old_body, new_body) {
            (None, None) => {}
            (Some(_), None) => self.push(
                ChangeKind::RequestFieldRemoved,
                Severity::Breaking,
                location.to_string(),
                "request body removed".into(),
            ),
            (None, Some(nb)) => {
                let (severity, what) = if required(nb) {
                    (Severity::Breaking, "required")
                } else {
                    (Severity::Compatible, "optional")
                };
                self.push(
                    ChangeKind::RequestFieldAdded,
                    severity,
                    location.to_string(),
                    format!("{what} request body added"),
                );
            }
            (Some(ob), Some(nb)) => {
                if !required(ob) && required(nb) {
                    self.push(
                        ChangeKind::RequestFieldNowRequired,
                        Severity::Breaking,
                        location.to_string(),
                        "request body is now required".into(),
                    );
                }
                if let (Some(os), Some(ns)) = (json_schema(ob), json_schema(nb)) {
                    let loc = Loc::inline(format!("{location} request body"));
                    self.compare(os, ns, &loc, Direction::Request, 0);
                }
            }
        }
    }

    fn responses(&mut self, old: &Operation<'a>, new: &Operation<'a>, location: &str) {
        let (Some(Value::Object(old_rs)), Some(Value::Object(new_rs))) =
            (old.op.get("responses"), new.op.get("responses"))
        else {
            return;
        };
        for (code, old_r) in old_rs.iter().filter(|(c, _)| c.starts_with('2')) {
            let old_r = deref(self.old, old_r);
            let Some(new_r) = new_rs.get(code).map(|r| deref(self.new, r)) else {
                let now = new_rs
                    .keys()
                    .filter(|c| c.starts_with('2'))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                self.push(
                    ChangeKind::FieldTypeChanged,
                    Severity::Breaking,
                    location.to_string(),
                    format!("success response {code} removed (now: {now})"),
                );
                continue;
            };
            match (json_schema(old_r), json_schema(new_r)) {
                (Some(os), Some(ns)) => {
                    let loc = Loc::inline(format!("{location} response {code}"));
                    self.compare(os, ns, &loc, Direction::Response, 0);
                }
                (Some(_), None) => self.push(
                    ChangeKind::ResponseFieldRemoved,
                    Severity::Breaking,
                    location.to_string(),
                    format!("response {code} no longer has a JSON body"),
                ),
                _ => {}
            }
        }
    }

    /// Compares two schemas found at the same place.
    fn compare(&mut self, old: &'a Value, new: &'a Value, loc: &Loc, dir: Direction, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let ov = view(self.old, old);
        let nv = view(self.new, new);
        // Fields below a named component are reported at the component.
        // The value itself is too when it is the same component on both
        // sides; otherwise (inline <-> reference, or another component) its
        // own changes belong to the place that holds it.
        let inner = match &nv.name {
            Some(name) => Loc::schema(name),
            None => loc.clone(),
        };
        let here = if ov.name.is_some() && ov.name == nv.name {
            inner.render()
        } else {
            loc.render()
        };
        if let (Some(a), Some(b)) = (&ov.name, &nv.name)
            && !self.compared.insert((a.clone(), b.clone(), dir))
        {
            return;
        }
        self.compare_views(&ov, &nv, here, &inner, dir, depth);
    }

    fn compare_views(
        &mut self,
        ov: &View<'a>,
        nv: &View<'a>,
        here: String,
        loc: &Loc,
        dir: Direction,
        depth: usize,
    ) {
        match (ov.union, nv.union) {
            (Some(om), Some(nm)) => self.compare_unions(om, nm, &here, loc, dir, depth),
            (None, Some(_)) if ov.ty.is_some() => {
                self.push(
                    ChangeKind::FieldTypeChanged,
                    Severity::Breaking,
                    here,
                    format!("changed from {} to a union", type_name(ov)),
                );
                return;
            }
            (Some(_), None) if nv.ty.is_some() => {
                self.push(
                    ChangeKind::FieldTypeChanged,
                    Severity::Breaking,
                    here,
                    format!("changed from a union to {}", type_name(nv)),
                );
                return;
            }
            _ => {}
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
                    here.clone(),
                    format!("format changed from {} to {}", type_name(ov), type_name(nv)),
                );
            }
        }
        match dir {
            Direction::Response if !ov.nullable && nv.nullable => self.push(
                ChangeKind::FieldTypeChanged,
                Severity::Breaking,
                here.clone(),
                "response value is now nullable".into(),
            ),
            Direction::Request if ov.nullable && !nv.nullable => self.push(
                ChangeKind::FieldTypeChanged,
                Severity::Breaking,
                here.clone(),
                "request value no longer accepts null".into(),
            ),
            _ => {}
        }
        self.compare_enums(ov, nv, &here, dir);
        self.compare_properties(ov, nv, loc, dir, depth);
        if let (Some(oi), Some(ni)) = (ov.items, nv.items) {
            self.compare(oi, ni, &loc.child("[]"), dir, depth + 1);
        }
        if let (Some(oa), Some(na)) = (ov.additional, nv.additional) {
            self.compare(oa, na, &loc.child("{*}"), dir, depth + 1);
        }
    }

    fn compare_enums(&mut self, ov: &View<'a>, nv: &View<'a>, here: &str, dir: Direction) {
        match (ov.enum_values, nv.enum_values) {
            (Some(oe), Some(ne)) => {
                for value in oe.iter().filter(|v| !ne.contains(v)) {
                    let severity = match dir {
                        Direction::Request => Severity::Breaking,
                        Direction::Response => Severity::Compatible,
                    };
                    self.push(
                        ChangeKind::EnumValueRemoved,
                        severity,
                        here.to_string(),
                        format!("enum value {} removed", show(value)),
                    );
                }
                for value in ne.iter().filter(|v| !oe.contains(v)) {
                    self.push(
                        ChangeKind::EnumValueAdded,
                        Severity::Compatible,
                        here.to_string(),
                        format!("enum value {} added", show(value)),
                    );
                }
            }
            (None, Some(ne)) if dir == Direction::Request => {
                let values = ne.iter().map(show).collect::<Vec<_>>().join(", ");
                self.push(
                    ChangeKind::FieldTypeChanged,
                    Severity::Breaking,
                    here.to_string(),
                    format!("now restricted to the enum [{values}]"),
                );
            }
            _ => {}
        }
    }

    fn compare_properties(
        &mut self,
        ov: &View<'a>,
        nv: &View<'a>,
        loc: &Loc,
        dir: Direction,
        depth: usize,
    ) {
        let visible = |doc: &'a Value, schema: &'a Value| {
            let v = view(doc, schema);
            match dir {
                Direction::Request => !v.read_only,
                Direction::Response => !v.write_only,
            }
        };
        for &(name, old_schema) in &ov.properties {
            if !visible(self.old, old_schema) {
                continue;
            }
            let field = loc.field(name);
            let old_required = ov.required.contains(name);
            let new_schema = nv
                .properties
                .iter()
                .find(|(n, s)| *n == name && visible(self.new, s))
                .map(|&(_, s)| s);
            let Some(new_schema) = new_schema else {
                let (kind, severity) = match dir {
                    Direction::Request => (ChangeKind::RequestFieldRemoved, Severity::Breaking),
                    Direction::Response if old_required => {
                        (ChangeKind::ResponseFieldRemoved, Severity::Breaking)
                    }
                    Direction::Response => (ChangeKind::ResponseFieldRemoved, Severity::Compatible),
                };
                let was = if old_required { "required" } else { "optional" };
                self.push(
                    kind,
                    severity,
                    field.render(),
                    format!("{was} field `{name}` removed"),
                );
                continue;
            };
            let new_required = nv.required.contains(name);
            match dir {
                Direction::Request if !old_required && new_required => self.push(
                    ChangeKind::RequestFieldNowRequired,
                    Severity::Breaking,
                    field.render(),
                    format!("request field `{name}` is now required"),
                ),
                Direction::Response if old_required && !new_required => self.push(
                    ChangeKind::FieldTypeChanged,
                    Severity::Breaking,
                    field.render(),
                    format!("response field `{name}` is no longer required (may be absent)"),
                ),
                _ => {}
            }
            self.compare(old_schema, new_schema, &field, dir, depth + 1);
        }
        for &(name, new_schema) in &nv.properties {
            if !visible(self.new, new_schema)
                || ov
                    .properties
                    .iter()
                    .any(|(n, s)| *n == name && visible(self.old, s))
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
            let what = if required { "required" } else { "optional" };
            self.push(
                kind,
                severity,
                loc.field(name).render(),
                format!("{what} field `{name}` added"),
            );
        }
    }

    fn compare_unions(
        &mut self,
        old: &'a [Value],
        new: &'a [Value],
        here: &str,
        loc: &Loc,
        dir: Direction,
        depth: usize,
    ) {
        let old_names: Vec<Option<String>> = old.iter().map(ref_name).collect();
        let new_names: Vec<Option<String>> = new.iter().map(ref_name).collect();
        let by_name = old_names.iter().chain(&new_names).all(Option::is_some);
        let removed_severity = match dir {
            Direction::Request => Severity::Breaking,
            Direction::Response => Severity::Compatible,
        };
        if by_name {
            for (om, oname) in old.iter().zip(&old_names) {
                match new.iter().zip(&new_names).find(|(_, n)| *n == oname) {
                    Some((nm, _)) => self.compare(om, nm, loc, dir, depth + 1),
                    None => self.push(
                        ChangeKind::FieldTypeChanged,
                        removed_severity,
                        here.to_string(),
                        format!("union variant `{}` removed", oname.as_deref().unwrap_or("")),
                    ),
                }
            }
            for nname in new_names.iter().filter(|n| !old_names.contains(n)) {
                self.push(
                    ChangeKind::FieldTypeChanged,
                    Severity::Compatible,
                    here.to_string(),
                    format!("union variant `{}` added", nname.as_deref().unwrap_or("")),
                );
            }
            return;
        }
        for (i, (om, nm)) in old.iter().zip(new).enumerate() {
            self.compare(
                om,
                nm,
                &loc.child(&format!("<variant {i}>")),
                dir,
                depth + 1,
            );
        }
        for i in new.len()..old.len() {
            self.push(
                ChangeKind::FieldTypeChanged,
                removed_severity,
                here.to_string(),
                format!("union variant {i} removed"),
            );
        }
        for i in old.len()..new.len() {
            self.push(
                ChangeKind::FieldTypeChanged,
                Severity::Compatible,
                here.to_string(),
                format!("union variant {i} added"),
            );
        }
    }

    fn component_schemas(&mut self) {
        let empty = Map::new();
        let schemas = |doc: &'a Value| {
            doc.pointer("/components/schemas")
                .and_then(Value::as_object)
                .unwrap_or(&empty)
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        };
        let old_names = schemas(self.old);
        let new_names = schemas(self.new);
        let used = referenced_schemas(self.old);
        for name in old_names.iter().filter(|n| !new_names.contains(n)) {
            let (severity, why) = if used.contains(name) {
                (Severity::Breaking, "used by operations")
            } else {
                (Severity::Compatible, "not used by any operation")
            };
            self.push(
                ChangeKind::SchemaRemoved,
                severity,
                format!("schema {name}"),
                format!("component schema removed (was {why})"),
            );
        }
        for name in new_names.iter().filter(|n| !old_names.contains(n)) {
            self.push(
                ChangeKind::SchemaAdded,
                Severity::Compatible,
                format!("schema {name}"),
                "component schema added".into(),
            );
        }
    }
}

/// The operations of `doc`, keyed by `METHOD /path` with path parameter
/// names erased.
fn operations(doc: &Value) -> Vec<(String, Operation<'_>)> {
    let mut out = Vec::new();
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = deref(doc, item).as_object() else {
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

/// The parameters of an operation: path-item ones overridden by the
/// operation's own (same name and `in`).
fn parameters<'a>(doc: &'a Value, op: &Operation<'a>) -> Vec<Param<'a>> {
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
            let p = deref(doc, p);
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

/// Follows `$ref`s (to anywhere in the document) until a non-reference.
fn deref<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..MAX_DEPTH {
        let Some(target) = value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| doc.pointer(p))
        else {
            break;
        };
        value = target;
    }
    value
}

/// The JSON schema of a request body or response.
fn json_schema(holder: &Value) -> Option<&Value> {
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

/// The component name a schema stands for: a direct `$ref`, or the 3.0
/// nullable-reference idioms `allOf: [{$ref}]` or `oneOf: [{$ref}]` (or
/// `anyOf`) with no other structure.
fn ref_name(schema: &Value) -> Option<String> {
    let obj = schema.as_object()?;
    if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
        return r
            .strip_prefix(SCHEMA_PREFIX)
            .map(|n| n.replace("~1", "/").replace("~0", "~"));
    }
    let structural = [
        "properties",
        "type",
        "items",
        "enum",
        "additionalProperties",
    ];
    if structural.iter().any(|k| obj.contains_key(*k)) {
        return None;
    }
    let mut wrappers = ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|k| obj.get(*k).and_then(Value::as_array));
    match (wrappers.next(), wrappers.next()) {
        (Some(members), None) if members.len() == 1 => members.first().and_then(ref_name),
        _ => None,
    }
}

/// A `oneOf`/`anyOf` of a single member is that member (3.0 writes a
/// nullable reference as `oneOf: [{$ref}], nullable: true`).
fn single_member(members: &[Value]) -> Option<&Value> {
    match members {
        [single] => Some(single),
        _ => None,
    }
}

/// The merged view of `schema` in `doc`.
fn view<'a>(doc: &'a Value, schema: &'a Value) -> View<'a> {
    let mut v = View {
        name: ref_name(schema),
        ..View::default()
    };
    collect(doc, schema, &mut v, 0);
    if v.ty.is_none() {
        if !v.properties.is_empty() || v.additional.is_some() {
            v.ty = Some("object");
        } else if v.items.is_some() {
            v.ty = Some("array");
        }
    }
    v
}

fn collect<'a>(doc: &'a Value, schema: &'a Value, v: &mut View<'a>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(obj) = schema.as_object() else {
        return;
    };
    let flag = |key: &str| obj.get(key).and_then(Value::as_bool) == Some(true);
    v.nullable |= flag("nullable");
    v.read_only |= flag("readOnly");
    v.write_only |= flag("writeOnly");
    if let Some(target) = obj
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| doc.pointer(p))
    {
        collect(doc, target, v, depth + 1);
    }
    if v.ty.is_none() {
        v.ty = obj.get("type").and_then(Value::as_str);
    }
    if v.format.is_none() {
        v.format = obj.get("format").and_then(Value::as_str);
    }
    if v.enum_values.is_none() {
        v.enum_values = obj.get("enum").and_then(Value::as_array);
    }
    if v.items.is_none() {
        v.items = obj.get("items").filter(|i| i.is_object());
    }
    if v.additional.is_none() {
        v.additional = obj.get("additionalProperties").filter(|a| a.is_object());
    }
    for key in ["oneOf", "anyOf"] {
        let Some(members) = obj.get(key).and_then(Value::as_array) else {
            continue;
        };
        match single_member(members) {
            Some(member) => collect(doc, member, v, depth + 1),
            None if v.union.is_none() => v.union = Some(members),
            None => {}
        }
    }
    if let Some(Value::Object(props)) = obj.get("properties") {
        for (name, prop) in props {
            if !v.properties.iter().any(|(n, _)| n == name) {
                v.properties.push((name.as_str(), prop));
            }
        }
    }
    if let Some(Value::Array(required)) = obj.get("required") {
        v.required.extend(required.iter().filter_map(Value::as_str));
    }
    if let Some(Value::Array(members)) = obj.get("allOf") {
        for member in members {
            collect(doc, member, v, depth + 1);
        }
    }
}

/// `type` plus `format`, for messages.
fn type_name(v: &View<'_>) -> String {
    match (v.ty, v.format) {
        (Some(t), Some(f)) => format!("{t} ({f})"),
        (Some(t), None) => t.to_string(),
        (None, _) => "untyped".to_string(),
    }
}

/// An enum value for messages: strings in backticks, others as JSON.
fn show(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => other.to_string(),
    }
}

/// Names of the component schemas reachable from the operations of `doc`.
fn referenced_schemas(doc: &Value) -> HashSet<String> {
    let mut found = HashSet::new();
    let mut queue = Vec::new();
    if let Some(paths) = doc.get("paths") {
        refs_in(paths, &mut queue);
    }
    while let Some(name) = queue.pop() {
        if !found.insert(name.clone()) {
            continue;
        }
        let pointer = format!("/components/schemas/{}", escape(&name));
        if let Some(schema) = doc.pointer(&pointer) {
            refs_in(schema, &mut queue);
        }
    }
    found
}

/// Pushes the component schema names referenced anywhere in `value`.
fn refs_in(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "$ref"
                    && let Some(name) = v.as_str().and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
                {
                    out.push(name.replace("~1", "/").replace("~0", "~"));
                } else {
                    refs_in(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs_in(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn load(rel: &str) -> Option<Value> {
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

    fn pair(old: &str, new: &str) -> Option<Report> {
        let old = load(old)?;
        let new = load(new)?;
        Some(diff(&old, &new).unwrap())
    }

    fn find<'r>(report: &'r Report, kind: ChangeKind, location: &str) -> Option<&'r Change> {
        report
            .changes
            .iter()
            .find(|c| c.kind == kind && c.location == location)
    }

    const CS: &str = "/v1/organizations/{organizationId}/services/{serviceId}/clickstack";

    /// A small document with one operation taking `params` and a request
    /// body `req`, answering `resp`.
    fn doc(version: &str, params: Value, req: Value, resp: Value, schemas: Value) -> Value {
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

    fn id_param() -> Value {
        json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}})
    }

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
        // Response field a: required -> optional is breaking; request side is fine.
        let report = diff(&mk(json!(["a"])), &mk(json!([]))).unwrap();
        let change = find(&report, ChangeKind::FieldTypeChanged, "schema In.a").unwrap();
        assert_eq!(change.severity, Severity::Breaking);
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
        assert_eq!(
            sev(ChangeKind::ResponseFieldRemoved, "schema Out.a"),
            Some(Severity::Breaking)
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
        assert!(text.starts_with("[breaking] response_field_removed schema Out.a: "));
        assert!(text.ends_with("1 breaking, 4 compatible\n"), "{text}");
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
        let added = report
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::OperationAdded)
            .count();
        assert_eq!(added, 38 - 11);
    }
}
