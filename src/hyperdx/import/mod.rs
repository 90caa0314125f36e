//! A HyperDX dashboard file as a dashboard document: what HyperDX does
//! when it imports a file (names become ids) and then serves the
//! dashboard through its external API (`convertToExternalTileChartConfig`),
//! with sources, connections and the dashboards click actions open left
//! as names for a plan to resolve on the target.

use std::collections::BTreeMap;

use serde_json::Value;

mod chart;

use chart::tile_config;

use super::file::{DashboardFile, FileFilter, FileTile};
use super::loss::{Loss, Losses};
use crate::as_code::{ConnectionRef, DashboardDocument, Documents, SourceRef};
use crate::field::Field;
use crate::model::{Dashboard, Filter, FilterKind, SavedFilterKind, SavedFilterValue, Tile};

/// A dashboard file as a document, with what the conversion could not
/// carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The dashboard. Its sources, connections and the dashboards its
    /// click actions open are the file's names, used as ids.
    pub document: DashboardDocument,
    /// The sources the document uses, by the names it uses as ids (to put
    /// in [`Documents::sources`](crate::Documents::sources)).
    pub sources: BTreeMap<String, SourceRef>,
    /// The connections of its raw SQL tiles, likewise (for
    /// [`Documents::connections`](crate::Documents::connections)).
    pub connections: BTreeMap<String, ConnectionRef>,
    /// What the APIs cannot hold, tile by tile: never dropped silently.
    pub losses: Vec<Loss>,
}

impl Imported {
    /// Adds the dashboard to `documents`, with the sources and
    /// connections it names (entries `documents` already has are kept),
    /// and returns what the conversion could not carry.
    ///
    /// ```
    /// use clickstack::Documents;
    /// use clickstack::hyperdx::DashboardFile;
    /// let file = DashboardFile::from_json(r#"{"version": "0.1.0", "name": "Empty", "tiles": []}"#)?;
    /// let mut documents = Documents::default();
    /// let losses = file.to_document().add_to(&mut documents);
    /// assert!(losses.is_empty());
    /// assert_eq!(documents.dashboards[0].name(), "Empty");
    /// # Ok::<(), clickstack::Error>(())
    /// ```
    pub fn add_to(self, documents: &mut Documents) -> Vec<Loss> {
        documents.dashboards.push(self.document);
        for (id, source) in self.sources {
            documents.sources.entry(id).or_insert(source);
        }
        for (id, connection) in self.connections {
            documents.connections.entry(id).or_insert(connection);
        }
        self.losses
    }
}

fn tile(file_tile: &FileTile, losses: &mut Vec<Loss>) -> Option<Tile> {
    let name = file_tile.config.name.clone().unwrap_or_default();
    let mut tile_losses = Losses::new(losses, Some(name.clone()));
    let config = tile_config(&file_tile.config, &mut tile_losses)?;
    for key in file_tile.extra.keys() {
        tile_losses.lose(key, "not a field of a tile in the APIs");
    }
    Some(Tile {
        id: None,
        name,
        x: file_tile.x,
        y: file_tile.y,
        w: file_tile.w,
        h: file_tile.h,
        config: Some(config),
        container_id: file_tile.container_id.clone(),
        tab_id: file_tile.tab_id.clone(),
        ..Tile::default()
    })
}

fn filter(file_filter: &FileFilter, losses: &mut Losses<'_>) -> Filter {
    let mut filter = Filter::new(
        FilterKind::from(file_filter.kind.as_str()),
        &file_filter.name,
    );
    filter.expression = Some(file_filter.expression.clone());
    filter.source_id = Some(file_filter.source.clone());
    filter.source_metric_type = file_filter.source_metric_type.clone();
    filter.where_ = file_filter.where_.clone();
    filter.where_language = file_filter.where_language.clone();
    filter.is_broadcast_enabled = file_filter.is_broadcast_enabled;
    filter.is_variable_enabled = file_filter.is_variable_enabled;
    let applies = file_filter
        .applies_to_source_ids
        .clone()
        .filter(|ids| !ids.is_empty());
    if applies.is_some() && file_filter.is_broadcast_enabled == Some(false) {
        losses.lose(
            &format!("filter {:?} appliesToSourceIds", file_filter.name),
            "the APIs take it only when the filter broadcasts",
        );
    } else {
        filter.applies_to_source_ids = applies;
    }
    if file_filter.is_variable_enabled == Some(true) {
        filter.variable_name = file_filter.variable_name.clone();
    } else if file_filter.variable_name.is_some() {
        losses.lose(
            &format!("filter {:?} variableName", file_filter.name),
            "the APIs take it only when the filter is a variable",
        );
    }
    for key in file_filter.extra.keys() {
        losses.lose(
            &format!("filter {:?} {key}", file_filter.name),
            "not a field of a filter in the APIs",
        );
    }
    filter
}

impl DashboardFile {
    /// The dashboard as a document, with every source, connection and
    /// linked dashboard left as the file names it (plans resolve the
    /// names on the target, as HyperDX's import does), and what the APIs
    /// cannot hold reported tile by tile.
    pub fn to_document(&self) -> Imported {
        let mut losses = Vec::new();
        let tiles: Vec<Tile> = self
            .tiles
            .iter()
            .filter_map(|t| tile(t, &mut losses))
            .collect();
        let mut dashboard_losses = Losses::new(&mut losses, None);
        let filters = self.filters.as_ref().map(|filters| {
            filters
                .iter()
                .map(|f| filter(f, &mut dashboard_losses))
                .collect()
        });
        let saved_filter_values = self.saved_filter_values.as_ref().and_then(|values| {
            let kept: Vec<SavedFilterValue> = values
                .iter()
                .enumerate()
                .filter_map(|(i, value)| {
                    let condition = value.get("condition").and_then(Value::as_str);
                    let kind = value.get("type").and_then(Value::as_str);
                    match (kind, condition) {
                        (None | Some("sql"), Some(condition)) => Some(SavedFilterValue {
                            kind: Some(SavedFilterKind::Sql),
                            condition: Some(condition.to_string()),
                            ..SavedFilterValue::default()
                        }),
                        _ => {
                            dashboard_losses.lose(
                                &format!("savedFilterValues[{i}] ({})", kind.unwrap_or("untyped")),
                                "the APIs keep SQL conditions only",
                            );
                            None
                        }
                    }
                })
                .collect();
            // None kept: leave the dashboard's own, rather than clear them.
            (!kept.is_empty() || values.is_empty()).then_some(kept)
        });
        if self.description.is_some() {
            dashboard_losses.lose(
                "description",
                "dashboards have none in the APIs (a template's text)",
            );
        }
        for key in self.extra.keys() {
            dashboard_losses.lose(key, "not a field of a dashboard in the APIs");
        }
        let mut dashboard = Dashboard {
            name: Some(self.name.clone()),
            tiles: Some(tiles),
            tags: self.tags.clone(),
            filters,
            saved_query: self.saved_query.clone(),
            saved_query_language: self.saved_query_language.clone(),
            saved_filter_values,
            containers: self.containers.clone(),
            ..Dashboard::default()
        };
        // As HyperDX's import: the query only when it is not null, and
        // its language with it.
        if !matches!(dashboard.saved_query, Field::Value(_)) {
            dashboard.saved_query = Field::Absent;
            dashboard.saved_query_language = Field::Absent;
        }
        let sources = dashboard
            .source_ids()
            .into_iter()
            .map(|name| (name.clone(), SourceRef { name, kind: None }))
            .collect();
        let connections = dashboard
            .connection_ids()
            .into_iter()
            .map(|name| (name.clone(), ConnectionRef { name }))
            .collect();
        Imported {
            document: DashboardDocument::new(dashboard),
            sources,
            connections,
            losses,
        }
    }
}
