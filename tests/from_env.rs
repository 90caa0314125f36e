//! `Client::from_env` and `ClientBuilder::from_env` (one test: the
//! environment is process-wide).

use clickstack::{BackendKind, Client, ClientBuilder, Error, env};

fn clear() {
    for var in [
        env::URL,
        env::API_KEY,
        env::CLOUD_KEY_ID,
        env::CLOUD_KEY_SECRET,
        env::CLOUD_ORGANIZATION_ID,
        env::CLOUD_SERVICE_ID,
        env::CLOUD_API_URL,
    ] {
        // SAFETY: this test binary runs this single test; nothing else reads
        // or writes the environment concurrently.
        unsafe { std::env::remove_var(var) };
    }
}

fn set(var: &str, value: &str) {
    // SAFETY: as above.
    unsafe { std::env::set_var(var, value) };
}

#[test]
fn environment_selects_the_backend() {
    clear();
    assert!(ClientBuilder::from_env().unwrap().is_none());
    assert!(matches!(Client::from_env(), Err(Error::Config(m)) if m.contains(env::URL)));

    set(env::URL, "http://localhost:8000");
    let half = ClientBuilder::from_env().unwrap_err().to_string();
    assert!(
        half.contains(env::API_KEY),
        "a half-set backend is an error: {half}"
    );
    set(env::API_KEY, "k");
    assert_eq!(Client::from_env().unwrap().backend(), BackendKind::Oss);

    clear();
    set(env::CLOUD_KEY_ID, "id");
    set(env::CLOUD_KEY_SECRET, "secret");
    set(env::CLOUD_ORGANIZATION_ID, "not-a-uuid");
    set(
        env::CLOUD_SERVICE_ID,
        "4fa85f64-5717-4562-b3fc-2c963f66afa7",
    );
    let err = Client::from_env().unwrap_err().to_string();
    assert!(
        err.contains(env::CLOUD_ORGANIZATION_ID) && !err.contains("secret"),
        "{err}"
    );
    set(
        env::CLOUD_ORGANIZATION_ID,
        "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    );
    let client = Client::from_env().unwrap();
    assert_eq!(client.backend(), BackendKind::Cloud);
    assert!(client.cloud_client().is_some() && client.oss_client().is_none());
    clear();
}
