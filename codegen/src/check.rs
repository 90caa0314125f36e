//! `check`: can a spec file be generated? Runs the whole pipeline of a
//! build (normalize, progenitor with the httpmock helpers, the syntax-tree
//! rewrites) in memory, writes nothing, and reports what each
//! normalization step changed, which declared fixes apply and which are
//! stale, and the size of the result. A failure is the pipeline's error,
//! which names where in the document it happened (a JSON pointer for a
//! normalization step, a serde path into the document for one progenitor's
//! reader cannot read).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::Result;
use crate::build_script::{parse_json, run_pipeline};
use crate::generate;
use crate::manifest::Manifest;
use crate::normalize::Report;
use crate::pin::{self, sha256_hex};

/// What [`check`] found for a spec that generates.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// The API (`cloud` or `oss`).
    pub api: String,
    /// The file checked.
    pub spec: PathBuf,
    /// Its sha256, lower-case hex.
    pub sha256: String,
    /// Whether it is the file `specs/<api>.json` pins (same sha256).
    pub matches_pin: bool,
    /// The OpenAPI version the file declares (`openapi` or `swagger`).
    pub openapi_version: String,
    /// What normalization did, step by step, and the declared fixes that
    /// applied or no longer apply.
    pub normalize: Report,
    /// Sizes of the generated code.
    pub stats: generate::Stats,
}

impl CheckReport {
    /// Declared fixes that no longer apply (the build warns about these).
    pub fn stale_fixes(&self) -> &[(String, String)] {
        &self.normalize.fixes_stale
    }
}

/// Checks the spec bytes `bytes` (read from `path`, which only names it)
/// against `manifest`.
pub fn check(manifest: &Manifest, bytes: &[u8], path: &Path) -> Result<CheckReport> {
    let doc = parse_json(bytes, path)?;
    let openapi_version = doc
        .get("openapi")
        .or_else(|| doc.get("swagger"))
        .and_then(|v| v.as_str())
        .unwrap_or("(none)")
        .to_string();
    // Exactly what a build runs, with the httpmock helpers on so that their
    // generation is checked too.
    let artifacts = run_pipeline(manifest, bytes, path)?;
    let sha256 = sha256_hex(bytes);
    Ok(CheckReport {
        api: manifest.api.clone(),
        spec: path.to_path_buf(),
        matches_pin: sha256.eq_ignore_ascii_case(&manifest.pin.sha256),
        sha256,
        openapi_version,
        normalize: artifacts.normalize,
        stats: artifacts.generated.stats,
    })
}

/// Reads `path` and [`check`]s it.
pub fn check_file(manifest: &Manifest, path: &Path) -> Result<CheckReport> {
    let loaded = pin::load(path, None)?;
    check(manifest, &loaded.bytes, path)
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: generates ({} client, OpenAPI {})",
            self.spec.display(),
            self.api,
            self.openapi_version
        )?;
        writeln!(
            f,
            "sha256 {} ({})",
            self.sha256,
            if self.matches_pin {
                "the pinned file"
            } else {
                "not the pinned file"
            }
        )?;
        writeln!(f, "normalization:")?;
        for step in &self.normalize.steps {
            writeln!(f, "  {:<16} {:>5} change(s)", step.step, step.changes)?;
            for note in &step.notes {
                writeln!(f, "      {note}")?;
            }
        }
        if self.normalize.fixes_applied.is_empty() && self.normalize.fixes_stale.is_empty() {
            writeln!(f, "declared fixes: none")?;
        } else {
            writeln!(f, "declared fixes:")?;
            for id in &self.normalize.fixes_applied {
                writeln!(f, "  applies  {id}")?;
            }
            for (id, why) in &self.normalize.fixes_stale {
                writeln!(
                    f,
                    "  STALE    {id}: {why} (remove it if upstream fixed the bug)"
                )?;
            }
        }
        let s = &self.stats;
        writeln!(
            f,
            "generated: {} operations ({} generic twins), {} client lines, {} httpmock lines, \
             {} open enums ({} written by the generator), {} open unions, {} structs keep \
             unknown fields, {} optional lists and maps",
            s.operations,
            s.generic_operations,
            s.client_lines,
            s.httpmock_lines,
            s.open_enums,
            s.custom_enums,
            s.open_unions,
            s.structs_with_extra,
            s.optional_collections
        )?;
        for (feature, types) in &s.types_per_feature {
            writeln!(f, "  feature {feature}: {types} types")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(api: &str) -> Manifest {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../specs/{api}.json"));
        Manifest::load(&path).unwrap()
    }

    fn upstream(api: &str) -> Option<Vec<PathBuf>> {
        let dir = std::env::var_os(pin::SPEC_DIR_ENV)
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/upstream")
            })
            .join(api);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (the tests need the upstream specs; set CLICKSTACK_SPEC_DIR)",
                dir.display()
            )
        });
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        Some(files)
    }

    fn check_every_shipped_spec(api: &str) {
        let Some(files) = upstream(api) else { return };
        assert!(!files.is_empty(), "no {api} spec files");
        let m = manifest(api);
        let mut pinned = 0;
        for file in &files {
            let report = check_file(&m, file)
                .unwrap_or_else(|e| panic!("{} does not generate: {e}", file.display()));
            assert!(report.stats.operations > 0, "{}", file.display());
            assert_eq!(report.normalize.steps.len(), 7);
            let text = report.to_string();
            assert!(text.contains("generates"), "{text}");
            assert!(text.contains("downconvert"), "{text}");
            if report.matches_pin {
                pinned += 1;
                // The pinned file is what the build uses: no fix may be
                // stale there.
                assert!(
                    report.stale_fixes().is_empty(),
                    "{}: {text}",
                    file.display()
                );
                assert_eq!(
                    report.normalize.fixes_applied.len(),
                    m.fixes.len(),
                    "{text}"
                );
            }
        }
        assert_eq!(pinned, 1, "the pinned {api} file is among the shipped ones");
    }

    #[test]
    fn every_shipped_cloud_spec_generates() {
        check_every_shipped_spec("cloud");
    }

    #[test]
    fn every_shipped_oss_spec_generates() {
        check_every_shipped_spec("oss");
    }

    #[test]
    fn a_broken_document_fails_with_the_failing_path() {
        let m = manifest("oss");
        // A 3.1 type array with a number in it, deep inside a response.
        let broken = br#"{"openapi":"3.1.0","info":{"title":"t","version":"1"},
            "paths":{"/api/v2/things":{"get":{"operationId":"listThings","responses":{"200":{
              "description":"ok","content":{"application/json":{"schema":{
                "type":"object","properties":{"n":{"type":["string",5]}}}}}}}}}}}"#;
        let err = check(&m, broken, Path::new("broken.json"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "/paths/~1api~1v2~1things/get/responses/200/content/application~1json/schema/properties/n"
            ),
            "{err}"
        );

        // A document progenitor cannot read: `responses` is not a map.
        let unreadable = br#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},
            "paths":{"/api/v2/things":{"get":{"operationId":"listThings","responses":"oops"}}}}"#;
        let err = check(&m, unreadable, Path::new("unreadable.json"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("OpenAPI document: at `paths`") && err.contains("Responses"),
            "{err}"
        );

        let not_json = b"{\"openapi\": \"3.0.0\",\n  \"paths\": }";
        let err = check(&m, not_json, Path::new("bad.json"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("bad.json") && err.contains("line 2 column"),
            "{err}"
        );
    }
}
