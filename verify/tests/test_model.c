/* test_model.c: the golden model (verify/model.c): hand-computed examples, the schedule (against an independent,
 * deliberately naive reference that snapshots the weights every cycle), pipelined == sequential with spacing,
 * staleness, infer mode, overlapped junction cycles (hand-over gap 2), Glorot initialisation, weight files and every
 * load error, the float model. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../gen/rng.h"
#include "../fixed.h"
#include "../model.h"

#define CHECK_EQ(got, want)                                                                                        \
    do {                                                                                                           \
        int64_t g_ = (got), w_ = (want);                                                                           \
        if (g_ != w_) ck_abort_msg("line %d: %s = %lld, want %lld", __LINE__, #got, (long long)g_, (long long)w_); \
    } while (0)

/* ---- networks built by hand: spec fields filled directly, patterns built here ------------------------------ */

typedef struct {
    sg_spec s;
    sg_pattern pt[SG_MAX_J];
} net;

static void net_spec(net *nt, const char *name, int J, const uint32_t *layers, const uint32_t *fanout, const sg_act *act,
                     int w, int F, int B)
{
    memset(nt, 0, sizeof *nt);
    sg_spec *s = &nt->s;
    snprintf(s->name, sizeof s->name, "%s", name);
    s->J = J;
    for (int h = 0; h <= J; h++) s->layers[h] = layers[h];
    for (int j = 0; j < J; j++) {
        s->fanout[j] = fanout[j];
        s->z[j] = 1;
        s->act[j] = act[j];
    }
    s->width = w;
    s->frac = F;
    s->input_bits = B;
    s->features = layers[0];
    s->classes = layers[J];
    s->lr_shift = 0;
    s->family = SG_FAM_TYPE2;
    s->zero_start = true;
    s->conn_seed = 1;
    s->init_seed = 7;
    s->train_seed = 1;
    s->mode = SG_MODE_TRAIN;
}

/* Pattern of junction j with z = 1. perm == NULL: left(i) = i mod p (the zero-start type 2 pattern). Otherwise
 * each sweep of p edges visits the left neurons in its own random order (a valid pattern: every left neuron gets
 * exactly dout edges). */
static void net_pattern(net *nt, int j, sg_rng *perm)
{
    sg_pattern *pt = &nt->pt[j - 1];
    uint32_t p = spec_p(&nt->s, j), n = spec_n(&nt->s, j), W = spec_W(&nt->s, j);
    memset(pt, 0, sizeof *pt);
    pt->j = j;
    pt->p = p;
    pt->n = n;
    pt->dout = nt->s.fanout[j - 1];
    pt->din = W / n;
    pt->z = 1;
    pt->W = W;
    pt->C = W;
    pt->P = p;
    pt->left = malloc(W * sizeof *pt->left);
    uint32_t *order = malloc(p * sizeof *order);
    for (uint32_t sw = 0; sw < pt->dout; sw++) {
        for (uint32_t i = 0; i < p; i++) order[i] = i;
        if (perm) rng_shuffle_u32(perm, order, p);
        for (uint32_t i = 0; i < p; i++) pt->left[sw * p + i] = order[i];
    }
    free(order);
}

static void net_patterns(net *nt, sg_rng *perm)
{
    for (int j = 1; j <= nt->s.J; j++) net_pattern(nt, j, perm);
}

static void net_free(net *nt)
{
    for (int j = 0; j < nt->s.J; j++) free(nt->pt[j].left);
}

/* ---- result collection ---- */

typedef struct {
    long id;
    int prediction;
    uint64_t cycle;       /* model_cycle calls completed before the callback's call */
    uint32_t n_out;
    int64_t act[16], pre[16];
    double actf[16];
} res;

typedef struct {
    int n;
    res r[256];
    uint64_t cycle;
} results;

static void collect(void *ctx, const sg_result *r)
{
    results *rs = ctx;
    ck_assert_int_lt(rs->n, 256);
    ck_assert_uint_le(r->n_out, 16);
    res *o = &rs->r[rs->n++];
    o->id = r->id;
    o->prediction = r->prediction;
    o->cycle = rs->cycle;
    o->n_out = r->n_out;
    for (uint32_t i = 0; i < r->n_out; i++) {
        if (r->act) {
            ck_assert_ptr_null(r->actf);
            o->act[i] = r->act[i];
            o->pre[i] = r->pre[i];
        } else {
            ck_assert_ptr_nonnull(r->actf);
            ck_assert_ptr_null(r->pre);
            o->actf[i] = r->actf[i];
        }
    }
}

static void results_equal(const results *a, const results *b, bool fixed, const char *what)
{
    if (a->n != b->n) ck_abort_msg("%s: %d results vs %d", what, a->n, b->n);
    for (int i = 0; i < a->n; i++) {
        const res *x = &a->r[i], *y = &b->r[i];
        if (x->id != y->id || x->prediction != y->prediction || x->n_out != y->n_out)
            ck_abort_msg("%s: result %d: id %ld/%ld prediction %d/%d", what, i, x->id, y->id, x->prediction,
                         y->prediction);
        for (uint32_t k = 0; k < x->n_out; k++) {
            if (fixed && (x->act[k] != y->act[k] || x->pre[k] != y->pre[k]))
                ck_abort_msg("%s: result %d (id %ld) output %u: act %lld/%lld pre %lld/%lld", what, i, x->id, k,
                             (long long)x->act[k], (long long)y->act[k], (long long)x->pre[k], (long long)y->pre[k]);
            if (!fixed && memcmp(&x->actf[k], &y->actf[k], sizeof(double)))
                ck_abort_msg("%s: result %d (id %ld) output %u: %.17g / %.17g", what, i, x->id, k, x->actf[k],
                             y->actf[k]);
        }
    }
}

/* Returns the number of parameters that differ (fixed or float, bitwise). */
static long params_diff(sg_model *a, sg_model *b, const sg_spec *s)
{
    long d = 0;
    for (int j = 1; j <= s->J; j++) {
        uint32_t W = spec_W(s, j), n = spec_n(s, j);
        if (model_kind(a) == SG_MODEL_FIXED) {
            for (uint32_t e = 0; e < W; e++) d += model_weights(a, j)[e] != model_weights(b, j)[e];
            for (uint32_t r = 0; r < n; r++) d += model_biases(a, j)[r] != model_biases(b, j)[r];
        } else {
            for (uint32_t e = 0; e < W; e++) d += memcmp(&model_weightsf(a, j)[e], &model_weightsf(b, j)[e], 8) != 0;
            for (uint32_t r = 0; r < n; r++) d += memcmp(&model_biasesf(a, j)[r], &model_biasesf(b, j)[r], 8) != 0;
        }
    }
    return d;
}

static void set_params(sg_model *m, int j, const int32_t *w, uint32_t W, const int32_t *b, uint32_t n)
{
    memcpy(model_weights(m, j), w, W * sizeof *w);
    memcpy(model_biases(m, j), b, n * sizeof *b);
}

/* Runs f(arg) with stderr captured into msg. */
static void capture_stderr(void (*f)(void *), void *arg, char *msg, size_t cap)
{
    fflush(stderr);
    FILE *t = tmpfile();
    ck_assert_ptr_nonnull(t);
    int saved = dup(2);
    dup2(fileno(t), 2);
    f(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(t);
    size_t n = fread(msg, 1, cap - 1, t);
    msg[n] = 0;
    fclose(t);
}

/* ---- hand-computed examples --------------------------------------------------------------------------------- */

/* The "hand2" network: layers [4, 2, 2], fan-outs [1, 2], sigmoid, w 8, F 4 (ONE = 16, range [-128, 127]), B 4.
 * Junction 1: left = [0, 1, 2, 3] (i mod 4), d_in 2; junction 2: left = [0, 1, 0, 1] (i mod 2), d_in 2.
 * W1 = [8, -24, 40, 12], b1 = [3, -5]; W2 = [20, -10, -6, 30], b2 = [1, 2]. Input x = [5, 10, 3, 15] with B 4:
 * a0 = rnd(x 16, 4) = x.  Sigmoid table (R 0, T 8): sig(s) = floor(16 / (1 + e^(-s/16)) + 1/2).
 *
 * FF 1: mul(5, 8)    = rnd(40, 4)   = floor(48/16)   = 3;   mul(10, -24) = rnd(-240, 4) = floor(-232/16) = -15
 *       s1_0 = 3 + 3 - 15 = -9;                           a1_0 = sig(-9) = floor(16 / (1 + e^0.5625) + .5)
 *                                                                = floor(5.808 + .5) = 6
 *       mul(3, 40)   = rnd(120, 4)  = floor(128/16)  = 8;   mul(15, 12)  = rnd(180, 4)  = floor(188/16)  = 11
 *       s1_1 = -5 + 8 + 11 = 14;                          a1_1 = sig(14) = floor(11.293 + .5) = 11
 * FF 2: mul(6, 20)   = rnd(120, 4)  = 8;                    mul(11, -10) = rnd(-110, 4) = floor(-102/16) = -7
 *       s2_0 = 1 + 8 - 7 = 2;                             a2_0 = sig(2) = floor(8.499 + .5) = 8
 *       mul(6, -6)   = rnd(-36, 4)  = floor(-28/16)  = -2;  mul(11, 30)  = rnd(330, 4)  = floor(338/16)  = 21
 *       s2_1 = 2 - 2 + 21 = 21;                           a2_1 = sig(21) = floor(12.607 + .5) = 13
 * prediction = 1 (21 > 2). Label 0: y = [16, 0], delta2 = [8 - 16, 13 - 0] = [-8, 13].
 * BP 2 (weights before the update): g_0 = mul(-8, 20) + mul(13, -6) = rnd(-160, 4) + rnd(-78, 4)
 *                                       = floor(-152/16) + floor(-70/16) = -10 - 5 = -15
 *                                   g_1 = mul(-8, -10) + mul(13, 30) = floor(88/16) + floor(398/16) = 5 + 24 = 29
 *       a'_0 = mul(6, 10) = floor(68/16) = 4;  a'_1 = mul(11, 5) = floor(63/16) = 3
 *       delta1_0 = mul(4, -15) = floor(-52/16) = -4;  delta1_1 = mul(3, 29) = floor(95/16) = 5
 * UP 2, k = 0 (F + k = 4): w += rnd(-delta_r a_x, 4)
 *       e0 (r0, x0): rnd(48, 4) = 3 -> 23;     e1 (r0, x1): rnd(88, 4) = 6 -> -4
 *       e2 (r1, x0): rnd(-78, 4) = -5 -> -11;  e3 (r1, x1): rnd(-143, 4) = floor(-135/16) = -9 -> 21
 *       b += rnd(-delta, 0): b2 = [1 + 8, 2 - 13] = [9, -11]
 * UP 1, k = 0: e0 (r0, x0): rnd(20, 4) = 1 -> 9;     e1 (r0, x1): rnd(40, 4) = 3 -> -21
 *              e2 (r1, x2): rnd(-15, 4) = floor(-7/16) = -1 -> 39;  e3 (r1, x3): rnd(-75, 4) = -5 -> 7
 *              b1 = [3 + 4, -5 - 5] = [7, -10]
 * (A Python transcription of the contract, out of tree, agrees with every number.) */
static const int32_t H2_W1[] = { 8, -24, 40, 12 }, H2_B1[] = { 3, -5 }, H2_W2[] = { 20, -10, -6, 30 },
                     H2_B2[] = { 1, 2 };
static const uint16_t H2_X[] = { 5, 10, 3, 15 };

static void hand2_net(net *nt, sg_act out_act)
{
    uint32_t layers[] = { 4, 2, 2 }, fanout[] = { 1, 2 };
    sg_act act[] = { SG_ACT_SIGMOID, out_act };
    net_spec(nt, "hand2", 2, layers, fanout, act, 8, 4, 4);
    net_patterns(nt, NULL);
}

static sg_model *hand2_model(net *nt, sg_model_kind kind)
{
    sg_model *m = model_new(&nt->s, nt->pt, kind);
    ck_assert_ptr_nonnull(m);
    if (kind == SG_MODEL_FIXED) {
        set_params(m, 1, H2_W1, 4, H2_B1, 2);
        set_params(m, 2, H2_W2, 4, H2_B2, 2);
    }
    return m;
}

static void check_hand2_after(sg_model *m)
{
    const int32_t w1[] = { 9, -21, 39, 7 }, b1[] = { 7, -10 }, w2[] = { 23, -4, -11, 21 }, b2[] = { 9, -11 };
    for (int e = 0; e < 4; e++) {
        CHECK_EQ(model_weights(m, 1)[e], w1[e]);
        CHECK_EQ(model_weights(m, 2)[e], w2[e]);
    }
    for (int r = 0; r < 2; r++) {
        CHECK_EQ(model_biases(m, 1)[r], b1[r]);
        CHECK_EQ(model_biases(m, 2)[r], b2[r]);
    }
}

static void check_hand2_result(const res *r)
{
    ck_assert_int_eq(r->id, 42);
    ck_assert_int_eq(r->prediction, 1);
    ck_assert_uint_eq(r->n_out, 2);
    ck_assert_int_eq(r->pre[0], 2);
    ck_assert_int_eq(r->pre[1], 21);
    ck_assert_int_eq(r->act[0], 8);
    ck_assert_int_eq(r->act[1], 13);
}

START_TEST(test_hand2_sequential)
{
    net nt;
    hand2_net(&nt, SG_ACT_SIGMOID);
    sg_model *m = hand2_model(&nt, SG_MODEL_FIXED);
    results rs = { 0 };
    sg_sample in = { .x = H2_X, .label = 0, .shift = 0, .update = true, .id = 42 };
    model_sequential(m, &in, collect, &rs);
    ck_assert_int_eq(rs.n, 1);
    check_hand2_result(&rs.r[0]);
    check_hand2_after(m);
    /* edge operations: FF 4 + 4, BP 4 (junction 2 only), UP 4 + 4 */
    ck_assert_uint_eq(model_edge_ops(m), 20);
    model_free(m);
    net_free(&nt);
}
END_TEST

START_TEST(test_hand2_pipelined)
{
    /* J = 2: the sample enters in cycle 0, its result comes in cycle 2 (FF of junction 2), BP/UP of junction 2 in
     * cycle 3, UP of junction 1 in cycle 4; a flush is 4 empty cycles. */
    net nt;
    hand2_net(&nt, SG_ACT_SIGMOID);
    sg_model *m = hand2_model(&nt, SG_MODEL_FIXED);
    results rs = { 0 };
    sg_sample in = { .x = H2_X, .label = 0, .shift = 0, .update = true, .id = 42 };
    model_cycle(m, &in, collect, &rs);
    rs.cycle++;
    for (int c = 1; c <= 4; c++) {
        model_cycle(m, NULL, collect, &rs);
        rs.cycle++;
        ck_assert_int_eq(rs.n, c >= 2);
        if (c == 3) { /* junction 2 updated at the end of cycle 3; junction 1 not yet */
            CHECK_EQ(model_weights(m, 2)[3], 21);
            CHECK_EQ(model_weights(m, 1)[3], 12);
            CHECK_EQ(model_biases(m, 1)[1], -5);
        }
    }
    ck_assert_uint_eq(rs.r[0].cycle, 2);
    check_hand2_result(&rs.r[0]);
    check_hand2_after(m);
    ck_assert_uint_eq(model_edge_ops(m), 20);
    model_flush(m, collect, &rs); /* nothing more happens */
    ck_assert_int_eq(rs.n, 1);
    check_hand2_after(m);
    ck_assert_uint_eq(model_edge_ops(m), 20);
    model_free(m);
    net_free(&nt);
}
END_TEST

START_TEST(test_hand2_pipelined_overlap)
{
    /* J = 2 with overlapped junction cycles (g = 2): the sample enters in cycle 0, FF of junction 1 in cycle 2, its
     * result in cycle 4 (FF of junction 2), BP/UP of junction 2 in cycle 2(2J - 2 + 1) = 6, UP of junction 1 in
     * cycle 2 * 2J = 8; a flush is 2gJ = 8 empty cycles. The numbers are those of the sequential schedule. */
    net nt;
    hand2_net(&nt, SG_ACT_SIGMOID);
    nt.s.overlap = true;
    sg_model *m = hand2_model(&nt, SG_MODEL_FIXED);
    ck_assert_int_eq(model_flush_cycles(m), 8);
    results rs = { 0 };
    sg_sample in = { .x = H2_X, .label = 0, .shift = 0, .update = true, .id = 42 };
    model_cycle(m, &in, collect, &rs);
    rs.cycle++;
    for (int c = 1; c <= 8; c++) {
        model_cycle(m, NULL, collect, &rs);
        rs.cycle++;
        ck_assert_int_eq(rs.n, c >= 4);
        /* edge operations: FF of junction 1 (4) from cycle 2, FF of junction 2 (4) from cycle 4, BP and UP of
         * junction 2 (8) from cycle 6, UP of junction 1 (4) in cycle 8 */
        ck_assert_uint_eq(model_edge_ops(m), (uint64_t)(c >= 2) * 4 + (c >= 4) * 4 + (c >= 6) * 8 + (c >= 8) * 4);
        if (c < 6) {
            for (int e = 0; e < 4; e++) CHECK_EQ(model_weights(m, 2)[e], H2_W2[e]);
        }
        if (c >= 6 && c < 8) { /* junction 2 updated at the end of cycle 6; junction 1 not yet */
            CHECK_EQ(model_weights(m, 2)[3], 21);
            CHECK_EQ(model_weights(m, 1)[3], 12);
            CHECK_EQ(model_biases(m, 1)[1], -5);
        }
    }
    ck_assert_uint_eq(rs.r[0].cycle, 4);
    check_hand2_result(&rs.r[0]);
    check_hand2_after(m);
    model_flush(m, collect, &rs); /* nothing more happens */
    ck_assert_int_eq(rs.n, 1);
    check_hand2_after(m);
    ck_assert_uint_eq(model_edge_ops(m), 20);
    model_free(m);
    net_free(&nt);
}
END_TEST

START_TEST(test_hand2_eval_and_predict)
{
    /* update = false: FF and prediction only; infer specs never update even when asked to. */
    net nt;
    hand2_net(&nt, SG_ACT_SIGMOID);
    sg_model *m = hand2_model(&nt, SG_MODEL_FIXED);
    results rs = { 0 };
    sg_sample in = { .x = H2_X, .label = 0, .shift = 0, .update = false, .id = 42 };
    model_sequential(m, &in, collect, &rs);
    model_cycle(m, &in, collect, &rs);
    model_flush(m, collect, &rs);
    ck_assert_int_eq(rs.n, 2);
    check_hand2_result(&rs.r[0]);
    check_hand2_result(&rs.r[1]);
    ck_assert_int_eq(model_predict(m, H2_X), 1);
    ck_assert_uint_eq(model_edge_ops(m), 24); /* three FF passes of 8 edges */
    for (int e = 0; e < 4; e++) CHECK_EQ(model_weights(m, 1)[e], H2_W1[e]);
    for (int e = 0; e < 4; e++) CHECK_EQ(model_weights(m, 2)[e], H2_W2[e]);
    model_free(m);

    nt.s.mode = SG_MODE_INFER;
    m = hand2_model(&nt, SG_MODEL_FIXED);
    in.update = true;
    rs.n = 0;
    model_sequential(m, &in, collect, &rs);
    model_cycle(m, &in, collect, &rs);
    model_flush(m, collect, &rs);
    ck_assert_int_eq(rs.n, 2);
    check_hand2_result(&rs.r[1]);
    for (int e = 0; e < 4; e++) CHECK_EQ(model_weights(m, 2)[e], H2_W2[e]);
    for (int r = 0; r < 2; r++) CHECK_EQ(model_biases(m, 1)[r], H2_B1[r]);
    model_free(m);
    net_free(&nt);
}
END_TEST

/* J = 1, relu, w 8, F 4, B 4: layers [4, 2], fan-out 1, left = [0, 1, 2, 3]. W = [-20, 127, -128, -128],
 * b = [100, -100], x = [15, 15, 15, 15] (a0 = 15), label 1.
 * FF: mul(15, -20) = rnd(-300, 4) = floor(-292/16) = -19; mul(15, 127) = rnd(1905, 4) = floor(1913/16) = 119;
 *     s0 = sat(100 - 19 + 119 = 200) = 127 (saturated once), a0 = 127;
 *     mul(15, -128) = rnd(-1920, 4) = -120; s1 = sat(-100 - 240 = -340) = -128, a1 = max(-128, 0) = 0.
 * prediction 0. delta: r0: a 127 > 0, y 0: sat(127 - 0) = 127; r1: a = 0 -> delta 0 (relu output).
 * k = 0: w0 = sat(-20 + rnd(-127 * 15, 4)) = sat(-20 + floor(-1897/16) = -20 - 119) = sat(-139) = -128;
 *        w1 = 127 - 119 = 8; b0 = sat(100 - 127) = -27; neuron 1 unchanged.
 * k = 2: rnd(-1905, 6) = floor(-1873/64) = -30: w0 = -50, w1 = 97; b0 = 100 + rnd(-127, 2) = 100 + floor(-125/4)
 *        = 100 - 32 = 68. */
START_TEST(test_hand1_relu_saturation)
{
    int k = _i == 0 ? 0 : 2;
    uint32_t layers[] = { 4, 2 }, fanout[] = { 1 };
    sg_act act[] = { SG_ACT_RELU };
    net nt;
    net_spec(&nt, "hand1", 1, layers, fanout, act, 8, 4, 4);
    net_patterns(&nt, NULL);
    const int32_t w[] = { -20, 127, -128, -128 }, b[] = { 100, -100 };
    const uint16_t x[] = { 15, 15, 15, 15 };
    for (int pipelined = 0; pipelined < 2; pipelined++) {
        sg_model *m = model_new(&nt.s, nt.pt, SG_MODEL_FIXED);
        set_params(m, 1, w, 4, b, 2);
        results rs = { 0 };
        sg_sample in = { .x = x, .label = 1, .shift = k, .update = true, .id = 1 };
        if (pipelined) {
            model_cycle(m, &in, collect, &rs);
            ck_assert_int_eq(rs.n, 0);
            model_cycle(m, NULL, collect, &rs); /* FF of junction 1 */
            ck_assert_int_eq(rs.n, 1);
            CHECK_EQ(model_weights(m, 1)[0], -20); /* UP comes in the next cycle */
            model_cycle(m, NULL, collect, &rs);
        } else {
            model_sequential(m, &in, collect, &rs);
        }
        ck_assert_int_eq(rs.n, 1);
        ck_assert_int_eq(rs.r[0].pre[0], 127);
        ck_assert_int_eq(rs.r[0].pre[1], -128);
        ck_assert_int_eq(rs.r[0].act[0], 127);
        ck_assert_int_eq(rs.r[0].act[1], 0);
        ck_assert_int_eq(rs.r[0].prediction, 0);
        const int32_t *wn = model_weights(m, 1), *bn = model_biases(m, 1);
        CHECK_EQ(wn[0], k == 0 ? -128 : -50);
        CHECK_EQ(wn[1], k == 0 ? 8 : 97);
        CHECK_EQ(wn[2], -128);
        CHECK_EQ(wn[3], -128);
        CHECK_EQ(bn[0], k == 0 ? -27 : 68);
        CHECK_EQ(bn[1], -100);
        ck_assert_uint_eq(model_edge_ops(m), 8); /* FF 4, UP 4 (junction 1 has no BP) */
        model_free(m);
    }
    net_free(&nt);
}
END_TEST

/* Saturation of every product and of the BP sum (w 8, F 4, B 4, k 0, label 0, x = [15] so a0 = 15).
 * (a) layers [1, 1, 1], relu hidden, sigmoid output; W1 = [127], b1 = [127], W2 = [127], b2 = [-128].
 *     s1 = sat(127 + mul(15, 127) = 127 + 119) = 127, a1 = 127 (relu: above ONE).
 *     mul(127, 127) = sat(rnd(16129, 4) = floor(16137/16) = 1008) = 127: the product saturates before the sum,
 *     s2 = sat(-128 + 127) = -1 (without the product saturation it would be 127), a2 = sig(-1) =
 *     floor(16 / (1 + e^(1/16)) + 1/2) = floor(7.75 + .5) = 8. delta2 = 8 - 16 = -8.
 *     g = mul(-8, 127) = floor(-1008/16) = -63; a'1 = ONE (relu, a > 0); delta1 = mul(16, -63) = -63.
 *     UP: W2 = sat(127 + rnd(8 * 127, 4) = 127 + 64) = 127; b2 = -128 + 8 = -120;
 *         W1 = sat(127 + rnd(63 * 15, 4) = 127 + 59) = 127; b1 = sat(127 + 63) = 127.
 * (b) layers [1, 1, 3], sigmoid, fan-outs [1, 3]; W1 = [0], b1 = [0], W2 = [127, 127, 127], b2 = [127, 127, 127].
 *     s1 = 0, a1 = sig(0) = 8, a'1 = mul(8, 8) = 4. s2_r = sat(127 + mul(8, 127) = 127 + 64) = 127,
 *     a2_r = sig(127) = floor(16 / (1 + e^-7.94) + .5) = 16. delta2 = [16 - 16, 16, 16] = [0, 16, 16].
 *     g = mul(0, 127) + mul(16, 127) + mul(16, 127) = 0 + 127 + 127 = 254, saturated once: 127;
 *     delta1 = mul(4, 127) = floor(516/16) = 32 (mul(4, 254) would be 64).
 *     UP: W2 = [127, 127 + rnd(-16 * 8, 4) = 119, 119], b2 = [127, 111, 111];
 *         W1 = rnd(-32 * 15, 4) = floor(-472/16) = -30, b1 = -32. */
START_TEST(test_hand3_saturation)
{
    uint32_t la[] = { 1, 1, 1 }, fa[] = { 1, 1 }, lb[] = { 1, 1, 3 }, fb[] = { 1, 3 };
    sg_act aa[] = { SG_ACT_RELU, SG_ACT_SIGMOID }, ab[] = { SG_ACT_SIGMOID, SG_ACT_SIGMOID };
    const uint16_t x[] = { 15 };
    sg_sample in = { .x = x, .label = 0, .shift = 0, .update = true, .id = 3 };
    net nt;
    results rs = { 0 };

    net_spec(&nt, "hand3a", 2, la, fa, aa, 8, 4, 4);
    net_patterns(&nt, NULL);
    sg_model *m = model_new(&nt.s, nt.pt, SG_MODEL_FIXED);
    const int32_t w127[] = { 127, 127, 127 }, bm128[] = { -128 }, b127[] = { 127, 127, 127 }, zero[] = { 0 };
    set_params(m, 1, w127, 1, b127, 1);
    set_params(m, 2, w127, 1, bm128, 1);
    model_sequential(m, &in, collect, &rs);
    ck_assert_int_eq(rs.r[0].pre[0], -1);
    ck_assert_int_eq(rs.r[0].act[0], 8);
    CHECK_EQ(model_weights(m, 2)[0], 127);
    CHECK_EQ(model_biases(m, 2)[0], -120);
    CHECK_EQ(model_weights(m, 1)[0], 127);
    CHECK_EQ(model_biases(m, 1)[0], 127);
    model_free(m);
    net_free(&nt);

    net_spec(&nt, "hand3b", 2, lb, fb, ab, 8, 4, 4);
    net_patterns(&nt, NULL);
    m = model_new(&nt.s, nt.pt, SG_MODEL_FIXED);
    set_params(m, 1, zero, 1, zero, 1);
    set_params(m, 2, w127, 3, b127, 3);
    rs.n = 0;
    model_sequential(m, &in, collect, &rs);
    for (int r = 0; r < 3; r++) {
        ck_assert_int_eq(rs.r[0].pre[r], 127);
        ck_assert_int_eq(rs.r[0].act[r], 16);
    }
    ck_assert_int_eq(rs.r[0].prediction, 0);
    const int32_t w2[] = { 127, 119, 119 }, b2[] = { 127, 111, 111 };
    for (int r = 0; r < 3; r++) {
        CHECK_EQ(model_weights(m, 2)[r], w2[r]);
        CHECK_EQ(model_biases(m, 2)[r], b2[r]);
    }
    CHECK_EQ(model_weights(m, 1)[0], -30);
    CHECK_EQ(model_biases(m, 1)[0], -32);
    model_free(m);
    net_free(&nt);
}
END_TEST

START_TEST(test_prediction_ties_and_classes)
{
    /* layers [2, 4], fan-out 4 (fully connected, d_in 2), all weights 0: s = b. classes 3.
     * b = [5, 9, 9, 50]: the highest s among the first 3 outputs is 9 at 1 and 2: the lowest index, 1, wins;
     * output 3 (s 50) is not a class. */
    uint32_t layers[] = { 2, 4 }, fanout[] = { 4 };
    sg_act act[] = { SG_ACT_RELU };
    net nt;
    net_spec(&nt, "ties", 1, layers, fanout, act, 10, 5, 8);
    nt.s.classes = 3;
    net_patterns(&nt, NULL);
    sg_model *m = model_new(&nt.s, nt.pt, SG_MODEL_FIXED);
    const int32_t w[8] = { 0 }, b[] = { 5, 9, 9, 50 };
    set_params(m, 1, w, 8, b, 4);
    const uint16_t x[] = { 100, 200 };
    ck_assert_int_eq(model_predict(m, x), 1);
    model_biases(m, 1)[0] = 9;
    ck_assert_int_eq(model_predict(m, x), 0);
    model_biases(m, 1)[2] = 10;
    ck_assert_int_eq(model_predict(m, x), 2);
    model_free(m);
    net_free(&nt);
}
END_TEST

START_TEST(test_glorot_init)
{
    /* docs/arithmetic.md §9, recomputed here: junction j draws 12 u32 per edge from stream (init.seed, j). */
    uint32_t layers[] = { 12, 8, 6 }, fanout[] = { 4, 3 };
    sg_act act[] = { SG_ACT_SIGMOID, SG_ACT_SIGMOID };
    net nt;
    net_spec(&nt, "glorot", 2, layers, fanout, act, 12, 8, 8);
    nt.s.init_seed = 0x1234;
    sg_rng pr;
    rng_init(&pr, 99, 0);
    net_patterns(&nt, &pr);
    sg_model *m = model_new(&nt.s, nt.pt, SG_MODEL_FIXED), *mf = model_new(&nt.s, nt.pt, SG_MODEL_FLOAT);
    int nonzero = 0;
    for (int j = 1; j <= 2; j++) {
        sg_rng r;
        rng_init(&r, 0x1234, (uint64_t)j);
        uint32_t W = spec_W(&nt.s, j), din = spec_din(&nt.s, j), dout = nt.s.fanout[j - 1];
        double sigma = sqrt(2.0 / (din + dout));
        for (uint32_t e = 0; e < W; e++) {
            uint64_t sum = 0;
            for (int i = 0; i < 12; i++) sum += rng_u32(&r);
            double g = (double)sum / 4294967296.0 - 6.0;
            double v = floor(g * sigma * 256.0 + 0.5);
            int64_t c = v < -2048 ? -2048 : v > 2047 ? 2047 : (int64_t)v;
            CHECK_EQ(model_weights(m, j)[e], c);
            ck_assert(model_weightsf(mf, j)[e] == (double)c / 256.0);
            nonzero += c != 0;
        }
        for (uint32_t r2 = 0; r2 < spec_n(&nt.s, j); r2++) {
            CHECK_EQ(model_biases(m, j)[r2], 0);
            ck_assert(model_biasesf(mf, j)[r2] == 0.0);
        }
    }
    ck_assert_int_gt(nonzero, 50);
    /* the accessors of the other kind return NULL */
    ck_assert_ptr_null(model_weightsf(m, 1));
    ck_assert_ptr_null(model_weights(mf, 1));
    ck_assert_ptr_null(model_weights(m, 3));
    ck_assert_ptr_null(model_biases(m, 0));
    ck_assert_int_eq(model_kind(m), SG_MODEL_FIXED);
    ck_assert_int_eq(model_kind(mf), SG_MODEL_FLOAT);
    model_free(m);
    model_free(mf);

    /* statistics on a larger junction: mean ~ 0, standard deviation ~ sigma 2^F */
    uint32_t l2[] = { 256, 256 }, f2[] = { 64 };
    net big;
    net_spec(&big, "glorot2", 1, l2, f2, act, 16, 12, 8);
    net_patterns(&big, NULL);
    m = model_new(&big.s, big.pt, SG_MODEL_FIXED);
    double s1 = 0, s2 = 0, sigma = sqrt(2.0 / 128) * 4096;
    uint32_t W = spec_W(&big.s, 1);
    for (uint32_t e = 0; e < W; e++) {
        double v = model_weights(m, 1)[e];
        s1 += v;
        s2 += v * v;
    }
    double mean = s1 / W, sd = sqrt(s2 / W - mean * mean);
    ck_assert_msg(fabs(mean) < 0.03 * sigma, "mean %g", mean);
    ck_assert_msg(fabs(sd / sigma - 1) < 0.02, "sd %g sigma %g", sd, sigma);
    model_free(m);
    net_free(&big);
    net_free(&nt);
}
END_TEST

static void try_new(void *arg)
{
    net *nt = arg;
    ck_assert_ptr_null(model_new(&nt->s, nt->pt, SG_MODEL_FIXED));
}

START_TEST(test_model_new_rejects_mismatched_pattern)
{
    uint32_t layers[] = { 4, 2 }, fanout[] = { 1 };
    sg_act act[] = { SG_ACT_SIGMOID };
    net nt;
    net_spec(&nt, "bad", 1, layers, fanout, act, 8, 4, 4);
    net_patterns(&nt, NULL);
    char msg[512];
    nt.pt[0].left[2] = 4; /* out of range */
    capture_stderr(try_new, &nt, msg, sizeof msg);
    ck_assert_str_eq(msg, "sparsegen: error: internal: model_new: junction 1 edge 2 has left neuron 4 >= 4\n");
    nt.pt[0].left[2] = 2;
    nt.s.layers[1] = 4; /* the spec no longer matches the pattern */
    capture_stderr(try_new, &nt, msg, sizeof msg);
    ck_assert_str_eq(msg, "sparsegen: error: internal: model_new: the pattern of junction 1 (4-2, 4 edges) does not "
                          "match the spec (4-4, 4 edges)\n");
    net_free(&nt);
}
END_TEST

/* ---- an independent reference of the pipelined schedule ----------------------------------------------------
 * Written from docs/schedule.md and architecture.md §5 as literally as possible: per-sample storage that is never
 * reused, a snapshot of all weights at the start of every cycle, every operation of the cycle reading the snapshot
 * and the updates written to the live copy; BP sums formed left neuron by left neuron (not by scattering). Fixed
 * kind only. The hand-over gap g is 2 when the spec asks for overlapped junction cycles, else 1 (written out here,
 * not taken from sg_gap). */

/* Hand-over gap and flush length of a spec, from docs/schedule.md. */
static int gap_of(const sg_spec *s) { return s->overlap ? 2 : 1; }
static int flush_of(const sg_spec *s) { return 2 * gap_of(s) * s->J; }

typedef struct {
    const sg_sample *in;
    int64_t *a[SG_MAX_J + 1], *s_out, *delta[SG_MAX_J + 1];
} rsample;

static void ref_pipeline(const sg_spec *s, const sg_pattern *pt, sg_model *init, const sg_sample *const *slots,
                         int nslots, results *rs, int32_t **wout, int32_t **bout)
{
    const int J = s->J;
    sg_fmt f = fx_fmt(s->width, s->frac);
    sg_sigmoid sig;
    fx_sigmoid_init(&sig, &f);
    int64_t *w[SG_MAX_J + 1], *b[SG_MAX_J + 1], *ws[SG_MAX_J + 1], *bs[SG_MAX_J + 1];
    for (int j = 1; j <= J; j++) {
        uint32_t W = spec_W(s, j), n = spec_n(s, j);
        w[j] = malloc(W * 8);
        ws[j] = malloc(W * 8);
        b[j] = malloc(n * 8);
        bs[j] = malloc(n * 8);
        for (uint32_t e = 0; e < W; e++) w[j][e] = model_weights(init, j)[e];
        for (uint32_t r = 0; r < n; r++) b[j][r] = model_biases(init, j)[r];
    }
    const int gap = gap_of(s);
    int ncyc = nslots + 2 * gap * J + 1;
    rsample *smp = calloc((size_t)ncyc, sizeof *smp);
    for (int T = 0; T < ncyc; T++) {
        rsample *e = &smp[T];
        e->in = T < nslots ? slots[T] : NULL;
        if (e->in) {
            for (int h = 0; h <= J; h++) {
                e->a[h] = calloc(s->layers[h], 8);
                e->delta[h] = calloc(s->layers[h], 8);
            }
            e->s_out = calloc(s->layers[J], 8);
            for (uint32_t i = 0; i < s->layers[0]; i++) e->a[0][i] = fx_input(&f, e->in->x[i], s->input_bits);
        }
        for (int j = 1; j <= J; j++) { /* snapshot */
            memcpy(ws[j], w[j], spec_W(s, j) * 8);
            memcpy(bs[j], b[j], spec_n(s, j) * 8);
        }
        for (int j = 1; j <= J; j++) {
            uint32_t p = spec_p(s, j), n = spec_n(s, j), W = spec_W(s, j), din = spec_din(s, j);
            const uint32_t *left = pt[j - 1].left;
            /* FF of junction j on the sample that entered at T - g j */
            if (T - gap * j >= 0 && smp[T - gap * j].in) {
                rsample *q = &smp[T - gap * j];
                for (uint32_t r = 0; r < n; r++) {
                    int64_t acc = bs[j][r];
                    for (uint32_t k = 0; k < din; k++) {
                        uint32_t ed = r * din + k;
                        acc += fx_mul(&f, q->a[j - 1][left[ed]], ws[j][ed]);
                    }
                    int64_t sr = fx_sat(&f, acc);
                    q->a[j][r] = s->act[j - 1] == SG_ACT_RELU ? (sr > 0 ? sr : 0) : fx_sigmoid(&sig, sr);
                    if (j == J) q->s_out[r] = sr;
                }
                if (j == J) {
                    bool upd = q->in->update && s->mode == SG_MODE_TRAIN;
                    res *o = &rs->r[rs->n++];
                    o->id = q->in->id;
                    o->n_out = n;
                    o->cycle = (uint64_t)T;
                    o->prediction = 0;
                    for (uint32_t r = 0; r < n; r++) {
                        o->act[r] = q->a[J][r];
                        o->pre[r] = q->s_out[r];
                        if (r < s->classes && q->s_out[r] > q->s_out[o->prediction]) o->prediction = (int)r;
                        int64_t y = (int)r == q->in->label ? f.one : 0;
                        int64_t d = fx_sat(&f, q->a[J][r] - y);
                        if (s->act[J - 1] == SG_ACT_RELU && q->a[J][r] <= 0) d = 0;
                        q->delta[J][r] = upd ? d : 0;
                    }
                }
            }
            /* BP and UP of junction j on the sample that entered at T - g (2J - j + 1) */
            int src = T - gap * (2 * J - j + 1);
            if (src >= 0 && smp[src].in && smp[src].in->update && s->mode == SG_MODE_TRAIN) {
                rsample *q = &smp[src];
                int k = q->in->shift;
                if (j >= 2) {
                    for (uint32_t x = 0; x < p; x++) {
                        int64_t g = 0;
                        for (uint32_t ed = 0; ed < W; ed++)
                            if (left[ed] == x) g += fx_mul(&f, q->delta[j][ed / din], ws[j][ed]);
                        int64_t ax = q->a[j - 1][x];
                        int64_t der = fx_deriv(&f, s->act[j - 2] == SG_ACT_RELU, ax);
                        q->delta[j - 1][x] = fx_mul(&f, der, fx_sat(&f, g));
                    }
                }
                for (uint32_t ed = 0; ed < W; ed++)
                    w[j][ed] = fx_sat(&f, ws[j][ed] + fx_rnd(-q->delta[j][ed / din] * q->a[j - 1][left[ed]], f.F + k));
                for (uint32_t r = 0; r < n; r++) b[j][r] = fx_sat(&f, bs[j][r] + fx_rnd(-q->delta[j][r], k));
            }
        }
    }
    for (int j = 1; j <= J; j++) {
        for (uint32_t e = 0; e < spec_W(s, j); e++) wout[j][e] = (int32_t)w[j][e];
        for (uint32_t r = 0; r < spec_n(s, j); r++) bout[j][r] = (int32_t)b[j][r];
        free(w[j]);
        free(ws[j]);
        free(b[j]);
        free(bs[j]);
    }
    for (int T = 0; T < ncyc; T++)
        if (smp[T].in) {
            for (int h = 0; h <= J; h++) {
                free(smp[T].a[h]);
                free(smp[T].delta[h]);
            }
            free(smp[T].s_out);
        }
    free(smp);
    fx_sigmoid_free(&sig);
}

/* ---- random networks and samples ---- */

typedef struct {
    int n;
    sg_sample smp[64];
    uint16_t *x[64];
} sampleset;

static void random_net(net *nt, sg_rng *r, int J)
{
    uint32_t layers[SG_MAX_J + 1], fanout[SG_MAX_J];
    sg_act act[SG_MAX_J];
    for (int h = 0; h <= J; h++) layers[h] = 1 + (uint32_t)rng_below(r, 10);
    for (int j = 1; j <= J; j++) {
        uint32_t p = layers[j - 1], n = layers[j], ok[16], nok = 0;
        for (uint32_t d = 1; d <= n; d++)
            if (p * d % n == 0) ok[nok++] = d;
        fanout[j - 1] = ok[rng_below(r, nok)];
        act[j - 1] = rng_below(r, 2) ? SG_ACT_RELU : SG_ACT_SIGMOID;
    }
    int w = 8 + (int)rng_below(r, 9);
    int F = 1 + (int)rng_below(r, (uint64_t)w - 2);
    if (rng_below(r, 2)) F = w - 6 > 1 ? w - 6 + (int)rng_below(r, 3) : F; /* keep a useful share of the formats */
    int B = 1 + (int)rng_below(r, 16);
    net_spec(nt, "rand", J, layers, fanout, act, w, F, B);
    nt->s.features = 1 + (uint32_t)rng_below(r, layers[0]);
    nt->s.classes = 1 + (uint32_t)rng_below(r, layers[J]);
    nt->s.init_seed = rng_next(r);
    net_patterns(nt, r);
}

static void random_samples(sampleset *ss, const sg_spec *s, sg_rng *r, int n, bool evals)
{
    ss->n = n;
    for (int i = 0; i < n; i++) {
        ss->x[i] = calloc(s->layers[0], sizeof(uint16_t));
        for (uint32_t k = 0; k < s->features; k++) ss->x[i][k] = (uint16_t)rng_below(r, 1u << s->input_bits);
        int shift = (int)rng_below(r, 4);
        if (rng_below(r, 10) == 0) shift = (int)rng_below(r, 31);
        ss->smp[i] = (sg_sample){ .x = ss->x[i], .label = (int)rng_below(r, s->classes), .shift = shift,
                                  .update = !evals || rng_below(r, 5) != 0, .id = 1000 + i };
    }
}

static void free_samples(sampleset *ss)
{
    for (int i = 0; i < ss->n; i++) free(ss->x[i]);
}

/* Feeds the slots, then 2gJ empty cycles (a flush, counted cycle by cycle). */
static void run_pipelined(sg_model *m, const sg_spec *s, const sg_sample *const *slots, int n, results *rs)
{
    ck_assert_int_eq(model_flush_cycles(m), flush_of(s));
    for (int i = 0; i < n + flush_of(s); i++) {
        model_cycle(m, i < n ? slots[i] : NULL, collect, rs);
        rs->cycle++;
    }
}

/* Property (docs/schedule.md): pipelined with 2gJ empty slots between samples == sequential, bit for bit; g = 1
 * (loop iterations 0-2) and g = 2, overlapped junction cycles (3-5). */
START_TEST(test_spaced_equals_sequential)
{
    sg_rng r;
    rng_init(&r, 2024, (uint64_t)_i);
    const bool overlap = _i >= 3;
    long changed = 0;
    for (int iter = 0; iter < 60; iter++) {
        int J = 1 + iter % 4;
        net nt;
        random_net(&nt, &r, J);
        nt.s.overlap = overlap;
        const int g = gap_of(&nt.s);
        if (iter % 5 == 4) nt.s.mode = SG_MODE_INFER;
        sampleset ss;
        random_samples(&ss, &nt.s, &r, 6 + (int)rng_below(&r, 10), true);
        for (int kind = 0; kind < 2; kind++) {
            sg_model_kind mk = kind ? SG_MODEL_FLOAT : SG_MODEL_FIXED;
            sg_model *mp = model_new(&nt.s, nt.pt, mk), *ms = model_new(&nt.s, nt.pt, mk);
            sg_model *m0 = model_new(&nt.s, nt.pt, mk);
            ck_assert_ptr_nonnull(mp);
            results *rp = calloc(1, sizeof *rp), *rq = calloc(1, sizeof *rq);
            const sg_sample *slots[64 * (4 * SG_MAX_J + 1)];
            int n = 0;
            for (int i = 0; i < ss.n; i++) {
                slots[n++] = &ss.smp[i];
                for (int k = 0; k < 2 * g * J; k++) slots[n++] = NULL;
            }
            run_pipelined(mp, &nt.s, slots, n, rp);
            for (int i = 0; i < ss.n; i++) model_sequential(ms, &ss.smp[i], collect, rq);
            results_equal(rp, rq, mk == SG_MODEL_FIXED, "spaced vs sequential");
            ck_assert_int_eq(params_diff(mp, ms, &nt.s), 0);
            long d = params_diff(mp, m0, &nt.s);
            if (nt.s.mode == SG_MODE_INFER) ck_assert_int_eq(d, 0);
            changed += d;
            /* a sample's result comes gJ cycles after it entered */
            for (int i = 0; i < rp->n; i++)
                ck_assert_uint_eq(rp->r[i].cycle, (uint64_t)i * (2 * g * J + 1) + (uint64_t)(g * J));
            model_free(mp);
            model_free(ms);
            model_free(m0);
            free(rp);
            free(rq);
        }
        free_samples(&ss);
        net_free(&nt);
    }
    ck_assert_int_gt(changed, 500); /* the property is not vacuous: training really moved parameters */
}
END_TEST

/* The pipelined model back to back, with random empty slots and evaluation samples, against the naive reference;
 * g = 1 (loop iterations 0-2) and g = 2, overlapped junction cycles (3-5). */
START_TEST(test_pipelined_equals_reference)
{
    sg_rng r;
    rng_init(&r, 77, (uint64_t)_i);
    long changed = 0;
    for (int iter = 0; iter < 60; iter++) {
        int J = 1 + iter % 4;
        net nt;
        random_net(&nt, &r, J);
        nt.s.overlap = _i >= 3;
        if (iter % 7 == 6) nt.s.mode = SG_MODE_INFER;
        sampleset ss;
        random_samples(&ss, &nt.s, &r, 10 + (int)rng_below(&r, 30), true);
        const sg_sample *slots[128];
        int n = 0;
        for (int i = 0; i < ss.n; i++) {
            while (rng_below(&r, 4) == 0) slots[n++] = NULL;
            slots[n++] = &ss.smp[i];
        }
        sg_model *m = model_new(&nt.s, nt.pt, SG_MODEL_FIXED), *m0 = model_new(&nt.s, nt.pt, SG_MODEL_FIXED);
        results *rm = calloc(1, sizeof *rm), *rr = calloc(1, sizeof *rr);
        run_pipelined(m, &nt.s, slots, n, rm);
        int32_t *w[SG_MAX_J + 1], *b[SG_MAX_J + 1];
        for (int j = 1; j <= J; j++) {
            w[j] = malloc(spec_W(&nt.s, j) * 4);
            b[j] = malloc(spec_n(&nt.s, j) * 4);
        }
        ref_pipeline(&nt.s, nt.pt, m0, slots, n, rr, w, b);
        results_equal(rm, rr, true, "pipelined vs reference");
        for (int i = 0; i < rm->n; i++) ck_assert_uint_eq(rm->r[i].cycle, rr->r[i].cycle);
        for (int j = 1; j <= J; j++) {
            for (uint32_t e = 0; e < spec_W(&nt.s, j); e++) CHECK_EQ(model_weights(m, j)[e], w[j][e]);
            for (uint32_t q = 0; q < spec_n(&nt.s, j); q++) CHECK_EQ(model_biases(m, j)[q], b[j][q]);
            free(w[j]);
            free(b[j]);
        }
        changed += params_diff(m, m0, &nt.s);
        model_free(m);
        model_free(m0);
        free(rm);
        free(rr);
        free_samples(&ss);
        net_free(&nt);
    }
    ck_assert_int_gt(changed, 500);
}
END_TEST

/* The same two properties on patterns made by the pattern generator (gen/pattern.h: every family, z > 1). */
START_TEST(test_generated_patterns)
{
    sg_rng r;
    rng_init(&r, 4242, 0);
    int done = 0;
    FILE *devnull = fopen("/dev/null", "w");
    ck_assert_ptr_nonnull(devnull);
    for (int iter = 0; iter < 60; iter++) {
        int J = 1 + iter % 4;
        net nt;
        random_net(&nt, &r, J);
        for (int j = 0; j < J; j++) free(nt.pt[j].left);
        sg_spec *s = &nt.s;
        s->family = (sg_family)rng_below(&r, 3);
        s->zero_start = false;
        s->sweep_shuffle = s->family == SG_FAM_TYPE2 && rng_below(&r, 2);
        s->start_shuffle = rng_below(&r, 2);
        s->memory_dither = rng_below(&r, 2);
        s->conn_seed = rng_next(&r);
        s->overlap = iter % 3 == 2; /* overlapped junction cycles for a third (no extra draw) */
        for (int j = 1; j <= J; j++) { /* a random z that divides p and divides or is a multiple of d_in */
            uint32_t p = spec_p(s, j), din = spec_din(s, j), zs[16], nz = 0;
            for (uint32_t z = 1; z <= p; z++)
                if (p % z == 0 && (z % din == 0 || din % z == 0)) zs[nz++] = z;
            s->z[j - 1] = zs[rng_below(&r, nz)];
        }
        sg_diag d;
        diag_init(&d, "gen.yaml");
        d.out = devnull;
        bool ok = true;
        int made = 0;
        for (int j = 1; j <= J && ok; j++) {
            ok = pat_generate(s, j, &nt.pt[j - 1], &d);
            made += ok;
        }
        if (ok) {
            done++;
            sampleset ss;
            random_samples(&ss, s, &r, 12, true);
            const sg_sample *slots[12 * (4 * SG_MAX_J + 1)];
            int n = 0;
            for (int i = 0; i < ss.n; i++) {
                while (rng_below(&r, 4) == 0) slots[n++] = NULL;
                slots[n++] = &ss.smp[i];
            }
            sg_model *m = model_new(s, nt.pt, SG_MODEL_FIXED), *m0 = model_new(s, nt.pt, SG_MODEL_FIXED);
            ck_assert_ptr_nonnull(m);
            results *rm = calloc(1, sizeof *rm), *rr = calloc(1, sizeof *rr);
            run_pipelined(m, s, slots, n, rm);
            int32_t *w[SG_MAX_J + 1], *b[SG_MAX_J + 1];
            for (int j = 1; j <= J; j++) {
                w[j] = malloc(spec_W(s, j) * 4);
                b[j] = malloc(spec_n(s, j) * 4);
            }
            ref_pipeline(s, nt.pt, m0, slots, n, rr, w, b);
            results_equal(rm, rr, true, "generated: pipelined vs reference");
            for (int j = 1; j <= J; j++) {
                for (uint32_t e = 0; e < spec_W(s, j); e++) CHECK_EQ(model_weights(m, j)[e], w[j][e]);
                for (uint32_t q = 0; q < spec_n(s, j); q++) CHECK_EQ(model_biases(m, j)[q], b[j][q]);
                free(w[j]);
                free(b[j]);
            }
            /* spaced pipelined == sequential */
            sg_model *mp = model_new(s, nt.pt, SG_MODEL_FIXED), *ms = model_new(s, nt.pt, SG_MODEL_FIXED);
            rm->n = rr->n = 0;
            rm->cycle = 0;
            n = 0;
            for (int i = 0; i < ss.n; i++) {
                slots[n++] = &ss.smp[i];
                for (int k = 0; k < flush_of(s); k++) slots[n++] = NULL;
            }
            run_pipelined(mp, s, slots, n, rm);
            for (int i = 0; i < ss.n; i++) model_sequential(ms, &ss.smp[i], collect, rr);
            results_equal(rm, rr, true, "generated: spaced vs sequential");
            ck_assert_int_eq(params_diff(mp, ms, s), 0);
            model_free(mp);
            model_free(ms);
            model_free(m);
            model_free(m0);
            free(rm);
            free(rr);
            free_samples(&ss);
        }
        for (int j = 0; j < made; j++) pat_free(&nt.pt[j]);
        memset(nt.pt, 0, sizeof nt.pt);
    }
    fclose(devnull);
    ck_assert_int_ge(done, 40); /* most random specs have a valid pattern */
}
END_TEST

/* Staleness is real: back to back, the second sample's FF of junction J runs in the cycle of the first sample's
 * BP/UP of junction J (FF first), so it does not see the first sample's update; sequential SGD does. */
START_TEST(test_back_to_back_is_stale)
{
    net nt;
    hand2_net(&nt, SG_ACT_SIGMOID);
    sg_sample in[2] = { { .x = H2_X, .label = 0, .shift = 0, .update = true, .id = 42 },
                        { .x = H2_X, .label = 0, .shift = 0, .update = true, .id = 42 } };
    sg_model *mp = hand2_model(&nt, SG_MODEL_FIXED), *ms = hand2_model(&nt, SG_MODEL_FIXED);
    results rp = { 0 }, rq = { 0 };
    model_cycle(mp, &in[0], collect, &rp);
    model_cycle(mp, &in[1], collect, &rp);
    model_flush(mp, collect, &rp);
    model_sequential(ms, &in[0], collect, &rq);
    model_sequential(ms, &in[1], collect, &rq);
    ck_assert_int_eq(rp.n, 2);
    ck_assert_int_eq(rq.n, 2);
    /* pipelined: both samples saw the initial weights in every FF */
    check_hand2_result(&rp.r[0]);
    check_hand2_result(&rp.r[1]);
    /* sequential: the second sample saw the updated weights (hand2: W2 = [23, -4, -11, 21], b2 = [9, -11], ...) */
    check_hand2_result(&rq.r[0]);
    ck_assert(rq.r[1].pre[0] != 2 || rq.r[1].pre[1] != 21);
    ck_assert_int_gt(params_diff(mp, ms, &nt.s), 0);
    model_free(mp);
    model_free(ms);

    /* the same over random networks: back to back differs from sequential in general */
    sg_rng r;
    rng_init(&r, 5, 0);
    int differ = 0, tried = 0;
    for (int iter = 0; iter < 40; iter++) {
        net rn;
        random_net(&rn, &r, 1 + iter % 4);
        sampleset ss;
        random_samples(&ss, &rn.s, &r, 20, false);
        sg_model *a = model_new(&rn.s, rn.pt, SG_MODEL_FIXED), *c = model_new(&rn.s, rn.pt, SG_MODEL_FIXED);
        results *ra = calloc(1, sizeof *ra), *rc = calloc(1, sizeof *rc);
        for (int i = 0; i < ss.n; i++) model_cycle(a, &ss.smp[i], collect, ra);
        model_flush(a, collect, ra);
        for (int i = 0; i < ss.n; i++) model_sequential(c, &ss.smp[i], collect, rc);
        tried++;
        differ += params_diff(a, c, &rn.s) > 0;
        model_free(a);
        model_free(c);
        free(ra);
        free(rc);
        free_samples(&ss);
        net_free(&rn);
    }
    ck_assert_int_gt(differ, tried / 2);
    net_free(&nt);
}
END_TEST

/* Overlapped junction cycles really change the schedule: back to back, with g = 2 a sample's FF sees the updates
 * of fewer earlier samples (the FF of junction j in cycle t + 2j sees the updates committed up to cycle t + 2j - 1,
 * i.e. those of the samples that entered up to t + 2j - 1 - 2(2J - j + 1), against t + j - 1 - (2J - j + 1) with
 * g = 1), so for J >= 2 the results and the weights after a flush differ from the schedule without overlap on most
 * networks; both are still the same function of the samples when they are spaced out (test_spaced_equals_sequential),
 * and a stream without updates (infer) is the same with either. */
START_TEST(test_overlap_changes_schedule)
{
    sg_rng r;
    rng_init(&r, 909, 0);
    int differ = 0, results_differ = 0, tried = 0;
    for (int iter = 0; iter < 30; iter++) {
        net rn;
        random_net(&rn, &r, 2 + iter % 3);
        sampleset ss;
        random_samples(&ss, &rn.s, &r, 20, false);
        sg_spec s1 = rn.s, s2 = rn.s;
        s1.overlap = false;
        s2.overlap = true;
        sg_model *a = model_new(&s1, rn.pt, SG_MODEL_FIXED), *b = model_new(&s2, rn.pt, SG_MODEL_FIXED);
        results *ra = calloc(1, sizeof *ra), *rb = calloc(1, sizeof *rb);
        for (int i = 0; i < ss.n; i++) model_cycle(a, &ss.smp[i], collect, ra);
        model_flush(a, collect, ra);
        for (int i = 0; i < ss.n; i++) model_cycle(b, &ss.smp[i], collect, rb);
        model_flush(b, collect, rb);
        ck_assert_int_eq(ra->n, ss.n);
        ck_assert_int_eq(rb->n, ss.n);
        tried++;
        differ += params_diff(a, b, &rn.s) > 0;
        bool rd = false;
        for (int i = 0; i < ss.n && !rd; i++)
            for (uint32_t k = 0; k < ra->r[i].n_out; k++) rd = rd || ra->r[i].pre[k] != rb->r[i].pre[k];
        results_differ += rd;
        model_free(a);
        model_free(b);
        free(ra);
        free(rb);
        free_samples(&ss);
        net_free(&rn);
    }
    ck_assert_int_gt(differ, tried / 2);
    ck_assert_int_gt(results_differ, 0);

    /* The hand network, J = 2, identical samples back to back; sample k enters in cycle k. Without overlap the FF of
     * junction 2 on sample k (cycle k + 2) sees the junction-2 updates of the samples k' <= k - 2 (their BP/UP in
     * k' + 3 <= k + 1); with overlap (FF in k + 4, BP/UP in k' + 6) only those of k' <= k - 3. So sample 2 sees
     * sample 0's update without overlap, and only the initial weights with it (junction 1: UP in k' + 4 resp.
     * k' + 8, FF in k + 1 resp. k + 2: no update reaches sample 2 in either). */
    net nt;
    hand2_net(&nt, SG_ACT_SIGMOID);
    sg_sample in[4];
    for (int i = 0; i < 4; i++) in[i] = (sg_sample){ .x = H2_X, .label = 0, .shift = 0, .update = true, .id = 42 };
    sg_model *m1 = hand2_model(&nt, SG_MODEL_FIXED);
    nt.s.overlap = true;
    sg_model *m2 = hand2_model(&nt, SG_MODEL_FIXED);
    results r1 = { 0 }, r2 = { 0 };
    for (int i = 0; i < 4; i++) {
        model_cycle(m1, &in[i], collect, &r1);
        model_cycle(m2, &in[i], collect, &r2);
    }
    model_flush(m1, collect, &r1);
    model_flush(m2, collect, &r2);
    ck_assert_int_eq(r1.n, 4);
    ck_assert_int_eq(r2.n, 4);
    for (int i = 0; i < 2; i++) {
        check_hand2_result(&r1.r[i]);
        check_hand2_result(&r2.r[i]);
    }
    check_hand2_result(&r2.r[2]);                                   /* overlap: initial weights */
    ck_assert(r1.r[2].pre[0] != 2 || r1.r[2].pre[1] != 21);         /* no overlap: sample 0's junction-2 update */
    ck_assert(r2.r[3].pre[0] != 2 || r2.r[3].pre[1] != 21);         /* overlap: sample 0's update reaches sample 3 */
    ck_assert_int_gt(params_diff(m1, m2, &nt.s), 0);
    model_free(m1);
    model_free(m2);
    net_free(&nt);
}
END_TEST

/* mode: infer: results (predictions, outputs) equal the FF of model_predict / evaluation samples, and nothing
 * changes. */
START_TEST(test_infer_mode)
{
    sg_rng r;
    rng_init(&r, 31, 0);
    for (int iter = 0; iter < 20; iter++) {
        net nt;
        random_net(&nt, &r, 1 + iter % 4);
        nt.s.mode = SG_MODE_INFER;
        sampleset ss;
        random_samples(&ss, &nt.s, &r, 15, false); /* all marked update: infer ignores it */
        sg_model *m = model_new(&nt.s, nt.pt, SG_MODEL_FIXED), *m0 = model_new(&nt.s, nt.pt, SG_MODEL_FIXED);
        results *rs = calloc(1, sizeof *rs), *re = calloc(1, sizeof *re);
        for (int i = 0; i < ss.n; i++) model_cycle(m, &ss.smp[i], collect, rs);
        model_flush(m, collect, rs);
        ck_assert_int_eq(rs->n, ss.n);
        for (int i = 0; i < ss.n; i++) {
            ck_assert_int_eq(rs->r[i].prediction, model_predict(m0, ss.x[i]));
            sg_sample ev = ss.smp[i];
            ev.update = false;
            model_sequential(m0, &ev, collect, re);
        }
        results_equal(rs, re, true, "infer vs evaluation");
        ck_assert_int_eq(params_diff(m, m0, &nt.s), 0);
        model_free(m);
        model_free(m0);
        free(rs);
        free(re);
        free_samples(&ss);
        net_free(&nt);
    }
}
END_TEST

/* ---- weight files ------------------------------------------------------------------------------------------ */

static char basedir[64], tmpdir[128];

/* One folder for the whole run, made and removed by main() in the parent process, so that a failing test (Check
 * ends the forked child) cannot leave files behind; each test makes its own subfolder in it. */
static void mk_tmpdir(void)
{
    ck_assert(basedir[0]);
    snprintf(tmpdir, sizeof tmpdir, "%s/t-XXXXXX", basedir);
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}
static void rm_tmpdir(void) {}

static char *path_in(const char *name)
{
    static char buf[4][256];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, 256, "%s/%s", tmpdir, name);
    return p;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static void spit(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    fclose(f);
}

/* Runs model_load with stderr captured; returns its result, message in msg. */
static bool load_capture(sg_model *m, const char *path, char *msg, size_t cap)
{
    fflush(stderr);
    FILE *t = tmpfile();
    ck_assert_ptr_nonnull(t);
    int saved = dup(2);
    dup2(fileno(t), 2);
    bool ok = model_load(m, path);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(t);
    size_t n = fread(msg, 1, cap - 1, t);
    msg[n] = 0;
    fclose(t);
    return ok;
}

static const char *hand2_file_fmt = "sparsegen-weights 1\n"
                                    "name hand2\n"
                                    "kind fixed\n"
                                    "format 8 4\n"
                                    "layers 4 2 2\n"
                                    "fanout 1 2\n"
                                    "activation sigmoid sigmoid\n"
                                    "junction 1 pattern %016llx\n"
                                    "biases 2\n"
                                    "3 -5\n"
                                    "weights 4\n"
                                    "8 -24 40 12\n"
                                    "junction 2 pattern %016llx\n"
                                    "biases 2\n"
                                    "1 2\n"
                                    "weights 4\n"
                                    "20 -10 -6 30\n"
                                    "end\n";

START_TEST(test_save_format)
{
    mk_tmpdir();
    net nt;
    hand2_net(&nt, SG_ACT_SIGMOID);
    sg_model *m = hand2_model(&nt, SG_MODEL_FIXED);
    ck_assert(model_save(m, path_in("w.txt")));
    char want[2048];
    snprintf(want, sizeof want, hand2_file_fmt, (unsigned long long)pat_hash(&nt.pt[0]),
             (unsigned long long)pat_hash(&nt.pt[1]));
    char *got = slurp(path_in("w.txt"));
    ck_assert_str_eq(got, want);
    free(got);
    /* nothing else left in the folder (the temporary file was renamed) */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s')\" = w.txt", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
    /* 16 values per line */
    uint32_t layers[] = { 40, 2 }, fanout[] = { 1 };
    sg_act act[] = { SG_ACT_RELU };
    net wide;
    net_spec(&wide, "wide", 1, layers, fanout, act, 8, 4, 4);
    net_patterns(&wide, NULL);
    sg_model *mw = model_new(&wide.s, wide.pt, SG_MODEL_FIXED);
    for (int e = 0; e < 40; e++) model_weights(mw, 1)[e] = e - 20;
    ck_assert(model_save(mw, path_in("wide.txt")));
    got = slurp(path_in("wide.txt"));
    ck_assert_ptr_nonnull(strstr(got, "\nweights 40\n-20 -19 -18 -17 -16 -15 -14 -13 -12 -11 -10 -9 -8 -7 -6 -5\n"
                                      "-4 -3 -2 -1 0 1 2 3 4 5 6 7 8 9 10 11\n12 13 14 15 16 17 18 19\nend\n"));
    free(got);
    model_free(mw);
    net_free(&wide);
    model_free(m);
    net_free(&nt);
    rm_tmpdir();
}
END_TEST

START_TEST(test_save_load_roundtrip)
{
    mk_tmpdir();
    sg_rng r;
    rng_init(&r, 8, 0);
    for (int iter = 0; iter < 8; iter++) {
        net nt;
        random_net(&nt, &r, 1 + iter % 4);
        sampleset ss;
        random_samples(&ss, &nt.s, &r, 10, false);
        for (int kind = 0; kind < 2; kind++) {
            sg_model_kind mk = kind ? SG_MODEL_FLOAT : SG_MODEL_FIXED;
            sg_model *m = model_new(&nt.s, nt.pt, mk);
            for (int i = 0; i < ss.n; i++) model_sequential(m, &ss.smp[i], NULL, NULL);
            ck_assert(model_save(m, path_in("a.txt")));
            sg_model *m2 = model_new(&nt.s, nt.pt, mk);
            ck_assert(model_load(m2, path_in("a.txt")));
            ck_assert_int_eq(params_diff(m, m2, &nt.s), 0);
            ck_assert(model_save(m2, path_in("b.txt")));
            char *a = slurp(path_in("a.txt")), *b = slurp(path_in("b.txt"));
            ck_assert_str_eq(a, b);
            free(a);
            free(b);
            /* saving over an existing file replaces it */
            ck_assert(model_save(m2, path_in("a.txt")));
            model_free(m);
            model_free(m2);
        }
        free_samples(&ss);
        net_free(&nt);
    }
    rm_tmpdir();
}
END_TEST

START_TEST(test_load_accepts_layout)
{
    /* comments, blank lines, CRLF and any number of values per line are accepted */
    mk_tmpdir();
    net nt;
    hand2_net(&nt, SG_ACT_SIGMOID);
    sg_model *m = model_new(&nt.s, nt.pt, SG_MODEL_FIXED);
    char text[2048];
    snprintf(text, sizeof text,
             "sparsegen-weights 1\r\n# trained by hand\r\nname something else\r\nkind fixed\r\nformat 8 4\r\n"
             "layers 4 2 2\r\nfanout 1 2\r\nactivation sigmoid sigmoid\r\n\r\njunction 1 pattern %016llx\r\n"
             "biases 2\r\n3\r\n-5\r\nweights 4\r\n  8 -24\r\n\r\n40\t12\r\njunction 2 pattern %016llx\r\n"
             "biases 2\r\n1 2\r\nweights 4\r\n20 -10 -6 30\r\nend\r\n\r\n",
             (unsigned long long)pat_hash(&nt.pt[0]), (unsigned long long)pat_hash(&nt.pt[1]));
    spit(path_in("w.txt"), text, strlen(text));
    char msg[512];
    ck_assert_msg(load_capture(m, path_in("w.txt"), msg, sizeof msg), "%s", msg);
    ck_assert_str_eq(msg, "");
    for (int e = 0; e < 4; e++) {
        CHECK_EQ(model_weights(m, 1)[e], H2_W1[e]);
        CHECK_EQ(model_weights(m, 2)[e], H2_W2[e]);
    }
    CHECK_EQ(model_biases(m, 1)[1], -5);
    model_free(m);
    net_free(&nt);
    rm_tmpdir();
}
END_TEST

/* Every load error: one line naming the file and line, false, and the model unchanged. */
START_TEST(test_load_errors)
{
    mk_tmpdir();
    net nt;
    hand2_net(&nt, SG_ACT_SIGMOID);
    sg_model *src = hand2_model(&nt, SG_MODEL_FIXED);
    char good[2048];
    unsigned long long h1 = pat_hash(&nt.pt[0]), h2 = pat_hash(&nt.pt[1]);
    snprintf(good, sizeof good, hand2_file_fmt, h1, h2);
    char h1s[17], h2bad[17];
    snprintf(h1s, sizeof h1s, "%016llx", h1);
    snprintf(h2bad, sizeof h2bad, "%016llx", h2 ^ 1);
    char h2line[64], h2badline[64];
    snprintf(h2line, sizeof h2line, "junction 2 pattern %016llx", h2);
    snprintf(h2badline, sizeof h2badline, "junction 2 pattern %016llx", h2 ^ 1);
    model_free(src);

    /* each case: replace the first occurrence of `from` by `to` in the good file (from NULL: use `to` as the
     * whole file); expect message `want` (after "sparsegen: error: PATH:") */
    struct {
        const char *from, *to, *want;
    } cases[] = {
        { "sparsegen-weights 1", "sparsegen-weights 2",
          "1: not a sparsegen weight file (the first line must be 'sparsegen-weights 1')" },
        { NULL, "", "1: not a sparsegen weight file (the first line must be 'sparsegen-weights 1')" },
        { NULL, "sparsegen-weights 1\n", "2: unexpected end of file: expected 'name' (is the file truncated?)" },
        { "name hand2", "nom hand2", "2: expected 'name'" },
        { "kind fixed", "kind float", "3: kind float does not match the model's kind fixed" },
        { "kind fixed", "kind double", "3: kind must be fixed or float, not 'double'" },
        { "kind fixed", "kind fixed float", "3: 'kind' needs 1 value" },
        { "format 8 4", "format 8 5", "4: format (width 8, frac 5) does not match the network's (width 8, frac 4)" },
        { "format 8 4", "format 8 x", "4: bad number in 'format'" },
        { "layers 4 2 2", "layers 4 3 2", "5: layers 4 3 2 do not match the network's layers 4 2 2" },
        { "layers 4 2 2", "layers 4 2", "5: layers 4 2 do not match the network's layers 4 2 2" },
        { "layers 4 2 2", "layers 4 2 2 1", "5: layers 4 2 2 1 do not match the network's layers 4 2 2" },
        { "layers 4 2 2", "layers 4 -2 2", "5: bad number '-2' in 'layers'" },
        { "fanout 1 2", "fanout 2 2", "6: fanout 2 2 do not match the network's fanout 1 2" },
        { "activation sigmoid sigmoid", "activation sigmoid relu",
          "7: junction 2: activation relu does not match the network's sigmoid" },
        { "junction 1 pattern", "junction 3 pattern", "8: expected 'junction 1'" },
        { h1s, "xyz", "8: junction 1: bad pattern hash 'xyz' (16 lower-case hex digits)" },
        { h2line, h2badline, NULL /* built below */ },
        { "biases 2\n3 -5", "biases 3\n3 -5", "9: junction 1: 'biases 3', the network has 2" },
        { "8 -24 40 12", "8 -24 40 128", "12: value 128 out of range -128..127 for width 8 (junction 1 weights)" },
        { "20 -10 -6 30", "20 -10 -129 30", "17: value -129 out of range -128..127 for width 8 (junction 2 weights)" },
        { "8 -24 40 12", "8 -24 4x0 12", "12: bad value '4x0' (junction 1 weights)" },
        { "8 -24 40 12", "8 -24 40 12 5", "12: junction 1: more than 4 weights" },
        { "8 -24 40 12", "8 -24 40 12\n5", "13: expected 'junction', found a number (more values than the count above?)" },
        { "8 -24 40 12", "8 -24 40", "13: junction 1 has 3 weights, expected 4" },
        { "20 -10 -6 30\nend\n", "20 -10", "18: unexpected end of file: junction 2 has 2 of 4 weights (is the file truncated?)" },
        { "weights 4\n20 -10 -6 30\nend\n", "", "16: unexpected end of file: expected 'weights' (is the file truncated?)" },
        { "end\n", "", "18: unexpected end of file: expected 'end' (is the file truncated?)" },
        { "end\n", "end\ngarbage\n", "19: unexpected text after 'end'" },
        { "end\n", "end\n\n\nend\n", "21: unexpected text after 'end'" },
        { "end\n", "fin\n", "18: expected 'end'" },
    };
    char want_hash[256];
    snprintf(want_hash, sizeof want_hash,
             "13: junction 2: pattern hash %s does not match the network's connection pattern %016llx (the weights "
             "belong to another pattern: check connectivity, z and seeds)",
             h2bad, h2);
    cases[17].want = want_hash;

    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char text[2048];
        if (!cases[c].from) {
            snprintf(text, sizeof text, "%s", cases[c].to);
        } else {
            const char *at = strstr(good, cases[c].from);
            ck_assert_msg(at != NULL, "case %zu", c);
            snprintf(text, sizeof text, "%.*s%s%s", (int)(at - good), good, cases[c].to, at + strlen(cases[c].from));
        }
        spit(path_in("bad.txt"), text, strlen(text));
        sg_model *m = hand2_model(&nt, SG_MODEL_FIXED);
        model_weights(m, 2)[0] = 99; /* differs from the file, so a partial load would show */
        char msg[1024], want[1024];
        ck_assert_msg(!load_capture(m, path_in("bad.txt"), msg, sizeof msg), "case %zu loaded", c);
        snprintf(want, sizeof want, "sparsegen: error: %s:%s\n", path_in("bad.txt"), cases[c].want);
        ck_assert_msg(!strcmp(msg, want), "case %zu:\n got: %s want: %s", c, msg, want);
        CHECK_EQ(model_weights(m, 2)[0], 99);
        for (int e = 1; e < 4; e++) CHECK_EQ(model_weights(m, 2)[e], H2_W2[e]);
        for (int e = 0; e < 4; e++) CHECK_EQ(model_weights(m, 1)[e], H2_W1[e]);
        for (int q = 0; q < 2; q++) CHECK_EQ(model_biases(m, 1)[q], H2_B1[q]);
        model_free(m);
    }

    /* NUL byte, missing file, and a float file offered to a fixed model */
    sg_model *m = hand2_model(&nt, SG_MODEL_FIXED);
    char msg[1024], want[1024];
    spit(path_in("nul.txt"), "sparsegen-weights 1\nna\0me\n", 26);
    ck_assert(!load_capture(m, path_in("nul.txt"), msg, sizeof msg));
    snprintf(want, sizeof want, "sparsegen: error: %s:2: not a text file (NUL byte)\n", path_in("nul.txt"));
    ck_assert_str_eq(msg, want);
    ck_assert(!load_capture(m, path_in("missing.txt"), msg, sizeof msg));
    snprintf(want, sizeof want, "sparsegen: error: cannot read weight file '%s': No such file or directory\n",
             path_in("missing.txt"));
    ck_assert_str_eq(msg, want);
    sg_model *mf = model_new(&nt.s, nt.pt, SG_MODEL_FLOAT);
    ck_assert(model_save(mf, path_in("f.txt")));
    ck_assert(!load_capture(m, path_in("f.txt"), msg, sizeof msg));
    snprintf(want, sizeof want, "sparsegen: error: %s:3: kind float does not match the model's kind fixed\n",
             path_in("f.txt"));
    ck_assert_str_eq(msg, want);
    /* float values: not finite, not a number */
    char *ft = slurp(path_in("f.txt"));
    char *wpos = strstr(ft, "weights 4\n") + 10;
    char *bad = calloc(1, strlen(ft) + 16);
    memcpy(bad, ft, (size_t)(wpos - ft));
    strcat(bad, "inf ");
    strcat(bad, wpos);
    spit(path_in("f2.txt"), bad, strlen(bad));
    sg_model *mf2 = model_new(&nt.s, nt.pt, SG_MODEL_FLOAT);
    ck_assert(!load_capture(mf2, path_in("f2.txt"), msg, sizeof msg));
    snprintf(want, sizeof want, "sparsegen: error: %s:12: value inf is not finite (junction 1 weights)\n",
             path_in("f2.txt"));
    ck_assert_str_eq(msg, want);
    ck_assert_int_eq(params_diff(mf, mf2, &nt.s), 0);
    free(bad);
    free(ft);
    model_free(mf);
    model_free(mf2);
    model_free(m);

    /* a pattern hash mismatch from a really different pattern */
    net other;
    hand2_net(&other, SG_ACT_SIGMOID);
    other.pt[0].left[0] = 1;
    other.pt[0].left[1] = 0;
    sg_model *mo = model_new(&other.s, other.pt, SG_MODEL_FIXED);
    spit(path_in("good.txt"), good, strlen(good));
    ck_assert(!load_capture(mo, path_in("good.txt"), msg, sizeof msg));
    ck_assert_ptr_nonnull(strstr(msg, ":8: junction 1: pattern hash "));
    model_free(mo);
    net_free(&other);

    /* save errors: a folder that does not exist; nothing left behind */
    m = hand2_model(&nt, SG_MODEL_FIXED);
    fflush(stderr);
    FILE *t = tmpfile();
    int saved = dup(2);
    dup2(fileno(t), 2);
    bool ok = model_save(m, path_in("nodir/w.txt"));
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(t);
    size_t n = fread(msg, 1, sizeof msg - 1, t);
    msg[n] = 0;
    fclose(t);
    ck_assert(!ok);
    snprintf(want, sizeof want, "sparsegen: error: cannot write '%s': No such file or directory\n",
             path_in("nodir/w.txt"));
    ck_assert_str_eq(msg, want);
    model_free(m);
    net_free(&nt);
    rm_tmpdir();
}
END_TEST

/* ---- the float model ---------------------------------------------------------------------------------------- */

/* A tiny separable problem: two inputs, class 1 when x0 > x1. Layers [2, 8, 2], fully connected. The float model
 * learns it (the training error falls and the final accuracy is high); so does the fixed model. */
START_TEST(test_learns_separable)
{
    uint32_t layers[] = { 2, 8, 2 }, fanout[] = { 8, 2 };
    sg_act act[] = { SG_ACT_SIGMOID, SG_ACT_SIGMOID };
    net nt;
    net_spec(&nt, "sep", 2, layers, fanout, act, 16, 12, 8);
    net_patterns(&nt, NULL);
    sg_rng r;
    rng_init(&r, 3, 0);
    enum { N = 400 };
    static uint16_t xs[N][2];
    static sg_sample smp[N];
    for (int i = 0; i < N; i++) {
        xs[i][0] = (uint16_t)rng_below(&r, 256);
        do xs[i][1] = (uint16_t)rng_below(&r, 256);
        while (abs(xs[i][0] - xs[i][1]) < 8);
        smp[i] = (sg_sample){ .x = xs[i], .label = xs[i][0] > xs[i][1], .shift = 2, .update = true, .id = i };
    }
    for (int kind = 0; kind < 2; kind++) {
        sg_model *m = model_new(&nt.s, nt.pt, kind ? SG_MODEL_FIXED : SG_MODEL_FLOAT);
        int correct_first = 0, correct_last = 0;
        for (int epoch = 0; epoch < 12; epoch++) {
            for (int i = 0; i < N; i++) model_cycle(m, &smp[i], NULL, NULL);
            model_flush(m, NULL, NULL);
            int correct = 0;
            for (int i = 0; i < N; i++) correct += model_predict(m, xs[i]) == smp[i].label;
            if (epoch == 0) correct_first = correct;
            correct_last = correct;
        }
        ck_assert_msg(correct_last >= N * 95 / 100, "kind %d: %d of %d correct (first epoch %d)", kind, correct_last,
                      N, correct_first);
        model_free(m);
    }
    net_free(&nt);
}
END_TEST

START_TEST(test_float_hand)
{
    /* hand2 in float with the same initial values (codes / 16): a = x / 16. Checked against the same formulas in
     * double: s1_0 = 3/16 + (5/16)(8/16) + (10/16)(-24/16) = 0.1875 + 0.15625 - 0.9375 = -0.59375. */
    net nt;
    hand2_net(&nt, SG_ACT_SIGMOID);
    sg_model *m = model_new(&nt.s, nt.pt, SG_MODEL_FLOAT);
    for (int e = 0; e < 4; e++) {
        model_weightsf(m, 1)[e] = H2_W1[e] / 16.0;
        model_weightsf(m, 2)[e] = H2_W2[e] / 16.0;
    }
    for (int q = 0; q < 2; q++) {
        model_biasesf(m, 1)[q] = H2_B1[q] / 16.0;
        model_biasesf(m, 2)[q] = H2_B2[q] / 16.0;
    }
    double a0[4] = { 5 / 16.0, 10 / 16.0, 3 / 16.0, 15 / 16.0 };
    double s1[2] = { 3 / 16.0 + a0[0] * 0.5 + a0[1] * -1.5, -5 / 16.0 + a0[2] * 2.5 + a0[3] * 0.75 };
    ck_assert(s1[0] == -0.59375);
    double a1[2] = { 1 / (1 + exp(-s1[0])), 1 / (1 + exp(-s1[1])) };
    double s2[2] = { 1 / 16.0 + a1[0] * 1.25 + a1[1] * -0.625, 2 / 16.0 + a1[0] * -0.375 + a1[1] * 1.875 };
    double a2[2] = { 1 / (1 + exp(-s2[0])), 1 / (1 + exp(-s2[1])) };
    results rs = { 0 };
    sg_sample in = { .x = H2_X, .label = 0, .shift = 1, .update = true, .id = 42 };
    model_sequential(m, &in, collect, &rs);
    ck_assert_int_eq(rs.n, 1);
    ck_assert(rs.r[0].actf[0] == a2[0]);
    ck_assert(rs.r[0].actf[1] == a2[1]);
    ck_assert_int_eq(rs.r[0].prediction, s2[1] > s2[0]);
    /* updates with eta = 1/2 */
    double d2[2] = { a2[0] - 1, a2[1] };
    ck_assert(model_biasesf(m, 2)[0] == 1 / 16.0 - 0.5 * d2[0]);
    ck_assert(model_weightsf(m, 2)[3] == 1.875 - 0.5 * d2[1] * a1[1]);
    double g0 = d2[0] * 1.25 + d2[1] * -0.375;
    double d1_0 = a1[0] * (1 - a1[0]) * g0;
    ck_assert(model_biasesf(m, 1)[0] == 3 / 16.0 - 0.5 * d1_0);
    ck_assert(model_weightsf(m, 1)[1] == -1.5 - 0.5 * d1_0 * a0[1]);
    model_free(m);
    net_free(&nt);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_hand2_sequential);
    tcase_add_test(tc, test_hand2_pipelined);
    tcase_add_test(tc, test_hand2_pipelined_overlap);
    tcase_add_test(tc, test_hand2_eval_and_predict);
    tcase_add_loop_test(tc, test_hand1_relu_saturation, 0, 2);
    tcase_add_test(tc, test_hand3_saturation);
    tcase_add_test(tc, test_prediction_ties_and_classes);
    tcase_add_test(tc, test_glorot_init);
    tcase_add_test(tc, test_model_new_rejects_mismatched_pattern);
    tcase_add_loop_test(tc, test_spaced_equals_sequential, 0, 6);
    tcase_add_loop_test(tc, test_pipelined_equals_reference, 0, 6);
    tcase_add_test(tc, test_generated_patterns);
    tcase_add_test(tc, test_back_to_back_is_stale);
    tcase_add_test(tc, test_overlap_changes_schedule);
    tcase_add_test(tc, test_infer_mode);
    tcase_add_test(tc, test_save_format);
    tcase_add_test(tc, test_save_load_roundtrip);
    tcase_add_test(tc, test_load_accepts_layout);
    tcase_add_test(tc, test_load_errors);
    tcase_add_test(tc, test_float_hand);
    tcase_add_test(tc, test_learns_separable);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    snprintf(basedir, sizeof basedir, "/tmp/sg-test-model-XXXXXX");
    if (!mkdtemp(basedir)) {
        perror("mkdtemp");
        return EXIT_FAILURE;
    }
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", basedir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", basedir);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
