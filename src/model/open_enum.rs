//! `open_enum!`: string enums that keep values this crate does not know.

/// Defines a string enum with the listed wire values and an
/// `Unknown(String)` variant for any other value, so a value a newer server
/// adds is kept, displayed and sent back verbatim. Decodes from a borrowed
/// string without allocating for known values.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this crate does not know (sent by a newer server),
            /// kept verbatim.
            Unknown(String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(value) => value,
                }
            }

            /// Whether the value is one this crate does not know (kept in
            /// `Unknown`).
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl clickstack_runtime::Open for $name {
            fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )+
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<$name, E> {
                        Ok($name::from(value))
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

pub(crate) use open_enum;

#[cfg(test)]
#[allow(unreachable_pub)]
mod tests {
    open_enum! {
        /// Test enum.
        pub enum Color {
            /// Red.
            Red = "red",
            /// Light blue.
            LightBlue = "light-blue",
        }
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
        let c: Color = serde_json::from_str("\"light-blue\"").unwrap();
        assert_eq!(c, Color::LightBlue);
        let u: Color = serde_json::from_str("\"ultraviolet\"").unwrap();
        assert_eq!(u, Color::Unknown("ultraviolet".into()));
        assert_eq!(serde_json::to_string(&u).unwrap(), "\"ultraviolet\"");
        assert_eq!("red".parse::<Color>(), Ok(Color::Red));
        assert_eq!(Color::Red.to_string(), "red");
        assert!(u.is_unknown() && !Color::Red.is_unknown());
        assert_eq!(u.as_str(), "ultraviolet");
        assert!(serde_json::from_str::<Color>("3").is_err());
    }
}
