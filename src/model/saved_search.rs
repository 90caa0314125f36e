//! Saved searches.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Resource;

/// A saved search over a source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedSearch {
    /// Server-assigned id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// The source searched.
    #[serde(default)]
    pub source_id: String,
    /// Columns shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    /// The condition.
    #[serde(rename = "where", default, skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// Language of `where` (`sql` or `lucene`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub where_language: Option<String>,
    /// Ordering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_by: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Everything else (pinned filters, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Resource for SavedSearch {
    const KIND: &'static str = "saved search";
    const SERVER_FIELDS: &'static [&'static str] = &[];
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}
