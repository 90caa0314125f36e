//! The `clickstack-fake` binary: serves on the port it is given, prints
//! its connection line, stops on SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Command, Stdio};

/// A port that was free a moment ago.
#[allow(clippy::unwrap_used)]
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn serves_on_the_given_port_until_killed() {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_clickstack-fake"))
        .args(["--port", &port.to_string(), "--rate-limits", "on"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let base = format!("http://127.0.0.1:{port}");
    assert!(
        line.starts_with(&format!("clickstack-fake listening on {base} ")),
        "{line}"
    );
    for part in [
        "organization_id=",
        "service_id=",
        "api_key=fake-api-key",
        "cloud_key_id=fake-key-id",
        "cloud_key_secret=fake-key-secret",
        "rate_limits=on",
    ] {
        assert!(line.contains(part), "{part} in {line}");
    }
    let response = reqwest::Client::new()
        .get(format!("{base}/api/v2/dashboards"))
        .bearer_auth("fake-api-key")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["ratelimit-limit"].to_str().unwrap(),
        "100"
    );
    let organization = line
        .split_whitespace()
        .find_map(|p| p.strip_prefix("organization_id="))
        .unwrap()
        .to_owned();
    let service = line
        .split_whitespace()
        .find_map(|p| p.strip_prefix("service_id="))
        .unwrap()
        .to_owned();
    let response = reqwest::Client::new()
        .get(format!(
            "{base}/v1/organizations/{organization}/services/{service}/clickstack/dashboards"
        ))
        .basic_auth("fake-key-id", Some("fake-key-secret"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // SIGTERM stops it cleanly.
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    if status.is_ok_and(|s| s.success()) {
        assert!(child.wait().unwrap().success());
    } else {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

#[test]
fn rejects_bad_arguments() {
    let output = Command::new(env!("CARGO_BIN_EXE_clickstack-fake"))
        .args(["--port", "not-a-port"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--port: not a port number"));
}
