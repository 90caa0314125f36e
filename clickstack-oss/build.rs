//! Generates the typed client from the pinned spec into `OUT_DIR`
//! (see `clickstack-codegen` and `specs/oss.json`).

fn main() {
    if let Err(error) = clickstack_codegen::build_script::generate_client("oss") {
        eprintln!("error: generating the oss client failed: {error}");
        std::process::exit(1);
    }
}
