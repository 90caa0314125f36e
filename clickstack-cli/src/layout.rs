//! A directory of documents: DIR/dashboards/, DIR/saved-searches/,
//! DIR/alerts/ (one file per resource, in any sub-folder) and
//! DIR/sources.yaml, read into the library's typed documents. A file in
//! DIR/dashboards/ may also be one of HyperDX's own dashboard files
//! (told apart by its content), converted by the library.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clickstack::as_code::{self, Kind as ResourceKind};
use clickstack::hyperdx::{DashboardFile, Loss};
use clickstack::{AlertDocument, DashboardDocument, Documents, SavedSearchDocument, SourceRef};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cli::Kind;
use crate::format::{self, Format};

/// The file that names the sources documents refer to.
pub(crate) const SOURCES_FILE: &str = "sources";

/// sources.yaml: source id (on the exporting deployment) to name and kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourcesFile {
    /// By id.
    #[serde(default)]
    pub(crate) sources: BTreeMap<String, SourceRef>,
}

/// Everything read from DIR: the documents, typed, and the file of each.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// The kinds DIR has a directory for (what `--prune` may delete).
    pub(crate) kinds: Vec<Kind>,
    /// The documents (and the sources they name).
    pub(crate) documents: Documents,
    /// The file of each document, by kind and name.
    files: HashMap<(Kind, String), String>,
    /// What is worth knowing about each HyperDX dashboard file, by
    /// dashboard name.
    hyperdx: HashMap<String, HyperdxNotes>,
}

/// What the reading of a HyperDX dashboard file found.
#[derive(Debug, Clone, Default)]
pub(crate) struct HyperdxNotes {
    /// What the conversion could not carry.
    pub(crate) losses: Vec<Loss>,
    /// What HyperDX's own import would refuse in the file.
    pub(crate) refusals: Vec<String>,
}

impl Layout {
    /// Whether DIR has a directory for `kind`.
    pub(crate) fn has(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind)
    }

    /// The file of the document of `kind` named `name`.
    pub(crate) fn file(&self, kind: ResourceKind, name: &str) -> Option<&str> {
        let kind = Kind::of(kind)?;
        self.files
            .get(&(kind, name.trim().to_string()))
            .map(String::as_str)
    }

    /// What the conversion of the HyperDX dashboard file of dashboard
    /// `name` could not carry (nothing for the crate's own documents).
    pub(crate) fn losses(&self, name: &str) -> &[Loss] {
        self.hyperdx
            .get(name.trim())
            .map_or(&[], |n| n.losses.as_slice())
    }

    /// What HyperDX's own import would refuse in the HyperDX dashboard
    /// file of dashboard `name`.
    pub(crate) fn hyperdx_refusals(&self, name: &str) -> &[String] {
        self.hyperdx
            .get(name.trim())
            .map_or(&[], |n| n.refusals.as_slice())
    }

    /// Every loss of the HyperDX files, as warnings naming their file.
    pub(crate) fn loss_warnings(&self) -> Vec<String> {
        let mut names: Vec<&String> = self.hyperdx.keys().collect();
        names.sort();
        names
            .into_iter()
            .flat_map(|name| {
                let file = self
                    .file(ResourceKind::Dashboard, name)
                    .unwrap_or_default()
                    .to_string();
                self.losses(name)
                    .iter()
                    .map(move |loss| format!("{file}: {loss}"))
            })
            .collect()
    }

    /// How many documents of `kind`.
    pub(crate) fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Dashboards => self.documents.dashboards.len(),
            Kind::SavedSearches => self.documents.saved_searches.len(),
            Kind::Alerts => self.documents.alerts.len(),
        }
    }

    /// "2 dashboards, 1 alert" (kinds DIR has).
    pub(crate) fn summary(&self) -> String {
        let parts: Vec<String> = Kind::ALL
            .iter()
            .filter(|k| self.has(**k))
            .map(|k| k.count(self.count(*k)))
            .collect();
        parts.join(", ")
    }

    /// The plan options of `--prune`: the kinds DIR has a directory for.
    pub(crate) fn plan_options(&self, prune: bool) -> as_code::PlanOptions {
        if prune {
            as_code::PlanOptions::prune(self.kinds.iter().map(|k| k.resource()))
        } else {
            as_code::PlanOptions::default()
        }
    }
}

/// `path` relative to `root`, with `/` separators.
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The document files under `dir`, sorted, hidden ones skipped.
pub(crate) fn document_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .with_context(|| format!("cannot read directory {}", dir.display()))?;
        for entry in entries {
            let entry =
                entry.with_context(|| format!("cannot read directory {}", dir.display()))?;
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if format::is_document(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The sources file in `root`, if any: `(relative path, content)`.
pub(crate) fn read_sources(root: &Path) -> Result<Option<(String, SourcesFile)>> {
    let found: Vec<PathBuf> = ["yaml", "yml", "json"]
        .iter()
        .map(|ext| root.join(format!("{SOURCES_FILE}.{ext}")))
        .filter(|p| p.is_file())
        .collect();
    let path = match found.as_slice() {
        [] => return Ok(None),
        [one] => one,
        _ => bail!(
            "{} has more than one sources file ({}): keep one",
            root.display(),
            found
                .iter()
                .map(|p| relative(root, p))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let file = relative(root, path);
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let value = format::parse(path, &text).with_context(|| format!("{file} is not readable"))?;
    let sources: SourcesFile = serde_path_to_error::deserialize(&value).map_err(|e| {
        anyhow::anyhow!(
            "{file}: at `{}`: {} (expected `sources: {{<id>: {{name: ..., kind: log|trace|metric|session|promql}}}}`)",
            e.path(),
            e.inner()
        )
    })?;
    Ok(Some((file, sources)))
}

/// Writes `sources` to `root`/sources.<format>.
pub(crate) fn write_sources(root: &Path, sources: &SourcesFile, format: Format) -> Result<PathBuf> {
    let path = root.join(format!("{SOURCES_FILE}.{}", format.extension()));
    let value = serde_json::to_value(sources).context("cannot write the sources file")?;
    write_if_changed(&path, &format::render(&value, format)?)?;
    Ok(path)
}

/// Writes `text` to `path` unless it already holds exactly that (so a
/// second export leaves files, and their times, alone). Returns whether it
/// wrote.
pub(crate) fn write_if_changed(path: &Path, text: &str) -> Result<bool> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create directory {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}

/// A document's content as `T`, naming the failing field.
fn typed<T: DeserializeOwned>(value: Value) -> Result<T> {
    serde_path_to_error::deserialize(value)
        .map_err(|e| anyhow::anyhow!("at `{}`: {}", e.path(), e.inner()))
}

/// A document file that does not read: not YAML or JSON, without a name,
/// or not of its kind's type.
#[derive(Debug, Clone)]
pub(crate) struct Unreadable {
    /// Its kind.
    pub(crate) kind: Kind,
    /// Its path relative to DIR (empty for the sources file's problems).
    pub(crate) file: String,
    /// Its `name`, if it has one.
    pub(crate) name: Option<String>,
    /// What is wrong.
    pub(crate) problem: String,
}

/// Why a document file does not read, with its name when it has one.
type ReadError = (Option<String>, anyhow::Error);

/// A document file read: its name, and for a HyperDX dashboard file what
/// its reading found.
type Read = (String, Option<HyperdxNotes>);

/// Reads one document file of `kind` into `documents`: a HyperDX
/// dashboard file is converted, and adds the sources and connections it
/// names.
fn read_document(
    kind: Kind,
    path: &Path,
    documents: &mut Documents,
) -> std::result::Result<Read, ReadError> {
    let text = std::fs::read_to_string(path).map_err(|e| (None, e.into()))?;
    let value = format::parse(path, &text).map_err(|e| (None, e))?;
    let name = match value.get("name") {
        Some(Value::String(name)) if !name.trim().is_empty() => name.trim().to_string(),
        _ => {
            return Err((
                None,
                anyhow::anyhow!(
                    "a {} document needs a non-empty `name` (the name is what plan and apply match on)",
                    kind.noun()
                ),
            ));
        }
    };
    let failed = |e: anyhow::Error| (Some(name.clone()), e);
    match kind {
        Kind::Dashboards if DashboardFile::is_file(&value) => {
            let file = DashboardFile::from_value(value).map_err(|e| failed(e.into()))?;
            let refusals = file.check();
            let losses = file.to_document().add_to(documents);
            return Ok((name, Some(HyperdxNotes { losses, refusals })));
        }
        Kind::Dashboards => documents
            .dashboards
            .push(DashboardDocument::new(typed(value).map_err(failed)?)),
        Kind::SavedSearches => documents
            .saved_searches
            .push(SavedSearchDocument::new(typed(value).map_err(failed)?)),
        Kind::Alerts => documents
            .alerts
            .push(AlertDocument::from_value(&value).map_err(|e| failed(e.into()))?),
    }
    Ok((name, None))
}

/// Reads DIR: every document, the sources file. Fails with every problem
/// found at once, each with its file.
pub(crate) fn load(root: &Path) -> Result<Layout> {
    let (layout, unreadable) = load_lenient(root)?;
    if !unreadable.is_empty() {
        let mut message = format!(
            "cannot use {}: {}",
            root.display(),
            plural(unreadable.len(), "problem", "problems")
        );
        for u in &unreadable {
            if u.file.is_empty() {
                let _ = write!(message, "\n  {}", u.problem);
            } else {
                let _ = write!(message, "\n  {}: {}", u.file, u.problem);
            }
        }
        message.push_str("\n(fix the files; `clickstack validate` checks every document)");
        bail!(message);
    }
    Ok(layout)
}

/// The kinds DIR has a directory for; fails when it is not a directory of
/// documents.
fn kinds_in(root: &Path) -> Result<Vec<Kind>> {
    if !root.is_dir() {
        bail!(
            "{} is not a directory: pass the directory `clickstack export --dir DIR` wrote",
            root.display()
        );
    }
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| root.join(k.dir()).is_dir())
        .collect();
    if kinds.is_empty() {
        bail!(
            "{} holds none of dashboards/, saved-searches/, alerts/: write them with \
             `clickstack export --dir {}` (or create one of these directories)",
            root.display(),
            root.display()
        );
    }
    Ok(kinds)
}

/// Reads DIR: the documents that read, and each file that does not (the
/// sources file's problems with an empty file name).
pub(crate) fn load_lenient(root: &Path) -> Result<(Layout, Vec<Unreadable>)> {
    let kinds = kinds_in(root)?;
    let mut unreadable = Vec::new();
    let mut documents = Documents::default();
    let mut files: HashMap<(Kind, String), String> = HashMap::new();
    let mut hyperdx = HashMap::new();
    for kind in &kinds {
        for path in document_files(&root.join(kind.dir()))? {
            let file = relative(root, &path);
            let (name, problem) = match read_document(*kind, &path, &mut documents) {
                Ok((name, notes)) => match files.insert((*kind, name.clone()), file.clone()) {
                    None => {
                        if let Some(notes) = notes {
                            hyperdx.insert(name, notes);
                        }
                        continue;
                    }
                    Some(other) => {
                        let problem = format!(
                            "{other} is named {name:?} too: {} names must be unique (rename one)",
                            kind.noun()
                        );
                        (Some(name), problem)
                    }
                },
                Err((name, e)) => (name, format!("{e:#}")),
            };
            unreadable.push(Unreadable {
                kind: *kind,
                file,
                name,
                problem,
            });
        }
    }
    match read_sources(root) {
        // The sources file names sources by id; HyperDX files by name, as
        // ids. The file wins where both have an entry.
        Ok(Some((_, sources))) => documents.sources.extend(sources.sources),
        Ok(None) => {}
        Err(e) => unreadable.push(Unreadable {
            kind: Kind::Dashboards,
            file: String::new(),
            name: None,
            problem: format!("{e:#}"),
        }),
    }
    let layout = Layout {
        kinds,
        documents,
        files,
        hyperdx,
    };
    Ok((layout, unreadable))
}

/// The documents in `root` that read and refer to sources by id, for the
/// sources file to name: HyperDX files name their sources themselves, and
/// files that do not read are skipped (`plan` and `validate` report
/// them).
pub(crate) fn documents_naming_sources_by_id(root: &Path) -> Result<Documents> {
    let mut documents = Documents::default();
    for kind in Kind::ALL {
        let dir = root.join(kind.dir());
        if dir.is_dir() {
            for path in document_files(&dir)? {
                let mut one = Documents::default();
                if let Ok((_, None)) = read_document(kind, &path, &mut one) {
                    documents.dashboards.append(&mut one.dashboards);
                    documents.saved_searches.append(&mut one.saved_searches);
                    documents.alerts.append(&mut one.alerts);
                }
            }
        }
    }
    Ok(documents)
}

/// "1 file", "2 files".
pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("{count} {one}")
    } else {
        format!("{count} {many}")
    }
}
