//! The `clickstack` binary against the fake of both APIs
//! (`clickstack_fake::FakeServer`, started in the test's runtime), with
//! the backend passed through the environment as a user would.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use clickstack::{
    Alert, AlertChannel, AlertInterval, ChartConfig, Client, Dashboard, Filter, SavedSearch,
    SelectItem, ThresholdType, Tile, TileConfig, Webhook, WebhookService,
};
use clickstack_fake::FakeServer;
use tempfile::TempDir;

/// Every variable the binary reads.
const VARS: [&str; 8] = [
    "CLICKSTACK_URL",
    "CLICKSTACK_API_KEY",
    "CLICKHOUSE_CLOUD_KEY_ID",
    "CLICKHOUSE_CLOUD_KEY_SECRET",
    "CLICKHOUSE_CLOUD_ORGANIZATION_ID",
    "CLICKHOUSE_CLOUD_SERVICE_ID",
    "CLICKHOUSE_CLOUD_API_URL",
    "NO_COLOR",
];

type Env = Vec<(&'static str, String)>;

/// The environment naming `fake` as a HyperDX backend.
fn hyperdx(fake: &FakeServer) -> Env {
    vec![
        ("CLICKSTACK_URL", fake.base_url()),
        ("CLICKSTACK_API_KEY", FakeServer::API_KEY.to_string()),
    ]
}

/// The environment naming `fake` as a Managed ClickStack (Cloud) backend.
fn cloud(fake: &FakeServer) -> Env {
    vec![
        (
            "CLICKHOUSE_CLOUD_KEY_ID",
            FakeServer::CLOUD_KEY_ID.to_string(),
        ),
        (
            "CLICKHOUSE_CLOUD_KEY_SECRET",
            FakeServer::CLOUD_KEY_SECRET.to_string(),
        ),
        (
            "CLICKHOUSE_CLOUD_ORGANIZATION_ID",
            fake.cloud_organization_id().to_string(),
        ),
        (
            "CLICKHOUSE_CLOUD_SERVICE_ID",
            fake.cloud_service_id().to_string(),
        ),
        ("CLICKHOUSE_CLOUD_API_URL", fake.base_url()),
    ]
}

/// What a run printed.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Runs the binary in `dir` with `args`, exactly the variables of `env`,
/// and `stdin` piped (never a terminal).
async fn run(dir: &Path, args: &[&str], env: &Env, stdin: &str) -> Run {
    let dir = dir.to_path_buf();
    let args: Vec<String> = args.iter().map(|a| (*a).to_string()).collect();
    let env = env.clone();
    let stdin = stdin.to_string();
    let output: Output = tokio::task::spawn_blocking(move || {
        let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("clickstack");
        cmd.current_dir(&dir).args(&args).write_stdin(stdin);
        for var in VARS {
            cmd.env_remove(var);
        }
        cmd.envs(env);
        cmd.output().unwrap()
    })
    .await
    .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// What [`seed`] created.
struct Seeded {
    client: Client,
    source: String,
}

/// A HyperDX client of `fake`.
fn client(fake: &FakeServer) -> Client {
    Client::oss(fake.base_url(), FakeServer::API_KEY)
        .config(|c| c.rate_limit(None))
        .build()
        .unwrap()
}

/// A source "Logs", a webhook "On call", a saved search, a dashboard with
/// a filter and two tiles, an alert on the search and one on a tile.
async fn seed(fake: &FakeServer) -> Seeded {
    let client = client(fake);
    let source = fake.seed_log_source("Logs");
    let webhook = client
        .webhooks()
        .create(&Webhook::new(
            "On call",
            WebhookService::Generic,
            "https://hooks.example.com/services/T0/B0/TOKEN",
        ))
        .await
        .unwrap();
    let search = client
        .saved_searches()
        .create(&SavedSearch::new("Checkout errors", &source, "level:error"))
        .await
        .unwrap();
    let dashboard = client
        .dashboards()
        .create(
            &Dashboard::new("Service health")
                .tag("prod")
                .tile(Tile::new(
                    "Errors",
                    TileConfig::line(ChartConfig::new(&source).select(SelectItem::count())),
                ))
                .tile(Tile::new("Notes", TileConfig::markdown("# Runbook")).at(12, 0))
                .filter(Filter::query_expression("Service", "ServiceName", &source)),
        )
        .await
        .unwrap();
    let webhook_id = webhook.id.unwrap();
    client
        .alerts()
        .create(
            &Alert::on_saved_search(
                search.id.unwrap(),
                100.0,
                ThresholdType::Above,
                AlertInterval::Minutes5,
            )
            .name("Too many errors")
            .channel(AlertChannel::webhook(&webhook_id)),
        )
        .await
        .unwrap();
    let tile = dashboard.tiles()[0].id.clone().unwrap();
    client
        .alerts()
        .create(
            &Alert::on_tile(
                dashboard.id.unwrap(),
                tile,
                5.0,
                ThresholdType::Above,
                AlertInterval::Minute1,
            )
            .name("Error spike")
            .channel(AlertChannel::webhook(&webhook_id)),
        )
        .await
        .unwrap();
    Seeded { client, source }
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

/// Replaces `from` by `to` in `path` (which must contain it).
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} has no {from:?}:\n{text}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A fake with the seed, and `docs/` exported from it.
async fn exported() -> (FakeServer, Seeded, TempDir) {
    let fake = FakeServer::start().await.unwrap();
    let seeded = seed(&fake).await;
    let work = tempfile::tempdir().unwrap();
    let out = run(
        work.path(),
        &["export", "--dir", "docs"],
        &hyperdx(&fake),
        "",
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    (fake, seeded, work)
}

#[tokio::test(flavor = "multi_thread")]
async fn export_writes_one_file_per_resource_and_is_byte_identical_twice() {
    let (fake, _seeded, work) = exported().await;
    let docs = work.path().join("docs");
    let first = files(&docs);
    let names: Vec<String> = first.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(
        names,
        [
            "alerts/error-spike.yaml",
            "alerts/too-many-errors.yaml",
            "dashboards/service-health.yaml",
            "saved-searches/checkout-errors.yaml",
            "sources.yaml",
        ]
    );
    // Alerts name what they refer to; sources.yaml names the source.
    let alert = String::from_utf8(first[Path::new("alerts/error-spike.yaml")].clone()).unwrap();
    assert!(alert.contains("dashboard: Service health\n"), "{alert}");
    assert!(alert.contains("tile: Errors\n"), "{alert}");
    assert!(alert.contains("webhook: On call\n"), "{alert}");
    assert!(!alert.contains("Id:"), "{alert}");
    let sources = String::from_utf8(first[Path::new("sources.yaml")].clone()).unwrap();
    assert!(
        sources.contains("name: Logs") && sources.contains("kind: log"),
        "{sources}"
    );
    // Keys sorted: `filters` before `name` before `tiles`.
    let dashboard =
        String::from_utf8(first[Path::new("dashboards/service-health.yaml")].clone()).unwrap();
    let at = |key: &str| dashboard.find(&format!("\n{key}:")).unwrap_or(usize::MAX);
    assert!(
        dashboard.starts_with("filters:") && at("name") < at("tags") && at("tags") < at("tiles")
    );

    let again = run(
        work.path(),
        &["export", "--dir", "docs"],
        &hyperdx(&fake),
        "",
    )
    .await;
    assert_eq!(again.code, 0, "{again:?}");
    assert!(
        again
            .stdout
            .contains("(0 files written, 4 unchanged, 0 removed"),
        "{}",
        again.stdout
    );
    assert_eq!(files(&docs), first);

    // JSON too, and stale files go: the YAML ones are replaced.
    for _ in 0..2 {
        let json = run(
            work.path(),
            &["export", "--dir", "docs", "--format", "json"],
            &hyperdx(&fake),
            "",
        )
        .await;
        assert_eq!(json.code, 0, "{json:?}");
    }
    let json_files = files(&docs);
    assert!(
        json_files.keys().all(|p| p.extension().unwrap() == "json"),
        "{json_files:?}"
    );
    let value: serde_json::Value =
        serde_json::from_slice(&json_files[Path::new("saved-searches/checkout-errors.json")])
            .unwrap();
    assert_eq!(value["where"], "level:error");

    // --kind and --name select; other files stay.
    let some = work.path().join("some");
    let only = run(
        work.path(),
        &[
            "export", "--dir", "some", "--kind", "alerts", "--name", "Too*",
        ],
        &hyperdx(&fake),
        "",
    )
    .await;
    assert_eq!(only.code, 0, "{only:?}");
    let names: Vec<String> = files(&some)
        .keys()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(names, ["alerts/too-many-errors.yaml", "sources.yaml"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_exits_0_without_changes_and_2_with_them() {
    let (fake, seeded, work) = exported().await;
    let docs = work.path().join("docs");
    let env = hyperdx(&fake);
    let clean = run(work.path(), &["plan", "docs"], &env, "").await;
    assert_eq!(clean.code, 0, "{clean:?}");
    assert!(
        clean
            .stdout
            .contains("No changes: the target matches docs (4 unchanged)."),
        "{}",
        clean.stdout
    );
    let writes = fake.writes().total();

    edit(
        &docs.join("dashboards/service-health.yaml"),
        "# Runbook",
        "# Runbook v2",
    );
    edit(
        &docs.join("alerts/too-many-errors.yaml"),
        "threshold: 100",
        "threshold: 150",
    );
    std::fs::write(
        docs.join("saved-searches/slow-requests.yaml"),
        format!(
            "name: Slow requests\nsourceId: {}\nwhere: duration:>1000\n",
            seeded.source
        ),
    )
    .unwrap();
    std::fs::remove_file(docs.join("alerts/error-spike.yaml")).unwrap();
    let plan = run(work.path(), &["plan", "docs", "--prune"], &env, "").await;
    assert_eq!(plan.code, 2, "{plan:?}");
    assert_eq!(plan.stderr, "");
    insta::with_settings!({
        filters => vec![(r"\b[0-9a-f]{24}\b", "[id]"), (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]")],
    }, {
        insta::assert_snapshot!("plan_plain", plan.stdout);
    });

    let json = run(
        work.path(),
        &["plan", "docs", "--prune", "--json"],
        &env,
        "",
    )
    .await;
    assert_eq!(json.code, 2, "{json:?}");
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        value["summary"],
        serde_json::json!({"create": 1, "update": 2, "delete": 1, "unchanged": 1})
    );
    assert_eq!(value["target"]["backend"], "hyperdx");
    let update = value["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "alert" && r["action"] == "update")
        .unwrap();
    assert_eq!(
        update["changes"],
        serde_json::json!([{"path": "threshold", "before": 100, "after": 150}])
    );
    // Planning wrote nothing.
    assert_eq!(fake.writes().total(), writes);

    // Without --prune the removed file deletes nothing.
    let plan = run(work.path(), &["plan", "docs"], &env, "").await;
    assert!(
        plan.stdout
            .contains("Plan: 1 to create, 2 to update, 0 to delete, 1 unchanged."),
        "{}",
        plan.stdout
    );
    // Colours only on request (the output is a pipe here).
    assert!(!plan.stdout.contains('\x1b'));
    let coloured = run(
        work.path(),
        &["plan", "docs", "--color", "always"],
        &env,
        "",
    )
    .await;
    assert!(
        coloured
            .stdout
            .contains("\x1b[32mcreate\x1b[0m saved search"),
        "{}",
        coloured.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_then_plan_finds_nothing_to_do() {
    let (fake, seeded, work) = exported().await;
    let docs = work.path().join("docs");
    let env = hyperdx(&fake);
    edit(
        &docs.join("dashboards/service-health.yaml"),
        "# Runbook",
        "# Runbook v2",
    );
    edit(
        &docs.join("alerts/too-many-errors.yaml"),
        "threshold: 100",
        "threshold: 150",
    );
    std::fs::write(
        docs.join("saved-searches/slow-requests.yaml"),
        format!(
            "name: Slow requests\nsourceId: {}\nwhere: duration:>1000\n",
            seeded.source
        ),
    )
    .unwrap();
    std::fs::write(
        docs.join("alerts/slow.yaml"),
        "name: Slow\nsource: saved_search\nsavedSearch: Slow requests\nthreshold: 10\nthresholdType: above\n\
         interval: 15m\nchannels:\n- type: webhook\n  webhook: On call\n",
    )
    .unwrap();
    let apply = run(work.path(), &["apply", "docs"], &env, "").await;
    assert_eq!(apply.code, 0, "{apply:?}");
    assert!(
        apply
            .stdout
            .contains("created saved search \"Slow requests\""),
        "{}",
        apply.stdout
    );
    assert!(
        apply
            .stdout
            .contains("updated dashboard \"Service health\""),
        "{}",
        apply.stdout
    );
    assert!(
        apply.stdout.contains("created alert \"Slow\""),
        "{}",
        apply.stdout
    );
    assert!(
        apply
            .stdout
            .contains("Apply complete: 2 created, 2 updated, 0 deleted."),
        "{}",
        apply.stdout
    );
    let plan = run(work.path(), &["plan", "docs"], &env, "").await;
    assert_eq!(plan.code, 0, "{plan:?}");

    // What the server has: the new alert watches the new search.
    let searches = seeded.client.saved_searches().list().await.unwrap();
    let slow = searches.iter().find(|s| s.name == "Slow requests").unwrap();
    let alerts = seeded.client.alerts().list().await.unwrap();
    let alert = alerts
        .iter()
        .find(|a| a.name.value().map(String::as_str) == Some("Slow"))
        .unwrap();
    assert_eq!(alert.saved_search_id.value(), slow.id.as_ref());
    // The tile alert survived the dashboard update (tile ids kept).
    assert!(
        alerts
            .iter()
            .any(|a| a.name.value().map(String::as_str) == Some("Error spike"))
    );

    // Applying again sends no write.
    let writes = fake.writes().total();
    let again = run(work.path(), &["apply", "docs"], &env, "").await;
    assert_eq!(again.code, 0, "{again:?}");
    assert!(again.stdout.contains("No changes"), "{}", again.stdout);
    assert_eq!(fake.writes().total(), writes);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_plan_is_applied_exactly_and_refused_once_the_target_moved() {
    let (fake, seeded, work) = exported().await;
    let docs = work.path().join("docs");
    let env = hyperdx(&fake);
    edit(
        &docs.join("alerts/too-many-errors.yaml"),
        "threshold: 100",
        "threshold: 150",
    );
    // On the pull request: the plan, saved.
    let plan = run(
        work.path(),
        &["plan", "docs", "--out", "plan.json"],
        &env,
        "",
    )
    .await;
    assert_eq!(plan.code, 2, "{plan:?}");
    assert!(
        plan.stdout.contains("Saved the plan to plan.json"),
        "{}",
        plan.stdout
    );
    // The directory changes after the review: the saved plan still
    // applies what was reviewed, nothing else.
    edit(
        &docs.join("dashboards/service-health.yaml"),
        "# Runbook",
        "# Unreviewed",
    );
    let apply = run(work.path(), &["apply", "plan.json"], &env, "").await;
    assert_eq!(apply.code, 0, "{apply:?}");
    assert!(apply.stdout.contains("Plan: plan.json"), "{}", apply.stdout);
    assert!(
        apply
            .stdout
            .contains("Apply complete: 0 created, 1 updated, 0 deleted."),
        "{}",
        apply.stdout
    );
    let dashboards = seeded.client.dashboards().list().await.unwrap();
    let notes = serde_json::to_string(&dashboards[0]).unwrap();
    assert!(
        notes.contains("# Runbook") && !notes.contains("Unreviewed"),
        "{notes}"
    );

    // A plan the target moved past is refused, and writes nothing.
    let plan = run(
        work.path(),
        &["plan", "docs", "--out", "stale.json"],
        &env,
        "",
    )
    .await;
    assert_eq!(plan.code, 2, "{plan:?}");
    let dashboard = &dashboards[0];
    let mut edited = dashboard.clone();
    edited.tags = Some(vec!["edited-in-the-ui".into()]);
    seeded
        .client
        .dashboards()
        .update(dashboard.id.as_deref().unwrap(), &edited)
        .await
        .unwrap();
    let writes = fake.writes().total();
    let stale = run(work.path(), &["apply", "stale.json"], &env, "").await;
    assert_eq!(stale.code, 1, "{stale:?}");
    assert!(
        stale
            .stderr
            .contains("the target changed since this plan was made")
            && stale.stderr.contains("dashboard \"Service health\"")
            && stale.stderr.contains("changed since the plan"),
        "{}",
        stale.stderr
    );
    assert_eq!(fake.writes().total(), writes);
}

#[tokio::test(flavor = "multi_thread")]
async fn prune_deletes_only_with_yes_when_stdin_is_not_a_terminal() {
    let (fake, seeded, work) = exported().await;
    let docs = work.path().join("docs");
    let env = hyperdx(&fake);
    std::fs::remove_file(docs.join("saved-searches/checkout-errors.yaml")).unwrap();
    std::fs::remove_file(docs.join("alerts/too-many-errors.yaml")).unwrap();
    let writes = fake.writes();
    let refused = run(work.path(), &["apply", "docs", "--prune"], &env, "yes\n").await;
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused
            .stderr
            .contains("refusing to delete 2 resources without --yes"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("nothing was changed"),
        "{}",
        refused.stderr
    );
    assert_eq!(fake.writes(), writes);

    // Without --prune, nothing to do: files removed from DIR stay on the target.
    let keep = run(work.path(), &["apply", "docs"], &env, "").await;
    assert_eq!(keep.code, 0, "{keep:?}");
    assert_eq!(fake.writes(), writes);

    let pruned = run(
        work.path(),
        &["apply", "docs", "--prune", "--yes"],
        &env,
        "",
    )
    .await;
    assert_eq!(pruned.code, 0, "{pruned:?}");
    assert!(
        pruned.stdout.contains("deleted alert \"Too many errors\""),
        "{}",
        pruned.stdout
    );
    assert!(
        pruned
            .stdout
            .contains("deleted saved search \"Checkout errors\""),
        "{}",
        pruned.stdout
    );
    assert!(
        seeded
            .client
            .saved_searches()
            .list()
            .await
            .unwrap()
            .is_empty()
    );
    let alerts = seeded.client.alerts().list().await.unwrap();
    assert_eq!(alerts.len(), 1);
    let plan = run(work.path(), &["plan", "docs", "--prune"], &env, "").await;
    assert_eq!(plan.code, 0, "{plan:?}");

    // A kind DIR has no directory for is never pruned.
    std::fs::remove_dir_all(docs.join("saved-searches")).unwrap();
    std::fs::remove_dir_all(docs.join("alerts")).unwrap();
    seeded
        .client
        .saved_searches()
        .create(&SavedSearch::new("Elsewhere", &seeded.source, "x"))
        .await
        .unwrap();
    let plan = run(work.path(), &["plan", "docs", "--prune"], &env, "").await;
    assert_eq!(plan.code, 0, "{plan:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_reports_every_problem_with_its_path() {
    let (fake, _seeded, work) = exported().await;
    let docs = work.path().join("docs");
    let env = hyperdx(&fake);
    let good = run(work.path(), &["validate", "docs"], &env, "").await;
    assert_eq!(good.code, 0, "{good:?}");
    assert!(
        good.stdout.contains("4 documents: 4 valid, 0 invalid"),
        "{}",
        good.stdout
    );

    edit(
        &docs.join("dashboards/service-health.yaml"),
        "  w: 12",
        "  w: 99",
    );
    edit(
        &docs.join("alerts/error-spike.yaml"),
        "interval: 1m",
        "interval: 7m\ntreshold: 3",
    );
    edit(
        &docs.join("alerts/too-many-errors.yaml"),
        "threshold: 100",
        "threshold: high",
    );
    edit(
        &docs.join("saved-searches/checkout-errors.yaml"),
        "where: level:error",
        "where: 3\nwhereLanguage: kql",
    );
    let bad = run(work.path(), &["validate", "docs"], &env, "").await;
    assert_eq!(bad.code, 1, "{bad:?}");
    let out = &bad.stdout;
    assert!(
        out.contains("INVALID  dashboards/service-health.yaml"),
        "{out}"
    );
    assert!(
        out.contains("at `tiles.0.w`: Number must be less than or equal to 24"),
        "{out}"
    );
    assert!(
        out.contains(
            "at `interval`: \"7m\" is not one of the values the HyperDX API's schema allows"
        ),
        "{out}"
    );
    assert!(
        out.contains("warning: `treshold` is not in the HyperDX API's schema"),
        "{out}"
    );
    assert!(
        out.contains("at `threshold`: \"high\" is not a number"),
        "{out}"
    );
    assert!(
        out.contains("at `where`: invalid type: integer `3`, expected a string"),
        "{out}"
    );
    assert!(out.contains("4 documents: 0 valid, 4 invalid"), "{out}");

    // plan and apply refuse the same documents before any write: those
    // that do not read, then those the API's schema refuses.
    let writes = fake.writes();
    let apply = run(work.path(), &["apply", "docs"], &env, "").await;
    assert_eq!(apply.code, 1, "{apply:?}");
    for expected in [
        "alerts/too-many-errors.yaml: invalid input: at `threshold`",
        "saved-searches/checkout-errors.yaml: at `where`",
    ] {
        assert!(apply.stderr.contains(expected), "{}", apply.stderr);
    }
    edit(
        &docs.join("alerts/too-many-errors.yaml"),
        "threshold: high",
        "threshold: 100",
    );
    edit(
        &docs.join("saved-searches/checkout-errors.yaml"),
        "where: 3\nwhereLanguage: kql",
        "where: level:error",
    );
    let apply = run(work.path(), &["apply", "docs"], &env, "").await;
    assert_eq!(apply.code, 1, "{apply:?}");
    assert!(
        apply
            .stderr
            .contains("alerts/error-spike.yaml: at `interval`"),
        "{}",
        apply.stderr
    );
    assert_eq!(fake.writes(), writes);

    // A file that does not parse is reported with its line, beside the
    // others' verdicts; plan names the file.
    std::fs::write(docs.join("alerts/broken.yaml"), "name: [broken\n").unwrap();
    let broken = run(work.path(), &["validate", "docs"], &env, "").await;
    assert_eq!(broken.code, 1);
    assert!(
        broken.stdout.contains("INVALID  alerts/broken.yaml alert")
            && broken.stdout.contains("not valid YAML")
            && broken.stdout.contains("line 1"),
        "{}",
        broken.stdout
    );
    let plan = run(work.path(), &["plan", "docs"], &env, "").await;
    assert_eq!(plan.code, 1);
    assert!(
        plan.stderr.contains("alerts/broken.yaml: not valid YAML"),
        "{}",
        plan.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_prints_tables_and_json() {
    let fake = FakeServer::start().await.unwrap();
    seed(&fake).await;
    let work = tempfile::tempdir().unwrap();
    let env = hyperdx(&fake);
    let dashboards = run(work.path(), &["ls", "dashboards"], &env, "").await;
    assert_eq!(dashboards.code, 0, "{dashboards:?}");
    let lines: Vec<&str> = dashboards.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", dashboards.stdout);
    assert!(
        lines[0].starts_with("ID ") && lines[0].ends_with("NAME            TILES  TAGS"),
        "{lines:?}"
    );
    assert!(
        lines[1].ends_with("Service health  2      prod"),
        "{lines:?}"
    );
    let alerts = run(work.path(), &["ls", "alerts"], &env, "").await;
    assert!(
        alerts
            .stdout
            .contains("tile \"Errors\" of \"Service health\""),
        "{}",
        alerts.stdout
    );
    assert!(
        alerts.stdout.contains("above 100 every 5m"),
        "{}",
        alerts.stdout
    );
    let sources = run(work.path(), &["ls", "sources"], &env, "").await;
    assert!(
        sources.stdout.contains("Logs  log   default.otel_logs"),
        "{}",
        sources.stdout
    );
    let webhooks = run(work.path(), &["ls", "webhooks"], &env, "").await;
    assert!(
        webhooks.stdout.contains("hooks.example.com"),
        "{}",
        webhooks.stdout
    );
    assert!(
        !webhooks.stdout.contains("TOKEN"),
        "the table shows hosts only: {}",
        webhooks.stdout
    );
    let searches = run(work.path(), &["ls", "saved-searches"], &env, "").await;
    assert!(
        searches
            .stdout
            .contains("Checkout errors  Logs    level:error"),
        "{}",
        searches.stdout
    );

    for what in [
        "dashboards",
        "alerts",
        "sources",
        "webhooks",
        "saved-searches",
    ] {
        let json = run(work.path(), &["ls", what, "--json"], &env, "").await;
        assert_eq!(json.code, 0, "{json:?}");
        let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(
            value.as_array().unwrap().len(),
            if what == "alerts" { 2 } else { 1 },
            "{what}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn hyperdx_export_applies_to_cloud_with_sources_mapped_by_name() {
    let (origin, _seeded, work) = exported().await;
    // Another deployment: its own "Logs" source (another id), a trace
    // source listed first, and a webhook of the same name.
    let target = FakeServer::start().await.unwrap();
    target.seed_trace_source("Traces");
    let logs = target.seed_log_source("Logs");
    let target_client = client(&target);
    target_client
        .webhooks()
        .create(&Webhook::new(
            "On call",
            WebhookService::Generic,
            "https://other.example.com/hook",
        ))
        .await
        .unwrap();
    let origin_source = client(&origin).sources().list().await.unwrap()[0]
        .id
        .clone()
        .unwrap();
    assert_ne!(origin_source, logs);

    let env = cloud(&target);
    let apply = run(work.path(), &["apply", "docs"], &env, "").await;
    assert_eq!(apply.code, 0, "{apply:?}");
    assert!(
        apply
            .stdout
            .contains("Target: Managed ClickStack at http://127.0.0.1:"),
        "{}",
        apply.stdout
    );
    assert!(
        apply
            .stdout
            .contains("Apply complete: 4 created, 0 updated, 0 deleted."),
        "{}",
        apply.stdout
    );
    let plan = run(work.path(), &["plan", "docs"], &env, "").await;
    assert_eq!(plan.code, 0, "{plan:?}");

    // The dashboard reads the target's "Logs", everywhere.
    let dashboards = target_client.dashboards().list().await.unwrap();
    let moved = &dashboards[0];
    assert_eq!(moved.name.as_deref(), Some("Service health"));
    assert_eq!(moved.source_ids(), std::slice::from_ref(&logs));
    let search = &target_client.saved_searches().list().await.unwrap()[0];
    assert_eq!(search.source_id, logs);
    // The alerts watch the target's search and tile.
    let alerts = target_client.alerts().list().await.unwrap();
    let on_tile = alerts
        .iter()
        .find(|a| a.name.value().map(String::as_str) == Some("Error spike"))
        .unwrap();
    assert_eq!(on_tile.dashboard_id.value(), moved.id.as_ref());
    assert_eq!(on_tile.tile_id.value(), moved.tiles()[0].id.as_ref());
    let on_search = alerts
        .iter()
        .find(|a| a.name.value().map(String::as_str) == Some("Too many errors"))
        .unwrap();
    assert_eq!(on_search.saved_search_id.value(), search.id.as_ref());

    // Exported back from Cloud, the documents are the same bytes, but for
    // the source ids (the target's) in the documents and sources.yaml.
    let back = run(work.path(), &["export", "--dir", "back"], &env, "").await;
    assert_eq!(back.code, 0, "{back:?}");
    let swap =
        |files: BTreeMap<PathBuf, Vec<u8>>, from: &str, to: &str| -> BTreeMap<PathBuf, String> {
            files
                .into_iter()
                .map(|(p, b)| (p, String::from_utf8(b).unwrap().replace(from, to)))
                .collect()
        };
    assert_eq!(
        swap(files(&work.path().join("back")), &logs, "SOURCE"),
        swap(files(&work.path().join("docs")), &origin_source, "SOURCE")
    );
}

/// Copies the crate's own HyperDX dashboard files into `dir`/dashboards.
fn hyperdx_files(dir: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/hyperdx");
    std::fs::create_dir_all(dir.join("dashboards")).unwrap();
    for name in ["checkout.json", "runtime.json"] {
        std::fs::copy(from.join(name), dir.join("dashboards").join(name)).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn hyperdx_dashboard_files_are_planned_applied_and_exported_on_both_backends() {
    for on_cloud in [false, true] {
        let fake = FakeServer::start().await.unwrap();
        fake.seed_log_source("App logs");
        fake.seed_trace_source("Requests");
        fake.seed_metric_source("Runtime metrics");
        let env = if on_cloud {
            cloud(&fake)
        } else {
            hyperdx(&fake)
        };
        let work = TempDir::new().unwrap();
        hyperdx_files(&work.path().join("files"));

        // Read as they are; what the APIs cannot hold is said, per tile.
        let validate = run(work.path(), &["validate", "files"], &env, "").await;
        assert_eq!(validate.code, 0, "{validate:?}");
        assert!(
            validate.stdout.contains(
                "warning: tile \"Goroutines (PromQL)\" is left out: the APIs have no PromQL tiles"
            ),
            "{}",
            validate.stdout
        );
        let plan = run(work.path(), &["plan", "files"], &env, "").await;
        assert_eq!(plan.code, 2, "{plan:?}");
        assert!(
            plan.stderr.contains(
                "warning: dashboards/runtime.json: tile \"GC pauses\": granularity is lost"
            ),
            "{}",
            plan.stderr
        );
        let apply = run(work.path(), &["apply", "files"], &env, "").await;
        assert_eq!(apply.code, 0, "{apply:?}");
        assert!(
            apply
                .stdout
                .contains("Apply complete: 2 created, 0 updated, 0 deleted."),
            "{}",
            apply.stdout
        );
        let again = run(work.path(), &["plan", "files"], &env, "").await;
        assert_eq!(again.code, 0, "{again:?}");

        // Exported as HyperDX files: files HyperDX imports, which plan
        // no change.
        let export = run(
            work.path(),
            &["export", "--dir", "out", "--format", "hyperdx"],
            &env,
            "",
        )
        .await;
        assert_eq!(export.code, 0, "{export:?}");
        assert!(!export.stderr.contains("warning"), "{}", export.stderr);
        for name in ["checkout.json", "checkout-runtime.json"] {
            let path = work.path().join("out/dashboards").join(name);
            let text = std::fs::read_to_string(&path).unwrap();
            let file = clickstack::hyperdx::DashboardFile::from_json(&text).unwrap();
            assert_eq!(file.version, "0.1.0");
            assert_eq!(file.check(), Vec::<String>::new(), "{name}");
        }
        let exported = run(work.path(), &["plan", "out"], &env, "").await;
        assert_eq!(exported.code, 0, "{exported:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_source_missing_on_the_target_fails_before_any_write() {
    let (_origin, _seeded, work) = exported().await;
    let target = FakeServer::start().await.unwrap();
    target.seed_log_source("Application logs");
    for command in ["plan", "apply"] {
        let out = run(work.path(), &[command, "docs"], &cloud(&target), "").await;
        assert_eq!(out.code, 1, "{out:?}");
        assert!(
            out.stderr
                .contains("(log source \"Logs\"): the target has no source named \"Logs\""),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("dashboard \"Service health\"")
                && out.stderr.contains("dashboards/service-health.yaml"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("nothing was changed"), "{}", out.stderr);
    }
    assert_eq!(target.writes().total(), 0);

    // The webhook alerts notify must exist too.
    target.seed_log_source("Logs");
    let out = run(work.path(), &["apply", "docs"], &cloud(&target), "").await;
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("webhook \"On call\" does not exist on the target"),
        "{}",
        out.stderr
    );
    assert_eq!(target.writes().total(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_never_appear_in_any_output() {
    let (fake, _seeded, work) = exported().await;
    let docs = work.path().join("docs");
    edit(
        &docs.join("alerts/too-many-errors.yaml"),
        "threshold: 100",
        "threshold: 150",
    );
    let secrets = [
        FakeServer::API_KEY,
        FakeServer::CLOUD_KEY_SECRET,
        "s3cr3t-Zebra-42",
    ];
    let mut runs = Vec::new();
    for env in [hyperdx(&fake), cloud(&fake)] {
        for args in [
            &["--help"][..],
            &["plan", "--help"],
            &["export", "--dir", "again"],
            &["plan", "docs"],
            &["plan", "docs", "--json"],
            &["validate", "docs"],
            &["ls", "webhooks", "--json"],
            &["apply", "docs", "--prune"],
            &["apply", "docs"],
        ] {
            runs.push(run(work.path(), args, &env, "").await);
        }
    }
    // Wrong secrets, in the environment and as flags.
    let mut wrong = hyperdx(&fake);
    wrong[1].1 = "s3cr3t-Zebra-42".into();
    runs.push(run(work.path(), &["plan", "docs"], &wrong, "").await);
    let mut wrong = cloud(&fake);
    wrong[1].1 = "s3cr3t-Zebra-42".into();
    runs.push(run(work.path(), &["ls", "dashboards"], &wrong, "").await);
    runs.push(
        run(
            work.path(),
            &[
                "ls",
                "sources",
                "--url",
                &fake.base_url(),
                "--api-key",
                "s3cr3t-Zebra-42",
            ],
            &Vec::new(),
            "",
        )
        .await,
    );
    runs.push(
        run(
            work.path(),
            &["ls", "sources", "--api-key", "s3cr3t-Zebra-42"],
            &Vec::new(),
            "",
        )
        .await,
    );
    // A token in a URL's query is not echoed either.
    let url = format!("{}/?token=s3cr3t-Zebra-42", fake.base_url());
    let args = ["ls", "sources", "--url", url.as_str(), "--api-key", "x"];
    runs.push(run(work.path(), &args, &Vec::new(), "").await);
    let failures: Vec<&Run> = runs.iter().filter(|r| r.code == 1).collect();
    assert!(failures.len() >= 5, "{runs:#?}");
    assert!(
        failures.iter().any(|r| r.stderr.contains("unauthorized")),
        "{failures:#?}"
    );
    for r in &runs {
        for secret in secrets {
            assert!(!r.all().contains(secret), "{secret} printed: {r:#?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn configuration_and_usage_errors_are_clear_and_exit_1() {
    let work = tempfile::tempdir().unwrap();
    let none = run(work.path(), &["ls", "dashboards"], &Vec::new(), "").await;
    assert_eq!(none.code, 1);
    assert!(
        none.stderr
            .contains("no backend configured: pass --url and --api-key"),
        "{}",
        none.stderr
    );
    let half = run(
        work.path(),
        &["ls", "dashboards", "--url", "http://127.0.0.1:9"],
        &Vec::new(),
        "",
    )
    .await;
    assert_eq!(half.code, 1);
    assert!(
        half.stderr
            .contains("CLICKSTACK_API_KEY (or --api-key) is not set"),
        "{}",
        half.stderr
    );
    let usage = run(work.path(), &["plan"], &Vec::new(), "").await;
    assert_eq!(
        usage.code, 1,
        "usage errors are 1, not clap's 2 (which means changes): {usage:?}"
    );
    let help = run(work.path(), &["--help"], &Vec::new(), "").await;
    assert_eq!(help.code, 0);
    assert!(
        help.stdout.contains("2  `plan` only: changes are pending"),
        "{}",
        help.stdout
    );

    // Flags win over the environment, also across backends.
    let fake = FakeServer::start().await.unwrap();
    let mut env = cloud(&fake);
    env.push(("CLICKSTACK_URL", "http://127.0.0.1:9".into()));
    env.push(("CLICKSTACK_API_KEY", "x".into()));
    let flags = [
        "ls",
        "dashboards",
        "--cloud-key-id",
        FakeServer::CLOUD_KEY_ID,
        "--cloud-api-url",
        &fake.base_url(),
    ];
    let cloud_run = run(work.path(), &flags, &env, "").await;
    assert_eq!(cloud_run.code, 0, "{cloud_run:?}");

    let missing = run(work.path(), &["plan", "nowhere"], &hyperdx(&fake), "").await;
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("nowhere is not a directory"),
        "{}",
        missing.stderr
    );
    std::fs::create_dir(work.path().join("empty")).unwrap();
    let empty = run(work.path(), &["plan", "empty"], &hyperdx(&fake), "").await;
    assert_eq!(empty.code, 1);
    assert!(
        empty
            .stderr
            .contains("holds none of dashboards/, saved-searches/, alerts/"),
        "{}",
        empty.stderr
    );
}
