//! What the fake validates with, taken from the pinned specs through the
//! generated clients: each request body (and each discriminated part of
//! one) is deserialized into the generated request type of its API
//! (`clickstack_oss::types::*` for HyperDX, `clickstack_cloud::types::*`
//! for Cloud). A body that does not deserialize fails with serde's message
//! at the exact path (via `serde_path_to_error`).
//!
//! The generated types are lenient on purpose (open enums, unions with an
//! `Unknown` arm, optional fields), so the tables here also dispatch on the
//! spec's discriminators (`displayType`, `configType`, filter `type`,
//! source `kind`) to the one generated type that applies, and tell whether
//! a string is one of an enum's known values.

use std::cell::Cell;
use std::fmt::{self, Debug};

use clickstack_cloud::types as cloud;
use clickstack_oss::runtime::Open;
use clickstack_oss::types as oss;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde_json::Value;

use crate::api::Api;
use crate::problems::{Issue, zod};

/// A check of one JSON value against one generated type.
pub(crate) type Check = fn(&Value) -> Result<(), Issue>;

/// Deserializes `value` as `T`; the issue has the path of the first
/// problem, and `Required` for a missing field (zod's word for it).
pub(crate) fn conforms<T: DeserializeOwned>(value: &Value) -> Result<(), Issue> {
    typed::<T>(value).map(drop)
}

/// `value` as `T`, or the issue (see [`conforms`]).
pub(crate) fn typed<T: DeserializeOwned>(value: &Value) -> Result<T, Issue> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|err| {
        let mut path = String::new();
        for segment in err.path() {
            let part = match segment {
                serde_path_to_error::Segment::Seq { index } => index.to_string(),
                serde_path_to_error::Segment::Map { key } => key.clone(),
                serde_path_to_error::Segment::Enum { variant } => variant.clone(),
                serde_path_to_error::Segment::Unknown => continue,
            };
            path = crate::problems::join(&path, part);
        }
        let message = err.inner().to_string();
        match missing_field(&message) {
            Some(field) => Issue::new(crate::problems::join(&path, field), zod::REQUIRED),
            None => Issue::new(path, message),
        }
    })
}

/// The field named by serde's ``missing field `x` `` message.
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
}

/// Whether `value` is one of the known values of the generated enum `T`
/// (every generated enum keeps values it does not know in `Unknown`).
pub(crate) fn is_known<T: DeserializeOwned + Open>(value: &Value) -> bool {
    serde_json::from_value::<T>(value.clone()).is_ok_and(|parsed| !parsed.is_unknown())
}

/// The field names of the generated struct `T`, as its derived
/// `Deserialize` declares them; `None` for types that keep unknown fields
/// (they declare none).
pub(crate) fn struct_fields<T: DeserializeOwned>() -> Option<&'static [&'static str]> {
    let seen = Cell::new(None);
    let _ = T::deserialize(FieldProbe { seen: &seen });
    seen.get()
}

/// A deserializer that only records the field list a struct asks for.
struct FieldProbe<'a> {
    seen: &'a Cell<Option<&'static [&'static str]>>,
}

/// The probe's only error.
#[derive(Debug)]
struct Probed;

impl fmt::Display for Probed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("probed")
    }
}

impl std::error::Error for Probed {}

impl de::Error for Probed {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Probed
    }
}

impl<'de> Deserializer<'de> for FieldProbe<'_> {
    type Error = Probed;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Probed> {
        Err(Probed)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Probed> {
        self.seen.set(Some(fields));
        Err(Probed)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// Picks the generated type of `api`.
macro_rules! by_api {
    ($api:expr, $oss:ty, $cloud:ty) => {
        match $api {
            Api::Oss => conforms::<$oss> as Check,
            Api::Cloud => conforms::<$cloud> as Check,
        }
    };
}

/// The dashboard create (`update == false`) or update body.
pub(crate) fn dashboard(api: Api, update: bool) -> Check {
    if update {
        by_api!(
            api,
            oss::UpdateDashboardRequest,
            cloud::ClickStackUpdateDashboardRequest
        )
    } else {
        by_api!(
            api,
            oss::CreateDashboardRequest,
            cloud::ClickStackCreateDashboardRequest
        )
    }
}

/// One dashboard tile.
pub(crate) fn tile(api: Api) -> Check {
    by_api!(api, oss::TileInput, cloud::ClickStackTileInput)
}

/// One dashboard container.
pub(crate) fn container(api: Api) -> Check {
    by_api!(
        api,
        oss::DashboardContainer,
        cloud::ClickStackDashboardContainer
    )
}

/// One saved filter value of a dashboard.
pub(crate) fn saved_filter_value(api: Api) -> Check {
    match api {
        Api::Oss => conforms::<oss::SavedFilterValue>,
        Api::Cloud => cloud_saved_filter_value,
    }
}

/// Cloud's saved filter values: `type: variable` or the SQL form.
fn cloud_saved_filter_value(value: &Value) -> Result<(), Issue> {
    if value.get("type").and_then(Value::as_str) == Some("variable") {
        conforms::<cloud::ClickStackVariableSavedFilterValue>(value)
    } else {
        conforms::<cloud::ClickStackSqlSavedFilterValue>(value)
    }
}

/// The schema of one tile `displayType`: builder and raw-SQL variants.
#[derive(Clone, Copy)]
pub(crate) struct ConfigSchema {
    /// The `displayType` value.
    pub(crate) display: &'static str,
    /// The builder variant.
    pub(crate) builder: Check,
    /// The raw SQL variant (`configType: "sql"`), if the type has one.
    pub(crate) sql: Option<Check>,
}

/// HyperDX's tile configs, after the spec's `TileConfig` discriminator.
const OSS_CONFIGS: &[ConfigSchema] = &[
    ConfigSchema {
        display: "line",
        builder: conforms::<oss::LineBuilderChartConfig>,
        sql: Some(conforms::<oss::LineRawSqlChartConfig>),
    },
    ConfigSchema {
        display: "stacked_bar",
        builder: conforms::<oss::BarBuilderChartConfig>,
        sql: Some(conforms::<oss::BarRawSqlChartConfig>),
    },
    ConfigSchema {
        display: "table",
        builder: conforms::<oss::TableBuilderChartConfig>,
        sql: Some(conforms::<oss::TableRawSqlChartConfig>),
    },
    ConfigSchema {
        display: "number",
        builder: conforms::<oss::NumberBuilderChartConfig>,
        sql: Some(conforms::<oss::NumberRawSqlChartConfig>),
    },
    ConfigSchema {
        display: "pie",
        builder: conforms::<oss::PieBuilderChartConfig>,
        sql: Some(conforms::<oss::PieRawSqlChartConfig>),
    },
    ConfigSchema {
        display: "bar",
        builder: conforms::<oss::CategoricalBarBuilderChartConfig>,
        sql: Some(conforms::<oss::CategoricalBarRawSqlChartConfig>),
    },
    ConfigSchema {
        display: "heatmap",
        builder: conforms::<oss::HeatmapChartConfig>,
        sql: None,
    },
    ConfigSchema {
        display: "search",
        builder: conforms::<oss::SearchChartConfig>,
        sql: None,
    },
    ConfigSchema {
        display: "event_patterns",
        builder: conforms::<oss::EventPatternsChartConfig>,
        sql: None,
    },
    ConfigSchema {
        display: "markdown",
        builder: conforms::<oss::MarkdownChartConfig>,
        sql: None,
    },
];

/// Cloud's tile configs (a newer backend: `stacked_line`, heatmap modes).
const CLOUD_CONFIGS: &[ConfigSchema] = &[
    ConfigSchema {
        display: "line",
        builder: conforms::<cloud::ClickStackLineBuilderChartConfig>,
        sql: Some(conforms::<cloud::ClickStackLineRawSqlChartConfig>),
    },
    ConfigSchema {
        display: "stacked_bar",
        builder: conforms::<cloud::ClickStackBarBuilderChartConfig>,
        sql: Some(conforms::<cloud::ClickStackBarRawSqlChartConfig>),
    },
    ConfigSchema {
        display: "stacked_line",
        builder: conforms::<cloud::ClickStackStackedLineBuilderChartConfig>,
        sql: Some(conforms::<cloud::ClickStackStackedLineRawSqlChartConfig>),
    },
    ConfigSchema {
        display: "table",
        builder: conforms::<cloud::ClickStackTableBuilderChartConfig>,
        sql: Some(conforms::<cloud::ClickStackTableRawSqlChartConfig>),
    },
    ConfigSchema {
        display: "number",
        builder: conforms::<cloud::ClickStackNumberBuilderChartConfig>,
        sql: Some(conforms::<cloud::ClickStackNumberRawSqlChartConfig>),
    },
    ConfigSchema {
        display: "pie",
        builder: conforms::<cloud::ClickStackPieBuilderChartConfig>,
        sql: Some(conforms::<cloud::ClickStackPieRawSqlChartConfig>),
    },
    ConfigSchema {
        display: "bar",
        builder: conforms::<cloud::ClickStackCategoricalBarBuilderChartConfig>,
        sql: Some(conforms::<cloud::ClickStackCategoricalBarRawSqlChartConfig>),
    },
    ConfigSchema {
        display: "heatmap",
        builder: cloud_heatmap,
        sql: None,
    },
    ConfigSchema {
        display: "search",
        builder: conforms::<cloud::ClickStackSearchChartConfig>,
        sql: None,
    },
    ConfigSchema {
        display: "event_patterns",
        builder: conforms::<cloud::ClickStackEventPatternsChartConfig>,
        sql: None,
    },
    ConfigSchema {
        display: "markdown",
        builder: conforms::<cloud::ClickStackMarkdownChartConfig>,
        sql: None,
    },
];

/// Cloud heatmaps: `heatmapMode: "series"` or the distribution form.
fn cloud_heatmap(value: &Value) -> Result<(), Issue> {
    if value.get("heatmapMode").and_then(Value::as_str) == Some("series") {
        conforms::<cloud::ClickStackHeatmapSeriesChartConfig>(value)
    } else {
        conforms::<cloud::ClickStackHeatmapDistributionChartConfig>(value)
    }
}

/// The tile config schemas of `api`.
pub(crate) fn tile_configs(api: Api) -> &'static [ConfigSchema] {
    match api {
        Api::Oss => OSS_CONFIGS,
        Api::Cloud => CLOUD_CONFIGS,
    }
}

/// The legacy tile `series` types of `api`, by their `type`.
pub(crate) fn series(api: Api) -> &'static [(&'static str, Check)] {
    match api {
        Api::Oss => &[
            ("time", conforms::<oss::TimeChartSeries>),
            ("table", conforms::<oss::TableChartSeries>),
            ("number", conforms::<oss::NumberChartSeries>),
            ("search", conforms::<oss::SearchChartSeries>),
            ("markdown", conforms::<oss::MarkdownChartSeries>),
        ],
        Api::Cloud => &[
            ("time", conforms::<cloud::ClickStackTimeChartSeries>),
            ("table", conforms::<cloud::ClickStackTableChartSeries>),
            ("number", conforms::<cloud::ClickStackNumberChartSeries>),
            ("search", conforms::<cloud::ClickStackSearchChartSeries>),
            ("markdown", conforms::<cloud::ClickStackMarkdownChartSeries>),
        ],
    }
}

/// The schema of one dashboard filter `type`.
#[derive(Clone, Copy)]
pub(crate) struct FilterSchema {
    /// The `type` value.
    pub(crate) kind: &'static str,
    /// The create form (no `id`).
    pub(crate) input: Check,
    /// The fields the create form declares (the filter is `.strict()`).
    pub(crate) fields: fn() -> Option<&'static [&'static str]>,
}

/// The dashboard filter types of `api`.
pub(crate) fn filters(api: Api) -> &'static [FilterSchema] {
    match api {
        Api::Oss => &[FilterSchema {
            kind: "QUERY_EXPRESSION",
            input: conforms::<oss::FilterInput>,
            fields: struct_fields::<oss::FilterInput>,
        }],
        Api::Cloud => &[
            FilterSchema {
                kind: "QUERY_EXPRESSION",
                input: conforms::<cloud::ClickStackQueryExpressionFilterInput>,
                fields: struct_fields::<cloud::ClickStackQueryExpressionFilterInput>,
            },
            FilterSchema {
                kind: "STATIC_LIST",
                input: conforms::<cloud::ClickStackStaticListFilterInput>,
                fields: struct_fields::<cloud::ClickStackStaticListFilterInput>,
            },
            FilterSchema {
                kind: "PROMETHEUS_LABEL",
                input: conforms::<cloud::ClickStackPrometheusLabelFilterInput>,
                fields: struct_fields::<cloud::ClickStackPrometheusLabelFilterInput>,
            },
            FilterSchema {
                kind: "SOURCE_FILTER",
                input: conforms::<cloud::ClickStackSourceFilterInput>,
                fields: struct_fields::<cloud::ClickStackSourceFilterInput>,
            },
        ],
    }
}

/// The string enums whose values the fake checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Enum {
    /// A select item's `aggFn`.
    AggFn,
    /// A query language (`where`/`savedQuery` languages).
    Language,
    /// A select item's `periodAggFn`.
    PeriodAggFn,
    /// An alert's `interval`.
    Interval,
    /// An alert's `thresholdType`.
    ThresholdType,
    /// An alert's `source`.
    AlertSource,
    /// A webhook's `service`.
    WebhookService,
    /// A chart series query's `aggFn` (HyperDX only).
    ChartAggFn,
    /// A chart series query's `granularity` (HyperDX only).
    Granularity,
}

/// Whether `value` is a known value of `which` in `api`'s spec.
pub(crate) fn known(api: Api, which: Enum, value: &Value) -> bool {
    match (api, which) {
        (Api::Oss, Enum::AggFn) => is_known::<oss::AggregationFunction>(value),
        (Api::Cloud, Enum::AggFn) => is_known::<cloud::ClickStackSelectItemAggFn>(value),
        (Api::Oss, Enum::Language) => is_known::<oss::QueryLanguage>(value),
        (Api::Cloud, Enum::Language) => is_known::<cloud::ClickStackSelectItemWhereLanguage>(value),
        (Api::Oss, Enum::PeriodAggFn) => is_known::<oss::SelectItemPeriodAggFn>(value),
        (Api::Cloud, Enum::PeriodAggFn) => {
            is_known::<cloud::ClickStackSelectItemPeriodAggFn>(value)
        }
        (Api::Oss, Enum::Interval) => is_known::<oss::AlertInterval>(value),
        (Api::Cloud, Enum::Interval) => {
            is_known::<cloud::ClickStackCreateAlertRequestInterval>(value)
        }
        (Api::Oss, Enum::ThresholdType) => is_known::<oss::AlertThresholdType>(value),
        (Api::Cloud, Enum::ThresholdType) => {
            is_known::<cloud::ClickStackCreateAlertRequestThresholdType>(value)
        }
        (Api::Oss, Enum::AlertSource) => is_known::<oss::AlertSource>(value),
        (Api::Cloud, Enum::AlertSource) => {
            is_known::<cloud::ClickStackCreateAlertRequestSource>(value)
        }
        (Api::Oss, Enum::WebhookService) => is_known::<oss::WebhookInputService>(value),
        (Api::Cloud, Enum::WebhookService) => {
            is_known::<cloud::ClickStackWebhookInputService>(value)
        }
        (_, Enum::ChartAggFn) => is_known::<oss::ChartSeriesAggFn>(value),
        (_, Enum::Granularity) => is_known::<oss::SeriesQueryRequestGranularity>(value),
    }
}

/// The alert create (`update == false`) or update body.
pub(crate) fn alert(api: Api, update: bool) -> Check {
    if update {
        by_api!(
            api,
            oss::UpdateAlertRequest,
            cloud::ClickStackUpdateAlertRequest
        )
    } else {
        by_api!(
            api,
            oss::CreateAlertRequest,
            cloud::ClickStackCreateAlertRequest
        )
    }
}

/// An alert's webhook channel.
pub(crate) fn webhook_channel(api: Api) -> Check {
    by_api!(
        api,
        oss::AlertChannelWebhook,
        cloud::ClickStackAlertChannelWebhook
    )
}

/// An alert's email channel (Cloud only).
pub(crate) fn email_channel() -> Check {
    conforms::<cloud::ClickStackAlertChannelEmail>
}

/// The webhook create/update body.
pub(crate) fn webhook(api: Api) -> Check {
    by_api!(api, oss::WebhookInput, cloud::ClickStackWebhookInput)
}

/// The saved search create/update body.
pub(crate) fn saved_search(api: Api) -> Check {
    by_api!(
        api,
        oss::SavedSearchInput,
        cloud::ClickStackSavedSearchInput
    )
}

/// The source kinds of `api`, after the spec's `Source` discriminator.
pub(crate) fn sources(api: Api) -> &'static [(&'static str, Check)] {
    match api {
        Api::Oss => &[
            ("log", conforms::<oss::LogSource>),
            ("trace", conforms::<oss::TraceSource>),
            ("metric", conforms::<oss::MetricSource>),
            ("session", conforms::<oss::SessionSource>),
            ("promql", conforms::<oss::PromqlSource>),
        ],
        Api::Cloud => &[
            ("log", conforms::<cloud::ClickStackLogSource>),
            ("trace", conforms::<cloud::ClickStackTraceSource>),
            ("metric", conforms::<cloud::ClickStackMetricSource>),
            ("session", conforms::<cloud::ClickStackSessionSource>),
            ("promql", conforms::<cloud::ClickStackPromqlSource>),
        ],
    }
}

/// The connection create (`update == false`) or update body (HyperDX only).
pub(crate) fn connection(update: bool) -> Check {
    if update {
        conforms::<oss::UpdateConnectionRequest>
    } else {
        conforms::<oss::CreateConnectionRequest>
    }
}

/// The chart series query body (HyperDX only).
pub(crate) fn series_query() -> Check {
    conforms::<oss::SeriesQueryRequest>
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_errors_have_paths() {
        let issue = dashboard(Api::Oss, false)(&json!({"name": "d"})).unwrap_err();
        assert_eq!(issue, Issue::new("tiles", "Required"));
        let issue = dashboard(Api::Oss, false)(&json!({"name": 5, "tiles": []})).unwrap_err();
        assert_eq!(issue.path, "name");
        assert!(issue.message.contains("expected a string"), "{issue:?}");
        let issue = tile(Api::Oss)(&json!({"name": "t", "x": "a"})).unwrap_err();
        assert_eq!(issue.path, "x");
    }

    #[test]
    fn enums_and_fields() {
        assert!(known(Api::Oss, Enum::AggFn, &json!("count")));
        assert!(!known(Api::Oss, Enum::AggFn, &json!("median")));
        assert!(!known(Api::Oss, Enum::AggFn, &json!(3)));
        assert!(known(Api::Cloud, Enum::Interval, &json!("30s")));
        assert!(!known(Api::Oss, Enum::Interval, &json!("30s")));
        let fields = struct_fields::<oss::FilterInput>().unwrap_or_default();
        assert!(fields.contains(&"sourceId") && !fields.contains(&"id"));
    }
}
