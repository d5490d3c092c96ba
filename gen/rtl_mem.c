/* rtl_mem.c: the memory mapping of `sparsegen rtl --ram-style auto` (docs/hardware.md, "Memory mapping"): which
 * RAM instance of the generated design goes to block RAM and which to distributed (LUT) RAM, for one target
 * device. The decision rule is rtl_mem_decide(); everything else here only describes the instances and the
 * device. */
#include <stdio.h>
#include <string.h>

#include "rtl.h"

/* Block RAM configurations (depth x width) of one block, LUT-RAM primitives, capacities. Widths include the parity
 * bits Yosys uses. */
typedef struct {
    uint32_t depth, width;
} geom;

static const geom ice40_ebr[] = { { 256, 16 }, { 512, 8 }, { 1024, 4 }, { 2048, 2 }, { 0, 0 } };
static const geom bram18[] = { { 512, 36 }, { 1024, 18 }, { 2048, 9 }, { 4096, 4 }, { 8192, 2 }, { 16384, 1 },
                               { 0, 0 } };

static const sg_rtl_device devices[] = {
    /* name         device             family block cell       blocks   luts  block_bits */
    { "ice40-up5k", "iCE40UP5K-SG48", 1, "SB_RAM40_4K", 30, 5280, 4096 },
    { "ice40-hx8k", "iCE40HX8K-CT256", 1, "SB_RAM40_4K", 32, 7680, 4096 },
    { "ecp5-25k", "LFE5U-25F", 2, "DP16KD", 56, 24288, 18432 },
    { "ecp5-85k", "LFE5U-85F", 2, "DP16KD", 208, 83640, 18432 },
    { "xc7", "XC7A100T", 3, "RAMB18E1", 270, 63400, 18432 },
    { NULL, NULL, 0, NULL, 0, 0, 0 },
};

const sg_rtl_device *rtl_device(const char *name)
{
    if (!name) name = "xc7";
    for (int i = 0; devices[i].name; i++)
        if (!strcmp(devices[i].name, name)) return &devices[i];
    return NULL;
}

const char *rtl_device_names(void) { return "ice40-up5k, ice40-hx8k, ecp5-25k, ecp5-85k, xc7"; }

static uint32_t cdiv(uint64_t a, uint64_t b) { return (uint32_t)((a + b - 1) / b); }

/* Blocks of one depth x width memory: the cheapest block configuration, as Yosys's memory_libmap picks it. */
uint32_t rtl_mem_blocks(const sg_rtl_device *d, uint32_t depth, uint32_t width)
{
    const geom *g = d->family == 1 ? ice40_ebr : bram18;
    uint32_t best = UINT32_MAX;
    for (int i = 0; g[i].depth; i++) {
        uint32_t n = cdiv(depth, g[i].depth) * cdiv(width, g[i].width);
        if (n < best) best = n;
    }
    return best;
}

/* Blocks of a depth x (lanes x lw) memory with one write enable per lw-bit lane. iCE40 EBRs have a write mask per
 * bit; ECP5 and xc7 blocks have byte enables of 9 bits, so a lane takes whole 9-bit groups: e.g. two 10-bit lanes
 * per 512 x 36 DP16KD (a lane in 18 bits), or a lane split over narrow configurations. */
static uint32_t blocks_lanes(const sg_rtl_device *d, uint32_t depth, uint32_t lanes, uint32_t lw)
{
    if (d->family == 1 || lanes <= 1) return rtl_mem_blocks(d, depth, lanes * lw);
    uint32_t best = UINT32_MAX;
    for (int i = 0; bram18[i].depth; i++) {
        uint32_t per = bram18[i].width >= 9 ? bram18[i].width / (9 * cdiv(lw, 9)) : 0;
        uint32_t n = per ? cdiv(depth, bram18[i].depth) * cdiv(lanes, per)
                         : cdiv(depth, bram18[i].depth) * lanes * cdiv(lw, bram18[i].width);
        if (n < best) best = n;
    }
    return best;
}

/* LUTs (iCE40: logic cells) of one depth x width memory in distributed RAM. xc7: RAM32M (32 x 6 bits in 4 LUTs),
 * RAM64M (64 x 3 in 4), RAM128X1D (128 x 1 in 4), RAM256X1D (256 x 1 in 8), the cheapest, plus a LUT per bit and
 * extra block of depth for the read multiplexer. ECP5: TRELLIS_DPR16X4 (16 x 4, counted as 6 LUT4 as the report
 * counts it) plus the read multiplexer. iCE40 has no LUT RAM: one flip-flop (one logic cell) per bit, the read
 * multiplexer packed with them. */
uint32_t rtl_mem_luts(const sg_rtl_device *d, uint32_t depth, uint32_t width)
{
    if (d->family == 1) return depth * width + width;
    if (d->family == 2) return cdiv(depth, 16) * cdiv(width, 4) * 6 + (cdiv(depth, 16) - 1) * width;
    static const uint32_t prim[][3] = { { 32, 6, 4 }, { 64, 3, 4 }, { 128, 1, 4 }, { 256, 1, 8 } };
    uint32_t best = UINT32_MAX;
    for (int i = 0; i < 4; i++) {
        uint32_t stack = cdiv(depth, prim[i][0]);
        uint32_t n = stack * cdiv(width, prim[i][1]) * prim[i][2] + (stack - 1) * width;
        if (n < best) best = n;
    }
    return best;
}

static void add_part(sg_rtl_memunit *u, const sg_rtl_device *d, const char *what, uint32_t count, uint32_t depth,
                     uint32_t width)
{
    if (u->nparts < SG_RTL_MEM_PARTS) {
        sg_rtl_mempart *p = &u->parts[u->nparts++];
        p->what = what;
        p->count = count;
        p->depth = depth;
        p->width = width;
    }
    u->rams += count;
    u->bits += (uint64_t)count * depth * width;
    u->blocks += count * rtl_mem_blocks(d, depth, width);
    u->luts += count * rtl_mem_luts(d, depth, width);
}

/* A RAM with one write enable per lw-bit lane (the junctions' weights and biases). */
static void add_part_lanes(sg_rtl_memunit *u, const sg_rtl_device *d, const char *what, uint32_t depth,
                           uint32_t lanes, uint32_t lw)
{
    add_part(u, d, what, 1, depth, lanes * lw);
    u->blocks += blocks_lanes(d, depth, lanes, lw) - rtl_mem_blocks(d, depth, lanes * lw);
}

static sg_rtl_memunit *new_unit(sg_rtl_memmap *mm, const char *fmt, int idx)
{
    sg_rtl_memunit *u = &mm->units[mm->n++];
    memset(u, 0, sizeof *u);
    snprintf(u->inst, sizeof u->inst, fmt, idx);
    return u;
}

/* The decision rule (the only one; docs/hardware.md "Memory mapping"). Block RAM is a fixed resource of the
 * device, free while unused; distributed RAM costs LUTs (flip-flops on iCE40). The generator chooses one style per
 * RAM instance of the top level (a layer memory with all its banks, a delta memory, a junction with its weight,
 * bias and derivative or output-delta memories), because that is where the RAM_STYLE parameter is set:
 *   1. the ROMs that sg_rom puts in block RAM (tables of 128 words or more) take their blocks first;
 *   2. the units are ranked by the LUTs one block saves (distributed LUTs / blocks), best first, ties in
 *      instance order; on devices with LUT RAM (ECP5, Xilinx) the junctions come first, ranked among themselves:
 *      a junction's weight RAM is one z*w-bit word per address, so in LUT RAM its write address, enable and data
 *      and its read address reach every primitive of the row (640 DPR16X4 in the anchor network's junction 1),
 *      where a layer memory's banks are separate small RAMs beside their lanes. LUT for LUT the two are about
 *      even (anchor, ECP5-85F: 89 LUTs per block against 92), but nextpnr's router2 could not route that
 *      network with junction 1's weights in LUT RAM (its congestion map's worst spot);
 *   3. in that order a unit goes to block RAM if each of its blocks saves at least one LUT per Kbit of block
 *      capacity (18 LUTs for an 18 Kb block, 4 for a 4 Kb EBR; less is a block spent on a few bits) and its
 *      blocks fit in what the device has left; every other unit goes to distributed RAM.
 * So the deep and the wide memories (weights, sigmoid-sized tables) take the blocks, and the many shallow banks
 * (a layer memory of 128 banks x 8 words would take 256 blocks holding 400 bits each) are built from LUT RAM. */
static void decide(sg_rtl_memmap *mm)
{
    const sg_rtl_device *d = mm->dev;
    uint32_t left = d->blocks > mm->rom_blocks ? d->blocks - mm->rom_blocks : 0;
    bool done[SG_RTL_MAX_UNITS] = { false };
    bool junctions_first = d->family != 1; /* iCE40 has no LUT RAM */
    for (int k = 0; k < mm->n; k++) {
        int best = -1;
        for (int i = 0; i < mm->n; i++) {
            if (done[i]) continue;
            if (best < 0) {
                best = i;
                continue;
            }
            bool ji = junctions_first && mm->units[i].inst[0] == 'j';
            bool jb = junctions_first && mm->units[best].inst[0] == 'j';
            /* a junction before a memory, else saving per block of i better than of best:
             * luts_i / blocks_i > luts_b / blocks_b */
            if (ji != jb ? ji
                         : (uint64_t)mm->units[i].luts * mm->units[best].blocks >
                               (uint64_t)mm->units[best].luts * mm->units[i].blocks)
                best = i;
        }
        done[best] = true;
        sg_rtl_memunit *u = &mm->units[best];
        u->rank = k + 1;
        if ((uint64_t)u->luts * 1024 >= (uint64_t)d->block_bits * u->blocks && u->blocks <= left) {
            u->style = 1;
            left -= u->blocks;
        } else {
            u->style = 2;
            /* 4. a layer memory too big for the blocks left gets as many of them as it can use, one RAM (its
             *    first RAMs) at a time, by the same per-block test, before the units ranked below it: on the
             *    anchor network's ECP5-85F build (overlapped cycles), 121 of layer 0's 256 RAMs */
            if (u->ram_blocks && u->ram_blocks <= left && !strncmp(u->inst, "l", 1) && strstr(u->inst, "_act") &&
                (uint64_t)u->ram_luts * 1024 >= (uint64_t)d->block_bits * u->ram_blocks) {
                uint32_t n = left / u->ram_blocks;
                u->nblock = n < u->rams ? n : u->rams;
                left -= u->nblock * u->ram_blocks;
            }
        }
    }
}

bool rtl_mem_plan(const sg_rtl *r, sg_rtl_memmap *mm)
{
    memset(mm, 0, sizeof *mm);
    mm->dev = rtl_device(r->target);
    if (!mm->dev) return false;
    const sg_rtl_device *d = mm->dev;
    bool tr = r->spec->mode == SG_MODE_TRAIN;
    int J = r->spec->J;
    uint32_t W = (uint32_t)r->spec->width;
    for (int j = 1; j <= J; j++) {
        const sg_plan_junction *q = &r->plan->j[j - 1];
        sg_rtl_junction hp;
        rtl_junction_params(r, j, &hp);
        int h = j - 1;
        uint32_t copies = sg_act_copies(J, h, hp.gap, tr);
        sg_rtl_memunit *u = new_unit(mm, "l%d_act", h);
        if (h == 0 && sg_l0_paired(tr, hp.gap, q->P, r->plan->cycle_clocks)) {
            /* both read copies in one RAM per bank, two values wide, a write enable per value */
            uint32_t bl = blocks_lanes(d, copies * q->P, 2, q->a_bits);
            add_part(u, d, "activations (FF and UP copy paired)", q->z, copies * q->P, 2 * q->a_bits);
            u->blocks += q->z * bl - q->z * rtl_mem_blocks(d, copies * q->P, 2 * q->a_bits);
            u->ram_blocks = bl;
            u->ram_luts = rtl_mem_luts(d, copies * q->P, 2 * q->a_bits);
        } else {
            add_part(u, d, "activations", q->z * (tr ? 2u : 1u), copies * q->P, q->a_bits);
            u->ram_blocks = rtl_mem_blocks(d, copies * q->P, q->a_bits);
            u->ram_luts = rtl_mem_luts(d, copies * q->P, q->a_bits);
        }
        if (tr && h >= 1) {
            u = new_unit(mm, "l%d_delta", h);
            add_part(u, d, "deltas", sg_delta_copies(hp.gap) * q->z, q->P, q->bp_acc_width);
        }
    }
    for (int j = 1; j <= J; j++) {
        const sg_plan_junction *q = &r->plan->j[j - 1];
        sg_rtl_junction hp;
        rtl_junction_params(r, j, &hp);
        uint32_t rrows = q->n / q->q;
        sg_rtl_memunit *u = new_unit(mm, "j%d", j);
        add_part_lanes(u, d, "weights", q->C, q->z, W);
        add_part_lanes(u, d, "biases", rrows, q->q, W);
        if (tr && j == J) add_part(u, d, "output deltas", 1, hp.ocopies * rrows, q->q * W);
        else if (tr)
            add_part(u, d, "derivatives", 1, hp.dcopies * rrows,
                     q->q * (r->spec->act[j - 1] == SG_ACT_RELU ? 1u : W));
    }
    /* ROMs: sg_rom puts tables of >= 128 words in block RAM (one ROM per sigmoid bank; one ROM z lanes wide for
     * the pattern tables) */
    for (int i = 0; i < r->plan->n_roms; i++) {
        const sg_mem *m = &r->plan->roms[i];
        if (m->depth < 128) continue;
        bool sig = !strcmp(m->what, "sigmoid table");
        uint32_t n = sig ? m->banks : 1, width = sig ? m->width : m->banks * m->width;
        mm->rom_blocks += n * rtl_mem_blocks(d, m->depth, width);
        mm->rom_bits += (uint64_t)n * m->depth * width;
        mm->roms += n;
    }
    decide(mm);
    return true;
}

uint32_t rtl_mem_nblock(const sg_rtl *r, const sg_rtl_memmap *mm, const char *inst)
{
    if (r->ram_style != SG_RAM_AUTO) return 0;
    for (int i = 0; i < mm->n; i++)
        if (!strcmp(mm->units[i].inst, inst)) return mm->units[i].nblock;
    return 0;
}

int rtl_mem_style(const sg_rtl *r, const sg_rtl_memmap *mm, const char *inst)
{
    if (r->ram_style != SG_RAM_AUTO) return r->ram_style;
    for (int i = 0; i < mm->n; i++)
        if (!strcmp(mm->units[i].inst, inst)) return mm->units[i].style;
    return 1;
}

void rtl_write_memmap(FILE *f, const sg_rtl *r, const sg_rtl_memmap *mm)
{
    static const char *sname[] = { "none", "block", "distributed" };
    const sg_rtl_device *d = mm->dev;
    fprintf(f, "# memory mapping of %s for %s (%s: %u blocks of %u bits, %u LUTs); ram-style %s\n", r->spec->name,
            d->name, d->device, d->blocks, d->block_bits, d->luts,
            r->ram_style == SG_RAM_AUTO ? "auto" : sname[r->ram_style]);
    fprintf(f, "# estimated: blocks if in block RAM, luts if in distributed RAM (docs/hardware.md, Memory mapping)\n");
    fprintf(f, "%-10s %-12s %6s %6s %6s %10s %7s %7s %5s %s\n", "instance", "style", "rams", "depth", "width", "bits",
            "blocks", "luts", "rank", "parts");
    uint64_t bits[3] = { 0 }, rams[3] = { 0 }, blocks = 0, luts = 0;
    for (int i = 0; i < mm->n; i++) {
        const sg_rtl_memunit *u = &mm->units[i];
        int s = rtl_mem_style(r, mm, u->inst);
        uint32_t nb = s == 2 ? rtl_mem_nblock(r, mm, u->inst) : 0;
        uint64_t bits_one = u->rams ? u->bits / u->rams : 0;
        bits[s] += u->bits - nb * bits_one;
        rams[s] += u->rams - nb;
        bits[1] += nb * bits_one;
        rams[1] += nb;
        if (s == 1) blocks += u->blocks;
        else {
            luts += u->luts - nb * u->ram_luts;
            blocks += nb * u->ram_blocks;
        }
        fprintf(f, "%-10s %-12s %6u %6u %6u %10llu %7u %7u %5d", u->inst, nb ? "mixed" : sname[s], u->rams,
                u->parts[0].depth, u->parts[0].width, (unsigned long long)u->bits, u->blocks, u->luts, u->rank);
        for (int p = 0; p < u->nparts; p++)
            fprintf(f, "%s%s %ux%ux%u", p ? ", " : " ", u->parts[p].what, u->parts[p].count, u->parts[p].depth,
                    u->parts[p].width);
        if (nb) fprintf(f, "; RAMs 0 .. %u in block RAM, the other %u distributed", nb - 1, u->rams - nb);
        fprintf(f, "\n");
    }
    fprintf(f, "summary block_rams %llu block_bits %llu distributed_rams %llu distributed_bits %llu "
               "block_roms %u block_rom_bits %llu est_blocks %llu est_lutram_luts %llu\n",
            (unsigned long long)rams[1], (unsigned long long)bits[1], (unsigned long long)rams[2],
            (unsigned long long)bits[2], mm->roms, (unsigned long long)mm->rom_bits,
            (unsigned long long)(blocks + mm->rom_blocks), (unsigned long long)luts);
}
