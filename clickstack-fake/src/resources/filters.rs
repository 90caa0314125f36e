//! Dashboard filters: `.strict()` objects (POST: no `id`; PUT: `id`
//! required), the filter form's cross-filter rules, ids assigned by the
//! server, and the fields dropped on read.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::text;
use crate::api::Api;
use crate::ids::{is_object_id, object_id};
use crate::problems::{Issue, zod};
use crate::schema::{self, Enum};

/// The schema issues of `filters`, with paths from the body.
pub(crate) fn check(api: Api, filters: &[Value], update: bool) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (i, filter) in filters.iter().enumerate() {
        let prefix = format!("filters.{i}");
        issues.extend(
            check_one(api, filter, update)
                .into_iter()
                .map(|x| x.under(&prefix)),
        );
    }
    if issues.is_empty() {
        issues.extend(cross_filter_issues(filters));
    }
    issues
}

/// The issues of one filter.
fn check_one(api: Api, filter: &Value, update: bool) -> Vec<Issue> {
    let Some(map) = filter.as_object() else {
        return vec![Issue::new("", zod::expected("object", filter))];
    };
    let kind = map.get("type").cloned().unwrap_or(Value::Null);
    let schemas = schema::filters(api);
    let Some(found) = schemas.iter().find(|s| kind == s.kind) else {
        let message = if kind.is_null() {
            zod::REQUIRED.to_owned()
        } else {
            zod::invalid_enum(&kind)
        };
        return vec![Issue::new("type", message)];
    };
    if let Err(issue) = (found.input)(filter) {
        return vec![issue];
    }
    let mut issues = Vec::new();
    if let Some(fields) = (found.fields)() {
        let extra: Vec<&str> = map
            .keys()
            .map(String::as_str)
            .filter(|k| !(fields.contains(k) || (update && *k == "id")))
            .collect();
        if !extra.is_empty() {
            issues.push(Issue::new("", zod::unrecognized_keys(&extra)));
        }
    }
    if update {
        match map.get("id") {
            None | Some(Value::Null) => issues.push(Issue::new("id", zod::REQUIRED)),
            Some(Value::String(_)) => {}
            Some(other) => issues.push(Issue::new("id", zod::expected("string", other))),
        }
    }
    for key in ["name", "expression"] {
        if text(map, key).is_some_and(str::is_empty) {
            issues.push(Issue::new(key, zod::string_min(1)));
        }
    }
    if text(map, "sourceId").is_some_and(|id| !is_object_id(id)) {
        issues.push(Issue::new("sourceId", zod::INVALID_OBJECT_ID));
    }
    if let Some(language) = map.get("whereLanguage")
        && !schema::known(api, Enum::Language, language)
    {
        issues.push(Issue::new("whereLanguage", zod::invalid_enum(language)));
    }
    if let Some(name) = text(map, "variableName") {
        if name.chars().count() > 64 {
            issues.push(Issue::new("variableName", zod::string_max(64)));
        } else if !is_variable_name(name) {
            issues.push(Issue::new("variableName", "Invalid"));
        }
    }
    issues
}

/// `^[a-zA-Z][a-zA-Z0-9_]*$`.
fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether the filter exposes its value as a variable (`=== true`).
fn variable_enabled(filter: &Map<String, Value>) -> bool {
    filter.get("isVariableEnabled").and_then(Value::as_bool) == Some(true)
}

/// Whether the filter broadcasts its value (`!== false`).
fn broadcast_enabled(filter: &Map<String, Value>) -> bool {
    filter.get("isBroadcastEnabled").and_then(Value::as_bool) != Some(false)
}

/// HyperDX's `deriveVariableName`: spaces to `_`, other characters
/// dropped, `v` prefix before a digit or `_`.
fn derive_variable_name(name: &str) -> String {
    let mut sanitized = String::new();
    let mut in_space = false;
    for c in name.trim().chars() {
        if c.is_whitespace() {
            if !in_space {
                sanitized.push('_');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        if c.is_ascii_alphanumeric() || c == '_' {
            sanitized.push(c);
        }
    }
    if sanitized
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '_')
    {
        format!("v{sanitized}")
    } else {
        sanitized
    }
}

/// The dashboard filter form's rules across filters
/// (`validateDashboardFilterVariableNames`, `...Modes`, `...FieldGating`).
fn cross_filter_issues(filters: &[Value]) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut seen = HashSet::new();
    let maps: Vec<(usize, &Map<String, Value>)> = filters
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.as_object().map(|m| (i, m)))
        .collect();
    for (i, filter) in &maps {
        if !variable_enabled(filter) {
            continue;
        }
        let name = text(filter, "name").unwrap_or_default();
        let variable = text(filter, "variableName")
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map_or_else(|| derive_variable_name(name), str::to_owned);
        let path = format!("filters.{i}.variableName");
        if variable.is_empty() {
            issues.push(Issue::new(
                path,
                format!("Variable name is required for filter \"{name}\""),
            ));
        } else if !seen.insert(variable.clone()) {
            issues.push(Issue::new(
                path,
                format!("Variable names must be unique: \"{variable}\""),
            ));
        }
    }
    for (i, filter) in &maps {
        let name = text(filter, "name").unwrap_or_default();
        if !broadcast_enabled(filter) && !variable_enabled(filter) {
            issues.push(Issue::new(
                format!("filters.{i}.isBroadcastEnabled"),
                format!(
                    "Filter \"{name}\" must broadcast its value, be available as a variable, or both"
                ),
            ));
        }
    }
    for (i, filter) in &maps {
        let name = text(filter, "name").unwrap_or_default();
        if filter.contains_key("variableName") && !variable_enabled(filter) {
            issues.push(Issue::new(
                format!("filters.{i}.variableName"),
                format!(
                    "Filter \"{name}\" sets variableName but is not available as a variable; set isVariableEnabled to true or drop variableName"
                ),
            ));
        }
        let applies = filter
            .get("appliesToSourceIds")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        if applies && !broadcast_enabled(filter) {
            issues.push(Issue::new(
                format!("filters.{i}.appliesToSourceIds"),
                format!(
                    "Filter \"{name}\" sets appliesToSourceIds but does not broadcast its value; set isBroadcastEnabled to true or drop appliesToSourceIds"
                ),
            ));
        }
    }
    issues
}

/// Filters as stored and returned: each gets a new ObjectId unless its
/// `id` matches one of `existing` (PUT); `variableName` is dropped unless
/// `isVariableEnabled` is `true`, `appliesToSourceIds` when
/// `isBroadcastEnabled` is `false`.
pub(crate) fn normalize(filters: &[Value], existing: &HashSet<String>) -> Vec<Value> {
    filters
        .iter()
        .filter_map(Value::as_object)
        .map(|filter| {
            let mut out = filter.clone();
            let id = text(filter, "id")
                .filter(|id| existing.contains(*id))
                .map_or_else(object_id, str::to_owned);
            out.insert("id".into(), json!(id));
            if !variable_enabled(filter) {
                out.remove("variableName");
            }
            if !broadcast_enabled(filter) {
                out.remove("appliesToSourceIds");
            }
            Value::Object(out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(extra: &Value) -> Value {
        let mut base = json!({"type": "QUERY_EXPRESSION", "name": "Env", "expression": "env",
                              "sourceId": "65f5e4a3b9e77c001a111111"});
        if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
            base.extend(extra.clone());
        }
        base
    }

    fn rendered(issues: &[Issue]) -> Vec<String> {
        issues.iter().map(Issue::render).collect()
    }

    #[test]
    fn post_rejects_ids_and_put_requires_them() {
        assert_eq!(
            rendered(&check(Api::Oss, &[filter(&json!({"id": "x"}))], false)),
            ["filters.0: Unrecognized key(s) in object: 'id'"]
        );
        assert_eq!(
            rendered(&check(Api::Oss, &[filter(&json!({}))], true)),
            ["filters.0.id: Required"]
        );
        assert!(check(Api::Oss, &[filter(&json!({"id": "x"}))], true).is_empty());
    }

    #[test]
    fn cross_filter_rules() {
        assert_eq!(
            rendered(&check(
                Api::Oss,
                &[filter(&json!({"isBroadcastEnabled": false}))],
                false
            )),
            [
                "filters.0.isBroadcastEnabled: Filter \"Env\" must broadcast its value, be available as a variable, or both"
            ]
        );
        assert_eq!(
            rendered(&check(
                Api::Oss,
                &[
                    filter(&json!({"isVariableEnabled": true})),
                    filter(&json!({"isVariableEnabled": true, "variableName": "Env"}))
                ],
                false
            )),
            ["filters.1.variableName: Variable names must be unique: \"Env\""]
        );
        assert_eq!(derive_variable_name(" 9 lives  left!"), "v9_lives_left");
    }

    #[test]
    fn ids_and_read_rules() {
        let existing: HashSet<String> = ["keep".to_owned()].into();
        let out = normalize(
            &[
                filter(
                    &json!({"id": "keep", "variableName": "v", "isBroadcastEnabled": false,
                              "isVariableEnabled": false, "appliesToSourceIds": ["a"]}),
                ),
                filter(&json!({"id": "new"})),
            ],
            &existing,
        );
        assert_eq!(out[0]["id"], "keep");
        assert!(out[0].get("variableName").is_none());
        assert!(out[0].get("appliesToSourceIds").is_none());
        assert_ne!(out[1]["id"], "new");
    }
}
