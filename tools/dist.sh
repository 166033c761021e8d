#!/bin/bash
# make dist: the release tarball of the committed HEAD, which builds and
# installs with no network.
#   tools/dist.sh VERSION OUT.tar.gz STAGE_DIR MANIFEST...
# - the sources: the files of HEAD (git archive; an untracked or uncommitted
#   file is never in it), the generated header among them;
# - vendor/: the crates that the lock files of the given MANIFESTs name
#   (cargo vendor --locked: the one step that needs the network, or a cargo
#   cache that has them), each with its licence files;
# - .cargo/config.toml: crates.io replaced by vendor/.
# Reproducible: the same commit gives the same bytes (every mtime the
# commit's date, names sorted, owner and group 0, normalised modes, gzip
# without name or time).
set -euo pipefail
export LC_ALL=C
version=$1 out=$2 stage=$3
shift 3
cargo=${CARGO:-cargo}
name=sockctl-$version

git show HEAD:CHANGELOG.md 2>/dev/null | grep -q "^## \[$version\]" || {
	echo "make dist: CHANGELOG.md (as committed) has no section '## [$version]': no tarball of $name" >&2
	exit 1
}
git diff --quiet HEAD -- || echo "make dist: note: the tarball is HEAD's; uncommitted changes are not in it" >&2

rm -rf "$stage"
mkdir -p "$stage/$name"
stage=$(cd "$stage" && pwd)
git archive --format=tar HEAD | tar -x -C "$stage/$name"

sync=()
for m in "${@:2}"; do sync+=(--sync "$stage/$name/$m"); done
"$cargo" vendor --quiet --locked --manifest-path "$stage/$name/$1" "${sync[@]}" "$stage/$name/vendor" >/dev/null
mkdir -p "$stage/$name/.cargo"
cat >"$stage/$name/.cargo/config.toml" <<'TOML'
# Written by make dist: the crates come from vendor/, never from the network.
[source.crates-io]
replace-with = "vendored-sources"

[source.vendored-sources]
directory = "vendor"
TOML

epoch=$(git log -1 --format=%ct HEAD)
mkdir -p "$(dirname "$out")"
tar --create --format=gnu --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
	--mode='u+rwX,go=rX' -C "$stage" "$name" | gzip -n -9 >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out: $(stat -c %s "$out") bytes, $(tar -tzf "$out" | wc -l) entries"
