//! Portable dashboard documents.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Dashboard, strip_server_fields};

/// A dashboard as a portable document: no id, team, timestamps, tile ids
/// or filter ids, so it can be committed to a repository and applied to
/// any deployment of either backend.
///
/// ```
/// use clickstack::{Dashboard, DashboardDocument, Tile, TileConfig};
/// let document = DashboardDocument::new(
///     Dashboard::new("Service health").tile(Tile::new("Notes", TileConfig::markdown("# Runbook"))),
/// );
/// let text = document.to_json_pretty()?;
/// assert_eq!(DashboardDocument::from_json(&text)?, document);
/// # Ok::<(), clickstack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DashboardDocument(pub Dashboard);

impl DashboardDocument {
    /// The document of a dashboard (server-assigned fields removed).
    pub fn new(dashboard: Dashboard) -> Self {
        let mut dashboard = dashboard;
        dashboard.id = None;
        strip_server_fields(&mut dashboard.extra, &[]);
        for tile in dashboard.tiles.iter_mut().flatten() {
            tile.id = None;
        }
        for filter in dashboard.filters.iter_mut().flatten() {
            filter.id = None;
        }
        DashboardDocument(dashboard)
    }

    /// The document of a dashboard read from a server.
    pub fn from_dashboard(dashboard: &Dashboard) -> Self {
        Self::new(dashboard.clone())
    }

    /// The dashboard's name (what [`crate::DashboardsApi::apply`] matches on).
    pub fn name(&self) -> &str {
        self.0.name.as_deref().unwrap_or_default()
    }

    /// Pretty JSON.
    pub fn to_json_pretty(&self) -> Result<String> {
        serde_json::to_string_pretty(&self.0).map_err(|e| Error::InvalidInput(e.to_string()))
    }

    /// Parses a JSON document, naming the failing field.
    pub fn from_json(text: &str) -> Result<Self> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de)
            .map(DashboardDocument::new)
            .map_err(|e| Error::InvalidInput(format!("at `{}`: {}", e.path(), e.inner())))
    }
}

impl From<Dashboard> for DashboardDocument {
    fn from(dashboard: Dashboard) -> Self {
        Self::new(dashboard)
    }
}
