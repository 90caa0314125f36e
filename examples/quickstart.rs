//! The main job: manage ClickStack dashboards as code.
//!
//! ```text
//! cargo run --example quickstart            # against the embedded fake
//! cargo run --example quickstart -- --apply # also write to a real deployment
//! ```
//!
//! With a backend named by the environment (`CLICKSTACK_URL` and
//! `CLICKSTACK_API_KEY` for open-source ClickStack, or the
//! `CLICKHOUSE_CLOUD_*` variables for Managed ClickStack; see
//! `clickstack::env`) it lists what is there, and with `--apply` applies
//! the example dashboard document. Without one it starts the embedded fake
//! of both APIs and runs the whole flow: apply a dashboard to HyperDX (twice,
//! showing it is idempotent), export it, and apply the export to Cloud.

use clickstack::fake::FakeServer;
use clickstack::{Client, Dashboard, DashboardDocument, Tile, TileConfig};
use futures_util::TryStreamExt;

fn example_document() -> DashboardDocument {
    let mut latency = Tile::new(
        "p95 latency",
        TileConfig(serde_json::json!({
            "displayType": "line",
            "sourceId": "000000000000000000000001",
            "select": [{"aggFn": "quantile", "level": 0.95, "valueExpression": "Duration"}],
            "groupBy": "ServiceName"
        })),
    );
    latency.x = 12;
    DashboardDocument(Dashboard {
        name: "clickstack-rs quickstart".into(),
        tags: vec!["example".into()],
        tiles: vec![
            Tile::new("Read me", TileConfig::markdown("# Managed from Rust")),
            latency,
        ],
        ..Dashboard::default()
    })
}

async fn summarize(label: &str, client: &Client) -> clickstack::Result<()> {
    let dashboards = client.dashboards().list().await?;
    println!("{label}: {} dashboard(s)", dashboards.len());
    for d in &dashboards {
        let kinds: Vec<_> = d
            .tiles
            .iter()
            .map(|t| {
                t.config
                    .as_ref()
                    .and_then(|c| c.display_type())
                    .unwrap_or("?")
            })
            .collect();
        println!(
            "  - {} [{}] tiles: {}",
            d.name,
            d.id.as_deref().unwrap_or("-"),
            kinds.join(", ")
        );
    }
    let alerts: Vec<_> = Box::pin(client.alerts().stream()).try_collect().await?;
    let sources = client.sources().list().await?;
    println!(
        "{label}: {} alert(s), {} source(s)",
        alerts.len(),
        sources.len()
    );
    Ok(())
}

async fn against_real(client: Client, apply: bool) -> clickstack::Result<()> {
    println!(
        "Using the {:?} backend named by the environment",
        client.backend()
    );
    summarize("deployment", &client).await?;
    if apply {
        let applied = client.dashboards().apply(&example_document()).await?;
        println!("applied the example dashboard: {:?}", applied.action);
    } else {
        println!("(pass --apply to create or update the example dashboard)");
    }
    Ok(())
}

async fn against_fake() -> Result<(), Box<dyn std::error::Error>> {
    // Two fakes: one plays an open-source deployment, the other a Cloud service.
    let hyperdx = FakeServer::start().await?;
    let managed = FakeServer::start().await?;
    println!(
        "No backend in the environment: using embedded fakes at {} (HyperDX) and {} (Cloud)",
        hyperdx.base_url(),
        managed.base_url()
    );
    let oss = Client::oss(hyperdx.base_url(), FakeServer::API_KEY).build()?;
    let cloud = Client::cloud(
        FakeServer::CLOUD_KEY_ID,
        FakeServer::CLOUD_KEY_SECRET,
        managed.cloud_organization_id(),
        managed.cloud_service_id(),
    )
    .base_url(managed.base_url())
    .build()?;

    let document = example_document();
    let validation = oss.dashboards().validate(&document.0).await?;
    println!(
        "HyperDX validates the document: valid = {}",
        validation.valid
    );
    let first = oss.dashboards().apply(&document).await?;
    let second = oss.dashboards().apply(&document).await?;
    println!(
        "apply to HyperDX: {:?}, then {:?}",
        first.action, second.action
    );

    let id = first.dashboard.id.clone().unwrap_or_default();
    let exported = oss.dashboards().export(&id).await?;
    println!("exported document:\n{}", exported.to_json_pretty()?);
    // Moving a dashboard: the document goes to the other backend as is.
    let moved = cloud.dashboards().apply(&exported).await?;
    println!(
        "apply the export to Cloud: {:?} ({} tiles)",
        moved.action,
        moved.dashboard.tiles.len()
    );

    summarize("HyperDX", &oss).await?;
    summarize("Cloud", &cloud).await?;
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let apply = std::env::args().any(|a| a == "--apply");
    match clickstack::ClientBuilder::from_env()? {
        Some(builder) => against_real(builder.build()?, apply).await?,
        None => against_fake().await?,
    }
    Ok(())
}
