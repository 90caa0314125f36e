//! Saved searches: HyperDX's `savedSearchRequestSchema` (trimmed name,
//! defaults `select: ''`, `where: ''`, `whereLanguage: 'lucene'`,
//! `orderBy: ''`, `tags: []`, `filters: []`), the source must exist, pinned
//! filters must be sidebar-renderable, `PUT` replaces the whole search, and
//! deleting one deletes its alerts.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::{Ctx, Outcome, check_id, id_issues, max_len, object, paging, tag_issues, text};
use crate::api::Op;
use crate::http::Request;
use crate::ids::{is_object_id, now_iso, object_id};
use crate::problems::{Failure, Issue, Problems, zod};
use crate::schema;
use crate::store::{Item, Kind};

/// Runs `op` on saved searches.
pub(crate) fn execute(
    ctx: &mut Ctx<'_>,
    op: Op,
    body: &Value,
    request: &Request,
) -> Result<Outcome, Failure> {
    match op {
        Op::List => paging::paged(ctx.store.list(Kind::SavedSearch), request, |s| {
            Value::Object(s.clone())
        }),
        Op::Get(id) => {
            check_id(&id)?;
            ctx.store
                .get(Kind::SavedSearch, &id)
                .map(|s| Outcome::One(Value::Object(s.clone())))
                .ok_or_else(not_found)
        }
        Op::Create => {
            Problems {
                body: schema_issues(ctx, body),
                ..Problems::default()
            }
            .into_result()?;
            let map = object(body).map_err(Failure::body)?;
            require_source(ctx, map)?;
            check_filters(map, &HashSet::new())?;
            let item = stored(map, None);
            ctx.insert(Kind::SavedSearch, item.clone())?;
            Ok(Outcome::One(Value::Object(item)))
        }
        Op::Update(id) => {
            Problems {
                body: schema_issues(ctx, body),
                params: id_issues(&id),
                ..Problems::default()
            }
            .into_result()?;
            let map = object(body).map_err(Failure::body)?;
            require_source(ctx, map)?;
            let existing = ctx
                .store
                .get(Kind::SavedSearch, &id)
                .cloned()
                .ok_or_else(not_found)?;
            // Filters stored before are accepted again unchanged.
            let grandfathered: HashSet<String> = existing
                .get("filters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(filter_key)
                .collect();
            check_filters(map, &grandfathered)?;
            let item = stored(map, Some(&existing));
            ctx.replace(Kind::SavedSearch, &id, item.clone())?;
            Ok(Outcome::One(Value::Object(item)))
        }
        Op::Delete(id) => {
            check_id(&id)?;
            if ctx.remove_where(Kind::SavedSearch, |s| text(s, "id") == Some(id.as_str())) == 0 {
                return Err(not_found());
            }
            ctx.remove_where(Kind::Alert, |a| {
                text(a, "savedSearchId") == Some(id.as_str())
            });
            Ok(Outcome::Deleted)
        }
        Op::Validate => Err(not_found()),
    }
}

/// HyperDX's 404 for saved searches.
fn not_found() -> Failure {
    Failure::NotFound("Saved search not found".to_owned())
}

/// Everything `savedSearchRequestSchema` rejects.
fn schema_issues(ctx: &Ctx<'_>, body: &Value) -> Vec<Issue> {
    let Ok(map) = object(body) else {
        return vec![Issue::new("", zod::expected("object", body))];
    };
    if let Err(issue) = schema::saved_search(ctx.api)(body) {
        return vec![issue];
    }
    let mut issues = Vec::new();
    super::null_issues(
        map,
        &["select", "where", "whereLanguage", "orderBy"],
        "string",
        &mut issues,
    );
    super::null_issues(map, &["tags", "filters"], "array", &mut issues);
    let name = text(map, "name").unwrap_or_default().trim();
    if name.is_empty() {
        issues.push(Issue::new("name", zod::string_min(1)));
    } else if name.chars().count() > 1024 {
        issues.push(Issue::new("name", zod::string_max(1024)));
    }
    if !is_object_id(text(map, "sourceId").unwrap_or_default()) {
        issues.push(Issue::new("sourceId", zod::INVALID_OBJECT_ID));
    }
    max_len(map, "select", 4 * 1024, &mut issues);
    max_len(map, "where", 8 * 1024, &mut issues);
    max_len(map, "orderBy", 1024, &mut issues);
    if let Some(language) = map.get("whereLanguage")
        && !matches!(language.as_str(), Some("lucene" | "sql"))
    {
        issues.push(Issue::new("whereLanguage", zod::invalid_enum(language)));
    }
    tag_issues(map, &mut issues);
    let filters = map.get("filters").and_then(Value::as_array);
    if filters.is_some_and(|f| f.len() > 100) {
        issues.push(Issue::new("filters", zod::array_max(100)));
    }
    for (i, filter) in filters.into_iter().flatten().enumerate() {
        let kind = filter.get("type").and_then(Value::as_str).unwrap_or("sql");
        let ok = match kind {
            "sql" | "lucene" => filter.get("condition").is_some_and(Value::is_string),
            "sql_ast" => ["operator", "left", "right"]
                .iter()
                .all(|k| filter.get(*k).is_some_and(Value::is_string)),
            _ => false,
        };
        if !ok {
            issues.push(Issue::new(format!("filters.{i}"), "Invalid input"));
        }
    }
    issues
}

/// The source must exist (checked before the 404 on `PUT`).
fn require_source(ctx: &Ctx<'_>, map: &Map<String, Value>) -> Result<(), Failure> {
    if ctx
        .store
        .contains(Kind::Source, text(map, "sourceId").unwrap_or_default())
    {
        Ok(())
    } else {
        Err(Failure::BadRequest(
            "sourceId must be an existing source id".to_owned(),
        ))
    }
}

/// The identity of a pinned filter, for grandfathering.
fn filter_key(filter: &Value) -> String {
    serde_json::to_string(&[
        filter.get("type").cloned().unwrap_or(json!("sql")),
        filter.get("condition").cloned().unwrap_or(Value::Null),
        filter.get("operator").cloned().unwrap_or(Value::Null),
        filter.get("left").cloned().unwrap_or(Value::Null),
        filter.get("right").cloned().unwrap_or(Value::Null),
    ])
    .unwrap_or_default()
}

/// Every new pinned filter must be a sidebar-renderable SQL predicate.
fn check_filters(map: &Map<String, Value>, grandfathered: &HashSet<String>) -> Result<(), Failure> {
    let filters = map.get("filters").and_then(Value::as_array);
    let bad = filters
        .into_iter()
        .flatten()
        .position(|f| !renderable(f) && !grandfathered.contains(&filter_key(f)));
    match bad {
        None => Ok(()),
        Some(index) => Err(Failure::BadRequest(format!(
            "filters[{index}] must be a sidebar-renderable SQL predicate \
             (e.g. \"<column> IN ('<value>', ...)\", \"NOT IN (...)\", or \"BETWEEN <n> AND <n>\"). \
             Other shapes are only accepted on update when preserved unchanged from the stored saved search."
        ))),
    }
}

/// An approximation of HyperDX's `isRenderablePinnedFilter`: one
/// `<column> [NOT] IN (...)` or `<column> BETWEEN <a> AND <b>` predicate
/// on a bare column.
fn renderable(filter: &Value) -> bool {
    if filter.get("type").and_then(Value::as_str).unwrap_or("sql") != "sql" {
        return false;
    }
    let condition = filter
        .get("condition")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim();
    let upper = condition.to_ascii_uppercase();
    let bare = |column: &str| {
        let column = column.trim();
        !column.is_empty()
            && !column
                .split_whitespace()
                .any(|w| matches!(w.to_ascii_uppercase().as_str(), "NOT" | "AND" | "OR"))
    };
    if let Some(at) = upper.find(" IN (").or_else(|| upper.find(" IN(")) {
        let column = condition.get(..at).unwrap_or_default();
        let column = column
            .trim_end()
            .strip_suffix(" NOT")
            .or_else(|| column.trim_end().strip_suffix(" not"))
            .unwrap_or(column);
        let open = condition
            .get(at..)
            .and_then(|r| r.find('('))
            .map(|i| at + i);
        return bare(column) && open.is_some_and(|open| closes_at_end(condition, open));
    }
    if let Some(at) = upper.find(" BETWEEN ") {
        let range = upper.get(at + 9..).unwrap_or_default();
        return bare(condition.get(..at).unwrap_or_default())
            && range.matches(" AND ").count() == 1;
    }
    false
}

/// Whether the parenthesis at byte `open` closes at the end of `text`
/// (quotes respected).
fn closes_at_end(text: &str, open: usize) -> bool {
    let mut depth = 0_usize;
    let mut quoted = false;
    for (i, c) in text.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1 == text.len();
                }
            }
            _ => {}
        }
    }
    false
}

/// The stored form of a valid body (a `PUT` replaces everything but the
/// id, team and creation time).
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
    for (key, default) in [
        ("select", ""),
        ("where", ""),
        ("whereLanguage", "lucene"),
        ("orderBy", ""),
    ] {
        item.insert(key.into(), json!(text(map, key).unwrap_or(default)));
    }
    item.insert(
        "sourceId".into(),
        map.get("sourceId").cloned().unwrap_or(Value::Null),
    );
    item.insert(
        "tags".into(),
        map.get("tags").cloned().unwrap_or_else(|| json!([])),
    );
    let filters: Vec<Value> = map
        .get("filters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|f| {
            let mut f = f.clone();
            if let Some(obj) = f.as_object_mut()
                && !obj.contains_key("type")
            {
                obj.insert("type".into(), json!("sql"));
            }
            f
        })
        .collect();
    item.insert("filters".into(), Value::Array(filters));
    item.insert("teamId".into(), json!(super::TEAM_ID));
    let created = previous
        .and_then(|p| p.get("createdAt"))
        .cloned()
        .unwrap_or_else(|| json!(now));
    item.insert("createdAt".into(), created);
    item.insert("updatedAt".into(), json!(now));
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renderable_filters() {
        let ok = |c: &str| renderable(&json!({"condition": c}));
        assert!(ok("ServiceName IN ('a', 'b')"));
        assert!(ok("ServiceName NOT IN ('a')"));
        assert!(ok("Duration BETWEEN 1 AND 2"));
        assert!(!ok("ServiceName = 'a'"));
        assert!(!ok("a IN ('x') AND b IN ('y') OR c IN ('z')"));
        assert!(!renderable(
            &json!({"type": "lucene", "condition": "a IN ('x')"})
        ));
    }
}
