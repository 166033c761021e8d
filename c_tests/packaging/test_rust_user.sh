#!/bin/bash
# docs/RUST.md's two uses (once the README's "Rust side"), taken from it as they stand:
# 1. its sockctl-core dependency line and its main.rs form a new crate outside
#    the workspace, which must build and print the server's reply;
# 2. its team crate (Cargo.toml, src/lib.rs: sockctl's C ABI in the crate's
#    own static library) must build an archive exporting the three functions
#    and its own, against which sockctl's C contract test passes.
#   test_rust_user.sh WORKDIR
set -u
. "$(dirname "$0")/../lib/report.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(fresh_dir "$1")
mkdir -p "$work/src"

# The Nth ```LANG block of docs/RUST.md: block LANG N.
block() {
	awk -v lang="$1" -v n="$2" '/^# sockctl from Rust/ { on = 1 } on && $0 == "```" lang { if (++seen == n) { grab = 1; next } }
		grab && /^```$/ { exit } grab' "$root/docs/RUST.md"
}
dep=$(block toml 1 | grep '^sockctl-core = ')
check "docs/RUST.md: a sockctl-core dependency line" test -n "$dep"
block rust 1 >"$work/src/main.rs"
check "docs/RUST.md: a main.rs" test -s "$work/src/main.rs"
{
	printf '[package]\nname = "readme-user"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
	# The placeholder path is where this checkout is.
	echo "${dep//\/path\/to\/sockctl/$root}"
	printf '\n[workspace]\n'
} >"$work/Cargo.toml"
if out=$(cd "$work" && cargo run -q --target-dir "$work/target" 2>"$work/cargo.err"); then
	ok
	check "the snippet prints the server's reply (got: $out)" test "$out" = "Im server"
else
	bad "docs/RUST.md's Rust snippet does not build or run in a new crate"
	tail -20 "$work/cargo.err" >&2
fi
# ---- 2. the team crate -------------------------------------------------------------
team=$work/team
mkdir -p "$team/src"
{
	# The placeholder path is where this checkout is.
	block toml 2 | sed "s|/path/to/sockctl|$root|g"
	printf '\n[workspace]\n'
} >"$team/Cargo.toml"
block rust 2 >"$team/src/lib.rs"
check "docs/RUST.md: the team crate depends on sockctl and names it" \
	bash -c "grep -q '^sockctl = ' '$team/Cargo.toml' && grep -q '^use sockctl as _;' '$team/src/lib.rs'"
archive=$team/target/release/libgateway_rust.a
# The C functions a team archive exports (its global T symbols; the Rust
# compiler's builtins it carries start with "_"), sorted, on one line.
exported() { nm -g --defined-only "$1" 2>/dev/null | awk '$2 == "T" && $3 !~ /^_/ { print $3 }' | sort | tr '\n' ' '; }
if (cd "$team" && cargo build --release -q --target-dir "$team/target") 2>"$team/cargo.err"; then
	ok
	check "the team archive exports the three functions and the crate's own" \
		test "$(exported "$archive")" = "gatewayListen listenSocket tcpCloseSocket tcpCreateClient "
	c=$root/c_tests
	if cc -O2 -pthread -I"$root/include" -I"$c" -I"$c/lib" -o "$team/test_contract" "$c/contract/test_contract.c" \
		"$c/lib/testlib.c" "$c/lib/faults.c" "$archive" 2>"$team/cc.err"; then
		ok
		if "$team/test_contract" >"$team/contract.out" 2>&1; then ok; else
			bad "the C contract test fails against the team archive"; cat "$team/contract.out" >&2
		fi
	else
		bad "the C contract test does not link against the team archive (no flag beyond it)"; cat "$team/cc.err" >&2
	fi
	# sockctl's symbol prefix applies in the team's build too.
	if (cd "$team" && SOCKCTL_SYMBOL_PREFIX=rs_ cargo build --release -q --target-dir "$team/target-rs") 2>>"$team/cargo.err"; then
		check "SOCKCTL_SYMBOL_PREFIX=rs_: the team archive exports rs_listenSocket, ... and no legacy name" \
			test "$(exported "$team/target-rs/release/libgateway_rust.a")" = \
			"gatewayListen rs_listenSocket rs_tcpCloseSocket rs_tcpCreateClient "
	else
		bad "the team crate does not build with SOCKCTL_SYMBOL_PREFIX=rs_"; tail -20 "$team/cargo.err" >&2
	fi
	# And its features: only listenSocket (feature "server").
	feat=$work/team-server
	mkdir -p "$feat/src"
	cp "$team/src/lib.rs" "$feat/src/"
	sed 's|^\(sockctl = { path = "[^"]*"\) }|\1, default-features = false, features = ["server"] }|' "$team/Cargo.toml" \
		>"$feat/Cargo.toml"
	if (cd "$feat" && cargo build --release -q --target-dir "$feat/target") 2>>"$team/cargo.err"; then
		check "sockctl's feature server alone: the team archive exports listenSocket and not the client pair" \
			test "$(exported "$feat/target/release/libgateway_rust.a")" = "gatewayListen listenSocket "
	else
		bad "the team crate does not build with sockctl's feature server alone"; tail -20 "$team/cargo.err" >&2
	fi
else
	bad "docs/RUST.md's team crate does not build"
	tail -20 "$team/cargo.err" >&2
fi
summary test_rust_user
