//! Tile configurations, typed per kind (`displayType`), with builders.

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::common::{
    AggFn, ConfigType, LineInterpolation, MetricType, Number, NumberFormat, QueryLanguage,
};
use super::open_enum::open_enum;

/// What a tile shows, by `displayType`. Builder charts (a select list over a
/// source) and raw SQL charts share [`ChartConfig`]. A kind this crate does
/// not know (or a config without a `displayType`) is kept as raw JSON in
/// [`TileConfig::Unknown`] and sent back unchanged, also to the other
/// backend. A config of a known kind whose fields do not have the types the
/// APIs give them is an error naming the field.
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

const DISPLAY_TYPE: &str = "displayType";

/// The `displayType`s this crate decodes into a typed config.
const KINDS: [&str; 11] = [
    "line",
    "stacked_line",
    "stacked_bar",
    "bar",
    "table",
    "number",
    "pie",
    "heatmap",
    "search",
    "event_patterns",
    "markdown",
];

impl<'de> Deserialize<'de> for TileConfig {
    /// Decodes the kind the config's `displayType` names (see
    /// [`TileConfig::from_value`]). When `displayType` comes first, as the
    /// servers write it, the rest of the object is decoded straight into
    /// the kind's struct; otherwise the object is read whole first.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TileConfigVisitor)
    }
}

/// Decodes a tile config in one pass when `displayType` comes first.
struct TileConfigVisitor;

impl<'de> Visitor<'de> for TileConfigVisitor {
    type Value = TileConfig;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a tile config")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TileConfig, A::Error> {
        let Some(first) = map.next_key::<String>()? else {
            return Ok(TileConfig::Unknown(Value::Object(Map::new())));
        };
        let first_value: Value = map.next_value()?;
        if first == DISPLAY_TYPE
            && let Some(kind) = first_value.as_str()
            && let Some(decoded) = known_kind(kind, MapAccessDeserializer::new(&mut map))
        {
            let config = decoded?;
            // A second `displayType` would land among the kind's unknown
            // fields and be sent twice.
            if config
                .extra()
                .is_some_and(|extra| extra.contains_key(DISPLAY_TYPE))
            {
                return Err(de::Error::duplicate_field(DISPLAY_TYPE));
            }
            return Ok(config);
        }
        let mut all = Map::new();
        all.insert(first, first_value);
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            all.insert(key, value);
        }
        TileConfig::from_value(Value::Object(all)).map_err(de::Error::custom)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<TileConfig, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(TileConfig::Unknown)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<TileConfig, E> {
        Ok(TileConfig::Unknown(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<TileConfig, E> {
        Ok(TileConfig::Unknown(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<TileConfig, E> {
        Ok(TileConfig::Unknown(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<TileConfig, E> {
        Ok(TileConfig::Unknown(Value::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<TileConfig, E> {
        Ok(TileConfig::Unknown(Value::from(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<TileConfig, E> {
        Ok(TileConfig::Unknown(Value::Null))
    }
}

/// Decodes the known kind `kind` from `rest` (the config's other fields);
/// `None` for a kind this crate does not know.
fn known_kind<'de, D: Deserializer<'de>>(
    kind: &str,
    rest: D,
) -> Option<Result<TileConfig, D::Error>> {
    fn chart<'de, D: Deserializer<'de>>(
        rest: D,
        wrap: fn(Box<ChartConfig>) -> TileConfig,
    ) -> Result<TileConfig, D::Error> {
        ChartConfig::deserialize(rest).map(|c| wrap(Box::new(c)))
    }
    Some(match kind {
        "line" => chart(rest, TileConfig::Line),
        "stacked_line" => chart(rest, TileConfig::StackedLine),
        "stacked_bar" => chart(rest, TileConfig::StackedBar),
        "bar" => chart(rest, TileConfig::Bar),
        "table" => chart(rest, TileConfig::Table),
        "number" => chart(rest, TileConfig::Number),
        "pie" => chart(rest, TileConfig::Pie),
        "heatmap" => HeatmapConfig::deserialize(rest).map(|c| TileConfig::Heatmap(Box::new(c))),
        "search" => SearchConfig::deserialize(rest).map(|c| TileConfig::Search(Box::new(c))),
        "event_patterns" => {
            SearchConfig::deserialize(rest).map(|c| TileConfig::EventPatterns(Box::new(c)))
        }
        "markdown" => MarkdownConfig::deserialize(rest).map(TileConfig::Markdown),
        _ => return None,
    })
}

impl TileConfig {
    /// Decodes a config from JSON: the kind its `displayType` names, or
    /// [`TileConfig::Unknown`] for any other value (no `displayType`, a
    /// kind this crate does not know, not an object). A config of a known
    /// kind whose fields do not decode is an error naming the field.
    ///
    /// ```
    /// use clickstack::TileConfig;
    /// use serde_json::json;
    /// let config = TileConfig::from_value(json!({"displayType": "markdown", "markdown": "hi"})).unwrap();
    /// assert_eq!(config.display_type(), Some("markdown"));
    /// let future = TileConfig::from_value(json!({"displayType": "sankey", "nodes": []})).unwrap();
    /// assert!(future.is_unknown());
    /// assert!(TileConfig::from_value(json!({"displayType": "line", "select": "x"})).is_err());
    /// ```
    pub fn from_value(value: Value) -> Result<TileConfig, String> {
        let Value::Object(mut map) = value else {
            return Ok(TileConfig::Unknown(value));
        };
        let kind = match map.get(DISPLAY_TYPE) {
            Some(Value::String(kind)) if KINDS.contains(&kind.as_str()) => kind.clone(),
            _ => return Ok(TileConfig::Unknown(Value::Object(map))),
        };
        map.remove(DISPLAY_TYPE);
        let mut track = serde_path_to_error::Track::new();
        let rest = serde_path_to_error::Deserializer::new(Value::Object(map), &mut track);
        match known_kind(&kind, rest) {
            Some(decoded) => decoded.map_err(|e| format!("at `{}`: {e}", track.path())),
            None => Err(format!("`{kind}` is not a kind this crate decodes")),
        }
    }

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

    /// A categorical bar chart.
    pub fn bar(chart: ChartConfig) -> Self {
        TileConfig::Bar(Box::new(chart))
    }

    /// A table.
    pub fn table(chart: ChartConfig) -> Self {
        TileConfig::Table(Box::new(chart))
    }

    /// A single number.
    pub fn number(chart: ChartConfig) -> Self {
        TileConfig::Number(Box::new(chart))
    }

    /// A pie chart.
    pub fn pie(chart: ChartConfig) -> Self {
        TileConfig::Pie(Box::new(chart))
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

    /// Whether the kind is one this crate does not know (raw JSON).
    pub fn is_unknown(&self) -> bool {
        matches!(self, TileConfig::Unknown(_))
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
            TileConfig::Unknown(v) => return v.get(DISPLAY_TYPE).and_then(Value::as_str),
        })
    }

    /// The fields a known kind keeps without naming them.
    fn extra(&self) -> Option<&Map<String, Value>> {
        match self {
            TileConfig::Heatmap(c) => Some(&c.extra),
            TileConfig::Search(c) | TileConfig::EventPatterns(c) => Some(&c.extra),
            TileConfig::Markdown(c) => Some(&c.extra),
            TileConfig::Unknown(_) => None,
            chart => chart.chart().map(|c| &c.extra),
        }
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

    /// The chart settings of a chart kind, to change them.
    pub fn chart_mut(&mut self) -> Option<&mut ChartConfig> {
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

    /// The source the tile reads, if any (also of an unknown kind).
    pub fn source_id(&self) -> Option<&str> {
        match self {
            TileConfig::Heatmap(h) => h.source_id.as_deref(),
            TileConfig::Search(s) | TileConfig::EventPatterns(s) => s.source_id.as_deref(),
            TileConfig::Markdown(_) => None,
            TileConfig::Unknown(v) => v.get("sourceId").and_then(Value::as_str),
            chart => chart.chart().and_then(|c| c.source_id.as_deref()),
        }
    }

    /// Calls `f` with every source id the config refers to: the source it
    /// reads and the search source its click action opens.
    pub(crate) fn for_each_source_id(&self, f: &mut impl FnMut(&str)) {
        if let Some(id) = self.source_id() {
            f(id);
        }
        if let Some(id) = self
            .chart()
            .and_then(|c| c.on_click.as_ref())
            .and_then(|on_click| on_click.search_source_id())
        {
            f(id);
        }
    }

    /// Replaces the source ids [`TileConfig::for_each_source_id`] lists by
    /// `map(old)` (`None` keeps an id).
    pub(crate) fn map_source_ids(&mut self, map: &impl Fn(&str) -> Option<String>) {
        let slot = match self {
            TileConfig::Heatmap(h) => &mut h.source_id,
            TileConfig::Search(s) | TileConfig::EventPatterns(s) => &mut s.source_id,
            TileConfig::Markdown(_) => return,
            TileConfig::Unknown(Value::Object(raw)) => {
                if let Some(Value::String(id)) = raw.get_mut("sourceId")
                    && let Some(new) = map(id)
                {
                    *id = new;
                }
                return;
            }
            TileConfig::Unknown(_) => return,
            chart => {
                let Some(c) = chart.chart_mut() else { return };
                if let Some(target) = c.on_click.as_mut().and_then(|o| o.search_target_mut())
                    && let Some(new) = map(target)
                {
                    *target = new;
                }
                &mut c.source_id
            }
        };
        if let Some(new) = slot.as_deref().and_then(map) {
            *slot = Some(new);
        }
    }
}

/// A chart: either the builder's select list over a source, or a raw SQL
/// template (`config_type: Some(ConfigType::Sql)`). Every option of every
/// chart kind is here; a kind uses those that apply to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChartConfig {
    /// `sql` for a raw SQL chart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_type: Option<ConfigType>,
    /// The source queried (builder charts; optional for SQL charts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// The connection a SQL chart runs on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    /// The SQL of a SQL chart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql_template: Option<String>,
    /// The series (builder charts).
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub select: Option<Vec<SelectItem>>,
    /// A condition on every series (an alert's chart).
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// Language of `where`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
    /// Group by expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_by: Option<String>,
    /// Order by expression (table, pie, bar).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_by: Option<String>,
    /// Having condition (table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub having: Option<String>,
    /// Show the ratio of two series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_ratio: Option<bool>,
    /// Align the time range to the granularity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub align_date_range_to_granularity: Option<bool>,
    /// Fill gaps with zeros.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fill_nulls: Option<bool>,
    /// Fit the Y axis to the data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fit_y_axis_to_data: Option<bool>,
    /// Compare with the previous period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare_to_previous_period: Option<bool>,
    /// How lines join points (Cloud).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_interpolation: Option<LineInterpolation>,
    /// Most series shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series_limit: Option<i64>,
    /// Most groups shown (pie, bar).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Formulas over the series.
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub formulas: Option<Vec<Formula>>,
    /// Also show the series the formulas use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_operand_series: Option<bool>,
    /// Group-by columns first (table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_by_columns_on_left: Option<bool>,
    /// What clicking a row opens (table).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_click: Option<Box<OnClick>>,
    /// Color, a palette token such as `chart-red` (number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Color rules, the APIs' union of conditions as JSON (number).
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub color_rules: Option<Vec<Value>>,
    /// Background chart (number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background_chart: Option<Box<BackgroundChart>>,
    /// Number formatting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_format: Option<Box<NumberFormat>>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
        ChartConfig {
            config_type: Some(ConfigType::Sql),
            connection_id: Some(connection_id.into()),
            sql_template: Some(sql_template.into()),
            ..ChartConfig::default()
        }
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
        self.formulas.get_or_insert_with(Vec::new).push(Formula {
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

    /// Sets what clicking a row opens (table).
    #[must_use]
    pub fn on_click(mut self, on_click: OnClick) -> Self {
        self.on_click = Some(Box::new(on_click));
        self
    }
}

/// One series of a builder chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SelectItem {
    /// The aggregation.
    pub agg_fn: AggFn,
    /// What is aggregated (none for `count`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_expression: Option<String>,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Quantile level (0.5, 0.9, 0.95, 0.99) for `quantile`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Number>,
    /// Condition on the rows aggregated.
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// Language of `where`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
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
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SelectItem {
    /// An aggregation of an expression.
    pub fn new(agg_fn: AggFn, value_expression: impl Into<String>) -> Self {
        SelectItem {
            agg_fn,
            value_expression: Some(value_expression.into()),
            ..SelectItem::count()
        }
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
            metric_name: None,
            metric_type: None,
            period_agg_fn: None,
            number_format: None,
            extra: Map::new(),
        }
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

    /// Reads metric `name` of `metric_type` (metric sources).
    #[must_use]
    pub fn metric(mut self, name: impl Into<String>, metric_type: MetricType) -> Self {
        self.metric_name = Some(name.into());
        self.metric_type = Some(metric_type);
        self
    }
}

/// A formula over a chart's series.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Formula {
    /// The expression (`series_0 / series_1`).
    pub expression: String,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Number formatting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_format: Option<Box<NumberFormat>>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

open_enum! {
    /// What clicking a table row opens.
    pub enum OnClickKind {
        /// A search of a source.
        Search = "search",
        /// Another dashboard.
        Dashboard = "dashboard",
        /// An external URL.
        External = "external",
    }
}

/// What clicking a table row opens: a search of a source, another
/// dashboard (both with a target by id or by template) or a URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnClick {
    /// Which kind.
    #[serde(rename = "type")]
    pub kind: OnClickKind,
    /// The source (search) or dashboard (dashboard) opened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<OnClickTarget>,
    /// The condition of the search or dashboard opened, a template over
    /// the row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub where_template: Option<String>,
    /// Language of `where_template`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
    /// Filter templates, as the APIs send them.
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub filters: Option<Vec<Value>>,
    /// The URL opened (external), a template over the row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_template: Option<String>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl OnClick {
    /// A click that opens a search of source `source_id`.
    ///
    /// ```
    /// use clickstack::OnClick;
    /// let click = OnClick::search("65f5e4a3b9e77c001a111111").where_template("SpanName:\"{{SpanName}}\"");
    /// assert_eq!(click.search_source_id(), Some("65f5e4a3b9e77c001a111111"));
    /// ```
    pub fn search(source_id: impl Into<String>) -> Self {
        OnClick::to(OnClickKind::Search, source_id.into())
    }

    /// A click that opens dashboard `dashboard_id` (in a document, its
    /// name also does: plans resolve it on the target).
    ///
    /// ```
    /// use clickstack::OnClick;
    /// assert_eq!(OnClick::dashboard("Checkout").dashboard_id(), Some("Checkout"));
    /// ```
    pub fn dashboard(dashboard_id: impl Into<String>) -> Self {
        OnClick::to(OnClickKind::Dashboard, dashboard_id.into())
    }

    /// A click that opens `url_template`, a URL with `{{Column}}`
    /// placeholders.
    pub fn external(url_template: impl Into<String>) -> Self {
        OnClick {
            kind: OnClickKind::External,
            target: None,
            where_template: None,
            where_language: None,
            filters: None,
            url_template: Some(url_template.into()),
            extra: Map::new(),
        }
    }

    fn to(kind: OnClickKind, id: String) -> Self {
        OnClick {
            kind,
            target: Some(OnClickTarget {
                mode: OnClickTargetMode::Id,
                id: Some(id),
                template: None,
                extra: Map::new(),
            }),
            where_template: None,
            where_language: None,
            filters: None,
            url_template: None,
            extra: Map::new(),
        }
    }

    /// Sets the condition of the search or dashboard opened, a template
    /// over the row (`{{Column}}`).
    #[must_use]
    pub fn where_template(mut self, template: impl Into<String>) -> Self {
        self.where_template = Some(template.into());
        self
    }

    /// The source a search click opens, when its target is an id.
    pub fn search_source_id(&self) -> Option<&str> {
        (self.kind == OnClickKind::Search)
            .then_some(self.target.as_ref()?)
            .and_then(OnClickTarget::id)
    }

    /// The dashboard a dashboard click opens, when its target is an id.
    pub fn dashboard_id(&self) -> Option<&str> {
        (self.kind == OnClickKind::Dashboard)
            .then_some(self.target.as_ref()?)
            .and_then(OnClickTarget::id)
    }

    fn search_target_mut(&mut self) -> Option<&mut String> {
        if self.kind != OnClickKind::Search {
            return None;
        }
        let target = self.target.as_mut()?;
        if target.mode == OnClickTargetMode::Id {
            target.id.as_mut()
        } else {
            None
        }
    }
}

open_enum! {
    /// How a click's target is named.
    pub enum OnClickTargetMode {
        /// By id (`id`).
        Id = "id",
        /// By a template over the row (`template`).
        Template = "template",
    }
}

/// The target of a click: an id, or a template that names one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnClickTarget {
    /// By id or by template.
    pub mode: OnClickTargetMode,
    /// The id (`id` mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The template (`template` mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl OnClickTarget {
    /// The id, in `id` mode.
    pub fn id(&self) -> Option<&str> {
        if self.mode == OnClickTargetMode::Id {
            self.id.as_deref()
        } else {
            None
        }
    }
}

/// The chart drawn behind a number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackgroundChart {
    /// `line` or `area`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Color, a palette token such as `chart-blue`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A heatmap: a distribution of a value, or of series (`heatmapMode`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeatmapConfig {
    /// `distribution` or `series` (Cloud).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heatmap_mode: Option<String>,
    /// The source queried.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// What is plotted.
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub select: Option<Vec<HeatmapSelect>>,
    /// Group by (series mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_by: Option<String>,
    /// Condition.
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// Language of `where`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
    /// Number formatting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_format: Option<Box<NumberFormat>>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What a heatmap plots: a value expression (distribution mode) or a
/// series (series mode, whose other fields are in `extra`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeatmapSelect {
    /// The value (distribution mode), or what is aggregated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_expression: Option<String>,
    /// What is counted per bucket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count_expression: Option<String>,
    /// `log` or `linear`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heatmap_scale_type: Option<String>,
    /// The aggregation (series mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agg_fn: Option<AggFn>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A search or event-patterns tile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchConfig {
    /// The source searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// Columns shown (a comma-separated list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    /// The condition.
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// Language of `where`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A markdown tile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarkdownConfig {
    /// The text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
            {"displayType": "table", "sourceId": "s", "select": [{"aggFn": "count"}],
             "onClick": {"type": "search", "target": {"mode": "id", "id": "s2"}, "whereTemplate": "x"}},
            {"displayType": "sankey", "nodes": [1, 2]},
            {"noDisplayType": true},
            [1, 2],
            "text"
        ]);
        let decoded: Vec<TileConfig> = serde_json::from_value(configs.clone()).unwrap();
        assert!(
            matches!(decoded[0], TileConfig::Line(ref c) if c.series_limit == Some(5) && c.extra["brandNew"] == json!({"x": 1}))
        );
        assert!(matches!(decoded[1], TileConfig::StackedLine(_)));
        assert!(
            matches!(decoded[2], TileConfig::Line(ref c) if c.config_type == Some(ConfigType::Sql))
        );
        assert!(decoded[8].is_unknown() && decoded[9].is_unknown());
        assert_eq!(decoded[8].display_type(), Some("sankey"));
        assert_eq!(serde_json::to_value(&decoded).unwrap(), configs);
        let mut ids = Vec::new();
        decoded[7].for_each_source_id(&mut |id| ids.push(id.to_string()));
        assert_eq!(ids, ["s", "s2"]);
    }

    #[test]
    fn every_kind_decodes_in_any_field_order() {
        for kind in KINDS {
            let first: TileConfig =
                serde_json::from_str(&format!(r#"{{"displayType":"{kind}","extraField":1}}"#))
                    .unwrap();
            let later: TileConfig =
                serde_json::from_str(&format!(r#"{{"extraField":1,"displayType":"{kind}"}}"#))
                    .unwrap();
            assert!(!first.is_unknown(), "{kind}");
            assert_eq!(first, later, "{kind}");
            assert_eq!(first.display_type(), Some(kind));
        }
        let twice = serde_json::from_str::<TileConfig>(
            r#"{"displayType":"line","sourceId":"s","displayType":"bar"}"#,
        );
        assert!(twice.unwrap_err().to_string().contains("duplicate field"));
    }

    #[test]
    fn a_known_kind_that_does_not_decode_is_an_error_naming_the_field() {
        let bad = json!({"displayType": "line", "sourceId": "s", "select": [{"aggFn": 3}]});
        let err = TileConfig::from_value(bad.clone()).unwrap_err();
        assert!(err.contains("at `select[0].aggFn`"), "{err}");
        // Read from text, the path comes from the caller's tracking.
        let text = bad.to_string();
        let de = &mut serde_json::Deserializer::from_str(&text);
        let err = serde_path_to_error::deserialize::<_, TileConfig>(de).unwrap_err();
        assert_eq!(err.path().to_string(), "select[0].aggFn");
    }
}
