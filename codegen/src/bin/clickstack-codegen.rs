//! `clickstack-codegen`: the code generator's command line.
//!
//! ```text
//! clickstack-codegen normalize <api> <spec.json>     print the normalized spec
//! clickstack-codegen generate  <api> <spec.json> <out-dir>
//! clickstack-codegen diff      <old.json> <new.json> [--json]
//! clickstack-codegen check     <api> <spec.json>
//! clickstack-codegen update-pin <api> <spec.json | URL>
//! clickstack-codegen drift [--cloud [SOURCE]] [--oss [SOURCE]] [--json]
//! ```
//!
//! Every command exits 0 on success and 1 on an error, except `drift`:
//! 0 unchanged, 2 changed and generates, 1 an error or a changed spec that
//! does not generate.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clickstack_codegen::build_script::{parse_json, run_pipeline, write};
use clickstack_codegen::download::Limits;
use clickstack_codegen::drift;
use clickstack_codegen::manifest::Manifest;
use clickstack_codegen::normalize;
use clickstack_codegen::pin::SPEC_DIR_ENV;

const USAGE: &str = "usage:
  clickstack-codegen normalize <cloud|oss> <spec.json>        print the normalized spec (OpenAPI 3.0)
  clickstack-codegen generate  <cloud|oss> <spec.json> <dir>  write client.rs and httpmock.rs
  clickstack-codegen diff      <old.json> <new.json> [--json] API change report by area (breaking first)
  clickstack-codegen fixtures  <cloud|oss> <spec.json> <dir> [--count N] [--seed S]
                                                              random success bodies of every ClickStack GET
  clickstack-codegen check     <cloud|oss> <spec.json>        can it be generated? normalizations, fixes, sizes
  clickstack-codegen package   <out-dir>                      stage the publishable crates with their generated code
  clickstack-codegen compare-generated <cloud|oss> <file.rs> does a packaged generated.rs/mock.rs equal a fresh generation?
  clickstack-codegen update-pin <cloud|oss> <spec.json|URL>   move the pin to a new file (copied or downloaded
                                                              into $CLICKSTACK_SPEC_DIR/<api>/), print the changes
  clickstack-codegen drift [--cloud [SOURCE]] [--oss [SOURCE]] [--json] [--timeout SECS] [--max-bytes BYTES]
                                                              has upstream moved from the pin? SOURCE: a URL or file
                                                              (default: the pin's drift_url); exit 0 unchanged,
                                                              2 changed and generates, 1 error or does not generate";

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

/// The spec directory: `$CLICKSTACK_SPEC_DIR` (set by `.cargo/config.toml`
/// for `cargo run`), else `../shared/specs/upstream` beside the repository.
fn spec_dir() -> PathBuf {
    std::env::var_os(SPEC_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/upstream")
        })
}

fn api_name(api: &str) -> Result<&str, String> {
    match api {
        "cloud" | "oss" => Ok(api),
        _ => Err(format!(
            "unknown API `{api}` (expected cloud or oss)\n{USAGE}"
        )),
    }
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
        [cmd, api, spec, out] if cmd == "generate" => {
            let m = manifest(api)?;
            let bytes = std::fs::read(spec).map_err(|e| format!("{spec}: {e}"))?;
            let out = Path::new(out);
            std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
            let artifacts = run_pipeline(&m, &bytes, Path::new(spec)).map_err(|e| e.to_string())?;
            for (id, why) in &artifacts.normalize.fixes_stale {
                eprintln!("warning: spec fix `{id}` no longer applies: {why}");
            }
            let generated = &artifacts.generated;
            write(&out.join("client.rs"), &generated.client).map_err(|e| e.to_string())?;
            write(
                &out.join("httpmock.rs"),
                generated.httpmock.as_deref().unwrap_or(""),
            )
            .map_err(|e| e.to_string())?;
            let s = &generated.stats;
            println!(
                "{} operations, {} client lines, {} httpmock lines, {} open enums, {} open unions",
                s.operations, s.client_lines, s.httpmock_lines, s.open_enums, s.open_unions
            );
            Ok(())
        }
        [cmd, api, spec, out, rest @ ..] if cmd == "fixtures" => {
            let m = manifest(api_name(api)?)?;
            let bytes = std::fs::read(spec).map_err(|e| format!("{spec}: {e}"))?;
            let mut doc = parse_json(&bytes, Path::new(spec)).map_err(|e| e.to_string())?;
            clickstack_codegen::fixtures::prepare(&mut doc, &m).map_err(|e| e.to_string())?;
            let number = |flag: &str, default: u64| -> Result<u64, String> {
                match rest.iter().position(|a| a == flag) {
                    Some(i) => rest
                        .get(i + 1)
                        .and_then(|v| v.parse().ok())
                        .ok_or_else(|| format!("{flag} needs a number")),
                    None => Ok(default),
                }
            };
            let count = usize::try_from(number("--count", 200)?).map_err(|e| e.to_string())?;
            let seed = number("--seed", 1)?;
            let written = clickstack_codegen::fixtures::write_fixtures(
                &doc,
                Path::new(out),
                count,
                seed,
                |tag| m.is_clickstack(tag),
            )
            .map_err(|e| e.to_string())?;
            println!(
                "{} fixture file(s) of {count} bodies in {out}",
                written.len()
            );
            Ok(())
        }
        [cmd, out] if cmd == "package" => {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
            let staged = clickstack_codegen::package::stage(&root, Path::new(out))
                .map_err(|e| e.to_string())?;
            for s in &staged {
                match &s.generated_from {
                    Some(api) => println!(
                        "staged {} ({}) with its generated {api} client",
                        s.name, s.dir
                    ),
                    None => println!("staged {} ({})", s.name, s.dir),
                }
            }
            Ok(())
        }
        [cmd, api, file] if cmd == "compare-generated" => {
            let m = manifest(api_name(api)?)?;
            let loaded =
                clickstack_codegen::pin::load_pinned(&m, &spec_dir()).map_err(|e| e.to_string())?;
            let fresh = run_pipeline(&m, &loaded.bytes, &loaded.path).map_err(|e| e.to_string())?;
            let packaged = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
            let expected = if file.ends_with("mock.rs") {
                fresh.generated.httpmock.unwrap_or_default()
            } else {
                fresh.generated.client
            };
            if clickstack_codegen::package::strip_header(&packaged) == expected {
                println!(
                    "{file}: equals a fresh generation from {}",
                    loaded.path.display()
                );
                Ok(())
            } else {
                Err(format!(
                    "{file}: differs from a fresh generation from {} ({} lines packaged, {} generated)",
                    loaded.path.display(),
                    packaged.lines().count(),
                    expected.lines().count()
                ))
            }
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
        [cmd, api, spec] if cmd == "check" => {
            let m = manifest(api_name(api)?)?;
            match clickstack_codegen::check::check_file(&m, Path::new(spec)) {
                Ok(report) => {
                    print!("{report}");
                    Ok(())
                }
                Err(e) => Err(format!("{spec}: cannot be generated: {e}")),
            }
        }
        [cmd, api, source] if cmd == "update-pin" => {
            let api = api_name(api)?;
            let manifest_path = specs_dir().join(format!("{api}.json"));
            let report = clickstack_codegen::update_pin::update_pin(
                source,
                &spec_dir(),
                &manifest_path,
                &Limits::default(),
            )
            .map_err(|e| format!("update-pin {api} {source}: {e}"))?;
            print!("{}", report.check);
            if !report.changed {
                println!(
                    "specs/{api}.json already pins {} ({}); nothing to do",
                    report.new_path.display(),
                    report.new_sha256
                );
                return Ok(());
            }
            println!(
                "\nspecs/{api}.json: pin moved from {} ({}) to {} ({})",
                report.old_file,
                report.old_sha256,
                report.new_path.display(),
                report.new_sha256
            );
            println!("\n== API changes from {} ==", report.old_file);
            print!("{}", report.change_report);
            println!(
                "\nNext: cargo test --workspace, then remove the fixes reported as STALE above \
                 from specs/{api}.json."
            );
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    }
}

/// `drift`: its own exit codes (see [`drift::DriftReport::exit_code`]).
fn run_drift(args: &[String]) -> Result<u8, String> {
    let parsed = drift::parse_args(args)?;
    let mut apis = Vec::new();
    for request in &parsed.requests {
        let m = manifest(api_name(&request.api)?)?;
        apis.push(drift::drift_api(
            &m,
            &spec_dir(),
            request.source.as_deref(),
            &parsed.limits,
        ));
    }
    let report = drift::DriftReport { apis };
    if parsed.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report.to_json()).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", report.to_text());
    }
    Ok(report.exit_code())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "drift") {
        return match run_drift(&args[1..]) {
            Ok(code) => ExitCode::from(code),
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
