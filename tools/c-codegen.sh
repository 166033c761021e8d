#!/bin/bash
# What the C compiler makes of the legacy helpers' own lines, with the flags
# sockctl is built with, as the build must tell rustc and the sockctl crate
# so that the shipped object does what the C original compiled with the
# same compiler and flags does:
#   CC=... CPPFLAGS=... CFLAGS=... tools/c-codegen.sh RUST_TARGET [TOOL_PREFIX]
# (TOOL_PREFIX: the target's binutils prefix, for nm and readelf.) Prints
# three shell assignments, for eval:
#   c_calls='line=puts text=printf fmt=printf chk=1'
#       which C function prints each kind of message line (build.rs reads
#       it as SOCKCTL_C_CALLS): what the compiler turned the original's
#       printf calls into (puts for a constant text ending in a newline,
#       unless -fno-builtin, -ffreestanding or clang -O0; __printf_chk under
#       glibc's _FORTIFY_SOURCE=2), and the flag it passes __printf_chk;
#   c_rustflags='-Zplt=yes -Zcf-protection=full ...'
#       the codegen flags (unstable: the build passes RUSTC_BOOTSTRAP=1):
#       -Zplt=yes            x86_64: calls into the C library go through
#                            the PLT, as the C compiler's do (unless its
#                            flags say -fno-plt), so that a program's own
#                            calls of the same functions keep their lazy
#                            JUMP_SLOT binding (rustc's default there is
#                            the GOT: GLOB_DAT, bound at start-up);
#       -Zcf-protection=full x86_64, i686: IBT and SHSTK, endbr at every entry
#                            (always: marked code runs on any CPU, and an
#                            unmarked object unmarks the whole program);
#       -Zbranch-protection=bti,pac-ret,gcs
#                            aarch64: BTI, PAC and GCS (always, likewise;
#                            clang's -mbranch-protection=standard marks GCS
#                            too, gcc 12's not: the linker keeps what all
#                            objects have);
#       -Zstack-protector=   as -fstack-protector, -strong, -all ask;
#       -Zsanitizer=         as -fsanitize=address, memory, thread ask
#                            (an instrumented object for an instrumented
#                            program; on targets where rustc has it);
#   c_build_std=yes|no
#       whether core must be compiled from rust-src with those flags, so
#       that no code in the object lacks them (see the end of this script).
# Exits 1 naming the problem where the compiler does not compile, or does
# something with the lines that sockctl cannot do the same way.
# (Apple targets: the objects are Mach-O, whose C symbols have a leading
# "_", read by llvm-nm (TOOL_PREFIX .../llvm-); their flags are below.)
set -u
target=${1:?usage: c-codegen.sh RUST_TARGET [TOOL_PREFIX]} tools=${2:-}
# Mach-O prefixes each C name with "_": the names are compared without it.
c_name='s/^//'
case $target in *-apple-*) c_name='s/^_//' ;; esac
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "c-codegen: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=${CC:-cc}
# shellcheck disable=SC2206 # CC, CPPFLAGS and CFLAGS are word lists, as make passes them
compile=($cc ${CPPFLAGS:-} ${CFLAGS:-} -fno-lto)
# (-fno-lto: what the compiler makes of a line is decided before any LTO,
# and an LTO object's symbols are not all there for nm.)

# The preprocessor's view: stack protector, fortify level, sanitizers.
"${compile[@]}" -DPROBE=0 -E -P "$here/c-codegen/lines.c" -o "$work/pre.i" 2>"$work/err" ||
	die "the C compiler (${compile[*]}) cannot preprocess a file with <stdio.h>: $(head -n 3 "$work/err")"
# (A marker's value may stand on a line of its own after expansion.)
pre() { tr -s ' \t\n' '   ' <"$work/pre.i" | grep -o "sockctl_$1 [A-Za-z0-9_]*" | sed "s/^sockctl_$1 //" | sort -u; }

# The three kinds of line: which of the print functions each object calls.
calls() { # PROBE -> the object's undefined symbols, one a line (compiled once)
	if [ ! -e "$work/$1.syms" ]; then
		"${compile[@]}" -DPROBE="$1" -c "$here/c-codegen/lines.c" -o "$work/$1.o" 2>"$work/err" ||
			die "the C compiler (${compile[*]}) cannot compile the original's lines: $(head -n 3 "$work/err")"
		"${tools}nm" -u "$work/$1.o" >"$work/$1.u" 2>"$work/err" || die "${tools}nm cannot read $cc's object: $(head -n 1 "$work/err")"
		awk '{ print $NF }' "$work/$1.u" | sed "$c_name" >"$work/$1.syms"
	fi
	cat "$work/$1.syms"
}
pick() { # KIND PROBE ALLOWED... -> the one print function the line calls
	local kind=$1 probe=$2 found
	shift 2
	found=$(calls "$probe" | grep -x -E "$(IFS='|'; echo "$*")" | sort -u)
	[ "$(wc -w <<<"$found")" = 1 ] ||
		die "the C compiler turns the original's $kind into calls of '$(calls "$probe" | tr '\n' ' ')'; sockctl prints it with one of $*"
	echo "$found"
}
line=$(pick "constant line" 1 puts printf __printf_chk) || exit 1
text=$(pick "constant text" 2 printf __printf_chk) || exit 1
fmt=$(pick "formatted line" 3 printf __printf_chk) || exit 1
calls 3 | grep -q -x strerror || die "the C compiler compiled the original's strerror(errsv) without a call of strerror"
fortify=$(pre fortify | head -n 1)
chk=1
case $fortify in ([0-9]*) chk=$((fortify > 1 ? fortify - 1 : 0)) ;; esac

flags=()
case $target in
# macOS: none of the flags below has anything to mark or change in Mach-O.
# It has no GNU property note, so no IBT/SHSTK marking (x86_64 macOS has no
# CET for programs), and its calls into libSystem always go through the
# dyld stubs (no PLT/GOT choice). arm64 macOS (aarch64-apple-darwin) uses
# neither BTI nor PAC: pointer authentication is the ABI of arm64e, a
# separate architecture (Apple's own system code), which rustc's
# aarch64-apple-darwin and zig cc's aarch64-macos are not, and the C
# compiler compiles the original without either. So no flag, and core is
# rustup's.
*-apple-*) ;;
x86_64-*)
	# A -fno-plt compiler calls through the GOT; its relocation says so.
	if "${tools}readelf" -rW "$work/1.o" 2>/dev/null | grep -E "$line" | grep -q GOT; then
		flags+=(-Zplt=no)
	else
		flags+=(-Zplt=yes)
	fi
	flags+=(-Zcf-protection=full) ;;
# (i686: endbr32 is one of the P6's hint NOPs. Not i586: a Pentium-class
# CPU such as the Vortex86 or the Geode, an x86 gateway's, has no such NOP.)
i686-*) flags+=(-Zcf-protection=full) ;;
aarch64-*) flags+=(-Zbranch-protection=bti,pac-ret,gcs) ;;
esac
ssp=$(pre stack_protector | head -n 1)
[ -z "$ssp" ] || flags+=("-Zstack-protector=$ssp")
sanitizers=$(pre sanitizer | tr '\n' ' ')
for s in $sanitizers; do
	case $s/$target in
	address/x86_64-unknown-linux-gnu | address/aarch64-unknown-linux-gnu | \
		thread/x86_64-unknown-linux-gnu | thread/aarch64-unknown-linux-gnu | \
		memory/x86_64-unknown-linux-gnu | memory/aarch64-unknown-linux-gnu)
		flags+=("-Zsanitizer=$s") ;;
	*) die "CFLAGS ask for -fsanitize=$s, which rustc cannot instrument sockctl for on $target: build sockctl without it (the C program may still be instrumented, linking the uninstrumented library), or for x86_64-unknown-linux-gnu or aarch64-unknown-linux-gnu" ;;
	esac
done
[ "$(wc -w <<<"$sanitizers")" -le 1 ] || die "CFLAGS ask for several sanitizers ($sanitizers): rustc instruments for one at a time"

# Whether core must be compiled from rust-src with the flags: link-time
# optimisation merges rustup's precompiled core into the object, and with
# it core's module flags (rustc's default RtLibUseGOT on x86_64 turns every
# call of the merged module back into a GOT call) and functions that lack
# the per-function ones (BTI/PAC, stack protector, sanitizer). So: wherever
# there is any flag.
build_std=no
[ ${#flags[@]} = 0 ] || build_std=yes

echo "c_calls='line=$line text=$text fmt=$fmt chk=$chk'"
echo "c_rustflags='${flags[*]:-}'" # (:-: bash 3.2's set -u refuses an empty array)
echo "c_build_std=$build_std"
