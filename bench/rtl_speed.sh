#!/usr/bin/env bash
# bench/rtl_speed.sh [SPEC...]: the generated hardware's clocks per training sample (measured by the testbench,
# against the plan), and the simulators' speed (simulated clocks per wall-clock second) under Icarus and
# Verilator. Default specs: examples/tiny_j1.yaml and examples/anchor_board.yaml. SAMPLES (default 50) samples of
# random data, no stalls. Prints a markdown table: "seconds" is the wall time of the simulation (not the build),
# "CPU s" its user + system time (the figure to trust on a shared, loaded machine), clocks/s = simulated clocks per
# wall second and per CPU second. Then the time of `sparsegen rtl` for each spec (best of 5 runs; target < 0.2 s).
# Results go to out/bench/rtl/.
set -euo pipefail
cd "$(dirname "$0")/.."
SG=${SPARSEGEN:-./sparsegen}
SAMPLES=${SAMPLES:-50}
B=${OUT:-out}/bench/rtl
[ $# -gt 0 ] || set -- examples/tiny_j1.yaml examples/anchor_board.yaml
[ -x "$SG" ] || make -s sparsegen
mkdir -p "$B"
echo "| network | simulator | samples | clocks/sample (measured) | plan | simulated clocks | seconds | CPU s | clocks/s (wall) | clocks/s (CPU) | samples/s at 100 MHz |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
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
      t0=$(date +%s.%N); (cd "$d" && /usr/bin/time -f '%U %S' -o cpu_$sim.txt vvp -n sim.vvp +vec=vec >sim_$sim.log 2>&1) || true; t1=$(date +%s.%N)
    else
      (cd "$d" && verilator --binary --timing -Wno-fatal -Wno-lint -Wno-style -O2 -Itb -Ivec --top-module tb_sparsegen \
         -Mdir obj_verilator tb/tb_sparsegen.v rtl/*.v >verilator_build.log 2>&1)
      t0=$(date +%s.%N); (cd "$d" && /usr/bin/time -f '%U %S' -o cpu_$sim.txt ./obj_verilator/Vtb_sparsegen +vec=vec >sim_$sim.log 2>&1) || true; t1=$(date +%s.%N)
    fi
    log=$d/sim_$sim.log
    verdict=$(grep -x -m1 -E 'PASS|FAIL' "$log" || echo "no verdict")
    cps=$(sed -n 's/^clocks per sample (steady state): \([0-9]*\).*/\1/p' "$log")
    clk=$(sed -n 's/.*; \([0-9]*\) clocks simulated$/\1/p' "$log")
    secs=$(echo "$t1 - $t0" | bc -l)
    cpu=$(awk 'END { print $1 + $2 }' "$d/cpu_$sim.txt")
    rate=$(echo "$clk / $secs" | bc)
    crate=$(echo "$clk / ($cpu + 0.005)" | bc)
    sps=$(echo "100000000 / $cps" | bc)
    printf '| %s | %s | %s | %s (%s) | %s | %s | %.1f | %.2f | %s | %s | %s |\n' "$name" "$sim" "$SAMPLES" "$cps" "$verdict" \
      "$plan" "$clk" "$secs" "$cpu" "$rate" "$crate" "$sps"
  done
done
echo
echo "| network | sparsegen rtl (best of 5, wall s) |"
echo "|---|---|"
for spec in "$@"; do
  name=$(sed -n 's/^name:[[:space:]]*\([a-z][a-z0-9_]*\).*/\1/p' "$spec" | head -n 1)
  best=
  for i in 1 2 3 4 5; do
    t0=$(date +%s.%N); "$SG" rtl "$spec" -o "$B/$name.rtltime" >/dev/null 2>&1; t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  printf '| %s | %.3f |\n' "$name" "$best"
done
