//! [`Number`]: a number that may arrive as a numeric string.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A number that may arrive as a JSON number or as a numeric string
/// (`HyperDX` sends 64-bit integers as strings; a mock of the Cloud spec sent
/// quantile levels as `"0.5"`). Sent as a number, as JavaScript writes it
/// (`5`, not `5.0`). Integers above 2^53 lose precision, as in JavaScript.
///
/// ```
/// use clickstack_runtime::Number;
/// let series: Vec<Number> = serde_json::from_str(r#"[2, "3", 0.5]"#).unwrap();
/// assert_eq!(series, [Number(2.0), Number(3.0), Number(0.5)]);
/// assert_eq!(serde_json::to_string(&series[1]).unwrap(), "3");
/// assert_eq!(serde_json::to_string(&series[2]).unwrap(), "0.5");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Number(pub f64);

/// The largest integer a double holds exactly (2^53).
const EXACT: f64 = 9_007_199_254_740_992.0;

impl Serialize for Number {
    /// As JavaScript writes numbers: an integral value as an integer
    /// (`5`, not `5.0`), any other as a float.
    #[allow(clippy::cast_possible_truncation)]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() <= EXACT {
            // Exact: integral and within ±2^53.
            serializer.serialize_i64(self.0 as i64)
        } else {
            serializer.serialize_f64(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number or a numeric string")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number(v))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Number, E> {
                // Rust also parses "NaN" and "inf", which JSON cannot send
                // back as numbers: only finite values are numbers here.
                match v.trim().parse::<f64>() {
                    Ok(n) if n.is_finite() => Ok(Number(n)),
                    _ => Err(E::custom(format!("{v:?} is not a number"))),
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl From<f64> for Number {
    fn from(value: f64) -> Self {
        Number(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_from_numbers_and_strings() {
        for text in ["0.5", "\"0.5\"", "\" 0.5 \""] {
            assert_eq!(serde_json::from_str::<Number>(text).unwrap(), Number(0.5));
        }
        assert_eq!(
            serde_json::from_str::<Number>("\"2\"").unwrap(),
            Number(2.0)
        );
        for bad in [
            "\"high\"",
            "\"NaN\"",
            "\"inf\"",
            "\"-Infinity\"",
            "\"1e999\"",
            "\"\"",
        ] {
            assert!(serde_json::from_str::<Number>(bad).is_err(), "{bad}");
        }
        assert_eq!(serde_json::to_string(&Number(0.95)).unwrap(), "0.95");
        assert_eq!(serde_json::to_string(&Number(-3.0)).unwrap(), "-3");
        assert_eq!(serde_json::to_string(&Number(1e300)).unwrap(), "1e+300");
        assert_eq!(serde_json::to_string(&Number(-0.0)).unwrap(), "0");
    }
}
