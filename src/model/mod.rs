//! The resource types both backends share, typed and forward-compatible.
//!
//! The two APIs describe dashboards, alerts, sources, webhooks and saved
//! searches with nearly the same JSON, so one set of types serves both, and
//! a resource read from one backend can be written to the other. Responses
//! decode straight into these types and requests are serialized from them:
//! there is no conversion through the generated types.
//!
//! Spec-true: a field that either pinned spec lets a response leave out is
//! an `Option`; where a spec lets it be `null`, a [`Field`](crate::Field),
//! which keeps the three states apart. A field the server did not send
//! stays absent, and a `null` stays `null`, after decoding and after
//! serializing again: nothing is filled in. (The workspace checks this
//! against bodies generated from both pinned specs' response schemas.)
//!
//! Forward-compatible:
//! - every enum has `Unknown(String)` for values a newer server adds, and
//!   `as_str()`, `is_unknown()` and `Display`;
//! - a tile config of a kind this crate does not know stays raw JSON
//!   ([`TileConfig::Unknown`]) and is written back unchanged;
//! - every object keeps the fields this crate does not name in `extra`.
//!
//! Three states for what a write may keep, clear or set: lists and maps
//! are `Option`s (`None` not sent, `Some(vec![])` sent as `[]`), nullable
//! values are [`Field`](crate::Field)s.

mod alert;
mod common;
mod connection;
mod dashboard;
mod exact;
pub(crate) mod open_enum;
mod saved_search;
mod source;
mod tile;
mod webhook;

pub use alert::{
    Alert, AlertChannel, AlertExecutionError, AlertInterval, AlertSilenced, AlertSource,
    AlertState, ChannelKind, Severity, ThresholdType,
};
pub use common::{
    AggFn, ConfigType, LineInterpolation, MetricType, Number, NumberFormat, NumberOutput,
    QueryLanguage,
};
pub use connection::Connection;
pub use dashboard::{
    Container, ContainerTab, Dashboard, Filter, FilterKind, SavedFilterKind, SavedFilterValue, Tile,
};
pub use saved_search::{SavedSearch, SavedSearchFilter};
pub use source::{Source, SourceFrom, SourceKind};
pub use tile::{
    BackgroundChart, ChartConfig, Formula, HeatmapConfig, HeatmapSelect, MarkdownConfig, OnClick,
    OnClickKind, OnClickTarget, OnClickTargetMode, SearchConfig, SelectItem, TileConfig,
};
pub use webhook::{Webhook, WebhookService};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// What the client needs to know about a shared resource type.
pub trait Resource: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// Human-readable kind, for errors and spans ("dashboard").
    const KIND: &'static str;
    /// The server-assigned id, once the resource exists.
    fn id(&self) -> Option<&str>;
    /// The name (what dashboards-as-code matches on), when it has one.
    fn name(&self) -> Option<&str>;
    /// The resource as a create request: without the fields the server
    /// assigns (id, team, timestamps, state).
    fn to_create(&self) -> Self;
    /// The resource as an update request (ids of parts the server matches,
    /// such as tiles and filters, are kept).
    fn to_update(&self) -> Self {
        self.to_create()
    }
}

/// Fields the servers add to stored resources that the types do not name:
/// never sent back, left out of documents.
pub(crate) const SERVER_FIELDS: [&str; 9] = [
    "_id",
    "__v",
    "team",
    "teamId",
    "createdAt",
    "updatedAt",
    "createdBy",
    "updatedBy",
    "requestId",
];

/// Removes the server's fields (and `more`) from an `extra` map.
pub(crate) fn strip_server_fields(extra: &mut Map<String, Value>, more: &[&str]) {
    extra.retain(|key, _| !SERVER_FIELDS.contains(&key.as_str()) && !more.contains(&key.as_str()));
}
