//! The whole pipeline as one call from a client crate's `build.rs`.
//!
//! Reads `specs/<api>.json`, finds the pinned file in the spec directory
//! (`CLICKSTACK_SPEC_DIR`, defaulted by `.cargo/config.toml`), checks its
//! sha256, normalizes, generates into `OUT_DIR/client.rs` (and
//! `OUT_DIR/httpmock.rs` when the crate's `httpmock` feature is on), and
//! prints a `cargo:warning` for pin drift and for declared fixes that no
//! longer apply.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::generate::{self, Options};
use crate::manifest::Manifest;
use crate::normalize;
use crate::pin::{self, SPEC_DIR_ENV};
use crate::{Error, Result};

/// Environment variable that replaces the pinned file of `api` by another
/// spec file (used to check that every shipped version generates).
pub fn spec_override_env(api: &str) -> String {
    format!("CLICKSTACK_{}_SPEC_FILE", api.to_ascii_uppercase())
}

/// What a build produced.
#[derive(Debug, Clone)]
pub struct BuildOutput {
    /// The spec file used.
    pub spec: PathBuf,
    /// Warnings to show (already printed as `cargo:warning`).
    pub warnings: Vec<String>,
    /// Sizes of the generated code.
    pub stats: generate::Stats,
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Generates the client for `api` (`cloud` or `oss`) from a build script.
///
/// The generated code refers to `crate::Auth` (credentials, with an
/// `authorization()` header value), which the client crate provides; the
/// hooks and path-reporting decoding are emitted with it (`runtime`).
pub fn generate_client(api: &str) -> Result<BuildOutput> {
    let crate_dir = env_path("CARGO_MANIFEST_DIR").ok_or_else(|| Error::Generate {
        message: "CARGO_MANIFEST_DIR is not set: call this from a build script".into(),
    })?;
    let out_dir = env_path("OUT_DIR").ok_or_else(|| Error::Generate {
        message: "OUT_DIR is not set: call this from a build script".into(),
    })?;
    let manifest_path = crate_dir
        .join("..")
        .join("specs")
        .join(format!("{api}.json"));
    println!("cargo:rerun-if-changed={}", manifest_path.display());
    println!("cargo:rerun-if-env-changed={SPEC_DIR_ENV}");
    let override_env = spec_override_env(api);
    println!("cargo:rerun-if-env-changed={override_env}");
    let manifest = Manifest::load(&manifest_path)?;
    let spec_dir =
        env_path(SPEC_DIR_ENV).unwrap_or_else(|| crate_dir.join("../../shared/specs/upstream"));

    let mut warnings = Vec::new();
    let loaded = match env_path(&override_env) {
        Some(file) => {
            warnings.push(format!(
                "{override_env} is set: generating from {} instead of the pinned {}",
                file.display(),
                manifest.pin.file
            ));
            pin::load(&file, None)?
        }
        None => pin::load_pinned(&manifest, &spec_dir)?,
    };
    println!("cargo:rerun-if-changed={}", loaded.path.display());
    if let Some(pinned) = &loaded.drift {
        warnings.push(drift_warning(api, &loaded.path, &loaded.sha256, pinned));
    }
    let include_httpmock = std::env::var_os("CARGO_FEATURE_HTTPMOCK").is_some();
    let output = generate_files(
        &manifest,
        &loaded.bytes,
        &loaded.path,
        &out_dir,
        include_httpmock,
    )?;
    warnings.extend(output.warnings);
    for w in &warnings {
        println!("cargo:warning={w}");
    }
    Ok(BuildOutput {
        spec: loaded.path,
        warnings,
        stats: output.stats,
    })
}

/// The build warning for a spec that differs from its pin.
pub fn drift_warning(api: &str, path: &Path, found: &str, pinned: &str) -> String {
    format!(
        "{} has sha256 {found}, but specs/{api}.json pins {pinned}; generating from it anyway. \
         See what changed with `cargo run -p clickstack-codegen -- diff <pinned file> {}`, \
         then move the pin with `cargo run -p clickstack-codegen -- update-pin {api} {}` \
         (checks that it generates, updates pin.file and pin.sha256 in specs/{api}.json and \
         prints the change report; see README).",
        path.display(),
        path.display(),
        path.display()
    )
}

/// Output of [`generate_files`].
#[derive(Debug, Clone)]
pub struct FilesOutput {
    /// Stale fixes and other notes.
    pub warnings: Vec<String>,
    /// Sizes of the generated code.
    pub stats: generate::Stats,
}

/// Everything the pipeline produces from one spec, in memory.
#[derive(Debug, Clone)]
pub struct Artifacts {
    /// What normalization did (including stale fixes).
    pub normalize: normalize::Report,
    /// The client (and httpmock helpers, when asked for).
    pub generated: generate::Generated,
    /// One httpmock test per operation.
    pub operation_tests: String,
    /// One Prism conformance test per operation.
    pub conformance_tests: String,
}

/// The whole pipeline on spec bytes: parse, normalize, generate, and
/// write the per-operation tests. Shared by builds and `check`.
pub fn run_pipeline(
    manifest: &Manifest,
    spec_bytes: &[u8],
    spec_path: &Path,
    include_httpmock: bool,
) -> Result<Artifacts> {
    let mut doc = parse_json(spec_bytes, spec_path)?;
    let report = normalize::normalize(&mut doc, manifest)?;
    let options = Options {
        replace_types: manifest.replace_types.clone(),
        httpmock_crate_path: include_httpmock.then(|| "crate".to_string()),
        error_schema: Some(manifest.error_schema.clone()),
        ..Options::default()
    };
    let generated = generate::generate(&doc, &options)?;
    let operation_tests =
        crate::testgen::operation_tests(&doc, &generated.client, &manifest.error_schema)?;
    let conformance_tests = crate::testgen::conformance_tests(&doc, &generated.client)?;
    Ok(Artifacts {
        normalize: report,
        generated,
        operation_tests,
        conformance_tests,
    })
}

/// Normalizes and generates `client.rs` (and `httpmock.rs`) into `out_dir`.
pub fn generate_files(
    manifest: &Manifest,
    spec_bytes: &[u8],
    spec_path: &Path,
    out_dir: &Path,
    include_httpmock: bool,
) -> Result<FilesOutput> {
    let artifacts = run_pipeline(manifest, spec_bytes, spec_path, include_httpmock)?;
    let warnings = artifacts
        .normalize
        .fixes_stale
        .iter()
        .map(|(id, why)| {
            format!(
                "spec fix `{id}` (specs/{}.json) no longer applies to {}: {why}. \
                 If upstream fixed the bug, remove the fix.",
                manifest.api,
                spec_path.display()
            )
        })
        .collect();
    let generated = &artifacts.generated;
    write(&out_dir.join("client.rs"), &generated.client)?;
    write(
        &out_dir.join("operation_tests.rs"),
        &artifacts.operation_tests,
    )?;
    write(
        &out_dir.join("conformance_tests.rs"),
        &artifacts.conformance_tests,
    )?;
    write(
        &out_dir.join("httpmock.rs"),
        generated.httpmock.as_deref().unwrap_or(""),
    )?;
    Ok(FilesOutput {
        warnings,
        stats: generated.stats.clone(),
    })
}

/// Parses JSON bytes, naming the failing place.
pub fn parse_json(bytes: &[u8], path: &Path) -> Result<Value> {
    serde_json::from_slice(bytes).map_err(|e| Error::Parse {
        what: path.display().to_string(),
        path: format!("line {} column {}", e.line(), e.column()),
        message: e.to_string(),
    })
}

fn write(path: &Path, text: &str) -> Result<()> {
    // Leave an unchanged file alone so cargo does not recompile for nothing.
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}
