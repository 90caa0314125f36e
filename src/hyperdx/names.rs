//! The names a HyperDX dashboard file gives what a dashboard refers to
//! by id: sources, connections, the dashboards click actions open.

use std::collections::BTreeMap;

use crate::as_code::{Documents, Kind, State};

/// How ids become names when a dashboard is written as a HyperDX file.
///
/// Built from a target ([`Names::of_state`]), where an id the target does
/// not have is reported as a loss, or from documents
/// ([`Names::of_documents`]), whose ids may already be names (a document
/// read from a file keeps the file's names as ids).
///
/// ```
/// use clickstack::hyperdx::Names;
/// let names = Names::strict()
///     .source("65f5e4a3b9e77c001a111111", "Traces")
///     .dashboard("65f5e4a3b9e77c001a222222", "Service detail");
/// assert_eq!(names.source_name("65f5e4a3b9e77c001a111111"), Some("Traces"));
/// assert_eq!(names.source_name("elsewhere"), None);
/// assert_eq!(Names::ids_as_names().source_name("Traces"), Some("Traces"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    sources: BTreeMap<String, String>,
    connections: BTreeMap<String, String>,
    dashboards: BTreeMap<String, String>,
    /// Whether an id that is not named is a name already.
    ids_are_names: bool,
}

impl Names {
    /// No names yet: an id not given one is unknown (and reported).
    pub fn strict() -> Names {
        Names::default()
    }

    /// Every id not given a name is taken as the name itself (documents
    /// read from HyperDX files name what they use).
    pub fn ids_as_names() -> Names {
        Names {
            ids_are_names: true,
            ..Names::default()
        }
    }

    /// The names `state` gives: its sources, connections and dashboards.
    /// A target without a connections API (Managed `ClickStack`) runs raw
    /// SQL on its sources' connections, which are named by their ids.
    pub fn of_state(state: &State) -> Names {
        let mut names = Names::strict();
        for source in &state.sources {
            if let Some(id) = &source.id {
                names.sources.insert(id.clone(), source.name.clone());
            }
            if !state.fetched.contains(&Kind::Connection) {
                names
                    .connections
                    .insert(source.connection.clone(), source.connection.clone());
            }
        }
        for connection in &state.connections {
            if let Some(id) = &connection.id {
                names
                    .connections
                    .insert(id.clone(), connection.name.clone());
            }
        }
        for dashboard in &state.dashboards {
            if let (Some(id), Some(name)) = (&dashboard.id, &dashboard.name) {
                names.dashboards.insert(id.clone(), name.clone());
            }
        }
        names
    }

    /// The names `documents` give their sources and connections; any
    /// other id is taken as a name.
    pub fn of_documents(documents: &Documents) -> Names {
        let mut names = Names::ids_as_names();
        for (id, source) in &documents.sources {
            names.sources.insert(id.clone(), source.name.clone());
        }
        for (id, connection) in &documents.connections {
            names
                .connections
                .insert(id.clone(), connection.name.clone());
        }
        names
    }

    /// Names the source `id`.
    pub fn source(mut self, id: impl Into<String>, name: impl Into<String>) -> Names {
        self.sources.insert(id.into(), name.into());
        self
    }

    /// Names the connection `id`.
    pub fn connection(mut self, id: impl Into<String>, name: impl Into<String>) -> Names {
        self.connections.insert(id.into(), name.into());
        self
    }

    /// Names the dashboard `id`.
    pub fn dashboard(mut self, id: impl Into<String>, name: impl Into<String>) -> Names {
        self.dashboards.insert(id.into(), name.into());
        self
    }

    fn lookup<'a>(&self, map: &'a BTreeMap<String, String>, id: &'a str) -> Option<&'a str> {
        match map.get(id) {
            Some(name) => Some(name),
            None if self.ids_are_names => Some(id),
            None => None,
        }
    }

    /// The name of source `id`, if known.
    pub fn source_name<'a>(&'a self, id: &'a str) -> Option<&'a str> {
        self.lookup(&self.sources, id)
    }

    /// The name of connection `id`, if known.
    pub fn connection_name<'a>(&'a self, id: &'a str) -> Option<&'a str> {
        self.lookup(&self.connections, id)
    }

    /// The name of dashboard `id`, if known.
    pub fn dashboard_name<'a>(&'a self, id: &'a str) -> Option<&'a str> {
        self.lookup(&self.dashboards, id)
    }
}
