//! `POST /api/v2/charts/series`: the request schema with HyperDX's
//! refinements, each series' source must exist, and a small deterministic
//! series instead of a ClickHouse query: one row per bucket (at most 60)
//! from `startTime`, `series_N.data` = `(bucket + N + 1)`, times 1.5 for
//! non-count functions, `group` holding `<field>-0` per `groupBy` field;
//! `seriesReturnType` does not change the shape. Like the real server, 64-bit
//! integer results (`count`, `count_distinct`) come back as JSON strings
//! (`"2"`), the others as numbers.

use serde_json::{Map, Value, json};

use super::{Ctx, Outcome, text};
use crate::problems::{Failure, Issue, Problems, zod};
use crate::schema::{self, Enum};
use crate::store::Kind;

/// Most buckets the fake returns per series.
const MAX_BUCKETS: u64 = 60;

/// Answers a chart series query.
pub(crate) fn series(ctx: &Ctx<'_>, body: &Value) -> Result<Outcome, Failure> {
    Problems {
        body: schema_issues(ctx, body),
        ..Problems::default()
    }
    .into_result()?;
    let empty = Map::new();
    let map = body.as_object().unwrap_or(&empty);
    let series: Vec<&Map<String, Value>> = map
        .get("series")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .collect();
    for (index, s) in series.iter().enumerate() {
        let source = text(s, "sourceId").unwrap_or_default();
        let Some(stored) = ctx.store.get(Kind::Source, source) else {
            return Err(Failure::Raw(
                404,
                json!({"error": format!("Source not found for series {index}")}),
            ));
        };
        if !ctx.store.contains(
            Kind::Connection,
            text(stored, "connection").unwrap_or_default(),
        ) {
            return Err(Failure::Raw(
                404,
                json!({"error": format!("Connection not found for series {index}")}),
            ));
        }
    }
    let start = millis(map, "startTime");
    let end = millis(map, "endTime").max(start);
    // `start - start % step` below never underflows; `step` is never 0.
    let step = step_millis(text(map, "granularity"), end - start);
    let group_by: Vec<&str> = series
        .first()
        .and_then(|s| s.get("groupBy"))
        .and_then(Value::as_array)
        .map(|g| g.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let group: Vec<Value> = group_by.iter().map(|f| json!(format!("{f}-0"))).collect();
    let first_bucket = start - start % step;
    let mut rows = Vec::new();
    for bucket in 0..MAX_BUCKETS {
        let Some(ts) = bucket
            .checked_mul(step)
            .and_then(|offset| first_bucket.checked_add(offset))
        else {
            break;
        };
        if ts > end || (bucket > 0 && ts == end) {
            break;
        }
        let mut row = Map::new();
        row.insert("ts_bucket".into(), json!(ts));
        row.insert("group".into(), Value::Array(group.clone()));
        for (index, s) in series.iter().enumerate() {
            let n = bucket + u64::try_from(index).unwrap_or_default() + 1;
            let value = match text(s, "aggFn") {
                Some("count" | "count_distinct") => json!(n.to_string()),
                _ => json!(u32::try_from(n).map_or(0.0, f64::from) * 1.5),
            };
            row.insert(format!("series_{index}.data"), value);
        }
        rows.push(Value::Object(row));
    }
    Ok(Outcome::Bare(json!({ "data": rows })))
}

/// A millisecond timestamp field (validated as a positive integer). A
/// JavaScript server reads `1767225600000.0` as the same number as
/// `1767225600000`, and so does the fake.
fn millis(map: &Map<String, Value>, key: &str) -> u64 {
    let value = map.get(key);
    value.and_then(Value::as_u64).unwrap_or_else(|| {
        value
            .and_then(Value::as_f64)
            .filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v < 9.007_199_254_740_992e15)
            // Checked above: a whole, non-negative number below 2^53.
            .map_or(0, |v| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let whole = v as u64;
                whole
            })
    })
}

/// The bucket size of a granularity; `auto` (or none) splits the range in
/// about 30 minute-aligned buckets.
fn step_millis(granularity: Option<&str>, range: u64) -> u64 {
    const MINUTE: u64 = 60_000;
    let fixed = match granularity {
        Some("30s") => MINUTE / 2,
        Some("1m") => MINUTE,
        Some("5m") => 5 * MINUTE,
        Some("10m") => 10 * MINUTE,
        Some("15m") => 15 * MINUTE,
        Some("30m") => 30 * MINUTE,
        Some("1h") => 60 * MINUTE,
        Some("2h") => 120 * MINUTE,
        Some("6h") => 360 * MINUTE,
        Some("12h") => 720 * MINUTE,
        Some("1d") => 1440 * MINUTE,
        Some("2d") => 2880 * MINUTE,
        Some("7d") => 7 * 1440 * MINUTE,
        Some("30d") => 30 * 1440 * MINUTE,
        _ => 0,
    };
    let step = if fixed > 0 {
        fixed
    } else {
        (range / 30).div_ceil(MINUTE).max(1) * MINUTE
    };
    // Never more than MAX_BUCKETS buckets.
    step.max(range.div_ceil(MAX_BUCKETS))
}

/// The request schema and its refinements, with HyperDX's messages.
fn schema_issues(ctx: &Ctx<'_>, body: &Value) -> Vec<Issue> {
    let Some(map) = body.as_object() else {
        return vec![Issue::new("", zod::expected("object", body))];
    };
    if let Err(issue) = schema::series_query()(body) {
        return vec![issue];
    }
    let mut issues = Vec::new();
    let series = map
        .get("series")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if series.is_empty() {
        issues.push(Issue::new("series", "Series array cannot be empty"));
    } else if series.len() > 5 {
        issues.push(Issue::new("series", zod::array_max(5)));
    }
    for (i, s) in series.iter().enumerate() {
        if let Some(agg) = s.get("aggFn")
            && !schema::known(ctx.api, Enum::ChartAggFn, agg)
        {
            issues.push(Issue::new(
                format!("series.{i}.aggFn"),
                zod::invalid_enum(agg),
            ));
        }
    }
    let first = series.first().and_then(|s| s.get("groupBy"));
    if series.iter().any(|s| s.get("groupBy") != first) {
        issues.push(Issue::new(
            "series",
            "All series must have the same groupBy fields",
        ));
    }
    for key in ["endTime", "startTime"] {
        let value = map.get(key).and_then(Value::as_f64).unwrap_or_default();
        let message = if value.fract() != 0.0 {
            Some("Timestamp must be an integer")
        } else if value <= 0.0 {
            Some("Timestamp must be positive")
        } else if value < 1e12 {
            Some("Timestamp must be in milliseconds")
        } else {
            None
        };
        if let Some(message) = message {
            issues.push(Issue::new(key, message));
        }
    }
    if let Some(granularity) = map.get("granularity")
        && !schema::known(ctx.api, Enum::Granularity, granularity)
    {
        issues.push(Issue::new("granularity", zod::invalid_enum(granularity)));
    }
    issues
}
