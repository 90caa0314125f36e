//! Source ids between deployments: documents keep the ids of the
//! deployment they were exported from, sources.yaml names them, and the
//! target's sources of the same names take their place.

use std::collections::{BTreeMap, HashMap};

use clickstack::{Dashboard, Source};

use crate::layout::SourcesFile;

/// One use of a source id by a document.
#[derive(Debug, Clone)]
pub(crate) struct SourceUse {
    /// The id in the document.
    pub(crate) id: String,
    /// Who uses it (`dashboard "X" (dashboards/x.yaml)`).
    pub(crate) user: String,
}

/// Every source id a dashboard uses: tiles (unknown kinds included),
/// filters, the sources filters apply to, and the searches table rows open.
pub(crate) fn dashboard_source_ids(dashboard: &Dashboard) -> Vec<String> {
    dashboard.source_ids()
}

/// Replaces every source id of a dashboard found in `map`.
pub(crate) fn map_dashboard_sources(dashboard: &mut Dashboard, map: &HashMap<String, String>) {
    dashboard.map_source_ids(|id| map.get(id).cloned());
}

/// Lists at most three users, then how many more.
fn users(list: &[&str]) -> String {
    let mut shown: Vec<&str> = list.iter().take(3).copied().collect();
    shown.dedup();
    let mut text = shown.join(", ");
    if list.len() > 3 {
        text.push_str(&format!(" and {} more", list.len() - 3));
    }
    text
}

/// Maps every used source id to the target's: through sources.yaml by
/// name (and kind), or unchanged when the target has that id and
/// sources.yaml does not name it. Fails with every source it cannot map.
pub(crate) fn map_sources(
    uses: &[SourceUse],
    file: &SourcesFile,
    sources_file_name: &str,
    target: &[Source],
    api: &str,
) -> Result<HashMap<String, String>, Vec<String>> {
    let mut by_id: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for u in uses {
        by_id
            .entry(u.id.as_str())
            .or_default()
            .push(u.user.as_str());
    }
    let mut map = HashMap::new();
    let mut problems = Vec::new();
    for (id, used_by) in by_id {
        let Some(entry) = file.sources.get(id) else {
            if target.iter().any(|s| s.id.as_deref() == Some(id)) {
                map.insert(id.to_string(), id.to_string());
            } else {
                problems.push(format!(
                    "source id {id} (used by {}) is not in {sources_file_name} and the {api} target has no \
                     source with that id: add `{id}: {{name: <source name>, kind: <kind>}}` under `sources:` \
                     in {sources_file_name}, or export again",
                    users(&used_by)
                ));
            }
            continue;
        };
        let named: Vec<&Source> = target.iter().filter(|s| s.name == entry.name).collect();
        match named.as_slice() {
            [] => problems.push(format!(
                "source {:?} ({}) is missing on the {api} target (used by {}): create a {} source named \
                 {:?} there, or change its name in {sources_file_name} to one the target has",
                entry.name,
                entry.kind,
                users(&used_by),
                entry.kind,
                entry.name
            )),
            [one] if one.kind.as_str() != entry.kind => problems.push(format!(
                "source {:?} is a {} source in {sources_file_name} but a {} source on the {api} target \
                 (used by {}): give the target's source another name, or fix {sources_file_name}",
                entry.name,
                entry.kind,
                one.kind.as_str(),
                users(&used_by)
            )),
            [one] => match &one.id {
                Some(target_id) => {
                    map.insert(id.to_string(), target_id.clone());
                }
                None => problems.push(format!(
                    "the {api} target listed source {:?} without an id",
                    entry.name
                )),
            },
            several => problems.push(format!(
                "the {api} target has {} sources named {:?} (used by {}): rename all but one so the name \
                 picks one source",
                several.len(),
                entry.name,
                users(&used_by)
            )),
        }
    }
    if problems.is_empty() {
        Ok(map)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::SourceEntry;
    use serde_json::json;

    fn source(id: &str, name: &str, kind: &str) -> Source {
        serde_json::from_value(json!({
            "id": id, "name": name, "kind": kind, "connection": "c",
            "from": {"databaseName": "default", "tableName": "otel_logs"}
        }))
        .unwrap()
    }

    #[test]
    fn ids_map_by_name() {
        let file = SourcesFile {
            sources: BTreeMap::from([(
                "old".to_string(),
                SourceEntry {
                    name: "Logs".into(),
                    kind: "log".into(),
                },
            )]),
        };
        let uses = |id: &str| {
            vec![SourceUse {
                id: id.into(),
                user: "dashboard \"D\" (dashboards/d.yaml)".into(),
            }]
        };
        let target = [
            source("new", "Logs", "log"),
            source("t1", "Traces", "trace"),
        ];
        let map = map_sources(&uses("old"), &file, "sources.yaml", &target, "Cloud").unwrap();
        assert_eq!(map["old"], "new");
        // An id sources.yaml does not name stays when the target has it.
        let map = map_sources(&uses("t1"), &file, "sources.yaml", &target, "Cloud").unwrap();
        assert_eq!(map["t1"], "t1");
        let missing =
            map_sources(&uses("old"), &file, "sources.yaml", &target[1..], "Cloud").unwrap_err();
        assert!(
            missing[0].contains("source \"Logs\" (log) is missing on the Cloud target"),
            "{missing:?}"
        );
        assert!(missing[0].contains("dashboards/d.yaml"));
        let wrong_kind = [source("x", "Logs", "trace")];
        let err =
            map_sources(&uses("old"), &file, "sources.yaml", &wrong_kind, "Cloud").unwrap_err();
        assert!(
            err[0].contains("a trace source on the Cloud target"),
            "{err:?}"
        );
        let twice = [source("a", "Logs", "log"), source("b", "Logs", "log")];
        let err = map_sources(&uses("old"), &file, "sources.yaml", &twice, "Cloud").unwrap_err();
        assert!(err[0].contains("has 2 sources named"), "{err:?}");
        let err = map_sources(&uses("zzz"), &file, "sources.yaml", &target, "Cloud").unwrap_err();
        assert!(err[0].contains("source id zzz"), "{err:?}");
    }
}
