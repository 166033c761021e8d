#!/bin/bash
# The manual pages (man/):
# - mandoc -Tlint shows no warning (-W warning: the style notes it would add
#   here are only "referenced manual not found" for the system's own pages,
#   which a machine without manpages-dev lacks);
# - man -l renders each with groff's warnings on, and they say nothing;
# - docs_agree.py: the pages, README.md, src/msg.rs and the header agree on
#   the messages, the errno values and the prototypes;
# - docs_facts.py: the targets, the installed files and the link flags the
#   docs repeat are the build's (make docs rewrites the generated blocks).
#   check_man.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../lib/report.sh"

for p in "$root"/man/*.[37]; do
	name=$(basename "$p")
	if ! command -v mandoc >/dev/null; then
		bad "mandoc is not installed (tools/setup.sh installs it)"
	else
		out=$(mandoc -Tlint -W warning "$p" 2>&1)
		check "mandoc -Tlint $name: $out" test -z "$out"
	fi
	err=$(MANPAGER=cat MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null)
	check "man --warnings -l $name: $err" test -z "$err"
done

verdicts < <(python3 "$here/docs_agree.py" "$root" || echo "bad docs_agree.py failed")
verdicts < <(python3 "$here/docs_facts.py" "$root" || echo "bad docs_facts.py failed")
summary check_man
