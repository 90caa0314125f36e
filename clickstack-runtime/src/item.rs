//! [`UndecodableItem`]: one item of a list that did not decode.

use serde_json::Value;

use crate::redact::Redactor;

/// One item of a list that did not decode, while the others did. A list
/// or stream reports it and goes on; it is never treated as absent.
///
/// `raw` is the item as the server sent it (the client's credentials
/// redacted), so that a caller can inspect it, and `id` and `name` are read
/// from it where they are strings, so that code matching resources by name
/// (dashboards-as-code) can see that the item exists.
#[derive(Debug, Clone, PartialEq)]
pub struct UndecodableItem {
    /// The kind of resource (`dashboard`).
    pub kind: &'static str,
    /// Its position in the whole list, from 0.
    pub index: u64,
    /// Where in the item decoding failed (`tiles[2].config.select[0]`;
    /// empty for the item itself).
    pub path: String,
    /// Why.
    pub message: String,
    /// The item as sent, credentials redacted.
    pub raw: Value,
    /// Its `id`, if it has a string one.
    pub id: Option<String>,
    /// Its `name`, if it has a string one.
    pub name: Option<String>,
}

impl UndecodableItem {
    /// An item of `kind` at `index` whose JSON text `raw` did not decode
    /// (`path`, `message`), with `redactor`'s secrets removed from every
    /// text kept.
    pub fn new(
        kind: &'static str,
        index: u64,
        raw: &str,
        path: &str,
        message: &str,
        redactor: &Redactor,
    ) -> Self {
        let raw_text = redactor.redact(raw);
        let raw: Value = serde_json::from_str(&raw_text).unwrap_or(Value::Null);
        let text = |key: &str| raw.get(key).and_then(Value::as_str).map(str::to_string);
        UndecodableItem {
            kind,
            index,
            path: redactor.redact(path).into_owned(),
            message: redactor.redact(message).into_owned(),
            id: text("id"),
            name: text("name"),
            raw,
        }
    }
}

impl std::fmt::Display for UndecodableItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the {} at position {}", self.kind, self.index)?;
        match (&self.name, &self.id) {
            (Some(name), Some(id)) => write!(f, " ({name:?}, id {id})")?,
            (Some(name), None) => write!(f, " ({name:?})")?,
            (None, Some(id)) => write!(f, " (id {id})")?,
            (None, None) => {}
        }
        f.write_str(" does not decode: ")?;
        if !self.path.is_empty() {
            write!(f, "at `{}`: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_item_redacted_and_names_it() {
        let redactor = Redactor::new(["s3cret"]);
        let item = UndecodableItem::new(
            "dashboard",
            4,
            r#"{"id":"d1","name":"Checkout","tiles":[{"name":"s3cret"}]}"#,
            "tiles[0]",
            "missing field `x`",
            &redactor,
        );
        assert_eq!(item.raw["tiles"][0]["name"], "<redacted>");
        assert_eq!(
            item.to_string(),
            "the dashboard at position 4 (\"Checkout\", id d1) does not decode: at `tiles[0]`: missing field `x`"
        );
    }
}
