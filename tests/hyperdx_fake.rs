//! HyperDX dashboard files planned and applied on the stateful fake, on
//! both backends: a directory's worth of files (every tile kind, filters,
//! containers, a raw SQL tile on a named connection, a click that opens
//! another file's dashboard) creates its dashboards, a second plan is
//! empty, and the dashboards written back as files plan nothing either.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use clickstack::Documents;
use clickstack::as_code::{Action, Kind, PlanOptions};
use clickstack::hyperdx::{DashboardFile, Names};
use clickstack_fake::FakeServer;
use common::{cloud, oss};

mod common;

/// The sources the files name: a log, a trace and a metric source.
fn seed_sources(fake: &FakeServer) {
    fake.seed_log_source("App logs");
    assert!(!fake.seed_trace_source("Requests").is_empty());
    assert!(!fake.seed_metric_source("Runtime metrics").is_empty());
}

fn file(name: &str) -> DashboardFile {
    let path = format!("{}/tests/data/hyperdx/{name}", env!("CARGO_MANIFEST_DIR"));
    DashboardFile::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The files as documents, and how many losses they report.
fn as_documents(files: &[DashboardFile]) -> (Documents, usize) {
    let mut documents = Documents::default();
    let mut losses = 0;
    for file in files {
        losses += file.to_document().add_to(&mut documents).len();
    }
    (documents, losses)
}

#[tokio::test]
async fn a_directory_of_hyperdx_files_applies_once_on_both_backends() {
    for on_cloud in [false, true] {
        let fake = FakeServer::start().await.unwrap();
        let client = if on_cloud { cloud(&fake) } else { oss(&fake) };
        seed_sources(&fake);
        // The runtime file opens the checkout file's dashboard by name,
        // and comes first: the plan creates Checkout first all the same.
        let (documents, losses) = as_documents(&[file("runtime.json"), file("checkout.json")]);
        assert_eq!(losses, 9, "the runtime file's documented losses");
        let options = PlanOptions::default();
        let plan = client.plan(&documents, &options).await.unwrap();
        let steps: Vec<(&str, Action)> = plan
            .steps
            .iter()
            .map(|s| (s.name.as_str(), s.action))
            .collect();
        assert_eq!(
            steps,
            [
                ("Checkout", Action::Create),
                ("Checkout runtime", Action::Create)
            ]
        );
        let writes = fake.writes().total();
        client.apply(&plan).await.unwrap();
        assert_eq!(fake.writes().total() - writes, 2);

        let dashboards = client.dashboards().list().await.unwrap();
        let checkout = dashboards
            .iter()
            .find(|d| d.name.as_deref() == Some("Checkout"))
            .unwrap();
        let runtime = dashboards
            .iter()
            .find(|d| d.name.as_deref() == Some("Checkout runtime"))
            .unwrap();
        assert_eq!(checkout.tiles().len(), 14);
        assert_eq!(runtime.linked_dashboards(), [checkout.id.clone().unwrap()]);
        let sources = client.sources().list().await.unwrap();
        let ids: Vec<String> = checkout.source_ids();
        assert_eq!(ids.len(), 3);
        assert!(
            ids.iter()
                .all(|id| sources.iter().any(|s| s.id.as_ref() == Some(id)))
        );

        // A second plan is empty, and its apply sends nothing.
        let again = client.plan(&documents, &options).await.unwrap();
        assert!(!again.has_changes(), "{:#?}", again.steps);
        let writes = fake.writes().total();
        client.apply(&again).await.unwrap();
        assert_eq!(fake.writes().total(), writes);

        // Written back as files, with names for ids: nothing lost, files
        // HyperDX imports, and planning them changes nothing.
        let state = client
            .fetch_state(&BTreeSet::from([
                Kind::Source,
                Kind::Dashboard,
                Kind::Connection,
            ]))
            .await
            .unwrap();
        let names = Names::of_state(&state);
        let mut exported = Vec::new();
        for dashboard in &state.dashboards.items {
            let written = DashboardFile::from_dashboard(dashboard, &names);
            assert!(written.losses.is_empty(), "{:?}", written.losses);
            assert_eq!(written.file.check(), Vec::<String>::new());
            let text = written.file.to_json_pretty().unwrap();
            exported.push(DashboardFile::from_json(&text).unwrap());
        }
        let (reread, losses) = as_documents(&exported);
        assert_eq!(losses, 0);
        let plan = client.plan(&reread, &options).await.unwrap();
        assert!(!plan.has_changes(), "{:#?}", plan.steps);
    }
}
