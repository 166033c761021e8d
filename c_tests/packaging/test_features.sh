#!/bin/bash
# Per-function builds and the symbol prefix.
#   test_features.sh CC WORKDIR
# - sockctl with only "server" defines listenSocket alone, and a program that
#   keeps its own tcpCloseSocket links and uses its own; against the full
#   library the same program fails to link (duplicate symbol), which is why
#   the features exist;
# - sockctl with only "client" defines tcpCreateClient and tcpCloseSocket alone;
# - SOCKCTL_SYMBOL_PREFIX=rs_ (make prefixed) defines rs_listenSocket, ... and
#   no legacy name, so the C original and sockctl link into one binary.
set -u
cc=$1 work=$2
. "$(dirname "$0")/../lib/report.sh"
cd "$(dirname "$0")/../.."
mkdir -p "$work"

server_only=build/variants/server-only/libsockctl.a
client_only=build/variants/client-only/libsockctl.a
prefixed=build/prefixed/lib/libsockctl.a

# Exactly these global symbols, nothing else (no compiler builtins).
only=c_tests/packaging/defines_only.sh
check "server-only defines listenSocket alone" $only nm $server_only listenSocket
check "client-only defines the client pair alone" $only nm $client_only tcpCreateClient tcpCloseSocket
check "prefixed defines rs_ names only" $only nm $prefixed rs_listenSocket rs_tcpCreateClient rs_tcpCloseSocket

check "own tcpCloseSocket + server-only sockctl: links" \
	$cc -Iinclude -o "$work/own_close" c_tests/packaging/own_close.c $server_only
check "own tcpCloseSocket + server-only sockctl: runs" "$work/own_close"
if $cc -Iinclude -o "$work/own_close_full" c_tests/packaging/own_close.c build/lib/libsockctl.a  2>"$work/dup.log"; then
	bad "own tcpCloseSocket + the full library linked: the duplicate went unnoticed"
else
	check "own tcpCloseSocket + the full library: duplicate symbol" grep -q "multiple definition of .tcpCloseSocket" "$work/dup.log"
fi

check "original + rs_-prefixed sockctl: links" \
	$cc -Ibuild/prefixed/include -o "$work/test_prefix" c_tests/packaging/test_prefix.c c_tests/reference/reference.c \
	$prefixed
check "original + rs_-prefixed sockctl: runs" bash -c "'$work/test_prefix' >/dev/null"
check "the prefixed header declares rs_listenSocket" \
	grep -q -x -F 'int rs_listenSocket(int portNum, struct sockaddr_in *servAddr);' build/prefixed/include/sockctl.h
check "the prefixed header is the plain one but for the names and guard" \
	diff <(sed -E 's/rs_(listenSocket|tcpCreateClient|tcpCloseSocket)/\1/; s/SOCKCTL_RS_H/SOCKCTL_H/' build/prefixed/include/sockctl.h) include/sockctl.h
prefixed_so=build/prefixed/lib/libsockctl.so.0.1.0
check "the prefixed shared library exports rs_ names only, versioned" test \
	"$(nm -D --defined-only $prefixed_so | awk '$2 == "T" { print $3 }' | sort | tr '\n' ' ')" = \
	"rs_listenSocket@@SOCKCTL_0 rs_tcpCloseSocket@@SOCKCTL_0 rs_tcpCreateClient@@SOCKCTL_0 "
# Each function is defined once: the prefixed archive holds one copy of each body.
check "one definition per function in the prefixed archive" \
	test "$(nm --defined-only $prefixed 2>/dev/null | grep -c -E ' T (rs_)?(listenSocket|tcpCreateClient|tcpCloseSocket)$')" = 3

summary test_features
