//! `Client`: one handle on either backend, with timeouts, retries, an
//! optional rate limiter and a tracing span per request.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use progenitor_client::{Error as GenError, ResponseValue};
use tracing::Instrument;
use uuid::Uuid;

use crate::error::{ApiErrorInfo, Error, Result};
use crate::limiter::RateLimiter;
use crate::retry::{RetryPolicy, is_retryable_status, quota_exhausted, server_wait};
use crate::{cloud, oss};

/// Which API a [`Client`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    /// Managed ClickStack through the ClickHouse Cloud API.
    Cloud,
    /// Open-source ClickStack through the HyperDX External API v2.
    Oss,
}

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

/// A ClickStack client for either backend.
///
/// ```no_run
/// # async fn run() -> clickstack::Result<()> {
/// // Open-source ClickStack (HyperDX API server, port 8000):
/// let client = clickstack::Client::oss("http://localhost:8000", "personal-api-key").build()?;
/// for dashboard in client.dashboards().list().await? {
///     println!("{}", dashboard.name);
/// }
/// // Or whatever the environment names (see `Client::from_env`):
/// let client = clickstack::Client::from_env()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) backend: Backend,
    retry: RetryPolicy,
    limiter: Option<Arc<RateLimiter>>,
    /// Set when a response said the quota is used up: no request leaves
    /// before this instant.
    hold_until: Arc<std::sync::Mutex<Option<tokio::time::Instant>>>,
    pub(crate) page_size: i64,
}

/// Environment variables read by [`Client::from_env`].
pub mod env {
    /// HyperDX API base URL (for example `http://localhost:8000`).
    pub const URL: &str = "CLICKSTACK_URL";
    /// HyperDX Personal API Access Key.
    pub const API_KEY: &str = "CLICKSTACK_API_KEY";
    /// ClickHouse Cloud API key id.
    pub const CLOUD_KEY_ID: &str = "CLICKHOUSE_CLOUD_KEY_ID";
    /// ClickHouse Cloud API key secret.
    pub const CLOUD_KEY_SECRET: &str = "CLICKHOUSE_CLOUD_KEY_SECRET";
    /// ClickHouse Cloud organization id (UUID).
    pub const CLOUD_ORGANIZATION_ID: &str = "CLICKHOUSE_CLOUD_ORGANIZATION_ID";
    /// ClickHouse Cloud service id (UUID) of the ClickStack service.
    pub const CLOUD_SERVICE_ID: &str = "CLICKHOUSE_CLOUD_SERVICE_ID";
    /// Optional Cloud API base URL (default `https://api.clickhouse.cloud`).
    pub const CLOUD_API_URL: &str = "CLICKHOUSE_CLOUD_API_URL";
}

impl Client {
    /// Starts building a client for Managed ClickStack (Cloud API).
    pub fn cloud(
        key_id: impl Into<String>,
        key_secret: impl Into<String>,
        organization_id: Uuid,
        service_id: Uuid,
    ) -> ClientBuilder {
        ClientBuilder::new(Target::Cloud {
            key_id: key_id.into(),
            key_secret: Secret(key_secret.into()),
            organization: organization_id,
            service: service_id,
            base_url: cloud::DEFAULT_BASE_URL.to_string(),
        })
    }

    /// Starts building a client for open-source ClickStack (HyperDX API).
    pub fn oss(base_url: impl Into<String>, api_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(Target::Oss {
            base_url: base_url.into(),
            api_key: Secret(api_key.into()),
        })
    }

    /// A client configured by the environment: `CLICKSTACK_URL` and
    /// `CLICKSTACK_API_KEY` for HyperDX, or `CLICKHOUSE_CLOUD_KEY_ID`,
    /// `CLICKHOUSE_CLOUD_KEY_SECRET`, `CLICKHOUSE_CLOUD_ORGANIZATION_ID`,
    /// `CLICKHOUSE_CLOUD_SERVICE_ID` (and optionally
    /// `CLICKHOUSE_CLOUD_API_URL`) for Cloud. See [`env`].
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env()?
            .ok_or_else(|| {
                Error::Config(format!(
                    "no backend configured: set {} and {}, or {}, {}, {} and {}",
                    env::URL,
                    env::API_KEY,
                    env::CLOUD_KEY_ID,
                    env::CLOUD_KEY_SECRET,
                    env::CLOUD_ORGANIZATION_ID,
                    env::CLOUD_SERVICE_ID
                ))
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

    /// The generated Cloud client, for operations the facade does not cover.
    pub fn cloud_client(&self) -> Option<&cloud::Client> {
        match &self.backend {
            Backend::Cloud { client, .. } => Some(client),
            Backend::Oss { .. } => None,
        }
    }

    /// The generated HyperDX client, for operations the facade does not cover.
    pub fn oss_client(&self) -> Option<&oss::Client> {
        match &self.backend {
            Backend::Oss { client } => Some(client),
            Backend::Cloud { .. } => None,
        }
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Runs one API call with rate limiting, retries and a tracing span.
    ///
    /// `call` is invoked once per attempt; `idempotent` decides whether a
    /// failed attempt may be repeated without the caller's opt-in.
    pub(crate) async fn execute<T, E, F, Fut>(
        &self,
        method: &'static str,
        path: &'static str,
        call: F,
    ) -> Result<ResponseValue<T>>
    where
        E: ErrorBody,
        F: Fn() -> Fut,
        Fut: Future<Output = std::result::Result<ResponseValue<T>, GenError<E>>>,
    {
        let idempotent = method != "POST";
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            self.wait_for_quota().await;
            if let Some(limiter) = &self.limiter {
                limiter.acquire().await;
            }
            let span = tracing::info_span!(
                "clickstack.request",
                backend = ?self.backend(),
                http.method = method,
                http.route = path,
                attempt,
                http.status = tracing::field::Empty,
            );
            let outcome = call().instrument(span.clone()).await;
            let failure = match outcome {
                Ok(value) => {
                    span.record("http.status", value.status().as_u16());
                    self.note_quota(quota_exhausted(value.headers()));
                    return Ok(value);
                }
                Err(e) => classify(e).await,
            };
            self.note_quota(failure.quota_exhausted);
            if let Some(status) = failure.error.status() {
                span.record("http.status", status);
            }
            let retry = attempt <= self.retry.max_retries
                && failure.retryable
                && self.retry.allows(idempotent);
            let delay = retry
                .then(|| self.retry.delay(attempt, failure.server_wait))
                .flatten();
            match delay {
                Some(delay) => {
                    tracing::debug!(parent: &span, ?delay, error = %failure.error, "retrying");
                    tokio::time::sleep(delay).await;
                }
                None => return Err(failure.error),
            }
        }
    }
}

impl Client {
    /// Sleeps until a quota reported as used up has reset.
    async fn wait_for_quota(&self) {
        let until = self.hold_until.lock().map(|g| *g).unwrap_or(None);
        if let Some(until) = until
            && until > tokio::time::Instant::now()
        {
            tracing::debug!(?until, "rate-limit quota used up; waiting for the reset");
            tokio::time::sleep_until(until).await;
        }
    }

    /// Remembers a used-up quota. A reset further away than
    /// `max_retry_after` (or one that is not a delay at all, such as an
    /// epoch timestamp) is not waited for.
    fn note_quota(&self, wait: Option<Duration>) {
        let Some(wait) = wait.filter(|w| *w <= self.retry.max_retry_after) else {
            return;
        };
        if let (Some(until), Ok(mut hold)) = (
            tokio::time::Instant::now().checked_add(wait),
            self.hold_until.lock(),
        ) {
            *hold = Some(until);
        }
    }
}

/// What a generated crate's error body carries.
pub(crate) trait ErrorBody {
    fn message(&self) -> String;
    fn request_id(&self) -> Option<String>;
}

impl ErrorBody for cloud::types::ApiError {
    fn message(&self) -> String {
        self.error.clone().unwrap_or_default()
    }
    fn request_id(&self) -> Option<String> {
        self.request_id.clone()
    }
}

impl ErrorBody for oss::types::ApiError {
    fn message(&self) -> String {
        self.message.clone().unwrap_or_default()
    }
    fn request_id(&self) -> Option<String> {
        None
    }
}

struct Failure {
    error: Error,
    retryable: bool,
    server_wait: Option<Duration>,
    quota_exhausted: Option<Duration>,
}

/// Maps a generated client's error into the facade's.
async fn classify<E: ErrorBody>(error: GenError<E>) -> Failure {
    let transport = |e: reqwest::Error| {
        let error = if e.is_timeout() {
            Error::Timeout
        } else {
            Error::Transport(e.to_string())
        };
        Failure {
            error,
            retryable: true,
            server_wait: None,
            quota_exhausted: None,
        }
    };
    match error {
        GenError::ErrorResponse(rv) => {
            let (status, headers) = (rv.status().as_u16(), rv.headers().clone());
            let body = rv.into_inner();
            let info = ApiErrorInfo {
                status,
                message: body.message(),
                request_id: body.request_id(),
            };
            from_response(info, &headers)
        }
        GenError::UnexpectedResponse(response) => {
            let (status, headers) = (response.status().as_u16(), response.headers().clone());
            let text = response.text().await.unwrap_or_default();
            if (200..300).contains(&status) {
                // A success status the spec does not list (a 201 or 204):
                // the request was carried out, but there is no body to decode.
                return Failure {
                    error: Error::Decode {
                        status: Some(status),
                        message: format!("unexpected success status {status}"),
                        body: text,
                    },
                    retryable: false,
                    server_wait: None,
                    quota_exhausted: quota_exhausted(&headers),
                };
            }
            let (message, request_id) = message_from_body(&text);
            let info = ApiErrorInfo {
                status,
                message,
                request_id,
            };
            from_response(info, &headers)
        }
        GenError::CommunicationError(e) | GenError::ResponseBodyError(e) => transport(e),
        GenError::InvalidUpgrade(e) => transport(e),
        GenError::InvalidResponsePayload(body, e) => Failure {
            error: Error::Decode {
                status: None,
                message: e.to_string(),
                body: String::from_utf8_lossy(&body).into_owned(),
            },
            retryable: false,
            server_wait: None,
            quota_exhausted: None,
        },
        GenError::InvalidRequest(m) => Failure {
            error: Error::InvalidInput(m),
            retryable: false,
            server_wait: None,
            quota_exhausted: None,
        },
        GenError::Custom(m) => Failure {
            error: Error::Transport(m),
            retryable: false,
            server_wait: None,
            quota_exhausted: None,
        },
    }
}

/// The failure of an error response: its class, and what its headers say
/// about retrying.
fn from_response(info: ApiErrorInfo, headers: &reqwest::header::HeaderMap) -> Failure {
    let status = info.status;
    let wait = server_wait(status, headers, SystemTime::now());
    Failure {
        error: Error::from_status(info, wait),
        retryable: is_retryable_status(status),
        server_wait: wait,
        quota_exhausted: quota_exhausted(headers),
    }
}

/// The message and request id of an error body that the generated client
/// did not expect: a JSON error envelope of either API, or the text itself.
fn message_from_body(text: &str) -> (String, Option<String>) {
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text) {
        let field = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_string);
        if let Some(message) = field("error").or_else(|| field("message")) {
            return (message, field("requestId"));
        }
    }
    (text.trim().to_string(), None)
}

/// A secret string that never prints.
#[derive(Clone)]
struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone)]
enum Target {
    Cloud {
        key_id: String,
        key_secret: Secret,
        organization: Uuid,
        service: Uuid,
        base_url: String,
    },
    Oss {
        base_url: String,
        api_key: Secret,
    },
}

/// Settings of a [`Client`]; start from [`Client::cloud`], [`Client::oss`]
/// or [`ClientBuilder::from_env`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    target: Target,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    rate_limit: RateLimit,
    http: Option<reqwest::Client>,
    page_size: i64,
}

#[derive(Debug, Clone)]
enum RateLimit {
    Off,
    BackendDefault,
    Custom(usize, Duration),
}

impl ClientBuilder {
    /// The builder the environment describes (see [`Client::from_env`]):
    /// `Ok(None)` when it names no backend, `Err(Error::Config)` when it
    /// names one incompletely or wrongly.
    pub fn from_env() -> Result<Option<ClientBuilder>> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        match (var(env::URL), var(env::API_KEY)) {
            (Some(url), Some(key)) => return Ok(Some(Client::oss(url, key))),
            (Some(_), None) => return Err(Error::Config(format!("{} is not set", env::API_KEY))),
            (None, Some(_)) => return Err(Error::Config(format!("{} is not set", env::URL))),
            (None, None) => {}
        }
        let Some(key_id) = var(env::CLOUD_KEY_ID) else {
            return Ok(None);
        };
        let need =
            |name: &str| var(name).ok_or_else(|| Error::Config(format!("{name} is not set")));
        let uuid = |name: &str| -> Result<Uuid> {
            let value = need(name)?;
            Uuid::parse_str(&value).map_err(|e| Error::Config(format!("{name} is not a UUID: {e}")))
        };
        let mut builder = Client::cloud(
            key_id,
            need(env::CLOUD_KEY_SECRET)?,
            uuid(env::CLOUD_ORGANIZATION_ID)?,
            uuid(env::CLOUD_SERVICE_ID)?,
        );
        if let Some(url) = var(env::CLOUD_API_URL) {
            builder = builder.base_url(url);
        }
        Ok(Some(builder))
    }

    fn new(target: Target) -> Self {
        ClientBuilder {
            target,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            rate_limit: RateLimit::Off,
            http: None,
            page_size: crate::resources::PAGE_SIZE,
        }
    }

    /// The API base URL (Cloud default `https://api.clickhouse.cloud`; for
    /// HyperDX the URL given to [`Client::oss`]).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        match &mut self.target {
            Target::Cloud { base_url, .. } | Target::Oss { base_url, .. } => *base_url = url.into(),
        }
        self
    }

    /// Connect timeout (default 10 s). Ignored with [`Self::reqwest_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Total timeout of one attempt (default 60 s). Ignored with
    /// [`Self::reqwest_client`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Retry policy (default: 3 retries of idempotent requests).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Throttle requests to the backend's documented limit (Cloud 10 per
    /// 10 s, HyperDX 100 per minute), for bulk jobs. Off by default.
    pub fn rate_limit_default(mut self) -> Self {
        self.rate_limit = RateLimit::BackendDefault;
        self
    }

    /// Throttle requests to at most `limit` per `window`.
    pub fn rate_limit(mut self, limit: usize, window: Duration) -> Self {
        self.rate_limit = RateLimit::Custom(limit, window);
        self
    }

    /// Items per page when streaming paginated lists (default
    /// [`crate::PAGE_SIZE`]; kept within 1..=1000, the range HyperDX
    /// accepts).
    pub fn page_size(mut self, size: i64) -> Self {
        self.page_size = size.clamp(1, 1000);
        self
    }

    /// Use this `reqwest::Client` (proxies, TLS roots, timeouts are then
    /// the caller's).
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        let http = match self.http {
            Some(client) => client,
            None => {
                cloud::runtime::ensure_tls();
                reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .timeout(self.timeout)
                    .build()
                    .map_err(|e| Error::Config(format!("HTTP client: {e}")))?
            }
        };
        let check_url = |url: &str| -> Result<String> {
            let parsed = reqwest::Url::parse(url)
                .map_err(|e| Error::Config(format!("base URL {url:?}: {e}")))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(Error::Config(format!("base URL {url:?} is not http(s)")));
            }
            Ok(url.trim_end_matches('/').to_string())
        };
        let (backend, default_limiter) = match self.target {
            Target::Cloud {
                key_id,
                key_secret,
                organization,
                service,
                base_url,
            } => (
                Backend::Cloud {
                    client: cloud::Client::new_with_client(
                        &check_url(&base_url)?,
                        http,
                        cloud::Auth::basic(key_id, key_secret.0),
                    ),
                    organization,
                    service,
                },
                RateLimiter::cloud_default as fn() -> RateLimiter,
            ),
            Target::Oss { base_url, api_key } => (
                Backend::Oss {
                    client: oss::Client::new_with_client(
                        &check_url(&base_url)?,
                        http,
                        oss::Auth::bearer(api_key.0),
                    ),
                },
                RateLimiter::oss_default as fn() -> RateLimiter,
            ),
        };
        let limiter = match self.rate_limit {
            RateLimit::Off => None,
            RateLimit::BackendDefault => Some(Arc::new(default_limiter())),
            RateLimit::Custom(limit, window) => Some(Arc::new(RateLimiter::new(limit, window))),
        };
        Ok(Client {
            backend,
            retry: self.retry,
            limiter,
            hold_until: Arc::default(),
            page_size: self.page_size,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let builder = Client::cloud("key-id", "very-secret", Uuid::nil(), Uuid::nil());
        assert!(!format!("{builder:?}").contains("very-secret"));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("very-secret"));
        let client = Client::oss("http://localhost:8000", "api-key-123")
            .build()
            .unwrap();
        assert!(!format!("{client:?}").contains("api-key-123"));
    }

    #[test]
    fn rejects_bad_base_urls() {
        let err = Client::oss("localhost:8000", "k").build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
        assert!(Client::oss("ftp://x", "k").build().is_err());
    }

    #[test]
    fn error_bodies_of_either_api() {
        assert_eq!(
            message_from_body(r#"{"status":400,"error":"bad","requestId":"r"}"#),
            ("bad".to_string(), Some("r".to_string()))
        );
        assert_eq!(
            message_from_body(r#"{"message":"nope"}"#),
            ("nope".to_string(), None)
        );
        assert_eq!(
            message_from_body(" Forbidden \n"),
            ("Forbidden".to_string(), None)
        );
    }
}
