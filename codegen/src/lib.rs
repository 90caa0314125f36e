//! `clickstack-codegen` turns the pinned upstream OpenAPI documents of
//! ClickStack's two APIs into typed Rust clients. It is a workspace tool
//! (`publish = false`): published crates carry their generated code, so no
//! dependent ever builds it.
//!
//! The pipeline, each stage a module:
//!
//! 1. [`pin`]: find the spec file in the spec directory and check its
//!    sha256 against the pin recorded in `specs/<api>.json` ([`manifest`]).
//! 2. [`normalize`]: named, tested transformations of the raw document
//!    (declared spec fixes, OpenAPI 3.1 to 3.0, one shared error schema,
//!    forward compatibility, names that always generate) so that progenitor
//!    can generate it.
//! 3. [`generate`]: progenitor generates the client and its httpmock
//!    helpers, then syntax-tree rewrites open enums and unions, keep unknown
//!    fields, route every request through `clickstack-runtime` and gate API
//!    areas behind cargo features.
//! 4. [`build_script`]: the pipeline as one call from a workspace crate's
//!    `build.rs`, reporting through `build-print`; [`package`]: the same
//!    output staged into the published crates.
//!
//! Around it: [`check`] (can a file generate?), [`diff`] (what changed
//! between two versions, by API area), [`drift`] (has upstream moved away
//! from the pin?), [`update_pin`], [`download`] (bounded reads of a URL or
//! file, shared by those two), [`testgen`] (tests written from the spec)
//! and [`fixtures`] (random bodies of a spec). The `clickstack-codegen`
//! binary exposes them as commands.
//!
//! ```no_run
//! // In a workspace crate's build.rs:
//! clickstack_codegen::build_script::generate_client("cloud").unwrap();
//! ```

pub mod build_script;
pub mod check;
pub mod diff;
pub mod download;
pub mod drift;
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
