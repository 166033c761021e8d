# sockctl: build the Rust library, its header, the legacy-style C programs
# relinked against it, and run every test.
#
#   make          library, header check, legacy server and client
#   make demo     the relinked server and client talk over loopback
#   make test     every test (Rust, C contract, header, ABI, differential, end to end, lint)
#   make bench    sockctl against the original C helpers; writes docs/BENCHMARKS.md
#   make header   regenerate include/sockctl.h after changing src/capi.rs
#   make clean
#
# Honours CC, CFLAGS, LDFLAGS and CARGO.

SHELL   := /bin/bash
CC      ?= cc
CXX     ?= c++
CARGO   ?= cargo
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra
LDFLAGS ?=

TARGET_DIR := target
LIBDIR     := $(TARGET_DIR)/release
STATICLIB  := $(LIBDIR)/libsockctl.a
SHAREDLIB  := $(LIBDIR)/libsockctl.so
HEADER     := include/sockctl.h
B          := build

# The system libraries a Rust staticlib needs, as rustc reports them for
# this toolchain (`rustc --print native-static-libs`).
NATIVE_LIBS_FILE := $(B)/native-static-libs.txt
NATIVE_LIBS = $(shell cat $(NATIVE_LIBS_FILE))
# Drop the unused parts of the Rust standard library from C executables.
GC_LDFLAGS := -Wl,--gc-sections

RUST_SRC := Cargo.toml Cargo.lock build.rs cbindgen.toml $(wildcard src/*.rs src/*/*.rs)
LEGACY_SRC := c_tests/legacy/legacy_types.h c_tests/legacy/queue.h
CPPFLAGS_SOCKCTL := -Iinclude -Ic_tests/legacy

.PHONY: all lib bench demo test test-suites test-rust test-header test-c test-abi test-diff test-e2e test-hardening \
	test-soak test-sanitize lint header clean

all: lib $(B)/server $(B)/client

lib: $(STATICLIB)

$(STATICLIB) $(SHAREDLIB) &: $(RUST_SRC) $(HEADER)
	$(CARGO) build --release
	@touch $(STATICLIB) $(SHAREDLIB)

header:
	SOCKCTL_BLESS=1 $(CARGO) build --release

$(B):
	mkdir -p $(B)

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

# Same flags as above, so that sizes compare (make bench).
$(B)/server-ref: c_tests/legacy/server.c c_tests/reference/reference.c $(LEGACY_SRC) $(HEADER) | $(B)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_SOCKCTL) -o $@ c_tests/legacy/server.c c_tests/reference/reference.c \
		$(LDFLAGS) $(GC_LDFLAGS)

$(B)/client-ref: c_tests/legacy/client.c c_tests/legacy/queue.c c_tests/reference/reference.c $(LEGACY_SRC) $(HEADER) | $(B)
	$(CC) $(CFLAGS) $(WARN) $(CPPFLAGS_SOCKCTL) -pthread -o $@ c_tests/legacy/client.c c_tests/legacy/queue.c \
		c_tests/reference/reference.c $(LDFLAGS) $(GC_LDFLAGS)

# ---- C tests ----------------------------------------------------------------

TESTLIB := c_tests/testlib.c c_tests/faults.c
TESTLIB_DEPS := $(TESTLIB) c_tests/testlib.h c_tests/faults.h
CONTRACT_SRC := c_tests/test_contract.c $(TESTLIB_DEPS)

$(B)/test_contract_static: $(CONTRACT_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)
	$(CC) $(CFLAGS) $(WARN) -Iinclude -Ic_tests -pthread -o $@ c_tests/test_contract.c $(TESTLIB) \
		$(STATICLIB) $(LDFLAGS) $(GC_LDFLAGS) $(NATIVE_LIBS)

$(B)/test_contract_shared: $(CONTRACT_SRC) $(SHAREDLIB) | $(B)
	$(CC) $(CFLAGS) $(WARN) -Iinclude -Ic_tests -pthread -o $@ c_tests/test_contract.c $(TESTLIB) \
		-L$(LIBDIR) -Wl,-rpath,'$$ORIGIN/../$(LIBDIR)' -lsockctl -ldl $(LDFLAGS)

$(B)/test_hardening: c_tests/test_hardening.c $(TESTLIB_DEPS) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)
	$(CC) $(CFLAGS) $(WARN) -Iinclude -Ic_tests -pthread -o $@ c_tests/test_hardening.c $(TESTLIB) \
		$(STATICLIB) $(LDFLAGS) $(GC_LDFLAGS) $(NATIVE_LIBS)

# ---- sanitizer builds (the C side instrumented; the Rust library as shipped) --

ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
TSAN_FLAGS := -O1 -g -fsanitize=thread

$(B)/asan $(B)/tsan:
	mkdir -p $@

$(B)/asan/test_contract: $(CONTRACT_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)/asan
	$(CC) $(ASAN_FLAGS) $(WARN) -Iinclude -Ic_tests -pthread -o $@ c_tests/test_contract.c $(TESTLIB) \
		$(STATICLIB) $(LDFLAGS) $(NATIVE_LIBS)

$(B)/asan/test_hardening: c_tests/test_hardening.c $(TESTLIB_DEPS) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)/asan
	$(CC) $(ASAN_FLAGS) $(WARN) -Iinclude -Ic_tests -pthread -o $@ c_tests/test_hardening.c $(TESTLIB) \
		$(STATICLIB) $(LDFLAGS) $(NATIVE_LIBS)

$(B)/asan/server: c_tests/legacy/server.c $(LEGACY_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)/asan
	$(CC) $(ASAN_FLAGS) $(WARN) $(CPPFLAGS_SOCKCTL) -o $@ c_tests/legacy/server.c $(STATICLIB) $(LDFLAGS) $(NATIVE_LIBS)

$(B)/asan/client: c_tests/legacy/client.c c_tests/legacy/queue.c $(LEGACY_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)/asan
	$(CC) $(ASAN_FLAGS) $(WARN) $(CPPFLAGS_SOCKCTL) -pthread -o $@ c_tests/legacy/client.c c_tests/legacy/queue.c \
		$(STATICLIB) $(LDFLAGS) $(NATIVE_LIBS)

$(B)/tsan/client: c_tests/legacy/client.c c_tests/legacy/queue.c $(LEGACY_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)/tsan
	$(CC) $(TSAN_FLAGS) $(WARN) $(CPPFLAGS_SOCKCTL) -pthread -o $@ c_tests/legacy/client.c c_tests/legacy/queue.c \
		$(STATICLIB) $(LDFLAGS) $(NATIVE_LIBS)

DIFF_SRC := c_tests/test_diff.c c_tests/impls.h $(TESTLIB_DEPS) c_tests/reference/reference.c

$(B)/test_diff: $(DIFF_SRC) $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)
	$(CC) $(CFLAGS) $(WARN) -Iinclude -Ic_tests -pthread -o $@ c_tests/test_diff.c $(TESTLIB) \
		-DREF_PREFIX=c_ c_tests/reference/reference.c $(STATICLIB) $(LDFLAGS) $(GC_LDFLAGS) $(NATIVE_LIBS)

$(B)/bench: c_tests/bench.c c_tests/impls.h c_tests/testlib.c c_tests/testlib.h c_tests/reference/reference.c $(STATICLIB) $(NATIVE_LIBS_FILE) | $(B)
	$(CC) $(CFLAGS) $(WARN) -Iinclude -Ic_tests -o $@ c_tests/bench.c c_tests/testlib.c -DREF_PREFIX=c_ c_tests/reference/reference.c \
		$(STATICLIB) $(LDFLAGS) $(GC_LDFLAGS) $(NATIVE_LIBS)

# Figures for docs/BENCHMARKS.md: time, system calls, instructions, size.
bench: $(B)/bench $(B)/server $(B)/client $(B)/server-ref $(B)/client-ref
	c_tests/bench.sh $(B) docs/BENCHMARKS.md

demo: $(B)/server $(B)/client
	@c_tests/exchange.sh --show $(B)/server $(B)/client $(B)/demo 3 300

# Runs every suite, then adds up the "N passed, N failed" lines they print.
test: | $(B)
	@set -o pipefail; $(MAKE) --no-print-directory test-suites 2>&1 | tee $(B)/test.log; status=$$?; \
	awk '{ for (i = 2; i <= NF; i++) { if ($$i ~ /^passed[;,]?$$/) p += $$(i-1); if ($$i ~ /^failed[;,]?$$/) f += $$(i-1) } } \
	     END { printf "make test: %d passed, %d failed\n", p, f }' $(B)/test.log; \
	[ $$status = 0 ] || { echo "make test: FAILED (see above)"; exit 1; }

test-suites: test-rust test-header test-c test-abi test-diff test-e2e test-hardening test-soak test-sanitize lint

test-rust:
	$(CARGO) test --no-default-features

test-header: lib
	c_tests/check_header.sh "$(CC)" "$(CXX)"

test-c: $(B)/test_contract_static $(B)/test_contract_shared
	$(B)/test_contract_static
	$(B)/test_contract_shared

test-abi: $(B)/server $(B)/client $(B)/test_contract_static $(SHAREDLIB)
	c_tests/check_abi.sh $(STATICLIB) $(SHAREDLIB) $(B)/server $(B)/client $(B)/test_contract_static

# The original and sockctl side by side: property matrix, then system calls.
test-diff: $(B)/test_diff
	$(B)/test_diff --markdown $(B)/diff-table.md
	python3 c_tests/test_trace.py $(B)/test_diff

test-e2e: $(B)/server $(B)/client $(B)/server-ref $(B)/client-ref
	c_tests/test_e2e.sh $(B)/server $(B)/client $(B)/e2e $(B)/server-ref $(B)/client-ref

# Bad input, faults, signal storms, 100,000 failing calls, 16 threads.
test-hardening: $(B)/test_hardening
	$(B)/test_hardening

test-soak: $(B)/server $(B)/client
	c_tests/test_soak.sh $(B)/server $(B)/client $(B)/soak 10000

# ASan+UBSan and valgrind memcheck on the C tests and the legacy programs,
# TSan on the multi-threaded legacy client. Any report fails.
test-sanitize: $(B)/asan/test_contract $(B)/asan/test_hardening $(B)/asan/server $(B)/asan/client \
		$(B)/tsan/client $(B)/server $(B)/client $(B)/test_contract_static $(B)/test_hardening
	c_tests/test_sanitize.sh $(B)

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --release -- -D warnings
	$(CARGO) clippy --no-default-features --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --no-default-features
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --release

clean:
	$(CARGO) clean
	rm -rf $(B)
