//! Webhooks (alert destinations).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Resource;

/// A webhook alerts can notify.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// Server-assigned id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// `slack`, `incidentio`, `generic`, ... (or a newer service).
    #[serde(default)]
    pub service: String,
    /// Target URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Everything else (body template, headers, query parameters).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Resource for Webhook {
    const KIND: &'static str = "webhook";
    const SERVER_FIELDS: &'static [&'static str] = &[];
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}
