#!/usr/bin/env bash
# bench/rtl_speed.sh [SPEC...]: the generated hardware's clocks per training sample (measured by the testbench,
# against the plan), and the simulators' speed (simulated clocks per wall-clock second) under Icarus and
# Verilator. Default specs: examples/tiny_j1.yaml and examples/anchor_board.yaml. SAMPLES (default 50) samples of
# random data, no stalls. Prints a markdown table. Results go to out/bench/rtl/.
set -euo pipefail
cd "$(dirname "$0")/.."
SG=${SPARSEGEN:-./sparsegen}
SAMPLES=${SAMPLES:-50}
B=${OUT:-out}/bench/rtl
[ $# -gt 0 ] || set -- examples/tiny_j1.yaml examples/anchor_board.yaml
[ -x "$SG" ] || make -s sparsegen
mkdir -p "$B"
echo "| network | simulator | samples | clocks/sample (measured) | plan | simulated clocks | seconds | clocks/s | samples/s at 100 MHz |"
echo "|---|---|---|---|---|---|---|---|---|"
for spec in "$@"; do
  name=$(sed -n 's/^name:[[:space:]]*\([a-z][a-z0-9_]*\).*/\1/p' "$spec" | head -n 1)
  d=$B/$name
  rm -rf "$d"
  "$SG" rtl "$spec" -o "$d" >/dev/null
  "$SG" vectors "$spec" --data random -n "$SAMPLES" -o "$d/vec" >/dev/null
  plan=$("$SG" check "$spec" 2>/dev/null | sed -n 's/^ *clocks per junction cycle *\([0-9]*\).*/\1/p')
  for sim in icarus verilator; do
    if [ $sim = icarus ]; then
      (cd "$d" && iverilog -g2012 -o sim.vvp -Itb -Ivec tb/tb_sparsegen.v rtl/*.v)
      t0=$(date +%s.%N); (cd "$d" && vvp -n sim.vvp +vec=vec >sim_$sim.log 2>&1) || true; t1=$(date +%s.%N)
    else
      (cd "$d" && verilator --binary --timing -Wno-fatal -Wno-lint -Wno-style -O2 -Itb -Ivec --top-module tb_sparsegen \
         -Mdir obj_verilator tb/tb_sparsegen.v rtl/*.v >verilator_build.log 2>&1)
      t0=$(date +%s.%N); (cd "$d" && ./obj_verilator/Vtb_sparsegen +vec=vec >sim_$sim.log 2>&1) || true; t1=$(date +%s.%N)
    fi
    log=$d/sim_$sim.log
    verdict=$(grep -x -m1 -E 'PASS|FAIL' "$log" || echo "no verdict")
    cps=$(sed -n 's/^clocks per sample (steady state): \([0-9]*\).*/\1/p' "$log")
    clk=$(sed -n 's/.*; \([0-9]*\) clocks simulated$/\1/p' "$log")
    secs=$(echo "$t1 - $t0" | bc -l)
    rate=$(echo "$clk / $secs" | bc)
    sps=$(echo "100000000 / $cps" | bc)
    printf '| %s | %s | %s | %s (%s) | %s | %s | %.1f | %s | %s |\n' "$name" "$sim" "$SAMPLES" "$cps" "$verdict" "$plan" \
      "$clk" "$secs" "$rate" "$sps"
  done
done
