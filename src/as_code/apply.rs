//! Applying a plan: exactly its writes, in its order, after checking that
//! the target has not moved past it.

use std::collections::{BTreeSet, HashMap};

use super::plan::{Action, Expect, Kind, Plan, Precondition, Step, Write};
use super::references::tiles_named;
use super::state::{State, by_id, named};
use super::version::version_of;
use crate::client::Client;
use crate::error::Error;
use crate::field::Field;
use crate::model::{Alert, Dashboard, SavedSearch};

/// What a write stored, as the server answered it.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    /// A saved search.
    SavedSearch(Box<SavedSearch>),
    /// A dashboard (with the ids of its tiles).
    Dashboard(Box<Dashboard>),
    /// An alert.
    Alert(Box<Alert>),
    /// A deletion.
    Deleted,
}

/// One step of a plan, done.
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    /// Its kind.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// What was done.
    pub action: Action,
    /// Its id on the target (of the resource created, updated or deleted).
    pub id: Option<String>,
    /// What the server stored.
    pub written: Written,
}

/// What applying a plan did: each write, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplyReport {
    /// The writes made.
    pub done: Vec<Done>,
}

impl ApplyReport {
    /// How many resources were created, updated and deleted.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |action| self.done.iter().filter(|d| d.action == action).count();
        (
            count(Action::Create),
            count(Action::Update),
            count(Action::Delete),
        )
    }
}

/// A resource that changed on the target since the plan was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// Its kind.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// Its id (none for one created since).
    pub id: Option<String>,
    /// What changed.
    pub what: String,
}

impl std::fmt::Display for Moved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {:?}", self.kind, self.name)?;
        if let Some(id) = &self.id {
            write!(f, " ({id})")?;
        }
        write!(f, " {}", self.what)
    }
}

/// Why a plan was not applied, or not applied whole.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApplyError {
    /// The plan was made for another backend or target; nothing was
    /// written.
    #[error("this plan was made for {planned}, not for {target}: nothing was changed")]
    WrongTarget {
        /// The target the plan names.
        planned: String,
        /// This client's target.
        target: String,
    },
    /// The target changed since the plan was made; nothing was written.
    #[error("the target changed since this plan was made, so it was not applied (nothing was changed); plan again:{}", moved.iter().map(|m| format!("\n  - {m}")).collect::<String>())]
    Stale {
        /// What changed.
        moved: Vec<Moved>,
    },
    /// The target could not be read to check the plan; nothing was
    /// written.
    #[error("cannot read the target to check the plan (nothing was changed): {0}")]
    Check(#[source] Error),
    /// A write failed: the writes before it were made, the rest were not.
    #[error("apply stopped at {kind} {name:?}: {error} ({} write{} made before it; plan again to see what is left)", done.len(), if done.len() == 1 { " was" } else { "s were" })]
    Stopped {
        /// The kind of the failed write.
        kind: Kind,
        /// Its name.
        name: String,
        /// Why it failed.
        #[source]
        error: Error,
        /// The writes made before it.
        done: Vec<Done>,
    },
}

/// What of `plan`'s preconditions no longer holds on `state`.
pub(crate) fn moved(plan: &Plan, state: &State) -> Vec<Moved> {
    plan.preconditions
        .iter()
        .filter_map(|p| {
            check(p, state).map(|what| Moved {
                kind: p.kind,
                name: p.name.clone(),
                id: p.id.clone(),
                what,
            })
        })
        .collect()
}

/// Why `precondition` fails on `state`, if it does.
fn check(precondition: &Precondition, state: &State) -> Option<String> {
    let kind = precondition.kind;
    let undecodable = state.undecodable(kind);
    match (&precondition.expect, &precondition.id) {
        (Expect::Absent, _) => {
            let found = match kind {
                Kind::Dashboard => named(&state.dashboards.items, &precondition.name).len(),
                Kind::SavedSearch => named(&state.saved_searches.items, &precondition.name).len(),
                Kind::Alert => named(&state.alerts.items, &precondition.name).len(),
                Kind::Webhook => named(&state.webhooks.items, &precondition.name).len(),
                Kind::Source => named(&state.sources.items, &precondition.name).len(),
                Kind::Connection => named(&state.connections.items, &precondition.name).len(),
            } + undecodable
                .iter()
                .filter(|u| {
                    u.name
                        .as_deref()
                        .is_some_and(|n| super::state::same_name(n, &precondition.name))
                })
                .count();
            (found > 0).then(|| {
                "was created on the target since the plan, which would create it again".to_string()
            })
        }
        (expected, Some(id)) => {
            let current = match kind {
                Kind::Dashboard => by_id(&state.dashboards.items, id).map(version_of),
                Kind::SavedSearch => by_id(&state.saved_searches.items, id).map(version_of),
                Kind::Alert => by_id(&state.alerts.items, id).map(version_of),
                Kind::Webhook => by_id(&state.webhooks.items, id).map(version_of),
                Kind::Source => by_id(&state.sources.items, id).map(version_of),
                Kind::Connection => by_id(&state.connections.items, id).map(version_of),
            };
            match current {
                None if undecodable
                    .iter()
                    .any(|u| u.id.as_deref() == Some(id.as_str())) =>
                {
                    Some("no longer decodes".into())
                }
                None => Some("was deleted since the plan".into()),
                Some(current) if &current != expected => Some("changed since the plan".into()),
                Some(_) => None,
            }
        }
        (_, None) => Some("is in the plan without an id".into()),
    }
}

/// Ids the plan's writes return, for the alerts that wait on them.
#[derive(Default)]
struct Ids {
    saved_searches: HashMap<String, String>,
    dashboards: HashMap<String, Dashboard>,
}

impl Ids {
    /// The body of a dashboard whose click actions open dashboards
    /// written earlier (by name): their ids in place of the names.
    fn link(&self, body: &Dashboard, links: &[String]) -> Result<Dashboard, Error> {
        let mut body = body.clone();
        for name in links {
            if !self.dashboards.contains_key(name.trim()) {
                return Err(Error::InvalidInput(format!(
                    "dashboard {name:?} was not written before the dashboard that opens it"
                )));
            }
        }
        body.map_linked_dashboards(|target| {
            links
                .iter()
                .find(|name| super::state::same_name(name, target))
                .and_then(|name| self.dashboards.get(name.trim()))
                .and_then(|written| written.id.clone())
        });
        Ok(body)
    }

    /// The body of an alert whose references wait on earlier writes.
    fn resolve(&self, body: &Alert, after: &super::plan::AfterWrites) -> Result<Alert, Error> {
        let mut body = body.clone();
        let missing = |what: String| {
            Error::InvalidInput(format!(
                "{what} was not written before the alert that refers to it"
            ))
        };
        if let Some(name) = &after.saved_search {
            let id = self
                .saved_searches
                .get(name.trim())
                .ok_or_else(|| missing(format!("saved search {name:?}")))?;
            body.saved_search_id = Field::Value(id.clone());
        }
        if let Some(name) = &after.dashboard {
            let dashboard = self
                .dashboards
                .get(name.trim())
                .ok_or_else(|| missing(format!("dashboard {name:?}")))?;
            body.dashboard_id = Field::Value(dashboard.id.clone().unwrap_or_default());
            if let Some(tile) = &after.tile {
                let tile_id = tiles_named(dashboard, tile)
                    .first()
                    .and_then(|t| t.id.clone())
                    .ok_or_else(|| {
                        Error::InvalidInput(format!(
                            "dashboard {name:?} as stored has no tile named {tile:?}"
                        ))
                    })?;
                body.tile_id = Field::Value(tile_id);
            }
        }
        Ok(body)
    }
}

impl Client {
    /// Plans making this client's target match `documents`: fetches what
    /// the target holds (one list per kind needed), then plans
    /// ([`plan`](super::plan)). Nothing is written.
    pub async fn plan(
        &self,
        documents: &super::Documents,
        options: &super::PlanOptions,
    ) -> Result<Plan, super::PlanningError> {
        let kinds = super::planner::kinds_needed(documents, options);
        let state = self
            .fetch_state(&kinds)
            .await
            .map_err(super::PlanningError::Fetch)?;
        super::plan(documents, &state, options).map_err(super::PlanningError::Problems)
    }

    /// Applies `plan`, made by [`Client::plan`] (or saved with
    /// [`Plan::to_json`] and reloaded), and nothing else.
    ///
    /// First it re-reads what the plan relies on (one list per kind) and
    /// refuses, writing nothing, a plan made for another target or one
    /// the target has moved past: a resource it updates, deletes or refers
    /// to that changed (by the server's `updatedAt` where it has one, by
    /// its content where not), or a resource it creates that appeared.
    /// Then it writes in the plan's order: saved searches and dashboards
    /// before the alerts on them, deletes last. The check and the writes
    /// are not atomic: a change made between them is not seen.
    pub async fn apply(&self, plan: &Plan) -> Result<ApplyReport, ApplyError> {
        self.apply_with(plan, |_| {}).await
    }

    /// [`Client::apply`], calling `on_done` after each write (to report
    /// progress).
    pub async fn apply_with(
        &self,
        plan: &Plan,
        mut on_done: impl FnMut(&Done),
    ) -> Result<ApplyReport, ApplyError> {
        if plan.backend != self.backend() || plan.target != self.target() {
            return Err(ApplyError::WrongTarget {
                planned: plan.target.clone(),
                target: self.target(),
            });
        }
        let kinds: BTreeSet<Kind> = plan.preconditions.iter().map(|p| p.kind).collect();
        if !kinds.is_empty() {
            let state = self.fetch_state(&kinds).await.map_err(ApplyError::Check)?;
            let moved = moved(plan, &state);
            if !moved.is_empty() {
                return Err(ApplyError::Stale { moved });
            }
        }
        let mut ids = Ids::default();
        let mut report = ApplyReport::default();
        for step in plan.writes() {
            match self.write(step, &ids).await {
                Ok(done) => {
                    match &done.written {
                        Written::SavedSearch(search) => {
                            if let Some(id) = &search.id {
                                ids.saved_searches
                                    .insert(step.name.trim().to_string(), id.clone());
                            }
                        }
                        Written::Dashboard(dashboard) => {
                            ids.dashboards
                                .insert(step.name.trim().to_string(), (**dashboard).clone());
                        }
                        Written::Alert(_) | Written::Deleted => {}
                    }
                    on_done(&done);
                    report.done.push(done);
                }
                Err(error) => {
                    return Err(ApplyError::Stopped {
                        kind: step.kind,
                        name: step.name.clone(),
                        error,
                        done: report.done,
                    });
                }
            }
        }
        Ok(report)
    }

    /// Makes one step's write.
    async fn write(&self, step: &Step, ids: &Ids) -> Result<Done, Error> {
        let done = |id: Option<String>, written: Written| Done {
            kind: step.kind,
            name: step.name.clone(),
            action: step.action,
            id,
            written,
        };
        let Some(write) = &step.write else {
            return Ok(done(step.id.clone(), Written::Deleted));
        };
        let update_id = || {
            step.id.clone().ok_or_else(|| {
                Error::InvalidInput(format!(
                    "the plan updates {} {:?} without its id",
                    step.kind, step.name
                ))
            })
        };
        Ok(match write {
            Write::SavedSearch { body } => {
                let stored = match step.action {
                    Action::Create => self.saved_searches().create(body).await?,
                    _ => self.saved_searches().update(&update_id()?, body).await?,
                };
                done(stored.id.clone(), Written::SavedSearch(Box::new(stored)))
            }
            Write::Dashboard { body, links } => {
                let linked;
                let body = if links.is_empty() {
                    body
                } else {
                    linked = ids.link(body, links)?;
                    &linked
                };
                let stored = match step.action {
                    Action::Create => self.dashboards().create(body).await?,
                    _ => self.dashboards().update(&update_id()?, body).await?,
                };
                done(stored.id.clone(), Written::Dashboard(Box::new(stored)))
            }
            Write::Alert { body, after } => {
                let body = ids.resolve(body, after)?;
                let stored = match step.action {
                    Action::Create => self.alerts().create(&body).await?,
                    _ => self.alerts().update(&update_id()?, &body).await?,
                };
                done(stored.id.clone(), Written::Alert(Box::new(stored)))
            }
            Write::Delete => {
                let id = update_id()?;
                let result = match step.kind {
                    Kind::Alert => self.alerts().delete(&id).await,
                    Kind::Dashboard => self.dashboards().delete(&id).await,
                    Kind::SavedSearch => self.saved_searches().delete(&id).await,
                    Kind::Webhook | Kind::Source | Kind::Connection => Err(Error::InvalidInput(
                        format!("plans never delete {}s", step.kind),
                    )),
                };
                match result {
                    // Gone already (deleted with its dashboard or saved search).
                    Ok(()) | Err(Error::NotFound(_)) => done(Some(id), Written::Deleted),
                    Err(e) => return Err(e),
                }
            }
        })
    }
}
