#!/usr/bin/env bash
# bench/sim_examples.sh [SPEC...]: runs `make sim` on every example (default: examples/*.yaml), first a few samples
# under Icarus (the reference simulator), then the long run under Verilator. Not part of `make test` (too slow).
# Environment: SAMPLES (Verilator run, default 200), ICARUS_SAMPLES (default: 20, or 3 for networks with more than
# 100 lanes in all; networks with more than 10000 weights skip the weight read-back under Icarus, +no_readback,
# which is one word per clock and most of the run: the Verilator run compares every weight), DATA (default: Fashion-MNIST for 784-input networks when installed, else random), SIMS (default
# "icarus verilator"). Prints a markdown table (network, simulator, samples, data, clocks per sample measured and
# planned, simulated clocks, wall seconds including generation and build, verdict); logs in out/bench/sim_examples/.
# Exit status 1 if any run did not PASS.
set -uo pipefail
cd "$(dirname "$0")/.."
SAMPLES=${SAMPLES:-200}
SIMS=${SIMS:-icarus verilator}
FMNIST=/usr/share/datasets/fashion-mnist
L=out/bench/sim_examples
mkdir -p "$L"
[ $# -gt 0 ] || set -- examples/*.yaml
make -s sparsegen >/dev/null || exit 1
echo "| network | simulator | samples | data | clocks/sample (measured) | plan | simulated clocks | seconds | verdict |"
echo "|---|---|---|---|---|---|---|---|---|"
failed=0
for spec in "$@"; do
  name=$(sed -n 's/^name:[[:space:]]*\([a-z][a-z0-9_]*\).*/\1/p' "$spec" | head -n 1)
  n0=$(sed -n 's/^layers:[[:space:]]*\[\([0-9]*\),.*/\1/p' "$spec" | head -n 1)
  data=${DATA:-random}
  if [ -z "${DATA:-}" ] && [ "$n0" = 784 ] && [ -d "$FMNIST" ]; then data=$FMNIST; fi
  read -r lanes edges < <(./sparsegen check "$spec" --json 2>/dev/null |
    python3 -c 'import json,sys; p = json.load(sys.stdin); print(sum(j["z"] for j in p["junctions"]), p["totals"]["edges"])')
  for sim in $SIMS; do
    args=
    if [ "$sim" = icarus ]; then
      [ "${edges:-0}" -le 10000 ] || args=+no_readback
      n=${ICARUS_SAMPLES:-}
      [ -n "$n" ] || { if [ "${lanes:-0}" -gt 100 ]; then n=3; else n=20; fi; }
    else
      n=$SAMPLES
    fi
    log=$L/${name}_$sim.log
    t0=$(date +%s.%N)
    make -s sim SPEC="$spec" SAMPLES="$n" DATA="$data" SIM="$sim" SIMARGS="$args" >"$log" 2>&1
    st=$?
    t1=$(date +%s.%N)
    cp "out/$name/sim.log" "$L/${name}_${sim}_sim.log" 2>/dev/null
    verdict=$(tail -n 1 "$log")
    [ $st -eq 0 ] && [ "$verdict" = PASS ] || { failed=1; verdict="FAIL ($verdict)"; }
    cps=$(sed -n 's/^clocks per sample (steady state): \([0-9]*\), plan \([0-9]*\).*/\1/p' "$log" | head -n 1)
    plan=$(sed -n 's/^clocks per sample (steady state): \([0-9]*\), plan \([0-9]*\).*/\2/p' "$log" | head -n 1)
    clk=$(sed -n 's/.*; \([0-9]*\) clocks simulated$/\1/p' "out/$name/sim.log" | head -n 1)
    dname=$data; [ "$data" = "$FMNIST" ] && dname=fashion-mnist
    printf '| %s | %s | %s%s | %s | %s | %s | %s | %.1f | %s |\n' "$name" "$sim" "$n" "${args:+ (no read-back)}" "$dname" "${cps:-?}" "${plan:-?}" \
      "${clk:-?}" "$(echo "$t1 - $t0" | bc -l)" "$verdict"
  done
done
exit $failed
