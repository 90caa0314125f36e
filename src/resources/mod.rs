//! CRUD on the shared resources, whichever backend the client talks to:
//! `client.dashboards()`, `.alerts()`, `.sources()`, `.webhooks()`,
//! `.saved_searches()`.

mod operations;
mod paging;
mod validate;

pub use operations::Operations;
pub use paging::{Listing, Page};
pub use validate::{Validation, ValidationError};

use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use crate::client::Client;
use crate::error::{ApiErrorInfo, Error, Result};
use crate::model::{Alert, Dashboard, SavedSearch, Source, Webhook};

/// The operations on one kind of resource; get it from
/// [`Client::dashboards`] and its siblings.
#[derive(Debug, Clone, Copy)]
pub struct Resources<'a, R> {
    pub(crate) client: &'a Client,
    _kind: std::marker::PhantomData<fn() -> R>,
}

/// Dashboards (see also dashboards-as-code: [`Resources::apply`]).
pub type DashboardsApi<'a> = Resources<'a, Dashboard>;

impl Client {
    /// The connections of an open-source deployment (`HyperDX`); an item
    /// that does not decode is kept in [`Listing::undecodable`]. Managed
    /// `ClickStack` has no connections API: [`Error::Unsupported`].
    pub async fn connections(&self) -> Result<Listing<crate::model::Connection>> {
        match &self.backend {
            crate::client::Backend::Oss { client: c } => {
                let body: crate::wire::OssEnvelope<
                    Vec<crate::wire::Item<crate::model::Connection>>,
                > = self.call(c.list_connections_as()).await?;
                let fetched = paging::Fetched {
                    elements: body.data,
                    total: None,
                };
                let mut listing = Listing {
                    items: Vec::new(),
                    undecodable: Vec::new(),
                };
                listing.extend(fetched.into_results(self, 0))?;
                Ok(listing)
            }
            crate::client::Backend::Cloud { .. } => Err(Error::Unsupported(
                "listing connections: Managed ClickStack has no connections API",
            )),
        }
    }

    /// Dashboards (also validate, export and apply).
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

    /// Every item, fetching all pages (see [`Resources::stream`]). An item
    /// that does not decode does not fail the list: it is kept, with where
    /// and why, in [`Listing::undecodable`] (and logged as a warning); use
    /// [`Listing::into_complete`] to treat it as an error.
    pub async fn list(&self) -> Result<Listing<R>> {
        paging::list::<R>(self.client).await
    }

    /// Every item as a stream that fetches pages on demand (boxed, so it
    /// can be polled with `TryStreamExt::try_next` as it is).
    ///
    /// An item that does not decode is yielded as
    /// [`Error::UndecodableItem`] in its place, and the stream goes on;
    /// any other error ends it. The server is not trusted to end the list:
    /// the stream stops at an empty page, at a page shorter than asked
    /// for, at a page that repeats the previous one and at the total the
    /// server announced (a total the items already received pass is
    /// ignored); after the client's maximum number of pages it fails with
    /// [`Error::Pagination`].
    pub fn stream(&self) -> BoxStream<'a, Result<R>> {
        Box::pin(paging::stream::<R>(self.client))
    }

    /// One page, for callers that page themselves. Lists the backend does
    /// not page (Cloud dashboards and sources, `HyperDX` dashboards and
    /// sources) are fetched whole and cut here, with `total` set, so a
    /// paging loop ends the same way on every backend. `limit` must be in
    /// 1..=1000.
    pub async fn page(&self, offset: u64, limit: u32) -> Result<Page<R>> {
        if !(1..=1000).contains(&limit) {
            return Err(Error::InvalidInput(format!(
                "page limit {limit} is outside 1..=1000"
            )));
        }
        paging::page::<R>(self.client, offset, limit).await
    }

    /// One item by id.
    pub async fn get(&self, id: &str) -> Result<R> {
        R::get(self.client, id).await
    }

    /// Creates an item; returns it as stored (with its id). The server's
    /// fields of `resource` (id, timestamps) are not sent.
    pub async fn create(&self, resource: &R) -> Result<R> {
        R::create(self.client, &resource.to_create()).await
    }

    /// Updates item `id` with `resource`; returns it as stored. What an
    /// update keeps when a field is absent depends on the resource (a
    /// dashboard keeps it, an alert clears it); send `Some(vec![])` or
    /// [`Field::Null`](crate::Field::Null) to clear explicitly.
    pub async fn update(&self, id: &str, resource: &R) -> Result<R> {
        R::update(self.client, id, &resource.to_update()).await
    }

    /// Deletes item `id`.
    pub async fn delete(&self, id: &str) -> Result<()> {
        match R::delete(self.client, id).await {
            // A 204 (or another success the spec does not list) means the
            // item is gone; a body that does not decode stays an error.
            Err(Error::UnexpectedSuccess { .. }) | Ok(()) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The item of this id, found by listing (for resources the APIs
    /// cannot fetch one by one, such as webhooks). An item of that id that
    /// does not decode is that error, not "not found".
    pub(crate) async fn find_by_listing(&self, id: &str) -> Result<R> {
        let mut stream = self.stream();
        while let Some(element) = stream.next().await {
            match element {
                Ok(item) if item.id() == Some(id) => return Ok(item),
                Err(Error::UndecodableItem(bad)) if bad.id.as_deref() == Some(id) => {
                    return Err(Error::UndecodableItem(bad));
                }
                Ok(_) | Err(Error::UndecodableItem(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Err(Error::NotFound(ApiErrorInfo {
            status: 404,
            message: format!("{} {id} not found", R::KIND),
            request_id: None,
        }))
    }
}
