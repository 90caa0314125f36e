//! Saved searches.

use serde::Serialize;

use super::Resource;
use super::common::QueryLanguage;
use super::keep_extra::deserialize_keeping_extra;
use super::sparse::Extra;

/// A pinned filter of a saved search.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SavedSearchFilter {
    /// Language of the condition (`sql` when absent).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<QueryLanguage>,
    /// The condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    SavedSearchFilter {
        "type" => kind,
        "condition" => condition,
    }
}

/// A saved search over a source.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
    /// Language of `where`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub where_language: Option<QueryLanguage>,
    /// Ordering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_by: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Pinned filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<SavedSearchFilter>>,
    /// Fields this crate does not name (server fields), kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    SavedSearch {
        "id" => id,
        "name" => name,
        "sourceId" => source_id,
        "select" => select,
        "where" => where_,
        "whereLanguage" => where_language,
        "orderBy" => order_by,
        "tags" => tags as seq,
        "filters" => filters as seq,
    }
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
    fn name(&self) -> &str {
        &self.name
    }
    fn to_create(&self) -> Self {
        let mut request = self.clone();
        request.id = None;
        super::strip_server_fields(&mut request.extra, &[]);
        request
    }
}
