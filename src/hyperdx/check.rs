//! What HyperDX's Import Dashboard refuses (or silently changes) in a
//! file: the rules of its `DashboardTemplateSchema` that the file's types
//! do not already hold.

use std::collections::HashSet;

use super::file::{DashboardFile, FileChartConfig, FileSelect};

/// The display types HyperDX knows.
const DISPLAY_TYPES: [&str; 10] = [
    "line",
    "stacked_bar",
    "table",
    "pie",
    "bar",
    "number",
    "search",
    "heatmap",
    "markdown",
    "event_patterns",
];

/// The palette tokens HyperDX's schema takes.
const PALETTE: [&str; 13] = [
    "chart-blue",
    "chart-orange",
    "chart-red",
    "chart-cyan",
    "chart-green",
    "chart-pink",
    "chart-purple",
    "chart-light-blue",
    "chart-brown",
    "chart-gray",
    "chart-success",
    "chart-warning",
    "chart-error",
];

/// Whether `token` is one of HyperDX's legacy palette tokens
/// (`chart-1`..`chart-10`), which its import rewrites in a tile's `color`
/// only.
fn is_legacy_color(token: &str) -> bool {
    token
        .strip_prefix("chart-")
        .and_then(|n| n.parse::<u8>().ok())
        .is_some_and(|n| (1..=10).contains(&n))
}

/// Whether `granularity` is `auto` or an interval such as `5 minute`.
fn is_granularity(granularity: &str) -> bool {
    granularity == "auto"
        || granularity.split_once(' ').is_some_and(|(n, unit)| {
            !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
                && matches!(unit, "second" | "minute" | "hour" | "day")
        })
}

/// Most containers a dashboard has, and tabs a container has.
const MAX_CONTAINERS: usize = 50;
const MAX_TABS: usize = 20;

/// What the config of tile `label` lacks, for its kind.
fn config_problems(label: &str, config: &FileChartConfig, out: &mut Vec<String>) {
    if let Some(kind) = config.display_type.as_deref()
        && !DISPLAY_TYPES.contains(&kind)
    {
        out.push(format!(
            "{label}: displayType {kind:?} is not one HyperDX knows"
        ));
    }
    if let Some(granularity) = config.granularity.as_deref()
        && !is_granularity(granularity)
    {
        out.push(format!(
            "{label}: granularity {granularity:?} is neither `auto` nor an interval such as \
             \"5 minute\""
        ));
    }
    if let Some(color) = config.color.as_deref()
        && !PALETTE.contains(&color)
        && !is_legacy_color(color)
    {
        out.push(format!("{label}: color {color:?} is not a palette token"));
    }
    for (i, rule) in config.color_rules.iter().flatten().enumerate() {
        if let Some(color) = rule.get("color").and_then(serde_json::Value::as_str)
            && !PALETTE.contains(&color)
        {
            out.push(format!(
                "{label}: colorRules[{i}] color {color:?} is not a palette token (HyperDX \
                 rewrites legacy tokens in a tile's color only)"
            ));
        }
    }
    let missing = |field: &str| format!("{label}: a {field} is required");
    match config.config_type.as_deref() {
        None => {
            if config.source.is_none() {
                out.push(missing("`source` (\"\" for none)"));
            }
            if config.select.is_none() {
                out.push(missing("`select` ([] for none)"));
            }
            if config.where_.is_none() {
                out.push(missing("`where` (\"\" for none)"));
            }
        }
        Some("sql") => {
            if config.sql_template.is_none() {
                out.push(missing("`sqlTemplate`"));
            }
            if config.connection.is_none() {
                out.push(missing("`connection`"));
            }
        }
        Some("promql") => {
            if config.promql_expression.is_none() {
                out.push(missing("`promqlExpression`"));
            }
            if config.connection.is_none() {
                out.push(missing("`connection`"));
            }
        }
        Some(other) => out.push(format!(
            "{label}: configType {other:?} is not one HyperDX knows"
        )),
    }
    if let Some(FileSelect::Items(items)) = &config.select {
        for (i, item) in items.iter().enumerate() {
            if item.value_expression.is_none() {
                out.push(format!(
                    "{label}: select[{i}] needs a `valueExpression` (\"\" for a count or a metric)"
                ));
            }
            if item.level.is_some() && item.agg_condition.is_none() {
                out.push(format!(
                    "{label}: select[{i}] has a `level` but no `aggCondition`: HyperDX would drop \
                     the level (write \"aggCondition\": \"\")"
                ));
            }
        }
    }
}

impl DashboardFile {
    /// What HyperDX's Import Dashboard would refuse in this file, or
    /// silently change: an empty version or name, tile or container ids
    /// used twice, a chart without the fields of its kind, a quantile's
    /// level HyperDX would drop, a filter without a source. Empty when
    /// HyperDX imports the file as it is.
    ///
    /// ```
    /// use clickstack::hyperdx::DashboardFile;
    /// let file = DashboardFile::from_json(r#"{"version": "", "name": "Go runtime", "tiles": []}"#)?;
    /// assert_eq!(file.check(), ["`version` is empty (write \"0.1.0\")"]);
    /// # Ok::<(), clickstack::Error>(())
    /// ```
    pub fn check(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.version.is_empty() {
            out.push("`version` is empty (write \"0.1.0\")".to_string());
        }
        if self.name.trim().is_empty() {
            out.push("`name` is empty".to_string());
        }
        let mut tile_ids = HashSet::new();
        for (i, tile) in self.tiles.iter().enumerate() {
            let label = format!("tiles[{i}]");
            if !tile.id.is_empty() && !tile_ids.insert(tile.id.as_str()) {
                out.push(format!("{label}: duplicate tile id {:?}", tile.id));
            }
            if tile.container_id.as_deref() == Some("") || tile.tab_id.as_deref() == Some("") {
                out.push(format!("{label}: an empty containerId or tabId"));
            }
            config_problems(&label, &tile.config, &mut out);
        }
        let containers = self.containers.as_deref().unwrap_or_default();
        if containers.len() > MAX_CONTAINERS {
            out.push(format!("more than {MAX_CONTAINERS} containers"));
        }
        let mut container_ids = HashSet::new();
        for container in containers {
            if !container_ids.insert(container.id.as_str()) {
                out.push(format!("container ids must be unique: {:?}", container.id));
            }
            if container.id.is_empty() || container.title.is_empty() {
                out.push(format!(
                    "container {:?}: an empty id or title",
                    container.id
                ));
            }
            if container.tabs.as_ref().is_some_and(|t| t.len() > MAX_TABS) {
                out.push(format!(
                    "container {:?}: more than {MAX_TABS} tabs",
                    container.id
                ));
            }
        }
        for (i, filter) in self.filters.iter().flatten().enumerate() {
            let label = format!("filters[{i}]");
            for (field, value) in [
                ("name", &filter.name),
                ("expression", &filter.expression),
                ("source", &filter.source),
            ] {
                if value.is_empty() {
                    out.push(format!("{label}: `{field}` is empty"));
                }
            }
            if filter.kind != "QUERY_EXPRESSION" {
                out.push(format!(
                    "{label}: type {:?} is not QUERY_EXPRESSION",
                    filter.kind
                ));
            }
        }
        out
    }
}
