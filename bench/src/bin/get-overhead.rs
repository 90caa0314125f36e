//! What a GET costs through clickstack compared with a raw reqwest GET, on
//! loopback, for a 2 KB dashboard: median per call over many calls,
//! interleaved in rounds so that the machine's noise hits every client
//! alike. The raw GET reads the body and parses it into
//! `serde_json::Value` (what a hand-written client does at least); the
//! generated client decodes into its generated types, the facade into the
//! shared `Dashboard`, both through the runtime (limiter off, as the
//! measured server has no limit).
//!
//! ```text
//! cargo run --release -p clickstack-bench --bin get-overhead
//! ```

use std::time::{Duration, Instant};

use bytes::Bytes;
use clickstack_bench::{dashboard, median, serve};

const ROUNDS: usize = 40;
const CALLS_PER_ROUND: usize = 100;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let body = serde_json::to_vec(&serde_json::json!({ "data": dashboard(1) }))?;
    println!("body: {} bytes", body.len());
    let address = serve(Bytes::from(body)).await?;
    let base = format!("http://{address}");
    let url = format!("{base}/api/v2/dashboards/65f5e4a3b9e77c001a567890");

    let raw = reqwest::Client::new();
    let config = clickstack_oss::Config::new(clickstack_oss::Credentials::bearer("k"));
    let generated = clickstack_oss::Client::with_config(&base, config)?;
    let facade = clickstack::Client::oss(&base, "k")
        .config(|c| c.rate_limit(None))
        .build()?;

    let mut samples: [Vec<Duration>; 3] = Default::default();
    for round in 0..=ROUNDS {
        for (which, slot) in samples.iter_mut().enumerate() {
            let start = Instant::now();
            for _ in 0..CALLS_PER_ROUND {
                match which {
                    0 => {
                        let bytes = raw.get(&url).send().await?.bytes().await?;
                        let value: serde_json::Value = serde_json::from_slice(&bytes)?;
                        std::hint::black_box(value);
                    }
                    1 => {
                        let value = generated.get_dashboard("65f5e4a3b9e77c001a567890").await?;
                        std::hint::black_box(value);
                    }
                    _ => {
                        let value = facade.dashboards().get("65f5e4a3b9e77c001a567890").await?;
                        std::hint::black_box(value);
                    }
                }
            }
            // Round 0 warms connections and caches up.
            if round > 0 {
                slot.push(start.elapsed() / u32::try_from(CALLS_PER_ROUND)?);
            }
        }
    }
    let [raw_t, generated_t, facade_t] = samples.map(median);
    let ratio = |t: Duration| t.as_secs_f64() / raw_t.as_secs_f64();
    println!("median per GET over {ROUNDS} rounds of {CALLS_PER_ROUND} calls:");
    println!(
        "  raw reqwest + serde_json::Value   {:>8.1} µs   1.00x",
        raw_t.as_secs_f64() * 1e6
    );
    println!(
        "  generated client (clickstack-oss) {:>8.1} µs   {:.2}x",
        generated_t.as_secs_f64() * 1e6,
        ratio(generated_t)
    );
    println!(
        "  facade (clickstack::Client)       {:>8.1} µs   {:.2}x   (target <= 1.05x)",
        facade_t.as_secs_f64() * 1e6,
        ratio(facade_t)
    );
    Ok(())
}
