//! A client-side rate limiter that holds as the server measures it.
//!
//! A server counts the requests that *arrived* in a sliding window. The
//! limiter therefore counts a request from the moment it is sent until
//! its response (or failure) comes back, and only from then on for the
//! length of the window: a request still in flight occupies its slot, and
//! a completed one frees it a full window after its completion, which is
//! never earlier than its arrival. So at any instant, at most `limit`
//! requests have arrived at the server within the last `window`, however
//! many callers wait concurrently and however long requests take.

use std::collections::VecDeque;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// At most `limit` requests per `window`.
///
/// ```
/// use std::time::Duration;
/// use clickstack_runtime::RateLimit;
/// assert_eq!(RateLimit::CLOUD, RateLimit::new(10, Duration::from_secs(10)));
/// assert_eq!(RateLimit::HYPERDX.limit(), 100);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    limit: u32,
    window: Duration,
}

impl RateLimit {
    /// The documented `ClickHouse` Cloud API limit: 10 requests per 10 s per key.
    pub const CLOUD: RateLimit = RateLimit::new(10, Duration::from_secs(10));
    /// The documented `HyperDX` limit: 100 requests per minute per key.
    pub const HYPERDX: RateLimit = RateLimit::new(100, Duration::from_secs(60));

    /// At most `limit` requests (at least 1) in any `window`.
    pub const fn new(limit: u32, window: Duration) -> Self {
        RateLimit {
            limit: if limit == 0 { 1 } else { limit },
            window,
        }
    }

    /// Requests per window.
    pub const fn limit(&self) -> u32 {
        self.limit
    }

    /// The window.
    pub const fn window(&self) -> Duration {
        self.window
    }
}

/// One slot of the window.
#[derive(Debug, Clone, Copy)]
enum Slot {
    /// Sent, no response yet (identified by its ticket).
    InFlight(u64),
    /// Completed at this instant.
    Done(Instant),
}

#[derive(Debug, Default)]
struct State {
    slots: VecDeque<Slot>,
    next_ticket: u64,
}

/// The shared limiter of one client (and its clones).
#[derive(Debug)]
pub(crate) struct Limiter {
    rate: RateLimit,
    state: Mutex<State>,
    freed: Notify,
}

/// The deadline passed while waiting for a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DeadlinePassed;

/// A slot taken by one request; dropping it marks the request complete.
#[derive(Debug)]
pub(crate) struct Permit {
    limiter: Arc<Limiter>,
    ticket: u64,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let now = Instant::now();
        if let Ok(mut state) = self.limiter.state.lock() {
            for slot in &mut state.slots {
                if matches!(slot, Slot::InFlight(t) if *t == self.ticket) {
                    *slot = Slot::Done(now);
                }
            }
        }
        self.limiter.freed.notify_waiters();
    }
}

impl Limiter {
    pub(crate) fn new(rate: RateLimit) -> Self {
        Limiter {
            rate,
            state: Mutex::new(State::default()),
            freed: Notify::new(),
        }
    }

    pub(crate) fn rate(&self) -> RateLimit {
        self.rate
    }

    /// Takes a slot, waiting (until `deadline`, if any) for one to free.
    pub(crate) async fn acquire(
        self: &Arc<Self>,
        deadline: Option<Instant>,
    ) -> Result<Permit, DeadlinePassed> {
        loop {
            let mut notified = pin!(self.freed.notified());
            notified.as_mut().enable();
            let wake = match self.try_take() {
                Ok(ticket) => {
                    return Ok(Permit {
                        limiter: Arc::clone(self),
                        ticket,
                    });
                }
                Err(wake) => wake,
            };
            // Wake at the earliest of: a slot expiring, a request
            // completing (notified), the deadline.
            let until = match (wake, deadline) {
                (Some(w), Some(d)) => Some(w.min(d)),
                (w, d) => w.or(d),
            };
            match until {
                Some(until) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(until) => {}
                        () = &mut notified => {}
                    }
                }
                None => notified.await,
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                // One last chance, so a slot that freed right at the
                // deadline is not wasted.
                return match self.try_take() {
                    Ok(ticket) => Ok(Permit {
                        limiter: Arc::clone(self),
                        ticket,
                    }),
                    Err(_) => Err(DeadlinePassed),
                };
            }
        }
    }

    /// A ticket when a slot is free; otherwise when the next completed
    /// slot expires (`None` when every slot is in flight, or the window
    /// is too long to compute an instant).
    fn try_take(&self) -> Result<u64, Option<Instant>> {
        let now = Instant::now();
        let Ok(mut state) = self.state.lock() else {
            return Err(None);
        };
        let window = self.rate.window;
        state.slots.retain(|slot| match slot {
            Slot::InFlight(_) => true,
            Slot::Done(at) => at.checked_add(window).is_none_or(|free| free > now),
        });
        if state.slots.len() < self.rate.limit as usize {
            let ticket = state.next_ticket;
            state.next_ticket = state.next_ticket.wrapping_add(1);
            state.slots.push_back(Slot::InFlight(ticket));
            return Ok(ticket);
        }
        Err(state
            .slots
            .iter()
            .filter_map(|slot| match slot {
                Slot::Done(at) => at.checked_add(window),
                Slot::InFlight(_) => None,
            })
            .min())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spaces_requests_to_the_configured_rate() {
        let limiter = Arc::new(Limiter::new(RateLimit::new(10, Duration::from_secs(10))));
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..25 {
            let permit = limiter.acquire(None).await.unwrap();
            times.push(start.elapsed());
            drop(permit);
        }
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
    }

    #[tokio::test(start_paused = true)]
    async fn a_slot_frees_a_window_after_completion_not_sending() {
        let limiter = Arc::new(Limiter::new(RateLimit::new(1, Duration::from_secs(10))));
        let start = Instant::now();
        let first = limiter.acquire(None).await.unwrap();
        tokio::time::sleep(Duration::from_secs(4)).await; // a slow response
        drop(first);
        let _second = limiter.acquire(None).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_secs(14));
    }

    #[tokio::test(start_paused = true)]
    async fn many_concurrent_callers_never_exceed_the_limit() {
        let rate = RateLimit::new(40, Duration::from_secs(1));
        let limiter = Arc::new(Limiter::new(rate));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for i in 0..200u64 {
            let limiter = Arc::clone(&limiter);
            tasks.push(tokio::spawn(async move {
                let permit = limiter.acquire(None).await.unwrap();
                let sent = start.elapsed();
                // Responses take 0-9 ms.
                tokio::time::sleep(Duration::from_millis(i % 10)).await;
                drop(permit);
                sent
            }));
        }
        let mut sent = Vec::new();
        for t in tasks {
            sent.push(t.await.unwrap());
        }
        sent.sort();
        for (i, t) in sent.iter().enumerate().skip(40) {
            assert!(
                *t - sent[i - 40] >= Duration::from_secs(1),
                "at {i}: {sent:?}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_at_the_deadline_and_survives_huge_windows() {
        let limiter = Arc::new(Limiter::new(RateLimit::new(1, Duration::MAX)));
        let held = limiter.acquire(None).await.unwrap();
        drop(held);
        let deadline = Instant::now() + Duration::from_secs(5);
        assert_eq!(
            limiter.acquire(Some(deadline)).await.unwrap_err(),
            DeadlinePassed
        );
        assert_eq!(RateLimit::new(0, Duration::ZERO).limit(), 1);
    }
}
