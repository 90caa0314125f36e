//! Dashboards-as-code: portable documents, export, validation, and apply
//! that is idempotent against what real servers store.

mod apply;
mod document;
mod normal_form;
mod plan;
mod validate;

pub use apply::{Applied, ApplyAction, ApplyOptions};
pub use document::DashboardDocument;
pub use plan::FieldChange;
pub use validate::{Validation, ValidationError};
