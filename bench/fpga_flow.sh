#!/usr/bin/env bash
# bench/fpga_flow.sh [SPEC:TARGET ...]: generation-to-bitstream wall time of the open FPGA flows, step by step:
# rtl (`sparsegen rtl --target T` and `sparsegen check --json`), synth (Yosys, verify/fpga.py synth, including its
# second pass when the DSP blocks do not suffice), pnr (nextpnr --report) and bitstream (icepack / ecppack), plus
# the wall and CPU (user + system) time of the whole run, and what came out (LUT, block RAM, DSP, Fmax, fits).
# xc7 stops after synthesis (no open P&R). A design that does not fit stops after synthesis with the reason.
# Default pairs: tiny_j1 on ice40-up5k and ecp5-25k, fmnist_up5k on ice40-up5k, fmnist_sparse_3pct on ecp5-25k.
# Outputs in out/bench/fpga/<target>/<name>/. Prints a markdown table. The machine is shared: wall times are upper
# bounds; CPU time is the figure to compare. FREQ (nextpnr's target MHz) and PNR_ARGS (extra nextpnr options) pass
# through to verify/fpga.py, as do SPEED (ECP5 speed grade) and SEED_PNR; the anchor network on the ECP5-85F
# (docs/fpga-results.md: 99.1 MHz, 3.10 M training samples/s at commit 1dc4fed) is
#   SPEED=8 SEED_PNR=2 FREQ=100 PNR_ARGS="--placer static --no-tmdriv --router router1" \
#     bench/fpga_flow.sh examples/anchor_board_lrfixed.yaml:ecp5-85k
# (synthesis about 6 minutes, placement and routing 13-15 minutes on this 2-core machine).
set -uo pipefail
cd "$(dirname "$0")/.."
SG=${SPARSEGEN:-./sparsegen}
B=${OUT:-out}/bench/fpga
[ $# -gt 0 ] || set -- examples/tiny_j1.yaml:ice40-up5k examples/tiny_j1.yaml:ecp5-25k \
                       examples/fmnist_up5k.yaml:ice40-up5k examples/fmnist_sparse_3pct.yaml:ecp5-25k
[ -x "$SG" ] || make -s sparsegen
now() { date +%s.%N; }
el() { python3 -c "print('%.1f' % ($2 - $1))"; }
echo "| network | target | rtl s | synth s | pnr s | bitstream s | total wall s | total CPU s | LUT | block RAM | DSP | Fmax MHz | clocks/sample | training samples/s | result |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for pair in "$@"; do
  spec=${pair%%:*}; t=${pair##*:}
  name=$(sed -n 's/^name:[[:space:]]*\([a-z][a-z0-9_]*\).*/\1/p' "$spec" | head -n 1)
  d=$B/$t/$name
  rm -rf "$d"; mkdir -p "$d/report"
  log=$d/bench.log
  c0=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
  t0=$(now)
  "$SG" rtl "$spec" -o "$d" --target "$t" >"$log" 2>&1 && "$SG" check "$spec" --json >"$d/report/plan.json" 2>>"$log"
  t1=$(now); s_rtl=$(el "$t0" "$t1")
  res=ok; s_syn=-; s_pnr=-; s_bit=-
  if python3 verify/fpga.py synth "$d" "$name" "$t" >>"$log" 2>&1; then
    t2=$(now); s_syn=$(el "$t1" "$t2")
    fits=$(python3 -c "import json; print(json.load(open('$d/report/$t.json'))['fits'])")
    if [ "$t" = xc7 ]; then res="synthesis only"
    elif [ "$fits" != True ]; then res="does not fit: $(python3 -c "import json; print('; '.join(json.load(open('$d/report/$t.json'))['does_not_fit']))")"
    elif python3 verify/fpga.py pnr "$d" "$name" "$t" >>"$log" 2>&1; then
      t3=$(now); s_pnr=$(el "$t2" "$t3")
      if python3 verify/fpga.py bitstream "$d" "$name" "$t" >>"$log" 2>&1; then t4=$(now); s_bit=$(el "$t3" "$t4")
      else res="bitstream failed (see $log)"; fi
    else res="pnr failed (see $log)"; fi
  else res="synth failed (see $log)"; fi
  tend=$(now)
  # CPU time of the children (user + system, clock ticks) since the start of this pair
  c1=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
  cpu=$(python3 -c "import os; print('%.0f' % (($c1 - $c0) / os.sysconf('SC_CLK_TCK')))")
  sum=$(python3 - "$d/report/$t.json" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    print("- | - | - | - | - | -"); sys.exit()
f = r.get("fmax_mhz")
sps = r.get("samples_per_second")
print("%d | %g %s | %d %s | %s | %s | %s" % (r["lut"], r["bram"]["blocks"], r["bram"]["cell"], r["dsp"]["blocks"],
                                            r["dsp"]["cell"], "%.1f" % f if f else "-", r.get("clocks_per_sample") or "-",
                                            "{:,}".format(sps) if sps else "-"))
PY
)
  echo "| $name | $t | $s_rtl | $s_syn | $s_pnr | $s_bit | $(el "$t0" "$tend") | $cpu | $sum | $res |"
done
