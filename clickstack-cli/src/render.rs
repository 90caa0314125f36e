//! Plans for people (text, coloured on a terminal) and for machines
//! (JSON).

use std::fmt::Write as _;

use anyhow::{Context, Result};
use clickstack::as_code::{Action, Plan, Step};
use serde_json::json;

use crate::connect::Target;
use crate::layout::Layout;
use crate::output::Style;

/// Where the plan came from, for its first lines.
pub(crate) enum Header {
    /// Planned now from DIR.
    Dir {
        /// DIR as given.
        dir: String,
        /// "2 dashboards, 1 alert".
        summary: String,
    },
    /// A plan file saved earlier.
    PlanFile(String),
}

/// Where a step's resource is: its file in DIR, else its id.
fn location(step: &Step, layout: Option<&Layout>) -> String {
    match (layout.and_then(|l| l.file(step.kind, &step.name)), &step.id) {
        (Some(file), _) if step.action != Action::Delete => file.to_string(),
        (_, Some(id)) if step.action == Action::Delete => format!("id {id}, not in DIR"),
        (_, Some(id)) => format!("id {id}"),
        (_, None) => String::new(),
    }
}

/// One step as a block: the action line and its field-level changes.
fn step_block(out: &mut String, step: &Step, layout: Option<&Layout>, style: Style) {
    let (sign, verb) = match step.action {
        Action::Create => (style.green("+"), style.green("create")),
        Action::Update => (style.yellow("~"), style.yellow("update")),
        Action::Delete => (style.red("-"), style.red("delete")),
        Action::Unchanged => return,
    };
    let _ = writeln!(
        out,
        "\n{sign} {verb} {} {:?} {}",
        step.kind,
        step.name,
        style.dim(&format!("({})", location(step, layout)))
    );
    for change in &step.changes {
        let line = change.to_string();
        let painted = match (&change.before, &change.after) {
            (None, Some(_)) => style.green(&line),
            (Some(_), None) => style.red(&line),
            _ => style.yellow(&line),
        };
        let _ = writeln!(out, "      {painted}");
    }
}

/// The plan as text: where it comes from, one block per change, a summary
/// line.
pub(crate) fn text(
    plan: &Plan,
    target: &Target,
    header: &Header,
    layout: Option<&Layout>,
    style: Style,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", style.bold("Target:"), target.description);
    let source = match header {
        Header::Dir { dir, summary } => {
            let _ = writeln!(out, "{} {dir} ({summary})", style.bold("Documents:"));
            dir.clone()
        }
        Header::PlanFile(file) => {
            let _ = writeln!(out, "{} {file}", style.bold("Plan:"));
            file.clone()
        }
    };
    for step in &plan.steps {
        step_block(&mut out, step, layout, style);
    }
    for note in &plan.notes {
        let _ = writeln!(out, "\n{} {note}", style.yellow("note:"));
    }
    let s = plan.summary();
    if plan.has_changes() {
        let _ = writeln!(
            out,
            "\n{} {} to create, {} to update, {} to delete, {} unchanged.",
            style.bold("Plan:"),
            s.create,
            s.update,
            s.delete,
            s.unchanged
        );
    } else {
        let _ = writeln!(
            out,
            "\n{} the target matches {source} ({} unchanged).",
            style.bold("No changes:"),
            s.unchanged
        );
    }
    out
}

/// The plan as JSON for machines: the target, a summary and every
/// resource with its file and field-level changes.
pub(crate) fn to_json(plan: &Plan, target: &Target, layout: Option<&Layout>) -> Result<String> {
    let resources: Vec<serde_json::Value> = plan
        .steps
        .iter()
        .map(|step| {
            json!({
                "kind": step.kind,
                "name": step.name,
                "action": step.action,
                "file": layout.and_then(|l| l.file(step.kind, &step.name)),
                "id": step.id,
                "changes": step.changes,
            })
        })
        .collect();
    let value = json!({
        "target": {
            "backend": match target.backend() {
                clickstack::BackendKind::Oss => "hyperdx",
                clickstack::BackendKind::Cloud => "cloud",
            },
            "url": target.url,
        },
        "changes": plan.has_changes(),
        "summary": plan.summary(),
        "resources": resources,
        "notes": plan.notes,
    });
    let mut text = serde_json::to_string_pretty(&value).context("cannot write the plan as JSON")?;
    text.push('\n');
    Ok(text)
}
