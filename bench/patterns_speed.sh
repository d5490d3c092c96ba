#!/usr/bin/env bash
# Speed and memory of `sparsegen patterns` on a large network: 4096-4096-4096-1024 at about 10 % density.
# Fan-outs (416, 416, 104): fan-ins 416 in every junction (4096 * 104 / 1024 = 416); 416 = 32 * 13 does not divide
# 4096, so every sweep boundary is straddled and the generator's boundary repair is exercised (docs/patterns.md).
# z = (32, 32, 8): z must divide p = 4096 and divide d_in = 416 (so z <= 32); z_3 = 8 balances the junctions
# (C = 53248 clocks each). Density 3,833,856 / 37,748,736 = 10.16 %.
# Two runs: type2 with sweep and start-vector shuffle (the default family), and type1 with memory dither (the most
# memory: 4 more bytes per edge of row tables). CSV and PNG included.
# Target (not a test): under 2 s and under 16 bytes of peak memory (RSS) per edge.
# Prints seconds, edges, peak RSS and bytes/edge. Usage: bash bench/patterns_speed.sh [SPARSEGEN]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-${SPARSEGEN:-./sparsegen}}
OUTD=out/bench
mkdir -p "$OUTD"
EDGES=$((4096 * 416 + 4096 * 416 + 4096 * 104))
status=0

run() { # name, connectivity mapping
  local name=$1 conn=$2 spec=$OUTD/$1.yaml secs rss_kb
  cat >"$spec" <<EOF
# bench/patterns_speed.sh: 4096-4096-4096-1024, fan-outs (416, 416, 104), about 10 % density.
name: $name
layers: [4096, 4096, 4096, 1024]
fanout: [416, 416, 104]
z: [32, 32, 8]
connectivity: $conn
EOF
  rm -rf "${OUTD:?}/$name"
  if [ -x /usr/bin/time ]; then
    if ! /usr/bin/time -v "$BIN" patterns "$spec" -o "$OUTD/$name" >"$OUTD/$name.log" 2>"$OUTD/$name.time"; then
      cat "$OUTD/$name.time" >&2
      echo "patterns_speed: '$BIN patterns $spec' failed" >&2
      exit 1
    fi
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$OUTD/$name.time")
    rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUTD/$name.time")
  else # getrusage through python3 when GNU time is missing
    read -r secs rss_kb < <(python3 - "$BIN" "$spec" "$OUTD/$name" <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
subprocess.run([sys.argv[1], "patterns", sys.argv[2], "-o", sys.argv[3]], check=True, stdout=subprocess.DEVNULL)
print(f"{time.monotonic() - t0:.2f}", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
)
  fi
  local bpe csv_mb
  bpe=$(awk -v r="$rss_kb" -v e="$EDGES" 'BEGIN { printf "%.2f", r * 1024 / e }')
  csv_mb=$(du -cm "$OUTD/$name"/*.csv | tail -1 | cut -f1)
  local verdict
  verdict=$(awk -v s="$secs" -v b="$bpe" 'BEGIN { print (s < 2 && b < 16) ? "target met" : "TARGET MISSED" }')
  [ "$verdict" = "target met" ] || status=1
  printf '%-10s 4096-4096-4096-1024: %s s, %d edges, peak RSS %s KiB, %s bytes/edge, CSV %s MB: %s (< 2 s, < 16 B/edge)\n' \
    "${name#patterns_}" "$secs" "$EDGES" "$rss_kb" "$bpe" "$csv_mb" "$verdict"
}

run patterns_type2 "{family: type2, sweep_shuffle: true, start_shuffle: true, seed: 1}"
run patterns_type1 "{family: type1, memory_dither: true, seed: 1}"
# A missed target is reported, not fatal: timings depend on the machine and its load.
[ $status -eq 0 ] || echo "patterns_speed: a target was missed (see above)"
exit 0
