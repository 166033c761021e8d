//! Generates the C header with cbindgen and keeps the committed copy honest.
//!
//! The header is written to `$OUT_DIR/sockctl.h` and compared with the
//! committed `include/sockctl.h`. When they differ the build fails, unless
//! `SOCKCTL_BLESS=1` is set (as `make header` does), which rewrites the
//! committed copy. So a stale header can never ship or pass `make test`.

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for input in ["src/capi.rs", "cbindgen.toml", "include/sockctl.h", "build.rs"] {
        println!("cargo:rerun-if-changed={input}");
    }
    println!("cargo:rerun-if-env-changed=SOCKCTL_BLESS");
    symbol_prefix();
    // A versioned shared library: libsockctl.so.X.Y.Z with SONAME libsockctl.so.X.
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets CARGO_PKG_VERSION_MAJOR");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsockctl.so.{major}");
    }

    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml parses");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/capi.rs"))
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut generated);
    let generated = c89_comments(&String::from_utf8(generated).expect("the header is UTF-8"));
    fs::write(out_dir.join("sockctl.h"), &generated).expect("write $OUT_DIR/sockctl.h");

    let committed_path = crate_dir.join("include/sockctl.h");
    let committed = fs::read_to_string(&committed_path).unwrap_or_default();
    if committed != generated {
        if env::var("SOCKCTL_BLESS").as_deref() == Ok("1") {
            fs::write(&committed_path, &generated).expect("write include/sockctl.h");
        } else {
            panic!(
                "include/sockctl.h is stale: it differs from what cbindgen generates from src/capi.rs \
                 ({}). Run `make header` and commit the result.",
                out_dir.join("sockctl.h").display()
            );
        }
    }
}

/// `SOCKCTL_SYMBOL_PREFIX=rs_` exports the C functions as `rs_listenSocket`
/// and so on (src/capi_prefixed.rs) instead of the legacy names.
fn symbol_prefix() {
    println!("cargo:rerun-if-env-changed=SOCKCTL_SYMBOL_PREFIX");
    println!("cargo::rustc-check-cfg=cfg(sockctl_prefix)");
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
    if !prefix.is_empty() {
        println!("cargo:rustc-cfg=sockctl_prefix");
    }
    println!("cargo:rustc-env=SOCKCTL_SYMBOL_PREFIX={prefix}");
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
