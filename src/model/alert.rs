//! Alerts.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Resource;

/// An alert on a saved search or a dashboard tile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// Server-assigned id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What it watches: `saved_search` or `tile`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The saved search (when `source` is `saved_search`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_search_id: Option<String>,
    /// The dashboard (when `source` is `tile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dashboard_id: Option<String>,
    /// The tile (when `source` is `tile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tile_id: Option<String>,
    /// Threshold value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// How the value compares with the threshold (`above`, `below`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_type: Option<String>,
    /// Evaluation interval (`1m`, `5m`, `1h`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// Where notifications go (`{type: "webhook", webhookId}`), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Value>,
    /// Notification message template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Everything else (grouping, schedule, several channels, state, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Resource for Alert {
    const KIND: &'static str = "alert";
    const SERVER_FIELDS: &'static [&'static str] = &["state", "executionErrors", "silenced"];
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}
