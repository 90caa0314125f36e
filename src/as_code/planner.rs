//! Planning: documents and a target's state in, a plan out. A pure
//! function: it reads nothing and writes nothing.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;
use serde_json::{Value, json};

use super::diff::{FieldChange, diff};
use super::document::{
    AlertDocument, ConnectionRef, DashboardDocument, Documents, SavedSearchDocument,
};
use super::normal_form;
use super::plan::{
    Action, AfterWrites, Expect, Kind, PLAN_FORMAT, Plan, PlanOptions, Precondition, Step, Write,
};
use super::problems::{PlanError, Problem};
use super::references::{tiles_named, with_names};
use super::state::{State, by_id, named, named_loosely, same_name};
use super::version::version_of;
use super::{sources, writes};
use crate::field::Field;
use crate::model::{AlertChannel, Dashboard, Resource};

/// Plans making `state`'s target match `documents`: every document
/// becomes a create, an update (with its field-level changes) or nothing,
/// and with [`PlanOptions::prune`] what no document describes is deleted.
/// Every problem (a source or webhook the target lacks, an alert on a
/// tile that will not exist, duplicate names, a resource on the target
/// that did not decode and may be the one a document describes) is
/// reported at once, and then there is no plan.
///
/// ```
/// use clickstack::as_code::{PlanOptions, State, plan};
/// use clickstack::{BackendKind, Dashboard, DashboardDocument, Documents, Action};
/// let mut documents = Documents::default();
/// documents.dashboards.push(DashboardDocument::new(Dashboard::new("Service health")));
/// let state = State::empty(BackendKind::Oss, "http://localhost:8000");
/// let plan = plan(&documents, &state, &PlanOptions::default()).unwrap();
/// assert_eq!(plan.steps[0].action, Action::Create);
/// ```
pub fn plan(
    documents: &Documents,
    state: &State,
    options: &PlanOptions,
) -> Result<Plan, PlanError> {
    let mut planner = Planner {
        documents,
        state,
        options,
        problems: Vec::new(),
        steps: Vec::new(),
        preconditions: Vec::new(),
        notes: Vec::new(),
        matched: HashSet::new(),
        outcome: HashMap::new(),
    };
    planner.check_documents();
    planner.check_unreadable();
    let source_map = match sources::map(documents, state) {
        Ok(map) => map,
        Err(problems) => {
            planner.problems.extend(problems);
            HashMap::new()
        }
    };
    for document in &documents.saved_searches {
        planner.saved_search(document, &source_map);
    }
    let (dashboards, cycles) = dashboards_in_order(documents, state);
    planner.problems.extend(cycles);
    for document in dashboards {
        planner.dashboard(document, &source_map);
    }
    for document in &documents.alerts {
        planner.alert(document, &source_map);
    }
    planner.deletes();
    if !planner.problems.is_empty() {
        return Err(PlanError {
            problems: planner.problems,
        });
    }
    Ok(Plan {
        format: PLAN_FORMAT,
        backend: state.backend,
        target: state.target.clone(),
        steps: planner.steps,
        preconditions: planner.preconditions,
        notes: planner.notes,
    })
}

/// What a document's step does, for the alerts that refer to it.
#[derive(Debug, Clone)]
enum Outcome {
    /// Unchanged: its id (and, for a dashboard, its tiles) as on the
    /// target.
    Kept(String),
    /// Written by the plan (created or updated).
    Written,
}

struct Planner<'a> {
    documents: &'a Documents,
    state: &'a State,
    options: &'a PlanOptions,
    problems: Vec<Problem>,
    steps: Vec<Step>,
    preconditions: Vec<Precondition>,
    notes: Vec<String>,
    /// Ids of target resources a document describes.
    matched: HashSet<String>,
    /// The outcome of each document's step, by kind and name.
    outcome: HashMap<(Kind, String), Outcome>,
}

/// The JSON of a resource (serializing the shared types cannot fail).
fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The document as a full desired state: what it leaves out is sent as a
/// clear (a dashboard update keeps what its body omits).
pub(crate) fn with_explicit_clears(wanted: &Dashboard) -> Dashboard {
    let mut body = wanted.clone();
    body.tiles.get_or_insert_with(Vec::new);
    body.tags.get_or_insert_with(Vec::new);
    body.filters.get_or_insert_with(Vec::new);
    body.containers.get_or_insert_with(Vec::new);
    body.saved_filter_values.get_or_insert_with(Vec::new);
    if body.saved_query.is_absent() {
        body.saved_query = Field::Null;
    }
    body
}

impl Planner<'_> {
    fn is_pruned(&self, kind: Kind) -> bool {
        self.options.prune.contains(&kind)
    }

    fn expect<R: Resource>(&mut self, kind: Kind, resource: &R) {
        let id = resource.id().map(str::to_string);
        if self
            .preconditions
            .iter()
            .any(|p| p.kind == kind && p.id.is_some() && p.id == id)
        {
            return;
        }
        self.preconditions.push(Precondition {
            kind,
            name: resource.name().unwrap_or_default().to_string(),
            id,
            expect: version_of(resource),
        });
    }

    fn expect_absent(&mut self, kind: Kind, name: &str) {
        self.preconditions.push(Precondition {
            kind,
            name: name.to_string(),
            id: None,
            expect: Expect::Absent,
        });
    }

    /// Names must be there, and unique per kind.
    fn check_documents(&mut self) {
        let names: [(Kind, Vec<&str>); 3] = [
            (
                Kind::SavedSearch,
                self.documents
                    .saved_searches
                    .iter()
                    .map(SavedSearchDocument::name)
                    .collect(),
            ),
            (
                Kind::Dashboard,
                self.documents
                    .dashboards
                    .iter()
                    .map(DashboardDocument::name)
                    .collect(),
            ),
            (
                Kind::Alert,
                self.documents
                    .alerts
                    .iter()
                    .map(AlertDocument::alert_name)
                    .collect(),
            ),
        ];
        for (kind, names) in names {
            let mut seen: Vec<&str> = Vec::new();
            for name in names {
                if name.trim().is_empty() {
                    self.problems.push(Problem::Unnamed { kind });
                } else if seen.iter().any(|s| same_name(s, name)) {
                    self.problems.push(Problem::DuplicateDocument {
                        kind,
                        name: name.trim().to_string(),
                    });
                } else {
                    seen.push(name);
                }
            }
        }
    }

    /// The names of `kind` the documents describe or refer to.
    fn names_of(&self, kind: Kind) -> Vec<&str> {
        let d = self.documents;
        let mut names: Vec<&str> = match kind {
            Kind::SavedSearch => d
                .saved_searches
                .iter()
                .map(SavedSearchDocument::name)
                .collect(),
            Kind::Dashboard => d.dashboards.iter().map(DashboardDocument::name).collect(),
            Kind::Alert => d.alerts.iter().map(AlertDocument::alert_name).collect(),
            Kind::Webhook | Kind::Source | Kind::Connection => Vec::new(),
        };
        for alert in &d.alerts {
            match kind {
                Kind::SavedSearch => names.extend(alert.saved_search.as_deref()),
                Kind::Dashboard => names.extend(alert.dashboard.as_deref()),
                Kind::Webhook => names.extend(
                    alert
                        .all_channels()
                        .into_iter()
                        .filter_map(|c| c.webhook.as_deref()),
                ),
                _ => {}
            }
        }
        names
    }

    /// A resource of the target that did not decode stops the plan when
    /// it may be one the documents describe or refer to, or when its kind
    /// is pruned: it is never treated as absent.
    fn check_unreadable(&mut self) {
        for kind in [
            Kind::SavedSearch,
            Kind::Dashboard,
            Kind::Alert,
            Kind::Webhook,
        ] {
            let names: Vec<String> = self
                .names_of(kind)
                .into_iter()
                .map(str::to_string)
                .collect();
            let pruned = self.is_pruned(kind);
            for item in self.state.undecodable(kind) {
                let collides = match &item.name {
                    None => pruned || !names.is_empty(),
                    Some(name) => pruned || names.iter().any(|n| same_name(n, name)),
                };
                if collides {
                    self.problems.push(Problem::Unreadable {
                        kind,
                        item: Box::new(item.clone()),
                    });
                }
            }
        }
    }

    fn record(&mut self, kind: Kind, name: &str, outcome: Outcome) {
        self.outcome
            .insert((kind, name.trim().to_string()), outcome);
    }

    fn ambiguous<R: Resource>(&mut self, kind: Kind, name: &str, found: &[&R]) {
        self.problems.push(Problem::Ambiguous {
            kind,
            name: name.to_string(),
            ids: found
                .iter()
                .map(|r| r.id().unwrap_or_default().to_string())
                .collect(),
        });
    }

    /// A create, an update or nothing, for a document of `kind` named
    /// `name` whose normal form is `desired`.
    fn step<R: Resource>(
        &mut self,
        kind: Kind,
        name: &str,
        existing: Option<&R>,
        current: Option<Value>,
        desired: &Value,
        write: Write,
    ) {
        let (action, id, changes): (Action, Option<String>, Vec<FieldChange>) =
            match (existing, current) {
                (Some(existing), Some(current)) => {
                    let changes = diff(&current, desired);
                    let action = if changes.is_empty() {
                        Action::Unchanged
                    } else {
                        Action::Update
                    };
                    (action, existing.id().map(str::to_string), changes)
                }
                _ => (Action::Create, None, diff(&json!({}), desired)),
            };
        match (action, existing) {
            (Action::Create, _) => self.expect_absent(kind, name),
            (_, Some(existing)) => self.expect(kind, existing),
            _ => {}
        }
        if let Some(id) = &id {
            self.matched.insert(id.clone());
        }
        let outcome = match (action, &id) {
            (Action::Unchanged, Some(id)) => Outcome::Kept(id.clone()),
            _ => Outcome::Written,
        };
        self.record(kind, name, outcome);
        self.steps.push(Step {
            kind,
            name: name.trim().to_string(),
            action,
            id,
            changes,
            write: (action != Action::Unchanged).then_some(write),
        });
    }

    fn saved_search(
        &mut self,
        document: &SavedSearchDocument,
        source_map: &HashMap<String, String>,
    ) {
        let mut search = document.0.clone();
        if let Some(new) = source_map.get(&search.source_id) {
            search.source_id.clone_from(new);
        }
        let body = search.to_create();
        let desired = normal_form::saved_search(&to_value(&body));
        let name = document.name();
        let found = named(&self.state.saved_searches.items, name);
        match found.as_slice() {
            [] | [_] => {
                let existing = found.first().copied();
                let current =
                    existing.map(|e| normal_form::saved_search(&to_value(&e.to_create())));
                self.step(
                    Kind::SavedSearch,
                    name,
                    existing,
                    current,
                    &desired,
                    Write::SavedSearch {
                        body: Box::new(body),
                    },
                );
            }
            several => self.ambiguous(Kind::SavedSearch, name, several),
        }
    }

    fn dashboard(&mut self, document: &DashboardDocument, source_map: &HashMap<String, String>) {
        let mut dashboard = document.0.clone();
        dashboard.map_source_ids(|id| source_map.get(id).cloned());
        let links = connections_and_links(&mut dashboard, self.documents, self.state);
        self.problems.extend(links.problems);
        let links = links.pending;
        let backend = self.state.backend;
        let full = with_explicit_clears(&dashboard);
        let desired = normal_form::dashboard(&full, backend);
        let name = document.name();
        let found = named(&self.state.dashboards.items, name);
        match found.as_slice() {
            [] => self.step::<Dashboard>(
                Kind::Dashboard,
                name,
                None,
                None,
                &desired,
                Write::Dashboard {
                    body: Box::new(dashboard.to_create()),
                    links,
                },
            ),
            [existing] => {
                let current = normal_form::dashboard(existing, backend);
                let body = writes::keep_ids(&full, existing).to_update();
                self.step(
                    Kind::Dashboard,
                    name,
                    Some(*existing),
                    Some(current),
                    &desired,
                    Write::Dashboard {
                        body: Box::new(body),
                        links,
                    },
                );
            }
            several => self.ambiguous(Kind::Dashboard, name, several),
        }
    }

    /// What an alert refers to of `kind` by `name`: planned by a
    /// document (its outcome), or on the target (its id).
    fn reference(&mut self, alert: &str, kind: Kind, name: &str) -> Option<Outcome> {
        if let Some(outcome) = self.outcome.get(&(kind, name.trim().to_string())) {
            return Some(outcome.clone());
        }
        let described = match kind {
            Kind::SavedSearch => self
                .documents
                .saved_searches
                .iter()
                .any(|d| same_name(d.name(), name)),
            Kind::Dashboard => self
                .documents
                .dashboards
                .iter()
                .any(|d| same_name(d.name(), name)),
            _ => false,
        };
        if described {
            // Its document has problems of its own, already reported.
            return None;
        }
        let ids: Vec<(String, Value)> = match kind {
            Kind::SavedSearch => named(&self.state.saved_searches.items, name)
                .into_iter()
                .map(|s| (s.id.clone().unwrap_or_default(), to_value(s)))
                .collect(),
            Kind::Dashboard => named(&self.state.dashboards.items, name)
                .into_iter()
                .map(|d| (d.id.clone().unwrap_or_default(), to_value(d)))
                .collect(),
            _ => Vec::new(),
        };
        let missing = |reason: &str| Problem::MissingReference {
            alert: alert.to_string(),
            kind,
            name: name.to_string(),
            reason: reason.to_string(),
        };
        match ids.as_slice() {
            [] => {
                self.problems.push(missing(
                    "is neither in the documents nor on the target: write it first",
                ));
                None
            }
            [_] if self.is_pruned(kind) => {
                self.problems.push(missing(
                    "is on the target but not in the documents, so this plan deletes it",
                ));
                None
            }
            [(id, _)] => {
                match kind {
                    Kind::SavedSearch => {
                        if let Some(search) = by_id(&self.state.saved_searches.items, id) {
                            self.expect(kind, search);
                        }
                    }
                    _ => {
                        if let Some(dashboard) = by_id(&self.state.dashboards.items, id) {
                            self.expect(kind, dashboard);
                        }
                    }
                }
                Some(Outcome::Kept(id.clone()))
            }
            several => {
                self.problems.push(Problem::Ambiguous {
                    kind,
                    name: name.to_string(),
                    ids: several.iter().map(|(id, _)| id.clone()).collect(),
                });
                None
            }
        }
    }

    /// The tiles the dashboard named `name` will have.
    fn tiles_of(&self, name: &str) -> Option<Vec<String>> {
        match self
            .documents
            .dashboards
            .iter()
            .find(|d| same_name(d.name(), name))
        {
            Some(document) => Some(document.0.tiles().iter().map(|t| t.name.clone()).collect()),
            None => named(&self.state.dashboards.items, name)
                .first()
                .map(|d| d.tiles().iter().map(|t| t.name.clone()).collect()),
        }
    }

    /// Resolves an alert document's references into the request body;
    /// returns the references that wait on earlier writes.
    fn resolve_alert(
        &mut self,
        document: &AlertDocument,
        body: &mut crate::model::Alert,
    ) -> AfterWrites {
        let name = document.alert_name().to_string();
        let mut after = AfterWrites::default();
        if let Some(search) = &document.saved_search {
            match self.reference(&name, Kind::SavedSearch, search) {
                Some(Outcome::Kept(id)) => body.saved_search_id = Field::Value(id),
                Some(Outcome::Written) => after.saved_search = Some(search.clone()),
                None => {}
            }
        }
        if let Some(dashboard) = &document.dashboard {
            let Some(tile) = &document.tile else {
                self.problems.push(Problem::InvalidAlert {
                    alert: name,
                    reason: format!(
                        "an alert on dashboard {dashboard:?} needs `tile: <tile name>`"
                    ),
                });
                return after;
            };
            if let Some(tiles) = self.tiles_of(dashboard) {
                match tiles.iter().filter(|t| same_name(t, tile)).count() {
                    0 => {
                        self.problems.push(Problem::MissingTile {
                            alert: name.clone(),
                            dashboard: dashboard.clone(),
                            tile: tile.clone(),
                            tiles,
                        });
                        return after;
                    }
                    1 => {}
                    _ => {
                        self.problems.push(Problem::AmbiguousTile {
                            alert: name.clone(),
                            dashboard: dashboard.clone(),
                            tile: tile.clone(),
                        });
                        return after;
                    }
                }
            }
            match self.reference(&name, Kind::Dashboard, dashboard) {
                Some(Outcome::Kept(id)) => {
                    let tile_id = by_id(&self.state.dashboards.items, &id)
                        .and_then(|d| tiles_named(d, tile).first().and_then(|t| t.id.clone()));
                    body.dashboard_id = Field::Value(id);
                    if let Some(tile_id) = tile_id {
                        body.tile_id = Field::Value(tile_id);
                    }
                }
                Some(Outcome::Written) => {
                    after.dashboard = Some(dashboard.clone());
                    after.tile = Some(tile.clone());
                }
                None => {}
            }
        }
        let mut channels = Vec::new();
        for channel in document.all_channels() {
            let mut resolved: AlertChannel = channel.channel.clone();
            if let Some(webhook) = &channel.webhook {
                let found = named(&self.state.webhooks.items, webhook);
                match found.as_slice() {
                    [one] => {
                        resolved.webhook_id.clone_from(&one.id);
                        self.expect(Kind::Webhook, *one);
                    }
                    [] => self.problems.push(Problem::MissingReference {
                        alert: name.clone(),
                        kind: Kind::Webhook,
                        name: webhook.clone(),
                        reason:
                            "does not exist on the target: create it there first (webhooks hold \
                                 secrets, so documents do not write them)"
                                .into(),
                    }),
                    several => self.ambiguous(Kind::Webhook, webhook, several),
                }
            }
            if resolved.kind.is_none() && channel.is_webhook() {
                resolved.kind = Some(crate::model::ChannelKind::Webhook);
            }
            channels.push(resolved);
        }
        if !channels.is_empty() {
            body.channel = channels.first().cloned();
            body.channels = Some(channels);
        }
        after
    }

    fn alert(&mut self, document: &AlertDocument, source_map: &HashMap<String, String>) {
        let name = document.alert_name().trim().to_string();
        if name.is_empty() {
            return; // reported by check_documents
        }
        let mut document = document.clone();
        if let Some(config) = &mut document.alert.chart_config {
            config.map_source_ids(&|id| source_map.get(id).cloned());
        }
        if document.saved_search.is_some() && document.alert.saved_search_id.value().is_some()
            || document.dashboard.is_some() && document.alert.dashboard_id.value().is_some()
        {
            self.problems.push(Problem::InvalidAlert {
                alert: name,
                reason: "it names what it watches and gives its id too: keep one".into(),
            });
            return;
        }
        let mut body = document.alert.to_create();
        body.source = document.watches();
        body.channel = None;
        body.channels = None;
        let after = self.resolve_alert(&document, &mut body);

        // Compared in name form, like for like.
        let (desired_document, _) = with_names(&document, self.state);
        let desired = normal_form::alert(&to_value(&desired_document));
        let found = named(&self.state.alerts.items, &name);
        match found.as_slice() {
            [] | [_] => {
                let existing = found.first().copied();
                let current = existing.map(|e| {
                    let (current, _) = super::references::alert_document(e, self.state);
                    normal_form::alert_as_a_write_sees_it(
                        &normal_form::alert(&to_value(&current)),
                        &desired,
                    )
                });
                let write = Write::Alert {
                    body: Box::new(body),
                    after,
                };
                self.step(Kind::Alert, &name, existing, current, &desired, write);
            }
            several => self.ambiguous(Kind::Alert, &name, several),
        }
    }

    /// With pruning, what no document describes is deleted: alerts first
    /// (they refer to the others), each kind by name.
    fn deletes(&mut self) {
        let mut deletes: Vec<(Kind, String, String, Value)> = Vec::new();
        for kind in [Kind::Alert, Kind::Dashboard, Kind::SavedSearch] {
            if !self.is_pruned(kind) {
                continue;
            }
            let resources: Vec<(Option<String>, Option<String>, Value)> = match kind {
                Kind::Alert => self
                    .state
                    .alerts
                    .iter()
                    .map(|a| (a.id.clone(), a.name().map(str::to_string), to_value(a)))
                    .collect(),
                Kind::Dashboard => self
                    .state
                    .dashboards
                    .iter()
                    .map(|d| (d.id.clone(), d.name.clone(), to_value(d)))
                    .collect(),
                _ => self
                    .state
                    .saved_searches
                    .iter()
                    .map(|s| (s.id.clone(), Some(s.name.clone()), to_value(s)))
                    .collect(),
            };
            let mut of_kind = Vec::new();
            for (id, name, value) in resources {
                let Some(id) = id else { continue };
                if self.matched.contains(&id) {
                    continue;
                }
                match name.filter(|n| !n.trim().is_empty()) {
                    Some(name) => of_kind.push((kind, name, id, value)),
                    None => self.notes.push(format!(
                        "{kind} {id} has no name, so no document can describe it: pruning leaves it \
                         alone (delete it in the UI, or name it and export it)"
                    )),
                }
            }
            of_kind.sort_by(|a, b| (&a.1, &a.2).cmp(&(&b.1, &b.2)));
            deletes.extend(of_kind);
        }
        for (kind, name, id, value) in deletes {
            self.preconditions.push(Precondition {
                kind,
                name: name.clone(),
                id: Some(id.clone()),
                expect: version_of(&value),
            });
            self.steps.push(Step {
                kind,
                name,
                action: Action::Delete,
                id: Some(id),
                changes: Vec::new(),
                write: Some(Write::Delete),
            });
        }
    }
}

/// The target's id of the connection `reference` names, for a raw SQL
/// tile reading `source_id` (already mapped onto the target), or why
/// there is none. Without a connections API (Managed `ClickStack`), the
/// tile's source tells, or the one connection every source uses.
fn connection_for(
    state: &State,
    source_id: Option<&str>,
    reference: &ConnectionRef,
) -> Result<String, String> {
    if state.fetched.contains(&Kind::Connection) {
        let found = named_loosely(&state.connections.items, &reference.name);
        return match found.as_slice() {
            [one] => one
                .id
                .clone()
                .ok_or_else(|| "the target listed it without an id".into()),
            [] => Err("the target has no connection of that name".into()),
            several => Err(format!(
                "the target has {} connections of that name",
                several.len()
            )),
        };
    }
    if let Some(source) = source_id.and_then(|id| by_id(&state.sources.items, id)) {
        return Ok(source.connection.clone());
    }
    let mut used: Vec<&str> = state
        .sources
        .iter()
        .map(|s| s.connection.as_str())
        .collect();
    used.sort_unstable();
    used.dedup();
    match used.as_slice() {
        [one] => Ok((*one).to_string()),
        _ => Err(
            "the target has no connections API, and the tile names no source to take its \
                  connection from: give the tile a source"
                .into(),
        ),
    }
}

/// What mapping a dashboard's connections and links found.
#[derive(Debug, Default)]
pub(crate) struct Links {
    /// What cannot be mapped.
    pub(crate) problems: Vec<Problem>,
    /// Dashboards its click actions open that the same plan creates (by
    /// name): their ids are known once they are written.
    pub(crate) pending: Vec<String>,
}

/// Maps the connections of raw SQL tiles and the dashboards click
/// actions open onto the target; links to dashboards only the documents
/// hold are left as their names, [`Links::pending`].
pub(crate) fn connections_and_links(
    dashboard: &mut Dashboard,
    documents: &Documents,
    state: &State,
) -> Links {
    let name = dashboard.name.clone().unwrap_or_default();
    let mut problems = Vec::new();
    for chart in dashboard.tiles.iter_mut().flatten().filter_map(|t| {
        t.config
            .as_mut()
            .and_then(crate::model::TileConfig::chart_mut)
    }) {
        if let Some(reference) = chart
            .connection_id
            .as_ref()
            .and_then(|id| documents.connections.get(id))
        {
            match connection_for(state, chart.source_id.as_deref(), reference) {
                Ok(id) => chart.connection_id = Some(id),
                Err(reason) => problems.push(Problem::MissingConnection {
                    dashboard: name.clone(),
                    name: reference.name.clone(),
                    reason,
                }),
            }
        }
    }
    let links = dashboard.linked_dashboards();
    let mut resolved: HashMap<String, String> = HashMap::new();
    let mut pending = Vec::new();
    for target in links {
        if by_id(&state.dashboards.items, &target).is_some() {
            continue;
        }
        let found = named(&state.dashboards.items, &target);
        let reason = match found.as_slice() {
            [one] => {
                resolved.insert(target.clone(), one.id.clone().unwrap_or_default());
                continue;
            }
            [] if same_name(&name, &target) => {
                "a dashboard the plan creates cannot open itself until it exists: apply without \
                 the link, then add it"
            }
            [] if documents
                .dashboards
                .iter()
                .any(|d| same_name(d.name(), &target)) =>
            {
                pending.push(target);
                continue;
            }
            [] => "is neither on the target nor in the documents",
            _ => "several dashboards on the target have that name",
        };
        problems.push(Problem::MissingLink {
            dashboard: name.clone(),
            target,
            reason: reason.into(),
        });
    }
    dashboard.map_linked_dashboards(|target| resolved.get(target).cloned());
    Links { problems, pending }
}

/// The dashboards in the order a plan writes them: each after the new
/// dashboards its click actions open (so their ids are known), otherwise
/// in the documents' order. Dashboards that open each other while none
/// exists yet cannot be ordered: those are problems.
fn dashboards_in_order<'d>(
    documents: &'d Documents,
    state: &State,
) -> (Vec<&'d DashboardDocument>, Vec<Problem>) {
    let is_new = |name: &str| named(&state.dashboards.items, name).is_empty();
    let waits_on = |document: &DashboardDocument| -> Vec<String> {
        document
            .0
            .linked_dashboards()
            .into_iter()
            .filter(|target| {
                by_id(&state.dashboards.items, target).is_none()
                    && is_new(target)
                    && !same_name(target, document.name())
                    && documents
                        .dashboards
                        .iter()
                        .any(|d| same_name(d.name(), target))
            })
            .collect()
    };
    let mut left: Vec<(&DashboardDocument, Vec<String>)> = documents
        .dashboards
        .iter()
        .map(|d| (d, waits_on(d)))
        .collect();
    let mut ordered: Vec<&DashboardDocument> = Vec::new();
    // Each round places at least one dashboard, or stops: bounded by the
    // number of dashboards.
    while !left.is_empty() {
        let ready = left.iter().position(|(_, waits)| {
            waits
                .iter()
                .all(|w| ordered.iter().any(|d| same_name(d.name(), w)))
        });
        match ready {
            Some(i) => ordered.push(left.remove(i).0),
            None => break,
        }
    }
    let problems = left
        .iter()
        .flat_map(|(document, waits)| {
            waits.iter().map(|target| Problem::MissingLink {
                dashboard: document.name().to_string(),
                target: target.clone(),
                reason: "it opens this dashboard and is opened by it (or by one it opens), and \
                         neither exists yet: drop one link, apply, then restore it"
                    .into(),
            })
        })
        .collect();
    ordered.extend(left.into_iter().map(|(d, _)| d));
    (ordered, problems)
}

/// The kinds a plan of `documents` needs to read from the target.
pub(crate) fn kinds_needed(documents: &Documents, options: &PlanOptions) -> BTreeSet<Kind> {
    let mut kinds = BTreeSet::from([Kind::Source]);
    kinds.extend(options.prune.iter().copied());
    if !documents.saved_searches.is_empty() {
        kinds.insert(Kind::SavedSearch);
    }
    if !documents.dashboards.is_empty() {
        kinds.insert(Kind::Dashboard);
    }
    if !documents.connections.is_empty() {
        kinds.insert(Kind::Connection);
    }
    if !documents.alerts.is_empty() {
        kinds.extend([
            Kind::Alert,
            Kind::Webhook,
            Kind::SavedSearch,
            Kind::Dashboard,
        ]);
    }
    kinds
}
