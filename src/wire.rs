//! The envelopes of both APIs, decoded in the same pass as what they hold.
//!
//! Cloud wraps a result as `{status, requestId, result}`, `HyperDX` as
//! `{data}` or `{data, meta: {total, limit, offset}}`. The envelope key is
//! required: a 200 without it (or a bare array) is a decode error, never
//! an empty list.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Cloud's `{status, requestId, result}`.
#[derive(Debug)]
pub(crate) struct CloudEnvelope<T> {
    pub(crate) result: T,
}

/// `HyperDX`'s `{data, meta?}`.
#[derive(Debug)]
pub(crate) struct OssEnvelope<T> {
    pub(crate) data: T,
    pub(crate) meta: Option<PageMeta>,
}

/// `HyperDX`'s list `meta`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct PageMeta {
    /// Items in the whole list.
    #[serde(default)]
    pub(crate) total: Option<u64>,
}

/// A body whose content does not matter (a DELETE's `{}`); any JSON.
pub(crate) type Ignored = IgnoredAny;

/// Visits a JSON object, keeping the value of `key` (and `meta`).
struct EnvelopeVisitor<T> {
    key: &'static str,
    _t: PhantomData<fn() -> T>,
}

impl<'de, T: DeserializeOwned> Visitor<'de> for EnvelopeVisitor<T> {
    type Value = (T, Option<PageMeta>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with `{}`", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut value = None;
        let mut meta = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.key {
                if value.is_some() {
                    return Err(serde::de::Error::duplicate_field(self.key));
                }
                value = Some(map.next_value::<T>()?);
            } else if key == "meta" {
                meta = map.next_value::<Option<PageMeta>>()?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        let value = value.ok_or_else(|| {
            serde::de::Error::custom(format!(
                "the response has no `{}` (the API's envelope)",
                self.key
            ))
        })?;
        Ok((value, meta))
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for CloudEnvelope<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (result, _) = deserializer.deserialize_map(EnvelopeVisitor {
            key: "result",
            _t: PhantomData,
        })?;
        Ok(CloudEnvelope { result })
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for OssEnvelope<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (data, meta) = deserializer.deserialize_map(EnvelopeVisitor {
            key: "data",
            _t: PhantomData,
        })?;
        Ok(OssEnvelope { data, meta })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_key_is_required() {
        let ok: OssEnvelope<Vec<u8>> =
            serde_json::from_str(r#"{"data":[1],"meta":{"total":9,"limit":1,"offset":0}}"#)
                .unwrap();
        assert_eq!((ok.data, ok.meta.and_then(|m| m.total)), (vec![1], Some(9)));
        let cloud: CloudEnvelope<u8> =
            serde_json::from_str(r#"{"status":200,"requestId":"r","result":3}"#).unwrap();
        assert_eq!(cloud.result, 3);
        for bad in [
            "{}",
            "[]",
            r#"{"status":200}"#,
            "[[1], null]",
            r#"{"data":[1],"data":[2]}"#,
        ] {
            assert!(
                serde_json::from_str::<OssEnvelope<Vec<u8>>>(bad).is_err(),
                "{bad}"
            );
        }
        let err = serde_json::from_str::<CloudEnvelope<u8>>(r#"{"status":200}"#).unwrap_err();
        assert!(err.to_string().contains("no `result`"), "{err}");
    }
}
