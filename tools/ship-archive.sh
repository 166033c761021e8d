#!/bin/bash
# Makes the archive that cargo wrote into the one that is shipped:
#   tools/ship-archive.sh IN.a OUT.a RUST_TARGET [TOOL_PREFIX [CRATE]]
# (TOOL_PREFIX: the binutils prefix of the target, e.g. arm-linux-gnueabihf-;
# empty for the host. CRATE: the library name of the crate whose object is
# shipped, default sockctl; another crate's static library, such as the
# gateway team's in docs/MIGRATING.md "The next step", is shipped the same
# way.) The Makefile and cmake/SockctlCargo.cmake both use it.
#
# The shipped archive holds one object: sockctl's own, the three functions
# link-time optimised into it. Cargo's archive also holds the Rust
# compiler's builtins (compiler_builtins: about 300 objects, with global
# definitions of libm and libgcc names such as sqrt, fmod, __divti3 and, on
# 32-bit ARM, __aeabi_idiv). A C program that links cargo's archive before
# -lm or libgcc gets those instead of its C library's and compiler's own:
# different errno and signals, or link failures. They are left out here;
# whatever the sockctl object needs of the compiler's runtime then comes
# from the C toolchain's libgcc, as for the C original.
#
# Also:
# - the debug information is dropped (kept with SHIP_KEEP_DEBUG=1);
# - every global definition but the exported functions (none are expected:
#   link-time optimisation internalises them) is made local;
# - on 32-bit ARM (EHABI), the unwind index and tables (.ARM.exidx,
#   .ARM.extab) are dropped: rustc gives the exported functions a
#   personality routine even with panic = "abort", so their unwind entries
#   reference libgcc's __aeabi_unwind_cpp_pr0, and every C program linking
#   the archive would need libgcc_s.so.1. Nothing can unwind through these
#   functions (they abort on panic and call only the C library), and gcc
#   compiles the C original without unwind tables on this target too; the
#   linker marks the functions EXIDX_CANTUNWIND. The personality routines
#   are then named by nothing and their undefined symbols are dropped too;
# - on 32-bit MIPS, likewise, the DWARF unwind table (.eh_frame).
#
# Mach-O (the Apple targets, with rustup's llvm-tools as TOOL_PREFIX
# .../llvm-): llvm-objcopy cannot make a Mach-O symbol local, so nothing
# is localised there: link-time optimisation has already left the object
# with no global definition but the exported functions, which is checked,
# and an object that defines anything else globally is refused. (C names
# carry Mach-O's leading "_"; the archive is written in the BSD format of
# Apple's linkers.)
#
# It refuses (exit 1, naming the problem) an archive with no sockctl object,
# and an object that still needs a Rust runtime symbol.
set -eu
in=$1 out=$2 target=$3 tools=${4:-} crate=${5:-sockctl}
die() { echo "ship-archive: $*" >&2; exit 1; }
[ -s "$in" ] || die "$in is missing or empty"
# Each binutils command: its failure stops here, named (a missing tool
# would otherwise read as an archive with nothing in it).
tool() { # ar|nm|objcopy args...
	local t=${tools}$1
	shift
	local hint="the target's binutils: tools/setup.sh installs them"
	case $t in */rustlib/*) hint="rustup component add llvm-tools" ;; esac
	command -v "$t" >/dev/null || die "$t is not installed ($hint)"
	"$t" "$@" || die "$t $* failed (exit $?)"
}

# sockctl's object: named after the crate by rustc ("sockctl-<hash>.sockctl.
# <hash>-cgu.0.rcgu.o"); the builtins are "compiler_builtins-..." and
# "<hash>-<name>.o" (their C part).
[[ $crate =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "CRATE '$crate' is not a crate name"
macho=
case $target in *-apple-*) macho=1 ;; esac
# A symbol's C name: Mach-O's leading "_" dropped.
c_names() { if [ -n "$macho" ]; then sed 's/^_//'; else cat; fi; }
members=$(tool ar t "$in") || exit 1
# (Lists are read into arrays with while-read loops, not bash 4's mapfile:
# macOS has bash 3.2, where set -u also refuses "${a[@]}" of an empty
# array: hence ${a[@]+"${a[@]}"} where one can be empty.)
objs=()
while IFS= read -r o; do objs+=("$o"); done < <(grep "^$crate-[0-9a-f]*\.$crate\.[0-9a-f]*-cgu\.[0-9]*\.rcgu\.o\$" <<<"$members" || true)
[ ${#objs[@]} -gt 0 ] || die "$in has no $crate object (ar t lists no $crate-*.rcgu.o)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
in_abs=$(cd "$(dirname "$in")" && pwd)/${in##*/} # (no realpath: older macOS has none)
(cd "$work" && tool ar x "$in_abs" "${objs[@]}") || exit 1

flags=(--strip-debug)
# SHIP_KEEP_DEBUG=1: all the same but the debug information (make's ABI
# check reads the types from it; that archive is not shipped).
[ -z "${SHIP_KEEP_DEBUG:-}" ] || flags=()
# The global definitions of the object (exported functions) stay global;
# anything else defined globally would be made local.
defined=$(tool nm -g --defined-only --format=posix "${objs[@]/#/$work/}") || exit 1
globals=$(awk 'NF >= 2 && $2 ~ /^[TDRBSVW]$/ { print $1 }' <<<"$defined")
exports=()
while IFS= read -r e; do exports+=("$e"); done < <(c_names <<<"$globals" | grep -v '^_ZN\|^_R\|^rust_\|^__rust' || true)
[ ${#exports[@]} -gt 0 ] || die "the $crate object in $in defines no C function"
if [ -n "$macho" ]; then
	others=$(c_names <<<"$globals" | grep '^_ZN\|^_R\|^rust_\|^__rust' || true)
	[ -z "$others" ] || die "the $crate object in $in defines Rust symbols globally, which llvm-objcopy cannot make local in Mach-O: $(echo $others | cut -c1-300)"
else
	for s in "${exports[@]}"; do flags+=(--keep-global-symbol="$s"); done
fi
case $target in
arm*-*eabi* | thumb*-*eabi*)
	flags+=(--remove-section='.ARM.exidx*' --remove-section='.ARM.extab*')
	for pr in 0 1 2; do flags+=(--strip-symbol=__aeabi_unwind_cpp_pr$pr); done ;;
mips-* | mipsel-*)
	# 32-bit MIPS: the DWARF unwind table (.eh_frame, 184 bytes, and the
	# linker's .eh_frame_hdr for it) goes too. gcc compiles the C original
	# without one on this target, and nothing unwinds through these
	# functions: they abort on panic, and a thread cancelled in their
	# connect is ended by the C library without them (c_tests/contract/
	# test_cancel.c). It is what keeps the legacy client within 1 KiB of
	# the C original (make bench-sizes).
	flags+=(--remove-section=.eh_frame) ;;
esac

shipped=()
for o in "${objs[@]}"; do
	n=$crate${#shipped[@]}.o; [ ${#objs[@]} -gt 1 ] || n=$crate.o
	tool objcopy ${flags[@]+"${flags[@]}"} "$work/$o" "$work/$n" || exit 1
	shipped+=("$n")
done

# What the shipped object still needs must come from the C library and the
# C compiler's runtime, never from Rust's.
undefined=$(tool nm -u "${shipped[@]/#/$work/}") || exit 1
rust=$(awk '{ print $NF }' <<<"$undefined" | c_names |
	grep -E '^(_ZN|_R[A-Z]|rust_|__rust|_Unwind_|__aeabi_unwind_cpp_pr|__gxx_personality)' || true)
[ -z "$rust" ] || die "the $crate object in $in needs Rust runtime symbols: $(echo $rust)"

# D: no timestamps, owners or modes, so the same object gives the same bytes.
arflags=(rcsD)
[ -z "$macho" ] || arflags+=(--format=darwin)
(cd "$work" && tool ar "${arflags[@]}" shipped.a "${shipped[@]}") || exit 1
mkdir -p "$(dirname "$out")"
mv "$work/shipped.a" "$out"
