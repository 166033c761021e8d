#!/bin/bash
# sockctl-core as its Rust users get it:
# - its tests and doctests without the default `std` feature (no_std), the
#   step layer's unit tests among them;
# - `cargo package` verifies it (metadata, readme, licence texts in the .crate);
# - tokio-user/, a crate of its own (own workspace and lock file): the
#   listener and streams handed to tokio on a current-thread runtime that
#   serves two clients; tokio stays out of the product's Cargo.lock.
#   test_core_crate.sh WORKDIR
set -u
. "$(dirname "$0")/../lib/report.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$1
mkdir -p "$work"
work=$(cd "$work" && pwd)
cd "$root" || exit 1

if cargo test -q -p sockctl-core --no-default-features >"$work/nostd.log" 2>&1; then
	ok
	# The step layer's unit tests (tests_raw.rs), not only doctests, ran without std.
	check "no_std: unit tests ran ($(grep -m1 -o '[0-9]* passed' "$work/nostd.log"))" \
		grep -q '^test result: ok\. [1-9][0-9]* passed' "$work/nostd.log"
else
	bad "cargo test -p sockctl-core --no-default-features"
	tail -20 "$work/nostd.log" >&2
fi

# --allow-dirty: the package as the tree stands (a fresh clone is clean).
if cargo package -q -p sockctl-core --allow-dirty --target-dir "$work/package" >"$work/package.log" 2>&1; then
	ok
	crate=$(ls "$work"/package/package/sockctl-core-*.crate)
	for f in Cargo.toml README.md LICENSE-MIT LICENSE-APACHE src/lib.rs; do
		check "the package holds $f, not empty" test -n "$(tar xOzf "$crate" --wildcards "*/$f" 2>/dev/null)"
	done
else
	bad "cargo package -p sockctl-core does not verify"
	tail -20 "$work/package.log" >&2
fi

if cargo test -q --locked --manifest-path c_tests/rust/tokio-user/Cargo.toml \
	--target-dir "$work/tokio-user" >"$work/tokio.log" 2>&1; then
	ok
	check "the tokio test ran (1 passed)" grep -q "1 passed" "$work/tokio.log"
else
	bad "the tokio user (c_tests/rust/tokio-user) fails"
	tail -30 "$work/tokio.log" >&2
fi
check "tokio is not in the product's Cargo.lock" bash -c '! grep -q "^name = \"tokio\"" Cargo.lock'
summary test_core_crate
