#!/bin/bash
# The README's "Rust side": its Cargo.toml line and its main.rs, taken from
# the README as they stand, form a new crate outside the workspace, which
# must build and print the server's reply.
#   test_rust_user.sh WORKDIR
set -u
. "$(dirname "$0")/../lib/report.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$1
rm -rf "$work"
mkdir -p "$work/src"
work=$(cd "$work" && pwd)

# The first ```toml and the first ```rust block after "## Rust side".
block() { awk -v lang="$1" '/^## Rust side/ { on = 1 } on && $0 == "```" lang { grab = 1; next } grab && /^```$/ { exit } grab' "$root/README.md"; }
dep=$(block toml | grep '^sockctl-core = ')
check "README: a sockctl-core dependency line" test -n "$dep"
block rust >"$work/src/main.rs"
check "README: a main.rs" test -s "$work/src/main.rs"
{
	printf '[package]\nname = "readme-user"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
	# The README's placeholder path is where this checkout is.
	echo "${dep//\/path\/to\/sockctl/$root}"
	printf '\n[workspace]\n'
} >"$work/Cargo.toml"
if out=$(cd "$work" && cargo run -q --target-dir "$work/target" 2>"$work/cargo.err"); then
	ok
	check "the snippet prints the server's reply (got: $out)" test "$out" = "Im server"
else
	bad "the README's Rust snippet does not build or run in a new crate"
	tail -20 "$work/cargo.err" >&2
fi
summary test_rust_user
