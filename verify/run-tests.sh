#!/usr/bin/env bash
# Runs every test group and ends with one line "N passed, N failed". Exit status 1 if any group failed.
# Groups: unit (Check), cli, paper (the plumbing of bench/paper.sh), sanitizers (the unit tests under ASan+UBSan, and the CLI tests with the sanitizer
# binary), rtl (generate, lint with Verilator and Yosys, simulate against the golden model under Icarus), fuzz-rtl
# (20 random valid specs, generated and simulated with random stalls under Icarus, bit-exact), fpga (Yosys for
# every target, nextpnr, bitstreams, post-synthesis simulation: verify/fpga-tests.sh).
set -u
cd "$(dirname "$0")/.."
pass=0; fail=0; failed=()
run() { # name, command...
  local name=$1; shift
  local t0=$SECONDS
  echo "=== $name"
  if "$@"; then pass=$((pass+1)); echo "=== $name: ok ($((SECONDS-t0)) s)"
  else fail=$((fail+1)); failed+=("$name"); echo "=== $name: FAILED ($((SECONDS-t0)) s)"; fi
}
run unit make -s test-unit
run cli make -s test-cli
run paper make -s test-paper
run sanitizers make -s test-san
run rtl make -s test-rtl
run fuzz-rtl make -s fuzz-rtl COUNT=20
run fpga make -s test-fpga
[ ${#failed[@]} -eq 0 ] || echo "failed groups: ${failed[*]}"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
