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
# regenerating into the same folder removes what the previous run of the command wrote and this one does not
# (a 2-junction design's j2 memories after a 1-junction one), and nothing else
expect 0 "$SG" rtl verify/fpga_sim/fpga_j2.yaml -o "$T/rtl-re"
echo keep >"$T/rtl-re/notes.txt"; echo keep >"$T/rtl-re/mem/mine.hex"
[ -n "$(ls "$T/rtl-re/mem" | grep '^j2_')" ] && ok || bad "fpga_j2 wrote no j2 memory files"
expect 0 "$SG" rtl examples/tiny_j1.yaml -o "$T/rtl-re"
[ -z "$(ls "$T/rtl-re/mem" | grep '^j2_')" ] && ok || bad "stale j2 memories left after regenerating: $(ls "$T/rtl-re/mem")"
[ ! -e "$T/rtl-re/rtl/fpga_j2_top.v" ] && [ -e "$T/rtl-re/rtl/tiny_j1_top.v" ] && ok || bad "stale top level left after regenerating"
[ -e "$T/rtl-re/notes.txt" ] && [ -e "$T/rtl-re/mem/mine.hex" ] && ok || bad "regenerating removed a file the tool did not write"
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

# ---- help and usage of every command, with the option lists derived from the parsers' source ----
# The commands are the files gen/cmd_*.c and verify/cmd_*.c; the options are the strings each parser compares
# its arguments with (strcmp/strncmp(a, "-..."), opt_value(..., "--...")).
opts_of() { grep -hE 'strn?cmp\(a, "-|opt_value\(' "$1" | grep -oE '"-{1,2}[a-z][a-z0-9-]*' | tr -d '"' | sort -u; }
mentions() { grep -qE -- "(^|[][ ,|])$2([][ ,|=]|$)" "$1"; }
expect 0 "$SG" --version;             has out '^sparsegen [0-9]+\.[0-9]+\.[0-9]+$'
expect 0 "$SG" help;                  has out 'Commands:'
expect 2 "$SG" help frobnicate;       has err "unknown command 'frobnicate'"
expect 0 "$SG" --help;                cp "$T/out" "$T/main-help"
ncmd=0
for src in gen/cmd_*.c verify/cmd_*.c; do
  c=$(basename "$src" .c); c=${c#cmd_}; ncmd=$((ncmd+1))
  opts=$(opts_of "$src")
  [ -n "$opts" ] && ok || bad "$src: no options found by the test's pattern"
  grep -qE "^  $c " "$T/main-help" && ok || bad "sparsegen --help does not list the command $c"
  expect 0 "$SG" help "$c";           cp "$T/out" "$T/help-$c"
  expect 0 "$SG" "$c" --help;         cmp -s "$T/out" "$T/help-$c" && ok || bad "'$c --help' differs from 'help $c'"
  expect 0 "$SG" "$c" -h;             cmp -s "$T/out" "$T/help-$c" && ok || bad "'$c -h' differs from 'help $c'"
  head -n 1 "$T/help-$c" | grep -q "^Usage: sparsegen $c " && ok || bad "'$c --help' does not start with its usage"
  for o in $opts; do
    [ "$o" = -h ] && continue
    mentions "$T/help-$c" "$o" && ok || bad "'sparsegen $c --help' does not mention its option $o"
    [ "$o" = --help ] && continue
    mentions "$T/main-help" "$o" && ok || bad "'sparsegen --help' does not mention option $o of $c"
    # the option alone: either it needs a value or SPEC is missing; a usage error either way
    expect 2 "$SG" "$c" "$o"
    [ "$(head -n 1 "$T/err" | grep -c "^sparsegen $c: ")" = 1 ] && ok || bad "'$c $o': first line is not the cause"
    has err "^Usage: sparsegen $c "
    [ ! -s "$T/out" ] && ok || bad "'$c $o' printed on stdout"
  done
  expect 2 "$SG" "$c" --no-such-option examples/tiny_j1.yaml
  has err "^sparsegen $c: unknown option '--no-such-option'$"
  has err "^Usage: sparsegen $c "
  has err "^Try 'sparsegen $c --help'.$"
  expect 2 "$SG" "$c" -Z
  expect 2 "$SG" "$c"
done
[ "$ncmd" -eq "$(grep -cE '^  [a-z]+ ' "$T/main-help" | head -1)" ] && ok || bad "sparsegen --help lists other commands than the cmd_*.c files"
# wrong values of validated options
expect 2 "$SG" rtl examples/tiny_j1.yaml -o "$T/rtl-v" --ram-style huge;       has err 'ram-style'
[ ! -e "$T/rtl-v" ] && ok || bad "rtl wrote output after a usage error"
expect 2 "$SG" vectors examples/tiny_j1.yaml --data random -n 0 -o "$T/vec-v"; has err '^sparsegen vectors: -n '
expect 2 "$SG" vectors examples/tiny_j1.yaml --data random -n 4 --seed -1 -o "$T/vec-v"
expect 2 "$SG" train examples/tiny_j1.yaml --data "$DATA" --limit-test=x;     has err 'limit-test'
expect 2 "$SG" check examples/tiny_j1.yaml examples/deep_j4.yaml;             has err 'one SPEC only'
expect 2 "$SG" --version extra

# ---- the FuseSoC core written by rtl: structure (PyYAML), then FuseSoC itself when installed (make deps) ----
for ex in tiny_j1 deep_j4; do
  expect 0 "$SG" rtl "examples/$ex.yaml" -o "$T/core-$ex"
  expect 0 "$SG" vectors "examples/$ex.yaml" --data random -n 3 -o "$T/core-$ex/vec"
  python3 - "$T/core-$ex" "$ex" verify/fpga.py <<'PY' && ok || bad "$ex.core does not describe the output folder"
import os, re, sys, yaml
d, name, fpga = sys.argv[1:]
path = os.path.join(d, name + ".core")
text = open(path).read()
assert text.startswith("CAPI=2:\n"), "first line must be CAPI=2:"
c = yaml.safe_load(text)
assert re.fullmatch(r"sparsegen:accelerator:%s:\d+\.\d+\.\d+" % name, c["name"]), c["name"]
fs = c["filesets"]
def files(s):
    out = []
    for f in fs[s]["files"]:
        if isinstance(f, dict):
            (p, attrs), = f.items()
            if attrs.get("file_type") == "user":
                assert attrs.get("copyto") == p, (p, attrs)
        else:
            p = f
        assert os.path.isfile(os.path.join(d, p)), "listed but missing: " + p
        out.append(p)
    return out
rtl, tb = files("rtl"), files("tb")
want_rtl = open(os.path.join(d, "files.f")).read().split()
want_rtl += ["mem/" + f for f in sorted(os.listdir(os.path.join(d, "mem"))) if not f.startswith(".")]
assert sorted(rtl) == sorted(want_rtl), (rtl, want_rtl)
assert [p for p in rtl if p.endswith(".v")] == open(os.path.join(d, "files.f")).read().split(), "rtl order"
# (dot files are the tool's own bookkeeping: .sparsegen-<command>.files)
want_tb = ["tb/" + f for f in os.listdir(os.path.join(d, "tb")) if not f.startswith(".")] + \
    ["vec/" + f for f in os.listdir(os.path.join(d, "vec")) if not f.startswith(".")]
assert sorted(tb) == sorted(want_tb), (tb, want_tb)
t = c["targets"]
fpga_targets = [m.replace("-", "_") for m in re.findall(r'"((?:ice40|ecp5)-\w+)": dict', open(fpga).read())]
assert len(fpga_targets) >= 4, fpga_targets
for k in ["default", "sim", "lint"] + fpga_targets:
    assert k in t, "target missing: " + k
    assert all(f in fs for f in t[k]["filesets"]), k
    assert t[k]["toplevel"] == ("tb_sparsegen" if k == "sim" else name + "_top"), k
    if k in fpga_targets:
        tool = t[k]["default_tool"]
        assert tool == ("icestorm" if k.startswith("ice40") else "trellis"), k
        assert t[k]["tools"][tool]["nextpnr_options"][0] == "--" + k.split("_")[1], k
PY
done
if command -v fusesoc >/dev/null; then
  (cd "$T" && fusesoc --cores-root core-tiny_j1 run --build-root fsb --target sim sparsegen:accelerator:tiny_j1) >"$T/out" 2>"$T/err"
  [ $? = 0 ] && grep -qx PASS "$T/out" && ok || bad "fusesoc run --target sim: $(tail -n 5 "$T/out" "$T/err")"
  (cd "$T" && fusesoc --cores-root core-deep_j4 run --build-root fsb --target lint sparsegen:accelerator:deep_j4) >"$T/out" 2>"$T/err" \
    && ok || bad "fusesoc run --target lint: $(tail -n 5 "$T/err")"
  for tg in $(sed -n 's/^  \(ice40_[a-z0-9]*\|ecp5_[a-z0-9]*\):$/\1/p' "$T/core-tiny_j1/tiny_j1.core"); do
    (cd "$T" && fusesoc --cores-root core-tiny_j1 run --setup --build-root fsb --target "$tg" sparsegen:accelerator:tiny_j1) \
      >"$T/out" 2>"$T/err" && [ -f "$T"/fsb/*/"$tg"-*/Makefile ] && ok || bad "fusesoc run --setup --target $tg: $(tail -n 5 "$T/err")"
  done
else
  echo "note: fusesoc missing (make deps installs it), FuseSoC runs skipped"
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
