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
use serde_json::value::RawValue;

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

/// `HyperDX`'s list `meta`, read leniently: metadata that makes no sense
/// (a negative or fractional `total`, a `meta` that is not an object) is
/// ignored rather than failing the list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PageMeta {
    /// Items in the whole list, when the server said so sensibly.
    pub(crate) total: Option<u64>,
}

impl<'de> Deserialize<'de> for PageMeta {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let meta = serde_json::Value::deserialize(deserializer)?;
        Ok(PageMeta {
            total: meta.get("total").and_then(serde_json::Value::as_u64),
        })
    }
}

/// One element of a list: the resource, or, when it does not decode, its
/// JSON text and why, so that the list's other elements still come back.
#[derive(Debug)]
pub(crate) enum Item<R> {
    /// Decoded.
    Decoded(R),
    /// Did not decode: the text as sent, where and why.
    Undecodable {
        raw: Box<RawValue>,
        path: String,
        message: String,
    },
}

impl<'de, R: DeserializeOwned> Deserialize<'de> for Item<R> {
    /// Reads the element's JSON text, then decodes it; a failure names
    /// the path inside the element (found by decoding it a second time,
    /// only on that path).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        if let Ok(decoded) = serde_json::from_str::<R>(raw.get()) {
            return Ok(Item::Decoded(decoded));
        }
        let de = &mut serde_json::Deserializer::from_str(raw.get());
        let (path, message) = match serde_path_to_error::deserialize::<_, R>(de) {
            Ok(decoded) => return Ok(Item::Decoded(decoded)),
            Err(e) => {
                let path = e.path().to_string();
                let path = if path == "." { String::new() } else { path };
                (path, e.into_inner().to_string())
            }
        };
        Ok(Item::Undecodable { raw, path, message })
    }
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

    #[test]
    fn meta_that_makes_no_sense_is_ignored() {
        for (meta, total) in [
            (r#"{"total":7,"limit":1,"offset":0}"#, Some(7)),
            (r#"{"total":-3}"#, None),
            (r#"{"total":2.5}"#, None),
            (r#"{"total":"9"}"#, None),
            (r#""x""#, None),
            ("null", None),
        ] {
            let body = format!(r#"{{"data":[1],"meta":{meta}}}"#);
            let ok: OssEnvelope<Vec<u8>> = serde_json::from_str(&body).unwrap();
            assert_eq!(ok.meta.and_then(|m| m.total), total, "{meta}");
        }
    }

    #[test]
    fn one_bad_item_does_not_fail_the_list() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Named {
            name: String,
            tags: Option<Vec<String>>,
        }
        let body = r#"{"data":[{"name":"a"},{"name":"b","tags":[1]},{"nope":true},{"name":"c"}]}"#;
        let list: OssEnvelope<Vec<Item<Named>>> = serde_json::from_str(body).unwrap();
        let shapes: Vec<_> = list
            .data
            .iter()
            .map(|item| match item {
                Item::Decoded(n) => format!("ok {}", n.name),
                Item::Undecodable { raw, path, .. } => format!("bad {path} {}", raw.get()),
            })
            .collect();
        assert_eq!(
            shapes,
            [
                "ok a",
                r#"bad tags[0] {"name":"b","tags":[1]}"#,
                r#"bad  {"nope":true}"#,
                "ok c"
            ]
        );
        // A body that is not JSON still fails the whole list.
        assert!(
            serde_json::from_str::<OssEnvelope<Vec<Item<Named>>>>(r#"{"data":[{"name":"a"},"#)
                .is_err()
        );
    }
}
