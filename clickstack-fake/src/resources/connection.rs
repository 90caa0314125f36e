//! ClickHouse connections (HyperDX only), which sources reference. The
//! fake starts with one, [`FakeServer::DEFAULT_CONNECTION_ID`]; passwords
//! are write-only; unknown ids get the plain-text `Not Found`.
//!
//! [`FakeServer::DEFAULT_CONNECTION_ID`]: crate::FakeServer::DEFAULT_CONNECTION_ID

use serde_json::{Map, Value, json};

use super::{Ctx, Outcome, check_id, id_issues, object, text};
use crate::FakeServer;
use crate::api::Op;
use crate::ids::{now_iso, object_id};
use crate::problems::{Failure, Issue, Problems, zod};
use crate::schema;
use crate::store::{Item, Kind, Store};

/// Runs `op` on connections.
pub(crate) fn execute(ctx: &mut Ctx<'_>, op: Op, body: &Value) -> Result<Outcome, Failure> {
    match op {
        Op::List => {
            let items: Vec<Value> = ctx
                .store
                .list(Kind::Connection)
                .iter()
                .map(render)
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
                .get(Kind::Connection, &id)
                .map(|c| Outcome::One(render(c)))
                .ok_or(Failure::NotFoundText)
        }
        Op::Create => {
            Problems {
                body: schema_issues(body, false),
                ..Problems::default()
            }
            .into_result()?;
            let map = object(body).map_err(Failure::body)?;
            let item = stored(map, None);
            ctx.insert(Kind::Connection, item.clone())?;
            Ok(Outcome::One(render(&item)))
        }
        Op::Update(id) => {
            Problems {
                body: schema_issues(body, true),
                params: id_issues(&id),
                ..Problems::default()
            }
            .into_result()?;
            let map = object(body).map_err(Failure::body)?;
            let existing = ctx
                .store
                .get(Kind::Connection, &id)
                .cloned()
                .ok_or(Failure::NotFoundText)?;
            let item = stored(map, Some(&existing));
            ctx.replace(Kind::Connection, &id, item.clone())?;
            Ok(Outcome::One(render(&item)))
        }
        Op::Delete(id) => {
            check_id(&id)?;
            if ctx.remove_where(Kind::Connection, |c| text(c, "id") == Some(id.as_str())) == 0 {
                return Err(Failure::NotFoundText);
            }
            Ok(Outcome::Deleted)
        }
        Op::Validate => Err(Failure::NotFoundText),
    }
}

/// The generated request type, then `hyperdxSettingPrefix`'s pattern.
fn schema_issues(body: &Value, update: bool) -> Vec<Issue> {
    let Ok(map) = object(body) else {
        return vec![Issue::new("", zod::expected("object", body))];
    };
    if let Err(issue) = schema::connection(update)(body) {
        return vec![issue];
    }
    let prefix = text(map, "hyperdxSettingPrefix").unwrap_or_default();
    if !prefix
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return vec![Issue::new("hyperdxSettingPrefix", "Invalid")];
    }
    Vec::new()
}

/// A connection as returned: never its password.
fn render(item: &Item) -> Value {
    let mut out = item.clone();
    out.remove("password");
    Value::Object(out)
}

/// The stored form; on update an empty password keeps the old one, and a
/// null or empty `hyperdxSettingPrefix` clears it.
fn stored(map: &Map<String, Value>, previous: Option<&Item>) -> Item {
    let now = now_iso();
    let mut item = Map::new();
    let id = previous
        .and_then(|p| text(p, "id"))
        .map_or_else(object_id, str::to_owned);
    item.insert("id".into(), json!(id));
    for key in ["name", "host", "username", "isPrometheusEndpoint"] {
        super::copy(&mut item, map, key);
    }
    if let Some(prefix) = text(map, "hyperdxSettingPrefix").filter(|p| !p.is_empty()) {
        item.insert("hyperdxSettingPrefix".into(), json!(prefix));
    }
    let password = text(map, "password")
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .or_else(|| {
            previous
                .and_then(|p| text(p, "password"))
                .map(str::to_owned)
        })
        .unwrap_or_default();
    item.insert("password".into(), json!(password));
    let created = previous
        .and_then(|p| p.get("createdAt"))
        .cloned()
        .unwrap_or_else(|| json!(now));
    item.insert("createdAt".into(), created);
    item.insert("updatedAt".into(), json!(now));
    item
}

/// Stores the default connection every fake starts with.
pub(crate) fn seed_default(store: &mut Store) {
    let now = now_iso();
    let item = json!({
        "id": FakeServer::DEFAULT_CONNECTION_ID,
        "name": "Local ClickHouse",
        "host": "http://localhost:8123",
        "username": "default",
        "password": "",
        "createdAt": now,
        "updatedAt": now,
    });
    if let Value::Object(item) = item {
        // A fresh store always has room for one item.
        let _ = store.insert(Kind::Connection, item);
    }
}
