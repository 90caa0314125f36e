//! One test per operation of the pinned HyperDX spec, written by
//! clickstack-codegen's testgen from the spec: method, path with
//! parameters, query, credentials and JSON body are checked against an
//! httpmock server; a realistic response must decode without losing a
//! field; the first declared error status must decode into `ApiError`.

// Test helpers unwrap as the tests do (clippy.toml's allow-unwrap-in-tests
// covers `#[test]` functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use api::types;
use clickstack_oss as api;

const EXPECTED_AUTHORIZATION: &str = "Bearer test-key";

mod support {
    pub(crate) use clickstack_generated_tests::{assert_json_equivalent, value};

    /// A client without rate limit or retries, so every test sends exactly
    /// what it checks.
    pub(crate) fn test_client(base_url: &str) -> super::api::Client {
        let config = super::api::Config::new(super::api::Credentials::bearer("test-key"))
            .retry(super::api::RetryPolicy::none());
        super::api::Client::with_config(base_url, config).expect("a valid test client")
    }
}

include!(concat!(env!("OUT_DIR"), "/oss_operations.rs"));

#[test]
fn every_operation_of_the_pinned_spec_is_tested() {
    assert_eq!(OPERATIONS_TESTED, 38);
}
