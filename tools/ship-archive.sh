#!/bin/bash
# Makes the archive that cargo wrote into the one that is shipped:
#   tools/ship-archive.sh IN.a OUT.a RUST_TARGET [TOOL_PREFIX]
# (TOOL_PREFIX: the binutils prefix of the target, e.g. arm-linux-gnueabihf-;
# empty for the host.) The Makefile and cmake/SockctlCargo.cmake both use it.
# - Drops the debug information (that of the Rust compiler's builtins, which
#   C programs do not use: half the archive).
# - On 32-bit ARM (EHABI), drops the unwind index and tables (.ARM.exidx,
#   .ARM.extab): rustc gives the exported functions a personality routine
#   even with panic = "abort", so their unwind entries reference libgcc's
#   __aeabi_unwind_cpp_pr0, and every C program linking the archive would
#   need libgcc_s.so.1. Nothing can unwind through these functions (they
#   abort on panic and call only the C library), and gcc compiles the C
#   original without unwind tables on this target too; the linker marks
#   the functions EXIDX_CANTUNWIND. The personality routines are then named
#   by nothing and their undefined symbols are dropped too.
set -eu
in=$1 out=$2 target=$3 tools=${4:-}
[ -s "$in" ] || { echo "ship-archive: $in is missing or empty" >&2; exit 1; }
flags=(--strip-debug)
case $target in
arm*-*eabi* | thumb*-*eabi*)
	flags+=(--remove-section='.ARM.exidx*' --remove-section='.ARM.extab*')
	for pr in 0 1 2; do flags+=(--strip-symbol=__aeabi_unwind_cpp_pr$pr); done ;;
esac
mkdir -p "$(dirname "$out")"
"${tools}objcopy" "${flags[@]}" "$in" "$out.tmp"
mv "$out.tmp" "$out"
