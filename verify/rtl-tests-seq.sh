# verify/rtl-tests-seq.sh: sourced by verify/rtl-tests.sh (uses its $T, $SG, $VVP, ok, bad, run_icarus, gen_lint's
# output folders). The sequential schedule in hardware (`sparsegen vectors --schedule sequential`: the testbench
# flushes after every sample and checks (2gJ + 1) x cycle clocks per sample, gJ + 1 in inference; g = 2 with overlap), bit-exact; a
# negative test (pipelined expectations run sequentially must FAIL); and `make sim WAVES=1`: a non-empty FST dump
# in which every signal of the generated GTKWave save file exists (verify/gtkw_check.py; and GTKWave itself under
# xvfb-run when both are installed).
seq_sim() { # name, samples, extra vector options
  local n=$1 samples=$2 d=$T/seq_$1; shift 2
  [ -d "$T/$n/rtl" ] || { bad "$n: sequential: no generated design"; return; }
  rm -rf "$d"; mkdir -p "$d"; cp -r "$T/$n/rtl" "$T/$n/mem" "$T/$n/tb" "$d/"
  if ! "$SG" vectors "$T/specs/$n.yaml" --data random -n "$samples" --seed 11 --schedule sequential "$@" -o "$d/vec" \
       >"$d/vec.log" 2>&1; then bad "$n: sequential vectors" "$(tail -n 2 "$d/vec.log")"; return; fi
  if run_icarus "$d"; then ok "$n: sequential schedule (a flush after every sample), $samples samples${1:+ $1}, bit-exact ($(grep -m1 'clocks per sample' "$d/sim.log"))"
  else bad "$n: sequential schedule" "$(grep -m 5 -E 'MISMATCH|FAIL|ERROR|error' "$d/sim.log" | tr '\n' ' ')"; fi
}
seq_sim tiny_j1 20 --stalls
seq_sim t2_j2 12
seq_sim t1_md_j3 6
seq_sim infer_j2 8
seq_sim t2_j2_ov 8

# negative: the pipelined expectations (stale weights in flight) run with a flush after every sample must FAIL
d=$T/seq_neg
rm -rf "$d"; mkdir -p "$d"; cp -r "$T/t2_j2/rtl" "$T/t2_j2/mem" "$T/t2_j2/tb" "$d/"
"$SG" vectors "$T/specs/t2_j2.yaml" --data random -n 12 --seed 11 -o "$d/vec" >/dev/null 2>&1
sed -i 's/^localparam SEQ = 0;/localparam SEQ = 1;/' "$d/vec/vectors.vh"
if grep -qx 'localparam SEQ = 1;' "$d/vec/vectors.vh" && ! run_icarus "$d" && grep -q '^MISMATCH' "$d/sim.log"; then
  ok "negative: pipelined expectations under the sequential schedule FAIL ($(grep -c '^MISMATCH' "$d/sim.log") mismatches shown)"
else bad "negative: pipelined expectations under the sequential schedule must FAIL"; fi

# make sim WAVES=1: FST dump, and every signal of tb/sparsegen.gtkw is in it (a J = 3 network with BP groups)
sed 's/^name: t1_md_j3_ov$/name: waves_j3/' "$T/specs/t1_md_j3_ov.yaml" >"$T/specs/waves_j3.yaml"
wd=out/waves_j3
if make -s sim SPEC="$T/specs/waves_j3.yaml" SAMPLES=4 WAVES=1 >"$T/waves.log" 2>&1 && [ -s "$wd/sim/waves.fst" ]; then
  if python3 verify/gtkw_check.py "$wd/sim/waves.fst" "$wd/tb/sparsegen.gtkw" >"$T/gtkw.log" 2>&1; then
    ok "make sim WAVES=1: $(du -k "$wd/sim/waves.fst" | cut -f1) kB FST; $(cat "$T/gtkw.log")"
  else bad "make sim WAVES=1: save file vs dump" "$(cat "$T/gtkw.log")"; fi
else bad "make sim WAVES=1" "$(tail -n 3 "$T/waves.log")"; fi
# when GTKWave and xvfb-run are installed (not required): GTKWave itself loads the dump with the save file and
# shows every trace it names (signals + group begin/end lines)
if command -v gtkwave >/dev/null && command -v xvfb-run >/dev/null && [ -s "$wd/sim/waves.fst" ]; then
  printf 'puts "TRACES [gtkwave::getTotalNumTraces]"\ngtkwave::/File/Quit\n' >"$T/traces.tcl"
  want=$(grep -cvE '^(\[|@|$)' "$wd/tb/sparsegen.gtkw")
  got=$(timeout 120 xvfb-run -a gtkwave -S "$T/traces.tcl" "$wd/sim/waves.fst" "$wd/tb/sparsegen.gtkw" 2>&1 |
        sed -n 's/^TRACES \([0-9]*\)$/\1/p')
  if [ "$got" = "$want" ]; then ok "GTKWave shows all $want traces of tb/sparsegen.gtkw (signals and groups)"
  else bad "GTKWave shows all traces of tb/sparsegen.gtkw" "expected $want, got '${got}'"; fi
else echo "skip  GTKWave check (gtkwave or xvfb-run not installed)"; fi
if make -s sim SPEC="$T/specs/waves_j3.yaml" SAMPLES=4 >"$T/nowaves.log" 2>&1 && [ ! -e "$wd/sim/waves.fst" ]; then
  ok "make sim without WAVES=1 writes no dump"
else bad "make sim without WAVES=1 writes no dump"; fi
# the checker itself must fail on a signal that is not in the dump
sed 's/\.j2\.bp_val\[/.j2.bp_vaI[/' "$wd/tb/sparsegen.gtkw" >"$T/bad.gtkw"
if ! python3 verify/gtkw_check.py "$wd/sim/waves.fst" "$T/bad.gtkw" >/dev/null 2>&1 && ! cmp -s "$T/bad.gtkw" "$wd/tb/sparsegen.gtkw"; then
  ok "negative: gtkw_check.py rejects a save file naming a missing signal"
else bad "negative: gtkw_check.py must reject a save file naming a missing signal"; fi
