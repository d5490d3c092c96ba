# verify/sim.mk: RTL simulation and lint of a generated accelerator (included by the top Makefile).
#   make sim SPEC=path [SAMPLES=N] [DATA=dir|random] [STALLS=1] [SEED=S] [SIM=icarus|verilator] [SIMARGS=+no_readback]
#            [SCHEDULE=pipelined|sequential] [WAVES=1] [RTL_OPTS="--dsp 156 --target ecp5-85k"]
#       generates out/<name>/ (sparsegen rtl, with RTL_OPTS as make synth passes them), its vectors out/<name>/vec (sparsegen vectors), builds the
#       testbench with the chosen simulator and runs it; the last line is PASS or FAIL (exit status 1 on FAIL).
#       SCHEDULE=sequential: one sample at a time (the testbench flushes after every sample; clocks per sample
#       (2gJ+1) x cycle; g = 2 with overlap: true, else 1). WAVES=1: dumps every signal to out/<name>/sim/waves.fst (FST; Verilator builds with
#       --trace-fst into obj_verilator_waves), to be opened with the generated save file:
#       gtkwave out/<name>/sim/waves.fst out/<name>/tb/sparsegen.gtkw (Icarus hierarchy; for a Verilator dump
#       use out/<name>/sim/sparsegen.gtkw, the same signals under its TOP scope). Without WAVES=1 nothing is dumped.
#   make lint-rtl SPEC=path     verilator --lint-only -Wall and yosys (hierarchy -check; proc; check -assert;
#                               no latches) on the generated top level and the templates
#   make test-rtl               verify/rtl-tests.sh: every RTL test (generator, lint, simulations)
#   make fuzz-rtl [COUNT=N] [SEED=S] [LINT=1] [PLAN=1]
#                               verify/fuzz_rtl.py: N random valid specs (default 20), each generated, simulated
#                               under Icarus with random stalls and compared bit for bit; one line per spec, then
#                               "N passed, N failed"; failing specs are kept under out/fuzz-rtl/ with repro.sh
#   make bench-rtl              bench/rtl_speed.sh
# Tool names are variables so they can be overridden (IVERILOG=..., VERILATOR=..., YOSYS=...).

SIM       ?= icarus
SIMARGS   ?=
SAMPLES   ?= 20
DATA      ?= random
STALLS    ?=
SEED      ?= 1
SCHEDULE  ?= pipelined
WAVES     ?=
IVERILOG  ?= iverilog
VVP       ?= vvp
VERILATOR ?= verilator
YOSYS     ?= yosys

SIM_NAME  = $(shell sed -n 's/^name:[[:space:]]*\([a-z][a-z0-9_]*\).*/\1/p' $(SPEC) 2>/dev/null | head -n 1)
SIM_DIR   = $(OUT)/$(SIM_NAME)
SIM_VEC_ARGS = --data $(DATA) -n $(SAMPLES) --seed $(SEED) $(if $(filter 1 yes true,$(STALLS)),--stalls) \
               --schedule $(SCHEDULE)
SIM_WAVES = $(filter 1 yes true,$(WAVES))
SIM_VOBJ  = obj_verilator$(if $(SIM_WAVES),_waves)

COUNT     ?= 20

.PHONY: sim lint-rtl test-rtl bench-rtl sim-gen fuzz-rtl

sim-gen: sparsegen
	@test -n "$(SPEC)" || { echo "usage: make sim SPEC=path [SAMPLES=N] [DATA=dir|random] [STALLS=1] [SEED=S] [SIM=icarus|verilator]"; exit 2; }
	@test -n "$(SIM_NAME)" || { echo "sim: cannot read the name of the spec '$(SPEC)'"; exit 1; }
	@./sparsegen rtl $(SPEC) -o $(SIM_DIR) $(RTL_OPTS)
	@./sparsegen vectors $(SPEC) $(SIM_VEC_ARGS) -o $(SIM_DIR)/vec

sim: sim-gen
	@rm -rf $(SIM_DIR)/sim
	$(if $(SIM_WAVES),@mkdir -p $(SIM_DIR)/sim)
	$(if $(SIM_WAVES),@echo "sim: dumping every signal to $(SIM_DIR)/sim/waves.fst; view it with: gtkwave \
	    $(SIM_DIR)/sim/waves.fst $(SIM_DIR)/$(if $(filter verilator,$(SIM)),sim,tb)/sparsegen.gtkw")
ifeq ($(SIM),verilator)
	@cd $(SIM_DIR) && $(VERILATOR) --binary --timing -Wno-fatal -Wno-lint -Wno-style -O1 -Itb -Ivec \
	    $(if $(SIM_WAVES),--trace-fst) --top-module tb_sparsegen -Mdir $(SIM_VOBJ) tb/tb_sparsegen.v rtl/*.v \
	    >verilator.log 2>&1 || { tail -n 20 verilator.log; echo FAIL; exit 1; }
	$(if $(SIM_WAVES),@sed 's/^tb_sparsegen\./TOP.tb_sparsegen./' $(SIM_DIR)/tb/sparsegen.gtkw >$(SIM_DIR)/sim/sparsegen.gtkw)
	@cd $(SIM_DIR) && { ./$(SIM_VOBJ)/Vtb_sparsegen +vec=vec $(if $(SIM_WAVES),+waves=sim/waves.fst) $(SIMARGS) \
	    >sim.log 2>&1; st=$$?; }; \
	    grep -v '^PASS$$\|^FAIL$$' sim.log | tail -n 25; \
	    if [ $$st -eq 0 ] && tail -n 3 sim.log | grep -qx PASS; then echo PASS; else echo FAIL; exit 1; fi
else ifeq ($(SIM),icarus)
	@cd $(SIM_DIR) && $(IVERILOG) -g2012 -o sim.vvp -Itb -Ivec tb/tb_sparsegen.v rtl/*.v >iverilog.log 2>&1 \
	    || { cat iverilog.log; echo FAIL; exit 1; }
	@cd $(SIM_DIR) && { $(VVP) -n sim.vvp $(if $(SIM_WAVES),-fst) +vec=vec $(if $(SIM_WAVES),+waves=sim/waves.fst) \
	    $(SIMARGS) >sim.log 2>&1; st=$$?; }; \
	    grep -v '^PASS$$\|^FAIL$$' sim.log | tail -n 25; \
	    if [ $$st -eq 0 ] && tail -n 3 sim.log | grep -qx PASS; then echo PASS; else echo FAIL; exit 1; fi
else
	@echo "sim: SIM must be icarus or verilator (got '$(SIM)')"; exit 2
endif

lint-rtl: sparsegen
	@test -n "$(SPEC)" || { echo "usage: make lint-rtl SPEC=path"; exit 2; }
	@./sparsegen rtl $(SPEC) -o $(SIM_DIR) >/dev/null
	@cd $(SIM_DIR) && $(VERILATOR) --lint-only -Wall --top-module $(SIM_NAME)_top rtl/*.v
	@cd $(SIM_DIR) && $(YOSYS) -q -p "read_verilog rtl/sg_*.v rtl/$(SIM_NAME)_top.v; \
	    hierarchy -check -top $(SIM_NAME)_top; proc; check -assert; select -assert-none t:\$$dlatch t:\$$latch t:\$$dlatchsr"
	@echo "lint-rtl: $(SIM_NAME): verilator -Wall and yosys check clean"

test-rtl: sparsegen
	@bash verify/rtl-tests.sh

fuzz-rtl: sparsegen
	@python3 verify/fuzz_rtl.py --count $(COUNT) --seed $(SEED) --out $(OUT) \
	    $(if $(filter 1 yes true,$(LINT)),--lint) $(if $(filter 1 yes true,$(PLAN)),--plan)

bench-rtl: sparsegen
	@bash bench/rtl_speed.sh
