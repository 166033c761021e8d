#!/bin/bash
# make install into a temporary DESTDIR (libraries, header, pkg-config and
# CMake files, man pages, licences), then build the legacy-style server
# and client against the installed copy three ways and run them:
#   pkg-config, static  (cc -static ... $(pkg-config --static --libs sockctl))
#   pkg-config, shared  (only `pkg-config --cflags --libs sockctl`)
#   CMake               (find_package(sockctl), sockctl::sockctl, shared and static)
# and make uninstall, which must leave nothing behind.
#   test_install.sh MAKE WORKDIR
set -u
make=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$(dirname "$0")/../lib/report.sh"

work=$(fresh_dir "$work")
dest=$work/dest
prefix=/opt/sockctl-test
lib=$dest$prefix/lib
# The legacy gateway moved onto sockctl (docs/MIGRATING.md steps 2 and 3).
legacy=$work/legacy
check "the legacy gateway migrated (migrate.sh)" "$root/c_tests/migration/migrate.sh" "$root/c_tests/legacy" "$legacy"
server_src=$legacy/server/Server.c
client_src=$(printf "$legacy/client/%s.c " main HostProc Logger MessageQueue RecvSend ClientSocketCtl)

check "make install" $make -C "$root" --no-print-directory install DESTDIR="$dest" PREFIX="$prefix" >"$work/install.log" 2>&1
for f in lib/libsockctl.a lib/libsockctl.so.0.1.0 include/sockctl.h lib/pkgconfig/sockctl.pc \
	lib/cmake/sockctl/sockctl-config.cmake lib/cmake/sockctl/sockctl-config-version.cmake \
	share/man/man3/listenSocket.3 share/man/man3/tcpCreateClient.3 share/man/man3/tcpCloseSocket.3 \
	share/man/man7/sockctl.7 share/doc/sockctl/LICENSE-MIT share/doc/sockctl/LICENSE-APACHE share/doc/sockctl/CHANGELOG.md; do
	check "installed $f" test -f "$dest$prefix/$f"
done
# The manifest (make print-installed, which docs/MIGRATING.md shows) is what is installed.
installed=$(cd "$dest" && find . -type f -o -type l | sed 's|^\.||' | sort)
manifest=$($make -s -C "$root" --no-print-directory print-installed DESTDIR= PREFIX="$prefix" | sort)
check "make print-installed lists exactly what make install put: $(diff <(echo "$manifest") <(echo "$installed") | grep '^[<>]' | tr '\n' ' ')" \
	test "$installed" = "$manifest"
check "libsockctl.so.0 -> libsockctl.so.0.1.0" test "$(readlink "$lib/libsockctl.so.0")" = libsockctl.so.0.1.0
check "libsockctl.so -> libsockctl.so.0" test "$(readlink "$lib/libsockctl.so")" = libsockctl.so.0
check "the installed archive defines exactly the three functions" \
	"$root/c_tests/packaging/defines_only.sh" nm "$lib/libsockctl.a" listenSocket tcpCreateClient tcpCloseSocket
check "SONAME libsockctl.so.0" grep -q 'SONAME.*\[libsockctl.so.0\]' <(readelf -d "$lib/libsockctl.so.0.1.0")
check "the shared library exports exactly the three functions, versioned" \
	test "$(nm -D --defined-only "$lib/libsockctl.so.0.1.0" | awk '$2 == "T" { print $3 }' | sort | tr '\n' ' ')" = \
	"listenSocket@@SOCKCTL_0 tcpCloseSocket@@SOCKCTL_0 tcpCreateClient@@SOCKCTL_0 "

export PKG_CONFIG_PATH=$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest
check "pkg-config knows sockctl 0.1.0" test "$(pkg-config --modversion sockctl)" = 0.1.0

exchange() { # label server client
	if "$root/c_tests/e2e/exchange.sh" "$2" "$3" "$work/run-$1" 3 10; then ok; else
		bad "$1: the exchange failed"; cat "$work/run-$1"/*.err >&2
	fi
}

# pkg-config, static: -l:libsockctl.a picks the archive although the shared
# library is installed beside it; --static adds Libs.private.
# pkg-config, static: a fully static program with nothing but what pkg-config says.
check "pkg-config --static: Libs.private adds nothing" test "$(pkg-config --static --libs sockctl)" = "$(pkg-config --libs sockctl)"
mkdir -p "$work/pc-static" "$work/pc-shared"
check "pkg-config static: build" cc -static -o "$work/pc-static/server" "$server_src" \
	$(pkg-config --cflags sockctl) $(pkg-config --static --libs sockctl)
check "pkg-config static: build client" cc -static -pthread -o "$work/pc-static/client" $client_src \
	$(pkg-config --cflags sockctl) $(pkg-config --static --libs sockctl)
check "pkg-config static: a static program (no NEEDED)" bash -c "! readelf -d '$work/pc-static/server' | grep -q NEEDED"
exchange pc-static "$work/pc-static/server" "$work/pc-static/client"

# pkg-config, shared: nothing but what pkg-config says.
check "pkg-config shared: build" cc -o "$work/pc-shared/server" "$server_src" $(pkg-config --cflags --libs sockctl)
check "pkg-config shared: build client" cc -pthread -o "$work/pc-shared/client" $client_src $(pkg-config --cflags --libs sockctl)
check "pkg-config shared: NEEDED libsockctl.so.0" grep -q 'NEEDED.*\[libsockctl.so.0\]' <(readelf -d "$work/pc-shared/server")
LD_LIBRARY_PATH=$lib exchange pc-shared "$work/pc-shared/server" "$work/pc-shared/client"

# CMake, shared and static.
if command -v cmake >/dev/null; then
	for kind in shared static; do
		use_static=OFF; [ $kind = static ] && use_static=ON
		if cmake -S "$root/examples/cmake" -B "$work/cmake-$kind" -DCMAKE_PREFIX_PATH="$dest$prefix" \
			-Dsockctl_USE_STATIC_LIBS=$use_static >"$work/cmake-$kind.log" 2>&1 &&
			cmake --build "$work/cmake-$kind" >>"$work/cmake-$kind.log" 2>&1; then ok; else
			bad "CMake $kind: configure or build"; tail -20 "$work/cmake-$kind.log" >&2; continue
		fi
		if [ $kind = shared ]; then
			check "CMake shared: NEEDED libsockctl.so.0" grep -q 'NEEDED.*\[libsockctl.so.0\]' <(readelf -d "$work/cmake-$kind/server")
		else
			check "CMake static: no libsockctl.so needed" bash -c "! readelf -d '$work/cmake-$kind/server' | grep -q 'NEEDED.*libsockctl'"
			check "CMake static: no Rust runtime, with no extra flag" \
				bash -c "! nm '$work/cmake-$kind/server' | grep -q -i -E 'panic|unwind|_ZN4core3fmt'"
		fi
		exchange "cmake-$kind" "$work/cmake-$kind/server" "$work/cmake-$kind/client"
	done
	# A version the package does not provide is refused.
	mkdir -p "$work/cmake-version"
	printf 'cmake_minimum_required(VERSION 3.13)\nproject(v C)\nfind_package(sockctl 0.2 REQUIRED)\n' >"$work/cmake-version/CMakeLists.txt"
	check "CMake refuses sockctl 0.2" bash -c "! cmake -S '$work/cmake-version' -B '$work/cmake-version/b' -DCMAKE_PREFIX_PATH='$dest$prefix' >/dev/null 2>&1"
else
	bad "cmake is not installed (.ci/run installs it)"
fi

check "make uninstall" $make -C "$root" --no-print-directory uninstall DESTDIR="$dest" PREFIX="$prefix" >"$work/uninstall.log" 2>&1
left=$(find "$dest$prefix" -mindepth 1 | sort)
check "uninstall leaves nothing under the prefix, file or emptied directory: $(echo $left)" test -z "$left"

summary test_install
