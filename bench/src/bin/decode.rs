//! Decoding a large dashboard list (5,000 dashboards, about 10 MB): time and
//! peak memory of parsing it into `serde_json::Value`, decoding it into the
//! generated HyperDX types, and decoding it into the shared `Dashboard`
//! (derived serde); then the whole facade `list()` over loopback, which
//! also keeps each item's text until it has decoded, so that one item that
//! does not decode cannot fail the others. Peak memory is measured with a
//! counting allocator and printed as a multiple of the body size.
//!
//! Guards, not targets: the facade stays within 2x the time of
//! `serde_json::Value` and 4x the body's size in peak memory.
//!
//! ```text
//! cargo run --release -p clickstack-bench --bin decode
//! ```

use std::time::{Duration, Instant};

use bytes::Bytes;
use clickstack::Dashboard;
use clickstack_bench::{dashboard_list, median, serve};
use peak_alloc::PeakAlloc;
use serde::Deserialize;

#[global_allocator]
static ALLOCATOR: PeakAlloc = PeakAlloc;

const RUNS: usize = 15;

/// The HyperDX list envelope over the shared type (what the facade decodes).
#[derive(Deserialize)]
struct Envelope {
    data: Vec<Dashboard>,
}

/// Runs `f` once over the body: its time and its peak allocation above
/// what was live before.
fn measure_once<T>(body: &[u8], f: &dyn Fn(&[u8]) -> T) -> (Duration, usize) {
    let before = ALLOCATOR.current_usage();
    ALLOCATOR.reset_peak_usage();
    let start = Instant::now();
    let value = f(body);
    let elapsed = start.elapsed();
    let peak = ALLOCATOR.peak_usage().saturating_sub(before);
    drop(value);
    (elapsed, peak)
}

/// Times three decoders over the body, interleaved run by run (so that a
/// machine's drift hits all three alike): median time and largest peak.
fn measure3<A, B, C>(
    body: &[u8],
    a: impl Fn(&[u8]) -> A,
    b: impl Fn(&[u8]) -> B,
    c: impl Fn(&[u8]) -> C,
) -> [(Duration, usize); 3] {
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    let mut peaks = [0; 3];
    for _ in 0..RUNS {
        let results = [
            measure_once(body, &a),
            measure_once(body, &b),
            measure_once(body, &c),
        ];
        for (i, (time, peak)) in results.into_iter().enumerate() {
            times[i].push(time);
            peaks[i] = peaks[i].max(peak);
        }
    }
    let [ta, tb, tc] = times;
    [
        (median(ta), peaks[0]),
        (median(tb), peaks[1]),
        (median(tc), peaks[2]),
    ]
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let body = dashboard_list(5000);
    let size = body.len();
    println!("body: {:.1} MB, 5000 dashboards", size as f64 / 1e6);
    let [
        (value_t, value_m),
        (generated_t, generated_m),
        (shared_t, shared_m),
    ] = measure3(
        &body,
        |b| serde_json::from_slice::<serde_json::Value>(b).ok(),
        |b| serde_json::from_slice::<clickstack_oss::types::DashboardsListResponse>(b).ok(),
        |b| serde_json::from_slice::<Envelope>(b).ok().map(|e| e.data),
    );
    let decoded = serde_json::from_slice::<Envelope>(&body)?.data.len();
    assert_eq!(
        decoded, 5000,
        "every dashboard decodes into the shared type"
    );

    let ms = |t: Duration| t.as_secs_f64() * 1e3;
    let x = |m: usize| m as f64 / size as f64;
    println!(
        "decoding the list, median of {RUNS} interleaved runs (peak memory above the body, as a multiple of it):"
    );
    println!(
        "  serde_json::Value                {:>7.1} ms  1.00x   peak {:.2}x",
        ms(value_t),
        x(value_m)
    );
    println!(
        "  generated types (clickstack-oss)  {:>7.1} ms  {:.2}x   peak {:.2}x",
        ms(generated_t),
        generated_t.as_secs_f64() / value_t.as_secs_f64(),
        x(generated_m)
    );
    println!(
        "  shared Dashboard (derived serde)  {:>7.1} ms  {:.2}x   peak {:.2}x",
        ms(shared_t),
        shared_t.as_secs_f64() / value_t.as_secs_f64(),
        x(shared_m)
    );

    // The whole facade path: read the body within the limit, decode once.
    let address = serve(Bytes::from(body)).await?;
    let client = clickstack::Client::oss(format!("http://{address}"), "k")
        .config(|c| c.rate_limit(None))
        .build()?;
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..RUNS {
        let before = ALLOCATOR.current_usage();
        ALLOCATOR.reset_peak_usage();
        let start = Instant::now();
        let list = client.dashboards().list().await?;
        times.push(start.elapsed());
        peak = peak.max(ALLOCATOR.peak_usage().saturating_sub(before));
        assert_eq!(list.len(), 5000);
    }
    let list_t = median(times);
    println!(
        "  facade list() over loopback       {:>7.1} ms  {:.2}x   peak {:.2}x   (the body it reads included; guards: <= 2x time, <= 4x memory)",
        ms(list_t),
        list_t.as_secs_f64() / value_t.as_secs_f64(),
        x(peak)
    );
    Ok(())
}
