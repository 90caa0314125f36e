//! `clickstack-codegen` turns the pinned upstream OpenAPI documents of
//! ClickStack's two APIs into typed Rust clients.
//!
//! The pipeline has four stages, each a module:
//!
//! 1. [`pin`]: find the spec file in the spec directory and check its
//!    sha256 against the pin recorded in `specs/<api>.json` ([`manifest`]).
//! 2. [`normalize`]: named, tested transformations of the raw document
//!    (OpenAPI 3.1 to 3.0, one shared error schema, forward compatibility,
//!    declared spec fixes) so that progenitor can generate it.
//! 3. [`generate`]: progenitor generates the client (and httpmock helpers),
//!    then [`postprocess`] makes string enums and unions open to values a
//!    newer server may send.
//! 4. [`build_script`]: the whole pipeline as one call from a `build.rs`,
//!    printing warnings for pin drift and stale spec fixes.
//!
//! The `clickstack-codegen` binary exposes the same library as a CLI
//! (`generate`, `check`, `normalize`).
//!
//! ```no_run
//! // In a build.rs:
//! clickstack_codegen::build_script::generate_client("cloud").unwrap();
//! ```

pub mod build_script;
pub mod check;
pub mod diff;
pub mod error;
pub mod examples;
pub mod fixtures;
pub mod generate;
pub mod manifest;
pub mod naming;
pub mod normalize;
pub mod package;
pub mod pin;
pub mod pointer;
pub mod schema_walk;
pub mod testgen;
pub mod update_pin;

pub use error::{Error, Result};
