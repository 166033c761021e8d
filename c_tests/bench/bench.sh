#!/bin/bash
# make bench: sockctl against the C reference of the original helpers.
#   bench.sh BUILD_DIR OUT.md
# Needs build/bench. Time, system calls and instructions; the sizes are
# c_tests/bench/sizes.sh's section of OUT.md, which this script keeps
# (make bench runs sizes.sh after it to refresh that section).
set -eu
b=$1 out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rounds=${BENCH_ROUNDS:-101} batch=${BENCH_BATCH:-200} instr_n=${BENCH_INSTR_N:-200}

echo "== per-call time (median of $rounds interleaved rounds of $batch calls each)"
# The size section written by sizes.sh, kept across this rewrite.
sed -n '/^<!-- sizes.sh: begin/,/^<!-- sizes.sh: end -->$/p' "$out" 2>/dev/null >"$tmp/sizes.md" || :

"$b/bench" time "$rounds" "$batch" >/dev/null 2>"$tmp/time.txt"
cat "$tmp/time.txt"

echo "== system calls per call (strace)"
strace -qq -e signal=none -o "$tmp/strace.log" "$b/bench" syscalls >/dev/null
awk '/write\(-1, "BEGIN/ { match($0, /"BEGIN [^"]*"/); name = substr($0, RSTART + 7, RLENGTH - 8); n = 0; calls = ""; on = 1; next }
     /write\(-1, "END"/ { printf "%-32s %d  %s\n", name, n, calls; on = 0; next }
     on { n++; split($0, f, "("); calls = calls (calls ? " " : "") f[1] }' "$tmp/strace.log" | tee "$tmp/syscalls.txt"

echo "== user-space instructions per call (callgrind, $instr_n calls)"
instr() { # fn impl symbol
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$1.$2" --toggle-collect="$3" \
		"$b/bench" instr "$1" "$2" "$instr_n" >/dev/null 2>"$tmp/cg.$1.$2.err"
	awk -v n="$instr_n" '/^(summary|totals):/ { printf "%.0f\n", $2 / n; exit }' "$tmp/cg.$1.$2"
}
: >"$tmp/instr.txt"
for f in listen:listenSocket listen-fixed:listenSocket client:tcpCreateClient close:tcpCloseSocket; do
	fn=${f%%:*} sym=${f#*:}
	ic=$(instr "$fn" c "c_$sym") irs=$(instr "$fn" rs "$sym")
	label=$sym; [ "$fn" = listen ] && label="$sym(0)"; [ "$fn" = listen-fixed ] && label="$sym(port)"
	printf '%-18s %8s %8s %8.3f\n' "$label" "$ic" "$irs" "$(awk -v a="$irs" -v b="$ic" 'BEGIN { print a / b }')" | tee -a "$tmp/instr.txt"
done

echo "== a small caller's whole run, start-up included (callgrind)"
# c_tests/packaging/own_calls.c: its own socket, printf, puts and close,
# the helpers linked but not called; with sockctl and with the original.
whole() { # program -> instructions of the whole run
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.whole" "$1" >/dev/null 2>"$tmp/cg.whole.err"
	awk '/^(summary|totals):/ { print $2; exit }' "$tmp/cg.whole"
}
: >"$tmp/startup.txt"
for suffix in "" -now; do
	wc=$(whole "$b/own_calls-ref$suffix") wrs=$(whole "$b/own_calls$suffix")
	printf '%-18s %8s %8s %8.4f\n' "own_calls${suffix:+ -z now}" "$wc" "$wrs" "$(awk -v a="$wrs" -v b="$wc" 'BEGIN { print a / b }')" | tee -a "$tmp/startup.txt"
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
{
	echo "# Benchmarks: sockctl against the original C helpers"
	echo
	echo "Run: \`make bench\` ($(date -u '+%Y-%m-%d %H:%M UTC')), on $(nproc) cores of $cpu,"
	echo "Linux $(uname -r), $(rustc --version), $(${CC:-cc} --version | head -1)."
	echo "The original is \`c_tests/reference/reference.c\` (the legacy helpers, written from their"
	echo "description), linked with sockctl into one binary, \`build/bench\` (\`c_tests/bench/bench.c\`). Sizes, per target: the last section."
	echo
	echo "## Time per call"
	echo
	echo "Median over $rounds rounds; each round times a batch of $batch calls of each helper with each"
	echo "implementation, alternating which goes first. Loopback; stdout on /dev/null; the listener"
	echo "for tcpCreateClient accepts outside the timed part. Goal: ratio <= 1.00."
	echo
	echo '```'
	cat "$tmp/time.txt"
	echo '```'
	echo
	echo "## System calls per successful call"
	echo
	echo "One call each under strace, stdio already set up. Goal: 5/4/1 against the original's 5/5/1"
	echo "(listenSocket on port 0 makes one more, getsockname, to report the port; see README row 2)."
	echo
	echo '```'
	cat "$tmp/syscalls.txt"
	echo '```'
	echo
	echo "## User-space instructions per call"
	echo
	echo "\`valgrind --tool=callgrind --toggle-collect=FUNCTION\`, inclusive (the C library's wrappers"
	echo "and printf included, the kernel not), averaged over $instr_n calls. Repeatable to a few"
	echo "instructions (the ports and descriptor numbers printed vary in length). Goal: sockctl <= C."
	echo
	echo '```'
	printf '%-18s %8s %8s %8s\n' function C sockctl ratio
	cat "$tmp/instr.txt"
	echo '```'
	echo
	echo "## A small caller's whole run"
	echo
	echo "\`valgrind --tool=callgrind\` of \`build/own_calls\` (\`c_tests/packaging/own_calls.c\`: its own"
	echo "socket, printf, puts and close; the helpers linked, not called) against the same program"
	echo "linked with the original: the dynamic loader's start-up binds the program's own calls as"
	echo "the object's relocations make it. Goal: within 1%."
	echo
	echo '\`\`\`'
	printf '%-18s %8s %8s %8s\n' program C sockctl ratio
	cat "$tmp/startup.txt"
	echo '\`\`\`'
	echo
	echo "## Goals"
	echo
	awk '{ r = $NF; printf "- time, %s: ratio %s, %s\n", $1, r, (r <= 1.0 ? "met" : sprintf("missed by %.1f%%", (r - 1) * 100)) }' \
		<(tail -n +2 "$tmp/time.txt")
	awk '{ printf "- instructions, %s: %s against %s, %s\n", $1, $3, $2, ($3 <= $2 ? "met" : sprintf("missed by %d", $3 - $2)) }' "$tmp/instr.txt"
	awk '{ n[$1, $2] = $3 }
	     END { ok = n["listenSocket(port)", "rs"] <= 5 && n["tcpCreateClient", "rs"] <= 4 && n["tcpCloseSocket", "rs"] <= 1
	           printf "- system calls (sockctl / original): listenSocket(port) %d / %d, listenSocket(0) %d / %d, tcpCreateClient %d / %d, tcpCloseSocket %d / %d; goal 5/4/1 %s\n",
	             n["listenSocket(port)", "rs"], n["listenSocket(port)", "c"], n["listenSocket(0)", "rs"], n["listenSocket(0)", "c"],
	             n["tcpCreateClient", "rs"], n["tcpCreateClient", "c"], n["tcpCloseSocket", "rs"], n["tcpCloseSocket", "c"],
	             ok ? "met (port 0: one more, getsockname, README row 2)" : "MISSED" }' "$tmp/syscalls.txt"
	echo
	echo "## Why, where a goal is missed"
	echo
	echo "- **Time** is kernel time almost entirely (a few microseconds per call against a few"
	echo "  nanoseconds of user code), and its ratios move by several percent from run to run on this"
	echo "  shared $(nproc)-core machine; a ratio within about 5% of 1.00 is within that spread. Instructions,"
	echo "  above, are the repeatable measure of the user-space difference."
	echo "- **listenSocket(0)**: one more system call by design, \`getsockname\`,"
	echo "  so that \`*servAddr\` holds the port actually bound (README row 2). A caller that passes a fixed"
	echo "  port does not pay it. Closing it would mean dropping the fix."
	awk '$1 == "listenSocket(port)" { printf "- **listenSocket(port), instructions (%+d of %d)**: the argument checks that make NULL and out-of-range\n", $3 - $2, $2 }' "$tmp/instr.txt"
	echo "  ports fail with EINVAL (README row 1), building the \`sockaddr_in\` once for \`bind\` and once"
	echo "  for \`*servAddr\`, and passing the result through the core's \`no_std\` step layer"
	echo "  (\`sockctl_core::raw\`). The system calls dominate: microseconds of kernel time against a few ns"
	echo "  of user code."
	awk '$1 == "tcpCloseSocket" { printf "- **tcpCloseSocket, instructions (%+d of %d)**: the NULL and negative-descriptor checks (README row 9).\n", $3 - $2, $2 }' "$tmp/instr.txt"
	awk '$1 == "tcpCreateClient" { printf "- **tcpCreateClient** (%d instructions against %d): one system call less (no\n", $3, $2 }' "$tmp/instr.txt"
	echo "  \`getsockopt(SO_RCVBUF)\`), and the success line is one \`printf\` with the four octets as \`%u\`"
	echo "  instead of \`inet_ntoa\` (its own formatting into a static buffer) and then \`printf\` with \`%s\`."
	if [ -s "$tmp/sizes.md" ]; then
		echo
		cat "$tmp/sizes.md"
	fi
} >"$out"
echo "bench: wrote $out"
