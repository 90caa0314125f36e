//! Everything as code against the stateful fake, on both backends: a
//! dashboard, a saved search and an alert on a tile with a webhook named;
//! a second plan that is empty; a change; a move to the other backend;
//! saved plans applied later, and refused when the target moved.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use clickstack::as_code::{Action, ApplyError, Kind, Plan, PlanOptions, PlanningError, Problem};
use clickstack::{
    AlertDocument, AlertInterval, ChartConfig, Client, Dashboard, DashboardDocument, Documents,
    SavedSearch, SavedSearchDocument, SelectItem, ThresholdType, Tile, TileConfig, Webhook,
    WebhookService,
};
use clickstack_fake::FakeServer;
use common::{cloud, oss};

mod common;

/// A target with a log source and the webhook alerts notify.
async fn target(fake: &FakeServer, client: &Client) -> String {
    let source = fake.seed_log_source("Logs");
    client
        .webhooks()
        .create(&Webhook::new(
            "On call",
            WebhookService::Slack,
            "https://hooks.slack.com/services/T000/B000/XXXX",
        ))
        .await
        .unwrap();
    source
}

fn documents(source: &str) -> Documents {
    Documents {
        dashboards: vec![DashboardDocument::new(
            Dashboard::new("Service health")
                .tag("prod")
                .tile(Tile::new("Notes", TileConfig::markdown("# Runbook")))
                .tile(
                    Tile::new(
                        "Errors",
                        TileConfig::line(
                            ChartConfig::new(source)
                                .select(SelectItem::count().filter("level:error")),
                        ),
                    )
                    .at(12, 0),
                ),
        )],
        saved_searches: vec![SavedSearchDocument::new(SavedSearch::new(
            "Checkout errors",
            source,
            "service:checkout level:error",
        ))],
        alerts: vec![
            AlertDocument::on_tile(
                "Service health",
                "Errors",
                5.0,
                ThresholdType::Above,
                AlertInterval::Minutes5,
            )
            .name("Error spike")
            .webhook("On call"),
            AlertDocument::on_saved_search(
                "Checkout errors",
                10.0,
                ThresholdType::Above,
                AlertInterval::Minutes15,
            )
            .name("Checkout failing")
            .webhook("On call"),
        ],
        ..Documents::default()
    }
}

fn actions(plan: &Plan) -> Vec<(Kind, &str, Action)> {
    plan.steps
        .iter()
        .map(|s| (s.kind, s.name.as_str(), s.action))
        .collect()
}

#[tokio::test]
async fn plan_apply_plan_again_change_and_move_on_both_backends() {
    for cloud_first in [false, true] {
        let fake = FakeServer::start().await.unwrap();
        let client = if cloud_first {
            cloud(&fake)
        } else {
            oss(&fake)
        };
        let source = target(&fake, &client).await;
        let documents = documents(&source);
        let options = PlanOptions::default();

        let plan = client.plan(&documents, &options).await.unwrap();
        assert!(
            plan.steps.iter().all(|s| s.action == Action::Create),
            "{plan:#?}"
        );
        let writes = fake.writes().total();
        let report = client.apply(&plan).await.unwrap();
        assert_eq!(report.counts(), (4, 0, 0));
        assert_eq!(
            fake.writes().total() - writes,
            4,
            "exactly the plan's writes"
        );
        // The alert watches the tile named in its document.
        let dashboard = &client.dashboards().list().await.unwrap()[0];
        let errors = dashboard.tile_named("Errors").unwrap().id.clone();
        let alerts = client.alerts().list().await.unwrap();
        let spike = alerts
            .iter()
            .find(|a| a.name.value().map(String::as_str) == Some("Error spike"))
            .unwrap();
        assert_eq!(spike.tile_id.value(), errors.as_ref());
        assert_eq!(spike.dashboard_id.value(), dashboard.id.as_ref());

        // A second plan of the same documents is empty; applying it sends
        // nothing.
        let again = client.plan(&documents, &options).await.unwrap();
        assert!(!again.has_changes(), "{:#?}", again.steps);
        let writes = fake.writes().total();
        client.apply(&again).await.unwrap();
        assert_eq!(fake.writes().total(), writes);

        // A change: the tile's threshold alert and the dashboard's notes.
        let mut changed = documents.clone();
        changed.dashboards[0].0.tiles_mut()[0].config = Some(TileConfig::markdown("# Runbook v2"));
        changed.alerts[0].alert.threshold = Some(clickstack::Number(8.0));
        let plan = client.plan(&changed, &options).await.unwrap();
        let updates: Vec<_> = actions(&plan)
            .into_iter()
            .filter(|a| a.2 == Action::Update)
            .collect();
        assert_eq!(
            updates,
            [
                (Kind::Dashboard, "Service health", Action::Update),
                (Kind::Alert, "Error spike", Action::Update),
            ]
        );
        client.apply(&plan).await.unwrap();
        assert!(!client.plan(&changed, &options).await.unwrap().has_changes());
        // The tile kept its id, so the alert stayed on it.
        let dashboard = &client.dashboards().list().await.unwrap()[0];
        assert_eq!(dashboard.tile_named("Errors").unwrap().id, errors);

        // The move: export, then plan and apply on the other backend,
        // whose source of the same name has another id.
        let kinds = BTreeSet::from(Kind::DOCUMENTS);
        let exported = client.export(&kinds, &Default::default()).await.unwrap();
        assert!(exported.warnings.is_empty(), "{:?}", exported.warnings);
        assert_eq!(exported.documents.len(), 4);
        assert_eq!(
            exported.documents.alerts[0].dashboard.as_deref(),
            Some("Service health")
        );
        let moved_fake = FakeServer::start().await.unwrap();
        let moved_client = if cloud_first {
            oss(&moved_fake)
        } else {
            cloud(&moved_fake)
        };
        let moved_source = target(&moved_fake, &moved_client).await;
        let plan = moved_client
            .plan(&exported.documents, &options)
            .await
            .unwrap();
        moved_client.apply(&plan).await.unwrap();
        let moved = &moved_client.dashboards().list().await.unwrap()[0];
        assert_eq!(moved.source_ids(), [moved_source]);
        assert!(
            !moved_client
                .plan(&exported.documents, &options)
                .await
                .unwrap()
                .has_changes()
        );
    }
}

#[tokio::test]
async fn a_saved_plan_applies_exactly_and_a_stale_one_writes_nothing() {
    let fake = FakeServer::start().await.unwrap();
    let client = oss(&fake);
    let source = target(&fake, &client).await;
    let documents = documents(&source);
    client
        .apply(
            &client
                .plan(&documents, &PlanOptions::default())
                .await
                .unwrap(),
        )
        .await
        .unwrap();

    // Plan a change and save it, as `plan --out` on a pull request does.
    let mut changed = documents.clone();
    changed.alerts[1].alert.threshold = Some(clickstack::Number(20.0));
    let saved = client
        .plan(&changed, &PlanOptions::default())
        .await
        .unwrap()
        .to_json()
        .unwrap();

    // Someone edits the alert in the UI before the merge.
    let alert = client
        .alerts()
        .list()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name.value().map(String::as_str) == Some("Checkout failing"))
        .unwrap();
    let mut edited = alert.clone();
    edited.note = clickstack::Field::Value("handled by the payments team".into());
    client
        .alerts()
        .update(alert.id.as_deref().unwrap(), &edited)
        .await
        .unwrap();

    let writes = fake.writes().total();
    let reloaded = Plan::from_json(&saved).unwrap();
    match client.apply(&reloaded).await {
        Err(ApplyError::Stale { moved }) => {
            assert_eq!(moved.len(), 1, "{moved:?}");
            assert_eq!(
                (moved[0].kind, moved[0].name.as_str()),
                (Kind::Alert, "Checkout failing")
            );
            assert!(
                moved[0].to_string().contains("changed since the plan"),
                "{}",
                moved[0]
            );
        }
        other => panic!("expected a stale plan, got {other:?}"),
    }
    assert_eq!(fake.writes().total(), writes, "a stale plan writes nothing");

    // Planned again, it applies; a dashboard created since a plan that
    // creates one is refused too.
    let fresh = client
        .plan(&changed, &PlanOptions::default())
        .await
        .unwrap();
    client.apply(&fresh).await.unwrap();
    let mut more = changed.clone();
    more.dashboards
        .push(DashboardDocument::new(Dashboard::new("Latency")));
    let creating = client.plan(&more, &PlanOptions::default()).await.unwrap();
    client
        .dashboards()
        .create(&Dashboard::new("Latency"))
        .await
        .unwrap();
    let writes = fake.writes().total();
    let err = client.apply(&creating).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("was created on the target since the plan"),
        "{err}"
    );
    assert_eq!(fake.writes().total(), writes);

    // A plan is for the target it was made for.
    let elsewhere = FakeServer::start().await.unwrap();
    let err = oss(&elsewhere).apply(&fresh).await.unwrap_err();
    assert!(matches!(err, ApplyError::WrongTarget { .. }), "{err}");
}

#[tokio::test]
async fn problems_stop_the_plan_and_pruning_deletes_what_no_document_describes() {
    let fake = FakeServer::start().await.unwrap();
    let client = cloud(&fake);
    let source = target(&fake, &client).await;
    let documents = documents(&source);
    client
        .apply(
            &client
                .plan(&documents, &PlanOptions::default())
                .await
                .unwrap(),
        )
        .await
        .unwrap();

    // An alert on a tile the dashboard will no longer have.
    let mut broken = documents.clone();
    broken.dashboards[0].0.tiles_mut().pop();
    let writes = fake.writes().total();
    match client.plan(&broken, &PlanOptions::default()).await {
        Err(PlanningError::Problems(e)) => assert!(
            matches!(&e.problems[0], Problem::MissingTile { tile, .. } if tile == "Errors"),
            "{e}"
        ),
        other => panic!("expected problems, got {other:?}"),
    }
    assert_eq!(fake.writes().total(), writes);

    // Pruning alerts: the one no document describes goes, first.
    let mut fewer = documents.clone();
    fewer.alerts.remove(1);
    let plan = client
        .plan(&fewer, &PlanOptions::prune([Kind::Alert]))
        .await
        .unwrap();
    assert_eq!(
        actions(&plan)
            .into_iter()
            .filter(|a| a.2 == Action::Delete)
            .collect::<Vec<_>>(),
        [(Kind::Alert, "Checkout failing", Action::Delete)]
    );
    assert_eq!(client.apply(&plan).await.unwrap().counts(), (0, 0, 1));
    assert_eq!(client.alerts().list().await.unwrap().len(), 1);
    // Without pruning, nothing is deleted.
    assert!(
        !client
            .plan(&fewer, &PlanOptions::default())
            .await
            .unwrap()
            .has_changes()
    );
}
