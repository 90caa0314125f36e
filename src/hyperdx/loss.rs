//! What a conversion could not carry, said tile by tile.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Something a conversion could not carry: a field of a tile (or of the
/// dashboard) or a whole tile, and why.
///
/// ```
/// use clickstack::hyperdx::DashboardFile;
/// let file = DashboardFile::from_json(r#"{
///   "version": "0.1.0", "name": "Latency",
///   "tiles": [{"id": "a", "x": 0, "y": 0, "w": 12, "h": 4, "config": {
///     "name": "p95", "displayType": "line", "source": "Traces", "where": "",
///     "granularity": "5 minute",
///     "select": [{"aggFn": "quantile", "level": 0.95, "valueExpression": "Duration", "aggCondition": ""}]
///   }}]
/// }"#)?;
/// let imported = file.to_document();
/// let loss = &imported.losses[0];
/// assert_eq!(loss.tile.as_deref(), Some("p95"));
/// assert_eq!(loss.what, "granularity");
/// assert_eq!(loss.to_string(), "tile \"p95\": granularity is lost: the APIs always bucket automatically");
/// # Ok::<(), clickstack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loss {
    /// The tile's name; `None` for the dashboard itself (filters, saved
    /// filter values, keys of the file).
    pub tile: Option<String>,
    /// What is lost: a field (`granularity`, `select[1..]`), or `tile`
    /// for the whole tile.
    pub what: String,
    /// Why the other side has no place for it.
    pub why: String,
}

impl Loss {
    /// Whether the whole tile is lost, not one of its fields.
    pub fn is_whole_tile(&self) -> bool {
        self.tile.is_some() && self.what == WHOLE_TILE
    }
}

/// [`Loss::what`] of a tile lost whole.
const WHOLE_TILE: &str = "tile";

impl fmt::Display for Loss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.tile, self.what.as_str()) {
            (Some(tile), WHOLE_TILE) => write!(f, "tile {tile:?} is left out: {}", self.why),
            (Some(tile), what) => write!(f, "tile {tile:?}: {what} is lost: {}", self.why),
            (None, what) => write!(f, "{what} is lost: {}", self.why),
        }
    }
}

/// Collects the losses of one tile (or of the dashboard).
pub(crate) struct Losses<'a> {
    out: &'a mut Vec<Loss>,
    tile: Option<String>,
}

impl<'a> Losses<'a> {
    /// Losses of the tile named `tile` (`None`: of the dashboard).
    pub(crate) fn new(out: &'a mut Vec<Loss>, tile: Option<String>) -> Self {
        Losses { out, tile }
    }

    /// `what` is lost, because `why`.
    pub(crate) fn lose(&mut self, what: &str, why: &str) {
        self.out.push(Loss {
            tile: self.tile.clone(),
            what: what.to_string(),
            why: why.to_string(),
        });
    }

    /// The whole tile is lost, because `why`.
    pub(crate) fn lose_tile(&mut self, why: &str) {
        self.lose(WHOLE_TILE, why);
    }
}
