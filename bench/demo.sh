#!/usr/bin/env bash
# The main job: plan, patterns and a short golden-model training run on the default example.
set -euo pipefail
cd "$(dirname "$0")/.."
SPEC=${SPEC:-examples/fmnist_784_112_10.yaml}
DATA=${DATA:-/usr/share/datasets/fashion-mnist}
OUTD=out/demo
mkdir -p "$OUTD"
step() { printf '\n== %s\n' "$*"; }
t0=$SECONDS
step "1/3 plan: ./sparsegen check $SPEC"
./sparsegen check "$SPEC"
step "2/3 connection patterns -> $OUTD/patterns/"
./sparsegen patterns "$SPEC" -o "$OUTD/patterns"
step "3/3 golden-model training on $DATA (1 epoch, 10000 samples) -> $OUTD/report.json, $OUTD/weights.txt"
./sparsegen train "$SPEC" --data "$DATA" --epochs 1 --limit-train 10000 --limit-test 2000 \
    --report "$OUTD/report.json" --save "$OUTD/weights.txt"
printf '\ndemo finished in %d s; outputs in %s/\n' $((SECONDS - t0)) "$OUTD"
