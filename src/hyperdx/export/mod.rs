//! A dashboard as a HyperDX dashboard file: what HyperDX does when it
//! takes a dashboard through its external API
//! (`convertToInternalTileConfig`) and then exports it
//! (`convertToDashboardTemplate`), with ids replaced by names.

use serde_json::{Map, Value};

mod chart;

use chart::tile_config;

use super::file::{DashboardFile, FILE_VERSION, FileFilter, FileTile};
use super::loss::{Loss, Losses};
use super::names::Names;
use crate::field::Field;
use crate::model::{Dashboard, Filter, FilterKind, SavedFilterKind, Tile};

/// A dashboard as a file, with what the file could not carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    /// The file.
    pub file: DashboardFile,
    /// What HyperDX's files have no place for (fields of Managed
    /// `ClickStack` only, kinds the file does not know), and ids no name
    /// was found for: never dropped silently.
    pub losses: Vec<Loss>,
}

/// Reports every key of `extra` as lost.
pub(super) fn lose_extra(extra: &Map<String, Value>, prefix: &str, losses: &mut Losses<'_>) {
    for key in extra.keys() {
        losses.lose(
            &format!("{prefix}{key}"),
            "HyperDX's files have no such field",
        );
    }
}

/// The name of source `id`, or the id itself (with its loss).
pub(super) fn source_name(id: &str, names: &Names, losses: &mut Losses<'_>) -> String {
    match names.source_name(id) {
        Some(name) => name.to_string(),
        None => {
            losses.lose(
                &format!("source {id}"),
                "the deployment has no source with that id, so it has no name; the id is written \
                 in its place",
            );
            id.to_string()
        }
    }
}

/// A unique id for the `n`th item (from 1) that has none.
fn fresh_id(prefix: &str, n: usize, taken: &[&str]) -> String {
    let mut candidate = format!("{prefix}-{n}");
    let mut extra = 1;
    while taken.contains(&candidate.as_str()) {
        extra += 1;
        candidate = format!("{prefix}-{n}-{extra}");
    }
    candidate
}

fn tile(
    tile: &Tile,
    n: usize,
    taken: &[&str],
    names: &Names,
    losses: &mut Vec<Loss>,
) -> Option<FileTile> {
    let mut losses = Losses::new(losses, Some(tile.name.clone()));
    let Some(config) = &tile.config else {
        losses.lose_tile("it has no config");
        return None;
    };
    let mut config = tile_config(config, names, &mut losses)?;
    config.name = Some(tile.name.clone());
    if tile.description.is_some() {
        losses.lose(
            "description",
            "HyperDX's tiles have none (Managed ClickStack only)",
        );
    }
    lose_extra(&tile.extra, "", &mut losses);
    Some(FileTile {
        id: tile
            .id
            .clone()
            .unwrap_or_else(|| fresh_id("tile", n, taken)),
        x: tile.x,
        y: tile.y,
        w: tile.w,
        h: tile.h,
        config,
        container_id: tile.container_id.clone(),
        tab_id: tile.tab_id.clone(),
        extra: Map::new(),
    })
}

fn filter(
    filter: &Filter,
    n: usize,
    taken: &[&str],
    names: &Names,
    losses: &mut Losses<'_>,
) -> Option<FileFilter> {
    let label = format!("filter {:?}", filter.name);
    if filter.kind != FilterKind::QueryExpression {
        losses.lose(
            &label,
            &format!(
                "HyperDX's filters are query expressions, not {}",
                filter.kind
            ),
        );
        return None;
    }
    let Some(source) = &filter.source_id else {
        losses.lose(&label, "it has no source, and HyperDX's files need one");
        return None;
    };
    let cloud_only = [
        ("options", filter.options.is_some()),
        ("label", filter.label.is_some()),
        ("match", filter.match_.is_some()),
        ("minSelections", filter.min_selections.is_some()),
        ("maxSelections", filter.max_selections.is_some()),
        (
            "isGlobalRequirement",
            filter.is_global_requirement.is_some(),
        ),
    ];
    for (field, set) in cloud_only {
        if set {
            losses.lose(
                &format!("{label} {field}"),
                "HyperDX's filters have none (Managed ClickStack only)",
            );
        }
    }
    lose_extra(&filter.extra, &format!("{label} "), losses);
    let applies: Vec<String> = filter
        .applies_to_source_ids
        .iter()
        .flatten()
        .filter_map(|id| match names.source_name(id) {
            Some(name) => Some(name.to_string()),
            None => {
                losses.lose(
                    &format!("{label} appliesToSourceIds {id}"),
                    "the deployment has no source with that id",
                );
                None
            }
        })
        .collect();
    Some(FileFilter {
        id: filter
            .id
            .clone()
            .unwrap_or_else(|| fresh_id("filter", n, taken)),
        kind: filter.kind.as_str().to_string(),
        name: filter.name.clone(),
        expression: filter.expression.clone().unwrap_or_default(),
        source: source_name(source, names, losses),
        source_metric_type: filter.source_metric_type.clone(),
        where_: filter.where_.clone(),
        where_language: filter.where_language.clone(),
        applies_to_source_ids: (!applies.is_empty()).then_some(applies),
        is_broadcast_enabled: filter.is_broadcast_enabled,
        is_variable_enabled: filter.is_variable_enabled,
        variable_name: filter.variable_name.clone(),
        extra: Map::new(),
    })
}

impl DashboardFile {
    /// `dashboard` as a HyperDX dashboard file (what HyperDX's Import
    /// Dashboard reads), its ids named by `names`, with what the file
    /// cannot carry reported tile by tile. Tiles and filters keep their
    /// ids; those without one get `tile-N` and `filter-N`.
    ///
    /// ```
    /// use clickstack::hyperdx::{DashboardFile, Names};
    /// use clickstack::{ChartConfig, Dashboard, SelectItem, Tile, TileConfig};
    /// let dashboard = Dashboard::new("Checkout").tile(Tile::new(
    ///     "Errors",
    ///     TileConfig::line(ChartConfig::new("65f5e4a3b9e77c001a111111").select(SelectItem::count())),
    /// ));
    /// let names = Names::strict().source("65f5e4a3b9e77c001a111111", "Logs");
    /// let exported = DashboardFile::from_dashboard(&dashboard, &names);
    /// assert!(exported.losses.is_empty());
    /// assert_eq!(exported.file.tiles[0].config.source.as_deref(), Some("Logs"));
    /// ```
    pub fn from_dashboard(dashboard: &Dashboard, names: &Names) -> Exported {
        let mut losses = Vec::new();
        let taken: Vec<&str> = dashboard
            .tiles()
            .iter()
            .filter_map(|t| t.id.as_deref())
            .collect();
        let tiles = dashboard
            .tiles()
            .iter()
            .enumerate()
            .filter_map(|(i, t)| tile(t, i + 1, &taken, names, &mut losses))
            .collect();
        let mut own = Losses::new(&mut losses, None);
        let filters = dashboard.filters.as_ref().map(|filters| {
            let taken: Vec<&str> = filters.iter().filter_map(|f| f.id.as_deref()).collect();
            filters
                .iter()
                .enumerate()
                .filter_map(|(i, f)| filter(f, i + 1, &taken, names, &mut own))
                .collect()
        });
        let saved_filter_values: Vec<Value> = dashboard
            .saved_filter_values
            .iter()
            .flatten()
            .filter_map(|value| {
                let sql = value
                    .kind
                    .as_ref()
                    .is_none_or(|k| *k == SavedFilterKind::Sql);
                match (&value.condition, sql) {
                    (Some(condition), true) => {
                        Some(serde_json::json!({"type": "sql", "condition": condition}))
                    }
                    _ => {
                        own.lose(
                            "savedFilterValues (variable values)",
                            "HyperDX's files keep conditions only",
                        );
                        None
                    }
                }
            })
            .collect();
        lose_extra(&dashboard.extra, "", &mut own);
        let tags = dashboard.tags.clone().filter(|t| !t.is_empty());
        let (saved_query, saved_query_language) = match &dashboard.saved_query {
            Field::Value(query) => (
                Field::Value(query.clone()),
                match &dashboard.saved_query_language {
                    Field::Value(language) => Field::Value(language.clone()),
                    _ => Field::Null,
                },
            ),
            _ => (Field::Absent, Field::Absent),
        };
        let file = DashboardFile {
            version: FILE_VERSION.to_string(),
            name: dashboard.name.clone().unwrap_or_default(),
            description: None,
            tags,
            tiles,
            filters,
            saved_query,
            saved_query_language,
            saved_filter_values: (!saved_filter_values.is_empty()).then_some(saved_filter_values),
            containers: dashboard.containers.clone(),
            extra: Map::new(),
        };
        Exported { file, losses }
    }
}
