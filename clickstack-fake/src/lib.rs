//! A stateful fake of both ClickStack APIs, for tests: in-process
//! ([`FakeServer`]) or as a process (the `clickstack-fake` binary).
//!
//! One local port serves:
//!
//! - the HyperDX External API v2 (open-source ClickStack) under `/api/v2`,
//!   authenticated with `Authorization: Bearer` [`FakeServer::API_KEY`];
//! - the ClickStack endpoints of the ClickHouse Cloud API (Managed
//!   ClickStack) under
//!   `/v1/organizations/{organizationId}/services/{serviceId}/clickstack`,
//!   authenticated with HTTP Basic [`FakeServer::CLOUD_KEY_ID`] /
//!   [`FakeServer::CLOUD_KEY_SECRET`], for the one organization and service
//!   it reports.
//!
//! Dashboards, alerts, sources, webhooks and saved searches (and HyperDX's
//! connections) live in one store shared by both APIs. The fake behaves
//! like the real servers, as read from HyperDX's code (the server behind
//! both APIs): request bodies are checked against the generated request
//! types of `clickstack-oss` and `clickstack-cloud` (so against the pinned
//! specs) plus the server's own rules and messages; stored values come
//! back normalized as the server returns them; references between
//! resources must exist; `PUT` keeps or clears fields per resource as the
//! server does; errors have each API's shape. Rate limits of both APIs can
//! be enforced ([`FakeOptions::enforce_rate_limits`]), failures injected
//! ([`FakeServer::fail_next`]), and requests counted.
//!
//! Where the behaviour is inferred rather than read from the server's code
//! (mostly Cloud's gateway: its 429 message, its 404 for another
//! organization), the item's documentation says so.

mod api;
mod counters;
mod http;
mod ids;
mod options;
mod problems;
mod rate_limit;
mod resources;
mod router;
mod schema;
mod server;
mod state;
mod store;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use counters::MethodCounts;
pub use options::{FakeOptions, Limit, RateLimits};

use state::Shared;

/// A running fake ClickStack server; it stops when dropped.
///
/// Must be started inside a Tokio runtime (with the `net` and `time`
/// drivers, as `#[tokio::test]` sets up). [`start`](FakeServer::start)
/// leaves rate limits off; [`start_with`](FakeServer::start_with) takes
/// [`FakeOptions`].
///
/// ```no_run
/// use clickstack_fake::{FakeOptions, FakeServer};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let fake = FakeServer::start().await?;
///
/// // Open-source ClickStack (HyperDX API), with any HTTP client.
/// let dashboards: serde_json::Value = reqwest::Client::new()
///     .get(format!("{}/api/v2/dashboards", fake.base_url()))
///     .bearer_auth(FakeServer::API_KEY)
///     .send()
///     .await?
///     .json()
///     .await?;
/// assert_eq!(dashboards, serde_json::json!({"data": []}));
///
/// // Or with the generated clients; Managed ClickStack (Cloud API) shares
/// // the store.
/// let cloud = clickstack_cloud::Client::new(
///     &fake.base_url(),
///     clickstack_cloud::Credentials::basic(FakeServer::CLOUD_KEY_ID, FakeServer::CLOUD_KEY_SECRET),
/// )?;
/// let listed = cloud
///     .click_stack_list_dashboards(&fake.cloud_organization_id(), &fake.cloud_service_id())
///     .await?;
///
/// // Sources need a connection; the fake has one.
/// let source_id = fake.seed_log_source("Logs");
///
/// // The next request fails with 429 and `Retry-After: 1`.
/// fake.fail_next(429, Some("1"), 1);
///
/// // The real rate limits (HyperDX 100/min, Cloud 10 per 10 s per key).
/// let limited = FakeServer::start_with(FakeOptions {
///     enforce_rate_limits: true,
///     ..FakeOptions::default()
/// })
/// .await?;
/// # Ok(()) }
/// ```
pub struct FakeServer {
    address: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

/// Why [`FakeServer::seed_source`] refused a source: the message the API
/// would have answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError(String);

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SeedError {}

impl FakeServer {
    /// The Cloud API key id the fake accepts (HTTP Basic user name).
    pub const CLOUD_KEY_ID: &str = "fake-key-id";
    /// The Cloud API key secret the fake accepts (HTTP Basic password).
    pub const CLOUD_KEY_SECRET: &str = "fake-key-secret";
    /// The HyperDX Personal API Access Key the fake accepts (Bearer token).
    pub const API_KEY: &str = "fake-api-key";
    /// The id of the ClickHouse connection every fake starts with (sources
    /// must name an existing connection).
    pub const DEFAULT_CONNECTION_ID: &str = "65f5e4a3b9e77c001a0000c1";
    /// The team every stored resource belongs to (`teamId`).
    pub const TEAM_ID: &str = resources::TEAM_ID;

    /// Binds `127.0.0.1` on a free port and serves, without rate limits,
    /// until the returned handle is dropped.
    ///
    /// # Errors
    ///
    /// When the port cannot be bound.
    pub async fn start() -> std::io::Result<FakeServer> {
        FakeServer::start_with(FakeOptions::default()).await
    }

    /// Binds `options.host` on `options.port` (0: a free one) and serves
    /// with these options until the returned handle is dropped.
    ///
    /// # Errors
    ///
    /// When the port cannot be bound.
    pub async fn start_with(options: FakeOptions) -> std::io::Result<FakeServer> {
        let listener = TcpListener::bind((options.host, options.port)).await?;
        let address = listener.local_addr()?;
        let organization_id = options.organization_id.unwrap_or_else(ids::uuid_v4);
        let service_id = options.service_id.unwrap_or_else(ids::uuid_v4);
        let shared = Arc::new(Shared::new(&options, organization_id, service_id));
        resources::seed_default_connection(&mut shared.store());
        let task = tokio::spawn(server::accept_loop(listener, Arc::clone(&shared)));
        Ok(FakeServer {
            address,
            shared,
            task,
        })
    }

    /// The URL to give clients of either API: `http://127.0.0.1:PORT`
    /// (the loopback address when listening on all interfaces).
    pub fn base_url(&self) -> String {
        let mut address = self.address;
        if address.ip().is_unspecified() {
            address.set_ip(Ipv4Addr::LOCALHOST.into());
        }
        format!("http://{address}")
    }

    /// The address the fake listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The HyperDX API's root: `http://127.0.0.1:PORT/api/v2`.
    pub fn hyperdx_url(&self) -> String {
        format!("{}/api/v2", self.base_url())
    }

    /// The root of the Cloud API's ClickStack endpoints for the fake's
    /// organization and service:
    /// `http://127.0.0.1:PORT/v1/organizations/{org}/services/{svc}/clickstack`.
    pub fn cloud_url(&self) -> String {
        format!(
            "{}/v1/organizations/{}/services/{}/clickstack",
            self.base_url(),
            self.shared.organization_id,
            self.shared.service_id
        )
    }

    /// The organization id the Cloud API serves (any other gets a 404).
    pub fn cloud_organization_id(&self) -> uuid::Uuid {
        self.shared.organization_id
    }

    /// The service id the Cloud API serves (any other gets a 404).
    pub fn cloud_service_id(&self) -> uuid::Uuid {
        self.shared.service_id
    }

    /// Makes the next `count` requests fail with `status`, before any
    /// routing, rate limiting, authentication or state change, with a
    /// `Retry-After` header when `retry_after` is given. The body has the
    /// error shape of the API the path belongs to (Cloud for `/v1/...`,
    /// HyperDX otherwise). Replaces failures still queued; `count` 0
    /// clears them.
    pub fn fail_next(&self, status: u16, retry_after: Option<&str>, count: usize) {
        self.shared.fail_next(status, retry_after, count);
    }

    /// How many requests the fake has received, failed ones included.
    pub fn request_count(&self) -> usize {
        self.requests().total()
    }

    /// The requests received, failed ones included, per method.
    pub fn requests(&self) -> MethodCounts {
        self.shared.counters.requests.snapshot()
    }

    /// The requests that changed the store (a create, an update, a delete
    /// that removed something, cascades included), per method.
    pub fn writes(&self) -> MethodCounts {
        self.shared.counters.writes.snapshot()
    }

    /// The requests a rate limit answered with 429, per method (injected
    /// failures are not counted).
    pub fn rate_limited(&self) -> MethodCounts {
        self.shared.counters.rate_limited.snapshot()
    }

    /// Turns rate limiting on with `limits` (windows start afresh), or off
    /// with `None`.
    pub fn set_rate_limits(&self, limits: Option<RateLimits>) {
        self.shared.set_rate_limits(limits);
    }

    /// Stores a source directly (no request is counted or rate limited),
    /// checked as `POST /api/v2/sources` checks it; returns its id.
    ///
    /// # Errors
    ///
    /// When the API would refuse the source (the message it would answer).
    pub fn seed_source(&self, source: &serde_json::Value) -> Result<String, SeedError> {
        resources::seed_source(&mut self.shared.store(), source).map_err(SeedError)
    }

    /// The webhook with `id` as stored, with the write-only `headers` and
    /// `queryParams` that no endpoint returns (to check what a client sent).
    pub fn stored_webhook(&self, id: &str) -> Option<serde_json::Value> {
        self.shared
            .store()
            .get(store::Kind::Webhook, id)
            .map(|item| serde_json::Value::Object(item.clone()))
    }

    /// Stores a log source named `name` on the default connection (table
    /// `default.otel_logs`) and returns its id.
    pub fn seed_log_source(&self, name: &str) -> String {
        let source = serde_json::json!({
            "kind": "log",
            "name": name,
            "connection": FakeServer::DEFAULT_CONNECTION_ID,
            "from": {"databaseName": "default", "tableName": "otel_logs"},
            "defaultTableSelectExpression": "Timestamp, ServiceName, SeverityText, Body",
            "timestampValueExpression": "Timestamp",
        });
        self.seed_source(&source).unwrap_or_default()
    }

    /// Stores a trace source named `name` on the default connection
    /// (table `default.otel_traces`) and returns its id.
    pub fn seed_trace_source(&self, name: &str) -> String {
        let source = serde_json::json!({
            "kind": "trace",
            "name": name,
            "connection": FakeServer::DEFAULT_CONNECTION_ID,
            "from": {"databaseName": "default", "tableName": "otel_traces"},
            "defaultTableSelectExpression": "Timestamp, ServiceName, SpanName, Duration",
            "timestampValueExpression": "Timestamp",
            "durationExpression": "Duration",
            "durationPrecision": 9,
            "traceIdExpression": "TraceId",
            "spanIdExpression": "SpanId",
            "parentSpanIdExpression": "ParentSpanId",
            "spanNameExpression": "SpanName",
            "spanKindExpression": "SpanKind",
        });
        self.seed_source(&source).unwrap_or_default()
    }

    /// Stores a metric source named `name` on the default connection
    /// (gauge, sum and histogram tables of database `default`) and
    /// returns its id.
    pub fn seed_metric_source(&self, name: &str) -> String {
        let source = serde_json::json!({
            "kind": "metric",
            "name": name,
            "connection": FakeServer::DEFAULT_CONNECTION_ID,
            "from": {"databaseName": "default"},
            "metricTables": {
                "gauge": "otel_metrics_gauge",
                "sum": "otel_metrics_sum",
                "histogram": "otel_metrics_histogram",
            },
            "timestampValueExpression": "TimeUnix",
            "resourceAttributesExpression": "ResourceAttributes",
        });
        self.seed_source(&source).unwrap_or_default()
    }
}

impl fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeServer")
            .field("base_url", &self.base_url())
            .field("cloud_organization_id", &self.shared.organization_id)
            .field("cloud_service_id", &self.shared.service_id)
            .field("request_count", &self.request_count())
            .finish()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        // Aborting the accept loop drops its `JoinSet`, which aborts every
        // open connection.
        self.task.abort();
    }
}
