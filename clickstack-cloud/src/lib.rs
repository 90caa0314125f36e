//! Typed client for the ClickHouse Cloud API (OpenAPI 3.1), Managed
//! ClickStack first: dashboards, alerts, sources, webhooks, roles and saved
//! searches, and, with their features, every other area of the API.
//!
//! Every operation of the pinned spec is a method on [`Client`], generated
//! by `clickstack-codegen` with progenitor. Every request runs through
//! [`clickstack_runtime`]: validated credentials and base URL, retries of
//! idempotent requests, the documented rate limit (10 requests per
//! 10 s per key), a deadline per call, bounded response bodies, path segments
//! that cannot change the route, and a `tracing` span per attempt.
//!
//! ```no_run
//! use clickstack_cloud::{Client, Credentials, DEFAULT_BASE_URL};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(DEFAULT_BASE_URL, Credentials::basic("key-id", "key-secret"))?;
//! let (org, service) = (uuid::Uuid::nil(), uuid::Uuid::nil());
//! let dashboards = client.click_stack_list_dashboards(&org, &service).await?.into_inner();
//! for dashboard in dashboards.result.unwrap_or_default() {
//!     println!("{}", dashboard.name.as_deref().unwrap_or("(unnamed)"));
//! }
//! # Ok(())
//! # }
//! ```
//!
//! - Responses keep the Cloud envelope (`{status, requestId, result}`);
//!   every error status decodes into [`types::ApiError`] (`{status, error,
//!   requestId}`), and
//!   [`runtime::Error::from_generated`] turns an [`Error`] into the
//!   runtime's classified error (not found, rate limited with its wait, ...).
//! - Forward compatibility: every string enum has `Unknown(String)`, every
//!   union `Unknown(serde_json::Value)`, response objects keep unknown
//!   fields in `extra` and tolerate missing ones, so an older client reads
//!   a newer server and writes back what it read.
//! - Every operation with a JSON body has a generic twin, `<operation>_as`,
//!   that decodes into your own type.
//! - Features, one per API area: `clickstack` (default), `service`,
//!   `clickpipes`, `organization`, ... or `full` for all of them. An area's
//!   operations, and the types only they reach, compile only with its
//!   feature. `types` (default): the typed operations and [`types`];
//!   without it, the client and the generic twins only (what a caller with
//!   its own types needs, such as the `clickstack` facade), a much faster
//!   build. TLS: `rustls` (default) or `rustls-ring`; `httpmock` (with
//!   `types`) for typed [`httpmock`](https://docs.rs/httpmock) helpers in
//!   `mock`.

#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    unused_imports,
    unused_qualifications,
    unreachable_pub,
    dead_code,
    rustdoc::all,
    mismatched_lifetime_syntaxes
)]
mod generated;

pub use clickstack_runtime as runtime;
pub use clickstack_runtime::{Config, ConfigError, Context, Credentials, RateLimit, RetryPolicy};
pub use generated::*;

/// The public ClickHouse Cloud API endpoint.
pub const DEFAULT_BASE_URL: &str = "https://api.clickhouse.cloud";

/// Typed [`httpmock`](https://docs.rs/httpmock) helpers, one `When`/`Then`
/// pair per operation: `server.click_stack_list_dashboards(|when, then| ..)`.
#[cfg(feature = "httpmock")]
#[allow(
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    unused_imports,
    unused_qualifications,
    unreachable_pub,
    rustdoc::all
)]
pub mod mock;
