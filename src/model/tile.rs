//! Tile configurations, typed per kind (`displayType`), with builders.

use serde::Serialize;
use serde_json::Value;

use super::common::{
    AggFn, ConfigType, LineInterpolation, MetricType, Number, NumberFormat, QueryLanguage,
};
use super::keep_extra::deserialize_keeping_extra;
use super::sparse::{Extra, Sparse, sparse_fields};

/// What a tile shows, by `displayType`. Builder charts (a select list over a
/// source) and raw SQL charts share [`ChartConfig`]. A kind this crate does
/// not know is kept as raw JSON in [`TileConfig::Unknown`] and sent back
/// byte for byte, also to the other backend.
///
/// ```
/// use clickstack::{AggFn, ChartConfig, SelectItem, TileConfig};
/// let errors = TileConfig::line(
///     ChartConfig::new("65f5e4a3b9e77c001a111111")
///         .select(SelectItem::count().filter("SeverityText:error"))
///         .group_by("ServiceName"),
/// );
/// let json = serde_json::to_value(&errors).unwrap();
/// assert_eq!(json["displayType"], "line");
/// assert_eq!(json["select"][0]["aggFn"], "count");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "displayType")]
pub enum TileConfig {
    /// A time series line chart.
    #[serde(rename = "line")]
    Line(Box<ChartConfig>),
    /// A stacked line (area) chart (Cloud).
    #[serde(rename = "stacked_line")]
    StackedLine(Box<ChartConfig>),
    /// A time series stacked bar chart.
    #[serde(rename = "stacked_bar")]
    StackedBar(Box<ChartConfig>),
    /// A categorical bar chart.
    #[serde(rename = "bar")]
    Bar(Box<ChartConfig>),
    /// A table.
    #[serde(rename = "table")]
    Table(Box<ChartConfig>),
    /// A single number.
    #[serde(rename = "number")]
    Number(Box<ChartConfig>),
    /// A pie chart.
    #[serde(rename = "pie")]
    Pie(Box<ChartConfig>),
    /// A heatmap.
    #[serde(rename = "heatmap")]
    Heatmap(Box<HeatmapConfig>),
    /// A list of matching events.
    #[serde(rename = "search")]
    Search(Box<SearchConfig>),
    /// Event patterns.
    #[serde(rename = "event_patterns")]
    EventPatterns(Box<SearchConfig>),
    /// Markdown text.
    #[serde(rename = "markdown")]
    Markdown(MarkdownConfig),
    /// A kind (or shape) this crate does not know, kept as raw JSON.
    #[serde(untagged)]
    Unknown(Value),
}

impl TileConfig {
    /// A line chart.
    pub fn line(chart: ChartConfig) -> Self {
        TileConfig::Line(Box::new(chart))
    }

    /// A stacked line chart.
    pub fn stacked_line(chart: ChartConfig) -> Self {
        TileConfig::StackedLine(Box::new(chart))
    }

    /// A stacked bar chart over time.
    pub fn stacked_bar(chart: ChartConfig) -> Self {
        TileConfig::StackedBar(Box::new(chart))
    }

    /// A table.
    pub fn table(chart: ChartConfig) -> Self {
        TileConfig::Table(Box::new(chart))
    }

    /// A single number.
    pub fn number(chart: ChartConfig) -> Self {
        TileConfig::Number(Box::new(chart))
    }

    /// A markdown tile.
    pub fn markdown(text: impl Into<String>) -> Self {
        TileConfig::Markdown(MarkdownConfig {
            markdown: Some(text.into()),
            ..MarkdownConfig::default()
        })
    }

    /// A search tile: events of `source_id` matching `condition` (Lucene).
    pub fn search(source_id: impl Into<String>, condition: impl Into<String>) -> Self {
        TileConfig::Search(Box::new(SearchConfig {
            source_id: Some(source_id.into()),
            where_: Some(condition.into()),
            where_language: Some(QueryLanguage::Lucene),
            ..SearchConfig::default()
        }))
    }

    /// The `displayType`, also of an unknown kind.
    pub fn display_type(&self) -> Option<&str> {
        Some(match self {
            TileConfig::Line(_) => "line",
            TileConfig::StackedLine(_) => "stacked_line",
            TileConfig::StackedBar(_) => "stacked_bar",
            TileConfig::Bar(_) => "bar",
            TileConfig::Table(_) => "table",
            TileConfig::Number(_) => "number",
            TileConfig::Pie(_) => "pie",
            TileConfig::Heatmap(_) => "heatmap",
            TileConfig::Search(_) => "search",
            TileConfig::EventPatterns(_) => "event_patterns",
            TileConfig::Markdown(_) => "markdown",
            TileConfig::Unknown(v) => return v.get("displayType").and_then(Value::as_str),
        })
    }

    /// The chart settings of a chart kind.
    pub fn chart(&self) -> Option<&ChartConfig> {
        match self {
            TileConfig::Line(c)
            | TileConfig::StackedLine(c)
            | TileConfig::StackedBar(c)
            | TileConfig::Bar(c)
            | TileConfig::Table(c)
            | TileConfig::Number(c)
            | TileConfig::Pie(c) => Some(c),
            _ => None,
        }
    }

    /// The source the tile reads, if any.
    pub fn source_id(&self) -> Option<&str> {
        match self {
            TileConfig::Heatmap(h) => h.source_id.as_deref(),
            TileConfig::Search(s) | TileConfig::EventPatterns(s) => s.source_id.as_deref(),
            TileConfig::Markdown(_) => None,
            TileConfig::Unknown(v) => v.get("sourceId").and_then(Value::as_str),
            chart => chart.chart().and_then(|c| c.source_id.as_deref()),
        }
    }

    /// The source id slot, for rewriting ids when moving a dashboard.
    pub(crate) fn source_id_mut(&mut self) -> Option<&mut Option<String>> {
        match self {
            TileConfig::Line(c)
            | TileConfig::StackedLine(c)
            | TileConfig::StackedBar(c)
            | TileConfig::Bar(c)
            | TileConfig::Table(c)
            | TileConfig::Number(c)
            | TileConfig::Pie(c) => Some(&mut c.source_id),
            TileConfig::Heatmap(h) => Some(&mut h.source_id),
            TileConfig::Search(s) | TileConfig::EventPatterns(s) => Some(&mut s.source_id),
            TileConfig::Markdown(_) | TileConfig::Unknown(_) => None,
        }
    }
}

/// A chart: either the builder's select list over a source, or a raw SQL
/// template (`config_type: Some(ConfigType::Sql)`). Every option of every
/// chart kind is here; a kind uses those that apply to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChartConfig {
    /// `sql` for a raw SQL chart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_type: Option<ConfigType>,
    /// The source queried (builder charts; optional for SQL charts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// The series (builder charts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<Vec<SelectItem>>,
    /// Group by expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<String>,
    /// Order by expression (table, pie, bar).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_by: Option<String>,
    /// Also show the series the formulas use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_operand_series: Option<bool>,
    /// Show the ratio of two series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_ratio: Option<bool>,
    /// Align the time range to the granularity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub align_date_range_to_granularity: Option<bool>,
    /// Fill gaps with zeros.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill_nulls: Option<bool>,
    /// Fit the Y axis to the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit_y_axis_to_data: Option<bool>,
    /// Compare with the previous period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_to_previous_period: Option<bool>,
    /// Number formatting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_format: Option<Box<NumberFormat>>,
    /// The options most charts leave unset (SQL, formulas, limits, colors,
    /// click actions), read and written like the others:
    /// `chart.more.formulas`.
    #[serde(flatten)]
    pub more: Sparse<ChartMore>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The options of a [`ChartConfig`] that most charts leave unset
/// ([`ChartConfig::more`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ChartMore {
    /// The connection a SQL chart runs on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// The SQL of a SQL chart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql_template: Option<String>,
    /// Having condition (table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub having: Option<String>,
    /// Formulas over the series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formulas: Option<Vec<Formula>>,
    /// How lines join points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_interpolation: Option<LineInterpolation>,
    /// Most series shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series_limit: Option<i64>,
    /// Most groups shown (pie, bar).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Group-by columns first (table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_by_columns_on_left: Option<bool>,
    /// What clicking a row opens (table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_click: Option<Value>,
    /// Color (number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Color rules (number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color_rules: Option<Vec<Value>>,
    /// Background chart (number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background_chart: Option<Value>,
}

sparse_fields!(ChartMore);

deserialize_keeping_extra! {
    ChartConfig {
        "configType" => config_type,
        "sourceId" => source_id,
        "select" => select as seq,
        "groupBy" => group_by,
        "orderBy" => order_by,
        "showOperandSeries" => show_operand_series,
        "asRatio" => as_ratio,
        "alignDateRangeToGranularity" => align_date_range_to_granularity,
        "fillNulls" => fill_nulls,
        "fitYAxisToData" => fit_y_axis_to_data,
        "compareToPreviousPeriod" => compare_to_previous_period,
        "numberFormat" => number_format,
    }
    more ChartMore {
        "connectionId" => connection_id,
        "sqlTemplate" => sql_template,
        "having" => having,
        "formulas" => formulas as seq,
        "lineInterpolation" => line_interpolation,
        "seriesLimit" => series_limit,
        "limit" => limit,
        "groupByColumnsOnLeft" => group_by_columns_on_left,
        "onClick" => on_click,
        "color" => color,
        "colorRules" => color_rules as seq,
        "backgroundChart" => background_chart,
    }
}

impl ChartConfig {
    /// A builder chart over `source_id`, with no series yet.
    pub fn new(source_id: impl Into<String>) -> Self {
        ChartConfig {
            source_id: Some(source_id.into()),
            select: Some(Vec::new()),
            ..ChartConfig::default()
        }
    }

    /// A raw SQL chart on a connection.
    pub fn sql(connection_id: impl Into<String>, sql_template: impl Into<String>) -> Self {
        let mut chart = ChartConfig {
            config_type: Some(ConfigType::Sql),
            ..ChartConfig::default()
        };
        chart.more.connection_id = Some(connection_id.into());
        chart.more.sql_template = Some(sql_template.into());
        chart
    }

    /// Adds a series.
    #[must_use]
    pub fn select(mut self, item: SelectItem) -> Self {
        self.select.get_or_insert_with(Vec::new).push(item);
        self
    }

    /// Groups by an expression.
    #[must_use]
    pub fn group_by(mut self, expression: impl Into<String>) -> Self {
        self.group_by = Some(expression.into());
        self
    }

    /// Adds a formula over the series.
    #[must_use]
    pub fn formula(mut self, expression: impl Into<String>) -> Self {
        self.more
            .formulas
            .get_or_insert_with(Vec::new)
            .push(Formula {
                expression: expression.into(),
                ..Formula::default()
            });
        self
    }

    /// Sets the number format.
    #[must_use]
    pub fn number_format(mut self, format: NumberFormat) -> Self {
        self.number_format = Some(Box::new(format));
        self
    }
}

/// One series of a builder chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SelectItem {
    /// The aggregation.
    pub agg_fn: AggFn,
    /// What is aggregated (none for `count`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_expression: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Quantile level (0.5, 0.9, 0.95, 0.99) for `quantile`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Number>,
    /// Condition on the rows aggregated.
    #[serde(rename = "where", default, skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// Language of `where`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
    /// The options most series leave unset (metrics, per-period deltas,
    /// number format), read and written like the others:
    /// `select.more.metric_name`.
    #[serde(flatten)]
    pub more: Sparse<SelectMore>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The options of a [`SelectItem`] that most series leave unset
/// ([`SelectItem::more`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SelectMore {
    /// Metric name (metric sources).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric_name: Option<String>,
    /// Metric type (metric sources).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric_type: Option<MetricType>,
    /// `delta` for per-period deltas.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_agg_fn: Option<String>,
    /// Number formatting of this series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_format: Option<Box<NumberFormat>>,
}

sparse_fields!(SelectMore);

deserialize_keeping_extra! {
    SelectItem {
        "valueExpression" => value_expression,
        "alias" => alias,
        "level" => level,
        "where" => where_,
        "whereLanguage" => where_language,
    }
    required {
        "aggFn" => agg_fn,
    }
    more SelectMore {
        "metricName" => metric_name,
        "metricType" => metric_type,
        "periodAggFn" => period_agg_fn,
        "numberFormat" => number_format,
    }
}

impl SelectItem {
    /// An aggregation of an expression.
    pub fn new(agg_fn: AggFn, value_expression: impl Into<String>) -> Self {
        SelectItem {
            value_expression: Some(value_expression.into()),
            ..SelectItem::count()
        }
        .with_agg(agg_fn)
    }

    /// A quantile of an expression, at `level` (0.5, 0.9, 0.95 or 0.99).
    pub fn quantile(value_expression: impl Into<String>, level: f64) -> Self {
        SelectItem {
            level: Some(Number(level)),
            ..SelectItem::new(AggFn::Quantile, value_expression)
        }
    }

    /// A row count.
    pub fn count() -> Self {
        SelectItem {
            agg_fn: AggFn::Count,
            value_expression: None,
            alias: None,
            level: None,
            where_: None,
            where_language: None,
            more: Sparse::default(),
            extra: Extra::default(),
        }
    }

    fn with_agg(mut self, agg_fn: AggFn) -> Self {
        self.agg_fn = agg_fn;
        self
    }

    /// Restricts the rows with a Lucene condition.
    #[must_use]
    pub fn filter(mut self, condition: impl Into<String>) -> Self {
        self.where_ = Some(condition.into());
        self.where_language = Some(QueryLanguage::Lucene);
        self
    }

    /// Restricts the rows with a SQL condition.
    #[must_use]
    pub fn filter_sql(mut self, condition: impl Into<String>) -> Self {
        self.where_ = Some(condition.into());
        self.where_language = Some(QueryLanguage::Sql);
        self
    }

    /// Names the series.
    #[must_use]
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.alias = Some(alias.into());
        self
    }
}

/// A formula over a chart's series.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Formula {
    /// The expression (`series_0 / series_1`).
    pub expression: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Number formatting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_format: Option<Box<NumberFormat>>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    Formula {
        "alias" => alias,
        "numberFormat" => number_format,
    }
    required {
        "expression" => expression,
    }
}

/// A heatmap: a distribution of a value, or of series (`heatmapMode`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeatmapConfig {
    /// `distribution` or `series` (Cloud).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heatmap_mode: Option<String>,
    /// The source queried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// What is plotted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<Vec<HeatmapSelect>>,
    /// Group by (series mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_by: Option<String>,
    /// Condition.
    #[serde(rename = "where", default, skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// Language of `where`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
    /// Number formatting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_format: Option<Box<NumberFormat>>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    HeatmapConfig {
        "heatmapMode" => heatmap_mode,
        "sourceId" => source_id,
        "select" => select as seq,
        "groupBy" => group_by,
        "where" => where_,
        "whereLanguage" => where_language,
        "numberFormat" => number_format,
    }
}

/// What a heatmap plots: a value expression (distribution mode) or a
/// series (series mode).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeatmapSelect {
    /// The value (distribution mode), or what is aggregated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_expression: Option<String>,
    /// What is counted per bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count_expression: Option<String>,
    /// `log` or `linear`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heatmap_scale_type: Option<String>,
    /// The aggregation (series mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agg_fn: Option<AggFn>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    HeatmapSelect {
        "valueExpression" => value_expression,
        "countExpression" => count_expression,
        "heatmapScaleType" => heatmap_scale_type,
        "aggFn" => agg_fn,
    }
}

/// A search or event-patterns tile.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchConfig {
    /// The source searched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// Columns shown (a comma-separated list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    /// The condition.
    #[serde(rename = "where", default, skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// Language of `where`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    SearchConfig {
        "sourceId" => source_id,
        "select" => select,
        "where" => where_,
        "whereLanguage" => where_language,
    }
}

/// A markdown tile.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MarkdownConfig {
    /// The text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    MarkdownConfig {
        "markdown" => markdown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_kind_round_trips_and_unknown_kinds_stay_raw() {
        let configs = json!([
            {"displayType": "line", "sourceId": "s", "select": [{"aggFn": "count", "valueExpression": ""}],
             "formulas": [{"expression": "series_0 * 2"}], "seriesLimit": 5, "lineInterpolation": "step",
             "showOperandSeries": true, "colorRules": [], "brandNew": {"x": 1}},
            {"displayType": "stacked_line", "sourceId": "s", "select": []},
            {"displayType": "line", "configType": "sql", "connectionId": "c", "sqlTemplate": "SELECT 1"},
            {"displayType": "heatmap", "heatmapMode": "series", "sourceId": "s", "select": [{"aggFn": "avg", "valueExpression": "d"}], "groupBy": "x"},
            {"displayType": "search", "sourceId": "s", "select": "a,b", "where": "", "whereLanguage": "lucene"},
            {"displayType": "event_patterns", "sourceId": "s"},
            {"displayType": "markdown", "markdown": "# hi"},
            {"displayType": "sankey", "nodes": [1, 2]},
            {"noDisplayType": true}
        ]);
        let decoded: Vec<TileConfig> = serde_json::from_value(configs.clone()).unwrap();
        assert!(
            matches!(decoded[0], TileConfig::Line(ref c) if c.more.series_limit == Some(5) && c.extra["brandNew"] == json!({"x": 1}))
        );
        assert!(matches!(decoded[1], TileConfig::StackedLine(_)));
        assert!(
            matches!(decoded[2], TileConfig::Line(ref c) if c.config_type == Some(ConfigType::Sql))
        );
        assert!(matches!(decoded[7], TileConfig::Unknown(_)));
        assert_eq!(decoded[7].display_type(), Some("sankey"));
        assert_eq!(serde_json::to_value(&decoded).unwrap(), configs);
    }
}
