//! The facade's shared types accept every response the pinned specs allow,
//! invent nothing and lose nothing: derived mechanically from the specs, so
//! that it fails when a pin moves and the facade lags behind it.
//!
//! For every ClickStack GET of both pinned specs that returns a shared
//! resource, bodies are generated from the response schema (declared spec
//! fixes applied, as the clients are built):
//!
//! - `required`: every optional property omitted (so a field the facade
//!   requires but the spec does not fails here), arrays of one item, and a
//!   nullable value `null` half the time;
//! - `full`: every property present, nullable values `null` half the time;
//! - `random`: each optional property with even odds;
//! - each of the three again, `evolved` as a newer server would send it:
//!   an unknown property in every object, and one enum value in five
//!   (union discriminators included) one this crate does not know.
//!
//! Each item must decode into the facade type, and serialize back to
//! exactly what was sent: nothing added (no default filled in), nothing
//! dropped, `null` kept as `null` (numbers compare as numbers: `5` and
//! `5.0` are the same number). The same bodies are then served to the
//! facade's client, whose lists must return every item.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::PathBuf;

use clickstack::{Alert, Client, Connection, Dashboard, SavedSearch, Source, Webhook};
use clickstack_codegen::build_script::{load_spec, parse_json};
use clickstack_codegen::fixtures::{Fixtures, Shape, prepare};
use clickstack_codegen::manifest::Manifest;
use httpmock::MockServer;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Bodies generated per operation, shape and evolution.
const BODIES: usize = 40;
/// Of those, how many are also served to the client.
const SERVED: usize = 6;

/// The shared resource an operation returns.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Dashboard,
    Alert,
    Source,
    Webhook,
    SavedSearch,
    Connection,
}

/// An operation whose response holds shared resources.
struct Case {
    api: &'static str,
    operation: &'static str,
    kind: Kind,
    list: bool,
}

const fn case(api: &'static str, operation: &'static str, kind: Kind, list: bool) -> Case {
    Case {
        api,
        operation,
        kind,
        list,
    }
}

const CASES: [Case; 20] = [
    case("cloud", "clickStackListDashboards", Kind::Dashboard, true),
    case("cloud", "clickStackGetDashboard", Kind::Dashboard, false),
    case("cloud", "clickStackListAlerts", Kind::Alert, true),
    case("cloud", "clickStackGetAlert", Kind::Alert, false),
    case("cloud", "clickStackListSources", Kind::Source, true),
    case("cloud", "clickStackGetSource", Kind::Source, false),
    case("cloud", "clickStackListWebhooks", Kind::Webhook, true),
    case(
        "cloud",
        "clickStackListSavedSearches",
        Kind::SavedSearch,
        true,
    ),
    case(
        "cloud",
        "clickStackGetSavedSearch",
        Kind::SavedSearch,
        false,
    ),
    case("oss", "listDashboards", Kind::Dashboard, true),
    case("oss", "getDashboard", Kind::Dashboard, false),
    case("oss", "listAlerts", Kind::Alert, true),
    case("oss", "getAlert", Kind::Alert, false),
    case("oss", "listSources", Kind::Source, true),
    case("oss", "getSource", Kind::Source, false),
    case("oss", "listWebhooks", Kind::Webhook, true),
    case("oss", "listSavedSearches", Kind::SavedSearch, true),
    case("oss", "getSavedSearch", Kind::SavedSearch, false),
    case("oss", "listConnections", Kind::Connection, true),
    case("oss", "getConnection", Kind::Connection, false),
];

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The pinned spec of `api`, prepared for fixtures as the build prepares
/// it for the client (declared fixes, OpenAPI 3.0).
fn pinned(api: &str) -> Value {
    let manifest = Manifest::load(&workspace().join("specs").join(format!("{api}.json"))).unwrap();
    let (loaded, _) = load_spec(&manifest, &workspace()).unwrap();
    let mut doc = parse_json(&loaded.bytes, &loaded.path).unwrap();
    prepare(&mut doc, &manifest).unwrap();
    doc
}

/// The 200 JSON schema of `operation`, with its envelope's payload
/// (`result`, `data`) required.
///
/// Both specs mark the payload optional, but the facade refuses a 200
/// without it rather than read `{}` as an empty list (which would make
/// dashboards-as-code create or delete around resources it cannot see):
/// that one deviation is deliberate and tested in `tests/hostile.rs`.
fn response_schema(doc: &Value, api: &str, operation: &str) -> Value {
    for item in doc["paths"].as_object().unwrap().values() {
        if let Some(op) = item.get("get")
            && op["operationId"] == operation
        {
            let mut schema = op
                .pointer("/responses/200/content/application~1json/schema")
                .cloned()
                .unwrap();
            if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                schema = doc.pointer(&reference[1..]).cloned().unwrap();
            }
            let payload = if api == "cloud" { "result" } else { "data" };
            let required = schema
                .as_object_mut()
                .unwrap()
                .entry("required")
                .or_insert_with(|| Value::Array(Vec::new()));
            if !required.as_array().unwrap().contains(&Value::from(payload)) {
                required.as_array_mut().unwrap().push(Value::from(payload));
            }
            return schema;
        }
    }
    panic!("the pinned spec has no GET {operation}: the table above lags behind the pin")
}

/// Numbers as numbers: every number as an `f64`, so `5` equals `5.0`.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), canonical(v)))
                .collect::<Map<String, Value>>(),
        ),
        other => other.clone(),
    }
}

/// What differs between `sent` and `read`, as "invented", "lost" and
/// "changed" paths.
#[derive(Default)]
struct Differences {
    invented: Vec<String>,
    lost: Vec<String>,
    changed: Vec<String>,
}

impl Differences {
    fn walk(&mut self, path: &str, sent: &Value, read: &Value) {
        match (sent, read) {
            (Value::Object(s), Value::Object(r)) => {
                for (key, value) in s {
                    match r.get(key) {
                        Some(other) => self.walk(&format!("{path}.{key}"), value, other),
                        None => self.lost.push(format!("{path}.{key}")),
                    }
                }
                for key in r.keys().filter(|k| !s.contains_key(*k)) {
                    self.invented.push(format!("{path}.{key} = {}", r[key]));
                }
            }
            (Value::Array(s), Value::Array(r)) if s.len() == r.len() => {
                for (i, (a, b)) in s.iter().zip(r).enumerate() {
                    self.walk(&format!("{path}[{i}]"), a, b);
                }
            }
            (s, r) if s == r => {}
            (s, r) => self.changed.push(format!("{path}: {s} -> {r}")),
        }
    }

    fn is_empty(&self) -> bool {
        self.invented.is_empty() && self.lost.is_empty() && self.changed.is_empty()
    }
}

/// Decodes `item` (from its text, as from the wire) as `T` and serializes
/// it again.
fn round_trip<T: DeserializeOwned + Serialize>(item: &Value) -> Result<Value, String> {
    let text = item.to_string();
    let de = &mut serde_json::Deserializer::from_str(&text);
    let decoded: T = serde_path_to_error::deserialize(de)
        .map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))?;
    serde_json::to_value(&decoded).map_err(|e| e.to_string())
}

fn round_trip_as(kind: Kind, item: &Value) -> Result<Value, String> {
    match kind {
        Kind::Dashboard => round_trip::<Dashboard>(item),
        Kind::Alert => round_trip::<Alert>(item),
        Kind::Source => round_trip::<Source>(item),
        Kind::Webhook => round_trip::<Webhook>(item),
        Kind::SavedSearch => round_trip::<SavedSearch>(item),
        Kind::Connection => round_trip::<Connection>(item),
    }
}

/// The resources in a body: its envelope's payload, one or a list.
fn items(api: &str, body: &Value, list: bool) -> Vec<Value> {
    let payload = &body[if api == "cloud" { "result" } else { "data" }];
    if list {
        payload.as_array().cloned().unwrap_or_default()
    } else {
        vec![payload.clone()]
    }
}

/// Tally of one operation.
#[derive(Default)]
struct Tally {
    bodies: usize,
    items: usize,
    undecodable: usize,
    samples: Vec<String>,
    invented: usize,
    lost: usize,
    changed: usize,
}

fn shapes() -> Vec<(&'static str, Shape, bool)> {
    vec![
        ("required", Shape::Required, false),
        ("full", Shape::Full, false),
        ("random", Shape::Random, false),
        ("required, evolved", Shape::Required, true),
        ("full, evolved", Shape::Full, true),
        ("random, evolved", Shape::Random, true),
    ]
}

/// Every generated body of `case`, by shape.
fn bodies(doc: &Value, case: &Case) -> Vec<(&'static str, Vec<Value>)> {
    let schema = response_schema(doc, case.api, case.operation);
    shapes()
        .into_iter()
        .enumerate()
        .map(|(i, (label, shape, evolve))| {
            let seed = 0x5eed_0000 + i as u64 * 1000 + case.operation.len() as u64;
            let mut fixtures = Fixtures::new(doc, seed).with_shape(shape).evolving(evolve);
            (
                label,
                (0..BODIES).map(|_| fixtures.value(&schema)).collect(),
            )
        })
        .collect()
}

#[test]
fn every_response_the_pinned_specs_allow_decodes_and_reads_back_as_sent() {
    let docs = [("cloud", pinned("cloud")), ("oss", pinned("oss"))];
    let mut report = String::new();
    let mut failed = false;
    for case in &CASES {
        let doc = &docs.iter().find(|(api, _)| *api == case.api).unwrap().1;
        let mut tally = Tally::default();
        for (label, bodies) in bodies(doc, case) {
            for body in bodies {
                tally.bodies += 1;
                for item in items(case.api, &body, case.list) {
                    tally.items += 1;
                    match round_trip_as(case.kind, &item) {
                        Ok(read) => {
                            let mut d = Differences::default();
                            d.walk("", &canonical(&item), &canonical(&read));
                            tally.invented += d.invented.len();
                            tally.lost += d.lost.len();
                            tally.changed += d.changed.len();
                            if !d.is_empty() && tally.samples.len() < 3 {
                                tally.samples.push(format!(
                                    "{label}: invented {:?} lost {:?} changed {:?} in {item}",
                                    d.invented, d.lost, d.changed
                                ));
                            }
                        }
                        Err(e) => {
                            tally.undecodable += 1;
                            if tally.samples.len() < 3 {
                                tally.samples.push(format!("{label}: {e} in {item}"));
                            }
                        }
                    }
                }
            }
        }
        writeln!(
            report,
            "{:5} {:28} {:>4} bodies {:>5} items: {} undecodable, {} invented, {} lost, {} changed",
            case.api,
            case.operation,
            tally.bodies,
            tally.items,
            tally.undecodable,
            tally.invented,
            tally.lost,
            tally.changed
        )
        .unwrap();
        for sample in &tally.samples {
            let end = sample
                .char_indices()
                .nth(1500)
                .map_or(sample.len(), |(i, _)| i);
            writeln!(report, "      {}", &sample[..end]).unwrap();
        }
        failed |= tally.undecodable + tally.invented + tally.lost + tally.changed > 0;
    }
    println!("{report}");
    assert!(
        !failed,
        "the facade does not follow the pinned specs:\n{report}"
    );
}

/// The path of `case`'s operation on a server, for the mock.
fn path(case: &Case) -> String {
    let id = "65f5e4a3b9e77c001a567890";
    let resource = match case.kind {
        Kind::Dashboard => "dashboards",
        Kind::Alert => "alerts",
        Kind::Source => "sources",
        Kind::Webhook => "webhooks",
        Kind::SavedSearch => "saved-searches",
        Kind::Connection => "connections",
    };
    let prefix = if case.api == "cloud" {
        format!("/v1/organizations/{ORG}/services/{SVC}/clickstack")
    } else {
        "/api/v2".to_string()
    };
    if case.list {
        format!("{prefix}/{resource}")
    } else {
        format!("{prefix}/{resource}/{id}")
    }
}

const ORG: uuid::Uuid = uuid::Uuid::from_u128(0x11);
const SVC: uuid::Uuid = uuid::Uuid::from_u128(0x22);

fn client(api: &str, server: &MockServer) -> Client {
    let builder = if api == "cloud" {
        Client::cloud("key-id", "key-secret", ORG, SVC).base_url(server.base_url())
    } else {
        Client::oss(server.base_url(), "api-key")
    };
    builder
        .config(|c| c.rate_limit(None).retry(clickstack::RetryPolicy::none()))
        .build()
        .unwrap()
}

/// How many items `case`'s call returns for a body, and how many did not
/// decode.
async fn call(client: &Client, case: &Case) -> clickstack::Result<(usize, usize)> {
    let id = "65f5e4a3b9e77c001a567890";
    macro_rules! call {
        ($resources:expr) => {
            if case.list {
                $resources
                    .list()
                    .await
                    .map(|l| (l.len(), l.undecodable.len()))
            } else {
                $resources.get(id).await.map(|_| (1, 0))
            }
        };
    }
    match case.kind {
        Kind::Dashboard => call!(client.dashboards()),
        Kind::Alert => call!(client.alerts()),
        Kind::Source => call!(client.sources()),
        Kind::Webhook if case.list => call!(client.webhooks()),
        Kind::Webhook => unreachable!("webhooks are read by listing"),
        Kind::SavedSearch => call!(client.saved_searches()),
        Kind::Connection if case.list => client
            .connections()
            .await
            .map(|l| (l.len(), l.undecodable.len())),
        Kind::Connection => unreachable!("connections are read by listing"),
    }
}

#[tokio::test]
async fn the_client_returns_every_item_of_every_body() {
    let docs = [("cloud", pinned("cloud")), ("oss", pinned("oss"))];
    let server = MockServer::start_async().await;
    let mut served = 0;
    for case in &CASES {
        if matches!(case.kind, Kind::Connection) && !case.list {
            continue; // the facade reads connections by listing
        }
        let doc = &docs.iter().find(|(api, _)| *api == case.api).unwrap().1;
        let client = client(case.api, &server);
        for (label, bodies) in bodies(doc, case) {
            for body in bodies.into_iter().take(SERVED) {
                let expected = items(case.api, &body, case.list).len();
                let text = body.to_string();
                let mock = server
                    .mock_async(|when, then| {
                        when.path(path(case));
                        then.status(200)
                            .header("content-type", "application/json")
                            .body(text);
                    })
                    .await;
                let got = call(&client, case).await;
                mock.delete_async().await;
                served += 1;
                assert_eq!(
                    got.as_ref().ok(),
                    Some(&(expected, 0)),
                    "{} {} ({label}): {got:?} for {body}",
                    case.api,
                    case.operation
                );
            }
        }
    }
    println!("{served} bodies served, every item returned");
}
