#!/usr/bin/env bash
# The FPGA flow tests (make test-fpga): Yosys synthesis of a small network for every target, nextpnr place and
# route and a bitstream for one iCE40 and one ECP5 target, post-synthesis simulation of the Yosys netlists (the
# generated testbench, bit for bit against the golden model) for iCE40, ECP5 and xc7, the generator's memory
# mapping followed by Yosys on every target family, a two-junction network through
# ECP5 synthesis and post-synthesis simulation (BP and delta memories), and the negative cases: a corrupted expected
# value makes post-synthesis simulation FAIL, and a device that is too small is named with the resource.
# Everything goes to out/fpga-tests.XXXXXX/ (kept when a check failed). Prints one line per check and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
# One folder per run (several people may run `make test` in the same tree at once); removed when all passed.
mkdir -p "${OUT:-out}"
R=$(mktemp -d "${OUT:-out}/fpga-tests.XXXXXX")
M="make -s --no-print-directory FPGA_ROOT=$R"
TINY=examples/tiny_j1.yaml
J2=verify/fpga_sim/fpga_j2.yaml
pass=0; fail=0; failed=()
ok()  { pass=$((pass + 1)); echo "ok    $1"; }
bad() { fail=$((fail + 1)); failed+=("$1"); echo "FAIL  $1"; [ -n "${2:-}" ] && sed 's/^/      /' "$2" | tail -n 15; }
rep() { python3 -c "import json,sys; r=json.load(open('$R/$1/report/$2.json')); print($3)" 2>/dev/null; }
log=$R/log.txt

for t in ice40-up5k ice40-hx8k ecp5-25k ecp5-85k xc7; do
  t0=$SECONDS
  if $M synth SPEC=$TINY TARGET=$t >$log 2>&1 && [ "$(rep tiny_j1 $t "r['lut'] > 0 and r['bram']['blocks'] > 0")" = True ]; then
    ok "synth tiny_j1 $t: $(rep tiny_j1 $t "'%d LUT, %d FF, %g %s, %d %s' % (r['lut'], r['ff'], r['bram']['blocks'], r['bram']['cell'], r['dsp']['blocks'], r['dsp']['cell'])") ($((SECONDS - t0)) s)"
  else bad "synth tiny_j1 $t" $log; fi
done
# make area: the LUTs and flip-flops by instance path add up to the report's counts, for every target
msg=""
for t in ice40-up5k ice40-hx8k ecp5-25k ecp5-85k xc7; do
  $M area SPEC=$TINY TARGET=$t >$log 2>&1 || { msg="$msg $t:failed"; continue; }
  want="$(rep tiny_j1 $t "'%d LUT, %d FF' % (r['lut'], r['ff'])")"
  head -n 1 $log | grep -q ": $want in tiny_j1_top" || msg="$msg $t:$(head -n 1 $log | tr ' ' _)/$want"
  grep -q '^ *[0-9][0-9]* .*%  *[0-9][0-9]*  j1\.' $log || msg="$msg $t:no_j1_row"
done
[ -z "$msg" ] && ok "make area: every target's LUTs and FFs by instance path add up to the report (junction rows present)" \
  || bad "make area must add up to the report:$msg"
# multipliers on DSP blocks where the device has them (the flow passes the device's count as --dsp), in logic on
# the HX8K (--dsp 0): the DSP blocks Yosys used are the plan's DSP products
[ "$(rep tiny_j1 ice40-up5k "r['dsp']['blocks']")" = 8 ] && [ "$(rep tiny_j1 ecp5-25k "r['dsp']['blocks']")" = 8 ] &&
  [ "$(rep tiny_j1 xc7 "r['dsp']['blocks']")" = 8 ] && [ "$(rep tiny_j1 ice40-hx8k "r['dsp']['blocks']")" = 0 ] &&
  [ "$(rep tiny_j1 ice40-hx8k "r['plan']['multipliers_logic']")" = 8 ] \
  && ok "the plan's 8 multipliers are 8 SB_MAC16 / MULT18X18D / DSP48E1, and 8 logic multipliers on the HX8K" \
  || bad "multipliers mapped to DSP blocks"
# memories mapped as the generator decided (memories.txt, --ram-style auto): Yosys follows every attribute; tiny_j1's
# 11 small RAMs go to EBR on the UP5K (no LUT RAM there: flip-flops would cost more) and to LUT RAM on ECP5 and xc7
for t in ice40-up5k ecp5-25k xc7; do
  [ "$(rep tiny_j1 $t "r['memories']['total'] > 0 and r['memories']['not_as_asked'] == [] and r['memory_plan']['target'] == '$t'")" = True ] \
    && ok "every memory of tiny_j1 mapped as memories.txt says on $t ($(rep tiny_j1 $t "'%d block, %d LUT RAM, %d logic' % (r['memories']['block'], r['memories']['distributed'], r['memories']['logic'])"))" \
    || bad "memories mapped as asked on $t"
done
[ "$(rep tiny_j1 ice40-up5k "(r['memory_plan']['block_rams'], r['memory_plan']['distributed_rams'])")" = "(11, 0)" ] &&
  [ "$(rep tiny_j1 ecp5-25k "(r['memory_plan']['block_rams'], r['memory_plan']['distributed_rams'])")" = "(3, 8)" ] &&
  [ "$(rep tiny_j1 xc7 "(r['memory_plan']['block_rams'], r['memory_plan']['distributed_rams'])")" = "(0, 11)" ] \
  && ok "memory mapping by target: tiny_j1's 11 RAMs in EBR on the UP5K; on the ECP5 the junction's 3 in DP16KD (72 LUT4 of LUT RAM for 3 blocks) and the layer's 8 in LUT RAM; all 11 in LUT RAM on xc7" \
  || bad "memory mapping by target"

for t in ice40-up5k ecp5-25k; do
  t0=$SECONDS
  if $M pnr SPEC=$TINY TARGET=$t >$log 2>&1 && [ "$(rep tiny_j1 $t "r['fmax_mhz'] > 1 and r['samples_per_second'] > 0")" = True ]; then
    ok "pnr tiny_j1 $t: $(rep tiny_j1 $t "'Fmax %.1f MHz, %d training samples/s' % (r['fmax_mhz'], r['samples_per_second'])") ($((SECONDS - t0)) s)"
  else bad "pnr tiny_j1 $t" $log; fi
  if $M bitstream SPEC=$TINY TARGET=$t >$log 2>&1 && [ -s "$R/tiny_j1/$(rep tiny_j1 $t "r['bitstream']['file']")" ]; then
    ok "bitstream tiny_j1 $t ($(rep tiny_j1 $t "r['bitstream']['bytes']") bytes)"
  else bad "bitstream tiny_j1 $t" $log; fi
done
# ECP5 speed grades: SPEED=8 is nextpnr's timing model of the fastest grade, named in the report; a grade that
# does not exist is refused before nextpnr runs
f6=$(rep tiny_j1 ecp5-25k "r['fmax_mhz']")
if $M pnr SPEC=$TINY TARGET=ecp5-25k SPEED=8 >$log 2>&1 &&
   [ "$(rep tiny_j1 ecp5-25k "r['speed_grade'] == 8 and r['device'] == 'LFE5U-25F-8BG256C' and r['fmax_mhz'] > $f6")" = True ]; then
  ok "pnr tiny_j1 ecp5-25k SPEED=8: Fmax $(rep tiny_j1 ecp5-25k "r['fmax_mhz']") MHz against $f6 at speed 6, device $(rep tiny_j1 ecp5-25k "r['device']")"
else bad "pnr tiny_j1 ecp5-25k SPEED=8 (faster than speed 6, named in the report)" $log; fi
# make late: the latest endpoint is the critical path (its arrival is one period at the routed Fmax), whose setup
# time it names; a clock slower than Fmax leaves none late; a frequency that is not a number is refused
fm=$(rep tiny_j1 ecp5-25k "r['fmax_mhz']")
if $M late SPEC=$TINY TARGET=ecp5-25k LATE_MHZ=$(python3 -c "print($fm * 1.2)") >$log 2>&1 &&
   python3 - "$log" "$fm" <<'PY'
import re, sys
t = open(sys.argv[1]).read().splitlines()
n = int(re.search(r": (\d+) timing endpoints arrive after", t[0]).group(1))
worst = float(t[2].split()[1])
sys.exit(0 if n > 0 and abs(worst - 1000.0 / float(sys.argv[2])) < 0.05 else 1)
PY
   grep -q "^nextpnr's critical path .* takes [0-9.]* ns including [0-9.]* ns of setup at " $log
then
  l1=$(head -n 1 $log)
  if $M late SPEC=$TINY TARGET=ecp5-25k LATE_MHZ=$(python3 -c "print($fm * 0.98)") >$log 2>&1 && grep -q ": 0 timing endpoints" $log; then
    ok "make late: ${l1#*: }; the worst at 1000 / Fmax ns, none late at 0.98 Fmax"
  else bad "make late at 0.98 Fmax must list no endpoint" $log; fi
else bad "make late at 1.2 Fmax must list the critical path's endpoint first" $log; fi
$M late SPEC=$TINY TARGET=ecp5-25k LATE_MHZ=fast >$log 2>&1; st=$?
[ $st -ne 0 ] && grep -q "LATE_MHZ must be a frequency" $log && ok "LATE_MHZ=fast is refused: $(head -n 1 $log)" \
  || bad "LATE_MHZ=fast must be refused" $log
$M pnr SPEC=$TINY TARGET=ecp5-25k SPEED=9 >$log 2>&1; st=$?
[ $st -ne 0 ] && grep -q "SPEED must be 6, 7 or 8" $log && ok "SPEED=9 is refused: $(grep -m1 'SPEED must' $log)" \
  || bad "SPEED=9 must be refused" $log
# PNR_TIMEOUT stops nextpnr with a message (tiny_j1 takes several seconds; 1 s is not enough)
PNR_TIMEOUT=1 $M pnr SPEC=$TINY TARGET=ecp5-25k >$log 2>&1; st=$?
[ $st -ne 0 ] && grep -q "nextpnr did not finish in PNR_TIMEOUT=1 s" $log && ok "PNR_TIMEOUT=1 stops nextpnr: $(grep -m1 'did not finish' $log | cut -c1-80)..." \
  || bad "PNR_TIMEOUT=1 must stop nextpnr with a message" $log
$M pnr SPEC=$TINY TARGET=ecp5-25k >$log 2>&1 || bad "pnr tiny_j1 ecp5-25k again at speed 6" $log
# the clock enable's DCCA on the top edge's DCC of the centre column, its flip-flop in the slice below (BEL
# attributes written by make synth), and that flip-flop loaded from a flip-flop (ce is decided two clocks ahead:
# sg_ctrl's ce1), so nothing was left for copy_cone to copy
dcc=$(python3 -c "
import json
j = json.load(open('$R/tiny_j1/fpga/ecp5-25k/synth.json'))
cells = {n: c for m in j['modules'].values() for n, c in m.get('cells', {}).items()}
drv = {b: c['type'] for c in cells.values() for p, bits in c['connections'].items()
       if c.get('port_directions', {}).get(p) == 'output' for b in bits if isinstance(b, int)}
ff = [c for c in cells.values() if c['type'] == 'TRELLIS_FF' and 'BEL' in c.get('attributes', {})]
print(cells['sg_ce_dcca']['attributes'].get('BEL'), [c['attributes']['BEL'] for c in ff], [drv.get(c['connections']['DI'][0]) for c in ff])")
[ "$dcc" = "X31/Y0/TDCC7 ['X31/Y2/SLICEA.FF0'] ['TRELLIS_FF']" ] && ok "ce's DCCA and flip-flop placed at the top edge, loaded from a register: $dcc" \
  || bad "ce's DCCA and flip-flop placement ($dcc)"
# ECP5: the clock enable went through a DCCA onto a global line (verify/fpga.py global_enable), and nextpnr routed it
if [ "$(rep tiny_j1 ecp5-25k "r['enable_global_loads'] > 100")" = True ] &&
   grep -q "routing clock net dut.ce_global using global" $R/tiny_j1/fpga/ecp5-25k/nextpnr.log; then
  ok "ecp5-25k: the clock enable's $(rep tiny_j1 ecp5-25k "r['enable_global_loads']") loads are on a global line"
else bad "ecp5-25k: the clock enable on a global line" $R/tiny_j1/fpga/ecp5-25k/nextpnr.log; fi

for t in ice40-up5k ecp5-25k xc7; do
  t0=$SECONDS
  if $M postsim SPEC=$TINY TARGET=$t >$log 2>&1 && tail -n 1 $log | grep -q ': PASS'; then
    ok "postsim tiny_j1 $t: the testbench passes on the Yosys netlist ($((SECONDS - t0)) s)"
  else bad "postsim tiny_j1 $t" $log; fi
done
# a DSP budget below the plan's multipliers (DSP=3): 3 SB_MAC16, 5 logic multipliers, the netlist still bit-exact
t0=$SECONDS
if make -s --no-print-directory FPGA_ROOT=$R/dsp3 postsim SPEC=$TINY TARGET=ice40-up5k DSP=3 >$log 2>&1 &&
   tail -n 1 $log | grep -q ': PASS' &&
   [ "$(python3 -c "import json; r=json.load(open('$R/dsp3/tiny_j1/report/ice40-up5k.json')); print(r['dsp']['blocks'], r['plan']['multipliers_logic'])")" = "3 5" ]; then
  ok "postsim tiny_j1 ice40-up5k DSP=3: 3 SB_MAC16 and 5 logic multipliers, bit-exact on the netlist ($((SECONDS - t0)) s)"
else bad "postsim tiny_j1 ice40-up5k DSP=3" $log; fi
# negative: a wrong expected weight must make the netlist simulation FAIL
cp $R/tiny_j1/vec/exp_w.hex $R/exp_w.good
python3 - $R/exp_w.good $R/tiny_j1/vec/exp_w.hex <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
i = next(k for k, l in enumerate(lines) if l.strip() and not l.startswith("//"))
w = len(lines[i].strip())
lines[i] = "%0*x" % (w, (int(lines[i], 16) + 1) % (16 ** w))
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
if python3 verify/fpga.py postsim $R/tiny_j1 tiny_j1 ecp5-25k >$log 2>&1; then bad "postsim FAILs on a wrong expected weight" $log
elif [ "$(grep -c 'MISMATCH' $log)" = 1 ] && grep -q 'MISMATCH junction 1 phase UP-w' $log; then ok "postsim FAILs on a wrong expected weight (exit 1, exactly that weight reported)"
else bad "postsim FAILs on a wrong expected weight" $log; fi
cp $R/exp_w.good $R/tiny_j1/vec/exp_w.hex

# DSP=3: the other products are ECP5 logic multipliers (AND gates in the carry chains' LUTs, templates/sg_mul.v
# with SG_ECP5), and the sums with a constant carry input are chains without a carry input (verify/ecp5_arith_map.v)
t0=$SECONDS
if $M postsim SPEC=$J2 TARGET=ecp5-25k DSP=3 >$log 2>&1 && tail -n 1 $log | grep -q ': PASS' &&
   [ "$(rep fpga_j2 ecp5-25k "r['dsp']['blocks'], r['dsp_output_registers'], r['dsp_input_registers'], r['plan']['multipliers_logic'] > 0, r['carry_chains_started'] > 0, r['carry_outputs_opened'] > 0, r['bram_output_registers'] > 0, r['fanout_copies'] > 0")" = "3 3 3 True True True True True" ] &&
   [ "$(grep -c 'REG_OUTPUT_CLK("CLK0")' $R/fpga_j2/fpga/ecp5-25k/netlist.v)" = 3 ] &&
   [ "$(grep -c 'REG_INPUTB_CLK("CLK0")' $R/fpga_j2/fpga/ecp5-25k/netlist.v)" = 3 ] && grep -q 'DCCA' $R/fpga_j2/fpga/ecp5-25k/netlist.v &&
   [ "$(grep -c '"OUTREG"' $R/fpga_j2/fpga/ecp5-25k/netlist.v)" = "$(rep fpga_j2 ecp5-25k "r['bram_output_registers']")" ]; then
  ok "postsim fpga_j2 ecp5-25k DSP=3 on the netlist nextpnr gets (two junctions: FF, BP, UP, relu and sigmoid; $(rep fpga_j2 ecp5-25k "r['plan']['multipliers_logic']") logic multipliers, $(rep fpga_j2 ecp5-25k "r['carry_chains_started']") chains without a carry input, 3 products in the DSP blocks' input and output registers, $(rep fpga_j2 ecp5-25k "r['bram_output_registers']") block RAM read ports with their output register, the enable through the DCCA) ($((SECONDS - t0)) s)"
else bad "postsim fpga_j2 ecp5-25k DSP=3" $log; fi

# a sigmoid hidden layer with every product on a DSP block: the derivative scaling multiplies the delta sum as read
# (sg_junction g_sig_du), and the MAC arrays' MULT18X18Ds take their operands' flip-flops (loaded from registers) as
# input registers, the derivative scaling's (loaded from the delta memory's multiplexers) not
# (absorb_input_registers); bit-exact on the netlist
t0=$SECONDS
sed 's/activation: \[relu, sigmoid\]/activation: [sigmoid, sigmoid]/; s/^name: fpga_j2/name: fpga_j2s/' $J2 >$R/fpga_j2s.yaml
mults() { python3 - "$1" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
b = [("REG_INPUTA_CLK" in m.group(1), m.group(2)) for m in re.finditer(r"MULT18X18D #\((.*?)\)\s*(\\\S+)", s, re.S)]
print(len(b), sum(1 for i, n in b if i), all(not i for i, n in b if "g_sig_du" in n), sum(1 for i, n in b if "g_sig_du" in n))
PY
}
if $M postsim SPEC=$R/fpga_j2s.yaml TARGET=ecp5-25k >$log 2>&1 && tail -n 1 $log | grep -q ': PASS' &&
   [ "$(rep fpga_j2s ecp5-25k "r['dsp']['blocks'] == r['plan']['multipliers'] == r['dsp_output_registers'] == 16, r['dsp_input_registers']")" = "True 14" ] &&
   [ "$(mults $R/fpga_j2s/fpga/ecp5-25k/netlist.v)" = "16 14 True 1" ]; then
  ok "postsim fpga_j2s ecp5-25k (sigmoid hidden layer, all 16 products in MULT18X18Ds with output registers, 14 also with input registers, not the derivative scaling's) ($((SECONDS - t0)) s)"
else bad "postsim fpga_j2s ecp5-25k ($(rep fpga_j2s ecp5-25k "r['dsp_input_registers']"), $(mults $R/fpga_j2s/fpga/ecp5-25k/netlist.v))" $log; fi

# every RAM in LUT RAM (--ram-style distributed): the layer and delta memories read behind registered addresses
# (sg_ram AREG 2 and 1) through Yosys's LUT-RAM mapping, bit-exact on the netlist
t0=$SECONDS
if make -s --no-print-directory FPGA_ROOT=$R/dist postsim SPEC=$J2 TARGET=ecp5-25k DSP=3 RTL_OPTS="--ram-style distributed" \
     >$log 2>&1 && tail -n 1 $log | grep -q ': PASS' &&
   [ "$(python3 -c "import json; r=json.load(open('$R/dist/fpga_j2/report/ecp5-25k.json')); m=r['memories']; d=[v for k, v in m['mapping'].items() if 'l1_delta' in k or '_act.' in k]; print(len(d) == 16 and set(d) == {'\$__TRELLIS_DPR16X4_'} and m['not_as_asked'] == [])")" = True ] &&
   grep -q 'RAM_STYLE(2)) l1_delta' $R/dist/fpga_j2/rtl/fpga_j2_top.v &&
   grep -q 'TRELLIS_DPR16X4' $R/dist/fpga_j2/fpga/ecp5-25k/netlist.v; then
  ok "postsim fpga_j2 ecp5-25k with every RAM in LUT RAM (the 16 RAMs of the layer and delta memories read behind registered addresses) ($((SECONDS - t0)) s)"
else bad "postsim fpga_j2 ecp5-25k --ram-style distributed" $log; fi

# a device that is too small: the message names the resource
msg=$(python3 -c "
import sys; sys.path.insert(0, 'verify'); import fpga
print('; '.join(fpga.fits(fpga.TARGETS['ice40-up5k'], dict(lut=6000, ff=100, bram_blocks=31, dsp=9))))")
case "$msg" in *"logic (LUT): needs 6000, device has 5280"*"block RAM (SB_RAM40_4K): needs 31, device has 30"*"DSP (SB_MAC16): needs 9, device has 8"*)
  ok "too small a device names the resource: $msg";; *) bad "too small a device names the resource ($msg)";; esac
if [ "$(rep tiny_j1 ecp5-25k "r['fits']")" = True ]; then
  python3 - "$R/tiny_j1/report/ecp5-25k.json" <<'PY'
import json, sys
p = sys.argv[1]; r = json.load(open(p)); r["does_not_fit"] = ["DSP (MULT18X18D): needs 99, device has 28"]; r["fits"] = False
json.dump(r, open(p, "w"))
PY
  if python3 verify/fpga.py pnr $R/tiny_j1 tiny_j1 ecp5-25k >$log 2>&1; then bad "pnr refuses a design that does not fit" $log
  elif grep -q 'does not fit.*DSP (MULT18X18D)' $log; then ok "pnr refuses a design that does not fit: $(tail -n 1 $log)"
  else bad "pnr refuses a design that does not fit" $log; fi
fi

# the DSP output-register pass takes a product's flip-flops only when nothing else reads the product and they share
# one clock and enable: a product bit that also feeds a LUT, or flip-flops on two enables, keep the multiplier as it is
msg=$(python3 - <<'PY'
import sys; sys.path.insert(0, 'verify'); import fpga
def mod(extra_load=False, two_ce=False):
    cells = {"m": {"type": "MULT18X18D", "parameters": {}, "port_directions": {"P0": "output", "P1": "output"},
                   "connections": {"P0": [10], "P1": [11]}}}
    for i in (0, 1):
        cells["f%d" % i] = {"type": "TRELLIS_FF", "parameters": {"CEMUX": "CE", "CLKMUX": "CLK", "REGSET": "RESET"},
                            "port_directions": {"CLK": "input", "CE": "input", "DI": "input", "LSR": "input", "Q": "output"},
                            "connections": {"CLK": [2], "CE": [3 + (i if two_ce else 0)], "DI": [10 + i], "LSR": ["0"], "Q": [20 + i]}}
    if extra_load:
        cells["l"] = {"type": "LUT4", "port_directions": {"A": "input", "Z": "output"}, "connections": {"A": [11], "Z": [30]}}
    return {"ports": {}, "cells": cells}
good = mod()
n = fpga.absorb_output_registers(good)
m = good["cells"]["m"]
print(n, m["parameters"]["REG_OUTPUT_CLK"], m["connections"]["P0"], m["connections"]["P1"], m["connections"]["CE0"],
      sorted(good["cells"]), fpga.absorb_output_registers(mod(extra_load=True)), fpga.absorb_output_registers(mod(two_ce=True)))
PY
)
[ "$msg" = "1 CLK0 [20] [21] [3] ['m'] 0 0" ] && ok "DSP output-register pass: absorbs a product's own flip-flops, not when another cell reads the product or the enables differ" \
  || bad "DSP output-register pass ($msg)"

# the block RAM output-register pass: a read port's data bits each into one flip-flop on the port's clock and one
# enable become the port's OUTREG (OCE = that enable); not when a data bit also feeds a LUT, the flip-flops are on
# another clock, or the port is 36 bits wide
msg=$(python3 - <<'PY'
import sys; sys.path.insert(0, 'verify'); import fpga
def mod(extra_load=False, other_clk=False, width="00000000000000000000000000001001"):
    cells = {"r": {"type": "DP16KD", "parameters": {"DATA_WIDTH_B": width, "REGMODE_B": "NOREG"},
                   "port_directions": {"DOB0": "output", "DOB1": "output", "CLKB": "input", "RSTB": "input"},
                   "connections": {"DOB0": [10], "DOB1": [11], "CLKB": [2], "RSTB": ["0"]}}}
    for i in (0, 1):
        cells["f%d" % i] = {"type": "TRELLIS_FF", "parameters": {"CEMUX": "CE", "CLKMUX": "CLK", "REGSET": "RESET"},
                            "port_directions": {"CLK": "input", "CE": "input", "DI": "input", "LSR": "input", "Q": "output"},
                            "connections": {"CLK": [7 if other_clk else 2], "CE": [3], "DI": [10 + i], "LSR": ["0"], "Q": [20 + i]}}
    if extra_load:
        cells["l"] = {"type": "LUT4", "port_directions": {"A": "input", "Z": "output"}, "connections": {"A": [11], "Z": [30]}}
    return {"ports": {}, "cells": cells}
good = mod()
n = fpga.absorb_bram_output_registers(good)
r = good["cells"]["r"]
print(n, r["parameters"]["REGMODE_B"], r["connections"]["DOB0"], r["connections"]["DOB1"], r["connections"]["OCEB"],
      sorted(good["cells"]), fpga.absorb_bram_output_registers(mod(extra_load=True)),
      fpga.absorb_bram_output_registers(mod(other_clk=True)), fpga.absorb_bram_output_registers(mod(width="36")))
PY
)
[ "$msg" = "1 OUTREG [20] [21] [3] ['r'] 0 0 0" ] && ok "block RAM output-register pass: absorbs a read port's own flip-flops, not when another cell reads the data, the clock differs or the port is 36 bits wide" \
  || bad "block RAM output-register pass ($msg)"

# the fan-out pass: a flip-flop and a LUT with 71 and 70 loads get copies, each output then drives at most 32 loads
# (plus the copies of the LUT it feeds), every load still reads its driver's function, other drivers stay alone
msg=$(python3 - <<'PY'
import sys; sys.path.insert(0, 'verify'); import fpga
cells = {"f": {"type": "TRELLIS_FF", "parameters": {"CEMUX": "CE"}, "port_directions": {"DI": "input", "CLK": "input", "Q": "output"},
               "connections": {"DI": [5], "CLK": [2], "Q": [10]}},
         "u": {"type": "LUT4", "port_directions": {"A": "input", "Z": "output"}, "connections": {"A": [10], "Z": [11]}},
         "r": {"type": "DP16KD", "port_directions": {"DOA0": "output"}, "connections": {"DOA0": [12]}}}
for i in range(70):
    cells["l%02d" % i] = {"type": "LUT4", "port_directions": {"A": "input", "B": "input", "C": "input", "Z": "output"},
                          "connections": {"A": [10], "B": [11], "C": [12], "Z": [100 + i]}}
m = {"ports": {}, "cells": cells, "netnames": {}}
n = fpga.replicate_fanout(m, 32)
ld = fpga._loads(m)
drv = {c["connections"][p][0]: k for k, c in m["cells"].items() for p, d in c["port_directions"].items() if d == "output"}
ok = all(drv[m["cells"]["l%02d" % i]["connections"]["A"][0]].split("$")[0] == "f" and
         drv[m["cells"]["l%02d" % i]["connections"]["B"][0]].split("$")[0] == "u" for i in range(70))
print(n, max(len(v) for k, v in ld.items() if k != 12) <= 34, len(ld[12]), ok, fpga.replicate_fanout(m, 0))
PY
)
[ "$msg" = "4 True 70 True 0" ] && ok "fan-out pass: copies of a flip-flop and a LUT with 71 and 70 loads, at most 32 loads each (+ the copied LUTs), a block RAM's output left alone, SG_FANOUT_LIMIT=0 turns it off" \
  || bad "fan-out pass ($msg)"

# nextpnr's packing can need more than synthesis counted (the anchor network on the ECP5-85F): a log line over
# 100 % is named; lines within the device are not
printf 'Info: Device utilisation:\nInfo: \t          DP16KD:     208/    208   100%%\nInfo: \t    TRELLIS_COMB:   94947/  83640   113%%\n' >$log.pack
msg=$(python3 -c "import sys; sys.path.insert(0, 'verify'); import fpga; print(fpga.packed_over(sys.argv[1]))" $log.pack)
[ "$msg" = "['TRELLIS_COMB: needs 94947, device has 83640']" ] && ok "pnr's packing check names the resource over 100 %: $msg" \
  || bad "pnr's packing check ($msg)"

# a nextpnr stopped from outside (killed, no message of its own): make pnr says so instead of "failed: ?"
rm -rf $R/killed && cp -r $R/tiny_j1 $R/killed && printf '#!/bin/sh\nkill -9 $$\n' >$R/killed.sh && chmod +x $R/killed.sh
if NEXTPNR_ICE40="$(cd $R && pwd)/killed.sh" python3 verify/fpga.py pnr $R/killed tiny_j1 ice40-up5k >$log 2>&1; then bad "pnr with a killed nextpnr must fail" $log
elif grep -q 'nextpnr failed: stopped by signal 9 (SIGKILL), no message' $log; then ok "pnr names a nextpnr killed by a signal: $(grep -o 'stopped by signal.*message' $log)"
else bad "pnr with a killed nextpnr" $log; fi

# a tool that cannot be started: one line naming it, exit 1, no traceback
if NEXTPNR_ICE40=/nonexistent/nextpnr-ice40 python3 verify/fpga.py pnr $R/killed tiny_j1 ice40-up5k >$log 2>&1; then bad "pnr with a missing nextpnr must fail" $log
elif [ "$(wc -l <$log)" = 1 ] && grep -q '^cannot run /nonexistent/nextpnr-ice40: No such file or directory' $log && ! grep -q Traceback $log; then
  ok "pnr names a nextpnr that cannot be started, in one line"
else bad "pnr with a missing nextpnr" $log; fi

[ ${#failed[@]} -eq 0 ] && rm -rf "$R" || { printf 'failed: %s\n' "${failed[@]}"; echo "outputs kept in $R"; }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
