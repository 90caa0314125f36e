//! Request counters: everything received, store writes and rate-limit
//! rejections, per HTTP method.

use std::sync::atomic::{AtomicUsize, Ordering};

use hyper::Method;

/// Counts per HTTP method.
///
/// ```
/// use clickstack_fake::MethodCounts;
/// let counts = MethodCounts { get: 2, post: 1, ..MethodCounts::default() };
/// assert_eq!(counts.total(), 3);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MethodCounts {
    /// `GET` (and `HEAD`).
    pub get: usize,
    /// `POST`.
    pub post: usize,
    /// `PUT`.
    pub put: usize,
    /// `DELETE`.
    pub delete: usize,
    /// Any other method.
    pub other: usize,
}

impl MethodCounts {
    /// The sum over all methods.
    pub fn total(&self) -> usize {
        self.get + self.post + self.put + self.delete + self.other
    }
}

/// Lock-free counters for one category of requests.
#[derive(Debug, Default)]
pub(crate) struct Counter {
    by_method: [AtomicUsize; 5],
}

impl Counter {
    /// Counts one request with `method`.
    pub(crate) fn add(&self, method: &Method) {
        let slot = match *method {
            Method::GET | Method::HEAD => 0,
            Method::POST => 1,
            Method::PUT => 2,
            Method::DELETE => 3,
            _ => 4,
        };
        if let Some(counter) = self.by_method.get(slot) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The current counts.
    pub(crate) fn snapshot(&self) -> MethodCounts {
        let load = |i: usize| {
            self.by_method
                .get(i)
                .map_or(0, |c| c.load(Ordering::Relaxed))
        };
        MethodCounts {
            get: load(0),
            post: load(1),
            put: load(2),
            delete: load(3),
            other: load(4),
        }
    }
}

/// Every counter the server keeps.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    /// Every request received, failed ones included.
    pub(crate) requests: Counter,
    /// Requests that changed the store.
    pub(crate) writes: Counter,
    /// Requests answered 429 by a rate limit (injected failures excluded).
    pub(crate) rate_limited: Counter,
}
