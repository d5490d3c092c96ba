#!/usr/bin/env python3
"""verify/plan_vs_rtl.py SPEC DIR [DSP]: checks that the plan of `sparsegen check SPEC --json` predicts what the
generated hardware in DIR (written by `sparsegen rtl SPEC -o DIR [--dsp DSP]`) really contains, as Yosys sees it after
elaboration, flattening and removal of unused logic (`proc; flatten; opt -full; opt_clean -purge;
memory_collect`): the RAM bits (memories with a write port), the ROM bits (memories without one), the number of
multipliers (sg_mul instances, counted through the hierarchy before flattening), how many of them are built for
DSP blocks (sg_mul DSP = 1) and in logic (DSP = 0) as the plan's DSP split says, and that the flattened design has
exactly one $mul cell with two variable operands per DSP product (the other $mul cells multiply by a constant for
an index and become wiring; a logic multiplier has none). Prints one line; exit status 1 on any difference.
Environment: SPARSEGEN (default ./sparsegen), YOSYS (default yosys).
"""
import json
import os
import subprocess
import sys
import tempfile


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__.split("\n")[0], file=sys.stderr)
        return 2
    spec, d = sys.argv[1], sys.argv[2]
    sg = os.environ.get("SPARSEGEN", "./sparsegen")
    yosys = os.environ.get("YOSYS", "yosys")
    dsp = ["--dsp", sys.argv[3]] if len(sys.argv) == 4 else []
    plan = json.loads(subprocess.run([sg, "check", spec, "--json"] + dsp, check=True, capture_output=True, text=True).stdout)
    name, w = plan["name"], plan["format"]["width"]
    with tempfile.TemporaryDirectory() as t:
        out = os.path.join(t, "design.json")
        rtl = sorted(os.path.join("rtl", f) for f in os.listdir(os.path.join(d, "rtl")))
        pre = os.path.join(t, "hier.json")
        script = (f"read_verilog -DSYNTHESIS {' '.join(rtl)}; hierarchy -check -top {name}_top; proc; write_json {pre}; "
                  f"flatten; "
                  f"opt -full; opt_clean -purge; memory_collect; opt_clean -purge; write_json {out}")
        r = subprocess.run([yosys, "-q", "-p", script], cwd=d, capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{name}: yosys failed: {r.stderr.strip()[-400:]}")
            return 1
        mod = json.load(open(out))["modules"][f"{name}_top"]
        hier = json.load(open(pre))["modules"]

    def count(m):
        """(DSP, logic) sg_mul instances inside module m, through the hierarchy"""
        d = l = 0
        for c in hier[m]["cells"].values():
            ty = c["type"]
            if ty not in hier:
                continue
            if ty.endswith("sg_mul") or "\\sg_mul" in ty:
                if int(hier[ty].get("parameter_default_values", {}).get("DSP", "1"), 2):
                    d += 1
                else:
                    l += 1
            else:
                cd, cl = count(ty)
                d, l = d + cd, l + cl
        return d, l
    dsp, logic = count(f"{name}_top")
    ram = rom = muls = 0
    for c in mod["cells"].values():
        p = c["parameters"]
        if c["type"] == "$mem_v2":
            bits = int(p["SIZE"], 2) * int(p["WIDTH"], 2)
            if int(p["WR_PORTS"], 2):
                ram += bits
            else:
                rom += bits
        elif c["type"] == "$mul" and not any(all(b in ("0", "1") for b in c["connections"][x]) for x in "AB"):
            muls += 1
    t = plan["totals"]
    got = {"RAM bits": ram, "ROM bits": rom, "multipliers": dsp + logic, "DSP products": dsp,
           "logic products": logic, "variable $mul cells": muls}
    want = {"RAM bits": t["memory_bits"], "ROM bits": t["rom_bits"], "multipliers": t["multipliers"],
            "DSP products": t["multipliers_dsp"], "logic products": t["multipliers_logic"],
            "variable $mul cells": t["multipliers_dsp"]}
    diff = [f"{k}: plan {want[k]}, hardware {got[k]}" for k in got if got[k] != want[k]]
    if diff:
        print(f"{name}: the plan does not match the hardware: " + "; ".join(diff))
        return 1
    print(f"{name}: plan = hardware: {ram} RAM bits, {rom} ROM bits, {dsp + logic} multipliers ({dsp} DSP, "
          f"{logic} logic)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
