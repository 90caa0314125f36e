//! `limit`/`offset` pagination of the alert, webhook and saved-search lists
//! (HyperDX's `paginationQuerySchema`; Cloud declares the same parameters).

use serde_json::Value;

use super::Outcome;
use crate::http::Request;
use crate::problems::{Failure, Issue, Problems, zod};
use crate::store::Item;

/// Most items one page holds, and the default `limit`.
const MAX_LIMIT: u64 = 1000;

/// A page of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    /// Most items on the page (1..=1000, default 1000).
    pub(crate) limit: u64,
    /// Items skipped (default 0).
    pub(crate) offset: u64,
}

impl Page {
    /// Reads `limit` and `offset` like `z.coerce.number().int()`, with
    /// zod's messages.
    pub(crate) fn from_query(request: &Request) -> Result<Page, Failure> {
        let mut issues = Vec::new();
        let mut number = |name: &str, default: u64, min: u64, max: Option<u64>| {
            let Some(raw) = request.query_param(name) else {
                return default;
            };
            let trimmed = raw.trim();
            // `Number("")` is 0.
            let parsed = if trimmed.is_empty() {
                Some(0.0)
            } else {
                trimmed.parse::<f64>().ok().filter(|n| !n.is_nan())
            };
            let Some(n) = parsed else {
                issues.push(Issue::new(name, "Expected number, received nan"));
                return default;
            };
            if n.fract() != 0.0 || !n.is_finite() {
                issues.push(Issue::new(name, "Expected integer, received float"));
                return default;
            }
            if n < min as f64 {
                issues.push(Issue::new(name, zod::number_min(min)));
                return default;
            }
            if let Some(max) = max
                && n > max as f64
            {
                issues.push(Issue::new(name, zod::number_max(max)));
                return default;
            }
            format!("{n:.0}").parse().unwrap_or(default)
        };
        let limit = number("limit", MAX_LIMIT, 1, Some(MAX_LIMIT));
        let offset = number("offset", 0, 0, None);
        Problems {
            query: issues,
            ..Problems::default()
        }
        .into_result()?;
        Ok(Page { limit, offset })
    }
}

/// The page of `items` (oldest first) `request` asks for, rendered.
pub(crate) fn paged(
    items: &[Item],
    request: &Request,
    render: impl Fn(&Item) -> Value,
) -> Result<Outcome, Failure> {
    let page = Page::from_query(request)?;
    let skip = usize::try_from(page.offset).unwrap_or(usize::MAX);
    let take = usize::try_from(page.limit).unwrap_or(usize::MAX);
    Ok(Outcome::List {
        items: items.iter().skip(skip).take(take).map(render).collect(),
        total: items.len(),
        page: Some(page),
    })
}
