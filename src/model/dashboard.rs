//! Dashboards: tiles on a grid, filters, containers (sections with tabs).

use serde::Serialize;

use super::Resource;
use super::common::{MetricType, QueryLanguage};
use super::keep_extra::deserialize_keeping_extra;
use super::open_enum::open_enum;
use super::sparse::{Extra, Sparse, sparse_fields};
use super::tile::TileConfig;
use crate::field::Field;

/// A dashboard.
///
/// Lists and maps are `Option`s: `None` is not sent (an update keeps what
/// the server has), `Some(vec![])` is sent as `[]` (which clears). Nullable
/// values are [`Field`]s.
///
/// ```
/// use clickstack::{Dashboard, Tile, TileConfig};
/// let dashboard = Dashboard::new("Service health")
///     .tile(Tile::new("Notes", TileConfig::markdown("# Runbook")))
///     .tag("production");
/// let json = serde_json::to_value(&dashboard).unwrap();
/// assert_eq!(json["tiles"][0]["config"]["displayType"], "markdown");
/// assert_eq!(json["tags"][0], "production");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    /// Server-assigned id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name; also the key dashboards-as-code matches on.
    #[serde(default)]
    pub name: String,
    /// Tiles, in layout order.
    #[serde(default)]
    pub tiles: Vec<Tile>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Dashboard filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<Filter>>,
    /// Containers (sections with tabs) that tiles refer to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub containers: Option<Vec<Container>>,
    /// Saved query applied to every tile.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub saved_query: Field<String>,
    /// Language of `saved_query`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub saved_query_language: Field<QueryLanguage>,
    /// Default values of the filters, restored when the dashboard opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_filter_values: Option<Vec<SavedFilterValue>>,
    /// Fields this crate does not name (server fields included), kept
    /// verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    Dashboard {
        "id" => id,
        "name" => name,
        "tiles" => tiles as seq,
        "tags" => tags as seq,
        "filters" => filters as seq,
        "containers" => containers as seq,
        "savedQuery" => saved_query,
        "savedQueryLanguage" => saved_query_language,
        "savedFilterValues" => saved_filter_values as seq,
    }
}

impl Dashboard {
    /// An empty dashboard named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Dashboard {
            name: name.into(),
            ..Dashboard::default()
        }
    }

    /// Adds a tile.
    #[must_use]
    pub fn tile(mut self, tile: Tile) -> Self {
        self.tiles.push(tile);
        self
    }

    /// Adds a tag.
    #[must_use]
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.get_or_insert_with(Vec::new).push(tag.into());
        self
    }

    /// Adds a filter.
    #[must_use]
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filters.get_or_insert_with(Vec::new).push(filter);
        self
    }

    /// Every source id the dashboard refers to (tiles, filters and the
    /// sources filters apply to), once each, in order.
    pub fn source_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        let tiles = self
            .tiles
            .iter()
            .filter_map(|t| t.config.as_ref().and_then(TileConfig::source_id));
        let filters = self.filters.iter().flatten().flat_map(|f| {
            f.source_id.as_deref().into_iter().chain(
                f.more
                    .applies_to_source_ids
                    .iter()
                    .flatten()
                    .map(String::as_str),
            )
        });
        for id in tiles.chain(filters) {
            if !ids.iter().any(|i| i == id) {
                ids.push(id.to_string());
            }
        }
        ids
    }

    /// Replaces source ids (tiles and filters) by `map(old)`, for moving a
    /// dashboard to a deployment whose sources have other ids; `map`
    /// returns `None` to keep an id.
    pub fn map_source_ids(&mut self, map: impl Fn(&str) -> Option<String>) {
        for tile in &mut self.tiles {
            if let Some(slot) = tile.config.as_mut().and_then(TileConfig::source_id_mut)
                && let Some(new) = slot.as_deref().and_then(&map)
            {
                *slot = Some(new);
            }
        }
        for filter in self.filters.iter_mut().flatten() {
            if let Some(new) = filter.source_id.as_deref().and_then(&map) {
                filter.source_id = Some(new);
            }
            if let Some(ids) =
                Sparse::get_mut(&mut filter.more).and_then(|m| m.applies_to_source_ids.as_mut())
            {
                for id in ids.iter_mut() {
                    if let Some(new) = map(id) {
                        *id = new;
                    }
                }
            }
        }
    }
}

impl Resource for Dashboard {
    const KIND: &'static str = "dashboard";
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn to_create(&self) -> Self {
        let mut request = self.to_update();
        // A create may not carry filter ids (the server assigns them).
        for filter in request.filters.iter_mut().flatten() {
            filter.id = None;
        }
        request
    }
    fn to_update(&self) -> Self {
        let mut request = self.clone();
        request.id = None;
        super::strip_server_fields(&mut request.extra, &[]);
        request
    }
}

/// A tile: a position on the 24-column grid and what it shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tile {
    /// Tile id (assigned by the server when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Title.
    #[serde(default)]
    pub name: String,
    /// Column (0-23).
    #[serde(default)]
    pub x: i64,
    /// Row.
    #[serde(default)]
    pub y: i64,
    /// Width in columns (1-24).
    #[serde(default)]
    pub w: i64,
    /// Height in rows.
    #[serde(default)]
    pub h: i64,
    /// What the tile shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<TileConfig>,
    /// The fields most tiles leave unset (description, container, tab),
    /// read and written like the others: `tile.more.description`.
    #[serde(flatten)]
    pub more: Sparse<TileMore>,
    /// Fields this crate does not name (legacy `series`), kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The fields of a [`Tile`] that most tiles leave unset ([`Tile::more`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TileMore {
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Container the tile sits in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_id: Option<String>,
    /// Tab of the container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tab_id: Option<String>,
}

sparse_fields!(TileMore);

deserialize_keeping_extra! {
    Tile {
        "id" => id,
        "name" => name,
        "x" => x,
        "y" => y,
        "w" => w,
        "h" => h,
        "config" => config,
    }
    more TileMore {
        "description" => description,
        "containerId" => container_id,
        "tabId" => tab_id,
    }
}

impl Tile {
    /// A 12x4 tile at the origin.
    pub fn new(name: impl Into<String>, config: TileConfig) -> Self {
        Tile {
            name: name.into(),
            w: 12,
            h: 4,
            config: Some(config),
            ..Tile::default()
        }
    }

    /// Moves the tile to column `x`, row `y`.
    #[must_use]
    pub fn at(mut self, x: i64, y: i64) -> Self {
        self.x = x;
        self.y = y;
        self
    }

    /// Resizes the tile to `w` columns by `h` rows.
    #[must_use]
    pub fn size(mut self, w: i64, h: i64) -> Self {
        self.w = w;
        self.h = h;
        self
    }

    /// Describes the tile.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.more.description = Some(text.into());
        self
    }
}

/// A container: a section of tiles, optionally with tabs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    /// Id tiles refer to.
    pub id: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Collapsed.
    #[serde(default)]
    pub collapsed: bool,
    /// Can be collapsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collapsible: Option<bool>,
    /// Drawn with a border.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bordered: Option<bool>,
    /// Tabs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tabs: Option<Vec<ContainerTab>>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    Container {
        "title" => title,
        "collapsed" => collapsed,
        "collapsible" => collapsible,
        "bordered" => bordered,
        "tabs" => tabs as seq,
    }
    required {
        "id" => id,
    }
}

/// A tab of a container.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ContainerTab {
    /// Id tiles refer to.
    pub id: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    ContainerTab {
        "title" => title,
    }
    required {
        "id" => id,
    }
}

open_enum! {
    /// The kind of a dashboard filter (the discriminant of the APIs' filter
    /// union).
    pub enum FilterKind {
        /// Values of an expression over a source.
        QueryExpression = "QUERY_EXPRESSION",
        /// A fixed list of options (Cloud).
        StaticList = "STATIC_LIST",
        /// Values of a Prometheus label (Cloud).
        PrometheusLabel = "PROMETHEUS_LABEL",
        /// A filter on a source (Cloud).
        SourceFilter = "SOURCE_FILTER",
    }
}

/// A dashboard filter. One struct for every kind of the APIs' filter union:
/// `kind` says which, and each kind uses the fields that apply to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    /// Server-assigned id (an update must send the ids of filters it keeps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Which kind of filter.
    #[serde(rename = "type")]
    pub kind: FilterKind,
    /// Name shown.
    #[serde(default)]
    pub name: String,
    /// The expression whose values are offered (query expression, source filter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// The source of the values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// The fields that only some kinds use (options, labels, conditions,
    /// variables), read and written like the others:
    /// `filter.more.applies_to_source_ids`.
    #[serde(flatten)]
    pub more: Sparse<FilterMore>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The fields of a [`Filter`] that only some kinds use
/// ([`Filter::more`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FilterMore {
    /// The options (static list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
    /// The label (Prometheus label).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Label matcher (Prometheus label).
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub match_: Option<String>,
    /// Metric type of the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_metric_type: Option<MetricType>,
    /// Condition on the values offered.
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// Language of `where`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
    /// Sources the selected value applies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies_to_source_ids: Option<Vec<String>>,
    /// Whether the selected value becomes a condition of the tiles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_broadcast_enabled: Option<bool>,
    /// Whether the selected value is a variable tile queries can use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_variable_enabled: Option<bool>,
    /// The variable's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable_name: Option<String>,
}

sparse_fields!(FilterMore);

deserialize_keeping_extra! {
    Filter {
        "id" => id,
        "name" => name,
        "expression" => expression,
        "sourceId" => source_id,
    }
    required {
        "type" => kind,
    }
    more FilterMore {
        "options" => options as seq,
        "label" => label,
        "match" => match_,
        "sourceMetricType" => source_metric_type,
        "where" => where_,
        "whereLanguage" => where_language,
        "appliesToSourceIds" => applies_to_source_ids as seq,
        "isBroadcastEnabled" => is_broadcast_enabled,
        "isVariableEnabled" => is_variable_enabled,
        "variableName" => variable_name,
    }
}

impl Filter {
    /// A query-expression filter: the values of `expression` in `source_id`.
    pub fn query_expression(
        name: impl Into<String>,
        expression: impl Into<String>,
        source_id: impl Into<String>,
    ) -> Self {
        Filter {
            id: None,
            kind: FilterKind::QueryExpression,
            name: name.into(),
            expression: Some(expression.into()),
            source_id: Some(source_id.into()),
            more: Sparse::default(),
            extra: Extra::default(),
        }
    }
}

open_enum! {
    /// The kind of a saved filter value.
    pub enum SavedFilterKind {
        /// A SQL condition.
        Sql = "sql",
        /// A variable's selected values.
        Variable = "variable",
    }
}

/// A saved default value of a dashboard filter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedFilterValue {
    /// Which kind (`sql` when absent).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SavedFilterKind>,
    /// The condition (`sql`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// The variable (`variable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The selected values (`variable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// Whether every value is selected (`variable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    SavedFilterValue {
        "type" => kind,
        "condition" => condition,
        "name" => name,
        "values" => values as seq,
        "all" => all,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_newer_cloud_dashboard_round_trips() {
        let wire = json!({
            "id": "65f5e4a3b9e77c001a567890", "name": "Checkout", "tags": ["prod"],
            "tiles": [{"id": "t1", "name": "Errors", "x": 0, "y": 0, "w": 12, "h": 4,
                       "description": "5xx", "containerId": "c1",
                       "config": {"displayType": "number", "sourceId": "s1", "select": [{"aggFn": "count"}]}}],
            "filters": [
                {"id": "f1", "type": "STATIC_LIST", "name": "env", "options": ["prod", "dev"], "minSelections": 1},
                {"id": "f2", "type": "QUERY_EXPRESSION", "name": "svc", "expression": "ServiceName", "sourceId": "s1"},
                {"id": "f3", "type": "FROM_THE_FUTURE", "name": "x"}
            ],
            "savedFilterValues": [{"type": "variable", "name": "env", "values": ["prod"]}, {"condition": "x = 1"}],
            "containers": [{"id": "c1", "title": "Overview", "collapsed": false, "tabs": [{"id": "t", "title": "A"}]}],
            "savedQuery": null,
            "teamId": "team"
        });
        let dashboard: Dashboard = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(dashboard.saved_query, Field::Null);
        assert_eq!(
            dashboard.filters.as_ref().unwrap()[2].kind,
            FilterKind::Unknown("FROM_THE_FUTURE".into())
        );
        assert_eq!(dashboard.source_ids(), ["s1"]);
        assert_eq!(serde_json::to_value(&dashboard).unwrap(), wire);
    }

    #[test]
    fn source_ids_can_be_mapped() {
        let mut d = Dashboard::new("d")
            .tile(Tile::new("t", TileConfig::search("old", "x")))
            .filter(Filter::query_expression("f", "ServiceName", "old"));
        d.map_source_ids(|id| (id == "old").then(|| "new".to_string()));
        assert_eq!(d.source_ids(), ["new"]);
    }
}
