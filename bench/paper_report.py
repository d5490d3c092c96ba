"""paper_report.py: the tables (markdown) and plots (SVG) of bench/paper.sh, from the reports of `sparsegen train
--report` and the patterns.json of `sparsegen patterns`. Arguments are bench/paper.sh's settings (see there).
Writes OUTD/{density,families,curves}.{md,svg} for the parts run, and OUTD/paper.md; prints paper.md. Exits 1 with
one line when a run's report is missing (a table must never silently lose a cell)."""
import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot_svg  # noqa: E402

(outd, data, parts, dnets, models, seeds, fam_net, fam_models, epochs, curve_epochs, limit_train, limit_test,
 families) = sys.argv[1:14]
parts, dnets, models, seeds, fam_models = parts.split(), dnets.split(), models.split(), seeds.split(), fam_models.split()
families = [l.split("|", 1) for l in families.strip().splitlines() if l.strip()]
dataset = os.path.basename(os.path.normpath(data))
COLS = {"float": "float", "w16": "fixed 16-bit", "w12": "fixed 12-bit", "w10": "fixed 10-bit"}
N1, N2 = 112, 10  # 784-112-10


def die(msg):
    print("paper: " + msg, file=sys.stderr)
    sys.exit(1)


def load(path):
    if not os.path.exists(path):
        die("missing report %s (a run failed or was not made)" % path)
    with open(path) as f:
        return json.load(f)


def fanout(net):
    return N1 if net == "fc" else int(net[2:])


def density(net):
    return 100.0 * (784 * fanout(net) + N1 * N2) / (784 * N1 + N1 * N2)


def mean(v):
    return sum(v) / len(v)


def cell(v, digits=2):
    f = "%%.%df" % digits
    s = f % mean(v)
    if len(v) > 1:
        s += (" [" + f + "–" + f + "]") % (min(v), max(v))
    return s


def rng(v):
    return (mean(v), min(v), max(v)) if len(v) > 1 else (mean(v), None, None)


def limits_text():
    t = []
    if limit_train:
        t.append("first %s training samples" % limit_train)
    if limit_test:
        t.append("first %s test samples" % limit_test)
    return ", ".join(t)


timing = {}
if os.path.exists(os.path.join(outd, "timing.txt")):
    for line in open(os.path.join(outd, "timing.txt")):
        k, v = line.split()
        timing[k] = int(v)
sections = []
written = []

# ---- a. density ----
if "density" in parts:
    d = os.path.join(outd, "density")
    acc = {}  # (net, model) -> [test accuracy %]
    secs = {}
    ntest = None
    for net in dnets:
        for m in models:
            rs = [load(os.path.join(d, "%s_%s_s%s.json" % (net, m, s))) for s in seeds]
            acc[net, m] = [100 * r["final_test_accuracy"] for r in rs]
            secs[net, m] = mean([e["seconds"] for r in rs for e in r["epochs"]])
            ntest = rs[0]["test_samples"]
    nets = sorted(dnets, key=density, reverse=True)
    lines = ["## Accuracy against density (%s, 784-112-10)" % dataset, "",
             "Test accuracy (%%) after epoch %s on %s test images; mean over seeds %s [lowest–highest]. Density = "
             "edges / edges of the fully connected network (both junctions; junction 2 is always fully connected)."
             % (epochs, ntest, ", ".join(seeds)), ""]
    lines.append("| fan-outs | density | edges | " + " | ".join(COLS[m] for m in models) + " |")
    lines.append("|---|---:|---:|" + "---:|" * len(models))
    for net in nets:
        lines.append("| (%d, 10) | %.2f %% | %d | %s |" % (fanout(net), density(net), 784 * fanout(net) + 1120,
                                                        " | ".join(cell(acc[net, m]) for m in models)))
    lines += ["", "Training seconds per epoch (mean over runs; %s): " % "the shared 2-core machine" + "; ".join(
        "(%d, 10) %s" % (fanout(n), " / ".join("%.1f" % secs[n, m] for m in models)) for n in nets) +
        " (" + " / ".join(COLS[m] for m in models) + ").", ""]
    md = "\n".join(lines)
    open(os.path.join(outd, "density.md"), "w").write(md)
    series = []
    for i, m in enumerate(models):
        series.append({"label": COLS[m], "points": [(density(n),) + rng(acc[n, m]) for n in nets]})
    plot_svg.line_chart(os.path.join(outd, "density.svg"),
                        "%s 784-112-10: test accuracy vs density" % dataset, "density (% of fully connected, log scale)",
                        "test accuracy (%)", series, xlog=True, xticks=[round(density(n), 1) for n in nets],
                        note="mean over seeds %s, bars: lowest-highest; %s epoch(s)%s" % (
                            ",".join(seeds), epochs, "; " + limits_text() if limits_text() else ""))
    sections.append(md)
    written += ["density.md", "density.svg"]

# ---- b. families ----
if "families" in parts:
    d = os.path.join(outd, "families")
    rows, acc, sc, clash = [], {}, {}, {}
    for tag, conn in families:
        rows.append((tag, conn))
        for m in fam_models:
            rs = [load(os.path.join(d, tag, "%s_%s_s%s.json" % (fam_net, m, s))) for s in seeds]
            acc[tag, m] = [100 * r["final_test_accuracy"] for r in rs]
        pj = [load(os.path.join(d, tag, "patterns_s%s" % s, "patterns.json"))["junctions"][0] for s in seeds]
        sc[tag] = {k: [p["scatter"][k] for p in pj] for k in ("forward", "backward", "overall")}
        clash[tag] = all(p["clash_free"] for p in pj)
    f = fanout(fam_net)
    lines = ["## Pattern families at fan-outs (%d, 10), %.2f %% (%s)" % (f, density(fam_net), dataset), "",
             "Test accuracy (%%) after epoch %s, mean over seeds %s [lowest–highest], and the scatter of junction 1 "
             "(docs/patterns.md §9; junction 2 is fully connected, scatter 1) as the mean over the same seeds' "
             "patterns. SS = sweep_shuffle, SV = start_shuffle, MD = memory_dither." % (epochs, ", ".join(seeds)), ""]
    lines.append("| pattern | connectivity | clash-free | " + " | ".join(COLS[m] for m in fam_models) +
                 " | scatter fwd | scatter bwd | scatter |")
    lines.append("|---|---|---|" + "---:|" * (len(fam_models) + 3))
    for tag, conn in rows:
        lines.append("| %s | `%s` | %s | %s | %.3f | %.3f | %.3f |" % (
            tag, conn, "yes" if clash[tag] else "**no**", " | ".join(cell(acc[tag, m]) for m in fam_models),
            mean(sc[tag]["forward"]), mean(sc[tag]["backward"]), mean(sc[tag]["overall"])))
    lines.append("")
    md = "\n".join(lines)
    open(os.path.join(outd, "families.md"), "w").write(md)
    panels = [{"title": "test accuracy (%%), %s" % COLS[m], "values": [rng(acc[t, m]) for t, _ in rows],
               "fmt": "%.2f"} for m in fam_models]
    panels.append({"title": "scatter, junction 1", "values": [rng(sc[t]["overall"]) for t, _ in rows],
                   "range": (0.0, 1.0), "fmt": "%.3f"})
    plot_svg.dot_panels(os.path.join(outd, "families.svg"),
                        "%s 784-112-10, fan-outs (%d, 10): pattern families" % (dataset, f),
                        [t for t, _ in rows], panels,
                        note="mean over seeds %s, bars: lowest-highest; %s epoch(s)%s" % (
                            ",".join(seeds), epochs, "; " + limits_text() if limits_text() else ""))
    sections.append(md)
    written += ["families.md", "families.svg"]

# ---- c. curves ----
if "curves" in parts:
    d = os.path.join(outd, "curves")
    exs = ["fmnist_784_112_10", "fmnist_sparse_3pct", "fmnist_fc"]
    reps = {e: load(os.path.join(d, e + ".json")) for e in exs}
    lines = ["## Training curves (%s)" % dataset, "",
             "Train accuracy (the prediction of each training sample as it left the feed-forward, pipelined "
             "schedule) and test accuracy after each epoch, %%, from `sparsegen train --report` with each example's "
             "own spec (format, learning-rate schedule, seeds)%s." % ("; " + limits_text() if limits_text() else ""),
             ""]
    lines.append("| epoch | " + " | ".join("%s train | %s test" % (e, e) for e in exs) + " |")
    lines.append("|---:|" + "---:|---:|" * len(exs))
    n = max(len(r["epochs"]) for r in reps.values())
    for i in range(n):
        c = []
        for e in exs:
            ep = reps[e]["epochs"]
            c.append("%.2f | %.2f" % (100 * ep[i]["train_accuracy"], 100 * ep[i]["test_accuracy"]) if i < len(ep)
                     else " | ")
        lines.append("| %d | %s |" % (i + 1, " | ".join(c)))
    lines.append("")
    md = "\n".join(lines)
    open(os.path.join(outd, "curves.md"), "w").write(md)
    series = []
    for i, e in enumerate(exs):
        col = plot_svg.COLORS[i]
        ep = reps[e]["epochs"]
        fmt = "fixed %d.%d" % (reps[e]["format_width"], reps[e]["format_frac"])
        series.append({"label": "%s test (%s)" % (e.replace("fmnist_", ""), fmt), "color": col,
                       "points": [(x["epoch"], 100 * x["test_accuracy"], None, None) for x in ep]})
        series.append({"label": "%s train" % e.replace("fmnist_", ""), "color": col, "dash": "5,4",
                       "points": [(x["epoch"], 100 * x["train_accuracy"], None, None) for x in ep]})
    plot_svg.line_chart(os.path.join(outd, "curves.svg"), "%s: training curves" % dataset, "epoch",
                        "accuracy (%)", series, width=940, legend_width=280,
                        note="solid: test accuracy after the epoch; dashed: train accuracy during the epoch%s" % (
                            "; " + limits_text() if limits_text() else ""))
    sections.append(md)
    written += ["curves.md", "curves.svg"]

# ---- paper.md ----
cpu = "?"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
head = ["# sparsegen paper results (bench/paper.sh)", "",
        "Data: %s (%s). Seeds %s (connectivity, init and training seed = s); %s epoch(s) for the density and "
        "family tables, %s for the curves%s. Machine: %s, %d logical CPUs (%s), shared with other jobs. Wall time: %s."
        % (dataset, data, " ".join(seeds), epochs, curve_epochs, "; " + limits_text() if limits_text() else "", cpu,
           os.cpu_count() or 0, platform.system(),
           ", ".join("%s %d s" % (k, v) for k, v in timing.items())), ""]
md = "\n".join(head) + "\n" + "\n".join(sections)
open(os.path.join(outd, "paper.md"), "w").write(md)
written.append("paper.md")
for w in written:
    p = os.path.join(outd, w)
    if not os.path.exists(p) or os.path.getsize(p) == 0:
        die("%s was not written" % p)
print(md)
print("paper: wrote " + " ".join(os.path.join(outd, w) for w in written))
