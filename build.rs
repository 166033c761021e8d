//! Build script of the C ABI: `SOCKCTL_SYMBOL_PREFIX=rs_` exports every
//! function as `rs_` and its legacy name (one definition each,
//! `#[export_name]` in src/capi.rs reads the prefix with `env!`). It has no
//! build dependencies: the header is generated apart, by
//! tools/header-gen (`make header`, `make prefixed`, and the drift check
//! of `make test`), never in a build. It also names the target for
//! tests/c_contract.rs.

use std::env;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SOCKCTL_SYMBOL_PREFIX");
    let prefix = env::var("SOCKCTL_SYMBOL_PREFIX").unwrap_or_default();
    if !is_c_identifier_start(&prefix) {
        panic!(
            "SOCKCTL_SYMBOL_PREFIX={prefix:?} must start a C identifier: letters, digits and '_', not a digit first"
        );
    }
    println!("cargo:rustc-env=SOCKCTL_SYMBOL_PREFIX={prefix}");
    // For tests/c_contract.rs: the target it builds the C library and the C
    // test for (cargo tells build scripts, not tests).
    let target = env::var("TARGET").expect("cargo sets TARGET");
    println!("cargo:rustc-env=SOCKCTL_BUILD_TARGET={target}");
}

/// Empty, or letters, digits and '_' with no digit first.
fn is_c_identifier_start(prefix: &str) -> bool {
    prefix
        .chars()
        .enumerate()
        .all(|(i, c)| c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()))
}
