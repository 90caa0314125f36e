//! Support for the tests clickstack-codegen writes into this crate's
//! `OUT_DIR` (see `build.rs`): decoding literals, comparing JSON as the
//! wire means it, Prism's verdicts, and the forward-compatibility tally.

pub mod forward_compat;
pub mod prism;

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes a JSON literal into the type the call site expects.
///
/// # Panics
///
/// When the literal does not fit the type (a generated example that does
/// not match the generated type is a bug worth a failing test).
pub fn value<T: DeserializeOwned>(text: &str) -> T {
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("example {text} does not decode into the expected type: {e}"))
}

/// Whether two JSON values mean the same on the wire: numbers compared as
/// numbers, timestamps as instants, and an explicit `null` member as an
/// absent one (a generated `Option` reads both as `None`).
pub fn json_equivalent(expected: &Value, actual: &Value) -> Result<(), String> {
    equivalent("$", expected, actual)
}

fn equivalent(path: &str, expected: &Value, actual: &Value) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for key in e.keys().chain(a.keys()) {
                let (ev, av) = (e.get(key), a.get(key));
                match (ev, av) {
                    (Some(ev), Some(av)) => equivalent(&format!("{path}.{key}"), ev, av)?,
                    (Some(Value::Null), None) | (None, Some(Value::Null)) => {}
                    (Some(ev), None) => return Err(format!("{path}.{key} = {ev} was lost")),
                    (None, Some(av)) => return Err(format!("{path}.{key} = {av} was added")),
                    (None, None) => {}
                }
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!("{path}: {} items became {}", e.len(), a.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                equivalent(&format!("{path}[{i}]"), ev, av)?;
            }
            Ok(())
        }
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (
                e.as_f64().unwrap_or(f64::NAN),
                a.as_f64().unwrap_or(f64::NAN),
            );
            if (e - a).abs() <= 1e-9 * e.abs().max(1.0) {
                Ok(())
            } else {
                Err(format!("{path}: {e} became {a}"))
            }
        }
        (Value::String(e), Value::String(a)) if e != a => {
            let instant = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
            if instant(e).is_some() && instant(e) == instant(a) {
                Ok(())
            } else {
                Err(format!("{path}: {e:?} became {a:?}"))
            }
        }
        _ if expected == actual => Ok(()),
        _ => Err(format!("{path}: {expected} became {actual}")),
    }
}

/// Asserts [`json_equivalent`].
///
/// # Panics
///
/// When the values differ, naming the first difference.
pub fn assert_json_equivalent(what: &str, expected: &Value, actual: &Value) {
    if let Err(difference) = json_equivalent(expected, actual) {
        panic!(
            "{what} did not survive decoding: {difference}\nexpected: {expected}\nactual:   {actual}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equivalence_is_what_the_wire_means() {
        assert!(json_equivalent(&json!({"a": 1, "n": null}), &json!({"a": 1.0})).is_ok());
        assert!(
            json_equivalent(
                &json!({"t": "2026-01-01T00:00:00.000Z"}),
                &json!({"t": "2026-01-01T00:00:00Z"})
            )
            .is_ok()
        );
        assert!(json_equivalent(&json!({"a": 1}), &json!({"a": 2})).is_err());
        assert!(
            json_equivalent(&json!({"a": []}), &json!({})).is_err(),
            "[] is not absent"
        );
        assert!(json_equivalent(&json!({}), &json!({"b": 1})).is_err());
        assert!(json_equivalent(&json!([1]), &json!([1, 2])).is_err());
    }
}
