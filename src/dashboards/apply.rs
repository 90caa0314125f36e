//! Applying documents: create, update or leave alone, with a plan of
//! field-level changes, a dry run, and a bulk form that lists once.

use std::collections::HashSet;

use serde::Serialize;

use super::document::DashboardDocument;
use super::normal_form::normal_form;
use super::plan::{FieldChange, changes};
use crate::error::{Error, Result};
use crate::field::Field;
use crate::model::{Dashboard, Resource};
use crate::resources::Resources;

/// What applying a document does, or did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ApplyAction {
    /// No dashboard had the name: one is created.
    Created,
    /// A dashboard with the name differs: it is updated.
    Updated,
    /// A dashboard with the name already matches: nothing is sent.
    Unchanged,
}

/// How to apply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplyOptions {
    /// Plan only: list and compare, send no write.
    pub dry_run: bool,
}

/// The outcome of applying one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The dashboard's name.
    pub name: String,
    /// What happened (or, in a dry run, would happen).
    pub action: ApplyAction,
    /// The field-level changes from what was stored to what the document
    /// asks for, in the server's normal form (empty when unchanged; every
    /// field of the document for a creation).
    pub changes: Vec<FieldChange>,
    /// The dashboard as stored afterwards (in a dry run: as stored before,
    /// `None` for a creation).
    pub dashboard: Option<Dashboard>,
    /// Whether nothing was sent.
    pub dry_run: bool,
}

impl Resources<'_, Dashboard> {
    /// Exports dashboard `id` as a portable document.
    pub async fn export(&self, id: &str) -> Result<DashboardDocument> {
        Ok(DashboardDocument::from_dashboard(&self.get(id).await?))
    }

    /// Applies a document: creates the dashboard when none has its name,
    /// updates the one that has when it differs in the server's normal
    /// form, and sends nothing when it matches. The document is the whole
    /// desired state: a list or value it leaves out is cleared on the
    /// server. Tiles and filters keep the ids of same-named ones, so alerts
    /// on tiles stay attached. (With several dashboards of one name, the
    /// first listed is used.)
    pub async fn apply(&self, document: &DashboardDocument) -> Result<Applied> {
        self.apply_with(document, ApplyOptions::default()).await
    }

    /// [`Resources::apply`] with options (a dry run plans without writing).
    pub async fn apply_with(
        &self,
        document: &DashboardDocument,
        options: ApplyOptions,
    ) -> Result<Applied> {
        let existing = self.list().await?.into_complete()?;
        self.apply_against(document, &existing, options).await
    }

    /// Plans a document: what [`Resources::apply`] would do, with its
    /// field-level changes, sending no write.
    pub async fn plan(&self, document: &DashboardDocument) -> Result<Applied> {
        self.apply_with(document, ApplyOptions { dry_run: true })
            .await
    }

    /// Applies many documents: lists once, then sends only the writes that
    /// are needed (at most one request per document that changes), paced
    /// by the client's rate limiter. Stops at the first error; documents
    /// must have distinct names.
    pub async fn apply_all(
        &self,
        documents: &[DashboardDocument],
        options: ApplyOptions,
    ) -> Result<Vec<Applied>> {
        let mut names = HashSet::new();
        if let Some(dup) = documents.iter().find(|d| !names.insert(d.name())) {
            return Err(Error::InvalidInput(format!(
                "two documents are named {:?}",
                dup.name()
            )));
        }
        let existing = self.list().await?.into_complete()?;
        let mut outcomes = Vec::with_capacity(documents.len());
        for document in documents {
            outcomes.push(self.apply_against(document, &existing, options).await?);
        }
        Ok(outcomes)
    }

    async fn apply_against(
        &self,
        document: &DashboardDocument,
        existing: &[Dashboard],
        options: ApplyOptions,
    ) -> Result<Applied> {
        let wanted = &document.0;
        let Some(name) = wanted.name.as_deref().filter(|n| !n.trim().is_empty()) else {
            return Err(Error::InvalidInput(
                "a dashboard document needs a name".into(),
            ));
        };
        let backend = self.client.backend();
        let desired = normal_form(&with_explicit_clears(wanted), backend);
        let Some(current) = existing.iter().find(|d| d.name.as_deref() == Some(name)) else {
            let changes = changes(&serde_json::Value::Object(Default::default()), &desired);
            let dashboard = if options.dry_run {
                None
            } else {
                Some(self.create(wanted).await?)
            };
            return Ok(Applied {
                name: name.to_string(),
                action: ApplyAction::Created,
                changes,
                dashboard,
                dry_run: options.dry_run,
            });
        };
        let changes = changes(&normal_form(current, backend), &desired);
        if changes.is_empty() {
            return Ok(Applied {
                name: name.to_string(),
                action: ApplyAction::Unchanged,
                changes,
                dashboard: Some(current.clone()),
                dry_run: options.dry_run,
            });
        }
        let dashboard = if options.dry_run {
            Some(current.clone())
        } else {
            let id = current.id().ok_or_else(|| Error::Decode {
                status: 200,
                message: format!("the listed dashboard {:?} has no id", current.name),
                body: String::new(),
            })?;
            let body = keep_ids(&with_explicit_clears(wanted), current);
            Some(self.update(id, &body).await?)
        };
        Ok(Applied {
            name: name.to_string(),
            action: ApplyAction::Updated,
            changes,
            dashboard,
            dry_run: options.dry_run,
        })
    }
}

/// The document as a full desired state: what it leaves out is sent as a
/// clear (a dashboard update keeps what its body omits).
fn with_explicit_clears(wanted: &Dashboard) -> Dashboard {
    let mut body = wanted.clone();
    body.tags.get_or_insert_with(Vec::new);
    body.filters.get_or_insert_with(Vec::new);
    body.containers.get_or_insert_with(Vec::new);
    body.saved_filter_values.get_or_insert_with(Vec::new);
    if body.saved_query.is_absent() {
        body.saved_query = Field::Null;
    }
    body
}

/// The document to send as an update of `current`: tiles and filters
/// without an id take the id of a same-named one of `current` (each id used
/// once), so alerts on tiles stay attached; filters left without one get a
/// fresh id (an update must carry filter ids).
fn keep_ids(wanted: &Dashboard, current: &Dashboard) -> Dashboard {
    let mut wanted = wanted.clone();
    let mut claimed = HashSet::new();
    for tile in wanted.tiles.iter_mut().flatten().filter(|t| t.id.is_none()) {
        tile.id = current
            .tiles()
            .iter()
            .filter(|old| old.name == tile.name)
            .filter_map(|old| old.id.clone())
            .find(|id| claimed.insert(id.clone()));
    }
    let old_filters: Vec<(String, String)> = current
        .filters
        .iter()
        .flatten()
        .filter_map(|f| Some((f.name.clone(), f.id.clone()?)))
        .collect();
    for filter in wanted
        .filters
        .iter_mut()
        .flatten()
        .filter(|f| f.id.is_none())
    {
        filter.id = Some(
            old_filters
                .iter()
                .filter(|(name, _)| *name == filter.name)
                .map(|(_, id)| id.clone())
                .find(|id| claimed.insert(id.clone()))
                .unwrap_or_else(new_object_id),
        );
    }
    wanted
}

/// A fresh 24-hex-digit id in the shape of the servers' Mongo `ObjectIds`.
pub(crate) fn new_object_id() -> String {
    format!("{:08x}{:016x}", fastrand::u32(..), fastrand::u64(..))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Filter, Tile, TileConfig};

    #[test]
    fn updates_reuse_ids_once_and_fill_missing_filter_ids() {
        let tile = |id: Option<&str>| Tile {
            id: id.map(str::to_string),
            ..Tile::new("Errors", TileConfig::markdown("x"))
        };
        let mut env = Filter::query_expression("env", "Env", "s");
        env.id = Some("f1".into());
        let current = Dashboard {
            tiles: Some(vec![tile(Some("t1")), tile(Some("t2"))]),
            filters: Some(vec![env]),
            ..Dashboard::new("d")
        };
        let wanted = Dashboard {
            tiles: Some(vec![tile(None), tile(None), tile(None)]),
            filters: Some(vec![
                Filter::query_expression("env", "Env", "s"),
                Filter::query_expression("region", "Region", "s"),
            ]),
            ..Dashboard::new("d")
        };
        let sent = keep_ids(&wanted, &current);
        let ids: Vec<_> = sent.tiles().iter().map(|t| t.id.clone()).collect();
        assert_eq!(ids, vec![Some("t1".into()), Some("t2".into()), None]);
        let filters = sent.filters.unwrap();
        assert_eq!(filters[0].id.as_deref(), Some("f1"));
        let fresh = filters[1].id.as_deref().unwrap();
        assert_eq!(fresh.len(), 24);
        assert!(fresh.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn a_document_clears_what_it_leaves_out() {
        let body = with_explicit_clears(&Dashboard::new("d"));
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["filters"], serde_json::json!([]));
        assert_eq!(json["containers"], serde_json::json!([]));
        assert!(json["savedQuery"].is_null() && json.get("savedQuery").is_some());
    }
}
