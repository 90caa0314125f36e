//! Data sources (log, trace, metric, session, PromQL).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Resource;

/// A data source: where tiles, searches and alerts read from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// Server-assigned id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// `log`, `trace`, `metric`, `session` or `promql` (or a newer kind).
    #[serde(default)]
    pub kind: String,
    /// Everything else (connection, table, expressions), per kind.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Resource for Source {
    const KIND: &'static str = "source";
    const SERVER_FIELDS: &'static [&'static str] = &[];
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}
