#!/usr/bin/env python3
"""The manual pages, the README, the header and src/msg.rs tell one contract.

    docs_agree.py ROOT

Prints one line per check, "ok WHAT" or "bad WHAT" (check_man.sh counts
them with the shell reporter):
- the messages of README's table are those of the pages' DIAGNOSTICS
  (the .Ql lines), the same strings, each page showing them as written;
- each of those messages is one message literal of src/msg.rs: the same
  text between the conversions, and each <placeholder> the conversion that
  prints it (<strerror> %s, <errno> and <fd> %d, <port> %i, the address's
  four bytes %u);
- each errno a page lists under ERRORS is named in README's Compatibility
  section, and each errno src/capi.rs sets itself is listed in a page;
- each page's SYNOPSIS is the prototype of include/sockctl.h.
"""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(sys.argv[1])
PAGES = {"listenSocket": "man/listenSocket.3", "tcpCreateClient": "man/tcpCreateClient.3",
         "tcpCloseSocket": "man/tcpCloseSocket.3"}
PLACEHOLDER_CONVERSION = {"strerror": "s", "errno": "d", "fd": "d", "port": "i", "a": "u", "b": "u", "c": "u",
                          "d": "u"}

results = []


def check(what, cond):
    results.append(("ok" if cond else "bad", what))


def unescape_mdoc(s):
    """The text a roff argument prints, for the escapes the pages use."""
    return s.replace("\\e", "\\").replace("\\ ", " ").replace("\\&", "").replace("\\(aq", "'")


def section(text, name):
    """The lines of an mdoc page's section NAME."""
    m = re.search(r"^\.Sh " + name + r"\n(.*?)(?=^\.Sh |\Z)", text, re.S | re.M)
    return m.group(1) if m else ""


def readme_messages(readme):
    """(when, bytes) of the table under 'Every message is byte-identical'."""
    out = []
    table = readme.split("Every message is byte-identical", 1)[1]
    for line in table.splitlines()[1:]:
        line = line.strip()
        if not line:
            continue
        if not line.startswith("|"):
            if out:
                break
            continue
        m = re.match(r"\|\s*(.*?)\s*\|\s*`(.*?)`", line)
        if m and m.group(1) != "when":
            out.append((m.group(1), m.group(2)))
    return out


def fragments_of_readme(msg):
    """Literal text between placeholders, and the conversions they stand for."""
    msg = msg.replace("<a.b.c.d>", "<a>.<b>.<c>.<d>")
    parts = re.split(r"<([a-z]+)>", msg)
    return parts[0::2], [PLACEHOLDER_CONVERSION.get(p, "?" + p) for p in parts[1::2]]


def fragments_of_format(fmt):
    parts = re.split(r"%[-.*0-9]*([a-z])", fmt)
    return parts[0::2], parts[1::2]


def main():
    readme = (ROOT / "README.md").read_text()
    header = (ROOT / "include/sockctl.h").read_text()
    msg_rs = (ROOT / "src/msg.rs").read_text()
    capi = (ROOT / "src/capi.rs").read_text()

    table = readme_messages(readme)
    check(f"README's message table has rows ({len(table)})", len(table) >= 8)
    in_readme = sorted(b for _, b in table)

    in_pages = []
    errnos_in_pages = set()
    for fn, rel in PAGES.items():
        text = (ROOT / rel).read_text()
        diag = [unescape_mdoc(m) for m in re.findall(r'^\.Ql "(.*)"$', section(text, "DIAGNOSTICS"), re.M)]
        in_pages += diag
        rendered = subprocess.run(["mandoc", "-Tascii", "-O", "width=300", str(ROOT / rel)], capture_output=True,
                                  text=True, check=True).stdout
        rendered = re.sub(".\b", "", rendered)
        for m in diag:
            check(f"{rel} shows {m!r} as written", m in rendered)
        errors = set(re.findall(r"^\.It Bq Er (E[A-Z0-9]+)", section(text, "ERRORS"), re.M))
        errnos_in_pages |= errors
        # SYNOPSIS against the header's prototype.
        syn = section(text, "SYNOPSIS")
        ft = re.search(r"^\.Ft (.*)$", syn, re.M)
        fn_line = re.search(r'^\.Fn (\w+) (.*)$', syn, re.M)
        if ft and fn_line:
            args = ", ".join(re.findall(r'"(.*?)"', fn_line.group(2)))
            proto = f"{ft.group(1)} {fn_line.group(1)}({args});"
            check(f"{rel} SYNOPSIS {proto!r} is the header's", proto in header)
        else:
            check(f"{rel} has .Ft and .Fn in its SYNOPSIS", False)
        check(f"{rel} SYNOPSIS includes <sockctl.h>", ".In sockctl.h" in syn)

    check(f"the pages' messages are README's: pages only {sorted(set(in_pages) - set(in_readme))}, "
          f"README only {sorted(set(in_readme) - set(in_pages))}", sorted(in_pages) == in_readme)

    # src/msg.rs: every C string literal with text in it is one message, and
    # so is each line!("...") (a constant line: its text and a newline).
    literals = [lit + "\\n" for lit in re.findall(r'line!\("((?:[^"\\]|\\.)*)"\)', msg_rs)]
    literals += [lit for lit in re.findall(r'\bc"((?:[^"\\]|\\.)*)"', msg_rs)
                 if "".join(fragments_of_format(lit)[0]).strip()]
    used = []
    for _, msg in table:
        want = fragments_of_readme(msg)
        hits = [lit for lit in literals if fragments_of_format(lit) == want]
        check(f"src/msg.rs prints README's {msg!r} (found {len(hits)})", len(hits) == 1)
        used += hits
    unused = [lit for lit in literals if lit not in used]
    check(f"every message of src/msg.rs is in README's table (not: {unused})", not unused)

    compat = readme.split("## Compatibility", 1)[1].split("\n## ", 1)[0]
    in_compat = set(re.findall(r"\bE[A-Z]{3,}\b", compat))
    for e in sorted(errnos_in_pages):
        check(f"{e} (a page's ERRORS) is named in README's Compatibility section", e in in_compat)
    for e in sorted(set(re.findall(r"libc::(E[A-Z0-9]+)", capi))):
        check(f"{e} (set by src/capi.rs) is listed under a page's ERRORS", e in errnos_in_pages)

    for verdict, what in results:
        print(verdict, what)


main()
