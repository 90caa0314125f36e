//! Forward compatibility, measured: the clients of this build (generated
//! from whatever `CLICKSTACK_*_SPEC_FILE` names, normally an older spec)
//! are served, for every ClickStack GET, the bodies `clickstack-codegen
//! fixtures` wrote from a newer spec into `$CLICKSTACK_FIXTURES/<api>/`.
//! Every body must decode, and read back as it came (numbers as numbers,
//! timestamps as instants, an explicit `null` as absent).
//!
//! Built only with the `forward-compat` feature; `.ci/forward-compat.sh`
//! writes the fixtures and runs it with the older specs.

// Test helpers unwrap as the tests do (clippy.toml's allow-unwrap-in-tests
// covers `#[test]` functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(feature = "forward-compat")]

mod cloud {
    // The generated tests name `types` only for some specs' operations.
    #[allow(unused_imports)]
    use api::types;
    use clickstack_cloud as api;

    mod support {
        // What the generated tests use varies with the spec's operations.
        #[allow(unused_imports)]
        pub(crate) use clickstack_generated_tests::{
            assert_json_equivalent, forward_compat, value,
        };

        pub(crate) fn test_client(base_url: &str) -> super::api::Client {
            let config =
                super::api::Config::new(super::api::Credentials::basic("key-id", "key-secret"))
                    .retry(super::api::RetryPolicy::none());
            super::api::Client::with_config(base_url, config).expect("a valid test client")
        }
    }

    include!(concat!(env!("OUT_DIR"), "/cloud_forward_compat.rs"));
}

mod oss {
    // The generated tests name `types` only for some specs' operations.
    #[allow(unused_imports)]
    use api::types;
    use clickstack_oss as api;

    mod support {
        // What the generated tests use varies with the spec's operations.
        #[allow(unused_imports)]
        pub(crate) use clickstack_generated_tests::{
            assert_json_equivalent, forward_compat, value,
        };

        pub(crate) fn test_client(base_url: &str) -> super::api::Client {
            let config = super::api::Config::new(super::api::Credentials::bearer("test-key"))
                .retry(super::api::RetryPolicy::none());
            super::api::Client::with_config(base_url, config).expect("a valid test client")
        }
    }

    include!(concat!(env!("OUT_DIR"), "/oss_forward_compat.rs"));
}

#[tokio::test]
async fn newer_servers_decode_and_round_trip() {
    let mut outcomes = cloud::run_all().await;
    outcomes.extend(oss::run_all().await);
    let served: usize = outcomes.iter().map(|o| o.served).sum();
    let decode: usize = outcomes.iter().map(|o| o.decode_failures).sum();
    let round_trip: usize = outcomes.iter().map(|o| o.round_trip_failures).sum();
    for outcome in &outcomes {
        println!("{outcome}");
    }
    println!(
        "forward-compat: {} operations, {served} bodies served, {decode} decode failures, {round_trip} round-trip failures",
        outcomes.iter().filter(|o| o.served > 0).count()
    );
    assert!(
        served > 0,
        "no fixtures were served: is CLICKSTACK_FIXTURES right?"
    );
    assert_eq!((decode, round_trip), (0, 0), "see the table above");
}
