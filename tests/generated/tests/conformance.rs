//! Conformance against Stoplight Prism: every operation of both pinned
//! specs is called with valid example inputs against a Prism mock server of
//! the spec (request validation on). A test fails when Prism rejects the
//! request or when its 2xx response does not decode. Written by
//! clickstack-codegen's testgen.
//!
//! Built only with the `conformance` feature: `.ci/prism.sh` starts Prism,
//! sets `PRISM_CLOUD_URL` and `PRISM_OSS_URL` and runs
//! `cargo test -p clickstack-generated-tests --features conformance --test conformance`.

// Test helpers unwrap as the tests do (clippy.toml's allow-unwrap-in-tests
// covers `#[test]` functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(feature = "conformance")]

mod cloud {
    use api::types;
    use clickstack_cloud as api;

    mod support {
        pub(crate) use clickstack_generated_tests::prism::check as check_prism;
        pub(crate) use clickstack_generated_tests::{assert_json_equivalent, value};

        /// A client of the Prism server of the Cloud spec, without rate
        /// limit (Prism has none) and without retries.
        pub(crate) fn prism_client() -> Option<super::api::Client> {
            let url = std::env::var("PRISM_CLOUD_URL")
                .ok()
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| panic!("PRISM_CLOUD_URL is not set: run .ci/prism.sh"));
            let config =
                super::api::Config::new(super::api::Credentials::basic("key-id", "key-secret"))
                    .retry(super::api::RetryPolicy::none());
            Some(super::api::Client::with_config(&url, config).expect("a valid Prism client"))
        }
    }

    include!(concat!(env!("OUT_DIR"), "/cloud_conformance.rs"));

    #[test]
    fn every_operation_of_the_pinned_spec_is_exercised() {
        assert_eq!(OPERATIONS, 174);
    }
}

mod oss {
    use api::types;
    use clickstack_oss as api;

    mod support {
        pub(crate) use clickstack_generated_tests::prism::check as check_prism;
        pub(crate) use clickstack_generated_tests::{assert_json_equivalent, value};

        /// A client of the Prism server of the HyperDX spec.
        pub(crate) fn prism_client() -> Option<super::api::Client> {
            let url = std::env::var("PRISM_OSS_URL")
                .ok()
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| panic!("PRISM_OSS_URL is not set: run .ci/prism.sh"));
            let config = super::api::Config::new(super::api::Credentials::bearer("test-key"))
                .retry(super::api::RetryPolicy::none());
            Some(super::api::Client::with_config(&url, config).expect("a valid Prism client"))
        }
    }

    include!(concat!(env!("OUT_DIR"), "/oss_conformance.rs"));

    #[test]
    fn every_operation_of_the_pinned_spec_is_exercised() {
        assert_eq!(OPERATIONS, 38);
    }
}
