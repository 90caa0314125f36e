//! `QuantileLevel`: the Cloud spec's `ClickStackSelectItem.level`, declared
//! as a number with string enum values (see the `cloud-quantile-level` fix
//! in `specs/cloud.json`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A percentile level such as `0.95`. Reads a number (what the server
/// sends) or a numeric string (what the spec's enum lists, and what mocks
/// generated from it send); always sends a number.
///
/// ```
/// use clickstack_cloud::QuantileLevel;
/// let a: QuantileLevel = serde_json::from_str("0.95").unwrap();
/// let b: QuantileLevel = serde_json::from_str("\"0.95\"").unwrap();
/// assert_eq!(a, b);
/// assert_eq!(serde_json::to_string(&a).unwrap(), "0.95");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct QuantileLevel(pub f64);

impl QuantileLevel {
    /// The median.
    pub const P50: QuantileLevel = QuantileLevel(0.5);
    /// The 90th percentile.
    pub const P90: QuantileLevel = QuantileLevel(0.9);
    /// The 95th percentile.
    pub const P95: QuantileLevel = QuantileLevel(0.95);
    /// The 99th percentile.
    pub const P99: QuantileLevel = QuantileLevel(0.99);
}

impl From<f64> for QuantileLevel {
    fn from(value: f64) -> Self {
        QuantileLevel(value)
    }
}

impl Serialize for QuantileLevel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.0)
    }
}

impl<'de> Deserialize<'de> for QuantileLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum NumberOrString {
            Number(f64),
            String(String),
        }
        match NumberOrString::deserialize(deserializer)? {
            NumberOrString::Number(n) => Ok(QuantileLevel(n)),
            NumberOrString::String(s) => s.trim().parse().map(QuantileLevel).map_err(|_| {
                serde::de::Error::custom(format!("quantile level {s:?} is not a number"))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_non_numeric_strings() {
        let err = serde_json::from_str::<QuantileLevel>("\"high\"").unwrap_err();
        assert!(err.to_string().contains("\"high\""), "{err}");
        assert!(serde_json::from_str::<QuantileLevel>("true").is_err());
    }
}
