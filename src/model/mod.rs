//! Resource types shared by both backends.
//!
//! The two APIs describe dashboards, alerts, sources, webhooks and saved
//! searches with nearly the same JSON. The shared types name the fields
//! both have and keep everything else, verbatim, in `extra` (flattened into
//! the same JSON object), so converting from either backend's generated
//! type and back loses nothing, and a resource read from one backend can be
//! written to the other. Tile configs are kept as raw JSON ([`TileConfig`]).
//!
//! Responses are read through the generated types, so what is kept is what
//! the pinned spec defines, plus values and shapes a newer server adds where
//! the generated types are open (unknown enum values, unknown tile types and
//! other union variants); a field a newer server adds to a known object is
//! ignored, like every unknown field.

mod alert;
mod dashboard;
mod saved_search;
mod source;
mod webhook;

pub use alert::Alert;
pub use dashboard::{Dashboard, Tile, TileConfig};
pub use saved_search::SavedSearch;
pub use source::Source;
pub use webhook::Webhook;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// What the facade needs to know about a shared resource type.
pub trait Resource: Serialize + DeserializeOwned + Clone {
    /// Human-readable kind, for errors and spans ("dashboard").
    const KIND: &'static str;
    /// Fields the server assigns; dropped from request bodies and exports.
    const SERVER_FIELDS: &'static [&'static str];
    /// The server-assigned id, once the resource exists.
    fn id(&self) -> Option<&str>;
}

/// Fields every backend assigns to stored resources.
pub(crate) const COMMON_SERVER_FIELDS: [&str; 6] =
    ["id", "_id", "teamId", "createdAt", "updatedAt", "__v"];

/// The resource as a JSON object without server-assigned fields.
pub(crate) fn portable<R: Resource>(resource: &R) -> Result<Map<String, Value>> {
    let mut object = match serde_json::to_value(resource) {
        Ok(Value::Object(map)) => map,
        Ok(_) => {
            return Err(Error::InvalidInput(format!(
                "a {} must be a JSON object",
                R::KIND
            )));
        }
        Err(e) => return Err(Error::InvalidInput(format!("{}: {e}", R::KIND))),
    };
    for field in COMMON_SERVER_FIELDS.iter().chain(R::SERVER_FIELDS) {
        object.remove(*field);
    }
    Ok(object)
}

/// Converts a shared resource into a backend's generated request type,
/// naming the field that does not fit.
pub(crate) fn to_request<R: Resource, T: DeserializeOwned>(resource: &R) -> Result<T> {
    let object = portable(resource)?;
    serde_path_to_error::deserialize(Value::Object(object)).map_err(|e| {
        Error::InvalidInput(format!(
            "the {} does not fit this backend's request at `{}`: {}",
            R::KIND,
            e.path(),
            e.inner()
        ))
    })
}

/// Converts a backend's JSON into a shared resource type.
pub(crate) fn from_wire<T: DeserializeOwned>(value: Value, status: u16) -> Result<T> {
    serde_path_to_error::deserialize(&value).map_err(|e| Error::Decode {
        status: Some(status),
        message: format!("at `{}`: {}", e.path(), e.inner()),
        body: value.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hyperdx_dashboard() -> Value {
        json!({
            "id": "65f5e4a3b9e77c001a567890",
            "name": "Checkout",
            "tags": ["prod"],
            "tiles": [
                {"id": "t1", "name": "Errors", "x": 0, "y": 0, "w": 12, "h": 4, "containerId": "c1",
                 "config": {"displayType": "number", "sourceId": "s1",
                            "select": [{"aggFn": "count", "valueExpression": ""}]}},
                {"id": "t2", "name": "Future", "x": 12, "y": 0, "w": 12, "h": 4,
                 "config": {"displayType": "sankey", "nodes": [1]}}
            ],
            "containers": [{"id": "c1", "title": "Overview", "collapsed": false}],
            "savedQuery": "ServiceName:api",
            "savedQueryLanguage": "lucene",
            "savedFilterValues": [{"type": "sql", "condition": "x = 1"}],
            "onlyOnHyperdx": {"kept": true}
        })
    }

    #[test]
    fn from_and_back_to_the_wire_is_lossless() {
        let wire = hyperdx_dashboard();
        let dashboard: Dashboard = from_wire(wire.clone(), 200).unwrap();
        assert_eq!(dashboard.tiles.len(), 2);
        assert_eq!(dashboard.extra["onlyOnHyperdx"], json!({"kept": true}));
        assert_eq!(serde_json::to_value(&dashboard).unwrap(), wire);
    }

    #[test]
    fn a_hyperdx_dashboard_fits_cloud_and_hyperdx_requests_with_its_tiles() {
        let dashboard: Dashboard = from_wire(hyperdx_dashboard(), 200).unwrap();
        let cloud: clickstack_cloud::types::ClickStackCreateDashboardRequest =
            to_request(&dashboard).unwrap();
        let oss: clickstack_oss::types::CreateDashboardRequest = to_request(&dashboard).unwrap();
        for body in [
            serde_json::to_value(&cloud).unwrap(),
            serde_json::to_value(&oss).unwrap(),
        ] {
            assert!(
                body.get("id").is_none(),
                "server fields are not sent: {body}"
            );
            assert_eq!(body["tiles"].as_array().unwrap().len(), 2);
            assert_eq!(body["tiles"][0]["config"]["displayType"], "number");
            assert_eq!(
                body["tiles"][1]["config"],
                json!({"displayType": "sankey", "nodes": [1]})
            );
            assert_eq!(body["containers"][0]["title"], "Overview");
        }
    }

    #[test]
    fn a_body_that_does_not_fit_names_the_field() {
        let mut dashboard: Dashboard = from_wire(hyperdx_dashboard(), 200).unwrap();
        dashboard.containers = vec![json!(5)];
        let err = to_request::<_, clickstack_oss::types::CreateDashboardRequest>(&dashboard)
            .unwrap_err()
            .to_string();
        assert!(err.contains("containers[0]"), "{err}");
    }
}
