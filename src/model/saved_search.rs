//! Saved searches.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Resource;
use super::common::QueryLanguage;

/// A pinned filter of a saved search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedSearchFilter {
    /// Language of the condition (`sql` when absent).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<QueryLanguage>,
    /// The condition.
    pub condition: String,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SavedSearchFilter {
    /// A SQL condition.
    pub fn sql(condition: impl Into<String>) -> Self {
        SavedSearchFilter {
            kind: Some(QueryLanguage::Sql),
            condition: condition.into(),
            extra: Map::new(),
        }
    }
}

/// A saved search over a source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedSearch {
    /// Server-assigned id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    pub name: String,
    /// The source searched.
    pub source_id: String,
    /// Columns shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    /// The condition.
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_: Option<String>,
    /// Language of `where`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
    /// Ordering.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_by: Option<String>,
    /// Tags.
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub tags: Option<Vec<String>>,
    /// Pinned filters.
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub filters: Option<Vec<SavedSearchFilter>>,
    /// The team (set by the server).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// When it was created (set by the server, RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When it last changed (set by the server, RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Fields this crate does not name (server fields), kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SavedSearch {
    /// A saved search of `source_id` matching a Lucene `condition`.
    pub fn new(
        name: impl Into<String>,
        source_id: impl Into<String>,
        condition: impl Into<String>,
    ) -> Self {
        SavedSearch {
            name: name.into(),
            source_id: source_id.into(),
            where_: Some(condition.into()),
            where_language: Some(QueryLanguage::Lucene),
            ..SavedSearch::default()
        }
    }
}

impl Resource for SavedSearch {
    const KIND: &'static str = "saved search";
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
    fn to_create(&self) -> Self {
        let mut request = self.clone();
        request.id = None;
        request.team_id = None;
        request.created_at = None;
        request.updated_at = None;
        super::strip_server_fields(&mut request.extra, &[]);
        request
    }
}
