//! `clickstack export`: one file per resource, plus the sources file.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clickstack::as_code::{Export, Kind as ResourceKind, State};
use clickstack::hyperdx::{DashboardFile, Names};
use clickstack::{Documents, SourceRef};
use serde_json::Value;

use crate::cli::{ExportArgs, Kind};
use crate::connect::Target;
use crate::format::{self, Format};
use crate::layout::{self, SOURCES_FILE, SourcesFile};

/// One resource to write.
struct Item {
    name: String,
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
/// slug alike (in name, then content, order, so the names are stable).
fn file_names(items: &mut [Item]) -> Vec<String> {
    items.sort_by(|a, b| (&a.name, a.value.to_string()).cmp(&(&b.name, b.value.to_string())));
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

/// The kinds to export (all by default), and the name filter.
fn selection(args: &ExportArgs) -> Result<(Vec<Kind>, Option<globset::GlobMatcher>)> {
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
    Ok((kinds, glob))
}

/// The dashboards of `state` (those `glob` matches) as HyperDX dashboard
/// files, their ids named as `state` names them; what the files cannot
/// carry, or HyperDX's import would refuse, goes to `warnings`.
fn hyperdx_files(
    state: &State,
    glob: Option<&globset::GlobMatcher>,
    warnings: &mut Vec<String>,
) -> Result<Vec<Item>> {
    let names = Names::of_state(state);
    state
        .dashboards
        .iter()
        .filter(|d| glob.is_none_or(|g| g.is_match(d.name.as_deref().unwrap_or_default())))
        .map(|dashboard| {
            let exported = DashboardFile::from_dashboard(dashboard, &names);
            let name = &exported.file.name;
            let said = format!("dashboard {name:?} as a HyperDX file");
            warnings.extend(exported.losses.iter().map(|loss| format!("{said}: {loss}")));
            warnings.extend(
                exported
                    .file
                    .check()
                    .iter()
                    .map(|r| format!("{said}: HyperDX's import would refuse it: {r}")),
            );
            item(name, &exported.file)
        })
        .collect()
}

/// The documents of `kind`, to write.
fn items_of(kind: Kind, documents: &Documents) -> Result<Vec<Item>> {
    match kind {
        Kind::Dashboards => documents
            .dashboards
            .iter()
            .map(|d| item(d.name(), d))
            .collect(),
        Kind::SavedSearches => documents
            .saved_searches
            .iter()
            .map(|s| item(s.name(), s))
            .collect(),
        Kind::Alerts => documents
            .alerts
            .iter()
            .map(|a| item(a.alert_name(), a))
            .collect(),
    }
}

/// A warning for each name several items of `kind` have.
fn duplicate_warnings(kind: Kind, items: &[Item], names: &[String], format: Format) -> Vec<String> {
    let mut warnings = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let same: Vec<String> = items
            .iter()
            .zip(names)
            .filter(|(other, _)| other.name == item.name)
            .map(|(_, file)| format!("{}/{file}.{}", kind.dir(), format.extension()))
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
    warnings
}

/// Writes the items of `kind` to their directory; without a name filter,
/// removes the files of resources that are gone. Returns how many it
/// wrote.
fn write_kind(
    root: &Path,
    kind: Kind,
    mut items: Vec<Item>,
    args: &ExportArgs,
    glob: Option<&globset::GlobMatcher>,
    tally: &mut Tally,
    warnings: &mut Vec<String>,
) -> Result<usize> {
    let names = file_names(&mut items);
    warnings.extend(duplicate_warnings(kind, &items, &names, args.format));
    let dir = root.join(kind.dir());
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create directory {}", dir.display()))?;
    let mut written: HashSet<PathBuf> = HashSet::new();
    for (item, file) in items.iter().zip(names) {
        if glob.is_some_and(|g| !g.is_match(&item.name)) {
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
    }
    // Without --name the directory mirrors the backend: files of resources
    // that are gone (or renamed) go too.
    if glob.is_none() {
        for path in layout::document_files(&dir)? {
            if !written.contains(&path) {
                std::fs::remove_file(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
                tally.removed += 1;
            }
        }
    }
    Ok(written.len())
}

/// Lists what to export and writes it.
pub(crate) async fn export(target: &Target, args: &ExportArgs) -> Result<()> {
    let (kinds, glob) = selection(args)?;
    let root = &args.dir;
    std::fs::create_dir_all(root)
        .with_context(|| format!("cannot create directory {}", root.display()))?;
    let on = &target.description;
    let previous = layout::read_sources(root)
        .ok()
        .flatten()
        .map(|(_, file)| file.sources)
        .unwrap_or_default();
    let wanted: BTreeSet<ResourceKind> = kinds.iter().map(|k| k.resource()).collect();
    let mut reads = Export::reads(&wanted);
    if args.format == Format::Hyperdx {
        // HyperDX files name connections, and the dashboards clicks open.
        reads.extend([ResourceKind::Connection, ResourceKind::Dashboard]);
    }
    let state = target
        .client
        .fetch_state(&reads)
        .await
        .with_context(|| format!("cannot read {on}"))?;
    let export = state.export(&wanted, &previous);
    let mut warnings = export.warnings.clone();
    let mut tally = Tally::default();
    let mut counts = Vec::new();
    for kind in &kinds {
        let items = match (kind, args.format) {
            (Kind::Dashboards, Format::Hyperdx) => {
                hyperdx_files(&state, glob.as_ref(), &mut warnings)?
            }
            _ => items_of(*kind, &export.documents)?,
        };
        let count = write_kind(
            root,
            *kind,
            items,
            args,
            glob.as_ref(),
            &mut tally,
            &mut warnings,
        )?;
        counts.push(kind.count(count));
    }
    let sources_path =
        write_sources_file(root, &state.sources, &previous, args.format, &mut warnings)?;
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

/// A document to write, named.
fn item<T: serde::Serialize>(name: &str, document: &T) -> Result<Item> {
    Ok(Item {
        name: name.to_string(),
        value: serde_json::to_value(document).context("cannot represent a document as JSON")?,
    })
}

/// Writes the sources file: every source the documents in `root` use,
/// named from the backend, else from the sources file already there.
fn write_sources_file(
    root: &Path,
    live: &[clickstack::Source],
    previous: &BTreeMap<String, SourceRef>,
    format: Format,
    warnings: &mut Vec<String>,
) -> Result<PathBuf> {
    let mut documents = layout::documents_naming_sources_by_id(root)?;
    for (id, users) in documents.name_sources(live, previous) {
        warnings.push(format!(
            "{users} uses source {id}, which the backend does not have: it cannot be mapped onto another \
             deployment (fix the document, or add the source to {SOURCES_FILE}.{})",
            format.extension()
        ));
    }
    let file = SourcesFile {
        sources: documents.sources,
    };
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
