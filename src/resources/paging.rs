//! Paging a list without trusting the server to end it, and without
//! letting one item that does not decode fail the others.

use clickstack_runtime::UndecodableItem;
use futures_core::Stream;
use futures_util::{TryStreamExt, stream};

use super::Operations;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::wire::Item;

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<R> {
    /// The items of this page that decoded.
    pub items: Vec<R>,
    /// The items of this page that did not decode, in order.
    pub undecodable: Vec<UndecodableItem>,
    /// Items in the whole list, when known (`HyperDX` `meta.total`, or a list
    /// the backend sends whole).
    pub total: Option<u64>,
}

/// The elements of one list response in the server's order, as decoded,
/// with the total the server announced. (Public only because
/// [`Operations`]' hidden methods return it; it cannot be named outside.)
#[allow(unreachable_pub)]
pub struct Fetched<R> {
    pub(crate) elements: Vec<Item<R>>,
    pub(crate) total: Option<u64>,
}

impl<R: crate::model::Resource> Fetched<R> {
    /// What identifies the page, to recognize a page the server repeats.
    fn fingerprint(&self) -> Vec<Option<String>> {
        self.elements
            .iter()
            .map(|element| match element {
                Item::Decoded(item) => item.id().map(str::to_string),
                Item::Undecodable { raw, .. } => {
                    serde_json::from_str::<serde_json::Value>(raw.get())
                        .ok()
                        .and_then(|v| v.get("id")?.as_str().map(str::to_string))
                }
            })
            .collect()
    }

    /// The elements in order, as results: an item that did not decode is
    /// an [`Error::UndecodableItem`] naming its position (the first element
    /// being at `offset`), with the client's credentials redacted.
    pub(crate) fn into_results(
        self,
        client: &Client,
        offset: u64,
    ) -> impl Iterator<Item = Result<R>> + use<'_, R> {
        // `offset` is the server's business: positions saturate, never wrap.
        self.elements
            .into_iter()
            .enumerate()
            .map(move |(i, element)| match element {
                Item::Decoded(item) => Ok(item),
                Item::Undecodable { raw, path, message } => {
                    Err(Error::UndecodableItem(Box::new(UndecodableItem::new(
                        R::KIND,
                        offset.saturating_add(i as u64),
                        raw.get(),
                        &path,
                        &message,
                        client.context().redactor(),
                    ))))
                }
            })
    }
}

/// Every item of a list with the items that did not decode (see
/// `Resources::list`). It reads as the slice of decoded items
/// (`listing.len()`, `listing[0]`, `for item in &listing`).
#[derive(Debug, Clone, PartialEq)]
pub struct Listing<R> {
    /// The items that decoded, in the server's order.
    pub items: Vec<R>,
    /// The items that did not decode, in the server's order. Each names
    /// where and why, and carries the item as sent.
    pub undecodable: Vec<UndecodableItem>,
}

impl<R> Listing<R> {
    /// Whether every item decoded.
    pub fn is_complete(&self) -> bool {
        self.undecodable.is_empty()
    }

    /// The decoded items, or the first item that did not decode as an
    /// error, for callers that need the whole list or nothing.
    pub fn into_complete(self) -> Result<Vec<R>> {
        match self.undecodable.into_iter().next() {
            Some(bad) => Err(Error::UndecodableItem(Box::new(bad))),
            None => Ok(self.items),
        }
    }

    /// Sorts results into items and undecodable items; any other error is
    /// returned.
    pub(crate) fn extend(&mut self, results: impl Iterator<Item = Result<R>>) -> Result<()> {
        self.items.reserve(results.size_hint().0);
        for result in results {
            match result {
                Ok(item) => self.items.push(item),
                Err(Error::UndecodableItem(bad)) => self.undecodable.push(*bad),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

impl<R> std::ops::Deref for Listing<R> {
    type Target = [R];
    /// The decoded items.
    fn deref(&self) -> &[R] {
        &self.items
    }
}

impl<R> IntoIterator for Listing<R> {
    type Item = R;
    type IntoIter = std::vec::IntoIter<R>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, R> IntoIterator for &'a Listing<R> {
    type Item = &'a R;
    type IntoIter = std::slice::Iter<'a, R>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// Fetches a list page by page, deciding when it ends without trusting
/// the server to end it.
struct Pager<'a, R> {
    client: &'a Client,
    offset: u64,
    pages: u32,
    previous: Option<Vec<Option<String>>>,
    done: bool,
    _kind: std::marker::PhantomData<fn() -> R>,
}

impl<'a, R: Operations> Pager<'a, R> {
    fn new(client: &'a Client) -> Self {
        Pager {
            client,
            offset: 0,
            pages: 0,
            previous: None,
            done: false,
            _kind: std::marker::PhantomData,
        }
    }

    /// The next page and the position of its first element; `None` when
    /// the list has ended.
    async fn next(&mut self) -> Result<Option<(Fetched<R>, u64)>> {
        if self.done {
            return Ok(None);
        }
        let paging = self.client.paging;
        if self.pages >= paging.max_pages {
            return Err(Error::Pagination(format!(
                "the {} list did not end after {} pages of {} (raise ClientBuilder::max_pages \
                 if the list really is that long)",
                R::KIND,
                self.pages,
                paging.page_size
            )));
        }
        let page = R::list_page(self.client, self.offset, paging.page_size).await?;
        self.pages += 1;
        let fingerprint = page.fingerprint();
        let count = page.elements.len() as u64;
        if count == 0 || self.previous.as_ref() == Some(&fingerprint) {
            if count > 0 {
                tracing::warn!(
                    kind = R::KIND,
                    offset = self.offset,
                    "the server repeated the previous page; the list stops here"
                );
            }
            self.done = true;
            return Ok(None);
        }
        let start = self.offset;
        self.offset = self.offset.saturating_add(count);
        // A total the items already received pass makes no sense: it is
        // ignored, and the list ends on a short or empty page instead.
        self.done =
            !R::PAGED || count < u64::from(paging.page_size) || page.total == Some(self.offset);
        self.previous = Some(fingerprint);
        Ok(Some((page, start)))
    }
}

/// Logs an item that did not decode (lists and streams report it too).
fn warn_undecodable<R: Operations>(result: Result<R>) -> Result<R> {
    if let Err(Error::UndecodableItem(bad)) = &result {
        tracing::warn!(kind = R::KIND, index = bad.index, "{bad}");
    }
    result
}

/// Every item of the list, page by page (see `Resources::stream`).
pub(super) fn stream<R: Operations>(client: &Client) -> impl Stream<Item = Result<R>> + '_ {
    stream::try_unfold(Pager::<R>::new(client), |mut pager| async move {
        let Some((page, start)) = pager.next().await? else {
            return Ok::<_, Error>(None);
        };
        let results: Vec<Result<R>> = page
            .into_results(pager.client, start)
            .map(warn_undecodable)
            .collect();
        Ok(Some((stream::iter(results), pager)))
    })
    .try_flatten()
}

/// Every item of the list (see `Resources::list`): pages move into the
/// listing without an intermediate copy.
pub(super) async fn list<R: Operations>(client: &Client) -> Result<Listing<R>> {
    let mut listing = Listing {
        items: Vec::new(),
        undecodable: Vec::new(),
    };
    let mut pager = Pager::<R>::new(client);
    while let Some((page, start)) = pager.next().await? {
        listing.extend(page.into_results(client, start).map(warn_undecodable))?;
    }
    Ok(listing)
}

/// One page at `offset` (see `Resources::page`).
pub(super) async fn page<R: Operations>(
    client: &Client,
    offset: u64,
    limit: u32,
) -> Result<Page<R>> {
    let page = R::list_page(client, offset, limit).await?;
    let total = if R::PAGED {
        page.total
    } else {
        Some(page.elements.len() as u64)
    };
    let (skip, take) = if R::PAGED {
        (0, usize::MAX)
    } else {
        (
            usize::try_from(offset).unwrap_or(usize::MAX),
            usize::try_from(limit).unwrap_or(usize::MAX),
        )
    };
    let first = if R::PAGED { offset } else { 0 };
    let mut listing = Listing {
        items: Vec::new(),
        undecodable: Vec::new(),
    };
    listing.extend(page.into_results(client, first).skip(skip).take(take))?;
    Ok(Page {
        items: listing.items,
        undecodable: listing.undecodable,
        total,
    })
}
