#!/bin/bash
# A library built with a sanitizer in CFLAGS (instrumented by rustc, see
# tools/c-codegen.sh) in programs built with the same one: the program
# that reads all that sockctl writes for it, and the legacy programs'
# exchange. Any sanitizer report fails (it ends the program non-zero).
#   test_sanitized_lib.sh BUILD_DIR
set -u
b=$1
here=$(dirname "$0")
. "$here/../lib/report.sh"
name=$(basename "$b")
export ASAN_OPTIONS=detect_leaks=1 TSAN_OPTIONS=halt_on_error=1:exitcode=66 MSAN_OPTIONS=halt_on_error=1
check "$name: the library's object is instrumented" bash -c "nm -u '$b/lib/libsockctl.a' | grep -q -E '__(asan|tsan|msan)_'"
check "$name: sanitized_user reads all that sockctl writes" "$b/sanitized_user"
if "$here/exchange.sh" "$b/server" "$b/client" "$b/e2e" 20 0 >"$b/e2e.log" 2>&1; then
	ok
	check "$name: the server received 20 messages" test "$(grep -c 'recv data : hello World' "$b/e2e/server.out")" = 20
else
	bad "$name: legacy server and client, 20 messages"
	tail -30 "$b/e2e.log" "$b"/e2e/*.err >&2
fi
summary "sanitized $name"
