/* model.c: the golden model. One schedule (pipelined junction cycles per docs/schedule.md, or sequential SGD),
 * two sets of kernels: `fixed` (docs/arithmetic.md, bit for bit) and `float` (docs/arithmetic.md §11).
 *
 * The pipelined schedule has a hand-over gap g (sg_gap: 1, or 2 with overlapped junction cycles, spec key
 * `overlap`): in cycle T junction j runs its FF on the sample that entered in T - g*j and its BP/UP on the one that
 * entered in T - g(2J - j + 1). g = 1 is the schedule without overlap.
 *
 * Layout. Per junction j: the left index of every edge (the pattern's left[], natural edge order), weights and
 * biases. Per sample in flight: a *slot* holding the activations of every layer, the output pre-activations, the
 * deltas of every layer and the BP sums. The pipeline keeps a ring of 2gJ + 2 slots indexed by entry cycle mod
 * (2gJ + 2): a sample lives from its entry (cycle t) to the UP of junction 1 (cycle t + 2gJ), so 2gJ + 1 slots are
 * busy at once and nothing aliases. One extra slot serves model_sequential and model_predict.
 *
 * Weights need no snapshot: only junction j touches W_j, and within junction j the FF of cycle T runs before its
 * BP/UP, so the FF reads the start-of-cycle values; the BP/UP pass reads each weight, uses it for BP, then writes
 * the updated value (BP sees the weight before the update, and every weight is touched once per pass).
 *
 * Derivatives are not stored: a' is a function of the stored activation (§6), computed when the delta of a hidden
 * neuron is formed, at the end of the BP pass that completes its sum g. */
#define _POSIX_C_SOURCE 200809L
#include "model.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../gen/rng.h"
#include "fixed.h"

typedef struct {
    uint32_t p, n, W, din, dout;
    const uint32_t *left;  /* [W], from the pattern */
    sg_act act;            /* activation of the right layer (layer j) */
    int32_t *w, *b;        /* fixed: codes */
    double *wf, *bf;       /* float */
} junction;

typedef struct {
    bool valid, update;
    int label, shift;
    long id;
    int prediction;
    /* fixed */
    int32_t *a[SG_MAX_J + 1];     /* activations of layer h = 0..J */
    int32_t *delta[SG_MAX_J + 1]; /* deltas of layer h = 1..J */
    int64_t *g[SG_MAX_J + 1];     /* BP sums of layer h = 1..J-1 */
    int64_t *s_out, *a_out;       /* output layer: pre-activations and activations (result API) */
    /* float */
    double *af[SG_MAX_J + 1], *deltaf[SG_MAX_J + 1], *gf[SG_MAX_J + 1], *sf_out;
} slot;

struct sg_model {
    sg_spec spec;               /* a copy */
    const sg_pattern *pats;
    sg_model_kind kind;
    int J;
    uint32_t gap;               /* hand-over gap g (sg_gap): 1, or 2 with overlapped junction cycles */
    bool infer;                 /* mode: infer: no BP/UP ever */
    sg_fmt fmt;
    sg_sigmoid sig;             /* fixed kind, when any layer is sigmoid */
    junction jn[SG_MAX_J + 1];  /* 1-based */
    int ring;                   /* 2gJ + 2 */
    slot *slots;                /* [ring + 1]; slots[ring] is the scratch slot */
    uint64_t t;                 /* next junction cycle */
    uint64_t ops;
};

/* ---- construction ---------------------------------------------------------------------------------------- */

static void slot_alloc(sg_model *m, slot *s)
{
    int J = m->J;
    memset(s, 0, sizeof *s);
    for (int h = 0; h <= J; h++) {
        uint32_t n = m->spec.layers[h];
        if (m->kind == SG_MODEL_FIXED) {
            s->a[h] = xcalloc(n, sizeof(int32_t));
            if (h >= 1) s->delta[h] = xcalloc(n, sizeof(int32_t));
            if (h >= 1 && h < J) s->g[h] = xcalloc(n, sizeof(int64_t));
        } else {
            s->af[h] = xcalloc(n, sizeof(double));
            if (h >= 1) s->deltaf[h] = xcalloc(n, sizeof(double));
            if (h >= 1 && h < J) s->gf[h] = xcalloc(n, sizeof(double));
        }
    }
    uint32_t nout = m->spec.layers[J];
    if (m->kind == SG_MODEL_FIXED) {
        s->s_out = xcalloc(nout, sizeof(int64_t));
        s->a_out = xcalloc(nout, sizeof(int64_t));
    } else {
        s->sf_out = xcalloc(nout, sizeof(double));
    }
}

static void slot_free(slot *s)
{
    for (int h = 0; h <= SG_MAX_J; h++) {
        free(s->a[h]);
        free(s->delta[h]);
        free(s->g[h]);
        free(s->af[h]);
        free(s->deltaf[h]);
        free(s->gf[h]);
    }
    free(s->s_out);
    free(s->a_out);
    free(s->sf_out);
}

/* Glorot-normal initialisation, docs/arithmetic.md §9. */
static void init_weights(sg_model *m, int j)
{
    junction *jn = &m->jn[j];
    sg_rng r;
    rng_init(&r, m->spec.init_seed, (uint64_t)j);
    double sigma = sqrt(2.0 / ((double)jn->din + (double)jn->dout));
    double scale = ldexp(1.0, m->fmt.F);
    for (uint32_t e = 0; e < jn->W; e++) {
        uint64_t sum = 0;
        for (int k = 0; k < 12; k++) sum += rng_u32(&r);
        double g = (double)sum / 4294967296.0 - 6.0;
        double v = floor(g * sigma * scale + 0.5);
        int64_t c = v < (double)m->fmt.min ? m->fmt.min : v > (double)m->fmt.max ? m->fmt.max : (int64_t)v;
        if (m->kind == SG_MODEL_FIXED)
            jn->w[e] = (int32_t)c;
        else
            jn->wf[e] = (double)c / scale;
    }
}

sg_model *model_new(const sg_spec *s, const sg_pattern *pats, sg_model_kind kind)
{
    if (s->J < 1 || s->J > SG_MAX_J || s->width < 8 || s->width > 16 || s->frac < 1 || s->frac > s->width - 2 ||
        s->input_bits < 1 || s->input_bits > 16) {
        diag_fail("internal: model_new: spec out of range (J %d, width %d, frac %d, input bits %d)", s->J, s->width,
                  s->frac, s->input_bits);
        return NULL;
    }
    for (int j = 1; j <= s->J; j++) {
        const sg_pattern *pt = &pats[j - 1];
        uint32_t p = spec_p(s, j), n = spec_n(s, j), W = spec_W(s, j);
        if (pt->p != p || pt->n != n || pt->W != W || n == 0 || W % n != 0 || pt->din != W / n || !pt->left) {
            diag_fail("internal: model_new: the pattern of junction %d (%" PRIu32 "-%" PRIu32 ", %" PRIu32
                      " edges) does not match the spec (%" PRIu32 "-%" PRIu32 ", %" PRIu32 " edges)",
                      j, pt->p, pt->n, pt->W, p, n, W);
            return NULL;
        }
        for (uint32_t e = 0; e < W; e++)
            if (pt->left[e] >= p) {
                diag_fail("internal: model_new: junction %d edge %" PRIu32 " has left neuron %" PRIu32
                          " >= %" PRIu32, j, e, pt->left[e], p);
                return NULL;
            }
    }

    sg_model *m = xcalloc(1, sizeof *m);
    m->spec = *s;
    m->pats = pats;
    m->kind = kind;
    m->J = s->J;
    m->gap = sg_gap(s);
    m->infer = s->mode == SG_MODE_INFER;
    m->fmt = fx_fmt(s->width, s->frac);
    if (kind == SG_MODEL_FIXED) fx_sigmoid_init(&m->sig, &m->fmt);
    for (int j = 1; j <= m->J; j++) {
        junction *jn = &m->jn[j];
        jn->p = spec_p(s, j);
        jn->n = spec_n(s, j);
        jn->W = spec_W(s, j);
        jn->din = jn->W / jn->n;
        jn->dout = s->fanout[j - 1];
        jn->left = pats[j - 1].left;
        jn->act = s->act[j - 1];
        if (kind == SG_MODEL_FIXED) {
            jn->w = xcalloc(jn->W, sizeof(int32_t));
            jn->b = xcalloc(jn->n, sizeof(int32_t));
        } else {
            jn->wf = xcalloc(jn->W, sizeof(double));
            jn->bf = xcalloc(jn->n, sizeof(double));
        }
        init_weights(m, j);
    }
    m->ring = 2 * (int)m->gap * m->J + 2;
    m->slots = xcalloc((size_t)m->ring + 1, sizeof(slot));
    for (int i = 0; i <= m->ring; i++) slot_alloc(m, &m->slots[i]);
    return m;
}

void model_free(sg_model *m)
{
    if (!m) return;
    for (int j = 1; j <= m->J; j++) {
        free(m->jn[j].w);
        free(m->jn[j].b);
        free(m->jn[j].wf);
        free(m->jn[j].bf);
    }
    for (int i = 0; i <= m->ring; i++) slot_free(&m->slots[i]);
    free(m->slots);
    if (m->kind == SG_MODEL_FIXED) fx_sigmoid_free(&m->sig);
    free(m);
}

sg_model_kind model_kind(const sg_model *m) { return m->kind; }
uint64_t model_edge_ops(const sg_model *m) { return m->ops; }
int32_t *model_weights(sg_model *m, int j) { return m->kind == SG_MODEL_FIXED && j >= 1 && j <= m->J ? m->jn[j].w : NULL; }
int32_t *model_biases(sg_model *m, int j) { return m->kind == SG_MODEL_FIXED && j >= 1 && j <= m->J ? m->jn[j].b : NULL; }
double *model_weightsf(sg_model *m, int j) { return m->kind == SG_MODEL_FLOAT && j >= 1 && j <= m->J ? m->jn[j].wf : NULL; }
double *model_biasesf(sg_model *m, int j) { return m->kind == SG_MODEL_FLOAT && j >= 1 && j <= m->J ? m->jn[j].bf : NULL; }

/* ---- fixed-point kernels (docs/arithmetic.md §3-§8) -------------------------------------------------------
 * Values are int32 (w <= 16), products and sums int64. Saturation is written as two compares so that it compiles
 * to conditional moves. */

#define SAT(v, lo, hi) ((v) < (lo) ? (lo) : (v) > (hi) ? (hi) : (v))

static void load_fix(const sg_model *m, slot *s, const uint16_t *x)
{
    uint32_t n = m->spec.layers[0];
    int B = m->spec.input_bits;
    for (uint32_t i = 0; i < n; i++) s->a[0][i] = (int32_t)fx_input(&m->fmt, x[i], B);
}

/* FF of junction j: s_r = sat(b_r + sum mul(a_left, w)), a_r = act(s_r). The output layer also keeps s and a as
 * int64 for the result. */
static void ff_fix(const sg_model *m, int j, slot *s)
{
    const junction *jn = &m->jn[j];
    const uint32_t *restrict left = jn->left;
    const int32_t *restrict w = jn->w;
    const int32_t *restrict al = s->a[j - 1];
    int32_t *restrict ar = s->a[j];
    const int F = m->fmt.F;
    const int64_t half = (int64_t)1 << (F - 1), lo = m->fmt.min, hi = m->fmt.max;
    const uint32_t n = jn->n, din = jn->din;
    const bool relu = jn->act == SG_ACT_RELU, last = j == m->J;
    uint32_t e = 0;
    for (uint32_t r = 0; r < n; r++) {
        int64_t acc = jn->b[r];
        for (const uint32_t end = e + din; e < end; e++) {
            int64_t p = ((int64_t)al[left[e]] * w[e] + half) >> F;
            acc += SAT(p, lo, hi);
        }
        int64_t sr = SAT(acc, lo, hi);
        int64_t a = relu ? (sr > 0 ? sr : 0) : fx_sigmoid(&m->sig, sr);
        ar[r] = (int32_t)a;
        if (last) {
            s->s_out[r] = sr;
            s->a_out[r] = a;
        }
    }
}

/* Output delta (§7) and prediction, at the end of the FF of junction J. */
static void out_fix(const sg_model *m, slot *s)
{
    const uint32_t n = m->spec.layers[m->J], classes = m->spec.classes;
    const bool relu = m->jn[m->J].act == SG_ACT_RELU;
    int best = -1;
    for (uint32_t r = 0; r < n && r < classes; r++)
        if (best < 0 || s->s_out[r] > s->s_out[best]) best = (int)r;
    s->prediction = best < 0 ? 0 : best;
    if (!s->update) return;
    for (uint32_t r = 0; r < n; r++) {
        int64_t a = s->a_out[r], y = (int64_t)r == s->label ? m->fmt.one : 0;
        int64_t d = fx_sat(&m->fmt, a - y);
        s->delta[m->J][r] = (int32_t)(relu && a <= 0 ? 0 : d);
    }
}

/* BP (j >= 2) and UP of junction j in one pass over the edges: read w, accumulate g_left += mul(delta_r, w), write
 * w + rnd(-delta_r a_left, F + k). A right neuron with delta 0 changes nothing (mul(0, w) = 0, rnd(0) = 0) and is
 * skipped; it still counts as edge operations. Then delta_x = mul(a'_x, sat(g_x)) for the left layer. */
static void bpup_fix(const sg_model *m, int j, slot *s)
{
    const junction *jn = &m->jn[j];
    const uint32_t *restrict left = jn->left;
    int32_t *restrict w = jn->w;
    int32_t *restrict b = jn->b;
    const int32_t *restrict al = s->a[j - 1];
    const int32_t *restrict dr = s->delta[j];
    const int F = m->fmt.F, k = s->shift, Fk = F + k;
    const int64_t half = (int64_t)1 << (F - 1), halfk = (int64_t)1 << (Fk - 1), lo = m->fmt.min, hi = m->fmt.max;
    const uint32_t n = jn->n, din = jn->din;
    int64_t *restrict g = j >= 2 ? s->g[j - 1] : NULL;
    if (g) memset(g, 0, jn->p * sizeof *g);
    for (uint32_t r = 0; r < n; r++) {
        const int64_t d = dr[r], nd = -d;
        const uint32_t e0 = r * din, e1 = e0 + din;
        if (d == 0) continue;
        int64_t bn = b[r] + fx_rnd(nd, k);
        b[r] = (int32_t)SAT(bn, lo, hi);
        if (g) {
            for (uint32_t e = e0; e < e1; e++) {
                const uint32_t x = left[e];
                const int64_t we = w[e];
                int64_t p = (d * we + half) >> F;
                g[x] += SAT(p, lo, hi);
                int64_t u = we + ((nd * al[x] + halfk) >> Fk);
                w[e] = (int32_t)SAT(u, lo, hi);
            }
        } else {
            for (uint32_t e = e0; e < e1; e++) {
                int64_t u = w[e] + ((nd * al[left[e]] + halfk) >> Fk);
                w[e] = (int32_t)SAT(u, lo, hi);
            }
        }
    }
    if (g) {
        int32_t *restrict dl = s->delta[j - 1];
        const bool lrelu = m->jn[j - 1].act == SG_ACT_RELU;
        for (uint32_t x = 0; x < jn->p; x++) {
            int64_t gx = SAT(g[x], lo, hi);
            dl[x] = (int32_t)fx_mul(&m->fmt, fx_deriv(&m->fmt, lrelu, al[x]), gx);
        }
    }
}

/* ---- float kernels (docs/arithmetic.md §11) ---------------------------------------------------------------- */

static void load_flt(const sg_model *m, slot *s, const uint16_t *x)
{
    uint32_t n = m->spec.layers[0];
    double scale = ldexp(1.0, -m->spec.input_bits);
    for (uint32_t i = 0; i < n; i++) s->af[0][i] = x[i] * scale;
}

static void ff_flt(const sg_model *m, int j, slot *s)
{
    const junction *jn = &m->jn[j];
    const uint32_t *restrict left = jn->left;
    const double *restrict w = jn->wf;
    const double *restrict al = s->af[j - 1];
    double *restrict ar = s->af[j];
    const uint32_t n = jn->n, din = jn->din;
    const bool relu = jn->act == SG_ACT_RELU, last = j == m->J;
    uint32_t e = 0;
    for (uint32_t r = 0; r < n; r++) {
        double acc = jn->bf[r];
        for (const uint32_t end = e + din; e < end; e++) acc += al[left[e]] * w[e];
        ar[r] = relu ? (acc > 0 ? acc : 0) : 1.0 / (1.0 + exp(-acc));
        if (last) s->sf_out[r] = acc;
    }
}

static void out_flt(const sg_model *m, slot *s)
{
    const uint32_t n = m->spec.layers[m->J], classes = m->spec.classes;
    const bool relu = m->jn[m->J].act == SG_ACT_RELU;
    const double *a = s->af[m->J];
    int best = -1;
    for (uint32_t r = 0; r < n && r < classes; r++)
        if (best < 0 || s->sf_out[r] > s->sf_out[best]) best = (int)r;
    s->prediction = best < 0 ? 0 : best;
    if (!s->update) return;
    for (uint32_t r = 0; r < n; r++) {
        double y = (int64_t)r == s->label ? 1.0 : 0.0;
        s->deltaf[m->J][r] = relu && a[r] <= 0 ? 0.0 : a[r] - y;
    }
}

static void bpup_flt(const sg_model *m, int j, slot *s)
{
    const junction *jn = &m->jn[j];
    const uint32_t *restrict left = jn->left;
    double *restrict w = jn->wf;
    double *restrict b = jn->bf;
    const double *restrict al = s->af[j - 1];
    const double *restrict dr = s->deltaf[j];
    const double eta = ldexp(1.0, -s->shift);
    const uint32_t n = jn->n, din = jn->din;
    double *restrict g = j >= 2 ? s->gf[j - 1] : NULL;
    if (g) memset(g, 0, jn->p * sizeof *g);
    for (uint32_t r = 0; r < n; r++) {
        const double d = dr[r], step = eta * d;
        const uint32_t e0 = r * din, e1 = e0 + din;
        b[r] -= step;
        if (g) {
            for (uint32_t e = e0; e < e1; e++) {
                const uint32_t x = left[e];
                g[x] += d * w[e];
                w[e] -= step * al[x];
            }
        } else {
            for (uint32_t e = e0; e < e1; e++) w[e] -= step * al[left[e]];
        }
    }
    if (g) {
        double *restrict dl = s->deltaf[j - 1];
        const bool lrelu = m->jn[j - 1].act == SG_ACT_RELU;
        for (uint32_t x = 0; x < jn->p; x++) {
            double a = al[x], da = lrelu ? (a > 0 ? 1.0 : 0.0) : a * (1.0 - a);
            dl[x] = da * g[x];
        }
    }
}

/* ---- the schedule: one copy, dispatching to the kernels of the model's kind once per junction pass ---------- */

static void load(sg_model *m, slot *s, const sg_sample *in)
{
    if (in->shift < 0 || in->shift > 30) {
        /* docs/arithmetic.md §8: 0 <= k <= 30; the spec reader guarantees it. */
        diag_fail("internal: learning-rate shift %d out of range 0..30", in->shift);
        abort();
    }
    s->valid = true;
    s->update = in->update && !m->infer;
    s->label = in->label;
    s->shift = in->shift;
    s->id = in->id;
    if (m->kind == SG_MODEL_FIXED)
        load_fix(m, s, in->x);
    else
        load_flt(m, s, in->x);
}

static void ff(sg_model *m, int j, slot *s)
{
    if (m->kind == SG_MODEL_FIXED) {
        ff_fix(m, j, s);
        if (j == m->J) out_fix(m, s);
    } else {
        ff_flt(m, j, s);
        if (j == m->J) out_flt(m, s);
    }
    m->ops += m->jn[j].W;
}

static void bpup(sg_model *m, int j, slot *s)
{
    if (m->kind == SG_MODEL_FIXED)
        bpup_fix(m, j, s);
    else
        bpup_flt(m, j, s);
    m->ops += (uint64_t)m->jn[j].W * (j >= 2 ? 2 : 1);
}

static void report(const sg_model *m, const slot *s, sg_result_fn cb, void *ctx)
{
    if (!cb) return;
    sg_result r = { .id = s->id, .prediction = s->prediction, .n_out = m->spec.layers[m->J] };
    if (m->kind == SG_MODEL_FIXED) {
        r.act = s->a_out;
        r.pre = s->s_out;
    } else {
        r.actf = s->af[m->J];
    }
    cb(ctx, &r);
}

static slot *slot_at(sg_model *m, uint64_t entry) { return &m->slots[entry % (uint64_t)m->ring]; }

void model_cycle(sg_model *m, const sg_sample *in, sg_result_fn cb, void *ctx)
{
    const uint64_t T = m->t, R = (uint64_t)m->ring, g = m->gap;
    const int J = m->J;
    slot *e = slot_at(m, T);
    if (in)
        load(m, e, in);
    else
        e->valid = false;
    slot *done = NULL;
    for (int j = 1; j <= J; j++) {
        /* FF of junction j on the sample that entered at T - g*j (before this junction's BP/UP) */
        uint64_t fwd = g * (uint64_t)j;
        slot *f = slot_at(m, T + R - fwd);
        if (T >= fwd && f->valid) {
            ff(m, j, f);
            if (j == J) done = f;
        }
        /* BP and UP of junction j on the sample that entered at T - g(2J - j + 1) */
        uint64_t back = g * (uint64_t)(2 * J - j + 1);
        slot *b = slot_at(m, T + R - back);
        if (T >= back && b->valid && b->update) bpup(m, j, b);
    }
    m->t++;
    if (done) report(m, done, cb, ctx); /* after the cycle's updates have committed */
}

int model_flush_cycles(const sg_model *m) { return 2 * (int)m->gap * m->J; }

void model_flush(sg_model *m, sg_result_fn cb, void *ctx)
{
    for (int i = 0; i < model_flush_cycles(m); i++) model_cycle(m, NULL, cb, ctx);
}

void model_sequential(sg_model *m, const sg_sample *in, sg_result_fn cb, void *ctx)
{
    slot *s = &m->slots[m->ring];
    load(m, s, in);
    for (int j = 1; j <= m->J; j++) ff(m, j, s);
    report(m, s, cb, ctx);
    if (s->update)
        for (int j = m->J; j >= 1; j--) bpup(m, j, s);
    s->valid = false;
}

int model_predict(sg_model *m, const uint16_t *x)
{
    slot *s = &m->slots[m->ring];
    sg_sample in = { .x = x, .label = 0, .shift = 0, .update = false, .id = -1 };
    load(m, s, &in);
    for (int j = 1; j <= m->J; j++) ff(m, j, s);
    s->valid = false;
    return s->prediction;
}

/* ---- weight files (docs/weights.md) ------------------------------------------------------------------------ */

#define WF_MAGIC "sparsegen-weights 1"
#define WF_PER_LINE 16

static const char *kind_name(sg_model_kind k) { return k == SG_MODEL_FIXED ? "fixed" : "float"; }
/* the spec's spelling (spec_act_name), kept here so that the file format does not depend on another module */
static const char *act_name(sg_act a) { return a == SG_ACT_RELU ? "relu" : "sigmoid"; }

static void write_values(FILE *f, const sg_model *m, const int32_t *v, const double *vf, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (m->kind == SG_MODEL_FIXED)
            fprintf(f, "%" PRId32, v[i]);
        else
            fprintf(f, "%.17g", vf[i]);
        fputc(i + 1 == n || (i + 1) % WF_PER_LINE == 0 ? '\n' : ' ', f);
    }
}

static void write_weights(FILE *f, const sg_model *m)
{
    const sg_spec *s = &m->spec;
    fprintf(f, "%s\nname %s\nkind %s\nformat %d %d\nlayers", WF_MAGIC, s->name, kind_name(m->kind), s->width,
            s->frac);
    for (int h = 0; h <= m->J; h++) fprintf(f, " %" PRIu32, s->layers[h]);
    fputs("\nfanout", f);
    for (int j = 1; j <= m->J; j++) fprintf(f, " %" PRIu32, s->fanout[j - 1]);
    fputs("\nactivation", f);
    for (int j = 1; j <= m->J; j++) fprintf(f, " %s", act_name(s->act[j - 1]));
    fputc('\n', f);
    for (int j = 1; j <= m->J; j++) {
        const junction *jn = &m->jn[j];
        fprintf(f, "junction %d pattern %016" PRIx64 "\n", j, pat_hash(&m->pats[j - 1]));
        fprintf(f, "biases %" PRIu32 "\n", jn->n);
        write_values(f, m, jn->b, jn->bf, jn->n);
        fprintf(f, "weights %" PRIu32 "\n", jn->W);
        write_values(f, m, jn->w, jn->wf, jn->W);
    }
    fputs("end\n", f);
}

bool model_save(const sg_model *m, const char *path)
{
    size_t n = strlen(path);
    char *tmp = xmalloc(n + 16);
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp-XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        diag_fail("cannot write '%s': %s", path, strerror(errno));
        free(tmp);
        return false;
    }
    /* mkstemp makes the file 0600; give it the permissions an ordinary fopen would */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        diag_fail("cannot write '%s': %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        free(tmp);
        return false;
    }
    write_weights(f, m);
    bool bad = fflush(f) != 0 || ferror(f);
    int err = errno;
    if (fclose(f) != 0 && !bad) {
        bad = true;
        err = errno;
    }
    if (!bad && rename(tmp, path) != 0) {
        bad = true;
        err = errno;
    }
    if (bad) {
        diag_fail("cannot write '%s': %s", path, strerror(err ? err : EIO));
        unlink(tmp);
    }
    free(tmp);
    return !bad;
}

/* The reader: a cursor over the file's text, one line at a time. Every failure is one diag_fail line
 * "PATH:LINE: MESSAGE" and stops the load. */
typedef struct {
    const char *path;
    char *p, *end;     /* unread text */
    int line;          /* line number of the current line (1-based) */
    char *cur;         /* the current line, NUL-terminated (the newline replaced), or NULL at end of file */
} reader;

static bool next_line(reader *r)
{
    if (r->p >= r->end) {
        r->cur = NULL;
        r->line++;
        return false;
    }
    r->cur = r->p;
    char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    if (nl) {
        *nl = 0;
        r->p = nl + 1;
    } else {
        r->p = r->end;
    }
    size_t len = strlen(r->cur);
    if (len && r->cur[len - 1] == '\r') r->cur[len - 1] = 0;
    r->line++;
    return true;
}

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t') return false;
    return true;
}

/* The next line that is not blank and not a comment ('#' first). */
static bool next_content(reader *r)
{
    while (next_line(r))
        if (!is_blank(r->cur) && r->cur[strspn(r->cur, " \t")] != '#') return true;
    return false;
}

#define RFAIL(r, ...)                                   \
    do {                                                \
        char msg_[1024];                                \
        snprintf(msg_, sizeof msg_, __VA_ARGS__);       \
        diag_fail("%s:%d: %s", (r)->path, (r)->line, msg_); \
        return false;                                   \
    } while (0)

/* Splits the current line into at most max tokens (modifies it); returns the count, max + 1 if there are more. */
static int tokens(char *line, char **tok, int max)
{
    int n = 0;
    for (char *s = line;;) {
        s += strspn(s, " \t");
        if (!*s) break;
        if (n == max) return max + 1;
        tok[n++] = s;
        s += strcspn(s, " \t");
        if (*s) *s++ = 0;
    }
    return n;
}

/* A header line "KEY v1 v2 ..." (or "KEY" with want = 0 values). */
static bool header(reader *r, const char *key, char **tok, int want, int *got)
{
    if (!next_content(r)) RFAIL(r, "unexpected end of file: expected '%s' (is the file truncated?)", key);
    char *t[SG_MAX_J + 3];
    int n = tokens(r->cur, t, SG_MAX_J + 2);
    if (n > SG_MAX_J + 2) RFAIL(r, "too many values after '%s'", t[0]);
    if (strcmp(t[0], key) != 0) {
        if (isdigit((unsigned char)t[0][0]) || t[0][0] == '-')
            RFAIL(r, "expected '%s', found a number (more values than the count above?)", key);
        RFAIL(r, "expected '%s'", key);
    }
    if (want >= 0 && n - 1 != want) RFAIL(r, "'%s' needs %d value%s", key, want, want == 1 ? "" : "s");
    for (int i = 1; i < n; i++) tok[i - 1] = t[i];
    if (got) *got = n - 1;
    return true;
}

static bool parse_i64(const char *t, int64_t *v)
{
    if (!*t) return false;
    char *end;
    errno = 0;
    long long x = strtoll(t, &end, 10);
    if (*end || errno) return false;
    *v = x;
    return true;
}

static bool parse_u32(const char *t, uint32_t *v)
{
    int64_t x;
    if (t[0] == '-' || t[0] == '+' || !parse_i64(t, &x) || x < 0 || x > UINT32_MAX) return false;
    *v = (uint32_t)x;
    return true;
}

/* Compares a list of unsigned numbers on the current header line with the network's. */
static bool check_list(reader *r, const char *key, char **tok, int ntok, const uint32_t *want, int nwant)
{
    char mine[256] = "", theirs[256] = "";
    size_t lm = 0, lt = 0;
    for (int i = 0; i < nwant; i++)
        lm += (size_t)snprintf(mine + lm, lm < sizeof mine ? sizeof mine - lm : 0, "%s%" PRIu32, i ? " " : "", want[i]);
    bool same = ntok == nwant;
    for (int i = 0; i < ntok; i++) {
        uint32_t v;
        if (!parse_u32(tok[i], &v)) RFAIL(r, "bad number '%s' in '%s'", tok[i], key);
        if (i < nwant && v != want[i]) same = false;
        lt += (size_t)snprintf(theirs + lt, lt < sizeof theirs ? sizeof theirs - lt : 0, "%s%s", i ? " " : "", tok[i]);
    }
    if (!same) RFAIL(r, "%s %s do not match the network's %s %s", key, theirs, key, mine);
    return true;
}

/* Reads n values into v (fixed) or vf (float); any layout of whitespace-separated tokens over the lines. */
static bool read_values(reader *r, const sg_model *m, const char *what, int j, uint32_t n, int32_t *v, double *vf)
{
    uint32_t i = 0;
    while (i < n) {
        if (!next_content(r))
            RFAIL(r, "unexpected end of file: junction %d has %" PRIu32 " of %" PRIu32 " %s (is the file truncated?)",
                  j, i, n, what);
        char *s = r->cur;
        for (;;) {
            s += strspn(s, " \t");
            if (!*s) break;
            char *t = s;
            s += strcspn(s, " \t");
            if (*s) *s++ = 0;
            if (i == n) RFAIL(r, "junction %d: more than %" PRIu32 " %s", j, n, what);
            if (m->kind == SG_MODEL_FIXED) {
                int64_t x;
                if (!parse_i64(t, &x)) {
                    if (isalpha((unsigned char)t[0]))
                        RFAIL(r, "junction %d has %" PRIu32 " %s, expected %" PRIu32, j, i, what, n);
                    RFAIL(r, "bad value '%s' (junction %d %s)", t, j, what);
                }
                if (x < m->fmt.min || x > m->fmt.max)
                    RFAIL(r, "value %s out of range %" PRId64 "..%" PRId64 " for width %d (junction %d %s)", t,
                          m->fmt.min, m->fmt.max, m->fmt.w, j, what);
                v[i++] = (int32_t)x;
            } else {
                char *end;
                errno = 0;
                double x = strtod(t, &end);
                if (*end || end == t) {
                    if (isalpha((unsigned char)t[0]) && strcmp(t, "nan") && strcmp(t, "inf"))
                        RFAIL(r, "junction %d has %" PRIu32 " %s, expected %" PRIu32, j, i, what, n);
                    RFAIL(r, "bad value '%s' (junction %d %s)", t, j, what);
                }
                if (!isfinite(x)) RFAIL(r, "value %s is not finite (junction %d %s)", t, j, what);
                vf[i++] = x;
            }
        }
    }
    return true;
}

static bool load_into(reader *r, const sg_model *m, int32_t **w, int32_t **b, double **wf, double **bf)
{
    const sg_spec *s = &m->spec;
    char *tok[SG_MAX_J + 3];
    int n;
    if (!next_line(r) || strcmp(r->cur, WF_MAGIC) != 0)
        RFAIL(r, "not a sparsegen weight file (the first line must be '%s')", WF_MAGIC);
    if (!next_content(r)) RFAIL(r, "unexpected end of file: expected 'name' (is the file truncated?)");
    const char *nm = r->cur + strspn(r->cur, " \t");
    if (strncmp(nm, "name", 4) != 0 || (nm[4] && nm[4] != ' ' && nm[4] != '\t')) RFAIL(r, "expected 'name'");
    /* the name is recorded for people, not checked: see docs/weights.md */
    if (!header(r, "kind", tok, 1, NULL)) return false;
    if (strcmp(tok[0], "fixed") && strcmp(tok[0], "float")) RFAIL(r, "kind must be fixed or float, not '%s'", tok[0]);
    if (strcmp(tok[0], kind_name(m->kind)))
        RFAIL(r, "kind %s does not match the model's kind %s", tok[0], kind_name(m->kind));
    if (!header(r, "format", tok, 2, NULL)) return false;
    uint32_t fw, fF;
    if (!parse_u32(tok[0], &fw) || !parse_u32(tok[1], &fF)) RFAIL(r, "bad number in 'format'");
    if (fw != (uint32_t)s->width || fF != (uint32_t)s->frac)
        RFAIL(r, "format (width %" PRIu32 ", frac %" PRIu32 ") does not match the network's (width %d, frac %d)", fw,
              fF, s->width, s->frac);
    if (!header(r, "layers", tok, -1, &n)) return false;
    if (!check_list(r, "layers", tok, n, s->layers, m->J + 1)) return false;
    if (!header(r, "fanout", tok, -1, &n)) return false;
    if (!check_list(r, "fanout", tok, n, s->fanout, m->J)) return false;
    if (!header(r, "activation", tok, m->J, NULL)) return false;
    for (int j = 1; j <= m->J; j++)
        if (strcmp(tok[j - 1], act_name(s->act[j - 1])))
            RFAIL(r, "junction %d: activation %s does not match the network's %s", j, tok[j - 1],
                  act_name(s->act[j - 1]));
    for (int j = 1; j <= m->J; j++) {
        const junction *jn = &m->jn[j];
        if (!header(r, "junction", tok, 3, NULL)) return false;
        uint32_t jj;
        if (!parse_u32(tok[0], &jj) || jj != (uint32_t)j) RFAIL(r, "expected 'junction %d'", j);
        if (strcmp(tok[1], "pattern")) RFAIL(r, "expected 'junction %d pattern HASH'", j);
        uint64_t want = pat_hash(&m->pats[j - 1]);
        char hex[17];
        snprintf(hex, sizeof hex, "%016" PRIx64, want);
        if (strlen(tok[2]) != 16 || strspn(tok[2], "0123456789abcdef") != 16)
            RFAIL(r, "junction %d: bad pattern hash '%s' (16 lower-case hex digits)", j, tok[2]);
        if (strcmp(tok[2], hex))
            RFAIL(r, "junction %d: pattern hash %s does not match the network's connection pattern %s (the weights "
                     "belong to another pattern: check connectivity, z and seeds)", j, tok[2], hex);
        if (!header(r, "biases", tok, 1, NULL)) return false;
        uint32_t cnt;
        if (!parse_u32(tok[0], &cnt) || cnt != jn->n)
            RFAIL(r, "junction %d: 'biases %s', the network has %" PRIu32, j, tok[0], jn->n);
        if (!read_values(r, m, "biases", j, jn->n, b[j], bf[j])) return false;
        if (!header(r, "weights", tok, 1, NULL)) return false;
        if (!parse_u32(tok[0], &cnt) || cnt != jn->W)
            RFAIL(r, "junction %d: 'weights %s', the network has %" PRIu32, j, tok[0], jn->W);
        if (!read_values(r, m, "weights", j, jn->W, w[j], wf[j])) return false;
    }
    if (!header(r, "end", tok, 0, NULL)) return false;
    while (next_line(r))
        if (!is_blank(r->cur)) RFAIL(r, "unexpected text after 'end'");
    return true;
}

bool model_load(sg_model *m, const char *path)
{
    size_t len;
    char *buf = read_file(path, &len);
    if (!buf) {
        diag_fail("cannot read weight file '%s': %s", path, strerror(errno));
        return false;
    }
    reader r = { .path = path, .p = buf, .end = buf + len, .line = 0 };
    if (memchr(buf, 0, len)) {
        char *z = memchr(buf, 0, len);
        for (char *c = buf; c < z; c++) r.line += *c == '\n';
        diag_fail("%s:%d: not a text file (NUL byte)", path, r.line + 1);
        free(buf);
        return false;
    }
    /* read into fresh arrays; the model changes only when everything was valid */
    int32_t *w[SG_MAX_J + 1] = { 0 }, *b[SG_MAX_J + 1] = { 0 };
    double *wf[SG_MAX_J + 1] = { 0 }, *bf[SG_MAX_J + 1] = { 0 };
    for (int j = 1; j <= m->J; j++) {
        if (m->kind == SG_MODEL_FIXED) {
            w[j] = xmalloc(m->jn[j].W * sizeof(int32_t));
            b[j] = xmalloc(m->jn[j].n * sizeof(int32_t));
        } else {
            wf[j] = xmalloc(m->jn[j].W * sizeof(double));
            bf[j] = xmalloc(m->jn[j].n * sizeof(double));
        }
    }
    bool ok = load_into(&r, m, w, b, wf, bf);
    for (int j = 1; j <= m->J; j++) {
        junction *jn = &m->jn[j];
        if (ok) {
            if (m->kind == SG_MODEL_FIXED) {
                memcpy(jn->w, w[j], jn->W * sizeof(int32_t));
                memcpy(jn->b, b[j], jn->n * sizeof(int32_t));
            } else {
                memcpy(jn->wf, wf[j], jn->W * sizeof(double));
                memcpy(jn->bf, bf[j], jn->n * sizeof(double));
            }
        }
        free(w[j]);
        free(b[j]);
        free(wf[j]);
        free(bf[j]);
    }
    free(buf);
    return ok;
}
