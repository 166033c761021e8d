# ---- release: licences, manual pages, ABI baseline, dist tarball -----------------
# Included by the Makefile after its install rules.
#
#   make dist           build/sockctl-$(VERSION).tar.gz: HEAD's sources, the vendored
#                       crates, .cargo/config.toml; builds with no network
#                       (tools/dist.sh, docs/PACKAGING.md); needs a CHANGELOG.md section
#   make abi-baseline   rewrites abi/libsockctl.so.0.abi after a deliberate ABI change

DATAROOTDIR ?= $(PREFIX)/share
MANDIR      ?= $(DATAROOTDIR)/man
DOCDIR      ?= $(DATAROOTDIR)/doc/sockctl
MAN_PAGES   := man/listenSocket.3 man/tcpCreateClient.3 man/tcpCloseSocket.3 man/sockctl.7
DOC_FILES   := LICENSE-MIT LICENSE-APACHE CHANGELOG.md
man_path     = $(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(1)))/$(notdir $(1))
INSTALLED   += $(foreach p,$(MAN_PAGES),$(call man_path,$(p))) $(addprefix $(DESTDIR)$(DOCDIR)/,$(DOC_FILES))
# (make uninstall removes these directories when they are left empty.)
UNINSTALL_DIRS = $(DESTDIR)$(DOCDIR) $(DESTDIR)$(DATAROOTDIR)/doc $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7 \
	$(DESTDIR)$(MANDIR) $(DESTDIR)$(DATAROOTDIR)

.PHONY: install-doc dist abi-baseline test-man test-abidiff test-dist docs

# The docs' generated blocks (docs/CROSS.md's targets, docs/MIGRATING.md's
# installed files), rewritten from the build's facts; test-man fails while stale.
docs:
	python3 c_tests/packaging/docs_facts.py $(CURDIR) --write >/dev/null

install: install-doc
install-doc:
	install -d $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DOCDIR)
	install -m 644 $(filter %.3,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man3/
	install -m 644 $(filter %.7,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man7/
	install -m 644 $(DOC_FILES) $(DESTDIR)$(DOCDIR)/

# The workspaces whose lock files the library's build reads: their crates
# are vendored into the tarball.
DIST_MANIFESTS := Cargo.toml
DIST_TAR       := build/sockctl-$(VERSION).tar.gz

dist:
	CARGO="$(CARGO)" tools/dist.sh $(VERSION) $(DIST_TAR) build/dist $(DIST_MANIFESTS)

# The ABI as abidw sees it: the shared library made as make makes it, from
# a build of the same code with debug information that tools/ship-archive.sh
# keeps (SHIP_KEEP_DEBUG=1): the shipped library has none, and without it
# abidw sees only the symbols and their versions. The baseline names the
# compilation units by their crate only (not a cargo cache's path, a hash).
# One baseline per target: abi/ for the host, abi/<triple>/ for TARGET.
ABI_BASELINE   := abi/$(if $(TARGET),$(TARGET)/)libsockctl.so.$(SOMAJOR).abi
ABI_TARGET_DIR := target/abi
ABI_RAW        := $(ABI_TARGET_DIR)/$(RUST_TARGET)/release/libsockctl.a
ABI_A          := $(B)/abi/libsockctl.a
ABI_SO         := $(B)/abi/libsockctl.so.$(VERSION)
ABIDW_FLAGS    := --no-corpus-path --no-comp-dir-path --no-show-locs --type-id-style hash

# The library's own cargo build (the Makefile's cargo_staticlib), with
# debug information, in a target directory of its own.
$(ABI_RAW): FORCE | check-toolchain
	$(call cargo_staticlib,--target-dir $(ABI_TARGET_DIR),CARGO_PROFILE_RELEASE_DEBUG=2)
	@test -s $@ || { echo "error: cargo built no $@" >&2; exit 1; }

$(ABI_A): $(ABI_RAW) tools/ship-archive.sh
	SHIP_KEEP_DEBUG=1 tools/ship-archive.sh $< $@ $(RUST_TARGET) $(TOOLS)

$(ABI_SO): $(ABI_A) $(B)/sockctl.map
	$(link_shared)

abi-baseline: $(ABI_SO)
	@mkdir -p $(dir $(ABI_BASELINE))
	abidw $(ABIDW_FLAGS) $< | sed -E "s|path='[^']*/([A-Za-z0-9_]+)\.[0-9a-f]+-(cgu\.[0-9]+)'|path='\1.\2'|" >$(ABI_BASELINE).tmp
	mv $(ABI_BASELINE).tmp $(ABI_BASELINE)

# abidiff of the built library against the baseline; for every target with
# an ELF shared library (make test-target runs it too; libabigail reads no
# Mach-O).
test-abidiff: $(ABI_SO) lib
	c_tests/packaging/check_abidiff.sh $(ABI_BASELINE) $(ABI_SO) $(LIB_SO)
test-target: $(if $(or $(NO_SHARED),$(filter macho,$(OBJFMT))),,test-abidiff)

# mandoc -Tlint, man -l, and the pages agree with README, src/msg.rs, the header;
# the docs' targets, installed files and link flags are the build's.
test-man:
	c_tests/packaging/check_man.sh

# make dist twice (same bytes), its contents, and a build from it with no
# network and an empty CARGO_HOME, for the host and armv7 (as a firmware
# build system calls make), with the contract test run against each.
test-dist:
	c_tests/packaging/test_dist.sh "$(MAKE)" build/dist-test
