//! JSON pointers (RFC 6901) over `serde_json::Value`, used by spec fixes and
//! to name the place a normalization step changed or rejected.

use serde_json::Value;

/// Escapes one reference token (`~` to `~0`, `/` to `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Splits a pointer into unescaped tokens. `""` is the whole document.
pub fn tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Joins a parent pointer and a child key.
pub fn child(parent: &str, key: &str) -> String {
    format!("{parent}/{}", escape(key))
}

/// Sets the value at `pointer`, creating nothing: the parent must exist.
/// Returns the previous value, if any.
pub fn set(doc: &mut Value, pointer: &str, value: Value) -> Result<Option<Value>, String> {
    let mut toks = tokens(pointer);
    let last = toks
        .pop()
        .ok_or_else(|| "cannot replace the whole document".to_string())?;
    let parent_ptr = toks
        .iter()
        .map(|t| format!("/{}", escape(t)))
        .collect::<String>();
    let parent = doc
        .pointer_mut(&parent_ptr)
        .ok_or_else(|| format!("parent `{parent_ptr}` does not exist"))?;
    match parent {
        Value::Object(map) => Ok(map.insert(last, value)),
        Value::Array(items) => {
            let index: usize = last
                .parse()
                .map_err(|_| format!("`{last}` is not an array index"))?;
            if index < items.len() {
                Ok(Some(std::mem::replace(&mut items[index], value)))
            } else if index == items.len() {
                items.push(value);
                Ok(None)
            } else {
                Err(format!("index {index} is out of bounds"))
            }
        }
        _ => Err(format!(
            "parent `{parent_ptr}` is neither an object nor an array"
        )),
    }
}

/// Removes the value at `pointer`, returning it.
pub fn remove(doc: &mut Value, pointer: &str) -> Option<Value> {
    let mut toks = tokens(pointer);
    let last = toks.pop()?;
    let parent_ptr = toks
        .iter()
        .map(|t| format!("/{}", escape(t)))
        .collect::<String>();
    match doc.pointer_mut(&parent_ptr)? {
        Value::Object(map) => map.shift_remove(&last),
        Value::Array(items) => {
            let index: usize = last.parse().ok()?;
            (index < items.len()).then(|| items.remove(index))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_path_keys() {
        assert_eq!(escape("/api/v2/team"), "~1api~1v2~1team");
        assert_eq!(tokens("/paths/~1a~0b/get"), vec!["paths", "/a~b", "get"]);
        assert_eq!(child("/paths", "/x"), "/paths/~1x");
    }

    #[test]
    fn set_and_remove() {
        let mut doc = json!({"a": {"b": 1}, "l": [1]});
        assert_eq!(set(&mut doc, "/a/b", json!(2)).unwrap(), Some(json!(1)));
        assert_eq!(set(&mut doc, "/a/c", json!(3)).unwrap(), None);
        assert!(set(&mut doc, "/missing/c", json!(3)).is_err());
        assert_eq!(set(&mut doc, "/l/1", json!(5)).unwrap(), None);
        assert_eq!(remove(&mut doc, "/a/b"), Some(json!(2)));
        assert_eq!(remove(&mut doc, "/l/0"), Some(json!(1)));
        assert_eq!(doc, json!({"a": {"c": 3}, "l": [5]}));
    }
}
