//! Files on disk: YAML or JSON, with a stable key order.
//!
//! YAML goes through [`yaml_serde`], the YAML organization's maintained
//! continuation of `serde_yaml` (archived by its author in 2024): the same
//! code, output and error messages (with line and column), released
//! regularly. `serde_yml` is itself deprecated, `serde_norway` and
//! `serde_yaml_ng` are smaller community forks, and `serde-saphyr` is a
//! separate implementation with its own API; none gave a reason to leave
//! the original's behaviour.
//!
//! Every document is written through a [`serde_json::Value`] whose object
//! keys are sorted at every level ([`sorted`]), whichever way `serde_json`
//! is built, so exporting the same resources twice gives the same bytes
//! and a changed field changes only its own lines.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

/// The format of the files `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// YAML (`.yaml`).
    Yaml,
    /// JSON (`.json`), pretty-printed.
    Json,
    /// Dashboards as HyperDX's own dashboard files (what its Import
    /// Dashboard reads); the other documents as JSON.
    Hyperdx,
}

impl Format {
    /// The file extension, without the dot.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json | Format::Hyperdx => "json",
        }
    }
}

/// Whether `path` has an extension this tool reads (`.yaml`, `.yml`,
/// `.json`).
pub(crate) fn is_document(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// `value` with the keys of every object in sorted order.
pub(crate) fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for key in keys {
                if let Some(v) = map.get(key) {
                    out.insert(key.clone(), sorted(v));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// `value` as the text of a file in `format`, keys sorted, ending with a
/// newline.
pub(crate) fn render(value: &Value, format: Format) -> Result<String> {
    let value = sorted(value);
    match format {
        Format::Yaml => yaml_serde::to_string(&value).context("cannot write YAML"),
        Format::Json | Format::Hyperdx => {
            let mut text = serde_json::to_string_pretty(&value).context("cannot write JSON")?;
            text.push('\n');
            Ok(text)
        }
    }
}

/// Parses the text of `path` (YAML unless the extension is `.json`).
pub(crate) fn parse(path: &Path, text: &str) -> Result<Value> {
    let value: Value = if path.extension().and_then(|e| e.to_str()) == Some("json") {
        serde_json::from_str(text).map_err(|e| anyhow::anyhow!("not valid JSON: {e}"))?
    } else {
        yaml_serde::from_str(text).map_err(|e| anyhow::anyhow!("not valid YAML: {e}"))?
    };
    if !value.is_object() {
        bail!("expected a mapping of fields at the top level");
    }
    Ok(value)
}

/// A file name for `name`: lower case letters and digits joined by `-`,
/// at most 80 characters, `unnamed` when nothing is left.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.trim_end_matches('-').chars().take(80).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("unnamed");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn slugs() {
        assert_eq!(slug("Service health"), "service-health");
        assert_eq!(slug("  API / p99 (ms)  "), "api-p99-ms");
        assert_eq!(slug("Überblick"), "überblick");
        assert_eq!(slug("!!!"), "unnamed");
        assert_eq!(slug(&"a".repeat(100)).len(), 80);
    }

    #[test]
    fn keys_are_sorted_at_every_level() {
        let value = json!({"b": 1, "a": {"z": [{"y": 1, "x": 2}], "c": null}});
        let yaml = render(&value, Format::Yaml).unwrap();
        assert_eq!(yaml, "a:\n  c: null\n  z:\n  - x: 2\n    y: 1\nb: 1\n");
        let json = render(&value, Format::Json).unwrap();
        assert!(json.starts_with("{\n  \"a\": {\n    \"c\": null,"));
        assert!(json.ends_with("}\n"));
    }

    #[test]
    fn yaml_and_json_parse_alike() {
        let yaml = parse(Path::new("a.yaml"), "name: x\nthreshold: 1.5\n").unwrap();
        let json = parse(Path::new("a.json"), r#"{"name": "x", "threshold": 1.5}"#).unwrap();
        assert_eq!(yaml, json);
        let err = parse(Path::new("a.yaml"), "name: [x\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line"), "{err}");
        assert!(parse(Path::new("a.yaml"), "- x\n").is_err());
    }
}
