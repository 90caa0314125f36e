//! Alerts: HyperDX's `alertSchema`, the reference checks of
//! `validateAlertInput` (400 with its messages), and `makeAlert`'s stored
//! form: `name`, `message`, `note`, `numConsecutiveWindows` always present
//! (null when unset), `channel` mirroring `channels[0]`, state `OK`. A
//! `PUT` rebuilds the alert: omitted `name`, `message`, `note`, `groupBy`,
//! `numConsecutiveWindows` become null; fields Mongoose leaves alone when
//! undefined (`thresholdMax`, `scheduleOffsetMinutes`, `scheduleStartAt`)
//! are kept.
//!
//! Cloud's newer schema adds `30s` intervals, `inline` alerts (inferred:
//! they need a `chartConfig`), `email` channels, `displayName` and `tags`;
//! these are accepted and kept for Cloud requests.

use serde_json::{Map, Value, json};

use super::{Ctx, Outcome, check_id, id_issues, max_len, object, paging, text};
use crate::api::{Api, Op};
use crate::http::Request;
use crate::ids::{is_object_id, now_iso, now_millis, object_id};
use crate::problems::{Failure, Issue, Problems, zod};
use crate::schema::{self, Enum};
use crate::store::{Item, Kind};

/// Runs `op` on alerts.
pub(crate) fn execute(
    ctx: &mut Ctx<'_>,
    op: Op,
    body: &Value,
    request: &Request,
) -> Result<Outcome, Failure> {
    let api = ctx.api;
    match op {
        Op::List => paging::paged(ctx.store.list(Kind::Alert), request, |a| render(api, a)),
        Op::Get(id) => {
            check_id(&id)?;
            ctx.store
                .get(Kind::Alert, &id)
                .map(|a| Outcome::One(render(api, a)))
                .ok_or_else(not_found)
        }
        Op::Create => {
            Problems {
                body: schema_issues(api, body),
                ..Problems::default()
            }
            .into_result()?;
            let map = object(body).map_err(Failure::body)?;
            check_references(ctx, map)?;
            let now = now_iso();
            let mut item = make_alert(map, None);
            item.insert("id".into(), json!(object_id()));
            item.insert("state".into(), json!("OK"));
            item.insert("teamId".into(), json!(super::TEAM_ID));
            item.insert("createdAt".into(), json!(now));
            item.insert("updatedAt".into(), json!(now));
            ctx.insert(Kind::Alert, item.clone())?;
            Ok(Outcome::One(render(api, &item)))
        }
        Op::Update(id) => {
            Problems {
                body: schema_issues(api, body),
                params: id_issues(&id),
                ..Problems::default()
            }
            .into_result()?;
            let map = object(body).map_err(Failure::body)?;
            check_references(ctx, map)?;
            let existing = ctx
                .store
                .get(Kind::Alert, &id)
                .cloned()
                .ok_or_else(not_found)?;
            let mut item = make_alert(map, Some(&existing));
            for key in ["id", "state", "teamId", "createdAt"] {
                if let Some(value) = existing.get(key) {
                    item.insert(key.to_owned(), value.clone());
                }
            }
            item.insert("updatedAt".into(), json!(now_iso()));
            ctx.replace(Kind::Alert, &id, item.clone())?;
            Ok(Outcome::One(render(api, &item)))
        }
        Op::Delete(id) => {
            check_id(&id)?;
            if ctx.remove_where(Kind::Alert, |a| text(a, "id") == Some(id.as_str())) == 0 {
                return Err(not_found());
            }
            Ok(Outcome::Deleted)
        }
        Op::Validate => Err(not_found()),
    }
}

/// HyperDX's 404 for alerts.
fn not_found() -> Failure {
    Failure::NotFound("Alert not found".to_owned())
}

/// A stored alert as `api` returns it. Cloud's newer schema also requires
/// `displayName` and `tags` (inferred: the name, and no tags, unless set).
pub(crate) fn render(api: Api, alert: &Item) -> Value {
    let mut out = alert.clone();
    if api == Api::Cloud {
        if !out.get("displayName").is_some_and(Value::is_string) {
            let name = text(alert, "name").unwrap_or_default().to_owned();
            out.insert("displayName".into(), json!(name));
        }
        if !out.get("tags").is_some_and(Value::is_array) {
            out.insert("tags".into(), json!([]));
        }
    }
    Value::Object(out)
}

/// The channels of an alert body: `channels`, or `[channel]`.
fn channels_of(map: &Map<String, Value>) -> Vec<Value> {
    match (map.get("channels"), map.get("channel")) {
        (Some(Value::Array(channels)), _) => channels.clone(),
        (_, Some(channel)) if !channel.is_null() => vec![channel.clone()],
        _ => Vec::new(),
    }
}

/// Minutes of each alert interval (`ALERT_INTERVAL_TO_MINUTES`; `30s`
/// only exists on Cloud and counts as half a minute).
fn interval_minutes(interval: &str) -> f64 {
    match interval {
        "30s" => 0.5,
        "1m" => 1.0,
        "5m" => 5.0,
        "15m" => 15.0,
        "30m" => 30.0,
        "1h" => 60.0,
        "6h" => 360.0,
        "12h" => 720.0,
        _ => 1440.0,
    }
}

/// Everything `alertSchema` rejects.
fn schema_issues(api: Api, body: &Value) -> Vec<Issue> {
    let Ok(map) = object(body) else {
        return vec![Issue::new("", zod::expected("object", body))];
    };
    if let Err(issue) = schema::alert(api, false)(body) {
        return vec![issue];
    }
    let mut issues = Vec::new();
    for (key, which) in [
        ("interval", Enum::Interval),
        ("thresholdType", Enum::ThresholdType),
        ("source", Enum::AlertSource),
    ] {
        if let Some(value) = map.get(key)
            && !schema::known(api, which, value)
        {
            issues.push(Issue::new(key, zod::invalid_enum(value)));
        }
    }
    for (key, max) in [("name", 512), ("message", 4096), ("note", 4096)] {
        if text(map, key).is_some_and(str::is_empty) {
            issues.push(Issue::new(key, zod::string_min(1)));
        }
        max_len(map, key, max, &mut issues);
    }
    if let Some(n) = map.get("numConsecutiveWindows").and_then(Value::as_i64)
        && n < 1
    {
        issues.push(Issue::new("numConsecutiveWindows", zod::number_min(1)));
    }
    let offset = map.get("scheduleOffsetMinutes").and_then(Value::as_i64);
    if let Some(offset) = offset {
        if offset < 0 {
            issues.push(Issue::new("scheduleOffsetMinutes", zod::number_min(0)));
        } else if offset > 1439 {
            issues.push(Issue::new("scheduleOffsetMinutes", zod::number_max(1439)));
        }
    }
    // The discriminated part: `source` (default `saved_search`) and its ids.
    // `alertSchema` intersects the base object (where `source` defaults to
    // `saved_search`) with a union that parses the raw body, so in effect
    // `source` is required, and a failing union is zod's `Invalid input`.
    let present = |key: &str| text(map, key).is_some_and(|s| !s.is_empty());
    let union_ok = match text(map, "source") {
        None => false,
        Some("saved_search") => present("savedSearchId"),
        Some("tile") => present("tileId") && present("dashboardId"),
        Some("inline") => map.get("chartConfig").is_some_and(Value::is_object),
        Some(_) => true,
    };
    if !union_ok {
        issues.push(Issue::new("", "Invalid input"));
    }
    issues.extend(channel_issues(api, map));
    let start_at = map.get("scheduleStartAt").filter(|v| !v.is_null());
    if start_at.is_some() && offset.unwrap_or(0) > 0 {
        issues.push(Issue::new(
            "scheduleOffsetMinutes",
            "scheduleOffsetMinutes must be 0 when scheduleStartAt is provided",
        ));
    }
    let minutes = interval_minutes(text(map, "interval").unwrap_or_default());
    let offset_minutes = offset.and_then(|o| i32::try_from(o).ok()).map(f64::from);
    if offset_minutes.is_some_and(|o| o >= minutes) {
        let plural = if (minutes - 1.0).abs() < f64::EPSILON {
            ""
        } else {
            "s"
        };
        issues.push(Issue::new(
            "scheduleOffsetMinutes",
            format!("scheduleOffsetMinutes must be less than {minutes} minute{plural}"),
        ));
    }
    if let Some(Value::String(at)) = start_at {
        issues.extend(start_at_issues(at));
    }
    let threshold = map
        .get("threshold")
        .and_then(Value::as_f64)
        .unwrap_or_default();
    if matches!(text(map, "thresholdType"), Some("between" | "not_between")) {
        match map.get("thresholdMax").and_then(Value::as_f64) {
            None => issues.push(Issue::new(
                "thresholdMax",
                "thresholdMax is required for between/not_between threshold types",
            )),
            Some(max) if max < threshold => issues.push(Issue::new(
                "thresholdMax",
                "thresholdMax must be greater than or equal to threshold",
            )),
            Some(_) => {}
        }
    }
    issues
}

/// `scheduleStartAt` must be within a year ahead and ten years back.
fn start_at_issues(at: &str) -> Vec<Issue> {
    let Some(millis) = parse_iso_millis(at) else {
        return vec![Issue::new("scheduleStartAt", "Invalid datetime")];
    };
    let now = i64::try_from(now_millis()).unwrap_or(i64::MAX);
    let day = 86_400_000_i64;
    if millis > now + 365 * day {
        vec![Issue::new(
            "scheduleStartAt",
            "scheduleStartAt must be within 1 year from now",
        )]
    } else if millis < now - 3650 * day {
        vec![Issue::new(
            "scheduleStartAt",
            "scheduleStartAt must be within 10 years in the past",
        )]
    } else {
        Vec::new()
    }
}

/// Milliseconds since the epoch of a `YYYY-MM-DDTHH:MM:SS[.fff]Z` time.
fn parse_iso_millis(at: &str) -> Option<i64> {
    let at = at.strip_suffix('Z')?;
    let (date, time) = at.split_once('T')?;
    // `z.string().datetime()`: a four-digit year, two-digit fields.
    let parts: Vec<&str> = date.split('-').collect();
    if parts.len() != 3 || parts.first().is_none_or(|y| y.len() != 4) {
        return None;
    }
    let mut d = parts.iter().map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (t.next()??, t.next()??, t.next()??);
    let millis: i64 = format!("{frac:0<3}").get(..3)?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    // Days from civil (Howard Hinnant).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + h) * 60 + m) * 60_000 + s * 1000 + millis)
}

/// `validateAlertChannelSelection` and the channel schemas.
fn channel_issues(api: Api, map: &Map<String, Value>) -> Vec<Issue> {
    let mut issues = Vec::new();
    let channel = map.get("channel").filter(|c| !c.is_null());
    let channels = map.get("channels").and_then(Value::as_array);
    for (path, value) in channel
        .map(|c| ("channel".to_owned(), c))
        .into_iter()
        .chain(
            channels
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, c)| (format!("channels.{i}"), c)),
        )
    {
        issues.extend(
            check_channel(api, value)
                .into_iter()
                .map(|x| x.under(&path)),
        );
    }
    if let Some(channels) = channels {
        if channels.is_empty() {
            issues.push(Issue::new(
                "channels",
                "At least one notification channel is required",
            ));
        } else if channels.len() > 10 {
            issues.push(Issue::new(
                "channels",
                "An alert supports at most 10 notification channels",
            ));
        }
    }
    let selection = match (channel, channels) {
        (None, None) => Some("Provide either \"channel\" or \"channels\""),
        (Some(one), Some(all)) if all.first() != Some(one) => Some(
            "When both \"channel\" and \"channels\" are provided, \"channel\" must match the first entry of \"channels\"",
        ),
        _ => None,
    };
    let duplicated = channels.is_some_and(|all| {
        all.iter()
            .enumerate()
            .any(|(i, c)| all.iter().skip(i + 1).any(|d| d == c))
    });
    if let Some(message) = selection {
        issues.push(Issue::new("channels", message));
    } else if duplicated {
        issues.push(Issue::new(
            "channels",
            "Duplicate notification channels are not allowed",
        ));
    }
    issues
}

/// One channel: `webhook` (both APIs) or `email` (Cloud).
fn check_channel(api: Api, channel: &Value) -> Vec<Issue> {
    let kind = channel.get("type").and_then(Value::as_str);
    let result = match (api, kind) {
        (Api::Cloud, Some("email")) => schema::email_channel()(channel),
        (_, Some("webhook")) => schema::webhook_channel(api)(channel),
        (Api::Oss, _) => {
            return vec![Issue::new(
                "type",
                "Invalid literal value, expected \"webhook\"",
            )];
        }
        (Api::Cloud, _) => {
            return vec![Issue::new(
                "type",
                zod::invalid_enum(channel.get("type").unwrap_or(&Value::Null)),
            )];
        }
    };
    if let Err(issue) = result {
        return vec![issue];
    }
    if kind == Some("webhook") && channel.get("webhookId").and_then(Value::as_str) == Some("") {
        return vec![Issue::new("webhookId", "Webhook ID can't be empty")];
    }
    Vec::new()
}

/// `validateAlertInput`: the dashboard and tile, the saved search and the
/// webhooks an alert references must exist (400 with the server's message).
fn check_references(ctx: &Ctx<'_>, map: &Map<String, Value>) -> Result<(), Failure> {
    let bad = |message: &str| Err(Failure::BadRequest(message.to_owned()));
    match text(map, "source").unwrap_or("saved_search") {
        "tile" => {
            let dashboard_id = text(map, "dashboardId").unwrap_or_default();
            if !is_object_id(dashboard_id) {
                return bad("Invalid dashboard ID");
            }
            let Some(dashboard) = ctx.store.get(Kind::Dashboard, dashboard_id) else {
                return bad("Dashboard not found");
            };
            let tile_id = text(map, "tileId");
            let tile = dashboard
                .get("tiles")
                .and_then(Value::as_array)
                .and_then(|tiles| {
                    tiles
                        .iter()
                        .find(|t| t.get("id").and_then(Value::as_str) == tile_id)
                });
            let Some(tile) = tile else {
                return bad("Tile not found");
            };
            let config = tile.get("config");
            let sql = config
                .and_then(|c| c.get("configType"))
                .is_some_and(|t| t == "sql");
            let display = config
                .and_then(|c| c.get("displayType"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            if sql && !matches!(display, "line" | "stacked_bar" | "number") {
                return bad(
                    "Alerts on Raw SQL tiles are only supported for Line, Stacked Bar, or Number display types",
                );
            }
        }
        "saved_search" => {
            let id = text(map, "savedSearchId").unwrap_or_default();
            if !is_object_id(id) {
                return bad("Invalid saved search ID");
            }
            if !ctx.store.contains(Kind::SavedSearch, id) {
                return bad("Saved search not found");
            }
        }
        _ => {}
    }
    let channels = channels_of(map);
    if channels.is_empty() {
        return bad("At least one notification channel is required");
    }
    let webhooks: Vec<&str> = channels
        .iter()
        .filter(|c| c.get("type").is_some_and(|t| t == "webhook"))
        .filter_map(|c| c.get("webhookId").and_then(Value::as_str))
        .collect();
    if webhooks.iter().any(|id| !is_object_id(id)) {
        return bad("Invalid webhook ID");
    }
    if webhooks
        .iter()
        .any(|id| !ctx.store.contains(Kind::Webhook, id))
    {
        return bad("Webhook not found");
    }
    Ok(())
}

/// `makeAlert`: the stored form of a valid body; `previous` is the alert a
/// `PUT` replaces.
fn make_alert(map: &Map<String, Value>, previous: Option<&Item>) -> Item {
    let mut item = Map::new();
    let source = text(map, "source").unwrap_or("saved_search");
    let channels = channels_of(map);
    let kept = |key: &str| previous.and_then(|p| p.get(key)).cloned();
    let or_null = |key: &str| {
        map.get(key)
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or(Value::Null)
    };
    item.insert("name".into(), or_null("name"));
    item.insert("message".into(), or_null("message"));
    item.insert("note".into(), or_null("note"));
    item.insert("threshold".into(), or_null("threshold"));
    match map.get("thresholdMax").filter(|v| !v.is_null()).cloned() {
        Some(max) => {
            item.insert("thresholdMax".into(), max);
        }
        None => {
            if let Some(max) = kept("thresholdMax") {
                item.insert("thresholdMax".into(), max);
            }
        }
    }
    item.insert("interval".into(), or_null("interval"));
    let start_at = map.get("scheduleStartAt");
    let offset = match (start_at, map.get("scheduleOffsetMinutes")) {
        (Some(at), _) if !at.is_null() => Some(json!(0)),
        (Some(_), None | Some(Value::Null)) => Some(json!(0)),
        (_, Some(offset)) if !offset.is_null() => Some(offset.clone()),
        _ => kept("scheduleOffsetMinutes"),
    };
    if let Some(offset) = offset {
        item.insert("scheduleOffsetMinutes".into(), offset);
    }
    match start_at {
        Some(at) => {
            item.insert("scheduleStartAt".into(), at.clone());
        }
        None => {
            if let Some(at) = kept("scheduleStartAt") {
                item.insert("scheduleStartAt".into(), at);
            }
        }
    }
    item.insert(
        "numConsecutiveWindows".into(),
        or_null("numConsecutiveWindows"),
    );
    item.insert("thresholdType".into(), or_null("thresholdType"));
    item.insert("source".into(), json!(source));
    if let Some(first) = channels.first() {
        item.insert("channel".into(), first.clone());
        item.insert("channels".into(), Value::Array(channels.clone()));
    }
    let set = |item: &mut Item, key: &str, value: Option<&Value>| {
        if let Some(value) = value.filter(|v| !v.is_null()) {
            item.insert(key.to_owned(), value.clone());
        }
    };
    match source {
        "tile" => {
            set(&mut item, "tileId", map.get("tileId"));
            set(&mut item, "dashboardId", map.get("dashboardId"));
        }
        "saved_search" => {
            set(&mut item, "savedSearchId", map.get("savedSearchId"));
            set(&mut item, "groupBy", map.get("groupBy"));
        }
        _ => {}
    }
    // Cloud's newer schema: an inline chart, a display name, tags.
    for key in ["chartConfig", "displayName", "tags"] {
        set(&mut item, key, map.get(key));
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_parsing() {
        assert_eq!(parse_iso_millis("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(
            parse_iso_millis("2026-08-21T12:34:56.123Z"),
            Some(1_787_315_696_123)
        );
        assert_eq!(
            parse_iso_millis("2026-08-21T12:34:56Z"),
            Some(1_787_315_696_000)
        );
        assert_eq!(parse_iso_millis("yesterday"), None);
    }

    #[test]
    fn schema_rules() {
        let rendered = |v: Value| -> Vec<String> {
            schema_issues(Api::Oss, &v)
                .iter()
                .map(Issue::render)
                .collect()
        };
        let base = json!({"source": "saved_search", "threshold": 1, "interval": "5m", "thresholdType": "between",
                          "savedSearchId": "65f5e4a3b9e77c001a111111",
                          "channel": {"type": "webhook", "webhookId": "65f5e4a3b9e77c001a222222"}});
        assert_eq!(
            rendered(base.clone()),
            ["thresholdMax: thresholdMax is required for between/not_between threshold types"]
        );
        let mut no_channel = base.clone();
        no_channel.as_object_mut().unwrap().remove("channel");
        no_channel["thresholdMax"] = json!(0);
        assert_eq!(
            rendered(no_channel),
            [
                "channels: Provide either \"channel\" or \"channels\"",
                "thresholdMax: thresholdMax must be greater than or equal to threshold"
            ]
        );
    }
}
