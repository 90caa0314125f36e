//! Dashboards-as-code: validate, export to a portable document, and apply
//! a document idempotently, on either backend.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Resources, unwrap};
use crate::client::Backend;
use crate::error::Result;
use crate::model::{Dashboard, Resource, portable, to_request};

/// The server's verdict on a dashboard body.
#[derive(Debug, Clone, PartialEq)]
pub struct Validation {
    /// Whether the body passes every rule.
    pub valid: bool,
    /// The problems found (`{path, message}` objects), as JSON.
    pub errors: Vec<Value>,
    /// The whole response, for fields this type does not name.
    pub raw: Value,
}

/// A dashboard as a portable document: no id, team, timestamps, tile ids
/// or filter ids, so it can be committed to a repository and applied to
/// any deployment of either backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DashboardDocument(pub Dashboard);

impl DashboardDocument {
    /// The document of a dashboard (server-assigned fields removed).
    pub fn from_dashboard(dashboard: &Dashboard) -> Result<Self> {
        let mut object = portable(dashboard)?;
        for list in ["tiles", "filters"] {
            if let Some(Value::Array(items)) = object.get_mut(list) {
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    item.remove("id");
                }
            }
        }
        crate::model::from_wire(Value::Object(object), 200).map(DashboardDocument)
    }

    /// Pretty JSON, stable field order.
    pub fn to_json_pretty(&self) -> Result<String> {
        serde_json::to_string_pretty(&self.0).map_err(|e| crate::Error::InvalidInput(e.to_string()))
    }

    /// Parses a document.
    pub fn from_json(text: &str) -> Result<Self> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de)
            .map(DashboardDocument)
            .map_err(|e| crate::Error::InvalidInput(format!("at `{}`: {}", e.path(), e.inner())))
    }
}

/// What [`Resources::apply`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyAction {
    /// No dashboard had the name: one was created.
    Created,
    /// A dashboard with the name differed: it was updated.
    Updated,
    /// A dashboard with the name already matched: nothing was sent.
    Unchanged,
}

/// Outcome of applying a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// What happened.
    pub action: ApplyAction,
    /// The dashboard as stored.
    pub dashboard: Dashboard,
}

impl Resources<'_, Dashboard> {
    /// Asks the backend's validate endpoint whether `dashboard` is valid.
    pub async fn validate(&self, dashboard: &Dashboard) -> Result<Validation> {
        let raw: Value = match &self.client.backend {
            Backend::Cloud {
                client: c,
                organization: o,
                service: s,
            } => {
                let body = to_request(dashboard)?;
                let r = self
                    .client
                    .execute("POST", "/dashboards/validate", || {
                        c.click_stack_validate_dashboard(o, s, &body)
                    })
                    .await?;
                unwrap(r, "result")?
            }
            Backend::Oss { client: c } => {
                let body = to_request(dashboard)?;
                let r = self
                    .client
                    .execute("POST", "/dashboards/validate", || {
                        c.validate_dashboard(&body)
                    })
                    .await?;
                // HyperDX answers the verdict itself, not `{data: ...}`.
                super::envelope_json(r)?
            }
        };
        Ok(Validation {
            valid: raw.get("valid").and_then(Value::as_bool).unwrap_or(false),
            errors: raw
                .get("errors")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            raw,
        })
    }

    /// Exports dashboard `id` as a portable document.
    pub async fn export(&self, id: &str) -> Result<DashboardDocument> {
        DashboardDocument::from_dashboard(&self.get(id).await?)
    }

    /// Applies a document idempotently: creates the dashboard when none has
    /// its name, updates the one that has when it differs, and sends
    /// nothing when it already matches. Tiles keep the ids of same-named
    /// tiles of the existing dashboard, so alerts on them stay attached.
    /// (With several dashboards of the same name, the first listed is used.)
    pub async fn apply(&self, document: &DashboardDocument) -> Result<Applied> {
        let existing = self
            .list()
            .await?
            .into_iter()
            .find(|d| d.name == document.0.name);
        let Some(current) = existing else {
            return Ok(Applied {
                action: ApplyAction::Created,
                dashboard: self.create(&document.0).await?,
            });
        };
        if self.canonical(&current)? == self.canonical(&document.0)? {
            return Ok(Applied {
                action: ApplyAction::Unchanged,
                dashboard: current,
            });
        }
        let Some(id) = current.id().map(str::to_string) else {
            return Err(crate::Error::Decode {
                status: None,
                message: format!("the listed dashboard {:?} has no id", current.name),
                body: String::new(),
            });
        };
        let wanted = keep_ids(&document.0, &current);
        Ok(Applied {
            action: ApplyAction::Updated,
            dashboard: self.update(&id, &wanted).await?,
        })
    }

    /// A dashboard as this backend would receive it (its request type fills
    /// defaults), without ids, for comparing a document with what is stored.
    fn canonical(&self, dashboard: &Dashboard) -> Result<Value> {
        let portable = DashboardDocument::from_dashboard(dashboard)?.0;
        let body = match &self.client.backend {
            Backend::Cloud { .. } => serde_json::to_value(to_request::<
                _,
                crate::cloud::types::ClickStackCreateDashboardRequest,
            >(&portable)?),
            Backend::Oss { .. } => serde_json::to_value(to_request::<
                _,
                crate::oss::types::CreateDashboardRequest,
            >(&portable)?),
        }
        .map_err(|e| crate::Error::InvalidInput(e.to_string()))?;
        Ok(body)
    }
}

/// The document to send as an update of `current`: tiles and filters
/// without an id take the id of a same-named one of `current` (each id
/// used once), so alerts on tiles stay attached; filters left without one
/// get a fresh id, since Cloud's update requires filter ids.
fn keep_ids(wanted: &Dashboard, current: &Dashboard) -> Dashboard {
    let mut wanted = wanted.clone();
    let mut claimed = std::collections::HashSet::new();
    for tile in wanted.tiles.iter_mut().filter(|t| t.id.is_none()) {
        tile.id = current
            .tiles
            .iter()
            .filter(|old| old.name == tile.name)
            .filter_map(|old| old.id.clone())
            .find(|id| claimed.insert(id.clone()));
    }
    let old_filter_ids: Vec<(String, String)> = current
        .filters
        .iter()
        .filter_map(|f| {
            Some((
                f.get("name")?.as_str()?.to_string(),
                f.get("id")?.as_str()?.to_string(),
            ))
        })
        .collect();
    for filter in wanted.filters.iter_mut().filter_map(Value::as_object_mut) {
        if filter.contains_key("id") {
            continue;
        }
        let name = filter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let id = old_filter_ids
            .iter()
            .filter(|(old_name, _)| old_name == name)
            .map(|(_, id)| id.clone())
            .find(|id| claimed.insert(id.clone()))
            .unwrap_or_else(new_object_id);
        filter.insert("id".into(), Value::String(id));
    }
    wanted
}

/// A fresh 24-hex-digit id in the shape of the servers' Mongo ObjectIds.
fn new_object_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let state = std::collections::hash_map::RandomState::new();
    let mut high = state.build_hasher();
    high.write_u8(1);
    let mut low = state.build_hasher();
    low.write_u8(2);
    format!("{:08x}{:016x}", high.finish() as u32, low.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Tile, TileConfig};
    use serde_json::json;

    #[test]
    fn updates_reuse_ids_once_and_fill_missing_filter_ids() {
        let tile = |id: Option<&str>| Tile {
            id: id.map(str::to_string),
            ..Tile::new("Errors", TileConfig::markdown("x"))
        };
        let current = Dashboard {
            tiles: vec![tile(Some("t1")), tile(Some("t2"))],
            filters: vec![json!({"id": "f1", "name": "env"})],
            ..Dashboard::default()
        };
        let wanted = Dashboard {
            tiles: vec![tile(None), tile(None), tile(None)],
            filters: vec![json!({"name": "env"}), json!({"name": "region"})],
            ..Dashboard::default()
        };
        let sent = keep_ids(&wanted, &current);
        let ids: Vec<_> = sent.tiles.iter().map(|t| t.id.clone()).collect();
        assert_eq!(ids, vec![Some("t1".into()), Some("t2".into()), None]);
        assert_eq!(sent.filters[0]["id"], "f1");
        let fresh = sent.filters[1]["id"].as_str().unwrap();
        assert_eq!(fresh.len(), 24);
        assert!(fresh.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn documents_carry_no_server_ids() {
        let dashboard: Dashboard = serde_json::from_value(json!({
            "id": "d1", "name": "n", "teamId": "team", "createdAt": "2026-01-01T00:00:00Z",
            "tiles": [{"id": "t1", "name": "a", "x": 0, "y": 0, "w": 1, "h": 1}],
            "filters": [{"id": "f1", "name": "env"}]
        }))
        .unwrap();
        let document =
            serde_json::to_value(DashboardDocument::from_dashboard(&dashboard).unwrap()).unwrap();
        assert_eq!(
            document,
            json!({"name": "n", "tiles": [{"name": "a", "x": 0, "y": 0, "w": 1, "h": 1}],
                   "filters": [{"name": "env"}]})
        );
    }
}
