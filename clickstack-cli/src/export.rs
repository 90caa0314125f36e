//! `clickstack export`: one file per resource, plus the sources file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clickstack::{Alert, Dashboard, DashboardDocument, Resource, SavedSearch};
use serde_json::Value;

use crate::cli::{ExportArgs, Kind};
use crate::connect::Target;
use crate::format::{self, Format};
use crate::layout::{self, SOURCES_FILE, SourceEntry, SourcesFile};
use crate::portable::{self, Catalog};
use crate::sources;

/// One resource to write.
struct Item {
    name: String,
    id: String,
    value: Value,
}

/// What an export did, for the closing line.
#[derive(Debug, Default)]
struct Tally {
    written: usize,
    unchanged: usize,
    removed: usize,
}

/// Assigns each item a file name: its slug, `-2`, `-3`... for names that
/// slug alike (in name, then id, order, so the names are stable).
fn file_names(items: &mut [Item]) -> Vec<String> {
    items.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    let mut used: HashMap<String, usize> = HashMap::new();
    items
        .iter()
        .map(|item| {
            let slug = format::slug(&item.name);
            let n = used.entry(slug.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { slug } else { format!("{slug}-{n}") }
        })
        .collect()
}

/// Lists what to export and writes it.
pub(crate) async fn export(target: &Target, args: &ExportArgs) -> Result<()> {
    let mut kinds: Vec<Kind> = if args.kind.is_empty() {
        Kind::ALL.to_vec()
    } else {
        args.kind.clone()
    };
    kinds.sort();
    kinds.dedup();
    let glob = match &args.name {
        Some(pattern) => Some(
            globset::Glob::new(pattern)
                .with_context(|| {
                    format!("--name {pattern:?} is not a valid glob (use *, ? and [abc])")
                })?
                .compile_matcher(),
        ),
        None => None,
    };
    let root = &args.dir;
    std::fs::create_dir_all(root)
        .with_context(|| format!("cannot create directory {}", root.display()))?;
    let client = &target.client;
    let on = &target.description;
    let has = |k: Kind| kinds.contains(&k);
    let sources = client
        .sources()
        .list()
        .await
        .and_then(clickstack::Listing::into_complete)
        .with_context(|| format!("cannot list the sources on {on}"))?;
    let dashboards: Vec<Dashboard> = if has(Kind::Dashboards) || has(Kind::Alerts) {
        client
            .dashboards()
            .list()
            .await
            .and_then(clickstack::Listing::into_complete)
            .with_context(|| format!("cannot list the dashboards on {on}"))?
    } else {
        Vec::new()
    };
    let saved: Vec<SavedSearch> = if has(Kind::SavedSearches) || has(Kind::Alerts) {
        client
            .saved_searches()
            .list()
            .await
            .and_then(clickstack::Listing::into_complete)
            .with_context(|| format!("cannot list the saved searches on {on}"))?
    } else {
        Vec::new()
    };
    let (alerts, webhooks): (Vec<Alert>, _) = if has(Kind::Alerts) {
        (
            client
                .alerts()
                .list()
                .await
                .and_then(clickstack::Listing::into_complete)
                .with_context(|| format!("cannot list the alerts on {on}"))?,
            client
                .webhooks()
                .list()
                .await
                .and_then(clickstack::Listing::into_complete)
                .with_context(|| format!("cannot list the webhooks on {on}"))?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let catalog = Catalog::new(&saved, &dashboards, &webhooks);

    let mut warnings = Vec::new();
    let mut tally = Tally::default();
    let mut counts = Vec::new();
    for kind in &kinds {
        let mut items: Vec<Item> = match kind {
            Kind::Dashboards => dashboards
                .iter()
                .map(|d| {
                    Ok(Item {
                        name: d.name.clone().unwrap_or_default(),
                        id: d.id.clone().unwrap_or_default(),
                        value: to_value(&DashboardDocument::from_dashboard(d))?,
                    })
                })
                .collect::<Result<_>>()?,
            Kind::SavedSearches => saved
                .iter()
                .map(|s| {
                    Ok(Item {
                        name: s.name.clone(),
                        id: s.id.clone().unwrap_or_default(),
                        value: portable::saved_search_normal_form(&to_value(&s.to_create())?),
                    })
                })
                .collect::<Result<_>>()?,
            Kind::Alerts => {
                let mut items = Vec::new();
                for alert in &alerts {
                    let id = alert.id.clone().unwrap_or_default();
                    let name = alert.name.value().cloned().unwrap_or_default();
                    if name.trim().is_empty() {
                        warnings.push(format!(
                            "alert {id} has no name and is not exported (alerts are matched by name: give it one)"
                        ));
                        continue;
                    }
                    let mut value = to_value(&alert.to_create())?;
                    for note in portable::name_alert_refs(&mut value, &catalog) {
                        warnings.push(format!("alert {name:?}: {note}"));
                    }
                    items.push(Item {
                        name,
                        id,
                        value: portable::alert_normal_form(&value),
                    });
                }
                items
            }
        };
        let names = file_names(&mut items);
        for (i, item) in items.iter().enumerate() {
            let same: Vec<String> = items
                .iter()
                .zip(&names)
                .filter(|(other, _)| other.name == item.name)
                .map(|(_, file)| format!("{}/{file}.{}", kind.dir(), args.format.extension()))
                .collect();
            if same.len() > 1 && items.iter().position(|other| other.name == item.name) == Some(i) {
                warnings.push(format!(
                    "{} {kind_noun}s are named {:?} ({}): plan and apply match {kind_noun}s by name and refuse \
                     two files of one name; rename all but one",
                    same.len(),
                    item.name,
                    same.join(", "),
                    kind_noun = kind.noun(),
                ));
            }
        }
        let dir = root.join(kind.dir());
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
        let mut written: HashSet<PathBuf> = HashSet::new();
        let mut count = 0;
        for (item, file) in items.iter().zip(names) {
            if glob.as_ref().is_some_and(|g| !g.is_match(&item.name)) {
                continue;
            }
            let path = dir.join(format!("{file}.{}", args.format.extension()));
            let text = format::render(&item.value, args.format)?;
            if layout::write_if_changed(&path, &text)? {
                tally.written += 1;
            } else {
                tally.unchanged += 1;
            }
            written.insert(path);
            count += 1;
        }
        counts.push(kind.count(count));
        // Without --name the directory mirrors the backend: files of
        // resources that are gone (or renamed) go too.
        if glob.is_none() {
            for path in layout::document_files(&dir)? {
                if !written.contains(&path) {
                    std::fs::remove_file(&path)
                        .with_context(|| format!("cannot remove {}", path.display()))?;
                    tally.removed += 1;
                }
            }
        }
    }
    let sources_path = write_sources_file(root, &sources, args.format, &mut warnings)?;
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    println!(
        "Exported {} from {on} to {} ({} written, {} unchanged, {} removed; sources in {}).",
        counts.join(", "),
        root.display(),
        layout::plural(tally.written, "file", "files"),
        tally.unchanged,
        tally.removed,
        layout::relative(root, &sources_path),
    );
    Ok(())
}

fn to_value<T: serde::Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).context("cannot represent a resource as JSON")
}

/// The source ids the documents in `root` use, with a file using each.
fn used_sources(root: &Path) -> Result<BTreeMap<String, String>> {
    let mut used = BTreeMap::new();
    for kind in Kind::ALL {
        let dir = root.join(kind.dir());
        if !dir.is_dir() {
            continue;
        }
        for path in layout::document_files(&dir)? {
            // Files that do not parse are reported by plan and validate.
            let Ok(value) = std::fs::read_to_string(&path)
                .map_err(anyhow::Error::from)
                .and_then(|t| format::parse(&path, &t))
            else {
                continue;
            };
            let ids = match kind {
                Kind::Dashboards => serde_json::from_value::<Dashboard>(value)
                    .map(|d| sources::dashboard_source_ids(&d))
                    .unwrap_or_default(),
                Kind::SavedSearches => value
                    .get("sourceId")
                    .and_then(Value::as_str)
                    .map(|s| vec![s.to_string()])
                    .unwrap_or_default(),
                Kind::Alerts => portable::alert_source_ids(&value),
            };
            for id in ids {
                used.entry(id)
                    .or_insert_with(|| layout::relative(root, &path));
            }
        }
    }
    Ok(used)
}

/// Writes the sources file: every source the documents in `root` use,
/// named from the backend, else from the sources file already there.
fn write_sources_file(
    root: &Path,
    live: &[clickstack::Source],
    format: Format,
    warnings: &mut Vec<String>,
) -> Result<PathBuf> {
    let previous = layout::read_sources(root).ok().flatten();
    let mut file = SourcesFile::default();
    for (id, user) in used_sources(root)? {
        let entry = live
            .iter()
            .find(|s| s.id.as_deref() == Some(id.as_str()))
            .map(|s| SourceEntry {
                name: s.name.clone(),
                kind: s.kind.as_str().to_string(),
            })
            .or_else(|| {
                previous
                    .as_ref()
                    .and_then(|(_, p)| p.sources.get(&id).cloned())
            });
        match entry {
            Some(entry) => {
                file.sources.insert(id, entry);
            }
            None => warnings.push(format!(
                "{user} uses source {id}, which the backend does not have: it cannot be mapped onto another \
                 deployment (fix the document, or add the source to {SOURCES_FILE}.{})",
                format.extension()
            )),
        }
    }
    let path = layout::write_sources(root, &file, format)?;
    // One sources file: drop one of another format.
    for ext in ["yaml", "yml", "json"] {
        let other = root.join(format!("{SOURCES_FILE}.{ext}"));
        if other != path && other.is_file() {
            std::fs::remove_file(&other)
                .with_context(|| format!("cannot remove {}", other.display()))?;
        }
    }
    Ok(path)
}
