//! The main job: `ClickStack` dashboards, saved searches and alerts as code.
//!
//! ```text
//! cargo run --example as_code            # against an embedded fake
//! cargo run --example as_code -- --apply # also write to a real deployment
//! ```
//!
//! Without a backend in the environment, it starts an embedded fake of both
//! APIs and manages a dashboard, a saved search and an alert on one of the
//! dashboard's tiles that notifies a webhook named "On call":
//!
//! 1. plans the documents on open-source `ClickStack` and applies the plan;
//! 2. plans them again: nothing to do;
//! 3. changes a tile and the alert's threshold, and shows that plan;
//! 4. saves the plan as JSON, reloads it and applies exactly that;
//! 5. exports the deployment and moves it to Managed `ClickStack`, whose
//!    source of the same name has another id.
//!
//! With a backend named by the environment (`CLICKSTACK_URL` and
//! `CLICKSTACK_API_KEY`, or the `CLICKHOUSE_CLOUD_*` variables; see
//! `clickstack::env`), it plans the same documents on the deployment's
//! first log source and its webhook "On call" (create one first), and
//! applies them only with `--apply`.

use std::collections::BTreeSet;

use clickstack::as_code::{Action, Kind, Plan, PlanOptions};
use clickstack::{
    AlertDocument, AlertInterval, ChartConfig, Client, Dashboard, DashboardDocument, Documents,
    SavedSearch, SavedSearchDocument, SelectItem, SourceKind, ThresholdType, Tile, TileConfig,
    Webhook, WebhookService,
};
use clickstack_fake::FakeServer;

type Failure = Box<dyn std::error::Error>;

/// The documents: what a repository of dashboards-as-code holds.
fn documents(source_id: &str) -> Documents {
    let dashboard = Dashboard::new("clickstack-rs example")
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
        );
    Documents {
        dashboards: vec![DashboardDocument::new(dashboard)],
        saved_searches: vec![SavedSearchDocument::new(SavedSearch::new(
            "clickstack-rs example errors",
            source_id,
            "SeverityText:error",
        ))],
        alerts: vec![
            AlertDocument::on_tile(
                "clickstack-rs example",
                "Errors per service",
                10.0,
                ThresholdType::Above,
                AlertInterval::Minutes5,
            )
            .name("clickstack-rs example error spike")
            .webhook("On call"),
        ],
        ..Documents::default()
    }
}

/// One line per step that changes something, with its field changes.
fn show(title: &str, plan: &Plan) {
    let s = plan.summary();
    println!(
        "{title}: {} to create, {} to update, {} to delete, {} unchanged",
        s.create, s.update, s.delete, s.unchanged
    );
    for step in plan.steps.iter().filter(|s| s.action != Action::Unchanged) {
        println!("  {:?} {} {:?}", step.action, step.kind, step.name);
        for change in &step.changes {
            println!("      {change}");
        }
    }
}

/// A fake deployment with a log source "Logs" and a webhook "On call".
async fn fake_deployment(fake: &FakeServer, client: &Client) -> Result<String, Failure> {
    let source = fake.seed_log_source("Logs");
    client
        .webhooks()
        .create(&Webhook::new(
            "On call",
            WebhookService::Slack,
            "https://hooks.slack.com/services/T000/B000/XXXX",
        ))
        .await?;
    Ok(source)
}

async fn against_fakes() -> Result<(), Failure> {
    let hyperdx = FakeServer::start().await?;
    let managed = FakeServer::start().await?;
    println!(
        "No backend in the environment: embedded fakes at {} (HyperDX) and {} (Cloud)\n",
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
    let source = fake_deployment(&hyperdx, &oss).await?;
    let mut docs = documents(&source);
    let options = PlanOptions::default();

    let plan = oss.plan(&docs, &options).await?;
    show("1. plan on HyperDX", &plan);
    let report = oss.apply(&plan).await?;
    println!(
        "   applied: {:?} (created, updated, deleted)\n",
        report.counts()
    );

    show(
        "2. the same documents again",
        &oss.plan(&docs, &options).await?,
    );

    docs.dashboards[0].0.tiles_mut()[0].config =
        Some(TileConfig::markdown("# Managed from Rust, edited"));
    docs.alerts[0].alert.threshold = Some(clickstack::Number(25.0));
    let plan = oss.plan(&docs, &options).await?;
    show("\n3. after a change", &plan);

    let saved = plan.to_json()?;
    let reloaded = Plan::from_json(&saved)?;
    let report = oss.apply(&reloaded).await?;
    println!(
        "\n4. the saved plan ({} bytes of JSON), reloaded and applied: {:?}",
        saved.len(),
        report.counts()
    );

    let cloud_source = fake_deployment(&managed, &cloud).await?;
    let exported = oss
        .export(&BTreeSet::from(Kind::DOCUMENTS), &Default::default())
        .await?;
    let plan = cloud.plan(&exported.documents, &options).await?;
    show("\n5. the export, planned on Cloud", &plan);
    cloud.apply(&plan).await?;
    let moved = &cloud.dashboards().list().await?[0];
    println!(
        "   moved: {:?} reads source {:?} on Cloud (it was {source:?} on HyperDX)",
        moved.name.as_deref().unwrap_or_default(),
        moved.source_ids().first().map_or("", |s| s.as_str())
    );
    assert_eq!(moved.source_ids(), [cloud_source]);
    show(
        "   and again on Cloud",
        &cloud.plan(&exported.documents, &options).await?,
    );
    Ok(())
}

async fn against(client: &Client, apply: bool) -> Result<(), Failure> {
    println!(
        "Using the {:?} backend named by the environment",
        client.backend()
    );
    let listing = client.sources().list().await?;
    let source = listing
        .iter()
        .find(|s| s.kind == SourceKind::Log)
        .ok_or("the deployment has no log source: create one in ClickStack first")?;
    let source_id = source.id.as_deref().ok_or("the listed source has no id")?;
    println!(
        "the example reads the log source {:?} ({source_id})",
        source.name
    );
    let plan = client
        .plan(&documents(source_id), &PlanOptions::default())
        .await?;
    show("plan", &plan);
    if apply {
        println!("applied: {:?}", client.apply(&plan).await?.counts());
    } else if plan.has_changes() {
        println!("pass --apply to write it");
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let apply = std::env::args().any(|a| a == "--apply");
    match clickstack::ClientBuilder::from_env()? {
        Some(builder) => against(&builder.build()?, apply).await,
        None => against_fakes().await,
    }
}
