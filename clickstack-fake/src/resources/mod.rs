//! The API-neutral part of every operation: validation in the server's
//! order and words, the values the server stores and returns, PUT
//! semantics, references between resources and cascades. The API modules
//! only route, authenticate and wrap the [`Outcome`] in their envelopes.

mod alert;
mod charts;
mod connection;
mod dashboard;
mod filters;
mod paging;
mod saved_search;
mod select;
mod source;
mod tiles;
mod webhook;
mod webhook_rules;

use serde_json::{Map, Value};

use crate::api::{Api, Route};
use crate::http::Request;
use crate::ids::is_object_id;
use crate::problems::{Failure, Issue, zod};
use crate::store::{Item, Kind, Store};

pub(crate) use connection::seed_default as seed_default_connection;
pub(crate) use source::seed as seed_source;

/// The team every resource belongs to.
pub(crate) const TEAM_ID: &str = "65f5e4a3b9e77c001a000001";
/// The user the API keys belong to.
pub(crate) const USER_ID: &str = "65f5e4a3b9e77c001a000002";

/// One operation's access to the store.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    /// The API the request came through.
    pub(crate) api: Api,
    /// The store, locked for the whole operation.
    pub(crate) store: &'a mut Store,
    /// Whether the operation changed the store.
    pub(crate) wrote: bool,
}

impl<'a> Ctx<'a> {
    /// A context for one request through `api`.
    pub(crate) fn new(api: Api, store: &'a mut Store) -> Self {
        Ctx {
            api,
            store,
            wrote: false,
        }
    }

    /// Stores a new item.
    pub(crate) fn insert(&mut self, kind: Kind, item: Item) -> Result<(), Failure> {
        self.store
            .insert(kind, item)
            .map_err(|_| Failure::StoreFull)?;
        self.wrote = true;
        Ok(())
    }

    /// Replaces the item with `id`; `false` when there is none.
    pub(crate) fn replace(&mut self, kind: Kind, id: &str, item: Item) -> Result<bool, Failure> {
        let replaced = self
            .store
            .replace(kind, id, item)
            .map_err(|_| Failure::StoreFull)?;
        self.wrote |= replaced;
        Ok(replaced)
    }

    /// Removes the items of `kind` matching `predicate`; how many.
    pub(crate) fn remove_where(&mut self, kind: Kind, predicate: impl Fn(&Item) -> bool) -> usize {
        let removed = self.store.remove_where(kind, predicate);
        self.wrote |= removed > 0;
        removed
    }
}

/// The result of a successful operation, before the API's envelope.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// One item (get, create, update).
    One(Value),
    /// A list; `page` when the endpoint is paginated.
    List {
        /// The items of this page.
        items: Vec<Value>,
        /// How many items there are in all.
        total: usize,
        /// The page, for paginated endpoints.
        page: Option<paging::Page>,
    },
    /// The item was deleted (HyperDX answers `{}`).
    Deleted,
    /// A body without the `data` envelope (validation results, chart
    /// series); Cloud puts it in `result`.
    Bare(Value),
}

/// Runs a routed request.
pub(crate) fn execute(
    ctx: &mut Ctx<'_>,
    route: Route,
    body: &Value,
    request: &Request,
) -> Result<Outcome, Failure> {
    match route {
        Route::ChartSeries => charts::series(ctx, body),
        Route::Unimplemented => Err(Failure::NotImplemented(
            "This route of the API is not implemented by clickstack-fake".to_owned(),
        )),
        Route::Resource(kind, op) => match kind {
            Kind::Dashboard => dashboard::execute(ctx, op, body),
            Kind::Alert => alert::execute(ctx, op, body, request),
            Kind::Source => source::execute(ctx, op, body),
            Kind::Webhook => webhook::execute(ctx, op, body, request),
            Kind::SavedSearch => saved_search::execute(ctx, op, body, request),
            Kind::Connection => connection::execute(ctx, op, body),
        },
    }
}

/// The params issue of a malformed id (`id: Invalid ObjectId`).
fn id_issues(id: &str) -> Vec<Issue> {
    if is_object_id(id) {
        Vec::new()
    } else {
        vec![Issue::new("id", zod::INVALID_OBJECT_ID)]
    }
}

/// Fails with the params issue of a malformed id.
fn check_id(id: &str) -> Result<(), Failure> {
    crate::problems::Problems {
        params: id_issues(id),
        ..Default::default()
    }
    .into_result()
}

/// `body` as an object, or zod's issue for the root.
fn object(body: &Value) -> Result<&Map<String, Value>, Issue> {
    body.as_object()
        .ok_or_else(|| Issue::new("", zod::expected("object", body)))
}

/// The string at `key`, if it is one.
fn text<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str)
}

/// Copies `key` from `from` to `to` when present and not null (lodash's
/// `omitBy(isNil)` after a `pick`).
fn copy(to: &mut Map<String, Value>, from: &Map<String, Value>, key: &str) {
    if let Some(value) = from.get(key).filter(|v| !v.is_null()) {
        to.insert(key.to_owned(), value.clone());
    }
}

/// Issues for a string over `max` characters (zod counts UTF-16 units;
/// characters are close enough here).
fn max_len(map: &Map<String, Value>, key: &str, max: usize, issues: &mut Vec<Issue>) {
    if text(map, key).is_some_and(|s| s.chars().count() > max) {
        issues.push(Issue::new(key, zod::string_max(max)));
    }
}

/// Issues for `keys` sent as `null` where zod wants `expected` (serde reads
/// `null` as an absent optional field; zod's `.optional()` does not).
fn null_issues(map: &Map<String, Value>, keys: &[&str], expected: &str, issues: &mut Vec<Issue>) {
    for key in keys {
        if map.get(*key).is_some_and(Value::is_null) {
            issues.push(Issue::new(*key, zod::expected(expected, &Value::Null)));
        }
    }
}

/// Issues for `tags`: at most 50, each at most 32 characters.
fn tag_issues(map: &Map<String, Value>, issues: &mut Vec<Issue>) {
    if let Some(Value::Array(tags)) = map.get("tags") {
        if tags.len() > 50 {
            issues.push(Issue::new("tags", zod::array_max(50)));
        }
        for (i, tag) in tags.iter().enumerate() {
            if tag.as_str().is_some_and(|t| t.chars().count() > 32) {
                issues.push(Issue::new(format!("tags.{i}"), zod::string_max(32)));
            }
        }
    }
}

/// `tags` without repeats, first occurrence kept (lodash `uniq`).
fn unique_tags(tags: &Value) -> Value {
    let mut seen = Vec::new();
    if let Value::Array(items) = tags {
        for tag in items {
            if !seen.contains(tag) {
                seen.push(tag.clone());
            }
        }
    }
    Value::Array(seen)
}
