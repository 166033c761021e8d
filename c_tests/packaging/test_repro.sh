#!/bin/bash
# The artifacts do not depend on the build directory: the tracked sources,
# copied into a directory of another name and depth and built there by
# make lib, give the same libsockctl.a and libsockctl.so, byte for byte, as
# make lib in the repository (a no-op after the other suites), and neither
# names the directory it was built in. (The release tarball
# unpacked in two places: c_tests/packaging/test_dist.sh.)
#   test_repro.sh MAKE WORKDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../lib/report.sh"
make=$1
work=$(fresh_dir "$2")
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
dirs=("$root" "$work/second/copy/of-the-sources")
for i in 0 1; do
	d=${dirs[$i]}
	if [ "$d" != "$root" ]; then
		mkdir -p "$d"
		(cd "$root" && git ls-files -z | xargs -0 tar -cf - --) | tar -xf - -C "$d"
	fi
	check "make lib in $d" bash -c "$make -C '$d' --no-print-directory lib >'$work/make-$i.log' 2>&1" ||
		tail -20 "$work/make-$i.log" >&2
done
for f in lib/libsockctl.a lib/libsockctl.so.$version; do
	a=${dirs[0]}/build/$f b=${dirs[1]}/build/$f
	check "$f: the same bytes from both directories" cmp "$a" "$b"
	for d in "${dirs[@]}"; do
		for built in "$a" "$b"; do
			check "$built names no build directory ($d)" bash -c '! grep -a -q -F "$1" "$2"' _ "$d" "$built"
		done
	done
done
summary test_repro
