//! Webhooks (alert destinations).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Resource;
use super::open_enum::open_enum;

open_enum! {
    /// The service a webhook posts to.
    pub enum WebhookService {
        /// A Slack incoming webhook.
        Slack = "slack",
        /// Any HTTP endpoint (body template, headers).
        Generic = "generic",
        /// incident.io.
        IncidentIo = "incidentio",
        /// Slack's API (Cloud).
        SlackApi = "slack_api",
        /// PagerDuty's API (Cloud).
        PagerDutyApi = "pagerduty_api",
    }
}

/// A webhook alerts can notify.
///
/// `headers` and `query_params` are written but never read back by the
/// servers; `Some(BTreeMap::new())` clears them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// Server-assigned id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    pub name: String,
    /// The service.
    pub service: WebhookService,
    /// Target URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Body template (generic webhooks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Extra request headers (generic webhooks; written, never read back).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    /// Extra query parameters (generic webhooks; written, never read back).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_params: Option<BTreeMap<String, String>>,
    /// When it was created (set by the server, RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When it last changed (set by the server, RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Fields this crate does not name (server fields), kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Webhook {
    /// A webhook to `url`.
    pub fn new(name: impl Into<String>, service: WebhookService, url: impl Into<String>) -> Self {
        Webhook {
            id: None,
            name: name.into(),
            service,
            url: Some(url.into()),
            body: None,
            headers: None,
            query_params: None,
            created_at: None,
            updated_at: None,
            extra: Map::new(),
        }
    }
}

impl Resource for Webhook {
    const KIND: &'static str = "webhook";
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn name(&self) -> Option<&str> {
        Some(&self.name)
    }
    fn to_create(&self) -> Self {
        let mut request = self.clone();
        request.id = None;
        request.created_at = None;
        request.updated_at = None;
        super::strip_server_fields(&mut request.extra, &[]);
        request
    }
}
