//! Typed client for the whole ClickHouse Cloud API (OpenAPI 3.1), including
//! Managed ClickStack: dashboards, alerts, sources, webhooks, roles and saved
//! searches.
//!
//! Every operation of the pinned spec (`specs/cloud.json`) is a method on
//! [`Client`], generated at build time by `clickstack-codegen` with
//! progenitor. Responses keep the Cloud envelope (`{status, requestId,
//! result}`); errors decode into [`types::ApiError`] (`{status, error,
//! requestId}`). Use the `clickstack` crate for a client that unwraps
//! envelopes and works with open-source ClickStack too.
//!
//! ```no_run
//! use clickstack_cloud::{Auth, Client};
//!
//! # async fn run() -> Result<(), clickstack_cloud::Error<clickstack_cloud::types::ApiError>> {
//! let client = Client::new(clickstack_cloud::DEFAULT_BASE_URL, Auth::basic("key-id", "key-secret"));
//! let org = uuid::Uuid::nil();
//! let service = uuid::Uuid::nil();
//! let dashboards = client.click_stack_list_dashboards(&org, &service).await?.into_inner();
//! for dashboard in dashboards.result {
//!     println!("{}", dashboard.name.as_deref().unwrap_or("(unnamed)"));
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Forward compatibility: string enums carry an `Unknown(String)` variant
//! and unions an `Unknown(serde_json::Value)` variant, so a response from a
//! newer server that adds a value or a tile type still decodes, and writes
//! back unchanged.
//!
//! Features: `rustls` (default; ring-based TLS), `httpmock` (typed
//! [`httpmock`](https://docs.rs/httpmock) helpers in [`mock`]).

mod auth;
mod base64;
mod quantile;

pub use auth::Auth;
pub use quantile::QuantileLevel;

/// The public ClickHouse Cloud API endpoint.
pub const DEFAULT_BASE_URL: &str = "https://api.clickhouse.cloud";

#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    unused_imports,
    rustdoc::all,
    mismatched_lifetime_syntaxes
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

pub use generated::*;

/// Typed [`httpmock`](https://docs.rs/httpmock) helpers, one `When`/`Then`
/// pair per operation: `server.click_stack_list_dashboards(|when, then| ..)`.
#[cfg(feature = "httpmock")]
#[allow(clippy::all, missing_docs, unused_imports, rustdoc::all)]
pub mod mock {
    include!(concat!(env!("OUT_DIR"), "/httpmock.rs"));
}
