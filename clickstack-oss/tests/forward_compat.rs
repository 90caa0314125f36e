//! What a newer HyperDX server may send must decode and round-trip: an
//! unknown enum value, an unknown tile type, unknown fields. Also shows the
//! typed httpmock helpers users get with the `httpmock` feature.

// Test helpers unwrap as the tests do (clippy.toml's allow-unwrap-in-tests
// covers `#[test]` functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use clickstack_oss::mock::MockServerExt;
use clickstack_oss::types::{AlertThresholdType, DashboardsListResponse, TileConfig};
use clickstack_oss::{Client, Credentials};
use serde_json::json;

#[test]
fn unknown_enum_value_is_kept_and_sent_back() {
    let value: AlertThresholdType = serde_json::from_value(json!("between_inclusive")).unwrap();
    assert_eq!(
        value,
        AlertThresholdType::Unknown("between_inclusive".into())
    );
    assert_eq!(value.to_string(), "between_inclusive");
    assert_eq!(
        serde_json::to_value(&value).unwrap(),
        json!("between_inclusive")
    );
    let known: AlertThresholdType = "above".parse().unwrap();
    assert_eq!(known, AlertThresholdType::Above);
}

fn newer_dashboard() -> serde_json::Value {
    json!({
        "id": "65f5e4a3b9e77c001a567890",
        "name": "From a newer server",
        "tiles": [
            {
                "id": "65f5e4a3b9e77c001a901234",
                "name": "Flows",
                "x": 0, "y": 0, "w": 6, "h": 3,
                "config": {
                    "displayType": "sankey",
                    "sourceId": "65f5e4a3b9e77c001a111111",
                    "nodes": [{"id": "a"}, {"id": "b"}],
                    "links": [{"from": "a", "to": "b", "weight": 3}]
                }
            },
            {
                "id": "65f5e4a3b9e77c001a901235",
                "name": "Notes",
                "x": 6, "y": 0, "w": 6, "h": 3,
                "config": {"displayType": "markdown", "markdown": "# hi"}
            }
        ],
        "tags": [],
        "aNewTopLevelField": {"ignored": true}
    })
}

#[test]
fn unknown_fields_are_kept_and_written_back() {
    let raw = json!({ "data": [newer_dashboard()] });
    let decoded: DashboardsListResponse = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(
        decoded.data.as_ref().unwrap()[0].extra["aNewTopLevelField"],
        json!({"ignored": true})
    );
    assert_eq!(serde_json::to_value(&decoded).unwrap(), raw);
}

#[test]
fn unknown_tile_type_decodes_and_round_trips() {
    let raw = json!({ "data": [newer_dashboard()] });
    let decoded: DashboardsListResponse = serde_json::from_value(raw.clone()).unwrap();
    let tiles = decoded.data.as_ref().unwrap()[0].tiles.as_ref().unwrap();
    let unknown = &tiles[0].config;
    assert!(
        matches!(unknown, Some(TileConfig::Unknown(v)) if v["displayType"] == "sankey"),
        "{unknown:?}"
    );
    assert!(
        matches!(tiles[1].config, Some(TileConfig::MarkdownChartConfig(_))),
        "{:?}",
        tiles[1].config
    );
    // The unknown tile is written back exactly as the server sent it.
    let reencoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(
        reencoded["data"][0]["tiles"][0]["config"],
        raw["data"][0]["tiles"][0]["config"]
    );
}

#[tokio::test]
async fn typed_httpmock_helpers_mock_an_operation() {
    let server = httpmock::MockServer::start_async().await;
    let body: DashboardsListResponse =
        serde_json::from_value(json!({ "data": [newer_dashboard()] })).unwrap();
    let mock = server.list_dashboards(|when, then| {
        let _ = when;
        then.ok(&body);
    });
    let client = Client::new(&server.base_url(), Credentials::bearer("k")).unwrap();
    let listed = client.list_dashboards().await.unwrap().into_inner();
    assert_eq!(listed, body);
    mock.assert();
}
