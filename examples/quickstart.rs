//! The main job: manage `ClickStack` dashboards as code.
//!
//! ```text
//! cargo run --example quickstart            # against the embedded fake
//! cargo run --example quickstart -- --apply # also write to a real deployment
//! ```
//!
//! With a backend named by the environment (`CLICKSTACK_URL` and
//! `CLICKSTACK_API_KEY` for open-source `ClickStack`, or the
//! `CLICKHOUSE_CLOUD_*` variables for Managed `ClickStack`; see
//! `clickstack::env`) it lists what is there and plans the example
//! dashboard on the deployment's first log source; with `--apply` it also
//! applies it. Without a backend it starts an embedded fake of both APIs and
//! runs the whole flow: apply a dashboard to `HyperDX` twice (created, then
//! unchanged), change a tile and see the plan, export it, and move the
//! export to Cloud.

use clickstack::{
    ChartConfig, Client, Dashboard, DashboardDocument, SelectItem, Source, SourceKind, Tile,
    TileConfig,
};
use clickstack_fake::FakeServer;

/// The example dashboard, over the log source `source_id`.
fn example_document(source_id: &str) -> DashboardDocument {
    DashboardDocument::new(
        Dashboard::new("clickstack-rs quickstart")
            .tag("example")
            .tile(Tile::new(
                "Read me",
                TileConfig::markdown("# Managed from Rust"),
            ))
            .tile(
                Tile::new(
                    "Errors per service",
                    TileConfig::line(
                        ChartConfig::new(source_id)
                            .select(SelectItem::count().filter("SeverityText:error"))
                            .group_by("ServiceName"),
                    ),
                )
                .at(12, 0),
            )
            .tile(
                Tile::new(
                    "p95 duration",
                    TileConfig::number(
                        ChartConfig::new(source_id).select(SelectItem::quantile("Duration", 0.95)),
                    ),
                )
                .at(0, 4),
            ),
    )
}

/// The first log source of a deployment, or a clear error.
fn first_log_source(sources: &[Source]) -> Result<&Source, String> {
    sources
        .iter()
        .find(|s| s.kind == SourceKind::Log)
        .ok_or_else(|| {
            format!(
                "the deployment has no log source ({} source(s) of other kinds); create one in \
             ClickStack first, the example dashboard charts logs",
                sources.len()
            )
        })
}

async fn summarize(label: &str, client: &Client) -> clickstack::Result<()> {
    let dashboards = client.dashboards().list().await?;
    println!("{label}: {} dashboard(s)", dashboards.len());
    for d in &dashboards {
        let kinds: Vec<&str> = d
            .tiles()
            .iter()
            .map(|t| {
                t.config
                    .as_ref()
                    .and_then(TileConfig::display_type)
                    .unwrap_or("?")
            })
            .collect();
        println!(
            "  - {} [{}] tiles: {}",
            d.name.as_deref().unwrap_or("(no name)"),
            d.id.as_deref().unwrap_or("-"),
            kinds.join(", ")
        );
    }
    Ok(())
}

async fn against_real(client: Client, apply: bool) -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "Using the {:?} backend named by the environment",
        client.backend()
    );
    summarize("deployment", &client).await?;
    let sources = client.sources().list().await?;
    let source = first_log_source(&sources)?;
    let source_id = source.id.as_deref().ok_or("the listed source has no id")?;
    println!(
        "the example charts the log source {:?} ({source_id})",
        source.name
    );
    let document = example_document(source_id);
    if apply {
        let applied = client.dashboards().apply(&document).await?;
        println!("applied the example dashboard: {:?}", applied.action);
    } else {
        let plan = client.dashboards().plan(&document).await?;
        println!(
            "plan: {:?} ({} field change(s)); pass --apply to write it",
            plan.action,
            plan.changes.len()
        );
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
    hyperdx.seed_log_source("Logs");
    managed.seed_log_source("Logs");
    let oss = Client::oss(hyperdx.base_url(), FakeServer::API_KEY).build()?;
    let cloud = Client::cloud(
        FakeServer::CLOUD_KEY_ID,
        FakeServer::CLOUD_KEY_SECRET,
        managed.cloud_organization_id(),
        managed.cloud_service_id(),
    )
    .base_url(managed.base_url())
    .build()?;

    let oss_sources = oss.sources().list().await?;
    let source = first_log_source(&oss_sources)?;
    let mut document = example_document(source.id.as_deref().unwrap_or_default());
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

    if let Some(tile) = document.0.tiles.iter_mut().flatten().next() {
        tile.config = Some(TileConfig::markdown("# Managed from Rust, edited"));
    }
    let plan = oss.dashboards().plan(&document).await?;
    println!("after editing a tile, the plan is {:?}:", plan.action);
    for change in &plan.changes {
        println!("    {change}");
    }
    oss.dashboards().apply(&document).await?;

    let id = first.dashboard.and_then(|d| d.id).unwrap_or_default();
    let mut exported = oss.dashboards().export(&id).await?;
    println!("exported document:\n{}", exported.to_json_pretty()?);
    // Moving a dashboard: source ids differ between deployments; map them by name.
    let cloud_sources = cloud.sources().list().await?;
    let by_name = |id: &str| -> Option<String> {
        let name = &oss_sources
            .iter()
            .find(|s| s.id.as_deref() == Some(id))?
            .name;
        cloud_sources.iter().find(|s| &s.name == name)?.id.clone()
    };
    exported.0.map_source_ids(by_name);
    let moved = cloud.dashboards().apply(&exported).await?;
    println!(
        "apply the export to Cloud: {:?} ({} tiles)",
        moved.action,
        moved.dashboard.map_or(0, |d| d.tiles().len())
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
