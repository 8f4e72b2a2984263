# dipb - see README.md.  Targets: all check lint demo install uninstall clean.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
CC	?= cc
PKG_CONFIG ?= pkg-config

# The version: a release tarball's VERSION file (make dist writes it),
# else git describe: of a vX.Y.Z tag (X.Y.Z, or X.Y.Z-N-gHASH N commits
# after it), else 0.1.0-gHASH of the commit; -dirty after it when the
# tree has uncommitted changes.  0.1.0 without either.
DESCRIBE = git describe --tags --match 'v[0-9]*' --always $(1) 2>/dev/null | \
	  sed -e 's/^v//' -e t -e 's/^/0.1.0-g/'
VERSION	:= $(shell cat VERSION 2>/dev/null || $(call DESCRIBE,--dirty))
ifeq ($(VERSION),)
VERSION	:= 0.1.0
endif

LIBS_PC	= yaml-0.1 libgit2 libcmark jansson zlib libcrypto libsodium
# The oldest libgit2 dipb is built and tested with (Debian 12's; README.md,
# Layout): an older one stops make, naming its version.
LIBGIT2_MIN = 1.5
WARN	= -std=c11 -Wall -Wextra -pedantic -Wstrict-prototypes \
	  -Wmissing-prototypes -Wwrite-strings -Wformat=2 -Wvla -fno-common \
	  -Wshadow
ifeq ($(CI),true)
WARN	+= -Werror
endif
CFLAGS	?= -O2 -g
DEPFLAGS = -MMD -MP
# 64-bit file offsets, inode numbers and time on a 32-bit host too: a
# 32-bit stat(2) fails with EOVERFLOW on a 64-bit inode (XFS, overlayfs,
# NFS) or a file of 2 GiB, and a 32-bit time_t ends in 2038 (glibc 2.34
# or later; elsewhere time_t is 64-bit or the flag is unknown).  None of
# the libraries' functions dipb calls takes a time_t, off_t or struct
# stat (libgit2 has its own int64 git_time_t and git_off_t), so their
# ABI is the same either way.  No effect on a 64-bit host.  A user's
# CPPFLAGS come first: one that undoes these (-U_FILE_OFFSET_BITS) leaves
# them as they are, never _TIME_BITS without _FILE_OFFSET_BITS, which
# glibc refuses.
ALL_CPPFLAGS = -Ibuild $(CPPFLAGS) -D_POSIX_C_SOURCE=200809L \
	  -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64
# The libraries' flags, empty when pkg-config or one of their modules
# is missing, or libgit2 is older than LIBGIT2_MIN.  PC_CHECK then stops
# make at its first compile or link, naming what is missing (or too old,
# which install-deps cannot help: a newer system or libgit2 is), and
# only there: make deps, demo and check install the build set first and
# compile in a make of their own.
PC_MODULES = $(LIBS_PC) 'libgit2 >= $(LIBGIT2_MIN)'
PC_CFLAGS_ := $(shell $(PKG_CONFIG) --cflags $(PC_MODULES) 2>/dev/null)
PC_LIBS_ := $(shell $(PKG_CONFIG) --libs $(PC_MODULES) 2>/dev/null)
PC_CFLAGS = $(PC_CHECK)$(PC_CFLAGS_)
PC_LIBS	= $(PC_CHECK)$(PC_LIBS_) -pthread
PC_CHECK = $(if $(PC_LIBS_),,$(error $(PC_MISSING)$(if $(PC_ABSENT)$(if \
	  $(PC_OLD),,x),: sh .ci/install-deps build installs the build set \
	  (README.md, Install),: install-deps cannot help; a newer system \
	  or libgit2 can)))
PC_MISSING = $(if $(shell command -v '$(PKG_CONFIG)' 2>/dev/null),$(if \
	  $(PC_ABSENT),$(PKG_CONFIG) finds no $(PC_ABSENT),$(or $(PC_OLD),$(PKG_CONFIG) \
	  --libs $(LIBS_PC) fails)),no $(PKG_CONFIG))
PC_OLD = $(shell '$(PKG_CONFIG)' --atleast-version=$(LIBGIT2_MIN) libgit2 || \
	  echo "libgit2 is $$('$(PKG_CONFIG)' --modversion libgit2), dipb needs \
	  $(LIBGIT2_MIN) or later (README.md, Layout)")
PC_ABSENT = $(shell for m in $(LIBS_PC); do \
	  '$(PKG_CONFIG)' --exists $$m 2>/dev/null || echo $$m; done)

# src/<module>/: a module of several files (src/git/: everything that
# speaks git's formats or libgit2).
SRCS	:= $(sort $(wildcard src/*.c src/*/*.c))
LIBSRCS	:= $(filter-out src/main.c src/cmd_%.c,$(SRCS))
TESTSRCS := $(sort $(wildcard tests/unit/*.c))

# Release build: ./dipb.  Sanitizer build (make check): build/san/.
OBJS	:= $(SRCS:src/%.c=build/rel/%.o)
SOBJS	:= $(SRCS:src/%.c=build/san/%.o)
SLIBOBJS := $(LIBSRCS:src/%.c=build/san/%.o)
TOBJS	:= $(TESTSRCS:tests/unit/%.c=build/san/test_%.o)
# The same built by clang (make unit-clang): build/csan/.
CSLIBOBJS := $(LIBSRCS:src/%.c=build/csan/%.o)
CTOBJS	:= $(TESTSRCS:tests/unit/%.c=build/csan/test_%.o)
# The unit tests' flags and libraries, for either compiler.
UNIT_CFLAGS = $(ALL_CPPFLAGS) -Isrc $(PC_CFLAGS) $(CRITERION_CFLAGS) \
	  -std=c11 -Wall -Wextra -Wno-unused-parameter $(SANFLAGS) $(DEPFLAGS)
CRITERION_CFLAGS := $(shell $(PKG_CONFIG) --cflags criterion 2>/dev/null)
CRITERION_LIBS := $(shell $(PKG_CONFIG) --libs criterion 2>/dev/null)
# Not position-independent: a PIE's start relocated 65,000 addresses in
# the sanitizers' instrumented data, a page fault for each of its 450
# pages in every process; the checks are the same.
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=undefined -fno-pie
# GCC links its sanitizer runtimes statically here, as clang always does:
# as two shared libraries (libasan, libubsan), each start of a sanitized
# process relocated both and LeakSanitizer's scan at exit read libubsan's
# 6 MB copy of the runtime's tables too, 4,400 page faults a dipb process
# instead of 2,800, a quarter of its CPU time; the checks are the same.
CC_IS_GCC := $(shell $(CC) --version 2>/dev/null | grep -q 'Free Software Foundation' && echo yes)
SAN_LDFLAGS = -no-pie $(if $(CC_IS_GCC),-static-libasan -static-libubsan)
# Linked into the sanitizer build only: LeakSanitizer's scan at exit
# made faster (see the file).
SANSUPPORT = build/san/support/prefault.o

# libFuzzer harnesses (make fuzz): the core built again with clang.
FUZZ_CC	?= clang
FUZZ_SECONDS ?= 300
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	  -fno-omit-frame-pointer -O1 -g
FUZZ_MODS = board date diag error meeting record sshkey state text util validate yaml_emit \
	  yaml_load git/hash git/ident git/lib
FOBJS	:= $(FUZZ_MODS:%=build/fuzz/%.o)
FUZZ_SEEDS = tests/validate tests/unit/fixtures examples/drafts
# fuzz_history: what another clone's history holds, read with no libgit2
# call (git/objparse.c is the pure half of git/object.c), linked without
# libgit2.
FUZZ_HMODS = date error sshkey sshsig text trailer util git/objparse
FHOBJS	:= $(FUZZ_HMODS:%=build/fuzz/%.o)
FUZZ_HSEEDS = tests/fuzz/history

.PHONY: all deps demo check unit unit-clang cli cli-release fuzz fuzz-smoke lint lint-git install uninstall dist clean

all: dipb

# CFLAGS at the link too, as the objects were compiled with them:
# --coverage, -fprofile-generate, -flto need both.
dipb: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(PC_LIBS)

# $(call write_if_changed,LINE...): the target made of the (quoted)
# lines, rewritten only when they change, so that only what includes it
# is rebuilt then; through a temporary file of this shell's own, renamed
# over it, since two makes may run in one tree (make check's).
write_if_changed = @mkdir -p $(@D) && t=$@.$$$$.tmp && \
	  printf '%s\n' $(1) >$$t && \
	  if cmp -s $$t $@; then rm -f $$t; else mv -f $$t $@; fi

# The headers the build writes, each only when it changes.  Every
# object is compiled after them, and the dependencies the compiler
# writes (DEPFLAGS) remake exactly the objects that include one when it
# changes: build/version.h, DIPB_VERSION (dipb --version, the reports,
# SARIF), with a new tag, commit or edit.
GENH	= build/version.h build/buildid.h
build/version.h: FORCE
	$(call write_if_changed,'#define DIPB_VERSION "$(VERSION)"')
# The records cache (src/cache.c) is the build's that wrote it: its
# header carries the checksum of dipb's sources, so a rule changed
# without a format number raised never serves a record read under the
# old one (dipb(1), FILES).
BUILD_ID := $(shell cat $(SRCS) $(wildcard src/*.h src/*/*.h) | cksum | \
	  cut -d ' ' -f 1)
build/buildid.h: FORCE
	$(call write_if_changed,'#include "version.h"' \
	  '#define DIPB_BUILD_ID DIPB_VERSION "+$(BUILD_ID)"')
FORCE:

build/rel/%.o: src/%.c | build/rel $(GENH)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(PC_CFLAGS) $(WARN) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

build/san/%.o: src/%.c | build/san $(GENH)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(PC_CFLAGS) $(WARN) $(SANFLAGS) $(DEPFLAGS) -c -o $@ $<

build/san/test_%.o: tests/unit/%.c | build/san $(GENH)
	$(CC) $(UNIT_CFLAGS) -c -o $@ $<

build/san/support/%.o: tests/san/%.c | build/san
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g -fno-pie $(DEPFLAGS) -c -o $@ $<

build/san/dipb: $(SOBJS) $(SANSUPPORT)
	$(CC) $(CFLAGS) $(SANFLAGS) $(SAN_LDFLAGS) $(LDFLAGS) -o $@ $(SOBJS) $(SANSUPPORT) $(PC_LIBS)

build/san/unit: $(SLIBOBJS) $(TOBJS) $(SANSUPPORT)
	$(CC) $(CFLAGS) $(SANFLAGS) $(SAN_LDFLAGS) $(LDFLAGS) -o $@ $(SLIBOBJS) $(TOBJS) $(SANSUPPORT) $(PC_LIBS) \
	  $(CRITERION_LIBS)

build/rel build/san:
	mkdir -p $@

# Installs the Debian packages that are missing (sudo when not root):
# make deps all of them, make demo what building dipb and the demo need
# (.ci/install-deps names the sets).
deps:
	@sh .ci/install-deps

demo:
	@sh .ci/install-deps build run
	$(MAKE) dipb
	sh examples/demo.sh

# Criterion's own workers fork; ASan's leak checker is on for everything.
SAN_ENV	= ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# make check builds with CHECK_JOBS jobs (default: the processors), then
# runs lint, the unit tests, the end-to-end scripts and the fuzzing smoke
# test at once, each one's output printed whole when it ends; a make -jN
# of its own (its jobserver) wins over CHECK_JOBS.  The scripts of
# tests/cli run CLI_JOBS at a time (tests/cli/run.sh).
NPROC	:= $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
CHECK_JOBS ?= $(NPROC)
HAVE_FUZZ_CC := $(shell command -v $(FUZZ_CC) 2>/dev/null)
CHECK_J	= case " $(MAKEFLAGS) " in *" -j"* | *jobserver*) ;; \
	  *) j=-j$(CHECK_JOBS) ;; esac

check: deps
	@j=; $(CHECK_J); \
	$(MAKE) $$j build/san/dipb build/san/unit dipb \
	  $(if $(HAVE_FUZZ_CC),build/fuzz/fuzz_load build/fuzz/fuzz_history \
	  build/csan/unit)
	@j=; $(CHECK_J); \
	$(MAKE) $$j -Otarget lint unit unit-clang cli cli-release fuzz-smoke

# The unit tests again, built by clang when it is installed: its
# UndefinedBehaviorSanitizer also stops on arithmetic on a null pointer
# (NULL + 0, undefined in C, as when a packed-refs file is absent), which
# GCC's does not check.
unit-clang:
ifneq ($(HAVE_FUZZ_CC),)
	$(MAKE) build/csan/unit
	$(SAN_ENV) DIPB_SRCDIR=$(CURDIR) build/csan/unit --jobs $(NPROC)
else
	@echo "make check: no $(FUZZ_CC), no unit tests built by it"
endif

fuzz-smoke:
ifneq ($(HAVE_FUZZ_CC),)
	$(MAKE) fuzz FUZZ_SECONDS=10
else
	@echo "make check: no $(FUZZ_CC), no fuzzing smoke test"
endif

unit: build/san/unit
	$(SAN_ENV) DIPB_SRCDIR=$(CURDIR) build/san/unit --jobs $(NPROC)

cli: build/san/dipb
	$(SAN_ENV) DIPB=$(CURDIR)/build/san/dipb DIPB_SRCDIR=$(CURDIR) sh tests/cli/run.sh

# The scripts whose races turn on how fast dipb is, again with the
# release binary: the sanitized one, several times slower, hid a git gc
# run into another process's change (race.sh) and checkpoints made too
# soon after git wrote packed-refs (verify-checkpoint.sh); and the one
# that needs dipb to start under ulimit -v, which the sanitized one does
# not (memory.sh).
CLI_RELEASE = race.sh concurrency.sh verify-checkpoint.sh crash-random.sh \
  memory.sh
cli-release: dipb
	RACE_CHANGES=10 DIPB=$(CURDIR)/dipb DIPB_SRCDIR=$(CURDIR) \
	  sh tests/cli/run.sh $(CLI_RELEASE:%=tests/cli/%)

build/csan/%.o: src/%.c | $(GENH)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(PC_CFLAGS) $(WARN) $(SANFLAGS) $(DEPFLAGS) -c -o $@ $<

build/csan/test_%.o: tests/unit/%.c | $(GENH)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(UNIT_CFLAGS) -c -o $@ $<

build/csan/unit: $(CSLIBOBJS) $(CTOBJS) $(SANSUPPORT)
	$(FUZZ_CC) $(CFLAGS) $(SANFLAGS) -no-pie $(LDFLAGS) -o $@ $(CSLIBOBJS) $(CTOBJS) $(SANSUPPORT) $(PC_LIBS) \
	  $(CRITERION_LIBS)

build/fuzz/%.o: src/%.c | build/fuzz $(GENH)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(PC_CFLAGS) $(WARN) $(FUZZ_SAN) \
	  -fsanitize=fuzzer-no-link $(DEPFLAGS) -c -o $@ $<

build/fuzz/fuzz_load: tests/fuzz/fuzz_load.c $(FOBJS) | build/fuzz $(GENH)
	$(FUZZ_CC) $(ALL_CPPFLAGS) -Isrc $(PC_CFLAGS) $(WARN) $(CFLAGS) $(FUZZ_SAN) \
	  -fsanitize=fuzzer $(LDFLAGS) -o $@ tests/fuzz/fuzz_load.c $(FOBJS) \
	  $(PC_LIBS)

build/fuzz/fuzz_history: tests/fuzz/fuzz_history.c $(FHOBJS) | build/fuzz $(GENH)
	$(FUZZ_CC) $(ALL_CPPFLAGS) -Isrc $(PC_CFLAGS) $(WARN) $(CFLAGS) $(FUZZ_SAN) \
	  -fsanitize=fuzzer $(LDFLAGS) -o $@ tests/fuzz/fuzz_history.c $(FHOBJS) \
	  $(filter-out -lgit2,$(PC_LIBS))

build/fuzz build/fuzz/corpus build/fuzz/hcorpus:
	mkdir -p $@

# Runs each harness for FUZZ_SECONDS, one after the other (make check's
# smoke test: 10 s each); new inputs stay in build/fuzz/corpus and
# build/fuzz/hcorpus, a crash in build/fuzz/crash-* and
# build/fuzz/history-crash-*.
fuzz: build/fuzz/fuzz_load build/fuzz/fuzz_history | build/fuzz/corpus \
	  build/fuzz/hcorpus
	$(SAN_ENV) build/fuzz/fuzz_load -max_total_time=$(FUZZ_SECONDS) \
	  -max_len=16384 -timeout=10 -dict=tests/fuzz/yaml.dict \
	  -artifact_prefix=build/fuzz/ -print_final_stats=1 \
	  build/fuzz/corpus $(FUZZ_SEEDS)
	$(SAN_ENV) build/fuzz/fuzz_history -max_total_time=$(FUZZ_SECONDS) \
	  -max_len=16384 -timeout=10 -dict=tests/fuzz/history.dict \
	  -artifact_prefix=build/fuzz/history- -print_final_stats=1 \
	  build/fuzz/hcorpus $(FUZZ_HSEEDS)

lint: lint-git
	mandoc -Tlint -Wwarning man/*.[157]

# git behind one boundary: libgit2's headers, <git2.h> and any of
# <git2/...>, are included in src/git/ only (see src/git/internal.h); the
# rest of dipb speaks to git through src/repo.h.  LINT_SRC is the tree
# checked (tests/cli/docs.sh checks the check on one of its own); one
# that is missing fails, never passes as a tree with nothing to find.
LINT_SRC = src
lint-git:
	@cd "$(LINT_SRC)" || exit 1; \
	bad=$$(grep -rlE \
	  '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]git2(\.h|/[^>"]*)[>"]' \
	  --include='*.[ch]' . | grep -v '^\./git/' | \
	  sed 's|^\./|$(LINT_SRC)/|' || :); \
	if [ -n "$$bad" ]; then \
	  echo "lint-git: libgit2's headers outside src/git/:" $$bad >&2; \
	  exit 1; fi

install: dipb
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 dipb $(DESTDIR)$(BINDIR)/dipb
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7/
	install -m 644 completions/dipb.bash $(DESTDIR)$(BASHCOMPDIR)/dipb
	install -m 644 completions/_dipb $(DESTDIR)$(ZSHCOMPDIR)/_dipb
	install -m 644 completions/dipb.fish $(DESTDIR)$(FISHCOMPDIR)/dipb.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dipb $(DESTDIR)$(BASHCOMPDIR)/dipb \
	  $(DESTDIR)$(ZSHCOMPDIR)/_dipb $(DESTDIR)$(FISHCOMPDIR)/dipb.fish
	for f in man/*.[157]; do \
	  s=$${f##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${f#man/}; done

# A release tarball that builds without git and with only the build
# set of .ci/install-deps: the committed tree (HEAD: a tree's
# uncommitted changes are left out, and said so) and VERSION, HEAD's,
# written the same, byte for byte, from the same commit (names sorted,
# owner 0, every date the commit's, gzip without a name or date), and
# its SHA-256 beside it, in sha256sum's format, for a CI job that pins
# it.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
DIST_VERSION = $(shell $(DESCRIBE))
DIST	= dipb-$(DIST_VERSION)
dist:
	rm -rf build/dist build/$(DIST).tar.gz build/$(DIST).tar.gz.sha256
	mkdir -p build/dist
	git archive --format=tar --prefix=$(DIST)/ HEAD | tar -xf - -C build/dist
	echo $(DIST_VERSION) > build/dist/$(DIST)/VERSION
	LC_ALL=C tar --sort=name --format=gnu --owner=0 --group=0 \
	  --numeric-owner --mode='u+rw,go-w,go+rX' \
	  --mtime=@$(SOURCE_DATE_EPOCH) -C build/dist -cf - $(DIST) | \
	  gzip -9 -n >build/$(DIST).tar.gz
	cd build && sha256sum $(DIST).tar.gz >$(DIST).tar.gz.sha256
	$(if $(filter %-dirty,$(VERSION)),@echo 'make dist: the uncommitted' \
	  'changes are left out: it is the tree of HEAD ($(DIST_VERSION))' >&2)
	@echo build/$(DIST).tar.gz

clean:
	rm -rf build dipb demo

-include $(OBJS:.o=.d) $(SOBJS:.o=.d) $(TOBJS:.o=.d) $(FOBJS:.o=.d) $(FHOBJS:.o=.d) \
  $(SANSUPPORT:.o=.d) $(CSLIBOBJS:.o=.d) $(CTOBJS:.o=.d)
