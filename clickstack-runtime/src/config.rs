//! Client settings ([`Config`]) and the shared state built from them
//! ([`Context`]), which the generated clients carry as progenitor's
//! "inner" value.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::HeaderValue;
use tokio::time::Instant;

use crate::credentials::Credentials;
use crate::limiter::{Limiter, RateLimit};
use crate::redact::Redactor;
use crate::retry::RetryPolicy;

/// A client cannot be built from these settings.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL is not an http(s) URL without credentials, query or
    /// fragment.
    #[error("invalid base URL {0}")]
    BaseUrl(String),
    /// The credentials are empty or cannot be sent in a header.
    #[error("invalid credentials: {0}")]
    Credentials(String),
    /// A setting is out of range.
    #[error("invalid setting: {0}")]
    Setting(String),
    /// The environment names a backend incompletely or wrongly.
    #[error("{0}")]
    Environment(String),
    /// The HTTP client could not be built (TLS set-up).
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

/// Bounds on what a response may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest response body read, in bytes (default 32 MiB, far above a
    /// real page); a larger body fails with a decode error while it
    /// streams in, before it is held in memory.
    pub max_body_bytes: usize,
    /// Largest excerpt of a body kept in an error message (default 4 KiB).
    pub max_error_excerpt: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 32 * 1024 * 1024,
            max_error_excerpt: 4 * 1024,
        }
    }
}

/// Settings of a client. Build a [`Context`] from them with
/// [`Config::build`], which checks the credentials.
///
/// Defaults: 3 retries of idempotent requests, no rate limit (the
/// generated clients and the facade set their API's documented limit), a
/// 2-minute deadline per call covering every attempt and wait, 60 s per
/// attempt, 10 s to connect, at most 5 redirects, [`Limits::default`].
#[derive(Debug, Clone)]
pub struct Config {
    credentials: Credentials,
    retry: RetryPolicy,
    rate_limit: Option<RateLimit>,
    deadline: Option<Duration>,
    attempt_timeout: Option<Duration>,
    connect_timeout: Duration,
    max_redirects: usize,
    limits: Limits,
}

impl Config {
    /// The default deadline of a call: 2 minutes.
    pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);
    /// The default timeout of one attempt: 60 s.
    pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);
    /// The default connect timeout: 10 s.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default cap on redirects: 5.
    pub const DEFAULT_MAX_REDIRECTS: usize = 5;

    /// Default settings with these credentials.
    pub fn new(credentials: Credentials) -> Self {
        Config {
            credentials,
            retry: RetryPolicy::default(),
            rate_limit: None,
            deadline: Some(Self::DEFAULT_DEADLINE),
            attempt_timeout: Some(Self::DEFAULT_ATTEMPT_TIMEOUT),
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            max_redirects: Self::DEFAULT_MAX_REDIRECTS,
            limits: Limits::default(),
        }
    }

    /// The retry policy.
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// A client-side rate limit shared by every clone of the client
    /// (`None`: unlimited).
    #[must_use]
    pub fn rate_limit(mut self, rate: Option<RateLimit>) -> Self {
        self.rate_limit = rate;
        self
    }

    /// The longest a call may take, every attempt, retry wait and
    /// rate-limit wait included (`None`: no deadline). A call past it
    /// fails as a timeout.
    #[must_use]
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// The longest one attempt may take, reading the body included
    /// (`None`: only the deadline bounds it).
    #[must_use]
    pub fn attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// The longest connecting may take (used when the context builds the
    /// HTTP client).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The most redirects followed (used when the context builds the HTTP
    /// client; credentials are only sent to the same origin).
    #[must_use]
    pub fn max_redirects(mut self, redirects: usize) -> Self {
        self.max_redirects = redirects;
        self
    }

    /// Response size limits.
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Checks the settings and builds the shared context.
    pub fn build(self) -> Result<Context, ConfigError> {
        let authorization = self.credentials.header()?;
        if self.limits.max_body_bytes == 0 {
            return Err(ConfigError::Setting(
                "max_body_bytes must be positive".into(),
            ));
        }
        if self.attempt_timeout.is_some_and(|t| t.is_zero()) {
            return Err(ConfigError::Setting(
                "attempt_timeout must be positive".into(),
            ));
        }
        let redactor = Redactor::new(self.credentials.secrets());
        Ok(Context {
            inner: Arc::new(Inner {
                authorization,
                limiter: self.rate_limit.map(|r| Arc::new(Limiter::new(r))),
                redactor,
                hold_until: Mutex::new(None),
                config: self,
            }),
        })
    }
}

#[derive(Debug)]
struct Inner {
    config: Config,
    authorization: Option<HeaderValue>,
    limiter: Option<Arc<Limiter>>,
    redactor: Redactor,
    /// Set when a response said the quota is used up: no request leaves
    /// before this instant.
    hold_until: Mutex<Option<Instant>>,
}

/// The state every request of a client shares: credentials, retry policy,
/// rate limiter, quota hold, limits and the redactor. Cheap to clone; clones
/// share the limiter.
#[derive(Debug, Clone)]
pub struct Context {
    inner: Arc<Inner>,
}

impl Context {
    /// A context with default settings ([`Config::new`]).
    pub fn new(credentials: Credentials) -> Result<Self, ConfigError> {
        Config::new(credentials).build()
    }

    /// The settings this context was built from.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.config.retry
    }

    /// The rate limit, if any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.limiter.as_ref().map(|l| l.rate())
    }

    /// The per-call deadline, if any.
    pub fn deadline(&self) -> Option<Duration> {
        self.inner.config.deadline
    }

    /// The per-attempt timeout, if any.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.inner.config.attempt_timeout
    }

    /// Response size limits.
    pub fn limits(&self) -> Limits {
        self.inner.config.limits
    }

    /// The Cloud key id, if any (not a secret).
    pub fn key_id(&self) -> Option<&str> {
        self.inner.config.credentials.key_id()
    }

    /// Removes the credentials from a text a server sent.
    pub fn redactor(&self) -> &Redactor {
        &self.inner.redactor
    }

    /// Builds the HTTP client this context's settings describe: connect
    /// timeout, capped redirects (reqwest drops credentials on a redirect
    /// to another origin), rustls. Per-attempt timeouts are set on each
    /// request, so they also apply to a client you supply yourself.
    pub fn http_client(&self) -> Result<reqwest::Client, ConfigError> {
        crate::tls::install_crypto_provider();
        let config = &self.inner.config;
        reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::limited(config.max_redirects))
            .user_agent(concat!("clickstack-rs/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(ConfigError::Http)
    }

    /// Adds the `Authorization` header (marked sensitive) to a request.
    pub fn authorize(&self, request: &mut reqwest::Request) {
        if let Some(value) = &self.inner.authorization {
            request
                .headers_mut()
                .insert(reqwest::header::AUTHORIZATION, value.clone());
        }
    }

    pub(crate) fn limiter(&self) -> Option<&Arc<Limiter>> {
        self.inner.limiter.as_ref()
    }

    /// The instant before which no request may leave (a used-up quota).
    pub(crate) fn held_until(&self) -> Option<Instant> {
        self.inner.hold_until.lock().ok().and_then(|g| *g)
    }

    /// Holds further requests for `wait` (a quota reported as used up). A
    /// wait longer than the retry policy's `max_retry_after` is ignored.
    pub(crate) fn hold_for(&self, wait: Duration) {
        if wait > self.inner.config.retry.max_retry_after {
            return;
        }
        let Some(until) = Instant::now().checked_add(wait) else {
            return;
        };
        if let Ok(mut hold) = self.inner.hold_until.lock()
            && hold.is_none_or(|h| h < until)
        {
            *hold = Some(until);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_checks() {
        let ctx = Config::new(Credentials::basic("id", "s3cr3t-value"))
            .rate_limit(Some(RateLimit::CLOUD))
            .build()
            .unwrap();
        assert_eq!(ctx.rate_limit(), Some(RateLimit::CLOUD));
        assert_eq!(ctx.key_id(), Some("id"));
        assert!(!format!("{ctx:?}").contains("s3cr3t-value"));
        assert!(Context::new(Credentials::bearer("")).is_err());
        let err = Config::new(Credentials::none())
            .limits(Limits {
                max_body_bytes: 0,
                ..Limits::default()
            })
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("max_body_bytes"), "{err}");
    }

    #[test]
    fn quota_holds_are_bounded() {
        let ctx = Context::new(Credentials::none()).unwrap();
        ctx.hold_for(Duration::MAX);
        assert_eq!(ctx.held_until(), None);
        ctx.hold_for(Duration::from_secs(3));
        assert!(ctx.held_until().is_some());
    }
}
