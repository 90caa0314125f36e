//! Clients of the fake that the facade's end-to-end tests share: no rate
//! limit, and retries a millisecond apart.

use clickstack::{Client, RetryPolicy};
use clickstack_fake::FakeServer;

/// Retries that do not slow a test down.
pub(crate) fn quick() -> RetryPolicy {
    RetryPolicy {
        base_delay: std::time::Duration::from_millis(1),
        max_delay: std::time::Duration::from_millis(2),
        ..RetryPolicy::default()
    }
}

/// A HyperDX client of `fake`.
pub(crate) fn oss(fake: &FakeServer) -> Client {
    Client::oss(fake.base_url(), FakeServer::API_KEY)
        .config(|c| c.retry(quick()).rate_limit(None))
        .build()
        .unwrap()
}

/// A Managed ClickStack client of `fake`.
pub(crate) fn cloud(fake: &FakeServer) -> Client {
    Client::cloud(
        FakeServer::CLOUD_KEY_ID,
        FakeServer::CLOUD_KEY_SECRET,
        fake.cloud_organization_id(),
        fake.cloud_service_id(),
    )
    .base_url(fake.base_url())
    .config(|c| c.retry(quick()).rate_limit(None))
    .build()
    .unwrap()
}
