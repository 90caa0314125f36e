//! Connections: the `ClickHouse` servers sources and raw SQL tiles query
//! (`HyperDX` lists them; Managed `ClickStack` has the service's own).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Resource;
use crate::field::Field;

/// A connection to a `ClickHouse` server (`HyperDX`). Its password is never
/// sent back by the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    /// Server-assigned id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name (what moves between deployments match on).
    pub name: String,
    /// The server's URL.
    pub host: String,
    /// The user it connects as.
    pub username: String,
    /// The prefix of `HyperDX` settings read from the server.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub hyperdx_setting_prefix: Field<String>,
    /// Whether it is a Prometheus endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_prometheus_endpoint: Option<bool>,
    /// Fields this crate does not name (timestamps), kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Resource for Connection {
    const KIND: &'static str = "connection";
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
    fn to_create(&self) -> Self {
        let mut request = self.clone();
        request.id = None;
        super::strip_server_fields(&mut request.extra, &[]);
        request
    }
}
