/* cmd_rtl.c: `sparsegen rtl SPEC -o DIR`: the Verilog accelerator of a spec (docs/hardware.md). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rtl.h"

static void usage(FILE *f)
{
    fprintf(f, "Usage: sparsegen rtl SPEC -o DIR [--weights FILE] [--templates DIR] [--ram-style STYLE]\n"
               "                     [--target DEVICE] [--dsp N]\n\n"
               "Generates the Verilog accelerator of the spec into DIR (all or nothing):\n"
               "  DIR/rtl/NAME_top.v    the generated top level (ports: docs/interface.md)\n"
               "  DIR/rtl/sg_*.v        copies of the hand-written templates\n"
               "  DIR/mem/*.hex         $readmemh files: initial weights and biases, sigmoid table, pattern tables\n"
               "  DIR/tb/               the testbench and its configuration (see `sparsegen vectors`, `make sim`)\n"
               "  DIR/files.f           the Verilog sources in compilation order (iverilog/verilator -f files.f)\n"
               "  DIR/NAME.core         FuseSoC CAPI2 core: targets sim, lint, ice40_*, ecp5_* (docs/interface.md)\n"
               "Simulators and synthesis read the .hex files relative to DIR: run them in DIR.\n\n"
               "Options:\n"
               "  -o DIR             output folder (required)\n"
               "  --weights FILE     initial weights and biases from a weight file (docs/weights.md) instead of\n"
               "                     the Glorot initialisation of the spec's init.seed\n"
               "  --templates DIR    the templates folder (default: $SPARSEGEN_TEMPLATES, else templates/ next to\n"
               "                     the sparsegen executable, else ./templates)\n"
               "  --ram-style STYLE  auto (default): each RAM instance to block or distributed RAM by its size and\n"
               "                     the target (docs/hardware.md, Memory mapping; DIR/memories.txt lists it);\n"
               "                     block, distributed: that ram_style for every RAM; none: no attribute\n"
               "  --target DEVICE    the device of the auto mapping: ice40-up5k, ice40-hx8k, ecp5-25k, ecp5-85k\n"
               "                     or xc7 (default xc7)\n"
               "  --dsp N            at most N multipliers on DSP blocks, the widest products first; the others\n"
               "                     are logic multipliers (default: every multiplier on a DSP block)\n"
               "  -h, --help         print this help\n\n"
               "Exit status: 0 written, 1 bad spec, weights or output folder, 2 usage error.\n");
}

int cmd_rtl(int argc, char **argv)
{
    const char *path = NULL, *out = NULL, *weights = NULL, *tdir = NULL, *target = NULL;
    int style = SG_RAM_AUTO;
    long long dsp = -1;
    bool options = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
            usage(stdout);
            return SG_EXIT_OK;
        } else if (options && (!strcmp(a, "-o") || !strcmp(a, "--weights") || !strcmp(a, "--templates") ||
                               !strcmp(a, "--ram-style") || !strcmp(a, "--target") || !strcmp(a, "--dsp"))) {
            if (i + 1 >= argc) return cli_usage_error("rtl", "option '%s' needs a value", a);
            const char *v = argv[++i];
            if (!strcmp(a, "-o")) out = v;
            else if (!strcmp(a, "--weights")) weights = v;
            else if (!strcmp(a, "--templates")) tdir = v;
            else if (!strcmp(a, "--dsp")) {
                uint64_t n;
                if (!cli_parse_u64(v, 0, 1000000, &n))
                    return cli_usage_error("rtl", "--dsp must be a count 0 .. 1000000 (got '%s')", v);
                dsp = (long long)n;
            } else if (!strcmp(a, "--target")) {
                if (!rtl_device(v))
                    return cli_usage_error("rtl", "--target must be one of %s (got '%s')", rtl_device_names(), v);
                target = v;
            }
            else if (!strcmp(v, "block")) style = 1;
            else if (!strcmp(v, "distributed")) style = 2;
            else if (!strcmp(v, "auto")) style = SG_RAM_AUTO;
            else if (!strcmp(v, "none")) style = 0;
            else return cli_usage_error("rtl", "--ram-style must be auto, block, distributed or none (got '%s')", v);
        } else if (options && !strcmp(a, "--")) {
            options = false;
        } else if (options && a[0] == '-' && a[1]) {
            return cli_usage_error("rtl", "unknown option '%s'", a);
        } else if (path) {
            return cli_usage_error("rtl", "one SPEC only (got '%s' and '%s')", path, a);
        } else {
            path = a;
        }
    }
    if (!path) return cli_usage_error("rtl", "missing SPEC");
    if (!out) return cli_usage_error("rtl", "missing -o DIR");
    const char *templates = rtl_find_templates(tdir);
    if (!templates) return SG_EXIT_BAD_INPUT;
    sg_rtl_input in;
    int status = SG_EXIT_BAD_INPUT;
    if (rtl_load(path, weights, &in)) {
        sg_rtl r;
        if (dsp >= 0) plan_assign_dsp(in.plan, dsp);
        rtl_from_input(&r, &in);
        char *cmd = rtl_command_line("sparsegen", argc, argv);
        r.command = cmd;
        r.ram_style = style;
        r.target = target;
        if (rtl_generate(&r, templates, out)) {
            printf("sparsegen rtl: wrote %s/rtl/%s_top.v, the templates, mem/ and tb/ (junction cycle %u clocks; "
                   "multipliers: %u on DSP blocks, %u in logic)\n",
                   out, in.spec->name, in.plan->cycle_clocks, in.plan->multipliers_dsp, in.plan->multipliers_logic);
            status = SG_EXIT_OK;
        }
        free(cmd);
    }
    rtl_unload(&in);
    return status;
}

/* The help text for the command table (gen/cli.c). */
void cli_help_rtl(FILE *f)
{
    usage(f);
}
