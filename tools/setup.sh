#!/bin/bash
# The project's set-up: installs what make test's suites need, where it is
# missing (make test runs this first; .ci/run runs make test). Run as root,
# or with sudo, on Debian or Ubuntu; elsewhere it says what is missing and
# how to get it, and the suites that need it fail (host tools) or are
# skipped with the reason (a cross target's toolchain).
#
#   tools/setup.sh                      install what is missing
#   tools/setup.sh --check-target T     exit 0 if target T can be built and
#                                       run here, else print why and exit 1
set -u
cd "$(dirname "$0")/.."

# The Debian packages of a target's C toolchain. Its compiler and runner are
# the Makefile's (make print-toolchain), the one place that names them.
target_packages() {
	case $1 in
	aarch64-unknown-linux-gnu) echo "gcc-aarch64-linux-gnu libc6-dev-arm64-cross" ;;
	armv7-unknown-linux-gnueabihf) echo "gcc-arm-linux-gnueabihf libc6-dev-armhf-cross" ;;
	s390x-unknown-linux-gnu) echo "gcc-s390x-linux-gnu libc6-dev-s390x-cross" ;;
	x86_64-unknown-linux-musl) echo "musl-tools" ;;
	*) return 1 ;;
	esac
}

# What target T lacks here for building and running its programs, as
# "command|Debian packages", one a line; nothing when it has it all.
toolchain_missing() {
	local CC_TARGET= RUN= CROSS_TARGETS= runner
	eval "$(make -s --no-print-directory print-toolchain TARGET="$1")"
	command -v "$CC_TARGET" >/dev/null || echo "$CC_TARGET|$(target_packages "$1")"
	runner=${RUN%% *}
	[ -z "$runner" ] || command -v "$runner" >/dev/null || echo "$runner|qemu-user"
}

# The Makefile's cross targets (make passes them; alone, the script asks make).
[ -n "${CROSS_TARGETS:-}" ] || ! command -v make >/dev/null || eval "$(make -s --no-print-directory print-toolchain)"
CROSS_TARGETS=${CROSS_TARGETS:-}

check_target() { # prints why not, exit 1
	local t=$1 missing
	target_packages "$t" >/dev/null || { echo "no set-up known for $t"; return 1; }
	rustup target list --installed 2>/dev/null | grep -q -x "$t" || { echo "rust target $t is not installed (rustup target add $t)"; return 1; }
	missing=$(toolchain_missing "$t" | head -n 1)
	[ -z "$missing" ] || { echo "${missing%%|*} is not installed (apt-get install ${missing#*|})"; return 1; }
}
if [ "${1:-}" = --check-target ]; then
	check_target "$2"
	exit
fi

# Host tools: command -> Debian package.
need=()
for pair in cc:gcc c++:g++ make:make python3:python3 strace:strace valgrind:valgrind cmake:cmake \
	pkg-config:pkg-config readelf:binutils realpath:coreutils timeout:coreutils unshare:util-linux \
	mandoc:mandoc man:man-db abidw:abigail-tools abidiff:abigail-tools; do
	command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
# glibc's translated messages (the locale test); C.UTF-8 comes with glibc.
[ -e /usr/share/locale/uk/LC_MESSAGES/libc.mo ] || need+=(libc-l10n)
for t in $CROSS_TARGETS; do
	target_packages "$t" >/dev/null || continue
	while IFS='|' read -r _ pkgs; do need+=($pkgs); done < <(toolchain_missing "$t")
done
if [ ${#need[@]} -gt 0 ]; then
	mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
	sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
	if command -v apt-get >/dev/null && { [ -z "$sudo" ] || sudo -n true 2>/dev/null; }; then
		echo "setup: installing ${need[*]}"
		{ $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
			--no-install-recommends "${need[@]}"; } \
			>/tmp/sockctl-setup-apt.log 2>&1 || echo "setup: apt-get failed (see /tmp/sockctl-setup-apt.log); missing: ${need[*]}"
	else
		echo "setup: missing ${need[*]}: install these Debian packages (as root: apt-get install ${need[*]})"
	fi
fi

# Rust: the linters and the cross targets.
if command -v rustup >/dev/null; then
	installed=$(rustup component list --installed 2>/dev/null)
	for c in clippy rustfmt; do
		grep -q "^$c" <<<"$installed" || rustup component add "$c" >/dev/null 2>&1 || echo "setup: rustup component add $c failed"
	done
	have=$(rustup target list --installed 2>/dev/null)
	for t in $CROSS_TARGETS; do
		grep -q -x "$t" <<<"$have" || rustup target add "$t" >/dev/null 2>&1 || echo "setup: rustup target add $t failed"
	done
else
	echo "setup: rustup is not installed: the cross targets and the linters need it (https://rustup.rs)"
fi
for tool in cargo cc make python3 strace valgrind cmake pkg-config mandoc abidw abidiff; do
	command -v "$tool" >/dev/null || echo "setup: $tool is still missing: the suites that use it will fail"
done
exit 0
