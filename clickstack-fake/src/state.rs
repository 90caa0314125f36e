//! State shared by the server task and the [`FakeServer`](crate::FakeServer)
//! handle: the store, injected faults, counters and rate limiters.

use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use crate::counters::Counters;
use crate::options::{FakeOptions, RateLimits};
use crate::rate_limit::{Decision, FixedWindow, SlidingWindow};
use crate::store::Store;

/// Failures queued by [`FakeServer::fail_next`](crate::FakeServer::fail_next).
#[derive(Debug, Default)]
struct Faults {
    /// Requests still to fail.
    remaining: usize,
    /// Status to answer with.
    status: u16,
    /// `Retry-After` value, if any.
    retry_after: Option<String>,
}

/// One injected failure.
#[derive(Debug, Clone)]
pub(crate) struct Fault {
    /// Status to answer with.
    pub(crate) status: u16,
    /// `Retry-After` value, if any.
    pub(crate) retry_after: Option<String>,
}

/// The limiters of both APIs, when rate limiting is on.
#[derive(Debug)]
struct Limiters {
    hyperdx: FixedWindow,
    cloud: SlidingWindow,
}

impl Limiters {
    fn new(limits: RateLimits) -> Self {
        Limiters {
            hyperdx: FixedWindow::new(limits.hyperdx),
            cloud: SlidingWindow::new(limits.cloud),
        }
    }
}

/// Everything the server task and the handle share.
#[derive(Debug)]
pub(crate) struct Shared {
    /// The organization the Cloud API serves.
    pub(crate) organization_id: uuid::Uuid,
    /// The service the Cloud API serves.
    pub(crate) service_id: uuid::Uuid,
    /// Request counters.
    pub(crate) counters: Counters,
    store: Mutex<Store>,
    faults: Mutex<Faults>,
    limiters: Mutex<Option<Limiters>>,
}

/// Locks `mutex`, recovering from poisoning (every critical section leaves
/// its data consistent).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    /// Fresh state for `options`, with these Cloud ids.
    pub(crate) fn new(
        options: &FakeOptions,
        organization_id: uuid::Uuid,
        service_id: uuid::Uuid,
    ) -> Shared {
        Shared {
            organization_id,
            service_id,
            counters: Counters::default(),
            store: Mutex::new(Store::new(
                options.max_items_per_kind,
                options.max_store_bytes,
            )),
            faults: Mutex::new(Faults::default()),
            limiters: Mutex::new(
                options
                    .enforce_rate_limits
                    .then(|| Limiters::new(options.rate_limits)),
            ),
        }
    }

    /// The store, locked.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// Queues `count` failures with `status` and an optional `Retry-After`.
    pub(crate) fn fail_next(&self, status: u16, retry_after: Option<&str>, count: usize) {
        *lock(&self.faults) = Faults {
            remaining: count,
            status,
            retry_after: retry_after.map(str::to_owned),
        };
    }

    /// Takes one queued failure, if any.
    pub(crate) fn take_fault(&self) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        if faults.remaining == 0 {
            return None;
        }
        faults.remaining -= 1;
        Some(Fault {
            status: faults.status,
            retry_after: faults.retry_after.clone(),
        })
    }

    /// Turns rate limiting on with `limits` (fresh windows), or off.
    pub(crate) fn set_rate_limits(&self, limits: Option<RateLimits>) {
        *lock(&self.limiters) = limits.map(Limiters::new);
    }

    /// Counts a HyperDX request from `key`; `None` when limits are off.
    pub(crate) fn hyperdx_limit(&self, key: &str) -> Option<Decision> {
        lock(&self.limiters)
            .as_mut()
            .map(|l| l.hyperdx.hit(key, Instant::now()))
    }

    /// Counts a Cloud request from `key`; `None` when limits are off.
    pub(crate) fn cloud_limit(&self, key: &str) -> Option<Decision> {
        lock(&self.limiters)
            .as_mut()
            .map(|l| l.cloud.hit(key, Instant::now()))
    }
}
