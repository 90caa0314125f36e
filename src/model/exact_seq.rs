//! Arrays decoded into `Vec`s with no spare capacity.
//!
//! JSON gives no length before an array ends, so serde's own `Vec` decoder
//! grows by doubling from four: a dashboard's one filter then holds room
//! for four, its five tiles room for eight. In a large list that slack
//! outweighs the data. [`ExactSeq`] collects up to eight elements on the
//! stack and allocates once, at the exact length; a longer array grows by
//! doubling and is trimmed to its length at its end.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Elements collected on the stack before the first allocation.
const ON_STACK: usize = 8;

/// A field type decoded from a JSON array without spare capacity: `Vec<T>`
/// and `Option<Vec<T>>` (where `null` is `None`).
pub(crate) trait ExactSeq<'de>: Sized {
    /// Decodes the value.
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

impl<'de, T: Deserialize<'de>> ExactSeq<'de> for Vec<T> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(ExactVecVisitor(PhantomData))
    }
}

impl<'de, T: Deserialize<'de>> ExactSeq<'de> for Option<Vec<T>> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(OptionVisitor(PhantomData))
    }
}

/// Decodes the next map value into `slot` as an [`ExactSeq`]; a field sent
/// twice is an error, as with serde's derive.
pub(crate) fn set_seq<'de, T: ExactSeq<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    wire: &'static str,
    map: &mut A,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(wire));
    }
    *slot = Some(map.next_value_seed(Seed(PhantomData))?);
    Ok(())
}

/// [`ExactSeq::decode`] as a seed, for `MapAccess::next_value_seed`.
struct Seed<T>(PhantomData<fn() -> T>);

impl<'de, T: ExactSeq<'de>> DeserializeSeed<'de> for Seed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::decode(deserializer)
    }
}

struct ExactVecVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ExactVecVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Vec<T>, S::Error> {
        let mut first: [Option<T>; ON_STACK] = std::array::from_fn(|_| None);
        let mut len = 0;
        for slot in &mut first {
            match seq.next_element()? {
                Some(element) => {
                    *slot = Some(element);
                    len += 1;
                }
                None => {
                    let mut exact = Vec::with_capacity(len);
                    exact.extend(first.iter_mut().map_while(Option::take));
                    return Ok(exact);
                }
            }
        }
        let Some(next) = seq.next_element()? else {
            let mut exact = Vec::with_capacity(ON_STACK);
            exact.extend(first.iter_mut().map_while(Option::take));
            return Ok(exact);
        };
        let mut long = Vec::with_capacity(ON_STACK * 2);
        long.extend(first.iter_mut().map_while(Option::take));
        long.push(next);
        while let Some(element) = seq.next_element()? {
            long.push(element);
        }
        long.shrink_to_fit();
        Ok(long)
    }
}

struct OptionVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Vec::<T>::decode(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode<T: for<'de> ExactSeq<'de>>(json: &str) -> Result<T, serde_json::Error> {
        T::decode(&mut serde_json::Deserializer::from_str(json))
    }

    #[test]
    fn arrays_of_every_length_decode_in_order_without_spare_capacity() {
        for len in [0, 1, 2, 7, 8, 9, 16, 17, 100] {
            let expected: Vec<u32> = (0..len).collect();
            let json = serde_json::to_string(&expected).unwrap();
            let decoded: Vec<u32> = decode(&json).unwrap();
            assert_eq!(decoded, expected);
            assert_eq!(decoded.capacity(), decoded.len(), "length {len}");
            let some: Option<Vec<u32>> = decode(&json).unwrap();
            assert_eq!(
                some.map(|v| (v.len(), v.capacity())),
                Some((len as usize, len as usize))
            );
        }
        assert_eq!(decode::<Option<Vec<u32>>>("null").unwrap(), None);
    }

    #[test]
    fn dashboards_hold_no_spare_capacity() {
        use crate::model::{Dashboard, TileConfig};
        let tile = |i: u32| {
            serde_json::json!({"id": format!("t{i}"), "name": "n", "x": 0, "y": 0, "w": 1, "h": 1,
                "config": {"displayType": "line", "sourceId": "s",
                           "select": [{"aggFn": "count"}], "formulas": [{"expression": "a"}]}})
        };
        let json = serde_json::json!({
            "id": "d", "name": "n", "tags": ["a", "b"],
            "tiles": (0..5).map(tile).collect::<Vec<_>>(),
            "filters": [{"type": "QUERY_EXPRESSION", "name": "f", "options": ["x"]}],
            "containers": [{"id": "c", "title": "", "tabs": [{"id": "t", "title": ""}]}],
            "savedFilterValues": [{"type": "sql", "condition": "c", "values": ["v"]}],
        });
        // From text: a `Value` would tell serde each array's length.
        let d: Dashboard = serde_json::from_str(&json.to_string()).unwrap();
        let exact = |what: &str, len: usize, capacity: usize| {
            assert_eq!((len, capacity), (len, len), "{what}");
        };
        exact("tiles", d.tiles.len(), d.tiles.capacity());
        let tags = d.tags.as_ref().unwrap();
        exact("tags", tags.len(), tags.capacity());
        let filters = d.filters.as_ref().unwrap();
        exact("filters", filters.len(), filters.capacity());
        let options = filters[0].more.options.as_ref().unwrap();
        exact("filter options", options.len(), options.capacity());
        let containers = d.containers.as_ref().unwrap();
        exact("containers", containers.len(), containers.capacity());
        let tabs = containers[0].tabs.as_ref().unwrap();
        exact("tabs", tabs.len(), tabs.capacity());
        let saved = d.saved_filter_values.as_ref().unwrap();
        exact("saved filter values", saved.len(), saved.capacity());
        let values = saved[0].values.as_ref().unwrap();
        exact("saved filter value values", values.len(), values.capacity());
        for tile in &d.tiles {
            let Some(TileConfig::Line(chart)) = &tile.config else {
                panic!("{:?}", tile.config)
            };
            let select = chart.select.as_ref().unwrap();
            exact("select", select.len(), select.capacity());
            let formulas = chart.more.formulas.as_ref().unwrap();
            exact("formulas", formulas.len(), formulas.capacity());
        }
    }

    #[test]
    fn bad_elements_and_non_arrays_are_errors() {
        for bad in ["[1, \"x\"]", "{}", "3", "[1,"] {
            assert!(decode::<Vec<u32>>(bad).is_err(), "{bad}");
            assert!(decode::<Option<Vec<u32>>>(bad).is_err(), "{bad}");
        }
        assert!(decode::<Vec<u32>>("null").is_err());
    }
}
