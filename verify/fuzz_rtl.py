#!/usr/bin/env python3
"""verify/fuzz_rtl.py: random-spec RTL fuzzing (`make fuzz-rtl [COUNT=N] [SEED=S] [LINT=1]`).

For spec i = 0 .. COUNT-1 it draws candidate specs from Python's random.Random seeded with (SEED, i) (J, the width,
the family and train/infer cycle with i so that 20 specs cover them all), keeps the first one that `sparsegen check`
accepts (exit status 0; check is deterministic), then generates the accelerator
(`sparsegen rtl`, with a random `--dsp` budget for half of them), random vectors with random valid/ready stalls (`sparsegen vectors --data random --stalls`),
simulates the generated testbench under Icarus and expects PASS (bit-exact against the golden model).
The draw covers J = 1..4, layer sizes 2..40 (mostly not powers of two), every connectivity family and option
(sweep/start shuffle, memory dither, zero start), widths 8..16 with any valid fraction, input bits 1..16, padding
inputs and fewer classes, z above, equal to and below d_in, sigmoid and relu per junction, train and infer.
Sizes are capped (at most 400 edges and 64 edge clocks per junction) so that 20 specs simulate in about a minute.

Prints one line per spec and a final "N passed, N failed"; exit status 1 if any failed. Every spec is written to
OUT/fuzz-rtl/<name>/spec.yaml; a passing spec's generated files are removed, a failing one's are kept with
repro.sh (the exact commands) and the logs.
"""
import argparse
import math
import os
import random
import shutil
import subprocess
import sys
import time


def divisors(x):
    return [d for d in range(1, x + 1) if x % d == 0]


def draw_network(rng, J):
    """Returns (layers, fanout, z) with J junctions satisfying the divisibility and bandwidth rules, or None."""
    layers = [rng.randint(3, 40)]
    for h in range(1, J):
        layers.append(rng.randint(2, 24))
    layers.append(rng.randint(2, 12))
    fanout, zs = [], []
    q_prev = 1
    for j in range(1, J + 1):
        p, n = layers[j - 1], layers[j]
        step = n // math.gcd(p, n)
        douts = [d for d in range(step, n + 1, step) if p * d <= 400]
        if not douts:
            return None
        dout = rng.choice(douts)
        din = p * dout // n
        W = p * dout
        cand = [z for z in divisors(p) if (din % z == 0 or z % din == 0) and z >= q_prev and W // z <= 64]
        if not cand:
            return None
        # every valid z is possible; z > d_in (q > 1 neurons per clock) is rarer among the divisors, so favour it
        above = [z for z in cand if z > din]
        z = rng.choice(above) if above and rng.random() < 0.35 else rng.choice(cand)
        fanout.append(dout)
        zs.append(z)
        q_prev = z // din if z > din else 1
    return layers, fanout, zs


def draw_spec(rng, name, i):
    """Spec i cycles through J = 1..4, the widths 8..16, the three families and (every fifth) inference, so that
    any 20 consecutive specs cover them all; everything else is drawn."""
    J = 1 + i % 4
    net = None
    while net is None:
        net = draw_network(rng, J)
    layers, fanout, zs = net
    width = 8 + (i * 4) % 9
    frac = rng.randint(max(1, width // 2 - 3), width - 2) if rng.random() < 0.8 else rng.randint(1, width - 2)
    lines = [f"name: {name}", f"layers: {layers}", f"fanout: {fanout}", f"z: {zs}",
             f"format: {{width: {width}, frac: {frac}}}"]
    bits = rng.choice([1, 3, 4, 6, 8, 8, 8, 10, 12, 16])
    inp = f"input: {{bits: {bits}"
    if rng.random() < 0.3 and layers[0] > 2:
        inp += f", features: {rng.randint(max(1, layers[0] * 2 // 3), layers[0] - 1)}"
    lines.append(inp + "}")
    if rng.random() < 0.3 and layers[-1] > 2:
        lines.append(f"classes: {rng.randint(2, layers[-1] - 1)}")
    acts = [rng.choice(["sigmoid", "sigmoid", "relu"]) for _ in range(J)]
    lines.append(f"activation: [{', '.join(acts)}]")
    infer = i % 5 == 4
    if not infer:
        # one network in 4 with the shift built into the hardware (learning_rate.fixed; from i, so that the
        # random draws, and so the networks of a seed, stay as they were)
        fixed = ", fixed: true" if i % 4 == 1 else ""
        lines.append(f"learning_rate: {{shift: {rng.randint(0, 12)}{fixed}}}")
    fam = ["type1", "type2", "type3"][i % 3]
    conn = [f"family: {fam}"]
    if rng.random() < 0.4:
        conn.append("memory_dither: true")
    if fam in ("type2", "type3"):
        if rng.random() < 0.15:
            conn.append("zero_start: true")
            if fam == "type2":
                conn.append("sweep_shuffle: false")
        else:
            if fam == "type2" and rng.random() < 0.4:
                conn.append("sweep_shuffle: false")
            if rng.random() < 0.3:
                conn.append("start_shuffle: false")
    conn.append(f"seed: {rng.randint(0, 2**32)}")
    lines.append(f"connectivity: {{{', '.join(conn)}}}")
    lines.append(f"init: {{seed: {rng.randint(0, 1000)}}}")
    if infer:
        lines.append("mode: infer")
    dins = [layers[j] * fanout[j] // layers[j + 1] for j in range(J)]
    feats = {f"J={J}", fam, "infer" if infer else "train", f"w={width}"}
    feats |= {"memory_dither"} if "memory_dither: true" in conn else set()
    feats |= {"zero_start"} if "zero_start: true" in conn else set()
    feats |= {"relu"} if "relu" in acts else set()
    feats |= {"sigmoid"} if "sigmoid" in acts else set()
    feats |= {"z<d_in"} if any(z < d for z, d in zip(zs, dins)) else set()
    feats |= {"z=d_in"} if any(z == d for z, d in zip(zs, dins)) else set()
    feats |= {"z>d_in"} if any(z > d for z, d in zip(zs, dins)) else set()
    feats |= {"P=1"} if any(layers[j] == zs[j] for j in range(J)) else set()
    # overlapped junction cycles for half the specs (drawn last, so the other draws are as before)
    if rng.random() < 0.5:
        lines.append("overlap: true")
        feats.add("overlap")
        # training with several input beats per sample: layer 0's read copies share one RAM per bank and the
        # beats come two clocks apart, unless the cycle is shorter than 2 P_1 (gen/plan.h sg_l0_paired)
        if not infer and layers[0] > zs[0]:
            feats.add("overlap_train_P1>1")
    return "\n".join(lines) + "\n", J, infer, feats


def run(cmd, cwd=None, log=None):
    with open(log, "w") if log else open(os.devnull, "w") as f:
        return subprocess.run(cmd, cwd=cwd, stdout=f, stderr=subprocess.STDOUT).returncode


def summary(text):
    d = {}
    for ln in text.splitlines():
        if ":" in ln:
            k, v = ln.split(":", 1)
            d[k.strip()] = v.strip()
    extra = " ".join(f"{k} {d[k]}" for k in ("input", "classes", "activation", "learning_rate", "mode") if k in d)
    return f"layers {d['layers']} fanout {d['fanout']} z {d['z']} {d['format']} {d['connectivity']} {extra}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="out")
    ap.add_argument("--sparsegen", default="./sparsegen")
    ap.add_argument("--lint", action="store_true", help="also verilator --lint-only -Wall the generated RTL")
    ap.add_argument("--plan", action="store_true",
                    help="also check that the plan's RAM, ROM and multipliers are the hardware's (verify/plan_vs_rtl.py)")
    ap.add_argument("--iverilog", default=os.environ.get("IVERILOG", "iverilog"))
    ap.add_argument("--vvp", default=os.environ.get("VVP", "vvp"))
    ap.add_argument("--verilator", default=os.environ.get("VERILATOR", "verilator"))
    a = ap.parse_args()
    sg = os.path.abspath(a.sparsegen)
    os.environ.setdefault("SPARSEGEN", sg)
    base = os.path.join(a.out, "fuzz-rtl")
    os.makedirs(base, exist_ok=True)
    npass = nfail = 0
    cover = {}
    t_all = time.time()
    for i in range(a.count):
        name = f"fz_s{a.seed}_{i}"
        d = os.path.join(base, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        spec = os.path.join(d, "spec.yaml")
        rng = random.Random(f"sparsegen-fuzz-rtl {a.seed} {i}")
        tries = 0
        while True:
            tries += 1
            text, J, infer, feats = draw_spec(rng, name, i)
            with open(spec, "w") as f:
                f.write(text)
            if run([sg, "check", spec]) == 0:
                break
            if tries >= 500:
                print(f"FAIL  {name}: no valid spec in 500 draws")
                nfail += 1
                text = None
                break
        if text is None:
            continue
        for f in feats:
            cover[f] = cover.get(f, 0) + 1
        samples = (4 if "overlap" in feats else 2) * J + 3 + rng.randint(0, 10)
        vseed = rng.randint(1, 10**6)
        # a DSP budget (sparsegen rtl --dsp) for half the specs: none (every product a DSP), 0 (all logic), or some
        dspn = rng.choice([None, None, 0, rng.randint(1, 24)])
        dsp = [] if dspn is None else ["--dsp", str(dspn)]
        t0 = time.time()
        specrel = os.path.relpath(spec)
        repro = (f"# reproduce (from the repository root): make sim SPEC={specrel} SAMPLES={samples} SEED={vseed} STALLS=1\n"
                 f"set -e\n"
                 f"./sparsegen rtl {specrel} -o {d}/gen{' ' + ' '.join(dsp) if dsp else ''}\n"
                 f"./sparsegen vectors {specrel} --data random -n {samples} --seed {vseed} --stalls -o {d}/gen/vec\n"
                 f"cd {d}/gen && {a.iverilog} -g2012 -o sim.vvp -Itb -Ivec tb/tb_sparsegen.v rtl/*.v && "
                 f"{a.vvp} -n sim.vvp +vec=vec\n")
        with open(os.path.join(d, "repro.sh"), "w") as f:
            f.write(repro)
        g = os.path.join(d, "gen")
        why = None
        if run([sg, "rtl", spec, "-o", g] + dsp, log=os.path.join(d, "rtl.log")) != 0:
            why = "sparsegen rtl failed"
        elif run([sg, "vectors", spec, "--data", "random", "-n", str(samples), "--seed", str(vseed), "--stalls",
                  "-o", os.path.join(g, "vec")], log=os.path.join(d, "vectors.log")) != 0:
            why = "sparsegen vectors failed"
        elif a.lint and run([a.verilator, "--lint-only", "-Wall", "--top-module", f"{name}_top"] +
                            sorted(f"rtl/{x}" for x in os.listdir(os.path.join(g, "rtl"))),
                            cwd=g, log=os.path.join(d, "lint.log")) != 0:
            why = "verilator lint"
        elif a.plan and run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "plan_vs_rtl.py"),
                             spec, g] + dsp[1:], log=os.path.join(d, "plan.log")) != 0:
            why = "plan vs hardware: " + open(os.path.join(d, "plan.log")).read().strip().splitlines()[-1]
        elif run([a.iverilog, "-g2012", "-o", "sim.vvp", "-Itb", "-Ivec", "tb/tb_sparsegen.v"] +
                 sorted(f"rtl/{x}" for x in os.listdir(os.path.join(g, "rtl"))),
                 cwd=g, log=os.path.join(d, "iverilog.log")) != 0:
            why = "iverilog failed"
        else:
            st = run([a.vvp, "-n", "sim.vvp", "+vec=vec"], cwd=g, log=os.path.join(d, "sim.log"))
            lines = open(os.path.join(d, "sim.log")).read().splitlines()
            if st != 0 or "PASS" not in lines[-3:]:
                bad = [ln for ln in lines if "MISMATCH" in ln or "ERROR" in ln or "timeout" in ln]
                why = "simulation FAIL" + (": " + bad[0] if bad else "")
        secs = time.time() - t0
        desc = f"{summary(text)}, {samples} samples" + (f", --dsp {dspn}" if dsp else "")
        if why is None:
            npass += 1
            shutil.rmtree(g, ignore_errors=True)
            print(f"ok    {name} ({secs:.1f} s): {desc}", flush=True)
        else:
            nfail += 1
            print(f"FAIL  {name} ({secs:.1f} s): {why}\n      {desc}\n      kept in {d}; reproduce: bash {d}/repro.sh",
                  flush=True)
    order = sorted(cover, key=lambda k: (not k.startswith("J="), not k.startswith("w="), k))
    print(f"fuzz-rtl: seed {a.seed}, {time.time() - t_all:.0f} s; specs with: " +
          ", ".join(f"{k} {cover[k]}" for k in order))
    print(f"{npass} passed, {nfail} failed")
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
