//! `clickstack`: one Rust client for ClickStack's dashboards, alerts,
//! sources, webhooks and saved searches, on Managed ClickStack (ClickHouse
//! Cloud API) and on open-source ClickStack (HyperDX External API v2).
//!
//! ```no_run
//! use clickstack::{Client, Dashboard, DashboardDocument, Tile, TileConfig};
//!
//! # async fn run() -> clickstack::Result<()> {
//! let client = Client::oss("http://localhost:8000", "personal-api-key")
//!     .rate_limit_default()
//!     .build()?;
//! let document = DashboardDocument(Dashboard {
//!     name: "Service health".into(),
//!     tiles: vec![Tile::new("Notes", TileConfig::markdown("# Runbook"))],
//!     ..Dashboard::default()
//! });
//! let applied = client.dashboards().apply(&document).await?; // create or update by name
//! println!("{:?} {}", applied.action, applied.dashboard.id.unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! - Envelopes are unwrapped: calls return `Vec<Dashboard>`, `Dashboard`.
//! - One [`Error`] type with the status, the server's message and request id.
//! - Retries of 429/502/503/504 with backoff and `Retry-After`, for
//!   idempotent requests only unless you opt in ([`RetryPolicy`]); an
//!   optional client-side [`RateLimiter`].
//! - A `tracing` span per request (`clickstack.request`: method, route,
//!   attempt, status), never with credentials.
//! - The generated clients stay reachable: [`cloud`], [`oss`],
//!   [`Client::cloud_client`], [`Client::oss_client`].
//! - Feature `fake`: [`fake::FakeServer`], a stateful in-process fake of both
//!   APIs for examples and tests.

mod client;
mod error;
mod limiter;
mod model;
mod resources;
mod retry;

pub use client::{BackendKind, Client, ClientBuilder, env};
pub use error::{ApiErrorInfo, Error, Result};
pub use limiter::RateLimiter;
pub use model::{Alert, Dashboard, Resource, SavedSearch, Source, Tile, TileConfig, Webhook};
pub use resources::{
    Applied, ApplyAction, DashboardDocument, DashboardsApi, Operations, PAGE_SIZE, Page, Resources,
    Validation,
};
pub use retry::RetryPolicy;

pub use clickstack_cloud as cloud;
pub use clickstack_oss as oss;

#[cfg(feature = "fake")]
pub mod fake;

/// The README's Rust examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
