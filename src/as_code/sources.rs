//! Source ids between deployments: documents keep the ids of the
//! deployment they were written for, [`Documents::sources`] names them,
//! and the target's sources of the same names (and kinds) take their
//! place.
//!
//! [`Documents::sources`]: super::Documents::sources

use std::collections::{BTreeMap, HashMap};

use super::document::{Documents, SourceRef};
use super::plan::Kind;
use super::problems::{Problem, users};
use super::state::{State, named_loosely};
use crate::model::Source;

/// Every source id the documents use, with who uses it (in order).
pub(crate) fn uses(documents: &Documents) -> BTreeMap<String, Vec<(Kind, String)>> {
    let mut uses: BTreeMap<String, Vec<(Kind, String)>> = BTreeMap::new();
    let mut add = |id: &str, kind: Kind, name: &str| {
        uses.entry(id.to_string())
            .or_default()
            .push((kind, name.to_string()));
    };
    for dashboard in &documents.dashboards {
        for id in dashboard.0.source_ids() {
            add(&id, Kind::Dashboard, dashboard.name());
        }
    }
    for search in &documents.saved_searches {
        add(&search.0.source_id, Kind::SavedSearch, search.name());
    }
    for alert in &documents.alerts {
        let mut ids = Vec::new();
        if let Some(config) = &alert.alert.chart_config {
            config.for_each_source_id(&mut |id| ids.push(id.to_string()));
        }
        for id in ids {
            add(&id, Kind::Alert, alert.alert_name());
        }
    }
    uses
}

/// Maps every source id the documents use to the target's: by name (and
/// kind) when the documents name the source, unchanged when they do not
/// and the target has that id. Every source that cannot be mapped is a
/// problem.
pub(crate) fn map(
    documents: &Documents,
    state: &State,
) -> Result<HashMap<String, String>, Vec<Problem>> {
    let mut map = HashMap::new();
    let mut problems = Vec::new();
    for (id, used_by) in uses(documents) {
        let problem = |named: Option<&SourceRef>, reason: String| Problem::MissingSource {
            used_by: used_by.clone(),
            id: id.clone(),
            named: named.cloned(),
            reason,
        };
        let Some(entry) = documents.sources.get(&id) else {
            if state
                .sources
                .iter()
                .any(|s| s.id.as_deref() == Some(id.as_str()))
            {
                map.insert(id.clone(), id.clone());
            } else {
                problems.push(problem(
                    None,
                    "the documents do not name it and the target has no source with that id (name it \
                     in the sources of the documents, `<id>: {name: <source name>, kind: <kind>}`, or \
                     export again)"
                        .into(),
                ));
            }
            continue;
        };
        let candidates: Vec<&Source> = named_loosely(&state.sources, &entry.name);
        let kind = entry
            .kind
            .as_ref()
            .map(|k| format!("{k} "))
            .unwrap_or_default();
        match candidates.as_slice() {
            [] => problems.push(problem(
                Some(entry),
                format!(
                    "the target has no source named {:?}: create a {kind}source of that name there, \
                     or name one the target has",
                    entry.name
                ),
            )),
            [one] if entry.kind.as_ref().is_some_and(|k| *k != one.kind) => problems.push(problem(
                Some(entry),
                format!(
                    "the target's source {:?} is a {} source, not a {kind}source",
                    entry.name, one.kind
                ),
            )),
            [one] => match &one.id {
                Some(target_id) => {
                    map.insert(id.clone(), target_id.clone());
                }
                None => problems.push(problem(
                    Some(entry),
                    "the target listed it without an id".into(),
                )),
            },
            several => problems.push(problem(
                Some(entry),
                format!(
                    "the target has {} sources named {:?}: rename all but one",
                    several.len(),
                    entry.name
                ),
            )),
        }
    }
    if problems.is_empty() {
        Ok(map)
    } else {
        Err(problems)
    }
}

/// The sources `documents` use, named as `live` names them (else as
/// `previous` did); and who uses an id neither names.
pub(crate) fn name_sources(
    documents: &Documents,
    live: &[Source],
    previous: &BTreeMap<String, SourceRef>,
) -> (BTreeMap<String, SourceRef>, Vec<(String, String)>) {
    let mut named = BTreeMap::new();
    let mut unknown = Vec::new();
    for (id, used_by) in uses(documents) {
        let found = live
            .iter()
            .find(|s| s.id.as_deref() == Some(id.as_str()))
            .map(|s| SourceRef {
                name: s.name.clone(),
                kind: Some(s.kind.clone()),
            });
        match found.or_else(|| previous.get(&id).cloned()) {
            Some(source) => {
                named.insert(id, source);
            }
            None => unknown.push((id, users(&used_by))),
        }
    }
    (named, unknown)
}
