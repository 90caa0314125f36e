//! Alerts on saved searches and dashboard tiles.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Resource;
use super::common::Number;
use super::open_enum::open_enum;
use super::tile::TileConfig;
use crate::field::Field;

open_enum! {
    /// What an alert watches.
    pub enum AlertSource {
        /// A saved search (`saved_search_id`).
        SavedSearch = "saved_search",
        /// A dashboard tile (`dashboard_id`, `tile_id`).
        Tile = "tile",
        /// An inline chart config (Cloud).
        Inline = "inline",
    }
}

open_enum! {
    /// How the value compares with the threshold.
    pub enum ThresholdType {
        /// Above or equal.
        Above = "above",
        /// Below.
        Below = "below",
        /// Strictly above.
        AboveExclusive = "above_exclusive",
        /// Below or equal.
        BelowOrEqual = "below_or_equal",
        /// Equal.
        Equal = "equal",
        /// Not equal.
        NotEqual = "not_equal",
        /// Between `threshold` and `threshold_max`.
        Between = "between",
        /// Outside `threshold`..`threshold_max`.
        NotBetween = "not_between",
    }
}

open_enum! {
    /// How often an alert is evaluated.
    pub enum AlertInterval {
        /// 30 seconds (Cloud).
        Seconds30 = "30s",
        /// 1 minute.
        Minute1 = "1m",
        /// 5 minutes.
        Minutes5 = "5m",
        /// 15 minutes.
        Minutes15 = "15m",
        /// 30 minutes.
        Minutes30 = "30m",
        /// 1 hour.
        Hour1 = "1h",
        /// 6 hours.
        Hours6 = "6h",
        /// 12 hours.
        Hours12 = "12h",
        /// 1 day.
        Day1 = "1d",
    }
}

open_enum! {
    /// Where an alert notifies.
    pub enum ChannelKind {
        /// A webhook (`webhook_id`).
        Webhook = "webhook",
        /// Email (`email_recipients`, Cloud).
        Email = "email",
    }
}

open_enum! {
    /// The state of an alert (set by the server).
    pub enum AlertState {
        /// Firing.
        Alert = "ALERT",
        /// Not firing.
        Ok = "OK",
        /// Not enough data.
        InsufficientData = "INSUFFICIENT_DATA",
        /// Disabled.
        Disabled = "DISABLED",
        /// Pending.
        Pending = "PENDING",
    }
}

open_enum! {
    /// How severe a webhook notification is (Cloud).
    pub enum Severity {
        /// Critical.
        Critical = "critical",
        /// Error.
        Error = "error",
        /// Warning.
        Warning = "warning",
        /// Information.
        Info = "info",
    }
}

/// A notification channel of an alert: a webhook or, on Cloud, email
/// recipients (the members of the APIs' channel union).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertChannel {
    /// Which kind of channel (`HyperDX` may leave it out: a webhook).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<ChannelKind>,
    /// The webhook notified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_id: Option<String>,
    /// The recipients (email).
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub email_recipients: Option<Vec<String>>,
    /// The service of the webhook (Cloud, set by the server).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub webhook_service: Field<String>,
    /// The Slack channel posted to (Cloud).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub slack_channel_id: Field<String>,
    /// How severe the notification is (Cloud).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub severity: Field<Severity>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AlertChannel {
    /// Notify webhook `webhook_id`.
    pub fn webhook(webhook_id: impl Into<String>) -> Self {
        AlertChannel {
            webhook_id: Some(webhook_id.into()),
            ..AlertChannel::new(Some(ChannelKind::Webhook))
        }
    }

    /// Email `recipients` (Cloud).
    pub fn email(recipients: impl IntoIterator<Item = impl Into<String>>) -> Self {
        AlertChannel {
            email_recipients: Some(recipients.into_iter().map(Into::into).collect()),
            ..AlertChannel::new(Some(ChannelKind::Email))
        }
    }

    fn new(kind: Option<ChannelKind>) -> Self {
        AlertChannel {
            kind,
            webhook_id: None,
            email_recipients: None,
            webhook_service: Field::Absent,
            slack_channel_id: Field::Absent,
            severity: Field::Absent,
            extra: Map::new(),
        }
    }
}

/// When an alert is silenced until.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlertSilenced {
    /// Who silenced it.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub by: Field<String>,
    /// When (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Until when (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An error of an alert's last evaluations (set by the server).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertExecutionError {
    /// When (RFC 3339).
    pub timestamp: String,
    /// What failed (`QUERY_ERROR`, `WEBHOOK_ERROR`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// The message.
    pub message: String,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An alert on a saved search, a dashboard tile or (Cloud) a chart of its
/// own. An alert update replaces the whole alert: what it leaves out is
/// cleared.
///
/// Both APIs require `threshold`, `threshold_type` and `interval` when an
/// alert is written; the constructors set them. Read back, every field the
/// server may leave out is an `Option` or a [`Field`].
///
/// ```
/// use clickstack::{Alert, AlertChannel, AlertInterval, ThresholdType};
/// let alert = Alert::on_saved_search("65f5e4a3b9e77c001a111111", 100.0, ThresholdType::Above, AlertInterval::Minutes5)
///     .name("Too many errors")
///     .channel(AlertChannel::webhook("65f5e4a3b9e77c001a222222"));
/// let json = serde_json::to_value(&alert).unwrap();
/// assert_eq!(json["thresholdType"], "above");
/// assert_eq!(json["threshold"], 100);
/// assert_eq!(json["interval"], "5m");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// Server-assigned id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Name shown (Cloud).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub display_name: Field<String>,
    /// Tags (Cloud).
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub tags: Option<Vec<String>>,
    /// What it watches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<AlertSource>,
    /// The saved search watched.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub saved_search_id: Field<String>,
    /// The dashboard of the tile watched.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub dashboard_id: Field<String>,
    /// The tile watched.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub tile_id: Field<String>,
    /// The chart watched (Cloud `inline` alerts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart_config: Option<TileConfig>,
    /// Group by (saved-search alerts).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub group_by: Field<String>,
    /// The threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Number>,
    /// Upper bound for `between` and `not_between`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub threshold_max: Field<Number>,
    /// How the value compares with the threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_type: Option<ThresholdType>,
    /// How often it is evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<AlertInterval>,
    /// Minutes after the interval's start at which it is evaluated.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub schedule_offset_minutes: Field<i64>,
    /// When evaluation starts (RFC 3339).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub schedule_start_at: Field<String>,
    /// Where it notifies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<AlertChannel>,
    /// Every channel (the first is `channel`).
    #[serde(
        default,
        deserialize_with = "super::exact::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub channels: Option<Vec<AlertChannel>>,
    /// Notification message template.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub message: Field<String>,
    /// A note for whoever is paged.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub note: Field<String>,
    /// Windows in a row over the threshold before firing.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub num_consecutive_windows: Field<i64>,
    /// Its state (set by the server).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<AlertState>,
    /// Whether and until when it is silenced (set by the server).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub silenced: Field<AlertSilenced>,
    /// Errors of its last evaluations (set by the server).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub execution_errors: Field<Vec<AlertExecutionError>>,
    /// The team (set by the server).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// When it was created (set by the server, RFC 3339).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub created_at: Field<String>,
    /// When it last changed (set by the server, RFC 3339).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub updated_at: Field<String>,
    /// Fields this crate does not name, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Alert {
    fn new(threshold: f64, threshold_type: ThresholdType, interval: AlertInterval) -> Self {
        Alert {
            threshold: Some(Number(threshold)),
            threshold_type: Some(threshold_type),
            interval: Some(interval),
            ..Alert::default()
        }
    }

    /// An alert on a saved search.
    pub fn on_saved_search(
        saved_search_id: impl Into<String>,
        threshold: f64,
        threshold_type: ThresholdType,
        interval: AlertInterval,
    ) -> Self {
        Alert {
            source: Some(AlertSource::SavedSearch),
            saved_search_id: Field::Value(saved_search_id.into()),
            ..Alert::new(threshold, threshold_type, interval)
        }
    }

    /// An alert on a dashboard tile.
    pub fn on_tile(
        dashboard_id: impl Into<String>,
        tile_id: impl Into<String>,
        threshold: f64,
        threshold_type: ThresholdType,
        interval: AlertInterval,
    ) -> Self {
        Alert {
            source: Some(AlertSource::Tile),
            dashboard_id: Field::Value(dashboard_id.into()),
            tile_id: Field::Value(tile_id.into()),
            ..Alert::new(threshold, threshold_type, interval)
        }
    }

    /// Names the alert.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Field::Value(name.into());
        self
    }

    /// Notifies `channel` (also as the only entry of `channels`).
    #[must_use]
    pub fn channel(mut self, channel: AlertChannel) -> Self {
        self.channels = Some(vec![channel.clone()]);
        self.channel = Some(channel);
        self
    }

    /// Sets the message template.
    #[must_use]
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Field::Value(message.into());
        self
    }
}

impl Resource for Alert {
    const KIND: &'static str = "alert";
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn name(&self) -> Option<&str> {
        self.name.value().map(String::as_str)
    }
    fn to_create(&self) -> Self {
        let mut request = self.clone();
        request.id = None;
        request.state = None;
        request.silenced = Field::Absent;
        request.execution_errors = Field::Absent;
        request.team_id = None;
        request.created_at = Field::Absent;
        request.updated_at = Field::Absent;
        super::strip_server_fields(&mut request.extra, &[]);
        request
    }
}
