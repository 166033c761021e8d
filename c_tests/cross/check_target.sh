#!/bin/bash
# The suites of one cross target, its programs run under RUN (qemu-user,
# or nothing where the host runs them):
#   CC=... CPPFLAGS=... CFLAGS=... check_target.sh TARGET BUILD_DIR "RUN" TOOL_PREFIX
# the ABI checks, the host program's maths and arithmetic, the object
# compiled like the C original (with CC and the flags), the C contract
# test (static, and shared where the target has a shared library), a thread
# cancelled in tcpCreateClient's connect, the differential test, the hardening test (quick)
# and the legacy programs' exchange over loopback. Each suite's own result
# line is printed with the target in front, so make test adds them up.
set -u
t=$1 b=$2 run=$3 tools=$4
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/lib/report.sh"

# Each suite's lines go out prefixed with the target (report.sh's suite).
suite_tag=$t

suite check_abi "$here/packaging/check_abi.sh" "$b" "${tools}nm"
# i586 runs natively (mk/targets.tab: no qemu pinned to a Pentium), so the
# CPU is checked on the code: sockctl's object holds no instruction newer
# than the Pentium's (cmov is i686's; MMX and SSE registers, fcomi later).
case $t in
i586-*)
	newer=$("${tools}objdump" -d "$b/lib/libsockctl.a" | grep -E '[[:space:]](cmov[a-z]*|fcomip?|fucomip?)[[:space:]]|%x?mm[0-9]' || true)
	check "[$t] sockctl's object has only Pentium (i586) instructions${newer:+: $(head -n 3 <<<"$newer")}" test -z "$newer" ;;
esac
suite check_host "$here/packaging/check_host.sh" "$b" "$run"
suite check_codegen "$here/packaging/check_codegen.sh" "$b" "$t" "$tools" "$run"
suite test_contract $run "$b/test_contract_static"
if [ -e "$b/test_contract_shared" ]; then
	suite test_contract_shared $run "$b/test_contract_shared"
fi
suite test_cancel $run "$b/test_cancel"
suite test_diff $run "$b/test_diff"
suite test_hardening $run "$b/test_hardening" --quick
# The relinked legacy programs talk over loopback, both under RUN.
if WRAP="$run" "$here/e2e/exchange.sh" "$b/server" "$b/client" "$b/exchange" 3 10; then
	ok
	check "server received 3 messages" test "$(grep -c 'recv data : hello World' "$b/exchange/server.out")" = 3
else
	bad "exchange of 3 messages between $b/server and $b/client"
	cat "$b/exchange"/*.err >&2
fi
echo -n "[$t] "
summary check_target
