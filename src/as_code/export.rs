//! Exporting: what a target holds, as documents.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::document::{
    AlertDocument, DashboardDocument, Documents, SavedSearchDocument, SourceRef,
};
use super::normal_form;
use super::plan::Kind;
use super::references::alert_document;
use super::state::State;
use crate::client::Client;
use crate::error::Result;
use crate::model::Resource;

/// What an export gives: the documents, and what is worth knowing about
/// what could not be exported as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// The documents, with the sources they use named.
    pub documents: Documents,
    /// Resources left out (unnamed alerts, items that did not decode),
    /// references kept as ids, sources no one names.
    pub warnings: Vec<String>,
}

/// `value` as `T` through its normal form, or `fallback` when that does
/// not decode.
fn normalized<T: DeserializeOwned>(value: Value, fallback: impl FnOnce() -> T) -> T {
    serde_json::from_value(value).unwrap_or_else(|_| fallback())
}

fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl State {
    /// The documents of what this state holds of `kinds` (of
    /// [`Kind::DOCUMENTS`]): dashboards without ids, saved searches and
    /// alerts without what the server fills in, alerts' references named,
    /// and the sources they use named as the target (else `previous`)
    /// names them.
    pub fn export(&self, kinds: &BTreeSet<Kind>, previous: &BTreeMap<String, SourceRef>) -> Export {
        let mut documents = Documents::default();
        let mut warnings = Vec::new();
        for kind in kinds {
            for item in self.undecodable(*kind) {
                warnings.push(format!("{item}: it is not exported"));
            }
        }
        if kinds.contains(&Kind::Dashboard) {
            documents.dashboards = self
                .dashboards
                .iter()
                .map(DashboardDocument::from_dashboard)
                .collect();
        }
        if kinds.contains(&Kind::SavedSearch) {
            documents.saved_searches = self
                .saved_searches
                .iter()
                .map(|s| {
                    let value = normal_form::saved_search(&to_value(&s.to_create()));
                    SavedSearchDocument::new(normalized(value, || s.clone()))
                })
                .collect();
        }
        if kinds.contains(&Kind::Alert) {
            for alert in &self.alerts {
                let id = alert.id.clone().unwrap_or_default();
                let Some(name) = alert.name().filter(|n| !n.trim().is_empty()) else {
                    warnings.push(format!(
                        "alert {id} has no name and is not exported (alerts are matched by name: give it one)"
                    ));
                    continue;
                };
                let (document, notes) = alert_document(alert, self);
                warnings.extend(
                    notes
                        .into_iter()
                        .map(|note| format!("alert {name:?}: {note}")),
                );
                let value = normal_form::alert(&to_value(&document));
                documents
                    .alerts
                    .push(normalized::<AlertDocument>(value, || document.clone()));
            }
        }
        for (id, users) in documents.name_sources(&self.sources.items, previous) {
            warnings.push(format!(
                "{users} uses source {id}, which the target does not have: it cannot be mapped onto \
                 another deployment (fix the document, or name the source)"
            ));
        }
        Export {
            documents,
            warnings,
        }
    }
}

impl Export {
    /// The kinds an export of `kinds` reads: those, their sources, and
    /// what alerts refer to.
    pub fn reads(kinds: &BTreeSet<Kind>) -> BTreeSet<Kind> {
        let mut needed: BTreeSet<Kind> = kinds.clone();
        needed.insert(Kind::Source);
        if kinds.contains(&Kind::Alert) {
            needed.extend([Kind::Dashboard, Kind::SavedSearch, Kind::Webhook]);
        }
        needed
    }
}

impl Client {
    /// Exports what the target holds of `kinds` as documents (see
    /// [`State::export`]), reading one list per kind.
    pub async fn export(
        &self,
        kinds: &BTreeSet<Kind>,
        previous: &BTreeMap<String, SourceRef>,
    ) -> Result<Export> {
        let state = self.fetch_state(&Export::reads(kinds)).await?;
        Ok(state.export(kinds, previous))
    }
}
