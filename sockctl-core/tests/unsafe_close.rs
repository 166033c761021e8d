//! `raw::close` is an `unsafe fn`: safe code that calls it does not
//! compile, with error E0133 ("call to unsafe function requires unsafe
//! block"). rustdoc's `compile_fail,E0133` does not check the code on
//! stable (any error passes), so this test runs rustc itself: on a snippet
//! that calls it in an `unsafe` block (which must compile, or the set-up is
//! wrong and the test fails), then on the same call without the block,
//! whose errors must be E0133 and nothing else.
//!
//! The crate is the rlib of sockctl-core that cargo built for this test,
//! in the directory of this test's executable (target/<profile>/deps); of
//! several (other feature sets), the newest one that the good snippet
//! compiles against. No dependency: rustc, as cargo found it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The snippets: `$CALL` is replaced by the call.
const SNIPPET: &str = "fn main() { let _ = $CALL; }\n";
const SAFE_CALL: &str = "unsafe { sockctl_core::raw::close(-1) }";
const CALL: &str = "sockctl_core::raw::close(-1)";

fn deps_dir() -> PathBuf {
    std::env::current_exe().unwrap().parent().unwrap().to_path_buf()
}

/// The rlibs of sockctl-core in `deps`, newest first.
fn candidates(deps: &Path) -> Vec<PathBuf> {
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(deps)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("libsockctl_core-") && name.ends_with(".rlib")
        })
        .map(|p| (p.metadata().unwrap().modified().unwrap(), p))
        .collect();
    found.sort();
    found.into_iter().rev().map(|(_, p)| p).collect()
}

/// rustc on the snippet with `call`, against `rlib`: (success, the error
/// codes of its diagnostics, its stderr).
fn compile(rlib: &Path, call: &str, out: &Path) -> (bool, Vec<String>, String) {
    let src = out.with_extension("rs");
    std::fs::write(&src, SNIPPET.replace("$CALL", call)).unwrap();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let output = Command::new(rustc)
        .args(["--edition", "2021", "--crate-type", "bin", "--error-format", "json"])
        .arg("--extern")
        .arg(format!("sockctl_core={}", rlib.display()))
        .arg("-L")
        .arg(format!("dependency={}", rlib.parent().unwrap().display()))
        .arg("-o")
        .arg(out)
        .arg(&src)
        .output()
        .expect("rustc runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    // Each diagnostic is a JSON line; the code is "code":{"code":"E0133",...}.
    let codes = stderr
        .lines()
        .filter(|l| l.contains("\"level\":\"error\"") && !l.contains("\"message\":\"aborting due to"))
        .map(|l| match l.split("\"code\":{\"code\":\"").nth(1) {
            Some(rest) => rest.split('"').next().unwrap().to_string(),
            None => "(no code)".to_string(),
        })
        .collect();
    (output.status.success(), codes, stderr)
}

#[test]
fn calling_raw_close_outside_unsafe_is_error_e0133() {
    let deps = deps_dir();
    let work = std::env::temp_dir().join(format!("sockctl-core-e0133-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let mut tried = Vec::new();
    let rlib = candidates(&deps).into_iter().find(|rlib| {
        let (ok, codes, _) = compile(rlib, SAFE_CALL, &work.join("good"));
        tried.push(format!("{}: {codes:?}", rlib.display()));
        ok
    });
    let rlib = rlib.unwrap_or_else(|| {
        panic!(
            "no sockctl-core rlib in {} compiles `{SAFE_CALL}`: {tried:#?}",
            deps.display()
        )
    });
    let (ok, codes, stderr) = compile(&rlib, CALL, &work.join("bad"));
    std::fs::remove_dir_all(&work).ok();
    assert!(!ok, "`{CALL}` outside `unsafe` compiled");
    assert!(
        !codes.is_empty() && codes.iter().all(|c| c == "E0133"),
        "errors {codes:?}, not E0133 alone:\n{stderr}"
    );
}
