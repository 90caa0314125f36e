//! [`ClientBuilder`]: the settings of a [`Client`].

use clickstack_runtime::{Config, ConfigError, Credentials, RateLimit};
use uuid::Uuid;

use super::{Backend, Client, Paging, env};
use crate::{Error, Result, cloud, oss};

/// Default items per page when streaming paginated lists.
pub const PAGE_SIZE: u32 = 100;
/// Default number of pages a list fetches before it gives up.
pub const MAX_PAGES: u32 = 1000;

#[derive(Debug, Clone)]
enum Target {
    Cloud {
        organization: Uuid,
        service: Uuid,
        base_url: String,
    },
    Oss {
        base_url: String,
    },
}

/// Settings of a [`Client`]; start from [`Client::cloud`], [`Client::oss`]
/// or [`ClientBuilder::from_env`].
///
/// The request settings (retries, rate limit, deadline, timeouts, size
/// limits, redirects) are the runtime's [`Config`], changed with
/// [`ClientBuilder::config`]; the builder adds what only the facade has:
/// the base URL, paging and a `reqwest::Client` of your own.
///
/// Defaults: the backend's documented rate limit (Cloud 10 requests per
/// 10 s, `HyperDX` 100 per minute), and [`Config`]'s own defaults for the
/// rest (3 retries of idempotent requests, a 2-minute deadline per call,
/// every attempt and wait included, 60 s per attempt, 10 s to connect,
/// 32 MiB per response); 100 items per page and at most 1000 pages per
/// list.
///
/// ```
/// use std::time::Duration;
/// let client = clickstack::Client::oss("http://localhost:8000", "personal-api-key")
///     .config(|c| c.deadline(Some(Duration::from_secs(30))).rate_limit(None))
///     .page_size(500)
///     .build()?;
/// assert_eq!(client.context().deadline(), Some(Duration::from_secs(30)));
/// # Ok::<(), clickstack::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    target: Target,
    config: Config,
    http: Option<reqwest::Client>,
    paging: Paging,
}

impl ClientBuilder {
    fn new(target: Target, credentials: Credentials) -> Self {
        let rate = match target {
            Target::Cloud { .. } => RateLimit::CLOUD,
            Target::Oss { .. } => RateLimit::HYPERDX,
        };
        ClientBuilder {
            target,
            config: Config::new(credentials).rate_limit(Some(rate)),
            http: None,
            paging: Paging {
                page_size: PAGE_SIZE,
                max_pages: MAX_PAGES,
            },
        }
    }

    pub(super) fn cloud(
        key_id: String,
        key_secret: String,
        organization: Uuid,
        service: Uuid,
    ) -> Self {
        Self::new(
            Target::Cloud {
                organization,
                service,
                base_url: cloud::DEFAULT_BASE_URL.to_string(),
            },
            Credentials::basic(key_id, key_secret),
        )
    }

    pub(super) fn oss(base_url: String, api_key: String) -> Self {
        Self::new(Target::Oss { base_url }, Credentials::bearer(api_key))
    }

    /// The builder the environment describes (see [`env`](mod@crate::env)): `Ok(None)`
    /// when it names no backend, an error when it names one incompletely
    /// or wrongly.
    pub fn from_env() -> Result<Option<ClientBuilder>> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::from_env`] over any source of variables (a
    /// configuration file, a test's map); empty values count as unset.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let vars = HashMap::from([
    ///     (clickstack::env::URL, "http://localhost:8000"),
    ///     (clickstack::env::API_KEY, "k"),
    /// ]);
    /// let builder = clickstack::ClientBuilder::from_lookup(|name| vars.get(name).map(|v| v.to_string()))?;
    /// assert_eq!(builder.unwrap().build()?.backend(), clickstack::BackendKind::Oss);
    /// # Ok::<(), clickstack::Error>(())
    /// ```
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Option<ClientBuilder>> {
        let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let missing =
            |name: &str| Error::Config(ConfigError::Environment(format!("{name} is not set")));
        match (var(env::URL), var(env::API_KEY)) {
            (Some(url), Some(key)) => return Ok(Some(Client::oss(url, key))),
            (Some(_), None) => return Err(missing(env::API_KEY)),
            (None, Some(_)) => return Err(missing(env::URL)),
            (None, None) => {}
        }
        let Some(key_id) = var(env::CLOUD_KEY_ID) else {
            return Ok(None);
        };
        let need = |name: &str| var(name).ok_or_else(|| missing(name));
        let uuid = |name: &str| -> Result<Uuid> {
            let value = need(name)?;
            Uuid::parse_str(&value).map_err(|e| {
                Error::Config(ConfigError::Environment(format!(
                    "{name} is not a UUID: {e}"
                )))
            })
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

    /// The API base URL (Cloud default `https://api.clickhouse.cloud`; for
    /// `HyperDX` the URL given to [`Client::oss`]). Checked by
    /// [`ClientBuilder::build`]: http(s), no credentials, query or fragment.
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        match &mut self.target {
            Target::Cloud { base_url, .. } | Target::Oss { base_url } => *base_url = url.into(),
        }
        self
    }

    /// Changes the request settings: `f` gets the current [`Config`] and
    /// returns the one to use (retries, rate limit, deadline, timeouts,
    /// size limits, redirects; see [`Config`]).
    ///
    /// ```
    /// use clickstack::{Client, RetryPolicy};
    /// let builder = Client::oss("http://localhost:8000", "key")
    ///     .config(|c| c.retry(RetryPolicy::none()).rate_limit(None));
    /// # let _ = builder;
    /// ```
    #[must_use]
    pub fn config(mut self, f: impl FnOnce(Config) -> Config) -> Self {
        self.config = f(self.config);
        self
    }

    /// Items per page when streaming paginated lists (1..=1000, the range
    /// both APIs accept; checked by [`ClientBuilder::build`]).
    #[must_use]
    pub fn page_size(mut self, size: u32) -> Self {
        self.paging.page_size = size;
        self
    }

    /// Pages a list fetches before it fails with [`Error::Pagination`]
    /// (a server that never stops paging).
    #[must_use]
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.paging.max_pages = pages;
        self
    }

    /// Sends through this `reqwest::Client` (proxies, TLS roots, its own
    /// redirect policy); retries, rate limiting, deadlines and limits still
    /// apply, but the connect timeout and redirect cap of [`Config`] are
    /// the client's own.
    #[must_use]
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the settings (base URL, credentials, page size) and builds
    /// the client.
    pub fn build(self) -> Result<Client> {
        if !(1..=1000).contains(&self.paging.page_size) {
            return Err(Error::Config(ConfigError::Setting(format!(
                "page size {} is outside 1..=1000",
                self.paging.page_size
            ))));
        }
        if self.paging.max_pages == 0 {
            return Err(Error::Config(ConfigError::Setting(
                "max_pages must be positive".into(),
            )));
        }
        let context = self.config.build()?;
        let http = match self.http {
            Some(http) => http,
            None => context.http_client()?,
        };
        let backend = match self.target {
            Target::Cloud {
                organization,
                service,
                base_url,
            } => Backend::Cloud {
                client: cloud::Client::with_http_client(&base_url, http, context.clone())?,
                organization,
                service,
            },
            Target::Oss { base_url } => Backend::Oss {
                client: oss::Client::with_http_client(&base_url, http, context.clone())?,
            },
        };
        Ok(Client {
            backend,
            context,
            paging: self.paging,
        })
    }
}
