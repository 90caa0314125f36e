//! Alerts on saved searches and dashboard tiles.

use serde::Serialize;

use super::Resource;
use super::keep_extra::deserialize_keeping_extra;
use super::open_enum::open_enum;
use super::sparse::Extra;
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

/// A notification channel of an alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertChannel {
    /// Which kind of channel.
    #[serde(rename = "type")]
    pub kind: ChannelKind,
    /// The webhook notified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_id: Option<String>,
    /// The recipients (email).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_recipients: Option<Vec<String>>,
    /// Fields this crate does not name (severity, Slack channel), kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    AlertChannel {
        "webhookId" => webhook_id,
        "emailRecipients" => email_recipients as seq,
    }
    required {
        "type" => kind,
    }
}

impl AlertChannel {
    /// Notify webhook `webhook_id`.
    pub fn webhook(webhook_id: impl Into<String>) -> Self {
        AlertChannel {
            kind: ChannelKind::Webhook,
            webhook_id: Some(webhook_id.into()),
            email_recipients: None,
            extra: Extra::default(),
        }
    }
}

/// An alert. `threshold`, `threshold_type` and `interval` are always sent
/// (both APIs require them). An alert update replaces the whole alert.
///
/// ```
/// use clickstack::{Alert, AlertChannel, AlertInterval, ThresholdType};
/// let alert = Alert::on_saved_search("65f5e4a3b9e77c001a111111", 100.0, ThresholdType::Above, AlertInterval::Minutes5)
///     .name("Too many errors")
///     .channel(AlertChannel::webhook("65f5e4a3b9e77c001a222222"));
/// let json = serde_json::to_value(&alert).unwrap();
/// assert_eq!(json["thresholdType"], "above");
/// assert_eq!(json["interval"], "5m");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// Server-assigned id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// What it watches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    /// Group by (saved-search alerts).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub group_by: Field<String>,
    /// The threshold.
    pub threshold: f64,
    /// Upper bound for `between` and `not_between`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub threshold_max: Field<f64>,
    /// How the value compares with the threshold.
    pub threshold_type: ThresholdType,
    /// How often it is evaluated.
    pub interval: AlertInterval,
    /// Where it notifies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<AlertChannel>,
    /// Every channel (the first is `channel`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    /// Its state (server-assigned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<AlertState>,
    /// Fields this crate does not name (schedule, silencing, errors,
    /// server fields), kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    Alert {
        "id" => id,
        "name" => name,
        "source" => source,
        "savedSearchId" => saved_search_id,
        "dashboardId" => dashboard_id,
        "tileId" => tile_id,
        "groupBy" => group_by,
        "thresholdMax" => threshold_max,
        "channel" => channel,
        "channels" => channels as seq,
        "message" => message,
        "note" => note,
        "numConsecutiveWindows" => num_consecutive_windows,
        "state" => state,
    }
    required {
        "threshold" => threshold,
        "thresholdType" => threshold_type,
        "interval" => interval,
    }
}

impl Alert {
    fn new(threshold: f64, threshold_type: ThresholdType, interval: AlertInterval) -> Self {
        Alert {
            id: None,
            name: Field::Absent,
            source: None,
            saved_search_id: Field::Absent,
            dashboard_id: Field::Absent,
            tile_id: Field::Absent,
            group_by: Field::Absent,
            threshold,
            threshold_max: Field::Absent,
            threshold_type,
            interval,
            channel: None,
            channels: None,
            message: Field::Absent,
            note: Field::Absent,
            num_consecutive_windows: Field::Absent,
            state: None,
            extra: Extra::default(),
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
}

impl Resource for Alert {
    const KIND: &'static str = "alert";
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn name(&self) -> &str {
        self.name.value().map_or("", String::as_str)
    }
    fn to_create(&self) -> Self {
        let mut request = self.clone();
        request.id = None;
        request.state = None;
        super::strip_server_fields(&mut request.extra, &["silenced", "executionErrors"]);
        request
    }
}
