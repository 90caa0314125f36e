//! A directory of documents: DIR/dashboards/, DIR/saved-searches/,
//! DIR/alerts/ (one file per resource, in any sub-folder) and
//! DIR/sources.yaml.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cli::Kind;
use crate::format::{self, Format};

/// The file that names the sources documents refer to.
pub(crate) const SOURCES_FILE: &str = "sources";

/// One document read from DIR.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    /// Its kind (from its directory).
    pub(crate) kind: Kind,
    /// Its path relative to DIR, with `/` separators (for messages).
    pub(crate) file: String,
    /// Its `name`.
    pub(crate) name: String,
    /// Its content.
    pub(crate) value: Value,
}

impl Document {
    /// How messages name it: `dashboard "Checkout" (dashboards/checkout.yaml)`.
    pub(crate) fn label(&self) -> String {
        format!("{} {:?} ({})", self.kind.noun(), self.name, self.file)
    }
}

/// What sources.yaml says of one source: its name and kind on the
/// deployment the documents were exported from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceEntry {
    /// The source's name (what moves match on).
    pub(crate) name: String,
    /// Its kind (`log`, `trace`, `metric`, `session`, `promql`).
    pub(crate) kind: String,
}

/// sources.yaml: source id (on the exporting deployment) to name and kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourcesFile {
    /// By id.
    #[serde(default)]
    pub(crate) sources: BTreeMap<String, SourceEntry>,
}

/// Everything read from DIR.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// The kinds DIR has a directory for (what `--prune` may delete).
    pub(crate) kinds: Vec<Kind>,
    /// The documents, by kind then path.
    pub(crate) documents: Vec<Document>,
    /// sources.yaml (empty when absent).
    pub(crate) sources: SourcesFile,
    /// Where sources.yaml is, when present (relative to DIR).
    pub(crate) sources_file: Option<String>,
}

impl Layout {
    /// The documents of `kind`.
    pub(crate) fn of(&self, kind: Kind) -> impl Iterator<Item = &Document> {
        self.documents.iter().filter(move |d| d.kind == kind)
    }

    /// Whether DIR has a directory for `kind`.
    pub(crate) fn has(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind)
    }

    /// "2 dashboards, 1 alert" (kinds DIR has).
    pub(crate) fn summary(&self) -> String {
        let parts: Vec<String> = Kind::ALL
            .iter()
            .filter(|k| self.has(**k))
            .map(|k| k.count(self.of(*k).count()))
            .collect();
        parts.join(", ")
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
            "{file}: at `{}`: {} (expected `sources: {{<id>: {{name: ..., kind: ...}}}}`)",
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

/// Reads DIR: every document (each error reported with its file), the
/// sources file. Fails with every problem found at once.
pub(crate) fn load(root: &Path) -> Result<Layout> {
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
    let mut problems = Vec::new();
    let mut documents = Vec::new();
    for kind in &kinds {
        let mut names: HashMap<String, String> = HashMap::new();
        for path in document_files(&root.join(kind.dir()))? {
            let file = relative(root, &path);
            let value = match std::fs::read_to_string(&path)
                .map_err(anyhow::Error::from)
                .and_then(|text| format::parse(&path, &text))
            {
                Ok(value) => value,
                Err(e) => {
                    problems.push(format!("{file}: {e:#}"));
                    continue;
                }
            };
            let name = match value.get("name") {
                Some(Value::String(name)) if !name.trim().is_empty() => name.clone(),
                _ => {
                    problems.push(format!(
                        "{file}: a {} document needs a non-empty `name` (the name is what plan and apply match on)",
                        kind.noun()
                    ));
                    continue;
                }
            };
            if let Some(other) = names.insert(name.clone(), file.clone()) {
                problems.push(format!(
                    "{file} and {other} are both named {name:?}: {} names must be unique (rename one)",
                    kind.noun()
                ));
                continue;
            }
            documents.push(Document {
                kind: *kind,
                file,
                name,
                value,
            });
        }
    }
    let (sources_file, sources) = match read_sources(root) {
        Ok(Some((file, sources))) => (Some(file), sources),
        Ok(None) => (None, SourcesFile::default()),
        Err(e) => {
            problems.push(format!("{e:#}"));
            (None, SourcesFile::default())
        }
    };
    if !problems.is_empty() {
        let mut message = format!(
            "cannot use {}: {}",
            root.display(),
            plural(problems.len(), "problem", "problems")
        );
        for problem in &problems {
            let _ = write!(message, "\n  {problem}");
        }
        bail!(message);
    }
    Ok(Layout {
        kinds,
        documents,
        sources,
        sources_file,
    })
}

/// "1 file", "2 files".
pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("{count} {one}")
    } else {
        format!("{count} {many}")
    }
}
