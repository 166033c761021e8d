#!/bin/bash
# The shipped object is compiled like the C it replaces, checked against
# the C original (c_tests/reference/reference.c) compiled with the same C
# compiler and flags:
#   CC=... CPPFLAGS=... CFLAGS=... check_codegen.sh BUILD_DIR RUST_TARGET TOOL_PREFIX "RUN"
# (BUILD_DIR: make's build directory for that compiler and those flags,
# with lib/, own_calls, own_calls-ref and their -now twins.)
# - a program's own calls of printf, puts, socket and close are bound as
#   with the original (dynamic relocation types; also linked -z now), and
#   the two programs print the same;
# - the object calls strerror and never prints with %m;
# - its stack protector is the original's: __stack_chk_fail needed by both
#   or by neither;
# - x86_64 and i686: IBT and SHSTK; aarch64: BTI, PAC (and GCS): an object compiled with the
#   marking and linked (ld -r) with sockctl's object keeps the same property
#   note as with the original's, the shared library carries it, and every
#   exported function starts with its landing pad (endbr64 or endbr32; bti c
#   or paciasp). Elsewhere: the same notes as with the original.
set -u
b=$1 target=$2 tools=$3 run=$4
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/report.sh"
work=$(fresh_dir "$b/codegen")
cc=${CC:-cc}
# shellcheck disable=SC2206 # word lists, as make passes them
compile=($cc ${CPPFLAGS:-} ${CFLAGS:-})
exports=(listenSocket tcpCreateClient tcpCloseSocket)
archive=$(realpath "$b/lib/libsockctl.a")
(cd "$work" && "${tools}ar" x "$archive" sockctl.o) || { bad "no sockctl.o in $b/lib/libsockctl.a"; summary check_codegen; }
obj=$work/sockctl.o
"${compile[@]}" -DREF_PREFIX= -c "$here/reference/reference.c" -o "$work/reference.o" ||
	{ bad "the C original does not compile with ${compile[*]}"; summary check_codegen; }

# The dynamic relocation type of each of a program's own calls.
binding() { # PROGRAM -> "printf:R_X86_64_JUMP_SLOT puts:... " (none: a static program)
	local f t
	for f in printf puts socket close; do
		t=$("${tools}readelf" -rW "$1" | awk -v f="$f" '$5 == f || $5 ~ "^" f "@" { print $3; exit }')
		printf '%s:%s ' "$f" "${t:-none}"
	done
}
for suffix in "" -now; do
	mine=$(binding "$b/own_calls$suffix") orig=$(binding "$b/own_calls-ref$suffix")
	check "own calls bound as with the original${suffix:+ (-z now)}: sockctl '$mine', original '$orig'" test "$mine" = "$orig"
done
out_mine=$($run "$b/own_calls" 2>&1) out_orig=$($run "$b/own_calls-ref" 2>&1)
check "own_calls prints the same with sockctl and with the original" test "$out_mine" = "$out_orig"
check "own_calls printed its own lines" grep -q -x "own puts" <<<"$out_mine"

undef() { "${tools}nm" -u "$1" | awk '{ print $NF }' | sort -u; }
check "sockctl's object calls strerror" grep -q -x strerror <<<"$(undef "$obj")"
check "sockctl's object prints no %m" bash -c '! "$1" -a "$2" | grep -q "%m"' _ "${tools}strings" "$obj"
ssp() { undef "$1" | grep -c -x __stack_chk_fail; }
check "stack protector as the original's (__stack_chk_fail needed: sockctl $(ssp "$obj"), original $(ssp "$work/reference.o"))" \
	test "$(ssp "$obj")" = "$(ssp "$work/reference.o")"

# The marking: what ld -r makes of a marked program object with each (the
# original compiled with the marking too).
case $target in
x86_64-* | i686-*) mark=-fcf-protection=full want='x86 feature: IBT, SHSTK' pads='endbr64|endbr32' ;;
aarch64-*) mark=-mbranch-protection=standard want='AArch64 feature: BTI, PAC' pads='bti[[:space:]]+c|paciasp' ;;
*) mark= want= pads= ;;
esac
"${compile[@]}" $mark -c "$here/packaging/own_calls.c" -I"$here/../include" -o "$work/host.o" &&
	"${compile[@]}" $mark -DREF_PREFIX= -c "$here/reference/reference.c" -o "$work/reference-marked.o" ||
	bad "own_calls.c or reference.c does not compile with ${compile[*]} $mark"
props() { "${tools}readelf" -n "$1" 2>/dev/null | sed -n 's/^ *Properties: //p' | sort -u | tr '\n' ' '; }
"${tools}ld" -r -o "$work/with_sockctl.o" "$work/host.o" "$obj" && "${tools}ld" -r -o "$work/with_original.o" "$work/host.o" "$work/reference-marked.o" ||
	bad "ld -r of a program object with sockctl's or the original's"
p_mine=$(props "$work/with_sockctl.o") p_orig=$(props "$work/with_original.o")
check "ld -r keeps the property notes of the original ($mark): sockctl '$p_mine', original '$p_orig'" test "$p_mine" = "$p_orig"
if [ -n "$want" ]; then
	check "sockctl's object is marked '$want'" grep -q "$want" <<<"$(props "$obj")"
	check "ld -r with sockctl's object keeps '$want'" grep -q "$want" <<<"$p_mine"
	for so in "$b"/lib/libsockctl.so.*.*.*; do
		[ -e "$so" ] || continue
		check "$(basename "$so") is marked '$want'" grep -q "$want" <<<"$(props "$so")"
	done
	for f in "${exports[@]}"; do
		first=$("${tools}objdump" -d --no-show-raw-insn "$obj" | awk -v f="<$f>:" '$2 == f { getline; sub(/^ *[0-9a-f]+:[[:space:]]*/, ""); print; exit }')
		check "$f starts with a landing pad ($pads): '$first'" grep -q -E "^($pads)" <<<"$first"
	done
fi
summary check_codegen
