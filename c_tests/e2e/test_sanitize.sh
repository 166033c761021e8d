#!/bin/bash
# The C tests and the legacy programs under ASan+UBSan and valgrind memcheck,
# the multi-threaded legacy client under TSan. Any report fails its step.
#   test_sanitize.sh BUILD_DIR
set -u
b=$1
here=$(dirname "$0")
. "$here/../lib/report.sh"
step() { # name command...
	local name=$1
	shift
	echo "-- $name"
	if "$@" >"$b/sanitize.log" 2>&1; then ok; else
		bad "$name"
		tail -40 "$b/sanitize.log" >&2
	fi
}
valgrind="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --trace-children=yes"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 TSAN_OPTIONS=halt_on_error=1:exitcode=66

step "ASan+UBSan: C contract test" "$b/asan/test_contract"
step "ASan+UBSan: hardening test (quick)" "$b/asan/test_hardening" --quick
# The instrumented programs print the same counter lines: the server's last
# exchange is [N] (counted from 1), the client's last reply [N-1] (from 0).
counters() { # dir count
	local server client
	server=$(grep -c -x -F "[$2] send data : Im server" "$1/server.out")
	client=$(grep -c -x -F "[$(($2 - 1))] Im server" "$1/client.out")
	[ "$server" = 1 ] && [ "$client" = 1 ] && [ "$(grep -c 'recv data' "$1/server.out")" = "$2" ]
}
step "ASan+UBSan: legacy server and client, 50 messages" "$here/exchange.sh" "$b/asan/server" "$b/asan/client" "$b/asan/e2e" 50 0
check "ASan+UBSan: counter lines [50] (server) and [49] (client)" counters "$b/asan/e2e" 50
step "TSan: legacy client, 200 messages" "$here/exchange.sh" "$b/server" "$b/tsan/client" "$b/tsan/e2e" 200 0
check "TSan: counter lines [200] (server) and [199] (client)" counters "$b/tsan/e2e" 200
step "valgrind: C contract test" $valgrind "$b/test_contract_static"
step "valgrind: hardening test (quick)" $valgrind "$b/test_hardening" --quick
step "valgrind: legacy server and client, 20 messages" env WRAP="$valgrind" "$here/exchange.sh" "$b/server" "$b/client" "$b/valgrind-e2e" 20 0

summary test_sanitize
