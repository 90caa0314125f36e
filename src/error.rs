//! The one error type, shared with the generated clients' runtime.

pub use clickstack_runtime::{ApiErrorInfo, ConfigError, Error, Result};
