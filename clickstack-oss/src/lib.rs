//! Typed client for the HyperDX External API v2: open-source ClickStack's
//! dashboards, alerts, sources, webhooks, saved searches, connections,
//! search, charts and team.
//!
//! Every operation of the pinned spec (`specs/oss.json`) is a method on
//! [`Client`], generated at build time by `clickstack-codegen` with
//! progenitor. Responses keep the HyperDX envelope (`{data}` or `{data,
//! meta}`); errors decode into [`types::ApiError`] (`{message}`). Use the
//! `clickstack` crate for a client that unwraps envelopes and works with
//! Managed ClickStack too.
//!
//! ```no_run
//! use clickstack_oss::{Auth, Client};
//!
//! # async fn run() -> Result<(), clickstack_oss::Error<clickstack_oss::types::ApiError>> {
//! // The HyperDX API server listens on port 8000.
//! let client = Client::new("http://localhost:8000", Auth::bearer("personal-api-key"));
//! let dashboards = client.list_dashboards().await?.into_inner();
//! for dashboard in dashboards.data {
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

pub use auth::Auth;

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
/// pair per operation: `server.list_dashboards(|when, then| ..)`.
#[cfg(feature = "httpmock")]
#[allow(clippy::all, missing_docs, unused_imports, rustdoc::all)]
pub mod mock {
    include!(concat!(env!("OUT_DIR"), "/httpmock.rs"));
}
