//! The fake's in-memory state: one collection of JSON objects per
//! resource kind, shared by both APIs, in creation order.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// A ClickStack resource kind both APIs serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// Dashboards (`dashboards`).
    Dashboard,
    /// Alerts (`alerts`).
    Alert,
    /// Sources (`sources`).
    Source,
    /// Webhooks (`webhooks`).
    Webhook,
    /// Saved searches (`saved-searches`).
    SavedSearch,
}

impl Kind {
    /// The kind served under path segment `segment`.
    pub(crate) fn from_segment(segment: &str) -> Option<Kind> {
        match segment {
            "dashboards" => Some(Kind::Dashboard),
            "alerts" => Some(Kind::Alert),
            "sources" => Some(Kind::Source),
            "webhooks" => Some(Kind::Webhook),
            "saved-searches" => Some(Kind::SavedSearch),
            _ => None,
        }
    }

    /// The singular name used in error messages (`Dashboard not found`).
    pub(crate) fn label(self) -> &'static str {
        match self {
            Kind::Dashboard => "Dashboard",
            Kind::Alert => "Alert",
            Kind::Source => "Source",
            Kind::Webhook => "Webhook",
            Kind::SavedSearch => "Saved search",
        }
    }
}

/// Every stored resource, keyed by kind; each item is a JSON object with a
/// string `id`.
#[derive(Debug, Default)]
pub(crate) struct Store {
    items: HashMap<Kind, Vec<Map<String, Value>>>,
}

impl Store {
    /// All items of `kind`, oldest first.
    pub(crate) fn list(&self, kind: Kind) -> &[Map<String, Value>] {
        self.items.get(&kind).map(Vec::as_slice).unwrap_or_default()
    }

    /// The item of `kind` with `id`.
    pub(crate) fn get(&self, kind: Kind, id: &str) -> Option<&Map<String, Value>> {
        self.list(kind)
            .iter()
            .find(|item| item_id(item) == Some(id))
    }

    /// Appends `item` (which carries its id).
    pub(crate) fn insert(&mut self, kind: Kind, item: Map<String, Value>) {
        self.items.entry(kind).or_default().push(item);
    }

    /// Replaces the item with `id` in place; `false` when there is none.
    pub(crate) fn replace(&mut self, kind: Kind, id: &str, item: Map<String, Value>) -> bool {
        let slot = self
            .items
            .get_mut(&kind)
            .and_then(|items| items.iter_mut().find(|i| item_id(i) == Some(id)));
        match slot {
            Some(slot) => {
                *slot = item;
                true
            }
            None => false,
        }
    }

    /// Removes the item with `id`; `false` when there is none.
    pub(crate) fn remove(&mut self, kind: Kind, id: &str) -> bool {
        let Some(items) = self.items.get_mut(&kind) else {
            return false;
        };
        let before = items.len();
        items.retain(|item| item_id(item) != Some(id));
        items.len() != before
    }
}

/// The `id` of a stored item.
fn item_id(item: &Map<String, Value>) -> Option<&str> {
    item.get("id").and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn crud() {
        let mut store = Store::default();
        store.insert(Kind::Alert, object(json!({"id": "a", "n": 1})));
        store.insert(Kind::Alert, object(json!({"id": "b"})));
        assert_eq!(store.list(Kind::Alert).len(), 2);
        assert!(store.list(Kind::Dashboard).is_empty());
        assert!(store.replace(Kind::Alert, "a", object(json!({"id": "a", "n": 2}))));
        assert_eq!(
            store.get(Kind::Alert, "a").and_then(|a| a.get("n")),
            Some(&json!(2))
        );
        assert!(store.remove(Kind::Alert, "a"));
        assert!(!store.remove(Kind::Alert, "a"));
        assert!(store.get(Kind::Alert, "a").is_none());
    }
}
