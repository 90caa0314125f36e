//! [`Sparse`]: fields that most objects leave unset, boxed only when one
//! is set.
//!
//! A dashboard list is mostly small objects that set a few of their many
//! optional fields. Inline, every unset `Option<String>` still takes 24
//! bytes, so a decoded list was almost three times the size of its JSON.
//! The rarely set fields of a tile, a chart, a series and a filter live in
//! a group of their own (`more`), and unknown fields in `extra`; both take
//! one pointer while unset and are read and written like plain fields.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::LazyLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// A group of fields that is usually unset: while every field is unset it
/// takes one pointer and allocates nothing; the first write allocates it.
///
/// It dereferences to the group, so fields read and write as usual
/// (`tile.more.description`); reading an unset group reads a shared value
/// with every field unset. Equality, `Debug` and serialization see only the
/// fields, never whether the group is allocated.
///
/// A mutable borrow allocates the group, as a write does; to change a field
/// only when the group is set, use [`Sparse::get_mut`]. Like `Rc`'s, the
/// methods of `Sparse` itself are associated functions
/// (`Sparse::is_allocated(&tile.more)`), so they never hide a method of the
/// group.
///
/// ```
/// use clickstack::{Sparse, Tile};
/// let mut tile = Tile::default();
/// assert_eq!(tile.more.description, None);
/// assert!(!Sparse::is_allocated(&tile.more));
/// tile.more.description = Some("What this tile shows".into());
/// assert!(Sparse::is_allocated(&tile.more));
/// assert_eq!(tile.more.description.as_deref(), Some("What this tile shows"));
/// ```
#[derive(Clone, Default)]
pub struct Sparse<T>(Option<Box<T>>);

/// Unknown fields, kept verbatim: a [`Sparse`] JSON object, one pointer
/// while empty. Reads and writes like a `serde_json::Map`.
///
/// ```
/// use clickstack::Dashboard;
/// let dashboard: Dashboard = serde_json::from_str(r#"{"name": "d", "brandNew": 1}"#).unwrap();
/// assert_eq!(dashboard.extra["brandNew"], 1);
/// let mut plain = Dashboard::new("plain");
/// assert!(plain.extra.is_empty());
/// plain.extra.insert("custom".into(), serde_json::json!(true));
/// assert_eq!(serde_json::to_value(&plain).unwrap()["custom"], true);
/// ```
pub type Extra = Sparse<Map<String, Value>>;

mod sealed {
    /// Only this crate's groups are [`super::SparseFields`].
    pub trait Sealed {}
}

/// A group of fields that [`Sparse`] can hold: this crate's `more` groups
/// and `extra`'s map. Sealed: [`unset`](SparseFields::unset) must equal
/// `Default::default()` (what a first write starts from), which the crate
/// guarantees for its own groups.
pub trait SparseFields: Sealed + Default + PartialEq + Send + Sync + 'static {
    /// The group with every field unset, shared by every unset [`Sparse`].
    fn unset() -> &'static Self;

    /// Whether every field is unset.
    fn is_unset(&self) -> bool {
        self == Self::unset()
    }
}

impl<T: SparseFields> Sparse<T> {
    /// Holds `fields`; allocates only when one of them is set.
    pub fn new(fields: T) -> Self {
        if fields.is_unset() {
            Sparse(None)
        } else {
            Sparse(Some(Box::new(fields)))
        }
    }

    /// Whether the group is allocated (a field was set, or the group was
    /// borrowed mutably).
    pub fn is_allocated(this: &Self) -> bool {
        this.0.is_some()
    }

    /// The group, mutably, only when it is allocated: changes fields that
    /// are set without allocating an unset group.
    ///
    /// ```
    /// use clickstack::{Filter, Sparse};
    /// let mut filter = Filter::query_expression("Service", "ServiceName", "source-id");
    /// if let Some(ids) = Sparse::get_mut(&mut filter.more).and_then(|m| m.applies_to_source_ids.as_mut()) {
    ///     ids.clear();
    /// }
    /// assert!(!Sparse::is_allocated(&filter.more));
    /// ```
    pub fn get_mut(this: &mut Self) -> Option<&mut T> {
        this.0.as_deref_mut()
    }

    /// Frees the group when every field is unset again.
    pub fn compact(this: &mut Self) {
        if this.0.as_deref().is_some_and(T::is_unset) {
            this.0 = None;
        }
    }

    /// The fields, by value.
    pub fn into_inner(this: Self) -> T {
        this.0.map(|fields| *fields).unwrap_or_default()
    }
}

impl<T: SparseFields> Deref for Sparse<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.0.as_deref().unwrap_or_else(|| T::unset())
    }
}

impl<T: SparseFields> DerefMut for Sparse<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }
}

impl<T: SparseFields> From<T> for Sparse<T> {
    fn from(fields: T) -> Self {
        Sparse::new(fields)
    }
}

impl<T: SparseFields> PartialEq for Sparse<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: SparseFields + fmt::Debug> fmt::Debug for Sparse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: SparseFields + Serialize> Serialize for Sparse<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de, T: SparseFields + Deserialize<'de>> Deserialize<'de> for Sparse<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Sparse::new)
    }
}

static EMPTY_MAP: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

impl Sealed for Map<String, Value> {}

impl SparseFields for Map<String, Value> {
    fn unset() -> &'static Self {
        &EMPTY_MAP
    }

    fn is_unset(&self) -> bool {
        self.is_empty()
    }
}

/// Implements [`SparseFields`] for groups whose `Default` is all unset.
macro_rules! sparse_fields {
    ($($ty:ty),+ $(,)?) => {$(
        impl $crate::model::sparse::Sealed for $ty {}

        impl $crate::model::sparse::SparseFields for $ty {
            fn unset() -> &'static Self {
                static UNSET: ::std::sync::LazyLock<$ty> =
                    ::std::sync::LazyLock::new(<$ty>::default);
                &UNSET
            }
        }
    )+};
}

pub(crate) use sealed::Sealed;
pub(crate) use sparse_fields;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unset_groups_allocate_nothing_and_compare_by_fields() {
        let mut extra = Extra::default();
        assert!(!Sparse::is_allocated(&extra));
        assert!(extra.is_empty());
        assert_eq!(extra, Extra::new(Map::new()));
        assert!(Sparse::get_mut(&mut extra).is_none());
        assert!(!Sparse::is_allocated(&extra));
        extra.insert("a".into(), json!(1));
        assert!(Sparse::is_allocated(&extra));
        assert_ne!(extra, Extra::default());
        // The map's own methods are not hidden by `Sparse`'s.
        assert_eq!(extra.get_mut("a"), Some(&mut json!(1)));
        extra.remove("a");
        // Allocated but empty equals unset: only the fields count.
        assert_eq!(extra, Extra::default());
        assert_eq!(format!("{extra:?}"), "{}");
        Sparse::compact(&mut extra);
        assert!(!Sparse::is_allocated(&extra));
        let decoded: Extra = serde_json::from_str("{}").unwrap();
        assert!(!Sparse::is_allocated(&decoded));
        let decoded: Extra = serde_json::from_str(r#"{"k": [1]}"#).unwrap();
        assert_eq!(serde_json::to_value(&decoded).unwrap(), json!({"k": [1]}));
        assert_eq!(Sparse::into_inner(decoded)["k"], json!([1]));
    }

    /// The sizes that keep a decoded list under twice its JSON (64-bit):
    /// a field added inline to one of these types shows here first. A tile
    /// holds a `Value` inline (`TileConfig::Unknown`), which is 32 bytes,
    /// or 72 when something in the build enables `serde_json`'s
    /// `preserve_order` (as the workspace's generator does).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn the_shared_types_stay_compact() {
        use crate::model::{ChartConfig, Dashboard, Filter, SelectItem, Tile};
        use std::mem::size_of;
        let value = size_of::<Value>();
        let sizes = [
            ("Dashboard", size_of::<Dashboard>(), 224),
            ("Tile", size_of::<Tile>(), 104 + value),
            ("ChartConfig", size_of::<ChartConfig>(), 152),
            ("SelectItem", size_of::<SelectItem>(), 152),
            ("Filter", size_of::<Filter>(), 136),
            ("Extra", size_of::<Extra>(), 8),
        ];
        for (name, size, most) in sizes {
            assert!(size <= most, "{name} is {size} bytes, more than {most}");
        }
    }

    #[test]
    fn decoding_allocates_a_group_only_when_one_of_its_fields_is_sent() {
        use crate::model::{Dashboard, TileConfig};
        let plain = json!({"name": "d",
            "tiles": [{"name": "t", "x": 0, "y": 0, "w": 1, "h": 1,
                       "config": {"displayType": "line", "sourceId": "s",
                                  "select": [{"aggFn": "count", "where": ""}]}}],
            "filters": [{"type": "QUERY_EXPRESSION", "name": "f", "expression": "e"}]});
        let d: Dashboard = serde_json::from_value(plain.clone()).unwrap();
        let tile = &d.tiles[0];
        let Some(TileConfig::Line(chart)) = &tile.config else {
            panic!("{:?}", tile.config)
        };
        let select = &chart.select.as_ref().unwrap()[0];
        let filter = &d.filters.as_ref().unwrap()[0];
        let allocated = [
            Sparse::is_allocated(&d.extra),
            Sparse::is_allocated(&tile.more),
            Sparse::is_allocated(&tile.extra),
            Sparse::is_allocated(&chart.more),
            Sparse::is_allocated(&chart.extra),
            Sparse::is_allocated(&select.more),
            Sparse::is_allocated(&select.extra),
            Sparse::is_allocated(&filter.more),
            Sparse::is_allocated(&filter.extra),
        ];
        assert_eq!(allocated, [false; 9]);
        assert_eq!(serde_json::to_value(&d).unwrap(), plain);

        // A null is unset, as an absent field is.
        let tile: crate::model::Tile =
            serde_json::from_value(json!({"name": "t", "description": null})).unwrap();
        assert!(!Sparse::is_allocated(&tile.more));

        let rich = json!({"name": "d",
            "tiles": [{"name": "t", "x": 0, "y": 0, "w": 1, "h": 1, "tabId": "tab",
                       "config": {"displayType": "line", "sourceId": "s", "seriesLimit": 3,
                                  "select": [{"aggFn": "sum", "metricName": "m", "valueExpression": "v"}]}}],
            "filters": [{"type": "STATIC_LIST", "name": "f", "options": ["a"]}]});
        let d: Dashboard = serde_json::from_value(rich.clone()).unwrap();
        let tile = &d.tiles[0];
        assert_eq!(tile.more.tab_id.as_deref(), Some("tab"));
        let chart = tile.config.as_ref().and_then(TileConfig::chart).unwrap();
        assert_eq!(chart.more.series_limit, Some(3));
        let select = &chart.select.as_ref().unwrap()[0];
        assert_eq!(select.more.metric_name.as_deref(), Some("m"));
        let filter = &d.filters.as_ref().unwrap()[0];
        assert_eq!(filter.more.options, Some(vec!["a".to_owned()]));
        assert_eq!(serde_json::to_value(&d).unwrap(), rich);
    }
}
