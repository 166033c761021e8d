#!/bin/bash
# docs/MIGRATING.md's steps 2 and 3, as written there, applied to a copy of
# the legacy gateway (c_tests/legacy/, all C, laid out as the real tree):
# listenSocket's forward declaration and definition leave server/Server.c,
# tcpCreateClient's and tcpCloseSocket's leave client/ClientSocketCtl.c, and
# sockctl.h is included where they are called.
#   c_tests/migration/migrate.sh SRC DST
# Exits non-zero naming the edit that does not apply. The Makefile builds
# the relinked programs (make demo, the end-to-end, soak and sanitizer runs,
# the cross targets) from its output, and so do the CMake examples;
# test_migration.sh runs it on its copy. Sourced, it only defines the edits.

# Each edit must change exactly what it names.
delete_line() { # file line: delete the line that is exactly LINE (once)
	local n
	n=$(grep -c -x -F "$2" "$1")
	[ "$n" = 1 ] || { echo "delete_line: $n lines '$2' in $1" >&2; return 1; }
	grep -v -x -F "$2" "$1" >"$1.new" && mv "$1.new" "$1"
}
delete_definition() { # file first-line: delete from FIRST-LINE to the next line "}"
	local n
	n=$(grep -c -x -F "$2" "$1")
	[ "$n" = 1 ] || { echo "delete_definition: $n lines '$2' in $1" >&2; return 1; }
	awk -v first="$2" '$0 == first { skip = 1 } !skip { print } skip && $0 == "}" { skip = 0 }' "$1" >"$1.new" &&
		mv "$1.new" "$1"
}
add_after_last_include() { # file line
	local last
	last=$(grep -n '^#include' "$1" | tail -n 1 | cut -d: -f1)
	[ -n "$last" ] || return 1
	sed -i "${last}a\\$2" "$1"
}
add_before() { # file line-prefix line: insert LINE before the first line starting with PREFIX
	grep -q -F -- "$2" "$1" || return 1
	awk -v prefix="$2" -v line="$3" '!done && index($0, prefix) == 1 { print line; done = 1 } { print }' "$1" >"$1.new" &&
		mv "$1.new" "$1"
}
delete_word() { # file word: delete WORD and the blank after it, on the one line that has it
	local n
	n=$(grep -c -F -- "$2 " "$1")
	[ "$n" = 1 ] || { echo "delete_word: $n lines with '$2 ' in $1" >&2; return 1; }
	awk -v w="$2 " '{ i = index($0, w); if (i) $0 = substr($0, 1, i - 1) substr($0, i + length(w)); print }' "$1" >"$1.new" &&
		mv "$1.new" "$1"
}

# The guide's steps 2 and 3 on the tree in DIR, in its order.
LISTEN_PROTOTYPE='static SockType_t listenSocket( int portNum, struct sockaddr_in *servAddr )'
migrate_helpers() { # dir
	local s=$1/server/Server.c c=$1/client
	delete_line "$s" "$LISTEN_PROTOTYPE;" || { echo "step 2.1: listenSocket's forward declaration" >&2; return 1; }
	delete_definition "$s" "$LISTEN_PROTOTYPE" || { echo "step 2.2: listenSocket's definition" >&2; return 1; }
	add_after_last_include "$s" '#include "sockctl.h"' || { echo "step 2.3: include sockctl.h" >&2; return 1; }
	delete_definition "$c/ClientSocketCtl.c" 'int tcpCreateClient(int ip, unsigned short port)' ||
		{ echo "step 3.1: tcpCreateClient's definition" >&2; return 1; }
	delete_definition "$c/ClientSocketCtl.c" 'void tcpCloseSocket(int *socketFd)' ||
		{ echo "step 3.1: tcpCloseSocket's definition" >&2; return 1; }
	add_before "$c/ClientSocketCtl.h" 'int tcpCreateClient(' '#include "sockctl.h"' ||
		{ echo "step 3.2: include sockctl.h in ClientSocketCtl.h" >&2; return 1; }
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -eu
	[ $# = 2 ] || { echo "usage: $0 SRC DST" >&2; exit 2; }
	rm -rf "$2.tmp"
	mkdir -p "$(dirname "$2")"
	cp -r "$1" "$2.tmp"
	rm -f "$2.tmp"/{server_app,client_app} # a build left in SRC
	migrate_helpers "$2.tmp" || { echo "migrate.sh: a step of docs/MIGRATING.md does not apply to $1" >&2; exit 1; }
	rm -rf "$2"
	mv "$2.tmp" "$2"
fi
