//! Resource types shared by both backends.
//!
//! The two APIs describe dashboards, alerts, sources, webhooks and saved
//! searches with nearly the same JSON. The shared types name the fields
//! both have and keep everything else, verbatim, in `extra` (flattened into
//! the same JSON object), so converting from either backend's generated
//! type and back loses nothing, and a resource read from one backend can be
//! written to the other. Tile configs are kept as raw JSON ([`TileConfig`]).

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
