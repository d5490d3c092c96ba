#!/usr/bin/env python3
"""mkweights.py PATTERNS_JSON NAME WIDTH FRAC ACT1,ACT2,.. OUT [SEED]

Writes a fixed-point weight file (docs/weights.md) for the network described by `sparsegen patterns`'s
patterns.json: junction 1 gets small random weights (|w| <= ONE / 2), every later junction weights at or near the
format's limits (MAX or MIN, random signs), so that the back-propagated sums g_x of the hidden layers leave the
format's range in both directions and are saturated (docs/arithmetic.md section 8). Biases are zero. Used by the
RTL tests to drive the derivative scaling's saturation, which Glorot-initialised networks never reach."""
import json
import sys


def main(argv):
    if len(argv) not in (6, 7):
        sys.exit(__doc__)
    pj, name, width, frac, acts, out = argv[:6]
    seed = int(argv[6]) if len(argv) > 6 else 1
    width, frac = int(width), int(frac)
    js = json.load(open(pj))["junctions"]
    acts = acts.split(",")
    if len(acts) != len(js):
        sys.exit("mkweights: %d activations for %d junctions" % (len(acts), len(js)))
    lo, hi, one = -(1 << (width - 1)), (1 << (width - 1)) - 1, 1 << frac
    state = [seed & 0xFFFFFFFF or 1]

    def rnd(n):  # xorshift32: deterministic, no dependence on Python's random module
        x = state[0]
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        state[0] = x
        return x % n

    lines = ["sparsegen-weights 1", "name " + name, "kind fixed", "format %d %d" % (width, frac),
             "layers " + " ".join(str(v) for v in [js[0]["p"]] + [j["n"] for j in js]),
             "fanout " + " ".join(str(j["d_out"]) for j in js), "activation " + " ".join(acts)]
    for j in js:
        lines.append("junction %d pattern %s" % (j["j"], j["pattern_hash"]))
        lines.append("biases %d" % j["n"])
        lines += [" ".join(["0"] * min(16, j["n"] - i)) for i in range(0, j["n"], 16)]
        if j["j"] == 1:
            ws = [rnd(one + 1) - one // 2 for _ in range(j["W"])]
        else:
            ws = [(hi - rnd(4)) if rnd(2) else (lo + rnd(4)) for _ in range(j["W"])]
        lines.append("weights %d" % j["W"])
        lines += [" ".join(str(v) for v in ws[i:i + 16]) for i in range(0, len(ws), 16)]
    lines.append("end")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
