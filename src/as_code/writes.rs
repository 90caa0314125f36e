//! The bodies of writes: dashboard updates that keep the ids of what keeps
//! its name.

use std::collections::HashSet;

use crate::model::Dashboard;

/// The document to send as an update of `current`: tiles and filters
/// without an id take the id of a same-named one of `current` (each id used
/// once), so alerts on tiles stay attached; filters left without one get a
/// fresh id (an update must carry filter ids).
pub(crate) fn keep_ids(wanted: &Dashboard, current: &Dashboard) -> Dashboard {
    let mut wanted = wanted.clone();
    let mut claimed = HashSet::new();
    for tile in wanted.tiles.iter_mut().flatten().filter(|t| t.id.is_none()) {
        tile.id = current
            .tiles()
            .iter()
            .filter(|old| old.name == tile.name)
            .filter_map(|old| old.id.clone())
            .find(|id| claimed.insert(id.clone()));
    }
    let old_filters: Vec<(String, String)> = current
        .filters
        .iter()
        .flatten()
        .filter_map(|f| Some((f.name.clone(), f.id.clone()?)))
        .collect();
    for filter in wanted
        .filters
        .iter_mut()
        .flatten()
        .filter(|f| f.id.is_none())
    {
        filter.id = Some(
            old_filters
                .iter()
                .filter(|(name, _)| *name == filter.name)
                .map(|(_, id)| id.clone())
                .find(|id| claimed.insert(id.clone()))
                .unwrap_or_else(new_object_id),
        );
    }
    wanted
}

/// A fresh 24-hex-digit id in the shape of the servers' Mongo `ObjectIds`.
pub(crate) fn new_object_id() -> String {
    format!("{:08x}{:016x}", fastrand::u32(..), fastrand::u64(..))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Filter, Tile, TileConfig};

    #[test]
    fn updates_reuse_ids_once_and_fill_missing_filter_ids() {
        let tile = |id: Option<&str>| Tile {
            id: id.map(str::to_string),
            ..Tile::new("Errors", TileConfig::markdown("x"))
        };
        let mut env = Filter::query_expression("env", "Env", "s");
        env.id = Some("f1".into());
        let current = Dashboard {
            tiles: Some(vec![tile(Some("t1")), tile(Some("t2"))]),
            filters: Some(vec![env]),
            ..Dashboard::new("d")
        };
        let wanted = Dashboard {
            tiles: Some(vec![tile(None), tile(None), tile(None)]),
            filters: Some(vec![
                Filter::query_expression("env", "Env", "s"),
                Filter::query_expression("region", "Region", "s"),
            ]),
            ..Dashboard::new("d")
        };
        let sent = keep_ids(&wanted, &current);
        let ids: Vec<_> = sent.tiles().iter().map(|t| t.id.clone()).collect();
        assert_eq!(ids, vec![Some("t1".into()), Some("t2".into()), None]);
        let filters = sent.filters.unwrap();
        assert_eq!(filters[0].id.as_deref(), Some("f1"));
        let fresh = filters[1].id.as_deref().unwrap();
        assert_eq!(fresh.len(), 24);
        assert!(fresh.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
