//! Values both APIs share inside resources: query languages, aggregation
//! functions, number formats.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::open_enum::open_enum;

pub use clickstack_runtime::Number;

open_enum! {
    /// The language of a condition.
    pub enum QueryLanguage {
        /// SQL.
        Sql = "sql",
        /// Lucene.
        Lucene = "lucene",
        /// PromQL (HyperDX saved queries).
        Promql = "promql",
    }
}

open_enum! {
    /// An aggregation function of a chart series.
    pub enum AggFn {
        /// Average.
        Avg = "avg",
        /// Count of rows (no value expression).
        Count = "count",
        /// Count of distinct values.
        CountDistinct = "count_distinct",
        /// Last value.
        LastValue = "last_value",
        /// Maximum.
        Max = "max",
        /// Minimum.
        Min = "min",
        /// A quantile (with a `level`).
        Quantile = "quantile",
        /// Sum.
        Sum = "sum",
        /// Any value.
        Any = "any",
        /// No aggregation.
        None = "none",
    }
}

open_enum! {
    /// The type of a metric.
    pub enum MetricType {
        /// Sum (counter).
        Sum = "sum",
        /// Gauge.
        Gauge = "gauge",
        /// Histogram.
        Histogram = "histogram",
        /// Summary.
        Summary = "summary",
        /// Exponential histogram.
        ExponentialHistogram = "exponential histogram",
    }
}

open_enum! {
    /// How a number is displayed.
    pub enum NumberOutput {
        /// Currency.
        Currency = "currency",
        /// Percentage.
        Percent = "percent",
        /// Bytes.
        Byte = "byte",
        /// Time.
        Time = "time",
        /// Plain number.
        Number = "number",
        /// Data rate.
        DataRate = "data_rate",
        /// Throughput.
        Throughput = "throughput",
        /// Duration.
        Duration = "duration",
    }
}

open_enum! {
    /// How a line chart joins its points.
    pub enum LineInterpolation {
        /// Smooth curves.
        Smooth = "smooth",
        /// Straight segments.
        Linear = "linear",
        /// Steps.
        Step = "step",
    }
}

open_enum! {
    /// How a chart tile is defined: a raw SQL template instead of the
    /// builder's select list.
    pub enum ConfigType {
        /// Raw SQL (`sqlTemplate` with a `connectionId`).
        Sql = "sql",
    }
}

/// How a number is formatted for display.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberFormat {
    /// What the number is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<NumberOutput>,
    /// Digits after the decimal point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mantissa: Option<i64>,
    /// Thousands separators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thousand_separated: Option<bool>,
    /// Abbreviate (1.2k).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average: Option<bool>,
    /// Decimal (1000) rather than binary (1024) byte units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decimal_bytes: Option<bool>,
    /// Multiplier applied first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor: Option<Number>,
    /// Currency symbol.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency_symbol: Option<String>,
    /// Unit of a numeric value (`bytes_iec`, `rps`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numeric_unit: Option<String>,
    /// Free-form unit label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
