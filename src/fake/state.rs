//! State shared by the server task and the [`FakeServer`](super::FakeServer)
//! handle: the store, injected faults, request and rate-limit counters.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::store::Store;

/// Requests a HyperDX rate-limit window allows (advertised, not enforced).
pub(crate) const RATE_LIMIT: u64 = 100;
/// Length of a HyperDX rate-limit window.
const RATE_WINDOW: Duration = Duration::from_secs(60);

/// Failures queued by [`FakeServer::fail_next`](super::FakeServer::fail_next).
#[derive(Debug, Default)]
pub(crate) struct Faults {
    /// Requests still to fail.
    pub(crate) remaining: usize,
    /// Status to answer with.
    pub(crate) status: u16,
    /// `Retry-After` value, if any.
    pub(crate) retry_after: Option<String>,
}

/// One injected failure, taken from [`Faults`].
#[derive(Debug, Clone)]
pub(crate) struct Fault {
    /// Status to answer with.
    pub(crate) status: u16,
    /// `Retry-After` value, if any.
    pub(crate) retry_after: Option<String>,
}

/// The advertised HyperDX rate-limit state for one response.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RateLimit {
    /// `RateLimit-Remaining`.
    pub(crate) remaining: u64,
    /// `RateLimit-Reset`, seconds until the window ends.
    pub(crate) reset: u64,
}

/// The current rate-limit window.
#[derive(Debug)]
struct Window {
    started: Instant,
    used: u64,
}

/// Everything the server task and the handle share.
#[derive(Debug)]
pub(crate) struct Shared {
    /// The organization the Cloud API serves.
    pub(crate) organization_id: uuid::Uuid,
    /// The service the Cloud API serves.
    pub(crate) service_id: uuid::Uuid,
    store: Mutex<Store>,
    faults: Mutex<Faults>,
    window: Mutex<Window>,
    requests: AtomicUsize,
}

impl Shared {
    /// Empty state for the given Cloud organization and service.
    pub(crate) fn new(organization_id: uuid::Uuid, service_id: uuid::Uuid) -> Shared {
        Shared {
            organization_id,
            service_id,
            store: Mutex::new(Store::default()),
            faults: Mutex::new(Faults::default()),
            window: Mutex::new(Window {
                started: Instant::now(),
                used: 0,
            }),
            requests: AtomicUsize::new(0),
        }
    }

    /// The store, locked (a poisoned lock is still usable: every
    /// operation leaves the store consistent).
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `count` failures with `status` and an optional `Retry-After`.
    pub(crate) fn fail_next(&self, status: u16, retry_after: Option<&str>, count: usize) {
        let mut faults = self.faults.lock().unwrap_or_else(|e| e.into_inner());
        *faults = Faults {
            remaining: count,
            status,
            retry_after: retry_after.map(str::to_owned),
        };
    }

    /// Takes one queued failure, if any.
    pub(crate) fn take_fault(&self) -> Option<Fault> {
        let mut faults = self.faults.lock().unwrap_or_else(|e| e.into_inner());
        if faults.remaining == 0 {
            return None;
        }
        faults.remaining -= 1;
        Some(Fault {
            status: faults.status,
            retry_after: faults.retry_after.clone(),
        })
    }

    /// Counts a received request.
    pub(crate) fn count_request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    /// Requests received so far.
    pub(crate) fn request_count(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// Counts a HyperDX request against the current window and returns the
    /// headers' values.
    pub(crate) fn rate_limit(&self) -> RateLimit {
        let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if now.duration_since(window.started) >= RATE_WINDOW {
            window.started = now;
            window.used = 0;
        }
        window.used += 1;
        let elapsed = now.duration_since(window.started);
        RateLimit {
            remaining: RATE_LIMIT.saturating_sub(window.used),
            reset: RATE_WINDOW.saturating_sub(elapsed).as_secs().max(1),
        }
    }
}
