//! Dashboards: tiles on a grid, filters, containers (sections with tabs).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Resource;
use super::common::{MetricType, QueryLanguage};
use super::open_enum::open_enum;
use super::tile::TileConfig;
use crate::field::Field;

/// A dashboard.
///
/// Every field the APIs may leave out is an `Option` (or, where they may
/// send `null`, a [`Field`]): a dashboard reads back exactly as the server
/// sent it. In a write, `None` is not sent (an update keeps what the server
/// has) and `Some(vec![])` is sent as `[]` (which clears).
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    /// Server-assigned id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name; also the key dashboards-as-code matches on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Tiles, in layout order.
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub tiles: Option<Vec<Tile>>,
    /// Tags.
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub tags: Option<Vec<String>>,
    /// Dashboard filters.
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub filters: Option<Vec<Filter>>,
    /// Saved query applied to every tile.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub saved_query: Field<String>,
    /// Language of `saved_query`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub saved_query_language: Field<QueryLanguage>,
    /// Default values of the filters, restored when the dashboard opens.
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub saved_filter_values: Option<Vec<SavedFilterValue>>,
    /// Containers (sections with tabs) that tiles refer to.
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub containers: Option<Vec<Container>>,
    /// Fields this crate does not name (server fields included), kept
    /// verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Dashboard {
    /// An empty dashboard named `name`, with no tiles.
    pub fn new(name: impl Into<String>) -> Self {
        Dashboard {
            name: Some(name.into()),
            tiles: Some(Vec::new()),
            ..Dashboard::default()
        }
    }

    /// Adds a tile.
    #[must_use]
    pub fn tile(mut self, tile: Tile) -> Self {
        self.tiles.get_or_insert_with(Vec::new).push(tile);
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

    /// Adds a container.
    #[must_use]
    pub fn container(mut self, container: Container) -> Self {
        self.containers.get_or_insert_with(Vec::new).push(container);
        self
    }

    /// The tiles (none when the server sent no list).
    pub fn tiles(&self) -> &[Tile] {
        self.tiles.as_deref().unwrap_or_default()
    }

    /// The tiles, to change them (an absent list becomes an empty one).
    pub fn tiles_mut(&mut self) -> &mut Vec<Tile> {
        self.tiles.get_or_insert_with(Vec::new)
    }

    /// The tile named `name`, if exactly one has it.
    pub fn tile_named(&self, name: &str) -> Option<&Tile> {
        let mut named = self.tiles().iter().filter(|t| t.name == name);
        let first = named.next()?;
        named.next().is_none().then_some(first)
    }

    /// Every source id the dashboard refers to, once each, in order: the
    /// tiles' sources (of every kind, raw JSON of unknown kinds included),
    /// the search sources their click actions open, and the filters'
    /// sources and the sources they apply to.
    pub fn source_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        let mut add = |id: &str| {
            if !ids.iter().any(|i| i == id) {
                ids.push(id.to_string());
            }
        };
        for tile in self.tiles() {
            if let Some(config) = &tile.config {
                config.for_each_source_id(&mut add);
            }
        }
        for filter in self.filters.iter().flatten() {
            filter.source_id.as_deref().map(&mut add);
            for id in filter.applies_to_source_ids.iter().flatten() {
                add(id);
            }
        }
        ids
    }

    /// Replaces every source id that [`Dashboard::source_ids`] lists by
    /// `map(old)`, for moving a dashboard to a deployment whose sources
    /// have other ids; `map` returns `None` to keep an id.
    pub fn map_source_ids(&mut self, map: impl Fn(&str) -> Option<String>) {
        for tile in self.tiles.iter_mut().flatten() {
            if let Some(config) = &mut tile.config {
                config.map_source_ids(&map);
            }
        }
        for filter in self.filters.iter_mut().flatten() {
            if let Some(new) = filter.source_id.as_deref().and_then(&map) {
                filter.source_id = Some(new);
            }
            for id in filter.applies_to_source_ids.iter_mut().flatten() {
                if let Some(new) = map(id) {
                    *id = new;
                }
            }
        }
    }
}

impl Dashboard {
    /// The connection ids of the dashboard's raw SQL tiles, once each, in
    /// order.
    pub fn connection_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for chart in self
            .tiles()
            .iter()
            .filter_map(|t| t.config.as_ref()?.chart())
        {
            if let Some(id) = &chart.connection_id
                && !ids.contains(id)
            {
                ids.push(id.clone());
            }
        }
        ids
    }

    /// Replaces the connection id of each raw SQL tile by `map(tile's
    /// source id, old id)` (`None` keeps it).
    pub fn map_connection_ids(&mut self, map: impl Fn(Option<&str>, &str) -> Option<String>) {
        for tile in self.tiles.iter_mut().flatten() {
            let Some(chart) = tile.config.as_mut().and_then(TileConfig::chart_mut) else {
                continue;
            };
            if let Some(id) = &chart.connection_id
                && let Some(new) = map(chart.source_id.as_deref(), id)
            {
                chart.connection_id = Some(new);
            }
        }
    }

    /// The dashboards the tiles' click actions open, by the id (or, in a
    /// `HyperDX` dashboard file, the name) their target gives.
    pub fn linked_dashboards(&self) -> Vec<String> {
        let mut targets: Vec<String> = Vec::new();
        for chart in self
            .tiles()
            .iter()
            .filter_map(|t| t.config.as_ref()?.chart())
        {
            if let Some(target) = chart.on_click.as_ref().and_then(|o| o.dashboard_id())
                && !targets.iter().any(|t| t == target)
            {
                targets.push(target.to_string());
            }
        }
        targets
    }

    /// Removes the click actions that open one of `targets` (ids, or
    /// names in a document); returns how many it removed.
    pub fn remove_links_to(&mut self, targets: &[String]) -> usize {
        let mut removed = 0;
        for tile in self.tiles.iter_mut().flatten() {
            let Some(chart) = tile.config.as_mut().and_then(TileConfig::chart_mut) else {
                continue;
            };
            if chart
                .on_click
                .as_ref()
                .and_then(|o| o.dashboard_id())
                .is_some_and(|id| targets.iter().any(|t| t == id))
            {
                chart.on_click = None;
                removed += 1;
            }
        }
        removed
    }

    /// Replaces each dashboard a click action opens by `map(old)` (`None`
    /// keeps it).
    pub fn map_linked_dashboards(&mut self, map: impl Fn(&str) -> Option<String>) {
        for tile in self.tiles.iter_mut().flatten() {
            let Some(on_click) = tile
                .config
                .as_mut()
                .and_then(TileConfig::chart_mut)
                .and_then(|c| c.on_click.as_mut())
            else {
                continue;
            };
            if on_click.kind != super::tile::OnClickKind::Dashboard {
                continue;
            }
            if let Some(target) = on_click.target.as_mut()
                && let Some(id) = target.id()
                && let Some(new) = map(id)
            {
                target.id = Some(new);
            }
        }
    }
}

impl Resource for Dashboard {
    const KIND: &'static str = "dashboard";
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tile {
    /// Tile id (assigned by the server when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Title.
    pub name: String,
    /// Column (0-23).
    pub x: i64,
    /// Row.
    pub y: i64,
    /// Width in columns (1-24).
    pub w: i64,
    /// Height in rows.
    pub h: i64,
    /// What the tile shows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<TileConfig>,
    /// Container the tile sits in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_id: Option<String>,
    /// Tab of the container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tab_id: Option<String>,
    /// Description (Cloud).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields this crate does not name (legacy `series`), kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
        self.description = Some(text.into());
        self
    }

    /// Puts the tile in container `container_id` (and, if given, its tab).
    #[must_use]
    pub fn in_container(mut self, container_id: impl Into<String>, tab_id: Option<String>) -> Self {
        self.container_id = Some(container_id.into());
        self.tab_id = tab_id;
        self
    }
}

/// A container: a section of tiles, optionally with tabs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    /// Id tiles refer to.
    pub id: String,
    /// Title.
    pub title: String,
    /// Collapsed.
    pub collapsed: bool,
    /// Can be collapsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collapsible: Option<bool>,
    /// Drawn with a border.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bordered: Option<bool>,
    /// Tabs.
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub tabs: Option<Vec<ContainerTab>>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Container {
    /// An expanded container.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Container {
            id: id.into(),
            title: title.into(),
            ..Container::default()
        }
    }

    /// Adds a tab.
    #[must_use]
    pub fn tab(mut self, id: impl Into<String>, title: impl Into<String>) -> Self {
        self.tabs.get_or_insert_with(Vec::new).push(ContainerTab {
            id: id.into(),
            title: title.into(),
            extra: Map::new(),
        });
        self
    }
}

/// A tab of a container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerTab {
    /// Id tiles refer to.
    pub id: String,
    /// Title.
    pub title: String,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    /// Server-assigned id (an update must send the ids of filters it keeps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Which kind of filter.
    #[serde(rename = "type")]
    pub kind: FilterKind,
    /// Name shown.
    pub name: String,
    /// The expression whose values are offered (query expression, source
    /// filter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// The source of the values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// Metric type of the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_metric_type: Option<MetricType>,
    /// Condition on the values offered.
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// Language of `where`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
    /// The options (static list).
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub options: Option<Vec<String>>,
    /// The label (Prometheus label).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Label matcher (Prometheus label).
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub match_: Option<String>,
    /// Sources the selected value applies to.
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
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
    /// Fewest values that must be selected (0 or 1, Cloud).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_selections: Option<i64>,
    /// Most values that may be selected (1, Cloud).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_selections: Option<i64>,
    /// Whether every tile requires a value (Cloud).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_global_requirement: Option<bool>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Filter {
    /// A filter of `kind` named `name`, every other field unset.
    pub fn new(kind: FilterKind, name: impl Into<String>) -> Self {
        Filter {
            id: None,
            kind,
            name: name.into(),
            expression: None,
            source_id: None,
            source_metric_type: None,
            where_: None,
            where_language: None,
            options: None,
            label: None,
            match_: None,
            applies_to_source_ids: None,
            is_broadcast_enabled: None,
            is_variable_enabled: None,
            variable_name: None,
            min_selections: None,
            max_selections: None,
            is_global_requirement: None,
            extra: Map::new(),
        }
    }

    /// A query-expression filter: the values of `expression` in `source_id`.
    pub fn query_expression(
        name: impl Into<String>,
        expression: impl Into<String>,
        source_id: impl Into<String>,
    ) -> Self {
        Filter {
            expression: Some(expression.into()),
            source_id: Some(source_id.into()),
            ..Filter::new(FilterKind::QueryExpression, name)
        }
    }

    /// A static-list filter offering `options` (Cloud).
    pub fn static_list(
        name: impl Into<String>,
        options: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Filter {
            options: Some(options.into_iter().map(Into::into).collect()),
            ..Filter::new(FilterKind::StaticList, name)
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

/// A saved default value of a dashboard filter: a SQL condition, or a
/// variable's selected values (the two members of the APIs' union).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedFilterValue {
    /// Which kind (`sql` when absent).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<SavedFilterKind>,
    /// The condition (`sql`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// The variable (`variable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The selected values (`variable`).
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub values: Option<Vec<String>>,
    /// Whether every value is selected (`variable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all: Option<bool>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
                {"id": "f3", "type": "FROM_THE_FUTURE", "name": "x", "newField": [1]}
            ],
            "savedFilterValues": [{"type": "variable", "name": "env", "values": ["prod"]}, {"condition": "x = 1"}],
            "containers": [{"id": "c1", "title": "Overview", "collapsed": false, "tabs": [{"id": "t", "title": "A"}]}],
            "savedQuery": null,
            "teamId": "team"
        });
        let dashboard: Dashboard = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(dashboard.saved_query, Field::Null);
        let filters = dashboard.filters.as_ref().unwrap();
        assert_eq!(
            filters[2].kind,
            FilterKind::Unknown("FROM_THE_FUTURE".into())
        );
        assert_eq!(filters[0].min_selections, Some(1));
        assert_eq!(dashboard.source_ids(), ["s1"]);
        assert_eq!(serde_json::to_value(&dashboard).unwrap(), wire);
    }

    #[test]
    fn nothing_is_filled_in() {
        let dashboard: Dashboard = serde_json::from_value(json!({})).unwrap();
        assert_eq!(dashboard, Dashboard::default());
        assert_eq!(serde_json::to_value(&dashboard).unwrap(), json!({}));
        assert!(dashboard.tiles().is_empty());
    }

    #[test]
    fn every_source_is_found_and_mapped() {
        let mut table = crate::ChartConfig::new("a");
        table.on_click =
            serde_json::from_value(json!({"type": "search", "target": {"mode": "id", "id": "b"}}))
                .unwrap();
        let mut filter = Filter::query_expression("f", "ServiceName", "c");
        filter.applies_to_source_ids = Some(vec!["d".into()]);
        let unknown: TileConfig =
            serde_json::from_value(json!({"displayType": "future", "sourceId": "e"})).unwrap();
        let mut dashboard = Dashboard::new("x")
            .tile(Tile::new("t", TileConfig::table(table)))
            .tile(Tile::new("u", unknown))
            .filter(filter);
        assert_eq!(dashboard.source_ids(), ["a", "b", "e", "c", "d"]);
        dashboard.map_source_ids(|id| Some(id.to_uppercase()));
        assert_eq!(dashboard.source_ids(), ["A", "B", "E", "C", "D"]);
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
