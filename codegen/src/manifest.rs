//! The spec manifest: `specs/<api>.json` records which upstream file a
//! client is generated from, its sha256 pin, where upstream publishes it,
//! the shared error schema, type replacements and the declared spec fixes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Error, Result};

/// One API's manifest, as stored in `specs/<api>.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Short name of the API (`cloud` or `oss`); also the sub-directory of
    /// the spec directory that holds its files.
    pub api: String,
    /// The pinned spec file.
    pub pin: Pin,
    /// The schema every error response is normalized to.
    pub error_schema: ErrorSchema,
    /// Component schemas replaced by hand-written Rust types
    /// (schema name to Rust path).
    #[serde(default)]
    pub replace_types: BTreeMap<String, String>,
    /// The API's documented rate limit, the generated client's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimitSpec>,
    /// Cargo features per API area (OpenAPI tag), when the crate is split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<FeatureSpec>,
    /// Declared fixes of upstream bugs, applied before normalization.
    #[serde(default)]
    pub fixes: Vec<Fix>,
}

/// A documented rate limit: `requests` per `window_seconds` per key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitSpec {
    /// Requests per window.
    pub requests: u32,
    /// The window, in seconds.
    pub window_seconds: u64,
}

/// Which cargo feature compiles each API area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureSpec {
    /// OpenAPI tag to cargo feature.
    pub by_tag: BTreeMap<String, String>,
    /// The feature that compiles areas without a feature of their own, and
    /// types no operation reaches (`full`, which enables every area).
    pub fallback: String,
}

/// Which upstream file a client is generated from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// File name inside `<spec dir>/<api>/`.
    pub file: String,
    /// Lower-case hex sha256 of the file's bytes.
    pub sha256: String,
    /// Where the pinned file came from: the URL `update-pin` downloaded it
    /// from, or the upstream page of the file it was given.
    pub upstream_url: String,
    /// Where `drift` reads the *current* upstream spec to compare with the
    /// pin: a URL that follows upstream (a branch's raw file, a live
    /// endpoint), where `upstream_url` may name one fixed version. Absent:
    /// `upstream_url`. `update-pin` leaves it as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift_url: Option<String>,
    /// Anything a maintainer should know about this pin.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The shared error schema (see [`crate::normalize::errors`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorSchema {
    /// Component name to add; must not already exist in the spec.
    pub name: String,
    /// The schema (OpenAPI 3.0 JSON).
    pub schema: Value,
    /// The string property that carries the server's message; a body that
    /// is not JSON is kept here.
    pub message_field: String,
    /// The integer property that carries the HTTP status, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_field: Option<String>,
    /// The string property that carries the request id, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id_field: Option<String>,
}

/// A declared fix of an upstream spec bug: a group of edits applied together
/// when all their preconditions hold.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    /// Stable identifier, used in build warnings.
    pub id: String,
    /// Why the fix exists: the upstream bug and its effect on the client.
    pub why: String,
    /// The edits; all or none are applied.
    pub edits: Vec<Edit>,
}

/// One edit of a [`Fix`], addressed by a JSON pointer into the raw spec.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Edit {
    /// Replace the value at `pointer`, which must currently equal `expect`.
    Replace {
        /// Where.
        pointer: String,
        /// The value upstream has there (the bug).
        expect: Value,
        /// The corrected value.
        value: Value,
    },
    /// Add `value` at `pointer`, which must not exist yet (its parent must).
    Add {
        /// Where.
        pointer: String,
        /// The value to add.
        value: Value,
    },
    /// Rename an inline schema's `title` (typify names types after titles)
    /// where it collides with a component of the same name.
    Retitle {
        /// The schema whose title changes.
        pointer: String,
        /// The title upstream has.
        expect: String,
        /// The new title.
        title: String,
    },
}

impl Manifest {
    /// Reads and parses a manifest file, naming the failing field on error.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses a manifest from JSON text; `what` names it in errors.
    pub fn parse(text: &str, what: &str) -> Result<Self> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| Error::Parse {
            what: what.to_string(),
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })
    }

    /// Writes the manifest back as pretty JSON.
    pub fn save(&self, path: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(self).map_err(|e| Error::Parse {
            what: path.display().to_string(),
            path: String::new(),
            message: e.to_string(),
        })?;
        text.push('\n');
        std::fs::write(path, text).map_err(|e| Error::io(path, e))
    }

    /// Whether operations tagged `tag` belong to ClickStack: the
    /// `clickstack` feature's tag on a split crate, every tag otherwise
    /// (HyperDX's whole API is ClickStack).
    pub fn is_clickstack(&self, tag: &str) -> bool {
        match &self.features {
            Some(features) => features.by_tag.get(tag).is_some_and(|f| f == "clickstack"),
            None => true,
        }
    }

    /// The pinned spec file inside `spec_dir`.
    pub fn spec_path(&self, spec_dir: &Path) -> PathBuf {
        spec_dir.join(&self.api).join(&self.pin.file)
    }

    /// Where `drift` reads the current upstream spec: `pin.drift_url`, else
    /// `pin.upstream_url`.
    pub fn drift_source(&self) -> &str {
        self.pin
            .drift_url
            .as_deref()
            .unwrap_or(&self.pin.upstream_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_names_the_field() {
        let text = r#"{"api":"oss","pin":{"file":"a.json","sha256":1,"upstream_url":"u"},
            "error_schema":{"name":"E","schema":{}}}"#;
        let err = Manifest::parse(text, "specs/oss.json")
            .unwrap_err()
            .to_string();
        assert!(err.contains("pin.sha256"), "{err}");
    }

    #[test]
    fn shipped_manifests_parse() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        for api in ["cloud", "oss"] {
            let m = Manifest::load(&dir.join(format!("{api}.json"))).unwrap();
            assert_eq!(m.api, api);
            assert_eq!(m.pin.sha256.len(), 64);
            // drift reads a document, not a web page about it.
            let drift = m.drift_source();
            assert!(drift.starts_with("https://"), "{drift}");
            assert!(
                !drift.contains("github.com/") || !drift.contains("/blob/"),
                "{drift}"
            );
            assert!(
                m.fixes
                    .iter()
                    .all(|f| !f.why.is_empty() && !f.edits.is_empty())
            );
        }
    }
}
