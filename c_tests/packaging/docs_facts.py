#!/usr/bin/env python3
"""The facts the docs repeat are the build's: one place each, checked here.

    docs_facts.py ROOT           check (one line per check, "ok WHAT" / "bad WHAT")
    docs_facts.py ROOT --write   rewrite the generated blocks (make docs)

- The targets: the table in docs/CROSS.md between its "targets" markers is
  generated from mk/targets.tab (through make print-targets and
  print-toolchain); every Rust target named in README.md, docs/CROSS.md and
  docs/MIGRATING.md is one of make print-targets (or the host, or one of
  NOT_TARGETS, which the docs name as not supported and the table must not
  have); a count of "N cross targets" is the table's.
- The installed files: the list in docs/MIGRATING.md between its "installed"
  markers is make print-installed (c_tests/packaging/test_install.sh checks
  that this is what make install puts).
- The link flags: each command or make rule of those docs that links the
  library adds to a server the flags the Makefile's link rule gives
  build/server, to a client those of build/client (make -n), no more, no
  fewer (-lpthread counted as -pthread; -static is the musl targets' mode).
"""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve()
WRITE = "--write" in sys.argv[2:]
DOCS = ["README.md", "docs/CROSS.md", "docs/MIGRATING.md"]
HOST = "x86_64-unknown-linux-gnu"
# Named in the docs as what is not offered, and why (docs/CROSS.md).
NOT_TARGETS = {"i686-unknown-linux-gnu", "arm-unknown-linux-gnueabi", "sparc64-unknown-linux-gnu"}
# Not Rust targets: a C compiler's -dumpmachine (zig's), as docs/CROSS.md quotes it.
OTHER_TRIPLES = {"mips-unknown-linux-musleabi"}
NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                      "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}

results = []


def check(what, cond):
    results.append(("ok" if cond else "bad", what))


def make(*args):
    return subprocess.run(["make", "-s", "--no-print-directory", "-C", str(ROOT), *args], capture_output=True,
                          text=True, check=True).stdout


def toolchain(t):
    out = make("print-toolchain", f"TARGET={t}")
    return dict(re.findall(r"(\w+)='([^']*)'", out))


# The libc column's words, as the table says them.
LIBC_NAMES = {"libsystem": "libSystem (macOS)", "fbsd": "FreeBSD libc"}


def targets_block(targets):
    rows = ["| Rust target (`TARGET=`) | C library | Rust `core` from | C compiler (default `CC`) | binutils | programs run with |",
            "| --- | --- | --- | --- | --- | --- |"]
    for t in targets:
        tc = toolchain(t)
        libc = LIBC_NAMES.get(tc["LIBC"], tc["LIBC"]) + (", static" if tc["STATIC"] else "")
        core = "**rust-src**" if tc["STD"] == "rust-src" else "rustup"
        cc = tc["CC_TARGET"].replace(str(ROOT) + "/", "")
        tools = f"`{tc['TOOLS']}`" if tc["TOOLS"] else "the host's"
        if tc["TOOLS"].endswith("/bin/llvm-"):
            tools = "rustup's `llvm-tools` (`llvm-nm`, ...)"
        run = f"`{tc['RUN'].replace(str(ROOT) + '/', '')}`" if tc["RUN"] else "natively"
        if tc.get("NO_RUN"):
            run = "**none here** (files checked only)"
        rows.append(f"| `{t}` | {libc} | {core} | `{cc}` | {tools} | {run} |")
    return "\n".join(rows)


def installed_block():
    names = {"/P/lib/": "$LIBDIR/", "/P/include/": "$INCLUDEDIR/", "/P/share/man/": "$MANDIR/",
             "/P/share/doc/sockctl/": "$DOCDIR/"}
    lines = []
    for path in make("print-installed", "PREFIX=/P", "DESTDIR=").split():
        for k, v in names.items():
            if path.startswith(k):
                path = v + path[len(k):]
                break
        lines.append(f"- `{path}`")
    return "\n".join(lines)


def block(text, name):
    """The lines between <!-- NAME: begin ... --> and <!-- NAME: end -->, or None."""
    m = re.search(r"<!-- " + name + r": begin[^>]*-->\n(.*?)<!-- " + name + r": end -->", text, re.S)
    return m.group(1).rstrip("\n") if m else None


def replace_block(text, name, body):
    return re.sub(r"(<!-- " + name + r": begin[^>]*-->\n).*?(<!-- " + name + r": end -->)",
                  lambda m: m.group(1) + body + "\n" + m.group(2), text, flags=re.S)


def link_flags(line):
    """The flags a link command adds beyond compiling: -pthread, -l<lib> (not -lsockctl)."""
    flags = set()
    for w in line.replace("\\", " ").split():
        if w in ("-pthread", "-lpthread"):
            flags.add("-pthread")
        elif re.fullmatch(r"-l[\w+.-]+", w) and w != "-lsockctl":
            flags.add(w)
    return flags


def doc_links(text):
    """(program kind, flags, line) of each command or make rule in code blocks that links sockctl."""
    out = []
    for code in re.findall(r"^[ \t]*```(?:sh|make|console)?\n(.*?)^[ \t]*```", text, re.S | re.M):
        code = re.sub(r"\\\n\s*", " ", code)  # continued lines
        for line in code.splitlines():
            if not re.search(r"(^|\s)(\$\(CC\)|\S*gcc|\S*-cc|cc|clang)\s", line):
                continue
            if not re.search(r"libsockctl\.a|-lsockctl|SOCKCTL_LIBS|pkg-config --(static --)?libs", line):
                continue
            kind = ("server" if re.search(r"Server\.c|server_app|-o server\b", line) else
                    "client" if re.search(r"CLIENT_SRC|client_app|-o client\b|client/\*\.c", line) else None)
            if kind:
                out.append((kind, link_flags(line), line.strip()))
    return out


def main():
    targets = make("print-targets").split()
    check(f"make print-targets lists targets ({len(targets)})", len(targets) > 0)
    check(f"no target of the table is one the docs call unsupported ({sorted(NOT_TARGETS & set(targets))})",
          not NOT_TARGETS & set(targets))
    texts = {d: (ROOT / d).read_text() for d in DOCS}

    generated = {("docs/CROSS.md", "targets"): targets_block(targets),
                 ("docs/MIGRATING.md", "installed"): installed_block()}
    if WRITE:
        for (doc, name), body in generated.items():
            texts[doc] = replace_block(texts[doc], name, body)
            (ROOT / doc).write_text(texts[doc])
    for (doc, name), body in generated.items():
        have = block(texts[doc], name)
        check(f"{doc} has its generated {name} block", have is not None)
        if have is not None:
            check(f"{doc}'s {name} block is current (make docs rewrites it)", have == body)

    known = set(targets) | {HOST} | NOT_TARGETS | OTHER_TRIPLES
    for doc, text in texts.items():
        named = set(re.findall(r"(?<![\w/-])[a-z0-9][a-z0-9_]*-unknown-linux-[a-z0-9_]+\b", text))
        check(f"{doc} names only targets of make print-targets (not: {sorted(named - known)})", named <= known)
        for n, _ in re.findall(r"\b(\w+) (cross )?targets\b", text):
            if n.lower() in NUMBERS or n.isdigit():
                v = int(n) if n.isdigit() else NUMBERS[n.lower()]
                if _:
                    check(f"{doc}: '{n} cross targets' is the table's count ({len(targets)})", v == len(targets))

    # The link flags of the Makefile's rule for the legacy programs (make -n).
    dry = make("-n", "-B", "-W", "c_tests/migration/migrate.sh", "build/server", "build/client")
    want = {}
    for line in dry.splitlines():
        m = re.search(r"-o build/(server|client) ", line)
        if m:
            want[m.group(1)] = link_flags(line)
    check(f"make -n shows the links of build/server and build/client ({sorted(want)})", set(want) == {"server", "client"})
    for doc, text in texts.items():
        for kind, flags, line in doc_links(text):
            w = want.get(kind, set())
            check(f"{doc}: the {kind} links with {sorted(w) or 'no other flag'}, as make test's: {line!r}"
                  + (f" adds {sorted(flags - w)}" if flags - w else "") + (f" lacks {sorted(w - flags)}" if w - flags else ""),
                  flags == w)

    for verdict, what in results:
        print(verdict, what)


main()
