#!/bin/bash
# ABI checks of the built artifacts of one target.
#   check_abi.sh BUILD_DIR [NM]
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
b=$1 nm=${2:-nm}
a=$b/lib/libsockctl.a
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' '; }

exports=(listenSocket tcpCreateClient tcpCloseSocket)
for f in "${exports[@]}"; do
	if $nm --defined-only "$a" 2>/dev/null | grep -q -E "^[0-9a-f]+ T $f$"; then ok; else bad "$a: $f is not a global function"; fi
done
# Nothing else: no compiler builtins a C program could pick up instead of
# its libm's or libgcc's (check_host.sh runs such a program).
check "$a defines exactly the three functions" "$here/defines_only.sh" "$nm" "$a" "${exports[@]}"
check "$a holds one object" test "$(${nm%nm}ar t "$a" | wc -l)" = 1

so=$(ls "$b"/lib/libsockctl.so.*.*.* 2>/dev/null | head -n 1)
if [ -n "$so" ]; then
	check "$so: SONAME libsockctl.so.0" grep -q 'SONAME.*\[libsockctl.so.0\]' <(readelf -d "$so")
	check "$so defines exactly the three functions" "$here/defines_only.sh" "$nm" "$so" "${exports[@]}"
	got=$($nm -D --defined-only "$so" | awk '{ print $3 }' | sort | tr '\n' ' ')
	want='listenSocket@@SOCKCTL_0 tcpCloseSocket@@SOCKCTL_0 tcpCreateClient@@SOCKCTL_0 '
	# The version definition itself is an absolute symbol SOCKCTL_0 of older nm's listings.
	got=${got/SOCKCTL_0 /}
	if [ "$got" = "$want" ]; then ok; else bad "$so exports: $got (want $want)"; fi
	if [ "$(needed "$so")" = "libc.so.6 " ]; then ok; else bad "$so needs: $(needed "$so") (want libc.so.6 only)"; fi
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
	if $nm "$p" | grep -q -E ' T (listenSocket|tcpCreateClient|tcpCloseSocket)$'; then ok
	else bad "$p defines none of the helpers: not linked against sockctl"; fi
done
for prog in server client; do
	if [ "$(needed "$b/$prog")" = "$(needed "$b/$prog-ref")" ]; then ok
	else bad "$b/$prog needs $(needed "$b/$prog"), the C original's build $(needed "$b/$prog-ref")"; fi
	case $(needed "$b/$prog") in *libgcc_s*) bad "$b/$prog needs libgcc_s" ;; *) ok ;; esac
done
summary check_abi
