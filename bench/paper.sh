#!/usr/bin/env bash
# `make paper`: the results of docs/results.md ("The paper's experiments"), from the golden model (`sparsegen
# train`). Three parts, each written under $OUTD (default out/paper/):
#   density   accuracy against density on 784-112-10: fan-outs (112, 10) .. (2, 10), float and fixed 16/12/10-bit,
#             SEEDS seeds, mean and range (bench/accuracy.sh with more networks) -> density.md, density.svg
#   families  the pattern families at one density (FAM_NET, default fan-outs (2, 10)): type1, type2, type3 with and
#             without SS/SV/MD, zero_start (banded) with and without MD, and the unconstrained random baseline:
#             accuracy and scatter side by side -> families.md, families.svg (+ junction-1 pictures, seed 1)
#   curves    train and test accuracy per epoch (CURVE_EPOCHS) of examples/fmnist_784_112_10.yaml,
#             examples/fmnist_sparse_3pct.yaml and examples/fmnist_fc.yaml, from `train --report` -> curves.md,
#             curves.svg
# and paper.md (all three tables, with the settings and wall times). Plots are plain SVG (bench/plot_svg.py).
#
#   make paper                                   # the full default set (40 min on the loaded 2-core machine)
#   QUICK=1 make paper                           # a small fast subset (1 seed, 1 epoch, 2000/1000 samples; 25 s)
#   DATA=/path/to/mnist make paper               # MNIST (or any folder of MNIST-format IDX files) instead
#   PARTS="families" SEEDS="1 2 3 4 5" bash bench/paper.sh   # one part, other seeds
#   REPORT_ONLY=1 bash bench/paper.sh            # only the tables and plots, from the reports already in OUTD
#
# Settings (environment): DATA (default /usr/share/datasets/fashion-mnist), SEEDS ("1 2 3"), EPOCHS (2),
# DENSITY_NETS ("fc fo56 fo42 fo28 fo14 fo8 fo4 fo2"; foN = fan-outs (N, 10)), MODELS ("float w16 w12 w10"),
# FAM_NET (fo2), FAM_MODELS (w16), CURVE_EPOCHS (10), LIMIT_TRAIN / LIMIT_TEST (all samples), JOBS (2),
# PARTS ("density families curves"), OUTD (out/paper), SPARSEGEN (./sparsegen). QUICK=1 changes the defaults to
# SEEDS=1 EPOCHS=1 CURVE_EPOCHS=2 LIMIT_TRAIN=2000 LIMIT_TEST=1000 DENSITY_NETS="fc fo42 fo2" MODELS="float w12";
# anything set explicitly wins.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-/usr/share/datasets/fashion-mnist}
SG=${SPARSEGEN:-./sparsegen}
OUTD=${OUTD:-out/paper}
if [ -n "${QUICK:-}" ]; then
  SEEDS=${SEEDS:-1}; EPOCHS=${EPOCHS:-1}; CURVE_EPOCHS=${CURVE_EPOCHS:-2}
  LIMIT_TRAIN=${LIMIT_TRAIN:-2000}; LIMIT_TEST=${LIMIT_TEST:-1000}
  DENSITY_NETS=${DENSITY_NETS:-"fc fo42 fo2"}; MODELS=${MODELS:-"float w12"}
fi
SEEDS=${SEEDS:-"1 2 3"}
EPOCHS=${EPOCHS:-2}
CURVE_EPOCHS=${CURVE_EPOCHS:-10}
LIMIT_TRAIN=${LIMIT_TRAIN:-}
LIMIT_TEST=${LIMIT_TEST:-}
DENSITY_NETS=${DENSITY_NETS:-"fc fo56 fo42 fo28 fo14 fo8 fo4 fo2"}
MODELS=${MODELS:-"float w16 w12 w10"}
FAM_NET=${FAM_NET:-fo2}
FAM_MODELS=${FAM_MODELS:-w16}
JOBS=${JOBS:-2}
PARTS=${PARTS:-"density families curves"}
REPORT_ONLY=${REPORT_ONLY:-}
export JOBS EPOCHS LIMIT_TRAIN LIMIT_TEST SPARSEGEN="$SG" DATA

die() { echo "paper: $*" >&2; exit 1; }
# The data folder must hold MNIST-format IDX files (the names verify/idx.c looks for), checked before anything runs.
[ -d "$DATA" ] || die "DATA=$DATA is not a folder (Debian package dataset-fashion-mnist, or a folder of MNIST IDX files)"
has_idx() { local p; for p in "$1-images-idx3-ubyte" "$1-images-idx3-ubyte.gz" "$1-images.idx3-ubyte" \
                                "$1-images.idx3-ubyte.gz"; do [ -f "$DATA/$p" ] && return 0; done; return 1; }
has_idx train && has_idx t10k || die "DATA=$DATA holds no MNIST IDX files (train-images-idx3-ubyte[.gz] and t10k-images-idx3-ubyte[.gz] expected)"
for p in $PARTS; do case $p in density|families|curves) ;; *) die "unknown part '$p' (density, families, curves)";; esac; done
[ "$SG" != ./sparsegen ] || { make -s sparsegen; SPARSEGEN=$PWD/sparsegen; } # built once, not by every accuracy.sh
[ -x "$SG" ] || die "no sparsegen executable at $SG"
mkdir -p "$OUTD"
[ -n "$REPORT_ONLY" ] || : > "$OUTD/timing.txt"
want() { [ -z "$REPORT_ONLY" ] && [[ " $PARTS " == *" $1 "* ]]; }
t_all=$SECONDS

# ---- a. accuracy against density ----
if want density; then
  t0=$SECONDS
  echo "paper: density: networks $DENSITY_NETS; $MODELS; seeds $SEEDS; $EPOCHS epochs"
  rm -rf "$OUTD/density"
  OUTD="$OUTD/density" NETS="$DENSITY_NETS" MODELS="$MODELS" SEEDS="$SEEDS" bash bench/accuracy.sh \
    > "$OUTD/density.log" 2>&1 || { tail -5 "$OUTD/density.log" >&2; die "density: a run failed (see $OUTD/density.log)"; }
  echo "density $((SECONDS - t0))" >> "$OUTD/timing.txt"
fi

# ---- b. pattern families at one density ----
# tag|connectivity (without seed)
FAMILIES="
type1|family: type1
type1_md|family: type1, memory_dither: true
type2|family: type2, sweep_shuffle: false, start_shuffle: false
type2_sv|family: type2, sweep_shuffle: false, start_shuffle: true
type2_ss|family: type2, sweep_shuffle: true, start_shuffle: false
type2_ss_sv|family: type2, sweep_shuffle: true, start_shuffle: true
type2_ss_sv_md|family: type2, sweep_shuffle: true, start_shuffle: true, memory_dither: true
type3|family: type3, start_shuffle: false
type3_sv|family: type3, start_shuffle: true
type3_sv_md|family: type3, start_shuffle: true, memory_dither: true
zero_start|family: type2, zero_start: true
zero_start_md|family: type2, zero_start: true, memory_dither: true
random|family: random
"
if want families; then
  t0=$SECONDS
  echo "paper: families at $FAM_NET: $FAM_MODELS; seeds $SEEDS; $EPOCHS epochs"
  rm -rf "$OUTD/families"
  mkdir -p "$OUTD/families"
  while IFS='|' read -r tag conn; do
    [ -n "$tag" ] || continue
    d=$OUTD/families/$tag
    OUTD="$d" NETS="$FAM_NET" MODELS="$FAM_MODELS" SEEDS="$SEEDS" CONNECTIVITY="$conn" bash bench/accuracy.sh \
      > "$d.log" 2>&1 || { tail -5 "$d.log" >&2; die "families: $tag failed (see $d.log)"; }
    echo "$conn" > "$d/connectivity.txt"
    # the pattern statistics (scatter) of every seed's spec; the pictures of seed 1 are kept
    for s in $SEEDS; do
      spec=$(ls "$d"/acc_"${FAM_NET}"_*_s"$s".yaml | head -1)
      "$SG" patterns "$spec" -o "$d/patterns_s$s" --no-csv > "$d/patterns_s$s.log" 2>&1 \
        || die "families: sparsegen patterns failed for $spec (see $d/patterns_s$s.log)"
    done
    echo "  $tag: done"
  done <<< "$FAMILIES"
  echo "families $((SECONDS - t0))" >> "$OUTD/timing.txt"
fi

# ---- c. training curves ----
if want curves; then
  t0=$SECONDS
  echo "paper: curves: $CURVE_EPOCHS epochs"
  rm -rf "$OUTD/curves"
  mkdir -p "$OUTD/curves"
  for ex in fmnist_784_112_10 fmnist_sparse_3pct fmnist_fc; do
    args=(train "examples/$ex.yaml" --data "$DATA" --epochs "$CURVE_EPOCHS" --report "$OUTD/curves/$ex.json")
    [ -z "$LIMIT_TRAIN" ] || args+=(--limit-train "$LIMIT_TRAIN")
    [ -z "$LIMIT_TEST" ] || args+=(--limit-test "$LIMIT_TEST")
    ( echo "$SG ${args[*]}"; "$SG" "${args[@]}" || touch "$OUTD/curves/$ex.failed" ) > "$OUTD/curves/$ex.log" 2>&1 &
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 0.2; done
  done
  wait # (not `wait PID`: see bench/accuracy.sh)
  ! ls "$OUTD"/curves/*.failed > /dev/null 2>&1 || die "curves: a run failed (see $OUTD/curves/*.log)"
  echo "curves $((SECONDS - t0))" >> "$OUTD/timing.txt"
fi
[ -n "$REPORT_ONLY" ] || echo "total $((SECONDS - t_all))" >> "$OUTD/timing.txt"

# ---- tables and plots ----
python3 bench/paper_report.py "$OUTD" "$DATA" "$PARTS" "$DENSITY_NETS" "$MODELS" "$SEEDS" "$FAM_NET" "$FAM_MODELS" \
  "$EPOCHS" "$CURVE_EPOCHS" "$LIMIT_TRAIN" "$LIMIT_TEST" "$FAMILIES"
