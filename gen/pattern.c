/* pattern.c: clash-free connection patterns (interleavers): generation, the checker and the statistics.
 * docs/patterns.md is the definition of everything here (families, draw order, repairs, re-draws, scatter). */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "plan.h"
#include "rng.h"

#define PAT_ATTEMPTS 200       /* whole-pattern draws before giving up */
#define PAT_SCATTER_WINDOWS 16 /* 1-D scatter windows (at most; docs/patterns.md) */

static const char *fam_name(sg_family f)
{
    switch (f) {
    case SG_FAM_TYPE1: return "type1";
    case SG_FAM_TYPE2: return "type2";
    case SG_FAM_TYPE3: return "type3";
    case SG_FAM_RANDOM: return "random";
    }
    return "?";
}

uint32_t pat_features(const sg_spec *s, int j)
{
    return j == 1 ? s->features : spec_p(s, j);
}

bool pat_hazard_applies(const sg_spec *s, int j)
{
    return j >= 2 && s->mode == SG_MODE_TRAIN;
}

uint64_t pat_stream(int j, int attempt)
{
    return (uint64_t)j + 1000u * (uint64_t)attempt;
}

static sg_loc pick_loc(sg_loc a, sg_loc b)
{
    return a.line > 0 ? a : b;
}

void pat_free(sg_pattern *pt)
{
    if (!pt) return;
    free(pt->left);
    free(pt->start);
    free(pt->rows);
    free(pt->bank);
    memset(pt, 0, sizeof *pt);
}

/* ---- sizes ------------------------------------------------------------------------------------ */

/* Fills the sizes of junction j, or reports why they are unusable. The spec reader checks all of this already;
 * the pattern module checks again so that a bad spec built by a caller gives an error, never a crash. */
static bool pat_sizes(const sg_spec *s, int j, sg_pattern *pt, sg_diag *d)
{
    sg_loc at = s->at.connectivity;
    if (j < 1 || j > s->J || s->J > SG_MAX_J) {
        diag_error(d, at, "junction %d does not exist (the network has %d junctions)", j, s->J);
        return false;
    }
    uint64_t p = spec_p(s, j), n = spec_n(s, j), dout = s->fanout[j - 1], z = s->z[j - 1];
    uint64_t W = p * dout;
    if (p < 1 || n < 1 || dout < 1 || dout > n) {
        diag_error(d, pick_loc(s->at.fanout_j[j - 1], s->at.fanout),
                   "junction %d: fan-out %" PRIu64 " must be between 1 and the right layer size %" PRIu64, j, dout, n);
        return false;
    }
    if (W % n) {
        diag_error(d, pick_loc(s->at.fanout_j[j - 1], s->at.fanout),
                   "junction %d: p * d_out = %" PRIu64 " * %" PRIu64 " is not a multiple of n = %" PRIu64
                   " (the fan-in must be an integer)", j, p, dout, n);
        return false;
    }
    if (W > SG_MAX_EDGES) {
        diag_error(d, pick_loc(s->at.fanout_j[j - 1], s->at.fanout),
                   "junction %d has %" PRIu64 " edges, more than %u", j, W, (unsigned)SG_MAX_EDGES);
        return false;
    }
    uint64_t din = W / n;
    if (z < 1 || p % z || (z % din && din % z)) {
        diag_error(d, pick_loc(s->at.z_j[j - 1], s->at.z),
                   "junction %d: z = %" PRIu64 " must divide p = %" PRIu64 " and be a multiple or a divisor of the "
                   "fan-in %" PRIu64, j, z, p, din);
        return false;
    }
    uint64_t features = pat_features(s, j);
    if (features < 1 || features > p) {
        diag_error(d, pick_loc(s->at.features, s->at.input),
                   "junction %d: input.features = %" PRIu64 " must be between 1 and %" PRIu64, j, features, p);
        return false;
    }
    memset(pt, 0, sizeof *pt);
    pt->j = j;
    pt->p = (uint32_t)p;
    pt->n = (uint32_t)n;
    pt->dout = (uint32_t)dout;
    pt->din = (uint32_t)din;
    pt->z = (uint32_t)z;
    pt->W = (uint32_t)W;
    pt->C = (uint32_t)(W / z);
    pt->P = (uint32_t)(p / z);
    return true;
}

/* ---- generation ------------------------------------------------------------------------------- */

typedef enum { FAIL_NONE, FAIL_REPEAT, FAIL_HAZARD, FAIL_PADDING, FAIL_OTHER } fail_kind;

typedef struct {
    sg_pattern *pt;
    sg_family fam;
    bool ss, sv, md, zs;    /* effective options (docs/patterns.md "Options") */
    bool new_rows;          /* every sweep draws new rows (type1) or a new start vector (type2 with SS) */
    bool new_bank;          /* memory dither with a new bank permutation every sweep */
    uint32_t L;             /* delta RMW distance that must be met (<= 1: none) */
    uint32_t *scratch;      /* [P]: the row permutation of start_shuffle */
    uint32_t *mark;         /* [P]: rows of the previous sweep's tail (== stamp) */
    uint32_t *list;         /* [P]: pool of redraw_rows */
    uint32_t *pos;          /* [P]: step of each row in the previous sweep (compat); held rows (redraw_rows) */
    uint32_t *inv;          /* [z]: lane of each memory in the previous sweep */
    uint32_t stamp;
    /* boundary being repaired */
    uint32_t a, b;          /* clocks of the straddling right neuron before and after the boundary (0: none) */
    /* what went wrong (last failed attempt) */
    fail_kind fail;
    uint32_t fail_sweep;    /* repairs: first sweep of the failing boundary */
    uint32_t fail_count;    /* padding: neurons */
} gen_ctx;

static inline uint32_t row_at(const gen_ctx *g, uint32_t s, uint32_t k, uint32_t u)
{
    const sg_pattern *pt = g->pt;
    if (pt->rows) return pt->rows[((size_t)s * pt->z + k) * pt->P + u];
    uint32_t v = pt->start[(size_t)s * pt->z + k] + u;
    return v >= pt->P ? v - pt->P : v;
}

/* Marks the rows that lane kp reads in the last a clocks of sweep s - 1 (the straddling neuron's tail). */
static void mark_tail(gen_ctx *g, uint32_t s, uint32_t kp)
{
    uint32_t P = g->pt->P;
    if (++g->stamp == 0) {
        memset(g->mark, 0, P * sizeof *g->mark);
        g->stamp = 1;
    }
    for (uint32_t u = P - g->a; u < P; u++) g->mark[row_at(g, s - 1, kp, u)] = g->stamp;
}

/* Is lane kn of sweep s compatible with lane kp of sweep s - 1 when both use the same memory?
 * 0 = yes, FAIL_REPEAT = the straddling neuron would see one left neuron twice, FAIL_HAZARD = a row comes back
 * in fewer than L clocks. */
static fail_kind compat(gen_ctx *g, uint32_t s, uint32_t kp, uint32_t kn)
{
    uint32_t P = g->pt->P;
    if (g->a) {
        mark_tail(g, s, kp);
        for (uint32_t u = 0; u < g->b; u++)
            if (g->mark[row_at(g, s, kn, u)] == g->stamp) return FAIL_REPEAT;
    }
    if (g->L > 1) {
        for (uint32_t u = 0; u < P; u++) g->pos[row_at(g, s - 1, kp, u)] = u;
        for (uint32_t u = 0; u < P; u++) {
            uint32_t x = row_at(g, s, kn, u);
            if ((uint64_t)P - g->pos[x] + u < g->L) return FAIL_HAZARD;
        }
    }
    return FAIL_NONE;
}

/* type1: draws the row order of lane kn of sweep s again, constructively compatible with lane kp of sweep s - 1
 * (same memory). Step by step (u = 0 .. P-1) it takes a row uniformly among the rows still unused that are
 * allowed at step u: row x is allowed from step pos(x) - (P - L) on, pos(x) being its step in sweep s - 1 (the
 * hazard rule; every row from step 0 when L <= 1), and in the first b steps the rows of the straddling neuron's
 * tail (the last a steps of sweep s - 1) are held back (no repeated edge). It never runs dry: the previous order
 * itself is one solution, and a + b <= P. Without a hazard rule this is exactly a uniform draw among the
 * compatible orders. */
static void redraw_rows(gen_ctx *g, sg_rng *r, uint32_t s, uint32_t kp, uint32_t kn)
{
    sg_pattern *pt = g->pt;
    uint32_t P = pt->P, *row = pt->rows + ((size_t)s * pt->z + kn) * P;
    const uint32_t *prev = pt->rows + ((size_t)(s - 1) * pt->z + kp) * P; /* prev[v] = row at step v */
    uint32_t D = g->L > 1 ? P - g->L : P - 1;   /* row prev[v] is allowed from step v - D on */
    uint32_t *pool = g->list, n_pool = 0, *held = g->pos, n_held = 0, next = 0; /* next: prev[] released so far */
    for (uint32_t u = 0; u < P; u++) {
        if (u == g->b) /* the tail rows may be used from step b on */
            while (n_held) pool[n_pool++] = held[--n_held];
        for (; next < P && next <= (uint64_t)u + D; next++) {
            if (u < g->b && next >= P - g->a) held[n_held++] = prev[next];
            else pool[n_pool++] = prev[next];
        }
        uint32_t i = (uint32_t)rng_below(r, n_pool);
        row[u] = pool[i];
        pool[i] = pool[--n_pool];
    }
}

/* type2: the largest compatible delta = (start - previous start) mod P of a lane: D = P - a - b when a right
 * neuron straddles the boundary, P - L when the hazard rule asks for L > 1 clocks, whichever is smaller (P - 1
 * without constraint). delta = 0 is always compatible. */
static uint32_t type2_max_delta(const gen_ctx *g)
{
    uint32_t P = g->pt->P, D = P - 1;
    if (g->a && P - g->a - g->b < D) D = P - g->a - g->b;
    if (g->L > 1 && P - g->L < D) D = P - g->L;
    return D;
}

/* type2 without start_shuffle: draws the start of lane kn again, uniformly among the values compatible with lane
 * kp of the previous sweep (delta in 0..D). Since the first draw was uniform too, the result is exactly a uniform
 * draw among the compatible values. */
static void redraw_start(gen_ctx *g, sg_rng *r, uint32_t s, uint32_t kp, uint32_t kn)
{
    sg_pattern *pt = g->pt;
    uint32_t P = pt->P, D = type2_max_delta(g);
    uint64_t v = pt->start[(size_t)(s - 1) * pt->z + kp] + rng_below(r, (uint64_t)D + 1);
    pt->start[(size_t)s * pt->z + kn] = (uint32_t)(v % P);
}

/* type2 with start_shuffle: the start vector of sweep s must stay balanced (every value q = floor(z/P) or q + 1
 * times). Lanes whose value is compatible keep it; the values of the others become free units; each incompatible
 * lane (increasing order) then gets a value by an augmenting path (Kuhn's bipartite matching): it tries the values
 * prev + delta, delta = o, o+1, .. (mod D + 1) from a random offset o; a value is taken if a free unit of it is
 * left, or if the value has q copies and a free unit of a value with q + 1 copies can be converted to it (both
 * stay balanced), or, recursively, if a lane holding it can move to another value. Iterative (no recursion depth
 * limit). False if some lane finds no path. */
static bool match_starts(gen_ctx *g, sg_rng *r, uint32_t s, const uint32_t *pv)
{
    sg_pattern *pt = g->pt;
    uint32_t z = pt->z, P = pt->P, D = type2_max_delta(g), *st = pt->start + (size_t)s * z;
    const uint32_t NIL = UINT32_MAX;
    /* class lists: lanes holding each value compatibly (doubly linked) */
    uint32_t *head = xmalloc(P * sizeof *head), *fr = xcalloc(P, sizeof *fr), *seen = xcalloc(P, sizeof *seen);
    uint32_t *nx = xmalloc(z * sizeof *nx), *pr = xmalloc(z * sizeof *pr);
    uint32_t *fk = xmalloc(z * sizeof *fk), *ft = xmalloc(z * sizeof *ft), *fo = xmalloc(z * sizeof *fo);
    uint32_t *fv = xmalloc(z * sizeof *fv), *fc = xmalloc(z * sizeof *fc);
    uint32_t *cnt = xcalloc(P, sizeof *cnt), *conv = xmalloc(P * sizeof *conv), n_conv = 0, q = z / P;
    bool *bad = xcalloc(z, sizeof *bad), ok = true;
    for (uint32_t v = 0; v < P; v++) head[v] = NIL;
    for (uint32_t k = 0; k < z; k++) {
        uint32_t v = st[k];
        cnt[v]++;
        if ((v + P - pv[k]) % P <= D) {
            nx[k] = head[v];
            pr[k] = NIL;
            if (head[v] != NIL) pr[head[v]] = k;
            head[v] = k;
        } else {
            bad[k] = true;
            if (fr[v]++ == 0) conv[n_conv++] = v;
        }
    }
    uint32_t stamp = 0;
    for (uint32_t k0 = 0; k0 < z && ok; k0++) {
        if (!bad[k0]) continue;
        stamp++;
        int top = 0;
        fk[0] = k0;
        ft[0] = 0;
        fo[0] = (uint32_t)rng_below(r, (uint64_t)D + 1);
        fc[0] = NIL;
        uint32_t got = NIL; /* the free value found */
        while (top >= 0 && got == NIL) {
            if (fc[top] != NIL) { /* try to move the next lane of class fv[top] */
                uint32_t k2 = fc[top];
                fc[top] = nx[k2];
                top++;
                fk[top] = k2;
                ft[top] = 0;
                fo[top] = (uint32_t)rng_below(r, (uint64_t)D + 1);
                fc[top] = NIL;
                continue;
            }
            if (ft[top] > D) { /* this lane cannot move */
                top--;
                continue;
            }
            uint32_t v = (uint32_t)((pv[fk[top]] + (uint64_t)(fo[top] + ft[top]) % (D + 1)) % P);
            ft[top]++;
            if (seen[v] == stamp) continue;
            seen[v] = stamp;
            while (n_conv && !(fr[conv[n_conv - 1]] && cnt[conv[n_conv - 1]] == q + 1)) n_conv--;
            if (fr[v]) {
                fr[v]--;
                got = v;
            } else if (cnt[v] == q && n_conv) { /* convert a free unit of a value with q + 1 copies */
                uint32_t u = conv[n_conv - 1];
                fr[u]--;
                cnt[u]--;
                cnt[v]++;
                got = v;
            } else {
                fv[top] = v;
                fc[top] = head[v];
            }
        }
        if (got == NIL) {
            ok = false;
            break;
        }
        /* unwind: the top lane takes the free value, every lower lane the class of the lane above it */
        for (int f = top; f >= 0; f--) {
            uint32_t k = fk[f], v = f == top ? got : fv[f];
            if (!bad[k]) { /* unlink from its class */
                if (pr[k] != NIL) nx[pr[k]] = nx[k];
                else head[st[k]] = nx[k];
                if (nx[k] != NIL) pr[nx[k]] = pr[k];
            }
            bad[k] = false;
            st[k] = v;
            nx[k] = head[v];
            pr[k] = NIL;
            if (head[v] != NIL) pr[head[v]] = k;
            head[v] = k;
        }
    }
    free(head);
    free(fr);
    free(seen);
    free(nx);
    free(pr);
    free(fk);
    free(ft);
    free(fo);
    free(fv);
    free(fc);
    free(bad);
    free(cnt);
    free(conv);
    return ok;
}

/* Makes sweep s compatible with sweep s - 1 (docs/patterns.md "Sweep boundaries"): every lane whose memory is
 * incompatible (compat) is repaired, in increasing lane order: type1 draws the lane's row order again
 * (redraw_rows), type2 without start_shuffle draws the lane's start again (redraw_start), type2 with start_shuffle
 * rearranges the start values among the lanes (match_starts), or if that is impossible takes the previous
 * sweep's starts shifted by a random delta. False only if a lane is still incompatible afterwards (which the
 * construction rules out; kept as a check). */
static bool repair_boundary(gen_ctx *g, sg_rng *r, uint32_t s)
{
    sg_pattern *pt = g->pt;
    uint32_t z = pt->z;
    const uint32_t *bp = pt->bank + (size_t)(s - 1) * z, *bn = pt->bank + (size_t)s * z;
    for (uint32_t k = 0; k < z; k++) g->inv[bp[k]] = k;
    fail_kind first = FAIL_NONE;
    for (uint32_t k = 0; k < z; k++) {
        uint32_t kp = g->inv[bn[k]];
        fail_kind f = compat(g, s, kp, k);
        if (f == FAIL_NONE) continue;
        if (first == FAIL_NONE) first = f;
        if (!g->new_rows) break; /* shared rows cannot be changed (never happens: docs/patterns.md) */
        if (pt->rows) redraw_rows(g, r, s, kp, k);
        else if (!g->sv) redraw_start(g, r, s, kp, k);
        else break; /* start_shuffle: all at once below */
    }
    if (first != FAIL_NONE && g->new_rows && !pt->rows && g->sv) {
        uint32_t *pv = xmalloc(z * sizeof *pv);
        for (uint32_t k = 0; k < z; k++) pv[k] = pt->start[(size_t)(s - 1) * z + g->inv[bn[k]]];
        if (!match_starts(g, r, s, pv)) {
            /* no rearrangement: the previous sweep's starts (per memory) shifted by one random delta, which is
             * balanced and compatible */
            uint32_t c = (uint32_t)rng_below(r, (uint64_t)type2_max_delta(g) + 1);
            for (uint32_t k = 0; k < z; k++) pt->start[(size_t)s * z + k] = (pv[k] + c) % pt->P;
        }
        free(pv);
    }
    /* verify (cheap, and it keeps the repairs honest) */
    for (uint32_t k = 0; k < z; k++) {
        fail_kind f = compat(g, s, g->inv[bn[k]], k);
        if (f != FAIL_NONE) {
            g->fail = f;
            g->fail_sweep = s - 1;
            return false;
        }
    }
    return true;
}

static void identity(uint32_t *a, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) a[i] = i;
}

/* One draw (attempt) of the tables from its own stream, then left[]. False when a sweep boundary could not be
 * repaired. */
static bool draw(gen_ctx *g, uint64_t seed, uint64_t stream)
{
    sg_pattern *pt = g->pt;
    uint32_t z = pt->z, P = pt->P, din = pt->din;
    sg_rng r;
    rng_init(&r, seed, stream);
    g->stamp = 0;
    memset(g->mark, 0, P * sizeof *g->mark);
    for (uint32_t s = 0; s < pt->dout; s++) {
        /* 1. rows or start vector */
        if (g->fam == SG_FAM_TYPE1) {
            for (uint32_t k = 0; k < z; k++) {
                uint32_t *row = pt->rows + ((size_t)s * z + k) * P;
                identity(row, P);
                rng_shuffle_u32(&r, row, P);
            }
        } else {
            uint32_t *st = pt->start + (size_t)s * z;
            if (s == 0 || g->ss) {
                if (g->zs) {
                    memset(st, 0, z * sizeof *st);
                } else if (g->sv) {
                    identity(g->scratch, P);
                    rng_shuffle_u32(&r, g->scratch, P);
                    for (uint32_t k = 0; k < z; k++) st[k] = g->scratch[k % P];
                    rng_shuffle_u32(&r, st, z);
                } else {
                    for (uint32_t k = 0; k < z; k++) st[k] = (uint32_t)rng_below(&r, P);
                }
            } else {
                memcpy(st, st - z, z * sizeof *st);
            }
        }
        /* 2. bank permutation */
        uint32_t *bk = pt->bank + (size_t)s * z;
        if (g->md && (s == 0 || g->new_bank)) {
            identity(bk, z);
            rng_shuffle_u32(&r, bk, z);
        } else if (g->md) {
            memcpy(bk, bk - z, z * sizeof *bk);
        } else {
            identity(bk, z);
        }
        /* 3. the boundary with the previous sweep */
        if (s > 0) {
            uint64_t first = (uint64_t)s * pt->p; /* first edge of sweep s */
            uint32_t off = (uint32_t)(first % din);
            g->a = off ? off / z : 0;
            g->b = off ? (din - off) / z : 0;
            if ((g->a || g->L > 1) && !repair_boundary(g, &r, s)) return false;
        }
    }
    /* left[] from the tables */
    for (uint32_t s = 0; s < pt->dout; s++) {
        const uint32_t *bk = pt->bank + (size_t)s * z;
        uint32_t *out = pt->left + (size_t)s * pt->p;
        if (pt->rows) {
            const uint32_t *rows = pt->rows + (size_t)s * z * P;
            for (uint32_t k = 0; k < z; k++) {
                const uint32_t *row = rows + (size_t)k * P;
                for (uint32_t u = 0; u < P; u++) out[(size_t)u * z + k] = row[u] * z + bk[k];
            }
        } else {
            const uint32_t *st = pt->start + (size_t)s * z;
            for (uint32_t k = 0; k < z; k++) {
                uint32_t row = st[k];
                for (uint32_t u = 0; u < P; u++) {
                    out[(size_t)u * z + k] = row * z + bk[k];
                    if (++row == P) row = 0;
                }
            }
        }
    }
    return true;
}

static void check_core(const sg_pattern *pt, uint32_t features, sg_pattern_stats *st);
static void scatter(const sg_pattern *pt, uint32_t features, sg_pattern_stats *st);

/* ---- the random baseline (docs/patterns.md "The random baseline") ------------------------------------- */

static bool contains(const uint32_t *e, uint32_t len, uint32_t x)
{
    for (uint32_t i = 0; i < len; i++)
        if (e[i] == x) return true;
    return false;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* A random bipartite graph with p left neurons of degree dout and n right neurons of degree din (p*dout = n*din),
 * no repeated pair: out[r*din .. r*din+din-1] are right neuron r's left neurons, unsorted. The configuration model
 * (every left neuron dout times, shuffled, cut into n groups of din) followed by swap repairs: each repeated left
 * neuron of a group, in group and slot order, is exchanged with a uniformly drawn slot of another group whose
 * left neuron is not in this group and which does not already hold this left neuron. mark: [p] scratch.
 * False when the repairs did not converge within their budget (only plausible at densities near 1/2). */
static bool random_graph(sg_rng *r, uint32_t p, uint32_t n, uint32_t dout, uint32_t din, uint32_t *out,
                         uint32_t *mark)
{
    uint32_t W = p * dout;
    for (uint32_t x = 0, i = 0; x < p; x++)
        for (uint32_t t = 0; t < dout; t++) out[i++] = x;
    rng_shuffle_u32(r, out, W);
    memset(mark, 0, (size_t)p * sizeof *mark);
    uint64_t budget = 64 * (uint64_t)W + 4096;
    for (uint32_t g = 0; g < n; g++) {
        uint32_t *e = out + (size_t)g * din;
        for (uint32_t k = 0; k < din; k++) {
            uint32_t x = e[k];
            if (mark[x] != g + 1) {
                mark[x] = g + 1;
                continue;
            }
            for (;;) { /* x is repeated in group g */
                if (budget == 0) return false;
                budget--;
                uint32_t slot = (uint32_t)rng_below(r, W), g2 = slot / din;
                if (g2 == g) continue;
                uint32_t y = out[slot];
                if (contains(e, din, y) || contains(out + (size_t)g2 * din, din, x)) continue;
                out[slot] = x;
                e[k] = y;
                mark[y] = g + 1;
                break;
            }
        }
    }
    return true;
}

/* One draw of the random family into pt->left: the graph itself when 2 d_out <= n, else the complement of a
 * random graph with degrees (n - d_out, p - d_in), so that the repairs always work at density <= 1/2. Each right
 * neuron's left neurons are sorted (ascending). */
static bool draw_random(sg_pattern *pt, uint64_t seed, uint64_t stream, uint32_t *mark)
{
    sg_rng r;
    rng_init(&r, seed, stream);
    uint32_t p = pt->p, n = pt->n, din = pt->din, dout = pt->dout;
    if (2 * (uint64_t)dout <= n) {
        if (!random_graph(&r, p, n, dout, din, pt->left, mark)) return false;
    } else {
        uint32_t cdout = n - dout, cdin = p - din;
        uint32_t *c = xmalloc(((size_t)n * cdin + 1) * sizeof *c);
        if (!random_graph(&r, p, n, cdout, cdin, c, mark)) {
            free(c);
            return false;
        }
        memset(mark, 0, (size_t)p * sizeof *mark);
        for (uint32_t g = 0; g < n; g++) {
            for (uint32_t i = 0; i < cdin; i++) mark[c[(size_t)g * cdin + i]] = g + 1;
            uint32_t *e = pt->left + (size_t)g * din, m = 0;
            for (uint32_t x = 0; x < p; x++)
                if (mark[x] != g + 1) e[m++] = x;
        }
        free(c);
    }
    for (uint32_t g = 0; g < n; g++) qsort(pt->left + (size_t)g * din, din, sizeof *pt->left, cmp_u32);
    return true;
}

/* pat_generate_ex for family random: pt holds the sizes. Re-draws (streams j + 1000 t) as for the other
 * families when a right neuron sees only padding or the repairs did not converge. */
static bool generate_random(const sg_spec *s, int j, sg_pattern *pt, sg_pattern *out, sg_pattern_stats *stout,
                            sg_diag *d)
{
    uint32_t features = pat_features(s, j);
    pt->random = true;
    pt->left = xmalloc((size_t)pt->W * sizeof *pt->left);
    uint32_t *mark = xcalloc(pt->p, sizeof *mark);
    sg_pattern_stats st;
    fail_kind fail = FAIL_NONE;
    uint32_t padding = 0;
    bool ok = false;
    for (int t = 0; t < PAT_ATTEMPTS && !ok; t++) {
        if (!draw_random(pt, s->conn_seed, pat_stream(j, t), mark)) {
            fail = FAIL_REPEAT;
            continue;
        }
        check_core(pt, features, &st);
        if (st.padding_only) {
            fail = FAIL_PADDING;
            padding = st.padding_only;
        } else if (st.repeated_edges || st.out_of_range || st.min_fanin != pt->din || st.max_fanin != pt->din ||
                   st.min_fanout != pt->dout || st.max_fanout != pt->dout) {
            fail = FAIL_OTHER; /* cannot happen: the construction guarantees these */
        } else {
            ok = true;
            pt->attempt = t;
        }
    }
    free(mark);
    if (ok) {
        *out = *pt;
        if (stout) {
            *stout = st;
            scatter(out, features, stout);
        }
        return true;
    }
    if (fail == FAIL_PADDING)
        diag_error(d, s->at.connectivity,
                   "junction %d: %d random draws (connectivity.seed %" PRIu64 ") all left right neurons that see only "
                   "padding (the last: %u of %u, input.features %u of %u inputs); use a larger fan-out, fewer padding "
                   "inputs, or another seed",
                   j, PAT_ATTEMPTS, s->conn_seed, padding, pt->n, features, pt->p);
    else if (fail == FAIL_REPEAT)
        diag_error(d, s->at.connectivity,
                   "junction %d: %d random draws (connectivity.seed %" PRIu64 ") could not remove every repeated "
                   "edge; use another fan-out or seed", j, PAT_ATTEMPTS, s->conn_seed);
    else
        diag_error(d, s->at.connectivity, "junction %d: internal error: the random pattern breaks a rule its "
                   "construction guarantees", j);
    pat_free(pt);
    memset(out, 0, sizeof *out);
    return false;
}

bool pat_generate_ex(const sg_spec *s, int j, uint32_t rmw_distance, sg_pattern *out, sg_pattern_stats *stout,
                     sg_diag *d)
{
    sg_pattern pt;
    if (!pat_sizes(s, j, &pt, d)) {
        memset(out, 0, sizeof *out);
        return false;
    }
    if (s->family == SG_FAM_RANDOM) return generate_random(s, j, &pt, out, stout, d);
    uint32_t features = pat_features(s, j);
    gen_ctx g = { .pt = &pt, .fam = s->family };
    g.zs = s->family != SG_FAM_TYPE1 && s->zero_start;
    g.ss = s->family == SG_FAM_TYPE2 && s->sweep_shuffle;
    g.sv = s->family != SG_FAM_TYPE1 && s->start_shuffle && !g.zs;
    g.md = s->memory_dither;
    g.new_rows = s->family == SG_FAM_TYPE1 || (g.ss && !g.zs);
    g.new_bank = g.md && (s->family == SG_FAM_TYPE1 || g.ss);
    bool applies = pat_hazard_applies(s, j);
    g.L = applies ? rmw_distance : 0;
    sg_loc at = s->at.connectivity;

    /* A row of a memory comes back at a sweep boundary at most P clocks later (docs/patterns.md "Hazard"). */
    if (g.L > pt.P && pt.dout >= 2) {
        diag_error(d, pick_loc(s->at.z_j[j - 1], s->at.z),
                   "junction %d: the delta read-modify-write needs %u clocks between two visits of a memory row, but "
                   "with p/z = %u/%u = %u rows per memory a row is always revisited within %u clocks at a sweep "
                   "boundary; use a z of at most %u",
                   j, g.L, pt.p, pt.z, pt.P, pt.P, pt.p / g.L);
        memset(out, 0, sizeof *out);
        return false;
    }

    pt.left = xmalloc((size_t)pt.W * sizeof *pt.left);
    pt.bank = xmalloc((size_t)pt.dout * pt.z * sizeof *pt.bank);
    if (s->family == SG_FAM_TYPE1)
        pt.rows = xmalloc((size_t)pt.W * sizeof *pt.rows);
    else
        pt.start = xmalloc((size_t)pt.dout * pt.z * sizeof *pt.start);
    g.scratch = xcalloc(pt.P, sizeof *g.scratch);
    g.pos = xcalloc(pt.P, sizeof *g.pos);
    g.mark = xcalloc(pt.P, sizeof *g.mark);
    g.list = xcalloc(pt.P, sizeof *g.list);
    g.inv = xcalloc(pt.z, sizeof *g.inv);

    bool rows_random = pt.P > 1 && (s->family == SG_FAM_TYPE1 || !g.zs);
    bool bank_random = g.md && pt.z > 1;
    int attempts = rows_random || bank_random ? PAT_ATTEMPTS : 1;
    bool ok = false;
    sg_pattern_stats st;
    int t;
    for (t = 0; t < attempts && !ok; t++) {
        g.fail = FAIL_NONE;
        if (!draw(&g, s->conn_seed, pat_stream(j, t))) continue;
        check_core(&pt, features, &st);
        if (st.padding_only) {
            g.fail = FAIL_PADDING;
            g.fail_count = st.padding_only;
        } else if (!st.clash_free || st.repeated_edges || st.out_of_range || st.min_fanin != pt.din ||
                   st.max_fanin != pt.din || st.min_fanout != pt.dout || st.max_fanout != pt.dout) {
            g.fail = FAIL_OTHER; /* cannot happen: construction guarantees these (docs/patterns.md) */
        } else if (g.L > 1 && st.hazard_distance < g.L) {
            g.fail = FAIL_HAZARD;
        } else {
            ok = true;
            pt.attempt = t;
        }
    }
    free(g.scratch);
    free(g.pos);
    free(g.mark);
    free(g.list);
    free(g.inv);

    if (ok) {
        *out = pt;
        if (stout) {
            *stout = st;
            scatter(out, features, stout);
        }
        return true;
    }

    /* Explain the failure (the last attempt's) and what to change. */
    if (g.fail == FAIL_PADDING && attempts == 1 && g.zs) {
        diag_error(d, pick_loc(s->at.zero_start, at),
                   "junction %d: with zero_start every right neuron r sees the left neurons (r*%u .. r*%u+%u) mod %u: "
                   "%u of %u right neurons see only padding (input.features %u of %u inputs); use random start "
                   "vectors (zero_start: false) or fewer padding inputs",
                   j, pt.din, pt.din, pt.din - 1, pt.p, g.fail_count, pt.n, features, pt.p);
    } else if (g.fail == FAIL_PADDING && attempts == 1) {
        diag_error(d, pick_loc(s->at.memory_dither, at),
                   "junction %d: %u of %u right neurons see only padding (input.features %u of %u inputs), and with "
                   "p/z = 1 row per memory and no memory_dither the pattern is fixed; use memory_dither: true, a "
                   "smaller z, or fewer padding inputs",
                   j, g.fail_count, pt.n, features, pt.p);
    } else if (g.fail == FAIL_PADDING) {
        diag_error(d, at,
                   "junction %d: %d draws (connectivity.seed %" PRIu64 ") all left right neurons that see only "
                   "padding (the last: %u of %u, input.features %u of %u inputs); use a larger fan-out, fewer padding "
                   "inputs, or another family or seed",
                   j, attempts, s->conn_seed, g.fail_count, pt.n, features, pt.p);
    } else if (g.fail == FAIL_REPEAT) {
        uint64_t first = (uint64_t)(g.fail_sweep + 1) * pt.p;
        diag_error(d, at,
                   "junction %d: %d draws (connectivity.seed %" PRIu64 ") all connect a right neuron twice to one left "
                   "neuron (the last: right neuron %" PRIu64 " straddles sweeps %u and %u because d_in = %u does not "
                   "divide p = %u, and no lane swap avoided it); choose a fan-out whose fan-in divides p, or another "
                   "z, family or seed",
                   j, attempts, s->conn_seed, (first - 1) / pt.din, g.fail_sweep, g.fail_sweep + 1, pt.din, pt.p);
    } else if (g.fail == FAIL_HAZARD) {
        diag_error(d, at,
                   "junction %d: %d draws (connectivity.seed %" PRIu64 ") all revisit a delta memory row in fewer than "
                   "the %u clocks the read-modify-write needs (the last at the boundary of sweeps %u and %u); use a "
                   "smaller z (more rows per memory), type3, or sweep_shuffle: false",
                   j, attempts, s->conn_seed, g.L, g.fail_sweep, g.fail_sweep + 1);
    } else {
        diag_error(d, at, "junction %d: internal error: the %s pattern breaks a rule its construction guarantees", j,
                   fam_name(s->family));
    }
    pat_free(&pt);
    memset(out, 0, sizeof *out);
    return false;
}

bool pat_generate(const sg_spec *s, int j, sg_pattern *out, sg_diag *d)
{
    return pat_generate_ex(s, j, SG_DELTA_RMW_DISTANCE, out, NULL, d);
}

/* ---- the checker ------------------------------------------------------------------------------ */

/* Everything but scatter, from left[] alone. */
static void check_core(const sg_pattern *pt, uint32_t features, sg_pattern_stats *st)
{
    uint32_t p = pt->p, n = pt->n, z = pt->z, din = pt->din;
    memset(st, 0, sizeof *st);
    st->clash_free = true;
    st->hazard_distance = UINT32_MAX;
    st->min_fanin = st->min_fanout = UINT32_MAX;
    st->scatter_fwd = st->scatter_bwd = st->scatter = NAN;
    if (features > p) features = p;
    uint32_t *fanout = xcalloc(p ? p : 1, sizeof *fanout);
    uint32_t *seen = xcalloc(p ? p : 1, sizeof *seen); /* right neuron + 1 that last used x; bit 31: counted */
    uint32_t *last = xcalloc(p ? p : 1, sizeof *last); /* clock + 1 of the last access of x */
    uint32_t *mem = xcalloc(z ? z : 1, sizeof *mem);   /* clock + 1 of the last access of each memory */
    uint32_t c = 0, k = 0, r = 0, e = 0;                /* clock, lane, right neuron, edge within the neuron */
    uint32_t fanin = 0;
    bool real = false;
    for (uint64_t i = 0; i < pt->W; i++) {
        uint32_t x = pt->left[i];
        if (x >= p) {
            st->out_of_range++;
        } else {
            fanin++;
            fanout[x]++;
            if (x < features) real = true;
            uint32_t m = x % z;
            if (mem[m] == c + 1) st->clash_free = false;
            mem[m] = c + 1;
            uint32_t tag = (r + 1) & 0x7fffffffu;
            if ((seen[x] & 0x7fffffffu) == tag) {
                if (!(seen[x] & 0x80000000u)) {
                    st->repeated_edges++;
                    seen[x] |= 0x80000000u;
                }
            } else {
                seen[x] = tag;
            }
            if (last[x] && c + 1 - last[x] < st->hazard_distance) st->hazard_distance = c + 1 - last[x];
            last[x] = c + 1;
        }
        if (++k == z) {
            k = 0;
            c++;
        }
        if (++e == din) {
            if (fanin < st->min_fanin) st->min_fanin = fanin;
            if (fanin > st->max_fanin) st->max_fanin = fanin;
            if (!real && features < p) st->padding_only++;
            e = fanin = 0;
            real = false;
            r++;
        }
    }
    if (n == 0) st->min_fanin = 0;
    for (uint32_t x = 0; x < p; x++) {
        if (fanout[x] < st->min_fanout) st->min_fanout = fanout[x];
        if (fanout[x] > st->max_fanout) st->max_fanout = fanout[x];
    }
    if (p == 0) st->min_fanout = 0;
    free(fanout);
    free(seen);
    free(last);
    free(mem);
}

static uint32_t min3(uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Scatter (docs/patterns.md "Scatter"): forward = right neurons w.r.t. windows of left neurons, backward = left
 * neurons w.r.t. windows of right neurons; each neuron's value is the mean over windows of
 * min(1, connections from the window / ideal connections), the ideal being window size x density. */
static void scatter(const sg_pattern *pt, uint32_t features, sg_pattern_stats *st)
{
    uint32_t p = pt->p, n = pt->n, din = pt->din, dout = pt->dout;
    if (features > p) features = p;
    if (!p || !n || !din || !dout || !features) return;

    /* forward */
    bool two_d = pt->j == 1 && features == 784;
    uint32_t nw = two_d ? 49 : min3(PAT_SCATTER_WINDOWS, din, features);
    uint8_t *win = xmalloc(features);
    double *ideal = xmalloc(nw * sizeof *ideal);
    uint32_t *cnt = xcalloc(nw, sizeof *cnt);
    if (two_d) {
        for (uint32_t x = 0; x < 784; x++) win[x] = (uint8_t)((x / 28 / 4) * 7 + (x % 28) / 4);
        for (uint32_t w = 0; w < nw; w++) ideal[w] = 16.0 * din / p;
    } else {
        for (uint32_t w = 0; w < nw; w++) {
            uint32_t lo = (uint32_t)((uint64_t)w * features / nw), hi = (uint32_t)((uint64_t)(w + 1) * features / nw);
            for (uint32_t x = lo; x < hi; x++) win[x] = (uint8_t)w;
            ideal[w] = (double)(hi - lo) * din / p;
        }
    }
    double total = 0;
    for (uint32_t r = 0; r < n; r++) {
        const uint32_t *e = pt->left + (size_t)r * din;
        for (uint32_t i = 0; i < din; i++)
            if (e[i] < features) cnt[win[e[i]]]++;
        double v = 0;
        for (uint32_t w = 0; w < nw; w++) {
            double q = cnt[w] / ideal[w];
            v += q < 1 ? q : 1;
            cnt[w] = 0;
        }
        total += v / nw;
    }
    st->scatter_fwd = total / n;
    st->scatter_win_fwd = nw;
    st->scatter_2d = two_d;
    free(win);
    free(ideal);
    free(cnt);

    /* backward */
    uint32_t nb = min3(PAT_SCATTER_WINDOWS, dout, n);
    uint32_t *lc = xcalloc(p, sizeof *lc);
    total = 0;
    for (uint32_t w = 0; w < nb; w++) {
        uint32_t lo = (uint32_t)((uint64_t)w * n / nb), hi = (uint32_t)((uint64_t)(w + 1) * n / nb);
        double id = (double)(hi - lo) * dout / n;
        for (uint64_t i = (uint64_t)lo * din; i < (uint64_t)hi * din; i++)
            if (pt->left[i] < p) lc[pt->left[i]]++;
        for (uint32_t x = 0; x < p; x++) {
            if (x < features) {
                double q = lc[x] / id;
                total += q < 1 ? q : 1;
            }
            lc[x] = 0;
        }
    }
    st->scatter_bwd = total / ((double)nb * features);
    st->scatter_win_bwd = nb;
    free(lc);
    st->scatter = st->scatter_fwd < st->scatter_bwd ? st->scatter_fwd : st->scatter_bwd;
}

void pat_check(const sg_pattern *pt, uint32_t features, sg_pattern_stats *st)
{
    if (!pt->z || !pt->din || !pt->left) { /* not a pattern: every check fails, nothing is computed */
        memset(st, 0, sizeof *st);
        st->hazard_distance = UINT32_MAX;
        st->scatter_fwd = st->scatter_bwd = st->scatter = NAN;
        st->out_of_range = pt->W;
        return;
    }
    check_core(pt, features, st);
    scatter(pt, features, st);
}

bool pat_ok(const sg_pattern *pt, const sg_pattern_stats *st, uint32_t rmw_distance, sg_diag *d, sg_loc loc)
{
    bool ok = true;
    int j = pt->j;
    if (st->out_of_range) {
        ok = false;
        if (d) diag_error(d, loc, "junction %d: %" PRIu64 " edges name a left neuron outside 0..%u", j,
                          st->out_of_range, pt->p - 1);
    }
    if (!st->clash_free && !pt->random) {
        ok = false;
        if (d) diag_error(d, loc, "junction %d: the pattern has a clash (two edges of one clock read the same memory)",
                          j);
    }
    if (st->min_fanin != pt->din || st->max_fanin != pt->din) {
        ok = false;
        if (d) diag_error(d, loc, "junction %d: fan-in is %u..%u, must be exactly %u", j, st->min_fanin,
                          st->max_fanin, pt->din);
    }
    if (st->min_fanout != pt->dout || st->max_fanout != pt->dout) {
        ok = false;
        if (d) diag_error(d, loc, "junction %d: fan-out is %u..%u, must be exactly %u", j, st->min_fanout,
                          st->max_fanout, pt->dout);
    }
    if (st->repeated_edges) {
        ok = false;
        if (d) diag_error(d, loc, "junction %d: %" PRIu64 " repeated edges (a right neuron connected twice to one "
                          "left neuron)", j, st->repeated_edges);
    }
    if (st->padding_only) {
        ok = false;
        if (d) diag_error(d, loc, "junction %d: %u of %u right neurons see only padding inputs", j, st->padding_only,
                          pt->n);
    }
    if (rmw_distance > 0 && st->hazard_distance < rmw_distance && !pt->random) {
        ok = false;
        if (d) diag_error(d, loc, "junction %d: a delta memory row is revisited %u clock(s) after its last access; the "
                          "read-modify-write needs at least %u", j, st->hazard_distance, rmw_distance);
    }
    return ok;
}

uint64_t pat_hash(const sg_pattern *pt)
{
    /* Little-endian bytes of left[], so that the identity is the same on every machine. */
    uint64_t h = HASH64_INIT;
    unsigned char buf[4096];
    size_t nb = 0;
    for (uint64_t i = 0; i < pt->W; i++) {
        uint32_t v = pt->left[i];
        buf[nb++] = (unsigned char)v;
        buf[nb++] = (unsigned char)(v >> 8);
        buf[nb++] = (unsigned char)(v >> 16);
        buf[nb++] = (unsigned char)(v >> 24);
        if (nb == sizeof buf) {
            h = hash64(buf, nb, h);
            nb = 0;
        }
    }
    return hash64(buf, nb, h);
}
