/* rtl_core.c: the FuseSoC core description (CAPI2) of a generated accelerator, DIR/<name>.core, so that the
 * output folder drops into FuseSoC/Edalize projects (docs/interface.md, "Using the output"). Its paths are
 * relative to DIR, where the .core file lies. The $readmemh files (mem/, vec/) are user files copied into the
 * tool's work folder at the same relative paths (copyto), since the Verilog opens them relative to the folder the
 * tool runs in. */
#include <stdio.h>
#include <string.h>

#include "rtl.h"

/* The files `sparsegen vectors ... -o DIR/vec` writes (verify/cmd_vectors.c); the sim target reads them. */
static const char *const vec_files[] = { "in_beats.hex", "in_meta.hex", "exp_act.hex", "exp_pred.hex",
                                         "exp_w.hex",    "exp_b.hex",   "stalls.hex",  NULL };

/* FPGA targets, as in verify/fpga.py: target name, Edalize tool, Yosys synthesis options, nextpnr options. */
static const struct {
    const char *target, *tool, *device, *synth, *pnr;
} fpga[] = {
    { "ice40_up5k", "icestorm", "iCE40UP5K-SG48", "[-dsp]", "[--up5k, --package, sg48]" },
    { "ice40_hx8k", "icestorm", "iCE40HX8K-CT256", "[]", "[--hx8k, --package, ct256]" },
    { "ecp5_25k", "trellis", "LFE5U-25F-6BG256C", "[]", "[--25k, --package, CABGA256, --speed, \"6\"]" },
    { "ecp5_85k", "trellis", "LFE5U-85F-6BG381C", "[]", "[--85k, --package, CABGA381, --speed, \"6\"]" },
};

static void user_file(FILE *f, const char *path)
{
    fprintf(f, "      - %s: {file_type: user, copyto: %s}\n", path, path);
}

/* The mem/ files rtl_generate writes, in the same order. */
static void mem_files(FILE *f, const sg_rtl *r)
{
    bool any_sig = false;
    for (int j = 1; j <= r->spec->J; j++) any_sig |= r->spec->act[j - 1] == SG_ACT_SIGMOID;
    if (any_sig) user_file(f, "mem/sigmoid.hex");
    char name[64];
    for (int j = 1; j <= r->spec->J; j++) {
        sg_rtl_junction hp;
        rtl_junction_params(r, j, &hp);
        const char *kinds[] = { "wmem", "bmem", "rows", "bank", "binv" };
        for (int k = 0; k < (hp.md ? 5 : 3); k++) {
            snprintf(name, sizeof name, "mem/j%d_%s.hex", j, kinds[k]);
            user_file(f, name);
        }
    }
}

bool rtl_write_core(FILE *f, const sg_rtl *r)
{
    const char *n = r->spec->name;
    fprintf(f, "CAPI=2:\n");
    rtl_banner(f, r, "#", "FuseSoC core (CAPI2) of the generated accelerator; paths relative to this file");
    fprintf(f, "# Targets: default (the design), sim (Icarus; needs `sparsegen vectors SPEC ... -o vec` here first),\n"
               "# lint (Verilator -Wall), and synthesis plus place and route for:");
    for (size_t i = 0; i < sizeof fpga / sizeof fpga[0]; i++) fprintf(f, " %s", fpga[i].target);
    fprintf(f, ".\n# docs/interface.md, \"Using the output\".\n\n");
    fprintf(f, "name: sparsegen:accelerator:%s:%s\n", n, SG_VERSION);
    fprintf(f, "description: \"sparsegen training accelerator %s (%s)\"\n\n", n,
            r->spec->mode == SG_MODE_TRAIN ? "train" : "infer");

    fprintf(f, "filesets:\n  rtl:\n    file_type: verilogSource\n    files:\n");
    for (int i = 0; rtl_template_files[i]; i++) fprintf(f, "      - rtl/%s\n", rtl_template_files[i]);
    fprintf(f, "      - rtl/%s_top.v\n", n);
    mem_files(f, r);
    fprintf(f, "  tb:\n    file_type: verilogSource\n    files:\n"
               "      - tb/tb_config.vh: {is_include_file: true}\n"
               "      - vec/vectors.vh: {is_include_file: true}\n"
               "      - tb/%s\n", RTL_TB_TEMPLATE);
    user_file(f, "tb/sparsegen.gtkw"); /* GTKWave save file for a WAVES=1 dump (gen/rtl_gtkw.c) */
    char name[64];
    for (int i = 0; vec_files[i]; i++) {
        snprintf(name, sizeof name, "vec/%s", vec_files[i]);
        user_file(f, name);
    }

    fprintf(f, "\ntargets:\n"
               "  default:\n    filesets: [rtl]\n    toplevel: %s_top\n"
               "  sim:\n    default_tool: icarus\n    filesets: [rtl, tb]\n    toplevel: tb_sparsegen\n"
               "    tools:\n      icarus:\n        iverilog_options: [-g2012]\n"
               "  lint:\n    default_tool: verilator\n    filesets: [rtl]\n    toplevel: %s_top\n"
               "    tools:\n      verilator:\n        mode: lint-only\n        verilator_options: [-Wall]\n",
            n, n);
    for (size_t i = 0; i < sizeof fpga / sizeof fpga[0]; i++)
        fprintf(f, "  %s:\n    description: \"synthesis, place and route for %s (the top level's ports on pins)\"\n"
                   "    default_tool: %s\n    filesets: [rtl]\n    toplevel: %s_top\n    tools:\n      %s:\n"
                   "%s        yosys_synth_options: %s\n        nextpnr_options: %s\n",
                fpga[i].target, fpga[i].device, fpga[i].tool, n, fpga[i].tool,
                !strcmp(fpga[i].tool, "icestorm") ? "        pnr: next\n" : "", fpga[i].synth, fpga[i].pnr);
    return !ferror(f);
}
