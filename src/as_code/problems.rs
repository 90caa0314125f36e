//! What stops a plan before anything is written.

use clickstack_runtime::UndecodableItem;

use super::document::SourceRef;
use super::plan::Kind;

/// One reason a plan cannot be made. Every problem is found before any
/// write, and all of them are reported at once.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A document has no name (plans match resources by name).
    #[error("a {kind} document has no name (documents are matched by name)")]
    Unnamed {
        /// Its kind.
        kind: Kind,
    },
    /// Two documents of one kind have the same name.
    #[error("two {kind} documents are named {name:?}: names must be unique")]
    DuplicateDocument {
        /// Their kind.
        kind: Kind,
        /// The name.
        name: String,
    },
    /// The target has several resources of one kind with the name of a
    /// document (or that an alert refers to), so which one is meant is
    /// unknown.
    #[error("the target has {} {kind}s named {name:?} ({}): rename all but one", ids.len(), ids.join(", "))]
    Ambiguous {
        /// Their kind.
        kind: Kind,
        /// The name.
        name: String,
        /// Their ids.
        ids: Vec<String>,
    },
    /// A resource on the target did not decode, and it may be the one a
    /// document describes (its name matches, or cannot be read), or the
    /// kind is pruned: planning around it could create a duplicate or
    /// delete the wrong resource.
    #[error("{item}: fix or remove it on the target before planning {kind}s")]
    Unreadable {
        /// Its kind.
        kind: Kind,
        /// The item, with where and why it did not decode.
        item: Box<UndecodableItem>,
    },
    /// A source a document uses is not on the target.
    #[error("{} uses source {id}{}: {reason}", users(used_by), named.as_ref().map(|s| format!(" ({}source {:?})", s.kind.as_ref().map(|k| format!("{k} ")).unwrap_or_default(), s.name)).unwrap_or_default())]
    MissingSource {
        /// The documents that use it.
        used_by: Vec<(Kind, String)>,
        /// The id the document uses.
        id: String,
        /// What the documents name it, if they do.
        named: Option<SourceRef>,
        /// Why it cannot be mapped.
        reason: String,
    },
    /// A connection a raw SQL tile uses cannot be found on the target.
    #[error("dashboard {dashboard:?} uses connection {name:?}: {reason}")]
    MissingConnection {
        /// The dashboard.
        dashboard: String,
        /// The connection, as the document names it.
        name: String,
        /// Why it cannot be mapped.
        reason: String,
    },
    /// A table tile opens a dashboard (by name) that cannot be resolved
    /// to an id on the target.
    #[error("dashboard {dashboard:?}: a tile opens dashboard {target:?}, which {reason}")]
    MissingLink {
        /// The dashboard holding the tile.
        dashboard: String,
        /// The dashboard it opens.
        target: String,
        /// Why it cannot be resolved.
        reason: String,
    },
    /// An alert refers to a saved search, dashboard or webhook that is
    /// neither in the documents nor on the target (or that the plan
    /// deletes).
    #[error("alert {alert:?}: {kind} {name:?} {reason}")]
    MissingReference {
        /// The alert.
        alert: String,
        /// What it refers to.
        kind: Kind,
        /// By this name (or id).
        name: String,
        /// Why it will not exist.
        reason: String,
    },
    /// An alert watches a tile that will not exist.
    #[error("alert {alert:?}: dashboard {dashboard:?} has no tile named {tile:?} (its tiles: {})", tiles.join(", "))]
    MissingTile {
        /// The alert.
        alert: String,
        /// The dashboard.
        dashboard: String,
        /// The tile.
        tile: String,
        /// The tiles the dashboard will have.
        tiles: Vec<String>,
    },
    /// An alert watches a tile whose name several tiles of its dashboard
    /// have.
    #[error(
        "alert {alert:?}: dashboard {dashboard:?} has several tiles named {tile:?}: rename all but one"
    )]
    AmbiguousTile {
        /// The alert.
        alert: String,
        /// The dashboard.
        dashboard: String,
        /// The tile.
        tile: String,
    },
    /// An alert document is not complete or contradicts itself.
    #[error("alert {alert:?}: {reason}")]
    InvalidAlert {
        /// The alert.
        alert: String,
        /// What is wrong.
        reason: String,
    },
}

/// "dashboard "A", saved search "B", alert "C" and 2 more".
pub(crate) fn users(list: &[(Kind, String)]) -> String {
    let mut text = list
        .iter()
        .take(3)
        .map(|(kind, name)| format!("{kind} {name:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    if list.len() > 3 {
        text.push_str(&format!(" and {} more", list.len() - 3));
    }
    text
}

impl Problem {
    /// The documents the problem is about (by kind and name), for
    /// pointing at their files.
    pub fn documents(&self) -> Vec<(Kind, &str)> {
        match self {
            Problem::DuplicateDocument { kind, name } => vec![(*kind, name.as_str())],
            Problem::MissingConnection { dashboard, .. }
            | Problem::MissingLink { dashboard, .. } => {
                vec![(Kind::Dashboard, dashboard.as_str())]
            }
            Problem::MissingSource { used_by, .. } => {
                used_by.iter().map(|(k, n)| (*k, n.as_str())).collect()
            }
            Problem::MissingReference { alert, .. }
            | Problem::MissingTile { alert, .. }
            | Problem::AmbiguousTile { alert, .. }
            | Problem::InvalidAlert { alert, .. } => vec![(Kind::Alert, alert.as_str())],
            _ => Vec::new(),
        }
    }
}

/// Why a plan could not be made: every problem found, before any write.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanError {
    /// The problems, in the order found.
    pub problems: Vec<Problem>,
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot plan ({} problem{}, nothing was changed):",
            self.problems.len(),
            if self.problems.len() == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PlanError {}
