//! One test per operation of the pinned Cloud spec (all of them), generated
//! by `clickstack-codegen`'s testgen at build time: method, path with
//! parameters, query, Basic auth header and JSON body are checked against
//! an httpmock server; a realistic response must decode without losing a
//! field; the first declared error status must decode into `ApiError`.

use clickstack_cloud as api;

const EXPECTED_AUTHORIZATION: &str = "Basic a2V5LWlkOmtleS1zZWNyZXQ=";

fn test_client(base_url: &str) -> api::Client {
    api::Client::new(base_url, api::Auth::basic("key-id", "key-secret"))
}

include!(concat!(env!("OUT_DIR"), "/operation_tests.rs"));

#[test]
fn every_operation_of_the_pinned_spec_is_tested() {
    assert_eq!(OPERATIONS_TESTED, 142);
}
