//! Lists decoded at their exact length.
//!
//! serde grows a `Vec` by doubling from a capacity of four, and a
//! dashboard holds many short lists (one or two series per chart, a tag or
//! two): without trimming, a decoded list of dashboards would hold several
//! times the memory its items need. The public fields stay plain
//! `Option<Vec<T>>`; only their decoding trims the spare capacity.

use serde::{Deserialize, Deserializer};

/// Decodes an optional list and drops its spare capacity.
pub(crate) fn list<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut list = Option::<Vec<T>>::deserialize(deserializer)?;
    if let Some(items) = &mut list {
        items.shrink_to_fit();
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Lists {
        #[serde(default, deserialize_with = "super::list")]
        one: Option<Vec<u64>>,
        #[serde(default, deserialize_with = "super::list")]
        absent: Option<Vec<u64>>,
    }

    #[test]
    fn lists_hold_no_spare_capacity() {
        let lists: Lists = serde_json::from_str(r#"{"one": [7]}"#).unwrap();
        let one = lists.one.unwrap();
        assert_eq!((one.len(), one.capacity()), (1, 1));
        assert!(lists.absent.is_none());
        let null: Lists = serde_json::from_str(r#"{"one": null}"#).unwrap();
        assert!(null.one.is_none());
    }
}
