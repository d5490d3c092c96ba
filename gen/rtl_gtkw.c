/* rtl_gtkw.c: the GTKWave save file tb/sparsegen.gtkw that `sparsegen rtl` writes next to the testbench. It lists
 * the signals of a `make sim WAVES=1` dump (tb/tb_sparsegen.v, +waves=FILE) in groups: the streams at the top level,
 * the controller, and for every junction its FF, BP and UP signals, with the network's real instance names and
 * every vector's bit range as the dump declares it (GTKWave's names: "scope.signal[hi:0]"; integers without a
 * range). Paths follow the Icarus
 * hierarchy (tb_sparsegen.dut...). verify/gtkw_check.py checks that every signal named here exists in a dump. */
#include <string.h>

#include "rtl.h"

/* GTKWave trace flags (the "@hex" lines): hex and binary value display, right-justified names, group start/end */
#define GTKW_HEX 0x22u
#define GTKW_BIN 0x28u
#define GTKW_DEC 0x24u
#define GTKW_GROUP_BEGIN 0x800200u
#define GTKW_GROUP_END 0x1000200u

typedef struct {
    FILE *f;
    unsigned flags; /* the last "@" line written */
    const char *group;
} gtkw;

static void gtkw_flags(gtkw *g, unsigned flags)
{
    if (flags != g->flags) fprintf(g->f, "@%x\n", flags);
    g->flags = flags;
}

static void group_begin(gtkw *g, const char *name)
{
    gtkw_flags(g, GTKW_GROUP_BEGIN);
    fprintf(g->f, "-%s\n", name);
    g->group = name;
}

static void group_end(gtkw *g)
{
    gtkw_flags(g, GTKW_GROUP_END);
    fprintf(g->f, "-%s\n", g->group);
    g->group = NULL;
}

/* a scalar (declared without a range) */
static void bit(gtkw *g, const char *scope, const char *name)
{
    gtkw_flags(g, GTKW_BIN);
    fprintf(g->f, "%s.%s\n", scope, name);
}

/* a vector declared [width-1:0] (also when width is 1) */
static void vec(gtkw *g, const char *scope, const char *name, uint32_t width)
{
    gtkw_flags(g, GTKW_HEX);
    fprintf(g->f, "%s.%s[%u:0]\n", scope, name, width - 1);
}

/* a Verilog integer (dumped with a [31:0] range, which GTKWave leaves out of an integer's name) */
static void integer(gtkw *g, const char *scope, const char *name)
{
    gtkw_flags(g, GTKW_DEC);
    fprintf(g->f, "%s.%s\n", scope, name);
}

static uint32_t bits_of(uint64_t x) { return x > 1 ? ceil_log2(x) : 1; }

void rtl_write_gtkw(FILE *f, const sg_rtl *r)
{
    const sg_spec *s = r->spec;
    const sg_plan *pl = r->plan;
    int J = s->J;
    bool tr = s->mode == SG_MODE_TRAIN;
    uint32_t W = (uint32_t)s->width, LBW = bits_of(s->classes);
    const uint32_t G = sg_gap(s);
    uint32_t NS = tr ? 2u * G * (uint32_t)J + 1 : G * (uint32_t)J + 1;
    sg_rtl_mmap mm;
    rtl_mmap(r, &mm);
    const sg_plan_junction *j1 = &pl->j[0], *jJ = &pl->j[J - 1];
    gtkw g = { f, 0, NULL };

    rtl_banner(f, r, "[*]", "GTKWave save file: gtkwave sim/waves.fst tb/sparsegen.gtkw (after make sim WAVES=1)");
    fprintf(f, "[*] groups: streams, controller, then per junction FF, BP (junctions 2..J), UP\n");
    fprintf(f, "[timestart] 0\n[signals_width] 320\n[sst_expanded] 1\n");

    const char *tb = "tb_sparsegen", *dut = "tb_sparsegen.dut", *ctrl = "tb_sparsegen.dut.ctrl";
    group_begin(&g, "streams: samples in, results out, flush, memory port");
    bit(&g, dut, "clk");
    bit(&g, dut, "rst");
    integer(&g, tb, "si");
    bit(&g, dut, "in_valid");
    bit(&g, dut, "in_ready");
    vec(&g, dut, "in_data", j1->z * (uint32_t)s->input_bits);
    vec(&g, dut, "in_label", LBW);
    vec(&g, dut, "in_shift", 5);
    bit(&g, dut, "in_update");
    integer(&g, tb, "ri");
    bit(&g, dut, "res_valid");
    bit(&g, dut, "res_ready");
    bit(&g, dut, "res_last");
    vec(&g, dut, "res_data", jJ->q * W);
    vec(&g, dut, "res_pred", LBW);
    bit(&g, dut, "flush_valid");
    bit(&g, dut, "flush_ready");
    bit(&g, dut, "idle");
    bit(&g, dut, "mm_en");
    bit(&g, dut, "mm_we");
    vec(&g, dut, "mm_addr", mm.aw);
    vec(&g, dut, "mm_wdata", W);
    bit(&g, dut, "mm_rvalid");
    vec(&g, dut, "mm_rdata", W);
    group_end(&g);

    group_begin(&g, "controller: junction cycles, slots, flush, clock enable");
    bit(&g, ctrl, "ce");
    vec(&g, ctrl, "in_count", 3);
    vec(&g, ctrl, "out_count", 3);
    bit(&g, ctrl, "beat_need");
    bit(&g, ctrl, "cyc_start");
    bit(&g, ctrl, "running");
    vec(&g, ctrl, "cyc_clk", bits_of(pl->cycle_clocks));
    bit(&g, ctrl, "flushing");
    vec(&g, ctrl, "flush_cnt", ceil_log2((uint64_t)NS));
    vec(&g, ctrl, "slot_valid", NS);
    vec(&g, ctrl, "slot_update", NS);
    vec(&g, ctrl, "slot_shift", NS * 5);
    vec(&g, ctrl, "slot_label", NS * LBW);
    group_end(&g);

    char scope[64], name[160];
    for (int j = 1; j <= J; j++) {
        const sg_plan_junction *q = &pl->j[j - 1];
        sg_rtl_junction hp;
        rtl_junction_params(r, j, &hp);
        bool last = j == J;
        snprintf(scope, sizeof scope, "%s.j%d", dut, j);
        unsigned ff = G * (unsigned)j, bu = G * (2u * (unsigned)J - (unsigned)j + 1);

        snprintf(name, sizeof name, "j%d FF: layer %d -> %d (slot %u)", j, j - 1, j, ff);
        group_begin(&g, name);
        bit(&g, scope, "ff_on");
        vec(&g, scope, "c0", hp.CB);
        bit(&g, scope, "lrd_en");
        vec(&g, scope, "lrd_row", q->z * hp.RB);
        vec(&g, scope, "lff_data", q->z * W);
        bit(&g, scope, "ro_en");
        vec(&g, scope, "ro_act", q->q * W);
        if (last) {
            vec(&g, scope, "ff_label", hp.LBW);
            bit(&g, scope, "res_valid");
            bit(&g, scope, "res_last");
            vec(&g, scope, "res_data", q->q * W);
            vec(&g, scope, "res_pred", hp.LBW);
        }
        group_end(&g);
        if (!tr) continue;

        if (j >= 2) {
            snprintf(name, sizeof name, "j%d BP: deltas of layer %d -> layer %d (slot %u)", j, j, j - 1, bu);
            group_begin(&g, name);
            bit(&g, scope, "bu_on");
            if (!last) {
                bit(&g, scope, "rd_en");
                bit(&g, scope, "rd_adv");
                vec(&g, scope, "rd_data", q->q * hp.rbpw);
            }
            vec(&g, scope, "d5", q->q * W);
            bit(&g, scope, "bp_en");
            bit(&g, scope, "bp_first");
            vec(&g, scope, "bp_row", q->z * hp.RB);
            vec(&g, scope, "bp_val", q->z * W);
            group_end(&g);
        }

        snprintf(name, sizeof name, "j%d UP: weights and biases of junction %d (slot %u)", j, j, bu);
        group_begin(&g, name);
        bit(&g, scope, "bu_on");
        vec(&g, scope, "bu_shift", 5);
        if (j == 1) vec(&g, scope, "d5", q->q * W);
        vec(&g, scope, "lup_data", q->z * W);
        bit(&g, scope, "up_wr");
        vec(&g, scope, "wn_w", q->z * W);
        bit(&g, scope, "bup_wr");
        vec(&g, scope, "bn_w", q->q * W);
        group_end(&g);
    }
}
