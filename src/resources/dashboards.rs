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

/// A dashboard as a portable document: no id, team, timestamps or tile
/// ids, so it can be committed to a repository and applied to any
/// deployment of either backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DashboardDocument(pub Dashboard);

impl DashboardDocument {
    /// The document of a dashboard (server-assigned fields removed).
    pub fn from_dashboard(dashboard: &Dashboard) -> Result<Self> {
        let mut object = portable(dashboard)?;
        if let Some(Value::Array(tiles)) = object.get_mut("tiles") {
            for tile in tiles.iter_mut().filter_map(Value::as_object_mut) {
                tile.remove("id");
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
                let status = r.status().as_u16();
                let mut envelope: Value = serde_json::to_value(r.into_inner()).unwrap_or_default();
                // HyperDX answers either `{data: {...}}` or the verdict itself.
                match envelope.get_mut("data").map(Value::take) {
                    Some(inner) if inner.is_object() => inner,
                    _ => crate::model::from_wire(envelope, status)?,
                }
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
        let mut wanted = document.0.clone();
        for tile in wanted.tiles.iter_mut().filter(|t| t.id.is_none()) {
            tile.id = current
                .tiles
                .iter()
                .find(|old| old.name == tile.name)
                .and_then(|old| old.id.clone());
        }
        let id = current.id().unwrap_or_default().to_string();
        Ok(Applied {
            action: ApplyAction::Updated,
            dashboard: self.update(&id, &wanted).await?,
        })
    }

    /// A dashboard as this backend would receive it (its request type fills
    /// defaults), without ids, for comparing a document with what is stored.
    fn canonical(&self, dashboard: &Dashboard) -> Result<Value> {
        let portable = DashboardDocument::from_dashboard(dashboard)?.0;
        let mut body = match &self.client.backend {
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
        if let Some(Value::Array(filters)) = body.get_mut("filters") {
            for filter in filters.iter_mut().filter_map(Value::as_object_mut) {
                filter.remove("id");
            }
        }
        Ok(body)
    }
}
