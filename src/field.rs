//! [`Field`]: an optional value that can also be explicitly cleared.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional field with three states, for values a request may keep,
/// clear or set:
///
/// - [`Field::Absent`]: not sent; an update keeps what the server has;
/// - [`Field::Null`]: sent as `null`, which clears the value;
/// - [`Field::Value`]: sent as the value.
///
/// Reading a resource gives `Absent` for a field the server did not send
/// and `Null` for an explicit `null`, so a resource reads back as it came.
///
/// ```
/// use clickstack::{Dashboard, Field};
/// let mut dashboard = Dashboard::new("Checkout");
/// dashboard.saved_query = Field::Null; // clear the saved query
/// let json = serde_json::to_value(&dashboard).unwrap();
/// assert!(json["savedQuery"].is_null());
/// dashboard.saved_query = Field::Absent; // leave it as it is
/// let json = serde_json::to_value(&dashboard).unwrap();
/// assert!(json.get("savedQuery").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Field<T> {
    /// Not present: not sent, kept by an update.
    #[default]
    Absent,
    /// Explicitly `null`: sent, which clears the value.
    Null,
    /// A value.
    Value(T),
}

impl<T> Field<T> {
    /// Whether the field is absent (it is then not serialized).
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// The value, if any.
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if any, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    /// A reference to the value inside.
    pub fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(v) => Field::Value(v),
        }
    }
}

impl<T> From<T> for Field<T> {
    fn from(value: T) -> Self {
        Field::Value(value)
    }
}

impl<T> From<Option<T>> for Field<T> {
    /// `Some` is a value, `None` is an explicit clear.
    fn from(value: Option<T>) -> Self {
        value.map_or(Field::Null, Field::Value)
    }
}

impl From<&str> for Field<String> {
    fn from(value: &str) -> Self {
        Field::Value(value.to_string())
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Skipped with `skip_serializing_if = "Field::is_absent"`; a
            // field that is serialized anyway reads as null.
            Field::Absent | Field::Null => serializer.serialize_none(),
            Field::Value(v) => v.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    /// A present field: `null` or a value (absence is the `Default`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Field::Null, Field::Value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq, Default)]
    struct S {
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        f: Field<String>,
    }

    #[test]
    fn three_states_round_trip() {
        for (json, field) in [
            ("{}", Field::Absent),
            (r#"{"f":null}"#, Field::Null),
            (r#"{"f":"x"}"#, Field::Value("x".to_string())),
        ] {
            let s: S = serde_json::from_str(json).unwrap();
            assert_eq!(s.f, field);
            assert_eq!(serde_json::to_string(&s).unwrap(), json);
        }
        assert_eq!(Field::<u8>::from(None::<u8>), Field::Null);
        assert_eq!(Field::<i32>::from(3).value(), Some(&3));
    }
}
