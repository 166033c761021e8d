//! sockctl's C header from `src/capi.rs`, by the pinned cbindgen.
//!
//! ```text
//! header-gen REPO write OUT [PREFIX]   write the header (for PREFIX's exports) to OUT
//! header-gen REPO check                fail if REPO/include/sockctl.h is not what write gives
//! ```
//!
//! `make header` writes `include/sockctl.h`, `make prefixed` the prefixed
//! build's header, and `make test` runs the check (the committed header is
//! what C programs include, so it must be the one src/capi.rs declares).

use std::env;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

/// How src/capi.rs names each export: `#[export_name = concat!(env!(...), "NAME")]`.
const EXPORT_PREFIX: &str = "#[export_name = concat!(env!(\"SOCKCTL_SYMBOL_PREFIX\"), \"";
const EXPORTS: usize = 3;
const COMMITTED: &str = "include/sockctl.h";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        [repo, "write", out] => write(Path::new(repo), Path::new(out), ""),
        [repo, "write", out, prefix] => write(Path::new(repo), Path::new(out), prefix),
        [repo, "check"] => check(Path::new(repo)),
        _ => Err("usage: header-gen REPO write OUT [PREFIX] | header-gen REPO check".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("header-gen: {e}");
            ExitCode::FAILURE
        }
    }
}

fn write(repo: &Path, out: &Path, prefix: &str) -> Result<(), String> {
    let header = generate(repo, prefix)?;
    fs::write(out, header).map_err(|e| format!("write {}: {e}", out.display()))
}

fn check(repo: &Path) -> Result<(), String> {
    let generated = generate(repo, "")?;
    let committed = fs::read_to_string(repo.join(COMMITTED)).unwrap_or_default();
    if committed == generated {
        println!("header-gen: {COMMITTED} is what cbindgen generates from src/capi.rs");
        Ok(())
    } else {
        Err(format!(
            "{COMMITTED} is stale: it differs from what cbindgen generates from src/capi.rs. \
             Run `make header` and commit the result."
        ))
    }
}

/// The header for `prefix` (empty: the legacy names).
fn generate(repo: &Path, prefix: &str) -> Result<String, String> {
    if !prefix
        .chars()
        .enumerate()
        .all(|(i, c)| c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()))
    {
        return Err(format!("prefix {prefix:?} must start a C identifier"));
    }
    let capi = fs::read_to_string(repo.join("src/capi.rs")).map_err(|e| format!("read src/capi.rs: {e}"))?;
    let tmp = env::temp_dir().join(format!("sockctl-header-gen-{}", std::process::id()));
    fs::create_dir_all(&tmp).map_err(|e| format!("create {}: {e}", tmp.display()))?;
    let src = tmp.join("capi.rs");
    let result = fs::write(&src, for_cbindgen(&capi, prefix)?)
        .map_err(|e| format!("write {}: {e}", src.display()))
        .and_then(|()| run_cbindgen(repo, &src, prefix));
    let _ = fs::remove_dir_all(&tmp);
    result
}

fn run_cbindgen(repo: &Path, src: &Path, prefix: &str) -> Result<String, String> {
    let config_path = repo.join("tools/header-gen/cbindgen.toml");
    let mut config =
        cbindgen::Config::from_file(&config_path).map_err(|e| format!("{}: {e}", config_path.display()))?;
    if !prefix.is_empty() {
        config.include_guard = Some(format!("SOCKCTL_{}H", prefix.to_ascii_uppercase()));
    }
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(src)
        .generate()
        .map_err(|e| format!("cbindgen: {e}"))?
        .write(&mut generated);
    let header = String::from_utf8(generated).map_err(|_| "the header is not UTF-8".to_string())?;
    Ok(c89_comments(&header))
}

/// cbindgen reads `#[export_name = "literal"]` but not a `concat!`, so the
/// source it parses has each export's literal symbol name.
fn for_cbindgen(capi: &str, prefix: &str) -> Result<String, String> {
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
    if exports != EXPORTS {
        return Err(format!(
            "src/capi.rs: {exports} lines `{EXPORT_PREFIX}NAME\")]`, expected {EXPORTS}"
        ));
    }
    Ok(out)
}

/// cbindgen ends some lines (`#endif`, the `extern "C"` brace) with
/// `// comment`, which C89 does not have; the header must compile as C89
/// with -Wpedantic -Werror.
fn c89_comments(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for line in header.lines() {
        match line.split_once("  // ").or_else(|| line.split_once(" // ")) {
            Some((code, comment)) if !code.trim().is_empty() => out.push_str(&format!("{code}  /* {comment} */")),
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}
