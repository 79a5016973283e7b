# Makefile — builds $(BIN)/ciatteh, its sanitizer-instrumented twin for the
# tests, and runs the suites.  Sources are found by wildcard so that a new
# module (or a new subcommand file) needs no edit here.

CC      ?= cc
# Output folders; helpers working in parallel can use their own:
# make B=/tmp/b1 BIN=/tmp/b1/bin
B       ?= build
BIN     ?= bin
PKGS    := libpq xlsxwriter cairo pangocairo json-c libcrypto libpng libqpdf libxml-2.0
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# libcsv and GLPK ship no .pc file.
LIBS    := $(PKG_LIBS) -lcsv -lglpk -lm -pthread
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter -Wno-format-truncation
BASE_CFLAGS := -std=c11 -pthread -D_GNU_SOURCE -Iinclude -I$(B)/gen $(PKG_CFLAGS) \
               -DCIATTEH_VERSION='"$(VERSION)"' $(WARN)
CFLAGS  ?= -O2 -g
# The instrumented build is the test build: it alone holds the test hooks
# (include/ciatteh/testpoint.h).
# -g1: line tables and function names, what a sanitizer report's frames
# are named with (tests/tools/symbolize.sh), without the local variables'
# descriptions: the build of `make test` 13 % faster (29 -> 25 s here).
ASAN_FLAGS := -O1 -g1 -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined -DCIATTEH_TEST_HOOKS
# The sanitizer runtimes linked in, not loaded: LeakSanitizer's exit scan
# reads every writable segment of every loaded object, and the shared
# libasan and libubsan bring ~12 MB of their own zero-filled tables, one
# page fault per page read (~40 µs each on the 2-core CI guest).  Linked
# statically they share one copy: ~1,500 faults fewer per command the
# tests run (docs/TESTING.md, "How long it takes").
ASAN_LDFLAGS := -static-libasan -static-libubsan

# The library: everything but the CLI entry points.
# EXCLUDE: sources to leave out while a module is being written elsewhere.
EXCLUDE ?=
# reports/ is one layer in sub-folders by concern (reports/README.md).
LIB_SRC := $(filter-out $(EXCLUDE),$(wildcard src/core/*.c schema/*.c etl/*.c reports/*/*.c src/pipeline/*.c))
CLI_SRC := $(wildcard src/*.c)
# The programs (src/prog/): `ciatteh` only finds the subcommand and runs
# ciatteh-query (`query`) or ciatteh-data (db, admin, load, deliveries,
# items), each linked with only the libraries its commands call so that it
# starts fast, or ciatteh-full (everything else) beside it; building
# `ciatteh` builds the other three.
GEN_SRC := $(B)/gen/embedded.c
# Data files compiled into the binary: migrations, seeds, service specs,
# report/questionnaire/check definitions.  One list, one mechanism.
EMBED   := $(sort $(wildcard schema/*.sql schema/seed/*.csv etl/specs/*.spec) \
                  $(shell find reports/data -type f 2>/dev/null))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
TOOL_SRC := $(wildcard tests/tools/*.c)

OBJ      = $(patsubst %.c,$(B)/$(1)/%.o,$(LIB_SRC) $(GEN_SRC))

.PHONY: all asan test unit integration clean bootstrap run fuzz bench lint golden lint-layers groups-sql
all: $(BIN)/ciatteh tools

$(BIN)/ciatteh-full: $(call OBJ,rel) $(patsubst %.c,$(B)/rel/%.o,$(CLI_SRC) src/prog/full.c)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(CFLAGS) -o $@ $^ $(LIBS)

# The test build's programs also map in their writable segments at start
# (src/prog/prefault.c: what LeakSanitizer's exit scan reads, in one call
# instead of ~1,200 page faults).
ASAN_PROGRAM_OBJ := $(B)/asan/src/prog/prefault.o
$(B)/asan/bin/ciatteh-full: $(call OBJ,asan) $(patsubst %.c,$(B)/asan/%.o,$(CLI_SRC) src/prog/full.c) $(ASAN_PROGRAM_OBJ)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(ASAN_FLAGS) $(ASAN_LDFLAGS) -o $@ $^ $(LIBS)

# The light programs (include/ciatteh/programs.h), linked --as-needed: a
# library that none of the archive members their commands pull in calls is
# not loaded at all.
# Their commands, as programs.h lists them: src/cmd_NAME.c each.
prog_cmds   = $(patsubst %,src/cmd_%.c,$(shell sed -n 's/^\#define CIA_$(1)_COMMANDS(X) //p' \
                include/ciatteh/programs.h | sed 's/X(\([a-z]*\))/\1/g'))
QUERY_PROG := src/prog/query.c src/cli.c $(call prog_cmds,QUERY)
DATA_PROG  := src/prog/data.c src/cli.c $(call prog_cmds,DATA)
$(BIN)/ciatteh-query: $(patsubst %.c,$(B)/rel/%.o,$(QUERY_PROG)) $(B)/rel/libciatteh.a
$(BIN)/ciatteh-data: $(patsubst %.c,$(B)/rel/%.o,$(DATA_PROG)) $(B)/rel/libciatteh.a
$(BIN)/ciatteh-query $(BIN)/ciatteh-data:
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(CFLAGS) -Wl,--as-needed -o $@ $^ $(LIBS)

$(B)/asan/bin/ciatteh-query: $(patsubst %.c,$(B)/asan/%.o,$(QUERY_PROG)) $(ASAN_PROGRAM_OBJ) $(B)/asan/libciatteh.a
$(B)/asan/bin/ciatteh-data: $(patsubst %.c,$(B)/asan/%.o,$(DATA_PROG)) $(ASAN_PROGRAM_OBJ) $(B)/asan/libciatteh.a
$(B)/asan/bin/ciatteh-query $(B)/asan/bin/ciatteh-data:
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(ASAN_FLAGS) $(ASAN_LDFLAGS) -Wl,--as-needed -o $@ $^ $(LIBS)

# The C library alone, statically: no dynamic loading before the exec.
$(BIN)/ciatteh: $(B)/rel/src/prog/ciatteh.o $(BIN)/ciatteh-query $(BIN)/ciatteh-data $(BIN)/ciatteh-full
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(CFLAGS) -static -o $@ $<

# The tests' one too: an instrumented dispatcher would add a second
# sanitizer start-up and leak scan (~50 ms here) to every command the
# tests run, for 50 lines of getopt and execv that the release build runs.
$(B)/asan/bin/ciatteh: src/prog/ciatteh.c include/ciatteh/programs.h $(B)/asan/bin/ciatteh-query $(B)/asan/bin/ciatteh-data $(B)/asan/bin/ciatteh-full
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(BASE_CFLAGS) $(CFLAGS) -static -o $@ $<

$(B)/rel/%.o: %.c $(B)/gen/embedded.h $(wildcard include/ciatteh/*.h reports/*/*.h)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(BASE_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/asan/%.o: %.c $(B)/gen/embedded.h $(wildcard include/ciatteh/*.h reports/*/*.h)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(BASE_CFLAGS) $(ASAN_FLAGS) -c -o $@ $<

$(B)/gen/embedded.c $(B)/gen/embedded.h &: $(EMBED) src/gen-embed.sh
	@mkdir -p $(B)/gen
	sh src/gen-embed.sh $(B)/gen $(EMBED)

# Helper programs used by tests and benchmarks (e.g. the extract generator).
TOOLS := $(patsubst tests/tools/%.c,$(BIN)/%,$(TOOL_SRC))
tools: $(TOOLS)
# Tools and unit tests link the library as an archive, so each pulls in
# only the modules it uses.
$(B)/rel/libciatteh.a: $(call OBJ,rel)
	@rm -f $@; ar rcs $@ $^
$(B)/asan/libciatteh.a: $(call OBJ,asan)
	@rm -f $@; ar rcs $@ $^
$(BIN)/%: tests/tools/%.c $(B)/rel/libciatteh.a
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $^ $(LIBS)

# Unit tests link the instrumented library directly.
UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/asan/tests/%,$(UNIT_SRC))
$(B)/asan/tests/%: tests/unit/%.c tests/unit/unit.h $(B)/asan/libciatteh.a
	@mkdir -p $(@D)
	@echo "  CC $@"; $(CC) $(BASE_CFLAGS) $(ASAN_FLAGS) $(ASAN_LDFLAGS) -Itests/unit -o $@ $(filter %.c %.o %.a,$^) $(LIBS)

asan: $(B)/asan/bin/ciatteh $(UNIT_BIN)

# Fuzzing (tests/fuzz/): libFuzzer, with clang, on the reader, validator and
# code mapping.  `make fuzz` runs it for FUZZ_SECONDS; `make test` builds it
# and tests/fuzz/test_fuzz.sh replays its findings and fuzzes for 20 s.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 600
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined -Wno-unknown-warning-option
FUZZ_LIB := $(filter src/core/%.c etl/%.c schema/%.c,$(LIB_SRC)) $(GEN_SRC)
$(B)/fuzz/%.o: %.c $(B)/gen/embedded.h $(wildcard include/ciatteh/*.h reports/*/*.h)
	@mkdir -p $(@D)
	@echo "  CC $@"; $(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
$(B)/fuzz/libciatteh.a: $(patsubst %.c,$(B)/fuzz/%.o,$(FUZZ_LIB))
	@rm -f $@; ar rcs $@ $^
$(B)/fuzz/fuzz_ingest: tests/fuzz/fuzz_ingest.c $(B)/fuzz/libciatteh.a
	@echo "  CC $@"; $(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)
.PHONY: fuzz-build
fuzz-build: $(if $(shell command -v $(FUZZ_CC) 2>/dev/null),$(B)/fuzz/fuzz_ingest)
fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(B)/fuzz/fuzz_ingest $(FUZZ_SECONDS)

# Static analysis (cppcheck over src/ etl/ schema/ reports/); also a suite
# of `make test` (tests/hygiene/test_lint.sh), with valgrind runs.
lint:
	@sh tests/hygiene/lint.sh

# Includes point down the layers only (core, schema, etl | reports,
# pipeline, cli): tests/hygiene/lint_layers.sh; first step of `make test`.
lint-layers:
	@sh tests/hygiene/lint_layers.sh

bootstrap:
	@sh .ci/bootstrap

# `make test` = every suite, against the instrumented binary and a real,
# throwaway PostgreSQL started by the run.  Ends with "N passed, N failed".
# The build on every core unless the caller gave -j (CI runs a bare `make
# test`: from nothing, ~100 s serial, ~50 s on two cores).
NPROC   := $(shell nproc 2>/dev/null || echo 1)
test: bootstrap lint-layers
	@$(MAKE) --no-print-directory $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(NPROC)) all asan fuzz-build
	@CIATTEH_GEN=$(abspath $(BIN))/ciatteh-gen sh tests/run $(TESTS)

# `make golden`: regenerate tests/golden/expected/ (the byte-deterministic
# outputs from the bundled samples) after changing a figure ON PURPOSE;
# review `git diff tests/golden/` like code.  tests/golden/test_golden.sh
# compares them in `make test`.
golden: asan
	@GOLDEN_UPDATE=1 sh tests/golden/test_golden.sh

# `make groups-sql`: write schema/groups.sql again from the service specs'
# group and sum lines (etl/group_sql.c); tests/unit/test_group.c fails
# while it is out of date.
groups-sql: $(BIN)/groups-sql
	@$(BIN)/groups-sql > schema/groups.sql.tmp && mv schema/groups.sql.tmp schema/groups.sql

# README's run command: install, build, load the bundled samples, report.
run: bootstrap
	@$(MAKE) --no-print-directory all
	@sh etl/samples/demo.sh

# `make bench`: ingest and reports measured side by side with psql \copy,
# pgloader and a pandas script, on a throwaway cluster (bench/run.sh; the
# figures go to bench/results/, see BENCHMARKS.md).  BENCH_FULL=1 adds
# 10 M-row files.
bench: all
	@BIN=$(BIN) sh bench/run.sh

clean:
	rm -rf $(B) $(BIN)
