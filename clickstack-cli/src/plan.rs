//! Plans: what `apply` would do to each resource, with field-level
//! changes, and doing it.
//!
//! Saved searches are applied first (alerts refer to them), then
//! dashboards (through the facade's `apply_all`), then alerts; deletes
//! come last, alerts first. Nothing is written before every document has
//! been read, typed, and had its sources and references resolved.

use std::collections::HashSet;
use std::fmt::Write as _;

use anyhow::{Context, Result, anyhow};
use clickstack::{
    Alert, ApplyAction, ApplyOptions, Dashboard, DashboardDocument, Error, FieldChange, Resource,
    SavedSearch,
};
use indicatif::ProgressBar;
use serde::Serialize;
use serde_json::{Value, json};

use crate::cli::Kind;
use crate::connect::Target;
use crate::layout::{Document, Layout, SOURCES_FILE};
use crate::output::{self, Style};
use crate::portable::{self, Catalog};
use crate::sources::{self, SourceUse};
use crate::validate;

/// What happens to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Action {
    /// DIR has it, the target does not.
    Create,
    /// Both have it, and they differ.
    Update,
    /// The target has it, DIR does not (`--prune`).
    Delete,
    /// Both have it, alike.
    Unchanged,
}

/// One resource of the plan.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Step {
    /// `dashboard`, `saved-search` or `alert`.
    #[serde(serialize_with = "kind_name")]
    pub(crate) kind: Kind,
    /// Its name.
    pub(crate) name: String,
    /// What happens.
    pub(crate) action: Action,
    /// Its file in DIR (none for a delete).
    pub(crate) file: Option<String>,
    /// Its id on the target (none for a creation).
    pub(crate) id: Option<String>,
    /// The field-level changes, from the target to DIR, in normal form.
    pub(crate) changes: Vec<FieldChange>,
}

fn kind_name<S: serde::Serializer>(
    kind: &Kind,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_str(match kind {
        Kind::Dashboards => "dashboard",
        Kind::SavedSearches => "saved-search",
        Kind::Alerts => "alert",
    })
}

/// A saved search to write.
#[derive(Debug, Clone)]
struct SavedSearchWrite {
    id: Option<String>,
    body: SavedSearch,
}

/// An alert document, sources mapped, references still names.
#[derive(Debug, Clone)]
struct AlertDocument {
    name: String,
    file: String,
    value: Value,
}

/// A resource to delete.
#[derive(Debug, Clone)]
struct Deletion {
    kind: Kind,
    id: String,
    name: String,
}

/// A plan, and what applying it writes.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The resources, in the order they are applied.
    pub(crate) steps: Vec<Step>,
    /// Things worth knowing that change nothing (unnamed alerts left alone).
    pub(crate) notes: Vec<String>,
    saved_searches: Vec<SavedSearchWrite>,
    dashboards: Vec<DashboardDocument>,
    alerts: Vec<AlertDocument>,
    deletions: Vec<Deletion>,
}

/// Counts per action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Summary {
    /// To create.
    pub(crate) create: usize,
    /// To update.
    pub(crate) update: usize,
    /// To delete.
    pub(crate) delete: usize,
    /// Unchanged.
    pub(crate) unchanged: usize,
}

impl Plan {
    /// Counts per action.
    pub(crate) fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for step in &self.steps {
            match step.action {
                Action::Create => s.create += 1,
                Action::Update => s.update += 1,
                Action::Delete => s.delete += 1,
                Action::Unchanged => s.unchanged += 1,
            }
        }
        s
    }

    /// Whether applying would change anything.
    pub(crate) fn has_changes(&self) -> bool {
        self.steps.iter().any(|s| s.action != Action::Unchanged)
    }

    /// The deletions, for the question `apply` asks.
    pub(crate) fn deletions(&self) -> Vec<String> {
        self.deletions
            .iter()
            .map(|d| format!("{} {:?} ({})", d.kind.noun(), d.name, d.id))
            .collect()
    }

    /// The number of writes applying sends.
    pub(crate) fn writes(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| s.action != Action::Unchanged)
            .count()
    }
}

/// Lists the items of one kind, with the failure said plainly.
macro_rules! list {
    ($target:expr, $method:ident, $what:literal) => {
        $target
            .client
            .$method()
            .list()
            .await
            .and_then(clickstack::Listing::into_complete)
            .with_context(|| format!("cannot list the {} on {}", $what, $target.description))
    };
}

/// "problems (nothing was changed):\n  - a\n  - b".
fn bullet_list(title: &str, problems: &[String]) -> anyhow::Error {
    let mut message = format!("{title} (nothing was changed):");
    for p in problems {
        let _ = write!(message, "\n  - {p}");
    }
    anyhow!(message)
}

/// A document typed as `T`, naming the failing field.
fn typed<T: serde::de::DeserializeOwned>(
    doc: &Document,
    value: &Value,
) -> std::result::Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        format!(
            "{}: at `{}`: {} (fix the file, or check it with `clickstack validate`)",
            doc.file,
            e.path(),
            e.inner()
        )
    })
}

/// Builds the plan of making the target match `layout` (reads only).
pub(crate) async fn prepare(target: &Target, layout: &Layout, prune: bool) -> Result<Plan> {
    let has_alerts = layout.has(Kind::Alerts);
    let sources = list!(target, sources, "sources")?;
    let dashboards = if layout.has(Kind::Dashboards) || has_alerts {
        list!(target, dashboards, "dashboards")?
    } else {
        Vec::new()
    };
    let saved = if layout.has(Kind::SavedSearches) || has_alerts {
        list!(target, saved_searches, "saved searches")?
    } else {
        Vec::new()
    };
    let (alerts, webhooks) = if has_alerts {
        (
            list!(target, alerts, "alerts")?,
            list!(target, webhooks, "webhooks")?,
        )
    } else {
        (Vec::new(), Vec::new())
    };

    // Every document typed, every source use collected.
    let mut problems = Vec::new();
    let mut uses = Vec::new();
    let mut dashboard_docs: Vec<(&Document, Dashboard)> = Vec::new();
    for doc in layout.of(Kind::Dashboards) {
        match typed::<Dashboard>(doc, &doc.value) {
            Ok(d) => {
                for id in sources::dashboard_source_ids(&d) {
                    uses.push(SourceUse {
                        id,
                        user: doc.label(),
                    });
                }
                dashboard_docs.push((doc, d));
            }
            Err(e) => problems.push(e),
        }
    }
    // Alerts and saved searches are checked against the API's schema here
    // (dashboards by the server when applied), so an apply does not stop
    // half-way on a document the server would refuse.
    for doc in layout
        .of(Kind::SavedSearches)
        .chain(layout.of(Kind::Alerts))
    {
        let (found, _) =
            validate::schema_problems(doc.kind, target.backend(), &doc.value, target.api_name());
        problems.extend(found.into_iter().map(|p| {
            format!(
                "{}: {p} (fix the file; `clickstack validate` checks every document)",
                doc.file
            )
        }));
    }
    if !problems.is_empty() {
        return Err(bullet_list("documents the API's schema refuses", &problems));
    }
    let mut saved_docs: Vec<(&Document, SavedSearch)> = Vec::new();
    for doc in layout.of(Kind::SavedSearches) {
        match typed::<SavedSearch>(doc, &doc.value) {
            Ok(s) => {
                uses.push(SourceUse {
                    id: s.source_id.clone(),
                    user: doc.label(),
                });
                saved_docs.push((doc, s));
            }
            Err(e) => problems.push(e),
        }
    }
    for doc in layout.of(Kind::Alerts) {
        match typed::<Alert>(doc, &portable::alert_with_placeholder_ids(&doc.value)) {
            Ok(_) => uses.extend(
                portable::alert_source_ids(&doc.value)
                    .into_iter()
                    .map(|id| SourceUse {
                        id,
                        user: doc.label(),
                    }),
            ),
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(bullet_list(
            "documents that do not fit their type",
            &problems,
        ));
    }
    let sources_file = layout
        .sources_file
        .clone()
        .unwrap_or_else(|| format!("{SOURCES_FILE}.yaml"));
    let source_map = sources::map_sources(
        &uses,
        &layout.sources,
        &sources_file,
        &sources,
        target.api_name(),
    )
    .map_err(|p| bullet_list("sources that cannot be found on the target", &p))?;

    let mut plan = Plan {
        steps: Vec::new(),
        notes: Vec::new(),
        saved_searches: Vec::new(),
        dashboards: Vec::new(),
        alerts: Vec::new(),
        deletions: Vec::new(),
    };
    let mut matched: HashSet<String> = HashSet::new();

    // Saved searches.
    for (doc, mut search) in saved_docs {
        if let Some(new) = source_map.get(&search.source_id) {
            search.source_id.clone_from(new);
        }
        let body = search.to_create();
        let desired = portable::saved_search_normal_form(&to_value(&body)?);
        let existing = saved.iter().find(|s| s.name.trim() == search.name.trim());
        let (action, id, changes) = match existing {
            None => (
                Action::Create,
                None,
                portable::changes(&json!({}), &desired),
            ),
            Some(current) => {
                let current_value =
                    portable::saved_search_normal_form(&to_value(&current.to_create())?);
                let changes = portable::changes(&current_value, &desired);
                let action = if changes.is_empty() {
                    Action::Unchanged
                } else {
                    Action::Update
                };
                (action, current.id.clone(), changes)
            }
        };
        if let Some(id) = &id {
            matched.insert(id.clone());
        }
        if action != Action::Unchanged {
            plan.saved_searches.push(SavedSearchWrite {
                id: id.clone(),
                body,
            });
        }
        plan.steps.push(Step {
            kind: Kind::SavedSearches,
            name: doc.name.clone(),
            action,
            file: Some(doc.file.clone()),
            id,
            changes,
        });
    }

    // Dashboards, through the facade's dry run.
    let documents: Vec<DashboardDocument> = dashboard_docs
        .iter()
        .map(|(_, d)| {
            let mut d = d.clone();
            sources::map_dashboard_sources(&mut d, &source_map);
            DashboardDocument::new(d)
        })
        .collect();
    if !documents.is_empty() {
        let applied = target
            .client
            .dashboards()
            .apply_all(&documents, ApplyOptions { dry_run: true })
            .await
            .with_context(|| format!("cannot plan the dashboards on {}", target.description))?;
        for (((doc, _), document), outcome) in dashboard_docs.iter().zip(&documents).zip(applied) {
            let id = outcome.dashboard.as_ref().and_then(|d| d.id.clone());
            if let Some(id) = &id {
                matched.insert(id.clone());
            }
            let action = match outcome.action {
                ApplyAction::Created => Action::Create,
                ApplyAction::Updated => Action::Update,
                ApplyAction::Unchanged => Action::Unchanged,
            };
            if action != Action::Unchanged {
                plan.dashboards.push(document.clone());
            }
            plan.steps.push(Step {
                kind: Kind::Dashboards,
                name: doc.name.clone(),
                action,
                file: Some(doc.file.clone()),
                id,
                changes: outcome.changes,
            });
        }
    }

    // Alerts: references by name, checked against what will exist.
    let catalog = Catalog::new(&saved, &dashboards, &webhooks);
    let pruned = |kind: Kind| prune && layout.has(kind);
    let mut problems = Vec::new();
    for doc in layout.of(Kind::Alerts) {
        let mut value = doc.value.clone();
        portable::map_alert_source_ids(&mut value, &source_map);
        for note in portable::name_alert_refs(&mut value, &catalog) {
            problems.push(format!(
                "{}: {note}: refer to it by name (`savedSearch:`, `dashboard:` and `tile:`, or `webhook:` in a channel)",
                doc.file
            ));
        }
        let refs = portable::alert_refs(&value);
        if let Some(name) = &refs.saved_search {
            let in_dir = layout.of(Kind::SavedSearches).any(|d| &d.name == name);
            let on_target = !pruned(Kind::SavedSearches) && catalog.saved_search_id(name).is_some();
            if !in_dir && !on_target {
                problems.push(format!(
                    "{}: saved search {name:?} is neither in DIR nor on the target: export or write it to \
                     saved-searches/ first",
                    doc.file
                ));
            }
        }
        if let Some((name, tile)) = &refs.dashboard {
            let in_dir = dashboard_docs
                .iter()
                .find(|(d, _)| &d.name == name)
                .map(|(_, d)| d.tiles().iter().map(|t| t.name.clone()).collect::<Vec<_>>());
            let on_target = if pruned(Kind::Dashboards) {
                None
            } else {
                catalog
                    .dashboard_named(name)
                    .map(|d| d.tiles.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>())
            };
            match (in_dir.or(on_target), tile) {
                (None, _) => problems.push(format!(
                    "{}: dashboard {name:?} is neither in DIR nor on the target: export or write it to \
                     dashboards/ first",
                    doc.file
                )),
                (Some(_), None) => problems.push(format!(
                    "{}: an alert on dashboard {name:?} needs `tile: <tile name>`",
                    doc.file
                )),
                (Some(tiles), Some(tile)) if !tiles.contains(tile) => problems.push(format!(
                    "{}: dashboard {name:?} has no tile named {tile:?} (its tiles: {})",
                    doc.file,
                    tiles.join(", ")
                )),
                _ => {}
            }
        }
        for name in &refs.webhooks {
            match catalog.webhook_ids(name).len() {
                0 => problems.push(format!(
                    "{}: webhook {name:?} does not exist on the target: create it there first (webhooks \
                     hold secrets, so they are not exported)",
                    doc.file
                )),
                1 => {}
                n => problems.push(format!(
                    "{}: the target has {n} webhooks named {name:?}: rename all but one",
                    doc.file
                )),
            }
        }
        let desired = portable::alert_normal_form(&value);
        let existing = alerts.iter().find(|a| a.name.value() == Some(&doc.name));
        let (action, id, changes) = match existing {
            None => (
                Action::Create,
                None,
                portable::changes(&json!({}), &desired),
            ),
            Some(current) => {
                let mut current_value = to_value(&current.to_create())?;
                let _ = portable::name_alert_refs(&mut current_value, &catalog);
                let changes =
                    portable::alert_changes(&portable::alert_normal_form(&current_value), &desired);
                let action = if changes.is_empty() {
                    Action::Unchanged
                } else {
                    Action::Update
                };
                (action, current.id.clone(), changes)
            }
        };
        if let Some(id) = &id {
            matched.insert(id.clone());
        }
        plan.alerts.push(AlertDocument {
            name: doc.name.clone(),
            file: doc.file.clone(),
            value,
        });
        plan.steps.push(Step {
            kind: Kind::Alerts,
            name: doc.name.clone(),
            action,
            file: Some(doc.file.clone()),
            id,
            changes,
        });
    }
    if !problems.is_empty() {
        return Err(bullet_list(
            "alerts that refer to what the target does not have",
            &problems,
        ));
    }

    // Deletions: what the target has of the kinds in DIR, and DIR does not.
    if prune {
        let mut deletions = Vec::new();
        if layout.has(Kind::Alerts) {
            for alert in &alerts {
                let Some(id) = alert.id.clone() else { continue };
                if matched.contains(&id) {
                    continue;
                }
                match alert.name.value() {
                    Some(name) if !name.is_empty() => deletions.push(Deletion {
                        kind: Kind::Alerts,
                        id,
                        name: name.clone(),
                    }),
                    _ => plan.notes.push(format!(
                        "alert {id} has no name, so it cannot be in DIR: --prune leaves it alone (delete it \
                         in the UI, or give it a name and export it)"
                    )),
                }
            }
        }
        if layout.has(Kind::Dashboards) {
            deletions.extend(dashboards.iter().filter_map(|d| {
                let id = d.id.clone()?;
                (!matched.contains(&id)).then(|| Deletion {
                    kind: Kind::Dashboards,
                    id,
                    name: d.name.clone().unwrap_or_default(),
                })
            }));
        }
        if layout.has(Kind::SavedSearches) {
            deletions.extend(saved.iter().filter_map(|s| {
                let id = s.id.clone()?;
                (!matched.contains(&id)).then(|| Deletion {
                    kind: Kind::SavedSearches,
                    id,
                    name: s.name.clone(),
                })
            }));
        }
        // Alerts first (they refer to the others), each kind by name.
        deletions.sort_by(|a, b| {
            let order = |k: Kind| match k {
                Kind::Alerts => 0,
                Kind::Dashboards => 1,
                Kind::SavedSearches => 2,
            };
            (order(a.kind), &a.name, &a.id).cmp(&(order(b.kind), &b.name, &b.id))
        });
        for d in &deletions {
            plan.steps.push(Step {
                kind: d.kind,
                name: d.name.clone(),
                action: Action::Delete,
                file: None,
                id: Some(d.id.clone()),
                changes: Vec::new(),
            });
        }
        plan.deletions = deletions;
    }
    Ok(plan)
}

/// `value` as JSON.
fn to_value<T: Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).context("cannot represent a resource as JSON")
}

/// The plan as text: one block per change, a summary line.
pub(crate) fn render(
    plan: &Plan,
    target: &Target,
    dir: &str,
    layout: &Layout,
    style: Style,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", style.bold("Target:"), target.description);
    let _ = writeln!(
        out,
        "{} {dir} ({})",
        style.bold("Documents:"),
        layout.summary()
    );
    for step in plan.steps.iter().filter(|s| s.action != Action::Unchanged) {
        let where_ = match (&step.file, &step.id) {
            (Some(file), _) => file.clone(),
            (None, Some(id)) => format!("id {id}, not in DIR"),
            (None, None) => String::new(),
        };
        let (sign, verb) = match step.action {
            Action::Create => (style.green("+"), style.green("create")),
            Action::Update => (style.yellow("~"), style.yellow("update")),
            Action::Delete => (style.red("-"), style.red("delete")),
            Action::Unchanged => continue,
        };
        let _ = writeln!(
            out,
            "\n{sign} {verb} {} {:?} {}",
            step.kind.noun(),
            step.name,
            style.dim(&format!("({where_})"))
        );
        for change in &step.changes {
            let line = change.to_string();
            let painted = match (&change.before, &change.after) {
                (None, Some(_)) => style.green(&line),
                (Some(_), None) => style.red(&line),
                _ => style.yellow(&line),
            };
            let _ = writeln!(out, "      {painted}");
        }
    }
    for note in &plan.notes {
        let _ = writeln!(out, "\n{} {note}", style.yellow("note:"));
    }
    let s = plan.summary();
    if plan.has_changes() {
        let _ = writeln!(
            out,
            "\n{} {} to create, {} to update, {} to delete, {} unchanged.",
            style.bold("Plan:"),
            s.create,
            s.update,
            s.delete,
            s.unchanged
        );
    } else {
        let _ = writeln!(
            out,
            "\n{} the target matches {dir} ({} unchanged).",
            style.bold("No changes:"),
            s.unchanged
        );
    }
    out
}

/// The plan as JSON.
pub(crate) fn to_json(plan: &Plan, target: &Target) -> Result<String> {
    let value = json!({
        "target": {
            "backend": match target.backend() {
                clickstack::BackendKind::Oss => "hyperdx",
                clickstack::BackendKind::Cloud => "cloud",
            },
            "url": target.url,
        },
        "changes": plan.has_changes(),
        "summary": plan.summary(),
        "resources": plan.steps,
        "notes": plan.notes,
    });
    let mut text = serde_json::to_string_pretty(&value).context("cannot write the plan as JSON")?;
    text.push('\n');
    Ok(text)
}

/// What applying did.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Done {
    /// Created.
    pub(crate) created: usize,
    /// Updated.
    pub(crate) updated: usize,
    /// Deleted.
    pub(crate) deleted: usize,
}

/// The context of a failed write: what failed, and what to do.
fn stopped(what: &str) -> String {
    format!(
        "apply stopped: cannot {what}; the changes printed above were applied, the rest were not (run \
         `clickstack plan` to see what is left)"
    )
}

/// Applies `plan`: writes, in order, and prints each as it is done.
pub(crate) async fn execute(
    target: &Target,
    plan: &Plan,
    bar: &ProgressBar,
    style: Style,
) -> Result<Done> {
    let client = &target.client;
    let mut done = Done::default();
    let report = |bar: &ProgressBar, verb: &str, kind: Kind, name: &str| {
        let painted = match verb {
            "created" => style.green(verb),
            "updated" => style.yellow(verb),
            _ => style.red(verb),
        };
        output::println(bar, &format!("{painted} {} {name:?}", kind.noun()));
        bar.inc(1);
    };
    for write in &plan.saved_searches {
        let name = &write.body.name;
        bar.set_message(format!("saved search {name:?}"));
        match &write.id {
            None => {
                client
                    .saved_searches()
                    .create(&write.body)
                    .await
                    .with_context(|| stopped(&format!("create saved search {name:?}")))?;
                done.created += 1;
                report(bar, "created", Kind::SavedSearches, name);
            }
            Some(id) => {
                client
                    .saved_searches()
                    .update(id, &write.body)
                    .await
                    .with_context(|| stopped(&format!("update saved search {name:?} ({id})")))?;
                done.updated += 1;
                report(bar, "updated", Kind::SavedSearches, name);
            }
        }
    }
    if !plan.dashboards.is_empty() {
        bar.set_message(format!("{} dashboards", plan.dashboards.len()));
        let applied = client
            .dashboards()
            .apply_all(&plan.dashboards, ApplyOptions::default())
            .await
            .with_context(|| stopped(&format!("apply {} dashboards", plan.dashboards.len())))?;
        for outcome in applied {
            match outcome.action {
                ApplyAction::Created => {
                    done.created += 1;
                    report(bar, "created", Kind::Dashboards, &outcome.name);
                }
                ApplyAction::Updated => {
                    done.updated += 1;
                    report(bar, "updated", Kind::Dashboards, &outcome.name);
                }
                ApplyAction::Unchanged => {}
            }
        }
    }
    if !plan.alerts.is_empty() && plan.has_changes() {
        // Fresh ids: saved searches and dashboards may just have been
        // created, and a dashboard update that drops a tile deletes the
        // tile's alerts.
        bar.set_message("alerts");
        let saved = list!(target, saved_searches, "saved searches")?;
        let dashboards = list!(target, dashboards, "dashboards")?;
        let webhooks = list!(target, webhooks, "webhooks")?;
        let alerts = list!(target, alerts, "alerts")?;
        let catalog = Catalog::new(&saved, &dashboards, &webhooks);
        for doc in &plan.alerts {
            let resolved = portable::resolve_alert_refs(&doc.value, &catalog).map_err(|p| {
                anyhow!(stopped(&format!(
                    "resolve the references of alert {:?} ({}): {}",
                    doc.name,
                    doc.file,
                    p.join("; ")
                )))
            })?;
            let alert: Alert = serde_json::from_value(resolved)
                .with_context(|| stopped(&format!("read alert {:?} ({})", doc.name, doc.file)))?;
            let desired = portable::alert_normal_form(&doc.value);
            let existing = alerts.iter().find(|a| a.name.value() == Some(&doc.name));
            match existing.and_then(|a| a.id.clone().map(|id| (a, id))) {
                None => {
                    bar.set_message(format!("alert {:?}", doc.name));
                    client.alerts().create(&alert).await.with_context(|| {
                        stopped(&format!("create alert {:?} ({})", doc.name, doc.file))
                    })?;
                    done.created += 1;
                    report(bar, "created", Kind::Alerts, &doc.name);
                }
                Some((current, id)) => {
                    let mut current_value = to_value(&current.to_create())?;
                    let _ = portable::name_alert_refs(&mut current_value, &catalog);
                    let current_value = portable::alert_normal_form(&current_value);
                    if portable::alert_changes(&current_value, &desired).is_empty() {
                        continue;
                    }
                    bar.set_message(format!("alert {:?}", doc.name));
                    client.alerts().update(&id, &alert).await.with_context(|| {
                        stopped(&format!("update alert {:?} ({})", doc.name, doc.file))
                    })?;
                    done.updated += 1;
                    report(bar, "updated", Kind::Alerts, &doc.name);
                }
            }
        }
    }
    for deletion in &plan.deletions {
        bar.set_message(format!("{} {:?}", deletion.kind.noun(), deletion.name));
        let result = match deletion.kind {
            Kind::Alerts => client.alerts().delete(&deletion.id).await,
            Kind::Dashboards => client.dashboards().delete(&deletion.id).await,
            Kind::SavedSearches => client.saved_searches().delete(&deletion.id).await,
        };
        match result {
            // Gone already (deleted with its dashboard or saved search).
            Ok(()) | Err(Error::NotFound(_)) => {}
            Err(e) => {
                return Err(anyhow::Error::new(e).context(stopped(&format!(
                    "delete {} {:?} ({})",
                    deletion.kind.noun(),
                    deletion.name,
                    deletion.id
                ))));
            }
        }
        done.deleted += 1;
        report(bar, "deleted", deletion.kind, &deletion.name);
    }
    Ok(done)
}
