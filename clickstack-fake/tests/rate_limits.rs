//! Rate limits: HyperDX's fixed window per key (counted before auth, with
//! `RateLimit-*` headers), Cloud's sliding window per key, and a
//! well-behaved client that never sees a 429.

// Test helpers outside `#[test]` functions unwrap too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use clickstack_fake::{FakeOptions, FakeServer, Limit, RateLimits};
use common::{Api, Auth};

async fn limited(limits: RateLimits) -> FakeServer {
    FakeServer::start_with(FakeOptions {
        enforce_rate_limits: true,
        rate_limits: limits,
        ..FakeOptions::default()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn hyperdx_allows_100_per_minute_then_429_with_retry_after_60() {
    let fake = limited(RateLimits::default()).await;
    let hx = Api::hyperdx(&fake);
    // Let the window age a little, so the reset is under a minute.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for n in 1..=100_u32 {
        let reply = hx.get("/dashboards").await;
        assert_eq!(reply.status, 200, "request {n}");
        assert_eq!(reply.header("ratelimit-limit"), Some("100"));
        assert_eq!(
            reply.header("ratelimit-remaining"),
            Some((100 - n).to_string().as_str())
        );
    }
    let reply = hx.get("/dashboards").await;
    assert_eq!(reply.status, 429);
    assert_eq!(reply.header("retry-after"), Some("60"));
    let reset: u64 = reply.header("ratelimit-reset").unwrap().parse().unwrap();
    assert!((1..60).contains(&reset), "RateLimit-Reset {reset}");
    assert_eq!(reply.header("ratelimit-remaining"), Some("0"));
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(reply.text, "Too many requests, please try again later.");
    assert_eq!(fake.rate_limited().get, 1);
}

#[tokio::test]
async fn hyperdx_counts_before_auth_per_key() {
    let fake = limited(RateLimits {
        hyperdx: Limit {
            requests: 3,
            window: Duration::from_secs(60),
        },
        ..RateLimits::default()
    })
    .await;
    let hx = Api::hyperdx(&fake);
    let wrong = hx.with_auth(Auth::Bearer("wrong".into()));
    for _ in 0..3 {
        let reply = wrong.get("/dashboards").await;
        assert_eq!(reply.status, 401);
        assert!(reply.header("ratelimit-remaining").is_some());
    }
    // The 401s used up the wrong key's window...
    assert_eq!(wrong.get("/dashboards").await.status, 429);
    // ...but not the right key's.
    let reply = hx.get("/dashboards").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("ratelimit-remaining"), Some("2"));
    // Without a token the client's address is the key.
    let anonymous = hx.with_auth(Auth::None);
    for _ in 0..3 {
        assert_eq!(anonymous.get("/alerts").await.status, 401);
    }
    assert_eq!(anonymous.get("/alerts").await.status, 429);
    // Paths outside the mounted routers are not limited.
    assert!(hx.get("/nope").await.header("ratelimit-limit").is_none());
}

#[tokio::test]
async fn cloud_allows_10_per_10_seconds_then_429_in_its_envelope() {
    let fake = limited(RateLimits::default()).await;
    let cloud = Api::cloud(&fake);
    for n in 1..=10 {
        assert_eq!(cloud.get("/dashboards").await.status, 200, "request {n}");
    }
    let reply = cloud.get("/dashboards").await;
    assert_eq!(reply.status, 429);
    assert_eq!(reply.json["status"], 429);
    assert!(
        reply.json["error"]
            .as_str()
            .unwrap()
            .starts_with("Too many requests")
    );
    assert!(reply.json["requestId"].is_string());
    let retry: u64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=10).contains(&retry), "Retry-After {retry}");
    // Another key has its own window.
    let other = cloud.with_auth(Auth::Basic("other-key".into(), "x".into()));
    assert_eq!(other.get("/dashboards").await.status, 401);
    assert_eq!(fake.rate_limited().get, 1);
}

#[tokio::test]
async fn cloud_window_slides() {
    let fake = limited(RateLimits {
        cloud: Limit {
            requests: 2,
            window: Duration::from_millis(600),
        },
        ..RateLimits::default()
    })
    .await;
    let cloud = Api::cloud(&fake);
    assert_eq!(cloud.get("/dashboards").await.status, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(cloud.get("/dashboards").await.status, 200);
    assert_eq!(cloud.get("/dashboards").await.status, 429);
    // The first request leaves the window 600 ms after it arrived.
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(cloud.get("/dashboards").await.status, 200);
    assert_eq!(cloud.get("/dashboards").await.status, 429);
}

#[tokio::test]
async fn limits_are_off_by_default_and_can_be_switched() {
    let fake = FakeServer::start().await.unwrap();
    let cloud = Api::cloud(&fake);
    for _ in 0..30 {
        assert_eq!(cloud.get("/dashboards").await.status, 200);
    }
    let hx = Api::hyperdx(&fake);
    assert!(
        hx.get("/dashboards")
            .await
            .header("ratelimit-limit")
            .is_none()
    );
    fake.set_rate_limits(Some(RateLimits {
        cloud: Limit {
            requests: 1,
            window: Duration::from_secs(60),
        },
        ..RateLimits::default()
    }));
    assert_eq!(cloud.get("/dashboards").await.status, 200);
    assert_eq!(cloud.get("/dashboards").await.status, 429);
    assert_eq!(
        hx.get("/dashboards").await.header("ratelimit-limit"),
        Some("100")
    );
    fake.set_rate_limits(None);
    assert_eq!(cloud.get("/dashboards").await.status, 200);
}

#[tokio::test]
async fn a_client_pacing_itself_never_sees_a_429() {
    use clickstack_cloud::{Client, Config, Credentials, RateLimit};

    let window = Duration::from_millis(500);
    let fake = limited(RateLimits {
        cloud: Limit {
            requests: 5,
            window,
        },
        ..RateLimits::default()
    })
    .await;
    let config = Config::new(Credentials::basic(
        FakeServer::CLOUD_KEY_ID,
        FakeServer::CLOUD_KEY_SECRET,
    ))
    .rate_limit(Some(RateLimit::new(5, window)));
    let client = Client::with_config(&fake.base_url(), config).unwrap();
    let (org, svc) = (fake.cloud_organization_id(), fake.cloud_service_id());
    let calls = (0..20).map(|_| client.click_stack_list_dashboards(&org, &svc));
    for result in futures_util::future::join_all(calls).await {
        assert!(result.is_ok(), "{result:?}");
    }
    assert_eq!(fake.rate_limited().total(), 0);
    assert_eq!(fake.requests().get, 20);
}

#[tokio::test]
async fn a_client_pacing_itself_never_sees_a_429_from_the_fixed_window() {
    use clickstack_oss::{Client, Config, Credentials, RateLimit};

    let window = Duration::from_millis(500);
    let fake = limited(RateLimits {
        hyperdx: Limit {
            requests: 5,
            window,
        },
        ..RateLimits::default()
    })
    .await;
    let config = Config::new(Credentials::bearer(FakeServer::API_KEY))
        .rate_limit(Some(RateLimit::new(5, window)));
    let client = Client::with_config(&fake.base_url(), config).unwrap();
    let calls = (0..13).map(|_| client.list_dashboards());
    for result in futures_util::future::join_all(calls).await {
        assert!(result.is_ok(), "{result:?}");
    }
    assert_eq!(fake.rate_limited().total(), 0);
}
