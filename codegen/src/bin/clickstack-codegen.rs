//! `clickstack-codegen`: the code generator's command line.
//!
//! ```text
//! clickstack-codegen normalize <api> <spec.json>     print the normalized spec
//! clickstack-codegen generate  <api> <spec.json> <out-dir> [--httpmock]
//! clickstack-codegen diff      <old.json> <new.json> [--json]
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clickstack_codegen::build_script::{generate_files, parse_json};
use clickstack_codegen::manifest::Manifest;
use clickstack_codegen::normalize;

const USAGE: &str = "usage:
  clickstack-codegen normalize <cloud|oss> <spec.json>        print the normalized spec (OpenAPI 3.0)
  clickstack-codegen generate  <cloud|oss> <spec.json> <dir>  write client.rs (+ httpmock.rs with --httpmock)
  clickstack-codegen diff      <old.json> <new.json> [--json] API change report (breaking first)";

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn manifest(api: &str) -> Result<Manifest, String> {
    Manifest::load(&specs_dir().join(format!("{api}.json"))).map_err(|e| e.to_string())
}

fn run(args: &[String]) -> Result<(), String> {
    match args {
        [cmd, api, spec] if cmd == "normalize" => {
            let m = manifest(api)?;
            let bytes = std::fs::read(spec).map_err(|e| format!("{spec}: {e}"))?;
            let mut doc = parse_json(&bytes, Path::new(spec)).map_err(|e| e.to_string())?;
            let report = normalize::normalize(&mut doc, &m).map_err(|e| e.to_string())?;
            eprint!("{report}");
            println!(
                "{}",
                serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
            );
            Ok(())
        }
        [cmd, api, spec, out, rest @ ..] if cmd == "generate" => {
            let m = manifest(api)?;
            let bytes = std::fs::read(spec).map_err(|e| format!("{spec}: {e}"))?;
            let out = Path::new(out);
            std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
            let httpmock = rest.iter().any(|a| a == "--httpmock");
            let result = generate_files(&m, &bytes, Path::new(spec), out, httpmock)
                .map_err(|e| e.to_string())?;
            for w in &result.warnings {
                eprintln!("warning: {w}");
            }
            println!(
                "{} operations, {} client lines, {} httpmock lines, {} open enums, {} open unions",
                result.stats.operations,
                result.stats.client_lines,
                result.stats.httpmock_lines,
                result.stats.postprocess.open_enums,
                result.stats.postprocess.open_unions
            );
            Ok(())
        }
        [cmd, old, new, rest @ ..] if cmd == "diff" => {
            let read = |p: &str| -> Result<serde_json::Value, String> {
                let bytes = std::fs::read(p).map_err(|e| format!("{p}: {e}"))?;
                parse_json(&bytes, Path::new(p)).map_err(|e| e.to_string())
            };
            let report = clickstack_codegen::diff::diff(&read(old)?, &read(new)?)
                .map_err(|e| e.to_string())?;
            if rest.iter().any(|a| a == "--json") {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report.to_json()).map_err(|e| e.to_string())?
                );
            } else {
                print!("{}", report.to_text());
            }
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
