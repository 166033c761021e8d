#!/bin/bash
# ABI checks of the built artifacts.
#   check_abi.sh STATICLIB SHAREDLIB LINKED_PROGRAM...
# - the shared library exports exactly listenSocket, tcpCreateClient and
#   tcpCloseSocket (nm -D --defined-only);
# - the static archive defines the three as global functions (T);
# - the C programs linked against the archive contain no panic, formatting
#   or unwinding machinery (nothing of it is reachable from the three).
set -u
a=$1 so=$2
shift 2
. "$(dirname "$0")/../lib/report.sh"
want=$'listenSocket\ntcpCloseSocket\ntcpCreateClient'

got=$(nm -D --defined-only "$so" | awk '{ print $3 }' | sort)
if [ "$got" = "$want" ]; then ok; else bad "$so exports: $(echo $got)"; fi
for f in listenSocket tcpCreateClient tcpCloseSocket; do
	if nm --defined-only "$a" 2>/dev/null | grep -q -x "[0-9a-f]* T $f"; then ok; else bad "$a: $f is not a global function"; fi
done
for prog in "$@"; do
	leaks=$(nm "$prog" | grep -i -E 'panic|unwind|rust_begin|rust_eh|_ZN4core3fmt|_ZN3std' | head -5)
	if [ -z "$leaks" ]; then ok; else bad "$prog holds Rust runtime machinery: $leaks"; fi
	if nm "$prog" | grep -q -E ' T (listenSocket|tcpCreateClient|tcpCloseSocket)$'; then ok
	else bad "$prog defines none of the helpers: not linked against sockctl"; fi
done
summary check_abi
