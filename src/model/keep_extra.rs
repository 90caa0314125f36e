//! One-pass decoding of objects that keep the fields this crate does not
//! name.
//!
//! [`deserialize_keeping_extra!`] writes the `Deserialize` impl by hand
//! instead of serde's derive with `#[serde(flatten)]`: each named field is
//! decoded straight from the input, every other field straight into `extra`
//! as a `Value` (the derive holds such fields as serde's private `Content`
//! first, then converts them), keys are borrowed from the input when it
//! allows, and arrays can be decoded without spare capacity (`as seq`,
//! see [`super::exact_seq`]). Serializing keeps serde's derive (with
//! `flatten`), which needs no buffer.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

/// An object key, borrowed from the input when possible.
pub(crate) enum Key<'de> {
    /// Borrowed from the input (no escapes in the key).
    Borrowed(&'de str),
    /// Decoded into its own string.
    Owned(String),
}

impl Key<'_> {
    /// The key's text.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }

    /// The key as an owned string (for `extra`).
    pub(crate) fn into_string(self) -> String {
        match self {
            Key::Borrowed(key) => key.to_owned(),
            Key::Owned(key) => key,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(key))
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key.to_owned()))
            }
            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Decodes the next value into `slot`; a field sent twice is an error, as
/// with serde's derive.
pub(crate) fn set<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    wire: &'static str,
    map: &mut A,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(wire));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Implements `Deserialize` for a struct with an `extra:`
/// [`Extra`](super::sparse::Extra) field, in one pass: the listed wire names
/// fill their fields (absent ones take `Default::default()`; those under
/// `required` are an error when absent), every other field goes into
/// `extra`. Fields listed under `more Group { .. }` fill the struct's
/// `more: Sparse<Group>`, which is allocated only when one of them is set.
///
/// Every field must be listed: the struct literal the macro writes does not
/// compile otherwise. A `Vec` or `Option<Vec>` field listed `as seq` is
/// decoded without spare capacity (see [`super::exact_seq`]).
macro_rules! deserialize_keeping_extra {
    (@set [] $field:ident, $wire:literal, $map:ident) => {
        $crate::model::keep_extra::set(&mut $field, $wire, &mut $map)?
    };
    (@set [seq] $field:ident, $wire:literal, $map:ident) => {
        $crate::model::exact_seq::set_seq(&mut $field, $wire, &mut $map)?
    };
    (
        $ty:ident {
            $( $wire:literal => $field:ident $(as $seq:ident)? ),* $(,)?
        }
        $( required { $( $rwire:literal => $rfield:ident $(as $rseq:ident)? ),* $(,)? } )?
        $( more $group:ident { $( $mwire:literal => $mfield:ident $(as $mseq:ident)? ),* $(,)? } )?
    ) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct FieldsVisitor;
                impl<'de> ::serde::de::Visitor<'de> for FieldsVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($ty), " object"))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<$ty, A::Error> {
                        use $crate::model::keep_extra::Key;
                        $( let mut $field = None; )*
                        $($( let mut $rfield = None; )*)?
                        $($( let mut $mfield = None; )*)?
                        let mut extra = ::serde_json::Map::new();
                        while let Some(key) = map.next_key::<Key<'de>>()? {
                            match key.as_str() {
                                $( $wire => $crate::model::keep_extra::deserialize_keeping_extra!(
                                    @set [$($seq)?] $field, $wire, map
                                ), )*
                                $($( $rwire => $crate::model::keep_extra::deserialize_keeping_extra!(
                                    @set [$($rseq)?] $rfield, $rwire, map
                                ), )*)?
                                $($( $mwire => $crate::model::keep_extra::deserialize_keeping_extra!(
                                    @set [$($mseq)?] $mfield, $mwire, map
                                ), )*)?
                                _ => {
                                    let value = map.next_value()?;
                                    extra.insert(key.into_string(), value);
                                }
                            }
                        }
                        Ok($ty {
                            $( $field: $field.unwrap_or_default(), )*
                            $($( $rfield: $rfield.ok_or_else(|| {
                                <A::Error as ::serde::de::Error>::missing_field($rwire)
                            })?, )*)?
                            $( more: $crate::model::sparse::Sparse::new($group {
                                $( $mfield: $mfield.unwrap_or_default(), )*
                            }), )?
                            extra: $crate::model::sparse::Sparse::new(extra),
                        })
                    }
                }
                deserializer.deserialize_map(FieldsVisitor)
            }
        }
    };
}

pub(crate) use deserialize_keeping_extra;

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::{Map, Value, json};

    use crate::model::*;

    /// Every wire name a type serializes is one its decoder names: a JSON
    /// object with every field decodes with nothing left in `extra`, and
    /// serde's derived `Serialize` writes the same object back.
    #[allow(clippy::needless_pass_by_value)] // called with `json!` temporaries
    fn named<T: for<'de> Deserialize<'de> + Serialize>(
        json: Value,
        extra: fn(&T) -> &Map<String, Value>,
    ) {
        let value = T::deserialize(&json).unwrap();
        assert!(extra(&value).is_empty(), "{json}: {:?}", extra(&value));
        assert_eq!(serde_json::to_value(&value).unwrap(), json);
    }

    #[test]
    fn every_field_of_every_type_is_decoded_by_its_wire_name() {
        named::<AlertChannel>(
            json!({"type": "some_value", "webhookId": "s", "emailRecipients": ["s"]}),
            |v| &v.extra,
        );
        named::<Alert>(
            json!({"id": "s", "name": "s", "source": "some_value", "savedSearchId": "s", "dashboardId": "s", "tileId": "s", "groupBy": "s", "threshold": 1.5, "thresholdMax": 1.5, "thresholdType": "some_value", "interval": "some_value", "channel": {"type": "webhook", "webhookId": "w"}, "channels": [{"type": "webhook", "webhookId": "w"}], "message": "s", "note": "s", "numConsecutiveWindows": 3, "state": "some_value"}),
            |v| &v.extra,
        );
        named::<NumberFormat>(
            json!({"output": "some_value", "mantissa": 3, "thousandSeparated": true, "average": true, "decimalBytes": true, "factor": 1.5, "currencySymbol": "s", "numericUnit": "s", "unit": "s"}),
            |v| &v.extra,
        );
        named::<Dashboard>(
            json!({"id": "s", "name": "s", "tiles": [{"name": "t", "x": 0, "y": 0, "w": 0, "h": 0}], "tags": ["s"], "filters": [{"type": "QUERY_EXPRESSION", "name": ""}], "containers": [{"id": "c", "title": "", "collapsed": false}], "savedQuery": "s", "savedQueryLanguage": "some_value", "savedFilterValues": [{}]}),
            |v| &v.extra,
        );
        named::<Tile>(
            json!({"id": "s", "name": "s", "x": 3, "y": 3, "w": 3, "h": 3, "config": {"displayType": "markdown", "markdown": "x"}, "description": "s", "containerId": "s", "tabId": "s"}),
            |v| &v.extra,
        );
        named::<Container>(
            json!({"id": "s", "title": "s", "collapsed": true, "collapsible": true, "bordered": true, "tabs": [{"id": "c", "title": ""}]}),
            |v| &v.extra,
        );
        named::<ContainerTab>(json!({"id": "s", "title": "s"}), |v| &v.extra);
        named::<Filter>(
            json!({"id": "s", "type": "some_value", "name": "s", "expression": "s", "sourceId": "s", "options": ["s"], "label": "s", "match": "s", "sourceMetricType": "some_value", "where": "s", "whereLanguage": "some_value", "appliesToSourceIds": ["s"], "isBroadcastEnabled": true, "isVariableEnabled": true, "variableName": "s"}),
            |v| &v.extra,
        );
        named::<SavedFilterValue>(
            json!({"type": "some_value", "condition": "s", "name": "s", "values": ["s"], "all": true}),
            |v| &v.extra,
        );
        named::<SavedSearchFilter>(json!({"type": "some_value", "condition": "s"}), |v| {
            &v.extra
        });
        named::<SavedSearch>(
            json!({"id": "s", "name": "s", "sourceId": "s", "select": "s", "where": "s", "whereLanguage": "some_value", "orderBy": "s", "tags": ["s"], "filters": [{}]}),
            |v| &v.extra,
        );
        named::<SourceFrom>(json!({"databaseName": "s", "tableName": "s"}), |v| &v.extra);
        named::<Source>(
            json!({"id": "s", "name": "s", "kind": "some_value", "connection": "s", "from": {"databaseName": ""}, "timestampValueExpression": "s"}),
            |v| &v.extra,
        );
        named::<ChartConfig>(
            json!({"configType": "some_value", "sourceId": "s", "select": [{"aggFn": "count"}], "connectionId": "s", "sqlTemplate": "s", "groupBy": "s", "orderBy": "s", "having": "s", "formulas": [{"expression": "a/b"}], "showOperandSeries": true, "asRatio": true, "alignDateRangeToGranularity": true, "fillNulls": true, "fitYAxisToData": true, "compareToPreviousPeriod": true, "lineInterpolation": "some_value", "numberFormat": {"output": "number"}, "seriesLimit": 3, "limit": 3, "groupByColumnsOnLeft": true, "onClick": {"k": 1}, "color": "s", "colorRules": [{"k": 1}], "backgroundChart": {"k": 1}}),
            |v| &v.extra,
        );
        named::<SelectItem>(
            json!({"aggFn": "some_value", "valueExpression": "s", "alias": "s", "level": 0.5, "where": "s", "whereLanguage": "some_value", "metricName": "s", "metricType": "some_value", "periodAggFn": "s", "numberFormat": {"output": "number"}}),
            |v| &v.extra,
        );
        named::<Formula>(
            json!({"expression": "s", "alias": "s", "numberFormat": {"output": "number"}}),
            |v| &v.extra,
        );
        named::<HeatmapConfig>(
            json!({"heatmapMode": "s", "sourceId": "s", "select": [{}], "groupBy": "s", "where": "s", "whereLanguage": "some_value", "numberFormat": {"output": "number"}}),
            |v| &v.extra,
        );
        named::<HeatmapSelect>(
            json!({"valueExpression": "s", "countExpression": "s", "heatmapScaleType": "s", "aggFn": "some_value"}),
            |v| &v.extra,
        );
        named::<SearchConfig>(
            json!({"sourceId": "s", "select": "s", "where": "s", "whereLanguage": "some_value"}),
            |v| &v.extra,
        );
        named::<MarkdownConfig>(json!({"markdown": "s"}), |v| &v.extra);
        named::<Webhook>(
            json!({"id": "s", "name": "s", "service": "some_value", "url": "s", "description": "s", "body": "s", "headers": {"a": "b"}, "queryParams": {"a": "b"}}),
            |v| &v.extra,
        );
    }

    #[test]
    fn unknown_escaped_duplicate_and_missing_fields() {
        // Unknown fields, escaped keys included, land in `extra` as sent.
        let tile: Tile =
            serde_json::from_str(r#"{"name":"t","series":[1],"caf\u00e9":true,"x\"y":null}"#)
                .unwrap();
        assert_eq!(tile.name, "t");
        assert_eq!(tile.extra["series"], json!([1]));
        assert_eq!(tile.extra["café"], json!(true));
        assert_eq!(tile.extra["x\"y"], Value::Null);
        // An escaped key that spells a known field is that field.
        let tile: Tile = serde_json::from_str(r#"{"n\u0061me":"escaped"}"#).unwrap();
        assert_eq!(tile.name, "escaped");
        // A field sent twice is an error, as with serde's derive.
        let twice = serde_json::from_str::<Tile>(r#"{"name":"a","name":"b"}"#).unwrap_err();
        assert!(
            twice.to_string().contains("duplicate field `name`"),
            "{twice}"
        );
        // A required field that is missing names itself.
        let missing = serde_json::from_str::<SelectItem>(r#"{"alias":"a"}"#).unwrap_err();
        assert!(
            missing.to_string().contains("missing field `aggFn`"),
            "{missing}"
        );
        // Not an object: a clear type error.
        let wrong = serde_json::from_str::<Dashboard>("[1]").unwrap_err();
        assert!(wrong.to_string().contains("a Dashboard object"), "{wrong}");
        // A field of the wrong type fails with its position.
        let bad = serde_json::from_str::<Tile>(r#"{"x":"left"}"#).unwrap_err();
        assert!(bad.to_string().contains("invalid type"), "{bad}");
    }
}
