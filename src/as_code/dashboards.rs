//! One kind at a time: applying dashboard documents with the engine,
//! without pruning.

use super::apply::Written;
use super::diff::FieldChange;
use super::document::{DashboardDocument, Documents};
use super::plan::{Action, Kind, PlanOptions};
use super::state::named;
use crate::error::{Error, Result};
use crate::model::Dashboard;
use crate::resources::Resources;

/// How to apply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplyOptions {
    /// Plan only: read and compare, send no write.
    pub dry_run: bool,
}

/// The outcome of applying one dashboard document.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The dashboard's name.
    pub name: String,
    /// What happened (or, in a dry run, would happen).
    pub action: Action,
    /// The field-level changes from what was stored to what the document
    /// asks for, in the server's normal form.
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
    /// on tiles stay attached. (The engine's [`Client::plan`] and
    /// [`Client::apply`](crate::Client::apply) do this for every kind.)
    ///
    /// [`Client::plan`]: crate::Client::plan
    pub async fn apply(&self, document: &DashboardDocument) -> Result<Applied> {
        self.apply_with(document, ApplyOptions::default()).await
    }

    /// [`Resources::apply`] with options (a dry run plans without writing).
    pub async fn apply_with(
        &self,
        document: &DashboardDocument,
        options: ApplyOptions,
    ) -> Result<Applied> {
        let mut applied = self
            .apply_all(std::slice::from_ref(document), options)
            .await?;
        applied
            .pop()
            .ok_or_else(|| Error::InvalidInput("the plan has no step for the document".into()))
    }

    /// Plans a document: what [`Resources::apply`] would do, with its
    /// field-level changes, sending no write.
    pub async fn plan(&self, document: &DashboardDocument) -> Result<Applied> {
        self.apply_with(document, ApplyOptions { dry_run: true })
            .await
    }

    /// Applies many documents: reads the target once, then sends only the
    /// writes that are needed (at most one per document that changes),
    /// paced by the client's rate limiter, after checking that the target
    /// has not changed since it was read. Stops at the first error;
    /// documents must have distinct names.
    pub async fn apply_all(
        &self,
        documents: &[DashboardDocument],
        options: ApplyOptions,
    ) -> Result<Vec<Applied>> {
        let client = self.client;
        let documents = Documents {
            dashboards: documents.to_vec(),
            ..Documents::default()
        };
        let plan_options = PlanOptions::default();
        let kinds = super::planner::kinds_needed(&documents, &plan_options);
        let state = client.fetch_state(&kinds).await?;
        let plan = super::plan(&documents, &state, &plan_options)
            .map_err(|p| Error::InvalidInput(p.to_string()))?;
        let report = if options.dry_run || !plan.has_changes() {
            None
        } else {
            Some(client.apply(&plan).await?)
        };
        Ok(plan
            .steps
            .iter()
            .filter(|step| step.kind == Kind::Dashboard)
            .map(|step| {
                let written = report.as_ref().and_then(|r| {
                    r.done.iter().find_map(|done| match &done.written {
                        Written::Dashboard(d) if done.name == step.name => Some((**d).clone()),
                        _ => None,
                    })
                });
                let stored = named(&state.dashboards.items, &step.name)
                    .first()
                    .map(|d| (*d).clone());
                Applied {
                    name: step.name.clone(),
                    action: step.action,
                    changes: step.changes.clone(),
                    dashboard: written.or(stored),
                    dry_run: options.dry_run,
                }
            })
            .collect())
    }
}
