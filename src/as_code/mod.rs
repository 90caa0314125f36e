//! Everything as code: dashboards, saved searches and alerts kept as
//! documents, planned against a target, and applied exactly as planned.
//!
//! - **Documents** ([`Documents`]): [`DashboardDocument`]s,
//!   [`SavedSearchDocument`]s and [`AlertDocument`]s. Alerts refer to the
//!   saved search, dashboard, tile and webhooks they use by name (or by
//!   id); documents keep the source ids of the deployment they were
//!   written for, and [`Documents::sources`] names those sources, so that
//!   a plan maps them onto the target's sources of the same names.
//!   Webhooks and sources are referred to and matched, never written.
//! - **State** ([`State`]): what a target holds, fetched once, one list
//!   per kind ([`Client::fetch_state`](crate::Client::fetch_state)).
//! - **Planning** ([`plan`]) is a pure function: documents and a state in,
//!   a [`Plan`] of creates, updates (with field-level [`FieldChange`]s)
//!   and deletes out, or every [`Problem`] found (a missing source or
//!   webhook, an alert on a tile that will not exist, duplicate names, a
//!   resource on the target that did not decode and may be the one a
//!   document describes). Deletes cover only the kinds
//!   [`PlanOptions::prune`] names.
//! - **Applying** ([`Client::apply`](crate::Client::apply)) makes exactly the plan's writes, in
//!   the order references require (saved searches and dashboards before
//!   the alerts on them, deletes last), after checking that the target has
//!   not moved past the plan: a stale plan writes nothing.
//! - **Plans are files**: [`Plan::to_json`] and [`Plan::from_json`], so the
//!   plan reviewed on a pull request is the plan applied on merge.
//!
//! ```no_run
//! use clickstack::as_code::{Documents, PlanOptions};
//! use clickstack::{AlertDocument, AlertInterval, ChartConfig, Client, Dashboard, DashboardDocument,
//!     SelectItem, ThresholdType, Tile, TileConfig};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::from_env()?;
//! let mut documents = Documents::default();
//! documents.dashboards.push(DashboardDocument::new(
//!     Dashboard::new("Service health").tile(Tile::new(
//!         "Errors",
//!         TileConfig::line(ChartConfig::new("65f5e4a3b9e77c001a111111").select(SelectItem::count())),
//!     )),
//! ));
//! documents.alerts.push(
//!     AlertDocument::on_tile("Service health", "Errors", 5.0, ThresholdType::Above, AlertInterval::Minutes5)
//!         .name("Error spike")
//!         .webhook("On call"),
//! );
//! let plan = client.plan(&documents, &PlanOptions::default()).await?;
//! for step in &plan.steps {
//!     println!("{:?} {} {:?}", step.action, step.kind, step.name);
//! }
//! let report = client.apply(&plan).await?;
//! println!("{:?}", report.counts());
//! # Ok(()) }
//! ```

mod apply;
mod dashboards;
mod diff;
mod document;
mod export;
mod normal_form;
mod plan;
mod planner;
mod problems;
mod references;
mod sources;
mod state;
mod version;
mod writes;

pub use apply::{ApplyError, ApplyReport, Done, Moved, Written};
pub use dashboards::{Applied, ApplyOptions};
pub use diff::{FieldChange, diff};
pub use document::{
    AlertDocument, ChannelDocument, ConnectionRef, DashboardDocument, Documents, OnTarget,
    SavedSearchDocument, SourceRef,
};
pub use export::Export;
pub use plan::{
    Action, AfterWrites, Expect, Kind, PLAN_FORMAT, Plan, PlanOptions, Precondition, Step, Summary,
    Write,
};
pub use planner::plan;
pub use problems::{PlanError, Problem};
pub use state::State;

/// Why [`Client::plan`](crate::Client::plan) gave no plan.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanningError {
    /// The target could not be read.
    #[error("cannot read the target: {0}")]
    Fetch(#[source] crate::Error),
    /// The documents cannot be planned against it.
    #[error("{0}")]
    Problems(PlanError),
}

impl From<PlanningError> for crate::Error {
    /// For code that uses one error: problems become
    /// [`Error::InvalidInput`](crate::Error::InvalidInput).
    fn from(error: PlanningError) -> Self {
        match error {
            PlanningError::Fetch(e) => e,
            PlanningError::Problems(p) => crate::Error::InvalidInput(p.to_string()),
        }
    }
}

impl From<ApplyError> for crate::Error {
    /// For code that uses one error: a failed write is its error, a stale
    /// plan a [`Error::Conflict`](crate::Error::Conflict).
    fn from(error: ApplyError) -> Self {
        match error {
            ApplyError::Check(e) | ApplyError::Stopped { error: e, .. } => e,
            other => crate::Error::Conflict(crate::ApiErrorInfo {
                status: 409,
                message: other.to_string(),
                request_id: None,
            }),
        }
    }
}
