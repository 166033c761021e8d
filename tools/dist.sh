#!/bin/bash
# make dist: the release tarball of the committed HEAD, which builds and
# installs with no network.
#   tools/dist.sh VERSION OUT.tar.gz STAGE_DIR MANIFEST...
# - the sources: the files of HEAD (git archive; an untracked or uncommitted
#   file is never in it), the generated header among them;
# - vendor/: the crates that the lock files of the given MANIFESTs name,
#   and those of the toolchain's rust-src library (stubs for systems never
#   built for; see below) (cargo vendor --locked: the one step that needs
#   the network, or a cargo cache that has them), each with its licence files;
# - .cargo/config.toml: crates.io replaced by vendor/.
# Reproducible: the same commit gives the same bytes (every mtime the
# commit's date, names sorted, owner and group 0, normalised modes, gzip
# without name or time).
set -euo pipefail
export LC_ALL=C
version=$1 out=$2 stage=$3
shift 3
cargo=${CARGO:-cargo}
name=sockctl-$version

git show HEAD:CHANGELOG.md 2>/dev/null | grep -q "^## \[$version\]" || {
	echo "make dist: CHANGELOG.md (as committed) has no section '## [$version]': no tarball of $name" >&2
	exit 1
}
git diff --quiet HEAD -- || echo "make dist: note: the tarball is HEAD's; uncommitted changes are not in it" >&2

rm -rf "$stage"
mkdir -p "$stage/$name"
stage=$(cd "$stage" && pwd)
git archive --format=tar HEAD | tar -x -C "$stage/$name"

sync=()
for m in "${@:2}"; do sync+=(--sync "$stage/$name/$m"); done
# The crates of the toolchain's own library (its rust-src), which the build
# resolves when it compiles core with the object's codegen flags
# (-Z build-std=core, tools/c-codegen.sh): an offline build needs them, in
# this toolchain's versions. (RUSTC_BOOTSTRAP=1: the library's manifest uses
# unstable cargo features.) Its lock file goes along, as
# .cargo/rust-src-library.Cargo.lock, for the record.
library=$("${RUSTC:-rustc}" --print sysroot)/lib/rustlib/src/rust/library
[ -e "$library/Cargo.toml" ] || { echo "make dist: $library is missing (rustup component add rust-src)" >&2; exit 1; }
RUSTC_BOOTSTRAP=1 "$cargo" vendor --quiet --locked --manifest-path "$stage/$name/$1" "${sync[@]}" \
	--sync "$library/Cargo.toml" "$stage/$name/vendor" >/dev/null
# The library's crates for systems that sockctl never builds for (Windows,
# WASI, UEFI, SGX, Hermit, VEXos, Motor OS, dlmalloc's targets) are needed
# only to resolve its lock file: each becomes a stub of its manifest, build
# script and an empty src/lib.rs (as cargo-vendor-filterer does), so that
# their payloads (the Windows import libraries: about 9 MB) stay out. A
# stub that some build compiled would fail it loudly (what it exports is
# missing), never silently.
for d in "$stage/$name"/vendor/*/; do
	crate=$(basename "$d")
	case $crate in
	windows* | wasi | wit-bindgen* | r-efi* | fortanix-sgx-abi | hermit-abi | vex-sdk | moto-rt | dlmalloc) ;;
	*) continue ;;
	esac
	package=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["package"])' "$d/.cargo-checksum.json")
	find "$d" -mindepth 1 -maxdepth 1 ! -name Cargo.toml ! -name build.rs -exec rm -rf {} +
	mkdir -p "$d/src" && : >"$d/src/lib.rs"
	python3 - "$d" "$package" <<'PY'
import hashlib, json, os, sys
d, package = sys.argv[1], sys.argv[2]
files = {f: hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest()
         for f in ["Cargo.toml", "build.rs", "src/lib.rs"] if os.path.exists(os.path.join(d, f))}
json.dump({"files": files, "package": package}, open(os.path.join(d, ".cargo-checksum.json"), "w"), sort_keys=True)
PY
done
mkdir -p "$stage/$name/.cargo"
cp "$library/Cargo.lock" "$stage/$name/.cargo/rust-src-library.Cargo.lock"
cat >"$stage/$name/.cargo/config.toml" <<'TOML'
# Written by make dist: the crates come from vendor/, never from the network.
[source.crates-io]
replace-with = "vendored-sources"

[source.vendored-sources]
directory = "vendor"
TOML

epoch=$(git log -1 --format=%ct HEAD)
mkdir -p "$(dirname "$out")"
tar --create --format=gnu --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
	--mode='u+rwX,go=rX' -C "$stage" "$name" | gzip -n -9 >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out: $(stat -c %s "$out") bytes, $(tar -tzf "$out" | wc -l) entries"
