/* plan.c: the hardware plan of a valid spec (sizes, clocks, multipliers, memories), its text and JSON forms.
 * docs/spec.md "What `check` reports" gives every formula used here. */
#include <jansson.h>
#include <string.h>

#include "../verify/fixed.h"
#include "plan.h"

/* Smallest k with 2^k >= x (0 for x <= 1). */

/* bp: the junction back-propagates (training, j >= 2); without overlapped cycles its delta writes set a floor
 * (SG_LAT_BP, gen/plan.h) */
static uint32_t latency_of(uint32_t z, uint32_t din, bool bp, bool overlap)
{
    uint32_t lat = SG_LAT_BASE + ceil_log2(z < din ? z : din);
    return bp && !overlap && lat < SG_LAT_BP ? SG_LAT_BP : lat;
}

/* Clocks one junction needs per junction cycle (docs/schedule.md): C + latency when cycles do not overlap (its last
 * write lands before the next cycle starts); overlapped, max(C, latency + 1): the C edge clocks, and a weight row
 * read at clock c is written back at c + latency at the latest, which must come before its next read at
 * c + cycle_clocks. */
static uint32_t junction_clocks(uint32_t C, uint32_t latency, bool overlap)
{
    if (!overlap) return C + latency;
    return C > latency + 1 ? C : latency + 1;
}

/* The input beats of a sample (P_1 of them, one per clock from the cycle's first clock) must end before the cycle's
 * last clock: in that clock the controller decides the next cycle's start from the input FIFO's head, which must
 * then be the next sample's first beat (with its label, shift and update), not this sample's last. So a cycle is at
 * least P_1 + 1 clocks; only overlapped cycles can be shorter otherwise (junction 1 with fan-out 1: C_1 = P_1; found
 * by make test-rtl's ov_unpaired: the label of the previous sample went into the next slot). */
static uint32_t input_clocks(uint32_t P1) { return P1 + 1; }

static void fill_mem(sg_mem *m, const char *what, int layer, bool per_junction, uint32_t banks, uint32_t depth,
                     uint32_t width, uint32_t copies, uint32_t ports)
{
    m->what = what;
    m->layer = layer;
    m->per_junction = per_junction;
    m->banks = banks;
    m->depth = depth;
    m->width = width;
    m->copies = copies;
    m->ports = ports;
    m->bits = (uint64_t)banks * depth * width * copies * ports;
}

static void add_mem(sg_plan *pl, const char *what, int layer, bool per_junction, uint32_t banks, uint32_t depth,
                    uint32_t width, uint32_t copies, uint32_t ports)
{
    sg_mem *m = &pl->mems[pl->n_mems++];
    fill_mem(m, what, layer, per_junction, banks, depth, width, copies, ports);
    pl->memory_bits += m->bits;
}

/* ROMs: banks x depth x width, one copy, one port. */
static void add_rom(sg_plan *pl, const char *what, int j, uint32_t banks, uint32_t depth, uint32_t width)
{
    sg_mem *m = &pl->roms[pl->n_roms++];
    fill_mem(m, what, j, true, banks, depth, width, 1, 1);
    pl->rom_bits += m->bits;
}

/* Unbalanced junctions: for each junction the smallest z that the spec rules allow (including the layer-to-layer
 * bandwidth q_{j-1} <= z_j) with C_j <= max C. Writes the suggestion to zs and returns true when it differs from
 * the spec's z. */
static bool balanced_z(const sg_plan *pl, uint32_t *zs)
{
    uint32_t maxC = 0;
    for (int j = 0; j < pl->J; j++)
        if (pl->j[j].C > maxC) maxC = pl->j[j].C;
    bool differs = false;
    uint32_t q_prev = 1;
    for (int j = 0; j < pl->J; j++) {
        const sg_plan_junction *pj = &pl->j[j];
        uint32_t lo = (uint32_t)((pj->W + (uint64_t)maxC - 1) / maxC); /* C = W / z <= maxC */
        if (lo < q_prev) lo = q_prev;
        uint32_t z = spec_smallest_z(pj->p, pj->din, lo);
        if (!z || z > pj->z) z = pj->z; /* cannot happen: the spec's own z qualifies */
        zs[j] = z;
        if (z != pj->z) differs = true;
        q_prev = z > pj->din ? z / pj->din : 1;
    }
    return differs;
}

static void list_u32(char *buf, size_t size, const uint32_t *v, int n)
{
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < n && o < size; i++) o += (size_t)snprintf(buf + o, size - o, "%s%u", i ? ", " : "", v[i]);
}

static void warn_unbalanced(const sg_plan *pl, sg_diag *d)
{
    uint32_t zs[SG_MAX_J], Cs[SG_MAX_J], Cn[SG_MAX_J];
    bool equal = true;
    for (int j = 0; j < pl->J; j++) {
        Cs[j] = pl->j[j].C;
        if (Cs[j] != Cs[0]) equal = false;
    }
    if (equal || !balanced_z(pl, zs)) return;
    uint64_t zsum = 0;
    uint32_t cycle = 0;
    for (int j = 0; j < pl->J; j++) {
        Cn[j] = pl->j[j].W / zs[j];
        uint32_t c = junction_clocks(Cn[j],
                                     latency_of(zs[j], pl->j[j].din,
                                                pl->spec->mode == SG_MODE_TRAIN && j >= 1, pl->spec->overlap),
                                     pl->spec->overlap);
        if (c > cycle) cycle = c;
        zsum += zs[j];
    }
    if (cycle < input_clocks(pl->j[0].p / zs[0])) cycle = input_clocks(pl->j[0].p / zs[0]);
    double util = (double)pl->edges / ((double)zsum * cycle);
    char c_now[200], z_new[200], c_new[200];
    list_u32(c_now, sizeof c_now, Cs, pl->J);
    list_u32(z_new, sizeof z_new, zs, pl->J);
    list_u32(c_new, sizeof c_new, Cn, pl->J);
    diag_warning(d, pl->spec->at.z,
                 "unbalanced junctions: C = [%s] clocks, utilisation %.1f %%; z: [%s] gives C = [%s], %u clocks per junction cycle (now %u) and utilisation %.1f %%",
                 c_now, 100.0 * pl->utilisation, z_new, c_new, cycle, pl->cycle_clocks, 100.0 * util);
}

void plan_assign_dsp(sg_plan *pl, int64_t budget)
{
    /* classes of products: (junction, phase 0 FF / 1 BP / 2 UP / 3 other, count, width) */
    struct cls { int j, ph; uint32_t n, width; } c[4 * SG_MAX_J];
    int nc = 0;
    uint32_t w = (uint32_t)pl->spec->width;
    for (int j = 1; j <= pl->J; j++) {
        sg_plan_junction *pj = &pl->j[j - 1];
        uint32_t aw = w + pj->a_bits + 1;
        struct cls k[4] = { { j, 0, pj->mul_ff, aw }, { j, 1, pj->mul_bp, 2 * w }, { j, 2, pj->mul_up, aw },
                            { j, 3, pj->mul_other, 2 * w } };
        for (int i = 0; i < 4; i++)
            if (k[i].n) c[nc++] = k[i];
        pj->dsp_ff = pj->dsp_bp = pj->dsp_up = pj->dsp_other = 0;
    }
    /* stable insertion sort: widest first, ties in (junction, phase) order */
    for (int i = 1; i < nc; i++) {
        struct cls x = c[i];
        int k = i - 1;
        while (k >= 0 && c[k].width < x.width) {
            c[k + 1] = c[k];
            k--;
        }
        c[k + 1] = x;
    }
    uint64_t left = budget < 0 ? UINT64_MAX : (uint64_t)budget;
    pl->dsp_budget = budget < 0 ? -1 : budget;
    pl->multipliers_dsp = 0;
    for (int i = 0; i < nc; i++) {
        uint32_t n = left < c[i].n ? (uint32_t)left : c[i].n;
        sg_plan_junction *pj = &pl->j[c[i].j - 1];
        uint32_t *dst[4] = { &pj->dsp_ff, &pj->dsp_bp, &pj->dsp_up, &pj->dsp_other };
        *dst[c[i].ph] = n;
        left -= n;
        pl->multipliers_dsp += n;
    }
    pl->multipliers_logic = pl->multipliers - pl->multipliers_dsp;
}

bool plan_build(const sg_spec *s, sg_plan *pl, sg_diag *d)
{
    memset(pl, 0, sizeof *pl);
    pl->spec = s;
    pl->J = s->J;
    pl->gap = sg_gap(s);
    int J = s->J;
    const uint32_t g = pl->gap;
    bool train = s->mode == SG_MODE_TRAIN;
    uint32_t w = (uint32_t)s->width;
    uint64_t zsum = 0, pn = 0;
    for (int j = 1; j <= J; j++) {
        sg_plan_junction *pj = &pl->j[j - 1];
        pj->p = spec_p(s, j);
        pj->n = spec_n(s, j);
        pj->dout = s->fanout[j - 1];
        pj->W = spec_W(s, j);
        pj->din = spec_din(s, j);
        pj->z = s->z[j - 1];
        pj->P = pj->p / pj->z;
        pj->C = pj->W / pj->z;
        pj->q = pj->z > pj->din ? pj->z / pj->din : 1;
        pj->clocks_per_neuron = pj->din > pj->z ? pj->din / pj->z : 1;
        pj->latency = latency_of(pj->z, pj->din, train && j >= 2, s->overlap);
        pj->density = (double)pj->dout / pj->n;
        pj->mul_ff = pj->z;
        pj->mul_bp = train && j >= 2 ? pj->z : 0;
        pj->mul_up = train ? pj->z : 0;
        /* The derivative of layer j when it is written, and the delta scaling mul(a', sat(g)) when junction j reads
         * its right deltas: q each per clock, sigmoid only (relu: a bit and a mux). Junction J: delta = a - y. */
        pj->mul_other = train && j < J && s->act[j - 1] == SG_ACT_SIGMOID ? 2 * pj->q : 0;
        /* the left activation's real range (docs/arithmetic.md sections 3, 5): a = rnd(x 2^F, B) of a B-bit input is
         * x 2^(F-B) when B <= F, else in [0, ONE]; a sigmoid is in [0, ONE], a relu in [0, MAX] */
        if (j == 1 && s->input_bits <= s->frac) {
            pj->a_bits = (uint32_t)s->input_bits;
            pj->a_shift = (uint32_t)(s->frac - s->input_bits);
        } else if (j == 1 || s->act[j - 2] == SG_ACT_SIGMOID) {
            pj->a_bits = (uint32_t)s->frac + 1;
            pj->a_shift = 0;
        } else {
            pj->a_bits = w - 1;
            pj->a_shift = 0;
        }
        pj->ff_acc_width = w + ceil_log2((uint64_t)pj->din + 1);
        pj->bp_acc_width = w + ceil_log2((uint64_t)pj->dout + 1);
        uint32_t clocks = junction_clocks(pj->C, pj->latency, s->overlap);
        if (clocks > pl->cycle_clocks) pl->cycle_clocks = clocks;
        pl->edges += pj->W;
        pl->params += (uint64_t)pj->W + pj->n;
        pl->multipliers += pj->mul_ff + pj->mul_bp + pj->mul_up + pj->mul_other;
        zsum += pj->z;
        pn += (uint64_t)pj->p * pj->n;
    }
    if (pl->cycle_clocks < input_clocks(pl->j[0].P)) pl->cycle_clocks = input_clocks(pl->j[0].P);
    plan_assign_dsp(pl, -1);
    pl->clocks_per_train_sample = train ? pl->cycle_clocks : 0;
    pl->clocks_per_infer_sample = pl->cycle_clocks;
    pl->train_latency_cycles = train ? 2u * g * (uint32_t)J + 1u : 0;
    pl->infer_latency_cycles = g * (uint32_t)J;
    pl->delta_rmw_distance = SG_DELTA_RMW_DISTANCE;
    pl->rmw_applies = train && J >= 2;
    pl->rmw_checked = false;
    pl->rmw_achieved = UINT32_MAX;
    pl->density = (double)pl->edges / (double)pn;
    pl->utilisation = (double)pl->edges / ((double)zsum * pl->cycle_clocks);

    /* RAMs: docs/schedule.md "Storage this implies", organised as the templates build them (docs/hardware.md §4):
     * the activations of layer h in sg_layer_mem (z_{h+1} banks, one physical RAM per read port, only the a_bits
     * bits an activation can have set), the derivatives of
     * layer h inside junction h (q_h banks x n_h / q_h rows, the writer's natural order), the delta sums in
     * sg_delta_mem (g + 1 RAMs per bank: ping-pong, three with overlapped cycles), output deltas, weights and biases
     * inside the junctions (one bias read serves FF and UP). Copies: gen/plan.h sg_act_copies, sg_deriv_copies,
     * sg_delta_copies. */
    for (int h = 0; h < J; h++) {
        const sg_plan_junction *pj = &pl->j[h]; /* junction h + 1 reads layer h */
        if (train) {
            add_mem(pl, "activations", h, false, pj->z, pj->P, pj->a_bits, sg_act_copies(J, h, g, true), 2);
            if (h >= 1) {
                const sg_plan_junction *ph = &pl->j[h - 1]; /* junction h writes layer h */
                uint32_t dw = s->act[h - 1] == SG_ACT_RELU ? 1 : w;
                add_mem(pl, "derivatives", h, false, ph->q, ph->n / ph->q, dw, sg_deriv_copies(J, h, g), 1);
                add_mem(pl, "deltas", h, false, pj->z, pj->P, pj->bp_acc_width, sg_delta_copies(g), 1);
            }
        } else {
            add_mem(pl, "activations", h, false, pj->z, pj->P, pj->a_bits, sg_act_copies(J, h, g, false), 1);
        }
    }
    if (train) {
        const sg_plan_junction *pj = &pl->j[J - 1];
        add_mem(pl, "output deltas", J, false, pj->q, pj->n / pj->q, w, sg_delta_copies(g), 1);
    }
    for (int j = 1; j <= J; j++) {
        const sg_plan_junction *pj = &pl->j[j - 1];
        add_mem(pl, "weights", j, true, pj->z, pj->C, w, 1, 1);
        add_mem(pl, "biases", j, true, pj->q, pj->n / pj->q, w, 1, 1);
    }
    /* ROMs (sg_rom in sg_junction): the pattern tables, per bank m the row it reads (RB = max(1, ceil(log2 P))
     * bits): type2/type3 one start row per sweep (d_out words), type1 one row per clock (C words); with memory
     * dither (z > 1) the bank permutation (d_out words of z bank numbers) and, where the junction back-propagates
     * (j >= 2, train: it routes the BP contributions), its inverse; and one sigmoid table (2^T words of w bits) per
     * neuron group of a sigmoid junction (q per junction). */
    sg_sigmoid sig;
    sg_fmt fmt = fx_fmt(s->width, s->frac);
    fx_sigmoid_init(&sig, &fmt);
    for (int j = 1; j <= J; j++) {
        const sg_plan_junction *pj = &pl->j[j - 1];
        uint32_t rb = pj->P > 1 ? ceil_log2(pj->P) : 1, lb = pj->z > 1 ? ceil_log2(pj->z) : 1;
        if (s->family == SG_FAM_TYPE1)
            add_rom(pl, "row table", j, pj->z, pj->C, rb);
        else
            add_rom(pl, "start rows", j, pj->z, pj->dout, rb);
        if (s->memory_dither && pj->z > 1) {
            add_rom(pl, "bank permutation", j, pj->z, pj->dout, lb);
            if (train && j >= 2) add_rom(pl, "inverse bank permutation", j, pj->z, pj->dout, lb);
        }
        if (s->act[j - 1] == SG_ACT_SIGMOID) add_rom(pl, "sigmoid table", j, pj->q, (uint32_t)1 << sig.T, w);
    }
    fx_sigmoid_free(&sig);
    if (pl->memory_bits > (1ull << 40)) {
        diag_error(d, s->at.layers, "the network needs %llu bits of memory; at most 2^40 are supported",
                   (unsigned long long)pl->memory_bits);
        return false;
    }
    warn_unbalanced(pl, d);
    return true;
}

/* ---- text ---------------------------------------------------------------------------------------------- */

static void layers_text(const sg_spec *s, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i <= s->J && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%u", i ? "-" : "", s->layers[i]);
}

void plan_print_text(const sg_plan *pl, FILE *out)
{
    const sg_spec *s = pl->spec;
    bool train = s->mode == SG_MODE_TRAIN;
    char layers[400];
    layers_text(s, layers, sizeof layers);
    fprintf(out, "%s: %s, mode %s, %d-bit values (%d fraction bits), spec hash %016llx\n\n", s->name, layers,
            train ? "train" : "infer", s->width, s->frac, (unsigned long long)s->hash);

    fprintf(out, "Junctions (C = W/z edge clocks; clocks = %s; multipliers per phase)\n",
            s->overlap ? "max(C, latency + 1)" : "C + latency");
    fprintf(out, "  %2s %8s %8s %6s %6s %10s %8s %7s %6s %9s %4s %7s %7s %9s %7s %7s %7s %5s\n", "j", "p", "n", "d_out",
            "d_in", "W", "density", "z", "P", "C", "q", "clk/nrn", "latency", "clocks", "mul FF", "BP", "UP", "other");
    for (int j = 0; j < pl->J; j++) {
        const sg_plan_junction *pj = &pl->j[j];
        fprintf(out, "  %2d %8u %8u %6u %6u %10u %6.2f %% %7u %6u %9u %4u %7u %7u %9u %7u %7u %7u %5u\n", j + 1, pj->p,
                pj->n, pj->dout, pj->din, pj->W, 100.0 * pj->density, pj->z, pj->P, pj->C, pj->q,
                pj->clocks_per_neuron, pj->latency, junction_clocks(pj->C, pj->latency, s->overlap), pj->mul_ff,
                pj->mul_bp, pj->mul_up, pj->mul_other);
    }

    fprintf(out, "\nRAMs (bits = banks x depth x width x copies x ports)\n");
    fprintf(out, "  %-14s %-11s %7s   %7s   %5s   %6s   %5s %14s\n", "what", "of", "banks", "depth", "width", "copies",
            "ports", "bits");
    for (int i = 0; i < pl->n_mems; i++) {
        const sg_mem *m = &pl->mems[i];
        char of[32];
        snprintf(of, sizeof of, "%s %d", m->per_junction ? "junction" : "layer", m->layer);
        fprintf(out, "  %-14s %-11s %7u x %7u x %5u x %6u x %5u %14llu\n", m->what, of, m->banks, m->depth, m->width,
                m->copies, m->ports, (unsigned long long)m->bits);
    }
    fprintf(out, "  %-14s %-11s %56llu\n", "total", "", (unsigned long long)pl->memory_bits);

    fprintf(out, "\nROMs (bits = banks x depth x width; contents written by the generator)\n");
    fprintf(out, "  %-24s %-11s %7s   %7s   %5s %14s\n", "what", "of", "banks", "depth", "width", "bits");
    for (int i = 0; i < pl->n_roms; i++) {
        const sg_mem *m = &pl->roms[i];
        char of[32];
        snprintf(of, sizeof of, "junction %d", m->layer);
        fprintf(out, "  %-24s %-11s %7u x %7u x %5u %14llu\n", m->what, of, m->banks, m->depth, m->width,
                (unsigned long long)m->bits);
    }
    fprintf(out, "  %-24s %-11s %36llu\n", "total", "", (unsigned long long)pl->rom_bits);

    uint64_t pn = 0, mff = 0, mbp = 0, mup = 0, mot = 0;
    for (int j = 0; j < pl->J; j++) {
        pn += (uint64_t)pl->j[j].p * pl->j[j].n;
        mff += pl->j[j].mul_ff;
        mbp += pl->j[j].mul_bp;
        mup += pl->j[j].mul_up;
        mot += pl->j[j].mul_other;
    }
    fprintf(out, "\nTotals\n");
    fprintf(out, "  %-30s %.2f %% (%llu of %llu possible edges)\n", "density", 100.0 * pl->density,
            (unsigned long long)pl->edges, (unsigned long long)pn);
    fprintf(out, "  %-30s %llu (%llu weights, %llu biases)\n", "parameters", (unsigned long long)pl->params,
            (unsigned long long)pl->edges, (unsigned long long)(pl->params - pl->edges));
    fprintf(out, "  %-30s %llu bits (%.1f KiB)\n", "RAM", (unsigned long long)pl->memory_bits,
            (double)pl->memory_bits / 8192.0);
    fprintf(out, "  %-30s %llu bits (%.1f KiB)\n", "ROM", (unsigned long long)pl->rom_bits,
            (double)pl->rom_bits / 8192.0);
    fprintf(out, "  %-30s %u (FF %llu, BP %llu, UP %llu, other %llu)\n", "multipliers", pl->multipliers,
            (unsigned long long)mff, (unsigned long long)mbp, (unsigned long long)mup, (unsigned long long)mot);
    if (pl->dsp_budget < 0)
        fprintf(out, "  %-30s %u on DSP blocks, %u in logic (no DSP budget)\n", "multipliers on DSP / logic",
                pl->multipliers_dsp, pl->multipliers_logic);
    else
        fprintf(out, "  %-30s %u on DSP blocks, %u in logic (budget %lld DSP blocks, widest products first)\n",
                "multipliers on DSP / logic", pl->multipliers_dsp, pl->multipliers_logic, (long long)pl->dsp_budget);
    if (s->overlap)
        fprintf(out, "  %-30s overlapped (hand-over %u cycles)\n", "junction cycles", pl->gap);
    else
        fprintf(out, "  %-30s not overlapped (hand-over %u cycle)\n", "junction cycles", pl->gap);
    fprintf(out, "  %-30s %u (max over junctions of %s, and at least input beats + 1)\n", "clocks per junction cycle",
            pl->cycle_clocks, s->overlap ? "max(C, latency + 1)" : "C + latency");
    if (train)
        fprintf(out, "  %-30s %u (steady state)\n", "clocks per training sample", pl->clocks_per_train_sample);
    else
        fprintf(out, "  %-30s n/a (mode infer)\n", "clocks per training sample");
    fprintf(out, "  %-30s %u (steady state)\n", "clocks per inference sample", pl->clocks_per_infer_sample);
    if (train)
        fprintf(out, "  %-30s %u junction cycles per training sample (%s); predictions after %u\n",
                "pipeline latency", pl->train_latency_cycles, s->overlap ? "4J + 1" : "2J + 1",
                pl->infer_latency_cycles);
    else
        fprintf(out, "  %-30s %u junction cycles to a prediction (%s)\n", "pipeline latency",
                pl->infer_latency_cycles, s->overlap ? "2J" : "J");
    if (!pl->rmw_applies)
        fprintf(out, "  %-30s required %u; does not apply (%s)\n", "delta RMW distance", pl->delta_rmw_distance,
                train ? "J = 1: no back-propagation" : "mode infer");
    else if (!pl->rmw_checked)
        fprintf(out, "  %-30s required %u; patterns not checked\n", "delta RMW distance", pl->delta_rmw_distance);
    else if (pl->rmw_achieved == UINT32_MAX)
        fprintf(out, "  %-30s required %u; achieved: no delta row is revisited\n", "delta RMW distance",
                pl->delta_rmw_distance);
    else
        fprintf(out, "  %-30s required %u; shortest achieved %u clock%s\n", "delta RMW distance",
                pl->delta_rmw_distance, pl->rmw_achieved, pl->rmw_achieved == 1 ? "" : "s");
    fprintf(out, "  %-30s %.2f %% (edges / (sum of z x clocks per junction cycle))\n", "utilisation",
            100.0 * pl->utilisation);
}

/* ---- JSON ---------------------------------------------------------------------------------------------- */

static void set(json_t *o, const char *k, json_t *v) { json_object_set_new(o, k, v); }
static json_t *jint(uint64_t v) { return json_integer((json_int_t)v); }

json_t *plan_to_json(const sg_plan *pl)
{
    const sg_spec *s = pl->spec;
    bool train = s->mode == SG_MODE_TRAIN;
    char hash[32];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)s->hash);
    json_t *o = json_object();
    set(o, "generator", json_string("sparsegen " SG_VERSION));
    set(o, "name", json_string(s->name));
    set(o, "spec_hash", json_string(hash));
    set(o, "mode", json_string(train ? "train" : "infer"));
    set(o, "overlap", json_boolean(s->overlap));
    set(o, "gap", jint(pl->gap));
    json_t *fmt = json_object();
    set(fmt, "width", jint((uint64_t)s->width));
    set(fmt, "frac", jint((uint64_t)s->frac));
    set(o, "format", fmt);
    json_t *layers = json_array();
    for (int i = 0; i <= s->J; i++) json_array_append_new(layers, jint(s->layers[i]));
    set(o, "layers", layers);

    json_t *js = json_array();
    for (int j = 0; j < pl->J; j++) {
        const sg_plan_junction *pj = &pl->j[j];
        json_t *x = json_object();
        set(x, "j", jint((uint64_t)j + 1));
        set(x, "p", jint(pj->p));
        set(x, "n", jint(pj->n));
        set(x, "d_out", jint(pj->dout));
        set(x, "d_in", jint(pj->din));
        set(x, "W", jint(pj->W));
        set(x, "density", json_real(pj->density));
        set(x, "z", jint(pj->z));
        set(x, "P", jint(pj->P));
        set(x, "C", jint(pj->C));
        set(x, "q", jint(pj->q));
        set(x, "clocks_per_neuron", jint(pj->clocks_per_neuron));
        set(x, "latency", jint(pj->latency));
        set(x, "clocks", jint(junction_clocks(pj->C, pj->latency, s->overlap)));
        json_t *mul = json_object();
        set(mul, "ff", jint(pj->mul_ff));
        set(mul, "bp", jint(pj->mul_bp));
        set(mul, "up", jint(pj->mul_up));
        set(mul, "other", jint(pj->mul_other));
        set(mul, "dsp_ff", jint(pj->dsp_ff));
        set(mul, "dsp_bp", jint(pj->dsp_bp));
        set(mul, "dsp_up", jint(pj->dsp_up));
        set(mul, "dsp_other", jint(pj->dsp_other));
        set(mul, "activation_operand_bits", jint(pj->a_bits));
        set(mul, "activation_operand_shift", jint(pj->a_shift));
        set(x, "multipliers", mul);
        set(x, "ff_acc_width", jint(pj->ff_acc_width));
        set(x, "bp_acc_width", jint(pj->bp_acc_width));
        set(x, "activation", json_string(spec_act_name(s->act[j])));
        json_array_append_new(js, x);
    }
    set(o, "junctions", js);

    json_t *ms = json_array();
    for (int i = 0; i < pl->n_mems; i++) {
        const sg_mem *m = &pl->mems[i];
        json_t *x = json_object();
        set(x, "what", json_string(m->what));
        set(x, m->per_junction ? "junction" : "layer", jint((uint64_t)m->layer));
        set(x, "banks", jint(m->banks));
        set(x, "depth", jint(m->depth));
        set(x, "width", jint(m->width));
        set(x, "copies", jint(m->copies));
        set(x, "ports", jint(m->ports));
        set(x, "bits", jint(m->bits));
        json_array_append_new(ms, x);
    }
    set(o, "memories", ms);
    json_t *rs = json_array();
    for (int i = 0; i < pl->n_roms; i++) {
        const sg_mem *m = &pl->roms[i];
        json_t *x = json_object();
        set(x, "what", json_string(m->what));
        set(x, "junction", jint((uint64_t)m->layer));
        set(x, "banks", jint(m->banks));
        set(x, "depth", jint(m->depth));
        set(x, "width", jint(m->width));
        set(x, "bits", jint(m->bits));
        json_array_append_new(rs, x);
    }
    set(o, "roms", rs);

    json_t *t = json_object();
    set(t, "edges", jint(pl->edges));
    set(t, "params", jint(pl->params));
    set(t, "density", json_real(pl->density));
    set(t, "memory_bits", jint(pl->memory_bits));
    set(t, "memory_kib", json_real((double)pl->memory_bits / 8192.0));
    set(t, "rom_bits", jint(pl->rom_bits));
    set(t, "rom_kib", json_real((double)pl->rom_bits / 8192.0));
    set(t, "multipliers", jint(pl->multipliers));
    set(t, "dsp_budget", pl->dsp_budget < 0 ? json_null() : jint((uint64_t)pl->dsp_budget));
    set(t, "multipliers_dsp", jint(pl->multipliers_dsp));
    set(t, "multipliers_logic", jint(pl->multipliers_logic));
    set(t, "cycle_clocks", jint(pl->cycle_clocks));
    set(t, "clocks_per_train_sample", train ? jint(pl->clocks_per_train_sample) : json_null());
    set(t, "clocks_per_infer_sample", jint(pl->clocks_per_infer_sample));
    set(t, "train_latency_cycles", train ? jint(pl->train_latency_cycles) : json_null());
    set(t, "infer_latency_cycles", jint(pl->infer_latency_cycles));
    json_t *rmw = json_object();
    set(rmw, "required", jint(pl->delta_rmw_distance));
    set(rmw, "applies", json_boolean(pl->rmw_applies));
    set(rmw, "checked", json_boolean(pl->rmw_checked));
    set(rmw, "achieved", pl->rmw_applies && pl->rmw_checked && pl->rmw_achieved != UINT32_MAX
                             ? jint(pl->rmw_achieved)
                             : json_null());
    set(t, "delta_rmw_distance", rmw);
    set(t, "utilisation", json_real(pl->utilisation));
    set(o, "totals", t);
    return o;
}
