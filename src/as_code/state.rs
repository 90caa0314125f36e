//! What a target holds, fetched once (one list per kind) for a plan.

use std::collections::BTreeSet;

use clickstack_runtime::UndecodableItem;
use progenitor_client::ClientInfo;

use super::plan::Kind;
use crate::client::{Backend, BackendKind, Client};
use crate::error::Result;
use crate::model::{Alert, Connection, Dashboard, Resource, SavedSearch, Source, Webhook};
use crate::resources::Listing;

/// What a target holds of each kind a plan needs: every list fetched once,
/// the items that did not decode included.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The backend.
    pub backend: BackendKind,
    /// The target ([`Client::target`]).
    pub target: String,
    /// The kinds fetched (the others are empty).
    pub fetched: BTreeSet<Kind>,
    /// Dashboards.
    pub dashboards: Listing<Dashboard>,
    /// Saved searches.
    pub saved_searches: Listing<SavedSearch>,
    /// Alerts.
    pub alerts: Listing<Alert>,
    /// Sources.
    pub sources: Listing<Source>,
    /// Webhooks.
    pub webhooks: Listing<Webhook>,
    /// Connections (`HyperDX` only: Managed `ClickStack` has no connections
    /// API, so they are never fetched there).
    pub connections: Listing<Connection>,
}

fn empty<R>() -> Listing<R> {
    Listing {
        items: Vec::new(),
        undecodable: Vec::new(),
    }
}

impl State {
    /// A target that holds nothing (for building a state by hand, as a
    /// test of a plan would).
    pub fn empty(backend: BackendKind, target: impl Into<String>) -> Self {
        State {
            backend,
            target: target.into(),
            fetched: BTreeSet::new(),
            dashboards: empty(),
            saved_searches: empty(),
            alerts: empty(),
            sources: empty(),
            webhooks: empty(),
            connections: empty(),
        }
    }

    /// `alert` as a document: the saved search, dashboard, tile and
    /// webhooks it refers to named as this state names them (an id it does
    /// not know stays an id).
    pub fn alert_document(&self, alert: &Alert) -> super::AlertDocument {
        super::references::alert_document(alert, self).0
    }

    /// The items of `kind` that did not decode.
    pub fn undecodable(&self, kind: Kind) -> &[UndecodableItem] {
        match kind {
            Kind::Dashboard => &self.dashboards.undecodable,
            Kind::SavedSearch => &self.saved_searches.undecodable,
            Kind::Alert => &self.alerts.undecodable,
            Kind::Source => &self.sources.undecodable,
            Kind::Webhook => &self.webhooks.undecodable,
            Kind::Connection => &self.connections.undecodable,
        }
    }
}

/// Whether two names are the same name (the servers trim names).
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    a.trim() == b.trim()
}

/// The resources of `items` named `name`, else (as `HyperDX` matches
/// sources and connections on import) those whose name differs only in
/// case.
pub(crate) fn named_loosely<'a, R: Resource>(items: &'a [R], name: &str) -> Vec<&'a R> {
    let exact = named(items, name);
    if !exact.is_empty() {
        return exact;
    }
    let folded = name.trim().to_lowercase();
    items
        .iter()
        .filter(|item| {
            item.name()
                .is_some_and(|n| n.trim().to_lowercase() == folded)
        })
        .collect()
}

/// The resources of `items` named `name`.
pub(crate) fn named<'a, R: Resource>(items: &'a [R], name: &str) -> Vec<&'a R> {
    items
        .iter()
        .filter(|item| item.name().is_some_and(|n| same_name(n, name)))
        .collect()
}

/// The resource of `items` whose id is `id`.
pub(crate) fn by_id<'a, R: Resource>(items: &'a [R], id: &str) -> Option<&'a R> {
    items.iter().find(|item| item.id() == Some(id))
}

impl Client {
    /// What this client talks to, as plans record it: the API's base URL,
    /// and for Cloud the organization and service.
    pub fn target(&self) -> String {
        match &self.backend {
            Backend::Cloud {
                client,
                organization,
                service,
            } => format!(
                "{} organization {organization} service {service}",
                client.baseurl()
            ),
            Backend::Oss { client } => client.baseurl().to_string(),
        }
    }

    /// Fetches what the target holds of `kinds`, one list per kind.
    pub async fn fetch_state(&self, kinds: &BTreeSet<Kind>) -> Result<State> {
        let mut state = State::empty(self.backend(), self.target());
        for kind in kinds {
            match kind {
                Kind::Source => state.sources = self.sources().list().await?,
                Kind::Webhook => state.webhooks = self.webhooks().list().await?,
                Kind::SavedSearch => state.saved_searches = self.saved_searches().list().await?,
                Kind::Dashboard => state.dashboards = self.dashboards().list().await?,
                Kind::Alert => state.alerts = self.alerts().list().await?,
                Kind::Connection => {
                    if self.backend() == BackendKind::Cloud {
                        continue;
                    }
                    state.connections = self.connections().await?;
                }
            }
            state.fetched.insert(*kind);
        }
        Ok(state)
    }
}
