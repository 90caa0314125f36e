//! The resource types both backends share, typed and forward-compatible.
//!
//! The two APIs describe dashboards, alerts, sources, webhooks and saved
//! searches with nearly the same JSON, so one set of types serves both, and
//! a resource read from one backend can be written to the other. Responses
//! decode straight into these types, in one pass, and requests are
//! serialized from them: there is no conversion through the generated
//! types or through `serde_json::Value`.
//!
//! Forward compatibility:
//! - every enum has `Unknown(String)` for values a newer server adds;
//! - a tile config of a kind this crate does not know stays raw JSON
//!   ([`TileConfig::Unknown`]) and is written back byte for byte;
//! - every object keeps the fields this crate does not name in `extra`;
//! - a field the server did not send stays absent: nothing is filled in.
//!
//! Compact: the fields that most objects leave unset live in
//! [`Sparse`] groups, `more` and `extra`, which read and write like plain
//! fields (`tile.more.description = Some(..)`) but take one pointer and
//! no allocation while unset, so a decoded list stays under twice the size
//! of its JSON.
//!
//! Three states for what a write may keep, clear or set: lists and maps
//! are `Option`s (`None` not sent, `Some(vec![])` sent as `[]`), nullable
//! values are [`Field`](crate::Field)s.

mod alert;
mod common;
mod dashboard;
pub(crate) mod exact_seq;
pub(crate) mod keep_extra;
pub(crate) mod open_enum;
mod saved_search;
mod source;
pub(crate) mod sparse;
mod tile;
mod tile_decode;
mod webhook;

pub use alert::{
    Alert, AlertChannel, AlertInterval, AlertSource, AlertState, ChannelKind, ThresholdType,
};
pub use common::{
    AggFn, ConfigType, LineInterpolation, MetricType, Number, NumberFormat, NumberOutput,
    QueryLanguage,
};
pub use dashboard::{
    Container, ContainerTab, Dashboard, Filter, FilterKind, FilterMore, SavedFilterKind,
    SavedFilterValue, Tile, TileMore,
};
pub use saved_search::{SavedSearch, SavedSearchFilter};
pub use source::{Source, SourceFrom, SourceKind};
pub use sparse::{Extra, Sparse, SparseFields};
pub use tile::{
    ChartConfig, ChartMore, Formula, HeatmapConfig, HeatmapSelect, MarkdownConfig, SearchConfig,
    SelectItem, SelectMore, TileConfig,
};
pub use webhook::{Webhook, WebhookService};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// What the client needs to know about a shared resource type.
pub trait Resource: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// Human-readable kind, for errors and spans ("dashboard").
    const KIND: &'static str;
    /// The server-assigned id, once the resource exists.
    fn id(&self) -> Option<&str>;
    /// The name (what dashboards-as-code matches on).
    fn name(&self) -> &str;
    /// The resource as a create request: without the fields the server
    /// assigns (id, team, timestamps).
    fn to_create(&self) -> Self;
    /// The resource as an update request (ids of parts the server matches,
    /// such as tiles and filters, are kept).
    fn to_update(&self) -> Self {
        self.to_create()
    }
}

/// Fields the servers add to stored resources: never sent back, left out
/// of documents.
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
pub(crate) fn strip_server_fields(extra: &mut Extra, more: &[&str]) {
    if let Some(map) = Sparse::get_mut(extra) {
        map.retain(|key, _| {
            !SERVER_FIELDS.contains(&key.as_str()) && !more.contains(&key.as_str())
        });
    }
    Sparse::compact(extra);
}
