#!/usr/bin/env bash
# The main job (`make demo`, after `make deps` and the build): the whole story on one example.
#   plan -> connection-pattern picture -> golden-model training on Fashion-MNIST -> Verilog with the trained
#   weights (and its FuseSoC core) -> bit-exact Icarus simulation -> synthesis, place and route and bitstream for
#   the iCE40 UP5K and the ECP5-25F -> a summary table read from the JSON reports.
# Variables: DEMO_SPEC (the network, examples/fmnist_up5k.yaml: the one Fashion-MNIST training network that fits
# both the iCE40 UP5K and the ECP5-25F, docs/fpga-results.md), DEMO_FPGA_SPEC (the network of the FPGA steps,
# DEMO_SPEC unless set), DEMO_EPOCHS (5), DEMO_SIM_SAMPLES (50),
# DATA (Fashion-MNIST IDX folder). Everything goes to out/demo/ (removed first).
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO_SPEC=${DEMO_SPEC:-examples/fmnist_up5k.yaml}
# The FPGA steps need a network that fits both the iCE40 UP5K and the ECP5-25F.
DEMO_FPGA_SPEC=${DEMO_FPGA_SPEC:-$DEMO_SPEC}
DEMO_EPOCHS=${DEMO_EPOCHS:-5}
DEMO_SIM_SAMPLES=${DEMO_SIM_SAMPLES:-50}
DATA=${DATA:-/usr/share/datasets/fashion-mnist}
OUTD=out/demo
SG=./sparsegen
N=8
T0=$SECONDS
ts=$SECONDS
B=; E=; if [ -t 1 ]; then B=$'\033[1m'; E=$'\033[0m'; fi
step() { # number, title, where its outputs go
  printf '\n%s[%s/%s] %s%s -> %s\n' "$B" "$1" "$N" "$2" "$E" "$3"
  ts=$SECONDS
}
done_step() { printf '      (%d s)\n' $((SECONDS - ts)); }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }
name_of() { sed -n 's/^name:[[:space:]]*\([a-z][a-z0-9_]*\).*/\1/p' "$1" | head -n 1; }

[ -x "$SG" ] || die "./sparsegen missing: run 'make demo' (or 'make' first)"
[ -f "$DEMO_SPEC" ] || die "DEMO_SPEC '$DEMO_SPEC' does not exist"
[ -f "$DEMO_FPGA_SPEC" ] || die "DEMO_FPGA_SPEC '$DEMO_FPGA_SPEC' does not exist"
[ -d "$DATA" ] || die "dataset folder '$DATA' missing ('make deps' installs dataset-fashion-mnist)"
NAME=$(name_of "$DEMO_SPEC")
FNAME=$(name_of "$DEMO_FPGA_SPEC")
rm -rf "$OUTD"
mkdir -p "$OUTD"
echo "sparsegen demo: $DEMO_SPEC ($NAME), FPGA steps on $DEMO_FPGA_SPEC ($FNAME), data $DATA"

step 1 "plan: $SG check $DEMO_SPEC" "$OUTD/plan.txt, $OUTD/plan.json"
$SG check "$DEMO_SPEC" >"$OUTD/plan.txt"
$SG check "$DEMO_SPEC" --json >"$OUTD/plan.json"
sed -n '/^Totals/,$p' "$OUTD/plan.txt"
done_step

step 2 "connection patterns: $SG patterns $DEMO_SPEC" "$OUTD/patterns/ (junction<j>.png: the picture)"
$SG patterns "$DEMO_SPEC" -o "$OUTD/patterns"
for p in "$OUTD"/patterns/junction*.png; do echo "      picture: $p"; done
done_step

step 3 "golden-model training on Fashion-MNIST, $DEMO_EPOCHS epochs (60000 training, 10000 test samples)" \
     "$OUTD/train/report.json, $OUTD/train/weights.txt"
mkdir -p "$OUTD/train"
$SG train "$DEMO_SPEC" --data "$DATA" --epochs "$DEMO_EPOCHS" --report "$OUTD/train/report.json" \
    --save "$OUTD/train/weights.txt"
if [ "$DEMO_FPGA_SPEC" != "$DEMO_SPEC" ]; then
  echo "      and the FPGA steps' network $FNAME -> $OUTD/train/$FNAME.json, $OUTD/train/$FNAME.weights.txt"
  $SG train "$DEMO_FPGA_SPEC" --data "$DATA" --epochs "$DEMO_EPOCHS" --report "$OUTD/train/$FNAME.json" \
      --save "$OUTD/train/$FNAME.weights.txt" | tail -n 1
  FWEIGHTS=$OUTD/train/$FNAME.weights.txt
else
  FWEIGHTS=$OUTD/train/weights.txt
fi
done_step

step 4 "Verilog accelerator with the trained weights: $SG rtl" "$OUTD/rtl/ (rtl/, mem/, tb/, files.f, $NAME.core)"
$SG rtl "$DEMO_SPEC" -o "$OUTD/rtl" --weights "$OUTD/train/weights.txt"
done_step

step 5 "bit-exact simulation (Icarus): $DEMO_SIM_SAMPLES Fashion-MNIST training steps from the trained weights, compared with the golden model" \
     "$OUTD/rtl/vec/, $OUTD/rtl/sim.log"
$SG vectors "$DEMO_SPEC" --data "$DATA" -n "$DEMO_SIM_SAMPLES" --weights "$OUTD/train/weights.txt" -o "$OUTD/rtl/vec"
(cd "$OUTD/rtl" && iverilog -g2012 -o sim.vvp -Itb -Ivec -f files.f tb/tb_sparsegen.v >iverilog.log 2>&1) \
  || { cat "$OUTD/rtl/iverilog.log"; die "iverilog failed"; }
(cd "$OUTD/rtl" && vvp -n sim.vvp +vec=vec >sim.log 2>&1) || true
grep -v '^PASS$\|^FAIL$' "$OUTD/rtl/sim.log" | tail -n 3 | sed 's/^/      /'
tail -n 3 "$OUTD/rtl/sim.log" | grep -qx PASS || die "simulation FAILED ($OUTD/rtl/sim.log)"
echo "      PASS"
done_step

FPGA_OPTS=(FPGA_ROOT="$OUTD/fpga" RTL_OPTS="--weights $FWEIGHTS" SPEC="$DEMO_FPGA_SPEC")
step 6 "iCE40 UP5K: Yosys synthesis, nextpnr place and route, icepack" \
     "$OUTD/fpga/$FNAME/report/ice40-up5k.json, $OUTD/fpga/$FNAME/fpga/ice40-up5k/ (bitstream $FNAME.bin)"
make -s --no-print-directory synth TARGET=ice40-up5k "${FPGA_OPTS[@]}"
make -s --no-print-directory bitstream TARGET=ice40-up5k "${FPGA_OPTS[@]}"
done_step

step 7 "ECP5-25F: Yosys synthesis, nextpnr-ecp5 place and route, ecppack" \
     "$OUTD/fpga/$FNAME/report/ecp5-25k.json, $OUTD/fpga/$FNAME/fpga/ecp5-25k/ (bitstream $FNAME.bit)"
make -s --no-print-directory synth TARGET=ecp5-25k "${FPGA_OPTS[@]}"
make -s --no-print-directory bitstream TARGET=ecp5-25k "${FPGA_OPTS[@]}"
done_step

step 8 "summary" "$OUTD/summary.md"
python3 - "$OUTD" "$NAME" "$FNAME" "$DEMO_FPGA_SPEC" "$DEMO_SPEC" "$DEMO_EPOCHS" $((SECONDS - T0)) >"$OUTD/summary.md" <<'PY'
import json, os, re, sys
outd, name, fname, fspec, spec, epochs, secs = sys.argv[1:]
def load(p):
    return json.load(open(p))
tr = load(os.path.join(outd, "train", "report.json"))
acc = {name: tr}
if fname != name:
    acc[fname] = load(os.path.join(outd, "train", fname + ".json"))
sim = open(os.path.join(outd, "rtl", "sim.log")).read()
m = re.search(r"clocks per sample \(steady state\): (\d+)", sim)
print("| network | target | test accuracy | LUT | FF | block RAM | DSP | Fmax | training samples/s | fits |")
print("|---|---|---|---|---|---|---|---|---|---|")
speed = tr["epochs"][-1]["samples_per_second"]
print("| %s | golden model (C, this CPU) | %.2f %% | | | | | | %.0f | |" % (name, 100 * tr["final_test_accuracy"], speed))
print("| %s | Icarus simulation | bit-exact %s, %s clocks per sample | | | | | | | |"
      % (name, "PASS" if sim.rstrip().endswith("PASS") else "FAIL", "?" if not m else m.group(1)))
for t in ("ice40-up5k", "ecp5-25k"):
    r = load(os.path.join(outd, "fpga", fname, "report", t + ".json"))
    a = acc.get(fname)
    print("| %s | %s | %s | %d of %d | %d | %d of %d %s | %d of %d %s | %s MHz | %s | %s |" % (
        fname, r["device"], "%.2f %%" % (100 * a["final_test_accuracy"]) if a else "",
        r["lut"], r["capacity"]["lut"], r["ff"], r["bram"]["blocks"], r["capacity"]["bram"], r["bram"]["cell"],
        r["dsp"]["blocks"], r["capacity"]["dsp"], r["dsp"]["cell"],
        "%.1f" % r["fmax_mhz"] if r.get("fmax_mhz") else "–", "{:,}".format(r["samples_per_second"]) if r.get("samples_per_second") else "–",
        "yes" if r["fits"] else "no: " + "; ".join(r["does_not_fit"])))
print()
print("Test accuracy: the golden model after %s epochs on Fashion-MNIST (60000 training, 10000 test samples), "
      "fixed point, the hardware's pipelined schedule; the FPGA's arithmetic is the same bit for bit. "
      "FPGA training samples/s = Fmax / clocks per sample. Spec %s%s; bitstreams carry the trained weights. "
      "Demo time %s s." % (epochs, spec, "" if fspec == spec else ", FPGA steps on " + fspec, secs))
PY
cat "$OUTD/summary.md"
printf '\ndemo finished in %d s; everything is in %s/\n' $((SECONDS - T0)) "$OUTD"
