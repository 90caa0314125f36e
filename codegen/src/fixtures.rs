//! Random documents valid under a spec's schemas: what a server of that
//! spec may send. Used to check that a client generated from an older spec
//! reads what a newer server sends (the forward-compatibility check), the
//! way a Prism mock in dynamic mode would, but deterministic (a seed) and
//! without a server.
//!
//! Every required property is present, each optional one with even odds;
//! unions pick a member, enums a value, nullable values are sometimes
//! `null`, arrays hold 0 to 3 items, maps 0 to 2 entries; formats (`uuid`,
//! `date-time`, `date`, `email`, `uri`) get values of their shape. Recursion
//! through `$ref` stops at a depth bound.

use std::path::Path;

use serde_json::{Map, Number, Value, json};

use crate::manifest::Manifest;
use crate::naming::progenitor_snake;
use crate::schema_walk::METHODS;
use crate::{Error, Result};

/// How deep nested schemas are expanded.
const MAX_DEPTH: usize = 12;

/// A small deterministic generator (`SplitMix64`).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next_u64() % (n.max(1) as u64)).unwrap_or(0)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// Which properties a generated object holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Every required property, each optional one with even odds.
    Random,
    /// The required properties only: every optional property omitted.
    Required,
    /// Every property (down to the depth bound).
    Full,
}

/// A property a newer server might add, put into every object by
/// [`Fixtures::evolving`].
pub const FUTURE_PROPERTY: &str = "zzFutureProperty";

/// An enum value a newer server might add, put in place of enum values by
/// [`Fixtures::evolving`].
pub const FUTURE_VALUE: &str = "zz_future_value";

/// Generates values for the schemas of one document.
pub struct Fixtures<'a> {
    doc: &'a Value,
    rng: Rng,
    shape: Shape,
    evolve: bool,
}

impl<'a> Fixtures<'a> {
    /// A generator over `doc` (OpenAPI 3.0: run [`prepare`] on a 3.1 one),
    /// in the [`Shape::Random`] shape.
    pub fn new(doc: &'a Value, seed: u64) -> Self {
        Fixtures {
            doc,
            rng: Rng::new(seed),
            shape: Shape::Random,
            evolve: false,
        }
    }

    /// The same generator, making objects of `shape`.
    #[must_use]
    pub fn with_shape(mut self, shape: Shape) -> Self {
        self.shape = shape;
        self
    }

    /// The same generator, writing what a newer server of the same API
    /// might send: every object gains [`FUTURE_PROPERTY`], and one enum
    /// value in five (a union's single-value discriminator included, which
    /// makes a new union member) becomes [`FUTURE_VALUE`].
    #[must_use]
    pub fn evolving(mut self, evolve: bool) -> Self {
        self.evolve = evolve;
        self
    }

    /// A random value valid under `schema`.
    pub fn value(&mut self, schema: &Value) -> Value {
        self.at(schema, 0)
    }

    fn resolve(&self, reference: &str) -> Option<&'a Value> {
        self.doc.pointer(reference.strip_prefix('#')?)
    }

    fn at(&mut self, schema: &Value, depth: usize) -> Value {
        let Some(obj) = schema.as_object() else {
            return json!("x");
        };
        if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
            return match self.resolve(reference) {
                Some(target) if depth < MAX_DEPTH => self.at(target, depth + 1),
                Some(target) => self.minimal(target, depth + 1),
                None => Value::Null,
            };
        }
        let null_odds = match self.shape {
            Shape::Random => 10,
            Shape::Required | Shape::Full => 50,
        };
        if obj.get("nullable") == Some(&Value::Bool(true)) && self.rng.chance(null_odds) {
            return Value::Null;
        }
        if let Some(Value::Array(values)) = obj.get("enum")
            && !values.is_empty()
        {
            if self.evolve && values.iter().all(Value::is_string) && self.rng.chance(20) {
                return json!(FUTURE_VALUE);
            }
            let i = self.rng.below(values.len());
            return values[i].clone();
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = obj.get(key)
                && !members.is_empty()
            {
                let i = self.rng.below(members.len());
                let picked = members[i].clone();
                return self.at(&picked, depth + 1);
            }
        }
        if let Some(Value::Array(parts)) = obj.get("allOf") {
            let mut merged = Map::new();
            let mut last = Value::Null;
            for part in parts.clone() {
                match self.at(&part, depth + 1) {
                    Value::Object(m) => merged.extend(m),
                    other => last = other,
                }
            }
            if obj.contains_key("properties")
                && let Value::Object(own) = self.object(obj, depth)
            {
                merged.extend(own);
            }
            return if merged.is_empty() && !last.is_null() {
                last
            } else {
                Value::Object(merged)
            };
        }
        match obj.get("type").and_then(Value::as_str) {
            Some("object") => self.object(obj, depth),
            Some("array") => {
                let items = obj.get("items").cloned().unwrap_or(json!({}));
                let min = obj.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                let min = usize::try_from(min).unwrap_or(0).min(3);
                let n = if depth >= MAX_DEPTH {
                    0
                } else {
                    match self.shape {
                        Shape::Random => self.rng.below(4).max(min),
                        Shape::Required => min.max(1),
                        Shape::Full => 1 + self.rng.below(2).max(min.saturating_sub(1)),
                    }
                };
                Value::Array((0..n).map(|_| self.at(&items, depth + 1)).collect())
            }
            Some("string") => self.string(obj.get("format").and_then(Value::as_str)),
            Some("integer") => {
                let n = i64::try_from(self.rng.below(1000)).unwrap_or(0);
                // Without a minimum, a negative value is as valid.
                if obj.get("minimum").is_none() && self.rng.chance(10) {
                    json!(-n - 1)
                } else {
                    json!(n)
                }
            }
            Some("number") => {
                if self.rng.chance(50) {
                    json!(self.rng.below(1000))
                } else {
                    let cents = self.rng.below(100_000) as f64 / 100.0;
                    Number::from_f64(cents).map_or(Value::Null, Value::Number)
                }
            }
            Some("boolean") => json!(self.rng.chance(50)),
            _ if obj.contains_key("properties") => self.object(obj, depth),
            _ => json!("free-form"),
        }
    }

    fn object(&mut self, obj: &Map<String, Value>, depth: usize) -> Value {
        let required: Vec<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        if let Some(Value::Object(props)) = obj.get("properties") {
            for (name, prop) in props {
                let optional_wanted = depth < MAX_DEPTH
                    && match self.shape {
                        Shape::Random => self.rng.chance(50),
                        Shape::Required => false,
                        Shape::Full => true,
                    };
                let wanted = required.contains(&name.as_str()) || optional_wanted;
                if wanted {
                    let value = self.at(prop, depth + 1);
                    out.insert(name.clone(), value);
                }
            }
        }
        match obj.get("additionalProperties") {
            Some(extra @ Value::Object(_)) if depth < MAX_DEPTH => {
                for i in 0..self.rng.below(3) {
                    let value = self.at(extra, depth + 1);
                    out.insert(format!("key{i}"), value);
                }
            }
            _ => {}
        }
        if self.evolve && !out.contains_key(FUTURE_PROPERTY) {
            out.insert(
                FUTURE_PROPERTY.to_string(),
                json!({"added": [1, "x", null]}),
            );
        }
        Value::Object(out)
    }

    /// The smallest valid value of a schema (where recursion stops):
    /// required properties only, the first enum value and union member,
    /// arrays of their minimum length. Bounded by `HARD_DEPTH` in case a
    /// schema requires itself.
    fn minimal(&mut self, schema: &Value, depth: usize) -> Value {
        const HARD_DEPTH: usize = MAX_DEPTH + 24;
        let Some(obj) = schema.as_object() else {
            return json!("x");
        };
        if depth > HARD_DEPTH {
            return Value::Null;
        }
        if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
            return match self.resolve(reference) {
                Some(target) => self.minimal(target, depth + 1),
                None => Value::Null,
            };
        }
        if let Some(first) = obj
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|v| v.first())
        {
            return first.clone();
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = obj
                .get(key)
                .and_then(Value::as_array)
                .and_then(|m| m.first())
            {
                let first = first.clone();
                return self.minimal(&first, depth + 1);
            }
        }
        if let Some(Value::Array(parts)) = obj.get("allOf") {
            let mut merged = Map::new();
            for part in parts.clone() {
                if let Value::Object(m) = self.minimal(&part, depth + 1) {
                    merged.extend(m);
                }
            }
            if let Value::Object(own) = self.required_only(obj, depth) {
                merged.extend(own);
            }
            return Value::Object(merged);
        }
        match obj.get("type").and_then(Value::as_str) {
            Some("array") => {
                let min = obj.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                let items = obj.get("items").cloned().unwrap_or(json!({}));
                Value::Array(
                    (0..min.min(3))
                        .map(|_| self.minimal(&items, depth + 1))
                        .collect(),
                )
            }
            Some("string") => self.string(obj.get("format").and_then(Value::as_str)),
            Some("integer" | "number") => json!(0),
            Some("boolean") => json!(false),
            _ => self.required_only(obj, depth),
        }
    }

    /// An object with the minimal value of each required property.
    fn required_only(&mut self, obj: &Map<String, Value>, depth: usize) -> Value {
        let mut out = Map::new();
        let required: Vec<String> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        for name in required {
            if let Some(prop) = obj.get("properties").and_then(|p| p.get(&name)).cloned() {
                let value = self.minimal(&prop, depth + 1);
                out.insert(name, value);
            }
        }
        Value::Object(out)
    }

    fn string(&mut self, format: Option<&str>) -> Value {
        let hex = |rng: &mut Rng, n: usize| -> String {
            (0..n)
                .map(|_| char::from(b"0123456789abcdef"[rng.below(16)]))
                .collect()
        };
        let text = match format {
            Some("uuid") => format!(
                "{}-{}-4{}-a{}-{}",
                hex(&mut self.rng, 8),
                hex(&mut self.rng, 4),
                hex(&mut self.rng, 3),
                hex(&mut self.rng, 3),
                hex(&mut self.rng, 12)
            ),
            Some("date-time") => format!(
                "2026-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                1 + self.rng.below(12),
                1 + self.rng.below(28),
                self.rng.below(24),
                self.rng.below(60),
                self.rng.below(60)
            ),
            Some("date") => format!(
                "2026-{:02}-{:02}",
                1 + self.rng.below(12),
                1 + self.rng.below(28)
            ),
            Some("email") => format!("user{}@example.com", self.rng.below(1000)),
            Some("uri" | "url") => format!("https://example.com/{}", hex(&mut self.rng, 6)),
            _ => {
                let words = [
                    "alpha",
                    "beta",
                    "gamma",
                    "delta",
                    "ServiceName",
                    "level:error",
                    "x",
                ];
                let w = words[self.rng.below(words.len())];
                format!("{w}{}", self.rng.below(100))
            }
        };
        Value::String(text)
    }
}

/// The parts of normalization a fixture generator needs: declared fixes,
/// OpenAPI 3.1 to 3.0 and `type: object` on property-only schemas. (Not the
/// forward-compatibility relaxations: fixtures follow the spec as written.)
pub fn prepare(doc: &mut Value, manifest: &Manifest) -> Result<()> {
    let _ = crate::normalize::fixes::apply(doc, &manifest.fixes);
    crate::normalize::downconvert::apply(doc)?;
    crate::normalize::objects::apply(doc);
    Ok(())
}

/// Writes `count` success bodies for every GET of `doc` whose first tag
/// `area` accepts, one JSON document per line, into
/// `out/<method name>.jsonl`; returns the files written.
pub fn write_fixtures(
    doc: &Value,
    out: &Path,
    count: usize,
    seed: u64,
    area: impl Fn(&str) -> bool,
) -> Result<Vec<String>> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let mut written = Vec::new();
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return Ok(written);
    };
    let mut fixtures = Fixtures::new(doc, seed);
    for item in paths.values() {
        for method in METHODS.iter().filter(|m| **m == "get") {
            let Some(op) = item.get(method) else { continue };
            let tag = op
                .pointer("/tags/0")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !area(tag) {
                continue;
            }
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let Some(schema) = op
                .get("responses")
                .and_then(|r| r.get("200"))
                .and_then(|r| r.pointer("/content/application~1json/schema"))
            else {
                continue;
            };
            let mut text = String::new();
            for _ in 0..count {
                text.push_str(&fixtures.value(schema).to_string());
                text.push('\n');
            }
            let name = format!("{}.jsonl", progenitor_snake(id));
            let path = out.join(&name);
            std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
            written.push(name);
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_their_schemas_and_are_reproducible() {
        let doc = json!({"components": {"schemas": {
            "Node": {"type": "object", "required": ["id", "kind"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "at": {"type": "string", "format": "date-time"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "value": {"oneOf": [{"type": "integer"}, {"type": "boolean"}]}
            }}
        }}});
        let schema = json!({"$ref": "#/components/schemas/Node"});
        let first: Vec<Value> = {
            let mut f = Fixtures::new(&doc, 7);
            (0..50).map(|_| f.value(&schema)).collect()
        };
        let again: Vec<Value> = {
            let mut f = Fixtures::new(&doc, 7);
            (0..50).map(|_| f.value(&schema)).collect()
        };
        assert_eq!(first, again);
        for v in &first {
            assert_eq!(v["id"].as_str().map(str::len), Some(36), "{v}");
            assert!(matches!(v["kind"].as_str(), Some("a" | "b")), "{v}");
        }
        assert!(first.iter().any(|v| v.get("at").is_some()));
        assert!(first.iter().any(|v| v.get("at").is_none()));
    }
}
