//! Data sources (log, trace, metric, session, `PromQL`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Resource;
use super::open_enum::open_enum;
use crate::field::Field;

open_enum! {
    /// What kind of data a source holds.
    pub enum SourceKind {
        /// Logs.
        Log = "log",
        /// Traces.
        Trace = "trace",
        /// Metrics.
        Metric = "metric",
        /// Session replays.
        Session = "session",
        /// A PromQL endpoint.
        Promql = "promql",
    }
}

/// Where a source's table is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceFrom {
    /// Database.
    pub database_name: String,
    /// Table (metric sources may send `null` and name their tables in
    /// `metricTables`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub table_name: Field<String>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A data source: where tiles, searches and alerts read from. The fields
/// each kind adds (expressions, metric tables, linked sources) are in
/// `extra`, as the server sent them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// Server-assigned id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name (also what moves between deployments match on).
    pub name: String,
    /// What the source holds.
    pub kind: SourceKind,
    /// The connection (id) the source queries through.
    pub connection: String,
    /// The table.
    pub from: SourceFrom,
    /// The timestamp expression (optional for session sources).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub timestamp_value_expression: Field<String>,
    /// Fields this crate does not name (expressions per kind), kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Resource for Source {
    const KIND: &'static str = "source";
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
