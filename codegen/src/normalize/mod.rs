//! Normalization: named transformations of a raw upstream document into
//! the OpenAPI 3.0 shape progenitor generates well. Each step is a module
//! with its own tests; [`normalize`] runs them in order and reports what
//! each one changed.
//!
//! | step | what it does |
//! |------|--------------|
//! | [`fixes`] | applies the declared spec fixes of the manifest |
//! | [`downconvert`] | OpenAPI 3.1 to 3.0 (type arrays, null unions, `const`, ...) |
//! | [`errors`] | one shared error schema for every error response |
//! | [`forward_compat`] | drops validation keywords, closed objects and defaults |
//! | [`objects`] | `type: object` on property-only schemas |
//! | [`required`] | response objects that are not union variants accept missing fields |
//! | [`names`] | every name becomes a Rust name that generates (keywords, digits, collisions) |

pub mod downconvert;
pub mod errors;
pub mod fixes;
pub mod forward_compat;
pub mod names;
pub mod objects;
pub mod required;

use serde_json::Value;

use crate::Result;
use crate::manifest::Manifest;

/// What one step did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepReport {
    /// The step's name.
    pub step: &'static str,
    /// How many places it changed.
    pub changes: usize,
    /// Notes worth showing to a maintainer (for example fixes that no
    /// longer apply).
    pub notes: Vec<String>,
}

impl StepReport {
    pub(crate) fn new(step: &'static str) -> Self {
        StepReport {
            step,
            ..Default::default()
        }
    }
}

/// What the whole pipeline did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One entry per step, in the order they ran.
    pub steps: Vec<StepReport>,
    /// Declared fixes that were applied.
    pub fixes_applied: Vec<String>,
    /// Declared fixes that no longer apply, with the reason.
    pub fixes_stale: Vec<(String, String)>,
    /// Parameters whose wire names the generated code must restore.
    pub param_renames: Vec<names::ParamRename>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for step in &self.steps {
            writeln!(f, "{:<16} {:>5} change(s)", step.step, step.changes)?;
            for note in &step.notes {
                writeln!(f, "    {note}")?;
            }
        }
        Ok(())
    }
}

/// Runs every step over `doc` in place.
pub fn normalize(doc: &mut Value, manifest: &Manifest) -> Result<Report> {
    let mut report = Report::default();
    let fix_outcome = fixes::apply(doc, &manifest.fixes);
    report.fixes_applied = fix_outcome.applied.clone();
    report.fixes_stale = fix_outcome.stale.clone();
    report.steps.push(fix_outcome.report());
    report.steps.push(downconvert::apply(doc)?);
    report
        .steps
        .push(errors::apply(doc, &manifest.error_schema)?);
    report.steps.push(forward_compat::apply(doc));
    report.steps.push(objects::apply(doc));
    report.steps.push(required::apply(doc));
    let (names, renames) = names::apply(doc);
    report.steps.push(names);
    report.param_renames = renames;
    Ok(report)
}
