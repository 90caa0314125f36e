//! Declared spec fixes: corrections of upstream bugs, kept as data in
//! `specs/<api>.json` so that each one says why it exists and is noticed
//! when upstream fixes the bug (its precondition no longer holds and the
//! build prints a warning).

use serde_json::Value;

use super::StepReport;
use crate::manifest::{Edit, Fix};
use crate::pointer;

/// Which fixes applied and which are stale.
#[derive(Debug, Clone, Default)]
pub struct FixOutcome {
    /// Ids of fixes whose edits were all applied.
    pub applied: Vec<String>,
    /// Ids of fixes that did not apply, with the first failed precondition.
    pub stale: Vec<(String, String)>,
}

impl FixOutcome {
    /// The outcome as a pipeline step report.
    pub fn report(&self) -> StepReport {
        let mut report = StepReport::new("fixes");
        report.changes = self.applied.len();
        report
            .notes
            .extend(self.applied.iter().map(|id| format!("applied `{id}`")));
        report.notes.extend(
            self.stale
                .iter()
                .map(|(id, why)| format!("stale `{id}`: {why}")),
        );
        report
    }
}

/// Checks whether one edit's precondition holds in `doc`.
pub fn precondition(doc: &Value, edit: &Edit) -> Result<(), String> {
    match edit {
        Edit::Replace {
            pointer, expect, ..
        } => match doc.pointer(pointer) {
            None => Err(format!("`{pointer}` does not exist")),
            Some(found) if found != expect => Err(format!(
                "`{pointer}` is no longer the value the fix expects (found {})",
                truncate(&found.to_string())
            )),
            Some(_) => Ok(()),
        },
        Edit::Add { pointer, .. } => {
            if doc.pointer(pointer).is_some() {
                return Err(format!("`{pointer}` already exists upstream"));
            }
            let mut toks = pointer::tokens(pointer);
            toks.pop();
            let parent: String = toks
                .iter()
                .map(|t| format!("/{}", pointer::escape(t)))
                .collect();
            match doc.pointer(&parent) {
                Some(_) => Ok(()),
                None => Err(format!("`{parent}` does not exist")),
            }
        }
        Edit::Retitle {
            pointer, expect, ..
        } => match doc.pointer(pointer).and_then(|s| s.get("title")) {
            Some(Value::String(t)) if t == expect => Ok(()),
            Some(other) => Err(format!("`{pointer}` has title {other}, not \"{expect}\"")),
            None => Err(format!("`{pointer}` has no title")),
        },
    }
}

fn truncate(s: &str) -> String {
    if s.len() > 120 {
        let mut end = 120;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &s[..end])
    } else {
        s.to_string()
    }
}

fn perform(doc: &mut Value, edit: &Edit) -> Result<(), String> {
    match edit {
        Edit::Replace { pointer, value, .. } | Edit::Add { pointer, value } => {
            pointer::set(doc, pointer, value.clone()).map(|_| ())
        }
        Edit::Retitle { pointer, title, .. } => {
            let schema = doc
                .pointer_mut(pointer)
                .and_then(Value::as_object_mut)
                .ok_or_else(|| format!("`{pointer}` is not an object"))?;
            schema.insert("title".into(), Value::String(title.clone()));
            Ok(())
        }
    }
}

/// Applies each fix whose preconditions all hold; reports the others.
pub fn apply(doc: &mut Value, fixes: &[Fix]) -> FixOutcome {
    let mut outcome = FixOutcome::default();
    for fix in fixes {
        if let Some(reason) = fix.edits.iter().find_map(|e| precondition(doc, e).err()) {
            outcome.stale.push((fix.id.clone(), reason));
            continue;
        }
        let mut patched = doc.clone();
        match fix.edits.iter().try_for_each(|e| perform(&mut patched, e)) {
            Ok(()) => {
                *doc = patched;
                outcome.applied.push(fix.id.clone());
            }
            Err(reason) => outcome.stale.push((fix.id.clone(), reason)),
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn level_fix() -> Fix {
        Fix {
            id: "level".into(),
            why: "number-typed enum with string values".into(),
            edits: vec![
                Edit::Replace {
                    pointer: "/components/schemas/Item/properties/level".into(),
                    expect: json!({"type": "number", "enum": ["0.5"]}),
                    value: json!({"$ref": "#/components/schemas/Level"}),
                },
                Edit::Add {
                    pointer: "/components/schemas/Level".into(),
                    value: json!({"type": "number"}),
                },
            ],
        }
    }

    #[test]
    fn applies_when_upstream_still_has_the_bug() {
        let mut doc = json!({"components": {"schemas": {"Item": {"properties": {
            "level": {"type": "number", "enum": ["0.5"]}
        }}}}});
        let out = apply(&mut doc, &[level_fix()]);
        assert_eq!(out.applied, vec!["level"]);
        assert!(out.stale.is_empty());
        assert_eq!(
            doc["components"]["schemas"]["Level"],
            json!({"type": "number"})
        );
        assert_eq!(
            doc["components"]["schemas"]["Item"]["properties"]["level"]["$ref"],
            "#/components/schemas/Level"
        );
    }

    #[test]
    fn a_fixed_upstream_bug_makes_the_fix_stale_and_changes_nothing() {
        let original = json!({"components": {"schemas": {"Item": {"properties": {
            "level": {"type": "number"}
        }}}}});
        let mut doc = original.clone();
        let out = apply(&mut doc, &[level_fix()]);
        assert!(out.applied.is_empty());
        assert_eq!(out.stale.len(), 1);
        assert!(
            out.stale[0].1.contains("no longer the value"),
            "{:?}",
            out.stale
        );
        assert_eq!(
            doc, original,
            "a stale fix must not apply half of its edits"
        );
    }

    #[test]
    fn retitle_renames_a_colliding_inline_title() {
        let mut doc = json!({"components": {"schemas": {"A": {"properties": {"b": {"title": "B", "oneOf": []}}}}}});
        let fix = Fix {
            id: "t".into(),
            why: "collision".into(),
            edits: vec![Edit::Retitle {
                pointer: "/components/schemas/A/properties/b".into(),
                expect: "B".into(),
                title: "AB".into(),
            }],
        };
        assert_eq!(apply(&mut doc, &[fix]).applied, vec!["t"]);
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["b"]["title"],
            "AB"
        );
    }
}
