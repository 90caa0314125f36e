//! The pipeline as one call from a client crate's `build.rs`, inside this
//! workspace. (A published crate carries its generated code instead and
//! has no build script; see [`crate::package`].)
//!
//! Reads `specs/<api>.json`, finds the pinned file in the spec directory
//! (`CLICKSTACK_SPEC_DIR`, defaulted by `.cargo/config.toml`), checks its
//! sha256, normalizes, generates `OUT_DIR/client.rs` and
//! `OUT_DIR/httpmock.rs`, and reports through `build-print`: info for what
//! it generated, warnings for pin drift and for declared fixes that no
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
    /// Warnings (already printed).
    pub warnings: Vec<String>,
    /// Sizes of the generated code.
    pub stats: generate::Stats,
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Where the workspace's spec manifests are, seen from a crate directory.
pub fn manifest_path(crate_dir: &Path, api: &str) -> PathBuf {
    crate_dir
        .join("..")
        .join("specs")
        .join(format!("{api}.json"))
}

/// The spec directory: `CLICKSTACK_SPEC_DIR`, else `../shared/specs/upstream`
/// beside the workspace.
pub fn spec_dir(workspace: &Path) -> PathBuf {
    env_path(SPEC_DIR_ENV).unwrap_or_else(|| workspace.join("../shared/specs/upstream"))
}

/// Loads the spec a build uses: the override file when set, else the
/// pinned one; returns it with the warnings to show.
pub fn load_spec(manifest: &Manifest, workspace: &Path) -> Result<(pin::LoadedSpec, Vec<String>)> {
    let override_env = spec_override_env(&manifest.api);
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
        None => pin::load_pinned(manifest, &spec_dir(workspace))?,
    };
    if let Some(pinned) = &loaded.drift {
        warnings.push(drift_warning(
            &manifest.api,
            &loaded.path,
            &loaded.sha256,
            pinned,
        ));
    }
    Ok((loaded, warnings))
}

/// Generates the client for `api` (`cloud` or `oss`) from a build script.
pub fn generate_client(api: &str) -> Result<BuildOutput> {
    let crate_dir = env_path("CARGO_MANIFEST_DIR").ok_or_else(|| Error::Generate {
        message: "CARGO_MANIFEST_DIR is not set: call this from a build script".into(),
    })?;
    let out_dir = env_path("OUT_DIR").ok_or_else(|| Error::Generate {
        message: "OUT_DIR is not set: call this from a build script".into(),
    })?;
    let manifest_path = manifest_path(&crate_dir, api);
    println!("cargo:rerun-if-changed={}", manifest_path.display());
    println!("cargo:rerun-if-env-changed={SPEC_DIR_ENV}");
    println!("cargo:rerun-if-env-changed={}", spec_override_env(api));
    let manifest = Manifest::load(&manifest_path)?;
    let (loaded, mut warnings) = load_spec(&manifest, &crate_dir.join(".."))?;
    println!("cargo:rerun-if-changed={}", loaded.path.display());
    let artifacts = run_pipeline(&manifest, &loaded.bytes, &loaded.path)?;
    warnings.extend(stale_fix_warnings(
        &manifest,
        &artifacts.normalize,
        &loaded.path,
    ));
    write(&out_dir.join("client.rs"), &artifacts.generated.client)?;
    write(
        &out_dir.join("httpmock.rs"),
        artifacts.generated.httpmock.as_deref().unwrap_or(""),
    )?;
    for w in &warnings {
        build_print::warn!("{w}");
    }
    let s = &artifacts.generated.stats;
    build_print::info!(
        "clickstack-{api}: {} operations from {} ({} lines; {} open enums, {} open unions, \
         {} structs keep unknown fields; {} types need the `types` feature, {} do not)",
        s.operations,
        loaded
            .path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        s.client_lines,
        s.open_enums,
        s.open_unions,
        s.structs_with_extra,
        s.types_gated,
        s.types_without_feature
    );
    Ok(BuildOutput {
        spec: loaded.path,
        warnings,
        stats: artifacts.generated.stats,
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

/// Warnings for declared fixes that no longer apply.
pub fn stale_fix_warnings(
    manifest: &Manifest,
    report: &normalize::Report,
    spec: &Path,
) -> Vec<String> {
    report
        .fixes_stale
        .iter()
        .map(|(id, why)| {
            format!(
                "spec fix `{id}` (specs/{}.json) no longer applies to {}: {why}. \
                 If upstream fixed the bug, remove the fix.",
                manifest.api,
                spec.display()
            )
        })
        .collect()
}

/// Everything the pipeline produces from one spec, in memory.
#[derive(Debug, Clone)]
pub struct Artifacts {
    /// The normalized document.
    pub normalized: Value,
    /// What normalization did (including stale fixes).
    pub normalize: normalize::Report,
    /// The client and its httpmock helpers.
    pub generated: generate::Generated,
}

/// The generation options a manifest describes.
pub fn options(manifest: &Manifest) -> Options {
    Options {
        api: manifest.api.clone(),
        replace_types: manifest.replace_types.clone(),
        httpmock: true,
        error_schema: manifest.error_schema.clone(),
        rate_limit: manifest.rate_limit,
        features: manifest.features.clone(),
    }
}

/// The whole pipeline on spec bytes: parse, normalize, generate. Shared by
/// builds, `check`, `generate` and packaging.
pub fn run_pipeline(manifest: &Manifest, spec_bytes: &[u8], spec_path: &Path) -> Result<Artifacts> {
    let mut doc = parse_json(spec_bytes, spec_path)?;
    let report = normalize::normalize(&mut doc, manifest)?;
    let generated = generate::generate(&doc, &report.param_renames, &options(manifest))?;
    Ok(Artifacts {
        normalized: doc,
        normalize: report,
        generated,
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

/// Writes a file unless it already holds `text` (so cargo does not
/// recompile for nothing).
pub fn write(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}
