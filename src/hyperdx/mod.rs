//! HyperDX's own dashboard files: the JSON its UI exports (Export
//! Dashboard) and imports (Import Dashboard), and its shipped templates
//! are written in (`DashboardTemplateSchema` in hyperdxio/hyperdx).
//!
//! A file names the sources, connections and dashboards a dashboard
//! refers to; the APIs take ids. [`DashboardFile::to_document`] turns a
//! file into a [`DashboardDocument`](crate::DashboardDocument) whose ids
//! are the file's names, with those names in the sources and
//! connections a plan maps onto the target (matched case-insensitively,
//! as HyperDX's import matches them). [`DashboardFile::from_dashboard`]
//! writes a dashboard back as a file, its ids named by [`Names`].
//!
//! Both directions follow HyperDX's own conversions (its import, the
//! external API's `convertToExternalTileChartConfig` and
//! `convertToInternalTileConfig`, its export), and say what they could
//! not carry as [`Loss`]es, tile by tile: a PromQL tile, a table's row
//! limit, a chart's time bucket. Neither drops anything silently.
//!
//! ```
//! use clickstack::hyperdx::DashboardFile;
//! let file = DashboardFile::from_json(r#"{
//!   "version": "0.1.0", "name": "Checkout",
//!   "tiles": [{"id": "errors", "x": 0, "y": 0, "w": 12, "h": 4, "config": {
//!     "name": "Errors", "displayType": "line", "source": "Logs",
//!     "where": "", "select": [{"aggFn": "count", "valueExpression": "", "aggCondition": "SeverityText:error"}]
//!   }}]
//! }"#)?;
//! let imported = file.to_document();
//! assert!(imported.losses.is_empty());
//! assert_eq!(imported.document.0.source_ids(), ["Logs"]);
//! assert_eq!(imported.sources["Logs"].name, "Logs");
//! # Ok::<(), clickstack::Error>(())
//! ```

mod check;
mod export;
mod file;
mod import;
mod loss;
mod names;

pub use export::Exported;
pub use file::{
    DashboardFile, FILE_VERSION, FileChartConfig, FileFilter, FileSelect, FileSelectItem, FileTile,
};
pub use import::Imported;
pub use loss::Loss;
pub use names::Names;
