//! Which backend the environment selects (`ClientBuilder::from_lookup`, the
//! function behind `Client::from_env`, over a map).

// Test helpers unwrap as the tests do (clippy.toml's allow-unwrap-in-tests
// covers `#[test]` functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use clickstack::{BackendKind, ClientBuilder, Error, env};

fn builder(vars: &[(&str, &str)]) -> clickstack::Result<Option<ClientBuilder>> {
    let map: HashMap<&str, &str> = vars.iter().copied().collect();
    ClientBuilder::from_lookup(|name| map.get(name).map(|v| (*v).to_string()))
}

const ORG: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const SVC: &str = "4fa85f64-5717-4562-b3fc-2c963f66afa7";

#[test]
fn nothing_set_names_no_backend() {
    assert!(builder(&[]).unwrap().is_none());
    assert!(
        builder(&[(env::URL, "")]).unwrap().is_none(),
        "empty is unset"
    );
}

#[test]
fn a_half_set_backend_is_an_error_naming_the_missing_variable() {
    let err = builder(&[(env::URL, "http://localhost:8000")]).unwrap_err();
    assert!(
        matches!(err, Error::Config(_)) && err.to_string().contains(env::API_KEY),
        "{err}"
    );
    let err = builder(&[(env::API_KEY, "k")]).unwrap_err();
    assert!(err.to_string().contains(env::URL), "{err}");
    let err = builder(&[(env::CLOUD_KEY_ID, "id")]).unwrap_err();
    assert!(err.to_string().contains(env::CLOUD_KEY_SECRET), "{err}");
}

#[test]
fn hyperdx_variables_select_hyperdx() {
    let client = builder(&[(env::URL, "http://localhost:8000"), (env::API_KEY, "k")])
        .unwrap()
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.backend(), BackendKind::Oss);
    assert!(client.oss_client().is_some() && client.cloud_client().is_none());
}

#[test]
fn cloud_variables_select_cloud_and_bad_uuids_are_named_without_secrets() {
    let mut vars = vec![
        (env::CLOUD_KEY_ID, "id"),
        (env::CLOUD_KEY_SECRET, "the-secret"),
        (env::CLOUD_ORGANIZATION_ID, "not-a-uuid"),
        (env::CLOUD_SERVICE_ID, SVC),
    ];
    let err = builder(&vars).unwrap_err().to_string();
    assert!(
        err.contains(env::CLOUD_ORGANIZATION_ID) && !err.contains("the-secret"),
        "{err}"
    );
    vars[2].1 = ORG;
    vars.push((env::CLOUD_API_URL, "http://127.0.0.1:9"));
    let client = builder(&vars).unwrap().unwrap().build().unwrap();
    assert_eq!(client.backend(), BackendKind::Cloud);
    assert_eq!(
        client.cloud_client().unwrap().base_url(),
        "http://127.0.0.1:9"
    );
}
