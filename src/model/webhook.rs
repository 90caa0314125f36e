//! Webhooks (alert destinations).

use std::collections::BTreeMap;

use serde::Serialize;

use super::Resource;
use super::keep_extra::deserialize_keeping_extra;
use super::open_enum::open_enum;
use super::sparse::Extra;
use crate::field::Field;

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
/// `headers` and `query_params` are written but never read back by `HyperDX`;
/// `Some(BTreeMap::new())` clears them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// Server-assigned id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// The service.
    pub service: WebhookService,
    /// Target URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// Body template (generic webhooks).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub body: Field<String>,
    /// Extra request headers (generic webhooks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    /// Extra query parameters (generic webhooks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_params: Option<BTreeMap<String, String>>,
    /// Fields this crate does not name (server fields), kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_keeping_extra! {
    Webhook {
        "id" => id,
        "name" => name,
        "url" => url,
        "description" => description,
        "body" => body,
        "headers" => headers,
        "queryParams" => query_params,
    }
    required {
        "service" => service,
    }
}

impl Webhook {
    /// A webhook to `url`.
    pub fn new(name: impl Into<String>, service: WebhookService, url: impl Into<String>) -> Self {
        Webhook {
            id: None,
            name: name.into(),
            service,
            url: Some(url.into()),
            description: Field::Absent,
            body: Field::Absent,
            headers: None,
            query_params: None,
            extra: Extra::default(),
        }
    }
}

impl Resource for Webhook {
    const KIND: &'static str = "webhook";
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
