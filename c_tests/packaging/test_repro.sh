#!/bin/bash
# The artifacts do not depend on the build directory: the tracked sources,
# copied into two directories of different names and depths, built there
# by make lib, give byte-identical libsockctl.a and libsockctl.so, and
# neither names the directory it was built in. (The release tarball
# unpacked in two places: c_tests/packaging/test_dist.sh.)
#   test_repro.sh MAKE WORKDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../lib/report.sh"
make=$1
work=$(fresh_dir "$2")
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
dirs=("$work/one" "$work/second/copy/of-the-sources")
for d in "${dirs[@]}"; do
	mkdir -p "$d"
	(cd "$root" && git ls-files -z | xargs -0 tar -cf - --) | tar -xf - -C "$d"
	check "make lib in $d" bash -c "$make -C '$d' --no-print-directory lib >'$d.log' 2>&1" || tail -20 "$d.log" >&2
done
for f in lib/libsockctl.a lib/libsockctl.so.$version; do
	a=${dirs[0]}/build/$f b=${dirs[1]}/build/$f
	check "$f: the same bytes from both directories" cmp "$a" "$b"
	for d in "${dirs[@]}"; do
		check "$f names no build directory ($d)" bash -c '! grep -a -q -F "$1" "$2"' _ "$d" "$b"
	done
done
summary test_repro
