//! The two rate limiters: HyperDX's fixed window and Cloud's sliding window,
//! both keyed per client and bounded in the number of keys they remember.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::options::Limit;

/// Most distinct keys a limiter remembers; beyond it, stale keys are
/// dropped (and, if that is not enough, all of them).
const MAX_KEYS: usize = 10_000;

/// What a limiter decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decision {
    /// Whether the request may proceed.
    pub(crate) allowed: bool,
    /// The limit (`RateLimit-Limit`).
    pub(crate) limit: u32,
    /// Requests left in the window (`RateLimit-Remaining`).
    pub(crate) remaining: u32,
    /// Whole seconds until the window frees a slot (`RateLimit-Reset`, or
    /// Cloud's `Retry-After`); at least 1.
    pub(crate) reset_secs: u64,
    /// The window length in whole seconds (HyperDX's `Retry-After`).
    pub(crate) window_secs: u64,
}

/// `duration` in whole seconds, rounded up, at least 1.
fn ceil_secs(duration: Duration) -> u64 {
    let secs = duration.as_secs() + u64::from(duration.subsec_nanos() > 0);
    secs.max(1)
}

/// A fixed window per key, all windows aligned to the limiter's start:
/// window `n` covers `[start + n*window, start + (n+1)*window)`. Every
/// request counts, rejected ones included (as `express-rate-limit` does).
#[derive(Debug)]
pub(crate) struct FixedWindow {
    limit: Limit,
    start: Instant,
    hits: HashMap<String, (u128, u32)>,
}

impl FixedWindow {
    /// A limiter whose first window starts now.
    pub(crate) fn new(limit: Limit) -> Self {
        FixedWindow {
            limit,
            start: Instant::now(),
            hits: HashMap::new(),
        }
    }

    /// Counts a request from `key` at `now`.
    pub(crate) fn hit(&mut self, key: &str, now: Instant) -> Decision {
        let window = self.limit.window;
        if window.is_zero() {
            return unlimited(self.limit);
        }
        let elapsed = now.saturating_duration_since(self.start);
        let index = elapsed.as_nanos() / window.as_nanos();
        if self.hits.len() >= MAX_KEYS && !self.hits.contains_key(key) {
            self.hits.retain(|_, (i, _)| *i == index);
            if self.hits.len() >= MAX_KEYS {
                self.hits.clear();
            }
        }
        let entry = self.hits.entry(key.to_owned()).or_insert((index, 0));
        if entry.0 != index {
            *entry = (index, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        let used = entry.1;
        let window_end = window
            .checked_mul(u32::try_from(index + 1).unwrap_or(u32::MAX))
            .unwrap_or(Duration::MAX);
        Decision {
            allowed: used <= self.limit.requests,
            limit: self.limit.requests,
            remaining: self.limit.requests.saturating_sub(used),
            reset_secs: ceil_secs(window_end.saturating_sub(elapsed)),
            window_secs: ceil_secs(window),
        }
    }
}

/// A sliding window per key: a request is allowed when fewer than `limit`
/// allowed requests arrived in the `window` before it. Rejected requests do
/// not count, so a client that waits the advertised time gets through.
#[derive(Debug)]
pub(crate) struct SlidingWindow {
    limit: Limit,
    arrivals: HashMap<String, VecDeque<Instant>>,
}

impl SlidingWindow {
    /// An empty limiter.
    pub(crate) fn new(limit: Limit) -> Self {
        SlidingWindow {
            limit,
            arrivals: HashMap::new(),
        }
    }

    /// Counts a request from `key` arriving at `now`.
    pub(crate) fn hit(&mut self, key: &str, now: Instant) -> Decision {
        let window = self.limit.window;
        if window.is_zero() {
            return unlimited(self.limit);
        }
        let live = |t: &Instant| now.saturating_duration_since(*t) < window;
        if self.arrivals.len() >= MAX_KEYS && !self.arrivals.contains_key(key) {
            self.arrivals.retain(|_, times| times.iter().any(live));
            if self.arrivals.len() >= MAX_KEYS {
                self.arrivals.clear();
            }
        }
        let times = self.arrivals.entry(key.to_owned()).or_default();
        while times.front().is_some_and(|t| !live(t)) {
            times.pop_front();
        }
        let limit = usize::try_from(self.limit.requests).unwrap_or(usize::MAX);
        let allowed = times.len() < limit;
        if allowed {
            times.push_back(now);
        }
        let used = u32::try_from(times.len()).unwrap_or(u32::MAX);
        let reset = times.front().map_or(window, |oldest| {
            window.saturating_sub(now.saturating_duration_since(*oldest))
        });
        Decision {
            allowed,
            limit: self.limit.requests,
            remaining: self.limit.requests.saturating_sub(used),
            reset_secs: ceil_secs(reset),
            window_secs: ceil_secs(window),
        }
    }
}

/// The decision of a limiter with a zero window: always allowed.
fn unlimited(limit: Limit) -> Decision {
    Decision {
        allowed: true,
        limit: limit.requests,
        remaining: limit.requests,
        reset_secs: 1,
        window_secs: ceil_secs(limit.window),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn fixed_window_counts_and_resets_on_the_boundary() {
        let mut limiter = FixedWindow::new(Limit {
            requests: 2,
            window: Duration::from_secs(60),
        });
        let t0 = limiter.start;
        let first = limiter.hit("k", t0 + 10 * SECOND);
        assert!(first.allowed);
        assert_eq!((first.remaining, first.reset_secs), (1, 50));
        assert!(limiter.hit("k", t0 + 11 * SECOND).allowed);
        let third = limiter.hit("k", t0 + 12 * SECOND);
        assert!(!third.allowed);
        assert_eq!((third.remaining, third.reset_secs), (0, 48));
        // Another key has its own count.
        assert!(limiter.hit("other", t0 + 12 * SECOND).allowed);
        // The next window starts at 60 s after the start.
        let next = limiter.hit("k", t0 + 60 * SECOND);
        assert!(next.allowed);
        assert_eq!(next.reset_secs, 60);
    }

    #[test]
    fn sliding_window_frees_a_slot_a_window_after_each_arrival() {
        let mut limiter = SlidingWindow::new(Limit {
            requests: 2,
            window: Duration::from_secs(10),
        });
        let t0 = Instant::now();
        assert!(limiter.hit("k", t0).allowed);
        assert!(limiter.hit("k", t0 + 4 * SECOND).allowed);
        let over = limiter.hit("k", t0 + 5 * SECOND);
        assert!(!over.allowed);
        assert_eq!(over.reset_secs, 5);
        // Rejections do not count: exactly a window after the first
        // arrival there is room again.
        assert!(limiter.hit("k", t0 + 10 * SECOND).allowed);
        assert!(!limiter.hit("k", t0 + 13 * SECOND).allowed);
        assert!(limiter.hit("k", t0 + 14 * SECOND).allowed);
    }

    #[test]
    fn zero_limit_rejects_and_zero_window_allows() {
        let mut none = SlidingWindow::new(Limit {
            requests: 0,
            window: SECOND,
        });
        assert!(!none.hit("k", Instant::now()).allowed);
        let mut all = FixedWindow::new(Limit {
            requests: 0,
            window: Duration::ZERO,
        });
        assert!(all.hit("k", Instant::now()).allowed);
    }
}
