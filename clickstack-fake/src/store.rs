//! The fake's in-memory state: one collection of JSON objects per resource
//! kind, shared by both APIs, in creation order, bounded in items and bytes.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// A stored item: a JSON object with a string `id`, in the form the APIs
/// return it.
pub(crate) type Item = Map<String, Value>;

/// A resource kind the store keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// Dashboards.
    Dashboard,
    /// Alerts.
    Alert,
    /// Sources.
    Source,
    /// Webhooks.
    Webhook,
    /// Saved searches.
    SavedSearch,
    /// ClickHouse connections (HyperDX only; sources reference them).
    Connection,
}

/// The store is full: the write would exceed a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoreFull;

/// Every stored resource, keyed by kind.
#[derive(Debug)]
pub(crate) struct Store {
    items: HashMap<Kind, Vec<Item>>,
    bytes: usize,
    max_items: usize,
    max_bytes: usize,
}

/// The approximate size of `item` as JSON.
fn size_of(item: &Item) -> usize {
    serde_json::to_vec(item).map_or(0, |bytes| bytes.len())
}

impl Store {
    /// An empty store with these bounds.
    pub(crate) fn new(max_items: usize, max_bytes: usize) -> Self {
        Store {
            items: HashMap::new(),
            bytes: 0,
            max_items,
            max_bytes,
        }
    }

    /// All items of `kind`, oldest first.
    pub(crate) fn list(&self, kind: Kind) -> &[Item] {
        self.items.get(&kind).map(Vec::as_slice).unwrap_or_default()
    }

    /// The item of `kind` with `id`.
    pub(crate) fn get(&self, kind: Kind, id: &str) -> Option<&Item> {
        self.list(kind)
            .iter()
            .find(|item| item_id(item) == Some(id))
    }

    /// Whether an item of `kind` has `id`.
    pub(crate) fn contains(&self, kind: Kind, id: &str) -> bool {
        self.get(kind, id).is_some()
    }

    /// Appends `item` (which carries its id).
    pub(crate) fn insert(&mut self, kind: Kind, item: Item) -> Result<(), StoreFull> {
        let size = size_of(&item);
        if self.list(kind).len() >= self.max_items
            || self.bytes.saturating_add(size) > self.max_bytes
        {
            return Err(StoreFull);
        }
        self.bytes += size;
        self.items.entry(kind).or_default().push(item);
        Ok(())
    }

    /// Replaces the item with `id` in place; `Ok(false)` when there is none.
    pub(crate) fn replace(&mut self, kind: Kind, id: &str, item: Item) -> Result<bool, StoreFull> {
        let size = size_of(&item);
        let Some(slot) = self
            .items
            .get_mut(&kind)
            .and_then(|items| items.iter_mut().find(|i| item_id(i) == Some(id)))
        else {
            return Ok(false);
        };
        let old = size_of(slot);
        let bytes = self.bytes.saturating_sub(old).saturating_add(size);
        if bytes > self.max_bytes {
            return Err(StoreFull);
        }
        self.bytes = bytes;
        *slot = item;
        Ok(true)
    }

    /// Removes every item of `kind` matching `predicate`; how many.
    pub(crate) fn remove_where(&mut self, kind: Kind, predicate: impl Fn(&Item) -> bool) -> usize {
        let Some(items) = self.items.get_mut(&kind) else {
            return 0;
        };
        let mut freed = 0;
        let before = items.len();
        items.retain(|item| {
            let gone = predicate(item);
            if gone {
                freed += size_of(item);
            }
            !gone
        });
        self.bytes = self.bytes.saturating_sub(freed);
        before - items.len()
    }
}

/// The `id` of a stored item.
pub(crate) fn item_id(item: &Item) -> Option<&str> {
    item.get("id").and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Item {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn crud() {
        let mut store = Store::new(10, 1 << 20);
        store
            .insert(Kind::Alert, object(json!({"id": "a", "n": 1})))
            .unwrap();
        store
            .insert(Kind::Alert, object(json!({"id": "b"})))
            .unwrap();
        assert_eq!(store.list(Kind::Alert).len(), 2);
        assert!(store.list(Kind::Dashboard).is_empty());
        assert_eq!(
            store.replace(Kind::Alert, "a", object(json!({"id": "a", "n": 2}))),
            Ok(true)
        );
        assert_eq!(
            store.get(Kind::Alert, "a").and_then(|a| a.get("n")),
            Some(&json!(2))
        );
        let is_a = |item: &Item| item_id(item) == Some("a");
        assert_eq!(store.remove_where(Kind::Alert, is_a), 1);
        assert_eq!(store.remove_where(Kind::Alert, is_a), 0);
        assert!(!store.contains(Kind::Alert, "a"));
    }

    #[test]
    fn bounded() {
        let mut store = Store::new(1, 1 << 20);
        store
            .insert(Kind::Alert, object(json!({"id": "a"})))
            .unwrap();
        assert_eq!(
            store.insert(Kind::Alert, object(json!({"id": "b"}))),
            Err(StoreFull)
        );
        let mut small = Store::new(10, 20);
        assert_eq!(
            small.insert(Kind::Alert, object(json!({"id": "a", "x": "0123456789"}))),
            Err(StoreFull)
        );
        small
            .insert(Kind::Alert, object(json!({"id": "a"})))
            .unwrap();
        assert_eq!(small.remove_where(Kind::Alert, |_| true), 1);
        assert_eq!(small.bytes, 0);
    }
}
