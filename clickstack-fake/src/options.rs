//! How a [`FakeServer`](crate::FakeServer) is started: port, rate limits,
//! Cloud ids and store bounds.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

/// One rate limit: at most `requests` per `window`.
///
/// ```
/// use clickstack_fake::Limit;
/// assert_eq!(Limit::HYPERDX.requests, 100);
/// assert_eq!(Limit::CLOUD.window.as_secs(), 10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Requests allowed per window (0 rejects every request).
    pub requests: u32,
    /// The window.
    pub window: Duration,
}

impl Limit {
    /// HyperDX's limit on `/api/v2`: 100 requests per 60 s per API key.
    pub const HYPERDX: Limit = Limit {
        requests: 100,
        window: Duration::from_secs(60),
    };
    /// The ClickHouse Cloud API's limit: 10 requests per 10 s per key.
    pub const CLOUD: Limit = Limit {
        requests: 10,
        window: Duration::from_secs(10),
    };
}

/// The limits each API enforces when rate limiting is on.
///
/// HyperDX counts in a fixed window that restarts every `window` from the
/// moment the server started (like `express-rate-limit`'s memory store),
/// keyed by the Bearer token (or the client address when there is none),
/// before authentication. Cloud counts in a sliding window per API key id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// The HyperDX API (`/api/v2`) limit.
    pub hyperdx: Limit,
    /// The Cloud API (`/v1`) limit.
    pub cloud: Limit,
}

impl Default for RateLimits {
    /// The real servers' numbers: [`Limit::HYPERDX`] and [`Limit::CLOUD`].
    fn default() -> Self {
        RateLimits {
            hyperdx: Limit::HYPERDX,
            cloud: Limit::CLOUD,
        }
    }
}

/// Settings for [`FakeServer::start_with`](crate::FakeServer::start_with).
///
/// [`FakeServer::start`](crate::FakeServer::start) uses the default: a free
/// port, rate limits off, random Cloud ids.
///
/// ```
/// use clickstack_fake::FakeOptions;
/// let options = FakeOptions {
///     enforce_rate_limits: true,
///     ..FakeOptions::default()
/// };
/// assert_eq!(options.rate_limits.cloud.requests, 10);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeOptions {
    /// The address to listen on: `127.0.0.1` by default (the real HyperDX
    /// API listens on all interfaces; pass `0.0.0.0` for that).
    pub host: IpAddr,
    /// The port to bind; 0 picks a free one.
    pub port: u16,
    /// Whether the rate limits are enforced (429 over the limit, and
    /// HyperDX's `RateLimit-*` headers on its responses). Off by default so
    /// tests may send requests as fast as they like.
    pub enforce_rate_limits: bool,
    /// The limits enforced when [`enforce_rate_limits`](Self::enforce_rate_limits) is on.
    pub rate_limits: RateLimits,
    /// The Cloud organization id to serve; random when `None`.
    pub organization_id: Option<uuid::Uuid>,
    /// The Cloud service id to serve; random when `None`.
    pub service_id: Option<uuid::Uuid>,
    /// Most items of one kind (dashboards, alerts, ...) the store keeps;
    /// creating more gets a 507.
    pub max_items_per_kind: usize,
    /// Most bytes of JSON the store keeps over all items; a write beyond it
    /// gets a 507.
    pub max_store_bytes: usize,
}

impl Default for FakeOptions {
    fn default() -> Self {
        FakeOptions {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            enforce_rate_limits: false,
            rate_limits: RateLimits::default(),
            organization_id: None,
            service_id: None,
            max_items_per_kind: 10_000,
            max_store_bytes: 256 * 1024 * 1024,
        }
    }
}
