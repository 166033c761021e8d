#!/bin/bash
# The ABI of libsockctl.so.0 against the committed baseline (abidiff, from
# libabigail, as distributions run it); any change fails.
#   check_abidiff.sh BASELINE DEBUG_SO SHIPPED_SO
# - DEBUG_SO, the library built with debug information (make's
#   $(B)/abi/...): the exported functions, their versions, their parameter
#   and return types and the layout of the types they take;
# - SHIPPED_SO, the library as built and installed (no debug information):
#   its exported symbols and their versions;
# - that abidiff does see a change here: the baseline with tcpCreateClient's
#   `unsigned short port` made an `int`, and with a symbol's version node
#   renamed, must each be reported.
# make abi-baseline rewrites BASELINE after a deliberate change.
set -u
. "$(dirname "$0")/../lib/report.sh"
base=$1 debug_so=$2 shipped_so=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v abidiff >/dev/null || { bad "abidiff is not installed (tools/setup.sh installs abigail-tools)"; summary check_abidiff; }

same() { # what so [baseline]
	if abidiff "${3:-$base}" "$2" >"$work/report" 2>&1; then ok; else
		bad "$1: abidiff reports a change against ${3:-$base} (make abi-baseline if it is deliberate):"
		cat "$work/report" >&2
	fi
}
differs() { # what so baseline
	abidiff "$3" "$2" >"$work/report" 2>&1
	rc=$?
	# 4: an ABI change, 8: an incompatible one; 1 and 2 are abidiff's own errors.
	if [ $((rc & 12)) != 0 ] && [ $((rc & 3)) = 0 ]; then ok; else bad "$1: abidiff did not report it (exit $rc)"; cat "$work/report" >&2; fi
}

same "$debug_so (functions and types)" "$debug_so"
same "$shipped_so (symbols and versions)" "$shipped_so"

# The baseline as if tcpCreateClient's port were an int: abidiff must see it.
python3 - "$base" "$work/int-port.abi" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
ids = {name: i for name, i in re.findall(r"<type-decl name='(\w+)' size-in-bits='\d+' id='([^']+)'", text)}
decl = re.search(r"<function-decl name='tcpCreateClient'.*?</function-decl>", text, re.S).group(0)
changed = decl.replace(f"type-id='{ids['u16']}'", f"type-id='{ids['i32']}'")
assert changed != decl, "no u16 parameter in tcpCreateClient"
open(sys.argv[2], "w").write(text.replace(decl, changed))
PY
differs "a changed parameter type" "$debug_so" "$work/int-port.abi"

# The baseline with tcpCloseSocket under another version node.
sed "s/name='tcpCloseSocket' version='SOCKCTL_0'/name='tcpCloseSocket' version='SOCKCTL_9'/" "$base" >"$work/version.abi"
if cmp -s "$base" "$work/version.abi"; then bad "no tcpCloseSocket@SOCKCTL_0 in $base"; else
	differs "a symbol's version (debug build)" "$debug_so" "$work/version.abi"
	differs "a symbol's version (shipped library)" "$shipped_so" "$work/version.abi"
fi
summary check_abidiff
