//! One call: its attempts, the waits between them, and a tracing span per
//! attempt. The generated clients run every request through
//! [`execute`] (their progenitor `exec` hook).
//!
//! Per call:
//! - the deadline ([`crate::Config::deadline`]) bounds everything: waiting
//!   for a used-up quota, for a rate-limit slot, each attempt (reading the
//!   body included) and each retry wait. A wait that would end past the
//!   deadline is not started: the call ends with the last response, or with
//!   a timeout when there is none yet;
//! - each attempt gets `min(attempt timeout, time left)` as its timeout;
//! - 429, 502, 503, 504 and connection failures are retried (idempotent
//!   methods only, unless [`crate::RetryPolicy::retry_non_idempotent`]),
//!   waiting as [`crate::RetryPolicy::delay`] says; redirect errors are not;
//! - a response with `RateLimit-Remaining: 0` holds the next request of the
//!   client until the reset.

use std::time::{Duration, SystemTime};

use progenitor_client::OperationInfo;
use reqwest::{Method, Request, Response};
use tokio::time::Instant;
use tracing::Instrument;

use crate::config::Context;
use crate::retry::{is_retryable_status, quota_exhausted, server_wait};

/// Whether a method may be repeated without changing the outcome.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// Sends `request` with `http` under `context`'s rules (see the module
/// docs). Returns the last response, whatever its status, or the last
/// transport error.
pub async fn execute(
    context: &Context,
    http: &reqwest::Client,
    request: Request,
    info: &OperationInfo,
) -> reqwest::Result<Response> {
    let deadline = context
        .deadline()
        .and_then(|d| Instant::now().checked_add(d));
    let policy = context.retry_policy();
    let may_retry = policy.allows(is_idempotent(request.method()));
    let mut request = request;
    let mut attempt: u32 = 0;
    loop {
        attempt = attempt.saturating_add(1);
        let spare = if may_retry && attempt <= policy.max_retries {
            request.try_clone()
        } else {
            None
        };
        if !wait_for_quota(context, deadline).await {
            return timed_out(http, request).await;
        }
        let permit = match context.limiter() {
            Some(limiter) => match limiter.acquire(deadline).await {
                Ok(permit) => Some(permit),
                Err(_) => return timed_out(http, request).await,
            },
            None => None,
        };
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        *request.timeout_mut() = match (context.attempt_timeout(), left) {
            (Some(attempt), Some(left)) => Some(attempt.min(left)),
            (attempt, left) => attempt.or(left),
        };
        let span = tracing::info_span!(
            "clickstack.request",
            http.request.method = %request.method(),
            clickstack.operation = info.operation_id,
            url.path = request.url().path(),
            attempt,
            http.response.status_code = tracing::field::Empty,
        );
        let outcome = http.execute(request).instrument(span.clone()).await;
        drop(permit);
        let wait = match &outcome {
            Ok(response) => {
                let status = response.status().as_u16();
                span.record("http.response.status_code", status);
                if let Some(wait) = quota_exhausted(response.headers()) {
                    context.hold_for(wait);
                }
                if !is_retryable_status(status) {
                    return outcome;
                }
                policy.delay(
                    attempt,
                    server_wait(status, response.headers(), SystemTime::now()),
                )
            }
            Err(error) => {
                if !is_retryable_error(error) {
                    return outcome;
                }
                policy.delay(attempt, None)
            }
        };
        let (Some(next), Some(wait)) = (spare, wait) else {
            return outcome;
        };
        if deadline.is_some_and(|d| Instant::now().checked_add(wait).is_none_or(|end| end >= d)) {
            return outcome;
        }
        tracing::debug!(
            parent: &span,
            ?wait,
            status = outcome.as_ref().ok().map(|r| r.status().as_u16()),
            error = outcome.as_ref().err().map(|e| context.redactor().redact(&e.to_string()).into_owned()),
            "retrying"
        );
        drop(outcome);
        tokio::time::sleep(wait).await;
        request = next;
    }
}

/// Connection failures and timeouts are worth another attempt; a redirect
/// loop, a bad request or a body error are not.
fn is_retryable_error(error: &reqwest::Error) -> bool {
    !error.is_redirect() && !error.is_builder() && (error.is_connect() || error.is_timeout())
}

/// Waits for a used-up quota to reset; `false` when the reset comes after
/// the deadline (nothing is waited then).
async fn wait_for_quota(context: &Context, deadline: Option<Instant>) -> bool {
    let Some(until) = context.held_until() else {
        return true;
    };
    if until <= Instant::now() {
        return true;
    }
    if deadline.is_some_and(|d| until > d) {
        return false;
    }
    tracing::debug!(?until, "rate-limit quota used up; waiting for the reset");
    tokio::time::sleep_until(until).await;
    true
}

/// The timeout error of a call whose deadline passed before it could be
/// sent. reqwest has no public constructor for its errors, so the request
/// gets a zero timeout and is polled only once that timeout has passed on
/// tokio's clock (whose resolution is a millisecond): reqwest checks its
/// timeout before it first polls the connection, so it fails with a timeout
/// without connecting anywhere (the hostile tests check that nothing
/// reaches the server).
async fn timed_out(http: &reqwest::Client, mut request: Request) -> reqwest::Result<Response> {
    *request.timeout_mut() = Some(Duration::ZERO);
    let pending = http.execute(request);
    tokio::time::sleep(Duration::from_millis(2)).await;
    pending.await
}
