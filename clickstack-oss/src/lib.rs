//! Typed client for the HyperDX External API v2: open-source ClickStack's
//! dashboards, alerts, sources, webhooks, saved searches, connections,
//! search, charts and team.
//!
//! Every operation of the pinned spec is a method on [`Client`], generated
//! by `clickstack-codegen` with progenitor. Every request runs through
//! [`clickstack_runtime`]: validated credentials and base URL, retries of
//! idempotent requests, the documented rate limit (100 requests per
//! minute), a deadline per call, bounded response bodies, path segments
//! that cannot change the route, and a `tracing` span per attempt.
//!
//! ```no_run
//! use clickstack_oss::{Client, Credentials};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // The HyperDX API server listens on port 8000.
//! let client = Client::new("http://localhost:8000", Credentials::bearer("personal-api-key"))?;
//! let dashboards = client.list_dashboards().await?.into_inner().data;
//! for dashboard in dashboards.unwrap_or_default() {
//!     println!("{}", dashboard.name.as_deref().unwrap_or("(unnamed)"));
//! }
//! # Ok(())
//! # }
//! ```
//!
//! - Responses keep the HyperDX envelope (`{data}` or `{data, meta}`);
//!   every error status decodes into [`types::ApiError`] (`{message}`), and
//!   [`runtime::Error::from_generated`] turns an [`Error`] into the
//!   runtime's classified error (not found, rate limited with its wait, ...).
//! - Forward compatibility: every string enum has `Unknown(String)`, every
//!   union `Unknown(serde_json::Value)`, response objects keep unknown
//!   fields in `extra` and tolerate missing ones, so an older client reads
//!   a newer server and writes back what it read.
//! - Every operation with a JSON body has a generic twin, `<operation>_as`,
//!   that decodes into your own type.
//! - Features: `types` (default): the typed operations and [`types`];
//!   without it, the client and the generic twins only (what a caller with
//!   its own types needs, such as the `clickstack` facade), a much faster
//!   build. `rustls` (default) or `rustls-ring` for TLS, `httpmock` (with
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

/// Typed [`httpmock`](https://docs.rs/httpmock) helpers, one `When`/`Then`
/// pair per operation: `server.list_dashboards(|when, then| ..)`.
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
