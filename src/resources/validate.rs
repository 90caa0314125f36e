//! The server-side validation of a dashboard body.

use serde::Deserialize;
use serde_json::Value;

use crate::client::Backend;
use crate::error::Result;
use crate::model::{Dashboard, Resource};
use crate::resources::Resources;
use crate::wire::CloudEnvelope;

/// The server's verdict on a dashboard body.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Validation {
    /// Whether the body passes every rule.
    pub valid: bool,
    /// The problems found.
    #[serde(default)]
    pub errors: Vec<ValidationError>,
    /// The body as the server would store it (without ids), when given.
    #[serde(default)]
    pub normalized: Option<Value>,
}

/// One problem the server found.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ValidationError {
    /// Where (`tiles.0.config.select`).
    #[serde(default)]
    pub path: String,
    /// What is wrong.
    #[serde(default)]
    pub message: String,
}

impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl Resources<'_, Dashboard> {
    /// Asks the backend's validate endpoint whether `dashboard` is valid
    /// (nothing is stored).
    pub async fn validate(&self, dashboard: &Dashboard) -> Result<Validation> {
        let body = dashboard.to_create();
        match &self.client.backend {
            Backend::Cloud {
                client: c,
                organization: o,
                service: s,
            } => self
                .client
                .call(
                    c.click_stack_validate_dashboard_as::<CloudEnvelope<Validation>, Dashboard>(
                        o, s, &body,
                    ),
                )
                .await
                .map(|r| r.result),
            // HyperDX answers the verdict itself, without `{data}`.
            Backend::Oss { client: c } => {
                self.client
                    .call(c.validate_dashboard_as::<Validation, Dashboard>(&body))
                    .await
            }
        }
    }
}
