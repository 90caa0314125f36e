//! Environment variables read by [`crate::Client::from_env`] (and the
//! `clickstack` command).

/// `HyperDX` API base URL (for example `http://localhost:8000`).
pub const URL: &str = "CLICKSTACK_URL";
/// `HyperDX` Personal API Access Key.
pub const API_KEY: &str = "CLICKSTACK_API_KEY";
/// `ClickHouse` Cloud API key id.
pub const CLOUD_KEY_ID: &str = "CLICKHOUSE_CLOUD_KEY_ID";
/// `ClickHouse` Cloud API key secret.
pub const CLOUD_KEY_SECRET: &str = "CLICKHOUSE_CLOUD_KEY_SECRET";
/// `ClickHouse` Cloud organization id (UUID).
pub const CLOUD_ORGANIZATION_ID: &str = "CLICKHOUSE_CLOUD_ORGANIZATION_ID";
/// `ClickHouse` Cloud service id (UUID) of the `ClickStack` service.
pub const CLOUD_SERVICE_ID: &str = "CLICKHOUSE_CLOUD_SERVICE_ID";
/// Optional Cloud API base URL (default `https://api.clickhouse.cloud`).
pub const CLOUD_API_URL: &str = "CLICKHOUSE_CLOUD_API_URL";
