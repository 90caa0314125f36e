//! The runtime on its own, against the hostile loopback server of the
//! facade's tests (`tests/hostile/server.rs`, shared): the limiter as the
//! server measures it, retry-header parsing at the extremes, redaction of
//! JSON-escaped secrets, path segments for every byte, credentials with
//! every control character, and the body limits of `decode`.

// Helpers unwrap as the tests do (clippy.toml's `allow-unwrap-in-tests`
// covers `#[test]` functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../tests/hostile/server.rs"]
mod server;

use std::time::{Duration, Instant, UNIX_EPOCH};

use clickstack_runtime::decode::{self, ErrorBody};
use clickstack_runtime::execute::execute;
use clickstack_runtime::path::encode_segment;
use clickstack_runtime::{
    Config, Context, Credentials, Error, Limits, RateLimit, Redactor, RetryPolicy, quota_exhausted,
    server_wait,
};
use progenitor_client::OperationInfo;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use server::{Next, Server};

const INFO: OperationInfo = OperationInfo {
    operation_id: "hostile",
};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// xorshift64*: deterministic, no crate needed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }
}

/// An error body type like the generated ones (`{message, requestId}`).
#[derive(Debug, Default, serde::Deserialize)]
struct TestError {
    message: Option<String>,
    #[serde(rename = "requestId")]
    request_id: Option<String>,
}

impl ErrorBody for TestError {
    fn from_text(_status: u16, text: String) -> Self {
        TestError {
            message: Some(text),
            request_id: None,
        }
    }
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    fn message_mut(&mut self) -> Option<&mut String> {
        self.message.as_mut()
    }
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    fn request_id_mut(&mut self) -> Option<&mut String> {
        self.request_id.as_mut()
    }
}

/// Sends one GET through `execute`.
async fn get(
    context: &Context,
    http: &reqwest::Client,
    url: &str,
) -> reqwest::Result<reqwest::Response> {
    let request = http.get(url).build().unwrap();
    execute(context, http, request, &INFO).await
}

/// GET, then `decode::success` into a JSON value (or `decode::error` on an
/// error status), as a generated client does; the outcome as the runtime's
/// error type.
async fn get_json(
    context: &Context,
    http: &reqwest::Client,
    url: &str,
) -> Result<serde_json::Value, Error> {
    let response = match get(context, http, url).await {
        Ok(response) => response,
        Err(e) => return Err(Error::from_reqwest(e)),
    };
    let result: Result<_, progenitor_client::Error<TestError>> = if response.status().is_success() {
        decode::success::<serde_json::Value, TestError>(context, response).await
    } else {
        match decode::error::<TestError, TestError>(context, response).await {
            Ok(value) => Err(progenitor_client::Error::ErrorResponse(value)),
            Err(e) => Err(e),
        }
    };
    match result {
        Ok(value) => Ok(value.into_inner()),
        Err(e) => Err(Error::from_generated(context, e).await),
    }
}

// ---------------------------------------------------------------------------
// The limiter
// ---------------------------------------------------------------------------

async fn limiter_holds(limit: u32, window: Duration, calls: usize, delay: Duration) {
    let server = Server::start(move |_, conn| {
        std::thread::sleep(delay);
        conn.json(200, "{}")
    });
    let context = Config::new(Credentials::none())
        .rate_limit(Some(RateLimit::new(limit, window)))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let http = context.http_client().unwrap();
    let url = server.url();
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let (context, http, url) = (context.clone(), http.clone(), url.clone());
            tokio::spawn(async move {
                get(&context, &http, &url)
                    .await
                    .map(|r| r.status().as_u16())
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), 200);
    }
    let mut arrivals: Vec<Instant> = server.requests().iter().map(|r| r.at).collect();
    assert_eq!(arrivals.len(), calls);
    arrivals.sort();
    let n = usize::try_from(limit).unwrap();
    for i in n..arrivals.len() {
        let span = arrivals[i] - arrivals[i - n];
        assert!(span >= window, "{} requests within {span:?}", n + 1);
    }
}

#[tokio::test]
async fn limiter_holds_at_the_server_for_concurrent_calls() {
    limiter_holds(5, ms(300), 30, Duration::ZERO).await;
}

#[tokio::test]
async fn limiter_holds_at_the_server_with_slow_responses() {
    // A response slower than the window: a slot frees a window after the
    // response, not after the request.
    limiter_holds(3, ms(200), 12, ms(250)).await;
}

#[tokio::test]
async fn limiter_extremes_are_clamped_not_divided() {
    assert_eq!(RateLimit::new(0, Duration::ZERO).limit(), 1);
    assert_eq!(RateLimit::new(0, Duration::MAX).limit(), 1);
    let rate = RateLimit::new(u32::MAX, Duration::MAX);
    assert_eq!((rate.limit(), rate.window()), (u32::MAX, Duration::MAX));
    let server = Server::json(200, "{}");
    for rate in [
        RateLimit::new(u32::MAX, Duration::MAX),
        RateLimit::new(0, Duration::ZERO),
    ] {
        let context = Config::new(Credentials::none())
            .rate_limit(Some(rate))
            .build()
            .unwrap();
        let http = context.http_client().unwrap();
        for _ in 0..5 {
            get(&context, &http, &server.url()).await.unwrap();
        }
    }
    assert_eq!(server.count(), 10);
}

// ---------------------------------------------------------------------------
// Retry headers
// ---------------------------------------------------------------------------

fn headers(pairs: &[(&str, &[u8])]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_bytes(value).unwrap(),
        );
    }
    map
}

const NOW: Duration = Duration::from_secs(1_700_000_000);

fn wait(status: u16, pairs: &[(&str, &[u8])]) -> Option<Duration> {
    server_wait(status, &headers(pairs), UNIX_EPOCH + NOW)
}

fn secs(n: u64) -> Option<Duration> {
    Some(Duration::from_secs(n))
}

#[test]
fn retry_after_at_the_extremes() {
    let date = |offset: i64| {
        let at =
            UNIX_EPOCH + Duration::from_secs(NOW.as_secs().checked_add_signed(offset).unwrap());
        httpdate::fmt_http_date(at).into_bytes()
    };
    let cases: Vec<(&[u8], Option<Duration>)> = vec![
        (b"7", secs(7)),
        (b"0", secs(0)),
        (b"  7  ", secs(7)),
        (b"0.25", Some(ms(250))),
        (b"18446744073709551615", secs(u64::MAX)),
        (b"18446744073709551616", None),
        (b"99999999999999999999", None),
        (b"1e400", None),
        (b"-5", None),
        (b"-1.5", None),
        (b"NaN", None),
        (b"nan", None),
        (b"inf", None),
        (b"-inf", None),
        (b"infinity", None),
        (b"0x10", None),
        (b"5, 6", None),
        (b"", None),
        (b"soon", None),
        (b"\xff7", None),
        (
            b"Fri, 31 Dec 9999 23:59:59 GMT",
            Some(Duration::from_secs(253_402_300_799) - NOW),
        ),
        (b"Thu, 01 Jan 1970 00:00:00 GMT", secs(0)),
        (b"Sunday, 06-Nov-94 08:49:37 GMT", secs(0)),
        (b"Sun Nov  6 08:49:37 1994", secs(0)),
        (b"Fri, 31 Dec 99999 23:59:59 GMT", None),
    ];
    for (value, expected) in &cases {
        for status in [503, 502, 504, 429, 500] {
            assert_eq!(
                wait(status, &[("retry-after", value)]),
                *expected,
                "{status} Retry-After {:?}",
                String::from_utf8_lossy(value)
            );
        }
    }
    assert_eq!(wait(503, &[("retry-after", &date(30))]), secs(30));
    assert_eq!(wait(503, &[("retry-after", &date(-30))]), secs(0));
    // Two Retry-After headers: the first counts.
    assert_eq!(
        wait(503, &[("retry-after", b"3"), ("retry-after", b"9")]),
        secs(3)
    );
}

#[test]
fn ratelimit_reset_at_the_extremes() {
    let cases: Vec<(&[u8], Option<Duration>)> = vec![
        (b"12", secs(12)),
        (b"0", secs(0)),
        // Up to 10^9: seconds from now (31 years is a wait, not a date).
        (b"999999999", secs(999_999_999)),
        // Past 10^9: a Unix time.
        (b"1700000025", secs(25)),
        (b"1000000001", secs(0)),
        (b"18446744073709551615", None),
        (b"99999999999999999999999", None),
        (b"-1", None),
        (b"NaN", None),
        (b"1e999", None),
        (b"", None),
    ];
    for (value, expected) in &cases {
        let shown = String::from_utf8_lossy(value);
        assert_eq!(
            wait(429, &[("ratelimit-reset", value)]),
            *expected,
            "reset {shown:?}"
        );
        // Only a 429 reads it.
        assert_eq!(
            wait(503, &[("ratelimit-reset", value)]),
            None,
            "503 reset {shown:?}"
        );
        // With Retry-After: the shorter of the two.
        let both = wait(429, &[("retry-after", b"60"), ("ratelimit-reset", value)]);
        assert_eq!(
            both,
            Some(expected.map_or(Duration::from_secs(60), |r| r.min(Duration::from_secs(60)))),
            "{shown:?}"
        );
        // The draft-7 combined header.
        let combined = [b"limit=100, remaining=0, reset=".as_slice(), value].concat();
        assert_eq!(
            wait(429, &[("ratelimit", &combined)]),
            *expected,
            "combined {shown:?}"
        );
    }
    // Garbage in the combined header.
    for garbage in [
        &b"reset"[..],
        b"reset=",
        b"=,=;=",
        b";;;,,,",
        b"reset=1=2",
        b"remaining=0;reset=NaN;limit=,,,=",
    ] {
        let _ = wait(429, &[("ratelimit", garbage)]);
        let _ = quota_exhausted(&headers(&[("ratelimit", garbage)]));
    }
    // The separate header wins over the combined one.
    assert_eq!(
        wait(429, &[("ratelimit-reset", b"3"), ("ratelimit", b"reset=9")]),
        secs(3)
    );
}

#[test]
fn quota_exhausted_at_the_extremes() {
    let exhausted = |remaining: &[u8], reset: &[u8]| {
        quota_exhausted(&headers(&[
            ("ratelimit-remaining", remaining),
            ("ratelimit-reset", reset),
        ]))
    };
    assert_eq!(exhausted(b"0", b"42"), secs(42));
    assert_eq!(exhausted(b" 0 ", b"42"), secs(42));
    assert_eq!(exhausted(b"00", b"42"), secs(42));
    assert_eq!(exhausted(b"1", b"42"), None);
    assert_eq!(exhausted(b"-1", b"42"), None);
    assert_eq!(exhausted(b"-0", b"42"), None);
    assert_eq!(exhausted(b"NaN", b"42"), None);
    assert_eq!(exhausted(b"0", b"18446744073709551615"), None);
    assert_eq!(exhausted(b"0", b"-5"), None);
    assert_eq!(exhausted(b"0", b"nope"), None);
    assert_eq!(exhausted(b"18446744073709551616", b"1"), None);
    assert_eq!(
        quota_exhausted(&headers(&[("ratelimit-remaining", b"0")])),
        None
    );
}

#[test]
fn random_header_values_never_panic() {
    let mut rng = XorShift(0x5eed_0003);
    let alphabet = b"0123456789 .,;=-+eEinfaNGMT:x\t";
    let names = [
        "retry-after",
        "ratelimit-reset",
        "ratelimit-remaining",
        "ratelimit",
    ];
    for _ in 0..20_000 {
        let mut map = HeaderMap::new();
        for name in names {
            if rng.below(3) == 0 {
                continue;
            }
            let len = rng.below(40);
            let value: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect();
            if let Ok(value) = HeaderValue::from_bytes(&value) {
                map.insert(name, value);
            }
        }
        let now = UNIX_EPOCH + Duration::from_secs(rng.next() >> 30);
        for status in [429, 503] {
            if let Some(wait) = server_wait(status, &map, now) {
                // Any wait the server asks for is representable and kept
                // within what the policy accepts or refuses, never a panic.
                let _ = RetryPolicy::default().delay(1, Some(wait));
                let _ = Instant::now().checked_add(wait);
            }
        }
        let _ = quota_exhausted(&map);
    }
}

#[test]
fn retry_delays_are_bounded_for_any_policy() {
    let durations = [
        Duration::ZERO,
        Duration::from_nanos(1),
        ms(1),
        ms(500),
        Duration::from_secs(20),
        Duration::from_secs(u64::MAX / 2),
        Duration::MAX,
    ];
    let retries = [0, 1, 2, 3, 10, 31, 32, 33, 63, 64, 65, 1000, u32::MAX];
    for base in durations {
        for max in durations {
            let policy = RetryPolicy {
                base_delay: base,
                max_delay: max,
                ..RetryPolicy::default()
            };
            for retry in retries {
                let factor = 1u32
                    .checked_shl(retry.saturating_sub(1))
                    .unwrap_or(u32::MAX);
                let full = base.saturating_mul(factor).min(max);
                let delay = policy.delay(retry, None).unwrap();
                assert!(
                    delay <= full && delay >= full / 2,
                    "{base:?} {max:?} {retry}: {delay:?}"
                );
            }
            for hint in durations {
                let expected = (hint <= policy.max_retry_after).then_some(hint);
                assert_eq!(policy.delay(1, Some(hint)), expected);
            }
        }
    }
    let accept_all = RetryPolicy {
        max_retry_after: Duration::MAX,
        ..RetryPolicy::default()
    };
    assert_eq!(
        accept_all.delay(u32::MAX, Some(Duration::MAX)),
        Some(Duration::MAX)
    );
}

// ---------------------------------------------------------------------------
// Redaction
// ---------------------------------------------------------------------------

/// Secrets with every character class a JSON encoder escapes.
fn awkward_secrets() -> Vec<String> {
    let mut secrets = vec![
        "plain-Secret-123".to_string(),
        "quote\"Secret".to_string(),
        "back\\slash\\Secret".to_string(),
        "both\\\"Secret\"\\".to_string(),
        "slash/Secret+base64==".to_string(),
        "uni-Sécrét-日本-🔑".to_string(),
        "ctl\u{1}\u{1f}\u{7f}Secret".to_string(),
        "tab\tnew\nline\rSecret".to_string(),
        "</script>Secret".to_string(),
    ];
    let mut rng = XorShift(0x5eed_0004);
    let pool: Vec<char> = "aZ09\"\\/\u{1}\u{8}\u{c}\n\r\t\u{1f}é日🔑 <>&'"
        .chars()
        .collect();
    for _ in 0..200 {
        let len = 6 + rng.below(12);
        secrets.push((0..len).map(|_| pool[rng.below(pool.len())]).collect());
    }
    secrets
}

#[test]
fn json_escaped_secrets_are_redacted() {
    for secret in awkward_secrets() {
        let redactor = Redactor::new([secret.as_str(), ""]);
        let raw = format!("key [{secret}] and again [{secret}]");
        // Raw, and inside JSON strings as serde_json (and most servers)
        // write them: in a message, a key, nested.
        let texts = [
            raw.clone(),
            serde_json::json!({"message": raw}).to_string(),
            serde_json::json!({"error": {"detail": [raw]}, "requestId": secret}).to_string(),
            serde_json::json!({ secret.clone(): 1 }).to_string(),
        ];
        for text in texts {
            let redacted = redactor.redact(&text);
            assert!(
                !redacted.contains(secret.as_str()),
                "{secret:?}: {redacted}"
            );
            assert!(redacted.contains("<redacted>"), "{secret:?}: {redacted}");
            // What a JSON text decodes to does not hold it either.
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&redacted) {
                assert!(
                    !value.to_string().contains(secret.as_str()),
                    "{secret:?}: {value}"
                );
                assert!(
                    !format!("{value:?}").contains(secret.as_str()),
                    "{secret:?}"
                );
            }
        }
    }
    // Overlapping secrets: the longer wins, neither survives.
    let redactor = Redactor::new(["abcdef-Secret", "cdef-Sec"]);
    assert_eq!(
        redactor.redact("x abcdef-Secret y cdef-Sec z"),
        "x <redacted> y <redacted> z"
    );
    assert!(!format!("{redactor:?}").contains("Secret"));
}

#[tokio::test]
async fn decode_error_redacts_plain_and_json_escaped_secrets() {
    const KEY: &str = "rt\"Quote\\Secret";
    let server = Server::start(|request, conn| {
        let auth = request.header("authorization").unwrap_or("").to_string();
        let text = format!("bad [{auth}] [{KEY}]");
        match request.index % 3 {
            0 => conn.json(
                401,
                &serde_json::json!({"message": text, "requestId": text}).to_string(),
            ),
            1 => conn.respond(401, &[], text.as_bytes()),
            _ => conn.json(
                200,
                &serde_json::json!({"not": "a list", "echo": text}).to_string(),
            ),
        }
    });
    let context = Context::new(Credentials::bearer(KEY)).unwrap();
    let http = context.http_client().unwrap();
    for _ in 0..3 {
        let url = format!("{}/list", server.url());
        let response = get(&context, &http, &url).await.unwrap();
        let error = if response.status().is_success() {
            let decoded = decode::success::<Vec<u8>, TestError>(&context, response).await;
            Error::from_generated(&context, decoded.unwrap_err()).await
        } else {
            let body = decode::error::<TestError, TestError>(&context, response)
                .await
                .unwrap();
            Error::from_generated(&context, progenitor_client::Error::ErrorResponse(body)).await
        };
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(KEY) && !shown.contains("Quote"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}

#[tokio::test]

async fn decode_error_redacts_what_it_decodes() {
    const KEY: &str = "rt/Escaped-Secret";
    let server = Server::start(|request, conn| {
        let body = if request.index == 0 {
            r#"{"message":"bad key rt\/Escaped-Secret"}"#
        } else {
            r#"{"message":"bad key \u0072t/Escaped-Secret"}"#
        };
        conn.json(401, body)
    });
    let context = Context::new(Credentials::bearer(KEY)).unwrap();
    let http = context.http_client().unwrap();
    for _ in 0..2 {
        let response = get(&context, &http, &server.url()).await.unwrap();
        let body = decode::error::<TestError, TestError>(&context, response)
            .await
            .unwrap();
        let message = body.into_inner().message.unwrap_or_default();
        assert!(!message.contains(KEY), "{message}");
    }
}

// ---------------------------------------------------------------------------
// Path segments
// ---------------------------------------------------------------------------

fn is_dot_segment(value: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
    decoded == "." || decoded == ".."
}

/// `encoded` is one safe segment holding exactly `value`.
fn check_segment(value: &str, encoded: &str) {
    let bytes = encoded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = &bytes[i + 1..i + 3];
            assert!(
                hex.iter()
                    .all(|h| h.is_ascii_digit() || (b'A'..=b'F').contains(h)),
                "{value:?} -> {encoded}"
            );
            i += 3;
        } else {
            assert!(
                b.is_ascii_alphanumeric() || b"-._~".contains(&b),
                "{value:?} -> {encoded}"
            );
            i += 1;
        }
    }
    let decoded = percent_encoding::percent_decode_str(encoded).collect::<Vec<u8>>();
    assert_eq!(decoded, value.as_bytes(), "{value:?} -> {encoded}");
    assert!(!is_dot_segment(encoded), "{value:?} -> {encoded}");
    // A URL parser keeps it as one segment, unchanged.
    let url = reqwest::Url::parse(&format!("http://h/api/{encoded}/tail")).unwrap();
    assert_eq!(url.path(), format!("/api/{encoded}/tail"), "{value:?}");
    assert_eq!(url.path_segments().unwrap().count(), 3, "{value:?}");
    assert_eq!(url.query(), None);
    assert_eq!(url.fragment(), None);
}

/// Whether the rule refuses `value`: empty, a dot segment, or holding a
/// character that could leave the segment.
fn refused(value: &str) -> bool {
    value.is_empty()
        || value == "."
        || value == ".."
        || value
            .chars()
            .any(|c| "/\\%?#".contains(c) || c.is_whitespace() || c.is_control())
}

fn segment_of(value: &str) {
    match encode_segment("id", value) {
        Ok(encoded) => {
            assert!(!refused(value), "{value:?} accepted as {encoded}");
            check_segment(value, &encoded);
        }
        Err(e) => assert!(refused(value), "{value:?} refused: {e}"),
    }
}

#[test]
fn path_segments_for_every_byte() {
    for b in 0u8..=255 {
        let c = char::from(b);
        for value in [
            c.to_string(),
            format!("a{c}b"),
            format!("{c}{c}"),
            format!("%{c}"),
            format!("{c}.."),
        ] {
            segment_of(&value);
        }
    }
    for a in 0u8..128 {
        for b in 0u8..128 {
            segment_of(&String::from_utf8(vec![a, b]).unwrap());
        }
    }
    for c in [
        '\u{2215}',
        '\u{ff0e}',
        '\u{2024}',
        '\u{feff}',
        '\u{fffd}',
        '\u{ffff}',
        '\u{10ffff}',
        '\u{202e}',
    ] {
        segment_of(&c.to_string());
        segment_of(&format!("{c}{c}"));
    }
}

#[test]
fn dot_segments_and_encoded_forms_are_refused() {
    for value in [
        ".",
        "..",
        "%2e",
        "%2E%2e",
        ".%2e",
        "%252e%252e",
        "..%2f",
        "%c0%ae%c0%ae",
    ] {
        assert!(encode_segment("id", value).is_err(), "{value}");
    }
    assert!(encode_segment("id", "").is_err());
    // Three dots are a name, not a dot segment; spaces are refused.
    check_segment("...", &encode_segment("id", "...").unwrap());
    for value in [". .", " ..", ".. "] {
        assert!(encode_segment("id", value).is_err(), "{value:?}");
    }
}

// ---------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------

#[test]
fn credentials_with_any_control_character_are_refused() {
    let controls = (0u32..0x20)
        .chain([0x7f])
        .chain(0x80..0xa0)
        .filter_map(char::from_u32);
    for c in controls {
        let value = format!("abc{c}Secret-Tail");
        for credentials in [
            Credentials::bearer(value.clone()),
            Credentials::basic(value.clone(), "secret"),
            Credentials::basic("id", value.clone()),
        ] {
            let e = credentials.header().unwrap_err();
            assert!(!format!("{e} {e:?}").contains("Secret-Tail"), "{c:?}: {e}");
            assert!(Config::new(credentials).build().is_err(), "{c:?}");
        }
    }
    for c in (0x21u8..0x7f).map(char::from) {
        let bearer = Credentials::bearer(format!("k{c}k"));
        assert!(bearer.header().is_ok(), "{c:?}");
        let basic = Credentials::basic("id", format!("s{c}s"));
        assert!(basic.header().is_ok(), "{c:?}");
        let id = Credentials::basic(format!("i{c}d"), "s");
        assert_eq!(id.header().is_ok(), c != ':', "{c:?}");
    }
}

// ---------------------------------------------------------------------------
// Decoding within the limits
// ---------------------------------------------------------------------------

fn limited(max_body_bytes: usize) -> Context {
    Config::new(Credentials::none())
        .retry(RetryPolicy::none())
        .limits(Limits {
            max_body_bytes,
            ..Limits::default()
        })
        .build()
        .unwrap()
}

#[tokio::test]
async fn success_bodies_are_limited_to_the_byte() {
    let server = Server::start(|request, conn| {
        let len: usize = request.path().trim_start_matches('/').parse().unwrap();
        // `[1,1,...,1]` of exactly `len` bytes (len odd).
        let body = format!("[{}]", vec!["1"; (len - 1) / 2].join(","));
        if request.query("chunked").is_some() {
            let mut raw = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
            for piece in body.as_bytes().chunks(7) {
                raw.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                raw.extend_from_slice(piece);
                raw.extend_from_slice(b"\r\n");
            }
            raw.extend_from_slice(b"0\r\n\r\n");
            let _ = conn.write(&raw);
            Next::KeepAlive
        } else {
            conn.json(200, &body)
        }
    });
    let context = limited(101);
    let http = context.http_client().unwrap();
    for query in ["", "?chunked=1"] {
        let ok = get_json(&context, &http, &format!("{}/101{query}", server.url()))
            .await
            .unwrap();
        assert_eq!(ok.as_array().unwrap().len(), 50);
        let e = get_json(&context, &http, &format!("{}/103{query}", server.url()))
            .await
            .unwrap_err();
        match e {
            Error::Decode {
                status: 200,
                message,
                body,
            } => {
                assert!(message.contains("101-byte limit"), "{message}");
                // What was read up to the limit (nothing, when the length
                // was declared).
                let expected = if query.is_empty() { 0 } else { 101 };
                assert_eq!(body.len(), expected, "{query}: {body}");
            }
            other => panic!("{query}: {other:?}"),
        }
    }
}

/// A server sending a 500 with 3 MiB of `e`s without a length: 1.5 MiB
/// at once, then (after a stall of up to 30 s) the rest.
fn long_error_server() -> Server {
    Server::start(|_, conn| {
        let _ = conn.write(b"HTTP/1.1 500 Oops\r\ntransfer-encoding: chunked\r\n\r\n");
        let (_, error) = conn.stream_fill(b'e', 3 * 512 * 1024, true);
        if error.is_none() {
            conn.stall(Duration::from_secs(30));
            let _ = conn.stream_fill(b'e', 3 * 512 * 1024, true);
            let _ = conn.write(b"0\r\n\r\n");
        }
        Next::Close
    })
}

#[tokio::test]
async fn error_bodies_are_read_to_1_mib_at_most_and_excerpted() {
    let server = long_error_server();
    let context = limited(32 * 1024 * 1024);
    let http = context.http_client().unwrap();
    let started = Instant::now();
    let e = get_json(&context, &http, &server.url()).await.unwrap_err();
    // It stopped reading at 1 MiB: it did not wait for the rest.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.status(), Some(500));
    let message = e.message().unwrap();
    assert!(message.len() <= 4096 + 40, "{}", message.len());
    assert!(message[..4096].bytes().all(|b| b == b'e'));
    assert!(message[4096..].starts_with("... ("), "{}", &message[4096..]);
}

#[tokio::test]

async fn error_excerpts_say_how_much_was_left_out() {
    let server = long_error_server();
    let context = limited(32 * 1024 * 1024);
    let http = context.http_client().unwrap();
    let e = get_json(&context, &http, &server.url()).await.unwrap_err();
    let message = e.message().unwrap();
    // `<4096 bytes>... (N more bytes)`, N + 4096 being what was read.
    let more: usize = message[4096..]
        .strip_prefix("... (")
        .and_then(|r| r.strip_suffix(" more bytes)"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", &message[4096..]));
    assert_eq!(
        more + 4096,
        1024 * 1024,
        "read exactly the 1 MiB error-body limit"
    );
}

#[tokio::test]
async fn random_bodies_decode_to_a_value_or_a_typed_error() {
    let slot = std::sync::Arc::new(std::sync::Mutex::new((200u16, Vec::new())));
    let served = std::sync::Arc::clone(&slot);
    let server = Server::start(move |_, conn| {
        let (status, body) = served.lock().unwrap().clone();
        conn.respond(status, &[], &body)
    });
    let context = limited(64 * 1024);
    let http = context.http_client().unwrap();
    let mut rng = XorShift(0x5eed_0005);
    let seeds: [&[u8]; 4] = [
        br#"{"data":[{"id":"x","n":1.5e3,"s":"\u00e9\n"}],"meta":{"total":1}}"#,
        br#"{"message":"boom","requestId":"r-1"}"#,
        br#"[[[[{"a":[null,true,false,-0,1e-5]}]]]]"#,
        b"<html>Cannot GET /x</html>",
    ];
    for case in 0..600 {
        let mut body = seeds[rng.below(seeds.len())].to_vec();
        match rng.below(6) {
            0 => {
                body = (0..rng.below(300))
                    .map(|_| u8::try_from(rng.below(256)).unwrap())
                    .collect();
            }
            1 => body.truncate(rng.below(body.len() + 1)),
            2 => {
                let i = rng.below(body.len() + 1);
                body.splice(i..i, std::iter::repeat_n(b'[', 50_000 + rng.below(100_000)));
            }
            3 => {
                for _ in 0..4 {
                    let i = rng.below(body.len());
                    body[i] ^= 1 << rng.below(8);
                }
            }
            4 => {
                let i = rng.below(body.len() + 1);
                body.splice(i..i, b"\xff\xfe\xc0\x80\xed\xa0\x80".iter().copied());
            }
            _ => {
                let i = rng.below(body.len() + 1);
                body.splice(i..i, "9".repeat(rng.below(5000)).bytes());
            }
        }
        let status = [200, 200, 200, 401, 404, 500][rng.below(6)];
        *slot.lock().unwrap() = (status, body.clone());
        let started = Instant::now();
        let result = get_json(&context, &http, &server.url()).await;
        assert!(started.elapsed() < Duration::from_secs(3), "case {case}");
        match result {
            Ok(_) => assert_eq!(status, 200, "case {case}"),
            Err(e) => {
                assert_eq!(e.status(), Some(status), "case {case}: {e:?}");
                assert!(e.to_string().len() <= 4096 + 256, "case {case}");
            }
        }
    }
    assert_eq!(server.count(), 600);
}
