//! The one schema walker of the diff. Every lookup in a document goes
//! through [`Doc`]:
//!
//! - [`Doc::resolve`] follows a `$ref` chain (to anywhere in the document);
//! - [`Doc::view`] merges a schema into a [`View`]: `$ref`s followed, `allOf`
//!   members merged (properties and `required`), a one-member
//!   `oneOf`/`anyOf` unwrapped;
//! - [`Reach`] lists the component schemas reachable from a value through
//!   references, directly or through other components;
//! - [`Doc::variant_components`] lists the components read as (part of) a
//!   union variant from given roots.
//!
//! Recursion through schemas is bounded by [`MAX_DEPTH`]; reachability and
//! variant marking use visited sets, so reference cycles end.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};

/// How deep schemas are walked (and `$ref` chains followed) at most.
pub(super) const MAX_DEPTH: usize = 64;

/// Prefix of references to component schemas.
const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The merged view of a schema: `$ref`s followed and `allOf` merged.
#[derive(Debug, Default)]
pub(super) struct View<'a> {
    /// The component the schema stands for, if it is a reference to one
    /// (see [`component_name`]).
    pub(super) name: Option<String>,
    /// `type`; `object` or `array` when only `properties` or `items` say so.
    pub(super) ty: Option<&'a str>,
    /// `format`.
    pub(super) format: Option<&'a str>,
    /// Properties in declaration order, the first declaration of a name
    /// winning.
    pub(super) properties: Vec<(&'a str, &'a Value)>,
    /// Names of the required properties.
    pub(super) required: BTreeSet<&'a str>,
    /// `enum` values.
    pub(super) enum_values: Option<&'a Vec<Value>>,
    /// `items` (a schema, not the tuple form).
    pub(super) items: Option<&'a Value>,
    /// `additionalProperties` when it is a schema.
    pub(super) additional: Option<&'a Value>,
    /// The members of a `oneOf`/`anyOf` of two or more members.
    pub(super) union: Option<&'a Vec<Value>>,
    /// `nullable: true` anywhere in the merged schemas.
    pub(super) nullable: bool,
    /// `readOnly: true` anywhere in the merged schemas.
    pub(super) read_only: bool,
    /// `writeOnly: true` anywhere in the merged schemas.
    pub(super) write_only: bool,
}

impl View<'_> {
    /// Whether the value is an object (declared, or implied by its
    /// properties).
    pub(super) fn is_object(&self) -> bool {
        self.ty == Some("object")
    }
}

/// One (down-converted) document being compared.
#[derive(Debug, Clone, Copy)]
pub(super) struct Doc<'a> {
    /// The whole document.
    root: &'a Value,
}

impl<'a> Doc<'a> {
    /// Wraps a document.
    pub(super) fn new(root: &'a Value) -> Self {
        Doc { root }
    }

    /// The document itself.
    pub(super) fn root(self) -> &'a Value {
        self.root
    }

    /// The target of a local reference (`#/...`), if it exists.
    fn target(self, reference: &str) -> Option<&'a Value> {
        reference
            .strip_prefix('#')
            .and_then(|pointer| self.root.pointer(pointer))
    }

    /// The target of `value`'s `$ref`, if it has one that resolves.
    fn ref_target(self, value: &Value) -> Option<&'a Value> {
        value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| self.target(r))
    }

    /// Follows `$ref`s until a value that is not a reference (at most
    /// [`MAX_DEPTH`] steps).
    pub(super) fn resolve(self, mut value: &'a Value) -> &'a Value {
        for _ in 0..MAX_DEPTH {
            match self.ref_target(value) {
                Some(target) => value = target,
                None => break,
            }
        }
        value
    }

    /// The merged view of `schema`.
    pub(super) fn view(self, schema: &'a Value) -> View<'a> {
        let mut v = View {
            name: component_name(schema),
            ..View::default()
        };
        self.collect(schema, &mut v, 0);
        if v.ty.is_none() {
            if !v.properties.is_empty() || v.additional.is_some() {
                v.ty = Some("object");
            } else if v.items.is_some() {
                v.ty = Some("array");
            }
        }
        v
    }

    /// Merges `schema` into `v`: the first value of each keyword wins,
    /// properties and `required` accumulate.
    fn collect(self, schema: &'a Value, v: &mut View<'a>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(obj) = schema.as_object() else {
            return;
        };
        let flag = |key: &str| obj.get(key).and_then(Value::as_bool) == Some(true);
        v.nullable |= flag("nullable");
        v.read_only |= flag("readOnly");
        v.write_only |= flag("writeOnly");
        if let Some(target) = self.ref_target(schema) {
            self.collect(target, v, depth + 1);
        }
        if v.ty.is_none() {
            v.ty = obj.get("type").and_then(Value::as_str);
        }
        if v.format.is_none() {
            v.format = obj.get("format").and_then(Value::as_str);
        }
        if v.enum_values.is_none() {
            v.enum_values = obj.get("enum").and_then(Value::as_array);
        }
        if v.items.is_none() {
            v.items = obj.get("items").filter(|i| i.is_object());
        }
        if v.additional.is_none() {
            v.additional = obj.get("additionalProperties").filter(|a| a.is_object());
        }
        for key in ["oneOf", "anyOf"] {
            let Some(members) = obj.get(key).and_then(Value::as_array) else {
                continue;
            };
            match members.as_slice() {
                // 3.0 writes a nullable reference as `oneOf: [{$ref}]`.
                [single] => self.collect(single, v, depth + 1),
                _ if v.union.is_none() => v.union = Some(members),
                _ => {}
            }
        }
        if let Some(Value::Object(props)) = obj.get("properties") {
            for (name, prop) in props {
                if !v.properties.iter().any(|(n, _)| n == name) {
                    v.properties.push((name.as_str(), prop));
                }
            }
        }
        if let Some(Value::Array(required)) = obj.get("required") {
            v.required.extend(required.iter().filter_map(Value::as_str));
        }
        if let Some(Value::Array(members)) = obj.get("allOf") {
            for member in members {
                self.collect(member, v, depth + 1);
            }
        }
    }

    /// The names of the component schemas, in document order.
    pub(super) fn component_names(self) -> Vec<&'a str> {
        self.root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| schemas.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The components a generated client reads as (part of) a union
    /// variant: every component that stands in a `oneOf`/`anyOf` member
    /// reached from `roots` (the success response schemas), following
    /// `$ref`s and `allOf` merges but not properties, items or additional
    /// properties. This is the rule by which the generated clients keep
    /// `required` on variants and let other response objects miss fields.
    pub(super) fn variant_components<I>(self, roots: I) -> HashSet<String>
    where
        I: IntoIterator<Item = &'a Value>,
    {
        let mut seen = HashMap::new();
        let mut out = HashSet::new();
        for root in roots {
            self.mark_variants(root, false, &mut seen, &mut out, 0);
        }
        out
    }

    /// Walks `schema` for [`Doc::variant_components`]; `variant` when it
    /// stands in a union member. `seen` maps each visited schema to whether
    /// it was visited as a variant (a later variant visit upgrades it).
    fn mark_variants(
        self,
        schema: &'a Value,
        variant: bool,
        seen: &mut HashMap<*const Value, bool>,
        out: &mut HashSet<String>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            if variant && let Some((name, true)) = schema_ref(reference) {
                out.insert(name);
            }
            if let Some(target) = self.target(reference) {
                self.mark_variants(target, variant, seen, out, depth + 1);
            }
            return;
        }
        let key = std::ptr::from_ref(schema);
        if seen.get(&key).is_some_and(|&was| was || !variant) {
            return;
        }
        seen.insert(key, variant);
        let Some(obj) = schema.as_object() else {
            return;
        };
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = obj.get(key) {
                for member in members {
                    self.mark_variants(member, true, seen, out, depth + 1);
                }
            }
        }
        if let Some(Value::Array(members)) = obj.get("allOf") {
            for member in members {
                self.mark_variants(member, variant, seen, out, depth + 1);
            }
        }
        if let Some(Value::Object(props)) = obj.get("properties") {
            for prop in props.values() {
                self.mark_variants(prop, false, seen, out, depth + 1);
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(sub) = obj.get(key).filter(|v| v.is_object()) {
                self.mark_variants(sub, false, seen, out, depth + 1);
            }
        }
    }
}

/// The component schemas reachable from values of one document, following
/// every local reference (to schemas, responses, parameters, ...)
/// transitively. The references inside each target are memoized, so asking
/// for every operation of a document stays linear in practice.
#[derive(Debug)]
pub(super) struct Reach<'a> {
    /// The document references are resolved in.
    doc: Doc<'a>,
    /// The references directly inside the target of each reference.
    edges: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Reach<'a> {
    /// An empty memo over `doc`.
    pub(super) fn new(doc: Doc<'a>) -> Self {
        Reach {
            doc,
            edges: HashMap::new(),
        }
    }

    /// The names of the component schemas reachable from `values`.
    pub(super) fn components<I>(&mut self, values: I) -> BTreeSet<String>
    where
        I: IntoIterator<Item = &'a Value>,
    {
        let mut queue = Vec::new();
        for value in values {
            refs_in(value, &mut queue);
        }
        let mut seen = HashSet::new();
        let mut found = BTreeSet::new();
        while let Some(reference) = queue.pop() {
            if !seen.insert(reference) {
                continue;
            }
            if let Some((name, _)) = schema_ref(reference) {
                found.insert(name);
            }
            let doc = self.doc;
            let next = self.edges.entry(reference).or_insert_with(|| {
                let mut out = Vec::new();
                if let Some(target) = doc.target(reference) {
                    refs_in(target, &mut out);
                }
                out
            });
            queue.extend(next.iter().copied());
        }
        found
    }
}

/// The component a schema stands for: a direct `$ref` to a component, or
/// the 3.0 nullable-reference idioms `allOf: [{$ref}]`, `oneOf: [{$ref}]`
/// or `anyOf: [{$ref}]` with no other structure.
pub(super) fn component_name(schema: &Value) -> Option<String> {
    let obj = schema.as_object()?;
    if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
        return schema_ref(r).and_then(|(name, whole)| whole.then_some(name));
    }
    let structural = [
        "properties",
        "type",
        "items",
        "enum",
        "additionalProperties",
    ];
    if structural.iter().any(|k| obj.contains_key(*k)) {
        return None;
    }
    let mut wrappers = ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|k| obj.get(*k).and_then(Value::as_array));
    match (wrappers.next(), wrappers.next()) {
        (Some(members), None) if members.len() == 1 => members.first().and_then(component_name),
        _ => None,
    }
}

/// The component a reference points into, unescaped, and whether it points
/// at the component itself (rather than inside it).
fn schema_ref(reference: &str) -> Option<(String, bool)> {
    let rest = reference.strip_prefix(SCHEMA_PREFIX)?;
    let (token, whole) = match rest.split_once('/') {
        Some((token, _)) => (token, false),
        None => (rest, true),
    };
    Some((token.replace("~1", "/").replace("~0", "~"), whole))
}

/// Pushes every `$ref` string found anywhere in `value`.
fn refs_in<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    for_each_object(value, &mut |obj| {
        if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
            out.push(reference);
        }
    });
}

/// Calls `f` on every JSON object in `value`, outer objects first.
fn for_each_object<'a>(value: &'a Value, f: &mut dyn FnMut(&'a Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            f(map);
            for v in map.values() {
                for_each_object(v, f);
            }
        }
        Value::Array(items) => {
            for v in items {
                for_each_object(v, f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn view_follows_refs_and_merges_all_of() {
        let doc = json!({"components": {"schemas": {
            "Base": {"properties": {"id": {"type": "string"}}, "required": ["id"]},
            "Thing": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"properties": {"n": {"type": "integer"}, "id": {"type": "number"}}, "required": ["n"]}
            ], "nullable": true}
        }}});
        let d = Doc::new(&doc);
        let schema = json!({"$ref": "#/components/schemas/Thing"});
        let v = d.view(&schema);
        assert_eq!(v.name.as_deref(), Some("Thing"));
        assert_eq!(v.ty, Some("object"));
        assert!(v.is_object());
        assert!(v.nullable);
        let names: Vec<_> = v.properties.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, vec!["id", "n"]);
        // The first declaration of `id` (from Base) wins.
        assert_eq!(v.properties[0].1["type"], "string");
        assert_eq!(v.required.iter().copied().collect::<Vec<_>>(), ["id", "n"]);
    }

    #[test]
    fn single_member_union_is_its_member_and_larger_ones_are_unions() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"x": {"type": "string"}}},
            "B": {"type": "string"}
        }}});
        let d = Doc::new(&doc);
        let wrapped = json!({"oneOf": [{"$ref": "#/components/schemas/A"}], "nullable": true});
        let v = d.view(&wrapped);
        assert_eq!(v.name.as_deref(), Some("A"));
        assert!(v.union.is_none());
        assert!(v.nullable);
        assert_eq!(v.properties.len(), 1);
        let union = json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]});
        let v = d.view(&union);
        assert_eq!(v.name, None);
        assert_eq!(v.union.map(Vec::len), Some(2));
        assert_eq!(v.ty, None);
    }

    #[test]
    fn recursion_is_bounded() {
        let doc = json!({"components": {"schemas": {
            "Loop": {"$ref": "#/components/schemas/Loop"},
            "Self": {"allOf": [{"$ref": "#/components/schemas/Self"}]}
        }}});
        let d = Doc::new(&doc);
        let r = json!({"$ref": "#/components/schemas/Loop"});
        assert_eq!(d.resolve(&r), &doc["components"]["schemas"]["Loop"]);
        let s = json!({"$ref": "#/components/schemas/Self"});
        assert!(d.view(&s).properties.is_empty());
        let mut reach = Reach::new(d);
        let found = reach.components([&s]);
        assert_eq!(found.into_iter().collect::<Vec<_>>(), ["Self"]);
    }

    #[test]
    fn component_names_and_reference_idioms() {
        assert_eq!(
            component_name(&json!({"$ref": "#/components/schemas/a~1b"})).as_deref(),
            Some("a/b")
        );
        assert_eq!(
            component_name(&json!({"allOf": [{"$ref": "#/components/schemas/A"}]})).as_deref(),
            Some("A")
        );
        // Into a component, elsewhere, or with structure: no name.
        assert_eq!(
            component_name(&json!({"$ref": "#/components/schemas/A/properties/x"})),
            None
        );
        assert_eq!(
            component_name(&json!({"$ref": "#/components/responses/A"})),
            None
        );
        assert_eq!(
            component_name(
                &json!({"allOf": [{"$ref": "#/components/schemas/A"}], "type": "object"})
            ),
            None
        );
    }

    #[test]
    fn reach_follows_every_local_reference_transitively() {
        let doc = json!({
            "paths": {"/a": {"get": {"responses": {
                "200": {"$ref": "#/components/responses/Ok"}}}}},
            "components": {
                "responses": {"Ok": {"content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Outer"}}}}},
                "schemas": {
                    "Outer": {"properties": {"inner": {"$ref": "#/components/schemas/Inner/properties/x"}}},
                    "Inner": {"properties": {"x": {"$ref": "#/components/schemas/Leaf"}}},
                    "Leaf": {"type": "string"},
                    "Unused": {"$ref": "#/components/schemas/Leaf"}
                }
            }
        });
        let d = Doc::new(&doc);
        let mut reach = Reach::new(d);
        let found = reach.components([&doc["paths"]]);
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            ["Inner", "Leaf", "Outer"]
        );
        assert_eq!(d.component_names(), ["Outer", "Inner", "Leaf", "Unused"]);
    }

    #[test]
    fn variants_are_union_members_and_what_they_ref_or_merge() {
        let doc = json!({"components": {"schemas": {
            "Page": {"type": "object", "properties": {
                "data": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}},
            "Item": {"type": "object", "properties": {
                "id": {"type": "string"},
                "config": {"oneOf": [
                    {"$ref": "#/components/schemas/A"},
                    {"allOf": [{"$ref": "#/components/schemas/Alias"}]},
                    {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Inner"}}}
                ]}
            }},
            "A": {"allOf": [{"$ref": "#/components/schemas/Base"}],
                  "properties": {"nested": {"$ref": "#/components/schemas/Inner"}}},
            "Alias": {"$ref": "#/components/schemas/Aliased"},
            "Aliased": {"type": "object"},
            "Base": {"type": "object"},
            "Inner": {"type": "object"},
            "RequestOnly": {"anyOf": [{"$ref": "#/components/schemas/Item"}]}
        }}});
        let d = Doc::new(&doc);
        let root = json!({"$ref": "#/components/schemas/Page"});
        let mut variants: Vec<_> = d.variant_components([&root]).into_iter().collect();
        variants.sort();
        // Item is reached from the response as a plain object (and from a
        // union only outside the roots); Inner only as a property.
        assert_eq!(variants, ["A", "Alias", "Aliased", "Base"]);
    }
}
