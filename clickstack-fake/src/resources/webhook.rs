//! Webhooks: HyperDX's `externalWebhookCreateSchema` (trimmed names, URL,
//! slack without headers/queryParams/body, write-only records), unique
//! `(service, name)`, `headers`/`queryParams` never returned and kept on
//! `PUT` when omitted unless the destination changed, `description`/`body`
//! cleared when omitted, and `409` when deleting a webhook an alert uses.

use serde_json::{Map, Value, json};

use super::webhook_rules::{parse_url, record_issues, url_problem};
use super::{Ctx, Outcome, check_id, id_issues, max_len, object, paging, text};
use crate::api::Op;
use crate::http::Request;
use crate::ids::{now_iso, object_id};
use crate::problems::{Failure, Issue, Problems, zod};
use crate::schema::{self, Enum};
use crate::store::{Item, Kind};

/// HyperDX's message for a duplicate `(service, name)`.
const DUPLICATE: &str = "A webhook with this service and name already exists";

/// Runs `op` on webhooks.
pub(crate) fn execute(
    ctx: &mut Ctx<'_>,
    op: Op,
    body: &Value,
    request: &Request,
) -> Result<Outcome, Failure> {
    match op {
        Op::List => paging::paged(ctx.store.list(Kind::Webhook), request, render),
        // There is no `GET /webhooks/{id}`; the router never gets here.
        Op::Get(_) => Err(not_found()),
        Op::Create => {
            Problems {
                body: schema_issues(ctx, body),
                ..Problems::default()
            }
            .into_result()?;
            let map = object(body).map_err(Failure::body)?;
            let item = stored(map, None);
            check_destination(ctx, &item, None)?;
            ctx.insert(Kind::Webhook, item.clone())?;
            Ok(Outcome::One(render(&item)))
        }
        Op::Update(id) => {
            Problems {
                body: schema_issues(ctx, body),
                params: id_issues(&id),
                ..Problems::default()
            }
            .into_result()?;
            let map = object(body).map_err(Failure::body)?;
            let existing = ctx
                .store
                .get(Kind::Webhook, &id)
                .cloned()
                .ok_or_else(not_found)?;
            let item = stored(map, Some(&existing));
            check_destination(ctx, &item, Some(&id))?;
            ctx.replace(Kind::Webhook, &id, item.clone())?;
            Ok(Outcome::One(render(&item)))
        }
        Op::Delete(id) => {
            check_id(&id)?;
            // Only the legacy first channel is looked at, as the server does
            // (`Alert.countDocuments({'channel.webhookId': id})`).
            let users = ctx
                .store
                .list(Kind::Alert)
                .iter()
                .filter(|a| {
                    a.get("channel")
                        .and_then(|c| c.get("webhookId"))
                        .and_then(Value::as_str)
                        == Some(id.as_str())
                })
                .count();
            if users > 0 {
                return Err(Failure::Conflict(format!(
                    "Cannot delete webhook: {users} alert(s) still reference it. Reassign or remove those alerts first."
                )));
            }
            if ctx.remove_where(Kind::Webhook, |w| text(w, "id") == Some(id.as_str())) == 0 {
                return Err(not_found());
            }
            Ok(Outcome::Deleted)
        }
        Op::Validate => Ok(Outcome::Bare(validate(ctx, body))),
    }
}

/// HyperDX's 404 for webhooks.
fn not_found() -> Failure {
    Failure::NotFound("Webhook not found".to_owned())
}

/// A stored webhook as both APIs return it: never `headers` or
/// `queryParams`; `body` only for `generic` webhooks.
pub(crate) fn render(item: &Item) -> Value {
    let mut out = Map::new();
    for key in [
        "id",
        "name",
        "service",
        "url",
        "description",
        "createdAt",
        "updatedAt",
    ] {
        super::copy(&mut out, item, key);
    }
    if text(item, "service") == Some("generic") {
        super::copy(&mut out, item, "body");
    }
    Value::Object(out)
}

/// Everything the webhook body schema rejects.
fn schema_issues(ctx: &Ctx<'_>, body: &Value) -> Vec<Issue> {
    let Ok(map) = object(body) else {
        return vec![Issue::new("", zod::expected("object", body))];
    };
    if let Err(issue) = schema::webhook(ctx.api)(body) {
        return vec![issue];
    }
    let mut issues = Vec::new();
    super::null_issues(map, &["description", "body"], "string", &mut issues);
    super::null_issues(map, &["headers", "queryParams"], "object", &mut issues);
    let name = text(map, "name").unwrap_or_default().trim();
    if name.is_empty() {
        issues.push(Issue::new("name", zod::string_min(1)));
    } else if name.chars().count() > 1024 {
        issues.push(Issue::new("name", zod::string_max(1024)));
    }
    let service = map.get("service").cloned().unwrap_or(Value::Null);
    if !schema::known(ctx.api, Enum::WebhookService, &service) {
        issues.push(Issue::new("service", zod::invalid_enum(&service)));
    }
    let url = text(map, "url").unwrap_or_default();
    if parse_url(url).is_none() {
        issues.push(Issue::new("url", "Invalid url"));
    }
    max_len(map, "url", 2048, &mut issues);
    max_len(map, "description", 2048, &mut issues);
    max_len(map, "body", 16 * 1024, &mut issues);
    for field in ["queryParams", "headers"] {
        if let Some(record) = map.get(field).and_then(Value::as_object) {
            issues.extend(record_issues(field, record));
        }
    }
    if service == "slack" {
        for field in ["headers", "queryParams", "body"] {
            if map.get(field).is_some_and(|v| !v.is_null()) {
                issues.push(Issue::new(
                    field,
                    format!("{field} is not supported for the slack webhook service"),
                ));
            }
        }
    }
    issues
}

/// The stored form of a valid body. On `PUT` (`previous`), `description`
/// and `body` are cleared when omitted; `headers`/`queryParams` are kept
/// when omitted unless `url` or `service` changed, and `{}` clears them.
fn stored(map: &Map<String, Value>, previous: Option<&Item>) -> Item {
    let now = now_iso();
    let mut item = Map::new();
    let id = previous
        .and_then(|p| text(p, "id"))
        .map_or_else(object_id, str::to_owned);
    item.insert("id".into(), json!(id));
    item.insert(
        "name".into(),
        json!(text(map, "name").unwrap_or_default().trim()),
    );
    for key in ["service", "url", "description", "body"] {
        super::copy(&mut item, map, key);
    }
    let same_destination = previous
        .is_some_and(|p| p.get("url") == map.get("url") && p.get("service") == map.get("service"));
    for key in ["headers", "queryParams"] {
        match map.get(key).and_then(Value::as_object) {
            Some(record) if record.is_empty() => {}
            Some(record) => {
                item.insert(key.to_owned(), Value::Object(record.clone()));
            }
            None if same_destination => {
                if let Some(kept) = previous.and_then(|p| p.get(key)) {
                    item.insert(key.to_owned(), kept.clone());
                }
            }
            None => {}
        }
    }
    let created = previous
        .and_then(|p| p.get("createdAt"))
        .cloned()
        .unwrap_or_else(|| json!(now));
    item.insert("createdAt".into(), created);
    item.insert("updatedAt".into(), json!(now));
    item
}

/// The checks after the schema: the URL rules, then the unique
/// `(service, name)` (ignoring the webhook being updated).
fn check_destination(ctx: &Ctx<'_>, item: &Item, updating: Option<&str>) -> Result<(), Failure> {
    let service = text(item, "service").unwrap_or_default();
    if let Some(message) = url_problem(service, text(item, "url").unwrap_or_default()) {
        return Err(Failure::BadRequest(message));
    }
    let duplicate = ctx.store.list(Kind::Webhook).iter().any(|w| {
        text(w, "id") != updating
            && text(w, "service") == Some(service)
            && text(w, "name") == text(item, "name")
    });
    if duplicate {
        return Err(Failure::BadRequest(DUPLICATE.to_owned()));
    }
    Ok(())
}

/// Cloud's `POST /webhooks/validate`: `{valid, errors, normalized}`, never
/// stored; `normalized` is the webhook as it would be returned (without
/// server fields or secrets). Inferred from the dashboard validation
/// endpoint: schema issues with their paths, then the URL and
/// uniqueness checks with an empty path.
fn validate(ctx: &Ctx<'_>, body: &Value) -> Value {
    let issues = schema_issues(ctx, body);
    let errors: Vec<Value> = issues
        .iter()
        .map(|i| json!({"path": i.path, "message": i.message}))
        .collect();
    if !errors.is_empty() {
        return json!({"valid": false, "errors": errors, "normalized": null});
    }
    let Ok(map) = object(body) else {
        return json!({"valid": false, "errors": [], "normalized": null});
    };
    let item = stored(map, None);
    if let Err(failure) = check_destination(ctx, &item, None) {
        return json!({
            "valid": false,
            "errors": [{"path": "", "message": failure.message()}],
            "normalized": null,
        });
    }
    let mut normalized = render(&item);
    if let Some(out) = normalized.as_object_mut() {
        for key in ["id", "createdAt", "updatedAt"] {
            out.remove(key);
        }
    }
    json!({"valid": true, "errors": [], "normalized": normalized})
}
