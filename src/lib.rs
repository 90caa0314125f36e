//! `clickstack`: Rust bindings for ClickStack's REST APIs.
//!
//! Today this crate re-exports the two generated clients:
//!
//! - [`cloud`]: the ClickHouse Cloud API, including Managed ClickStack
//!   (`clickstack-cloud`);
//! - [`oss`]: the HyperDX External API v2 of open-source ClickStack
//!   (`clickstack-oss`).
//!
//! ```no_run
//! use clickstack::oss::{Auth, Client};
//! let client = Client::new("http://localhost:8000", Auth::bearer("personal-api-key"));
//! # let _ = client;
//! ```

pub use clickstack_cloud as cloud;
pub use clickstack_oss as oss;
