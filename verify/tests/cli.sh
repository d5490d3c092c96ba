#!/usr/bin/env bash
# End-to-end tests of the sparsegen command line: exit statuses, error formats, all-or-nothing outputs,
# determinism. Uses $SPARSEGEN (default ./sparsegen). Prints one line per failed check and a summary.
set -u
cd "$(dirname "$0")/../.."
SG=${SPARSEGEN:-./sparsegen}
DATA=${SG_DATA:-/usr/share/datasets/fashion-mnist}
T=$(mktemp -d "${TMPDIR:-/tmp}/sgcli.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok()   { pass=$((pass+1)); }
bad()  { fail=$((fail+1)); echo "FAIL: $*"; }
# expect STATUS CMD...: runs CMD, stores stdout/stderr in $T/out $T/err, checks the exit status
expect() {
  local want=$1; shift
  "$@" >"$T/out" 2>"$T/err"; local got=$?
  if [ "$got" = "$want" ]; then ok; else bad "'$*' exited $got, expected $want; stderr: $(head -c 300 "$T/err")"; fi
}
has()  { if grep -qE -- "$2" "$T/$1"; then ok; else bad "$1 of last command lacks /$2/: $(head -c 300 "$T/$1")"; fi }

# ---- usage ----
expect 2 "$SG"
expect 0 "$SG" --help;                has out 'Commands:'
expect 2 "$SG" frobnicate;            has err "unknown command"
for c in check patterns train; do
  expect 0 "$SG" $c --help;           has out 'Usage'
  expect 2 "$SG" $c --no-such-option
  expect 2 "$SG" $c
done

# ---- check: every example is valid, text and JSON ----
for f in examples/*.yaml; do
  expect 0 "$SG" check "$f";          has out 'clocks'
  expect 0 "$SG" check "$f" --json
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" && ok || bad "check --json $f is not JSON"
done

# ---- bad specs: FILE:LINE:COL, all errors in one run, exit 1 ----
cat > "$T/bad.yaml" <<'YAML'
name: Bad-Name
layers: [12, 7]
fanout: [3]
z: [5]
format: {width: 12, frac: 11}
colour: blue
YAML
expect 1 "$SG" check "$T/bad.yaml"
has err "^$T/bad.yaml:1:7: error: "
has err "^$T/bad.yaml:3:10: error: "
has err "^$T/bad.yaml:5:[0-9]+: error: "
has err "^$T/bad.yaml:6:1: error: .*colour"
[ "$(grep -c ': error: ' "$T/err")" -ge 4 ] && ok || bad "expected at least 4 errors in one run: $(cat "$T/err")"
expect 1 "$SG" check "$T/does-not-exist.yaml"; has err "does-not-exist.yaml"
printf 'layers: [1, 2\n' > "$T/syntax.yaml"
expect 1 "$SG" check "$T/syntax.yaml";  has err "^$T/syntax.yaml:[0-9]+:[0-9]+: error: "

# ---- patterns: determinism, all-or-nothing ----
expect 0 "$SG" patterns examples/tiny_j1.yaml -o "$T/p1"
expect 0 "$SG" patterns examples/tiny_j1.yaml -o "$T/p2"
diff -r "$T/p1" "$T/p2" >/dev/null && ok || bad "patterns output differs between two runs"
[ -f "$T/p1/junction1.csv" ] && [ -f "$T/p1/junction1.png" ] && [ -f "$T/p1/patterns.json" ] && ok || bad "patterns files missing"
head -1 "$T/p1/junction1.csv" | grep -qx 'edge,clock,lane,left,right' && ok || bad "CSV header"
expect 1 "$SG" patterns "$T/bad.yaml" -o "$T/p3"
[ ! -e "$T/p3" ] && ok || bad "patterns wrote $T/p3 for a bad spec"
ls -A "$T/p1" | grep -q sparsegen-tmp && bad "temporary folder left behind" || ok

# ---- rtl: files.f lists every source, and Icarus accepts the design from it ----
expect 0 "$SG" rtl examples/tiny_j1.yaml -o "$T/rtl"
[ "$(tail -n 1 "$T/rtl/files.f")" = "rtl/tiny_j1_top.v" ] && ok || bad "files.f does not end with the top level"
(cd "$T/rtl" && while read -r f; do [ -f "$f" ] || exit 1; done < files.f) && ok || bad "files.f names a missing file"
if command -v iverilog >/dev/null; then
  (cd "$T/rtl" && iverilog -g2005 -o /dev/null -f files.f) && ok || bad "iverilog -f files.f fails"
fi
expect 1 "$SG" rtl "$T/bad.yaml" -o "$T/rtl-bad"
[ ! -e "$T/rtl-bad" ] && ok || bad "rtl wrote $T/rtl-bad for a bad spec"

# ---- train: short runs on the real data ----
if [ -d "$DATA" ]; then
  expect 0 "$SG" train examples/fmnist_784_112_10.yaml --data "$DATA" --limit-train 300 --limit-test 200 --epochs 2 \
         --report "$T/r1.json" --save "$T/w1.txt"
  has out 'epoch 2/2'
  python3 - "$T/r1.json" <<'PY' && ok || bad "train report content"
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["epochs"]) == 2, r
for e in r["epochs"]:
    assert 0 <= e["train_accuracy"] <= 1 and 0 <= e["test_accuracy"] <= 1, e
assert r["final_test_accuracy"] == r["epochs"][-1]["test_accuracy"]
PY
  expect 0 "$SG" train examples/fmnist_784_112_10.yaml --data "$DATA" --limit-train 300 --limit-test 200 --epochs 2 \
         --report "$T/r2.json" --save "$T/w2.txt"
  cmp -s "$T/w1.txt" "$T/w2.txt" && ok || bad "train is not deterministic (weights differ)"
  expect 0 "$SG" train examples/fmnist_784_112_10.yaml --data "$DATA" --limit-train 100 --limit-test 100 --load "$T/w1.txt"
  expect 1 "$SG" train examples/fmnist_sparse_3pct.yaml --data "$DATA" --limit-train 10 --limit-test 10 --load "$T/w1.txt"
  expect 1 "$SG" train examples/fmnist_784_112_10.yaml --data "$T/no-such-dir"
  has err "no-such-dir"
  expect 2 "$SG" train examples/fmnist_784_112_10.yaml --data "$DATA" --epochs zero
  expect 2 "$SG" train examples/fmnist_784_112_10.yaml --data "$DATA" --model quantum
  mkdir -p "$T/corrupt" && cp "$DATA"/* "$T/corrupt/" && printf 'garbage' > "$T/corrupt/t10k-labels-idx1-ubyte.gz"
  expect 1 "$SG" train examples/fmnist_784_112_10.yaml --data "$T/corrupt" --limit-train 10 --save "$T/w3.txt"
  [ ! -e "$T/w3.txt" ] && ok || bad "train wrote weights despite bad data"
else
  echo "note: $DATA missing, train tests skipped"
fi

# ---- the random baseline family: check and patterns accept it (not clash-free), rtl and vectors refuse it ----
sed 's/^connectivity:.*/connectivity: {family: random, seed: 2}/' examples/fmnist_784_112_10.yaml > "$T/random.yaml"
expect 0 "$SG" check "$T/random.yaml";              has out 'family random: the patterns are NOT clash-free'
expect 0 "$SG" check "$T/random.yaml" --json;       has out '"clash_free": false'
expect 0 "$SG" patterns "$T/random.yaml" -o "$T/rp1" --no-png; has out 'junction 1: .*NOT clash-free'
expect 0 "$SG" patterns "$T/random.yaml" -o "$T/rp2" --no-png
diff -r "$T/rp1" "$T/rp2" >/dev/null && ok || bad "random patterns differ between two runs"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))["junctions"][0]; sys.exit(not (j["family"]=="random" and j["clash_free"] is False and j["repeated_edges"]==0 and j["fanin"]=={"min":294,"max":294} and j["fanout"]=={"min":42,"max":42}))' "$T/rp1/patterns.json" && ok || bad "random patterns.json: wrong family, checks or degrees"
expect 1 "$SG" rtl "$T/random.yaml" -o "$T/rtl-random"; has err 'error: connectivity.family random is not clash-free'
[ "$(wc -l < "$T/err")" -eq 1 ] && ok || bad "rtl of a random spec: expected one error line: $(cat "$T/err")"
[ ! -e "$T/rtl-random" ] && ok || bad "rtl wrote $T/rtl-random for a random spec"
expect 1 "$SG" vectors "$T/random.yaml" --data random -n 2 -o "$T/vec-random"; has err 'not clash-free'
[ ! -e "$T/vec-random" ] && ok || bad "vectors wrote $T/vec-random for a random spec"
if [ -d "$DATA" ]; then
  expect 0 "$SG" train "$T/random.yaml" --data "$DATA" --limit-train 300 --limit-test 200 --epochs 1; has out 'final test accuracy'
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
