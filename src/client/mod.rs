//! [`Client`]: one handle on either backend.

mod builder;
pub mod env;

pub use builder::{ClientBuilder, MAX_PAGES, PAGE_SIZE};

use std::future::Future;

use clickstack_runtime::{Context, ErrorBody};
use progenitor_client::ResponseValue;
use uuid::Uuid;

use crate::{Error, Result, cloud, oss};

/// Which API a [`Client`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    /// Managed `ClickStack` through the `ClickHouse` Cloud API.
    Cloud,
    /// Open-source `ClickStack` through the `HyperDX` External API v2.
    Oss,
}

/// The generated client a [`Client`] calls.
#[derive(Debug, Clone)]
pub(crate) enum Backend {
    Cloud {
        client: cloud::Client,
        organization: Uuid,
        service: Uuid,
    },
    Oss {
        client: oss::Client,
    },
}

/// How lists are paged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paging {
    /// Items per page (1..=1000).
    pub(crate) page_size: u32,
    /// Pages fetched before a list gives up.
    pub(crate) max_pages: u32,
}

/// A `ClickStack` client for either backend.
///
/// Every call goes through the generated client of its backend and thus
/// through `clickstack-runtime`: credentials checked when the client is
/// built, the backend's documented rate limit, retries of idempotent
/// requests, a deadline per call, bounded response bodies, path segments
/// that cannot change the route, and a `tracing` span per attempt. Clones
/// share the rate limiter.
///
/// ```no_run
/// # async fn run() -> clickstack::Result<()> {
/// // Open-source ClickStack (HyperDX API server, port 8000):
/// let client = clickstack::Client::oss("http://localhost:8000", "personal-api-key").build()?;
/// let listing = client.dashboards().list().await?;
/// for dashboard in &listing {
///     println!("{}", dashboard.name.as_deref().unwrap_or("(no name)"));
/// }
/// for unreadable in &listing.undecodable {
///     eprintln!("{unreadable}"); // an item that did not decode, with where and why
/// }
/// // Or whatever the environment names (see `Client::from_env`):
/// let client = clickstack::Client::from_env()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) backend: Backend,
    context: Context,
    pub(crate) paging: Paging,
}

impl Client {
    /// Starts building a client for Managed `ClickStack` (Cloud API).
    pub fn cloud(
        key_id: impl Into<String>,
        key_secret: impl Into<String>,
        organization_id: Uuid,
        service_id: Uuid,
    ) -> ClientBuilder {
        ClientBuilder::cloud(
            key_id.into(),
            key_secret.into(),
            organization_id,
            service_id,
        )
    }

    /// Starts building a client for open-source `ClickStack` (`HyperDX` API).
    pub fn oss(base_url: impl Into<String>, api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder::oss(base_url.into(), api_key.into())
    }

    /// A client configured by the environment (see [`env`](mod@crate::env)): `CLICKSTACK_URL`
    /// and `CLICKSTACK_API_KEY` for `HyperDX`, or the `CLICKHOUSE_CLOUD_*`
    /// variables for Cloud.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env()?
            .ok_or_else(|| {
                Error::Config(clickstack_runtime::ConfigError::Environment(format!(
                    "no backend configured: set {} and {}, or {}, {}, {} and {}",
                    env::URL,
                    env::API_KEY,
                    env::CLOUD_KEY_ID,
                    env::CLOUD_KEY_SECRET,
                    env::CLOUD_ORGANIZATION_ID,
                    env::CLOUD_SERVICE_ID
                )))
            })?
            .build()
    }

    /// Which API this client talks to.
    pub fn backend(&self) -> BackendKind {
        match self.backend {
            Backend::Cloud { .. } => BackendKind::Cloud,
            Backend::Oss { .. } => BackendKind::Oss,
        }
    }

    /// The generated Cloud client (same settings, same rate limiter), for
    /// operations the facade does not cover.
    pub fn cloud_client(&self) -> Option<&cloud::Client> {
        match &self.backend {
            Backend::Cloud { client, .. } => Some(client),
            Backend::Oss { .. } => None,
        }
    }

    /// The generated `HyperDX` client (same settings, same rate limiter), for
    /// operations the facade does not cover.
    pub fn oss_client(&self) -> Option<&oss::Client> {
        match &self.backend {
            Backend::Oss { client } => Some(client),
            Backend::Cloud { .. } => None,
        }
    }

    /// The shared settings and state: retry policy, rate limiter, limits.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// Awaits a generated call and classifies its error.
    pub(crate) async fn call<T, B: ErrorBody>(
        &self,
        call: impl Future<Output = std::result::Result<ResponseValue<T>, progenitor_client::Error<B>>>,
    ) -> Result<T> {
        match call.await {
            Ok(value) => Ok(value.into_inner()),
            Err(e) => Err(Error::from_generated(&self.context, e).await),
        }
    }
}
