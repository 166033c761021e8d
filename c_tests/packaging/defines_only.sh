#!/bin/bash
# Whether an archive or shared library defines exactly the given global
# symbols and nothing else a C program could pick up by accident:
#   defines_only.sh NM FILE SYMBOL...
# (for a shared library, its dynamic symbols, versions stripped, without
# the version node's own absolute symbol; for a Mach-O .dylib, its
# exported symbols). Exit 0 if so; else says on
# stderr what is defined and exits 1. Used by check_abi.sh, test_install.sh,
# test_features.sh and test_cmake_cross.sh for every archive they check.
set -u
nm=$1 f=$2
shift 2
want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
case $f in
*.so | *.so.*) got=$($nm -D --defined-only "$f" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }') ;;
*) got=$($nm -g --defined-only "$f" 2>/dev/null | awk 'NF == 3 { print $3 }') ;;
esac
got=$(sort <<<"$got" | tr '\n' ' ')
[ "$got" = "$want" ] && exit 0
echo "$f defines: ${got:0:600}(want exactly: $want)" >&2
exit 1
