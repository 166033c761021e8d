# The one pass/fail reporter of the shell suites; source it, then:
#   ok                      count a passed check
#   bad "what"              count a failed check, saying what on stderr
#   check "what" CMD...     run CMD: ok if it exits 0, else bad "what" (and return 1)
#   skip "what" "why"       count a skipped check, with its reason
#   verdicts                count the lines "ok WHAT", "bad WHAT" and
#                           "skip WHAT -- WHY" that a helper (in Python, say)
#                           prints on standard input
#   suite NAME CMD...       run a suite script: its lines go out prefixed with
#                           "[$suite_tag] " (a cross target), and it counts as
#                           one check (bad if it exits non-zero: it may have
#                           died before printing its own result line)
#   fresh_dir DIR           empty DIR (made anew) and print its absolute path
#   summary NAME            print "NAME: N passed, N failed[, N skipped]"; exit 1 on a failure
# make test adds up the summary lines into its total.
pass=0 fail=0 skipped=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; return 1; fi; }
skip() { skipped=$((skipped + 1)); echo "skipped [$1]: $2"; }
verdicts() {
	local v what
	while read -r v what; do
		case $v in
		ok) ok ;;
		skip) skip "${what%% -- *}" "${what#* -- }" ;;
		*) bad "$what" ;;
		esac
	done
}
suite() {
	local name=$1 rc
	shift
	"$@" 2>&1 | sed "s/^/[$suite_tag] /"
	rc=${PIPESTATUS[0]}
	if [ "$rc" = 0 ]; then ok; else bad "[$suite_tag] $name exited $rc"; fi
}
fresh_dir() { rm -rf "$1" && mkdir -p "$1" && (cd "$1" && pwd); }
summary() {
	if [ "$skipped" -gt 0 ]; then
		echo "$1: $pass passed, $fail failed, $skipped skipped"
	else
		echo "$1: $pass passed, $fail failed"
	fi
	[ "$fail" = 0 ] || exit 1
	exit 0
}
