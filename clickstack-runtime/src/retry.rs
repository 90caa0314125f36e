//! When and how long to wait before retrying a request.
//!
//! Retried: 429 and 502/503/504, and connection failures and timeouts. By
//! default only idempotent requests (GET, HEAD, PUT, DELETE, OPTIONS) are
//! retried: a POST that timed out may have created the resource, so it is
//! retried only when the caller opts in
//! ([`RetryPolicy::retry_non_idempotent`]). A redirect loop is never
//! retried. The wait is exponential with jitter, or what the server asked
//! for: on a 429 the most precise of `Retry-After` and `RateLimit-Reset`
//! (`HyperDX` sends `Retry-After: 60`, its whole window, together with the
//! seconds left until the reset), else `Retry-After`.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// Retry settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Backoff before the first retry; doubled for each further one.
    pub base_delay: Duration,
    /// Upper bound of a computed backoff.
    pub max_delay: Duration,
    /// Upper bound of a server-requested wait (`Retry-After`); a longer
    /// one is not waited for: the call fails with the server's error.
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
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let full = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let half = full / 2;
        Some(half.saturating_add(half.mul_f64(fastrand::f64())))
    }
}

/// Whether a response status is worth retrying.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// A header as text, trimmed.
fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

/// Seconds as a `Duration`; negative, NaN or too large values are no value.
fn seconds(text: &str) -> Option<Duration> {
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    Duration::try_from_secs_f64(text.parse::<f64>().ok()?).ok()
}

/// `Retry-After`: delta seconds or an HTTP date.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = header(headers, "retry-after")?;
    seconds(value).or_else(|| {
        let at = httpdate::parse_http_date(value).ok()?;
        Some(at.duration_since(now).unwrap_or(Duration::ZERO))
    })
}

/// A `reset` value: seconds until the window resets, or (a value past
/// 2001 in epoch seconds) the Unix time of the reset.
fn reset(value: &str, now: SystemTime) -> Option<Duration> {
    let wait = seconds(value)?;
    if wait > Duration::from_secs(1_000_000_000) {
        let at = SystemTime::UNIX_EPOCH.checked_add(wait)?;
        return Some(at.duration_since(now).unwrap_or(Duration::ZERO));
    }
    Some(wait)
}

/// `RateLimit-Remaining`/`RateLimit-Reset` (draft 6, what `HyperDX` sends)
/// or the combined `RateLimit: limit=.., remaining=.., reset=..` (draft 7).
fn rate_limit_fields(headers: &HeaderMap) -> (Option<&str>, Option<&str>) {
    let mut remaining = header(headers, "ratelimit-remaining");
    let mut reset = header(headers, "ratelimit-reset");
    if let Some(combined) = header(headers, "ratelimit") {
        for part in combined.split([',', ';']) {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            match key.trim() {
                "remaining" if remaining.is_none() => remaining = Some(value.trim()),
                "reset" if reset.is_none() => reset = Some(value.trim()),
                _ => {}
            }
        }
    }
    (remaining, reset)
}

/// The wait a failed response asks for. On a 429, the most precise of
/// `Retry-After` and `RateLimit-Reset` (the shorter, when both are
/// given: the reset is when the quota is back, `Retry-After` often the
/// whole window); on other statuses `Retry-After` only.
///
/// ```
/// # use std::time::{Duration, SystemTime};
/// use reqwest::header::{HeaderMap, HeaderValue};
/// let mut headers = HeaderMap::new();
/// headers.insert("retry-after", HeaderValue::from_static("60"));
/// headers.insert("ratelimit-reset", HeaderValue::from_static("17"));
/// let wait = clickstack_runtime::server_wait(429, &headers, SystemTime::now());
/// assert_eq!(wait, Some(Duration::from_secs(17)));
/// ```
pub fn server_wait(status: u16, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let after = retry_after(headers, now);
    if status != 429 {
        return after;
    }
    let until_reset = rate_limit_fields(headers).1.and_then(|v| reset(v, now));
    match (after, until_reset) {
        (Some(a), Some(r)) => Some(a.min(r)),
        (a, r) => a.or(r),
    }
}

/// How long to hold the next request when a response says the quota is
/// used up (`RateLimit-Remaining: 0` with a reset), so a bulk job waits
/// for the window instead of collecting a 429.
pub fn quota_exhausted(headers: &HeaderMap) -> Option<Duration> {
    let (remaining, until) = rate_limit_fields(headers);
    if remaining?.parse::<u64>().ok()? != 0 {
        return None;
    }
    reset(until?, SystemTime::now())
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
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let wait = |pairs: &[(&'static str, &str)]| server_wait(503, &headers(pairs), now);
        assert_eq!(wait(&[("retry-after", "7")]), Some(Duration::from_secs(7)));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            wait(&[("retry-after", &date)]),
            Some(Duration::from_secs(30))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(wait(&[("retry-after", &past)]), Some(Duration::ZERO));
        assert_eq!(wait(&[("retry-after", "soon")]), None);
        assert_eq!(wait(&[("retry-after", "1e20")]), None);
        assert_eq!(wait(&[("retry-after", "-1.5")]), None);
        assert_eq!(
            wait(&[("retry-after", "0.5")]),
            Some(Duration::from_millis(500))
        );
        // RateLimit-Reset says nothing about a 503.
        assert_eq!(wait(&[("ratelimit-reset", "12")]), None);
    }

    #[test]
    fn a_429_uses_the_most_precise_hint() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let wait = |pairs: &[(&'static str, &str)]| server_wait(429, &headers(pairs), now);
        assert_eq!(
            wait(&[("retry-after", "60"), ("ratelimit-reset", "17")]),
            Some(Duration::from_secs(17))
        );
        assert_eq!(
            wait(&[("ratelimit-reset", "12")]),
            Some(Duration::from_secs(12))
        );
        assert_eq!(wait(&[("retry-after", "9")]), Some(Duration::from_secs(9)));
        assert_eq!(
            wait(&[
                ("retry-after", "60"),
                ("ratelimit", "limit=100, remaining=0, reset=4")
            ]),
            Some(Duration::from_secs(4))
        );
        // An epoch-seconds reset.
        assert_eq!(
            wait(&[("ratelimit-reset", "1700000025")]),
            Some(Duration::from_secs(25))
        );
        assert_eq!(
            wait(&[("ratelimit-reset", "99999999999999999999999")]),
            None
        );
        assert_eq!(server_wait(429, &HeaderMap::new(), now), None);
    }

    #[test]
    fn an_exhausted_quota_holds_the_next_request() {
        let used_up = headers(&[("ratelimit-remaining", "0"), ("ratelimit-reset", "42")]);
        assert_eq!(quota_exhausted(&used_up), Some(Duration::from_secs(42)));
        let draft7 = headers(&[("ratelimit", "limit=10, remaining=0, reset=3")]);
        assert_eq!(quota_exhausted(&draft7), Some(Duration::from_secs(3)));
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
        for retry in 1..=40 {
            let full = Duration::from_millis(100)
                .saturating_mul(1u32.checked_shl(retry - 1).unwrap_or(u32::MAX))
                .min(Duration::from_millis(1000));
            let d = p.delay(retry, None).unwrap();
            assert!(d >= full / 2 && d <= full, "retry {retry}: {d:?}");
        }
        assert_eq!(
            p.delay(u32::MAX, None).map(|d| d <= p.max_delay),
            Some(true)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(5))),
            Some(Duration::from_secs(5))
        );
        assert_eq!(p.delay(1, Some(Duration::from_secs(500))), None);
        let huge = RetryPolicy {
            base_delay: Duration::MAX,
            max_delay: Duration::MAX,
            ..RetryPolicy::default()
        };
        assert!(huge.delay(30, None).is_some());
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
