#!/bin/bash
# Per-function builds and the symbol prefix.
#   test_features.sh CC WORKDIR "NATIVE_LIBS"
# - sockctl with only "server" defines listenSocket alone, and a program that
#   keeps its own tcpCloseSocket links and uses its own; against the full
#   library the same program fails to link (duplicate symbol), which is why
#   the features exist;
# - sockctl with only "client" defines tcpCreateClient and tcpCloseSocket alone;
# - SOCKCTL_SYMBOL_PREFIX=rs_ (make prefixed) defines rs_listenSocket, ... and
#   no legacy name, so the C original and sockctl link into one binary.
set -u
cc=$1 work=$2 native=$3
. "$(dirname "$0")/../lib/report.sh"
cd "$(dirname "$0")/../.."
mkdir -p "$work"
defined() { nm --defined-only "$1" 2>/dev/null | awk '$2 == "T" && $3 ~ /^(rs_)?(listenSocket|tcpCreateClient|tcpCloseSocket)$/ { print $3 }' | sort | tr '\n' ' '; }

server_only=build/variants/server-only/libsockctl.a
client_only=build/variants/client-only/libsockctl.a
prefixed=build/prefixed/lib/libsockctl.a

check "server-only defines listenSocket alone" test "$(defined $server_only)" = "listenSocket "
check "client-only defines the client pair alone" test "$(defined $client_only)" = "tcpCloseSocket tcpCreateClient "
check "prefixed defines rs_ names only" test "$(defined $prefixed)" = "rs_listenSocket rs_tcpCloseSocket rs_tcpCreateClient "

check "own tcpCloseSocket + server-only sockctl: links" \
	$cc -Iinclude -o "$work/own_close" c_tests/packaging/own_close.c $server_only -Wl,--gc-sections $native
check "own tcpCloseSocket + server-only sockctl: runs" "$work/own_close"
if $cc -Iinclude -o "$work/own_close_full" c_tests/packaging/own_close.c target/release/libsockctl.a $native 2>"$work/dup.log"; then
	bad "own tcpCloseSocket + the full library linked: the duplicate went unnoticed"
else
	check "own tcpCloseSocket + the full library: duplicate symbol" grep -q "multiple definition of .tcpCloseSocket" "$work/dup.log"
fi

check "original + rs_-prefixed sockctl: links" \
	$cc -Ibuild/prefixed/include -o "$work/test_prefix" c_tests/packaging/test_prefix.c c_tests/reference/reference.c \
	$prefixed -Wl,--gc-sections $native
check "original + rs_-prefixed sockctl: runs" bash -c "'$work/test_prefix' >/dev/null"
check "the prefixed header declares rs_listenSocket" \
	grep -q -x -F 'int rs_listenSocket(int portNum, struct sockaddr_in *servAddr);' build/prefixed/include/sockctl.h

summary test_features
