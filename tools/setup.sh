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
#   tools/setup.sh --check-target T --build   the same for building only
set -u
cd "$(dirname "$0")/.."

# A target's toolchain, from its row of mk/targets.tab as the Makefile
# reads it (make print-toolchain): CC_TARGET, TOOLS (binutils prefix), RUN,
# STD (where its Rust core comes from), PACKAGES (Debian packages,
# pip:NAME for a PyPI package, rustup:NAME for a rustup component, such as
# llvm-tools, whose llvm-nm and others read Mach-O). Fails for a target
# outside the table.
toolchain() {
	CC_TARGET= TOOLS= RUN= STD= PACKAGES=
	local tc
	tc=$(make -s --no-print-directory print-toolchain TARGET="$1" 2>/dev/null) || return 1
	eval "$(sed 's/CROSS_TARGETS=.*//' <<<"$tc")"
}
target_packages() { # the packages of target $1, space-separated
	local CC_TARGET TOOLS RUN STD PACKAGES
	toolchain "$1" && echo "$PACKAGES"
}

# What target T lacks here for building and running its programs, as
# "what|packages", one a line; nothing when it has it all.
# (--build: only what building needs, not the runner.)
toolchain_missing() { # target [--build]
	local CC_TARGET TOOLS RUN STD PACKAGES runner tool
	toolchain "$1"
	"$CC_TARGET" --version >/dev/null 2>&1 || echo "the C compiler $CC_TARGET|$PACKAGES"
	for tool in ar nm objcopy; do
		command -v "${TOOLS}$tool" >/dev/null || { echo "the binutils ${TOOLS}$tool|$PACKAGES"; break; }
	done
	[ "${2:-}" != --build ] || return 0
	runner=${RUN%% *}
	case $runner in
	/*) [ -x "$runner" ] || echo "the runner $runner|$PACKAGES" ;;
	?*) command -v "$runner" >/dev/null || echo "the runner $runner|qemu-user" ;;
	esac
}

# Where Rust's core for target T comes from, or why it cannot.
rust_missing() {
	local CC_TARGET TOOLS RUN STD PACKAGES
	toolchain "$1"
	# (Asked of rustc, the toolchain cargo runs: RUSTC's, as a build with no
	# rustup on PATH has it.)
	local sysroot
	sysroot=$("${RUSTC:-rustc}" --print sysroot 2>/dev/null)
	if [ "$STD" = rust-src ]; then
		[ -d "$sysroot/lib/rustlib/src/rust/library/core" ] ||
			echo "the rust-src component is not installed (rustup component add rust-src): $1 builds core from it"
	else
		[ -d "$sysroot/lib/rustlib/$1/lib" ] ||
			echo "rust target $1 is not installed (rustup target add $1)"
	fi
}

# The Makefile's cross targets (make passes them; alone, the script asks make).
[ -n "${CROSS_TARGETS:-}" ] || ! command -v make >/dev/null || eval "$(make -s --no-print-directory print-toolchain)"
CROSS_TARGETS=${CROSS_TARGETS:-}

# Names what is missing as the packages that bring it: Debian packages
# (apt-get install), PyPI ones (pip install) and rustup components apart.
install_hint() { # packages...
	local deb=() pypi=() comp=() p hints=()
	for p in "$@"; do
		case $p in pip:*) pypi+=("${p#pip:}") ;; rustup:*) comp+=("${p#rustup:}") ;; *) deb+=("$p") ;; esac
	done
	[ ${#deb[@]} = 0 ] || hints+=("apt-get install ${deb[*]}")
	[ ${#pypi[@]} = 0 ] || hints+=("pip install ${pypi[*]} (PyPI)")
	[ ${#comp[@]} = 0 ] || hints+=("rustup component add ${comp[*]}")
	local IFS=';'
	printf '%s' "${hints[*]}" | sed 's/;/; /g'
}

check_target() { # target [--build]: prints why not, exit 1
	local t=$1 missing
	target_packages "$t" >/dev/null ||
		{ echo "$t is not in mk/targets.tab (make print-targets lists the targets)"; return 1; }
	missing=$(rust_missing "$t")
	[ -z "$missing" ] || { echo "$missing"; return 1; }
	missing=$(toolchain_missing "$@" | head -n 1)
	[ -z "$missing" ] || {
		# shellcheck disable=SC2086 # (the packages, one word each)
		echo "${missing%%|*} is not installed or does not run (tools/setup.sh installs it: $(install_hint ${missing#*|}))"
		return 1
	}
}
if [ "${1:-}" = --check-target ]; then
	check_target "$2" ${3:-}
	exit
fi

# Rust: the linters and the cross targets: the standard library of those
# that rustup has, rust-src for those whose core is built from source.
# (Run beside apt-get and pip, which it does not depend on: on a new
# machine the downloads take about as long as each other.)
rust_setup() {
	if command -v rustup >/dev/null; then
		installed=$(rustup component list --installed 2>/dev/null)
		for c in clippy rustfmt; do
			grep -q "^$c" <<<"$installed" || rustup component add "$c" >/dev/null 2>&1 || echo "setup: rustup component add $c failed"
		done
		# rust-src: core is compiled from it with the object's codegen flags
		# (tools/c-codegen.sh), on the host too, and for the targets rustup has
		# no standard library for.
		grep -q '^rust-src' <<<"$installed" || rustup component add rust-src >/dev/null 2>&1 ||
			echo "setup: rustup component add rust-src failed"
		# The components a target's row asks for (llvm-tools: llvm-nm,
		# llvm-ar, llvm-objcopy, llvm-objdump for the Mach-O targets).
		if [ ${#rustup_need[@]} -gt 0 ]; then
			mapfile -t rustup_need < <(printf '%s\n' "${rustup_need[@]}" | sort -u)
			for c in "${rustup_need[@]}"; do
				grep -q "^$c" <<<"$installed" || rustup component add "$c" >/dev/null 2>&1 ||
					echo "setup: rustup component add $c failed"
			done
		fi
		have=$(rustup target list --installed 2>/dev/null)
		for t in $CROSS_TARGETS; do
			toolchain "$t"
			[ "$STD" = rust-src ] || grep -q -x "$t" <<<"$have" || rustup target add "$t" >/dev/null 2>&1 ||
				echo "setup: rustup target add $t failed"
		done
	else
		echo "setup: rustup is not installed: the cross targets and the linters need it (https://rustup.rs)"
	fi
}
# Host tools: command -> Debian package.
need=()
for pair in cc:gcc c++:g++ make:make python3:python3 strace:strace valgrind:valgrind cmake:cmake \
	pkg-config:pkg-config readelf:binutils realpath:coreutils timeout:coreutils unshare:util-linux \
	mandoc:mandoc man:man-db abidw:abigail-tools abidiff:abigail-tools clang-22:clang-22; do
	command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
# MemorySanitizer's runtime, for the library built with -fsanitize=memory
# (make test-sanitized-lib): the clang of rustc's LLVM version.
compgen -G "/usr/lib/llvm-22/lib/clang/*/lib/*/libclang_rt.msan*.a" >/dev/null || need+=(libclang-rt-22-dev)
# glibc's translated messages (the locale test); C.UTF-8 comes with glibc.
[ -e /usr/share/locale/uk/LC_MESSAGES/libc.mo ] || need+=(libc-l10n)
pip_need=() rustup_need=()
for t in $CROSS_TARGETS; do
	target_packages "$t" >/dev/null || continue
	while IFS='|' read -r _ pkgs; do
		for p in $pkgs; do
			case $p in pip:*) pip_need+=("${p#pip:}") ;; rustup:*) rustup_need+=("${p#rustup:}") ;; *) need+=("$p") ;; esac
		done
	done < <(toolchain_missing "$t")
done
rust_log=$(mktemp)
rust_setup >"$rust_log" 2>&1 &
rust_pid=$!
# pip itself, where a PyPI package is needed and python3 has no pip.
[ ${#pip_need[@]} = 0 ] || python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
if [ ${#need[@]} -gt 0 ]; then
	mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
	sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
	if command -v apt-get >/dev/null && { [ -z "$sudo" ] || sudo -n true 2>/dev/null; }; then
		echo "setup: installing ${need[*]}"
		{ $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq &&
			DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
				--no-install-recommends "${need[@]}"; } \
			>/tmp/sockctl-setup-apt.log 2>&1 || echo "setup: apt-get failed (see /tmp/sockctl-setup-apt.log); missing: ${need[*]}"
	else
		echo "setup: missing ${need[*]}: install these Debian packages (as root: apt-get install ${need[*]})"
	fi
fi

# PyPI packages (zig cc for musl on ARM and MIPS), into the python3 that
# tools/zigcc runs; a Debian python3 refuses a system-wide pip install unless
# told that it may.
if [ ${#pip_need[@]} -gt 0 ]; then
	mapfile -t pip_need < <(printf '%s\n' "${pip_need[@]}" | sort -u)
	echo "setup: installing from PyPI: ${pip_need[*]}"
	{ python3 -m pip install -q "${pip_need[@]}" || python3 -m pip install -q --break-system-packages "${pip_need[@]}"; } \
		>/tmp/sockctl-setup-pip.log 2>&1 || echo "setup: pip install failed (see /tmp/sockctl-setup-pip.log); missing: ${pip_need[*]}"
fi

wait "$rust_pid"
cat "$rust_log"
rm -f "$rust_log"
for tool in cargo cc make python3 strace valgrind cmake pkg-config mandoc abidw abidiff; do
	command -v "$tool" >/dev/null || echo "setup: $tool is still missing: the suites that use it will fail"
done
exit 0
