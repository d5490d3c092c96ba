#!/usr/bin/env python3
"""verify/plan_vs_rtl.py SPEC DIR: checks that the plan of `sparsegen check SPEC --json` predicts what the
generated hardware in DIR (written by `sparsegen rtl SPEC -o DIR`) really contains, as Yosys sees it after
elaboration, flattening and removal of unused logic (`proc; flatten; opt -full; opt_clean -purge;
memory_collect`): the RAM bits (memories with a write port), the ROM bits (memories without one) and the number
of w x w multipliers (the $mul cells whose operands are both w bits; the other $mul cells multiply by a constant
for an index and become wiring). Prints one line; exit status 1 on any difference.
Environment: SPARSEGEN (default ./sparsegen), YOSYS (default yosys).
"""
import json
import os
import subprocess
import sys
import tempfile


def main():
    if len(sys.argv) != 3:
        print(__doc__.split("\n")[0], file=sys.stderr)
        return 2
    spec, d = sys.argv[1], sys.argv[2]
    sg = os.environ.get("SPARSEGEN", "./sparsegen")
    yosys = os.environ.get("YOSYS", "yosys")
    plan = json.loads(subprocess.run([sg, "check", spec, "--json"], check=True, capture_output=True, text=True).stdout)
    name, w = plan["name"], plan["format"]["width"]
    with tempfile.TemporaryDirectory() as t:
        out = os.path.join(t, "design.json")
        rtl = sorted(os.path.join("rtl", f) for f in os.listdir(os.path.join(d, "rtl")))
        script = (f"read_verilog -DSYNTHESIS {' '.join(rtl)}; hierarchy -check -top {name}_top; proc; flatten; "
                  f"opt -full; opt_clean -purge; memory_collect; opt_clean -purge; write_json {out}")
        r = subprocess.run([yosys, "-q", "-p", script], cwd=d, capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{name}: yosys failed: {r.stderr.strip()[-400:]}")
            return 1
        mod = json.load(open(out))["modules"][f"{name}_top"]
    ram = rom = muls = 0
    for c in mod["cells"].values():
        p = c["parameters"]
        if c["type"] == "$mem_v2":
            bits = int(p["SIZE"], 2) * int(p["WIDTH"], 2)
            if int(p["WR_PORTS"], 2):
                ram += bits
            else:
                rom += bits
        elif c["type"] == "$mul" and int(p["A_WIDTH"], 2) == w and int(p["B_WIDTH"], 2) == w:
            muls += 1
    t = plan["totals"]
    got = {"RAM bits": ram, "ROM bits": rom, "multipliers": muls}
    want = {"RAM bits": t["memory_bits"], "ROM bits": t["rom_bits"], "multipliers": t["multipliers"]}
    diff = [f"{k}: plan {want[k]}, hardware {got[k]}" for k in got if got[k] != want[k]]
    if diff:
        print(f"{name}: the plan does not match the hardware: " + "; ".join(diff))
        return 1
    print(f"{name}: plan = hardware: {ram} RAM bits, {rom} ROM bits, {muls} multipliers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
