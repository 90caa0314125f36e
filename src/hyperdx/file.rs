//! The file format: `DashboardTemplateSchema` of hyperdxio/hyperdx
//! (`packages/common-utils/src/types.ts`), typed. Every object keeps the
//! keys this crate does not name in `extra`, so a file reads back as it
//! came.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::field::Field;
use crate::model::{
    BackgroundChart, Container, Formula, MetricType, Number, NumberFormat, OnClick, QueryLanguage,
};

/// The version HyperDX's export writes (any non-empty string is read).
pub const FILE_VERSION: &str = "0.1.0";

/// A dashboard as HyperDX's UI exports it (Export Dashboard) and imports
/// it (Import Dashboard), and as its shipped templates are written:
/// sources, connections and the dashboards click actions open are named,
/// not given by id.
///
/// ```
/// use clickstack::hyperdx::DashboardFile;
/// let file = DashboardFile::from_json(r#"{"version": "0.1.0", "name": "Go runtime", "tiles": []}"#)?;
/// assert_eq!(file.name, "Go runtime");
/// # Ok::<(), clickstack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardFile {
    /// The file's version (`0.1.0`; never interpreted).
    pub version: String,
    /// The dashboard's name.
    pub name: String,
    /// A description (templates only; not part of a dashboard).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Tiles.
    pub tiles: Vec<FileTile>,
    /// Filters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<FileFilter>>,
    /// The default search-bar query.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub saved_query: Field<String>,
    /// Its language.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub saved_query_language: Field<QueryLanguage>,
    /// Default filter selections (`{type, condition}`, or HyperDX's
    /// `sql_ast` form), as the file holds them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved_filter_values: Option<Vec<Value>>,
    /// Containers (sections with tabs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub containers: Option<Vec<Container>>,
    /// Keys this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl DashboardFile {
    /// Whether `value` is a HyperDX dashboard file (a `version` string
    /// beside its `tiles`) rather than a dashboard document.
    pub fn is_file(value: &Value) -> bool {
        value.get("version").is_some_and(Value::is_string)
            && value.get("tiles").is_some_and(Value::is_array)
    }

    /// Reads a file, naming the failing field.
    pub fn from_json(text: &str) -> Result<DashboardFile> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| not_a_file(&e))
    }

    /// Reads a file already parsed (from YAML, say), naming the failing
    /// field.
    pub fn from_value(value: Value) -> Result<DashboardFile> {
        serde_path_to_error::deserialize(value).map_err(|e| not_a_file(&e))
    }

    /// The file as JSON, pretty-printed.
    pub fn to_json_pretty(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::InvalidInput(e.to_string()))
    }
}

/// The error of a file that does not read, with the failing field.
fn not_a_file<E: std::fmt::Display>(e: &serde_path_to_error::Error<E>) -> Error {
    Error::InvalidInput(format!(
        "not a HyperDX dashboard file: at `{}`: {}",
        e.path(),
        e.inner()
    ))
}

/// A tile of a [`DashboardFile`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileTile {
    /// Its id in the file (kept on import by HyperDX; any string).
    pub id: String,
    /// Column.
    pub x: i64,
    /// Row.
    pub y: i64,
    /// Width in columns.
    pub w: i64,
    /// Height in rows.
    pub h: i64,
    /// What it shows.
    pub config: FileChartConfig,
    /// The container it sits in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_id: Option<String>,
    /// The container's tab.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tab_id: Option<String>,
    /// Keys this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The series of a chart: select items, or (search, event patterns) a
/// list of columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FileSelect {
    /// Select items.
    Items(Vec<FileSelectItem>),
    /// Columns (`"Timestamp, Body"`).
    Columns(String),
}

/// A tile's chart, in HyperDX's own chart config (`SavedChartConfig`):
/// a builder chart (`source`, `select`, `where`), a raw SQL chart
/// (`configType: sql`, `connection`, `sqlTemplate`) or a `PromQL` chart
/// (`configType: promql`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileChartConfig {
    /// The tile's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `sql` or `promql`; absent for a builder chart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_type: Option<String>,
    /// `line`, `stacked_bar`, `table`, `pie`, `bar`, `number`, `search`,
    /// `heatmap`, `markdown`, `event_patterns`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_type: Option<String>,
    /// The source, by name (`""` for markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The connection of a raw SQL or `PromQL` chart, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
    /// The SQL of a raw SQL chart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql_template: Option<String>,
    /// The expression of a `PromQL` chart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promql_expression: Option<String>,
    /// The series, or the columns of a search.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select: Option<FileSelect>,
    /// The chart's condition.
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// Its language (`sql` when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
    /// Group by: an expression, or HyperDX's list of columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_by: Option<Value>,
    /// Having (table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub having: Option<String>,
    /// Its language (`sql` when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub having_language: Option<QueryLanguage>,
    /// Order by: an expression, or HyperDX's list of sort columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_by: Option<Value>,
    /// The table's row limit (`{limit, offset}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<Value>,
    /// The text of a markdown tile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    /// `ratio` (the first series over the second) or `column`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series_return_type: Option<String>,
    /// Formulas over the series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formulas: Option<Vec<Formula>>,
    /// Also show the series the formulas use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_operand_series: Option<bool>,
    /// Group-by columns first (table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_by_columns_on_left: Option<bool>,
    /// Number formatting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_format: Option<Box<NumberFormat>>,
    /// Time bucket (`auto`, `5 minute`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granularity: Option<String>,
    /// Compare with the previous period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare_to_previous_period: Option<bool>,
    /// `false` leaves gaps; a number fills them with it (0 when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fill_nulls: Option<Value>,
    /// Align the time range to the granularity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub align_date_range_to_granularity: Option<bool>,
    /// Fit the Y axis to the data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fit_y_axis_to_data: Option<bool>,
    /// What clicking a row opens (sources and dashboards by name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_click: Option<Box<OnClick>>,
    /// Color (number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Color rules (number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color_rules: Option<Vec<Value>>,
    /// Background chart (number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background_chart: Option<Box<BackgroundChart>>,
    /// Most series shown (`null` for the default, 0 for all).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub series_limit: Field<i64>,
    /// Keys this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A select item of a [`FileChartConfig`] (HyperDX's `DerivedColumn`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileSelectItem {
    /// The aggregation (`count`, `quantile`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agg_fn: Option<String>,
    /// The quantile's level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Number>,
    /// What is aggregated (`""` for count and metrics).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_expression: Option<String>,
    /// The series' condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agg_condition: Option<String>,
    /// Its language (`lucene` when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agg_condition_language: Option<QueryLanguage>,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Metric type (metric sources).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric_type: Option<MetricType>,
    /// Metric name (metric sources).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric_name: Option<String>,
    /// Delta over the period (gauge metrics).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_delta: Option<bool>,
    /// Number formatting of this series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_format: Option<Box<NumberFormat>>,
    /// What is counted per bucket (heatmap).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count_expression: Option<String>,
    /// `log` or `linear` (heatmap).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heatmap_scale_type: Option<String>,
    /// Keys this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A dashboard filter of a [`DashboardFile`]: its source, and the
/// sources it applies to, by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileFilter {
    /// Its id in the file.
    pub id: String,
    /// `QUERY_EXPRESSION`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Name shown.
    pub name: String,
    /// The expression whose values are offered.
    pub expression: String,
    /// The source of the values, by name.
    pub source: String,
    /// Metric type of the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_metric_type: Option<MetricType>,
    /// Condition on the values offered.
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// Its language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
    /// The sources the selected value applies to, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies_to_source_ids: Option<Vec<String>>,
    /// Whether the selected value becomes a condition of the tiles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_broadcast_enabled: Option<bool>,
    /// Whether the selected value is a variable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_variable_enabled: Option<bool>,
    /// The variable's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable_name: Option<String>,
    /// Keys this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
