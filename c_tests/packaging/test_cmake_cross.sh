#!/bin/bash
# CMake, the legacy author's way: the legacy server and client cross-built
# with a toolchain file (examples/cmake-cross/) against sockctl for the same
# target, and run against each other under qemu-user:
#   1. find_package(sockctl) from a staged install (make install TARGET=...
#      DESTDIR=$stage PREFIX=/usr), the stage given as -DCMAKE_FIND_ROOT_PATH;
#      static (the default) and shared; a toolchain file that set()s
#      CMAKE_FIND_ROOT_PATH, with -DCMAKE_STAGING_PREFIX; the stage moved;
#   2. sockctl built from source by cmake/SockctlCargo.cmake
#      (-DSOCKCTL_FROM_SOURCE=ON);
# then the module's triple mapping for every C compiler here and its errors
# (no known Rust target, no cargo, a Rust target not installed, no archive built).
#   test_cmake_cross.sh MAKE WORKDIR [RUST_TARGET...]
# (default: armv7-unknown-linux-gnueabihf aarch64-unknown-linux-gnu
# mipsel-unknown-linux-gnu, the last with core built from rust-src). A target
# whose cross toolchain, Rust target or qemu is missing is skipped with the reason.
set -u
make=$1 work=$2
shift 2
targets=${*:-armv7-unknown-linux-gnueabihf aarch64-unknown-linux-gnu mipsel-unknown-linux-gnu}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../lib/report.sh"

work=$(fresh_dir "$work")
ex=$root/examples/cmake-cross
# One cargo target dir for every from-source build, kept between runs (in
# target/, which make clean empties): host build deps and, for mipsel, core
# from rust-src are compiled once, not at every make test.
cargo_dir=$root/target/cmake-cross

if ! command -v cmake >/dev/null; then
	bad "cmake is not installed (tools/setup.sh installs it)"
	summary test_cmake_cross
fi

# Target -> "toolchain file|readelf Machine" (its runner is the Makefile's).
info() {
	case $1 in
	armv7-unknown-linux-gnueabihf) echo "toolchain-armv7.cmake|ARM" ;;
	aarch64-unknown-linux-gnu) echo "toolchain-aarch64.cmake|AArch64" ;;
	mipsel-unknown-linux-gnu) echo "toolchain-mipsel.cmake|MIPS R3000" ;;
	*) return 1 ;;
	esac
}
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' '; }

# configure NAME ARGS...: cmake -S examples/cmake-cross -B $work/NAME ARGS, log in $work/NAME.log
configure() {
	local name=$1
	shift
	rm -rf "${work:?}/$name"
	timeout 300 cmake -S "$ex" -B "$work/$name" "$@" >"$work/$name.log" 2>&1
}
build() { timeout 600 cmake --build "$work/$1" >>"$work/$1.log" 2>&1; }
failed_log() { bad "$1"; tail -15 "$work/$2.log" >&2; }

# The programs of build NAME: ARM ELF, what they need, and an exchange under qemu.
programs() { # name machine want_needed run
	local name=$1 machine=$2 want=$3 run=$4 p
	for p in server client; do
		check "$name: $p is $machine" grep -q "Machine: *$machine\$" <(readelf -h "$work/$name/$p")
		if [ -n "$want" ]; then
			if [ "$(needed "$work/$name/$p")" = "$want" ]; then ok
			else bad "$name: $p needs '$(needed "$work/$name/$p")' (want '$want'); from outside libc:" \
				$(readelf --dyn-syms -W "$work/$name/$p" | awk '$7 == "UND" && $8 ~ /@/ && $8 !~ /@GLIBC_/ { print $8 }'); fi
		fi
	done
	if WRAP="$run" "$root/c_tests/e2e/exchange.sh" "$work/$name/server" "$work/$name/client" "$work/run-$name" 3 10; then
		ok
		check "$name: the server received 3 messages" \
			test "$(grep -c 'recv data : hello World' "$work/run-$name/server.out")" = 3
	else
		bad "$name: the exchange under $run failed"
		cat "$work/run-$name"/*.err >&2
	fi
}

for t in $targets; do
	if ! i=$(info "$t"); then
		bad "$t: no toolchain file in examples/cmake-cross"
		continue
	fi
	IFS='|' read -r tc machine <<<"$i"
	if ! why=$("$root/tools/setup.sh" --check-target "$t"); then
		skip "cmake-cross $t" "$why"
		continue
	fi
	tc=$ex/$tc
	RUN=
	eval "$($make -s -C "$root" --no-print-directory print-toolchain TARGET="$t")"
	run=$RUN
	a=${t%%-*}
	stage=$work/stage-$a

	# 1. The staged install.
	if ! timeout 600 $make -C "$root" --no-print-directory install TARGET="$t" DESTDIR="$stage" PREFIX=/usr \
		>"$work/install-$a.log" 2>&1; then
		failed_log "$t: make install TARGET=$t" "install-$a"
		continue
	fi
	ok
	check "$t: staged $stage/usr/lib/cmake/sockctl/sockctl-config.cmake" test -s "$stage/usr/lib/cmake/sockctl/sockctl-config.cmake"

	# The root-path mode re-roots every search prefix: a plain prefix path is not enough.
	check "$t: PACKAGE ONLY does not find it through CMAKE_PREFIX_PATH alone" \
		bash -c "! timeout 300 cmake -S '$ex' -B '$work/$a-prefixpath' -DCMAKE_TOOLCHAIN_FILE='$tc' \
			-DCMAKE_PREFIX_PATH='$stage/usr' >'$work/$a-prefixpath.log' 2>&1"

	# The stage as a root path: statically linked (the default), then shared.
	for kind in static shared; do
		name=$a-$kind
		use=ON
		[ $kind = shared ] && use=OFF
		if configure "$name" -DCMAKE_TOOLCHAIN_FILE="$tc" -DCMAKE_FIND_ROOT_PATH="$stage" -Dsockctl_USE_STATIC_LIBS=$use &&
			build "$name"; then ok; else
			failed_log "$t: CMAKE_FIND_ROOT_PATH=\$stage, $kind: configure or build" "$name"
			continue
		fi
		check "$name: sockctl_DIR is the stage's" grep -q -x "sockctl_DIR:PATH=$stage/usr/lib/cmake/sockctl" "$work/$name/CMakeCache.txt"
		if [ $kind = static ]; then
			check "$name: the staged archive defines exactly the three functions" \
				"$root/c_tests/packaging/defines_only.sh" "${TOOLS}nm" "$stage/usr/lib/libsockctl.a" listenSocket tcpCreateClient tcpCloseSocket
			check "$name: links $stage/usr/lib/libsockctl.a" grep -q "$stage/usr/lib/libsockctl.a" "$work/$name/CMakeFiles/server.dir/link.txt"
			programs "$name" "$machine" "libc.so.6 " "$run"
		else
			check "$name: server needs libsockctl.so.0" grep -q 'NEEDED.*\[libsockctl.so.0\]' <(readelf -d "$work/$name/server")
			programs "$name" "$machine" "" "$run"
		fi
	done

	# A toolchain file that set()s CMAKE_FIND_ROOT_PATH hides the command
	# line's; CMAKE_STAGING_PREFIX is searched without re-rooting.
	sed 's/^list(APPEND CMAKE_FIND_ROOT_PATH \(.*\))$/set(CMAKE_FIND_ROOT_PATH \1)/' "$tc" >"$work/$a-set.cmake"
	check "$t: the set() variant of the toolchain file set()s it" grep -q '^set(CMAKE_FIND_ROOT_PATH ' "$work/$a-set.cmake"
	check "$t: set(CMAKE_FIND_ROOT_PATH) hides -DCMAKE_FIND_ROOT_PATH" \
		bash -c "! timeout 300 cmake -S '$ex' -B '$work/$a-set-root' -DCMAKE_TOOLCHAIN_FILE='$work/$a-set.cmake' \
			-DCMAKE_FIND_ROOT_PATH='$stage' >'$work/$a-set-root.log' 2>&1"
	if configure "$a-staging" -DCMAKE_TOOLCHAIN_FILE="$work/$a-set.cmake" -DCMAKE_STAGING_PREFIX="$stage/usr" &&
		build "$a-staging"; then ok; else failed_log "$t: CMAKE_STAGING_PREFIX=\$stage/usr: configure or build" "$a-staging"; fi
	check "$a-staging: sockctl_DIR is the stage's" grep -q -x "sockctl_DIR:PATH=$stage/usr/lib/cmake/sockctl" "$work/$a-staging/CMakeCache.txt"

	# The installed package is relocatable: the stage moved, found and linked where it is now.
	mv "$stage" "$stage-moved"
	if configure "$a-moved" -DCMAKE_TOOLCHAIN_FILE="$tc" -DCMAKE_FIND_ROOT_PATH="$stage-moved" && build "$a-moved"; then ok; else
		failed_log "$t: the moved stage: configure or build" "$a-moved"
	fi
	check "$a-moved: links the moved archive" grep -q "$stage-moved/usr/lib/libsockctl.a" "$work/$a-moved/CMakeFiles/server.dir/link.txt"

	# 2. sockctl from source, by cargo, inside the CMake build.
	name=$a-source
	if configure "$name" -DCMAKE_TOOLCHAIN_FILE="$tc" -DSOCKCTL_FROM_SOURCE=ON -DSOCKCTL_CARGO_TARGET_DIR="$cargo_dir" &&
		build "$name"; then ok; else
		failed_log "$t: SOCKCTL_FROM_SOURCE=ON: configure or build" "$name"
		continue
	fi
	check "$name: the module chose $t" grep -q "SockctlCargo: libsockctl.a for $t," "$work/$name.log"
	check "$name: cargo built $cargo_dir/$t/release/libsockctl.a" test -s "$cargo_dir/$t/release/libsockctl.a"
	# (cargo's archive, or what tools/ship-archive.sh made of it where the repository has that script)
	linked=$(sed -n 's/.*SockctlCargo: libsockctl.a for .*, linked as //p' "$work/$name.log")
	# (the link line names a file inside the build tree relative to it)
	check "$name: links $linked" grep -q -F "${linked#"$work/$name/"}" "$work/$name/CMakeFiles/server.dir/link.txt"
	[ -e "$root/tools/ship-archive.sh" ] &&
		check "$name: links the shipped archive" test "$linked" = "$work/$name/sockctl/$t/libsockctl.a"
	check "$name: the archive it links defines exactly the three functions" \
		"$root/c_tests/packaging/defines_only.sh" "${TOOLS}nm" "$linked" listenSocket tcpCreateClient tcpCloseSocket
	# Compiled like the toolchain's C (tools/c-codegen.sh with its compiler and flags).
	check "$name: the module compiled it like the toolchain's C compiler" grep -q "SockctlCargo: compiled like .*: line=" "$work/$name.log"
	case $t in aarch64-*)
		check "$name: its object is marked BTI and PAC" bash -c \
			"'${TOOLS}readelf' -n '$linked' | grep -q 'AArch64 feature: BTI, PAC'" ;;
	esac
	programs "$name" "$machine" "libc.so.6 " "$run"
	# Nothing changed: cargo is not run again.
	timeout 300 cmake --build "$work/$name" >"$work/$name-again.log" 2>&1
	check "$name: a second build does not run cargo" bash -c "! grep -q 'cargo build' '$work/$name-again.log'"
done

# The module's triple for each C compiler that is here (no toolchain file:
# CMAKE_C_COMPILER alone).
mkdir -p "$work/map"
cat >"$work/map/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.16)
project(map C)
include("$root/cmake/SockctlCargo.cmake")
sockctl_rust_target(triple)
message(STATUS "rust target: \${triple}")
EOF
# Every row of the toolchain table (its C compiler: the row's target), and the host.
pairs=("cc:$(uname -m)-unknown-linux-gnu")
for t in $($make -s -C "$root" --no-print-directory print-targets); do
	CC_TARGET=
	eval "$($make -s -C "$root" --no-print-directory print-toolchain TARGET="$t" | sed 's/CROSS_TARGETS=.*//')"
	pairs+=("$CC_TARGET:$t")
done
for pair in "${pairs[@]}"; do
	c=${pair%%:*} want=${pair#*:}
	if ! "$c" --version >/dev/null 2>&1; then
		skip "map $c" "$c is not installed or does not run"
		continue
	fi
	rm -rf "$work/map/b"
	got=$(timeout 300 cmake -S "$work/map" -B "$work/map/b" -DCMAKE_C_COMPILER="$c" 2>&1 | sed -n 's/^-- rust target: //p')
	if [ "$got" = "$want" ]; then ok; else bad "SockctlCargo maps $c to '$got' (want $want)"; fi
done
rm -rf "$work/map/b"
got=$(cmake -S "$work/map" -B "$work/map/b" -DSOCKCTL_RUST_TARGET=s390x-unknown-linux-gnu 2>&1 | sed -n 's/^-- rust target: //p')
check "SOCKCTL_RUST_TARGET overrides the mapping ($got)" test "$got" = s390x-unknown-linux-gnu
rm -rf "$work/map/b"
cmake -S "$work/map" -B "$work/map/b" -DCMAKE_C_COMPILER_TARGET=sparc-linux-gnu >"$work/map-unknown.log" 2>&1
check "error: a C compiler target with no Rust target" grep -q 'SockctlCargo: no Rust target known for the C compiler' "$work/map-unknown.log"

# The module's errors, each naming the problem (armv7 toolchain file, or the host's).
tc=$ex/toolchain-armv7.cmake
command -v arm-linux-gnueabihf-gcc >/dev/null || tc=
tcarg=()
[ -n "$tc" ] && tcarg=(-DCMAKE_TOOLCHAIN_FILE="$tc")
configure err-target "${tcarg[@]}" -DSOCKCTL_FROM_SOURCE=ON -DSOCKCTL_RUST_TARGET=sockctl-test-unknown-none
check "error: a Rust target that is not installed" \
	grep -q 'the Rust target sockctl-test-unknown-none is not installed' "$work/err-target.log"
configure err-cargo "${tcarg[@]}" -DSOCKCTL_FROM_SOURCE=ON -DSOCKCTL_CARGO="$work/no/cargo"
check "error: no cargo" grep -q 'SockctlCargo: cargo not found' "$work/err-cargo.log"
# A cargo that succeeds without building anything.
mkdir -p "$work/fakebin"
printf '#!/bin/sh\necho "fake cargo $*"\n' >"$work/fakebin/cargo"
chmod +x "$work/fakebin/cargo"
if configure err-archive "${tcarg[@]}" -DSOCKCTL_FROM_SOURCE=ON -DSOCKCTL_CARGO="$work/fakebin/cargo" \
	-DSOCKCTL_RUSTC="$(command -v rustc)"; then
	check "error: no archive: the build fails" bash -c "! timeout 300 cmake --build '$work/err-archive' >>'$work/err-archive.log' 2>&1"
	check "error: no archive: said so" grep -q 'SockctlCargo: cargo finished but produced no' "$work/err-archive.log"
else
	failed_log "error: no archive: configure" err-archive
fi

summary test_cmake_cross
