//! `clickstack`: one Rust client for `ClickStack`'s dashboards, alerts,
//! sources, webhooks and saved searches, on Managed `ClickStack` (`ClickHouse`
//! Cloud API) and on open-source `ClickStack` (`HyperDX` External API v2).
//!
//! ```no_run
//! use clickstack::{ChartConfig, Client, Dashboard, DashboardDocument, SelectItem, Tile, TileConfig};
//!
//! # async fn run() -> clickstack::Result<()> {
//! let client = Client::oss("http://localhost:8000", "personal-api-key").build()?;
//! let document = DashboardDocument::new(
//!     Dashboard::new("Service health")
//!         .tile(Tile::new("Notes", TileConfig::markdown("# Runbook")))
//!         .tile(
//!             Tile::new(
//!                 "Errors",
//!                 TileConfig::line(ChartConfig::new("65f5e4a3b9e77c001a111111").select(SelectItem::count())),
//!             )
//!             .at(12, 0),
//!         ),
//! );
//! let applied = client.dashboards().apply(&document).await?; // created, updated or unchanged
//! for change in &applied.changes {
//!     println!("{change}");
//! }
//! # Ok(()) }
//! ```
//!
//! - **Typed, forward-compatible resources** ([`Dashboard`], [`TileConfig`]
//!   per kind, [`Alert`], [`Source`], [`Webhook`], [`SavedSearch`]): every
//!   enum keeps unknown values, unknown tile kinds stay raw JSON, every
//!   object keeps unknown fields, a field the specs let the server leave
//!   out is an `Option`, and nothing the server did not send is filled in.
//! - **Envelopes unwrapped**, lists paged without trusting the server
//!   (`list`, `stream`, `page`); an item that does not decode is reported
//!   ([`Listing::undecodable`]) and never fails the others.
//! - **Everything as code** ([`as_code`]): typed documents for dashboards,
//!   saved searches and alerts (references by name), a pure planner with
//!   field-level [`FieldChange`]s and typed problems, plans saved as JSON,
//!   and an apply that writes exactly the plan and refuses a stale one.
//! - **`HyperDX`'s own dashboard files** ([`hyperdx`]): its UI's exports
//!   and shipped templates read as documents and written back, what the
//!   APIs cannot hold reported tile by tile.
//! - **One [`Error`]** with the status, the server's message and request id.
//! - **Safe by default**, through `clickstack-runtime`: the backend's rate
//!   limit, retries of idempotent requests only, a deadline per call,
//!   bounded responses, ids that cannot change the route, secrets never in
//!   errors or logs, a `tracing` span per request.
//! - The generated clients stay reachable: [`cloud`], [`oss`],
//!   [`Client::cloud_client`], [`Client::oss_client`]: every operation's
//!   generic `_as` twin, and with the `generated-types` feature their
//!   typed operations and types.

pub mod as_code;
mod client;
mod error;
mod field;
pub mod hyperdx;
mod model;
mod resources;
mod wire;

pub use as_code::{
    Action, AlertDocument, Applied, ApplyError, ApplyOptions, ChannelDocument, DashboardDocument,
    Documents, FieldChange, Plan, PlanOptions, SavedSearchDocument, SourceRef,
};
pub use client::{BackendKind, Client, ClientBuilder, MAX_PAGES, PAGE_SIZE, env};
pub use error::{ApiErrorInfo, ConfigError, Error, Result};
pub use field::Field;
pub use model::*;
pub use resources::{
    DashboardsApi, Listing, Operations, Page, Resources, Validation, ValidationError,
};

pub use clickstack_cloud as cloud;
pub use clickstack_oss as oss;
pub use clickstack_runtime as runtime;
pub use clickstack_runtime::{Config, Limits, RateLimit, RetryPolicy, UndecodableItem};

/// The README's Rust examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
