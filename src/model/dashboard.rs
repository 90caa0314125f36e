//! Dashboards, their tiles and tile configs.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Resource;

/// A dashboard: a grid of tiles, with filters, tags and containers (tabs).
///
/// ```
/// use clickstack::{Dashboard, Tile, TileConfig};
/// let dashboard = Dashboard {
///     name: "Service health".into(),
///     tiles: vec![Tile::new("Notes", TileConfig::markdown("# Hello"))],
///     ..Dashboard::default()
/// };
/// assert_eq!(serde_json::to_value(&dashboard).unwrap()["tiles"][0]["config"]["displayType"], "markdown");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    /// Server-assigned id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name; also the key [`crate::DashboardsApi::apply`] matches on.
    #[serde(default)]
    pub name: String,
    /// Tiles, in layout order.
    #[serde(default)]
    pub tiles: Vec<Tile>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Dashboard filters (kept as JSON: their shape varies by type).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Value>,
    /// Containers (sections with tabs) that tiles refer to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<Value>,
    /// Saved query applied to every tile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_query: Option<String>,
    /// Language of `saved_query` (`sql` or `lucene`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_query_language: Option<String>,
    /// Everything else the backend sent, written back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Resource for Dashboard {
    const KIND: &'static str = "dashboard";
    const SERVER_FIELDS: &'static [&'static str] = &["createdBy", "updatedBy"];
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}

/// A tile of a dashboard: a position on the 24-column grid and a chart config.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tile {
    /// Tile id (assigned by the server when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Title.
    #[serde(default)]
    pub name: String,
    /// Column.
    #[serde(default)]
    pub x: i64,
    /// Row.
    #[serde(default)]
    pub y: i64,
    /// Width in columns.
    #[serde(default)]
    pub w: i64,
    /// Height in rows.
    #[serde(default)]
    pub h: i64,
    /// What the tile shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<TileConfig>,
    /// Container the tile sits in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_id: Option<String>,
    /// Tab of the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab_id: Option<String>,
    /// Everything else the backend sent that its spec defines.
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
}

/// A tile's chart configuration, kept as raw JSON: both APIs share the
/// shape (`displayType` plus per-type fields), and a config type this crate
/// does not know is carried unchanged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TileConfig(pub Value);

impl TileConfig {
    /// A markdown tile.
    pub fn markdown(text: impl Into<String>) -> Self {
        TileConfig(serde_json::json!({ "displayType": "markdown", "markdown": text.into() }))
    }

    /// `displayType` (`line`, `table`, `number`, `markdown`, ...), if any.
    pub fn display_type(&self) -> Option<&str> {
        self.0.get("displayType").and_then(Value::as_str)
    }

    /// Decodes the config into a typed form, for example
    /// `clickstack::oss::types::TileConfig`.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_value(self.0.clone())
    }
}
