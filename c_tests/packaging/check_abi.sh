#!/bin/bash
# ABI checks of the built artifacts of one target.
#   check_abi.sh BUILD_DIR [NM [OS]]
# (OS: linux, the default; freebsd, whose C library is libc.so.7; darwin,
# Mach-O, read with rustup's llvm-nm and llvm-objdump as NM and its
# objdump: names with a leading "_", libsockctl.0.dylib with its install
# name, current and compatibility versions and no version node, and
# libSystem.B.dylib as the C library.)
# - the archive BUILD_DIR/lib/libsockctl.a is one object that defines
#   listenSocket, tcpCreateClient and tcpCloseSocket as global functions
#   (T), and no other global symbol;
# - the shared library (where the target has one) has SONAME
#   libsockctl.so.0, exports exactly those three, each under the version
#   node SOCKCTL_0, and needs libc.so.6 only;
# - the legacy programs linked against the archive with no other flag need
#   exactly the shared libraries that the same programs built from the C
#   original need (libc.so.6 on glibc, nothing when static), never
#   libgcc_s, define the helpers, and contain no panic, formatting or
#   unwinding machinery (no Rust runtime) beyond what the C toolchain puts
#   into the C original's builds too.
set -u
here=$(dirname "$0")
. "$here/../lib/report.sh"
b=$1 nm=${2:-nm} os=${3:-linux}
a=$b/lib/libsockctl.a
# The C library a program and the shared library need, and Mach-O's "_".
case $os in
darwin) libc=/usr/lib/libSystem.B.dylib us=_ ;;
freebsd) libc=libc.so.7 us= ;;
*) libc=libc.so.6 us= ;;
esac
if [ "$os" = darwin ]; then
	# LC_LOAD_DYLIB (and weak or re-exported) load commands, not the id.
	needed() {
		"${nm%nm}objdump" --macho --private-headers "$1" |
			awk '/cmd LC_(LOAD|LOAD_WEAK|REEXPORT)_DYLIB$/ { want = 1 } want && $1 == "name" { print $2; want = 0 }' |
			sort | tr '\n' ' '
	}
else
	needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' '; }
fi

exports=(listenSocket tcpCreateClient tcpCloseSocket)
c_exports=("${exports[@]/#/$us}")
for f in "${c_exports[@]}"; do
	if $nm --defined-only "$a" 2>/dev/null | grep -q -E "^[0-9a-f]+ T $f$"; then ok; else bad "$a: $f is not a global function"; fi
done
# Nothing else: no compiler builtins a C program could pick up instead of
# its libm's or libgcc's (check_host.sh runs such a program).
check "$a defines exactly the three functions" "$here/defines_only.sh" "$nm" "$a" "${c_exports[@]}"
check "$a holds one object" test "$(${nm%nm}ar t "$a" | wc -l)" = 1

so=$(ls "$b"/lib/libsockctl.so.*.*.* 2>/dev/null | head -n 1)
dylib=$b/lib/libsockctl.0.dylib
if [ "$os" = darwin ]; then
	od() { "${nm%nm}objdump" --macho "$@"; }
	check "$dylib: install name /usr/local/lib/libsockctl.0.dylib (LIBDIR's)" \
		test "$(od --dylib-id "$dylib" | tail -n +2)" = /usr/local/lib/libsockctl.0.dylib
	versions=$(od --private-headers "$dylib" |
		awk '/cmd LC_ID_DYLIB/ { on = 1 } on && $1 == "current" { c = $3 } on && $1 == "compatibility" { print c, $3; exit }')
	check "$dylib: current version 0.1.0, compatibility version 0.1.0 (got: $versions)" test "$versions" = "0.1.0 0.1.0"
	check "libsockctl.dylib -> libsockctl.0.dylib" test "$(readlink "$b/lib/libsockctl.dylib")" = libsockctl.0.dylib
	# Exactly the three, and the two symbols zig's Mach-O linker defines
	# and exports in every dylib it links, the C original's too: the image's
	# own header (__mh_dylib_header, ___dso_handle). It takes no list of
	# exports to drop them.
	check "$dylib exports exactly the three functions (and zig's header symbols)" \
		"$here/defines_only.sh" "$nm" "$dylib" "${c_exports[@]}" __mh_dylib_header ___dso_handle
	if [ "$(needed "$dylib")" = "$libc " ]; then ok; else bad "$dylib needs: $(needed "$dylib") (want $libc only)"; fi
elif [ -n "$so" ]; then
	check "$so: SONAME libsockctl.so.0" grep -q 'SONAME.*\[libsockctl.so.0\]' <(readelf -d "$so")
	check "$so defines exactly the three functions" "$here/defines_only.sh" "$nm" "$so" "${exports[@]}"
	# (The version definition itself is an absolute symbol SOCKCTL_0 in GNU
	# ld's libraries, not in lld's.)
	got=$($nm -D --defined-only "$so" | awk '$2 != "A" { print $3 }' | sort | tr '\n' ' ')
	want='listenSocket@@SOCKCTL_0 tcpCloseSocket@@SOCKCTL_0 tcpCreateClient@@SOCKCTL_0 '
	if [ "$got" = "$want" ]; then ok; else bad "$so exports: $got (want $want)"; fi
	if [ "$(needed "$so")" = "$libc " ]; then ok; else bad "$so needs: $(needed "$so") (want $libc only)"; fi
else
	skip "shared library" "this target has no shared library ($b/lib/libsockctl.so.* not built)"
fi

# Names of the Rust runtime (panic, unwinding, formatting, std) in a program.
runtime_names() { $nm "$1" | awk '{ print $NF }' | grep -i -E 'panic|unwind|rust_begin|rust_eh|_ZN4core3fmt|_ZN3std' | sort -u; }
# What the C toolchain itself puts into every program (zig's static
# compiler-rt defines __aeabi_unwind_cpp_pr0 on 32-bit ARM) is not sockctl's:
# the C original's builds of the same programs show it.
cat <(runtime_names "$b/server-ref") <(runtime_names "$b/client-ref") | sort -u >"$b/abi-runtime-names.ref"
for prog in server client test_contract_static; do
	p=$b/$prog
	leaks=$(runtime_names "$p" | comm -23 - "$b/abi-runtime-names.ref" | head -5 | paste -sd' ' -)
	if [ -z "$leaks" ]; then ok; else bad "$p holds Rust runtime machinery: $leaks"; fi
	if $nm "$p" | grep -q -E " T $us(listenSocket|tcpCreateClient|tcpCloseSocket)\$"; then ok
	else bad "$p defines none of the helpers: not linked against sockctl"; fi
done
for prog in server client; do
	if [ "$(needed "$b/$prog")" = "$(needed "$b/$prog-ref")" ]; then ok
	else bad "$b/$prog needs $(needed "$b/$prog"), the C original's build $(needed "$b/$prog-ref")"; fi
	case $(needed "$b/$prog") in *libgcc_s*) bad "$b/$prog needs libgcc_s" ;; *) ok ;; esac
done
summary check_abi
