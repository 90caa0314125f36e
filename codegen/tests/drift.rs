//! `drift` and the bounded downloader against a loopback HTTP server: the
//! pinned file (unchanged, exit 0), older real specs (changed and
//! generates, exit 2, breaking first), a spec that does not generate
//! (exit 1), and every way a download can fail (exit 1, with an error
//! naming the URL): HTTP errors, oversized, truncated, non-JSON and slow
//! bodies. Exit codes are those of the built binary; the library functions
//! are tested directly too.
#![cfg(feature = "download")]

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use clickstack_codegen::Error;
use clickstack_codegen::download::{self, Limits, Problem};
use clickstack_codegen::drift::{self, DriftReport, Outcome};
use clickstack_codegen::manifest::Manifest;
use clickstack_codegen::pin::{SPEC_DIR_ENV, sha256_hex};
use clickstack_codegen::update_pin::update_pin;

/// What the server answers on one path.
#[derive(Clone)]
enum Reply {
    /// `status`, `Content-Type` and the body with its `Content-Length`.
    Body {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// A 200 without `Content-Length`: the body ends when the connection
    /// closes.
    UntilClose(Vec<u8>),
    /// A `Content-Length` of `declared`, then only `body`, then close.
    Truncated { declared: usize, body: Vec<u8> },
    /// Headers promising 100 bytes, then nothing for `stall`, then close.
    Stall { stall: Duration },
}

fn json_reply(body: Vec<u8>) -> Reply {
    Reply::Body {
        status: 200,
        content_type: "application/json",
        body,
    }
}

/// A loopback HTTP/1.1 server: one thread per connection, one response
/// per connection, then close. It serves at most `MAX_CONNECTIONS`
/// connections and binds 127.0.0.1 only.
struct Server {
    base: String,
}

const MAX_CONNECTIONS: usize = 64;

impl Server {
    fn start(routes: Vec<(&'static str, Reply)>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes = Arc::new(routes);
        thread::spawn(move || {
            for stream in listener.incoming().take(MAX_CONNECTIONS) {
                let Ok(stream) = stream else { continue };
                let routes = Arc::clone(&routes);
                thread::spawn(move || answer(stream, &routes));
            }
        });
        Server { base }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn answer(mut stream: TcpStream, routes: &[(&'static str, Reply)]) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // The headers, up to the empty line.
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let not_found = Reply::Body {
        status: 404,
        content_type: "text/plain",
        body: b"404: Not Found".to_vec(),
    };
    let reply = routes
        .iter()
        .find(|(p, _)| *p == path)
        .map_or(not_found, |(_, r)| r.clone());
    // Write errors are expected where the client stops reading.
    let _ = match reply {
        Reply::Body {
            status,
            content_type,
            body,
        } => write!(
            stream,
            "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n",
            body.len()
        )
        .and_then(|()| stream.write_all(&body)),
        Reply::UntilClose(body) => write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
        )
        .and_then(|()| stream.write_all(&body)),
        Reply::Truncated { declared, body } => write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\n\
             Connection: close\r\n\r\n"
        )
        .and_then(|()| stream.write_all(&body)),
        Reply::Stall { stall } => {
            let result = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{"
            )
            .and_then(|()| stream.flush());
            thread::sleep(stall);
            result
        }
    };
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Both);
}

fn spec_dir() -> PathBuf {
    let dir = std::env::var_os(SPEC_DIR_ENV)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/upstream")
        });
    assert!(
        dir.join("oss").is_dir(),
        "{}: the tests need the upstream specs; set {SPEC_DIR_ENV}",
        dir.display()
    );
    dir
}

fn manifest(api: &str) -> Manifest {
    Manifest::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../specs/{api}.json")))
        .unwrap()
}

fn spec(api: &str, file: &str) -> Vec<u8> {
    std::fs::read(spec_dir().join(api).join(file)).unwrap()
}

fn pinned(api: &str) -> Vec<u8> {
    spec(api, &manifest(api).pin.file)
}

const OLDER_OSS: &str = "hyperdx-41395ca74-2026-05-11.json";
const OLDER_CLOUD: &str = "clickhouse-cloud-2026-07-31.json";

/// Valid JSON that progenitor cannot read: `responses` is not a map.
const DOES_NOT_GENERATE: &[u8] = br#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},
    "paths":{"/api/v2/things":{"get":{"operationId":"listThings","responses":"oops"}}}}"#;

fn small(timeout_ms: u64) -> Limits {
    Limits {
        max_bytes: 1000,
        timeout: Duration::from_millis(timeout_ms),
    }
}

fn problem_of(result: clickstack_codegen::Result<Vec<u8>>) -> (String, Problem) {
    match result {
        Err(Error::Download { from, problem }) => (from, problem),
        other => panic!("expected a download error, got {other:?}"),
    }
}

#[test]
fn downloads_fail_clearly_on_every_bad_body() {
    let huge = vec![b' '; 5000];
    let server = Server::start(vec![
        ("/ok", json_reply(br#"{"a": 1}"#.to_vec())),
        (
            "/html",
            Reply::Body {
                status: 200,
                content_type: "text/html; charset=utf-8",
                body: b"<!DOCTYPE html>\n<html><body>a page about the file</body></html>".to_vec(),
            },
        ),
        ("/declared-too-large", json_reply(huge.clone())),
        ("/too-large-until-close", Reply::UntilClose(huge)),
        (
            "/truncated",
            Reply::Truncated {
                declared: 900,
                body: br#"{"openapi": "3.0.0", "paths": {"#.to_vec(),
            },
        ),
        (
            "/cut-until-close",
            Reply::UntilClose(br#"{"openapi": "3.0.0", "paths": {"#.to_vec()),
        ),
        (
            "/error",
            Reply::Body {
                status: 503,
                content_type: "text/plain",
                body: b"upstream is down".to_vec(),
            },
        ),
        (
            "/slow",
            Reply::Stall {
                stall: Duration::from_secs(3),
            },
        ),
    ]);
    let limits = small(1500);

    assert_eq!(
        download::fetch_json(&server.url("/ok"), &limits).unwrap(),
        br#"{"a": 1}"#
    );

    let url = server.url("/html");
    let (from, problem) = problem_of(download::fetch_json(&url, &limits));
    assert_eq!(from, url);
    match &problem {
        Problem::NotJson {
            content_type,
            body_start,
            ..
        } => {
            assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
            assert!(
                body_start.starts_with("<!DOCTYPE html> <html>"),
                "{body_start}"
            );
        }
        other => panic!("{other:?}"),
    }
    // `fetch` does not check the content.
    assert!(download::fetch(&url, &limits).is_ok());

    let (_, problem) = problem_of(download::fetch(&server.url("/declared-too-large"), &limits));
    assert!(
        matches!(
            problem,
            Problem::TooLarge {
                limit: 1000,
                declared: Some(5000)
            }
        ),
        "{problem:?}"
    );
    let (_, problem) = problem_of(download::fetch(
        &server.url("/too-large-until-close"),
        &limits,
    ));
    assert!(
        matches!(
            problem,
            Problem::TooLarge {
                limit: 1000,
                declared: None
            }
        ),
        "{problem:?}"
    );

    let (_, problem) = problem_of(download::fetch(&server.url("/truncated"), &limits));
    match &problem {
        Problem::Truncated {
            received, declared, ..
        } => {
            assert_eq!(*declared, Some(900));
            assert!(*received < 900, "{problem:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        problem
            .to_string()
            .starts_with("truncated: the body ended after")
    );

    // Without a declared length, a body cut short is not a JSON document.
    let (_, problem) = problem_of(download::fetch_json(
        &server.url("/cut-until-close"),
        &limits,
    ));
    assert!(
        matches!(&problem, Problem::NotJson { message, .. } if message.contains("EOF")),
        "{problem:?}"
    );

    let (_, problem) = problem_of(download::fetch(&server.url("/error"), &limits));
    assert_eq!(
        problem.to_string(),
        r#"HTTP status 503 Service Unavailable; the body starts with "upstream is down""#
    );
    let (_, problem) = problem_of(download::fetch(&server.url("/missing"), &limits));
    assert!(
        matches!(problem, Problem::Status { code: 404, .. }),
        "{problem:?}"
    );

    let started = Instant::now();
    let (_, problem) = problem_of(download::fetch(&server.url("/slow"), &small(300)));
    assert!(
        matches!(problem, Problem::Timeout { limit } if limit == Duration::from_millis(300)),
        "{problem:?}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "the time limit did not hold: {:?}",
        started.elapsed()
    );

    // Nothing listens on a port just released.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (_, problem) = problem_of(download::fetch(&format!("http://{closed}/x"), &limits));
    assert!(matches!(problem, Problem::Transport { .. }), "{problem:?}");
}

#[test]
fn drift_of_the_library_tells_unchanged_from_changed() {
    let pinned_bytes = pinned("oss");
    // The pinned document, re-serialized: other bytes, same document.
    let reformatted =
        serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(&pinned_bytes).unwrap())
            .unwrap();
    assert_ne!(reformatted, pinned_bytes);
    let server = Server::start(vec![
        ("/pinned", json_reply(pinned_bytes)),
        ("/reformatted", json_reply(reformatted.clone())),
        ("/older", json_reply(spec("oss", OLDER_OSS))),
        ("/broken", json_reply(DOES_NOT_GENERATE.to_vec())),
    ]);
    let m = manifest("oss");
    let dir = spec_dir();
    let limits = Limits::default();
    let run = |path: &str| drift::drift_api(&m, &dir, Some(&server.url(path)), &limits);

    let same = run("/pinned");
    assert!(
        matches!(&same.outcome, Outcome::Unchanged { sha256, same_bytes: true } if *sha256 == m.pin.sha256),
        "{same:?}"
    );
    assert_eq!(same.exit_code(), drift::EXIT_UNCHANGED);

    let other_bytes = run("/reformatted");
    assert!(
        matches!(&other_bytes.outcome, Outcome::Unchanged { sha256, same_bytes: false } if *sha256 == sha256_hex(&reformatted)),
        "{other_bytes:?}"
    );

    let older = run("/older");
    let Outcome::Changed(changed) = &older.outcome else {
        panic!("{older:?}")
    };
    let check = changed.check.as_ref().unwrap();
    assert_eq!(check.stats.operations, 13);
    let changes = changed.changes.as_ref().unwrap();
    // Going back to 2026-05-11 removes saved searches, connections, team...
    assert!(changes.breaking().count() > 0);
    assert!(
        changes
            .breaking()
            .any(|c| c.location.contains("/api/v2/saved-searches")),
        "{}",
        changes.to_text()
    );
    assert_eq!(
        changed.file_name,
        format!("oss-{}.json", &changed.sha256[..12])
    );
    assert_eq!(older.exit_code(), drift::EXIT_CHANGED);

    let broken = run("/broken");
    let Outcome::Changed(changed) = &broken.outcome else {
        panic!("{broken:?}")
    };
    let err = changed.check.as_ref().unwrap_err().to_string();
    assert!(err.contains("at `paths`"), "{err}");
    assert_eq!(broken.exit_code(), drift::EXIT_FAILED);

    let report = DriftReport {
        apis: vec![same, older],
    };
    assert_eq!(report.exit_code(), drift::EXIT_CHANGED);
    let report = DriftReport {
        apis: vec![other_bytes, broken],
    };
    assert_eq!(report.exit_code(), drift::EXIT_FAILED);
}

#[test]
fn update_pin_downloads_through_the_same_bounded_client() {
    let older = spec("oss", OLDER_OSS);
    let server = Server::start(vec![
        ("/v2/openapi.json", json_reply(older.clone())),
        ("/huge.json", Reply::UntilClose(vec![b' '; 400_000])),
    ]);
    let work = std::env::temp_dir().join(format!(
        "clickstack-drift-update-pin-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&work);
    let spec_dir = work.join("upstream");
    std::fs::create_dir_all(spec_dir.join("oss")).unwrap();
    // The spec dir holds the pinned file, as the shared one does.
    let m = manifest("oss");
    std::fs::write(spec_dir.join("oss").join(&m.pin.file), pinned("oss")).unwrap();
    let manifest_path = work.join("oss.json");
    m.save(&manifest_path).unwrap();

    let limits = Limits {
        max_bytes: 300_000,
        timeout: Duration::from_secs(30),
    };
    let err = update_pin(
        &server.url("/huge.json"),
        &spec_dir,
        &manifest_path,
        &limits,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("too large") && err.contains("/huge.json"),
        "{err}"
    );
    assert_eq!(Manifest::load(&manifest_path).unwrap().pin.file, m.pin.file);

    let url = server.url("/v2/openapi.json");
    let report = update_pin(&url, &spec_dir, &manifest_path, &limits).unwrap();
    assert!(report.changed);
    let name = format!("openapi-{}.json", &sha256_hex(&older)[..12]);
    assert_eq!(report.new_path, spec_dir.join("oss").join(&name));
    assert_eq!(std::fs::read(&report.new_path).unwrap(), older);
    let saved = Manifest::load(&manifest_path).unwrap();
    assert_eq!(saved.pin.file, name);
    assert_eq!(saved.pin.upstream_url, url);
    // Where drift looks stays where it was.
    assert_eq!(saved.pin.drift_url, m.pin.drift_url);
    std::fs::remove_dir_all(&work).unwrap();
}

/// Runs the built binary; its exit code, stdout and stderr.
fn codegen(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_clickstack-codegen"))
        .args(args)
        .env(SPEC_DIR_ENV, spec_dir())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn the_binary_exits_0_unchanged_2_changed_1_otherwise() {
    let server = Server::start(vec![
        ("/oss/pinned.json", json_reply(pinned("oss"))),
        ("/cloud/pinned.json", json_reply(pinned("cloud"))),
        ("/oss/older.json", json_reply(spec("oss", OLDER_OSS))),
        ("/oss/broken.json", json_reply(DOES_NOT_GENERATE.to_vec())),
        ("/big.json", json_reply(vec![b' '; 5000])),
        (
            "/truncated.json",
            Reply::Truncated {
                declared: 900,
                body: b"{\"openapi\"".to_vec(),
            },
        ),
        (
            "/page.json",
            Reply::Body {
                status: 200,
                content_type: "text/html",
                body: b"<html>GitHub blob page</html>".to_vec(),
            },
        ),
        (
            "/slow.json",
            Reply::Stall {
                stall: Duration::from_secs(3),
            },
        ),
    ]);

    // Unchanged: exit 0.
    let (code, out, err) = codegen(&[
        "drift",
        "--cloud",
        &server.url("/cloud/pinned.json"),
        "--oss",
        &server.url("/oss/pinned.json"),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("== cloud: unchanged\n"), "{out}");
    assert!(out.contains("== oss: unchanged\n"), "{out}");
    assert!(
        out.ends_with("drift: cloud unchanged, oss unchanged: exit 0\n"),
        "{out}"
    );

    // Changed and generates: exit 2, breaking changes first.
    let (code, out, err) = codegen(&["drift", "--oss", &server.url("/oss/older.json")]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.starts_with("== oss: CHANGED, generates; "), "{out}");
    let breaking = out.find("== Breaking changes (").unwrap();
    let compatible = out.find("== Compatible changes (").unwrap();
    assert!(breaking < compatible, "{out}");
    assert!(
        out[..compatible]
            .lines()
            .filter(|l| l.starts_with('['))
            .all(|l| l.starts_with("[breaking]")),
        "{out}"
    );
    assert!(!out[compatible..].contains("[breaking]"), "{out}");
    assert!(out.contains("check:     generates: 13 operations"), "{out}");

    // Does not generate: exit 1, with the pipeline's error.
    let (code, out, _) = codegen(&["drift", "--oss", &server.url("/oss/broken.json")]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with("== oss: CHANGED, DOES NOT GENERATE"),
        "{out}"
    );
    assert!(
        out.contains("check:     does not generate: OpenAPI document: at `paths`"),
        "{out}"
    );

    // One API changed and one failing: exit 1.
    let (code, out, _) = codegen(&[
        "drift",
        "--oss",
        &server.url("/oss/older.json"),
        "--cloud",
        &server.url("/big.json"),
        "--max-bytes",
        "1000000",
        "--timeout",
        "20",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("== oss: CHANGED, generates"), "{out}");

    // Download errors: exit 1, each naming the URL and the problem.
    for (path, extra, expect) in [
        (
            "/big.json",
            &["--max-bytes", "1000"][..],
            "too large: the body is over the limit of 1000 bytes (its declared size is 5000 bytes)",
        ),
        (
            "/truncated.json",
            &[][..],
            "truncated: the body ended after 10 bytes of the 900 its Content-Length declares",
        ),
        (
            "/page.json",
            &[][..],
            "not JSON: expected value at line 1 column 1; Content-Type text/html",
        ),
        (
            "/slow.json",
            &["--timeout", "0.3"][..],
            "timed out: no complete response within 0.3 s",
        ),
        ("/gone.json", &[][..], "HTTP status 404 Not Found"),
    ] {
        let url = server.url(path);
        let mut args = vec!["drift", "--oss", url.as_str()];
        args.extend_from_slice(extra);
        let started = Instant::now();
        let (code, out, err) = codegen(&args);
        assert_eq!(code, 1, "{path}: {out}{err}");
        assert!(out.starts_with("== oss: ERROR\n"), "{path}: {out}");
        assert!(out.contains(&format!("{url}: {expect}")), "{path}: {out}");
        assert!(started.elapsed() < Duration::from_secs(10), "{path}");
    }

    // Usage errors: exit 1 with the usage line.
    let (code, _, err) = codegen(&["drift", "--timeout", "never"]);
    assert_eq!(code, 1);
    assert!(err.contains("--timeout wants seconds"), "{err}");
}

#[test]
fn the_binary_reports_a_real_cloud_change_as_json() {
    let server = Server::start(vec![("/v1", json_reply(spec("cloud", OLDER_CLOUD)))]);
    let url = server.url("/v1");
    let (code, out, err) = codegen(&["drift", "--cloud", &url, "--json"]);
    assert_eq!(code, 2, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["exit_code"], 2);
    let cloud = &report["apis"][0];
    assert_eq!(cloud["api"], "cloud");
    assert_eq!(cloud["source"], url.as_str());
    assert_eq!(cloud["status"], "changed");
    assert_eq!(cloud["generates"], true);
    assert_eq!(cloud["check_error"], serde_json::Value::Null);
    let older = spec("cloud", OLDER_CLOUD);
    assert_eq!(cloud["upstream"]["sha256"], sha256_hex(&older).as_str());
    assert_eq!(cloud["upstream"]["bytes"], older.len());
    assert_eq!(
        cloud["upstream"]["file"],
        format!("cloud-{}.json", &sha256_hex(&older)[..12]).as_str()
    );
    assert_eq!(
        cloud["pinned"]["sha256"],
        manifest("cloud").pin.sha256.as_str()
    );
    // 2026-11-30 back to 2026-07-31: 32 operations fewer.
    assert_eq!(cloud["changes"]["operations_removed"], 32);
    assert!(cloud["changes"]["breaking"].as_u64().unwrap() > 0);
    assert_eq!(cloud["check"]["operations"], 142);
    let rendered = report["rendered"].as_str().unwrap();
    assert!(
        rendered.starts_with("== cloud: CHANGED, generates; "),
        "{rendered}"
    );
    let breaking = rendered.find("== Breaking changes (").unwrap();
    let compatible = rendered.find("== Compatible changes (").unwrap();
    assert!(breaking < compatible);
    assert!(!rendered[compatible..].contains("[breaking]"));
}

/// Runs `.ci/spec-drift.sh ACTION REPORT` (what the spec-drift workflow
/// runs); its exit code and stdout.
fn spec_drift_script(action: &str, report: &str) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!("spec-drift-{}-{action}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.json");
    std::fs::write(&path, report).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/spec-drift.sh");
    let output = Command::new("bash")
        .arg(script)
        .arg(action)
        .arg(&path)
        .env(SPEC_DIR_ENV, spec_dir())
        .env("RUN_URL", "https://github.com/o/r/actions/runs/1")
        .env("DRY_RUN", "1")
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn the_workflow_script_writes_the_pull_request_and_issue_bodies_from_reports() {
    let server = Server::start(vec![
        ("/v1", json_reply(spec("cloud", OLDER_CLOUD))),
        ("/broken", json_reply(DOES_NOT_GENERATE.to_vec())),
        ("/same", json_reply(pinned("oss"))),
    ]);
    // Changed and generates: the pull request's body flags what breaks,
    // names the new file and carries the report.
    let (code, report, err) = codegen(&["drift", "--cloud", &server.url("/v1"), "--json"]);
    assert_eq!(code, 2, "{err}");
    let parsed: serde_json::Value = serde_json::from_str(&report).unwrap();
    let breaking = parsed["apis"][0]["changes"]["breaking"].as_u64().unwrap();
    let (code, body, err) = spec_drift_script("body", &report);
    assert_eq!(code, 0, "{err}");
    assert!(
        body.starts_with("## Upstream `cloud` spec changed\n"),
        "{body}"
    );
    assert!(
        body.contains(&format!("### ⚠ Breaking changes: {breaking}\n")),
        "{body}"
    );
    let sha = parsed["apis"][0]["upstream"]["sha256"].as_str().unwrap();
    assert!(body.contains(&format!("| `{sha}` |")), "{body}");
    assert!(
        body.contains("```text\n== cloud: CHANGED, generates; "),
        "{body}"
    );
    assert!(
        body.ends_with(
            "Opened by the spec-drift workflow: https://github.com/o/r/actions/runs/1.\n"
        ),
        "{body}"
    );
    // This report is longer than a body may be: cut at a line, and said.
    let rendered = parsed["rendered"].as_str().unwrap();
    assert!(rendered.len() > 65_536, "{}", rendered.len());
    assert!(body.chars().count() < 65_536, "{}", body.len());
    assert!(
        body.contains(
            "more lines in the drift-cloud artifact of https://github.com/o/r/actions/runs/1"
        ),
        "{body}"
    );

    // Does not generate: the issue's body carries the generator's error.
    let (code, report, _) = codegen(&["drift", "--oss", &server.url("/broken"), "--json"]);
    assert_eq!(code, 1);
    let (code, body, err) = spec_drift_script("issue-body", &report);
    assert_eq!(code, 0, "{err}");
    assert!(
        body.starts_with("## Upstream `oss` spec does not generate\n"),
        "{body}"
    );
    assert!(body.contains("OpenAPI document: at `paths`"), "{body}");

    // Unchanged: nothing to propose, and the script says so.
    let (code, report, _) = codegen(&["drift", "--oss", &server.url("/same"), "--json"]);
    assert_eq!(code, 0);
    let (code, _, err) = spec_drift_script("body", &report);
    assert_eq!(code, 1);
    assert!(
        err.contains("reports no changed spec (status: unchanged)"),
        "{err}"
    );
}
