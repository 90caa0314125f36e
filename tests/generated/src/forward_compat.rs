//! The forward-compatibility tally: how many bodies of a newer spec a
//! client generated from an older one fails to decode, or decodes but does
//! not write back as it came.

use std::path::PathBuf;

use serde_json::Value;

/// The directory `clickstack-codegen fixtures` wrote (`<dir>/<api>/*.jsonl`).
pub const FIXTURES_ENV: &str = "CLICKSTACK_FIXTURES";

/// The fixtures of one operation, one JSON body per line (none when the
/// newer spec has no such operation).
///
/// # Panics
///
/// When `CLICKSTACK_FIXTURES` is not set.
pub fn fixtures(file: &str) -> Vec<String> {
    let dir = std::env::var_os(FIXTURES_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{FIXTURES_ENV} is not set: run .ci/forward-compat.sh"));
    std::fs::read_to_string(dir.join(file))
        .map(|text| {
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// What one operation made of its fixtures.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// `GET /path`.
    pub operation: String,
    /// Bodies served.
    pub served: usize,
    /// Bodies that did not decode, with the first error.
    pub decode_failures: usize,
    /// Bodies that decoded but did not write back as they came.
    pub round_trip_failures: usize,
    /// The first failures, for the report.
    pub examples: Vec<String>,
}

impl Outcome {
    /// An empty tally for an operation.
    pub fn new(operation: &str) -> Self {
        Outcome {
            operation: operation.to_string(),
            ..Outcome::default()
        }
    }

    /// Records one body and what the client made of it.
    pub fn record<E: std::fmt::Display>(
        &mut self,
        body: &str,
        decoded: Result<Result<Value, serde_json::Error>, E>,
    ) {
        self.served += 1;
        let input: Value = match serde_json::from_str(body) {
            Ok(v) => v,
            Err(e) => {
                self.note(format!("fixture is not JSON: {e}"));
                return;
            }
        };
        match decoded {
            Err(e) => {
                self.decode_failures += 1;
                self.note(format!("decode: {e}"));
            }
            Ok(Err(e)) => {
                self.round_trip_failures += 1;
                self.note(format!("re-encode: {e}"));
            }
            Ok(Ok(output)) => {
                if let Err(difference) = crate::json_equivalent(&input, &output) {
                    self.round_trip_failures += 1;
                    self.note(format!("round trip: {difference}"));
                }
            }
        }
    }

    fn note(&mut self, text: String) {
        if self.examples.len() < 3 {
            self.examples.push(text);
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:<90} {:>4} served, {:>3} decode failures, {:>3} round-trip failures",
            self.operation, self.served, self.decode_failures, self.round_trip_failures
        )?;
        for e in &self.examples {
            write!(f, "\n    {}", e.chars().take(400).collect::<String>())?;
        }
        Ok(())
    }
}
