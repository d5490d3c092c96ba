#!/usr/bin/env bash
# verify/rtl-tests.sh: the RTL tests (run by `make test-rtl`; meant for `make test`). For a matrix of networks
# covering J = 1..4, every pattern family, memory dither, relu and sigmoid, z >= d_in with q > 1, z < d_in, small P
# (delta forwarding), inference, and valid/ready stalls: generate (`sparsegen rtl`), lint (Verilator -Wall, Yosys
# check -assert, no latches), make vectors with the golden model and simulate under Icarus (one network also under
# Verilator), expecting PASS, and check that the plan's RAM bits, ROM bits and multipliers are what Yosys finds in
# the generated design (verify/plan_vs_rtl.py). Then the negative tests: a wrong expected weight, a wrong expected activation and a
# missing vector file must each make the simulation FAIL with a non-zero exit status; and the generator must be
# deterministic. Prints one line per test and ends with "N passed, N failed"; exit status 1 if any failed.
set -u
cd "$(dirname "$0")/.."
SG=${SPARSEGEN:-./sparsegen}
T=${OUT:-out}/rtl-tests
IVERILOG=${IVERILOG:-iverilog}
VVP=${VVP:-vvp}
VERILATOR=${VERILATOR:-verilator}
YOSYS=${YOSYS:-yosys}
rm -rf "$T"
mkdir -p "$T/specs"
pass=0; fail=0; failed=()
ok() { pass=$((pass + 1)); echo "ok    $1"; }
bad() { fail=$((fail + 1)); failed+=("$1"); echo "FAIL  $1${2:+: $2}"; }

spec() { # name, yaml body (the name line is added)
  printf 'name: %s\n%s\n' "$1" "$2" >"$T/specs/$1.yaml"
}
# J = 1, q = 1 (the examples' tiny network)
cp examples/tiny_j1.yaml "$T/specs/tiny_j1.yaml"
# J = 2, type2 (SS + SV), sigmoid, P = 4 and 2
spec t2_j2 'layers: [16, 8, 4]
fanout: [2, 2]
z: [4, 2]
format: {width: 10, frac: 6}
input: {bits: 6}
learning_rate: {shift: 2}'
# junction 1: z 8 > d_in 4 (q = 2 neurons per clock); junction 2: z 2 < d_in 8 (4 clocks per neuron)
spec q2_zlt 'layers: [16, 8, 4]
fanout: [2, 4]
z: [8, 2]
format: {width: 12, frac: 8}
classes: 3
learning_rate: {shift: 3}'
# layer 1 written two of its four banks at a time (q_1 = 2 < z_2 = 4): the registered bank selects rotate by q
spec q2_sel 'layers: [16, 8, 4]
fanout: [2, 4]
z: [8, 4]
format: {width: 12, frac: 8}
classes: 3
learning_rate: {shift: 3}'
# type3, relu hidden layer, 16-bit; junction 1: z 3 < d_in 6; junction 2: P = 1, q = 3
spec t3_relu 'layers: [12, 6, 6]
fanout: [3, 2]
z: [3, 6]
format: {width: 16, frac: 10}
activation: [relu, sigmoid]
connectivity: {family: type3, seed: 5}
learning_rate: {shift: 4}'
# type1 with memory dither, J = 3 (q = 2, 2, then z 2 < d_in 4)
spec t1_md_j3 'layers: [18, 12, 8, 4]
fanout: [2, 2, 2]
z: [6, 6, 2]
format: {width: 9, frac: 5}
connectivity: {family: type1, memory_dither: true, seed: 3}
learning_rate: {shift: 2}'
# the banded anchor pattern (zero start), P = 2 in junction 2: BP revisits a delta row in consecutive clocks
spec zero_p2 'layers: [8, 8, 4]
fanout: [2, 4]
z: [4, 4]
format: {width: 10, frac: 7}
connectivity: {family: type2, zero_start: true}
learning_rate: {shift: 1}'
# type2 with memory dither and sweep shuffle, 8-bit, relu output
spec md_relu 'layers: [12, 12, 4]
fanout: [4, 2]
z: [4, 3]
format: {width: 8, frac: 5}
activation: [sigmoid, relu]
connectivity: {family: type2, memory_dither: true, seed: 9}'
# large learning-rate shifts: F + k = 2w - 1 and 2w (random vectors use k and k + 1), the UP shifter's clamp
spec bigshift 'layers: [8, 4]
fanout: [2]
z: [4]
format: {width: 8, frac: 6}
learning_rate: {shift: 9}'
# found by make fuzz-rtl: result beats that fall in the clocks of the 15 input beats of a sample, with stalls on
# both streams (a result beat must not be offered while an input beat is missing: the pipeline holds then)
spec long_input 'layers: [30, 4, 6]
fanout: [4, 6]
z: [2, 4]
format: {width: 11, frac: 6}
input: {bits: 16}
learning_rate: {shift: 1}
connectivity: {family: type1, seed: 5}'
# found by make fuzz-rtl: hidden layers smaller than the number of classes (the label compare and the argmax of
# junctions other than the last must still elaborate), J = 3, inference and training
spec small_hidden 'layers: [12, 3, 5, 8]
fanout: [1, 5, 8]
z: [4, 3, 5]
format: {width: 9, frac: 6}
classes: 7
activation: [sigmoid, relu, sigmoid]
connectivity: {family: type2, memory_dither: true, seed: 2}'
spec small_hidden_inf 'layers: [39, 6, 19, 10]
fanout: [6, 19, 10]
z: [39, 6, 19]
format: {width: 9, frac: 6}
connectivity: {family: type1, seed: 4168938412}
mode: infer'
# found by make fuzz-rtl: the junction that sets the cycle (junction 3, C = 51) back-propagates with an empty adder
# tree (z = 1): its last delta write must land before junction 2's look-ahead read of that copy (SG_LAT_BP); one beat
# per sample and no stalls: the testbench measures clocks per sample from sample 4 (the input register and FIFO run four words ahead)
spec bp_sets_cycle 'layers: [9, 2, 17, 3]
fanout: [2, 17, 3]
z: [9, 2, 1]
format: {width: 8, frac: 6}
input: {bits: 16}
classes: 2
activation: [relu, relu, sigmoid]
learning_rate: {shift: 7}
connectivity: {family: type1, seed: 3056365688}
init: {seed: 180}'
# inference only
spec infer_j2 'layers: [16, 8, 4]
fanout: [2, 2]
z: [8, 4]
mode: infer'

# name, samples, extra vector options
# overlapped junction cycles, junction 1 busy in every clock of its cycle (C_1 = cycle_clocks = 17, P_1 = 1): its
# last edge reads layer 0's oldest copy in the next cycle's first clock (found by make fuzz-rtl)
spec ov_c1_full 'layers: [22, 17, 6]
fanout: [17, 6]
z: [22, 17]
format: {width: 15, frac: 12}
input: {bits: 6}
learning_rate: {shift: 10}
connectivity: {family: type2, zero_start: true, sweep_shuffle: false, seed: 3130185741}
init: {seed: 742}
overlap: true'
# a learning rate built into the hardware (learning_rate.fixed: the update's shifters are wiring): J = 2 with
# overlapped cycles and a shift of 0 (no rounding constant for the bias); J = 1 with the shift at 2W - F = 10, where
# every weight update rounds to zero
spec fixed_k0_ov 'layers: [16, 8, 4]
fanout: [2, 2]
z: [4, 2]
format: {width: 10, frac: 6}
input: {bits: 6}
learning_rate: {shift: 0, fixed: true}
overlap: true'
spec fixed_big 'layers: [8, 4]
fanout: [2]
z: [4]
format: {width: 8, frac: 6}
learning_rate: {shift: 10, fixed: true}'
spec fixed_k3_j3 'layers: [18, 12, 8, 4]
fanout: [2, 2, 2]
z: [6, 6, 2]
format: {width: 9, frac: 6}
activation: [relu, sigmoid, sigmoid]
learning_rate: {shift: 3, fixed: true}
connectivity: {family: type1, memory_dither: true}'
# overlapped cycles where the 16 input beats fill the 16-clock cycle: layer 0 keeps two RAMs per bank (no PAIR)
spec ov_unpaired 'layers: [32, 8, 2]
fanout: [1, 2]
z: [2, 2]
format: {width: 9, frac: 6}
classes: 2
learning_rate: {shift: 2}
overlap: true'
# overlapped junction cycles (overlap: true): the same networks with cycles of max(C, latency + 1) clocks; layer 0
# of the training ones keeps its two read copies in one RAM per bank (PAIR) where the input beats fit every other
# clock (long_input_ov: 15 beats, with stalls)
for n in t2_j2 q2_zlt t1_md_j3 small_hidden infer_j2 long_input; do
  { sed 's/^name: .*/name: '"${n}"'_ov/' "$T/specs/$n.yaml"; echo 'overlap: true'; } >"$T/specs/${n}_ov.yaml"
done

sims=("tiny_j1 40 --stalls" "t2_j2_ov 40 --stalls" "q2_zlt_ov 30" "q2_sel 20 --stalls" "t1_md_j3_ov 24 --stalls" "small_hidden_ov 16"
      "infer_j2_ov 20 --stalls" "ov_c1_full 17 --stalls" "t2_j2 40 --stalls" "q2_zlt 30" "t3_relu 30 --stalls" "t1_md_j3 24" "zero_p2 40"
      "md_relu 30 --stalls" "infer_j2 20 --stalls" "bigshift 30" "deep_j4 6" "long_input 16 --stalls"
      "small_hidden 16 --stalls" "small_hidden_inf 12 --stalls" "bp_sets_cycle 9" "fixed_k0_ov 30 --stalls"
      "fixed_big 20" "fixed_k3_j3 24 --stalls" "long_input_ov 16 --stalls"
      "ov_unpaired 20 --stalls")
cp examples/deep_j4.yaml "$T/specs/deep_j4.yaml"
# the networks whose plan is compared with the hardware (Yosys, a few seconds each): J = 1, relu + type3 + P = 1,
# type1 + memory dither + J = 3, type2 + memory dither + relu output, inference, hidden layers smaller than classes
plan_specs="tiny_j1 t3_relu t1_md_j3 md_relu infer_j2 small_hidden t1_md_j3_ov infer_j2_ov"

gen_lint() { # name -> generates $T/name, lints
  local n=$1 d=$T/$1
  if ! "$SG" rtl "$T/specs/$n.yaml" -o "$d" >"$T/$n.gen.log" 2>&1; then bad "$n: rtl" "$(tail -n 3 "$T/$n.gen.log")"; return 1; fi
  if (cd "$d" && "$VERILATOR" --lint-only -Wall --top-module "${n}_top" rtl/*.v) >"$T/$n.lint.log" 2>&1; then
    ok "$n: verilator --lint-only -Wall"
  else bad "$n: verilator --lint-only -Wall" "$(grep -m 3 '%' "$T/$n.lint.log")"; fi
  if (cd "$d" && "$YOSYS" -q -p "read_verilog rtl/sg_*.v rtl/${n}_top.v; hierarchy -check -top ${n}_top; proc; check -assert; select -assert-none t:\$dlatch t:\$latch t:\$dlatchsr") >"$T/$n.yosys.log" 2>&1; then
    ok "$n: yosys check, no latches"
  else bad "$n: yosys check" "$(tail -n 3 "$T/$n.yosys.log")"; fi
}

plan_hw() { # name -> the plan's RAM bits, ROM bits and multipliers are what Yosys finds in the generated design
  if SPARSEGEN="$SG" YOSYS="$YOSYS" python3 verify/plan_vs_rtl.py "$T/specs/$1.yaml" "$T/$1" >"$T/$1.plan.log" 2>&1; then
    ok "$1: $(tail -n 1 "$T/$1.plan.log" | sed 's/^[^:]*: //')"
  else bad "$1: plan vs hardware" "$(tail -n 1 "$T/$1.plan.log")"; fi
}

run_icarus() { # dir -> 0 on PASS
  (cd "$1" && "$IVERILOG" -g2012 -o sim.vvp -Itb -Ivec tb/tb_sparsegen.v rtl/*.v && "$VVP" -n sim.vvp +vec=vec) >"$1/sim.log" 2>&1
  local st=$?
  [ $st -eq 0 ] && tail -n 3 "$1/sim.log" | grep -qx PASS
}

for entry in "${sims[@]}"; do
  set -- $entry
  n=$1; samples=$2; shift 2
  gen_lint "$n" || continue
  case " $plan_specs " in *" $n "*) plan_hw "$n";; esac
  d=$T/$n
  if ! "$SG" vectors "$T/specs/$n.yaml" --data random -n "$samples" --seed 7 "$@" -o "$d/vec" >"$T/$n.vec.log" 2>&1; then
    bad "$n: vectors" "$(tail -n 3 "$T/$n.vec.log")"; continue
  fi
  t0=$SECONDS
  if run_icarus "$d"; then ok "$n: icarus, $samples samples${1:+ $1}, bit-exact ($((SECONDS - t0)) s; $(grep -m1 'clocks per sample' "$d/sim.log"))"
  else bad "$n: icarus simulation" "$(grep -m 5 -E 'MISMATCH|FAIL|ERROR|error' "$d/sim.log" | tr '\n' ' ')"; fi
done

# saturated delta sums: junction 2's weights at the format's limits (verify/tests/mkweights.py) make the hidden
# layer's back-propagated sums leave the range in both directions, so the derivative scaling multiplies saturated
# sums (on a DSP block: the sum as read, with the saturation applied to the product; sg_junction g_sig_du); the
# same network with that saturation switched off must FAIL, which shows that the weights reach it
spec dsat 'layers: [8, 4, 4]
fanout: [2, 4]
z: [4, 4]
format: {width: 8, frac: 5}
learning_rate: {shift: 2}'
dsat_sim() { # rtl folder, templates folder
  local d=$1
  "$SG" patterns "$T/specs/dsat.yaml" -o "$T/dsat_pat" --no-csv --no-png >/dev/null 2>&1 &&
  python3 verify/tests/mkweights.py "$T/dsat_pat/patterns.json" dsat 8 5 sigmoid,sigmoid "$T/dsat_w.txt" &&
  "$SG" rtl "$T/specs/dsat.yaml" -o "$d" --weights "$T/dsat_w.txt" --templates "$2" >"$d.gen.log" 2>&1 &&
  "$SG" vectors "$T/specs/dsat.yaml" --data random -n 40 --seed 7 --stalls --weights "$T/dsat_w.txt" -o "$d/vec" \
      >"$d.vec.log" 2>&1 && run_icarus "$d"
}
if dsat_sim "$T/dsat" templates; then ok "dsat: icarus, 40 samples with saturated delta sums, stalls, bit-exact ($(grep -m1 'clocks per sample' "$T/dsat/sim.log"))"
else bad "dsat: icarus simulation" "$(grep -m 5 -E 'MISMATCH|FAIL|ERROR|rror' "$T/dsat/sim.log" "$T/dsat.gen.log" 2>/dev/null | tr '\n' ' ')"; fi
rm -rf "$T/dsat_tpl"; cp -r templates "$T/dsat_tpl"
sed -i 's/ov3 <= !(/ov3 <= 1'"'"'b0 \&\& !(/' "$T/dsat_tpl/sg_junction.v"
if ! cmp -s templates/sg_junction.v "$T/dsat_tpl/sg_junction.v" && ! dsat_sim "$T/dsat_neg" "$T/dsat_tpl" &&
   grep -q MISMATCH "$T/dsat_neg/sim.log"; then ok "negative: dsat without the delta sum's saturation FAILs"
else bad "negative: dsat without the delta sum's saturation must FAIL"; fi

# a DSP budget (sparsegen rtl --dsp): some products of a phase on DSP blocks, the rest logic multipliers, still
# bit-exact, and the plan's DSP/logic split is what the generated design instantiates
n=t2_j2; d=$T/${n}_dsp
if "$SG" rtl "$T/specs/$n.yaml" -o "$d" --dsp 3 >"$T/$n.dsp.log" 2>&1 && cp -r "$T/$n/vec" "$d/vec" &&
   (cd "$d" && "$VERILATOR" --lint-only -Wall --top-module "${n}_top" rtl/*.v) >>"$T/$n.dsp.log" 2>&1; then
  ok "$n --dsp 3: generated, verilator --lint-only -Wall"
else bad "$n --dsp 3: rtl and lint" "$(grep -m 3 '%\|error' "$T/$n.dsp.log")"; fi
if SPARSEGEN="$SG" YOSYS="$YOSYS" python3 verify/plan_vs_rtl.py "$T/specs/$n.yaml" "$d" 3 >"$T/$n.dspplan.log" 2>&1 &&
   grep -q '(3 DSP, [1-9][0-9]* logic)' "$T/$n.dspplan.log"; then ok "$n --dsp 3: $(tail -n 1 "$T/$n.dspplan.log" | sed 's/^[^:]*: //')"
else bad "$n --dsp 3: plan vs hardware" "$(tail -n 1 "$T/$n.dspplan.log")"; fi
if run_icarus "$d"; then ok "$n --dsp 3: icarus, logic multipliers bit-exact"
else bad "$n --dsp 3: icarus simulation" "$(grep -m 5 -E 'MISMATCH|FAIL|ERROR|error' "$d/sim.log" | tr '\n' ' ')"; fi

# the logic multiplier alone against `*` (verify/tests/tb_sg_mul.v: 14 operand shapes, corner and random operands),
# as written and in its ECP5 variant (-DSG_ECP5: AND gates inside the carry chains' LUTs) with Yosys's cell models;
# a wrong carry-chain LUT must make it fail
ECP5_CELLS=$(dirname "$(command -v "$YOSYS")")/../share/yosys/ecp5
mul_test() { # name, extra iverilog arguments...
  local n=$1; shift
  if $IVERILOG -g2012 -o "$T/mul_$n.vvp" verify/tests/tb_sg_mul.v "$@" >"$T/mul_$n.log" 2>&1 &&
     $VVP -n "$T/mul_$n.vvp" >>"$T/mul_$n.log" 2>&1 && grep -q '^PASS' "$T/mul_$n.log"; then return 0; fi
  return 1
}
if mul_test plain templates/sg_mul.v; then ok "sg_mul (logic): $(grep '^PASS' "$T/mul_plain.log" | sed 's/^PASS: //'), bit-exact"
else bad "sg_mul (logic) against *" "$(grep -m 3 -E 'expected|FAIL|rror' "$T/mul_plain.log" | tr '\n' ' ')"; fi
if [ -f "$ECP5_CELLS/cells_sim.v" ]; then
  if mul_test ecp5 -DSG_ECP5 -I"$ECP5_CELLS" templates/sg_mul.v "$ECP5_CELLS/cells_sim.v"; then
    ok "sg_mul (logic, ECP5 carry chains): $(grep '^PASS' "$T/mul_ecp5.log" | sed 's/^PASS: //'), bit-exact"
  else bad "sg_mul (ECP5 carry chains) against *" "$(grep -m 3 -E 'expected|FAIL|rror' "$T/mul_ecp5.log" | tr '\n' ' ')"; fi
  sed 's/16.h7888/16'"'"'h7880/' templates/sg_mul.v >"$T/sg_mul_bad.v"
  if ! grep -q "7888" "$T/sg_mul_bad.v" && ! mul_test bad -DSG_ECP5 -I"$ECP5_CELLS" "$T/sg_mul_bad.v" "$ECP5_CELLS/cells_sim.v" &&
     grep -q 'FAIL' "$T/mul_bad.log"; then ok "negative: a wrong carry-chain LUT makes the multiplier test FAIL"
  else bad "negative: a wrong carry-chain LUT must make the multiplier test FAIL"; fi
else bad "sg_mul (ECP5): Yosys's ECP5 cell models not found under '$ECP5_CELLS'"; fi

# the same testbench under Verilator
d=$T/t2_j2
if (cd "$d" && "$VERILATOR" --binary --timing -Wno-fatal -Wno-lint -Wno-style -O1 -Itb -Ivec --top-module tb_sparsegen \
      -Mdir obj_verilator tb/tb_sparsegen.v rtl/*.v && ./obj_verilator/Vtb_sparsegen +vec=vec) >"$d/verilator.log" 2>&1 &&
   grep -qx PASS "$d/verilator.log"; then ok "t2_j2: verilator simulation, bit-exact"
else bad "t2_j2: verilator simulation" "$(grep -m 3 -E 'MISMATCH|FAIL|rror' "$d/verilator.log" | tr '\n' ' ')"; fi

# negative tests: the testbench must fail on a wrong expectation or a missing file
neg() { # name, file, sed expression
  local d=$T/neg_$1
  rm -rf "$d"; cp -r "$T/t2_j2" "$d"; rm -rf "$d/obj_verilator"
  if [ "$3" = flip ]; then flip "$d/vec/$2"; else rm "$d/vec/$2"; fi
  (cd "$d" && "$VVP" -n sim.vvp +vec=vec) >"$d/sim.log" 2>&1
  local st=$?
  if [ $st -ne 0 ] && grep -qx FAIL "$d/sim.log" && ! grep -qx PASS "$d/sim.log"; then ok "negative: $1 makes the simulation FAIL (exit $st)"
  else bad "negative: $1 must FAIL" "exit $st"; fi
}
# line 5 is the first data line after the 4 banner lines: flip the lowest bit of its last hex digit
flip() { awk 'NR == 5 { d = substr($0, length($0)); i = index("0123456789abcdef", d) - 1; i = (i % 2 == 0) ? i + 1 : i - 1;
                        $0 = substr($0, 1, length($0) - 1) substr("0123456789abcdef", i + 1, 1) } { print }' "$1" >"$1.tmp" &&
          mv "$1.tmp" "$1"; }
neg "a wrong expected weight" exp_w.hex flip
neg "a wrong expected activation" exp_act.hex flip
neg "a wrong expected bias" exp_b.hex flip
neg "a missing vector file" in_meta.hex rm
# a built-in learning rate (learning_rate.fixed) refuses a sample with another shift: vectors of the same network
# without `fixed` (one sample in 4 takes shift + 1) stop the simulation with the junction's message
d=$T/neg_fixed; rm -rf "$d"; cp -r "$T/fixed_big" "$d"
sed 's/, fixed: true//' "$T/specs/fixed_big.yaml" >"$T/specs/fixed_big_var.yaml"
"$SG" vectors "$T/specs/fixed_big_var.yaml" --data random -n 20 --seed 7 -o "$d/vec_var" >"$d/vec.log" 2>&1
(cd "$d" && "$VVP" -n sim.vvp +vec=vec_var) >"$d/sim.log" 2>&1
st=$?
if [ $st -ne 0 ] && grep -q "shift is built in as 10" "$d/sim.log" && ! grep -qx PASS "$d/sim.log"; then
  ok "negative: a sample whose shift differs from the built-in one stops the simulation (exit $st)"
else bad "negative: a sample with another shift must stop a learning_rate.fixed design" "exit $st"; fi

# the sequential schedule in hardware, and make sim WAVES=1 (verify/rtl-tests-seq.sh)
. verify/rtl-tests-seq.sh

# determinism: the same spec gives the same bytes
# (the same command line twice: the banner records it, -o DIR included)
"$SG" rtl "$T/specs/t1_md_j3.yaml" -o "$T/det" >/dev/null 2>&1 && mv "$T/det" "$T/det_a"
"$SG" rtl "$T/specs/t1_md_j3.yaml" -o "$T/det" >/dev/null 2>&1
if [ -d "$T/det_a/rtl" ] && diff -r "$T/det_a" "$T/det" >/dev/null; then ok "rtl output is deterministic (diff -r of two runs)"
else bad "rtl output is deterministic"; fi
if grep -rq '/work\|/home\|/tmp' "$T/det_a"; then bad "no absolute paths in rtl output"; else ok "no absolute paths in rtl output"; fi

[ ${#failed[@]} -eq 0 ] || printf 'failed: %s\n' "${failed[@]}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
