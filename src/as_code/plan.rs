//! Plans: what applying documents creates, updates and deletes, with the
//! field-level changes and the exact writes, saved and reloaded as JSON.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::diff::FieldChange;
use crate::client::BackendKind;
use crate::model::{Alert, Dashboard, SavedSearch};

/// The kinds of resources plans deal with: the three that documents
/// describe, and the two they refer to (read, never written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Saved searches (written).
    SavedSearch,
    /// Dashboards (written).
    Dashboard,
    /// Alerts (written).
    Alert,
    /// Webhooks (alerts refer to them by name).
    Webhook,
    /// Sources (documents refer to them through their names).
    Source,
    /// Connections of raw SQL tiles (`HyperDX`; documents refer to them
    /// through their names).
    Connection,
}

impl Kind {
    /// The kinds documents describe, in the order their writes are made.
    pub const DOCUMENTS: [Kind; 3] = [Kind::SavedSearch, Kind::Dashboard, Kind::Alert];

    /// `saved search`, `dashboard`, ...
    pub fn noun(self) -> &'static str {
        match self {
            Kind::SavedSearch => "saved search",
            Kind::Dashboard => "dashboard",
            Kind::Alert => "alert",
            Kind::Webhook => "webhook",
            Kind::Source => "source",
            Kind::Connection => "connection",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.noun())
    }
}

/// How to plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// The kinds whose resources that no document describes are deleted
    /// (none by default). Only [`Kind::DOCUMENTS`] can be pruned.
    pub prune: BTreeSet<Kind>,
}

impl PlanOptions {
    /// Deletes what no document describes, of these kinds.
    pub fn prune(kinds: impl IntoIterator<Item = Kind>) -> Self {
        PlanOptions {
            prune: kinds
                .into_iter()
                .filter(|k| Kind::DOCUMENTS.contains(k))
                .collect(),
        }
    }
}

/// What happens to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// A document describes it and the target has none of that name.
    Create,
    /// The target's differs from its document.
    Update,
    /// The target has it, no document describes it, and its kind is
    /// pruned.
    Delete,
    /// The target's matches its document.
    Unchanged,
}

/// The write a step makes, exactly as it will be sent (but for ids that
/// only earlier writes of the same plan can tell).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "kebab-case")]
pub enum Write {
    /// Create or update a saved search with this body.
    SavedSearch {
        /// The request body.
        body: Box<SavedSearch>,
    },
    /// Create or update a dashboard with this body.
    Dashboard {
        /// The request body (an update keeps the ids of tiles and filters
        /// that keep their names).
        body: Box<Dashboard>,
        /// Dashboards its click actions open that this plan creates
        /// earlier, by name: the body names them, and applying puts the
        /// ids their creation returns in their place.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        links: Vec<String>,
    },
    /// Create or update an alert with this body.
    Alert {
        /// The request body.
        body: Box<Alert>,
        /// References to resources this plan writes before the alert:
        /// their ids are those the writes return.
        after: AfterWrites,
    },
    /// Delete the resource.
    Delete,
}

/// The references of an alert to what the same plan creates or updates
/// first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AfterWrites {
    /// The saved search of this name, written earlier in the plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved_search: Option<String>,
    /// The dashboard of this name, written earlier in the plan...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dashboard: Option<String>,
    /// ...and its tile of this name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tile: Option<String>,
}

impl AfterWrites {
    /// Whether nothing waits on an earlier write.
    pub fn is_empty(&self) -> bool {
        self.saved_search.is_none() && self.dashboard.is_none()
    }
}

/// One resource of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Its kind.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// What happens to it.
    pub action: Action,
    /// Its id on the target (none for a creation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The field-level changes from the target's to the document's, in
    /// normal form (every field of the document for a creation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<FieldChange>,
    /// The write (none when unchanged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write: Option<Write>,
}

/// How a resource the plan relies on must still be when it is applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "expect", rename_all = "kebab-case")]
pub enum Expect {
    /// No resource of this kind has this name (the plan creates one).
    Absent,
    /// The resource of this id was last changed at `updated_at` (the
    /// server's own timestamp).
    UpdatedAt {
        /// The server's `updatedAt`.
        updated_at: String,
    },
    /// The resource of this id reads as it did (for kinds without
    /// `updatedAt`: a fingerprint of what the server returned).
    Fingerprint {
        /// A hash of the resource's JSON, keys sorted.
        fingerprint: String,
    },
}

/// A resource the plan writes or relies on, as the plan saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Precondition {
    /// Its kind.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// Its id (none for [`Expect::Absent`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What must still hold.
    #[serde(flatten)]
    pub expect: Expect,
}

/// The version of a plan file.
pub const PLAN_FORMAT: u32 = 1;

/// What applying documents to one target does: every resource with its
/// action and field-level changes, the writes in the order they are made,
/// and what the target must still look like when the plan is applied.
///
/// A plan is saved and reloaded as JSON ([`Plan::to_json`],
/// [`Plan::from_json`]), so that the plan reviewed on a pull request is
/// the plan applied on merge; applying refuses a plan made for another
/// target, or one the target has moved past.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The plan file's format ([`PLAN_FORMAT`]).
    pub format: u32,
    /// The backend it was made for.
    pub backend: BackendKind,
    /// The target it was made for (its API URL, and for Cloud the
    /// organization and service).
    pub target: String,
    /// Every resource, in the order the writes are made: saved searches,
    /// dashboards and alerts created or updated, then deletes (alerts
    /// first); unchanged ones are listed too.
    pub steps: Vec<Step>,
    /// What must still hold when the plan is applied.
    pub preconditions: Vec<Precondition>,
    /// What is worth knowing but changes nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Counts of a plan's steps by action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// To create.
    pub create: usize,
    /// To update.
    pub update: usize,
    /// To delete.
    pub delete: usize,
    /// Unchanged.
    pub unchanged: usize,
}

impl Plan {
    /// Whether applying would write anything.
    pub fn has_changes(&self) -> bool {
        self.steps.iter().any(|s| s.action != Action::Unchanged)
    }

    /// The steps that write, in order.
    pub fn writes(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| s.write.is_some())
    }

    /// Counts by action.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for step in &self.steps {
            match step.action {
                Action::Create => s.create += 1,
                Action::Update => s.update += 1,
                Action::Delete => s.delete += 1,
                Action::Unchanged => s.unchanged += 1,
            }
        }
        s
    }

    /// The plan as pretty JSON, to save.
    pub fn to_json(&self) -> crate::Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| crate::Error::InvalidInput(e.to_string()))
    }

    /// A plan saved with [`Plan::to_json`], naming the failing field; a
    /// plan of another format is refused.
    pub fn from_json(text: &str) -> crate::Result<Plan> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let plan: Plan = serde_path_to_error::deserialize(de).map_err(|e| {
            crate::Error::InvalidInput(format!("not a plan file: at `{}`: {}", e.path(), e.inner()))
        })?;
        if plan.format != PLAN_FORMAT {
            return Err(crate::Error::InvalidInput(format!(
                "a plan file of format {} (this version reads format {PLAN_FORMAT}): plan again",
                plan.format
            )));
        }
        Ok(plan)
    }
}
