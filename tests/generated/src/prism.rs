//! What Stoplight Prism made of a request (the conformance tests).

use progenitor_client::{Error, ResponseValue};

/// What Prism found wrong with the request: the error-level entries of its
/// `sl-violations` header whose location starts with `request` (the header
/// also lists violations of Prism's own response, which are not the
/// client's), one per line.
pub fn violations(headers: &reqwest::header::HeaderMap) -> Vec<String> {
    let Some(text) = headers.get("sl-violations").and_then(|h| h.to_str().ok()) else {
        return Vec::new();
    };
    let json = text.trim_start_matches("Too many violations!").trim();
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Array(items)) => items
            .iter()
            .filter(|i| i["location"][0] == "request")
            .filter(|i| {
                i["severity"]
                    .as_str()
                    .is_none_or(|s| s.eq_ignore_ascii_case("error"))
            })
            .map(|i| {
                format!(
                    "{} (at {})",
                    i["message"].as_str().unwrap_or("?"),
                    i["location"]
                )
            })
            .collect(),
        // A truncated list ("Too many violations!"): show its start.
        _ if text.contains("\"request\"") => vec![text.chars().take(1500).collect()],
        _ => Vec::new(),
    }
}

/// What a non-2xx answer from Prism means.
pub fn rejection(status: u16) -> &'static str {
    match status {
        400 | 422 => "Prism rejected the request as invalid for the spec",
        401 | 403 => "Prism rejected the request's credentials",
        404 | 405 => "Prism found no route for the request in the spec",
        _ => "Prism answered an error status",
    }
}

/// Fails unless Prism accepted the request and its 2xx response decoded.
///
/// # Panics
///
/// On any other outcome, with Prism's verdict.
pub async fn check<T, E: std::fmt::Debug>(
    operation: &str,
    outcome: Result<ResponseValue<T>, Error<E>>,
) {
    match outcome {
        Ok(response) => {
            let status = response.status().as_u16();
            assert!(
                (200..300).contains(&status),
                "{operation}: Prism answered {status}"
            );
            let found = violations(response.headers());
            assert!(
                found.is_empty(),
                "{operation}: Prism answered {status} but found the request invalid:\n  {}",
                found.join("\n  ")
            );
        }
        Err(Error::ErrorResponse(response)) => {
            let status = response.status().as_u16();
            let found = violations(response.headers());
            panic!(
                "{operation}: {} ({status}):\n  {}\nbody: {:?}",
                rejection(status),
                found.join("\n  "),
                response.into_inner()
            );
        }
        Err(Error::UnexpectedResponse(response)) => {
            let status = response.status().as_u16();
            let found = violations(response.headers());
            let body = response.text().await.unwrap_or_default();
            panic!(
                "{operation}: {} ({status}):\n  {}\nbody: {body}",
                rejection(status),
                found.join("\n  ")
            );
        }
        Err(Error::InvalidResponsePayload(body, error)) => panic!(
            "{operation}: Prism's 2xx response does not decode: {error}\nbody: {}",
            String::from_utf8_lossy(&body)
        ),
        Err(other) => panic!("{operation}: {other:?}"),
    }
}
