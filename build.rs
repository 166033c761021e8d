//! Build script of the C ABI:
//!
//! 1. Generates the C header with cbindgen (pinned) from `src/capi.rs` and
//!    keeps the committed `include/sockctl.h` honest: the build fails when
//!    they differ, unless `SOCKCTL_BLESS=1` (`make header`) rewrites it.
//! 2. `SOCKCTL_SYMBOL_PREFIX=rs_` exports every function as `rs_` and its
//!    legacy name (one definition each, `#[export_name]`); the header for
//!    that build, with the prefixed names, is written to
//!    `$OUT_DIR/sockctl.h` and to `SOCKCTL_HEADER_OUT` when that is set.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

const EXPORT_PREFIX: &str = "#[export_name = concat!(env!(\"SOCKCTL_SYMBOL_PREFIX\"), \"";

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for input in ["src/capi.rs", "cbindgen.toml", "include/sockctl.h", "build.rs"] {
        println!("cargo:rerun-if-changed={input}");
    }
    println!("cargo:rerun-if-env-changed=SOCKCTL_BLESS");
    println!("cargo:rerun-if-env-changed=SOCKCTL_HEADER_OUT");
    if let Some(path) = env::var_os("SOCKCTL_HEADER_OUT") {
        // A missing file counts as changed: deleting it regenerates it.
        println!("cargo:rerun-if-changed={}", PathBuf::from(path).display());
    }
    let prefix = symbol_prefix();

    let capi = fs::read_to_string(crate_dir.join("src/capi.rs")).expect("read src/capi.rs");
    let header = generate(&crate_dir, &out_dir, &for_cbindgen(&capi, &prefix));
    fs::write(out_dir.join("sockctl.h"), &header).expect("write $OUT_DIR/sockctl.h");
    if let Some(path) = env::var_os("SOCKCTL_HEADER_OUT") {
        fs::write(&path, &header).expect("write SOCKCTL_HEADER_OUT");
    }
    if prefix.is_empty() {
        check_committed(&crate_dir.join("include/sockctl.h"), &header, &out_dir);
    }
}

/// The export prefix: empty, or the start of a C identifier.
fn symbol_prefix() -> String {
    println!("cargo:rerun-if-env-changed=SOCKCTL_SYMBOL_PREFIX");
    let prefix = env::var("SOCKCTL_SYMBOL_PREFIX").unwrap_or_default();
    let valid = prefix
        .chars()
        .enumerate()
        .all(|(i, c)| c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()));
    if !valid {
        panic!(
            "SOCKCTL_SYMBOL_PREFIX={prefix:?} must start a C identifier: letters, digits and '_', not a digit first"
        );
    }
    // src/capi.rs names its exports with env!("SOCKCTL_SYMBOL_PREFIX").
    println!("cargo:rustc-env=SOCKCTL_SYMBOL_PREFIX={prefix}");
    prefix
}

/// cbindgen reads `#[export_name = "literal"]` but not a `concat!`, so the
/// source it parses has each export's literal symbol name.
fn for_cbindgen(capi: &str, prefix: &str) -> String {
    let mut exports = 0;
    let mut out = String::with_capacity(capi.len());
    for line in capi.lines() {
        match line
            .trim_start()
            .strip_prefix(EXPORT_PREFIX)
            .and_then(|rest| rest.strip_suffix("\")]"))
        {
            Some(name) => {
                exports += 1;
                out.push_str(&format!("#[export_name = \"{prefix}{name}\"]"));
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    assert_eq!(exports, 3, "src/capi.rs: expected 3 lines `{EXPORT_PREFIX}NAME\")]`");
    out
}

fn generate(crate_dir: &Path, out_dir: &Path, capi: &str) -> String {
    let src = out_dir.join("capi_for_cbindgen.rs");
    fs::write(&src, capi).expect("write the source for cbindgen");
    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml parses");
    if let Ok(prefix) = env::var("SOCKCTL_SYMBOL_PREFIX") {
        if !prefix.is_empty() {
            config.include_guard = Some(format!("SOCKCTL_{}H", prefix.to_ascii_uppercase()));
        }
    }
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(&src)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut generated);
    c89_comments(&String::from_utf8(generated).expect("the header is UTF-8"))
}

fn check_committed(committed_path: &Path, generated: &str, out_dir: &Path) {
    let committed = fs::read_to_string(committed_path).unwrap_or_default();
    if committed == generated {
        return;
    }
    if env::var("SOCKCTL_BLESS").as_deref() == Ok("1") {
        fs::write(committed_path, generated).expect("write include/sockctl.h");
    } else {
        panic!(
            "include/sockctl.h is stale: it differs from what cbindgen generates from src/capi.rs \
             ({}). Run `make header` and commit the result.",
            out_dir.join("sockctl.h").display()
        );
    }
}

/// cbindgen ends some lines (`#endif`, the `extern "C"` brace) with
/// `// comment`, which C89 does not have; the header must compile as C89 with -Wpedantic -Werror.
fn c89_comments(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for line in header.lines() {
        match line.split_once("  // ").or_else(|| line.split_once(" // ")) {
            Some((code, comment)) if !code.trim().is_empty() => {
                out.push_str(&format!("{code}  /* {comment} */"));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}
