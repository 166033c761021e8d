#!/bin/bash
# The suites of a target whose programs nothing here can run (mk/targets.tab's
# runner "none": macOS and FreeBSD, another kernel), as far as they go
# without running anything:
#   CC=... CARGO=... check_files.sh TARGET BUILD_DIR TOOL_PREFIX OS
# 1. check_abi.sh: the archive, the shared library (exports, needed
#    libraries; on macOS the dylib's install name and versions) and the
#    programs linked against the archive with no other flag (the legacy
#    server and client as migrate.sh moved them, the C contract test)
#    against the same programs built from the C original by the same CC;
# 2. check_header.sh: the header compiled with the target's own system
#    headers (zig's for macOS and FreeBSD), as C89 to C++17;
# 3. cargo clippy -D warnings of both crates and of the shipped static
#    library for the target, and cargo test --no-run: the test binaries of
#    both crates compiled and linked for it, with CC as the linker;
# 4. every suite that would run a program of the target: a counted skip,
#    with the reason (docs/CROSS.md says how to run them there).
# Each suite's own result line is printed with the target in front, so
# make test adds them up.
set -u
t=$1 b=$2 tools=$3 os=$4
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib/report.sh"
cc=${CC:?CC: the C compiler of the target} cargo=${CARGO:-cargo}

suite_tag=$t

suite check_abi "$here/packaging/check_abi.sh" "$b" "${tools}nm" "$os"
# (tools/zigcc/<zig target>-c++ is zig c++ for the same target.)
suite check_header "$here/packaging/check_header.sh" "$cc" "${cc%-cc}-c++"

# ---- Rust, for the target ----------------------------------------------------------
# The test binaries link Rust's std, for which the libc crate names system
# libraries that zig's SDK-free targets do not have: libiconv on macOS,
# libkvm, libmemstat, libprocstat and libdevstat on FreeBSD. Empty
# stand-ins here let the linker find them; nothing of theirs is used (on
# FreeBSD --as-needed drops them: the binaries need libc.so.7 and
# libthr.so.3; on macOS the binaries name /usr/lib/libiconv.2.dylib, which
# every macOS has). They are for these test binaries only, never sockctl's
# artifacts, which need nothing but the C library (check_abi.sh).
stubs=$(fresh_dir "$b/link-stubs")
case $os in
darwin)
	printf '%s\n' '--- !tapi-tbd' 'tbd-version: 4' 'targets: [ x86_64-macos, arm64-macos ]' \
		"install-name: '/usr/lib/libiconv.2.dylib'" 'current-version: 7' 'compatibility-version: 7' '...' \
		>"$stubs/libiconv.tbd" ;;
freebsd)
	: >"$stubs/empty.c"
	for l in kvm memstat procstat devstat; do
		$cc -shared -nostdlib -o "$stubs/lib$l.so" "$stubs/empty.c" || bad "[$t] the stand-in lib$l.so"
	done ;;
esac
upper=$(tr 'a-z-' 'A-Z_' <<<"$t")
rust_env=("CARGO_TARGET_${upper}_LINKER=${cc%% *}" "CARGO_TARGET_${upper}_RUSTFLAGS=-L native=$stubs")
cargo_for() { # what cargo-args...
	local what=$1
	shift
	if (cd "$root" && env "${rust_env[@]}" "$cargo" "$@") >"$b/cargo.log" 2>&1; then ok
	else bad "[$t] $what: $cargo $*"; tail -n 20 "$b/cargo.log" >&2; fi
}
cargo_for "clippy of both crates" clippy --locked --target "$t" --workspace --exclude sockctl-staticlib --all-targets -- -D warnings
cargo_for "clippy of sockctl-core without std" clippy --locked --target "$t" -p sockctl-core --no-default-features -- -D warnings
cargo_for "clippy of the static library" clippy --locked --manifest-path staticlib/Cargo.toml --release --target "$t" -- -D warnings
cargo_for "cargo test --no-run of both crates" test --locked --no-run --target "$t" --workspace --exclude sockctl-staticlib

# ---- the build on the system itself ------------------------------------------------
# What a Mac or FreeBSD user runs there: make lib and make install without
# TARGET, on a host that is $t (HOST_TARGET=$t stands in for rustc's
# answer), with CC standing in for the system's cc, only the tools such a
# system has on PATH (a Mac: no objcopy, readelf, realpath or nproc; BSD awk
# (original-awk, the one-true-awk macOS has), sed without GNU extensions),
# and rustup's llvm-tools on a Mac. It gives the same archive and shared
# library as the cross build ($b/lib). (Not covered here: bash 3.2 and
# GNU make 3.81, which a Mac has and nothing here installs: docs/CROSS.md.)
host_tools() { # DIR: the tool set, as links and wrappers
	local d=$1 c p
	for c in bash sh grep install mkdir rm ln cat printf env uname mktemp dirname basename head tail cut sort \
		uniq tr wc cp mv chmod test true false find xargs cmp diff touch date sleep expr tee od cc \
		cargo rustc rustup make; do
		p=$(command -v "$c") || { bad "[$t] the host tool set: no $c here"; return 1; }
		ln -s "$p" "$d/$c"
	done
	# (cc: the system compiler, which cargo links its build scripts with.
	# python3 itself, not a version manager's shim: zig cc, the stand-in
	# for cc as the target's compiler, runs in it.)
	ln -s "$(python3 -c 'import sys; print(sys.executable)')" "$d/python3" || return 1
	# No GNU objcopy, readelf, nm or ar on a Mac (Xcode's are not GNU's; the
	# build uses llvm-tools); FreeBSD's base system has nm, ar and objcopy.
	if [ "$os" = freebsd ]; then
		for c in nm ar objcopy readelf; do ln -s "$(command -v "$c")" "$d/$c"; done
	fi
	ln -s "$(command -v original-awk)" "$d/awk" || return 1
	printf '#!/bin/sh\nexec %s --posix "$@"\n' "$(command -v sed)" >"$d/sed" && chmod +x "$d/sed"
}
hb=$b/on-$os
if ! command -v original-awk >/dev/null; then
	skip "[$t] the build on $os itself" "original-awk is not installed (tools/setup.sh installs it for this target)"
elif ht=$(fresh_dir "$hb/tools") && dest=$(fresh_dir "$hb/dest") && host_tools "$ht"; then
	if (cd "$root" && env -i HOME="$HOME" PATH="$ht" ${RUSTUP_HOME:+RUSTUP_HOME="$RUSTUP_HOME"} \
		${CARGO_HOME:+CARGO_HOME="$CARGO_HOME"} make lib install HOST_TARGET="$t" CC="$cc" B="$hb" \
		DESTDIR="$dest" PREFIX=/usr/local) >"$hb/make.log" 2>&1; then
		ok
		for f in $(cd "$b/lib" && ls); do
			check "[$t] the build on $os itself: lib/$f as the cross build's" cmp -s "$hb/lib/$f" "$b/lib/$f"
		done
	else
		bad "[$t] the build on $os itself: make lib install HOST_TARGET=$t (log $hb/make.log)"
		tail -n 20 "$hb/make.log" >&2
	fi
fi

# ---- what runs programs --------------------------------------------------------------
why="runs programs of $t, and nothing here can run them (another kernel); docs/CROSS.md: how to run it on $os"
for s in "cargo test (the Rust tests)" check_host check_codegen test_contract test_contract_shared test_cancel \
	test_diff test_hardening "the legacy programs' exchange"; do
	skip "[$t] $s" "$why"
done
[ "$os" != darwin ] || skip "[$t] abidiff" "libabigail reads ELF only, not Mach-O"
echo -n "[$t] "
summary check_files
