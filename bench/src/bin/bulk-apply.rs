//! Applying 100 dashboards to the fake under Cloud's limit of 10 requests
//! per 10 s, which the fake enforces the way the real API does: the bulk
//! apply must see no 429 and finish within 5% of the minimum the limit
//! allows (103 requests: the sources and dashboards listed to plan, the
//! dashboards listed again to check the plan still holds, and 100
//! creates, so ten full windows after the first: 100 s).
//!
//! ```text
//! cargo run --release -p clickstack-bench --bin bulk-apply
//! DASHBOARDS=30 cargo run --release -p clickstack-bench --bin bulk-apply   # shorter
//! ```

use std::time::{Duration, Instant};

use clickstack::{
    ApplyOptions, ChartConfig, Dashboard, DashboardDocument, SelectItem, Tile, TileConfig,
};
use clickstack_fake::{FakeOptions, FakeServer};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: usize = std::env::var("DASHBOARDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let fake = FakeServer::start_with(FakeOptions {
        enforce_rate_limits: true,
        ..FakeOptions::default()
    })
    .await?;
    let source = fake.seed_log_source("Logs");
    let client = clickstack::Client::cloud(
        FakeServer::CLOUD_KEY_ID,
        FakeServer::CLOUD_KEY_SECRET,
        fake.cloud_organization_id(),
        fake.cloud_service_id(),
    )
    .base_url(fake.base_url())
    .build()?; // the default: Cloud's documented 10 requests per 10 s
    let documents: Vec<DashboardDocument> = (0..count)
        .map(|i| {
            DashboardDocument::new(
                Dashboard::new(format!("Bulk {i}"))
                    .tile(Tile::new("Notes", TileConfig::markdown("# Bulk")))
                    .tile(
                        Tile::new(
                            "Errors",
                            TileConfig::line(ChartConfig::new(&source).select(SelectItem::count())),
                        )
                        .at(12, 0),
                    ),
            )
        })
        .collect();
    let requests = 3 + count;
    let windows = (requests - 1) / 10;
    let before = fake.request_count();
    let minimum = Duration::from_secs(10 * windows as u64);
    let start = Instant::now();
    let applied = client
        .dashboards()
        .apply_all(&documents, ApplyOptions::default())
        .await?;
    let elapsed = start.elapsed();
    let limited = fake.rate_limited();
    let sent = fake.request_count() - before;
    println!(
        "applied {} dashboards ({sent} requests; expected {requests}) under 10 requests / 10 s",
        applied.len()
    );
    println!("  429s from the server:   {} (target 0)", limited.total());
    println!(
        "  wall time:              {:.1} s; the limit's minimum is {:.0} s: {:.1}% over (target <= 5%)",
        elapsed.as_secs_f64(),
        minimum.as_secs_f64(),
        (elapsed.as_secs_f64() / minimum.as_secs_f64() - 1.0) * 100.0
    );
    Ok(())
}
