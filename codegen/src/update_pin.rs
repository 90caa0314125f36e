//! `update-pin`: moves an API's pin to a new upstream file.
//!
//! 1. The new file (a local path, or a URL) is read within size and time
//!    limits and must be JSON ([`crate::download`], shared with `drift`).
//! 2. It must generate ([`crate::check`]); if not, nothing changes.
//! 3. It is written into `<spec dir>/<api>/` (under a temporary name, then
//!    renamed), and `pin.file` and `pin.sha256` in `specs/<api>.json` are
//!    updated (and `pin.upstream_url` for a URL; `pin.drift_url` stays).
//! 4. The change report against the previously pinned file is returned
//!    ([`crate::diff`]).

use std::path::{Path, PathBuf};

use crate::build_script::parse_json;
use crate::check::{self, CheckReport};
use crate::download::{self, Limits, is_url};
use crate::manifest::Manifest;
use crate::pin::{SPEC_DIR_ENV, sha256_hex};
use crate::{Error, Result};

/// What [`update_pin`] did.
#[derive(Debug, Clone)]
pub struct UpdateReport {
    /// The previously pinned file name.
    pub old_file: String,
    /// Its sha256 as pinned.
    pub old_sha256: String,
    /// The newly pinned file (inside the spec directory).
    pub new_path: PathBuf,
    /// Its sha256.
    pub new_sha256: String,
    /// The pipeline check of the new file.
    pub check: CheckReport,
    /// The change report from the old to the new file
    /// (`diff(old, new).to_text()`), or why there is none.
    pub change_report: String,
    /// Whether the pin actually changed (false when the file was already
    /// pinned).
    pub changed: bool,
}

/// The file name a source gets in the spec directory: a file keeps its
/// name; a download is named after the URL's last segment (`openapi.json`
/// says nothing about the version) and the first 12 hex digits of its
/// sha256: `openapi-657a080bc547.json`, or `<api>-<sha>.json` when the URL
/// does not end in a `.json` name.
pub(crate) fn target_name(api: &str, source: &str, bytes: &[u8]) -> String {
    if is_url(source) {
        let no_query = source.split(['?', '#']).next().unwrap_or(source);
        let last = no_query.rsplit('/').next().unwrap_or("");
        let stem = match last.strip_suffix(".json") {
            Some(stem) if !stem.is_empty() && !stem.starts_with('.') => stem,
            _ => api,
        };
        return format!("{stem}-{}.json", &sha256_hex(bytes)[..12]);
    }
    Path::new(source)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .unwrap_or_else(|| format!("{api}-{}.json", &sha256_hex(bytes)[..12]))
}

fn not_writable(dir: &Path, e: &std::io::Error) -> Error {
    let message = format!(
        "the spec directory is not writable ({e}). Pass a writable copy in {SPEC_DIR_ENV}: \
         cp -r {} /tmp/specs && {SPEC_DIR_ENV}=/tmp/specs cargo run -p clickstack-codegen -- update-pin ...",
        dir.parent().unwrap_or(dir).display()
    );
    Error::io(dir, std::io::Error::new(e.kind(), message))
}

/// An error about `what` (a URL or file) that is not an I/O error of ours.
fn failure(what: impl Into<PathBuf>, message: String) -> Error {
    Error::io(what, std::io::Error::other(message))
}

fn read_only(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

/// Moves the pin of the API whose manifest is `manifest_path` to `source`
/// (a file path or an `http(s)://` URL, read within `limits`), storing the
/// file in `spec_dir/<api>/`.
pub fn update_pin(
    source: &str,
    spec_dir: &Path,
    manifest_path: &Path,
    limits: &Limits,
) -> Result<UpdateReport> {
    let mut manifest = Manifest::load(manifest_path)?;
    let dir = spec_dir.join(&manifest.api);
    std::fs::create_dir_all(&dir).map_err(|e| {
        if read_only(&e) {
            not_writable(&dir, &e)
        } else {
            Error::io(&dir, e)
        }
    })?;
    let temp = dir.join(format!(".update-pin-{}.tmp", std::process::id()));
    std::fs::write(&temp, b"").map_err(|e| {
        if read_only(&e) {
            not_writable(&dir, &e)
        } else {
            Error::io(&temp, e)
        }
    })?;
    // The empty temporary file above proved the directory writable before
    // a download; it gets the bytes once they generate.
    let checked = download::fetch_json(source, limits).and_then(|bytes| {
        let name = target_name(&manifest.api, source, &bytes);
        let report = check::check(&manifest, &bytes, &dir.join(&name))?;
        std::fs::write(&temp, &bytes).map_err(|e| Error::io(&temp, e))?;
        Ok((bytes, name, report))
    });
    let (bytes, name, report) = match checked {
        Ok(v) => v,
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
    };
    let new_path = dir.join(&name);
    let new_sha256 = report.sha256.clone();
    match std::fs::read(&new_path) {
        Ok(existing) if existing == bytes => {
            let _ = std::fs::remove_file(&temp);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(&temp);
            return Err(failure(
                &new_path,
                "already exists with other content; refusing to overwrite it".into(),
            ));
        }
        Err(_) => std::fs::rename(&temp, &new_path).map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            Error::io(&new_path, e)
        })?,
    }

    let old_file = manifest.pin.file.clone();
    let old_sha256 = manifest.pin.sha256.clone();
    let old_path = dir.join(&old_file);
    let change_report = match std::fs::read(&old_path) {
        Ok(old_bytes) => {
            let old = parse_json(&old_bytes, &old_path)?;
            let new = parse_json(&bytes, &new_path)?;
            crate::diff::diff(&old, &new)?.to_text()
        }
        Err(e) => format!(
            "(no change report: the previously pinned {} cannot be read: {e})\n",
            old_path.display()
        ),
    };
    let changed = old_file != name || !old_sha256.eq_ignore_ascii_case(&new_sha256);
    if changed {
        manifest.pin.note = format!(
            "Moved by `clickstack-codegen update-pin` from {old_file} (sha256 {old_sha256}); \
             source: {source}."
        );
        if is_url(source) {
            manifest.pin.upstream_url = source.to_string();
        }
        manifest.pin.file = name;
        manifest.pin.sha256 = new_sha256.clone();
        manifest.save(manifest_path)?;
    }
    Ok(UpdateReport {
        old_file,
        old_sha256,
        new_path,
        new_sha256,
        check: report,
        change_report,
        changed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "clickstack-update-pin-{tag}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn shipped_oss_dir() -> Option<PathBuf> {
        let dir = std::env::var_os(SPEC_DIR_ENV)
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/upstream")
            })
            .join("oss");
        if dir.is_dir() {
            Some(dir)
        } else {
            eprintln!("skipped: {} is missing", dir.display());
            None
        }
    }

    #[test]
    fn moves_the_pin_and_reports_the_changes() {
        let Some(shipped) = shipped_oss_dir() else {
            return;
        };
        let work = temp_dir("move");
        let spec_dir = work.join("upstream");
        std::fs::create_dir_all(spec_dir.join("oss")).unwrap();
        // The temp spec dir holds an older file, pinned by a temp manifest
        // that otherwise is the real one.
        let old = "hyperdx-41395ca74-2026-05-11.json";
        let old_bytes = std::fs::read(shipped.join(old)).unwrap();
        std::fs::write(spec_dir.join("oss").join(old), &old_bytes).unwrap();
        let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/oss.json");
        let mut manifest = Manifest::load(&real).unwrap();
        let new = manifest.pin.file.clone();
        let new_sha = manifest.pin.sha256.clone();
        manifest.pin.file = old.to_string();
        manifest.pin.sha256 = sha256_hex(&old_bytes);
        let manifest_path = work.join("oss.json");
        manifest.save(&manifest_path).unwrap();

        let source = shipped.join(&new);
        let report = update_pin(
            source.to_str().unwrap(),
            &spec_dir,
            &manifest_path,
            &Limits::default(),
        )
        .unwrap();
        assert!(report.changed);
        assert_eq!(report.old_file, old);
        assert_eq!(report.new_sha256, new_sha);
        assert_eq!(report.new_path, spec_dir.join("oss").join(&new));
        assert_eq!(
            std::fs::read(&report.new_path).unwrap(),
            std::fs::read(&source).unwrap()
        );
        // 2026-05-11 to 2026-08-21 adds connections, saved searches, team...
        assert!(
            report.change_report.contains("createSavedSearch"),
            "{}",
            report.change_report
        );
        assert_eq!(report.check.stats.operations, 38);
        let saved = Manifest::load(&manifest_path).unwrap();
        assert_eq!(saved.pin.file, new);
        assert_eq!(saved.pin.sha256, new_sha);
        assert!(saved.pin.note.contains(old), "{}", saved.pin.note);
        assert_eq!(saved.fixes.len(), manifest.fixes.len());
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(spec_dir.join("oss"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");

        // Pinning the same file again changes nothing.
        let after = std::fs::read_to_string(&manifest_path).unwrap();
        let again = update_pin(
            source.to_str().unwrap(),
            &spec_dir,
            &manifest_path,
            &Limits::default(),
        )
        .unwrap();
        assert!(!again.changed);
        assert_eq!(std::fs::read_to_string(&manifest_path).unwrap(), after);
        std::fs::remove_dir_all(&work).unwrap();
    }

    #[test]
    fn a_file_that_does_not_generate_leaves_everything_unchanged() {
        let work = temp_dir("broken");
        let spec_dir = work.join("upstream");
        let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/oss.json");
        let manifest_path = work.join("oss.json");
        std::fs::copy(&real, &manifest_path).unwrap();
        let before = std::fs::read_to_string(&manifest_path).unwrap();
        let broken = work.join("broken.json");
        std::fs::write(
            &broken,
            br#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},
                "paths":{"/x":{"get":{"operationId":"x","responses":"oops"}}}}"#,
        )
        .unwrap();
        let err = update_pin(
            broken.to_str().unwrap(),
            &spec_dir,
            &manifest_path,
            &Limits::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("at `paths`"), "{err}");
        assert_eq!(std::fs::read_to_string(&manifest_path).unwrap(), before);
        assert_eq!(std::fs::read_dir(spec_dir.join("oss")).unwrap().count(), 0);
        std::fs::remove_dir_all(&work).unwrap();
    }

    #[test]
    fn names_for_urls_and_files() {
        assert_eq!(
            target_name("oss", "https://example.com/a/openapi.json?raw=1", b"{}"),
            "openapi-44136fa355b3.json"
        );
        assert_eq!(
            target_name("cloud", "https://api.clickhouse.cloud/v1", b"{}"),
            "cloud-44136fa355b3.json"
        );
        assert_eq!(target_name("oss", "/tmp/x/new.json", b"{}"), "new.json");
    }

    #[test]
    fn the_drift_warning_names_update_pin() {
        let w = crate::build_script::drift_warning("oss", Path::new("/s/oss/new.json"), "aa", "bb");
        assert!(w.contains("update-pin oss /s/oss/new.json"), "{w}");
        assert!(w.contains("diff"), "{w}");
    }
}
