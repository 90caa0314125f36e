//! When and how long to wait before retrying a request.
//!
//! Retried: 429 and 502/503/504, plus connection failures and timeouts.
//! By default only idempotent requests (GET, PUT, DELETE) are retried: a
//! POST that timed out may have created the resource, so it is retried only
//! when the caller opts in ([`RetryPolicy::retry_non_idempotent`]).
//! The wait is exponential with jitter, or what the server asked for
//! (`Retry-After` in seconds or as an HTTP date, else `RateLimit-Reset`).

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// Retry settings of a [`crate::Client`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Backoff before the first retry; doubled for each further one.
    pub base_delay: Duration,
    /// Upper bound of a computed backoff.
    pub max_delay: Duration,
    /// Upper bound of a server-requested wait (`Retry-After`); a longer
    /// request is not waited for: the call fails with the server's error.
    pub max_retry_after: Duration,
    /// Also retry POST (non-idempotent) requests. Off by default: a retried
    /// POST can create a resource twice.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(120),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Whether a request with this idempotency may be retried at all.
    pub fn allows(&self, idempotent: bool) -> bool {
        self.max_retries > 0 && (idempotent || self.retry_non_idempotent)
    }

    /// The wait before retry number `retry` (1-based): the server's hint
    /// when given, else `base * 2^(retry-1)` capped at `max_delay`, with
    /// jitter drawn from its upper half. `None` when the server's hint
    /// exceeds `max_retry_after`.
    pub fn delay(&self, retry: u32, server_hint: Option<Duration>) -> Option<Duration> {
        if let Some(hint) = server_hint {
            return (hint <= self.max_retry_after).then_some(hint);
        }
        let exp = self
            .base_delay
            .saturating_mul(
                1u32.checked_shl(retry.saturating_sub(1))
                    .unwrap_or(u32::MAX),
            )
            .min(self.max_delay);
        let half = exp / 2;
        Some(half + half.mul_f64(jitter_fraction()))
    }
}

/// Whether a response status is worth retrying.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// A pseudo-random fraction in `[0, 1)`, different per call (enough for
/// jitter; no RNG dependency).
fn jitter_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait a response asks for: `Retry-After` (delta seconds or HTTP
/// date), else, on a 429 only, `RateLimit-Reset` (seconds until the
/// window resets; on other statuses it says nothing about the failure).
pub fn server_wait(status: u16, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(value) = headers.get("retry-after").and_then(|v| v.to_str().ok()) {
        let value = value.trim();
        if let Ok(secs) = value.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Ok(secs) = value.parse::<f64>() {
            // Negative, NaN or too large for a Duration: no usable hint.
            return Duration::try_from_secs_f64(secs).ok();
        }
        if let Ok(at) = httpdate::parse_http_date(value) {
            return Some(at.duration_since(now).unwrap_or(Duration::ZERO));
        }
    }
    if status != 429 {
        return None;
    }
    headers
        .get("ratelimit-reset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// How long to hold the next request when a response says the quota is
/// used up (`RateLimit-Remaining: 0` with `RateLimit-Reset: <seconds>`), so
/// a bulk job waits for the window instead of collecting a 429.
pub fn quota_exhausted(headers: &HeaderMap) -> Option<Duration> {
    let number = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    (number("ratelimit-remaining")? == 0)
        .then(|| number("ratelimit-reset"))
        .flatten()
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn retry_after_seconds_date_and_ratelimit_reset() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            server_wait(429, &headers(&[("retry-after", "7")]), now),
            Some(Duration::from_secs(7))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            server_wait(429, &headers(&[("retry-after", &date)]), now),
            Some(Duration::from_secs(30))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(
            server_wait(429, &headers(&[("retry-after", &past)]), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            server_wait(429, &headers(&[("ratelimit-reset", "12")]), now),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            server_wait(503, &headers(&[("ratelimit-reset", "12")]), now),
            None
        );
        assert_eq!(
            server_wait(429, &headers(&[("retry-after", "soon")]), now),
            None
        );
        assert_eq!(server_wait(429, &HeaderMap::new(), now), None);
        // A hint no Duration can hold, or a negative one, is no hint.
        assert_eq!(
            server_wait(429, &headers(&[("retry-after", "1e20")]), now),
            None
        );
        assert_eq!(
            server_wait(429, &headers(&[("retry-after", "-1.5")]), now),
            None
        );
        assert_eq!(
            server_wait(429, &headers(&[("retry-after", "0.5")]), now),
            Some(Duration::from_millis(500))
        );
    }

    #[test]
    fn an_exhausted_quota_holds_the_next_request() {
        let used_up = headers(&[("ratelimit-remaining", "0"), ("ratelimit-reset", "42")]);
        assert_eq!(quota_exhausted(&used_up), Some(Duration::from_secs(42)));
        let left = headers(&[("ratelimit-remaining", "3"), ("ratelimit-reset", "42")]);
        assert_eq!(quota_exhausted(&left), None);
        assert_eq!(quota_exhausted(&HeaderMap::new()), None);
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for retry in 1..=8 {
            let full =
                Duration::from_millis(100 * (1 << (retry - 1))).min(Duration::from_millis(1000));
            let d = p.delay(retry, None).unwrap();
            assert!(
                d >= full / 2 && d <= full,
                "retry {retry}: {d:?} not in [{:?}, {full:?}]",
                full / 2
            );
        }
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(5))),
            Some(Duration::from_secs(5))
        );
        assert_eq!(p.delay(1, Some(Duration::from_secs(500))), None);
    }

    #[test]
    fn only_idempotent_by_default() {
        let p = RetryPolicy::default();
        assert!(p.allows(true));
        assert!(!p.allows(false));
        assert!(
            RetryPolicy {
                retry_non_idempotent: true,
                ..p.clone()
            }
            .allows(false)
        );
        assert!(!RetryPolicy::none().allows(true));
        assert!(is_retryable_status(503) && is_retryable_status(429) && !is_retryable_status(500));
    }
}
