//! Writes the tests clickstack-codegen derives from the specs into
//! `OUT_DIR`: per-operation httpmock tests, Prism conformance tests and the
//! forward-compatibility harness of both clients (from the same spec file
//! each client is built from, so `CLICKSTACK_*_SPEC_FILE` moves both), and a
//! synthetic spec with every kind of hostile name, generated into a client.

use std::path::{Path, PathBuf};

use clickstack_codegen::build_script::{load_spec, run_pipeline, write};
use clickstack_codegen::manifest::Manifest;
use clickstack_codegen::testgen;
use serde_json::{Value, json};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: writing the generated tests failed: {e}");
        std::process::exit(1);
    }
}

fn format(tokens: proc_macro2::TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| e.to_string())?;
    Ok(prettyplease::unparse(&file))
}

fn run() -> Result<(), String> {
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    let workspace = crate_dir.join("../..");
    for api in ["cloud", "oss"] {
        let manifest_path = workspace.join("specs").join(format!("{api}.json"));
        println!("cargo:rerun-if-changed={}", manifest_path.display());
        println!(
            "cargo:rerun-if-env-changed=CLICKSTACK_{}_SPEC_FILE",
            api.to_uppercase()
        );
        let manifest = Manifest::load(&manifest_path).map_err(|e| e.to_string())?;
        let (loaded, _) = load_spec(&manifest, &workspace).map_err(|e| e.to_string())?;
        println!("cargo:rerun-if-changed={}", loaded.path.display());
        let artifacts =
            run_pipeline(&manifest, &loaded.bytes, &loaded.path).map_err(|e| e.to_string())?;
        let client: syn::File =
            syn::parse_file(&artifacts.generated.client).map_err(|e| e.to_string())?;
        let doc = &artifacts.normalized;
        let operations = testgen::operation_tests(doc, &client, &manifest.error_schema)
            .map_err(|e| e.to_string())?;
        write(
            &out.join(format!("{api}_operations.rs")),
            &format(operations)?,
        )
        .map_err(|e| e.to_string())?;
        let conformance = testgen::conformance_tests(doc, &client).map_err(|e| e.to_string())?;
        write(
            &out.join(format!("{api}_conformance.rs")),
            &format(conformance)?,
        )
        .map_err(|e| e.to_string())?;
        let forward =
            testgen::forward_compat_tests(doc, &client, api, |tag| manifest.is_clickstack(tag))
                .map_err(|e| e.to_string())?;
        write(
            &out.join(format!("{api}_forward_compat.rs")),
            &format(forward)?,
        )
        .map_err(|e| e.to_string())?;
    }
    synthetic(&out)
}

/// The synthetic spec: keywords, leading digits, empty and symbol-only
/// names, and names that collide once case and punctuation are folded, as
/// operation ids, path and query parameters, properties, schemas and enum
/// values.
fn synthetic_spec() -> Value {
    let string = json!({"type": "string"});
    let query = |name: &str| json!({"name": name, "in": "query", "schema": {"type": "string"}});
    let weird_ref = json!({"$ref": "#/components/schemas/Weird"});
    let ok = |schema: &Value| json!({"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}});
    let mut properties = serde_json::Map::new();
    for name in [
        "type", "match", "self", "Self", "crate", "async", "ref", "in", "fn", "1st", "", "$$",
        "a-b", "a_b", "A_B", "extra",
    ] {
        properties.insert(name.to_string(), string.clone());
    }
    properties.insert("odd".into(), json!({"$ref": "#/components/schemas/Odd"}));
    properties.insert(
        "plain".into(),
        json!({"$ref": "#/components/schemas/Plain"}),
    );
    properties.insert(
        "single".into(),
        json!({"$ref": "#/components/schemas/Single"}),
    );
    properties.insert("lower".into(), json!({"$ref": "#/components/schemas/type"}));
    properties.insert("upper".into(), json!({"$ref": "#/components/schemas/Type"}));
    properties.insert(
        "digit".into(),
        json!({"$ref": "#/components/schemas/1Thing"}),
    );
    properties.insert(
        "inline".into(),
        json!({"type": "string", "enum": ["x y", "x-y", "x_y"]}),
    );
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Hostile names", "version": "1"},
        "paths": {
            "/things/{type}/{match}": {
                "parameters": [{"name": "type", "in": "path", "required": true, "schema": string}],
                "get": {
                    "operationId": "type",
                    "parameters": [
                        {"name": "match", "in": "path", "required": true, "schema": string},
                        query("self"), query("Self"), query("async"), query("1x"),
                        query("a-b"), query("a_b"), query("$$"),
                        {"name": "kind", "in": "query", "schema": {"$ref": "#/components/schemas/Odd"}}
                    ],
                    "responses": ok(&weird_ref)
                }
            },
            "/pairs/{a-b}/{a_b}": {
                "get": {
                    "operationId": "get-thing",
                    "parameters": [
                        {"name": "a-b", "in": "path", "required": true, "schema": string},
                        {"name": "a_b", "in": "path", "required": true, "schema": string}
                    ],
                    "responses": ok(&json!({"$ref": "#/components/schemas/type"}))
                }
            },
            "/things": {
                "post": {
                    "operationId": "getThing",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": weird_ref}}},
                    "responses": ok(&weird_ref)
                }
            },
            "/first": {"get": {"operationId": "1st", "responses": ok(&json!({"$ref": "#/components/schemas/Type"}))}},
            "/empty": {"get": {"operationId": "", "responses": ok(&json!({"$ref": "#/components/schemas/1Thing"}))}},
            "/symbols": {"get": {"operationId": "$$", "responses": ok(&json!({"$ref": "#/components/schemas/Odd"}))}},
            "/new": {"get": {"operationId": "new", "responses": ok(&json!({"$ref": "#/components/schemas/Plain"}))}}
        },
        "components": {"schemas": {
            "Weird": {"type": "object", "properties": properties},
            "type": {"type": "object", "properties": {"x": string}},
            "Type": {"type": "object", "properties": {"y": string}},
            "1Thing": {"type": "object", "properties": {"z": string}},
            "Odd": {"type": "string", "enum": ["a b", "a-b", "a_b", "", "self", "Self", "UNKNOWN", "1st", "$$"]},
            "Plain": {"type": "string", "enum": ["UNKNOWN", "known"]},
            "Single": {"type": "string", "enum": ["only"]}
        }}
    })
}

fn synthetic(out: &Path) -> Result<(), String> {
    let spec = synthetic_spec();
    let text = serde_json::to_string_pretty(&spec).map_err(|e| e.to_string())?;
    let spec_path = out.join("synthetic.json");
    write(&spec_path, &text).map_err(|e| e.to_string())?;
    let manifest = Manifest::parse(
        r#"{"api": "synthetic",
            "pin": {"file": "synthetic.json", "sha256": "", "upstream_url": "written by tests/generated/build.rs"},
            "error_schema": {"name": "ApiError", "message_field": "message",
                             "schema": {"type": "object", "properties": {"message": {"type": "string"}}}}}"#,
        "synthetic manifest",
    )
    .map_err(|e| e.to_string())?;
    let artifacts =
        run_pipeline(&manifest, text.as_bytes(), &spec_path).map_err(|e| e.to_string())?;
    write(
        &out.join("synthetic_client.rs"),
        &artifacts.generated.client,
    )
    .map_err(|e| e.to_string())?;
    write(
        &out.join("synthetic_httpmock.rs"),
        artifacts.generated.httpmock.as_deref().unwrap_or(""),
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}
