#!/usr/bin/env bash
# The plumbing of bench/paper.sh (`make paper`): a QUICK run on a few hundred samples must write every table and
# plot with the right rows and points, and its numbers must be the reports' numbers; a data folder without IDX
# files is one line and exit 1; a missing run report makes the report step fail. Needs the Fashion-MNIST files
# (SG_DATA, default /usr/share/datasets/fashion-mnist), of which it uses a small copy; skipped with a note without
# them. About 10 s.
set -u
cd "$(dirname "$0")/../.."
DATA=${SG_DATA:-/usr/share/datasets/fashion-mnist}
export SPARSEGEN=${SPARSEGEN:-./sparsegen}
T=$(mktemp -d "${TMPDIR:-/tmp}/sgpaper.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*"; }
if [ ! -d "$DATA" ]; then echo "note: $DATA missing, paper tests skipped"; echo "paper: 0 passed, 0 failed"; exit 0; fi

# ---- bad data folders: one line, exit 1, no output ----
mkdir -p "$T/empty"
for d in "$T/empty" "$T/missing"; do
  QUICK=1 DATA="$d" OUTD="$T/o-bad" bash bench/paper.sh > "$T/out" 2> "$T/err"; st=$?
  [ "$st" = 1 ] && ok || bad "DATA=$d: exit $st, expected 1"
  [ "$(wc -l < "$T/err")" = 1 ] && grep -q "^paper: DATA=$d " "$T/err" && ok || bad "DATA=$d: expected one error line: $(cat "$T/err")"
  [ ! -e "$T/o-bad" ] && ok || bad "DATA=$d: wrote $T/o-bad"
done

# ---- a quick run: 2 seeds, 2 networks, 2 arithmetics, on a small copy of the data (the first 300 training and
# 200 test samples as plain IDX files: a different data folder, and no 26 MB to decompress per run) ----
mkdir -p "$T/small"
python3 - "$DATA" "$T/small" <<'PY' && ok || bad "cannot make the small data set"
import gzip, os, struct, sys
src, dst = sys.argv[1:3]
for prefix, n in (("train", 300), ("t10k", 200)):
    for kind, magic, hdr in (("images", 0x803, 16), ("labels", 0x801, 8)):
        name = "%s-%s-idx%d-ubyte" % (prefix, kind, 3 if kind == "images" else 1)
        p = os.path.join(src, name)
        f = gzip.open(p + ".gz") if os.path.exists(p + ".gz") else open(p, "rb")
        h = f.read(hdr)
        per = struct.unpack(">II", h[8:16])[0] * struct.unpack(">II", h[8:16])[1] if kind == "images" else 1
        assert struct.unpack(">I", h[:4])[0] == magic
        body = f.read(n * per)
        open(os.path.join(dst, name), "wb").write(h[:4] + struct.pack(">I", n) + h[8:] + body)
PY
O=$T/p
QUICK=1 SEEDS="1 2" DENSITY_NETS="fo42 fo2" MODELS="float w12" DATA="$T/small" LIMIT_TRAIN=300 LIMIT_TEST=200 OUTD="$O" \
  bash bench/paper.sh > "$T/out" 2> "$T/err" && ok || bad "quick paper run failed: $(tail -3 "$T/err")"
for f in density.md families.md curves.md paper.md density.svg families.svg curves.svg; do
  [ -s "$O/$f" ] && ok || bad "quick paper run did not write $f"
done
grep -q '^| (2, 10) | 3.02 % |' "$T/out" && ok || bad "paper.md was not printed"
python3 - "$O" <<'PY' && ok || bad "quick paper run: wrong tables or plots (above)"
import json, re, sys, xml.etree.ElementTree as ET
o = sys.argv[1]
errs = []
def need(c, m):
    if not c: errs.append(m)
def circles(name):
    return len([e for e in ET.parse("%s/%s" % (o, name)).iter() if e.tag.endswith("circle")])
# one point per (series, x): density 2 arithmetics x 2 networks; families 13 patterns x 2 panels; curves 3 x 2 x 2
need(circles("density.svg") == 4, "density.svg: %d points, expected 4" % circles("density.svg"))
need(circles("families.svg") == 26, "families.svg: %d points, expected 26" % circles("families.svg"))
need(circles("curves.svg") == 12, "curves.svg: %d points, expected 12" % circles("curves.svg"))
# the density table's cells are the reports' final test accuracies: mean [lowest-highest] over the seeds
dm = open(o + "/density.md").read()
for net, f in (("fo42", 42), ("fo2", 2)):
    row = [l for l in dm.splitlines() if l.startswith("| (%d, 10) |" % f)]
    need(len(row) == 1, "density.md: no row for (%d, 10)" % f)
    if not row: continue
    cells = [c.strip() for c in row[0].strip("|").split("|")]
    for i, m in enumerate(("float", "w12")):
        a = [100 * json.load(open("%s/density/%s_%s_s%d.json" % (o, net, m, s)))["final_test_accuracy"] for s in (1, 2)]
        want = "%.2f [%.2f–%.2f]" % (sum(a) / 2, min(a), max(a))
        need(cells[3 + i] == want, "density.md (%d, 10) %s: '%s', expected '%s'" % (f, m, cells[3 + i], want))
fm = open(o + "/families.md").read()
rows = [l for l in fm.splitlines() if re.match(r"\| [a-z0-9_]+ \| `family:", l)]
need(len(rows) == 13, "families.md: %d pattern rows, expected 13" % len(rows))
rnd = [l for l in rows if l.startswith("| random |")]
need(len(rnd) == 1 and "**no**" in rnd[0], "families.md: the random row is missing or claims clash-freedom")
need(all("| yes |" in l for l in rows if not l.startswith("| random |")), "families.md: a clash-free family says no")
sc = json.load(open(o + "/families/zero_start/patterns_s1/patterns.json"))["junctions"][0]["scatter"]["overall"]
need(any(l.startswith("| zero_start |") and l.rstrip().endswith("| %.3f |" % sc) for l in rows),
     "families.md: zero_start scatter is not that of patterns.json (%.3f)" % sc)
cm = open(o + "/curves.md").read()
need(len([l for l in cm.splitlines() if re.match(r"\| [12] \|", l)]) == 2, "curves.md: expected 2 epoch rows")
for e in errs: print("  " + e)
sys.exit(1 if errs else 0)
PY

# ---- a missing run report fails the report step (one line), and REPORT_ONLY redraws from the reports ----
QUICK=1 SEEDS="1 2" DENSITY_NETS="fo42 fo2" MODELS="float w12" DATA="$T/small" LIMIT_TRAIN=300 LIMIT_TEST=200 OUTD="$O" REPORT_ONLY=1 bash bench/paper.sh \
  > /dev/null 2>&1 && ok || bad "REPORT_ONLY=1 failed on a complete run"
rm "$O/density/fo2_w12_s2.json" "$O/density.svg"
QUICK=1 SEEDS="1 2" DENSITY_NETS="fo42 fo2" MODELS="float w12" DATA="$T/small" LIMIT_TRAIN=300 LIMIT_TEST=200 OUTD="$O" REPORT_ONLY=1 bash bench/paper.sh \
  > "$T/out" 2> "$T/err"; st=$?
[ "$st" = 1 ] && ok || bad "a missing report: exit $st, expected 1"
grep -q "^paper: missing report .*fo2_w12_s2.json" "$T/err" && [ "$(wc -l < "$T/err")" = 1 ] && ok \
  || bad "a missing report: expected one error line: $(cat "$T/err")"
[ ! -e "$O/density.svg" ] && ok || bad "a missing report: density.svg was drawn anyway"

echo "paper: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
