//! Decoding a [`TileConfig`] in one pass.
//!
//! The servers write `displayType` first, so the decoder reads it, then
//! hands the rest of the same JSON object to the kind's struct: nothing is
//! buffered (serde's internally tagged enums buffer every config whole
//! before choosing a variant). When `displayType` is not first, the object
//! is collected and dispatched from there. A kind this crate does not know,
//! or a value that is not an object, becomes [`TileConfig::Unknown`] with
//! every field as sent.

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::keep_extra::Key;
use super::tile::{ChartConfig, HeatmapConfig, MarkdownConfig, SearchConfig, TileConfig};

const DISPLAY_TYPE: &str = "displayType";

/// Builds the variant of `display_type` from a deserializer of the other
/// fields; for a kind this crate does not know, hands the deserializer back.
fn known<'de, D: Deserializer<'de>>(
    display_type: &str,
    rest: D,
) -> Result<Result<TileConfig, D::Error>, D> {
    fn chart<'de, D: Deserializer<'de>>(
        rest: D,
        wrap: fn(Box<ChartConfig>) -> TileConfig,
    ) -> Result<TileConfig, D::Error> {
        ChartConfig::deserialize(rest).map(|c| wrap(Box::new(c)))
    }
    Ok(match display_type {
        "line" => chart(rest, TileConfig::Line),
        "stacked_line" => chart(rest, TileConfig::StackedLine),
        "stacked_bar" => chart(rest, TileConfig::StackedBar),
        "bar" => chart(rest, TileConfig::Bar),
        "table" => chart(rest, TileConfig::Table),
        "number" => chart(rest, TileConfig::Number),
        "pie" => chart(rest, TileConfig::Pie),
        "heatmap" => HeatmapConfig::deserialize(rest).map(|c| TileConfig::Heatmap(Box::new(c))),
        "search" => SearchConfig::deserialize(rest).map(|c| TileConfig::Search(Box::new(c))),
        "event_patterns" => {
            SearchConfig::deserialize(rest).map(|c| TileConfig::EventPatterns(Box::new(c)))
        }
        "markdown" => MarkdownConfig::deserialize(rest).map(TileConfig::Markdown),
        _ => return Err(rest),
    })
}

/// An unknown config: the fields as sent, `displayType` included (when
/// it was sent).
fn unknown(display_type: Option<Value>, mut rest: Map<String, Value>) -> TileConfig {
    if let Some(display_type) = display_type {
        rest.insert(DISPLAY_TYPE.to_string(), display_type);
    }
    TileConfig::Unknown(Value::Object(rest))
}

/// The fields a known kind keeps without naming them.
fn extra(config: &TileConfig) -> Option<&Map<String, Value>> {
    match config {
        TileConfig::Line(c)
        | TileConfig::StackedLine(c)
        | TileConfig::StackedBar(c)
        | TileConfig::Bar(c)
        | TileConfig::Table(c)
        | TileConfig::Number(c)
        | TileConfig::Pie(c) => Some(&c.extra),
        TileConfig::Heatmap(c) => Some(&c.extra),
        TileConfig::Search(c) | TileConfig::EventPatterns(c) => Some(&c.extra),
        TileConfig::Markdown(c) => Some(&c.extra),
        TileConfig::Unknown(_) => None,
    }
}

struct TileConfigVisitor;

impl<'de> Visitor<'de> for TileConfigVisitor {
    type Value = TileConfig;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a tile config")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TileConfig, A::Error> {
        let Some(first) = map.next_key::<Key<'de>>()? else {
            return Ok(TileConfig::Unknown(Value::Object(Map::new())));
        };
        if first.as_str() == DISPLAY_TYPE {
            let display_type: Value = map.next_value()?;
            if let Some(kind) = display_type.as_str()
                && let Ok(config) = known(kind, MapAccessDeserializer::new(&mut map))
            {
                let config = config?;
                // A second `displayType` lands among the kind's other fields.
                if extra(&config).is_some_and(|extra| extra.contains_key(DISPLAY_TYPE)) {
                    return Err(de::Error::duplicate_field(DISPLAY_TYPE));
                }
                return Ok(config);
            }
            let rest = Map::deserialize(MapAccessDeserializer::new(map))?;
            if rest.contains_key(DISPLAY_TYPE) {
                return Err(de::Error::duplicate_field(DISPLAY_TYPE));
            }
            return Ok(unknown(Some(display_type), rest));
        }
        // `displayType` is not first: collect the object, then dispatch,
        // moving the collected values into the config. A key sent twice is
        // an error here, as a named field sent twice is on the other path.
        let mut all = Map::new();
        all.insert(first.into_string(), map.next_value()?);
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if all.contains_key(key.as_str()) {
                return Err(de::Error::custom(format_args!(
                    "duplicate field `{}`",
                    key.as_str()
                )));
            }
            let value = map.next_value()?;
            all.insert(key.into_string(), value);
        }
        let display_type = all.remove(DISPLAY_TYPE);
        let kind = display_type
            .as_ref()
            .and_then(Value::as_str)
            .unwrap_or_default();
        match known(kind, Value::Object(all)) {
            Ok(config) => config.map_err(de::Error::custom),
            Err(Value::Object(all)) => Ok(unknown(display_type, all)),
            Err(other) => Ok(TileConfig::Unknown(other)),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TileConfig, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(TileConfig::Unknown(Value::Array(items)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<TileConfig, E> {
        Ok(TileConfig::Unknown(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<TileConfig, E> {
        Ok(TileConfig::Unknown(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<TileConfig, E> {
        Ok(TileConfig::Unknown(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<TileConfig, E> {
        Ok(TileConfig::Unknown(Value::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<TileConfig, E> {
        Ok(TileConfig::Unknown(Value::String(v.to_string())))
    }

    fn visit_unit<E: de::Error>(self) -> Result<TileConfig, E> {
        Ok(TileConfig::Unknown(Value::Null))
    }
}

impl<'de> Deserialize<'de> for TileConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TileConfigVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn any_field_order_and_any_shape() {
        let first: TileConfig = serde_json::from_str(
            r#"{"displayType":"line","sourceId":"s","select":[],"seriesLimit":3}"#,
        )
        .unwrap();
        let later: TileConfig = serde_json::from_str(
            r#"{"sourceId":"s","select":[],"seriesLimit":3,"displayType":"line"}"#,
        )
        .unwrap();
        assert_eq!(first, later);
        assert!(matches!(first, TileConfig::Line(ref c) if c.more.series_limit == Some(3)));
        for raw in [
            json!({"displayType": "sankey", "nodes": [1]}),
            json!({"nodes": [1], "displayType": "sankey"}),
            json!({"noDisplayType": true}),
            json!({"displayType": 5}),
            json!([1, 2]),
            json!("text"),
            json!({}),
        ] {
            let config: TileConfig = serde_json::from_value(raw.clone()).unwrap();
            assert_eq!(config, TileConfig::Unknown(raw.clone()), "{raw}");
            assert_eq!(serde_json::to_value(&config).unwrap(), raw);
        }
        let wrong: Result<TileConfig, _> =
            serde_json::from_str(r#"{"displayType":"line","select":"not a list"}"#);
        assert!(wrong.is_err());
    }

    #[test]
    fn keys_sent_twice_are_errors_in_any_order() {
        for twice in [
            r#"{"displayType":"line","sourceId":"s","displayType":"bar"}"#,
            r#"{"displayType":"markdown","displayType":"markdown"}"#,
            r#"{"displayType":"sankey","nodes":[1],"displayType":"line"}"#,
            r#"{"displayType":"line","sourceId":"s","sourceId":"t"}"#,
            r#"{"sourceId":"s","displayType":"line","sourceId":"t"}"#,
            r#"{"sourceId":"s","displayType":"line","displayType":"bar"}"#,
            r#"{"nodes":[1],"displayType":"sankey","nodes":[2]}"#,
        ] {
            let err = serde_json::from_str::<TileConfig>(twice).unwrap_err();
            assert!(
                err.to_string().contains("duplicate field"),
                "{twice}: {err}"
            );
        }
    }
}
