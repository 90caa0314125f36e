//! What the `ClickStack` clients share: the generated `clickstack-cloud` and
//! `clickstack-oss` clients call into this crate for every request (through
//! progenitor's hooks), and the `clickstack` facade builds on it.
//!
//! - [`Credentials`]: HTTP Basic (Cloud key id and secret) or Bearer
//!   (`HyperDX` API key), validated when a client is built and never printed.
//! - [`Config`] and [`Context`]: retries ([`RetryPolicy`]), a client-side
//!   rate limiter ([`RateLimit`]) that holds as the server measures it, a
//!   deadline per call, per-attempt and connect timeouts, a bounded response
//!   size and a capped redirect chain.
//! - [`execute`]: one call, with its attempts, waits and a `tracing` span
//!   (`clickstack.request`) per attempt.
//! - [`decode`]: response bodies read within the size limit and decoded in
//!   one pass; error bodies of either API decoded in one place
//!   ([`ErrorBody`]); secrets redacted from every error text.
//! - [`path`]: every caller-supplied id becomes exactly one path segment,
//!   or is refused before the request is sent.
//! - [`Open`]: what open enums and unions (with an `Unknown` variant)
//!   share.
//! - [`Error`]: one error type, classified by status, for the facade and for
//!   callers of the generated clients ([`Error::from_generated`]).
//!
//! ```
//! use std::time::Duration;
//! use clickstack_runtime::{Config, Credentials, RateLimit};
//!
//! let context = Config::new(Credentials::bearer("personal-api-key"))
//!     .rate_limit(Some(RateLimit::new(100, Duration::from_secs(60))))
//!     .deadline(Some(Duration::from_secs(30)))
//!     .build()?;
//! assert_eq!(context.deadline(), Some(Duration::from_secs(30)));
//! assert!(!format!("{context:?}").contains("personal-api-key"));
//! # Ok::<(), clickstack_runtime::ConfigError>(())
//! ```

mod base_url;
mod config;
mod credentials;
pub mod decode;
mod error;
pub mod execute;
mod item;
mod limiter;
mod number;
mod open;
pub mod path;
mod redact;
mod retry;
mod tls;

pub use base_url::normalize_base_url;
pub use config::{Config, ConfigError, Context, Limits};
pub use credentials::Credentials;
pub use decode::ErrorBody;
pub use error::{ApiErrorInfo, Error, Result};
pub use item::UndecodableItem;
pub use limiter::RateLimit;
pub use number::Number;
pub use open::Open;
pub use redact::Redactor;
pub use retry::{RetryPolicy, is_retryable_status, quota_exhausted, server_wait};
pub use tls::install_crypto_provider;

/// The crates the generated clients refer to, re-exported so that a
/// generated crate needs no direct dependency on them.
#[doc(hidden)]
pub mod reexports {
    pub use progenitor_client;
    pub use reqwest;
}
