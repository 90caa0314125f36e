//! A tile's chart: HyperDX's chart config as the APIs' tile config, kind
//! by kind, as HyperDX's external API converts it
//! (`convertToExternalTileChartConfig`), with what it cannot hold lost
//! aloud.

use serde_json::Value;

use super::super::file::{FileChartConfig, FileSelect, FileSelectItem};
use super::super::loss::Losses;
use crate::model::{
    AggFn, ChartConfig, ConfigType, HeatmapConfig, HeatmapSelect, MarkdownConfig, Number,
    QueryLanguage, SearchConfig, SelectItem, TileConfig,
};

/// Quantile levels the APIs accept.
const LEVELS: [f64; 4] = [0.5, 0.9, 0.95, 0.99];

/// Whether the APIs take aggregation `agg` (`increase`, for counters, is
/// taken though the specs leave it out).
fn is_aggregation(agg: &str) -> bool {
    agg == "increase" || !AggFn::from(agg).is_unknown()
}

/// The number operators of a number tile's color rules.
const NUMBER_OPERATORS: [&str; 7] = ["gt", "gte", "lt", "lte", "between", "eq", "neq"];

/// HyperDX's legacy palette (`chart-1`..`chart-10`) in today's tokens.
const LEGACY_COLORS: [&str; 10] = [
    "chart-green",
    "chart-blue",
    "chart-orange",
    "chart-red",
    "chart-cyan",
    "chart-pink",
    "chart-purple",
    "chart-light-blue",
    "chart-brown",
    "chart-gray",
];

/// The palette tokens the APIs take, beyond the legacy palette's.
const STATUS_COLORS: [&str; 3] = ["chart-success", "chart-warning", "chart-error"];

/// A palette token, legacy ones (`chart-3`) resolved as HyperDX does;
/// `None` for a token the APIs do not take.
fn color(token: &str) -> Option<String> {
    let resolved = token
        .strip_prefix("chart-")
        .and_then(|n| n.parse::<usize>().ok())
        .and_then(|n| LEGACY_COLORS.get(n.checked_sub(1)?))
        .copied()
        .unwrap_or(token);
    (LEGACY_COLORS.contains(&resolved) || STATUS_COLORS.contains(&resolved))
        .then(|| resolved.to_string())
}

/// A non-empty string, or `None`.
fn non_empty(text: Option<&String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty()).cloned()
}

/// `Some(expression)` when `value` is a string; otherwise the loss.
fn expression(value: Option<&Value>, field: &str, losses: &mut Losses<'_>) -> Option<String> {
    match value {
        None => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(_) => {
            losses.lose(
                field,
                "HyperDX's list form has no place in the APIs (only an expression)",
            );
            None
        }
    }
}

/// `fillNulls` as the APIs take it: `false` leaves gaps; filling with 0
/// is their default (absent).
fn fill_nulls(config: &FileChartConfig, losses: &mut Losses<'_>) -> Option<bool> {
    match &config.fill_nulls {
        Some(Value::Bool(false)) => Some(false),
        Some(Value::Number(n)) if n.as_f64() != Some(0.0) => {
            losses.lose("fillNulls", "the APIs fill gaps with 0 or leave them");
            None
        }
        _ => None,
    }
}

/// The chart-level condition, folded into each series: the APIs have no
/// chart-level `where` for chart kinds (HyperDX drops it), but a series
/// condition joined to it with `AND` counts the same rows.
struct ChartCondition {
    text: String,
    language: QueryLanguage,
}

impl ChartCondition {
    fn of(config: &FileChartConfig) -> Option<ChartCondition> {
        let text = non_empty(config.where_.as_ref())?;
        Some(ChartCondition {
            text,
            // HyperDX reads a chart-level condition as SQL unless told.
            language: config.where_language.clone().unwrap_or(QueryLanguage::Sql),
        })
    }

    /// `item` with the condition folded in, or `None` when the two are in
    /// different languages.
    fn folded(&self, item: &SelectItem) -> Option<SelectItem> {
        let mut out = item.clone();
        match (&item.where_, &item.where_language) {
            (None, _) => {}
            (Some(own), _) if own.trim().is_empty() => {}
            (Some(own), language)
                if *language.as_ref().unwrap_or(&QueryLanguage::Lucene) == self.language =>
            {
                out.where_ = Some(format!("({}) AND ({own})", self.text));
                return Some(out);
            }
            _ => return None,
        }
        out.where_ = Some(self.text.clone());
        out.where_language = Some(self.language.clone());
        Some(out)
    }

    /// Folds the condition into every series, or into none (and says
    /// why).
    fn fold_into(&self, select: &mut [SelectItem], losses: &mut Losses<'_>) {
        if select.is_empty() {
            losses.lose(
                "where",
                "the tile has no series to hold the chart's condition",
            );
            return;
        }
        let folded: Option<Vec<SelectItem>> = select.iter().map(|i| self.folded(i)).collect();
        match folded {
            Some(folded) => select.clone_from_slice(&folded),
            None => losses.lose(
                "where",
                "the chart's condition and a series' condition are in different languages, \
                 and the APIs hold one condition per series",
            ),
        }
    }
}

/// A select item as the APIs take it.
fn select_item(item: &FileSelectItem, losses: &mut Losses<'_>) -> SelectItem {
    let agg = item.agg_fn.as_deref().unwrap_or("none");
    let agg_fn = if is_aggregation(agg) {
        AggFn::from(agg)
    } else {
        losses.lose(
            &format!("aggFn {agg:?}"),
            "not an aggregation the APIs take; written as `none`",
        );
        AggFn::None
    };
    let mut out = SelectItem::count();
    out.agg_fn = agg_fn.clone();
    match (item.level, agg_fn == AggFn::Quantile) {
        (Some(Number(level)), true) if LEVELS.contains(&level) => out.level = Some(Number(level)),
        (Some(Number(level)), _) => losses.lose(
            &format!("level {level}"),
            "the APIs take 0.5, 0.9, 0.95 or 0.99, for quantiles only",
        ),
        (None, _) => {}
    }
    let value = item.value_expression.clone().unwrap_or_default();
    out.value_expression = match (agg_fn == AggFn::Count, value.is_empty()) {
        (true, false) => {
            losses.lose(
                "valueExpression of a count",
                "the APIs take none (a count counts rows)",
            );
            None
        }
        (true, true) => None,
        // A metric's value is read by the metric's own column; HyperDX's
        // own templates write `Value` where the API requires one.
        (false, true) if item.metric_name.is_some() => Some("Value".into()),
        (false, true) => {
            losses.lose(
                "valueExpression",
                &format!("it is empty, and the APIs refuse a {agg} series without one"),
            );
            Some(value)
        }
        (false, false) => Some(value),
    };
    out.where_ = item.agg_condition.clone();
    out.where_language = item.agg_condition_language.clone();
    out.alias = item.alias.clone();
    out.metric_name = item.metric_name.clone();
    out.metric_type = item.metric_type.clone();
    out.number_format = item.number_format.clone();
    if item.is_delta == Some(true) {
        out.period_agg_fn = Some("delta".into());
    }
    let heatmap_only = [
        ("countExpression", item.count_expression.is_some()),
        ("heatmapScaleType", item.heatmap_scale_type.is_some()),
    ];
    for (key, set) in heatmap_only {
        if set {
            losses.lose(key, "only heatmaps have it");
        }
    }
    for key in item.extra.keys() {
        losses.lose(key, "not a field of a series in the APIs");
    }
    out
}

/// Reports what a heatmap's select item sets beyond its value, count
/// and scale: HyperDX's API keeps only those.
fn heatmap_losses(item: &FileSelectItem, losses: &mut Losses<'_>) {
    let set = [
        (
            "aggFn",
            item.agg_fn.as_deref().is_some_and(|f| f != "count"),
        ),
        (
            "aggCondition",
            item.agg_condition
                .as_deref()
                .is_some_and(|c| !c.trim().is_empty()),
        ),
        ("alias", item.alias.is_some()),
        ("level", item.level.is_some()),
        ("metricName", item.metric_name.is_some()),
        ("metricType", item.metric_type.is_some()),
        ("isDelta", item.is_delta.is_some()),
        ("numberFormat", item.number_format.is_some()),
    ];
    for (field, is_set) in set {
        if is_set {
            losses.lose(
                &format!("select[0].{field}"),
                "a heatmap counts its value; the APIs keep nothing else",
            );
        }
    }
    for key in item.extra.keys() {
        losses.lose(key, "not a field of a heatmap's value in the APIs");
    }
}

/// The builder chart of `config`: its series with the chart's condition
/// folded in, and its grouping.
fn chart(config: &FileChartConfig, losses: &mut Losses<'_>) -> ChartConfig {
    let mut select = match &config.select {
        Some(FileSelect::Items(items)) => items.iter().map(|i| select_item(i, losses)).collect(),
        Some(FileSelect::Columns(_)) => {
            losses.lose(
                "select",
                "a list of columns on a chart: written as a count, as HyperDX does",
            );
            vec![SelectItem::count()]
        }
        None => Vec::new(),
    };
    if let Some(condition) = ChartCondition::of(config) {
        condition.fold_into(&mut select, losses);
    }
    ChartConfig {
        source_id: non_empty(config.source.as_ref()),
        select: Some(select),
        group_by: expression(config.group_by.as_ref(), "groupBy", losses),
        number_format: config.number_format.clone(),
        ..ChartConfig::default()
    }
}

/// Keeps the first series of a kind that charts one (unless formulas use
/// several).
fn first_series_only(chart: &mut ChartConfig, losses: &mut Losses<'_>) {
    if chart.formulas.as_ref().is_some_and(|f| !f.is_empty()) {
        return;
    }
    if let Some(select) = &mut chart.select
        && select.len() > 1
    {
        losses.lose("select[1..]", "this kind charts one series");
        select.truncate(1);
    }
}

/// The fields of a HyperDX chart config that the APIs' form of each kind
/// holds (beyond `source`, `select` and `where`, handled by kind).
fn kept_fields(raw_sql: bool, kind: &str) -> &'static [&'static str] {
    match (raw_sql, kind) {
        (false, "line") => &[
            "groupBy",
            "numberFormat",
            "alignDateRangeToGranularity",
            "compareToPreviousPeriod",
            "fitYAxisToData",
            "fillNulls",
            "seriesLimit",
            "formulas",
            "showOperandSeries",
            "seriesReturnType",
        ],
        (false, "stacked_bar") => &[
            "groupBy",
            "numberFormat",
            "alignDateRangeToGranularity",
            "fillNulls",
            "seriesLimit",
            "formulas",
            "showOperandSeries",
            "seriesReturnType",
        ],
        (false, "table") => &[
            "groupBy",
            "numberFormat",
            "having",
            "orderBy",
            "groupByColumnsOnLeft",
            "onClick",
            "formulas",
            "showOperandSeries",
            "seriesReturnType",
        ],
        (false, "number") => &[
            "numberFormat",
            "formulas",
            "color",
            "colorRules",
            "backgroundChart",
        ],
        (false, "pie" | "bar") => &["groupBy", "numberFormat", "orderBy", "seriesLimit"],
        (false, "heatmap") => &["numberFormat"],
        (false, "markdown") => &["markdown"],
        (true, "line") => &[
            "numberFormat",
            "alignDateRangeToGranularity",
            "compareToPreviousPeriod",
            "fitYAxisToData",
            "fillNulls",
            "seriesLimit",
        ],
        (true, "stacked_bar") => &[
            "numberFormat",
            "alignDateRangeToGranularity",
            "fillNulls",
            "seriesLimit",
        ],
        (true, "table") => &["numberFormat", "onClick"],
        (true, "number") => &["numberFormat", "color"],
        (true, "pie" | "bar") => &["numberFormat"],
        _ => &[],
    }
}

/// Reports every field `config` sets that the APIs' form of its kind has
/// no place for.
fn unsupported(config: &FileChartConfig, kind: &str, raw_sql: bool, losses: &mut Losses<'_>) {
    let set = [
        ("groupBy", config.group_by.is_some()),
        ("numberFormat", config.number_format.is_some()),
        ("having", config.having.is_some()),
        ("orderBy", config.order_by.is_some()),
        ("limit", config.limit.is_some()),
        ("onClick", config.on_click.is_some()),
        ("color", config.color.is_some()),
        ("colorRules", config.color_rules.is_some()),
        ("backgroundChart", config.background_chart.is_some()),
        (
            "compareToPreviousPeriod",
            config.compare_to_previous_period.is_some(),
        ),
        ("fitYAxisToData", config.fit_y_axis_to_data.is_some()),
        (
            "alignDateRangeToGranularity",
            config.align_date_range_to_granularity.is_some(),
        ),
        ("fillNulls", config.fill_nulls.is_some()),
        ("seriesLimit", !config.series_limit.is_absent()),
        (
            "groupByColumnsOnLeft",
            config.group_by_columns_on_left.is_some(),
        ),
        ("formulas", config.formulas.is_some()),
        ("showOperandSeries", config.show_operand_series.is_some()),
        (
            "seriesReturnType",
            config.series_return_type.as_deref() == Some("ratio"),
        ),
        ("markdown", config.markdown.is_some()),
        ("sqlTemplate", !raw_sql && config.sql_template.is_some()),
        ("connection", !raw_sql && config.connection.is_some()),
        ("promqlExpression", config.promql_expression.is_some()),
    ];
    let kept = kept_fields(raw_sql, kind);
    let what = if raw_sql { "a raw SQL" } else { "a" };
    for (field, is_set) in set {
        if is_set && !kept.contains(&field) {
            losses.lose(field, &format!("{what} {kind} tile has none in the APIs"));
        }
    }
    if config
        .having_language
        .as_ref()
        .is_some_and(|l| *l != QueryLanguage::Sql)
        && kept.contains(&"having")
    {
        losses.lose("havingLanguage", "the APIs read `having` as SQL");
    }
    if config.show_operand_series.is_some()
        && config.formulas.is_none()
        && kept.contains(&"showOperandSeries")
    {
        losses.lose(
            "showOperandSeries",
            "it goes with formulas, and the tile has none",
        );
    }
    // What a kind without series, or without a condition of its own, has
    // no place for.
    let has_series = matches!(&config.select, Some(FileSelect::Items(i)) if !i.is_empty())
        || matches!(&config.select, Some(FileSelect::Columns(c)) if !c.trim().is_empty());
    if (raw_sql || kind == "markdown") && has_series {
        losses.lose(
            "select",
            &format!("{what} {kind} tile has none in the APIs"),
        );
    }
    if (raw_sql || kind == "markdown") && non_empty(config.where_.as_ref()).is_some() {
        losses.lose("where", &format!("{what} {kind} tile has none in the APIs"));
    }
    if kind == "markdown" && non_empty(config.source.as_ref()).is_some() {
        losses.lose("source", "a markdown tile queries no source");
    }
}

/// A number tile's color rules the APIs take: numeric, between and
/// equality rules in palette colors.
fn color_rules(rules: &[Value], losses: &mut Losses<'_>) -> Vec<Value> {
    let mut kept = Vec::new();
    for rule in rules {
        let operator = rule
            .get("operator")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !NUMBER_OPERATORS.contains(&operator) {
            losses.lose(
                &format!("colorRules ({operator})"),
                "number tiles take numeric, between and equality rules",
            );
            continue;
        }
        let mut rule = rule.clone();
        if let Some(Value::String(token)) = rule.get_mut("color") {
            match color(token) {
                Some(resolved) => *token = resolved,
                None => {
                    losses.lose(
                        &format!("colorRules ({operator}, {token})"),
                        "not a palette color the APIs take",
                    );
                    continue;
                }
            }
        }
        kept.push(rule);
    }
    kept
}

/// The palette color of `config`, if it has one the APIs take.
fn tile_color(config: &FileChartConfig, losses: &mut Losses<'_>) -> Option<String> {
    let token = config.color.as_deref()?;
    let resolved = color(token);
    if resolved.is_none() {
        losses.lose(
            &format!("color {token}"),
            "not a palette color the APIs take",
        );
    }
    resolved
}

/// The fields the APIs hold for builder chart kind `kind` (`line`, ...),
/// from `config`; what they do not hold is reported by [`unsupported`].
fn chart_fields(
    config: &FileChartConfig,
    kind: &str,
    chart: &mut ChartConfig,
    losses: &mut Losses<'_>,
) {
    let kept = kept_fields(false, kind);
    if kept.contains(&"formulas") {
        chart.formulas.clone_from(&config.formulas);
    }
    if kept.contains(&"showOperandSeries") && chart.formulas.is_some() {
        chart.show_operand_series = config.show_operand_series;
    }
    if !kept.contains(&"groupBy") {
        chart.group_by = None;
    }
    let ratio = config.series_return_type.as_deref() == Some("ratio");
    if ratio && kept.contains(&"seriesReturnType") {
        if chart.select.as_ref().map_or(0, Vec::len) == 2 {
            chart.as_ratio = Some(true);
        } else {
            losses.lose("seriesReturnType", "a ratio needs exactly two series");
        }
    }
    if kept.contains(&"fillNulls") {
        chart.align_date_range_to_granularity = config.align_date_range_to_granularity;
        chart.fill_nulls = fill_nulls(config, losses);
        chart.series_limit = config.series_limit.value().copied();
    }
    if kept.contains(&"compareToPreviousPeriod") {
        chart.compare_to_previous_period = config.compare_to_previous_period;
        chart.fit_y_axis_to_data = config.fit_y_axis_to_data;
    }
    match kind {
        "table" => {
            chart.having.clone_from(&config.having);
            chart.order_by = expression(config.order_by.as_ref(), "orderBy", losses);
            chart.group_by_columns_on_left = config.group_by_columns_on_left;
            chart.on_click.clone_from(&config.on_click);
        }
        "number" => {
            if let Some(formulas) = &mut chart.formulas
                && formulas.len() > 1
            {
                losses.lose("formulas[1..]", "a number tile has one formula");
                formulas.truncate(1);
            }
            first_series_only(chart, losses);
            chart.color = tile_color(config, losses);
            chart.color_rules = config
                .color_rules
                .as_deref()
                .map(|r| color_rules(r, losses));
            chart.background_chart.clone_from(&config.background_chart);
        }
        "pie" | "bar" => {
            first_series_only(chart, losses);
            chart.order_by = expression(config.order_by.as_ref(), "orderBy", losses);
            chart.limit = config.series_limit.value().copied();
        }
        _ => {}
    }
}

/// A raw SQL chart as the APIs take it.
fn raw_sql(config: &FileChartConfig, kind: &str, losses: &mut Losses<'_>) -> Option<TileConfig> {
    if !matches!(
        kind,
        "line" | "stacked_bar" | "table" | "number" | "pie" | "bar"
    ) {
        losses.lose_tile(&format!(
            "the APIs have no raw SQL {kind} tile (HyperDX reads it back as a line)"
        ));
        return None;
    }
    let mut chart = ChartConfig {
        config_type: Some(ConfigType::Sql),
        connection_id: non_empty(config.connection.as_ref()),
        sql_template: config.sql_template.clone(),
        source_id: non_empty(config.source.as_ref()),
        number_format: config.number_format.clone(),
        ..ChartConfig::default()
    };
    unsupported(config, kind, true, losses);
    match kind {
        "line" | "stacked_bar" => {
            chart.align_date_range_to_granularity = config.align_date_range_to_granularity;
            chart.fill_nulls = fill_nulls(config, losses);
            chart.series_limit = config.series_limit.value().copied();
            if kind == "line" {
                chart.compare_to_previous_period = config.compare_to_previous_period;
                chart.fit_y_axis_to_data = config.fit_y_axis_to_data;
            }
        }
        "table" => chart.on_click.clone_from(&config.on_click),
        "number" => chart.color = tile_color(config, losses),
        _ => {}
    }
    Some(kind_config(kind, chart))
}

/// The tile config of chart kind `kind`.
fn kind_config(kind: &str, chart: ChartConfig) -> TileConfig {
    match kind {
        "line" => TileConfig::line(chart),
        "stacked_bar" => TileConfig::stacked_bar(chart),
        "table" => TileConfig::table(chart),
        "number" => TileConfig::number(chart),
        "pie" => TileConfig::pie(chart),
        _ => TileConfig::bar(chart),
    }
}

/// A builder chart as the APIs take it.
fn builder(config: &FileChartConfig, kind: &str, losses: &mut Losses<'_>) -> Option<TileConfig> {
    const KINDS: [&str; 10] = [
        "line",
        "stacked_bar",
        "table",
        "number",
        "pie",
        "bar",
        "heatmap",
        "search",
        "event_patterns",
        "markdown",
    ];
    if !KINDS.contains(&kind) {
        losses.lose_tile(&format!("the APIs have no {kind:?} tile"));
        return None;
    }
    unsupported(config, kind, false, losses);
    match kind {
        "markdown" => Some(TileConfig::Markdown(MarkdownConfig {
            markdown: config.markdown.clone(),
            ..MarkdownConfig::default()
        })),
        "search" | "event_patterns" => {
            let select = match &config.select {
                Some(FileSelect::Columns(columns)) => Some(columns.clone()),
                Some(FileSelect::Items(items)) if items.is_empty() => None,
                Some(FileSelect::Items(_)) => {
                    losses.lose("select", "a search shows columns, not series");
                    None
                }
                None => None,
            };
            // As HyperDX's API serves them: columns and condition `""`
            // when absent, the condition Lucene unless told.
            let search = SearchConfig {
                source_id: non_empty(config.source.as_ref()),
                select: Some(select.unwrap_or_default()),
                where_: Some(config.where_.clone().unwrap_or_default()),
                where_language: Some(
                    config
                        .where_language
                        .clone()
                        .unwrap_or(QueryLanguage::Lucene),
                ),
                ..SearchConfig::default()
            };
            Some(if kind == "search" {
                TileConfig::Search(Box::new(search))
            } else {
                TileConfig::EventPatterns(Box::new(search))
            })
        }
        "heatmap" => {
            let items = match &config.select {
                Some(FileSelect::Items(items)) => items.as_slice(),
                _ => &[],
            };
            if items.len() > 1 {
                losses.lose("select[1..]", "a heatmap plots one value");
            }
            let select = items.first().map(|item| {
                heatmap_losses(item, losses);
                HeatmapSelect {
                    value_expression: item.value_expression.clone(),
                    count_expression: item.count_expression.clone(),
                    heatmap_scale_type: item.heatmap_scale_type.clone(),
                    ..HeatmapSelect::default()
                }
            });
            Some(TileConfig::Heatmap(Box::new(HeatmapConfig {
                source_id: non_empty(config.source.as_ref()),
                select: select.map(|s| vec![s]),
                where_: Some(config.where_.clone().unwrap_or_default()),
                where_language: Some(
                    config
                        .where_language
                        .clone()
                        .unwrap_or(QueryLanguage::Lucene),
                ),
                number_format: config.number_format.clone(),
                ..HeatmapConfig::default()
            })))
        }
        _ => {
            let mut chart = chart(config, losses);
            chart_fields(config, kind, &mut chart, losses);
            Some(kind_config(kind, chart))
        }
    }
}

/// A tile's config as the APIs take it, or `None` (with its loss).
pub(super) fn tile_config(config: &FileChartConfig, losses: &mut Losses<'_>) -> Option<TileConfig> {
    let Some(kind) = config.display_type.as_deref() else {
        losses.lose_tile("it has no displayType (HyperDX's API reads it back as a line)");
        return None;
    };
    if config.granularity.as_deref().is_some_and(|g| g != "auto") {
        losses.lose("granularity", "the APIs always bucket automatically");
    }
    for key in config.extra.keys() {
        losses.lose(key, "not a field of a tile in the APIs");
    }
    match config.config_type.as_deref() {
        None => builder(config, kind, losses),
        Some("sql") => raw_sql(config, kind, losses),
        Some("promql") => {
            losses.lose_tile("the APIs have no PromQL tiles (HyperDX's API leaves them out)");
            None
        }
        Some(other) => {
            losses.lose_tile(&format!("configType {other:?} is not one the APIs have"));
            None
        }
    }
}
