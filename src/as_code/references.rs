//! Alerts' references between ids and names: what the target calls the
//! saved search, dashboard, tile and webhooks an alert refers to.

use super::document::AlertDocument;
use super::state::{State, by_id};
use crate::field::Field;
use crate::model::{Alert, Dashboard, Tile};

/// The tile of `dashboard` whose id is `id`.
pub(crate) fn tile_by_id<'a>(dashboard: &'a Dashboard, id: &str) -> Option<&'a Tile> {
    dashboard
        .tiles()
        .iter()
        .find(|t| t.id.as_deref() == Some(id))
}

/// The tiles of `dashboard` named `name`.
pub(crate) fn tiles_named<'a>(dashboard: &'a Dashboard, name: &str) -> Vec<&'a Tile> {
    dashboard
        .tiles()
        .iter()
        .filter(|t| super::state::same_name(&t.name, name))
        .collect()
}

/// `document` with each reference given by id replaced by the name the
/// target has for it; an id the target does not know stays an id, with a
/// note saying so.
pub(crate) fn with_names(document: &AlertDocument, state: &State) -> (AlertDocument, Vec<String>) {
    let mut doc = document.clone();
    let mut notes = Vec::new();
    if let Some(id) = doc.alert.saved_search_id.value().cloned() {
        match by_id(&state.saved_searches, &id) {
            Some(search) => {
                doc.saved_search = Some(search.name.clone());
                doc.alert.saved_search_id = Field::Absent;
            }
            None => notes.push(format!(
                "saved search {id} does not exist; the alert keeps its id"
            )),
        }
    }
    if let Some(id) = doc.alert.dashboard_id.value().cloned() {
        match by_id(&state.dashboards, &id) {
            Some(dashboard) => {
                let name = dashboard.name.clone().unwrap_or_default();
                if let Some(tile_id) = doc.alert.tile_id.value().cloned() {
                    match tile_by_id(dashboard, &tile_id) {
                        Some(tile) => {
                            if tiles_named(dashboard, &tile.name).len() > 1 {
                                notes.push(format!(
                                    "dashboard {name:?} has several tiles named {:?}; the alert keeps the tile's id",
                                    tile.name
                                ));
                            } else {
                                doc.tile = Some(tile.name.clone());
                                doc.alert.tile_id = Field::Absent;
                            }
                        }
                        None => notes.push(format!(
                            "tile {tile_id} is not on dashboard {name:?}; the alert keeps its id"
                        )),
                    }
                }
                if doc.alert.tile_id.is_absent() {
                    doc.dashboard = Some(name);
                    doc.alert.dashboard_id = Field::Absent;
                }
            }
            None => notes.push(format!(
                "dashboard {id} does not exist; the alert keeps its id"
            )),
        }
    }
    for channel in doc
        .channels
        .iter_mut()
        .flatten()
        .chain(doc.channel.as_mut())
    {
        if let Some(id) = channel.channel.webhook_id.clone() {
            match by_id(&state.webhooks, &id) {
                Some(webhook) => {
                    channel.webhook = Some(webhook.name.clone());
                    channel.channel.webhook_id = None;
                }
                None => notes.push(format!(
                    "webhook {id} does not exist; the channel keeps its id"
                )),
            }
        }
    }
    notes.sort();
    notes.dedup();
    (doc, notes)
}

/// An alert read from the target as a document: its references named as
/// the target names them.
pub(crate) fn alert_document(alert: &Alert, state: &State) -> (AlertDocument, Vec<String>) {
    with_names(&AlertDocument::from_alert(alert), state)
}
