//! CRUD on the shared resources, whichever backend the client talks to:
//! `client.dashboards()`, `.alerts()`, `.sources()`, `.webhooks()`,
//! `.saved_searches()`.

mod crud;
mod dashboards;

pub use dashboards::{Applied, ApplyAction, DashboardDocument, Validation};

use futures_core::Stream;
use futures_util::{TryStreamExt, stream};
use progenitor_client::ResponseValue;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::Client;
use crate::error::{ApiErrorInfo, Error, Result};
use crate::model::{Alert, Dashboard, Resource, SavedSearch, Source, Webhook, from_wire};

/// Default page size when streaming paginated lists
/// (see [`crate::ClientBuilder::page_size`]).
pub const PAGE_SIZE: i64 = 100;

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<R> {
    /// The items of this page.
    pub items: Vec<R>,
    /// Total number of items, when the backend says (HyperDX `meta.total`).
    pub total: Option<u64>,
}

/// How a resource maps onto each backend's generated operations; lets
/// generic code take any `Resources<'_, R>` with `R: Operations`. Sealed:
/// implemented for the five shared resource types only.
#[allow(async_fn_in_trait)] // sealed; callers use the concrete types
pub trait Operations: Resource + sealed::Sealed {
    #[doc(hidden)]
    /// One page (`offset`, `limit`); backends without paging return all.
    async fn list_page(client: &Client, offset: i64, limit: i64) -> Result<Page<Self>>;
    #[doc(hidden)]
    async fn get(client: &Client, id: &str) -> Result<Self>;
    #[doc(hidden)]
    async fn create(client: &Client, resource: &Self) -> Result<Self>;
    #[doc(hidden)]
    async fn update(client: &Client, id: &str, resource: &Self) -> Result<Self>;
    #[doc(hidden)]
    async fn delete(client: &Client, id: &str) -> Result<()>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::model::Alert {}
    impl Sealed for crate::model::Dashboard {}
    impl Sealed for crate::model::SavedSearch {}
    impl Sealed for crate::model::Source {}
    impl Sealed for crate::model::Webhook {}
}

/// The operations on one kind of resource; get it from
/// [`Client::dashboards`] and its siblings.
#[derive(Debug, Clone, Copy)]
pub struct Resources<'a, R> {
    client: &'a Client,
    _kind: std::marker::PhantomData<fn() -> R>,
}

/// Dashboards.
pub type DashboardsApi<'a> = Resources<'a, Dashboard>;

impl Client {
    /// Dashboards (also export, apply and validate).
    pub fn dashboards(&self) -> Resources<'_, Dashboard> {
        Resources::new(self)
    }
    /// Alerts.
    pub fn alerts(&self) -> Resources<'_, Alert> {
        Resources::new(self)
    }
    /// Sources.
    pub fn sources(&self) -> Resources<'_, Source> {
        Resources::new(self)
    }
    /// Webhooks.
    pub fn webhooks(&self) -> Resources<'_, Webhook> {
        Resources::new(self)
    }
    /// Saved searches.
    pub fn saved_searches(&self) -> Resources<'_, SavedSearch> {
        Resources::new(self)
    }
}

impl<'a, R: Operations> Resources<'a, R> {
    fn new(client: &'a Client) -> Self {
        Resources {
            client,
            _kind: std::marker::PhantomData,
        }
    }

    /// Every item, fetching all pages.
    pub async fn list(&self) -> Result<Vec<R>> {
        self.stream().try_collect().await
    }

    /// Every item as a stream that fetches pages on demand (HyperDX pages
    /// alerts, webhooks and saved searches with `limit`/`offset`). Pin it
    /// (`Box::pin`) to poll it with `StreamExt::next`.
    pub fn stream(&self) -> impl Stream<Item = Result<R>> + 'a {
        let client = self.client;
        stream::try_unfold(Some(0i64), move |offset| async move {
            let Some(offset) = offset else {
                return Ok(None);
            };
            let page = R::list_page(client, offset, client.page_size).await?;
            let fetched = offset + page.items.len() as i64;
            let more =
                !page.items.is_empty() && page.total.is_some_and(|total| (fetched as u64) < total);
            Ok(Some((page.items, more.then_some(fetched))))
        })
        .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
        .try_flatten()
    }

    /// One page, for callers that page themselves. Backends that do not
    /// page a list (Cloud, and HyperDX dashboards and sources) return it
    /// whole; the page is then cut from it here, with `total` set, so a
    /// paging loop ends the same way on every backend.
    pub async fn page(&self, offset: i64, limit: i64) -> Result<Page<R>> {
        let page = R::list_page(self.client, offset, limit).await?;
        if page.total.is_some() {
            return Ok(page);
        }
        let total = page.items.len() as u64;
        let skip = usize::try_from(offset.max(0)).unwrap_or(usize::MAX);
        let take = usize::try_from(limit.max(0)).unwrap_or(usize::MAX);
        Ok(Page {
            items: page.items.into_iter().skip(skip).take(take).collect(),
            total: Some(total),
        })
    }

    /// One item by id.
    pub async fn get(&self, id: &str) -> Result<R> {
        R::get(self.client, id).await
    }

    /// Creates an item; returns it as stored (with its id). Server-assigned
    /// fields of `resource` are not sent.
    pub async fn create(&self, resource: &R) -> Result<R> {
        R::create(self.client, resource).await
    }

    /// Replaces item `id`; returns it as stored.
    pub async fn update(&self, id: &str, resource: &R) -> Result<R> {
        R::update(self.client, id, resource).await
    }

    /// Deletes item `id`.
    pub async fn delete(&self, id: &str) -> Result<()> {
        R::delete(self.client, id).await
    }
}

/// Takes `key` (`result` on Cloud, `data` on HyperDX) out of an envelope.
///
/// The generated envelope types skip an empty list when re-encoded, so a
/// missing key reads as an empty list where a list is expected.
pub(crate) fn unwrap<T: DeserializeOwned, B: Serialize>(
    response: ResponseValue<B>,
    key: &str,
) -> Result<T> {
    let status = response.status().as_u16();
    let mut envelope = envelope_json(response)?;
    match envelope.get_mut(key).map(Value::take) {
        Some(inner) => from_wire(inner, status),
        None => serde_json::from_value(Value::Array(Vec::new())).map_err(|_| Error::Decode {
            status: Some(status),
            message: format!("the response has no `{key}`"),
            body: envelope.to_string(),
        }),
    }
}

/// A HyperDX list envelope: `{data: [..], meta: {total}}`.
pub(crate) fn unwrap_page<T: DeserializeOwned, B: Serialize>(
    response: ResponseValue<B>,
) -> Result<Page<T>> {
    let status = response.status().as_u16();
    let envelope = envelope_json(response)?;
    let total = envelope.pointer("/meta/total").and_then(Value::as_u64);
    let items = match envelope.get("data") {
        Some(data) => from_wire(data.clone(), status)?,
        None => Vec::new(),
    };
    Ok(Page { items, total })
}

pub(crate) fn envelope_json<B: Serialize>(response: ResponseValue<B>) -> Result<Value> {
    let status = response.status().as_u16();
    serde_json::to_value(response.into_inner()).map_err(|e| Error::Decode {
        status: Some(status),
        message: e.to_string(),
        body: String::new(),
    })
}

/// A whole list as one page.
pub(crate) fn single_page<R>(items: Vec<R>) -> Page<R> {
    Page { items, total: None }
}

/// `get` for resources the APIs cannot fetch one by one (webhooks): the
/// item of that id in the list, or `NotFound`.
pub(crate) async fn get_by_listing<R: Operations>(client: &Client, id: &str) -> Result<R> {
    let found = Box::pin(Resources::<R>::new(client).stream())
        .try_filter(|item| std::future::ready(item.id() == Some(id)))
        .try_next()
        .await?;
    found.ok_or_else(|| {
        Error::NotFound(ApiErrorInfo {
            status: 404,
            message: format!("{} {id} not found", R::KIND),
            request_id: None,
        })
    })
}
