//! What a plan remembers of each resource it relies on, to tell at apply
//! time whether the resource changed since: the server's `updatedAt`
//! where the resource has one, else a fingerprint of what the server
//! returned.

use serde::Serialize;
use serde_json::Value;

use super::plan::Expect;

/// The version of a resource as read: its `updatedAt`, or a fingerprint.
pub(crate) fn version_of<R: Serialize>(resource: &R) -> Expect {
    let value = serde_json::to_value(resource).unwrap_or(Value::Null);
    match value.get("updatedAt").and_then(Value::as_str) {
        Some(updated_at) if !updated_at.is_empty() => Expect::UpdatedAt {
            updated_at: updated_at.to_string(),
        },
        _ => Expect::Fingerprint {
            fingerprint: fingerprint(&value),
        },
    }
}

/// A 64-bit FNV-1a hash of `value` written with its keys sorted, in hex:
/// stable across builds and `serde_json` features (it is a change check,
/// not a security measure).
pub(crate) fn fingerprint(value: &Value) -> String {
    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    write_canonical(value, &mut hash);
    format!("{:016x}", hash.0)
}

struct Fnv(u64);

impl Fnv {
    fn bytes(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn write_canonical(value: &Value, hash: &mut Fnv) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            hash.bytes(b"{");
            for key in keys {
                write_canonical(&Value::String(key.clone()), hash);
                hash.bytes(b":");
                write_canonical(&map[key.as_str()], hash);
                hash.bytes(b",");
            }
            hash.bytes(b"}");
        }
        Value::Array(items) => {
            hash.bytes(b"[");
            for item in items {
                write_canonical(item, hash);
                hash.bytes(b",");
            }
            hash.bytes(b"]");
        }
        other => hash.bytes(other.to_string().as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fingerprints_ignore_key_order_and_see_every_change() {
        let a = json!({"name": "x", "tiles": [{"w": 1, "h": 2}]});
        let b: Value = serde_json::from_str(r#"{"tiles":[{"h":2,"w":1}],"name":"x"}"#).unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(
            fingerprint(&a),
            fingerprint(&json!({"name": "x", "tiles": [{"w": 1, "h": 3}]}))
        );
        assert_ne!(fingerprint(&json!(["ab"])), fingerprint(&json!(["a", "b"])));
        assert_eq!(
            version_of(&json!({"updatedAt": "2026-01-01T00:00:00Z", "x": 1})),
            Expect::UpdatedAt {
                updated_at: "2026-01-01T00:00:00Z".into()
            }
        );
        assert!(matches!(
            version_of(&json!({"updatedAt": null})),
            Expect::Fingerprint { .. }
        ));
    }
}
