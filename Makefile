# sockctl: build the Rust library, its header, the legacy-style C programs
# relinked against it, and run every test.
#
#   make            library (static and shared), legacy server and client
#   make demo       the relinked server and client talk over loopback
#   make setup      install what the suites need (tools/setup.sh; make test runs it)
#   make test       set-up, then every test, host and cross;
#                   ends with "total: N passed, N failed, N skipped"
#   make bench      sockctl against the original C helpers; writes docs/BENCHMARKS.md
#   make header     regenerate include/sockctl.h after changing src/capi.rs (tools/header-gen)
#   make install    PREFIX, LIBDIR, INCLUDEDIR, MANDIR, DOCDIR, DESTDIR; make uninstall likewise
#                   (make print-installed: what it puts)
#   make docs       rewrite the docs' generated blocks (targets, installed files)
#   make dist       the release tarball, buildable offline; make abi-baseline (mk/release.mk)
#   make prefixed   exports under SYMBOL_PREFIX (default rs_), with its header
#   make reference  the legacy programs built on the C reference of the originals
#   make clean
#
# TARGET=<rust triple> builds for another target of mk/targets.tab (make
# print-targets lists them; make lib|install|demo|test-target
# TARGET=...): the library into target/<triple>/release/, staged with the
# programs in build/<triple>/, with that target's C cross compiler; programs run
# under qemu-user. See docs/CROSS.md. Without TARGET: the host, as before.
#
# Honours CC (flags included: CC="arm-linux-gnueabihf-gcc -march=armv7-a ..."), CXX,
# CFLAGS, LDFLAGS and CARGO. Every command is shown as make runs it (no V=1 needed);
# make install does not strip.

SHELL   := /bin/bash
CXX     ?= c++
CARGO   ?= cargo
CPPFLAGS ?=
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra
LDFLAGS ?=
comma   := ,

# ---- the target -----------------------------------------------------------------

# The targets make test builds and runs under qemu-user (or natively:
# x86_64 musl): one row each in mk/targets.tab, the one table of their
# toolchains (its columns are described there; docs/CROSS.md).
TARGETS_TABLE := mk/targets.tab
CROSS_TARGETS := $(shell awk '!/^\#/ && NF { print $$1 }' $(TARGETS_TABLE))
ZIGCC := $(CURDIR)/tools/zigcc

TARGET ?=
# The object is always built for a named target (the host's without
# TARGET), so that the codegen flags reach every crate of the library, core
# included, and no build script.
RUSTC       ?= rustc
RUSTC_HOST  := $(shell $(RUSTC) -vV 2>/dev/null | sed -n 's/^host: //p')
# (HOST_TARGET=... on the command line stands in for another host:
# c_tests/cross/check_files.sh builds as on a Mac that way.)
HOST_TARGET := $(RUSTC_HOST)
RUST_TARGET := $(or $(TARGET),$(HOST_TARGET))
# Where rustup's llvm-tools component puts llvm-nm and the others.
LLVM_TOOLS = $(shell $(RUSTC) --print sysroot)/lib/rustlib/$(RUSTC_HOST)/bin/
# (CARGO_DIR: cargo's target directory; the flag-set tests build in their own.)
CARGO_DIR   ?= target
TARGET_DIR  := $(CARGO_DIR)/$(RUST_TARGET)/release
CARGO_FLAGS := --target $(RUST_TARGET)
# The row of the target (TARGET's, or the host's where the host is in the
# table, e.g. on a Mac); column N of it ("-": empty).
ROW := $(shell awk -v t='$(RUST_TARGET)' '$$1 == t' $(TARGETS_TABLE))
col = $(patsubst -,,$(word $(1),$(ROW)))
ifeq ($(TARGET),)
  # The host, built with its own cc and binutils and run natively; of its
  # row (if any) only what the system is: os and object format, and on
  # macOS the binutils (rustup's llvm-tools: a Mac has no objcopy).
  B          := build
  CC_TARGET  := cc
  OS         := $(call col,3)
  OBJFMT     := $(call col,5)
  TOOLS      := $(if $(filter llvm,$(call col,7)),$(LLVM_TOOLS)llvm-)
  RUN        :=
else
  # A target outside the table stops here, before anything is built.
  ifeq ($(ROW),)
    $(error TARGET=$(TARGET) is not in the toolchain table $(TARGETS_TABLE). Supported targets (make print-targets): $(CROSS_TARGETS); without TARGET: the host)
  endif
  ARCH     := $(call col,2)
  OS       := $(call col,3)
  LIBC     := $(call col,4)
  OBJFMT   := $(call col,5)
  LINKER   := $(call col,6)
  GNU      := $(call col,7)
  CPU      := $(call col,10)
  STD      := $(call col,11)
  PACKAGES := $(subst $(comma), ,$(call col,12))
  B           := build/$(TARGET)
  CC_TARGET := $(patsubst gcc,$(GNU)-gcc,$(patsubst tools/%,$(CURDIR)/tools/%,$(call col,8)))
  # (binutils "llvm": rustup's llvm-tools, which read Mach-O: llvm-nm, ...)
  TOOLS     := $(if $(filter llvm,$(GNU)),$(LLVM_TOOLS)llvm-,$(if $(GNU),$(GNU)-))
  # qemu-user, on the oldest CPU the target promises, with the C library
  # of the Debian cross packages (glibc; musl programs are static).
  RUNNER    := $(call col,9)
  ifeq ($(RUNNER),ld.so)
    RUN := /usr/$(GNU)/lib/ld-linux.so.2 --library-path /usr/$(GNU)/lib
  else ifeq ($(RUNNER),none)
    # Another kernel (macOS, FreeBSD): its programs are built and their
    # files checked, nothing runs them (test-target: check_files.sh).
    RUN    :=
    NO_RUN := 1
  else
    RUN := $(RUNNER)$(if $(CPU), -cpu $(CPU))$(if $(and $(RUNNER),$(filter glibc,$(LIBC))), -L /usr/$(GNU))
  endif
  ifeq ($(LIBC),musl)
    # musl: fully static programs, no shared library.
    STATIC_PROGRAM := -static
    NO_SHARED      := 1
  endif
endif
# The toolchain of TARGET as shell assignments, for the scripts that need it
# (tools/setup.sh, c_tests/bench/sizes.sh, c_tests/packaging/test_cmake_cross.sh):
# its C compiler, binutils prefix, runner, where core comes from, whether
# programs are static, its table columns; and the cross targets.
print-toolchain:
	@echo "CC_TARGET='$(CC_TARGET)' TOOLS='$(TOOLS)' RUN='$(RUN)' STD='$(STD)' STATIC='$(NO_SHARED)'" \
		"ARCH='$(ARCH)' OS='$(OS)' LIBC='$(LIBC)' OBJFMT='$(OBJFMT)' NO_RUN='$(NO_RUN)' LINKER='$(LINKER)' PACKAGES='$(PACKAGES)'" \
		"CROSS_TARGETS='$(CROSS_TARGETS)'"

# The targets TARGET= accepts, one a line (mk/targets.tab).
print-targets:
	@printf '%s\n' $(CROSS_TARGETS)

# Before cargo runs for a TARGET: its C compiler, binutils and Rust core are
# here, and for what runs its programs (demo, test-target) its runner too;
# else it stops, naming what to install (tools/setup.sh --check-target).
# (A target nothing here can run, runner none, has no demo; its test-target
# checks the files.)
RUN_GOALS := $(filter demo test test-% bench%,$(MAKECMDGOALS))
check-toolchain:
ifneq ($(and $(NO_RUN),$(filter demo,$(MAKECMDGOALS))),)
	@echo "make: TARGET=$(TARGET) cannot run here (another kernel: mk/targets.tab's runner is none); make demo runs on $(OS) itself (docs/CROSS.md)" >&2; exit 1
endif
ifneq ($(TARGET),)
	@why=$$(tools/setup.sh --check-target $(TARGET) $(if $(RUN_GOALS),,--build)) || \
		{ echo "make: TARGET=$(TARGET) cannot be built$(if $(RUN_GOALS), and run) here: $$why" >&2; exit 1; }
endif

# CC from the command line or the environment wins; make's default "cc" does not.
ifeq ($(origin CC),default)
  CC := $(CC_TARGET)
endif
NM    := $(TOOLS)nm

# ---- the library ----------------------------------------------------------------

STATICLIB := $(TARGET_DIR)/libsockctl.a
HEADER    := include/sockctl.h
LIB_A     := $(B)/lib/libsockctl.a
VERSION   := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
SOMAJOR   := $(word 1,$(subst ., ,$(VERSION)))
SOMINOR   := $(word 2,$(subst ., ,$(VERSION)))
# The shared library's file (LIB_SO), its name at run time (SONAME, or on
# macOS the install name's file) and the links to it, each to the one
# before (SO_LINKS; the last, SO_DEV, is what -lsockctl finds).
ifeq ($(OS),darwin)
  SONAME  := libsockctl.$(SOMAJOR).dylib
  LIB_SO  := $(B)/lib/$(SONAME)
  SO_LINKS := libsockctl.dylib
else
  SONAME  := libsockctl.so.$(SOMAJOR)
  LIB_SO  := $(B)/lib/libsockctl.so.$(VERSION)
  SO_LINKS := $(SONAME) libsockctl.so
endif
SO_DEV    := $(lastword $(SO_LINKS))
EXPORTS   := listenSocket tcpCreateClient tcpCloseSocket

.PHONY: all lib bench bench-sizes demo install uninstall prefixed reference header clean lint setup print-toolchain print-targets print-installed check-toolchain test test-suites \
	test-rust test-header test-c test-abi test-host test-codegen test-cflags test-cflags-set test-sanitized-lib test-sanitized-set test-diff test-e2e test-hardening test-soak test-sanitize \
	test-install test-features test-migration test-rust-user test-core-crate test-cross test-target test-cmake-cross test-repro variants FORCE
.DEFAULT_GOAL := all
FORCE:

all: lib $(B)/server $(B)/client

lib: $(LIB_A) $(if $(NO_SHARED),,$(B)/lib/$(SO_DEV))

# cargo's archive comes from staticlib/, the crate that makes the sockctl
# rlib a static library (built alone, with the workspace's release
# profile). It is compiled like the C it replaces: tools/c-codegen.sh asks
# the C compiler, with CPPFLAGS and CFLAGS, what it makes of the original's
# lines, and the answer goes to the sockctl crate (SOCKCTL_C_CALLS: puts,
# printf or __printf_chk for each message) and to rustc (RUSTFLAGS: PLT
# calls, CET or BTI/PAC marking, stack protector, sanitizer), with core
# compiled from rust-src with the same flags where a flag would otherwise
# miss core's code (c_build_std), and where rustup has no standard library
# for the target (STD=rust-src).
# RUSTC_BOOTSTRAP=1: those are unstable options of the stable toolchain.
# cargo decides whether anything changed; the rule only refuses to go on
# without a library (a stale or empty file is never shipped or linked).
# (cargo_staticlib ARGS[,ENV]: also the feature variants, the prefixed build and
# mk/release.mk's debug build for the ABI baseline.)
define cargo_staticlib
@codegen=$$(CC='$(CC)' CPPFLAGS='$(CPPFLAGS)' CFLAGS='$(CFLAGS)' tools/c-codegen.sh $(RUST_TARGET) $(TOOLS)) && \
	eval "$$codegen" || exit 1; \
	std=; [ "$$c_build_std" = no ] && [ "$(STD)" != rust-src ] || std=" -Z build-std=core"; \
	cmd="$(2) SOCKCTL_C_CALLS='$$c_calls' RUSTFLAGS='$$c_rustflags$(if $(RUSTFLAGS), $(RUSTFLAGS))' RUSTC_BOOTSTRAP=1 \
	$(CARGO) build --locked --manifest-path staticlib/Cargo.toml --release $(CARGO_FLAGS)$$std $(1)"; \
	echo "$$cmd"; eval "$$cmd"
endef
$(STATICLIB): FORCE | check-toolchain
	$(call cargo_staticlib,--target-dir $(CARGO_DIR))
	@test -s $@ || { echo "error: cargo built no $@" >&2; exit 1; }

# The header is generated apart from every build, by tools/header-gen (the
# pinned cbindgen, in a workspace and lock file of its own): make header
# writes it, make test-header fails when the committed one is stale.
HEADER_GEN = $(CARGO) run --quiet --locked --manifest-path tools/header-gen/Cargo.toml --target-dir target/tools -- $(CURDIR)
header:
	$(HEADER_GEN) write $(CURDIR)/$(HEADER)

# The archive as shipped (tools/ship-archive.sh): sockctl's object alone,
# defining only the exported functions (cargo's archive also holds the Rust
# compiler's builtins, whose sqrt, fmod, __aeabi_idiv, ... would replace the
# C program's own), without debug information, and on 32-bit ARM and MIPS
# without the unwind tables that the C original has not either.
$(LIB_A): $(STATICLIB) tools/ship-archive.sh
	tools/ship-archive.sh $< $@ $(RUST_TARGET) $(TOOLS)

# The shared library, linked from the archive by the C toolchain: SONAME,
# the three functions under version node SOCKCTL_$(SOMAJOR), nothing else
# exported, NEEDED libc only. Without the C start files (-nostartfiles):
# the library has no constructors or destructors for their _init and
# _fini to run, and where the C library's crti.o is not CET- or BTI-marked
# (Debian's) it would unmark the whole library.
%/sockctl.map: Makefile
	@mkdir -p $(@D)
	printf 'SOCKCTL_%s {\n  global:\n%s\n  local: *;\n};\n' $(SOMAJOR) "$$(printf '    %s;\n' $(EXPORTS))" >$@

define link_shared
$(CC) -shared -nostartfiles -o $@ -Wl,-soname,$(SONAME) -Wl,--version-script=$(filter %.map,$^) \
	$(addprefix -Wl$(comma)-u$(comma),$(EXPORTS)) -Wl,--no-undefined -Wl,--gc-sections -Wl,--as-needed \
	$(filter %.a,$^) $(LDFLAGS)
@test -s $@ || { echo "error: no $@" >&2; exit 1; }
endef

# macOS: libsockctl.0.dylib, linked from the archive by zig cc's Mach-O
# linker, with its install name (LIBDIR's, as installed), current version
# x.y.z and compatibility version x.y.0 (the versions zig accepts are
# x.y.z). There is no version node, and no list of exports
# (-exported_symbols_list, which zig's linker does not take): the archive's
# object defines nothing globally but the three functions
# (tools/ship-archive.sh refuses it otherwise), and -u names them, as a
# library is not linked from an archive alone. -headerpad_max_install_names
# leaves room for install_name_tool -id.
define link_dylib
$(CC) -dynamiclib -o $@ -Wl,-install_name,$$(cat $(filter %/dylib-id,$^)) \
	-Wl,-current_version,$(VERSION) -Wl,-compatibility_version,$(SOMAJOR).$(SOMINOR).0 \
	-Wl,-headerpad_max_install_names -Wl,-dead_strip $(addprefix -Wl$(comma)-u$(comma)_,$(EXPORTS)) \
	$(filter %.a,$^) $(LDFLAGS)
@test -s $@ || { echo "error: no $@" >&2; exit 1; }
endef
# The install name, rewritten when LIBDIR changes (so make install with
# another LIBDIR relinks).
$(B)/dylib-id: FORCE
	@mkdir -p $(@D); [ "$$(cat $@ 2>/dev/null)" = '$(LIBDIR)/$(SONAME)' ] || echo '$(LIBDIR)/$(SONAME)' >$@

ifeq ($(OS),darwin)
$(LIB_SO): $(LIB_A) $(B)/dylib-id
	$(link_dylib)
else
$(LIB_SO): $(LIB_A) $(B)/sockctl.map
	$(link_shared)
endif

# As installed: libsockctl.so.X.Y.Z, libsockctl.so.X and libsockctl.so
# (macOS: libsockctl.X.dylib and libsockctl.dylib).
$(B)/lib/$(SO_DEV): $(LIB_SO)
	@to=$(notdir $<); for l in $(SO_LINKS); do echo "ln -sf $$to $(@D)/$$l"; ln -sf $$to $(@D)/$$l; to=$$l; done

# ---- C programs: one link rule ----------------------------------------------------

# Every C program is its prerequisites' C files and archives, linked with
# the rule's CFLAGS, EXTRA_CFLAGS and EXTRA_LIBS (target-specific).
define link
@mkdir -p $(@D)
$(CC) $(if $(CPPFLAGS),$(CPPFLAGS) )$(CFLAGS) $(WARN) $(EXTRA_CFLAGS) -Iinclude -Ic_tests -Ic_tests/lib -o $@ \
	$(filter %.c,$^) $(filter %.a,$^) $(LDFLAGS) $(STATIC_PROGRAM) $(EXTRA_LIBS)
endef

# The legacy gateway (c_tests/legacy/, all C, laid out as the real tree),
# moved onto sockctl by docs/MIGRATING.md's steps 2 and 3 into $(B)/legacy/
# (c_tests/migration/migrate.sh); its headers come along.
LEGACY     := $(B)/legacy
LEGACY_H   := $(LEGACY)/client/Incl.h $(HEADER)
SERVER_SRC := $(LEGACY)/server/Server.c
CLIENT_SRC := $(addprefix $(LEGACY)/client/,main.c HostProc.c Logger.c MessageQueue.c RecvSend.c ClientSocketCtl.c)
# (One run makes them all: a stamp, not make 4.3's grouped targets, which
# the GNU make 3.81 of macOS does not know.)
$(SERVER_SRC) $(CLIENT_SRC) $(LEGACY)/client/Incl.h: $(LEGACY).migrated ;
# (The stamp is dated before the files, so that they are never older than it.)
$(LEGACY).migrated: $(wildcard c_tests/legacy/*/*) c_tests/migration/migrate.sh
	@mkdir -p $(@D); touch $@.new
	c_tests/migration/migrate.sh c_tests/legacy $(LEGACY)
	@mv $@.new $@
REFERENCE  := c_tests/reference/reference.c
TESTLIB    := c_tests/lib/testlib.c c_tests/lib/faults.c
TESTLIB_H  := c_tests/lib/testlib.h c_tests/lib/faults.h c_tests/lib/impls.h c_tests/lib/legacy_types.h $(HEADER)

# The legacy programs: on sockctl, and on the C reference (same flags, so
# that sizes compare: make bench).
$(B)/server $(B)/asan/server: $(SERVER_SRC) $(LIB_A) $(LEGACY_H) ; $(link)
$(B)/client $(B)/asan/client $(B)/tsan/client: $(CLIENT_SRC) $(LIB_A) $(LEGACY_H) ; $(link)
$(B)/server-ref: $(SERVER_SRC) $(REFERENCE) $(LEGACY_H) ; $(link)
$(B)/client-ref: $(CLIENT_SRC) $(REFERENCE) $(LEGACY_H) ; $(link)
$(B)/client $(B)/asan/client $(B)/tsan/client $(B)/client-ref: EXTRA_CFLAGS = -pthread

# The tests, against the archive.
$(B)/test_contract_static $(B)/asan/test_contract: c_tests/contract/test_contract.c $(TESTLIB) $(LIB_A) $(TESTLIB_H) ; $(link)
$(B)/test_hardening $(B)/asan/test_hardening: c_tests/contract/test_hardening.c $(TESTLIB) $(LIB_A) $(TESTLIB_H) ; $(link)
$(B)/test_locale: c_tests/contract/test_locale.c $(TESTLIB) $(LIB_A) $(TESTLIB_H) ; $(link)
$(B)/test_diff: c_tests/compare/test_diff.c $(TESTLIB) $(REFERENCE) $(LIB_A) $(TESTLIB_H) ; $(link)
$(B)/bench: c_tests/bench/bench.c c_tests/lib/testlib.c $(REFERENCE) $(LIB_A) $(TESTLIB_H) ; $(link)
$(B)/test_cancel: c_tests/contract/test_cancel.c c_tests/lib/testlib.c $(REFERENCE) $(LIB_A) $(TESTLIB_H) ; $(link)
$(B)/test_diff $(B)/bench $(B)/test_cancel: EXTRA_CFLAGS = -pthread -DREF_PREFIX=c_
# test_diff counts the calls of printf, puts, __printf_chk and strerror (the "stdio" property).
$(B)/test_diff: EXTRA_LIBS = $(addprefix -Wl$(comma)--wrap=,printf puts __printf_chk strerror)
$(B)/test_%: EXTRA_CFLAGS = -pthread
# The contract test, warnings as errors on the host (as cargo test's
# tests/c_contract.rs compiles it; make test runs it here only: test-rust
# sets SOCKCTL_C_CONTRACT=make).
$(B)/test_contract_static $(B)/test_contract_shared: EXTRA_CFLAGS = -pthread $(if $(TARGET),,-Werror)
$(B)/asan/test_%: EXTRA_CFLAGS = -pthread

# A host program's own maths and arithmetic, linked as the README says
# (archive, then -lm), and with the C original: c_tests/packaging/check_host.sh.
$(B)/host_program: c_tests/packaging/host_program.c $(LIB_A) $(HEADER) ; $(link)
$(B)/host_program-ref: c_tests/packaging/host_program.c $(REFERENCE) $(HEADER) ; $(link)
$(B)/host_program $(B)/host_program-ref: EXTRA_CFLAGS = -ftrapv
$(B)/host_program $(B)/host_program-ref: EXTRA_LIBS = -lm

# A program's own calls of printf, puts, socket and close, bound as with the
# C original (c_tests/packaging/check_codegen.sh), also with -z now.
$(B)/own_calls $(B)/own_calls-now: c_tests/packaging/own_calls.c $(LIB_A) $(HEADER) ; $(link)
$(B)/own_calls-ref $(B)/own_calls-ref-now: c_tests/packaging/own_calls.c $(REFERENCE) $(HEADER) ; $(link)
$(B)/own_calls-now $(B)/own_calls-ref-now: EXTRA_LIBS = -Wl,-z,now
CODEGEN_PROGRAMS := $(addprefix $(B)/,own_calls own_calls-ref own_calls-now own_calls-ref-now)

# The contract test against the shared library, found next to it at run time.
$(B)/test_contract_shared: c_tests/contract/test_contract.c $(TESTLIB) $(TESTLIB_H) $(B)/lib/$(SO_DEV) ; $(link)
# (macOS: the library's install name is LIBDIR's, so there it is found with
# DYLD_LIBRARY_PATH=$(B)/lib, or once installed; dlsym is libSystem's.)
$(B)/test_contract_shared: EXTRA_LIBS = -L$(B)/lib $(if $(filter darwin,$(OS)),-lsockctl,-Wl$(comma)-rpath$(comma)'$$ORIGIN/lib' -lsockctl -ldl)

# Sanitizer builds: the C side instrumented, the Rust library as shipped.
$(B)/asan/%: CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
$(B)/tsan/%: CFLAGS = -O1 -g -fsanitize=thread

# ---- install ----------------------------------------------------------------------

PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DESTDIR    ?=
D_LIB := $(DESTDIR)$(LIBDIR)
D_INC := $(DESTDIR)$(INCLUDEDIR)
INSTALLED := $(D_LIB)/libsockctl.a $(if $(NO_SHARED),,$(D_LIB)/$(notdir $(LIB_SO)) $(addprefix $(D_LIB)/,$(SO_LINKS))) \
	$(D_INC)/sockctl.h $(D_LIB)/pkgconfig/sockctl.pc \
	$(D_LIB)/cmake/sockctl/sockctl-config.cmake $(D_LIB)/cmake/sockctl/sockctl-config-version.cmake

SUBST = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' \
	-e 's|@VERSION@|$(VERSION)|g' -e 's|@SOMAJOR@|$(SOMAJOR)|g' -e 's|@VERSION_MINOR@|$(SOMINOR)|g' \
	-e 's|@SHARED_FILE@|$(notdir $(LIB_SO))|g' -e 's|@SHARED_SONAME@|$(if $(filter darwin,$(OS)),$(LIBDIR)/)$(SONAME)|g' \
	-e 's|@INCLUDEDIR_FROM_LIBDIR@|$(INCLUDEDIR_FROM_LIBDIR)|g'

# INCLUDEDIR relative to LIBDIR, as realpath -m --relative-to says it, in
# awk alone: a Mac has no GNU realpath. (Both absolute; "." and ".."
# components are not resolved.)
INCLUDEDIR_FROM_LIBDIR = $(shell awk -v from='$(LIBDIR)' -v to='$(INCLUDEDIR)' 'BEGIN { \
	gsub(/\/+/, "/", from); gsub(/\/+/, "/", to); sub(/^\//, "", from); sub(/^\//, "", to); \
	sub(/\/$$/, "", from); sub(/\/$$/, "", to); n = from == "" ? 0 : split(from, f, "/"); m = to == "" ? 0 : split(to, t, "/"); \
	i = 1; while (i <= n && i <= m && f[i] == t[i]) i++; r = ""; for (j = i; j <= n; j++) r = r "../"; \
	for (j = i; j <= m; j++) r = r t[j] "/"; sub(/\/$$/, "", r); print (r == "" ? "." : r) }')

install: lib
	install -d $(D_LIB)/pkgconfig $(D_LIB)/cmake/sockctl $(D_INC)
	install -m 644 $(LIB_A) $(D_LIB)/libsockctl.a
ifndef NO_SHARED
	install -m 755 $(LIB_SO) $(D_LIB)/$(notdir $(LIB_SO))
	@to=$(notdir $(LIB_SO)); for l in $(SO_LINKS); do echo "ln -sf $$to $(D_LIB)/$$l"; ln -sf $$to $(D_LIB)/$$l; to=$$l; done
endif
	install -m 644 $(HEADER) $(D_INC)/sockctl.h
	$(SUBST) pkg/sockctl.pc.in > $(D_LIB)/pkgconfig/sockctl.pc
	$(SUBST) pkg/sockctl-config.cmake.in > $(D_LIB)/cmake/sockctl/sockctl-config.cmake
	$(SUBST) pkg/sockctl-config-version.cmake.in > $(D_LIB)/cmake/sockctl/sockctl-config-version.cmake

# What make install puts, one path a line (the install manifest: test-install
# checks it against what is installed, docs/MIGRATING.md shows it).
print-installed:
	@printf '%s\n' $(INSTALLED)

# The files, then each directory install made that is left empty (deepest
# first; PREFIX itself stays).
uninstall:
	rm -f $(INSTALLED)
	@for d in $(D_LIB)/cmake/sockctl $(D_LIB)/cmake $(D_LIB)/pkgconfig $(UNINSTALL_DIRS) $(D_LIB) $(D_INC); do \
		[ ! -d "$$d" ] || rmdir "$$d" 2>/dev/null || true; done

include mk/release.mk

# ---- per-function builds and the symbol prefix (host) --------------------------------

# The variants build one after the other in one target directory, and
# their archives are copied out of it.
VARIANT_DIR := target/variants
SERVER_ONLY := build/variants/server-only/libsockctl.a
CLIENT_ONLY := build/variants/client-only/libsockctl.a

# Only listenSocket (feature "server"), for a program that keeps its own
# tcpCreateClient and tcpCloseSocket; and only the client pair.
# (Both from one recipe, without grouped targets: see $(LEGACY).migrated.)
$(SERVER_ONLY) $(CLIENT_ONLY): variants ;
variants:
	$(call cargo_staticlib,--no-default-features --features server --target-dir $(VARIANT_DIR))
	tools/ship-archive.sh $(VARIANT_DIR)/$(RUST_TARGET)/release/libsockctl.a $(SERVER_ONLY) $(RUST_TARGET)
	$(call cargo_staticlib,--no-default-features --features client --target-dir $(VARIANT_DIR))
	tools/ship-archive.sh $(VARIANT_DIR)/$(RUST_TARGET)/release/libsockctl.a $(CLIENT_ONLY) $(RUST_TARGET)

# SYMBOL_PREFIX=rs_: the same functions exported as rs_listenSocket, ... in
# build/prefixed/lib/libsockctl.{a,so}, declared by the header that
# tools/header-gen generates for the prefix, build/prefixed/include/sockctl.h.
SYMBOL_PREFIX ?= rs_
PREFIXED := build/prefixed
# (After the feature variants: they share $(VARIANT_DIR), so never build at once.)
prefixed: | $(SERVER_ONLY) $(CLIENT_ONLY)
	@mkdir -p $(PREFIXED)/include $(PREFIXED)/lib
	$(HEADER_GEN) write $(CURDIR)/$(PREFIXED)/include/sockctl.h $(SYMBOL_PREFIX)
	$(call cargo_staticlib,--target-dir $(VARIANT_DIR),SOCKCTL_SYMBOL_PREFIX=$(SYMBOL_PREFIX))
	tools/ship-archive.sh $(VARIANT_DIR)/$(RUST_TARGET)/release/libsockctl.a $(PREFIXED)/lib/libsockctl.a $(RUST_TARGET)
	rm -f $(PREFIXED)/sockctl.map
	$(MAKE) --no-print-directory $(PREFIXED)/lib/libsockctl.so.$(VERSION) EXPORTS="$(addprefix $(SYMBOL_PREFIX),$(EXPORTS))"

$(PREFIXED)/lib/libsockctl.so.$(VERSION): $(PREFIXED)/lib/libsockctl.a $(PREFIXED)/sockctl.map
	$(link_shared)

# ---- runs -------------------------------------------------------------------------------

# make reference: build/server-ref and build/client-ref, for comparisons.
reference: $(B)/server-ref $(B)/client-ref

# Figures for docs/BENCHMARKS.md: time, system calls, instructions (bench.sh),
# then the sizes of the host and every cross target against the C original
# (sizes.sh, which builds them with this Makefile; make bench-sizes: that alone).
bench: $(B)/bench $(CODEGEN_PROGRAMS)
	c_tests/bench/bench.sh $(B) docs/BENCHMARKS.md
	MAKE="$(MAKE)" $(SIZES_ENV) c_tests/bench/sizes.sh docs/BENCHMARKS.md

# (The host's CC only when the host is what this make builds.)
SIZES_ENV = CROSS_TARGETS="$(CROSS_TARGETS)" $(if $(TARGET),,CC="$(CC)")

bench-sizes:
	MAKE="$(MAKE)" $(SIZES_ENV) c_tests/bench/sizes.sh docs/BENCHMARKS.md

demo: $(B)/server $(B)/client
	@WRAP="$(RUN)" c_tests/e2e/exchange.sh --show $(B)/server $(B)/client $(B)/demo 3 300

# ---- tests ------------------------------------------------------------------------------

# Set-up first (installs what the suites need, or says what is missing),
# then every suite; then the "N passed, N failed[, N skipped]" lines of the
# suites are added up.
test: | $(B)
	@$(MAKE) --no-print-directory setup
	@set -o pipefail; $(MAKE) --no-print-directory -k test-suites 2>&1 | tee $(B)/test.log; status=$$?; \
	awk '{ for (i = 2; i <= NF; i++) { w = $$i; sub(/[;,)]$$/, "", w); \
	       if (w == "passed") p += $$(i-1); if (w == "failed") f += $$(i-1); if (w == "skipped") s += $$(i-1) } } \
	     END { printf "total: %d passed, %d failed, %d skipped\n", p, f, s }' $(B)/test.log; \
	[ $$status = 0 ] || { echo "make test: FAILED (see above)"; exit 1; }

$(B):
	mkdir -p $@

# Installs what the suites need (tools/setup.sh), or says what is missing.
setup:
	@CROSS_TARGETS="$(CROSS_TARGETS)" tools/setup.sh

# The suites in two chains side by side: the host's, one suite after the
# other, and the cross targets' (test-cross, then the CMake cross builds,
# which install from them), whose output goes to build/cross/all.log and is
# shown whole when both are done. (The host chain leaves a CPU idle much of
# the time: its suites are mostly one process at a time.)
HOST_SUITES := test-rust test-header test-c test-abi test-host test-codegen test-cflags test-sanitized-lib test-diff test-e2e \
	test-hardening test-soak test-sanitize test-install test-features test-migration test-rust-user test-core-crate lint \
	test-man test-abidiff test-dist test-repro
CROSS_SUITES := test-cross test-cmake-cross
test-suites: | $(B)
	@mkdir -p build/cross; \
	$(MAKE) --no-print-directory -k $(CROSS_SUITES) >build/cross/all.log 2>&1 & cross=$$!; \
	$(MAKE) --no-print-directory -k $(HOST_SUITES); host=$$?; \
	echo "(the host's suites are done; the cross targets' follow: build/cross/all.log)"; \
	wait $$cross; cross=$$?; cat build/cross/all.log; \
	[ $$host = 0 ] && [ $$cross = 0 ]

# (staticlib/ is built alone: beside the other members, sockctl-core would
# get std, whose panic handler clashes with the archive's.)
NOT_STATICLIB := --exclude sockctl-staticlib
test-rust:
	SOCKCTL_C_CONTRACT=make $(CARGO) test --workspace $(NOT_STATICLIB)

# docs/RUST.md's two Rust uses, each in a new crate: sockctl-core's safe API; sockctl's C ABI in a team crate's archive.
test-rust-user:
	c_tests/packaging/test_rust_user.sh $(B)/rust-user

# sockctl-core without std, cargo package, and with tokio (its own crate and lock file).
test-core-crate:
	c_tests/rust/test_core_crate.sh $(B)/core-crate

# The committed header is what src/capi.rs declares; it compiles as every
# C and C++ standard and agrees with the legacy prototypes.
test-header: lib
	$(HEADER_GEN) check
	c_tests/packaging/check_header.sh "$(CC)" "$(CXX)"

test-c: $(B)/test_contract_static $(B)/test_contract_shared $(B)/test_locale $(B)/test_cancel
	$(B)/test_contract_static
	$(B)/test_contract_shared
	$(B)/test_locale
	$(B)/test_cancel

test-abi: lib $(B)/server $(B)/client $(B)/server-ref $(B)/client-ref $(B)/test_contract_static
	c_tests/packaging/check_abi.sh $(B) $(NM)

# The host program's maths and arithmetic, with sockctl and with the C original.
test-host: $(B)/host_program $(B)/host_program-ref
	c_tests/packaging/check_host.sh $(B) "$(RUN)"

# Compiled like the C it replaces (c_tests/packaging/check_codegen.sh): the
# program's own calls bound as with the original, strerror, the stack
# protector, the CET or BTI/PAC marking and landing pads.
CODEGEN_ENV = CC="$(CC)" CPPFLAGS="$(CPPFLAGS)" CFLAGS="$(CFLAGS)"
test-codegen: lib $(CODEGEN_PROGRAMS)
	$(CODEGEN_ENV) c_tests/packaging/check_codegen.sh $(B) $(RUST_TARGET) "$(TOOLS)" "$(RUN)"

# The object follows the C flags it is built with: the library, the checks
# above and the differential test (whose "stdio" property counts printf,
# puts, __printf_chk and strerror per scenario against the original)
# built with each flag set, in a build and cargo directory of its own:
# Debian's hardening flags (dpkg-buildflags, with Ubuntu's CET) and
# -fno-builtin. (The default flags: test-codegen and test-diff.)
# (Their CET or branch protection flag is the CPU's: dpkg-buildflags adds
# -mbranch-protection=standard on arm64.) make test runs them on the host
# and, in test-target, on CFLAGS_TARGETS: gcc for aarch64 glibc, and zig cc
# (clang) for aarch64 musl, where FORTIFY has no __printf_chk (which covers
# what musl-gcc's x86_64 musl would: gcc's x86 flags are the host's).
CFLAGS_SETS       := hardened no-builtin
CFLAGS_TARGETS    := aarch64-unknown-linux-gnu aarch64-unknown-linux-musl
harden_arch        = $(if $(filter x86_64-% i686-%,$(RUST_TARGET)),-fcf-protection,$(if $(filter aarch64-%,$(RUST_TARGET)),-mbranch-protection=standard))
cflags_hardened    = CPPFLAGS="-Wdate-time -D_FORTIFY_SOURCE=2" LDFLAGS="-Wl,-z,relro -Wl,-z,now" \
	CFLAGS="-g -O2 -fstack-protector-strong $(harden_arch) -Wformat -Werror=format-security"
cflags_no-builtin := CFLAGS="-g -O2 -fno-builtin"
test-cflags:
	$(foreach s,$(CFLAGS_SETS),$(MAKE) --no-print-directory test-cflags-set B=$(B)/cflags/$(s) CARGO_DIR=target/cflags/$(s) $(cflags_$(s)) &&) true
test-cflags-set: test-codegen $(B)/test_diff
	$(RUN) $(B)/test_diff

# A sanitizer in CFLAGS gets an instrumented object (tools/c-codegen.sh):
# ASan and TSan with gcc, MSan with clang (the clang of rustc's LLVM
# version, MSAN_CC; skipped with the reason where it is missing), each
# library built in a directory of its own, with a program that reads all
# that sockctl writes for it and the legacy programs' exchange.
MSAN_CC   ?= clang-22
SANITIZED := address thread memory
test-sanitized-lib:
	@status=0; for s in $(SANITIZED); do \
		cc="$(CC)"; [ $$s != memory ] || cc=$(MSAN_CC); \
		if ! command -v $${cc%% *} >/dev/null; then \
			echo "skipped [sanitized library: $$s]: no $$cc (tools/setup.sh installs it on Debian)"; \
			echo "sanitized $$s: 0 passed, 0 failed, 1 skipped"; continue; fi; \
		$(MAKE) --no-print-directory test-sanitized-set B=$(B)/sanitized/$$s CARGO_DIR=target/sanitized/$$s CC="$$cc" \
			CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=$$s" LDFLAGS="-fsanitize=$$s" || status=1; \
	done; exit $$status
test-sanitized-set: $(B)/sanitized_user $(B)/server $(B)/client
	c_tests/e2e/test_sanitized_lib.sh $(B)
$(B)/sanitized_user: c_tests/packaging/sanitized_user.c $(LIB_A) $(HEADER) ; $(link)

# The original and sockctl side by side: property matrix, then system calls.
test-diff: $(B)/test_diff
	$(B)/test_diff --markdown $(B)/diff-table.md
	python3 c_tests/compare/test_trace.py $(B)/test_diff

test-e2e: $(B)/server $(B)/client $(B)/server-ref $(B)/client-ref
	c_tests/e2e/test_e2e.sh $(B)/server $(B)/client $(B)/e2e $(B)/server-ref $(B)/client-ref

# make install into a temporary DESTDIR; the legacy programs built against the
# installed copy with pkg-config (static, shared) and with CMake; uninstall.
test-install: lib
	c_tests/packaging/test_install.sh "$(MAKE)" $(B)/install-test

# The migration guide's steps, applied to a legacy-shaped tree, built three ways;
# then its next step: RecvSend.c moved into the team's Rust crate (c_tests/migration/gateway).
test-migration: lib
	c_tests/migration/test_migration.sh "$(MAKE)" $(B)/migration

# CMake with a toolchain file, armv7, aarch64 and mipsel under qemu: find_package from
# a staged install (make install TARGET=...), and sockctl built from source by
# cmake/SockctlCargo.cmake. A target whose toolchain is missing is skipped.
test-cmake-cross:
	c_tests/packaging/test_cmake_cross.sh "$(MAKE)" $(B)/cmake-cross

# The same sources built in two directories give the same archive and library.
test-repro:
	c_tests/packaging/test_repro.sh "$(MAKE)" $(B)/repro

# Per-function builds and the symbol prefix link where they must.
test-features: prefixed lib
	c_tests/packaging/test_features.sh "$(CC)" $(B)/features

# Bad input, faults, signal storms, 100,000 failing calls, 16 threads.
test-hardening: $(B)/test_hardening
	$(B)/test_hardening

test-soak: $(B)/server $(B)/client
	c_tests/e2e/test_soak.sh $(B)/server $(B)/client $(B)/soak 10000

# ASan+UBSan and valgrind memcheck on the C tests and the legacy programs,
# TSan on the multi-threaded legacy client. Any report fails.
test-sanitize: $(B)/asan/test_contract $(B)/asan/test_hardening $(B)/asan/server $(B)/asan/client \
		$(B)/tsan/client $(B)/server $(B)/client $(B)/test_contract_static $(B)/test_hardening
	c_tests/e2e/test_sanitize.sh $(B)

# The suites of one TARGET, its programs under qemu-user: ABI, the host
# program, compiled like the C original, contract (static and shared), a thread cancelled in connect,
# differential, hardening (quick), the legacy programs' exchange.
ifndef NO_RUN
test-target: lib $(B)/test_contract_static $(B)/test_cancel $(B)/test_diff $(B)/test_hardening $(B)/server $(B)/client \
		$(B)/server-ref $(B)/client-ref $(B)/host_program $(B)/host_program-ref $(if $(NO_SHARED),,$(B)/test_contract_shared) \
		$(CODEGEN_PROGRAMS)
	$(CODEGEN_ENV) c_tests/cross/check_target.sh "$(TARGET)" $(B) "$(RUN)" "$(TOOLS)"
	$(if $(filter $(TARGET),$(CFLAGS_TARGETS)),@$(MAKE) --no-print-directory test-cflags)
else
# A target nothing here can run (macOS, FreeBSD): its files, checked
# without running them (c_tests/cross/check_files.sh): exports and needed
# libraries, the legacy programs and the contract test linked with no other
# flag, the header with its system headers, clippy and the Rust test
# binaries; what would run a program is a counted skip.
test-target: lib $(B)/server $(B)/client $(B)/server-ref $(B)/client-ref $(B)/test_contract_static \
		$(if $(NO_SHARED),,$(B)/test_contract_shared)
	CC="$(CC)" CARGO="$(CARGO)" c_tests/cross/check_files.sh "$(TARGET)" $(B) "$(TOOLS)" $(OS)
endif

# Every cross target: built and tested, or skipped with the reason; the
# targets side by side (CROSS_JOBS at once, default the number of CPUs),
# each into its log build/cross/<target>.log, shown whole when it is done
# (with its "N passed, N failed, N skipped" lines that make test adds up).
CROSS_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test-cross:
	@mkdir -p build/cross
	@$(MAKE) --no-print-directory -j$(CROSS_JOBS) $(addprefix cross-,$(CROSS_TARGETS))

cross-%:
	@log=build/cross/$*.log; \
	if why=$$(tools/setup.sh --check-target $*); then \
		$(MAKE) --no-print-directory test-target TARGET=$* >$$log 2>&1; rc=$$?; cat $$log; \
		[ $$rc = 0 ] || { echo "cross $*: build or suite failed (above; $$log)"; exit 1; }; \
	else echo "skipped [cross $*]: $$why"; echo "cross $*: 0 passed, 0 failed, 1 skipped"; fi

# (tools/header-gen and the migration fixture are workspaces of their own.)
lint:
	$(CARGO) fmt --all --check
	$(CARGO) fmt --manifest-path tools/header-gen/Cargo.toml --check
	$(CARGO) fmt --manifest-path c_tests/migration/gateway/Cargo.toml --check
	$(CARGO) clippy --workspace $(NOT_STATICLIB) --all-targets -- -D warnings
	$(CARGO) clippy -p sockctl --release -- -D warnings
	$(CARGO) clippy -p sockctl-core --no-default-features -- -D warnings
	$(CARGO) clippy -p sockctl --release --no-default-features --features server --target-dir $(VARIANT_DIR) -- -D warnings
	$(CARGO) clippy -p sockctl --release --no-default-features --features client --target-dir $(VARIANT_DIR) -- -D warnings
	SOCKCTL_SYMBOL_PREFIX=rs_ $(CARGO) clippy -p sockctl --release --target-dir $(VARIANT_DIR) -- -D warnings
	$(CARGO) clippy --manifest-path staticlib/Cargo.toml --release -- -D warnings
	$(CARGO) clippy --manifest-path tools/header-gen/Cargo.toml --target-dir target/tools -- -D warnings
	$(CARGO) clippy --manifest-path c_tests/migration/gateway/Cargo.toml --release --target-dir target/migration -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace $(NOT_STATICLIB) --no-deps
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p sockctl-core --no-deps --no-default-features
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p sockctl --no-deps --release

clean:
	$(CARGO) clean
	rm -rf build
