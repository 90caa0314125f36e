//! The facade against the stateful fake (which behaves like the real
//! servers: see `clickstack-fake`), on both backends: every resource
//! operation, pagination, dashboards-as-code (idempotent apply of a
//! hand-written document, plans, dry runs, clears, bulk apply), moving a
//! dashboard between backends, and retries against injected failures.

// Test helpers unwrap as the tests do (clippy.toml's allow-unwrap-in-tests
// covers `#[test]` functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use clickstack::{
    Action, AggFn, Alert, AlertChannel, AlertInterval, ApplyOptions, ChartConfig, Client,
    Dashboard, DashboardDocument, Error, Field, Filter, Operations, SavedSearch, SelectItem,
    Source, ThresholdType, Tile, TileConfig, Webhook, WebhookService,
};
use clickstack_fake::FakeServer;
use common::{cloud, oss};
use serde_json::json;

mod common;

/// A hand-written document, the way a user writes one: a `count` select
/// without `valueExpression` or `whereLanguage` (the server fills both in).
fn dashboard(name: &str, source_id: &str) -> Dashboard {
    Dashboard::new(name)
        .tag("team-a")
        .tile(Tile::new("Notes", TileConfig::markdown("# Runbook")))
        .tile(
            Tile::new(
                "Errors",
                TileConfig::number(
                    ChartConfig::new(source_id).select(SelectItem::count().filter("level:error")),
                ),
            )
            .at(12, 0)
            .description("5xx and worse"),
        )
        .tile(
            Tile::new(
                "p95 latency",
                TileConfig::line(
                    ChartConfig::new(source_id)
                        .select(SelectItem::new(AggFn::Quantile, "Duration").alias("p95"))
                        .group_by("ServiceName")
                        .formula("series_0 / 1000"),
                ),
            )
            .at(0, 4),
        )
}

fn source(name: &str) -> Source {
    serde_json::from_value(json!({
        "kind": "log", "name": name, "connection": FakeServer::DEFAULT_CONNECTION_ID,
        "from": {"databaseName": "default", "tableName": "otel_logs"},
        "defaultTableSelectExpression": "Timestamp, ServiceName, Body",
        "timestampValueExpression": "TimestampTime"
    }))
    .unwrap()
}

/// Create, get, list, update, delete, then get fails with `NotFound`.
async fn crud<R, F>(api: clickstack::Resources<'_, R>, item: R, rename: F)
where
    R: Operations + std::fmt::Debug,
    F: Fn(&mut R),
{
    let created = api.create(&item).await.unwrap();
    let id = created.id().expect("the server assigns an id").to_string();
    let listed = api.list().await.unwrap();
    assert!(
        listed.iter().any(|r| r.id() == Some(&id)),
        "{} not listed",
        R::KIND
    );
    let fetched = api.get(&id).await.unwrap();
    assert_eq!(fetched.id(), Some(id.as_str()));
    let mut changed = fetched.clone();
    rename(&mut changed);
    let updated = api.update(&id, &changed).await.unwrap();
    assert_eq!(updated.id(), Some(id.as_str()));
    assert_eq!(updated.name(), changed.name(), "{} update kept", R::KIND);
    api.delete(&id).await.unwrap();
    let gone = api.get(&id).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "{}: {gone}", R::KIND);
}

async fn every_resource_operation(fake: &FakeServer, client: &Client) {
    let source_id = fake.seed_log_source(&format!("Logs {:?}", client.backend()));
    crud(
        client.dashboards(),
        dashboard("Checkout", &source_id),
        |d| d.name = Some("Checkout v2".into()),
    )
    .await;
    crud(client.sources(), source("Logs copy"), |s| {
        s.name = "Logs copy v2".into();
    })
    .await;
    crud(
        client.webhooks(),
        Webhook::new("Hook", WebhookService::Generic, "https://example.com/hook"),
        |w| w.name = "Hook v2".into(),
    )
    .await;
    crud(
        client.saved_searches(),
        SavedSearch::new("Errors", &source_id, "level:error"),
        |s| s.name = "Errors v2".into(),
    )
    .await;
    let search = client
        .saved_searches()
        .create(&SavedSearch::new("For alerts", &source_id, "x"))
        .await
        .unwrap();
    let hook = client
        .webhooks()
        .create(&Webhook::new(
            "Alerts",
            WebhookService::Generic,
            "https://example.com/alerts",
        ))
        .await
        .unwrap();
    let alert = Alert::on_saved_search(
        search.id.unwrap(),
        5.0,
        ThresholdType::Above,
        AlertInterval::Minutes5,
    )
    .name("errors")
    .channel(AlertChannel::webhook(hook.id.unwrap()));
    crud(client.alerts(), alert, |a| {
        a.name = Field::Value("renamed".into());
    })
    .await;
}

#[tokio::test]
async fn every_resource_operation_on_hyperdx() {
    let fake = FakeServer::start().await.unwrap();
    every_resource_operation(&fake, &oss(&fake)).await;
}

#[tokio::test]
async fn every_resource_operation_on_cloud() {
    let fake = FakeServer::start().await.unwrap();
    every_resource_operation(&fake, &cloud(&fake)).await;
}

#[tokio::test]
async fn alerts_are_streamed_across_pages_on_both_backends() {
    let fake = FakeServer::start().await.unwrap();
    let source_id = fake.seed_log_source("Logs");
    let setup = oss(&fake);
    let search = setup
        .saved_searches()
        .create(&SavedSearch::new("s", &source_id, "x"))
        .await
        .unwrap();
    let hook = setup
        .webhooks()
        .create(&Webhook::new(
            "h",
            WebhookService::Generic,
            "https://example.com/h",
        ))
        .await
        .unwrap();
    for i in 0..25 {
        let alert = Alert::on_saved_search(
            search.id.clone().unwrap(),
            f64::from(i),
            ThresholdType::Above,
            AlertInterval::Minutes5,
        )
        .channel(AlertChannel::webhook(hook.id.clone().unwrap()));
        setup.alerts().create(&alert).await.unwrap();
    }
    for client in [
        Client::oss(fake.base_url(), FakeServer::API_KEY)
            .page_size(10)
            .config(|c| c.rate_limit(None))
            .build()
            .unwrap(),
        Client::cloud(
            FakeServer::CLOUD_KEY_ID,
            FakeServer::CLOUD_KEY_SECRET,
            fake.cloud_organization_id(),
            fake.cloud_service_id(),
        )
        .base_url(fake.base_url())
        .page_size(10)
        .config(|c| c.rate_limit(None))
        .build()
        .unwrap(),
    ] {
        let before = fake.request_count();
        let all = client.alerts().list().await.unwrap();
        assert_eq!(all.len(), 25);
        assert_eq!(all[24].threshold, Some(clickstack::Number(24.0)));
        assert_eq!(
            fake.request_count() - before,
            3,
            "three pages of 10 ({:?})",
            client.backend()
        );
        let page = client.alerts().page(20, 10).await.unwrap();
        assert_eq!(page.items.len(), 5);
    }
}

#[tokio::test]
async fn a_dashboard_moves_from_hyperdx_to_cloud_intact() {
    let hyperdx = FakeServer::start().await.unwrap();
    let managed = FakeServer::start().await.unwrap();
    let (from_client, to_client) = (oss(&hyperdx), cloud(&managed));
    let old_source = hyperdx.seed_log_source("Logs");
    let new_source = managed.seed_log_source("Logs");
    let original = from_client
        .dashboards()
        .create(&dashboard("Moving", &old_source))
        .await
        .unwrap();
    let mut document = from_client
        .dashboards()
        .export(original.id.as_deref().unwrap())
        .await
        .unwrap();
    assert!(document.0.id.is_none() && document.0.tiles().iter().all(|t| t.id.is_none()));
    // Source ids differ between deployments: map them (by name, as the CLI does).
    document
        .0
        .map_source_ids(|id| (id == old_source).then(|| new_source.clone()));

    let applied = to_client.dashboards().apply(&document).await.unwrap();
    assert_eq!(applied.action, Action::Create);
    let moved = to_client
        .dashboards()
        .get(applied.dashboard.unwrap().id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(moved.tiles().len(), 3);
    for (a, b) in document.0.tiles().iter().zip(moved.tiles()) {
        assert_eq!(
            (&a.name, a.x, a.y, a.w, a.h, &a.description),
            (&b.name, b.x, b.y, b.w, b.h, &b.description)
        );
        assert_eq!(
            a.config.as_ref().and_then(TileConfig::display_type),
            b.config.as_ref().and_then(TileConfig::display_type)
        );
    }
    let formulas = moved.tiles()[2]
        .config
        .as_ref()
        .and_then(TileConfig::chart)
        .and_then(|c| c.formulas.clone());
    assert_eq!(formulas.unwrap()[0].expression, "series_0 / 1000");
    assert_eq!(moved.source_ids(), vec![new_source.clone()]);
    // Applying the export again on the target sends nothing.
    let before = managed.writes();
    assert_eq!(
        to_client
            .dashboards()
            .apply(&document)
            .await
            .unwrap()
            .action,
        Action::Unchanged
    );
    assert_eq!(managed.writes(), before);
}

#[tokio::test]
async fn a_hand_written_document_applies_once_on_both_backends() {
    let fake = FakeServer::start().await.unwrap();
    let source_id = fake.seed_log_source("Logs");
    for client in [oss(&fake), cloud(&fake)] {
        let mut document = DashboardDocument::new(dashboard(
            &format!("As code {:?}", client.backend()),
            &source_id,
        ));
        let created = client.dashboards().apply(&document).await.unwrap();
        assert_eq!(created.action, Action::Create);
        assert!(!created.changes.is_empty());
        let writes = fake.writes();
        let again = client.dashboards().apply(&document).await.unwrap();
        assert_eq!(again.action, Action::Unchanged, "{:#?}", again.changes);
        assert_eq!(fake.writes(), writes, "a second apply sends no write");

        document.0.tiles_mut()[0].config = Some(TileConfig::markdown("# Changed"));
        let planned = client.dashboards().plan(&document).await.unwrap();
        assert_eq!(planned.action, Action::Update);
        assert!(planned.dry_run);
        let paths: Vec<&str> = planned.changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["tiles[0].config.markdown"]);
        assert_eq!(fake.writes(), writes, "a dry run sends no write");

        let updated = client.dashboards().apply(&document).await.unwrap();
        assert_eq!(updated.action, Action::Update);
        let stored = updated.dashboard.unwrap();
        assert_eq!(stored.tiles()[0].config, document.0.tiles()[0].config);
        assert_eq!(
            client.dashboards().apply(&document).await.unwrap().action,
            Action::Unchanged
        );
        let named = client
            .dashboards()
            .list()
            .await
            .unwrap()
            .into_iter()
            .filter(|d| d.name == document.0.name)
            .count();
        assert_eq!(named, 1, "apply never duplicates");
    }
}

#[tokio::test]
async fn clears_reach_the_server() {
    let fake = FakeServer::start().await.unwrap();
    let source_id = fake.seed_log_source("Logs");
    let client = oss(&fake);
    // A dashboard with filters, a saved query and a container.
    let mut full = dashboard("Clearable", &source_id).filter(Filter::query_expression(
        "Service",
        "ServiceName",
        &source_id,
    ));
    full.saved_query = Field::Value("level:error".into());
    let created = client.dashboards().create(&full).await.unwrap();
    let id = created.id.clone().unwrap();
    assert_eq!(created.filters.as_ref().map(Vec::len), Some(1));

    // `update` with absent fields keeps them (a dashboard PUT keeps what it omits)...
    let mut keep = created.clone();
    keep.filters = None;
    keep.saved_query = Field::Absent;
    let kept = client.dashboards().update(&id, &keep).await.unwrap();
    assert_eq!(kept.filters.as_ref().map(Vec::len), Some(1));
    assert_eq!(kept.saved_query, Field::Value("level:error".into()));
    // ...and explicit clears clear them.
    let mut clear = kept.clone();
    clear.filters = Some(Vec::new());
    clear.saved_query = Field::Null;
    let cleared = client.dashboards().update(&id, &clear).await.unwrap();
    assert!(
        cleared.filters.as_ref().is_none_or(Vec::is_empty),
        "{:?}",
        cleared.filters
    );
    assert!(
        cleared.saved_query.value().is_none(),
        "{:?}",
        cleared.saved_query
    );

    // apply: the document is the whole desired state; what it leaves out is cleared.
    client.dashboards().update(&id, &kept).await.unwrap();
    let document = DashboardDocument::new(dashboard("Clearable", &source_id));
    assert_eq!(
        client.dashboards().apply(&document).await.unwrap().action,
        Action::Update
    );
    let applied = client.dashboards().get(&id).await.unwrap();
    assert!(applied.filters.as_ref().is_none_or(Vec::is_empty));
    assert!(applied.saved_query.value().is_none());

    // Webhook headers (never returned by the server) clear with an empty map.
    let mut hook = Webhook::new(
        "With headers",
        WebhookService::Generic,
        "https://example.com/h",
    );
    hook.headers = Some([("X-Team".to_string(), "a".to_string())].into());
    let hook = client.webhooks().create(&hook).await.unwrap();
    let hook_id = hook.id.clone().unwrap();
    assert_eq!(
        fake.stored_webhook(&hook_id).unwrap()["headers"],
        json!({"X-Team": "a"})
    );
    let mut no_headers = hook.clone();
    no_headers.headers = Some(Default::default());
    client
        .webhooks()
        .update(&hook_id, &no_headers)
        .await
        .unwrap();
    let stored = fake.stored_webhook(&hook_id).unwrap();
    assert!(
        stored.get("headers").is_none_or(|h| h == &json!({})),
        "{stored}"
    );

    // An alert update replaces the whole alert: a note left out is cleared.
    let search = client
        .saved_searches()
        .create(&SavedSearch::new("s", &source_id, "x"))
        .await
        .unwrap();
    let alert = Alert::on_saved_search(
        search.id.unwrap(),
        1.0,
        ThresholdType::Above,
        AlertInterval::Minute1,
    )
    .channel(AlertChannel::webhook(hook_id));
    let mut with_note = alert.clone();
    with_note.note = Field::Value("call Bob".into());
    let created = client.alerts().create(&with_note).await.unwrap();
    let updated = client
        .alerts()
        .update(created.id.as_deref().unwrap(), &alert)
        .await
        .unwrap();
    assert!(updated.note.value().is_none(), "{:?}", updated.note);
}

#[tokio::test]
async fn bulk_apply_reads_each_list_once_and_writes_only_changes() {
    let fake = FakeServer::start().await.unwrap();
    let source_id = fake.seed_log_source("Logs");
    let client = cloud(&fake);
    let documents: Vec<DashboardDocument> = (0..10)
        .map(|i| DashboardDocument::new(dashboard(&format!("Bulk {i}"), &source_id)))
        .collect();
    let before = fake.request_count();
    let first = client
        .dashboards()
        .apply_all(&documents, ApplyOptions::default())
        .await
        .unwrap();
    assert!(first.iter().all(|a| a.action == Action::Create));
    // Sources and dashboards listed to plan, dashboards listed again to
    // check that the plan still holds, then the writes.
    assert_eq!(
        fake.request_count() - before,
        3 + 10,
        "three lists, ten creates"
    );
    let mut changed = documents.clone();
    changed[3].0.tiles_mut()[0].config = Some(TileConfig::markdown("# New"));
    let before = fake.request_count();
    let second = client
        .dashboards()
        .apply_all(&changed, ApplyOptions::default())
        .await
        .unwrap();
    let updated = second.iter().filter(|a| a.action == Action::Update).count();
    assert_eq!(updated, 1);
    assert_eq!(
        fake.request_count() - before,
        3 + 1,
        "three lists, one update"
    );
    // A dry run reads and writes nothing.
    let before = fake.request_count();
    let planned = client
        .dashboards()
        .apply_all(&documents, ApplyOptions { dry_run: true })
        .await
        .unwrap();
    assert_eq!(
        planned
            .iter()
            .filter(|a| a.action == Action::Update)
            .count(),
        1
    );
    assert_eq!(fake.request_count() - before, 2, "two lists, no write");
}

#[tokio::test]
async fn validate_on_both_backends() {
    let fake = FakeServer::start().await.unwrap();
    let source_id = fake.seed_log_source("Logs");
    for client in [oss(&fake), cloud(&fake)] {
        assert!(
            client
                .dashboards()
                .validate(&dashboard("ok", &source_id))
                .await
                .unwrap()
                .valid
        );
        let mut bad = dashboard("bad", &source_id);
        bad.tiles_mut()[0].w = 0;
        let verdict = client.dashboards().validate(&bad).await.unwrap();
        assert!(!verdict.valid && !verdict.errors.is_empty(), "{verdict:?}");
    }
}

#[tokio::test]
async fn retries_against_injected_failures() {
    let fake = FakeServer::start().await.unwrap();
    let source_id = fake.seed_log_source("Logs");
    let client = oss(&fake);
    fake.fail_next(503, None, 2);
    let before = fake.request_count();
    client.dashboards().list().await.unwrap();
    assert_eq!(fake.request_count() - before, 3, "two 503s, then success");

    fake.fail_next(503, None, 1);
    let before = fake.request_count();
    let e = client
        .dashboards()
        .create(&dashboard("once", &source_id))
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert_eq!(fake.request_count() - before, 1, "a POST is sent once");
    assert!(
        client.dashboards().list().await.unwrap().is_empty(),
        "nothing was created"
    );

    let cloud_client = cloud(&fake);
    fake.fail_next(429, Some("0"), 1);
    assert!(cloud_client.dashboards().list().await.is_ok());
}

#[tokio::test]
async fn unknown_routes_and_bad_credentials_on_the_fake() {
    let fake = FakeServer::start().await.unwrap();
    let wrong = Client::oss(fake.base_url(), "wrong").build().unwrap();
    assert!(matches!(
        wrong.dashboards().list().await.unwrap_err(),
        Error::Unauthorized(_)
    ));
    let elsewhere = Client::cloud(
        FakeServer::CLOUD_KEY_ID,
        FakeServer::CLOUD_KEY_SECRET,
        fake.cloud_organization_id(),
        fake.cloud_service_id(),
    )
    .base_url(format!("{}/not-the-api", fake.base_url()))
    .build()
    .unwrap();
    let e = elsewhere.dashboards().list().await.unwrap_err();
    assert!(matches!(e, Error::UnknownRoute(_)), "{e:?}");
}

#[tokio::test]
async fn facade_calls_run_inside_spawned_tasks() {
    // Every facade future is `Send`: a cloned client works from
    // `tokio::spawn`, for lists, streams and applies alike.
    let fake = FakeServer::start().await.unwrap();
    let source_id = fake.seed_log_source("Logs");
    let client = oss(&fake);
    let document = DashboardDocument::new(
        Dashboard::new("spawned").tile(Tile::new("n", TileConfig::markdown("x"))),
    );
    let applier = client.clone();
    let applied = tokio::spawn(async move { applier.dashboards().apply(&document).await })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(applied.action, Action::Create);
    let lister = client.clone();
    let names = tokio::spawn(async move {
        use futures_util::TryStreamExt;
        let mut names = Vec::new();
        let mut stream = lister.dashboards().stream();
        while let Some(dashboard) = stream.try_next().await? {
            names.push(dashboard.name);
        }
        Ok::<_, Error>(names)
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(names, vec![Some("spawned".to_string())]);
    let sources = tokio::spawn(async move { client.sources().list().await })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sources[0].id.as_deref(), Some(source_id.as_str()));
}

#[tokio::test]
async fn chart_series_counts_sent_as_strings_decode_as_numbers() {
    // HyperDX returns 64-bit integer results (counts) as JSON strings; the
    // declared fix `oss-series-values-as-strings` makes them
    // `clickstack::Number`s.
    let fake = FakeServer::start().await.unwrap();
    let source_id = fake.seed_log_source("Logs");
    let client = oss(&fake);
    let start = 1_767_225_600_000_u64;
    let request: clickstack::oss::types::SeriesQueryRequest = serde_json::from_value(json!({
        "series": [
            {"sourceId": source_id, "aggFn": "count", "where": "", "groupBy": []},
            {"sourceId": source_id, "aggFn": "avg", "field": "Duration", "where": "", "groupBy": []},
        ],
        "startTime": start, "endTime": start + 3 * 3_600_000, "granularity": "1h",
    }))
    .unwrap();
    let series = client
        .oss_client()
        .unwrap()
        .query_chart_series(&request)
        .await
        .unwrap()
        .into_inner();
    let points = series.data.unwrap();
    assert_eq!(points.len(), 3);
    assert_eq!(points[0].series_0_data, Some(clickstack::Number(1.0))); // sent as "1"
    assert_eq!(points[1].series_0_data, Some(clickstack::Number(2.0))); // sent as "2"
    assert_eq!(points[0].series_1_data, Some(clickstack::Number(3.0))); // sent as 3.0
    #[allow(clippy::cast_precision_loss)]
    let bucket = clickstack::Number(start as f64);
    assert_eq!(points[0].ts_bucket, Some(bucket));
}
