//! A client-side rate limiter: at most N requests per window, so a bulk
//! job runs at the rate a backend allows instead of collecting 429s.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// A sliding-window limiter shared by every request of a client.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let limiter = clickstack::RateLimiter::new(10, std::time::Duration::from_secs(10));
/// limiter.acquire().await; // returns at once while under the limit
/// # }
/// ```
#[derive(Debug)]
pub struct RateLimiter {
    limit: usize,
    window: Duration,
    sent: Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    /// At most `limit` requests in any `window` (a `limit` of 0 is treated as 1).
    pub fn new(limit: usize, window: Duration) -> Self {
        RateLimiter {
            limit: limit.max(1),
            window,
            sent: Mutex::new(VecDeque::new()),
        }
    }

    /// The documented Cloud API limit: 10 requests per 10 seconds per key.
    pub fn cloud_default() -> Self {
        Self::new(10, Duration::from_secs(10))
    }

    /// The documented HyperDX limit: 100 requests per minute per key.
    pub fn oss_default() -> Self {
        Self::new(100, Duration::from_secs(60))
    }

    /// The limit and window.
    pub fn rate(&self) -> (usize, Duration) {
        (self.limit, self.window)
    }

    /// Waits until one more request fits in the window, and records it.
    pub async fn acquire(&self) {
        let mut sent = self.sent.lock().await;
        loop {
            let now = Instant::now();
            while sent
                .front()
                .is_some_and(|t| now.duration_since(*t) >= self.window)
            {
                sent.pop_front();
            }
            if sent.len() < self.limit {
                sent.push_back(now);
                return;
            }
            if let Some(oldest) = sent.front().copied() {
                tokio::time::sleep_until(oldest + self.window).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spaces_requests_to_the_configured_rate() {
        let limiter = RateLimiter::new(10, Duration::from_secs(10));
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..25 {
            limiter.acquire().await;
            times.push(start.elapsed());
        }
        // 10 at once, the next 10 after 10 s, the last 5 after 20 s.
        assert!(
            times[..10].iter().all(|t| *t < Duration::from_millis(1)),
            "{times:?}"
        );
        assert!(
            times[10..20].iter().all(|t| *t == Duration::from_secs(10)),
            "{times:?}"
        );
        assert!(
            times[20..].iter().all(|t| *t == Duration::from_secs(20)),
            "{times:?}"
        );
        // Never more than 10 in any 10 s window.
        for (i, t) in times.iter().enumerate().skip(10) {
            assert!(*t - times[i - 10] >= Duration::from_secs(10));
        }
    }
}
