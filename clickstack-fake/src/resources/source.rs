//! Sources: discriminated on `kind` (each kind's generated type), the
//! connection must exist, `PUT` replaces the whole source, and the stored
//! source is returned with the defaults HyperDX's models fill in.

use serde_json::{Map, Value, json};

use super::{Ctx, Outcome, check_id, id_issues, object, text};
use crate::api::{Api, Op};
use crate::ids::{is_object_id, object_id};
use crate::problems::{Failure, Issue, Problems, zod};
use crate::schema;
use crate::store::{Item, Kind, Store};

/// Runs `op` on sources.
pub(crate) fn execute(ctx: &mut Ctx<'_>, op: Op, body: &Value) -> Result<Outcome, Failure> {
    match op {
        Op::List => {
            let items: Vec<Value> = ctx
                .store
                .list(Kind::Source)
                .iter()
                .map(|s| Value::Object(s.clone()))
                .collect();
            Ok(Outcome::List {
                total: items.len(),
                items,
                page: None,
            })
        }
        Op::Get(id) => {
            check_id(&id)?;
            ctx.store
                .get(Kind::Source, &id)
                .map(|s| Outcome::One(Value::Object(s.clone())))
                .ok_or_else(not_found)
        }
        Op::Create => create(ctx, body).map(|item| Outcome::One(Value::Object(item))),
        Op::Update(id) => {
            Problems {
                body: schema_issues(ctx.api, body),
                params: id_issues(&id),
                ..Problems::default()
            }
            .into_result()?;
            let map = object(body).map_err(Failure::body)?;
            require_connection(ctx.store, map)?;
            if !ctx.store.contains(Kind::Source, &id) {
                return Err(not_found());
            }
            let item = stored(map, &id);
            ctx.replace(Kind::Source, &id, item.clone())?;
            Ok(Outcome::One(Value::Object(item)))
        }
        Op::Delete(id) => {
            check_id(&id)?;
            if ctx.remove_where(Kind::Source, |s| text(s, "id") == Some(id.as_str())) == 0 {
                return Err(not_found());
            }
            Ok(Outcome::Deleted)
        }
        Op::Validate => Err(not_found()),
    }
}

/// `POST /sources`: the stored source.
fn create(ctx: &mut Ctx<'_>, body: &Value) -> Result<Item, Failure> {
    Problems {
        body: schema_issues(ctx.api, body),
        ..Problems::default()
    }
    .into_result()?;
    let map = object(body).map_err(Failure::body)?;
    require_connection(ctx.store, map)?;
    let item = stored(map, &object_id());
    ctx.insert(Kind::Source, item.clone())?;
    Ok(item)
}

/// Stores `body` as if `POST /api/v2/sources` had received it; the new id
/// or the error message.
pub(crate) fn seed(store: &mut Store, body: &Value) -> Result<String, String> {
    let mut ctx = Ctx::new(Api::Oss, store);
    create(&mut ctx, body)
        .map(|item| text(&item, "id").unwrap_or_default().to_owned())
        .map_err(|failure| failure.message())
}

/// HyperDX's 404 for sources.
fn not_found() -> Failure {
    Failure::NotFound("Source not found".to_owned())
}

/// The kind's generated type, picked by the `kind` discriminator.
fn schema_issues(api: Api, body: &Value) -> Vec<Issue> {
    let Ok(map) = object(body) else {
        return vec![Issue::new("", zod::expected("object", body))];
    };
    let kinds = schema::sources(api);
    let kind = text(map, "kind").unwrap_or_default();
    let Some((_, check)) = kinds.iter().find(|(name, _)| *name == kind) else {
        let allowed: Vec<&str> = kinds.iter().map(|(name, _)| *name).collect();
        return vec![Issue::new("kind", zod::invalid_discriminator(&allowed))];
    };
    match check(body) {
        Ok(()) => Vec::new(),
        Err(issue) => vec![issue],
    }
}

/// The connection must be a valid, existing connection id (400 otherwise).
fn require_connection(store: &Store, map: &Map<String, Value>) -> Result<(), Failure> {
    let connection = text(map, "connection").unwrap_or_default();
    if !is_object_id(connection) {
        return Err(Failure::BadRequest(
            "connection must be a valid connection id".to_owned(),
        ));
    }
    if !store.contains(Kind::Connection, connection) {
        return Err(Failure::BadRequest(
            "connection must be an existing connection id".to_owned(),
        ));
    }
    Ok(())
}

/// The stored form: the body with id `id` and the model's defaults
/// (inferred from HyperDX's Mongoose schema: `disabled: false`,
/// `querySettings: []`; log and trace sources `materializedViews: []` and
/// empty highlighted attribute lists; trace `durationPrecision: 3`;
/// session `timestampValueExpression: 'TimestampTime'`).
fn stored(map: &Map<String, Value>, id: &str) -> Item {
    let mut item = map.clone();
    item.insert("id".into(), json!(id));
    let mut default = |key: &str, value: Value| {
        if item.get(key).is_none_or(Value::is_null) {
            item.insert(key.to_owned(), value);
        }
    };
    default("disabled", json!(false));
    default("querySettings", json!([]));
    match text(map, "kind") {
        Some("log" | "trace") => {
            default("materializedViews", json!([]));
            default("highlightedRowAttributeExpressions", json!([]));
            default("highlightedTraceAttributeExpressions", json!([]));
            if text(map, "kind") == Some("trace") {
                default("durationPrecision", json!(3));
            }
        }
        Some("session") => default("timestampValueExpression", json!("TimestampTime")),
        _ => {}
    }
    item
}
