//! Paging a list without trusting the server to end it, and without
//! letting one item that does not decode fail the others.

use clickstack_runtime::{Redactor, UndecodableItem};
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

/// The elements of one list response in the server's order: the items
/// that decoded, and an [`Error::UndecodableItem`] for each that did not;
/// with the total the server announced. (Public only because
/// [`Operations`]' hidden methods return it; it cannot be named outside.)
#[allow(unreachable_pub)]
pub struct Fetched<R> {
    pub(crate) elements: Vec<Result<R>>,
    pub(crate) total: Option<u64>,
}

impl<R: Operations> Fetched<R> {
    /// The elements of a list body whose first element is at `offset`.
    pub(crate) fn new(
        elements: Vec<Item<R>>,
        total: Option<u64>,
        offset: u64,
        redactor: &Redactor,
    ) -> Self {
        let elements = (offset..)
            .zip(elements)
            .map(|(index, element)| match element {
                Item::Decoded(item) => Ok(item),
                Item::Undecodable { raw, path, message } => {
                    Err(Error::UndecodableItem(Box::new(UndecodableItem::new(
                        R::KIND,
                        index,
                        raw.get(),
                        &path,
                        &message,
                        redactor,
                    ))))
                }
            })
            .collect();
        Fetched { elements, total }
    }

    /// What identifies the page, to recognize a page the server repeats.
    fn fingerprint(&self) -> Vec<Option<String>> {
        self.elements
            .iter()
            .map(|element| match element {
                Ok(item) => item.id().map(str::to_string),
                Err(Error::UndecodableItem(bad)) => bad.id.clone(),
                Err(_) => None,
            })
            .collect()
    }
}

impl<R> Page<R> {
    /// Splits elements into items and undecodable items.
    fn from_elements(elements: impl IntoIterator<Item = Result<R>>, total: Option<u64>) -> Self {
        let mut page = Page {
            items: Vec::new(),
            undecodable: Vec::new(),
            total,
        };
        for element in elements {
            match element {
                Ok(item) => page.items.push(item),
                Err(Error::UndecodableItem(bad)) => page.undecodable.push(*bad),
                Err(_) => {}
            }
        }
        page
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

/// What the stream knows between pages.
struct Cursor<R> {
    offset: u64,
    pages: u32,
    previous: Option<Vec<Option<String>>>,
    done: bool,
    _kind: std::marker::PhantomData<fn() -> R>,
}

/// Every item of the list, page by page (see `Resources::stream`).
pub(super) fn stream<R: Operations>(client: &Client) -> impl Stream<Item = Result<R>> + '_ {
    let start = Cursor::<R> {
        offset: 0,
        pages: 0,
        previous: None,
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
        let fingerprint = page.fingerprint();
        let count = page.elements.len() as u64;
        if count == 0 || cursor.previous.as_ref() == Some(&fingerprint) {
            if count > 0 {
                tracing::warn!(
                    kind = R::KIND,
                    offset = cursor.offset,
                    "the server repeated the previous page; the list stops here"
                );
            }
            return Ok(None);
        }
        cursor.offset = cursor.offset.saturating_add(count);
        // A total the items already received pass makes no sense: it is
        // ignored, and the list ends on a short or empty page instead.
        cursor.done = !R::PAGED || count < u64::from(limit) || page.total == Some(cursor.offset);
        cursor.previous = Some(fingerprint);
        for element in &page.elements {
            if let Err(bad) = element {
                tracing::warn!(kind = R::KIND, "{bad}");
            }
        }
        Ok(Some((stream::iter(page.elements), cursor)))
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
        return Ok(Page::from_elements(page.elements, page.total));
    }
    let total = page.elements.len() as u64;
    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let take = usize::try_from(limit).unwrap_or(usize::MAX);
    Ok(Page::from_elements(
        page.elements.into_iter().skip(skip).take(take),
        Some(total),
    ))
}
