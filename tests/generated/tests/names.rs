//! Names never break generation. `build.rs` writes a synthetic spec whose
//! operation ids, path and query parameters, properties, schemas and enum
//! values are Rust keywords, start with a digit, are empty or only
//! symbols, or collide once case and punctuation are folded; the pipeline
//! generates it into the client included below (compiled with this test).
//! Each test checks that the generated code sends and receives the exact
//! wire names.
#![allow(
    missing_docs,
    unused_imports,
    unused_qualifications,
    unreachable_pub,
    dead_code,
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    non_camel_case_types,
    non_snake_case,
    mismatched_lifetime_syntaxes
)]

include!(concat!(env!("OUT_DIR"), "/synthetic_client.rs"));

mod mock {
    include!(concat!(env!("OUT_DIR"), "/synthetic_httpmock.rs"));
}

use serde_json::json;

fn client(server: &httpmock::MockServer) -> Client {
    let config = clickstack_runtime::Config::new(clickstack_runtime::Credentials::none())
        .retry(clickstack_runtime::RetryPolicy::none());
    Client::with_config(&server.base_url(), config).unwrap()
}

/// A body whose property names are every hostile kind.
fn weird() -> serde_json::Value {
    json!({
        "type": "t", "match": "m", "self": "s", "Self": "S", "crate": "c", "async": "a", "ref": "r",
        "in": "i", "fn": "f", "1st": "1", "": "empty", "$$": "dollars", "a-b": "dash", "a_b": "under",
        "A_B": "upper", "extra": "a field named like the unknown-fields map",
        "odd": "a-b", "plain": "UNKNOWN", "single": "only", "inline": "x_y",
        "lower": {"x": "1"}, "upper": {"y": "2"}, "digit": {"z": "3"},
        "notInTheSpec": {"kept": true}
    })
}

#[tokio::test]
async fn keyword_digit_symbol_and_colliding_parameters_keep_their_wire_names() {
    let server = httpmock::MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::GET)
                .path("/things/T/M")
                .query_param("$$", "dollars")
                .query_param("1x", "digit")
                .query_param("a-b", "dash")
                .query_param("a_b", "under")
                .query_param("async", "kw")
                .query_param("kind", "a b")
                .query_param("self", "lower")
                .query_param("Self", "upper");
            then.status(200).json_body(weird());
        })
        .await;
    let kind = types::Odd::AB;
    let response = client(&server)
        .type_(
            "T",
            "M",
            Some("dollars"),
            Some("digit"),
            Some("dash"),
            Some("under"),
            Some("kw"),
            Some(&kind),
            Some("lower"),
            Some("upper"),
        )
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(
        serde_json::to_value(response.into_inner()).unwrap(),
        weird()
    );
}

#[tokio::test]
async fn colliding_path_parameters_and_operation_ids() {
    let server = httpmock::MockServer::start_async().await;
    let pairs = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::GET).path("/pairs/one/two");
            then.status(200).json_body(json!({"x": "lower"}));
        })
        .await;
    let c = client(&server);
    // `get-thing` and `getThing` both fold to `get_thing`: the second is `get_thing2`.
    let lower = c.get_thing("one", "two").await.unwrap().into_inner();
    pairs.assert_async().await;
    assert_eq!(lower.x.as_deref(), Some("lower"));

    let posted = server
        .mock_async(|when, then| {
            when.method(httpmock::Method::POST)
                .path("/things")
                .json_body(weird());
            then.status(200).json_body(weird());
        })
        .await;
    let body: types::Weird = serde_json::from_value(weird()).unwrap();
    let echoed = c.get_thing2(&body).await.unwrap().into_inner();
    posted.assert_async().await;
    assert_eq!(echoed, body);
}

#[tokio::test]
async fn keyword_digit_empty_and_symbol_operation_ids() {
    let server = httpmock::MockServer::start_async().await;
    for (path, body) in [
        ("/first", json!({"y": "Type"})),
        ("/empty", json!({"z": "digit"})),
        ("/symbols", json!("")),
        ("/new", json!("known")),
    ] {
        server
            .mock_async(|when, then| {
                when.method(httpmock::Method::GET).path(path);
                then.status(200).json_body(body);
            })
            .await;
    }
    let c = client(&server);
    // `1st`, `` (empty), `$$` and `new` (the constructor's name).
    assert_eq!(
        c._1st().await.unwrap().into_inner().y.as_deref(),
        Some("Type")
    );
    assert_eq!(
        c.get_empty().await.unwrap().into_inner().z.as_deref(),
        Some("digit")
    );
    assert_eq!(
        c.get_symbols().await.unwrap().into_inner(),
        types::Odd::Empty
    );
    assert_eq!(c.new2().await.unwrap().into_inner(), types::Plain::Known);
}

#[test]
fn enum_values_that_fold_together_stay_distinct_and_exact() {
    let values = [
        "a b", "a-b", "a_b", "", "self", "Self", "UNKNOWN", "1st", "$$",
    ];
    let decoded: Vec<types::Odd> = values
        .iter()
        .map(|v| serde_json::from_value(json!(v)).unwrap())
        .collect();
    for (i, a) in decoded.iter().enumerate() {
        assert!(
            !matches!(a, types::Odd::Unknown(_)),
            "{:?} is a known value",
            values[i]
        );
        for b in &decoded[i + 1..] {
            assert_ne!(a, b);
        }
        assert_eq!(serde_json::to_value(a).unwrap(), json!(values[i]));
        assert_eq!(a.to_string(), values[i]);
    }
    // The catch-all is never taken by a spec value...
    let newer: types::Odd = serde_json::from_value(json!("a.b")).unwrap();
    assert_eq!(newer, types::Odd::Unknown("a.b".into()));
    // ...even when typify names a spec value `Unknown` (it becomes `UnknownValue`).
    let spec_unknown: types::Plain = serde_json::from_value(json!("UNKNOWN")).unwrap();
    assert_eq!(spec_unknown, types::Plain::UnknownValue);
    let later: types::Plain = serde_json::from_value(json!("LATER")).unwrap();
    assert_eq!(later, types::Plain::Unknown("LATER".into()));
    // A single-value enum is open too.
    let other: types::Single = serde_json::from_value(json!("another")).unwrap();
    assert_eq!(serde_json::to_value(other).unwrap(), json!("another"));
}

#[test]
fn schemas_whose_names_fold_together_get_distinct_types() {
    // `type` and `Type` are both `Type` in Rust: the second is `Type2`;
    // `1Thing` starts with a digit.
    let body: types::Weird = serde_json::from_value(weird()).unwrap();
    let lower: &Option<types::Type> = &body.lower;
    let upper: &Option<types::Type2> = &body.upper;
    let digit: &Option<types::X1thing> = &body.digit;
    assert_eq!(lower.as_ref().and_then(|t| t.x.as_deref()), Some("1"));
    assert_eq!(upper.as_ref().and_then(|t| t.y.as_deref()), Some("2"));
    assert_eq!(digit.as_ref().and_then(|t| t.z.as_deref()), Some("3"));
    // Unknown fields are kept even beside a property named `extra`.
    assert_eq!(body.extra2["notInTheSpec"], json!({"kept": true}));
    assert_eq!(serde_json::to_value(&body).unwrap(), weird());
}

#[tokio::test]
async fn the_mock_helpers_use_the_wire_names_too() {
    use mock::MockServerExt;
    let server = httpmock::MockServer::start_async().await;
    let m = server.type_(|when, then| {
        when.type_("T").match_("M").a_b("dash").a_b2("under");
        then.ok(&serde_json::from_value(weird()).unwrap());
    });
    client(&server)
        .type_(
            "T",
            "M",
            None,
            None,
            Some("dash"),
            Some("under"),
            None,
            None,
            None,
            None,
        )
        .await
        .unwrap();
    m.assert();
}
