#!/bin/bash
# The migration guide, followed mechanically: docs/MIGRATING.md's steps 2 to 5,
# in its order, applied to a copy of the legacy gateway, c_tests/legacy/
# (server/Server.c with listenSocket static, declared before main and defined
# at the bottom; the client split as the real one, ClientSocketCtl.h holding
# the prototypes). The Makefile and CMakeLists.txt "after" are taken from the
# guide itself. The result is built
#   a) make, with the static library of this build tree (build/lib);
#   b) make, with pkg-config after `make install DESTDIR=... PREFIX=...`,
#      static and shared (PKG_CONFIG_PATH, PKG_CONFIG_SYSROOT_DIR, an rpath);
#   c) CMake, find_package(sockctl) and find_package(Threads), static and shared;
# and each server runs against its client over loopback (ephemeral port,
# bounded by exchange.sh's timeout). Their output must be the all-C build's,
# but for descriptor numbers and the port. Then the guide's next step:
#   d) client/RecvSend.c moved into the team's Rust crate (gateway/), built
#      with make and CMake against its one archive, and with make beside
#      libsockctl.a (two archives, both orders); hostRecv and hostSend from
#      Rust print what the C file prints (recvsend_check.c).
#   test_migration.sh MAKE WORKDIR
set -u
make=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
guide=$root/docs/MIGRATING.md
legacy=$root/c_tests/legacy
. "$here/../lib/report.sh"

work=$(fresh_dir "$work")
unset MAKEFLAGS MFLAGS # the tree's own make, not this project's make variables
export LC_ALL=C       # compiler messages as matched below

# The fenced block after "<!-- test_migration: NAME -->" in the guide.
from_guide() {
	awk -v mark="<!-- test_migration: $1 -->" '
		$0 == mark { state = 1; next }
		state == 1 && /^```/ { state = 2; next }
		state == 2 && /^```/ { exit }
		state == 2 { print }' "$guide"
}
# The edits, and the guide's steps 2 and 3 as one (migrate_helpers).
. "$here/migrate.sh"

run() { # label dir-with-server_app-and-client_app [env...]
	local label=$1 bin=$2
	shift 2
	if env "$@" "$root/c_tests/e2e/exchange.sh" "$bin/server_app" "$bin/client_app" "$work/run-$label" 3 10; then ok; else
		bad "$label: server and client did not both exit 0"; cat "$work/run-$label"/*.err >&2
		return
	fi
	[ "$label" = all-c ] && return
	if cmp -s <(normalise "$work/run-all-c/server.out") <(normalise "$work/run-$label/server.out") &&
		cmp -s <(normalise "$work/run-all-c/client.out") <(normalise "$work/run-$label/client.out"); then ok; else
		bad "$label: output differs from the all-C build's"
		for side in server client; do
			diff <(normalise "$work/run-all-c/$side.out" | cat -A) <(normalise "$work/run-$label/$side.out" | cat -A) >&2
		done
	fi
}
normalise() { # descriptor numbers, the port, and the logger line (two threads print)
	sed -e 's/Socket\[[0-9]*\]/Socket[FD]/' -e 's/^socket create [0-9]*/socket create FD/' \
	    -e 's/IP\[127\.0\.0\.1, [0-9]*\]/IP[127.0.0.1, PORT]/' "$1" | grep -v -x -F $'Thread Start - loggerRunnerable\r'
}
needs_libsockctl() { readelf -d "$1" | grep -q 'NEEDED.*\[libsockctl\.so\.0\]'; }
no_libsockctl() { ! readelf -d "$1" | grep -q 'NEEDED.*libsockctl'; }
no_warning() { ! grep -q 'warning:' "$1"; }
no_definition_left() { ! grep -q -E '^[a-zA-Z].*(listenSocket|tcpCreateClient|tcpCloseSocket) *\(.*[^;]$' "$@"; }

# ---- before: the all-C tree ----------------------------------------------------

check "the guide's Makefile before is the tree's" cmp -s <(from_guide Makefile.before) "$legacy/Makefile"
cp -r "$legacy" "$work/all-c"
if $make -C "$work/all-c" >"$work/all-c.log" 2>&1; then ok; else bad "all-C build"; cat "$work/all-c.log" >&2; fi
check "all-C build: no warning" no_warning "$work/all-c.log"
run all-c "$work/all-c"
check "all-C run: 3 messages each way" grep -q -x -F '[2] Im server' "$work/run-all-c/client.out"

# ---- the guide's steps, in its order -----------------------------------------

src=$work/migrated
cp -r "$legacy" "$src"
# Steps 2 (the server) and 3 (the client): migrate.sh, which also makes the
# relinked programs of the other suites.
check "steps 2 and 3: delete the helpers' definitions, include sockctl.h (migrate.sh)" migrate_helpers "$src"
# Step 4: the Makefile; step 5: CMakeLists.txt.
from_guide Makefile.after >"$src/Makefile"
from_guide CMakeLists.txt >"$src/CMakeLists.txt"
check "step 4: the guide has a Makefile after" grep -q '^server_app:' "$src/Makefile"
check "step 5: the guide has a CMakeLists.txt" grep -q 'find_package(sockctl' "$src/CMakeLists.txt"
check "no helper definition is left" no_definition_left "$src/server/Server.c" "$src/client/ClientSocketCtl.c"

# Why step 2 deletes both: with the definition alone gone, the build fails.
half=$work/half
cp -r "$legacy" "$half"
delete_definition "$half/server/Server.c" "$LISTEN_PROTOTYPE" &&
	add_after_last_include "$half/server/Server.c" '#include "sockctl.h"'
if cc -I"$root/include" -c -o "$half/Server.o" "$half/server/Server.c" 2>"$half/cc.log"; then
	bad "Server.c without the definition but with the forward declaration compiled"
else
	check "only the definition deleted: 'static declaration follows non-static'" \
		grep -q "static declaration of 'listenSocket' follows non-static declaration" "$half/cc.log"
fi

# ---- a) make, the static library of this build tree ---------------------------

build() { # label make-args...: copy the migrated tree ($from, default the first part's), make it there
	local label=$1
	shift
	cp -r "${from:-$src}" "$work/$label"
	if $make -C "$work/$label" "$@" >"$work/$label.log" 2>&1; then ok; else
		bad "$label: make"; tail -20 "$work/$label.log" >&2; return 1
	fi
	check "$label: no warning" no_warning "$work/$label.log"
}
if build make-static SOCKCTL_CFLAGS=-I"$root/include" SOCKCTL_LIBS="$root/build/lib/libsockctl.a"; then
	check "make-static: no libsockctl.so needed" no_libsockctl "$work/make-static/client_app"
	run make-static "$work/make-static"
fi

# ---- b) make, pkg-config, after make install into a staged prefix ------------

dest=$work/dest
prefix=/opt/gateway
if $make -C "$root" --no-print-directory install DESTDIR="$dest" PREFIX="$prefix" >"$work/install.log" 2>&1; then ok; else
	bad "make install DESTDIR PREFIX"; tail -20 "$work/install.log" >&2
fi
export PKG_CONFIG_PATH=$dest$prefix/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest
check "pkg-config finds sockctl (PKG_CONFIG_PATH, PKG_CONFIG_SYSROOT_DIR)" \
	test "$(pkg-config --cflags sockctl | tr -d ' ')" = "-I$dest$prefix/include"
if build pc-static SOCKCTL_LIBS="-Wl,-Bstatic $(pkg-config --static --libs sockctl) -Wl,-Bdynamic"; then
	check "pc-static: no libsockctl.so needed" no_libsockctl "$work/pc-static/client_app"
	run pc-static "$work/pc-static"
fi
if build pc-shared LDFLAGS="-Wl,-rpath,$(pkg-config --variable=libdir sockctl)"; then
	check "pc-shared: server needs libsockctl.so.0" needs_libsockctl "$work/pc-shared/server_app"
	check "pc-shared: client needs libsockctl.so.0" needs_libsockctl "$work/pc-shared/client_app"
	check "pc-shared: run-time path is the installed libdir" \
		grep -q "R.*PATH.*\[$dest$prefix/lib\]" <(readelf -d "$work/pc-shared/client_app")
	run pc-shared "$work/pc-shared" -u LD_LIBRARY_PATH
fi
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

# ---- c) CMake, find_package(sockctl), find_package(Threads) --------------------

if command -v cmake >/dev/null; then
	for kind in static shared; do
		use_static=OFF; [ $kind = static ] && use_static=ON
		b=$work/cmake-$kind
		if cmake -S "$src" -B "$b" -DCMAKE_PREFIX_PATH="$dest$prefix" -Dsockctl_USE_STATIC_LIBS=$use_static \
			>"$b.log" 2>&1 && cmake --build "$b" >>"$b.log" 2>&1; then ok; else
			bad "cmake-$kind: configure or build"; tail -20 "$b.log" >&2; continue
		fi
		if [ $kind = shared ]; then
			check "cmake-shared: client needs libsockctl.so.0" needs_libsockctl "$b/client_app"
		else
			check "cmake-static: no libsockctl.so needed" no_libsockctl "$b/client_app"
		fi
		run "cmake-$kind" "$b" -u LD_LIBRARY_PATH
	done
else
	bad "cmake is not installed (.ci/run installs it)"
fi

# ---- the next step: RecvSend.c moved into the team's Rust crate ------------------
# (docs/MIGRATING.md, "The next step"; the crate is the fixture in gateway/.)

gateway=$here/gateway
cargo_dir=$root/target/migration
check "the guide's gateway Cargo.toml is the fixture's" cmp -s <(from_guide gateway/Cargo.toml) "$gateway/Cargo.toml"
check "the guide's gateway src/lib.rs is the fixture's" cmp -s <(from_guide gateway/src/lib.rs) "$gateway/src/lib.rs"
check "the fixture is not in sockctl's lock file" bash -c "! grep -q gateway '$root/Cargo.lock'"
gateway_archive() { # label cargo-args...: build the crate, ship its archive as $work/gateway-LABEL/libgateway.a
	local label=$1 log=$work/gateway-$1.log
	shift
	if (cd "$gateway" && cargo build --release --locked --target-dir "$cargo_dir" "$@") >"$log" 2>&1 &&
		"$root/tools/ship-archive.sh" "$cargo_dir/release/libgateway.a" "$work/gateway-$label/libgateway.a" host "" gateway \
			>>"$log" 2>&1; then ok; else
		bad "gateway-$label: cargo build or ship-archive"; tail -20 "$log" >&2; return 1
	fi
}
exports() { nm -g --defined-only "$1" | awk 'NF == 3 { print $3 }' | sort | tr '\n' ' '; }
one=$work/gateway-one/libgateway.a alone=$work/gateway-alone/libgateway.a
gateway_archive one &&
	check "one archive: exports the five functions, nothing else" \
		test "$(exports "$one")" = "hostRecv hostSend listenSocket tcpCloseSocket tcpCreateClient "
gateway_archive alone --no-default-features &&
	check "the module alone: exports hostRecv and hostSend, nothing else" test "$(exports "$alone")" = "hostRecv hostSend "

# hostRecv and hostSend from C and from Rust print the same bytes.
rs_check() { # label objects...
	local label=$1
	shift
	if cc -Wall -Wextra -Werror -I"$legacy/client" -o "$work/recvsend-$label" "$here/recvsend_check.c" "$@" \
		2>"$work/recvsend-$label.log" && "$work/recvsend-$label" >"$work/recvsend-$label.out" 2>>"$work/recvsend-$label.log"; then ok; else
		bad "recvsend_check linked with $label"; cat "$work/recvsend-$label.log" >&2
	fi
}
rs_check c "$legacy/client/RecvSend.c"
rs_check rust "$alone"
check "hostRecv and hostSend: Rust prints what RecvSend.c prints, [ERR] line included" \
	cmp -s "$work/recvsend-c.out" "$work/recvsend-rust.out"
check "hostSend to a gone peer: the [ERR] line" \
	grep -q -x -F $'[ERR] send function return error on hostSend function. error is Broken pipe(32)\r' "$work/recvsend-rust.out"

# The guide's steps on the first part's result.
src2=$work/migrated2
cp -r "$src" "$src2"
check "next step 1: delete client/RecvSend.c" rm "$src2/client/RecvSend.c"
check "next step 1: delete it from CLIENT_SRC" delete_word "$src2/Makefile" client/RecvSend.c
from_guide CMakeLists.step2.txt >"$src2/CMakeLists.txt"
check "next step 1: the guide's CMakeLists.txt has no RecvSend.c" bash -c "! grep -q RecvSend.c '$src2/CMakeLists.txt'"
check "next step 1: the guide's CMakeLists.txt links the crate's archive" grep -q 'IMPORTED_LOCATION "${GATEWAY_LIB}"' \
	"$src2/CMakeLists.txt"

# One archive (make, CMake), and the module beside libsockctl.a in either order.
from=$src2
if build step2-make SOCKCTL_CFLAGS=-I"$root/include" SOCKCTL_LIBS="$one"; then
	check "step2-make: no libsockctl.so needed" no_libsockctl "$work/step2-make/client_app"
	run step2-make "$work/step2-make"
fi
if build step2-two SOCKCTL_CFLAGS=-I"$root/include" SOCKCTL_LIBS="$alone $root/build/lib/libsockctl.a"; then
	run step2-two "$work/step2-two"
fi
if build step2-two-reversed SOCKCTL_CFLAGS=-I"$root/include" SOCKCTL_LIBS="$root/build/lib/libsockctl.a $alone"; then
	run step2-two-reversed "$work/step2-two-reversed"
fi
unset from
if command -v cmake >/dev/null; then
	b=$work/step2-cmake
	if cmake -S "$src2" -B "$b" -DGATEWAY_LIB="$one" -DSOCKCTL_INCLUDE_DIR="$root/include" >"$b.log" 2>&1 &&
		cmake --build "$b" >>"$b.log" 2>&1; then
		ok
		check "step2-cmake: no libsockctl.so needed" no_libsockctl "$b/client_app"
		run step2-cmake "$b"
	else
		bad "step2-cmake: configure or build"; tail -20 "$b.log" >&2
	fi
fi

summary test_migration
