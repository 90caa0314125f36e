//! Paging a list without trusting the server to end it.

use futures_core::Stream;
use futures_util::{TryStreamExt, stream};

use super::Operations;
use crate::client::Client;
use crate::error::{Error, Result};

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<R> {
    /// The items of this page.
    pub items: Vec<R>,
    /// Items in the whole list, when known (`HyperDX` `meta.total`, or a list
    /// the backend sends whole).
    pub total: Option<u64>,
}

/// What the stream knows between pages.
struct Cursor<R> {
    offset: u64,
    pages: u32,
    previous_ids: Option<Vec<Option<String>>>,
    done: bool,
    _kind: std::marker::PhantomData<fn() -> R>,
}

/// The ids of a page, to recognize a page the server repeats.
fn ids<R: Operations>(items: &[R]) -> Vec<Option<String>> {
    items.iter().map(|i| i.id().map(str::to_string)).collect()
}

/// Every item of the list, page by page (see `Resources::stream`).
pub(super) fn stream<R: Operations>(client: &Client) -> impl Stream<Item = Result<R>> + '_ {
    let start = Cursor::<R> {
        offset: 0,
        pages: 0,
        previous_ids: None,
        done: false,
        _kind: std::marker::PhantomData,
    };
    stream::try_unfold(start, move |mut cursor| async move {
        if cursor.done {
            return Ok(None);
        }
        if cursor.pages >= client.paging.max_pages {
            return Err(Error::Pagination(format!(
                "the {} list did not end after {} pages of {} (raise ClientBuilder::max_pages \
                 if the list really is that long)",
                R::KIND,
                cursor.pages,
                client.paging.page_size
            )));
        }
        let limit = client.paging.page_size;
        let page = R::list_page(client, cursor.offset, limit).await?;
        cursor.pages += 1;
        let page_ids = ids(&page.items);
        if page.items.is_empty() || cursor.previous_ids.as_ref() == Some(&page_ids) {
            if !page.items.is_empty() {
                tracing::warn!(
                    kind = R::KIND,
                    offset = cursor.offset,
                    "the server repeated the previous page; the list stops here"
                );
            }
            return Ok(None);
        }
        let count = page.items.len() as u64;
        cursor.offset = cursor.offset.saturating_add(count);
        cursor.done = !R::PAGED
            || count < u64::from(limit)
            || page.total.is_some_and(|total| cursor.offset >= total);
        cursor.previous_ids = Some(page_ids);
        Ok(Some((stream::iter(page.items.into_iter().map(Ok)), cursor)))
    })
    .try_flatten()
}

/// One page at `offset` (see `Resources::page`).
pub(super) async fn page<R: Operations>(
    client: &Client,
    offset: u64,
    limit: u32,
) -> Result<Page<R>> {
    let page = R::list_page(client, offset, limit).await?;
    if R::PAGED {
        return Ok(page);
    }
    let total = page.items.len() as u64;
    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let take = usize::try_from(limit).unwrap_or(usize::MAX);
    Ok(Page {
        items: page.items.into_iter().skip(skip).take(take).collect(),
        total: Some(total),
    })
}
