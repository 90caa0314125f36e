//! Generates the typed client from the pinned spec into `OUT_DIR`
//! (see `clickstack-codegen` and `specs/cloud.json`).

fn main() {
    if let Err(error) = clickstack_codegen::build_script::generate_client("cloud") {
        eprintln!("error: generating the cloud client failed: {error}");
        std::process::exit(1);
    }
}
