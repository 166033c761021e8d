#!/usr/bin/env python3
"""Syscall-trace parity: the C reference of the original helpers and sockctl
make the same system calls, but for the differences README.md documents.

Runs every scenario of test_diff (`test_diff --run SCENARIO c|rs`) under
strace, keeps the calls between the scenario's markers, normalises what
changes from run to run (descriptor numbers, ports, pointers, repeated calls
of an interrupted wait) and compares the two sequences. Each differing call
must match a rule in ALLOWED, tied to a row of the compatibility table; any
other difference fails.

    test_trace.py TEST_DIFF [--break]   (--break: pretend sockctl makes one
                                         undocumented extra call)
"""
import difflib
import os
import re
import subprocess
import sys
import tempfile

# (scenario regex, side that has the extra call: "c", "rs" or "any",
#  call regex, README compatibility row)
ALLOWED = [
    # 1: bad input fails before any system call; the original went ahead.
    (r"listen_(null|65536|int_min)$", "c", r".*", 1),
    # 2: port 0 asks the kernel which port it bound.
    (r"listen_", "rs", r"^getsockname\(fdA, ", 2),
    # 3: the socket is closed on every failure path of tcpCreateClient.
    (r"client_(refused|port0|nodelay_fault|unreachable|signal_storm)$", "rs", r"^close\(fdA\) = 0$", 3),
    # 4: the original crashed on the fcntl failure path; sockctl closes.
    (r"client_fcntl_fault$", "rs", r"^close\(fdA\) = 0$", 4),
    # 6: no getsockopt(SO_RCVBUF).
    (r"client_", "c", r"^getsockopt\(fdA, SOL_SOCKET, SO_RCVBUF, ", 6),
    (r"client_getsockopt_fault$", "rs", r".*", 6),
    # 9: tcpCloseSocket does not close a negative descriptor.
    (r"close_negative$", "c", r"^close\(-5\) = -1 EBADF", 9),
    # 10: SO_REUSEADDR is passed as an int, not a long.
    (r"listen_", "c", r"^setsockopt\(fdA, SOL_SOCKET, SO_REUSEADDR, \[1\], 8\) = ", 10),
    (r"listen_", "rs", r"^setsockopt\(fdA, SOL_SOCKET, SO_REUSEADDR, \[1\], 4\) = ", 10),
]


def normalise(lines):
    """Names descriptors by order of appearance, hides ports and pointers,
    drops signal returns and folds runs of one call (a call interrupted and
    restarted N times)."""
    fds = {}
    out = []

    def fd_name(num):
        if num not in fds:
            fds[num] = "fd" + "ABCDEFGHIJ"[min(len(fds), 9)]
        return fds[num]

    for line in lines:
        line = re.sub(r"\s+= ", " = ", line.strip())
        # A signal's return: where a timer's signal lands is timing, not a
        # call either implementation makes.
        if line.startswith("rt_sigreturn("):
            continue
        m = re.match(r"^socket\(.*\) = (\d+)$", line)
        if m:
            line = line[: m.start(1)] + fd_name(m.group(1))
        line = re.sub(r"^(\w+)\((\d+), ", lambda m: f"{m.group(1)}({fd_name(m.group(2)) if m.group(1) not in ('write', 'newfstatat', 'ioctl') else m.group(2)}, ", line)
        line = re.sub(r"^close\((\d+)\)", lambda m: f"close({fd_name(m.group(1))})", line)
        line = re.sub(r"\{fd=(\d+),", lambda m: "{fd=" + fd_name(m.group(1)) + ",", line)
        line = re.sub(r"htons\(\d+\)", "htons(P)", line)
        line = re.sub(r"0x[0-9a-f]+", "PTR", line)
        line = re.sub(r"\[\d+\], \[4\]\) = 0$", "[N], [4]) = 0", line) if "SO_RCVBUF" in line else line
        if out and out[-1] == line:
            continue
        out.append(line)
    return out


def trace(test_diff, scenario, impl, tmp, extra_rs=False):
    log = os.path.join(tmp, f"{scenario}.{impl}.strace")
    with open(os.path.join(tmp, f"{scenario}.{impl}.out"), "wb") as out:
        subprocess.run(["strace", "-qq", "-e", "signal=none", "-o", log, test_diff, "--run", scenario, impl],
                       stdout=out, stderr=subprocess.DEVNULL, timeout=60, check=False)
    with open(log) as f:
        lines = f.read().splitlines()
    begin = next((i for i, l in enumerate(lines) if '"SOCKCTL_BEGIN"' in l), None)
    if begin is None:
        return None
    end = next((i for i, l in enumerate(lines) if '"SOCKCTL_END"' in l), len(lines))
    body = [l for l in lines[begin + 1:end] if not l.startswith("+++") and not l.startswith("---")]
    if extra_rs and impl == "rs":
        body.append("getpid() = 1")
    return normalise(body)


def allowed(scenario, side, call):
    for sc, who, pattern, row in ALLOWED:
        if re.search(sc, scenario) and who in (side, "any") and re.search(pattern, call):
            return row
    return None


def main():
    test_diff = sys.argv[1]
    broken = "--break" in sys.argv[2:]
    scenarios = subprocess.run([test_diff, "--list"], capture_output=True, text=True, check=True).stdout.split()
    passed = failed = skipped = 0
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        for sc in scenarios:
            c = trace(test_diff, sc, "c", tmp)
            rs = trace(test_diff, sc, "rs", tmp, extra_rs=broken)
            if c is None or rs is None:
                skipped += 1
                table.append((sc, "skipped (no trace)", "", ""))
                continue
            rows, bad = set(), []
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=c, b=rs, autojunk=False).get_opcodes():
                if op == "equal":
                    continue
                for side, calls in (("c", c[i1:i2]), ("rs", rs[j1:j2])):
                    for call in calls:
                        row = allowed(sc, side, call)
                        if row is None:
                            bad.append(f"{side} only: {call}")
                        else:
                            rows.add(row)
            if bad:
                failed += 1
                verdict = "UNEXPECTED"
                print(f"UNEXPECTED {sc}:", *bad, sep="\n    ", file=sys.stderr)
                print("  c :", *c, sep="\n    ", file=sys.stderr)
                print("  rs:", *rs, sep="\n    ", file=sys.stderr)
            else:
                passed += 1
                verdict = "same" if not rows else "documented " + ", ".join(f"#{r}" for r in sorted(rows))
            table.append((sc, verdict, str(len(c)), str(len(rs))))
    print(f"{'scenario':26} {'c calls':>7} {'rs calls':>8}  verdict")
    for sc, verdict, nc, nrs in table:
        print(f"{sc:26} {nc:>7} {nrs:>8}  {verdict}")
    print(f"test_trace: {passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
