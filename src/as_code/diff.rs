//! Field-level changes between two resources in normal form: the one diff
//! every kind of resource uses.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One field that differs between what is stored and what a document asks
/// for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Where (`tiles[1].config.select[0].aggFn`, `name`).
    pub path: String,
    /// What is stored (`None`: absent).
    pub before: Option<Value>,
    /// What the document asks for (`None`: absent).
    pub after: Option<Value>,
}

impl std::fmt::Display for FieldChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |v: &Option<Value>| {
            v.as_ref()
                .map_or_else(|| "(absent)".to_string(), Value::to_string)
        };
        match (&self.before, &self.after) {
            (None, Some(_)) => write!(f, "+ {} = {}", self.path, show(&self.after)),
            (Some(_), None) => write!(f, "- {} (was {})", self.path, show(&self.before)),
            _ => write!(
                f,
                "~ {}: {} -> {}",
                self.path,
                show(&self.before),
                show(&self.after)
            ),
        }
    }
}

/// The changes that turn `before` into `after`, leaf by leaf, in path
/// order: objects key by key, lists item by item (the items one list has
/// beyond the other reported whole).
///
/// ```
/// use clickstack::as_code::diff;
/// use serde_json::json;
/// let changes = diff(&json!({"name": "a", "tags": ["x"]}), &json!({"name": "b", "tags": ["x", "y"]}));
/// let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
/// assert_eq!(lines, ["~ name: \"a\" -> \"b\"", "+ tags[1] = \"y\""]);
/// ```
pub fn diff(before: &Value, after: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk("", Some(before), Some(after), &mut out);
    out
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(path: &str, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<FieldChange>) {
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                walk(&join(path, key), b.get(key), a.get(key), out);
            }
        }
        (Some(Value::Array(b)), Some(Value::Array(a))) => {
            for i in 0..b.len().max(a.len()) {
                walk(&format!("{path}[{i}]"), b.get(i), a.get(i), out);
            }
        }
        (b, a) if b == a => {}
        (b, a) => out.push(FieldChange {
            path: path.to_string(),
            before: b.cloned(),
            after: a.cloned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_leaves() {
        let before = json!({"name": "a", "tiles": [{"w": 1}, {"w": 2}], "tags": ["x"]});
        let after = json!({"name": "b", "tiles": [{"w": 1}], "savedQuery": "q", "tags": ["x"]});
        let changes = diff(&before, &after);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["name", "savedQuery", "tiles[1]"]);
        assert_eq!(changes[0].to_string(), "~ name: \"a\" -> \"b\"");
        assert_eq!(changes[1].to_string(), "+ savedQuery = \"q\"");
        assert!(changes[2].to_string().starts_with("- tiles[1]"));
    }
}
