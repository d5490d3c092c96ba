#!/usr/bin/env bash
# Golden-model speed: edge operations per second of `sparsegen train` (one FF, BP or UP of one edge counts one)
# on the 784-112-10 network with fan-outs (42, 10), for the fixed and float models and both schedules.
# Prints figures only; it is a benchmark, not a test. Target: fixed, pipelined >= 200 M edge-ops/s on one core.
#
#   bash bench/model_speed.sh              # 4000 training samples per configuration
#   SAMPLES=20000 bash bench/model_speed.sh
#   SPEC=path.yaml DATA=dir bash bench/model_speed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-/usr/share/datasets/fashion-mnist}
SAMPLES=${SAMPLES:-4000}
OUTD=out/bench
SG=${SPARSEGEN:-./sparsegen}
mkdir -p "$OUTD"

if [ -z "${SPEC:-}" ]; then
  if [ -f examples/fmnist_784_112_10.yaml ]; then
    SPEC=examples/fmnist_784_112_10.yaml
  else # the same network, written here when the example is missing
    SPEC=$OUTD/speed_784_112_10.yaml
    cat > "$SPEC" <<'YAML'
# bench/model_speed.sh: 784-112-10, fan-outs (42, 10), 38.3 % density
name: speed_784_112_10
layers: [784, 112, 10]
fanout: [42, 10]
z: [98, 4]
format: {width: 12, frac: 8}
learning_rate: {shift: 4}
YAML
  fi
fi
[ -d "$DATA" ] || { echo "model_speed: dataset folder $DATA missing (Debian package dataset-fashion-mnist)" >&2; exit 1; }
[ "$SG" != ./sparsegen ] || make -s sparsegen

echo "model speed: $SPEC, $SAMPLES training samples, 1 epoch, $(nproc) cores on the machine (the model uses one)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(the figures drop when other processes share the cores: compare runs made at a load average below 1)"
printf '\n| model | schedule | samples/s | M edge-ops/s | train seconds |\n|---|---|---:|---:|---:|\n'
for cfg in fixed:pipelined fixed:sequential float:pipelined float:sequential; do
  model=${cfg%%:*} sched=${cfg##*:}
  rep=$OUTD/model_speed_${model}_${sched}.json
  "$SG" train "$SPEC" --data "$DATA" --epochs 1 --limit-train "$SAMPLES" --limit-test 10 \
        --model "$model" --schedule "$sched" --report "$rep" > "$OUTD/model_speed_${model}_${sched}.log"
  python3 - "$rep" "$model" "$sched" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
e = r["epochs"][0]
print("| %s | %s | %.0f | %.1f | %.2f |" % (sys.argv[2], sys.argv[3], e["samples_per_second"],
      e["edge_ops_per_second"] / 1e6, e["seconds"]))
PY
done
python3 - "$OUTD/model_speed_fixed_pipelined.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["epochs"][0]
v = e["edge_ops_per_second"] / 1e6
print("\nfixed, pipelined: %.1f M edge-ops/s (target >= 200): %s" % (v, "met" if v >= 200 else "NOT met"))
PY
