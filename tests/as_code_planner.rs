//! The planner as a pure function: documents and a hand-made state in, a
//! plan (or every problem) out. No server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use clickstack::as_code::{
    Action, AfterWrites, Expect, Kind, Plan, PlanOptions, Problem, SourceRef, State, Write, plan,
};
use clickstack::runtime::{Redactor, UndecodableItem};
use clickstack::{
    AlertDocument, AlertInterval, BackendKind, ChartConfig, Dashboard, DashboardDocument,
    Documents, OnClick, SavedSearch, SavedSearchDocument, SelectItem, Source, SourceKind,
    ThresholdType, Tile, TileConfig, Webhook, WebhookService,
};
use serde_json::json;

const SOURCE: &str = "65f5e4a3b9e77c001a111111";

fn source(id: &str, name: &str) -> Source {
    serde_json::from_value(json!({
        "id": id, "name": name, "kind": "log", "connection": "c1",
        "from": {"databaseName": "default", "tableName": "otel_logs"}
    }))
    .unwrap()
}

fn webhook(id: &str, name: &str) -> Webhook {
    let mut webhook = Webhook::new(name, WebhookService::Slack, "https://hooks.example/x");
    webhook.id = Some(id.into());
    webhook.updated_at = Some("2026-11-01T00:00:00Z".into());
    webhook
}

fn health(source: &str) -> Dashboard {
    Dashboard::new("Service health")
        .tile(Tile::new("Notes", TileConfig::markdown("# Runbook")))
        .tile(
            Tile::new(
                "Errors",
                TileConfig::line(ChartConfig::new(source).select(SelectItem::count())),
            )
            .at(12, 0),
        )
}

fn spike() -> AlertDocument {
    AlertDocument::on_tile(
        "Service health",
        "Errors",
        5.0,
        ThresholdType::Above,
        AlertInterval::Minutes5,
    )
    .name("Error spike")
    .webhook("On call")
}

fn empty_target() -> State {
    let mut state = State::empty(BackendKind::Oss, "http://hyperdx:8000");
    state.sources.items.push(source(SOURCE, "Logs"));
    state.webhooks.items.push(webhook("w1", "On call"));
    state
}

fn documents() -> Documents {
    Documents {
        dashboards: vec![DashboardDocument::new(health(SOURCE))],
        saved_searches: vec![SavedSearchDocument::new(SavedSearch::new(
            "Checkout errors",
            SOURCE,
            "level:error",
        ))],
        alerts: vec![spike()],
        ..Documents::default()
    }
}

/// The target as a server would store `documents` (ids assigned, defaults
/// filled in as HyperDX does).
fn stored_target() -> State {
    let mut state = empty_target();
    let mut dashboard = health(SOURCE);
    dashboard.id = Some("d1".into());
    for (i, tile) in dashboard.tiles_mut().iter_mut().enumerate() {
        tile.id = Some(format!("t{i}"));
    }
    // What the server fills in: a count's empty value expression and
    // Lucene language, empty lists.
    let mut stored = serde_json::to_value(&dashboard).unwrap();
    stored["tiles"][1]["config"]["select"][0]["valueExpression"] = json!("");
    stored["tiles"][1]["config"]["select"][0]["whereLanguage"] = json!("lucene");
    stored["tags"] = json!([]);
    stored["filters"] = json!([]);
    stored["savedQuery"] = json!(null);
    state
        .dashboards
        .items
        .push(serde_json::from_value(stored).unwrap());
    let mut search = SavedSearch::new("Checkout errors", SOURCE, "level:error");
    search.id = Some("s1".into());
    search.select = Some(String::new());
    search.updated_at = Some("2026-11-02T00:00:00Z".into());
    state.saved_searches.items.push(search);
    let mut alert = clickstack::Alert::on_tile(
        "d1",
        "t1",
        5.0,
        ThresholdType::Above,
        AlertInterval::Minutes5,
    )
    .name("Error spike")
    .channel(clickstack::AlertChannel::webhook("w1"));
    alert.id = Some("a1".into());
    alert.updated_at = clickstack::Field::Value("2026-11-03T00:00:00Z".into());
    alert.state = Some(clickstack::AlertState::Ok);
    state.alerts.items.push(alert);
    state
}

fn problems(result: Result<Plan, clickstack::as_code::PlanError>) -> Vec<Problem> {
    match result {
        Ok(plan) => panic!("expected problems, got a plan: {plan:#?}"),
        Err(e) => e.problems,
    }
}

#[test]
fn an_empty_target_gets_creates_in_reference_order() {
    let plan = plan(&documents(), &empty_target(), &PlanOptions::default()).unwrap();
    let steps: Vec<(Kind, Action)> = plan.steps.iter().map(|s| (s.kind, s.action)).collect();
    assert_eq!(
        steps,
        [
            (Kind::SavedSearch, Action::Create),
            (Kind::Dashboard, Action::Create),
            (Kind::Alert, Action::Create),
        ]
    );
    // The alert waits on the dashboard this plan creates; its webhook is
    // resolved now.
    let Some(Write::Alert { body, after }) = &plan.steps[2].write else {
        panic!("{:?}", plan.steps[2].write)
    };
    assert_eq!(
        after,
        &AfterWrites {
            saved_search: None,
            dashboard: Some("Service health".into()),
            tile: Some("Errors".into()),
        }
    );
    assert_eq!(
        body.channels.as_ref().unwrap()[0].webhook_id.as_deref(),
        Some("w1")
    );
    // Every create expects the name to be free still; the webhook must
    // not have changed.
    let expects: Vec<(Kind, &Expect)> = plan
        .preconditions
        .iter()
        .map(|p| (p.kind, &p.expect))
        .collect();
    assert!(expects.contains(&(Kind::Dashboard, &Expect::Absent)));
    assert!(expects.contains(&(
        Kind::Webhook,
        &Expect::UpdatedAt {
            updated_at: "2026-11-01T00:00:00Z".into()
        }
    )));
    // Creations list every field of the document as a change.
    assert!(plan.steps[1].changes.iter().any(|c| c.path == "name"));
}

#[test]
fn what_the_server_stored_from_the_documents_plans_no_change() {
    let plan = plan(&documents(), &stored_target(), &PlanOptions::default()).unwrap();
    for step in &plan.steps {
        assert_eq!(step.action, Action::Unchanged, "{step:#?}");
        assert!(step.write.is_none());
    }
    assert!(!plan.has_changes());
}

#[test]
fn a_change_is_an_update_with_its_fields_and_a_version_to_check() {
    let mut documents = documents();
    documents.dashboards[0].0.tiles_mut()[0].config = Some(TileConfig::markdown("# Runbook v2"));
    documents.alerts[0].alert.threshold = Some(clickstack::Number(7.0));
    let plan = plan(&documents, &stored_target(), &PlanOptions::default()).unwrap();
    let dashboard = plan
        .steps
        .iter()
        .find(|s| s.kind == Kind::Dashboard)
        .unwrap();
    assert_eq!(dashboard.action, Action::Update);
    assert_eq!(dashboard.id.as_deref(), Some("d1"));
    let paths: Vec<&str> = dashboard.changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["tiles[0].config.markdown"]);
    // The update keeps the tiles' ids, so the alert on "Errors" stays.
    let Some(Write::Dashboard { body, .. }) = &dashboard.write else {
        panic!()
    };
    let ids: Vec<_> = body.tiles().iter().map(|t| t.id.clone()).collect();
    assert_eq!(ids, [Some("t0".into()), Some("t1".into())]);
    let alert = plan.steps.iter().find(|s| s.kind == Kind::Alert).unwrap();
    assert_eq!(alert.action, Action::Update);
    assert_eq!(alert.changes[0].to_string(), "~ threshold: 5 -> 7");
    let Some(Write::Alert { after, .. }) = &alert.write else {
        panic!()
    };
    assert_eq!(after.dashboard.as_deref(), Some("Service health"));
    assert!(plan.preconditions.iter().any(|p| p.kind == Kind::Alert
        && p.expect
            == Expect::UpdatedAt {
                updated_at: "2026-11-03T00:00:00Z".into()
            }));
    assert!(
        plan.preconditions
            .iter()
            .any(|p| p.kind == Kind::Dashboard && matches!(p.expect, Expect::Fingerprint { .. }))
    );
}

#[test]
fn every_problem_is_reported_before_any_write() {
    let mut documents = documents();
    documents.alerts.push(
        AlertDocument::on_tile(
            "Service health",
            "Latency",
            1.0,
            ThresholdType::Above,
            AlertInterval::Minute1,
        )
        .name("Slow"),
    );
    documents.alerts.push(
        AlertDocument::on_saved_search("Nope", 1.0, ThresholdType::Above, AlertInterval::Minute1)
            .name("Missing search")
            .webhook("Pager"),
    );
    documents
        .dashboards
        .push(DashboardDocument::new(Dashboard::new("Service health ")));
    documents.saved_searches[0].0.source_id = "unknown-source".into();
    let found = problems(plan(&documents, &empty_target(), &PlanOptions::default()));
    let text: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert!(
        found.contains(&Problem::DuplicateDocument {
            kind: Kind::Dashboard,
            name: "Service health".into()
        }),
        "{text:#?}"
    );
    assert!(found.iter().any(|p| matches!(p, Problem::MissingTile { alert, tile, .. } if alert == "Slow" && tile == "Latency")), "{text:#?}");
    assert!(found.iter().any(|p| matches!(p, Problem::MissingReference { kind: Kind::SavedSearch, name, .. } if name == "Nope")), "{text:#?}");
    assert!(found.iter().any(|p| matches!(p, Problem::MissingReference { kind: Kind::Webhook, name, .. } if name == "Pager")), "{text:#?}");
    assert!(
        found
            .iter()
            .any(|p| matches!(p, Problem::MissingSource { id, .. } if id == "unknown-source")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("has no tile named \"Latency\" (its tiles: Notes, Errors)")),
        "{text:#?}"
    );
}

#[test]
fn sources_are_mapped_by_name_onto_another_deployment() {
    let mut documents = documents();
    documents.sources.insert(
        SOURCE.into(),
        SourceRef {
            name: "Logs".into(),
            kind: Some(SourceKind::Log),
        },
    );
    let mut cloud = State::empty(
        BackendKind::Cloud,
        "https://api.clickhouse.cloud organization o service s",
    );
    cloud.sources.items.push(source("cloud-logs", "Logs"));
    cloud.webhooks.items.push(webhook("cw", "On call"));
    let plan = plan(&documents, &cloud, &PlanOptions::default()).unwrap();
    let Some(Write::Dashboard { body, .. }) = &plan.steps[1].write else {
        panic!()
    };
    assert_eq!(body.source_ids(), ["cloud-logs"]);
    let Some(Write::SavedSearch { body }) = &plan.steps[0].write else {
        panic!()
    };
    assert_eq!(body.source_id, "cloud-logs");
    // A source of that name but another kind is a problem.
    cloud.sources.items[0].kind = SourceKind::Trace;
    let found = problems(clickstack::as_code::plan(
        &documents,
        &cloud,
        &PlanOptions::default(),
    ));
    assert!(
        found[0]
            .to_string()
            .contains("is a trace source, not a log source"),
        "{found:?}"
    );
}

#[test]
fn pruning_deletes_only_the_pruned_kinds_alerts_first() {
    let mut state = stored_target();
    let mut old = Dashboard::new("Old");
    old.id = Some("d2".into());
    state.dashboards.items.push(old);
    let mut unnamed =
        clickstack::Alert::on_saved_search("s1", 1.0, ThresholdType::Above, AlertInterval::Hour1);
    unnamed.id = Some("a2".into());
    state.alerts.items.push(unnamed);
    let mut orphan =
        clickstack::Alert::on_saved_search("s1", 1.0, ThresholdType::Above, AlertInterval::Hour1)
            .name("Orphan");
    orphan.id = Some("a3".into());
    state.alerts.items.push(orphan);
    let only_dashboards =
        plan(&documents(), &state, &PlanOptions::prune([Kind::Dashboard])).unwrap();
    let deletes: Vec<(Kind, &str)> = only_dashboards
        .steps
        .iter()
        .filter(|s| s.action == Action::Delete)
        .map(|s| (s.kind, s.name.as_str()))
        .collect();
    assert_eq!(deletes, [(Kind::Dashboard, "Old")]);
    let all = plan(&documents(), &state, &PlanOptions::prune(Kind::DOCUMENTS)).unwrap();
    let deletes: Vec<(Kind, &str)> = all
        .steps
        .iter()
        .filter(|s| s.action == Action::Delete)
        .map(|s| (s.kind, s.name.as_str()))
        .collect();
    assert_eq!(deletes, [(Kind::Alert, "Orphan"), (Kind::Dashboard, "Old")]);
    assert!(
        all.notes[0].contains("alert a2 has no name"),
        "{:?}",
        all.notes
    );
}

fn undecodable(name: Option<&str>) -> UndecodableItem {
    let raw = match name {
        Some(name) => json!({"id": "bad", "name": name, "tiles": "oops"}),
        None => json!({"id": "bad", "tiles": "oops"}),
    };
    UndecodableItem::new(
        "dashboard",
        0,
        &raw.to_string(),
        "tiles",
        "invalid type",
        &Redactor::default(),
    )
}

#[test]
fn a_dashboard_that_did_not_decode_is_never_treated_as_absent() {
    // Its name is a document's: planning would create a duplicate.
    let mut state = empty_target();
    state
        .dashboards
        .undecodable
        .push(undecodable(Some("Service health")));
    let found = problems(plan(&documents(), &state, &PlanOptions::default()));
    assert!(
        matches!(
            &found[0],
            Problem::Unreadable {
                kind: Kind::Dashboard,
                ..
            }
        ),
        "{found:?}"
    );
    assert!(
        found[0].to_string().contains("\"Service health\""),
        "{found:?}"
    );
    // Its name cannot be read: it may be any document's.
    let mut state = empty_target();
    state.dashboards.undecodable.push(undecodable(None));
    assert_eq!(
        problems(plan(&documents(), &state, &PlanOptions::default())).len(),
        1
    );
    // Another name, no pruning: it is left alone.
    let mut state = empty_target();
    state
        .dashboards
        .undecodable
        .push(undecodable(Some("Unrelated")));
    assert!(plan(&documents(), &state, &PlanOptions::default()).is_ok());
    // Pruning around it could delete or keep the wrong one: it stops.
    assert_eq!(
        problems(plan(
            &documents(),
            &state,
            &PlanOptions::prune([Kind::Dashboard])
        ))
        .len(),
        1
    );
}

#[test]
fn ambiguous_names_on_the_target_are_problems() {
    let mut state = stored_target();
    let mut twin = state.dashboards.items[0].clone();
    twin.id = Some("d9".into());
    state.dashboards.items.push(twin);
    state.webhooks.items.push(webhook("w2", "On call"));
    let found = problems(plan(&documents(), &state, &PlanOptions::default()));
    assert!(found.iter().any(|p| matches!(p, Problem::Ambiguous { kind: Kind::Dashboard, ids, .. } if ids == &["d1", "d9"])), "{found:?}");
    assert!(
        found.iter().any(|p| matches!(
            p,
            Problem::Ambiguous {
                kind: Kind::Webhook,
                ..
            }
        )),
        "{found:?}"
    );
}

#[test]
fn references_by_id_work_and_plans_read_back_from_json() {
    let mut documents = documents();
    let mut by_id = clickstack::Alert::on_saved_search(
        "s1",
        3.0,
        ThresholdType::Below,
        AlertInterval::Minutes15,
    )
    .name("By id")
    .channel(clickstack::AlertChannel::webhook("w1"));
    by_id.note = clickstack::Field::Null;
    documents.alerts.push(AlertDocument::from_alert(&by_id));
    let plan = plan(&documents, &stored_target(), &PlanOptions::default()).unwrap();
    let step = plan.steps.iter().find(|s| s.name == "By id").unwrap();
    assert_eq!(step.action, Action::Create);
    let Some(Write::Alert { body, after }) = &step.write else {
        panic!()
    };
    assert_eq!(body.saved_search_id.value().map(String::as_str), Some("s1"));
    assert!(after.is_empty());
    let text = plan.to_json().unwrap();
    assert_eq!(Plan::from_json(&text).unwrap(), plan);
    let mut future = serde_json::from_str::<serde_json::Value>(&text).unwrap();
    future["format"] = json!(99);
    assert!(
        Plan::from_json(&future.to_string())
            .unwrap_err()
            .to_string()
            .contains("format 99")
    );
}

/// A dashboard whose table opens the dashboard `target`.
fn opening(name: &str, target: &str) -> DashboardDocument {
    DashboardDocument::new(
        Dashboard::new(name).tile(Tile::new(
            "Routes",
            TileConfig::table(
                ChartConfig::new(SOURCE)
                    .select(SelectItem::count())
                    .group_by("SpanName")
                    .on_click(OnClick::dashboard(target)),
            ),
        )),
    )
}

#[test]
fn a_link_to_a_dashboard_the_plan_creates_waits_for_its_id() {
    let documents = Documents {
        dashboards: vec![
            opening("Overview", "Detail"),
            DashboardDocument::new(Dashboard::new("Detail")),
        ],
        ..Documents::default()
    };
    let first = plan(&documents, &empty_target(), &PlanOptions::default()).unwrap();
    let names: Vec<&str> = first.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Detail", "Overview"], "the target is created first");
    let Some(Write::Dashboard { body, links }) = &first.steps[1].write else {
        panic!()
    };
    assert_eq!(links, &["Detail"]);
    assert_eq!(body.linked_dashboards(), ["Detail"]);
    // On a target that has it, the link is its id, and nothing waits.
    let mut state = empty_target();
    let mut detail = Dashboard::new("Detail");
    detail.id = Some("d-1".into());
    state.dashboards.items.push(detail);
    let again = plan(&documents, &state, &PlanOptions::default()).unwrap();
    let step = again.steps.iter().find(|s| s.name == "Overview").unwrap();
    let Some(Write::Dashboard { body, links }) = &step.write else {
        panic!()
    };
    assert!(links.is_empty());
    assert_eq!(body.linked_dashboards(), ["d-1"]);
}

#[test]
fn new_dashboards_that_open_each_other_are_a_problem() {
    let documents = Documents {
        dashboards: vec![opening("A", "B"), opening("B", "A")],
        ..Documents::default()
    };
    let found = problems(plan(&documents, &empty_target(), &PlanOptions::default()));
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .all(|p| matches!(p, Problem::MissingLink { .. })
                && p.to_string().contains("neither exists yet")),
        "{found:?}"
    );
}

#[test]
fn a_new_dashboard_that_opens_itself_is_a_problem() {
    let documents = Documents {
        dashboards: vec![opening("Loop", "Loop")],
        ..Documents::default()
    };
    let found = problems(plan(&documents, &empty_target(), &PlanOptions::default()));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .to_string()
            .contains("cannot open itself until it exists"),
        "{found:?}"
    );
}
