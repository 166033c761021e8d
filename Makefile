# sockctl: build the Rust library, its header, the legacy-style C programs
# relinked against it, and run every test.
#
#   make            library, header check, legacy server and client
#   make demo       the relinked server and client talk over loopback
#   make test       every test; ends with "total: N passed, N failed"
#   make bench      sockctl against the original C helpers; writes docs/BENCHMARKS.md
#   make header     regenerate include/sockctl.h after changing src/capi.rs
#   make install    PREFIX, LIBDIR, INCLUDEDIR, DESTDIR; make uninstall likewise
#   make prefixed   exports under SYMBOL_PREFIX (default rs_), with its header
#   make reference  the legacy programs built on the C reference of the originals
#   make clean
#
# Honours CC, CXX, CFLAGS, LDFLAGS and CARGO.

SHELL   := /bin/bash
CC      ?= cc
CXX     ?= c++
CARGO   ?= cargo
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra
LDFLAGS ?=

TARGET_DIR := target
RELDIR     := $(TARGET_DIR)/release
STATICLIB  := $(RELDIR)/libsockctl.a
SHAREDLIB  := $(RELDIR)/libsockctl.so
HEADER     := include/sockctl.h
B          := build

# Installation (make install / uninstall).
PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DESTDIR    ?=
VERSION    := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
SOMAJOR    := $(word 1,$(subst ., ,$(VERSION)))
SOMINOR    := $(word 2,$(subst ., ,$(VERSION)))
SONAME     := libsockctl.so.$(SOMAJOR)

# The system libraries a Rust staticlib needs, as rustc reports them for
# this toolchain (`rustc --print native-static-libs`).
NATIVE_LIBS_FILE := $(B)/native-static-libs.txt
NATIVE_LIBS = $(shell cat $(NATIVE_LIBS_FILE))
# Drop the unused parts of the Rust standard library from C executables.
GC_LDFLAGS := -Wl,--gc-sections

RUST_SRC := Cargo.toml Cargo.lock build.rs cbindgen.toml $(wildcard src/*.rs src/*/*.rs)
LEGACY_SRC := c_tests/legacy/legacy_types.h c_tests/legacy/queue.h
CPPFLAGS_SOCKCTL := -Iinclude -Ic_tests/legacy

.PHONY: all lib bench demo install uninstall prefixed reference header clean lint test test-suites test-rust test-header \
	test-c test-abi test-diff test-e2e test-hardening test-soak test-sanitize test-install test-features FORCE

all: lib $(B)/server $(B)/client

lib: $(STATICLIB) $(B)/lib/$(SONAME)

$(STATICLIB) $(SHAREDLIB) &: $(RUST_SRC) $(HEADER)
	$(CARGO) build --release
	@touch $(STATICLIB) $(SHAREDLIB)

header:
	SOCKCTL_BLESS=1 $(CARGO) build --release

# ---- install ------------------------------------------------------------------

D_LIB := $(DESTDIR)$(LIBDIR)
D_INC := $(DESTDIR)$(INCLUDEDIR)
INSTALLED := $(D_LIB)/libsockctl.a $(D_LIB)/libsockctl.so.$(VERSION) $(D_LIB)/$(SONAME) $(D_LIB)/libsockctl.so \
	$(D_INC)/sockctl.h $(D_LIB)/pkgconfig/sockctl.pc \
	$(D_LIB)/cmake/sockctl/sockctl-config.cmake $(D_LIB)/cmake/sockctl/sockctl-config-version.cmake

SUBST = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' \
	-e 's|@VERSION@|$(VERSION)|g' -e 's|@SOMAJOR@|$(SOMAJOR)|g' -e 's|@VERSION_MINOR@|$(SOMINOR)|g' \
	-e 's|@NATIVE_LIBS@|$(NATIVE_LIBS)|g' -e 's|@NATIVE_LIBS_CMAKE@|$(subst $(space),;,$(strip $(NATIVE_LIBS)))|g' \
	-e "s|@INCLUDEDIR_FROM_LIBDIR@|$$(realpath -m --relative-to='$(LIBDIR)' '$(INCLUDEDIR)')|g"
space := $(subst ,, )

install: lib $(NATIVE_LIBS_FILE)
	install -d $(D_LIB)/pkgconfig $(D_LIB)/cmake/sockctl $(D_INC)
	install -m 644 $(STATICLIB) $(D_LIB)/libsockctl.a
	install -m 755 $(SHAREDLIB) $(D_LIB)/libsockctl.so.$(VERSION)
	ln -sf libsockctl.so.$(VERSION) $(D_LIB)/$(SONAME)
	ln -sf $(SONAME) $(D_LIB)/libsockctl.so
	install -m 644 $(HEADER) $(D_INC)/sockctl.h
	$(SUBST) pkg/sockctl.pc.in > $(D_LIB)/pkgconfig/sockctl.pc
	$(SUBST) pkg/sockctl-config.cmake.in > $(D_LIB)/cmake/sockctl/sockctl-config.cmake
	$(SUBST) pkg/sockctl-config-version.cmake.in > $(D_LIB)/cmake/sockctl/sockctl-config-version.cmake

uninstall:
	rm -f $(INSTALLED)
	-rmdir $(D_LIB)/cmake/sockctl 2>/dev/null

# ---- per-function builds and the symbol prefix --------------------------------

# The variants build one after the other in one target directory, so that
# they share the build dependencies (cbindgen), and their libraries are
# copied out of it.
VARIANT_DIR := $(TARGET_DIR)/variants
SERVER_ONLY := $(B)/variants/server-only/libsockctl.a
CLIENT_ONLY := $(B)/variants/client-only/libsockctl.a

# Only listenSocket (feature "server"), for a program that keeps its own
# tcpCreateClient and tcpCloseSocket; and only the client pair.
$(SERVER_ONLY) $(CLIENT_ONLY) &: $(RUST_SRC) $(HEADER)
	$(CARGO) build --release --no-default-features --features server --target-dir $(VARIANT_DIR)
	mkdir -p $(dir $(SERVER_ONLY)) && cp $(VARIANT_DIR)/release/libsockctl.a $(SERVER_ONLY)
	$(CARGO) build --release --no-default-features --features client --target-dir $(VARIANT_DIR)
	mkdir -p $(dir $(CLIENT_ONLY)) && cp $(VARIANT_DIR)/release/libsockctl.a $(CLIENT_ONLY)

# SYMBOL_PREFIX=rs_: the functions are rs_listenSocket, ... in
# $(B)/prefixed/lib/libsockctl.{a,so}, declared by $(B)/prefixed/include/sockctl.h.
# FORCE: the prefix may differ from the last build's; cargo rebuilds only then.
SYMBOL_PREFIX ?= rs_
# (After the feature variants: they share $(VARIANT_DIR), so never build at once.)
prefixed: $(B)/prefixed/include/sockctl.h FORCE | $(SERVER_ONLY) $(CLIENT_ONLY)
	SOCKCTL_SYMBOL_PREFIX=$(SYMBOL_PREFIX) $(CARGO) build --release --target-dir $(VARIANT_DIR)
	mkdir -p $(B)/prefixed/lib
	cp $(VARIANT_DIR)/release/libsockctl.a $(VARIANT_DIR)/release/libsockctl.so $(B)/prefixed/lib/

$(B)/prefixed/include/sockctl.h: $(HEADER) FORCE
	mkdir -p $(@D)
	sed -E -e 's/\b(listenSocket|tcpCreateClient|tcpCloseSocket)\(/$(SYMBOL_PREFIX)\1(/' \
		-e 's/\bSOCKCTL_H\b/SOCKCTL_$(SYMBOL_PREFIX)H/' $(HEADER) > $@

$(B):
	mkdir -p $(B)

FORCE:

$(NATIVE_LIBS_FILE): | $(B)
	echo '' | rustc --crate-type staticlib -C panic=abort --print native-static-libs \
		-o $(B)/native-probe.a - 2>&1 | sed -n 's/.*native-static-libs: //p' > $@.tmp
	test -s $@.tmp && mv $@.tmp $@
	rm -f $(B)/native-probe.a

# ---- the legacy-style programs, against libsockctl.a ------------------------

$(B)/server: c_tests/legacy/server.c $(LEGACY_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_SOCKCTL) -o $@ c_tests/legacy/server.c \
		$(STATICLIB) $(LDFLAGS) $(GC_LDFLAGS) $(NATIVE_LIBS)

$(B)/client: c_tests/legacy/client.c c_tests/legacy/queue.c $(LEGACY_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_SOCKCTL) -pthread -o $@ c_tests/legacy/client.c c_tests/legacy/queue.c \
		$(STATICLIB) $(LDFLAGS) $(GC_LDFLAGS) $(NATIVE_LIBS)

# ---- the same programs against the C reference of the originals ------------

# make reference: build/server-ref and build/client-ref, for comparisons.
reference: $(B)/server-ref $(B)/client-ref

# Same flags as above, so that sizes compare (make bench).
$(B)/server-ref: c_tests/legacy/server.c c_tests/reference/reference.c $(LEGACY_SRC) $(HEADER) | $(B)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_SOCKCTL) -o $@ c_tests/legacy/server.c c_tests/reference/reference.c \
		$(LDFLAGS) $(GC_LDFLAGS)

$(B)/client-ref: c_tests/legacy/client.c c_tests/legacy/queue.c c_tests/reference/reference.c $(LEGACY_SRC) $(HEADER) | $(B)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_SOCKCTL) -pthread -o $@ c_tests/legacy/client.c c_tests/legacy/queue.c \
		c_tests/reference/reference.c $(LDFLAGS) $(GC_LDFLAGS)

# ---- C tests ----------------------------------------------------------------

TESTLIB := c_tests/lib/testlib.c c_tests/lib/faults.c
TESTLIB_DEPS := $(TESTLIB) c_tests/lib/testlib.h c_tests/lib/faults.h
CONTRACT_SRC := c_tests/contract/test_contract.c $(TESTLIB_DEPS)

$(B)/test_contract_static: $(CONTRACT_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)
	$(CC) $(CFLAGS) $(WARN) -Iinclude -Ic_tests -Ic_tests/lib -pthread -o $@ c_tests/contract/test_contract.c $(TESTLIB) \
		$(STATICLIB) $(LDFLAGS) $(GC_LDFLAGS) $(NATIVE_LIBS)

$(B)/test_contract_shared: $(CONTRACT_SRC) $(B)/lib/$(SONAME) | $(B)
	$(CC) $(CFLAGS) $(WARN) -Iinclude -Ic_tests -Ic_tests/lib -pthread -o $@ c_tests/contract/test_contract.c $(TESTLIB) \
		-L$(B)/lib -Wl,-rpath,'$$ORIGIN/lib' -lsockctl -ldl $(LDFLAGS)

# The shared library as installed: libsockctl.so.X.Y.Z, .so.X and .so.
$(B)/lib/$(SONAME): $(SHAREDLIB) | $(B)
	mkdir -p $(B)/lib
	cp $(SHAREDLIB) $(B)/lib/libsockctl.so.$(VERSION)
	ln -sf libsockctl.so.$(VERSION) $(B)/lib/$(SONAME)
	ln -sf $(SONAME) $(B)/lib/libsockctl.so

$(B)/test_hardening: c_tests/contract/test_hardening.c $(TESTLIB_DEPS) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)
	$(CC) $(CFLAGS) $(WARN) -Iinclude -Ic_tests -Ic_tests/lib -pthread -o $@ c_tests/contract/test_hardening.c $(TESTLIB) \
		$(STATICLIB) $(LDFLAGS) $(GC_LDFLAGS) $(NATIVE_LIBS)

# ---- sanitizer builds (the C side instrumented; the Rust library as shipped) --

ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
TSAN_FLAGS := -O1 -g -fsanitize=thread

$(B)/asan $(B)/tsan:
	mkdir -p $@

$(B)/asan/test_contract: $(CONTRACT_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)/asan
	$(CC) $(ASAN_FLAGS) $(WARN) -Iinclude -Ic_tests -Ic_tests/lib -pthread -o $@ c_tests/contract/test_contract.c $(TESTLIB) \
		$(STATICLIB) $(LDFLAGS) $(NATIVE_LIBS)

$(B)/asan/test_hardening: c_tests/contract/test_hardening.c $(TESTLIB_DEPS) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)/asan
	$(CC) $(ASAN_FLAGS) $(WARN) -Iinclude -Ic_tests -Ic_tests/lib -pthread -o $@ c_tests/contract/test_hardening.c $(TESTLIB) \
		$(STATICLIB) $(LDFLAGS) $(NATIVE_LIBS)

$(B)/asan/server: c_tests/legacy/server.c $(LEGACY_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)/asan
	$(CC) $(ASAN_FLAGS) $(WARN) $(CPPFLAGS_SOCKCTL) -o $@ c_tests/legacy/server.c $(STATICLIB) $(LDFLAGS) $(NATIVE_LIBS)

$(B)/asan/client: c_tests/legacy/client.c c_tests/legacy/queue.c $(LEGACY_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)/asan
	$(CC) $(ASAN_FLAGS) $(WARN) $(CPPFLAGS_SOCKCTL) -pthread -o $@ c_tests/legacy/client.c c_tests/legacy/queue.c \
		$(STATICLIB) $(LDFLAGS) $(NATIVE_LIBS)

$(B)/tsan/client: c_tests/legacy/client.c c_tests/legacy/queue.c $(LEGACY_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)/tsan
	$(CC) $(TSAN_FLAGS) $(WARN) $(CPPFLAGS_SOCKCTL) -pthread -o $@ c_tests/legacy/client.c c_tests/legacy/queue.c \
		$(STATICLIB) $(LDFLAGS) $(NATIVE_LIBS)

DIFF_SRC := c_tests/compare/test_diff.c c_tests/lib/impls.h $(TESTLIB_DEPS) c_tests/reference/reference.c

$(B)/test_diff: $(DIFF_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)
	$(CC) $(CFLAGS) $(WARN) -Iinclude -Ic_tests -Ic_tests/lib -pthread -o $@ c_tests/compare/test_diff.c $(TESTLIB) \
		-DREF_PREFIX=c_ c_tests/reference/reference.c $(STATICLIB) $(LDFLAGS) $(GC_LDFLAGS) $(NATIVE_LIBS)

$(B)/bench: c_tests/bench/bench.c c_tests/lib/impls.h c_tests/lib/testlib.c c_tests/lib/testlib.h c_tests/reference/reference.c $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)
	$(CC) $(CFLAGS) $(WARN) -Iinclude -Ic_tests -Ic_tests/lib -o $@ c_tests/bench/bench.c c_tests/lib/testlib.c -DREF_PREFIX=c_ c_tests/reference/reference.c \
		$(STATICLIB) $(LDFLAGS) $(GC_LDFLAGS) $(NATIVE_LIBS)

# Figures for docs/BENCHMARKS.md: time, system calls, instructions, size.
bench: $(B)/bench $(B)/server $(B)/client $(B)/server-ref $(B)/client-ref
	c_tests/bench/bench.sh $(B) docs/BENCHMARKS.md

demo: $(B)/server $(B)/client
	@c_tests/e2e/exchange.sh --show $(B)/server $(B)/client $(B)/demo 3 300

# Runs every suite, then adds up the "N passed, N failed" lines they print.
test: | $(B)
	@set -o pipefail; $(MAKE) --no-print-directory test-suites 2>&1 | tee $(B)/test.log; status=$$?; \
	awk '{ for (i = 2; i <= NF; i++) { if ($$i ~ /^passed[;,]?$$/) p += $$(i-1); if ($$i ~ /^failed[;,]?$$/) f += $$(i-1) } } \
	     END { printf "total: %d passed, %d failed\n", p, f }' $(B)/test.log; \
	[ $$status = 0 ] || { echo "make test: FAILED (see above)"; exit 1; }

test-suites: test-rust test-header test-c test-abi test-diff test-e2e test-hardening test-soak test-sanitize \
	test-install test-features lint

test-rust:
	$(CARGO) test --no-default-features

test-header: lib
	c_tests/packaging/check_header.sh "$(CC)" "$(CXX)"

test-c: $(B)/test_contract_static $(B)/test_contract_shared
	$(B)/test_contract_static
	$(B)/test_contract_shared

test-abi: $(B)/server $(B)/client $(B)/test_contract_static $(SHAREDLIB)
	c_tests/packaging/check_abi.sh $(STATICLIB) $(SHAREDLIB) $(B)/server $(B)/client $(B)/test_contract_static

# The original and sockctl side by side: property matrix, then system calls.
test-diff: $(B)/test_diff
	$(B)/test_diff --markdown $(B)/diff-table.md
	python3 c_tests/compare/test_trace.py $(B)/test_diff

test-e2e: $(B)/server $(B)/client $(B)/server-ref $(B)/client-ref
	c_tests/e2e/test_e2e.sh $(B)/server $(B)/client $(B)/e2e $(B)/server-ref $(B)/client-ref

# make install into a temporary DESTDIR; the legacy programs built against the
# installed copy with pkg-config (static, shared) and with CMake; uninstall.
test-install: lib $(NATIVE_LIBS_FILE)
	c_tests/packaging/test_install.sh "$(MAKE)" $(B)/install-test

# Per-function builds and the symbol prefix link where they must.
test-features: $(SERVER_ONLY) $(CLIENT_ONLY) prefixed $(STATICLIB) $(NATIVE_LIBS_FILE)
	c_tests/packaging/test_features.sh "$(CC)" $(B)/features "$(NATIVE_LIBS)"

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

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --release -- -D warnings
	$(CARGO) clippy --no-default-features --all-targets -- -D warnings
	$(CARGO) clippy --release --no-default-features --features server --target-dir $(VARIANT_DIR) -- -D warnings
	$(CARGO) clippy --release --no-default-features --features client --target-dir $(VARIANT_DIR) -- -D warnings
	SOCKCTL_SYMBOL_PREFIX=rs_ $(CARGO) clippy --release --target-dir $(VARIANT_DIR) -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --no-default-features
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --release

clean:
	$(CARGO) clean
	rm -rf $(B)
