//! Select items of builder tiles (`{aggFn, valueExpression, ...}`): HyperDX's
//! `externalDashboardSelectItemSchema` refinements and the form a stored
//! item is returned in (`convertToExternalSelectItem`).

use serde_json::{Map, Value, json};

use super::{copy, text};
use crate::api::Api;
use crate::problems::{Issue, zod};
use crate::schema::{self, Enum};

/// The quantile levels HyperDX accepts (`externalQuantileLevelSchema`).
const LEVELS: [f64; 4] = [0.5, 0.9, 0.95, 0.99];

/// The refinements of one select item (its type was checked with the
/// generated config type).
pub(crate) fn check(api: Api, item: &Value) -> Vec<Issue> {
    let Some(map) = item.as_object() else {
        return vec![Issue::new("", zod::expected("object", item))];
    };
    let mut issues = Vec::new();
    let agg_fn = map.get("aggFn").cloned().unwrap_or(Value::Null);
    if agg_fn.is_null() {
        issues.push(Issue::new("aggFn", zod::REQUIRED));
    } else if !schema::known(api, Enum::AggFn, &agg_fn) {
        issues.push(Issue::new("aggFn", zod::invalid_enum(&agg_fn)));
    }
    for (key, which) in [
        ("whereLanguage", Enum::Language),
        ("periodAggFn", Enum::PeriodAggFn),
    ] {
        if let Some(value) = map.get(key)
            && !schema::known(api, which, value)
        {
            issues.push(Issue::new(key, zod::invalid_enum(value)));
        }
    }
    let level = map.get("level");
    if let Some(level) = level
        && !level.as_f64().is_some_and(|l| LEVELS.contains(&l))
    {
        issues.push(Issue::new("level", "Invalid input"));
    }
    let agg = agg_fn.as_str().unwrap_or_default();
    // zod's truthiness: 0 and "" count as absent.
    if level.and_then(Value::as_f64).is_some_and(|l| l != 0.0) && agg != "quantile" {
        issues.push(Issue::new(
            "",
            "Level can only be used with quantile aggregation function",
        ));
    }
    let has_value = text(map, "valueExpression").is_some_and(|v| !v.is_empty());
    if has_value && agg == "count" {
        issues.push(Issue::new(
            "",
            "Value expression cannot be used with count aggregation function",
        ));
    } else if !has_value && agg != "count" {
        issues.push(Issue::new(
            "",
            "Value expression is required for non-count aggregation functions",
        ));
    }
    issues
}

/// A select item as HyperDX stores and returns it: `valueExpression`
/// stored as `?? ''` (a count comes back with `""`; a leftover one on a
/// count is dropped), `where` defaults to `''`, `whereLanguage` to
/// `lucene`, `level` only with `quantile`, `periodAggFn` only `delta`;
/// `alias`, `metricType`, `metricName`, `numberFormat` pass through. An
/// `aggFn` HyperDX does not know is returned as `none`.
pub(crate) fn normalize(api: Api, item: &Value) -> Value {
    let empty = Map::new();
    let map = item.as_object().unwrap_or(&empty);
    let mut out = Map::new();
    for key in ["alias", "metricType", "metricName", "numberFormat"] {
        copy(&mut out, map, key);
    }
    let agg_fn = map
        .get("aggFn")
        .filter(|a| schema::known(api, Enum::AggFn, a))
        .cloned()
        .unwrap_or_else(|| json!("none"));
    let value_expression = text(map, "valueExpression").unwrap_or_default();
    if agg_fn != "count" || value_expression.is_empty() {
        out.insert("valueExpression".into(), json!(value_expression));
    }
    out.insert(
        "where".into(),
        json!(text(map, "where").unwrap_or_default()),
    );
    out.insert(
        "whereLanguage".into(),
        json!(text(map, "whereLanguage").unwrap_or("lucene")),
    );
    if text(map, "periodAggFn") == Some("delta") {
        out.insert("periodAggFn".into(), json!("delta"));
    }
    if agg_fn == "quantile"
        && let Some(level) = map
            .get("level")
            .filter(|l| l.as_f64().is_some_and(|l| LEVELS.contains(&l)))
    {
        out.insert("level".into(), level.clone());
    }
    out.insert("aggFn".into(), agg_fn);
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_comes_back_with_defaults() {
        assert_eq!(
            normalize(Api::Oss, &json!({"aggFn": "count"})),
            json!({"aggFn": "count", "valueExpression": "", "where": "", "whereLanguage": "lucene"})
        );
        assert_eq!(
            normalize(
                Api::Oss,
                &json!({"aggFn": "quantile", "level": 0.95, "valueExpression": "d", "periodAggFn": "delta", "alias": "p95"})
            ),
            json!({"aggFn": "quantile", "level": 0.95, "valueExpression": "d", "where": "",
                   "whereLanguage": "lucene", "periodAggFn": "delta", "alias": "p95"})
        );
        assert_eq!(
            normalize(
                Api::Oss,
                &json!({"aggFn": "median", "valueExpression": "d"})
            )["aggFn"],
            "none"
        );
    }

    #[test]
    fn refinements() {
        let messages =
            |v: Value| -> Vec<String> { check(Api::Oss, &v).iter().map(Issue::render).collect() };
        assert_eq!(
            messages(json!({"aggFn": "count", "valueExpression": "x"})),
            ["Value expression cannot be used with count aggregation function"]
        );
        assert_eq!(
            messages(json!({"aggFn": "sum"})),
            ["Value expression is required for non-count aggregation functions"]
        );
        assert_eq!(
            messages(json!({"aggFn": "sum", "valueExpression": "x", "level": 0.5})),
            ["Level can only be used with quantile aggregation function"]
        );
        assert_eq!(
            messages(json!({"aggFn": "quantile", "valueExpression": "x", "level": 0.7})),
            ["level: Invalid input"]
        );
        assert!(
            messages(json!({"aggFn": "bogus", "valueExpression": "x"}))[0].starts_with("aggFn: ")
        );
    }
}
