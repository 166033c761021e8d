#!/bin/bash
# The host program is unchanged by linking sockctl: its maths, 128-bit and
# long double arithmetic, -ftrapv overflow and division by zero print and
# end exactly as with the C original of the helpers.
#   check_host.sh BUILD_DIR "RUN"
# BUILD_DIR/host_program is c_tests/packaging/host_program.c linked as the
# README says (`cc prog.c libsockctl.a -lm`), BUILD_DIR/host_program-ref the
# same program with the C original instead (Makefile). RUN: qemu-user for a
# cross target, or empty. Each case runs under a 20 s limit (a division by
# zero that loops for ever shows as a timeout, exit 124).
set -u
b=$1 run=$2
. "$(dirname "$0")/../lib/report.sh"

outcome() { # program args... -> stdout, then how it ended
	local out rc
	out=$(timeout 20 $run "$@" 2>/dev/null)
	rc=$?
	if [ $rc -gt 128 ] && [ $rc -ne 124 ]; then
		printf '%s\n[killed by signal %s]\n' "$out" "$(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128)))"
	else
		printf '%s\n[exit %d]\n' "$out" "$rc"
	fi
}

for args in "maths" "trapv 0" "trapv 2" "div 7" "div 0" "div64 7" "div64 0"; do
	# shellcheck disable=SC2086 # the arguments are words
	want=$(outcome "$b/host_program-ref" $args)
	# shellcheck disable=SC2086
	got=$(outcome "$b/host_program" $args)
	if [ "$got" = "$want" ]; then
		ok
		echo "  host_program $args: $(tail -n 1 <<<"$want") as with the C original"
	else
		bad "host_program $args: linked with sockctl it differs from the C original:"
		diff <(echo "$want") <(echo "$got") | sed 's/^/    /' >&2
	fi
done
summary check_host
