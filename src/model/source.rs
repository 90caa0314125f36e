//! Data sources (log, trace, metric, session, `PromQL`).

use serde::Serialize;

use super::Resource;
use super::keep_extra::deserialize_keeping_extra;
use super::open_enum::open_enum;
use super::sparse::Extra;

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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceFrom {
    /// Database.
    #[serde(default)]
    pub database_name: String,
    /// Table (metric sources name their tables in `metricTables`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_name: Option<String>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    SourceFrom {
        "databaseName" => database_name,
        "tableName" => table_name,
    }
}

/// A data source: where tiles, searches and alerts read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// Server-assigned id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name (also what moves between deployments match on).
    #[serde(default)]
    pub name: String,
    /// What the source holds.
    pub kind: SourceKind,
    /// The connection (id) the source queries through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
    /// The table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<SourceFrom>,
    /// The timestamp expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_value_expression: Option<String>,
    /// Fields this crate does not name (expressions per kind), kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    Source {
        "id" => id,
        "name" => name,
        "connection" => connection,
        "from" => from,
        "timestampValueExpression" => timestamp_value_expression,
    }
    required {
        "kind" => kind,
    }
}

impl Resource for Source {
    const KIND: &'static str = "source";
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn to_create(&self) -> Self {
        let mut request = self.clone();
        request.id = None;
        super::strip_server_fields(&mut request.extra, &[]);
        request
    }
}
