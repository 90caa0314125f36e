//! `clickstack`: Rust bindings for ClickStack's REST APIs.
//!
//! - [`cloud`]: the ClickHouse Cloud API, including Managed ClickStack
//!   (`clickstack-cloud`);
//! - [`oss`]: the HyperDX External API v2 of open-source ClickStack
//!   (`clickstack-oss`).

pub use clickstack_cloud as cloud;
pub use clickstack_oss as oss;

#[cfg(feature = "fake")]
pub mod fake;
