//! Locating a spec file and checking it against its sha256 pin.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::manifest::Manifest;
use crate::{Error, Result};

/// Environment variable naming the directory that holds `cloud/` and `oss/`
/// with the upstream spec files.
pub const SPEC_DIR_ENV: &str = "CLICKSTACK_SPEC_DIR";

/// A spec file read from disk, with the outcome of its pin check.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its sha256, lower-case hex.
    pub sha256: String,
    /// `None` when it matches the pin, else the pinned hash.
    pub drift: Option<String>,
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads a spec file and compares it with `expected_sha256` (if given).
pub fn load(path: &Path, expected_sha256: Option<&str>) -> Result<LoadedSpec> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::SpecMissing {
            path: path.to_path_buf(),
            env_var: SPEC_DIR_ENV,
        },
        _ => Error::io(path, e),
    })?;
    let sha256 = sha256_hex(&bytes);
    let drift = expected_sha256
        .filter(|pinned| !pinned.eq_ignore_ascii_case(&sha256))
        .map(str::to_string);
    Ok(LoadedSpec {
        path: path.to_path_buf(),
        bytes,
        sha256,
        drift,
    })
}

/// Reads the file a manifest pins from `spec_dir`.
pub fn load_pinned(manifest: &Manifest, spec_dir: &Path) -> Result<LoadedSpec> {
    load(&manifest.spec_path(spec_dir), Some(&manifest.pin.sha256))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_drift_and_missing_files() {
        let dir = std::env::temp_dir().join(format!("clickstack-pin-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("spec.json");
        std::fs::write(&file, b"{}").unwrap();
        let good = sha256_hex(b"{}");
        assert_eq!(
            good,
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        assert!(load(&file, Some(&good)).unwrap().drift.is_none());
        let loaded = load(&file, Some("00")).unwrap();
        assert_eq!(loaded.drift.as_deref(), Some("00"));
        let missing = load(&dir.join("nope.json"), None).unwrap_err().to_string();
        assert!(missing.contains(SPEC_DIR_ENV), "{missing}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
