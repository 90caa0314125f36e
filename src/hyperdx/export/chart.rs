//! A tile's chart: the APIs' tile config as HyperDX's chart config,
//! kind by kind, as HyperDX's external API converts it
//! (`convertToInternalTileConfig`), with ids named.

use serde_json::Value;

use super::super::file::{FileChartConfig, FileSelect, FileSelectItem};
use super::super::loss::Losses;
use super::super::names::Names;
use super::{lose_extra, source_name};
use crate::field::Field;
use crate::model::{
    AggFn, ChartConfig, ConfigType, HeatmapConfig, OnClick, OnClickKind, QueryLanguage,
    SearchConfig, SelectItem, TileConfig,
};

/// The name of source `id`, or `""` for none (HyperDX's files require a
/// `source` on every builder chart).
fn source_or_empty(id: Option<&str>, names: &Names, losses: &mut Losses<'_>) -> String {
    id.map(|id| source_name(id, names, losses))
        .unwrap_or_default()
}

/// A select item as HyperDX's `DerivedColumn`. `aggCondition` is always
/// written: without it HyperDX's schema strips a quantile's `level`.
fn select_item(item: &SelectItem, losses: &mut Losses<'_>) -> FileSelectItem {
    let is_delta = match item.period_agg_fn.as_deref() {
        None => None,
        Some("delta") => Some(true),
        Some(other) => {
            losses.lose(
                &format!("periodAggFn {other:?}"),
                "HyperDX's files know `delta` only",
            );
            None
        }
    };
    lose_extra(&item.extra, "select: ", losses);
    FileSelectItem {
        agg_fn: Some(item.agg_fn.as_str().to_string()),
        level: item.level,
        value_expression: Some(item.value_expression.clone().unwrap_or_default()),
        agg_condition: Some(item.where_.clone().unwrap_or_default()),
        agg_condition_language: item.where_language.clone(),
        alias: item.alias.clone(),
        metric_type: item.metric_type.clone(),
        metric_name: item.metric_name.clone(),
        is_delta,
        number_format: item.number_format.clone(),
        ..FileSelectItem::default()
    }
}

/// A click action with its target named; `None` (with its loss) when the
/// target has no name HyperDX could map back, as HyperDX's export drops
/// it then.
fn on_click(on_click: &OnClick, names: &Names, losses: &mut Losses<'_>) -> Option<Box<OnClick>> {
    let mut out = on_click.clone();
    let Some(target) = out.target.as_mut() else {
        return Some(Box::new(out));
    };
    let Some(id) = target.id().map(str::to_string) else {
        return Some(Box::new(out));
    };
    let name = match on_click.kind {
        OnClickKind::Search => names.source_name(&id),
        OnClickKind::Dashboard => names.dashboard_name(&id),
        _ => return Some(Box::new(out)),
    };
    match name {
        Some(name) if !name.is_empty() => {
            target.id = Some(name.to_string());
            Some(Box::new(out))
        }
        _ => {
            losses.lose(
                "onClick",
                &format!(
                    "it opens {} {id}, which has no name on the deployment (HyperDX's export drops \
                     it too)",
                    on_click.kind
                ),
            );
            None
        }
    }
}

/// The fields every chart kind shares, and those of `kind`.
fn chart(
    chart: &ChartConfig,
    kind: &str,
    names: &Names,
    losses: &mut Losses<'_>,
) -> FileChartConfig {
    let mut out = FileChartConfig {
        display_type: Some(kind.to_string()),
        number_format: chart.number_format.clone(),
        align_date_range_to_granularity: chart.align_date_range_to_granularity,
        compare_to_previous_period: chart.compare_to_previous_period,
        fit_y_axis_to_data: chart.fit_y_axis_to_data,
        fill_nulls: (chart.fill_nulls == Some(false)).then_some(Value::Bool(false)),
        formulas: chart.formulas.clone(),
        show_operand_series: chart.show_operand_series,
        group_by_columns_on_left: chart.group_by_columns_on_left,
        group_by: chart.group_by.clone().map(Value::String),
        order_by: chart.order_by.clone().map(Value::String),
        having: chart.having.clone(),
        color: chart.color.clone(),
        color_rules: chart.color_rules.clone(),
        background_chart: chart.background_chart.clone(),
        on_click: chart
            .on_click
            .as_ref()
            .and_then(|o| on_click(o, names, losses)),
        ..FileChartConfig::default()
    };
    if chart.as_ratio == Some(true) {
        out.series_return_type = Some("ratio".into());
    }
    // Pie and bar charts keep their number of groups as the file's
    // `seriesLimit` (HyperDX makes it the query's LIMIT).
    let limit = if matches!(kind, "pie" | "bar") {
        if let (Some(limit), Some(series)) = (chart.limit, chart.series_limit)
            && limit != series
        {
            losses.lose(
                &format!("seriesLimit {series}"),
                &format!(
                    "HyperDX's {kind} charts have one limit, and `limit` ({limit}) is written"
                ),
            );
        }
        chart.limit.or(chart.series_limit)
    } else {
        if chart.limit.is_some() {
            losses.lose("limit", &format!("a {kind} chart has no limit of groups"));
        }
        chart.series_limit
    };
    out.series_limit = limit.map_or(Field::Absent, Field::Value);
    if let Some(interpolation) = &chart.line_interpolation {
        losses.lose(
            &format!("lineInterpolation {interpolation}"),
            "HyperDX draws lines one way (Managed ClickStack only)",
        );
    }
    lose_extra(&chart.extra, "", losses);
    out
}

/// A builder chart of `kind`.
fn builder_chart(
    config: &ChartConfig,
    kind: &str,
    names: &Names,
    losses: &mut Losses<'_>,
) -> FileChartConfig {
    let mut out = chart(config, kind, names, losses);
    out.source = Some(source_or_empty(config.source_id.as_deref(), names, losses));
    let items = config.select.as_deref().unwrap_or_default();
    out.select = Some(FileSelect::Items(
        items.iter().map(|i| select_item(i, losses)).collect(),
    ));
    // A dashboard chart has no condition of its own in the APIs; the
    // file's is required.
    out.where_ = Some(config.where_.clone().unwrap_or_default());
    out.where_language = config.where_language.clone();
    out
}

/// A raw SQL chart of `kind`.
fn raw_sql_chart(
    config: &ChartConfig,
    kind: &str,
    names: &Names,
    losses: &mut Losses<'_>,
) -> FileChartConfig {
    let mut out = chart(config, kind, names, losses);
    out.config_type = Some(ConfigType::Sql.as_str().to_string());
    out.sql_template = Some(config.sql_template.clone().unwrap_or_default());
    out.connection = Some(match config.connection_id.as_deref() {
        Some(id) => match names.connection_name(id) {
            Some(name) => name.to_string(),
            None => {
                losses.lose(
                    &format!("connection {id}"),
                    "the deployment has no connection with that id, so it has no name; the id is \
                     written in its place",
                );
                id.to_string()
            }
        },
        None => {
            losses.lose(
                "connection",
                "the tile names none, and HyperDX's files need one",
            );
            String::new()
        }
    });
    out.source = config
        .source_id
        .as_deref()
        .map(|id| source_name(id, names, losses));
    out
}

fn heatmap(config: &HeatmapConfig, names: &Names, losses: &mut Losses<'_>) -> FileChartConfig {
    if let Some(mode) = config
        .heatmap_mode
        .as_deref()
        .filter(|m| *m != "distribution")
    {
        losses.lose(
            &format!("heatmapMode {mode:?}"),
            "HyperDX's heatmaps plot a distribution only (Managed ClickStack has series heatmaps)",
        );
    }
    if config.group_by.is_some() {
        losses.lose("groupBy", "HyperDX's heatmaps are not grouped");
    }
    lose_extra(&config.extra, "", losses);
    if config.select.as_ref().is_some_and(|s| s.len() > 1) {
        losses.lose("select[1..]", "HyperDX's heatmaps plot one value");
    }
    let select: Vec<FileSelectItem> = config
        .select
        .iter()
        .flatten()
        .take(1)
        .map(|item| {
            if item.agg_fn.as_ref().is_some_and(|f| *f != AggFn::Count) {
                losses.lose("select: aggFn", "HyperDX's heatmaps count");
            }
            lose_extra(&item.extra, "select: ", losses);
            FileSelectItem {
                agg_fn: Some(AggFn::Count.as_str().to_string()),
                agg_condition: Some(String::new()),
                agg_condition_language: Some(QueryLanguage::Lucene),
                value_expression: Some(item.value_expression.clone().unwrap_or_default()),
                count_expression: item.count_expression.clone(),
                heatmap_scale_type: item.heatmap_scale_type.clone(),
                ..FileSelectItem::default()
            }
        })
        .collect();
    FileChartConfig {
        display_type: Some("heatmap".into()),
        source: Some(source_or_empty(config.source_id.as_deref(), names, losses)),
        select: Some(FileSelect::Items(select)),
        where_: Some(config.where_.clone().unwrap_or_default()),
        where_language: Some(
            config
                .where_language
                .clone()
                .unwrap_or(QueryLanguage::Lucene),
        ),
        number_format: config.number_format.clone(),
        ..FileChartConfig::default()
    }
}

fn search(
    config: &SearchConfig,
    kind: &str,
    names: &Names,
    losses: &mut Losses<'_>,
) -> FileChartConfig {
    lose_extra(&config.extra, "", losses);
    FileChartConfig {
        display_type: Some(kind.to_string()),
        source: Some(source_or_empty(config.source_id.as_deref(), names, losses)),
        select: Some(FileSelect::Columns(
            config.select.clone().unwrap_or_default(),
        )),
        where_: Some(config.where_.clone().unwrap_or_default()),
        where_language: Some(
            config
                .where_language
                .clone()
                .unwrap_or(QueryLanguage::Lucene),
        ),
        ..FileChartConfig::default()
    }
}

/// A tile's config in the file, or `None` (with its loss).
pub(super) fn tile_config(
    config: &TileConfig,
    names: &Names,
    losses: &mut Losses<'_>,
) -> Option<FileChartConfig> {
    let chart_of = |config: &ChartConfig, kind: &str, losses: &mut Losses<'_>| {
        if config.config_type == Some(ConfigType::Sql) {
            raw_sql_chart(config, kind, names, losses)
        } else {
            builder_chart(config, kind, names, losses)
        }
    };
    Some(match config {
        TileConfig::Line(c) => chart_of(c, "line", losses),
        TileConfig::StackedLine(c) => {
            losses.lose(
                "displayType stacked_line",
                "HyperDX has no stacked line chart; written as a line",
            );
            chart_of(c, "line", losses)
        }
        TileConfig::StackedBar(c) => chart_of(c, "stacked_bar", losses),
        TileConfig::Bar(c) => chart_of(c, "bar", losses),
        TileConfig::Table(c) => chart_of(c, "table", losses),
        TileConfig::Number(c) => chart_of(c, "number", losses),
        TileConfig::Pie(c) => chart_of(c, "pie", losses),
        TileConfig::Heatmap(c) => heatmap(c, names, losses),
        TileConfig::Search(c) => search(c, "search", names, losses),
        TileConfig::EventPatterns(c) => search(c, "event_patterns", names, losses),
        TileConfig::Markdown(c) => {
            lose_extra(&c.extra, "", losses);
            FileChartConfig {
                display_type: Some("markdown".into()),
                markdown: Some(c.markdown.clone().unwrap_or_default()),
                source: Some(String::new()),
                select: Some(FileSelect::Items(Vec::new())),
                where_: Some(String::new()),
                ..FileChartConfig::default()
            }
        }
        TileConfig::Unknown(value) => {
            let kind = value
                .get("displayType")
                .and_then(Value::as_str)
                .unwrap_or("(none)");
            losses.lose_tile(&format!("this crate does not know its kind {kind:?}"));
            return None;
        }
    })
}
