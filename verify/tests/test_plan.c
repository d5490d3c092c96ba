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
    ck_assert_int_eq(m->layer, layer);
    ck_assert_uint_eq(m->banks, banks);
    ck_assert_uint_eq(m->depth, depth);
    ck_assert_uint_eq(m->width, width);
    ck_assert_uint_eq(m->copies, copies);
    ck_assert_uint_eq(m->ports, ports);
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
     * per neuron, latency 8 + ceil(log2(min(128, 64))) = 14. Multipliers FF 128, BP 0 (junction 1), UP 128, other
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
    ck_assert_uint_eq(a->latency, 14);
    ck_assert_double_eq(a->density, 0.0625);
    ck_assert_uint_eq(a->mul_ff, 128);
    ck_assert_uint_eq(a->mul_bp, 0);
    ck_assert_uint_eq(a->mul_up, 128);
    ck_assert_uint_eq(a->mul_other, 4);
    ck_assert_uint_eq(a->ff_acc_width, 17);
    ck_assert_uint_eq(a->bp_acc_width, 13);
    /* Junction 2: p 64, n 32, d_out 16, d_in 32, W 1024, z 32: P 2, C 32, q 1, latency 8 + 5 = 13; FF, BP, UP 32
     * each, other 0 (output junction). Accumulators 10 + ceil(log2 33) = 16, 10 + ceil(log2 17) = 15. */
    const sg_plan_junction *b = &pl.j[1];
    ck_assert_uint_eq(b->din, 32);
    ck_assert_uint_eq(b->W, 1024);
    ck_assert_uint_eq(b->P, 2);
    ck_assert_uint_eq(b->C, 32);
    ck_assert_uint_eq(b->q, 1);
    ck_assert_uint_eq(b->latency, 13);
    ck_assert_double_eq(b->density, 0.5);
    ck_assert_uint_eq(b->mul_ff, 32);
    ck_assert_uint_eq(b->mul_bp, 32);
    ck_assert_uint_eq(b->mul_up, 32);
    ck_assert_uint_eq(b->mul_other, 0);
    ck_assert_uint_eq(b->ff_acc_width, 16);
    ck_assert_uint_eq(b->bp_acc_width, 15);
    /* Whole network: cycle max(32 + 14, 32 + 13) = 46; 5120 edges + 96 biases; density 5120 / (65536 + 2048) =
     * 7.58 % (the paper's figure); utilisation 5120 / (160 * 46); multipliers 260 + 96 = 356. */
    ck_assert_uint_eq(pl.cycle_clocks, 46);
    ck_assert_uint_eq(pl.clocks_per_train_sample, 46);
    ck_assert_uint_eq(pl.clocks_per_infer_sample, 46);
    ck_assert_uint_eq(pl.train_latency_cycles, 5);
    ck_assert_uint_eq(pl.infer_latency_cycles, 2);
    ck_assert_uint_eq(pl.delta_rmw_distance, SG_DELTA_RMW_DISTANCE);
    ck_assert(pl.rmw_applies);
    ck_assert(!pl.rmw_checked);
    ck_assert_uint_eq(pl.edges, 5120);
    ck_assert_uint_eq(pl.params, 5216);
    ck_assert_double_eq(pl.density, 5120.0 / 67584.0);
    ck_assert_double_eq(pl.utilisation, 5120.0 / (160.0 * 46.0));
    ck_assert_uint_eq(pl.multipliers, 356);
    /* Memories (train): layer 0 activations 128 banks x 8 rows x 10 bits x (2J+1 = 5) copies x 2 ports;
     * layer 1: activations 32 x 2 x 10 x 3 x 2, derivatives 32 x 2 x 10 x 4, deltas 32 x 2 x 15 (bp width of
     * junction 2) x 2; output deltas 1 x 32 x 10 x 2; weights z x C x w; biases q x n/q x w x 2 ports. */
    ck_assert_int_eq(pl.n_mems, 9);
    check_mem(&pl.mems[0], "activations", 0, 128, 8, 10, 5, 2, 102400);
    check_mem(&pl.mems[1], "activations", 1, 32, 2, 10, 3, 2, 3840);
    check_mem(&pl.mems[2], "derivatives", 1, 32, 2, 10, 4, 1, 2560);
    check_mem(&pl.mems[3], "deltas", 1, 32, 2, 15, 2, 1, 1920);
    check_mem(&pl.mems[4], "output deltas", 2, 1, 32, 10, 2, 1, 640);
    check_mem(&pl.mems[5], "weights", 1, 128, 32, 10, 1, 1, 40960);
    check_mem(&pl.mems[6], "biases", 1, 2, 32, 10, 1, 2, 1280);
    check_mem(&pl.mems[7], "weights", 2, 32, 32, 10, 1, 1, 10240);
    check_mem(&pl.mems[8], "biases", 2, 1, 32, 10, 1, 2, 640);
    ck_assert_uint_eq(pl.memory_bits, 164480);
}
END_TEST

/* A small network computed by hand: 12-6-4, d_out (2, 4), z (2, 3), relu then sigmoid, 8-bit.
 * Junction 1: d_in 12*2/6 = 4, W 24, z 2 < d_in: P 6, C 12, q 1, 2 clocks per neuron, latency 8 + ceil(log2 2) = 9,
 *   FF 2, BP 0, UP 2, other 0 (relu), acc widths 8 + ceil(log2 5) = 11 and 8 + ceil(log2 3) = 10.
 * Junction 2: d_in 6*4/4 = 6, W 24, z 3 < d_in: P 2, C 8, q 1, 2 clocks per neuron, latency 8 + ceil(log2 3) = 10,
 *   FF 3, BP 3, UP 3, other 0 (j = J), acc widths 8 + ceil(log2 7) = 11 and 8 + ceil(log2 5) = 11.
 * cycle max(12 + 9, 8 + 10) = 21; edges 48; params 58; density 48 / (72 + 24) = 0.5; utilisation 48 / (5 * 21);
 * multipliers 4 + 9 = 13. Memories: act L0 2 x 6 x 8 x 5 x 2 = 960; act L1 3 x 2 x 8 x 3 x 2 = 288; derivatives L1
 * 3 x 2 x 1 (relu) x 4 = 24; deltas L1 3 x 2 x 11 x 2 = 132; output deltas 1 x 4 x 8 x 2 = 64; weights 2 x 12 x 8 =
 * 192 and 3 x 8 x 8 = 192; biases 1 x 6 x 8 x 2 = 96 and 1 x 4 x 8 x 2 = 64; total 2012. */
static const char *small = "name: small_net\nlayers: [12, 6, 4]\nfanout: [2, 4]\nz: [2, 3]\n"
                           "format: {width: 8, frac: 5}\nactivation: [relu, sigmoid]\n";

START_TEST(test_small)
{
    sg_spec s;
    sg_plan pl;
    char *msgs;
    build(small, &s, &pl, &msgs);
    /* C = (12, 8): junction 2 can use z = 2 (valid: 2 | 6 and 2 | d_in 6) with C = 12 <= 12, latency 9, cycle still
     * 21, utilisation 48 / (4 * 21) = 57.1 %. */
    ck_assert_str_eq(msgs, "t.yaml:4:1: warning: unbalanced junctions: C = [12, 8] clocks, utilisation 45.7 %; "
                           "z: [2, 2] gives C = [12, 12], 21 clocks per junction cycle (now 21) and utilisation "
                           "57.1 %\n");
    free(msgs);
    const sg_plan_junction *a = &pl.j[0], *b = &pl.j[1];
    ck_assert_uint_eq(a->din, 4);
    ck_assert_uint_eq(a->P, 6);
    ck_assert_uint_eq(a->C, 12);
    ck_assert_uint_eq(a->q, 1);
    ck_assert_uint_eq(a->clocks_per_neuron, 2);
    ck_assert_uint_eq(a->latency, 9);
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
    ck_assert_uint_eq(b->latency, 10);
    ck_assert_uint_eq(b->mul_ff, 3);
    ck_assert_uint_eq(b->mul_bp, 3);
    ck_assert_uint_eq(b->mul_up, 3);
    ck_assert_uint_eq(b->mul_other, 0);
    ck_assert_uint_eq(b->ff_acc_width, 11);
    ck_assert_uint_eq(b->bp_acc_width, 11);
    ck_assert_uint_eq(pl.cycle_clocks, 21);
    ck_assert_uint_eq(pl.edges, 48);
    ck_assert_uint_eq(pl.params, 58);
    ck_assert_double_eq(pl.density, 0.5);
    ck_assert_double_eq(pl.utilisation, 48.0 / 105.0);
    ck_assert_uint_eq(pl.multipliers, 13);
    ck_assert_int_eq(pl.n_mems, 9);
    check_mem(&pl.mems[0], "activations", 0, 2, 6, 8, 5, 2, 960);
    check_mem(&pl.mems[1], "activations", 1, 3, 2, 8, 3, 2, 288);
    check_mem(&pl.mems[2], "derivatives", 1, 3, 2, 1, 4, 1, 24);
    check_mem(&pl.mems[3], "deltas", 1, 3, 2, 11, 2, 1, 132);
    check_mem(&pl.mems[4], "output deltas", 2, 1, 4, 8, 2, 1, 64);
    check_mem(&pl.mems[5], "weights", 1, 2, 12, 8, 1, 1, 192);
    check_mem(&pl.mems[6], "biases", 1, 1, 6, 8, 1, 2, 96);
    check_mem(&pl.mems[7], "weights", 2, 3, 8, 8, 1, 1, 192);
    check_mem(&pl.mems[8], "biases", 2, 1, 4, 8, 1, 2, 64);
    ck_assert_uint_eq(pl.memory_bits, 2012);
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
    check_mem(&pl.mems[2], "derivatives", 1, 2, 3, 8, 4, 1, 192);
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
    ck_assert_uint_eq(pl.clocks_per_infer_sample, 21); /* max(12 + 9, 12 + 9) */
    ck_assert_uint_eq(pl.train_latency_cycles, 0);
    ck_assert_uint_eq(pl.infer_latency_cycles, 2);
    ck_assert(!pl.rmw_applies);
    ck_assert_int_eq(pl.n_mems, 6);
    check_mem(&pl.mems[0], "activations", 0, 2, 6, 8, 2, 1, 192);
    check_mem(&pl.mems[1], "activations", 1, 2, 3, 8, 2, 1, 96);
    check_mem(&pl.mems[2], "weights", 1, 2, 12, 8, 1, 1, 192);
    check_mem(&pl.mems[3], "biases", 1, 1, 6, 8, 1, 1, 48);
    check_mem(&pl.mems[4], "weights", 2, 2, 12, 8, 1, 1, 192);
    check_mem(&pl.mems[5], "biases", 2, 1, 4, 8, 1, 1, 32);
    ck_assert_uint_eq(pl.memory_bits, 752);
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
    check_mem(&pl.mems[0], "activations", 0, 1, 12, 12, 3, 2, 864);
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
    ck_assert_uint_eq(pl.cycle_clocks, 336 + 8 + 7);
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
    /* now: latencies 8 + ceil(log2 14) = 12 and 8 + ceil(log2 112) = 15: cycle max(40, 25) = 40, utilisation
     * 2688 / (168 * 40) = 40.0 %; suggested z (56, 56): junction 2 latency 8 + 6 = 14, cycle max(40, 34) = 40,
     * utilisation 2688 / (112 * 40) = 60.0 %. */
    ck_assert_str_eq(msgs, "t.yaml:4:1: warning: unbalanced junctions: C = [28, 10] clocks, utilisation 40.0 %; "
                           "z: [56, 56] gives C = [28, 20], 40 clocks per junction cycle (now 40) and utilisation "
                           "60.0 %\n");
    free(msgs);
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
        "\n   1     1024       64      4     64       4096   6.25 %     128      8        32    2       1      14 "
        "       46     128       0     128     4\n",
        "\n  activations    layer 0         128 x       8 x    10 x      5 x     2         102400\n",
        "\n  biases         junction 2        1 x      32 x    10 x      1 x     2            640\n",
        "\n  total                                                                        164480\n",
        "\n  density                        7.58 % (5120 of 67584 possible edges)\n",
        "\n  parameters                     5216 (5120 weights, 96 biases)\n",
        "\n  memory                         164480 bits (20.1 KiB)\n",
        "\n  multipliers                    356 (FF 160, BP 32, UP 160, other 4)\n",
        "\n  clocks per junction cycle      46 (max over junctions of C + latency)\n",
        "\n  clocks per training sample     46 (steady state)\n",
        "\n  clocks per inference sample    46 (steady state)\n",
        "\n  pipeline latency               5 junction cycles per training sample (2J + 1); predictions after 2\n",
        "\n  delta RMW distance             required 1; patterns not checked\n",
        "\n  utilisation                    69.57 % (edges / (sum of z x clocks per junction cycle))\n",
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
    json_t *j2 = json_array_get(json_object_get(o, "junctions"), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(j2, "d_in")), 6);
    ck_assert_int_eq(json_integer_value(json_object_get(j2, "clocks")), 18);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j2, "multipliers"), "bp")), 3);
    json_t *mems = json_object_get(o, "memories");
    ck_assert_int_eq((int)json_array_size(mems), 9);
    json_t *m2 = json_array_get(mems, 2);
    ck_assert_str_eq(json_string_value(json_object_get(m2, "what")), "derivatives");
    ck_assert_int_eq(json_integer_value(json_object_get(m2, "bits")), 24);
    json_t *w = json_array_get(mems, 5);
    ck_assert_int_eq(json_integer_value(json_object_get(w, "junction")), 1);
    json_t *t = json_object_get(o, "totals");
    ck_assert_int_eq(json_integer_value(json_object_get(t, "memory_bits")), 2012);
    ck_assert_int_eq(json_integer_value(json_object_get(t, "cycle_clocks")), 21);
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
    tcase_add_test(tc, test_small);
    tcase_add_test(tc, test_small_sigmoid);
    tcase_add_test(tc, test_infer);
    tcase_add_test(tc, test_j1);
    tcase_add_test(tc, test_unbalanced_but_best);
    tcase_add_test(tc, test_unbalanced_suggestion);
    tcase_add_test(tc, test_text);
    tcase_add_test(tc, test_json);
    tcase_add_test(tc, test_examples);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
