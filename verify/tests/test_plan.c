/* test_plan.c: the hardware plan (gen/plan.c): exact numbers for the anchor's board network and for a small network
 * computed by hand (in the comments), the memory list, infer mode, the unbalanced-junction warning, the text and
 * JSON forms. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../gen/plan.h"

/* Parses a spec and builds its plan; *msgs receives every diagnostic (caller frees). */
static void build(const char *yaml, sg_spec *s, sg_plan *pl, char **msgs)
{
    size_t n;
    FILE *f = open_memstream(msgs, &n);
    ck_assert_ptr_nonnull(f);
    sg_diag d;
    diag_init(&d, "t.yaml");
    d.out = f;
    bool ok = spec_parse("t.yaml", yaml, strlen(yaml), s, &d);
    fflush(f);
    ck_assert_msg(ok, "spec rejected: %s", *msgs);
    ck_assert(plan_build(s, pl, &d));
    fclose(f);
}

static void check_mem(const sg_mem *m, const char *what, int layer, uint32_t banks, uint32_t depth, uint32_t width,
                      uint32_t copies, uint32_t ports, uint64_t bits)
{
    ck_assert_str_eq(m->what, what);
    ck_assert(m->per_junction == (!strcmp(what, "weights") || !strcmp(what, "biases")));
    ck_assert_int_eq(m->layer, layer);
    ck_assert_uint_eq(m->banks, banks);
    ck_assert_uint_eq(m->depth, depth);
    ck_assert_uint_eq(m->width, width);
    ck_assert_uint_eq(m->copies, copies);
    ck_assert_uint_eq(m->ports, ports);
    ck_assert_uint_eq(m->bits, bits);
}

/* A ROM: banks x depth x width, one copy, one port, always per junction. */
static void check_rom(const sg_mem *m, const char *what, int j, uint32_t banks, uint32_t depth, uint32_t width,
                      uint64_t bits)
{
    ck_assert_str_eq(m->what, what);
    ck_assert(m->per_junction);
    ck_assert_int_eq(m->layer, j);
    ck_assert_uint_eq(m->banks, banks);
    ck_assert_uint_eq(m->depth, depth);
    ck_assert_uint_eq(m->width, width);
    ck_assert_uint_eq(m->copies, 1);
    ck_assert_uint_eq(m->ports, 1);
    ck_assert_uint_eq(m->bits, bits);
}

/* The anchor's board network (architecture.md §7): 1024-64-32, d_out (4, 16), z (128, 32), 10-bit. */
static const char *anchor = "name: anchor\nlayers: [1024, 64, 32]\nfanout: [4, 16]\nz: [128, 32]\n"
                            "format: {width: 10, frac: 7}\ninput: {features: 784}\nclasses: 10\n";

START_TEST(test_anchor)
{
    sg_spec s;
    sg_plan pl;
    char *msgs;
    build(anchor, &s, &pl, &msgs);
    ck_assert_str_eq(msgs, ""); /* C = 32 in both junctions: balanced, no warning */
    free(msgs);
    ck_assert_int_eq(pl.J, 2);
    /* Junction 1: p 1024, n 64, d_out 4, d_in 1024*4/64 = 64, W 4096, z 128: P 8, C 32, q 128/64 = 2, one clock
     * per neuron, latency 10 + ceil(log2(min(128, 64))) = 16. Multipliers FF 128, BP 0 (junction 1), UP 128, other
     * 2q = 4 (sigmoid, j < J). Accumulators: 10 + ceil(log2 65) = 17, 10 + ceil(log2 5) = 13. */
    const sg_plan_junction *a = &pl.j[0];
    ck_assert_uint_eq(a->p, 1024);
    ck_assert_uint_eq(a->n, 64);
    ck_assert_uint_eq(a->dout, 4);
    ck_assert_uint_eq(a->din, 64);
    ck_assert_uint_eq(a->W, 4096);
    ck_assert_uint_eq(a->z, 128);
    ck_assert_uint_eq(a->P, 8);
    ck_assert_uint_eq(a->C, 32);
    ck_assert_uint_eq(a->q, 2);
    ck_assert_uint_eq(a->clocks_per_neuron, 1);
    ck_assert_uint_eq(a->latency, 16);
    ck_assert_double_eq(a->density, 0.0625);
    ck_assert_uint_eq(a->mul_ff, 128);
    ck_assert_uint_eq(a->mul_bp, 0);
    ck_assert_uint_eq(a->mul_up, 128);
    ck_assert_uint_eq(a->mul_other, 4);
    ck_assert_uint_eq(a->ff_acc_width, 17);
    ck_assert_uint_eq(a->bp_acc_width, 13);
    /* Junction 2: p 64, n 32, d_out 16, d_in 32, W 1024, z 32: P 2, C 32, q 1, latency 10 + 5 = 15; FF, BP, UP 32
     * each, other 0 (output junction). Accumulators 10 + ceil(log2 33) = 16, 10 + ceil(log2 17) = 15. */
    const sg_plan_junction *b = &pl.j[1];
    ck_assert_uint_eq(b->din, 32);
    ck_assert_uint_eq(b->W, 1024);
    ck_assert_uint_eq(b->P, 2);
    ck_assert_uint_eq(b->C, 32);
    ck_assert_uint_eq(b->q, 1);
    ck_assert_uint_eq(b->latency, 15);
    ck_assert_double_eq(b->density, 0.5);
    ck_assert_uint_eq(b->mul_ff, 32);
    ck_assert_uint_eq(b->mul_bp, 32);
    ck_assert_uint_eq(b->mul_up, 32);
    ck_assert_uint_eq(b->mul_other, 0);
    ck_assert_uint_eq(b->ff_acc_width, 16);
    ck_assert_uint_eq(b->bp_acc_width, 15);
    /* Whole network: cycle max(32 + 16, 32 + 15) = 48; 5120 edges + 96 biases; density 5120 / (65536 + 2048) =
     * 7.58 % (the paper's figure); utilisation 5120 / (160 * 48); multipliers 260 + 96 = 356. */
    ck_assert_uint_eq(pl.cycle_clocks, 48);
    ck_assert_uint_eq(pl.clocks_per_train_sample, 48);
    ck_assert_uint_eq(pl.clocks_per_infer_sample, 48);
    ck_assert_uint_eq(pl.train_latency_cycles, 5);
    ck_assert_uint_eq(pl.infer_latency_cycles, 2);
    ck_assert_uint_eq(pl.delta_rmw_distance, SG_DELTA_RMW_DISTANCE);
    ck_assert(pl.rmw_applies);
    ck_assert(!pl.rmw_checked);
    ck_assert_uint_eq(pl.edges, 5120);
    ck_assert_uint_eq(pl.params, 5216);
    ck_assert_double_eq(pl.density, 5120.0 / 67584.0);
    ck_assert_double_eq(pl.utilisation, 5120.0 / (160.0 * 48.0));
    ck_assert_uint_eq(pl.multipliers, 356);
    /* RAMs (train): layer 0 activations 128 banks x 8 rows x 10 bits x (2J+1 = 5) copies x 2 ports;
     * layer 1: activations 32 x 2 x 10 x 3 x 2, derivatives inside junction 1 in its natural order q_1 = 2 banks x
     * 64 / 2 = 32 rows x 10 x 4 copies, deltas 32 x 2 x 15 (bp width of junction 2) x 2; output deltas 1 x 32 x 10 x
     * 2; weights z x C x w; biases q x n/q x w x 1 port (one read serves FF and UP). */
    ck_assert_int_eq(pl.n_mems, 9);
    check_mem(&pl.mems[0], "activations", 0, 128, 8, 8, 5, 2, 81920); /* 8-bit pixels */
    check_mem(&pl.mems[1], "activations", 1, 32, 2, 8, 3, 2, 3072); /* sigmoid [0, ONE]: F + 1 bits */
    check_mem(&pl.mems[2], "derivatives", 1, 2, 32, 10, 4, 1, 2560);
    check_mem(&pl.mems[3], "deltas", 1, 32, 2, 15, 2, 1, 1920);
    check_mem(&pl.mems[4], "output deltas", 2, 1, 32, 10, 2, 1, 640);
    check_mem(&pl.mems[5], "weights", 1, 128, 32, 10, 1, 1, 40960);
    check_mem(&pl.mems[6], "biases", 1, 2, 32, 10, 1, 1, 640);
    check_mem(&pl.mems[7], "weights", 2, 32, 32, 10, 1, 1, 10240);
    check_mem(&pl.mems[8], "biases", 2, 1, 32, 10, 1, 1, 320);
    ck_assert_uint_eq(pl.memory_bits, 142272);
    /* ROMs: type2 start rows, per sweep one row number (ceil(log2 P) bits, at least 1) per bank: junction 1 128 x 4
     * sweeps x 3 (P 8), junction 2 32 x 16 x 1 (P 2); sigmoid tables: w 10, F 7: R 1, T min(9, 11) = 9, 512 words
     * of 10 bits, q per junction (2 and 1). No memory dither: no bank permutations. */
    ck_assert_int_eq(pl.n_roms, 4);
    check_rom(&pl.roms[0], "start rows", 1, 128, 4, 3, 1536);
    check_rom(&pl.roms[1], "sigmoid table", 1, 2, 512, 10, 10240);
    check_rom(&pl.roms[2], "start rows", 2, 32, 16, 1, 512);
    check_rom(&pl.roms[3], "sigmoid table", 2, 1, 512, 10, 5120);
    ck_assert_uint_eq(pl.rom_bits, 17408);
}
END_TEST

/* The DSP budget (plan_assign_dsp): the widest products first. Anchor: BP of junction 2 and the 4 "other" products
 * of junction 1 are w x w = 20 bits; FF and UP multiply w by the activation operand (sigmoid or an 8-bit input with
 * F = 7: [0, ONE], 8 bits + sign) = 19 bits, junction 1's FF first. */
START_TEST(test_dsp)
{
    sg_spec s;
    sg_plan pl;
    char *msgs;
    build(anchor, &s, &pl, &msgs);
    free(msgs);
    ck_assert_uint_eq(pl.j[0].a_bits, 8);
    ck_assert_uint_eq(pl.j[0].a_shift, 0);
    ck_assert_uint_eq(pl.j[1].a_bits, 8);
    ck_assert_int_eq(pl.dsp_budget, -1);
    ck_assert_uint_eq(pl.multipliers_dsp, 356);
    ck_assert_uint_eq(pl.multipliers_logic, 0);
    ck_assert_uint_eq(pl.j[0].dsp_ff, 128);
    ck_assert_uint_eq(pl.j[0].dsp_up, 128);
    ck_assert_uint_eq(pl.j[1].dsp_bp, 32);
    plan_assign_dsp(&pl, 156);
    ck_assert_int_eq(pl.dsp_budget, 156);
    ck_assert_uint_eq(pl.j[1].dsp_bp, 32);
    ck_assert_uint_eq(pl.j[0].dsp_other, 4);
    ck_assert_uint_eq(pl.j[0].dsp_ff, 120);
    ck_assert_uint_eq(pl.j[0].dsp_up, 0);
    ck_assert_uint_eq(pl.j[1].dsp_ff, 0);
    ck_assert_uint_eq(pl.j[1].dsp_up, 0);
    ck_assert_uint_eq(pl.multipliers_dsp, 156);
    ck_assert_uint_eq(pl.multipliers_logic, 200);
    plan_assign_dsp(&pl, 0);
    ck_assert_uint_eq(pl.multipliers_dsp, 0);
    ck_assert_uint_eq(pl.multipliers_logic, 356);
    ck_assert_uint_eq(pl.j[1].dsp_bp, 0);
    plan_assign_dsp(&pl, 1000);
    ck_assert_uint_eq(pl.multipliers_dsp, 356);
    ck_assert_uint_eq(pl.j[1].dsp_up, 32);
    /* a 4-bit input with F = 5: a = x * 2^(5-4), x < 2^4 */
    build("name: t\nlayers: [12, 6]\nfanout: [2]\nz: [4]\nformat: {width: 8, frac: 5}\ninput: {bits: 4}\n"
          "classes: 4\n", &s, &pl, &msgs);
    free(msgs);
    ck_assert_uint_eq(pl.j[0].a_bits, 4);
    ck_assert_uint_eq(pl.j[0].a_shift, 1);
    /* FF and UP of equal width: FF first */
    plan_assign_dsp(&pl, 6);
    ck_assert_uint_eq(pl.j[0].dsp_ff, 4);
    ck_assert_uint_eq(pl.j[0].dsp_up, 2);
}
END_TEST

/* A small network computed by hand: 12-6-4, d_out (2, 4), z (2, 3), relu then sigmoid, 8-bit.
 * Junction 1: d_in 12*2/6 = 4, W 24, z 2 < d_in: P 6, C 12, q 1, 2 clocks per neuron, latency 10 + ceil(log2 2) = 11,
 *   FF 2, BP 0, UP 2, other 0 (relu), acc widths 8 + ceil(log2 5) = 11 and 8 + ceil(log2 3) = 10.
 * Junction 2: d_in 6*4/4 = 6, W 24, z 3 < d_in: P 2, C 8, q 1, 2 clocks per neuron, latency 10 + ceil(log2 3) = 12,
 *   FF 3, BP 3, UP 3, other 0 (j = J), acc widths 8 + ceil(log2 7) = 11 and 8 + ceil(log2 5) = 11.
 * cycle max(12 + 11, 8 + 12) = 23; edges 48; params 58; density 48 / (72 + 24) = 0.5; utilisation 48 / (5 * 23);
 * multipliers 4 + 9 = 13. RAMs: act L0 2 x 6 x 8 x 5 x 2 = 960; act L1 3 x 2 x 8 x 3 x 2 = 288; derivatives L1
 * (inside junction 1: q_1 = 1 bank x 6 rows) 1 x 6 x 1 (relu) x 4 = 24; deltas L1 3 x 2 x 11 x 2 = 132; output deltas
 * 1 x 4 x 8 x 2 = 64; weights 2 x 12 x 8 = 192 and 3 x 8 x 8 = 192; biases 1 x 6 x 8 = 48 and 1 x 4 x 8 = 32; total
 * 1932. ROMs: start rows 2 x 2 sweeps x 3 bits (P 6) = 12 and 3 x 4 x 1 (P 2) = 12; junction 1 is relu (no table),
 * junction 2 one sigmoid table (w 8, F 5: R 0, T min(8, 10) = 8): 256 x 8 = 2048; total 2072. */
static const char *small = "name: small_net\nlayers: [12, 6, 4]\nfanout: [2, 4]\nz: [2, 3]\n"
                           "format: {width: 8, frac: 5}\nactivation: [relu, sigmoid]\n";

START_TEST(test_small)
{
    sg_spec s;
    sg_plan pl;
    char *msgs;
    build(small, &s, &pl, &msgs);
    /* C = (12, 8): junction 2 can use z = 2 (valid: 2 | 6 and 2 | d_in 6) with C = 12 <= 12, latency 11, cycle
     * still 23, utilisation 48 / (4 * 23) = 52.2 %. */
    ck_assert_str_eq(msgs, "t.yaml:4:1: warning: unbalanced junctions: C = [12, 8] clocks, utilisation 41.7 %; "
                           "z: [2, 2] gives C = [12, 12], 23 clocks per junction cycle (now 23) and utilisation "
                           "52.2 %\n");
    free(msgs);
    const sg_plan_junction *a = &pl.j[0], *b = &pl.j[1];
    ck_assert_uint_eq(a->din, 4);
    ck_assert_uint_eq(a->P, 6);
    ck_assert_uint_eq(a->C, 12);
    ck_assert_uint_eq(a->q, 1);
    ck_assert_uint_eq(a->clocks_per_neuron, 2);
    ck_assert_uint_eq(a->latency, 11);
    ck_assert_uint_eq(a->mul_ff, 2);
    ck_assert_uint_eq(a->mul_bp, 0);
    ck_assert_uint_eq(a->mul_up, 2);
    ck_assert_uint_eq(a->mul_other, 0);
    ck_assert_uint_eq(a->ff_acc_width, 11);
    ck_assert_uint_eq(a->bp_acc_width, 10);
    ck_assert_uint_eq(b->din, 6);
    ck_assert_uint_eq(b->P, 2);
    ck_assert_uint_eq(b->C, 8);
    ck_assert_uint_eq(b->clocks_per_neuron, 2);
    ck_assert_uint_eq(b->latency, 12);
    ck_assert_uint_eq(b->mul_ff, 3);
    ck_assert_uint_eq(b->mul_bp, 3);
    ck_assert_uint_eq(b->mul_up, 3);
    ck_assert_uint_eq(b->mul_other, 0);
    ck_assert_uint_eq(b->ff_acc_width, 11);
    ck_assert_uint_eq(b->bp_acc_width, 11);
    ck_assert_uint_eq(pl.cycle_clocks, 23);
    ck_assert_uint_eq(pl.edges, 48);
    ck_assert_uint_eq(pl.params, 58);
    ck_assert_double_eq(pl.density, 0.5);
    ck_assert_double_eq(pl.utilisation, 48.0 / 115.0);
    ck_assert_uint_eq(pl.multipliers, 13);
    ck_assert_int_eq(pl.n_mems, 9);
    check_mem(&pl.mems[0], "activations", 0, 2, 6, 6, 5, 2, 720);
    check_mem(&pl.mems[1], "activations", 1, 3, 2, 7, 3, 2, 252); /* relu: w - 1 bits */
    check_mem(&pl.mems[2], "derivatives", 1, 1, 6, 1, 4, 1, 24);
    check_mem(&pl.mems[3], "deltas", 1, 3, 2, 11, 2, 1, 132);
    check_mem(&pl.mems[4], "output deltas", 2, 1, 4, 8, 2, 1, 64);
    check_mem(&pl.mems[5], "weights", 1, 2, 12, 8, 1, 1, 192);
    check_mem(&pl.mems[6], "biases", 1, 1, 6, 8, 1, 1, 48);
    check_mem(&pl.mems[7], "weights", 2, 3, 8, 8, 1, 1, 192);
    check_mem(&pl.mems[8], "biases", 2, 1, 4, 8, 1, 1, 32);
    ck_assert_uint_eq(pl.memory_bits, 1656);
    ck_assert_int_eq(pl.n_roms, 3);
    check_rom(&pl.roms[0], "start rows", 1, 2, 2, 3, 12);
    check_rom(&pl.roms[1], "start rows", 2, 3, 4, 1, 12);
    check_rom(&pl.roms[2], "sigmoid table", 2, 1, 256, 8, 2048);
    ck_assert_uint_eq(pl.rom_bits, 2072);
}
END_TEST

/* The same network with a sigmoid hidden layer: 2q = 2 more multipliers in junction 1, 8-bit derivatives. */
START_TEST(test_small_sigmoid)
{
    sg_spec s;
    sg_plan pl;
    char *msgs;
    build("name: small_net\nlayers: [12, 6, 4]\nfanout: [2, 4]\nz: [2, 2]\nformat: {width: 8, frac: 5}\n", &s, &pl, &msgs);
    ck_assert_str_eq(msgs, ""); /* C = (12, 12) */
    free(msgs);
    ck_assert_uint_eq(pl.j[0].mul_other, 2);
    ck_assert_uint_eq(pl.j[1].mul_other, 0);
    ck_assert_uint_eq(pl.multipliers, 2 + 2 + 2 + 2 + 2 + 2);
    check_mem(&pl.mems[2], "derivatives", 1, 1, 6, 8, 4, 1, 192); /* q_1 = 1 bank x 6 rows */
}
END_TEST

/* Infer mode: FF multipliers only; activations 2 copies (ping-pong) of 1 port; no derivatives, deltas or output
 * deltas; biases 1 port. 192 + 2 x 3 x 8 x 2 = 96 + 192 + 48 + 2 x 12 x 8... (see the memory list). */
START_TEST(test_infer)
{
    sg_spec s;
    sg_plan pl;
    char *msgs;
    build("name: small_net\nlayers: [12, 6, 4]\nfanout: [2, 4]\nz: [2, 2]\nformat: {width: 8, frac: 5}\nmode: infer\n",
          &s, &pl, &msgs);
    ck_assert_str_eq(msgs, "");
    free(msgs);
    ck_assert_uint_eq(pl.multipliers, 4); /* FF 2 + 2 */
    ck_assert_uint_eq(pl.j[1].mul_bp, 0);
    ck_assert_uint_eq(pl.j[0].mul_up, 0);
    ck_assert_uint_eq(pl.j[0].mul_other, 0);
    ck_assert_uint_eq(pl.clocks_per_train_sample, 0);
    ck_assert_uint_eq(pl.clocks_per_infer_sample, 23); /* max(12 + 11, 12 + 11) */
    ck_assert_uint_eq(pl.train_latency_cycles, 0);
    ck_assert_uint_eq(pl.infer_latency_cycles, 2);
    ck_assert(!pl.rmw_applies);
    ck_assert_int_eq(pl.n_mems, 6);
    check_mem(&pl.mems[0], "activations", 0, 2, 6, 6, 2, 1, 144);
    check_mem(&pl.mems[1], "activations", 1, 2, 3, 6, 2, 1, 72);
    check_mem(&pl.mems[2], "weights", 1, 2, 12, 8, 1, 1, 192);
    check_mem(&pl.mems[3], "biases", 1, 1, 6, 8, 1, 1, 48);
    check_mem(&pl.mems[4], "weights", 2, 2, 12, 8, 1, 1, 192);
    check_mem(&pl.mems[5], "biases", 2, 1, 4, 8, 1, 1, 32);
    ck_assert_uint_eq(pl.memory_bits, 680);
    /* ROMs as in training: start rows 2 banks x 2 sweeps x 3 bits (P 6) and 2 x 4 x 2 (P 3); a sigmoid table in each
     * junction (q 1): 256 x 8 each. */
    ck_assert_int_eq(pl.n_roms, 4);
    check_rom(&pl.roms[0], "start rows", 1, 2, 2, 3, 12);  /* P 6 */
    check_rom(&pl.roms[1], "sigmoid table", 1, 1, 256, 8, 2048);
    check_rom(&pl.roms[2], "start rows", 2, 2, 4, 2, 16); /* P 3 */
    check_rom(&pl.roms[3], "sigmoid table", 2, 1, 256, 8, 2048);
    ck_assert_uint_eq(pl.rom_bits, 4124);
}
END_TEST

/* J = 1, z = 1: latency SG_LAT_BASE, no derivatives/deltas, hazard rule does not apply. */
START_TEST(test_j1)
{
    sg_spec s;
    sg_plan pl;
    char *msgs;
    build("name: t\nlayers: [12, 6]\nfanout: [2]\nz: [1]\n", &s, &pl, &msgs);
    ck_assert_str_eq(msgs, "");
    free(msgs);
    ck_assert_uint_eq(pl.j[0].latency, SG_LAT_BASE);
    ck_assert_uint_eq(pl.j[0].C, 24);
    ck_assert_uint_eq(pl.cycle_clocks, 24 + SG_LAT_BASE);
    ck_assert_uint_eq(pl.train_latency_cycles, 3);
    ck_assert(!pl.rmw_applies);
    ck_assert_int_eq(pl.n_mems, 4);
    check_mem(&pl.mems[0], "activations", 0, 1, 12, 8, 3, 2, 576);
    check_mem(&pl.mems[1], "output deltas", 1, 1, 6, 12, 2, 1, 144);
}
END_TEST

/* Unbalanced, but the given z is already the smallest choice for the slowest junction's C: no warning (docs). */
START_TEST(test_unbalanced_but_best)
{
    sg_spec s;
    sg_plan pl;
    char *msgs;
    build("name: f\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\n", &s, &pl, &msgs);
    ck_assert_str_eq(msgs, "");
    free(msgs);
    ck_assert_uint_eq(pl.j[0].C, 336);
    ck_assert_uint_eq(pl.j[1].C, 280);
    ck_assert_uint_eq(pl.cycle_clocks, 336 + 10 + 7);
}
END_TEST

/* 784-112-10 with d_out (2, 10): W = (1568, 1120), d_in = (14, 112). z = (56, 112): C = (28, 10), q_1 = 4.
 * max C = 28: junction 1 keeps z = 56 (z = 28 would give C = 56); junction 2 needs z >= 1120 / 28 = 40 (and
 * >= q_1 = 4): the smallest divisor of 112 from 40 is 56, C = 20. */
START_TEST(test_unbalanced_suggestion)
{
    sg_spec s;
    sg_plan pl;
    char *msgs;
    build("name: f\nlayers: [784, 112, 10]\nfanout: [2, 10]\nz: [56, 112]\n", &s, &pl, &msgs);
    /* now: latencies 10 + ceil(log2 14) = 14 and 10 + ceil(log2 112) = 17: cycle max(42, 27) = 42, utilisation
     * 2688 / (168 * 42) = 38.1 %; suggested z (56, 56): junction 2 latency 10 + 6 = 16, cycle max(42, 36) = 42,
     * utilisation 2688 / (112 * 42) = 57.1 %. */
    ck_assert_str_eq(msgs, "t.yaml:4:1: warning: unbalanced junctions: C = [28, 10] clocks, utilisation 38.1 %; "
                           "z: [56, 56] gives C = [28, 20], 42 clocks per junction cycle (now 42) and utilisation "
                           "57.1 %\n");
    free(msgs);
}
END_TEST

/* type1 with memory dither: a row table of C words per junction; the bank permutation only where z > 1, its
 * inverse (BP routing) only where z > 1 and j >= 2 in training. 12-6-4, d_out (2, 2), 12-bit (F 8: sigmoid R 2,
 * T min(10, 11) = 10, 1024 words).
 * z (4, 1): junction 1: P 3 (2 bits), C 6: row table 4 x 6 x 2 = 48; permutation 4 x 2 sweeps x 2 bits = 16 (no
 * inverse: no BP); sigmoid 1 x 1024 x 12 = 12288. Junction 2: d_in 3, z 1: P 6 (3 bits), C 12: row table 1 x 12 x 3
 * = 36; no permutation (one bank); sigmoid 12288. Total 24676.
 * z (4, 3): junction 2: P 2 (1 bit), C 4: row table 3 x 4 x 1 = 12, permutation and inverse 3 x 2 x 2 = 12 each. */
START_TEST(test_roms_type1_md)
{
    sg_spec s;
    sg_plan pl;
    char *msgs;
    build("name: t\nlayers: [12, 6, 4]\nfanout: [2, 2]\nz: [4, 1]\n"
          "connectivity: {family: type1, memory_dither: true}\n", &s, &pl, &msgs);
    free(msgs);
    ck_assert_int_eq(pl.n_roms, 5);
    check_rom(&pl.roms[0], "row table", 1, 4, 6, 2, 48);
    check_rom(&pl.roms[1], "bank permutation", 1, 4, 2, 2, 16);
    check_rom(&pl.roms[2], "sigmoid table", 1, 1, 1024, 12, 12288);
    check_rom(&pl.roms[3], "row table", 2, 1, 12, 3, 36);
    check_rom(&pl.roms[4], "sigmoid table", 2, 1, 1024, 12, 12288);
    ck_assert_uint_eq(pl.rom_bits, 24676);
    build("name: t\nlayers: [12, 6, 4]\nfanout: [2, 2]\nz: [4, 3]\n"
          "connectivity: {family: type1, memory_dither: true}\n", &s, &pl, &msgs);
    free(msgs);
    ck_assert_int_eq(pl.n_roms, 7);
    check_rom(&pl.roms[3], "row table", 2, 3, 4, 1, 12);
    check_rom(&pl.roms[4], "bank permutation", 2, 3, 2, 2, 12);
    check_rom(&pl.roms[5], "inverse bank permutation", 2, 3, 2, 2, 12);
    check_rom(&pl.roms[6], "sigmoid table", 2, 1, 1024, 12, 12288);
}
END_TEST

static char *print_text(const sg_plan *pl)
{
    char *buf;
    size_t n;
    FILE *f = open_memstream(&buf, &n);
    plan_print_text(pl, f);
    fclose(f);
    return buf;
}

START_TEST(test_text)
{
    sg_spec s;
    sg_plan pl;
    char *msgs;
    build(anchor, &s, &pl, &msgs);
    free(msgs);
    char *t = print_text(&pl);
    static const char *const lines[] = {
        "anchor: 1024-64-32, mode train, 10-bit values (7 fraction bits), spec hash ",
        "\n   1     1024       64      4     64       4096   6.25 %     128      8        32    2       1      16 "
        "       48     128       0     128     4\n",
        "\n  activations    layer 0         128 x       8 x     8 x      5 x     2          81920\n",
        "\n  derivatives    layer 1           2 x      32 x    10 x      4 x     1           2560\n",
        "\n  biases         junction 2        1 x      32 x    10 x      1 x     1            320\n",
        "\n  total                                                                        142272\n",
        "\nROMs (bits = banks x depth x width; contents written by the generator)\n",
        "\n  start rows               junction 1      128 x       4 x     3           1536\n",
        "\n  sigmoid table            junction 2        1 x     512 x    10           5120\n",
        "\n  total                                                               17408\n",
        "\n  density                        7.58 % (5120 of 67584 possible edges)\n",
        "\n  parameters                     5216 (5120 weights, 96 biases)\n",
        "\n  RAM                            142272 bits (17.4 KiB)\n",
        "\n  ROM                            17408 bits (2.1 KiB)\n",
        "\n  multipliers                    356 (FF 160, BP 32, UP 160, other 4)\n",
        "\nJunctions (C = W/z edge clocks; clocks = C + latency; multipliers per phase)\n",
        "\n  junction cycles                not overlapped (hand-over 1 cycle)\n",
        "\n  clocks per junction cycle      48 (max over junctions of C + latency, and at least input beats + 1)\n",
        "\n  clocks per training sample     48 (steady state)\n",
        "\n  clocks per inference sample    48 (steady state)\n",
        "\n  pipeline latency               5 junction cycles per training sample (2J + 1); predictions after 2\n",
        "\n  delta RMW distance             required 1; patterns not checked\n",
        "\n  utilisation                    66.67 % (edges / (sum of z x clocks per junction cycle))\n",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ck_assert_msg(strstr(t, lines[i]) != NULL, "missing line %zu:\n%s\nin:\n%s", i, lines[i], t);
    free(t);
    pl.rmw_checked = true;
    pl.rmw_achieved = 3;
    t = print_text(&pl);
    ck_assert_ptr_nonnull(strstr(t, "\n  delta RMW distance             required 1; shortest achieved 3 clocks\n"));
    free(t);
    pl.rmw_achieved = UINT32_MAX;
    t = print_text(&pl);
    ck_assert_ptr_nonnull(strstr(t, "required 1; achieved: no delta row is revisited\n"));
    free(t);
}
END_TEST

/* Loads an example and builds its plan, with the spec's overlap replaced by the given value. */
static void build_example(const char *name, bool overlap, sg_spec *s, sg_plan *pl)
{
    const char *dir = getenv("SG_EXAMPLES") ? getenv("SG_EXAMPLES") : "examples";
    char path[512];
    snprintf(path, sizeof path, "%s/%s.yaml", dir, name);
    char *msgs;
    size_t n;
    FILE *f = open_memstream(&msgs, &n);
    ck_assert_ptr_nonnull(f);
    sg_diag d;
    diag_init(&d, path);
    d.out = f;
    bool ok = spec_load(path, s, &d);
    s->overlap = overlap;
    ok = ok && plan_build(s, pl, &d);
    fclose(f);
    ck_assert_msg(ok && !msgs[0], "%s: %s", path, msgs);
    free(msgs);
}

/* Overlapped junction cycles (docs/schedule.md) on examples/anchor_board.yaml: C = 32 in both junctions, latency
 * 16 and 15, so a cycle is max(32, 16 + 1) = 32 clocks instead of 32 + 16 = 48; hand-over gap g = 2: training
 * latency 2gJ + 1 = 9 cycles, predictions after gJ = 4; copies (gen/plan.h): activations of layer 0 g*2(J - 0) + 1
 * = 9, of layer 1 g*2(J - 1) + 1 = 5, derivatives of layer 1 g(2J - 2 + 1) + 1 = 7, deltas and output deltas g + 1
 * = 3. Without overlap the figures of test_anchor: 48 clocks, 5 cycles, copies 5, 3, 4, 2, 2. */
START_TEST(test_anchor_overlap)
{
    sg_spec s;
    sg_plan pl;
    build_example("anchor_board", false, &s, &pl);
    ck_assert(!s.overlap);
    ck_assert_uint_eq(pl.gap, 1);
    ck_assert_uint_eq(pl.cycle_clocks, 48);
    ck_assert_uint_eq(pl.clocks_per_train_sample, 48);
    ck_assert_uint_eq(pl.train_latency_cycles, 5);
    ck_assert_uint_eq(pl.infer_latency_cycles, 2);
    ck_assert_int_eq(pl.n_mems, 9);
    check_mem(&pl.mems[0], "activations", 0, 128, 8, 8, 5, 2, 81920);
    check_mem(&pl.mems[1], "activations", 1, 32, 2, 8, 3, 2, 3072);
    check_mem(&pl.mems[2], "derivatives", 1, 2, 32, 10, 4, 1, 2560);
    check_mem(&pl.mems[3], "deltas", 1, 32, 2, 15, 2, 1, 1920);
    check_mem(&pl.mems[4], "output deltas", 2, 1, 32, 10, 2, 1, 640);
    ck_assert_uint_eq(pl.memory_bits, 142272);
    ck_assert_double_eq(pl.utilisation, 5120.0 / (160.0 * 48.0));

    build_example("anchor_board", true, &s, &pl);
    ck_assert_uint_eq(sg_gap(&s), 2);
    ck_assert_uint_eq(pl.gap, 2);
    ck_assert_uint_eq(pl.j[0].latency, 16);
    ck_assert_uint_eq(pl.j[1].latency, 15);
    ck_assert_uint_eq(pl.cycle_clocks, 32);
    ck_assert_uint_eq(pl.clocks_per_train_sample, 32);
    ck_assert_uint_eq(pl.clocks_per_infer_sample, 32);
    ck_assert_uint_eq(pl.train_latency_cycles, 9);
    ck_assert_uint_eq(pl.infer_latency_cycles, 4);
    ck_assert_uint_eq(sg_act_copies(2, 0, 2, true), 9);
    ck_assert_uint_eq(sg_act_copies(2, 1, 2, true), 5);
    ck_assert_uint_eq(sg_deriv_copies(2, 1, 2), 7);
    ck_assert_uint_eq(sg_delta_copies(2), 3);
    /* the same memories, more copies: 147456 + 5120 + 4480 + 2880 + 960 + weights and biases 52160 */
    ck_assert_int_eq(pl.n_mems, 9);
    check_mem(&pl.mems[0], "activations", 0, 128, 8, 8, 9, 2, 147456);
    check_mem(&pl.mems[1], "activations", 1, 32, 2, 8, 5, 2, 5120);
    check_mem(&pl.mems[2], "derivatives", 1, 2, 32, 10, 7, 1, 4480);
    check_mem(&pl.mems[3], "deltas", 1, 32, 2, 15, 3, 1, 2880);
    check_mem(&pl.mems[4], "output deltas", 2, 1, 32, 10, 3, 1, 960);
    check_mem(&pl.mems[5], "weights", 1, 128, 32, 10, 1, 1, 40960);
    check_mem(&pl.mems[8], "biases", 2, 1, 32, 10, 1, 1, 320);
    ck_assert_uint_eq(pl.memory_bits, 213056);
    ck_assert_double_eq(pl.utilisation, 1.0); /* 5120 / (160 x 32) */
    /* the text and JSON forms say which schedule */
    char *t = print_text(&pl);
    static const char *const lines[] = {
        "\nJunctions (C = W/z edge clocks; clocks = max(C, latency + 1); multipliers per phase)\n",
        "\n   1     1024       64      4     64       4096   6.25 %     128      8        32    2       1      16 "
        "       32     128       0     128     4\n",
        "\n  activations    layer 0         128 x       8 x     8 x      9 x     2         147456\n",
        "\n  junction cycles                overlapped (hand-over 2 cycles)\n",
        "\n  clocks per junction cycle      32 (max over junctions of max(C, latency + 1), and at least input beats + 1)\n",
        "\n  pipeline latency               9 junction cycles per training sample (4J + 1); predictions after 4\n",
        "\n  utilisation                    100.00 % (edges / (sum of z x clocks per junction cycle))\n",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ck_assert_msg(strstr(t, lines[i]) != NULL, "missing line %zu:\n%s\nin:\n%s", i, lines[i], t);
    free(t);
    json_t *o = plan_to_json(&pl);
    ck_assert(json_is_true(json_object_get(o, "overlap")));
    ck_assert_int_eq(json_integer_value(json_object_get(o, "gap")), 2);
    json_t *tot = json_object_get(o, "totals");
    ck_assert_int_eq(json_integer_value(json_object_get(tot, "cycle_clocks")), 32);
    ck_assert_int_eq(json_integer_value(json_object_get(tot, "train_latency_cycles")), 9);
    ck_assert_int_eq(json_integer_value(json_object_get(tot, "infer_latency_cycles")), 4);
    ck_assert_int_eq(json_integer_value(json_object_get(tot, "memory_bits")), 213056);
    json_t *j1 = json_array_get(json_object_get(o, "junctions"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(j1, "clocks")), 32);
    json_t *m0 = json_array_get(json_object_get(o, "memories"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(m0, "copies")), 9);
    json_decref(o);
}
END_TEST

/* The copy helpers (gen/plan.h) for g = 1 are the schedule without overlap: 2(J - h) + 1, 2 in inference,
 * 2(J - h) + 2, 2; for g = 2 the overlapped ones. */
START_TEST(test_copy_helpers)
{
    for (int J = 1; J <= SG_MAX_J; J++)
        for (int h = 0; h < J; h++) {
            ck_assert_uint_eq(sg_act_copies(J, h, 1, true), 2u * (uint32_t)(J - h) + 1);
            ck_assert_uint_eq(sg_act_copies(J, h, 1, false), 2);
            ck_assert_uint_eq(sg_act_copies(J, h, 2, true), 4u * (uint32_t)(J - h) + 1);
            ck_assert_uint_eq(sg_act_copies(J, h, 2, false), 3);
            if (h >= 1) {
                ck_assert_uint_eq(sg_deriv_copies(J, h, 1), 2u * (uint32_t)(J - h) + 2);
                ck_assert_uint_eq(sg_deriv_copies(J, h, 2), 2u * (2u * (uint32_t)J - 2u * (uint32_t)h + 1) + 1);
            }
        }
    ck_assert_uint_eq(sg_delta_copies(1), 2);
    ck_assert_uint_eq(sg_delta_copies(2), 3);
}
END_TEST

/* Overlap in infer mode and the unbalanced-junction warning. 12-6-4, z (2, 3) (test_small): C = (12, 8), latency
 * (11, 12); overlapped clocks max(12, 12) = 12 and max(8, 13) = 13: cycle 13, utilisation 48 / (5 x 13) = 73.8 %;
 * z (2, 2) gives C = (12, 12), latency (11, 11): cycle 12, utilisation 48 / (4 x 12) = 100 %. */
START_TEST(test_overlap_small)
{
    sg_spec s;
    sg_plan pl;
    char *msgs;
    build("name: small_net\nlayers: [12, 6, 4]\nfanout: [2, 4]\nz: [2, 3]\nformat: {width: 8, frac: 5}\n"
          "activation: [relu, sigmoid]\noverlap: true\n", &s, &pl, &msgs);
    ck_assert_str_eq(msgs, "t.yaml:4:1: warning: unbalanced junctions: C = [12, 8] clocks, utilisation 73.8 %; "
                           "z: [2, 2] gives C = [12, 12], 12 clocks per junction cycle (now 13) and utilisation "
                           "100.0 %\n");
    free(msgs);
    ck_assert_uint_eq(pl.cycle_clocks, 13);
    ck_assert_uint_eq(pl.train_latency_cycles, 9);
    ck_assert_uint_eq(pl.infer_latency_cycles, 4);
    check_mem(&pl.mems[0], "activations", 0, 2, 6, 6, 9, 2, 1296);
    check_mem(&pl.mems[2], "derivatives", 1, 1, 6, 1, 7, 1, 42);
    check_mem(&pl.mems[3], "deltas", 1, 3, 2, 11, 3, 1, 198);
    check_mem(&pl.mems[4], "output deltas", 2, 1, 4, 8, 3, 1, 96);
    /* infer: activations g + 1 = 3 copies, predictions after gJ = 4 cycles */
    build("name: small_net\nlayers: [12, 6, 4]\nfanout: [2, 4]\nz: [2, 2]\nformat: {width: 8, frac: 5}\nmode: infer\n"
          "overlap: true\n", &s, &pl, &msgs);
    ck_assert_str_eq(msgs, "");
    free(msgs);
    ck_assert_uint_eq(pl.gap, 2);
    ck_assert_uint_eq(pl.cycle_clocks, 12); /* max(12, 11 + 1) in both junctions */
    ck_assert_uint_eq(pl.clocks_per_infer_sample, 12);
    ck_assert_uint_eq(pl.train_latency_cycles, 0);
    ck_assert_uint_eq(pl.infer_latency_cycles, 4);
    ck_assert_int_eq(pl.n_mems, 6);
    check_mem(&pl.mems[0], "activations", 0, 2, 6, 6, 3, 1, 216);
    check_mem(&pl.mems[1], "activations", 1, 2, 3, 6, 3, 1, 108);
    char *t = print_text(&pl);
    ck_assert_ptr_nonnull(strstr(t, "\n  pipeline latency               4 junction cycles to a prediction (2J)\n"));
    free(t);
}
END_TEST

START_TEST(test_json)
{
    sg_spec s;
    sg_plan pl;
    char *msgs;
    build(small, &s, &pl, &msgs);
    free(msgs);
    json_t *o = plan_to_json(&pl);
    char *a = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_t *o2 = plan_to_json(&pl);
    char *b = json_dumps(o2, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    ck_assert_str_eq(a, b); /* deterministic */
    /* Fixed key order: the first keys. */
    ck_assert_ptr_nonnull(strstr(a, "{\n  \"generator\": \"sparsegen " SG_VERSION "\",\n  \"name\": \"small_net\",\n"));
    ck_assert_str_eq(json_string_value(json_object_get(o, "mode")), "train");
    ck_assert(json_is_false(json_object_get(o, "overlap")));
    ck_assert_int_eq(json_integer_value(json_object_get(o, "gap")), 1);
    json_t *j2 = json_array_get(json_object_get(o, "junctions"), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(j2, "d_in")), 6);
    ck_assert_int_eq(json_integer_value(json_object_get(j2, "clocks")), 20);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j2, "multipliers"), "bp")), 3);
    json_t *mems = json_object_get(o, "memories");
    ck_assert_int_eq((int)json_array_size(mems), 9);
    json_t *m2 = json_array_get(mems, 2);
    ck_assert_str_eq(json_string_value(json_object_get(m2, "what")), "derivatives");
    ck_assert_int_eq(json_integer_value(json_object_get(m2, "bits")), 24);
    json_t *w = json_array_get(mems, 5);
    ck_assert_int_eq(json_integer_value(json_object_get(w, "junction")), 1);
    json_t *t = json_object_get(o, "totals");
    ck_assert_int_eq(json_integer_value(json_object_get(t, "memory_bits")), 1656); /* activations: a_bits (6 input, 7 relu) of 8 */
    ck_assert_int_eq(json_integer_value(json_object_get(t, "rom_bits")), 2072);
    json_t *roms = json_object_get(o, "roms");
    ck_assert_int_eq((int)json_array_size(roms), 3);
    json_t *r2 = json_array_get(roms, 2);
    ck_assert_str_eq(json_string_value(json_object_get(r2, "what")), "sigmoid table");
    ck_assert_int_eq(json_integer_value(json_object_get(r2, "junction")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(r2, "depth")), 256);
    ck_assert_int_eq(json_integer_value(json_object_get(r2, "bits")), 2048);
    ck_assert_int_eq(json_integer_value(json_object_get(t, "cycle_clocks")), 23);
    ck_assert_int_eq(json_integer_value(json_object_get(t, "params")), 58);
    ck_assert_int_eq(json_integer_value(json_object_get(t, "multipliers")), 13);
    ck_assert_double_eq(json_real_value(json_object_get(t, "density")), 0.5);
    json_t *r = json_object_get(t, "delta_rmw_distance");
    ck_assert_int_eq(json_integer_value(json_object_get(r, "required")), 1);
    ck_assert(json_is_true(json_object_get(r, "applies")));
    ck_assert(json_is_false(json_object_get(r, "checked")));
    ck_assert(json_is_null(json_object_get(r, "achieved")));
    free(a);
    free(b);
    json_decref(o);
    json_decref(o2);
}
END_TEST

/* For every example, each RAM and ROM of the JSON form is a row of the text form, with the same numbers, and the
 * totals agree. */
START_TEST(test_text_json_agree)
{
    static const char *const names[] = { "anchor_board", "deep_j4", "fmnist_784_112_10", "fmnist_fc",
                                         "fmnist_sparse_3pct", "infer_only", "tiny_j1" };
    const char *dir = getenv("SG_EXAMPLES") ? getenv("SG_EXAMPLES") : "examples";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.yaml", dir, names[i]);
        sg_diag d;
        diag_init(&d, path);
        d.out = fopen("/dev/null", "w");
        sg_spec s;
        sg_plan pl;
        ck_assert(spec_load(path, &s, &d) && plan_build(&s, &pl, &d));
        fclose(d.out);
        char *t = print_text(&pl);
        json_t *o = plan_to_json(&pl);
        char row[256];
        json_t *ms = json_object_get(o, "memories"), *rs = json_object_get(o, "roms"), *x;
        size_t k;
        uint64_t sum = 0;
        ck_assert_int_eq((int)json_array_size(ms), pl.n_mems);
        json_array_foreach(ms, k, x) {
            json_t *jl = json_object_get(x, "junction");
            char of[32];
            snprintf(of, sizeof of, "%s %d", jl ? "junction" : "layer",
                     (int)json_integer_value(jl ? jl : json_object_get(x, "layer")));
            snprintf(row, sizeof row, "\n  %-14s %-11s %7d x %7d x %5d x %6d x %5d %14lld\n",
                     json_string_value(json_object_get(x, "what")), of,
                     (int)json_integer_value(json_object_get(x, "banks")),
                     (int)json_integer_value(json_object_get(x, "depth")),
                     (int)json_integer_value(json_object_get(x, "width")),
                     (int)json_integer_value(json_object_get(x, "copies")),
                     (int)json_integer_value(json_object_get(x, "ports")),
                     (long long)json_integer_value(json_object_get(x, "bits")));
            ck_assert_msg(strstr(t, row) != NULL, "%s: RAM row missing from the text:%s", path, row);
            sum += (uint64_t)json_integer_value(json_object_get(x, "bits"));
        }
        json_t *tot = json_object_get(o, "totals");
        ck_assert_uint_eq(sum, (uint64_t)json_integer_value(json_object_get(tot, "memory_bits")));
        sum = 0;
        ck_assert_int_eq((int)json_array_size(rs), pl.n_roms);
        json_array_foreach(rs, k, x) {
            char of[32];
            snprintf(of, sizeof of, "junction %d", (int)json_integer_value(json_object_get(x, "junction")));
            snprintf(row, sizeof row, "\n  %-24s %-11s %7d x %7d x %5d %14lld\n",
                     json_string_value(json_object_get(x, "what")), of,
                     (int)json_integer_value(json_object_get(x, "banks")),
                     (int)json_integer_value(json_object_get(x, "depth")),
                     (int)json_integer_value(json_object_get(x, "width")),
                     (long long)json_integer_value(json_object_get(x, "bits")));
            ck_assert_msg(strstr(t, row) != NULL, "%s: ROM row missing from the text:%s", path, row);
            sum += (uint64_t)json_integer_value(json_object_get(x, "bits"));
        }
        ck_assert_uint_eq(sum, (uint64_t)json_integer_value(json_object_get(tot, "rom_bits")));
        snprintf(row, sizeof row, "\n  %-30s %lld bits", "RAM", (long long)json_integer_value(json_object_get(tot, "memory_bits")));
        ck_assert_msg(strstr(t, row) != NULL, "%s: %s", path, row);
        snprintf(row, sizeof row, "\n  %-30s %lld bits", "ROM", (long long)json_integer_value(json_object_get(tot, "rom_bits")));
        ck_assert_msg(strstr(t, row) != NULL, "%s: %s", path, row);
        snprintf(row, sizeof row, "\n  %-30s %lld (FF", "multipliers", (long long)json_integer_value(json_object_get(tot, "multipliers")));
        ck_assert_msg(strstr(t, row) != NULL, "%s: %s", path, row);
        json_decref(o);
        free(t);
    }
}
END_TEST

/* Every example builds a plan (with no error). */
START_TEST(test_examples)
{
    static const char *const names[] = { "anchor_board", "deep_j4", "fmnist_784_112_10", "fmnist_fc",
                                         "fmnist_sparse_3pct", "infer_only", "tiny_j1" };
    const char *dir = getenv("SG_EXAMPLES") ? getenv("SG_EXAMPLES") : "examples";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.yaml", dir, names[i]);
        char *msgs;
        size_t n;
        FILE *f = open_memstream(&msgs, &n);
        sg_diag d;
        diag_init(&d, path);
        d.out = f;
        sg_spec s;
        sg_plan pl;
        bool ok = spec_load(path, &s, &d) && plan_build(&s, &pl, &d);
        fclose(f);
        ck_assert_msg(ok && !msgs[0], "%s: %s", path, msgs);
        free(msgs);
    }
}
END_TEST

int main(void)
{
    Suite *su = suite_create("plan");
    TCase *tc = tcase_create("plan");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_anchor);
    tcase_add_test(tc, test_dsp);
    tcase_add_test(tc, test_small);
    tcase_add_test(tc, test_small_sigmoid);
    tcase_add_test(tc, test_infer);
    tcase_add_test(tc, test_j1);
    tcase_add_test(tc, test_unbalanced_but_best);
    tcase_add_test(tc, test_unbalanced_suggestion);
    tcase_add_test(tc, test_text);
    tcase_add_test(tc, test_json);
    tcase_add_test(tc, test_examples);
    tcase_add_test(tc, test_roms_type1_md);
    tcase_add_test(tc, test_text_json_agree);
    tcase_add_test(tc, test_anchor_overlap);
    tcase_add_test(tc, test_copy_helpers);
    tcase_add_test(tc, test_overlap_small);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
