#!/usr/bin/env bash
# bench/speedup.sh: the pipelining speed-up measured in simulation (docs/speedup.md).
# For J = 1..4 (networks with 16 neurons per layer, fan-out 4, z 4: C = 16 clocks in every junction) and the
# examples tiny_j1 and deep_j4, the same generated hardware is simulated under Icarus twice, bit-exact against the
# golden model each time: pipelined (samples back to back, `sparsegen vectors` default) and sequential (one sample
# through FF, BP and UP at a time: `--schedule sequential`, the testbench flushes after every sample). The clocks
# per sample are the testbench's own measurement (first input beats of samples 1 .. N-1). Writes
# out/speedup/speedup.csv, out/speedup/speedup.md, out/speedup/speedup.svg and docs/img/speedup.svg (gnuplot,
# Debian gnuplot-nox). Then the same networks with overlapped junction cycles (`overlap: true`), pipelined, against
# the pipelined runs without overlap. Usage: bash bench/speedup.sh [SAMPLES] (default 8; at least 3).
set -eu
cd "$(dirname "$0")/.."
SG=${SPARSEGEN:-./sparsegen}
IVERILOG=${IVERILOG:-iverilog}
VVP=${VVP:-vvp}
N=${1:-8}
O=out/speedup
[ -x "$SG" ] || make -s sparsegen
command -v gnuplot >/dev/null || { echo "speedup: gnuplot is missing (apt-get install gnuplot-nox)"; exit 1; }
rm -rf "$O"; mkdir -p "$O/specs" docs/img

for J in 1 2 3 4; do
  layers=16; fan=4; z=4; act=sigmoid
  for ((h = 1; h <= J; h++)); do layers+=", 16"; [ $h -lt $J ] && { fan+=", 4"; z+=", 4"; act+=", sigmoid"; }; done
  printf 'name: speedup_j%d\nlayers: [%s]\nfanout: [%s]\nz: [%s]\nformat: {width: 10, frac: 6}\nactivation: [%s]\nlearning_rate: {shift: 3}\n' \
    "$J" "$layers" "$fan" "$z" "$act" >"$O/specs/speedup_j$J.yaml"
done
cp examples/tiny_j1.yaml examples/deep_j4.yaml "$O/specs/"

sim() { # dir -> prints the measured clocks per sample, fails unless PASS
  (cd "$1" && "$IVERILOG" -g2012 -o sim.vvp -Itb -Ivec tb/tb_sparsegen.v rtl/*.v && "$VVP" -n sim.vvp +vec=vec) >"$1/sim.log" 2>&1 ||
    { echo "speedup: simulation failed in $1" >&2; tail -n 5 "$1/sim.log" >&2; return 1; }
  tail -n 3 "$1/sim.log" | grep -qx PASS || { echo "speedup: no PASS in $1/sim.log" >&2; return 1; }
  sed -n 's/^clocks per sample (steady state): \([0-9]*\),.*/\1/p' "$1/sim.log"
}

echo "J,network,cycle_clocks,pipelined,sequential,speedup,2J+1,3J" >"$O/speedup.csv"
for n in speedup_j1 speedup_j2 speedup_j3 speedup_j4 tiny_j1 deep_j4; do
  spec=$O/specs/$n.yaml
  J=$(sed -n 's/^layers: \[\(.*\)\]/\1/p' "$spec" | tr -cd ',' | wc -c)
  cyc=$("$SG" check "$spec" --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["cycle_clocks"])')
  for s in pipelined sequential; do
    d=$O/$n/$s
    "$SG" rtl "$spec" -o "$d" >/dev/null 2>&1
    "$SG" vectors "$spec" --data random -n "$N" --seed 1 --schedule "$s" -o "$d/vec" >/dev/null
  done
  p=$(sim "$O/$n/pipelined"); q=$(sim "$O/$n/sequential")
  sp=$(python3 -c "print(f'{$q / $p:.2f}')")
  echo "$J,$n,$cyc,$p,$q,$sp,$((2 * J + 1)),$((3 * J))" >>"$O/speedup.csv"
  echo "J=$J $n: cycle $cyc clocks; pipelined $p, sequential $q clocks per sample; speed-up $sp (2J+1 = $((2 * J + 1)), 3J = $((3 * J)))"
done

{
  echo "| J | network | clocks per junction cycle | pipelined clocks/sample | sequential clocks/sample | speed-up | 2J+1 | 3J |"
  echo "|---|---|---|---|---|---|---|---|"
  tail -n +2 "$O/speedup.csv" | awk -F, '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
} >"$O/speedup.md"
cat "$O/speedup.md"

# overlapped junction cycles (overlap: true): the same networks, pipelined, against the pipelined runs above
echo "J,network,cycle_clocks,pipelined,overlapped,gain" >"$O/overlap.csv"
for n in speedup_j1 speedup_j2 speedup_j3 speedup_j4 tiny_j1 deep_j4; do
  spec=$O/specs/${n}_ov.yaml
  { sed 's/^name: .*/name: '"${n}"'_ov/' "$O/specs/$n.yaml"; echo 'overlap: true'; } >"$spec"
  J=$(sed -n 's/^layers: \[\(.*\)\]/\1/p' "$spec" | tr -cd ',' | wc -c)
  cyc=$("$SG" check "$spec" --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["cycle_clocks"])')
  d=$O/${n}_ov
  "$SG" rtl "$spec" -o "$d" >/dev/null 2>&1
  "$SG" vectors "$spec" --data random -n "$N" --seed 1 -o "$d/vec" >/dev/null
  o=$(sim "$d")
  p=$(awk -F, -v n="$n" '$2 == n { print $4 }' "$O/speedup.csv")
  g=$(python3 -c "print(f'{$p / $o:.2f}')")
  echo "$J,$n,$cyc,$p,$o,$g" >>"$O/overlap.csv"
  echo "J=$J $n overlapped: cycle $cyc clocks; $o clocks per sample (not overlapped: $p); gain $g"
done
{
  echo
  echo "| J | network | overlapped cycle clocks | pipelined clocks/sample, not overlapped | overlapped | gain |"
  echo "|---|---|---|---|---|---|"
  tail -n +2 "$O/overlap.csv" | awk -F, '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
} >>"$O/speedup.md"
tail -n 9 "$O/speedup.md"

grep '^[0-9],speedup_j' "$O/speedup.csv" | tr ',' ' ' >"$O/equal_c.dat"
grep -v '^[0-9],speedup_j' "$O/speedup.csv" | tail -n +2 | tr ',' ' ' >"$O/examples.dat"
gnuplot <<EOF
set terminal svg size 640,420 font "sans,12" background rgb "white"
set output "$O/speedup.svg"
set title "Pipelined vs one sample at a time, same hardware (Icarus, $N samples)"
set xlabel "junctions J"
set ylabel "speed-up (clocks per sample, sequential / pipelined)"
set xrange [0.5:4.5]
set yrange [0:14]
set xtics 1
set key top left Left reverse
set grid
plot x * 3 title "poster: 3J" with lines dashtype 2 lw 2 lc rgb "#888888", \
     2 * x + 1 title "2J + 1 (this schedule)" with lines lw 2 lc rgb "#1f77b4", \
     "$O/equal_c.dat" using 1:6 title "measured, C = 16 in every junction" with points pt 7 ps 1.5 lc rgb "#d62728", \
     "$O/examples.dat" using 1:6 title "measured, tiny\\\\_j1 and deep\\\\_j4" with points pt 6 ps 2 lw 2 lc rgb "#2ca02c"
EOF
cp "$O/speedup.svg" docs/img/speedup.svg
echo "speedup: wrote $O/speedup.csv, $O/speedup.md, $O/speedup.svg and docs/img/speedup.svg"
