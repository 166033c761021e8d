//! The C contract test (`c_tests/contract/test_contract.c`) in plain
//! `cargo test`: the C ABI proven from C, as a C program uses it.
//!
//! 1. builds `libsockctl.a` from this source tree (`staticlib/`, release,
//!    as `make` does, into its own target directory under this one, so
//!    that it never waits for the lock of the `cargo test` that runs it);
//! 2. compiles the C test with the C compiler that the `cc` crate finds for
//!    the target (`CC`, `CFLAGS` ... as in a build script), links it with
//!    that archive and runs it (under `CARGO_TARGET_<TRIPLE>_RUNNER` when
//!    one is set, e.g. qemu for a cross target).
//!
//! The C test checks every message byte, errno and return value, with
//! failures injected into the system calls; any failure of its own fails
//! this test. (`harness = false`: this is one test, a C program.)
//!
//! With `SOCKCTL_C_CONTRACT=make` (`make test-rust` sets it) it is a counted
//! skip: `make test` runs the same C test as `test-c` against the shipped
//! archive and the shared library, compiled with `-Werror` as here, so the
//! library is not built and the test not run twice.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const TARGET: &str = env!("SOCKCTL_BUILD_TARGET");

fn main() -> ExitCode {
    if env::var_os("SOCKCTL_C_CONTRACT").is_some_and(|v| v == "make") {
        println!("skipped [c_contract]: SOCKCTL_C_CONTRACT=make: make test-c runs test_contract.c");
        println!("c_contract: 0 passed, 0 failed, 1 skipped");
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(()) => {
            println!("c_contract: ok");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("c_contract: FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // target/c-contract beside the target directory of this test binary.
    let exe = env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let target_dir = exe
        .ancestors()
        .find(|p| p.join("CACHEDIR.TAG").exists())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join("target"))
        .join("c-contract");
    let archive = build_library(&root, &target_dir)?;
    let program = target_dir.join(format!("test_contract-{TARGET}"));
    compile(&root, &archive, &program)?;
    let mut command = match runner() {
        Some(runner) => {
            let mut words = runner.split_whitespace();
            let mut c = Command::new(words.next().ok_or("empty runner")?);
            c.args(words).arg(&program);
            c
        }
        None => Command::new(&program),
    };
    let status = command
        .status()
        .map_err(|e| format!("run {}: {e}", program.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status}): see its report above", program.display()))
    }
}

/// `cargo build` of the C library; returns cargo's archive.
fn build_library(root: &Path, target_dir: &Path) -> Result<PathBuf, String> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "--locked", "--quiet", "--manifest-path"])
        .arg(root.join("staticlib/Cargo.toml"))
        .args(["--target", TARGET, "--target-dir"])
        .arg(target_dir)
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build of staticlib/ failed ({status})"));
    }
    Ok(target_dir.join(TARGET).join("release/libsockctl.a"))
}

/// The C test, its test library and the archive, linked by the target's C compiler.
fn compile(root: &Path, archive: &Path, program: &Path) -> Result<(), String> {
    let c = root.join("c_tests");
    let compiler = cc::Build::new()
        .cargo_metadata(false)
        .cargo_warnings(false)
        .target(TARGET)
        .host(TARGET)
        .opt_level(2)
        .debug(false)
        .try_get_compiler()
        .map_err(|e| format!("cc: {e}"))?;
    let mut command = compiler.to_command();
    command
        .args(["-Wall", "-Wextra", "-Werror", "-pthread", "-o"])
        .arg(program)
        .arg(format!("-I{}", root.join("include").display()))
        .arg(format!("-I{}", c.display()))
        .arg(format!("-I{}", c.join("lib").display()))
        .arg(c.join("contract/test_contract.c"))
        .arg(c.join("lib/testlib.c"))
        .arg(c.join("lib/faults.c"))
        .arg(archive);
    let status = command.status().map_err(|e| format!("{command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("compiling the C test failed ({status}): {command:?}"))
    }
}

/// `CARGO_TARGET_<TRIPLE>_RUNNER`, as cargo runs this test's own binary.
fn runner() -> Option<String> {
    let name = format!(
        "CARGO_TARGET_{}_RUNNER",
        TARGET.to_ascii_uppercase().replace(['-', '.'], "_")
    );
    env::var(name).ok().filter(|r| !r.trim().is_empty())
}
