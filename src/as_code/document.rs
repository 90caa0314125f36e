//! Documents: resources as they are kept in a repository, without the
//! server's ids, referring to each other by name.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::field::Field;
use crate::model::{
    Alert, AlertChannel, AlertInterval, AlertSource, ChannelKind, Dashboard, Resource, SavedSearch,
    SourceKind, ThresholdType, strip_server_fields,
};

/// A dashboard as a portable document: no id, team, timestamps, tile ids
/// or filter ids, so it can be committed to a repository and applied to
/// any deployment of either backend. Its source ids are those of the
/// deployment it was written for; [`Documents::sources`] names them, so
/// that they can be mapped onto another deployment's sources.
///
/// ```
/// use clickstack::{Dashboard, DashboardDocument, Tile, TileConfig};
/// let document = DashboardDocument::new(
///     Dashboard::new("Service health").tile(Tile::new("Notes", TileConfig::markdown("# Runbook"))),
/// );
/// let text = document.to_json_pretty()?;
/// assert_eq!(DashboardDocument::from_json(&text)?, document);
/// # Ok::<(), clickstack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DashboardDocument(pub Dashboard);

impl DashboardDocument {
    /// The document of a dashboard (the server's fields removed).
    pub fn new(dashboard: Dashboard) -> Self {
        let mut dashboard = dashboard;
        dashboard.id = None;
        strip_server_fields(&mut dashboard.extra, &[]);
        for tile in dashboard.tiles.iter_mut().flatten() {
            tile.id = None;
        }
        for filter in dashboard.filters.iter_mut().flatten() {
            filter.id = None;
        }
        DashboardDocument(dashboard)
    }

    /// The document of a dashboard read from a server.
    pub fn from_dashboard(dashboard: &Dashboard) -> Self {
        Self::new(dashboard.clone())
    }

    /// The dashboard's name (what plans match on; empty when it has none).
    pub fn name(&self) -> &str {
        self.0.name.as_deref().unwrap_or_default()
    }

    /// Pretty JSON.
    pub fn to_json_pretty(&self) -> Result<String> {
        serde_json::to_string_pretty(&self.0).map_err(|e| Error::InvalidInput(e.to_string()))
    }

    /// Parses a JSON document, naming the failing field.
    pub fn from_json(text: &str) -> Result<Self> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de)
            .map(DashboardDocument::new)
            .map_err(|e| Error::InvalidInput(format!("at `{}`: {}", e.path(), e.inner())))
    }
}

impl From<Dashboard> for DashboardDocument {
    fn from(dashboard: Dashboard) -> Self {
        Self::new(dashboard)
    }
}

/// A saved search as a portable document: no id, team or timestamps.
///
/// ```
/// use clickstack::{SavedSearch, SavedSearchDocument};
/// let document = SavedSearchDocument::new(SavedSearch::new("Errors", "65f5e4a3b9e77c001a111111", "level:error"));
/// assert_eq!(document.name(), "Errors");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SavedSearchDocument(pub SavedSearch);

impl SavedSearchDocument {
    /// The document of a saved search (the server's fields removed).
    pub fn new(search: SavedSearch) -> Self {
        let mut search = search;
        search.id = None;
        search.team_id = None;
        search.created_at = None;
        search.updated_at = None;
        strip_server_fields(&mut search.extra, &[]);
        SavedSearchDocument(search)
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.0.name
    }
}

impl From<SavedSearch> for SavedSearchDocument {
    fn from(search: SavedSearch) -> Self {
        Self::new(search)
    }
}

/// A notification channel of an [`AlertDocument`]: the webhook by name
/// (`webhook: On call`), or by id in the channel itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelDocument {
    /// The webhook notified, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<String>,
    /// The channel as the APIs describe it (`webhook_id` when the webhook
    /// is given by id).
    #[serde(flatten)]
    pub channel: AlertChannel,
}

impl ChannelDocument {
    /// Notify the webhook named `name`.
    pub fn webhook(name: impl Into<String>) -> Self {
        let mut channel = AlertChannel::webhook(String::new());
        channel.webhook_id = None;
        ChannelDocument {
            webhook: Some(name.into()),
            channel,
        }
    }
}

/// An alert as a portable document: what it watches and where it notifies
/// are named, not given by id, since ids differ between deployments.
///
/// - `savedSearch: <name>` for `savedSearchId`;
/// - `dashboard: <name>` and `tile: <tile name>` for `dashboardId` and
///   `tileId`;
/// - `webhook: <name>` in each channel for `webhookId`.
///
/// Each may be given by id instead, in the alert's own field (an id that
/// no longer names anything on the deployment stays an id when exported).
/// Sources of Cloud's inline alerts are mapped like a dashboard's.
///
/// ```
/// use clickstack::{AlertDocument, AlertInterval, ThresholdType};
/// let alert = AlertDocument::on_tile("Service health", "Errors", 5.0, ThresholdType::Above, AlertInterval::Minutes5)
///     .name("Error spike")
///     .webhook("On call");
/// let json = serde_json::to_value(&alert).unwrap();
/// assert_eq!(json["dashboard"], "Service health");
/// assert_eq!(json["tile"], "Errors");
/// assert_eq!(json["channels"][0]["webhook"], "On call");
/// assert_eq!(json["threshold"], 5);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertDocument {
    /// The saved search watched, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved_search: Option<String>,
    /// The dashboard of the tile watched, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dashboard: Option<String>,
    /// The tile watched, by name (on `dashboard`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tile: Option<String>,
    /// The first channel, when the document gives one channel this way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<ChannelDocument>,
    /// Where it notifies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<ChannelDocument>>,
    /// The rest of the alert, as the APIs describe it (its `channel` and
    /// `channels` are the document's).
    #[serde(flatten)]
    pub alert: Alert,
}

impl AlertDocument {
    fn new(alert: Alert) -> Self {
        AlertDocument {
            saved_search: None,
            dashboard: None,
            tile: None,
            channel: None,
            channels: None,
            alert,
        }
    }

    /// An alert on the saved search named `saved_search`.
    pub fn on_saved_search(
        saved_search: impl Into<String>,
        threshold: f64,
        threshold_type: ThresholdType,
        interval: AlertInterval,
    ) -> Self {
        let mut alert = Alert::on_saved_search("", threshold, threshold_type, interval);
        alert.saved_search_id = Field::Absent;
        AlertDocument {
            saved_search: Some(saved_search.into()),
            ..AlertDocument::new(alert)
        }
    }

    /// An alert on the tile named `tile` of the dashboard named
    /// `dashboard`.
    pub fn on_tile(
        dashboard: impl Into<String>,
        tile: impl Into<String>,
        threshold: f64,
        threshold_type: ThresholdType,
        interval: AlertInterval,
    ) -> Self {
        let mut alert = Alert::on_tile("", "", threshold, threshold_type, interval);
        alert.dashboard_id = Field::Absent;
        alert.tile_id = Field::Absent;
        AlertDocument {
            dashboard: Some(dashboard.into()),
            tile: Some(tile.into()),
            ..AlertDocument::new(alert)
        }
    }

    /// The document of an alert whose references are ids (they stay ids).
    pub fn from_alert(alert: &Alert) -> Self {
        let mut alert = alert.to_create();
        let channels = alert
            .channels
            .take()
            .or_else(|| alert.channel.take().map(|c| vec![c]));
        alert.channel = None;
        AlertDocument {
            channels: channels.map(|channels| {
                channels
                    .into_iter()
                    .map(|channel| ChannelDocument {
                        webhook: None,
                        channel,
                    })
                    .collect()
            }),
            ..AlertDocument::new(alert)
        }
    }

    /// Reads an alert document from JSON (as a file holds it). A value
    /// that does not fit names the failing field's path, also inside the
    /// alert's own fields and its channels.
    ///
    /// ```
    /// use clickstack::AlertDocument;
    /// use serde_json::json;
    /// let err = AlertDocument::from_value(&json!({"name": "x", "threshold": "high"})).unwrap_err();
    /// assert!(err.to_string().contains("at `threshold`"), "{err}");
    /// ```
    pub fn from_value(value: &serde_json::Value) -> Result<AlertDocument> {
        let error = match serde_json::from_value::<AlertDocument>(value.clone()) {
            Ok(document) => return Ok(document),
            Err(e) => e,
        };
        Err(Error::InvalidInput(
            locate_alert_error(value).unwrap_or_else(|| error.to_string()),
        ))
    }

    /// Names the alert (what plans match on).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.alert.name = Field::Value(name.into());
        self
    }

    /// Also notifies the webhook named `name`.
    #[must_use]
    pub fn webhook(mut self, name: impl Into<String>) -> Self {
        self.channels
            .get_or_insert_with(Vec::new)
            .push(ChannelDocument::webhook(name));
        self
    }

    /// Its name (empty when it has none).
    pub fn alert_name(&self) -> &str {
        self.alert.name.value().map_or("", String::as_str)
    }

    /// Its channels: `channels`, else `channel`.
    pub fn all_channels(&self) -> Vec<&ChannelDocument> {
        match (&self.channels, &self.channel) {
            (Some(channels), _) => channels.iter().collect(),
            (None, Some(channel)) => vec![channel],
            (None, None) => Vec::new(),
        }
    }

    /// The alert as the request the APIs take, with a placeholder id
    /// (`000000000000000000000000`) for each reference given by name: for
    /// checking the document's shape against the APIs' schemas without a
    /// server.
    pub fn request_shape(&self) -> Alert {
        const PLACEHOLDER: &str = "000000000000000000000000";
        let mut alert = self.alert.to_create();
        alert.source = self.watches();
        if self.saved_search.is_some() {
            alert.saved_search_id = Field::Value(PLACEHOLDER.into());
        }
        if self.dashboard.is_some() {
            alert.dashboard_id = Field::Value(PLACEHOLDER.into());
        }
        if self.tile.is_some() {
            alert.tile_id = Field::Value(PLACEHOLDER.into());
        }
        let channels: Vec<AlertChannel> = self
            .all_channels()
            .into_iter()
            .map(|c| {
                let mut channel = c.channel.clone();
                if c.webhook.is_some() {
                    channel.webhook_id = Some(PLACEHOLDER.into());
                }
                if channel.kind.is_none() && c.is_webhook() {
                    channel.kind = Some(ChannelKind::Webhook);
                }
                channel
            })
            .collect();
        if !channels.is_empty() {
            alert.channel = channels.first().cloned();
            alert.channels = Some(channels);
        }
        alert
    }

    /// What the alert watches, as its `source` says or its references
    /// imply.
    pub fn watches(&self) -> Option<AlertSource> {
        self.alert.source.clone().or_else(|| {
            if self.dashboard.is_some() || self.alert.dashboard_id.value().is_some() {
                Some(AlertSource::Tile)
            } else if self.saved_search.is_some() || self.alert.saved_search_id.value().is_some() {
                Some(AlertSource::SavedSearch)
            } else {
                None
            }
        })
    }
}

/// `at `path`: message` of the first part of an alert document's JSON
/// that does not decode: its own keys, each channel, or the alert's
/// fields (serde's `flatten` loses paths, so each part is decoded alone).
fn locate_alert_error(value: &serde_json::Value) -> Option<String> {
    fn at<T: serde::de::DeserializeOwned>(
        value: serde_json::Value,
        prefix: &str,
    ) -> Option<String> {
        serde_path_to_error::deserialize::<_, T>(value)
            .err()
            .map(|e| {
                let path = e.path().to_string();
                let path = match (prefix.is_empty(), path.as_str()) {
                    (true, _) => path,
                    (false, ".") => prefix.to_string(),
                    (false, _) => format!("{prefix}.{path}"),
                };
                format!("at `{path}`: {}", e.into_inner())
            })
    }
    let mut rest = value.as_object()?.clone();
    for key in ["savedSearch", "dashboard", "tile"] {
        if let Some(v) = rest.remove(key)
            && let Some(e) = at::<Option<String>>(v, key)
        {
            return Some(e);
        }
    }
    let channels: Vec<(String, serde_json::Value)> =
        match (rest.remove("channels"), rest.remove("channel")) {
            (Some(serde_json::Value::Array(items)), channel) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (format!("channels[{i}]"), v))
                .chain(channel.map(|c| ("channel".to_string(), c)))
                .collect(),
            (Some(other), _) => return at::<Vec<serde_json::Value>>(other, "channels"),
            (None, channel) => channel
                .map(|c| ("channel".to_string(), c))
                .into_iter()
                .collect(),
        };
    for (path, mut channel) in channels {
        if let Some(map) = channel.as_object_mut()
            && let Some(webhook) = map.remove("webhook")
            && let Some(e) = at::<Option<String>>(webhook, &format!("{path}.webhook"))
        {
            return Some(e);
        }
        if let Some(e) = at::<AlertChannel>(channel, &path) {
            return Some(e);
        }
    }
    at::<Alert>(serde_json::Value::Object(rest), "")
}

impl ChannelDocument {
    /// Whether the channel is a webhook's (the APIs' default kind).
    pub fn is_webhook(&self) -> bool {
        self.channel
            .kind
            .as_ref()
            .is_none_or(|kind| *kind == ChannelKind::Webhook)
    }
}

/// A source as documents name it: its name and kind on the deployment the
/// documents were written for. Plans map a document's source id to the
/// target's source of that name (and kind).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// The source's name.
    pub name: String,
    /// Its kind, when known (`HyperDX`'s dashboard files name sources
    /// without one); a plan then also checks the target's kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SourceKind>,
}

/// A connection as documents name it (raw SQL tiles): its name on the
/// deployment the documents were written for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionRef {
    /// The connection's name.
    pub name: String,
}

/// A dashboard document mapped onto a target
/// ([`Documents::dashboard_on_target`]).
#[derive(Debug, Clone, PartialEq)]
pub struct OnTarget {
    /// The dashboard, with the target's ids.
    pub dashboard: Dashboard,
    /// The dashboards its click actions open that only the documents
    /// hold, by name (the target has no id for them yet).
    pub pending_links: Vec<String>,
}

/// The resources that should exist: what a repository of documents holds.
///
/// ```
/// use clickstack::{AlertDocument, AlertInterval, Dashboard, DashboardDocument, Documents, ThresholdType};
/// let mut documents = Documents::default();
/// documents.dashboards.push(DashboardDocument::new(Dashboard::new("Service health")));
/// documents.alerts.push(
///     AlertDocument::on_tile("Service health", "Errors", 5.0, ThresholdType::Above, AlertInterval::Minutes5)
///         .name("Error spike"),
/// );
/// assert_eq!(documents.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Documents {
    /// Dashboards.
    #[serde(default)]
    pub dashboards: Vec<DashboardDocument>,
    /// Saved searches.
    #[serde(default)]
    pub saved_searches: Vec<SavedSearchDocument>,
    /// Alerts.
    #[serde(default)]
    pub alerts: Vec<AlertDocument>,
    /// The sources the documents use, by the id they use (on the
    /// deployment they were written for).
    #[serde(default)]
    pub sources: BTreeMap<String, SourceRef>,
    /// The connections raw SQL tiles use, by the id they use.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub connections: BTreeMap<String, ConnectionRef>,
}

impl Documents {
    /// The documents with every source id mapped onto `state`'s sources
    /// (by the names [`Documents::sources`] gives), and the connections of
    /// raw SQL tiles and the dashboards click actions open resolved, as a
    /// plan maps them; what cannot be mapped is a problem. A click that
    /// opens a dashboard only the documents hold keeps its name (a plan
    /// creates that dashboard first; [`Documents::dashboard_on_target`]
    /// lists such links).
    pub fn on_target(&self, state: &super::State) -> Result<Documents, super::PlanError> {
        let mut mapped = self.clone();
        let mut problems = Vec::new();
        for dashboard in &mut mapped.dashboards {
            match self.dashboard_on_target(dashboard, state) {
                Ok(on_target) => dashboard.0 = on_target.dashboard,
                Err(e) => problems.extend(e.problems),
            }
        }
        if !problems.is_empty() {
            return Err(super::PlanError { problems });
        }
        let map =
            super::sources::map(self, state).map_err(|problems| super::PlanError { problems })?;
        let lookup = |id: &str| map.get(id).cloned();
        for search in &mut mapped.saved_searches {
            if let Some(new) = lookup(&search.0.source_id) {
                search.0.source_id = new;
            }
        }
        for alert in &mut mapped.alerts {
            if let Some(config) = &mut alert.alert.chart_config {
                config.map_source_ids(&lookup);
            }
        }
        Ok(mapped)
    }

    /// `dashboard` (one of these documents, or one to add to them) as a
    /// plan maps it onto `state`: its sources by the names these
    /// documents give them, the connections of its raw SQL tiles, and
    /// the dashboards its click actions open. A dashboard only these
    /// documents hold stays its name (a plan creates it first): those
    /// are [`OnTarget::pending_links`].
    pub fn dashboard_on_target(
        &self,
        dashboard: &DashboardDocument,
        state: &super::State,
    ) -> Result<OnTarget, super::PlanError> {
        let only = Documents {
            dashboards: vec![dashboard.clone()],
            sources: self.sources.clone(),
            ..Documents::default()
        };
        let map =
            super::sources::map(&only, state).map_err(|problems| super::PlanError { problems })?;
        let mut mapped = dashboard.0.clone();
        mapped.map_source_ids(|id| map.get(id).cloned());
        let links = super::planner::connections_and_links(&mut mapped, self, state);
        if links.problems.is_empty() {
            Ok(OnTarget {
                dashboard: mapped,
                pending_links: links.pending,
            })
        } else {
            Err(super::PlanError {
                problems: links.problems,
            })
        }
    }

    /// Names the sources the documents use, as `live` (a target's sources)
    /// names them, else as `previous` did; returns who uses a source
    /// neither names (`(id, users)`).
    pub fn name_sources(
        &mut self,
        live: &[crate::model::Source],
        previous: &BTreeMap<String, SourceRef>,
    ) -> Vec<(String, String)> {
        let (named, unknown) = super::sources::name_sources(self, live, previous);
        self.sources = named;
        unknown
    }

    /// How many documents (sources not counted).
    pub fn len(&self) -> usize {
        self.dashboards.len() + self.saved_searches.len() + self.alerts.len()
    }

    /// Whether there is no document.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
