//! Build script of the C ABI:
//! - `SOCKCTL_SYMBOL_PREFIX=rs_` exports every function as `rs_` and its
//!   legacy name (one definition each, `#[export_name]` in src/capi.rs
//!   reads the prefix with `env!`);
//! - `SOCKCTL_C_CALLS` says which C function the original, compiled with the
//!   C compiler and flags of the build, calls for each kind of message line
//!   (`tools/c-codegen.sh` asks the compiler; the Makefile and
//!   cmake/SockctlCargo.cmake pass its answer): `line=` for a constant text
//!   ending in a newline, `text=` for one without, `fmt=` for a format with
//!   conversions, each `puts` (lines only), `printf` or `__printf_chk`, and
//!   `chk=` the flag of `__printf_chk`. Unset: gcc's choices at `-O2`,
//!   `line=puts text=printf fmt=printf`. src/msg.rs reads them as cfgs.
//!
//! It has no build dependencies: the header is generated apart, by
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
    c_calls();
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

/// The message calls of `SOCKCTL_C_CALLS` as cfgs `sockctl_line`,
/// `sockctl_text`, `sockctl_fmt` and the env `SOCKCTL_PRINTF_CHK_FLAG`.
fn c_calls() {
    println!("cargo:rerun-if-env-changed=SOCKCTL_C_CALLS");
    let spec = env::var("SOCKCTL_C_CALLS").unwrap_or_default();
    let (mut line, mut text, mut fmt, mut chk) = ("puts", "printf", "printf", String::from("1"));
    for word in spec.split_whitespace() {
        let (key, value) = word.split_once('=').unwrap_or((word, ""));
        let value: &'static str = match value {
            "puts" => "puts",
            "printf" => "printf",
            "__printf_chk" => "__printf_chk",
            _ if key == "chk" && value.parse::<i32>().is_ok() => {
                chk = value.to_string();
                continue;
            }
            _ => panic!("SOCKCTL_C_CALLS: {word:?}: expected line=, text= or fmt= with puts, printf or __printf_chk, or chk=<number>"),
        };
        match key {
            "line" => line = value,
            "text" | "fmt" if value == "puts" => {
                panic!("SOCKCTL_C_CALLS: {word:?}: only a constant text that ends in a newline can be printed by puts")
            }
            "text" => text = value,
            "fmt" => fmt = value,
            _ => panic!("SOCKCTL_C_CALLS: {word:?}: expected line=, text=, fmt= or chk="),
        }
    }
    for (cfg, value) in [("sockctl_line", line), ("sockctl_text", text), ("sockctl_fmt", fmt)] {
        println!("cargo:rustc-check-cfg=cfg({cfg}, values(\"puts\", \"printf\", \"__printf_chk\"))");
        println!("cargo:rustc-cfg={cfg}=\"{value}\"");
    }
    println!("cargo:rustc-env=SOCKCTL_PRINTF_CHK_FLAG={chk}");
}
