//! The facade against the stateful fake, on both backends: every resource
//! operation, pagination, dashboards-as-code, moving a dashboard between
//! backends, and retries against injected failures.

use clickstack::fake::FakeServer;
use clickstack::{
    Alert, ApplyAction, Client, Dashboard, DashboardDocument, Error, Operations, RetryPolicy,
    SavedSearch, Source, Tile, TileConfig, Webhook,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn quick() -> RetryPolicy {
    RetryPolicy {
        base_delay: std::time::Duration::from_millis(1),
        max_delay: std::time::Duration::from_millis(2),
        ..RetryPolicy::default()
    }
}

fn oss(fake: &FakeServer) -> Client {
    Client::oss(fake.base_url(), FakeServer::API_KEY)
        .retry(quick())
        .build()
        .unwrap()
}

fn cloud(fake: &FakeServer) -> Client {
    Client::cloud(
        FakeServer::CLOUD_KEY_ID,
        FakeServer::CLOUD_KEY_SECRET,
        fake.cloud_organization_id(),
        fake.cloud_service_id(),
    )
    .base_url(fake.base_url())
    .retry(quick())
    .build()
    .unwrap()
}

fn from<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).unwrap()
}

fn dashboard(name: &str) -> Dashboard {
    Dashboard {
        name: name.into(),
        tags: vec!["team-a".into()],
        tiles: vec![
            Tile::new("Notes", TileConfig::markdown("# Runbook")),
            Tile {
                x: 12,
                ..Tile::new(
                    "Errors",
                    TileConfig(json!({
                        "displayType": "number", "sourceId": "65f5e4a3b9e77c001a222222",
                        "select": [{"aggFn": "count", "valueExpression": ""}]
                    })),
                )
            },
            Tile {
                y: 4,
                ..Tile::new(
                    "From the future",
                    TileConfig(json!({"displayType": "sankey", "nodes": ["a", "b"]})),
                )
            },
        ],
        ..Dashboard::default()
    }
}

fn alert(threshold: f64) -> Alert {
    from(json!({
        "name": format!("alert {threshold}"), "threshold": threshold, "interval": "5m",
        "thresholdType": "above", "source": "saved_search", "savedSearchId": "65f5e4a3b9e77c001a333333",
        "channel": {"type": "webhook", "webhookId": "65f5e4a3b9e77c001a789012"}
    }))
}

fn source(name: &str) -> Source {
    from(json!({
        "kind": "log", "name": name, "connection": "65f5e4a3b9e77c001a222222",
        "from": {"databaseName": "default", "tableName": "otel_logs"},
        "defaultTableSelectExpression": "Timestamp, ServiceName, Body",
        "timestampValueExpression": "TimestampTime"
    }))
}

fn webhook(name: &str) -> Webhook {
    from(json!({"name": name, "service": "generic", "url": "https://example.com/hook"}))
}

fn saved_search(name: &str) -> SavedSearch {
    from(
        json!({"name": name, "sourceId": "65f5e4a3b9e77c001a333333", "where": "SeverityText:error", "whereLanguage": "lucene"}),
    )
}

/// Create, get, list, update, delete, then get fails with NotFound.
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
    assert_eq!(
        serde_json::to_value(api.get(&id).await.unwrap()).unwrap()["name"],
        serde_json::to_value(&changed).unwrap()["name"],
        "{} update kept",
        R::KIND
    );
    api.delete(&id).await.unwrap();
    let gone = api.get(&id).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "{}: {gone}", R::KIND);
}

async fn every_resource_operation(client: &Client) {
    crud(client.dashboards(), dashboard("Checkout"), |d| {
        d.name = "Checkout v2".into()
    })
    .await;
    crud(client.alerts(), alert(5.0), |a| {
        a.name = Some("renamed".into())
    })
    .await;
    crud(client.sources(), source("Logs"), |s| {
        s.name = "Logs v2".into()
    })
    .await;
    crud(client.webhooks(), webhook("Hook"), |w| {
        w.name = "Hook v2".into()
    })
    .await;
    crud(client.saved_searches(), saved_search("Errors"), |s| {
        s.name = "Errors v2".into()
    })
    .await;
}

#[tokio::test]
async fn every_resource_operation_on_hyperdx() {
    let fake = FakeServer::start().await.unwrap();
    every_resource_operation(&oss(&fake)).await;
}

#[tokio::test]
async fn every_resource_operation_on_cloud() {
    let fake = FakeServer::start().await.unwrap();
    every_resource_operation(&cloud(&fake)).await;
}

#[tokio::test]
async fn hyperdx_alerts_are_streamed_across_pages() {
    let fake = FakeServer::start().await.unwrap();
    let client = Client::oss(fake.base_url(), FakeServer::API_KEY)
        .page_size(10)
        .build()
        .unwrap();
    for i in 0..25 {
        client.alerts().create(&alert(i as f64)).await.unwrap();
    }
    let before = fake.request_count();
    let all = client.alerts().list().await.unwrap();
    assert_eq!(all.len(), 25);
    assert_eq!(all[24].threshold, Some(24.0));
    assert_eq!(fake.request_count() - before, 3, "three pages of 10");
    let page = client.alerts().page(20, 10).await.unwrap();
    assert_eq!((page.items.len(), page.total), (5, Some(25)));
}

#[tokio::test]
async fn a_dashboard_moves_from_hyperdx_to_cloud_with_all_tiles() {
    let hyperdx = FakeServer::start().await.unwrap();
    let managed = FakeServer::start().await.unwrap();
    let (from_client, to_client) = (oss(&hyperdx), cloud(&managed));
    let original = from_client
        .dashboards()
        .create(&dashboard("Moving"))
        .await
        .unwrap();
    let document = from_client
        .dashboards()
        .export(original.id.as_deref().unwrap())
        .await
        .unwrap();
    assert!(document.0.id.is_none() && document.0.tiles.iter().all(|t| t.id.is_none()));

    let applied = to_client.dashboards().apply(&document).await.unwrap();
    assert_eq!(applied.action, ApplyAction::Created);
    let moved = to_client
        .dashboards()
        .get(applied.dashboard.id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(moved.tiles.len(), 3);
    for (a, b) in original.tiles.iter().zip(&moved.tiles) {
        assert_eq!((&a.name, a.x, a.y, a.w, a.h), (&b.name, b.x, b.y, b.w, b.h));
        assert_eq!(a.config, b.config, "tile {} config", a.name);
    }
    assert_eq!(
        moved.tiles[2].config.as_ref().unwrap().0["nodes"],
        json!(["a", "b"])
    );
    assert_eq!(moved.tags, original.tags);
}

#[tokio::test]
async fn apply_is_idempotent_on_both_backends() {
    let fake = FakeServer::start().await.unwrap();
    for client in [oss(&fake), cloud(&fake)] {
        let mut document = DashboardDocument(dashboard(&format!("As code {:?}", client.backend())));
        assert_eq!(
            client.dashboards().apply(&document).await.unwrap().action,
            ApplyAction::Created
        );
        let before = fake.request_count();
        assert_eq!(
            client.dashboards().apply(&document).await.unwrap().action,
            ApplyAction::Unchanged
        );
        assert_eq!(
            fake.request_count() - before,
            1,
            "an unchanged apply only lists"
        );
        document.0.tiles[0].config = Some(TileConfig::markdown("# Changed"));
        let updated = client.dashboards().apply(&document).await.unwrap();
        assert_eq!(updated.action, ApplyAction::Updated);
        assert_eq!(
            updated.dashboard.tiles[0].config,
            document.0.tiles[0].config
        );
        let named: Vec<_> = client
            .dashboards()
            .list()
            .await
            .unwrap()
            .into_iter()
            .filter(|d| d.name == document.0.name)
            .collect();
        assert_eq!(named.len(), 1, "apply never duplicates");
    }
}

#[tokio::test]
async fn validate_on_both_backends() {
    let fake = FakeServer::start().await.unwrap();
    for client in [oss(&fake), cloud(&fake)] {
        assert!(
            client
                .dashboards()
                .validate(&dashboard("ok"))
                .await
                .unwrap()
                .valid
        );
        let verdict = client.dashboards().validate(&dashboard("")).await.unwrap();
        assert!(!verdict.valid && !verdict.errors.is_empty(), "{verdict:?}");
    }
}

#[tokio::test]
async fn retries_against_injected_failures() {
    let fake = FakeServer::start().await.unwrap();
    let client = oss(&fake);
    fake.fail_next(503, None, 2);
    let before = fake.request_count();
    client.dashboards().list().await.unwrap();
    assert_eq!(fake.request_count() - before, 3, "two 503s, then success");

    fake.fail_next(503, None, 1);
    let before = fake.request_count();
    let e = client
        .dashboards()
        .create(&dashboard("once"))
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
