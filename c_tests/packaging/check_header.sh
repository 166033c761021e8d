#!/bin/bash
# Checks include/sockctl.h against the legacy prototypes.
#   check_header.sh CC CXX
# 1. It declares exactly the three legacy prototypes, parameter names
#    included, and nothing else; it has an include guard and C++ guards,
#    includes <netinet/in.h> and does not define INVALID_SOCKET.
# 2. It compiles alone and beside the legacy declarations (both orders) as
#    C89, C99, C11, C++11 and C++17 with -Wall -Wextra -Wpedantic -Werror.
# (Staleness against src/capi.rs: tools/header-gen check, in make test-header.)
set -u
cc=${1:-cc} cxx=${2:-c++}
h=include/sockctl.h
. "$(dirname "$0")/../lib/report.sh"
cd "$(dirname "$0")/../.."

for proto in \
	'int listenSocket(int portNum, struct sockaddr_in *servAddr);' \
	'int tcpCreateClient(int ip, unsigned short port);' \
	'void tcpCloseSocket(int *socketFd);'; do
	if grep -q -x -F "$proto" "$h"; then ok; else bad "missing prototype: $proto"; fi
done
# Declarations are the lines that end in ");" outside comments.
n=$(grep -v '^ \*' "$h" | grep -c ');$')
if [ "$n" = 3 ]; then ok; else bad "expected 3 declarations, found $n"; fi
grep -q '^#ifndef SOCKCTL_H$' "$h" && grep -q '^#define SOCKCTL_H$' "$h" && ok || bad "include guard"
grep -q '^extern "C" {$' "$h" && grep -q '^#ifdef __cplusplus$' "$h" && ok || bad "C++ extern \"C\" guard"
grep -q '^#include <netinet/in.h>$' "$h" && ok || bad "#include <netinet/in.h>"
if grep -q -E '^#[[:space:]]*define[[:space:]]+INVALID_SOCKET' "$h"; then bad "defines INVALID_SOCKET"; else ok; fi
if grep -q '//' "$h"; then bad "C++ comments (not C89)"; else ok; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
strict="-Wall -Wextra -Wpedantic -Werror -Iinclude -Ic_tests/lib"
for variant in SOCKCTL_ONLY LEGACY_FIRST SOCKCTL_FIRST; do
	for std in c89 c99 c11; do
		if $cc -std=$std $strict -D$variant -x c -c c_tests/packaging/header_compat.c -o "$tmp/o.o" 2>"$tmp/err"; then ok
		else bad "$variant as $std"; cat "$tmp/err" >&2; fi
	done
	for std in c++11 c++17; do
		if $cxx -std=$std $strict -D$variant -x c++ -c c_tests/packaging/header_compat.c -o "$tmp/o.o" 2>"$tmp/err"; then ok
		else bad "$variant as $std"; cat "$tmp/err" >&2; fi
	done
done
# A prototype that disagrees must be caught: the check above can fail.
printf '#include "sockctl.h"\nint tcpCreateClient(int ip, int port);\n' >"$tmp/neg.c"
if $cc -std=c99 $strict -c "$tmp/neg.c" -o "$tmp/o.o" 2>/dev/null; then bad "a conflicting prototype compiled"; else ok; fi

summary check_header
