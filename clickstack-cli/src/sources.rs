//! Source ids between deployments: documents keep the ids of the
//! deployment they were exported from, sources.yaml names them, and the
//! target's sources of the same names take their place.

use std::collections::{BTreeMap, HashMap};

use clickstack::{ChartConfig, Dashboard, Source, Sparse, TileConfig};
use serde_json::Value;

use crate::layout::SourcesFile;

/// One use of a source id by a document.
#[derive(Debug, Clone)]
pub(crate) struct SourceUse {
    /// The id in the document.
    pub(crate) id: String,
    /// Who uses it (`dashboard "X" (dashboards/x.yaml)`).
    pub(crate) user: String,
}

/// The chart settings of a chart tile, mutably.
fn chart_mut(config: &mut TileConfig) -> Option<&mut ChartConfig> {
    match config {
        TileConfig::Line(c)
        | TileConfig::StackedLine(c)
        | TileConfig::StackedBar(c)
        | TileConfig::Bar(c)
        | TileConfig::Table(c)
        | TileConfig::Number(c)
        | TileConfig::Pie(c) => Some(c),
        _ => None,
    }
}

/// The source id an `onClick` opens a search of (`{type: search, target:
/// {mode: id, id}}`), mutably.
fn on_click_source(on_click: &mut Value) -> Option<&mut String> {
    if on_click.get("type").and_then(Value::as_str) != Some("search") {
        return None;
    }
    let target = on_click.get_mut("target")?;
    if target.get("mode").and_then(Value::as_str) != Some("id") {
        return None;
    }
    match target.get_mut("id")? {
        Value::String(id) => Some(id),
        _ => None,
    }
}

/// Every source id a dashboard uses: tiles (unknown kinds included),
/// filters, the sources filters apply to, and the searches table rows open.
pub(crate) fn dashboard_source_ids(dashboard: &Dashboard) -> Vec<String> {
    let mut ids = dashboard.source_ids();
    let mut dashboard = dashboard.clone();
    for filter in dashboard.filters.iter().flatten() {
        ids.extend(filter.more.applies_to_source_ids.iter().flatten().cloned());
    }
    for tile in &mut dashboard.tiles {
        if let Some(id) = tile
            .config
            .as_mut()
            .and_then(chart_mut)
            .and_then(|c| Sparse::get_mut(&mut c.more))
            .and_then(|more| more.on_click.as_mut())
            .and_then(on_click_source)
        {
            ids.push(id.clone());
        }
    }
    let mut seen = Vec::new();
    ids.retain(|id| {
        let new = !seen.contains(id);
        seen.push(id.clone());
        new
    });
    ids
}

/// Replaces every source id of a dashboard found in `map` (what
/// [`Dashboard::map_source_ids`] does, plus unknown tile kinds and
/// `onClick` searches).
pub(crate) fn map_dashboard_sources(dashboard: &mut Dashboard, map: &HashMap<String, String>) {
    dashboard.map_source_ids(|id| map.get(id).cloned());
    for tile in &mut dashboard.tiles {
        match tile.config.as_mut() {
            Some(TileConfig::Unknown(Value::Object(raw))) => {
                if let Some(Value::String(id)) = raw.get_mut("sourceId")
                    && let Some(new) = map.get(id.as_str())
                {
                    *id = new.clone();
                }
            }
            Some(config) => {
                if let Some(id) = chart_mut(config)
                    .and_then(|c| Sparse::get_mut(&mut c.more))
                    .and_then(|more| more.on_click.as_mut())
                    .and_then(on_click_source)
                    && let Some(new) = map.get(id.as_str())
                {
                    *id = new.clone();
                }
            }
            None => {}
        }
    }
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
    use clickstack::{Filter, Tile};
    use serde_json::json;

    fn source(id: &str, name: &str, kind: &str) -> Source {
        serde_json::from_value(json!({"id": id, "name": name, "kind": kind})).unwrap()
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

    #[test]
    fn every_dashboard_source_is_found_and_mapped() {
        let mut table = ChartConfig::new("a");
        table.more.on_click = Some(json!({"type": "search", "target": {"mode": "id", "id": "b"}}));
        let mut filter = Filter::query_expression("f", "ServiceName", "c");
        filter.more.applies_to_source_ids = Some(vec!["d".into()]);
        let unknown: TileConfig =
            serde_json::from_value(json!({"displayType": "future", "sourceId": "e"})).unwrap();
        let mut dashboard = Dashboard::new("x")
            .tile(Tile::new("t", TileConfig::table(table)))
            .tile(Tile::new("u", unknown))
            .filter(filter);
        assert_eq!(dashboard_source_ids(&dashboard), ["a", "e", "c", "d", "b"]);
        let map: HashMap<String, String> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|s| ((*s).to_string(), s.to_uppercase()))
            .collect();
        map_dashboard_sources(&mut dashboard, &map);
        assert_eq!(dashboard_source_ids(&dashboard), ["A", "E", "C", "D", "B"]);
    }
}
