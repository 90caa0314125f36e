//! The API-neutral part of every resource operation: body validation
//! against the fields each spec marks required, server-assigned fields
//! (ids, timestamps, team, alert state) and the store changes. The two API
//! modules only route, authenticate and wrap the [`Outcome`] in their
//! envelopes.

use bytes::Bytes;
use serde_json::{Map, Value};

use super::http::{Op, json_object, json_type};
use super::ids::{now_iso, object_id};
use super::store::{Kind, Store};

/// The team every HyperDX resource belongs to.
pub(crate) const TEAM_ID: &str = "65f5e4a3b9e77c001a000001";

/// Which API a request came through; a few required fields differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    /// The HyperDX External API v2.
    Oss,
    /// The ClickHouse Cloud API's ClickStack endpoints.
    Cloud,
}

/// The result of a successful operation, before the API's envelope.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// One stored item (get, create, update).
    One(Map<String, Value>),
    /// Every item of a kind, oldest first (list).
    Many(Vec<Map<String, Value>>),
    /// The item was deleted.
    Deleted,
    /// A dashboard validation result.
    Validation {
        /// `{path, message}` objects; empty when valid.
        errors: Vec<Value>,
        /// The body when valid.
        normalized: Option<Map<String, Value>>,
    },
}

/// Why an operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// 400 with this message.
    BadRequest(String),
    /// 404: no item of this kind has the id.
    NotFound(Kind),
}

impl Failure {
    /// The HTTP status.
    pub(crate) fn status(&self) -> u16 {
        match self {
            Failure::BadRequest(_) => 400,
            Failure::NotFound(_) => 404,
        }
    }

    /// The error message.
    pub(crate) fn message(&self) -> String {
        match self {
            Failure::BadRequest(message) => message.clone(),
            Failure::NotFound(kind) => format!("NOT_FOUND: {} not found", kind.label()),
        }
    }
}

/// Runs `op` on the `kind` collection.
pub(crate) fn execute(
    store: &mut Store,
    kind: Kind,
    op: Op,
    body: &Bytes,
    api: Api,
) -> Result<Outcome, Failure> {
    match op {
        Op::List => Ok(Outcome::Many(store.list(kind).to_vec())),
        Op::Get(id) => store
            .get(kind, &id)
            .cloned()
            .map(Outcome::One)
            .ok_or(Failure::NotFound(kind)),
        Op::Create => {
            let item = checked_body(kind, api, body)?;
            let item = with_server_fields(kind, item, None, &object_id());
            store.insert(kind, item.clone());
            Ok(Outcome::One(item))
        }
        Op::Update(id) => {
            let previous = store
                .get(kind, &id)
                .cloned()
                .ok_or(Failure::NotFound(kind))?;
            let item = checked_body(kind, api, body)?;
            let item = with_server_fields(kind, item, Some(&previous), &id);
            store.replace(kind, &id, item.clone());
            Ok(Outcome::One(item))
        }
        Op::Delete(id) => {
            if store.remove(kind, &id) {
                Ok(Outcome::Deleted)
            } else {
                Err(Failure::NotFound(kind))
            }
        }
        Op::Validate => validate(kind, api, body),
    }
}

/// Drops write-only fields (webhook `headers` and `queryParams`) before an
/// item is returned by any endpoint.
pub(crate) fn readable(kind: Kind, mut item: Map<String, Value>) -> Map<String, Value> {
    if kind == Kind::Webhook {
        item.remove("headers");
        item.remove("queryParams");
    }
    item
}

/// `POST dashboards/validate`: always a result, never stored.
fn validate(kind: Kind, api: Api, body: &Bytes) -> Result<Outcome, Failure> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|err| Failure::BadRequest(format!("Invalid JSON body: {err}")))?;
    let errors: Vec<Value> = match &value {
        Value::Object(map) => problems(kind, api, map)
            .into_iter()
            .map(|(path, message)| serde_json::json!({"path": path, "message": message}))
            .collect(),
        other => vec![serde_json::json!({
            "path": "",
            "message": format!("Expected object, received {}", json_type(other)),
        })],
    };
    let normalized = match value {
        Value::Object(map) if errors.is_empty() => Some(map),
        _ => None,
    };
    Ok(Outcome::Validation { errors, normalized })
}

/// The body as an object that has every required field, or the 400.
fn checked_body(kind: Kind, api: Api, body: &Bytes) -> Result<Map<String, Value>, Failure> {
    let item = json_object(body).map_err(Failure::BadRequest)?;
    let problems = problems(kind, api, &item);
    if problems.is_empty() {
        Ok(item)
    } else {
        let details: Vec<String> = problems
            .iter()
            .map(|(path, message)| format!("{path}: {message}"))
            .collect();
        Err(Failure::BadRequest(format!(
            "Body validation failed: {}",
            details.join("; ")
        )))
    }
}

/// The JSON type a required field must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    String,
    Number,
    Array,
    Object,
}

impl Want {
    fn name(self) -> &'static str {
        match self {
            Want::String => "string",
            Want::Number => "number",
            Want::Array => "array",
            Want::Object => "object",
        }
    }

    fn accepts(self, value: &Value) -> bool {
        match self {
            Want::String => value.is_string(),
            Want::Number => value.is_number(),
            Want::Array => value.is_array(),
            Want::Object => value.is_object(),
        }
    }
}

/// Fields every source kind requires.
const SOURCE_COMMON: &[(&str, Want)] = &[
    ("name", Want::String),
    ("kind", Want::String),
    ("connection", Want::String),
    ("from", Want::Object),
];

/// The source kinds and the fields each requires beyond [`SOURCE_COMMON`].
const SOURCE_KINDS: &[(&str, &[(&str, Want)])] = &[
    (
        "log",
        &[
            ("defaultTableSelectExpression", Want::String),
            ("timestampValueExpression", Want::String),
        ],
    ),
    (
        "trace",
        &[
            ("defaultTableSelectExpression", Want::String),
            ("timestampValueExpression", Want::String),
            ("durationExpression", Want::String),
            ("durationPrecision", Want::Number),
            ("traceIdExpression", Want::String),
            ("spanIdExpression", Want::String),
            ("parentSpanIdExpression", Want::String),
            ("spanNameExpression", Want::String),
            ("spanKindExpression", Want::String),
        ],
    ),
    (
        "metric",
        &[
            ("metricTables", Want::Object),
            ("timestampValueExpression", Want::String),
            ("resourceAttributesExpression", Want::String),
        ],
    ),
    ("session", &[("traceSourceId", Want::String)]),
    ("promql", &[("timestampValueExpression", Want::String)]),
];

/// What is wrong with `body` as a `kind` create/update body, as zod-style
/// `(path, message)` pairs; empty when it is acceptable.
fn problems(kind: Kind, api: Api, body: &Map<String, Value>) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut check = |fields: &[(&str, Want)]| {
        for (field, want) in fields {
            match body.get(*field) {
                None | Some(Value::Null) => {
                    found.push(((*field).to_owned(), "Required".to_owned()))
                }
                // Names are `z.string().min(1)` on the server.
                Some(Value::String(text)) if *field == "name" && text.is_empty() => found.push((
                    (*field).to_owned(),
                    "String must contain at least 1 character(s)".to_owned(),
                )),
                Some(value) if !want.accepts(value) => found.push((
                    (*field).to_owned(),
                    format!("Expected {}, received {}", want.name(), json_type(value)),
                )),
                Some(_) => {}
            }
        }
    };
    match kind {
        Kind::Dashboard => check(&[("name", Want::String), ("tiles", Want::Array)]),
        // The Cloud spec marks no alert field required.
        Kind::Alert if api == Api::Cloud => {}
        Kind::Alert => check(&[
            ("threshold", Want::Number),
            ("interval", Want::String),
            ("thresholdType", Want::String),
        ]),
        Kind::Webhook => check(&[
            ("name", Want::String),
            ("service", Want::String),
            ("url", Want::String),
        ]),
        Kind::SavedSearch => check(&[("name", Want::String), ("sourceId", Want::String)]),
        Kind::Source => {
            check(SOURCE_COMMON);
            if let Some(Value::String(source_kind)) = body.get("kind") {
                match SOURCE_KINDS.iter().find(|(name, _)| name == source_kind) {
                    Some((_, fields)) => check(fields),
                    None => found.push((
                        "kind".to_owned(),
                        "Invalid discriminator value. Expected 'log' | 'trace' | 'metric' | \
                         'session' | 'promql'"
                            .to_owned(),
                    )),
                }
            }
        }
    }
    if kind == Kind::Webhook && body.get("service").and_then(Value::as_str) == Some("slack") {
        for field in ["body", "headers", "queryParams"] {
            if body.get(field).is_some_and(|v| !v.is_null()) {
                found.push((
                    field.to_owned(),
                    "Not supported for the slack service".to_owned(),
                ));
            }
        }
    }
    found
}

/// Adds the fields the server owns to a validated body: `id`, ids of tiles
/// and filters, team, alert state and timestamps. On update, `previous`
/// provides what is kept (creation time, alert state, webhook secrets).
fn with_server_fields(
    kind: Kind,
    mut item: Map<String, Value>,
    previous: Option<&Map<String, Value>>,
    id: &str,
) -> Map<String, Value> {
    let now = now_iso();
    item.insert("id".into(), Value::String(id.to_owned()));
    let kept = |field: &str| previous.and_then(|p| p.get(field)).cloned();
    match kind {
        Kind::Dashboard => {
            for list in ["tiles", "filters"] {
                if let Some(Value::Array(entries)) = item.get_mut(list) {
                    entries.iter_mut().for_each(assign_missing_id);
                }
            }
        }
        Kind::Alert => {
            let state = kept("state").unwrap_or_else(|| Value::String("OK".into()));
            item.insert("state".into(), state);
            item.insert("teamId".into(), Value::String(TEAM_ID.into()));
        }
        Kind::SavedSearch => {
            item.insert("teamId".into(), Value::String(TEAM_ID.into()));
        }
        Kind::Webhook => {
            if let Some(previous) = previous {
                keep_webhook_secrets(&mut item, previous);
            }
        }
        Kind::Source => {}
    }
    if matches!(kind, Kind::Alert | Kind::SavedSearch | Kind::Webhook) {
        let created = kept("createdAt").unwrap_or_else(|| Value::String(now.clone()));
        item.insert("createdAt".into(), created);
        item.insert("updatedAt".into(), Value::String(now));
    }
    item
}

/// Gives a tile or filter object without a string `id` a new one.
fn assign_missing_id(entry: &mut Value) {
    if let Value::Object(entry) = entry
        && !entry.get("id").is_some_and(Value::is_string)
    {
        entry.insert("id".into(), Value::String(object_id()));
    }
}

/// HyperDX's PUT rule for webhooks: omitted `headers`/`queryParams` are
/// preserved unless the destination (`url` or `service`) changed.
fn keep_webhook_secrets(item: &mut Map<String, Value>, previous: &Map<String, Value>) {
    let same_destination = ["url", "service"]
        .iter()
        .all(|field| item.get(*field) == previous.get(*field));
    if !same_destination {
        return;
    }
    for field in ["headers", "queryParams"] {
        if !item.contains_key(field)
            && let Some(value) = previous.get(field)
        {
            item.insert(field.into(), value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(store: &mut Store, kind: Kind, op: Op, body: Value) -> Result<Outcome, Failure> {
        let bytes = Bytes::from(serde_json::to_vec(&body).unwrap_or_default());
        execute(store, kind, op, &bytes, Api::Oss)
    }

    #[test]
    fn create_assigns_ids_and_requires_fields() {
        let mut store = Store::default();
        let created = run(
            &mut store,
            Kind::Dashboard,
            Op::Create,
            json!({"name": "d", "tiles": [{"name": "t", "x": 0, "y": 0, "w": 1, "h": 1}]}),
        );
        let Ok(Outcome::One(item)) = created else {
            panic!("create failed: {created:?}");
        };
        assert!(item["id"].is_string());
        assert!(item["tiles"][0]["id"].is_string());

        let missing = run(
            &mut store,
            Kind::Dashboard,
            Op::Create,
            json!({"tiles": []}),
        );
        assert_eq!(
            missing.err(),
            Some(Failure::BadRequest(
                "Body validation failed: name: Required".into()
            ))
        );
        let not_object = run(&mut store, Kind::Dashboard, Op::Create, json!([1]));
        assert!(matches!(not_object, Err(Failure::BadRequest(_))));
    }

    #[test]
    fn webhook_secrets_are_kept_on_same_destination() {
        let mut store = Store::default();
        let body =
            json!({"name": "w", "service": "generic", "url": "http://x", "headers": {"a": "b"}});
        let Ok(Outcome::One(item)) = run(&mut store, Kind::Webhook, Op::Create, body) else {
            panic!("create failed");
        };
        let id = item["id"].as_str().unwrap_or_default().to_owned();
        let update = json!({"name": "w2", "service": "generic", "url": "http://x"});
        let Ok(Outcome::One(updated)) = run(&mut store, Kind::Webhook, Op::Update(id), update)
        else {
            panic!("update failed");
        };
        assert_eq!(updated["headers"], json!({"a": "b"}));
        assert!(!readable(Kind::Webhook, updated).contains_key("headers"));
    }

    #[test]
    fn sources_check_kind_specific_fields() {
        let body = json!({"name": "s", "kind": "session", "connection": "c",
                          "from": {"databaseName": "d", "tableName": "t"}});
        let map = body.as_object().cloned().unwrap_or_default();
        assert_eq!(
            problems(Kind::Source, Api::Oss, &map),
            vec![("traceSourceId".to_owned(), "Required".to_owned())]
        );
    }
}
