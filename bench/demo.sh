#!/usr/bin/env bash
# The main job: plan, patterns, one epoch of golden-model training, Verilog generation, and a bit-exact simulation.
set -euo pipefail
cd "$(dirname "$0")/.."
SPEC=${SPEC:-examples/fmnist_784_112_10.yaml}
DATA=${DATA:-/usr/share/datasets/fashion-mnist}
OUTD=out/demo
mkdir -p "$OUTD"
step() { printf '\n== %s\n' "$*"; }
t0=$SECONDS
step "1/5 plan: ./sparsegen check $SPEC"
./sparsegen check "$SPEC"
step "2/5 connection patterns -> $OUTD/patterns/"
./sparsegen patterns "$SPEC" -o "$OUTD/patterns"
step "3/5 golden-model training on $DATA (1 epoch, all 60000 samples, 10000 test samples) -> $OUTD/report.json, $OUTD/weights.txt"
./sparsegen train "$SPEC" --data "$DATA" --epochs 1 \
    --report "$OUTD/report.json" --save "$OUTD/weights.txt"
step "4/5 Verilog accelerator with the trained weights -> $OUTD/rtl/"
./sparsegen rtl "$SPEC" -o "$OUTD/rtl" --weights "$OUTD/weights.txt"
step "5/5 bit-exact simulation against the golden model (Icarus, examples/tiny_j1.yaml, 50 samples, random stalls)"
make -s sim SPEC=examples/tiny_j1.yaml SAMPLES=50 STALLS=1
printf '\ndemo finished in %d s; outputs in %s/\n' $((SECONDS - t0)) "$OUTD"
