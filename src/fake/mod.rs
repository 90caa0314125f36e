//! A stateful, in-process fake of both ClickStack APIs, for examples and
//! tests (feature `fake`).
//!
//! [`FakeServer`] serves, on one local port:
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
//! Dashboards, alerts, sources, webhooks and saved searches live in one
//! store shared by both APIs: a dashboard created through HyperDX can be
//! read through Cloud. Items keep what the client sent plus the fields the
//! server owns (24-hex ids, tile and filter ids, timestamps, team, alert
//! state); responses use each API's envelopes and error shapes. Paths
//! neither API routes get the HTML 404 page of an Express server
//! (`Cannot GET /path`), as the real gateway sends.

mod cloud;
mod http;
mod ids;
mod oss;
mod resource;
mod router;
mod state;
mod store;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

use state::Shared;

/// A running fake ClickStack server; it stops when dropped.
///
/// Must be started inside a Tokio runtime. Every request, including
/// rejected ones, is counted by [`request_count`](FakeServer::request_count);
/// [`fail_next`](FakeServer::fail_next) injects failures for retry tests.
///
/// ```no_run
/// use clickstack::fake::FakeServer;
/// use clickstack::{cloud, oss};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let fake = FakeServer::start().await?;
///
/// // Open-source ClickStack (HyperDX API).
/// let hyperdx = oss::Client::new(&fake.base_url(), oss::Auth::bearer(FakeServer::API_KEY));
/// let dashboards = hyperdx.list_dashboards().await?.into_inner().data;
/// assert!(dashboards.is_empty());
///
/// // Managed ClickStack (ClickHouse Cloud API), same store.
/// let managed = cloud::Client::new(
///     &fake.base_url(),
///     cloud::Auth::basic(FakeServer::CLOUD_KEY_ID, FakeServer::CLOUD_KEY_SECRET),
/// );
/// let listed = managed
///     .click_stack_list_dashboards(&fake.cloud_organization_id(), &fake.cloud_service_id())
///     .await?;
///
/// // The next request fails with 429 and `Retry-After: 1`.
/// fake.fail_next(429, Some("1"), 1);
/// # Ok(()) }
/// ```
pub struct FakeServer {
    address: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl FakeServer {
    /// The Cloud API key id the fake accepts (HTTP Basic user name).
    pub const CLOUD_KEY_ID: &str = "fake-key-id";
    /// The Cloud API key secret the fake accepts (HTTP Basic password).
    pub const CLOUD_KEY_SECRET: &str = "fake-key-secret";
    /// The HyperDX Personal API Access Key the fake accepts (Bearer token).
    pub const API_KEY: &str = "fake-api-key";

    /// Binds `127.0.0.1` on a free port and serves on a Tokio task until the
    /// returned handle is dropped.
    ///
    /// # Errors
    ///
    /// When the port cannot be bound.
    pub async fn start() -> std::io::Result<FakeServer> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared::new(ids::uuid_v4(), ids::uuid_v4()));
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Ok(FakeServer {
            address,
            shared,
            task,
        })
    }

    /// The URL to give clients of either API: `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
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
    /// routing, authentication or state change, with a `Retry-After`
    /// header when `retry_after` is given. The body has the error shape of
    /// the API the path belongs to (Cloud for `/v1/...`, HyperDX
    /// otherwise). Replaces failures still queued; `count` 0 clears them.
    pub fn fail_next(&self, status: u16, retry_after: Option<&str>, count: usize) {
        self.shared.fail_next(status, retry_after, count);
    }

    /// How many requests the fake has received, failed ones included.
    pub fn request_count(&self) -> usize {
        self.shared.request_count()
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

/// Accepts connections until aborted, serving each on its own task.
async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                connections.spawn(serve_connection(stream, Arc::clone(&shared)));
            }
            // Out of file descriptors and the like: back off and go on.
            Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
        while connections.try_join_next().is_some() {}
    }
}

/// Serves HTTP/1.1 on one connection until the client closes it.
async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let service = service_fn(move |request| {
        let shared = Arc::clone(&shared);
        async move { router::serve(&shared, request).await }
    });
    // A connection error (client hung up mid-request) only ends this
    // connection.
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}
