/* test_pattern.c: connection patterns (gen/pattern.c, gen/pattern_out.c, gen/cmd_patterns.c), against
 * docs/patterns.md. The checks here are written independently of pattern.c: left[] is rebuilt from the tables with
 * the formula of the architecture, the checker is compared with a brute-force one, scatter with a direct
 * transcription of its definition, and each family is enumerated exhaustively for the reference's counts. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../gen/cli.h"
#include "../../gen/pattern.h"
#include "../../gen/plan.h"
#include "../../gen/rng.h"

/* ---- helpers ---------------------------------------------------------------------------------- */

typedef struct {
    uint32_t p, n, dout, z;
    sg_family fam;
    bool ss, sv, md, zs;
    uint64_t seed;
    uint32_t features; /* 0 = p */
    int j;             /* 1: layers [p, n]; 2: layers [p, p, n] (junction 1 is a dummy) */
    sg_mode mode;
} cfg;

static void make_spec(sg_spec *s, const cfg *c)
{
    memset(s, 0, sizeof *s);
    strcpy(s->name, "t");
    if (c->j == 2) {
        s->J = 2;
        s->layers[0] = c->p;
        s->layers[1] = c->p;
        s->layers[2] = c->n;
        s->fanout[0] = 1;
        s->z[0] = 1;
        s->fanout[1] = c->dout;
        s->z[1] = c->z;
        s->features = c->p;
    } else {
        s->J = 1;
        s->layers[0] = c->p;
        s->layers[1] = c->n;
        s->fanout[0] = c->dout;
        s->z[0] = c->z;
        s->features = c->features ? c->features : c->p;
    }
    s->family = c->fam;
    s->sweep_shuffle = c->ss;
    s->start_shuffle = c->sv;
    s->memory_dither = c->md;
    s->zero_start = c->zs;
    s->conn_seed = c->seed;
    s->mode = c->mode;
}

/* A diagnostics sink that records messages in memory. */
typedef struct {
    sg_diag d;
    char *buf;
    size_t len;
} sink;

static void sink_open(sink *k, const char *file)
{
    diag_init(&k->d, file);
    k->buf = NULL;
    k->len = 0;
    k->d.out = open_memstream(&k->buf, &k->len);
}

static const char *sink_text(sink *k)
{
    fflush(k->d.out);
    return k->buf ? k->buf : "";
}

static void sink_close(sink *k)
{
    fclose(k->d.out);
    free(k->buf);
}

/* left(i) from the tables, with the architecture's formula (reference §3), written independently of pattern.c */
static uint32_t table_left(const sg_pattern *pt, uint64_t i)
{
    uint64_t c = i / pt->z, k = i % pt->z, s = c / pt->P, u = c % pt->P;
    uint32_t row = pt->rows ? pt->rows[(s * pt->z + k) * pt->P + u] : (uint32_t)((pt->start[s * pt->z + k] + u) % pt->P);
    return row * pt->z + pt->bank[s * pt->z + k];
}

static bool is_perm(const uint32_t *a, uint32_t n)
{
    char *seen = calloc(n ? n : 1, 1);
    bool ok = true;
    for (uint32_t i = 0; i < n && ok; i++) {
        if (a[i] >= n || seen[a[i]]) ok = false;
        else seen[a[i]] = 1;
    }
    free(seen);
    return ok;
}

/* The tables obey the family and options (docs/patterns.md), and rebuild left[] exactly. Returns a reason or NULL. */
static const char *check_tables(const sg_pattern *pt, const sg_spec *s)
{
    uint32_t z = pt->z, P = pt->P, D = pt->dout;
    bool type1 = s->family == SG_FAM_TYPE1;
    bool zs = !type1 && s->zero_start;
    bool ss = s->family == SG_FAM_TYPE2 && s->sweep_shuffle;
    bool sv = !type1 && s->start_shuffle && !zs;
    bool bank_per_sweep = type1 || ss;
    if (type1 != (pt->rows != NULL) || type1 == (pt->start != NULL) || !pt->bank) return "wrong tables present";
    for (uint32_t sw = 0; sw < D; sw++) {
        const uint32_t *b = pt->bank + (size_t)sw * z;
        if (!is_perm(b, z)) return "bank is not a permutation";
        for (uint32_t k = 0; k < z && !s->memory_dither; k++)
            if (b[k] != k) return "bank is not the identity without memory dither";
        if (sw && s->memory_dither && !bank_per_sweep && memcmp(b, b - z, z * sizeof *b)) return "bank changes";
        if (type1) {
            for (uint32_t k = 0; k < z; k++)
                if (!is_perm(pt->rows + ((size_t)sw * z + k) * P, P)) return "rows are not a permutation";
        } else {
            const uint32_t *st = pt->start + (size_t)sw * z;
            uint32_t cnt[64] = { 0 };
            for (uint32_t k = 0; k < z; k++) {
                if (st[k] >= P) return "start out of range";
                if (zs && st[k]) return "zero_start with a non-zero start";
                if (P <= 64) cnt[st[k]]++;
            }
            if (sv && P <= 64)
                for (uint32_t v = 0; v < P; v++)
                    if (cnt[v] != z / P && cnt[v] != (z + P - 1) / P) return "start vector not balanced";
            if (sw && !ss && memcmp(st, st - z, z * sizeof *st)) return "start vector changes between sweeps";
        }
    }
    for (uint64_t i = 0; i < pt->W; i++)
        if (table_left(pt, i) != pt->left[i]) return "tables do not rebuild left[]";
    return NULL;
}

/* Brute-force checker: the definitions of docs/patterns.md, quadratic where that is simplest. */
static void naive_check(const sg_pattern *pt, uint32_t features, sg_pattern_stats *st)
{
    memset(st, 0, sizeof *st);
    uint32_t p = pt->p, z = pt->z, din = pt->din;
    st->clash_free = true;
    st->hazard_distance = UINT32_MAX;
    st->min_fanin = st->min_fanout = UINT32_MAX;
    for (uint64_t i = 0; i < pt->W; i++) {
        if (pt->left[i] >= p) {
            st->out_of_range++;
            continue;
        }
        for (uint64_t i2 = i + 1; i2 < pt->W && i2 / z == i / z; i2++)
            if (pt->left[i2] < p && pt->left[i2] % z == pt->left[i] % z) st->clash_free = false;
        for (uint64_t i2 = i + 1; i2 < pt->W; i2++)
            if (pt->left[i2] == pt->left[i]) {
                uint32_t dist = (uint32_t)(i2 / z - i / z);
                if (dist < st->hazard_distance) st->hazard_distance = dist;
                break;
            }
    }
    for (uint32_t r = 0; r < pt->n; r++) {
        uint32_t fi = 0;
        bool real = false;
        for (uint32_t e = 0; e < din; e++) {
            uint32_t x = pt->left[(size_t)r * din + e];
            if (x >= p) continue;
            fi++;
            if (x < features) real = true;
            bool first = true, dup = false;
            for (uint32_t e2 = 0; e2 < din; e2++) {
                if (pt->left[(size_t)r * din + e2] != x) continue;
                if (e2 < e) first = false;
                if (e2 != e) dup = true;
            }
            if (first && dup) st->repeated_edges++;
        }
        if (fi < st->min_fanin) st->min_fanin = fi;
        if (fi > st->max_fanin) st->max_fanin = fi;
        if (!real && features < p) st->padding_only++;
    }
    for (uint32_t x = 0; x < p; x++) {
        uint32_t fo = 0;
        for (uint64_t i = 0; i < pt->W; i++) fo += pt->left[i] == x;
        if (fo < st->min_fanout) st->min_fanout = fo;
        if (fo > st->max_fanout) st->max_fanout = fo;
    }
}

/* Scatter transcribed from its definition (docs/patterns.md), with windows enumerated by their cells. */
static void naive_scatter(const sg_pattern *pt, uint32_t features, double *fwd, double *bwd)
{
    uint32_t p = pt->p, n = pt->n, din = pt->din, dout = pt->dout;
    bool two_d = pt->j == 1 && features == 784;
    uint32_t nw = two_d ? 49 : (din < features ? din : features);
    if (!two_d && nw > 16) nw = 16;
    double total = 0;
    for (uint32_t r = 0; r < n; r++) {
        double v = 0;
        for (uint32_t w = 0; w < nw; w++) {
            uint32_t cells[784], nc = 0;
            if (two_d) {
                for (uint32_t dy = 0; dy < 4; dy++)
                    for (uint32_t dx = 0; dx < 4; dx++) cells[nc++] = (4 * (w / 7) + dy) * 28 + 4 * (w % 7) + dx;
            } else {
                for (uint32_t x = (uint32_t)((uint64_t)w * features / nw); x < (uint64_t)(w + 1) * features / nw; x++)
                    if (nc < 784) cells[nc++] = x;
            }
            uint32_t cnt = 0;
            for (uint32_t e = 0; e < din; e++)
                for (uint32_t c = 0; c < nc; c++) cnt += pt->left[(size_t)r * din + e] == cells[c];
            double ideal = (double)nc * din / p;
            v += fmin(1.0, cnt / ideal);
        }
        total += v / nw;
    }
    *fwd = total / n;
    uint32_t nb = dout < n ? dout : n;
    if (nb > 16) nb = 16;
    total = 0;
    for (uint32_t x = 0; x < features; x++) {
        double v = 0;
        for (uint32_t w = 0; w < nb; w++) {
            uint32_t lo = (uint32_t)((uint64_t)w * n / nb), hi = (uint32_t)((uint64_t)(w + 1) * n / nb), cnt = 0;
            for (uint32_t r = lo; r < hi; r++)
                for (uint32_t e = 0; e < din; e++) cnt += pt->left[(size_t)r * din + e] == x;
            v += fmin(1.0, cnt / ((double)(hi - lo) * dout / n));
        }
        total += v / nb;
    }
    *bwd = total / features;
}

static void assert_same_stats(const sg_pattern_stats *a, const sg_pattern_stats *b)
{
    ck_assert_int_eq(a->clash_free, b->clash_free);
    ck_assert_uint_eq(a->repeated_edges, b->repeated_edges);
    ck_assert_uint_eq(a->min_fanin, b->min_fanin);
    ck_assert_uint_eq(a->max_fanin, b->max_fanin);
    ck_assert_uint_eq(a->min_fanout, b->min_fanout);
    ck_assert_uint_eq(a->max_fanout, b->max_fanout);
    ck_assert_uint_eq(a->padding_only, b->padding_only);
    ck_assert_uint_eq(a->hazard_distance, b->hazard_distance);
    ck_assert_uint_eq(a->out_of_range, b->out_of_range);
}

/* A pattern made by hand (no tables). */
static sg_pattern hand(int j, uint32_t p, uint32_t n, uint32_t dout, uint32_t z, const uint32_t *left)
{
    sg_pattern pt = { .j = j, .p = p, .n = n, .dout = dout, .din = p * dout / n, .z = z };
    pt.W = p * dout;
    pt.C = pt.W / z;
    pt.P = p / z;
    pt.left = malloc(pt.W * sizeof *pt.left);
    memcpy(pt.left, left, pt.W * sizeof *pt.left);
    return pt;
}

/* ---- generation: basic cases ------------------------------------------------------------------ */

START_TEST(zero_start_is_banded)
{
    /* zero_start without dither: left(i) = i mod p (the anchor's banded pattern) */
    sg_spec s;
    make_spec(&s, &(cfg){ .p = 48, .n = 24, .dout = 3, .z = 6, .fam = SG_FAM_TYPE2, .zs = true, .j = 1 });
    sg_pattern pt;
    sink k;
    sink_open(&k, "t.yaml");
    ck_assert(pat_generate(&s, 1, &pt, &k.d));
    ck_assert_uint_eq(pt.W, 144);
    ck_assert_uint_eq(pt.din, 6);
    ck_assert_uint_eq(pt.P, 8);
    ck_assert_uint_eq(pt.C, 24);
    for (uint32_t i = 0; i < pt.W; i++) ck_assert_uint_eq(pt.left[i], i % 48);
    ck_assert_ptr_null(check_tables(&pt, &s));
    ck_assert_int_eq(pt.attempt, 0);
    pat_free(&pt);
    pat_free(&pt); /* harmless twice */
    ck_assert_int_eq(k.d.errors, 0);
    sink_close(&k);
}
END_TEST

static void anchor_spec(sg_spec *s, bool zero_start)
{
    make_spec(s, &(cfg){ .p = 1024, .n = 64, .dout = 4, .z = 128, .fam = SG_FAM_TYPE2, .ss = !zero_start,
                         .sv = !zero_start, .zs = zero_start, .seed = 1, .features = 784, .j = 1 });
    s->J = 2;
    s->layers[2] = 32;
    s->fanout[1] = 16;
    s->z[1] = 32;
    s->at.connectivity = (sg_loc){ 15, 1 };
    s->at.zero_start = (sg_loc){ 15, 43 };
}

START_TEST(anchor_zero_start_is_rejected)
{
    sg_spec s;
    anchor_spec(&s, true);
    sg_pattern pt;
    sink k;
    sink_open(&k, "anchor.yaml");
    ck_assert(!pat_generate(&s, 1, &pt, &k.d));
    ck_assert_ptr_null(pt.left);
    ck_assert_int_eq(k.d.errors, 1);
    ck_assert_str_eq(sink_text(&k),
                     "anchor.yaml:15:43: error: junction 1: with zero_start every right neuron r sees the left neurons "
                     "(r*64 .. r*64+63) mod 1024: 12 of 64 right neurons see only padding (input.features 784 of 1024 "
                     "inputs); use random start vectors (zero_start: false) or fewer padding inputs\n");
    sink_close(&k);
    /* junction 2 has no padding: zero_start is fine there */
    sink_open(&k, "anchor.yaml");
    ck_assert(pat_generate(&s, 2, &pt, &k.d));
    for (uint32_t i = 0; i < pt.W; i++) ck_assert_uint_eq(pt.left[i], i % 64);
    pat_free(&pt);
    sink_close(&k);
}
END_TEST

START_TEST(anchor_random_starts_are_accepted)
{
    sg_spec s;
    anchor_spec(&s, false);
    for (int j = 1; j <= 2; j++) {
        sg_pattern pt;
        sg_pattern_stats st, nv;
        sink k;
        sink_open(&k, "anchor.yaml");
        ck_assert(pat_generate_ex(&s, j, SG_DELTA_RMW_DISTANCE, &pt, &st, &k.d));
        ck_assert_str_eq(sink_text(&k), "");
        ck_assert_ptr_null(check_tables(&pt, &s));
        uint32_t f = pat_features(&s, j);
        ck_assert_uint_eq(f, j == 1 ? 784 : 64);
        naive_check(&pt, f, &nv);
        assert_same_stats(&st, &nv);
        ck_assert(st.clash_free);
        ck_assert_uint_eq(st.padding_only, 0);
        ck_assert_uint_eq(st.min_fanout, j == 1 ? 4 : 16);
        ck_assert_uint_eq(st.max_fanin, j == 1 ? 64 : 32);
        ck_assert(pat_ok(&pt, &st, 1, NULL, (sg_loc){ 0, 0 }));
        ck_assert_int_eq(st.scatter_2d, j == 1);
        ck_assert_uint_eq(st.scatter_win_fwd, j == 1 ? 49 : 16);
        ck_assert_uint_eq(st.scatter_win_bwd, j == 1 ? 4 : 16);
        pat_free(&pt);
        sink_close(&k);
    }
}
END_TEST

START_TEST(straddling_default_example)
{
    /* The default example's junction 1: 784-112, fan-out 42, d_in = 294 does not divide 784, z = 98, P = 8: two of
     * every three sweep boundaries are straddled (a right neuron spans 3 clocks). Whole re-draws could never avoid
     * repeated edges here (docs/patterns.md §5); the boundary repairs do, for every family. */
    static const sg_family fams[] = { SG_FAM_TYPE2, SG_FAM_TYPE2, SG_FAM_TYPE1, SG_FAM_TYPE3 };
    static const bool svs[] = { true, false, false, true };
    for (int f = 0; f < 4; f++) {
        sg_spec s;
        make_spec(&s, &(cfg){ .p = 784, .n = 112, .dout = 42, .z = 98, .fam = fams[f], .ss = fams[f] == SG_FAM_TYPE2,
                              .sv = svs[f], .md = f == 1, .seed = 1, .j = 1 });
        sg_pattern pt;
        sg_pattern_stats st;
        sink k;
        sink_open(&k, NULL);
        ck_assert(pat_generate_ex(&s, 1, 1, &pt, &st, &k.d));
        ck_assert_int_eq(pt.attempt, 0);
        ck_assert_uint_eq(pt.din, 294);
        ck_assert_uint_eq(st.repeated_edges, 0);
        ck_assert(st.clash_free);
        ck_assert(pat_ok(&pt, &st, 1, NULL, (sg_loc){ 0, 0 }));
        ck_assert_ptr_null(check_tables(&pt, &s)); /* still balanced under SV */
        ck_assert(st.scatter_2d);
        pat_free(&pt);
        sink_close(&k);
    }
}
END_TEST

START_TEST(not_a_pattern)
{
    sg_pattern pt = { .j = 1, .p = 4, .n = 2, .dout = 1, .din = 2, .z = 0, .W = 4 };
    static uint32_t left[4] = { 0, 1, 2, 3 };
    pt.left = left;
    sg_pattern_stats st;
    pat_check(&pt, 4, &st);
    ck_assert(!st.clash_free);
    ck_assert_uint_eq(st.out_of_range, 4);
    ck_assert(isnan(st.scatter));
    ck_assert(!pat_ok(&pt, &st, 0, NULL, (sg_loc){ 0, 0 }));
    pt.z = 2;
    pt.din = 0;
    char *buf = NULL;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    ck_assert(!pat_write_png(&pt, f));
    fclose(f);
    free(buf);
}
END_TEST

START_TEST(p_equals_z_without_dither_is_fixed)
{
    /* P = 1: every row is 0, no randomness; a padding-only neuron cannot be re-drawn away */
    sg_spec s;
    make_spec(&s, &(cfg){ .p = 4, .n = 2, .dout = 1, .z = 4, .fam = SG_FAM_TYPE1, .features = 2, .j = 1 });
    s.at.connectivity = (sg_loc){ 7, 3 };
    sg_pattern pt;
    sink k;
    sink_open(&k, "f.yaml");
    ck_assert(!pat_generate(&s, 1, &pt, &k.d));
    ck_assert_str_eq(sink_text(&k),
                     "f.yaml:7:3: error: junction 1: 1 of 2 right neurons see only padding (input.features 2 of 4 "
                     "inputs), and with p/z = 1 row per memory and no memory_dither the pattern is fixed; use "
                     "memory_dither: true, a smaller z, or fewer padding inputs\n");
    sink_close(&k);
}
END_TEST

START_TEST(padding_redraws)
{
    /* Only 4 real inputs with fan-out 1 for 8 neurons: every draw leaves neurons on padding alone. */
    sg_spec s;
    make_spec(&s, &(cfg){ .p = 16, .n = 8, .dout = 1, .z = 2, .fam = SG_FAM_TYPE1, .features = 4, .seed = 9, .j = 1 });
    s.at.connectivity = (sg_loc){ 2, 15 };
    sg_pattern pt;
    sink k;
    sink_open(&k, "p.yaml");
    ck_assert(!pat_generate(&s, 1, &pt, &k.d));
    ck_assert_str_eq(sink_text(&k),
                     "p.yaml:2:15: error: junction 1: 200 draws (connectivity.seed 9) all left right neurons that see "
                     "only padding (the last: 5 of 8, input.features 4 of 16 inputs); use a larger fan-out, fewer "
                     "padding inputs, or another family or seed\n");
    sink_close(&k);
    /* 12 of 16 real: some first draws fail, a later attempt succeeds; the result has no padding-only neuron */
    int redrawn = 0;
    for (uint64_t seed = 1; seed <= 60; seed++) {
        make_spec(&s, &(cfg){ .p = 16, .n = 8, .dout = 1, .z = 2, .fam = SG_FAM_TYPE1, .features = 12, .seed = seed,
                              .j = 1 });
        sg_pattern_stats st;
        sink_open(&k, "p.yaml");
        ck_assert(pat_generate_ex(&s, 1, 1, &pt, &st, &k.d));
        ck_assert_uint_eq(st.padding_only, 0);
        ck_assert_ptr_null(check_tables(&pt, &s));
        redrawn += pt.attempt > 0;
        pat_free(&pt);
        sink_close(&k);
    }
    ck_assert_int_gt(redrawn, 5);
    ck_assert_uint_eq(pat_stream(1, 0), 1);
    ck_assert_uint_eq(pat_stream(3, 2), 2003);
}
END_TEST

START_TEST(bad_sizes_are_errors_not_crashes)
{
    sg_spec s;
    sg_pattern pt;
    sink k;
    make_spec(&s, &(cfg){ .p = 12, .n = 6, .dout = 2, .z = 5, .fam = SG_FAM_TYPE2, .j = 1 });
    s.at.z = (sg_loc){ 4, 4 };
    sink_open(&k, "b.yaml");
    ck_assert(!pat_generate(&s, 1, &pt, &k.d));
    ck_assert_str_eq(sink_text(&k), "b.yaml:4:4: error: junction 1: z = 5 must divide p = 12 and be a multiple or a "
                                    "divisor of the fan-in 4\n");
    sink_close(&k);
    make_spec(&s, &(cfg){ .p = 12, .n = 7, .dout = 2, .z = 4, .fam = SG_FAM_TYPE2, .j = 1 });
    sink_open(&k, "b.yaml");
    ck_assert(!pat_generate(&s, 1, &pt, &k.d));
    ck_assert_str_eq(sink_text(&k), "b.yaml: error: junction 1: p * d_out = 12 * 2 is not a multiple of n = 7 (the "
                                    "fan-in must be an integer)\n");
    sink_close(&k);
    make_spec(&s, &(cfg){ .p = 12, .n = 6, .dout = 2, .z = 4, .fam = SG_FAM_TYPE2, .j = 1 });
    sink_open(&k, "b.yaml");
    ck_assert(!pat_generate(&s, 2, &pt, &k.d));
    ck_assert_str_eq(sink_text(&k), "b.yaml: error: junction 2 does not exist (the network has 1 junctions)\n");
    sink_close(&k);
    s.features = 13;
    sink_open(&k, "b.yaml");
    ck_assert(!pat_generate(&s, 1, &pt, &k.d));
    ck_assert_str_eq(sink_text(&k), "b.yaml: error: junction 1: input.features = 13 must be between 1 and 12\n");
    sink_close(&k);
}
END_TEST

START_TEST(same_seed_same_pattern)
{
    sg_spec s;
    make_spec(&s, &(cfg){ .p = 96, .n = 64, .dout = 8, .z = 12, .fam = SG_FAM_TYPE1, .md = true, .seed = 5, .j = 1 });
    sg_pattern a, b, c;
    sink k;
    sink_open(&k, NULL);
    ck_assert(pat_generate(&s, 1, &a, &k.d));
    ck_assert(pat_generate(&s, 1, &b, &k.d));
    s.conn_seed = 6;
    ck_assert(pat_generate(&s, 1, &c, &k.d));
    ck_assert_mem_eq(a.left, b.left, a.W * sizeof *a.left);
    ck_assert_mem_eq(a.rows, b.rows, a.W * sizeof *a.rows);
    ck_assert_mem_eq(a.bank, b.bank, a.dout * a.z * sizeof *a.bank);
    ck_assert_uint_eq(pat_hash(&a), pat_hash(&b));
    ck_assert_uint_ne(pat_hash(&a), pat_hash(&c));
    /* the hash is FNV-1a over the little-endian bytes of left[] */
    uint64_t h = HASH64_INIT;
    for (uint32_t i = 0; i < a.W; i++) {
        unsigned char b4[4] = { (unsigned char)a.left[i], (unsigned char)(a.left[i] >> 8),
                                (unsigned char)(a.left[i] >> 16), (unsigned char)(a.left[i] >> 24) };
        h = hash64(b4, 4, h);
    }
    ck_assert_uint_eq(pat_hash(&a), h);
    pat_free(&a);
    pat_free(&b);
    pat_free(&c);
    sink_close(&k);
}
END_TEST

START_TEST(draw_order_is_as_documented)
{
    /* docs/patterns.md "Draw order", replayed with the rng module: type2 + SS + SV + MD, no straddle (d_in | p).
     * Per sweep: start vector (permutation of rows, repeated, truncated to z, shuffled), then bank permutation. */
    sg_spec s;
    make_spec(&s, &(cfg){ .p = 24, .n = 9, .dout = 3, .z = 8, .fam = SG_FAM_TYPE2, .ss = true, .sv = true,
                          .md = true, .seed = 77, .j = 1 });
    sg_pattern pt;
    sink k;
    sink_open(&k, NULL);
    ck_assert(pat_generate(&s, 1, &pt, &k.d));
    ck_assert_int_eq(pt.attempt, 0);
    sg_rng r;
    rng_init(&r, 77, 1);
    for (uint32_t sw = 0; sw < 3; sw++) {
        uint32_t perm[3] = { 0, 1, 2 }, st[8], bk[8];
        rng_shuffle_u32(&r, perm, 3);
        for (uint32_t i = 0; i < 8; i++) st[i] = perm[i % 3];
        rng_shuffle_u32(&r, st, 8);
        for (uint32_t i = 0; i < 8; i++) bk[i] = i;
        rng_shuffle_u32(&r, bk, 8);
        ck_assert_mem_eq(pt.start + sw * 8, st, sizeof st);
        ck_assert_mem_eq(pt.bank + sw * 8, bk, sizeof bk);
    }
    pat_free(&pt);
    /* type1 without dither: per sweep, per lane, a shuffled identity of 0..P-1 */
    make_spec(&s, &(cfg){ .p = 12, .n = 8, .dout = 2, .z = 3, .fam = SG_FAM_TYPE1, .seed = 3, .j = 1 });
    ck_assert(pat_generate(&s, 1, &pt, &k.d));
    rng_init(&r, 3, 1);
    for (uint32_t sw = 0; sw < 2; sw++)
        for (uint32_t l = 0; l < 3; l++) {
            uint32_t row[4] = { 0, 1, 2, 3 };
            rng_shuffle_u32(&r, row, 4);
            ck_assert_mem_eq(pt.rows + (sw * 3 + l) * 4, row, sizeof row);
        }
    pat_free(&pt);
    /* type3 without SV: one start vector of independent draws, used for every sweep */
    make_spec(&s, &(cfg){ .p = 20, .n = 10, .dout = 4, .z = 4, .fam = SG_FAM_TYPE3, .seed = 11, .j = 1 });
    ck_assert(pat_generate(&s, 1, &pt, &k.d));
    rng_init(&r, 11, 1);
    for (uint32_t l = 0; l < 4; l++) {
        uint32_t v = (uint32_t)rng_below(&r, 5);
        for (uint32_t sw = 0; sw < 4; sw++) ck_assert_uint_eq(pt.start[sw * 4 + l], v);
    }
    pat_free(&pt);
    sink_close(&k);
}
END_TEST

/* ---- exhaustive enumeration of the families (reference counts) ---------------------------------- */

/* A set of keys of up to 4 words (open addressing). */
typedef struct {
    uint64_t (*keys)[4];
    char *used;
    size_t cap, n;
} kset;

static void kset_init(kset *s, size_t cap)
{
    s->cap = cap;
    s->n = 0;
    s->keys = calloc(cap, sizeof *s->keys);
    s->used = calloc(cap, 1);
}

static bool kset_has(const kset *s, const uint64_t k[4])
{
    size_t h = (size_t)((k[0] * 0x9E3779B97F4A7C15ULL) ^ (k[1] * 0xC2B2AE3D27D4EB4FULL) ^ k[2] ^ (k[3] << 1)) % s->cap;
    while (s->used[h]) {
        if (!memcmp(s->keys[h], k, sizeof s->keys[h])) return true;
        h = (h + 1) % s->cap;
    }
    return false;
}

static void kset_add(kset *s, const uint64_t k[4])
{
    size_t h = (size_t)((k[0] * 0x9E3779B97F4A7C15ULL) ^ (k[1] * 0xC2B2AE3D27D4EB4FULL) ^ k[2] ^ (k[3] << 1)) % s->cap;
    while (s->used[h]) {
        if (!memcmp(s->keys[h], k, sizeof s->keys[h])) return;
        h = (h + 1) % s->cap;
    }
    s->used[h] = 1;
    memcpy(s->keys[h], k, sizeof s->keys[h]);
    s->n++;
}

static void kset_free(kset *s)
{
    free(s->keys);
    free(s->used);
}

/* Keys of a pattern: its left[] (4 bits per edge, W <= 64) and its adjacency matrix (n x p bits <= 256). */
static void key_left(const uint32_t *left, uint32_t W, uint64_t k[4])
{
    memset(k, 0, 4 * sizeof *k);
    for (uint32_t i = 0; i < W; i++) k[i / 16] |= (uint64_t)left[i] << (4 * (i % 16));
}

static void key_adj(const uint32_t *left, uint32_t W, uint32_t din, uint32_t p, uint64_t k[4])
{
    memset(k, 0, 4 * sizeof *k);
    for (uint32_t i = 0; i < W; i++) {
        uint32_t bit = (i / din) * p + left[i];
        k[bit / 64] |= 1ULL << (bit % 64);
    }
}

/* Enumerates every pattern of a family for tiny sizes (no randomness involved), from the definitions:
 * type1 rows[s][k] over all permutations, type2 start[s] over [0, P)^z per sweep, type3 one start for all sweeps;
 * with md, bank over all permutations (per sweep for type1/type2, one for type3). Counts distinct left[] arrays and
 * distinct adjacency matrices. */
typedef struct {
    uint32_t p, n, dout, z;
    sg_family fam;
    bool md;
    kset lefts, adjs;
} enum_ctx;

static uint32_t perms[24][4]; /* all permutations of 0..m-1 for m <= 4, in lexicographic order */

/* Fills perms[] with the m! permutations of 0..m-1 (next-permutation order); returns m!. */
static uint32_t n_perms(uint32_t m)
{
    uint32_t a[4] = { 0, 1, 2, 3 }, cnt = 0;
    for (;;) {
        memcpy(perms[cnt++], a, sizeof a);
        int i = (int)m - 2;
        while (i >= 0 && a[i] > a[i + 1]) i--;
        if (i < 0) break;
        int j = (int)m - 1;
        while (a[j] < a[i]) j--;
        uint32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, h = (int)m - 1; l < h; l++, h--) {
            t = a[l];
            a[l] = a[h];
            a[h] = t;
        }
    }
    return cnt;
}

static void enum_family(enum_ctx *e)
{
    uint32_t z = e->z, P = e->p / e->z, D = e->dout, W = e->p * e->dout, din = W / e->n;
    uint32_t np = n_perms(P);       /* rows: permutations of P */
    uint32_t per_sweep_choices;     /* content choices per sweep (per lane ^ z) */
    uint32_t lane_choices = e->fam == SG_FAM_TYPE1 ? np : P;
    per_sweep_choices = 1;
    for (uint32_t k = 0; k < z; k++) per_sweep_choices *= lane_choices;
    uint32_t nb = 1;
    if (e->md) nb = n_perms(z);
    /* perms[] now holds the permutations of z if md, else of P: keep both */
    static uint32_t prow[24][4], pbank[24][4];
    n_perms(P);
    memcpy(prow, perms, sizeof prow);
    if (e->md) {
        n_perms(z);
        memcpy(pbank, perms, sizeof pbank);
    }
    bool shared = e->fam == SG_FAM_TYPE3;           /* one content for all sweeps */
    bool bank_shared = e->fam == SG_FAM_TYPE3;      /* one bank for all sweeps */
    uint64_t sweeps_content = shared ? 1 : D, sweeps_bank = bank_shared ? 1 : D;
    uint64_t total = 1;
    for (uint64_t t = 0; t < sweeps_content; t++) total *= per_sweep_choices;
    for (uint64_t t = 0; t < sweeps_bank; t++) total *= nb;
    uint32_t left[64];
    for (uint64_t code = 0; code < total; code++) {
        uint64_t c = code;
        uint32_t content[8][4], bank[8][4]; /* [sweep][lane]: a perm index (type1) or a start */
        for (uint32_t s = 0; s < sweeps_content; s++)
            for (uint32_t k = 0; k < z; k++) {
                content[s][k] = (uint32_t)(c % lane_choices);
                c /= lane_choices;
            }
        for (uint32_t s = 0; s < sweeps_bank; s++) {
            uint32_t bi = (uint32_t)(c % nb);
            c /= nb;
            for (uint32_t k = 0; k < z; k++) bank[s][k] = e->md ? pbank[bi][k] : k;
        }
        for (uint32_t i = 0; i < W; i++) {
            uint32_t cl = i / z, k = i % z, s = cl / P, u = cl % P;
            uint32_t cs = shared ? 0 : s, bs = bank_shared ? 0 : s;
            uint32_t row = e->fam == SG_FAM_TYPE1 ? prow[content[cs][k]][u] : (content[cs][k] + u) % P;
            left[i] = row * z + bank[bs][k];
        }
        uint64_t key[4];
        key_left(left, W, key);
        kset_add(&e->lefts, key);
        key_adj(left, W, din, e->p, key);
        kset_add(&e->adjs, key);
    }
}

static void count_family(uint32_t p, uint32_t n, uint32_t dout, uint32_t z, sg_family fam, bool md, size_t cap,
                         size_t *lefts, size_t *adjs)
{
    enum_ctx e = { .p = p, .n = n, .dout = dout, .z = z, .fam = fam, .md = md };
    kset_init(&e.lefts, cap);
    kset_init(&e.adjs, cap);
    enum_family(&e);
    *lefts = e.lefts.n;
    *adjs = e.adjs.n;
    kset_free(&e.lefts);
    kset_free(&e.adjs);
}

START_TEST(family_counts_match_reference)
{
    size_t nl, na;
    /* (p=9, d_out=2, n=6, z=3), independent start values, no dither: 46656, 729, 27 */
    count_family(9, 6, 2, 3, SG_FAM_TYPE1, false, 1 << 17, &nl, &na);
    ck_assert_uint_eq(na, 46656);
    ck_assert_uint_eq(nl, 46656);
    count_family(9, 6, 2, 3, SG_FAM_TYPE2, false, 4096, &nl, &na);
    ck_assert_uint_eq(na, 729);
    ck_assert_uint_eq(nl, 729);
    count_family(9, 6, 2, 3, SG_FAM_TYPE3, false, 256, &nl, &na);
    ck_assert_uint_eq(na, 27);
    ck_assert_uint_eq(nl, 27);
    /* the reference's note: with memory dither and d_in = z the counts of adjacency matrices do not change (the
     * dither only permutes the lanes of one right neuron), though the left[] arrays do */
    count_family(9, 6, 2, 3, SG_FAM_TYPE3, true, 1024, &nl, &na);
    ck_assert_uint_eq(na, 27);
    ck_assert_uint_eq(nl, 27 * 6);
    /* (p=12, d_out=2, n=12, z=4): type3 gives 486 only *with* memory dither, counted as adjacency matrices:
     * 3^4 start vectors x 4!/(2!^2) = 6 distinct lane groupings (d_in = 2 lanes per right neuron). */
    count_family(12, 12, 2, 4, SG_FAM_TYPE3, false, 1024, &nl, &na);
    ck_assert_uint_eq(na, 81);
    ck_assert_uint_eq(nl, 81);
    count_family(12, 12, 2, 4, SG_FAM_TYPE3, true, 8192, &nl, &na);
    ck_assert_uint_eq(na, 486);
    ck_assert_uint_eq(nl, 1944);
    /* and type2 with dither per sweep: 486^2 (the reference's comment gives 236196) */
    count_family(12, 12, 2, 4, SG_FAM_TYPE2, true, 1 << 23, &nl, &na);
    ck_assert_uint_eq(na, 236196);
    ck_assert_uint_eq(nl, 1944u * 1944u);
}
END_TEST

/* pat_generate only produces members of its family's enumerated space, and reaches all of them. */
START_TEST(generator_stays_in_family)
{
    static const struct {
        sg_family fam;
        bool sv;
        int seeds;
        size_t expect_all; /* 0: only membership */
    } cases[] = {
        { SG_FAM_TYPE3, false, 2000, 27 },
        { SG_FAM_TYPE2, false, 20000, 729 },
        { SG_FAM_TYPE1, false, 3000, 0 },
        { SG_FAM_TYPE3, true, 1000, 6 }, /* start_shuffle with z = P: the start vector is a permutation */
        { SG_FAM_TYPE2, true, 3000, 36 },
    };
    for (size_t t = 0; t < sizeof cases / sizeof cases[0]; t++) {
        enum_ctx e = { .p = 9, .n = 6, .dout = 2, .z = 3, .fam = cases[t].fam };
        kset_init(&e.lefts, 1 << 17);
        kset_init(&e.adjs, 1 << 17);
        enum_family(&e);
        kset seen;
        kset_init(&seen, 1 << 16);
        sg_spec s;
        sink k;
        sink_open(&k, NULL);
        for (int seed = 1; seed <= cases[t].seeds; seed++) {
            make_spec(&s, &(cfg){ .p = 9, .n = 6, .dout = 2, .z = 3, .fam = cases[t].fam, .ss = true,
                                  .sv = cases[t].sv, .seed = (uint64_t)seed, .j = 1 });
            if (cases[t].fam == SG_FAM_TYPE3) s.sweep_shuffle = false;
            sg_pattern pt;
            ck_assert(pat_generate(&s, 1, &pt, &k.d));
            uint64_t key[4];
            key_left(pt.left, pt.W, key);
            ck_assert_msg(kset_has(&e.lefts, key), "case %zu seed %d: pattern outside its family", t, seed);
            kset_add(&seen, key);
            pat_free(&pt);
        }
        if (cases[t].expect_all) ck_assert_uint_eq(seen.n, cases[t].expect_all);
        kset_free(&seen);
        kset_free(&e.lefts);
        kset_free(&e.adjs);
        sink_close(&k);
    }
}
END_TEST

/* ---- the checker ------------------------------------------------------------------------------ */

START_TEST(checker_finds_every_defect)
{
    /* p = 4, n = 2, d_out = 1, d_in = 2, z = 2. Clock 0 reads 1 and 1 (clash, repeated edge, fan-out 2/0),
     * clock 1 reads 9 (out of range) and 3. */
    static const uint32_t left[] = { 1, 1, 9, 3 };
    sg_pattern pt = hand(1, 4, 2, 1, 2, left);
    sg_pattern_stats st, nv;
    pat_check(&pt, 4, &st);
    naive_check(&pt, 4, &nv);
    assert_same_stats(&st, &nv);
    ck_assert(!st.clash_free);
    ck_assert_uint_eq(st.repeated_edges, 1);
    ck_assert_uint_eq(st.out_of_range, 1);
    ck_assert_uint_eq(st.min_fanin, 1);
    ck_assert_uint_eq(st.max_fanin, 2);
    ck_assert_uint_eq(st.min_fanout, 0);
    ck_assert_uint_eq(st.max_fanout, 2);
    ck_assert_uint_eq(st.hazard_distance, 0); /* 1 is read twice in one clock */
    sink k;
    sink_open(&k, "c.yaml");
    ck_assert(!pat_ok(&pt, &st, 0, &k.d, (sg_loc){ 3, 5 }));
    ck_assert_str_eq(sink_text(&k),
                     "c.yaml:3:5: error: junction 1: 1 edges name a left neuron outside 0..3\n"
                     "c.yaml:3:5: error: junction 1: the pattern has a clash (two edges of one clock read the same "
                     "memory)\n"
                     "c.yaml:3:5: error: junction 1: fan-in is 1..2, must be exactly 2\n"
                     "c.yaml:3:5: error: junction 1: fan-out is 0..2, must be exactly 1\n"
                     "c.yaml:3:5: error: junction 1: 1 repeated edges (a right neuron connected twice to one left "
                     "neuron)\n");
    ck_assert_int_eq(k.d.errors, 5);
    sink_close(&k);
    ck_assert(!pat_ok(&pt, &st, 0, NULL, (sg_loc){ 0, 0 })); /* no sink: no crash */
    /* padding: features 2 -> right neuron 1 (lefts 9, 3) sees no real input */
    pat_check(&pt, 2, &st);
    ck_assert_uint_eq(st.padding_only, 1);
    free(pt.left);
}
END_TEST

START_TEST(checker_counts_a_pair_once)
{
    /* d_in = 4: right neuron 0 = {2, 2, 2, 0}: the pair (2, 0) occurs three times, counted once */
    static const uint32_t left[] = { 2, 2, 2, 0, 1, 3, 0, 2 };
    sg_pattern pt = hand(2, 4, 2, 2, 1, left);
    sg_pattern_stats st, nv;
    pat_check(&pt, 4, &st);
    naive_check(&pt, 4, &nv);
    assert_same_stats(&st, &nv);
    ck_assert_uint_eq(st.repeated_edges, 1);
    ck_assert(st.clash_free); /* z = 1 */
    ck_assert_uint_eq(st.hazard_distance, 1);
    free(pt.left);
}
END_TEST

START_TEST(hazard_distance_and_rule)
{
    /* p = 4, z = 2, P = 2, d_out = 2: sweep 0 reads rows (0,0) then (1,1); sweep 1 reads (1,1) then (0,0):
     * neurons 2 and 3 come back 1 clock after their last access. */
    static const uint32_t left[] = { 0, 1, 2, 3, 2, 3, 0, 1 };
    sg_pattern pt = hand(2, 4, 4, 2, 2, left);
    sg_pattern_stats st, nv;
    pat_check(&pt, 4, &st);
    naive_check(&pt, 4, &nv);
    assert_same_stats(&st, &nv);
    ck_assert_uint_eq(st.hazard_distance, 1);
    ck_assert(pat_ok(&pt, &st, 1, NULL, (sg_loc){ 0, 0 }));
    ck_assert(pat_ok(&pt, &st, 0, NULL, (sg_loc){ 0, 0 }));
    sink k;
    sink_open(&k, "h.yaml");
    ck_assert(!pat_ok(&pt, &st, 2, &k.d, (sg_loc){ 9, 1 }));
    ck_assert_str_eq(sink_text(&k), "h.yaml:9:1: error: junction 2: a delta memory row is revisited 1 clock(s) after "
                                    "its last access; the read-modify-write needs at least 2\n");
    sink_close(&k);
    free(pt.left);
    /* one sweep only: nothing is revisited */
    static const uint32_t one[] = { 0, 1, 2, 3 };
    pt = hand(2, 4, 2, 1, 2, one);
    pat_check(&pt, 4, &st);
    ck_assert_uint_eq(st.hazard_distance, UINT32_MAX);
    ck_assert(pat_ok(&pt, &st, 1000, NULL, (sg_loc){ 0, 0 }));
    free(pt.left);
}
END_TEST

START_TEST(generation_meets_larger_rmw_distances)
{
    sink k;
    sink_open(&k, "h.yaml");
    static const sg_family fams[] = { SG_FAM_TYPE1, SG_FAM_TYPE2, SG_FAM_TYPE3 };
    int violated_without = 0;
    for (int f = 0; f < 3; f++)
        for (int md = 0; md < 2; md++)
            for (uint64_t seed = 1; seed <= 40; seed++) {
                /* P = 2 and distance 2: every row must come back exactly P clocks later */
                sg_spec s;
                make_spec(&s, &(cfg){ .p = 4, .n = 4, .dout = 2, .z = 2, .fam = fams[f], .ss = fams[f] == SG_FAM_TYPE2,
                                      .sv = seed % 2, .md = md, .seed = seed, .j = 2, .mode = SG_MODE_TRAIN });
                sg_pattern pt;
                sg_pattern_stats st;
                ck_assert(pat_generate_ex(&s, 2, 2, &pt, &st, &k.d));
                ck_assert_uint_eq(st.hazard_distance, 2);
                ck_assert_ptr_null(check_tables(&pt, &s));
                pat_free(&pt);
                /* in infer mode there is no BP: the rule does not apply and distance 1 occurs */
                s.mode = SG_MODE_INFER;
                ck_assert(pat_generate_ex(&s, 2, 2, &pt, &st, &k.d));
                violated_without += st.hazard_distance < 2;
                pat_free(&pt);
                /* bigger: P = 8, distance 5, with straddling right neurons (d_in = 24 does not divide p = 64) */
                make_spec(&s, &(cfg){ .p = 64, .n = 8, .dout = 3, .z = 8, .fam = fams[f],
                                      .ss = fams[f] == SG_FAM_TYPE2, .sv = seed % 2, .md = md, .seed = seed, .j = 2 });
                ck_assert(pat_generate_ex(&s, 2, 5, &pt, &st, &k.d));
                ck_assert_uint_ge(st.hazard_distance, 5);
                ck_assert_uint_eq(st.repeated_edges, 0);
                ck_assert(pat_ok(&pt, &st, 5, NULL, (sg_loc){ 0, 0 }));
                ck_assert_ptr_null(check_tables(&pt, &s));
                pat_free(&pt);
            }
    ck_assert_int_gt(violated_without, 20);
    ck_assert_int_eq(k.d.errors, 0);
    sink_close(&k);
    /* a distance beyond P cannot be met */
    sg_spec s;
    make_spec(&s, &(cfg){ .p = 4, .n = 4, .dout = 2, .z = 2, .fam = SG_FAM_TYPE3, .j = 2 });
    s.at.z_j[1] = (sg_loc){ 3, 8 };
    sg_pattern pt;
    sink_open(&k, "h.yaml");
    ck_assert(!pat_generate_ex(&s, 2, 3, &pt, NULL, &k.d));
    ck_assert_str_eq(sink_text(&k),
                     "h.yaml:3:8: error: junction 2: the delta read-modify-write needs 3 clocks between two visits of a "
                     "memory row, but with p/z = 4/2 = 2 rows per memory a row is always revisited within 2 clocks at "
                     "a sweep boundary; use a z of at most 1\n");
    sink_close(&k);
    /* junction 1 has no BP: the same request is ignored there */
    make_spec(&s, &(cfg){ .p = 4, .n = 4, .dout = 2, .z = 2, .fam = SG_FAM_TYPE3, .j = 1 });
    sink_open(&k, "h.yaml");
    ck_assert(pat_generate_ex(&s, 1, 3, &pt, NULL, &k.d));
    pat_free(&pt);
    sink_close(&k);
    ck_assert(!pat_hazard_applies(&s, 1));
    s.J = 2;
    ck_assert(pat_hazard_applies(&s, 2));
    s.mode = SG_MODE_INFER;
    ck_assert(!pat_hazard_applies(&s, 2));
}
END_TEST

START_TEST(checker_matches_brute_force_on_corrupted_patterns)
{
    sg_rng r;
    rng_init(&r, 4242, 0);
    sink k;
    sink_open(&k, NULL);
    for (int t = 0; t < 400; t++) {
        sg_spec s;
        uint32_t dout = 1 + (uint32_t)rng_below(&r, 3), z = rng_below(&r, 2) ? dout : 1;
        uint32_t P = dout + (uint32_t)rng_below(&r, 4), p = z * P; /* d_out <= n = p */
        make_spec(&s, &(cfg){ .p = p, .n = p, .dout = dout, .z = z,
                              .fam = (sg_family)rng_below(&r, 3), .seed = (uint64_t)t, .j = 1 + (int)rng_below(&r, 2) });
        sg_pattern pt;
        ck_assert(pat_generate(&s, s.J, &pt, &k.d));
        uint32_t changes = (uint32_t)rng_below(&r, 4);
        for (uint32_t c = 0; c < changes; c++)
            pt.left[rng_below(&r, pt.W)] = (uint32_t)rng_below(&r, p + 2); /* sometimes out of range */
        uint32_t features = 1 + (uint32_t)rng_below(&r, p);
        sg_pattern_stats st, nv;
        pat_check(&pt, features, &st);
        naive_check(&pt, features, &nv);
        assert_same_stats(&st, &nv);
        pat_free(&pt);
    }
    sink_close(&k);
}
END_TEST

/* ---- scatter ---------------------------------------------------------------------------------- */

START_TEST(scatter_by_hand)
{
    /* p = 4, n = 2, d_in = 2, d_out = 1, junction 2 (1-D windows): 2 left windows {0,1} {2,3}, ideal 1 each;
     * 1 right window {0,1}, ideal 1. */
    static const uint32_t blocky[] = { 0, 1, 2, 3 }; /* neuron 0 sees only window 0, neuron 1 only window 1 */
    sg_pattern pt = hand(2, 4, 2, 1, 2, blocky);
    sg_pattern_stats st;
    pat_check(&pt, 4, &st);
    ck_assert_double_eq(st.scatter_fwd, 0.5);
    ck_assert_double_eq(st.scatter_bwd, 1.0);
    ck_assert_double_eq(st.scatter, 0.5);
    ck_assert_uint_eq(st.scatter_win_fwd, 2);
    ck_assert_uint_eq(st.scatter_win_bwd, 1);
    ck_assert(!st.scatter_2d);
    free(pt.left);
    static const uint32_t spread[] = { 0, 3, 1, 2 };
    pt = hand(2, 4, 2, 1, 2, spread);
    pat_check(&pt, 4, &st);
    ck_assert_double_eq(st.scatter_fwd, 1.0);
    ck_assert_double_eq(st.scatter, 1.0);
    free(pt.left);
    /* backward: p = 2, n = 4, d_out = 2, d_in = 1: right windows {0,1} {2,3} (ideal 1); left 0 feeds 0 and 1 (one
     * window only: 0.5), left 1 feeds 2 and 3 (0.5). Forward: 1 window {0,1}, ideal 1, every neuron has 1: 1.0. */
    static const uint32_t back[] = { 0, 0, 1, 1 };
    pt = hand(2, 2, 4, 2, 1, back);
    pat_check(&pt, 2, &st);
    ck_assert_double_eq(st.scatter_bwd, 0.5);
    ck_assert_double_eq(st.scatter_fwd, 1.0);
    ck_assert_double_eq(st.scatter, 0.5);
    free(pt.left);
    /* 28 x 28 image, banded pattern: neuron r sees pixels 16r .. 16r+15 (a horizontal strip). 4 x 4 windows,
     * ideal 16 * 16 / 784 = 0.327 per window: neuron 0 hits 4 of the 49 windows fully -> 4/49. */
    sg_spec s;
    make_spec(&s, &(cfg){ .p = 784, .n = 49, .dout = 1, .z = 16, .fam = SG_FAM_TYPE2, .zs = true, .j = 1 });
    sink k;
    sink_open(&k, NULL);
    ck_assert(pat_generate_ex(&s, 1, 1, &pt, &st, &k.d));
    ck_assert(st.scatter_2d);
    ck_assert_uint_eq(st.scatter_win_fwd, 49);
    double f, b;
    naive_scatter(&pt, 784, &f, &b);
    ck_assert_double_eq_tol(st.scatter_fwd, f, 1e-12);
    ck_assert_double_eq_tol(st.scatter_bwd, b, 1e-12);
    ck_assert_double_eq(st.scatter_bwd, 1.0);
    /* every strip starts at a column that is a multiple of 4 and touches exactly 4 windows, wrapped or not */
    ck_assert_double_eq_tol(st.scatter_fwd, 4.0 / 49, 1e-12);
    pat_free(&pt);
    sink_close(&k);
}
END_TEST

START_TEST(scatter_matches_definition)
{
    sg_rng r;
    rng_init(&r, 99, 0);
    sink k;
    sink_open(&k, NULL);
    for (int t = 0; t < 60; t++) {
        sg_spec s;
        bool img = t % 4 == 0;
        cfg c = img ? (cfg){ .p = 784, .n = 56, .dout = 2, .z = 28, .fam = (sg_family)(t % 3), .seed = (uint64_t)t,
                             .j = 1 }
                    : (cfg){ .p = 60, .n = 40, .dout = 2 * (1 + (uint32_t)rng_below(&r, 10)), .z = 3,
                             .fam = (sg_family)(t % 3), .md = t % 2, .seed = (uint64_t)t, .j = 1 + t % 2 };
        if (!img) c.features = 30 + (uint32_t)rng_below(&r, 31);
        make_spec(&s, &c);
        sg_pattern pt;
        sg_pattern_stats st;
        if (!pat_generate_ex(&s, c.j, 1, &pt, &st, &k.d)) continue; /* padding can make a draw impossible */
        double f, b;
        naive_scatter(&pt, pat_features(&s, c.j), &f, &b);
        ck_assert_double_eq_tol(st.scatter_fwd, f, 1e-12);
        ck_assert_double_eq_tol(st.scatter_bwd, b, 1e-12);
        ck_assert_double_eq(st.scatter, fmin(st.scatter_fwd, st.scatter_bwd));
        ck_assert(st.scatter > 0 && st.scatter <= 1);
        pat_free(&pt);
    }
    sink_close(&k);
}
END_TEST

/* ---- property test: many random configurations -------------------------------------------------- */

static uint32_t gcd32(uint32_t a, uint32_t b)
{
    while (b) {
        uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

START_TEST(random_configurations)
{
    sg_rng r;
    rng_init(&r, 20240601, 0);
    int done = 0, straddling = 0, failed = 0, dithered = 0, type[3] = { 0 };
    sink k;
    sink_open(&k, NULL);
    for (int t = 0; t < 3000; t++) {
        uint32_t z = 1 + (uint32_t)rng_below(&r, 16), P = 1 + (uint32_t)rng_below(&r, 12), p = z * P, din;
        if (rng_below(&r, 2)) { /* d_in divides z */
            uint32_t divs[16], nd = 0;
            for (uint32_t v = 1; v <= z; v++)
                if (z % v == 0) divs[nd++] = v;
            din = divs[rng_below(&r, nd)];
        } else { /* z divides d_in <= p */
            din = z * (1 + (uint32_t)rng_below(&r, P));
        }
        uint32_t g = din / gcd32(p, din); /* d_out must be a multiple of g for an integer n */
        uint32_t mult = 1 + (uint32_t)rng_below(&r, 6);
        uint32_t dout = g * mult;
        if ((uint64_t)p * dout > 3000) dout = g;
        if ((uint64_t)p * dout > 3000) continue;
        uint32_t n = p * dout / din;
        cfg c = { .p = p, .n = n, .dout = dout, .z = z, .fam = (sg_family)rng_below(&r, 3), .seed = rng_next(&r),
                  .j = 1 + (int)rng_below(&r, 2), .mode = rng_below(&r, 4) ? SG_MODE_TRAIN : SG_MODE_INFER };
        c.md = rng_below(&r, 2);
        if (c.fam != SG_FAM_TYPE1) {
            c.zs = rng_below(&r, 5) == 0;
            c.sv = !c.zs && rng_below(&r, 3);
            c.ss = c.fam == SG_FAM_TYPE2 && !c.zs && rng_below(&r, 4);
        }
        uint32_t rmw = 1;
        if (c.j == 2 && rng_below(&r, 3) == 0) rmw = 1 + (uint32_t)rng_below(&r, P);
        sg_spec s;
        make_spec(&s, &c);
        sg_pattern pt, again;
        sg_pattern_stats st, nv;
        if (!pat_generate_ex(&s, c.j, rmw, &pt, &st, &k.d)) {
            failed++;
            fprintf(stderr, "t=%d p=%u n=%u dout=%u din=%u z=%u fam=%d ss=%d sv=%d md=%d zs=%d j=%d mode=%d rmw=%u\n", t,
                    p, n, dout, din, z, c.fam, c.ss, c.sv, c.md, c.zs, c.j, c.mode, rmw);
            continue;
        }
        done++;
        type[c.fam]++;
        dithered += c.md;
        bool straddle = p % din != 0;
        straddling += straddle;
        /* every rule, by the module's checker and by brute force */
        ck_assert_msg(st.clash_free, "t=%d", t);
        ck_assert_uint_eq(st.min_fanin, din);
        ck_assert_uint_eq(st.max_fanin, din);
        ck_assert_uint_eq(st.min_fanout, dout);
        ck_assert_uint_eq(st.max_fanout, dout);
        ck_assert_uint_eq(st.repeated_edges, 0);
        ck_assert_uint_eq(st.out_of_range, 0);
        if (pat_hazard_applies(&s, c.j) && rmw > 1) ck_assert_uint_ge(st.hazard_distance, rmw);
        if (p * dout <= 600) {
            naive_check(&pt, pat_features(&s, c.j), &nv);
            assert_same_stats(&st, &nv);
        }
        const char *why = check_tables(&pt, &s);
        ck_assert_msg(why == NULL, "t=%d: %s", t, why ? why : "");
        ck_assert_uint_eq(pt.C, pt.W / z);
        /* determinism */
        ck_assert(pat_generate_ex(&s, c.j, rmw, &again, NULL, &k.d));
        ck_assert_int_eq(again.attempt, pt.attempt);
        ck_assert_mem_eq(pt.left, again.left, pt.W * sizeof *pt.left);
        ck_assert_mem_eq(pt.bank, again.bank, pt.dout * z * sizeof *pt.bank);
        if (pt.rows) ck_assert_mem_eq(pt.rows, again.rows, pt.W * sizeof *pt.rows);
        else ck_assert_mem_eq(pt.start, again.start, pt.dout * z * sizeof *pt.start);
        pat_free(&pt);
        pat_free(&again);
    }
    sink_close(&k);
    /* Without padding every configuration must succeed (the boundary repairs always find a way here). */
    ck_assert_msg(failed == 0, "%d of %d configurations failed", failed, failed + done);
    ck_assert_int_gt(done, 2500);
    ck_assert_int_gt(straddling, 300);
    ck_assert_int_gt(dithered, 1000);
    for (int f = 0; f < 3; f++) ck_assert_int_gt(type[f], 600);
}
END_TEST

/* ---- files: CSV and PNG ----------------------------------------------------------------------- */

static char *mem_write(bool (*fn)(const sg_pattern *, FILE *), const sg_pattern *pt, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    ck_assert(fn(pt, f));
    fclose(f);
    return buf;
}

START_TEST(csv_format)
{
    static const uint32_t left[] = { 1, 0, 3, 2 };
    sg_pattern pt = hand(1, 4, 2, 1, 2, left);
    size_t len;
    char *csv = mem_write(pat_write_csv, &pt, &len);
    ck_assert_str_eq(csv, "edge,clock,lane,left,right\n0,0,0,1,0\n1,0,1,0,0\n2,1,0,3,1\n3,1,1,2,1\n");
    ck_assert_uint_eq(len, strlen(csv));
    free(csv);
    free(pt.left);
    /* big numbers and many rows (the buffer is flushed several times); compare with printf */
    sg_spec s;
    make_spec(&s, &(cfg){ .p = 4000, .n = 1000, .dout = 30, .z = 40, .fam = SG_FAM_TYPE1, .md = true, .j = 1 });
    sink k;
    sink_open(&k, NULL);
    ck_assert(pat_generate(&s, 1, &pt, &k.d));
    csv = mem_write(pat_write_csv, &pt, &len);
    char *ref = NULL;
    size_t rlen;
    FILE *f = open_memstream(&ref, &rlen);
    fprintf(f, "edge,clock,lane,left,right\n");
    for (uint32_t i = 0; i < pt.W; i++) fprintf(f, "%u,%u,%u,%u,%u\n", i, i / 40, i % 40, pt.left[i], i / 120);
    fclose(f);
    ck_assert_uint_eq(len, rlen);
    ck_assert(memcmp(csv, ref, len) == 0);
    free(csv);
    free(ref);
    pat_free(&pt);
    sink_close(&k);
    uint32_t huge[] = { 4294967295u, 0 };
    pt = hand(1, 2, 1, 1, 1, huge);
    csv = mem_write(pat_write_csv, &pt, &len);
    ck_assert_str_eq(csv, "edge,clock,lane,left,right\n0,0,0,4294967295,0\n1,1,0,0,0\n");
    free(csv);
    free(pt.left);
}
END_TEST

/* Reads a PNG written by pat_write_png (8-bit grey) with libpng's simplified API. */
static png_bytep read_png(const char *data, size_t len, uint32_t *w, uint32_t *h)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    ck_assert(png_image_begin_read_from_memory(&img, data, len));
    ck_assert_uint_eq(img.format, PNG_FORMAT_GRAY);
    *w = img.width;
    *h = img.height;
    png_bytep px = malloc(PNG_IMAGE_SIZE(img));
    ck_assert(png_image_finish_read(&img, NULL, px, 0, NULL));
    return px;
}

START_TEST(png_pixels)
{
    /* full size: pixel (row r, column x) is black where right neuron r has an edge from left neuron x */
    static const uint32_t left[] = { 1, 0, 3, 2, 0, 3, 2, 1 };
    sg_pattern pt = hand(1, 4, 4, 2, 2, left);
    size_t len;
    char *png = mem_write(pat_write_png, &pt, &len);
    ck_assert_uint_eq(pat_png_factor(&pt), 1);
    uint32_t w, h;
    png_bytep px = read_png(png, len, &w, &h);
    ck_assert_uint_eq(w, 4);
    ck_assert_uint_eq(h, 4);
    for (uint32_t r = 0; r < 4; r++)
        for (uint32_t x = 0; x < 4; x++) {
            bool edge = left[2 * r] == x || left[2 * r + 1] == x;
            ck_assert_uint_eq(px[r * 4 + x], edge ? 0 : 255);
        }
    /* deterministic bytes, no time chunk */
    size_t len2;
    char *png2 = mem_write(pat_write_png, &pt, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert(memcmp(png, png2, len) == 0);
    for (size_t i = 0; i + 4 <= len; i++) ck_assert(memcmp(png + i, "tIME", 4) != 0);
    free(png);
    free(png2);
    free(px);
    free(pt.left);
    /* downsampled: p = 2050, n = 2, d_in = 1025, banded (left = i): factor ceil(2050/1024) = 3, 684 x 1 pixels;
     * every block holds half of its cells (the last one only 1 x 2 cells) -> grey 255 - round(127.5) = 127 */
    uint32_t *band = malloc(2050 * sizeof *band);
    for (uint32_t i = 0; i < 2050; i++) band[i] = i;
    pt = hand(1, 2050, 2, 1, 1025, band);
    ck_assert_uint_eq(pat_png_factor(&pt), 3);
    png = mem_write(pat_write_png, &pt, &len);
    px = read_png(png, len, &w, &h);
    ck_assert_uint_eq(w, 684);
    ck_assert_uint_eq(h, 1);
    for (uint32_t x = 0; x < w; x++) ck_assert_uint_eq(px[x], 127);
    free(png);
    free(px);
    free(pt.left);
    free(band);
    /* the diagonal of p = n = 3000: factor 3, 3 edges in each diagonal 3 x 3 block -> 255 - round(255/3) = 170 */
    uint32_t *diag = malloc(3000 * sizeof *diag);
    for (uint32_t i = 0; i < 3000; i++) diag[i] = i;
    pt = hand(1, 3000, 3000, 1, 1, diag);
    png = mem_write(pat_write_png, &pt, &len);
    px = read_png(png, len, &w, &h);
    ck_assert_uint_eq(w, 1000);
    ck_assert_uint_eq(h, 1000);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) ck_assert_uint_eq(px[y * w + x], x == y ? 255 - 85 : 255);
    free(png);
    free(px);
    free(pt.left);
    free(diag);
}
END_TEST

/* ---- the command ------------------------------------------------------------------------------ */

static char basedir[64], tmpdir[96];

/* Unchecked fixture of the output tests (runs in the parent process): one base folder, removed even when a test
 * fails; each test makes its own folder inside it. */
static void base_setup(void)
{
    strcpy(basedir, "/tmp/sg_test_pattern_XXXXXX");
    if (!mkdtemp(basedir)) basedir[0] = 0;
}

static void rm_rf(const char *path);

static void base_teardown(void)
{
    if (basedir[0]) rm_rf(basedir);
}

static void mk_tmp(void)
{
    ck_assert_msg(basedir[0], "no base folder");
    snprintf(tmpdir, sizeof tmpdir, "%s/tXXXXXX", basedir);
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_rf(const char *path)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", path);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *path, size_t *len)
{
    char *t = read_file(path, len);
    ck_assert_msg(t != NULL, "cannot read %s", path);
    return t;
}

/* Runs cmd_patterns with stdout and stderr captured in files of tmpdir. */
static int run_cmd(const char *const *args, char **out, char **err)
{
    char o[128], e[128];
    snprintf(o, sizeof o, "%s/stdout.txt", tmpdir);
    snprintf(e, sizeof e, "%s/stderr.txt", tmpdir);
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    ck_assert_ptr_nonnull(freopen(o, "w", stdout));
    ck_assert_ptr_nonnull(freopen(e, "w", stderr));
    int argc = 0;
    char *argv[16];
    while (args[argc]) {
        argv[argc] = (char *)args[argc];
        argc++;
    }
    argv[argc] = NULL;
    int rc = cmd_patterns(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    size_t len;
    *out = slurp(o, &len);
    *err = slurp(e, &len);
    return rc;
}

static const char tiny_yaml[] = "name: tiny\n"
                                "layers: [12, 6, 3]\n"
                                "fanout: [2, 3]\n"
                                "z: [4, 3]\n"
                                "connectivity: {family: type1, memory_dither: true, seed: 3}\n";

START_TEST(command_writes_everything)
{
    mk_tmp();
    char spec[128], dir[128], dir2[128], path[192];
    snprintf(spec, sizeof spec, "%s/tiny.yaml", tmpdir);
    snprintf(dir, sizeof dir, "%s/out/a", tmpdir);
    snprintf(dir2, sizeof dir2, "%s/out/b", tmpdir);
    write_text(spec, tiny_yaml);
    char *out, *err;
    ck_assert_int_eq(run_cmd((const char *[]){ "patterns", spec, "-o", dir, NULL }, &out, &err), 0);
    ck_assert_str_eq(err, "");
    char want[1024];
    ck_assert_ptr_nonnull(strstr(out, "junction 1: 12-6, d_out 2, d_in 4, z 4: clash-free, no repeated edge, "));
    ck_assert_ptr_nonnull(strstr(out, "junction 2: 6-3, d_out 3, d_in 6, z 3: clash-free, no repeated edge, "));
    snprintf(want, sizeof want, "wrote %s/junction1.csv\nwrote %s/junction1.png\nwrote %s/junction2.csv\n"
             "wrote %s/junction2.png\nwrote %s/patterns.json\n", dir, dir, dir, dir, dir);
    ck_assert_ptr_nonnull(strstr(out, want));
    free(out);
    free(err);

    /* CSV: header and 24 rows that match the pattern */
    snprintf(path, sizeof path, "%s/junction1.csv", dir);
    size_t len;
    char *csv = slurp(path, &len);
    ck_assert(!strncmp(csv, "edge,clock,lane,left,right\n0,0,0,", 33));
    int rows = 0;
    for (size_t i = 0; i < len; i++) rows += csv[i] == '\n';
    ck_assert_int_eq(rows, 25);
    /* JSON: key order and values */
    snprintf(path, sizeof path, "%s/patterns.json", dir);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    ck_assert_ptr_nonnull(root);
    static const char *const top[] = { "spec", "spec_hash", "generator", "version", "junctions" };
    int i = 0;
    for (void *it = json_object_iter(root); it; it = json_object_iter_next(root, it), i++)
        ck_assert_str_eq(json_object_iter_key(it), top[i]);
    ck_assert_int_eq(i, 5);
    ck_assert_str_eq(json_string_value(json_object_get(root, "spec")), "tiny");
    ck_assert_str_eq(json_string_value(json_object_get(root, "version")), SG_VERSION);
    uint64_t h = hash64(tiny_yaml, strlen(tiny_yaml), HASH64_INIT);
    char hx[17];
    snprintf(hx, sizeof hx, "%016llx", (unsigned long long)h);
    ck_assert_str_eq(json_string_value(json_object_get(root, "spec_hash")), hx);
    json_t *js = json_object_get(root, "junctions");
    ck_assert_int_eq(json_array_size(js), 2);
    json_t *j2 = json_array_get(js, 1);
    static const char *const keys[] = { "j", "p", "n", "d_out", "d_in", "z", "W", "C", "P", "features", "family",
                                        "options", "attempt", "stream", "pattern_hash", "clash_free",
                                        "repeated_edges", "fanin", "fanout", "padding_only", "scatter", "hazard" };
    i = 0;
    for (void *it = json_object_iter(j2); it; it = json_object_iter_next(j2, it), i++)
        ck_assert_str_eq(json_object_iter_key(it), keys[i]);
    ck_assert_int_eq(i, (int)(sizeof keys / sizeof keys[0]));
    ck_assert_int_eq(json_integer_value(json_object_get(j2, "j")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(j2, "d_in")), 6);
    ck_assert_int_eq(json_integer_value(json_object_get(j2, "W")), 18);
    ck_assert_int_eq(json_integer_value(json_object_get(j2, "C")), 6);
    ck_assert_int_eq(json_integer_value(json_object_get(j2, "P")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(j2, "family")), "type1");
    ck_assert(json_is_true(json_object_get(json_object_get(j2, "options"), "memory_dither")));
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j2, "options"), "seed")), "3");
    ck_assert(json_is_true(json_object_get(j2, "clash_free")));
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j2, "fanout"), "min")), 3);
    json_t *hz = json_object_get(j2, "hazard");
    ck_assert(json_is_true(json_object_get(hz, "applies")));
    ck_assert_int_eq(json_integer_value(json_object_get(hz, "distance_required")), SG_DELTA_RMW_DISTANCE);
    ck_assert(json_is_integer(json_object_get(hz, "distance_achieved")));
    ck_assert(json_is_false(json_object_get(json_object_get(json_array_get(js, 0), "hazard"), "applies")));
    json_t *sc = json_object_get(j2, "scatter");
    double ov = json_real_value(json_object_get(sc, "overall"));
    ck_assert(ov > 0 && ov <= 1);
    /* the pattern hash in the JSON is the generator's for this spec */
    sg_spec s;
    sink k;
    sink_open(&k, spec);
    ck_assert(spec_load(spec, &s, &k.d));
    sg_pattern pt;
    ck_assert(pat_generate(&s, 2, &pt, &k.d));
    snprintf(hx, sizeof hx, "%016llx", (unsigned long long)pat_hash(&pt));
    ck_assert_str_eq(json_string_value(json_object_get(j2, "pattern_hash")), hx);
    /* and the CSV of junction 1 is pat_write_csv of junction 1 */
    sg_pattern p1;
    ck_assert(pat_generate(&s, 1, &p1, &k.d));
    size_t mlen;
    char *mcsv = mem_write(pat_write_csv, &p1, &mlen);
    ck_assert_uint_eq(mlen, len);
    ck_assert(memcmp(mcsv, csv, len) == 0);
    free(mcsv);
    pat_free(&p1);
    pat_free(&pt);
    sink_close(&k);
    json_decref(root);
    free(csv);

    /* same spec, same bytes */
    ck_assert_int_eq(run_cmd((const char *[]){ "patterns", "--output", dir2, spec, NULL }, &out, &err), 0);
    free(out);
    free(err);
    static const char *const files[] = { "junction1.csv", "junction1.png", "junction2.csv", "junction2.png",
                                         "patterns.json" };
    for (int f = 0; f < 5; f++) {
        char pa[192], pb[192];
        snprintf(pa, sizeof pa, "%s/%s", dir, files[f]);
        snprintf(pb, sizeof pb, "%s/%s", dir2, files[f]);
        size_t la, lb;
        char *a = slurp(pa, &la), *b = slurp(pb, &lb);
        ck_assert_uint_eq(la, lb);
        ck_assert_msg(memcmp(a, b, la) == 0, "%s differs", files[f]);
        free(a);
        free(b);
    }
    rm_rf(tmpdir);
}
END_TEST

/* A usage error of `sparsegen CMD` (gen/cli.c): the line "sparsegen CMD: MSG", the command's usage lines
 * ("Usage: sparsegen CMD ..." and their continuations), then the hint line. */
static void check_usage_error(const char *err, const char *cmd, const char *msg)
{
    char head[1024], tail[256];
    snprintf(head, sizeof head, "sparsegen %s: %s\nUsage: sparsegen %s ", cmd, msg, cmd);
    snprintf(tail, sizeof tail, "\nTry 'sparsegen %s --help'.\n", cmd);
    size_t n = strlen(err), t = strlen(tail);
    ck_assert_msg(!strncmp(err, head, strlen(head)), "usage error does not start with '%s': '%s'", head, err);
    ck_assert_msg(n > t && !strcmp(err + n - t, tail), "usage error does not end with the hint: '%s'", err);
    for (const char *l = strchr(err, '\n') + 1; l < err + n - t; l = strchr(l, '\n') + 1)
        ck_assert_msg(!strncmp(l, "Usage: ", 7) || !strncmp(l, "       ", 7), "not a usage line in '%s'", err);
}

START_TEST(command_options)
{
    mk_tmp();
    char spec[128], dir[128], path[192];
    snprintf(spec, sizeof spec, "%s/tiny.yaml", tmpdir);
    snprintf(dir, sizeof dir, "%s/only_json", tmpdir);
    write_text(spec, tiny_yaml);
    char *out, *err;
    ck_assert_int_eq(run_cmd((const char *[]){ "patterns", spec, "--no-csv", "--no-png", "-o", dir, NULL }, &out,
                             &err), 0);
    char want[256];
    snprintf(want, sizeof want, "wrote %s/patterns.json\n", dir);
    ck_assert_ptr_nonnull(strstr(out, want));
    ck_assert_ptr_null(strstr(out, ".csv"));
    free(out);
    free(err);
    struct stat sb;
    snprintf(path, sizeof path, "%s/patterns.json", dir);
    ck_assert_int_eq(stat(path, &sb), 0);
    snprintf(path, sizeof path, "%s/junction1.csv", dir);
    ck_assert_int_ne(stat(path, &sb), 0);
    snprintf(path, sizeof path, "%s/junction1.png", dir);
    ck_assert_int_ne(stat(path, &sb), 0);

    /* usage errors: exit 2 */
    ck_assert_int_eq(run_cmd((const char *[]){ "patterns", NULL }, &out, &err), 2);
    check_usage_error(err, "patterns", "missing SPEC");
    free(out);
    free(err);
    ck_assert_int_eq(run_cmd((const char *[]){ "patterns", spec, NULL }, &out, &err), 2);
    check_usage_error(err, "patterns", "missing output folder (-o DIR)");
    free(out);
    free(err);
    ck_assert_int_eq(run_cmd((const char *[]){ "patterns", spec, "-o", dir, "--png", NULL }, &out, &err), 2);
    check_usage_error(err, "patterns", "unknown option '--png'");
    free(out);
    free(err);
    ck_assert_int_eq(run_cmd((const char *[]){ "patterns", spec, "-o", NULL }, &out, &err), 2);
    check_usage_error(err, "patterns", "option '-o' needs a folder");
    free(out);
    free(err);
    ck_assert_int_eq(run_cmd((const char *[]){ "patterns", spec, spec, "-o", dir, NULL }, &out, &err), 2);
    free(out);
    free(err);
    ck_assert_int_eq(run_cmd((const char *[]){ "patterns", "--help", NULL }, &out, &err), 0);
    static const char usage[] = "Usage: sparsegen patterns SPEC -o|--output DIR [--no-csv] [--no-png]\n";
    ck_assert_msg(!strncmp(out, usage, strlen(usage)), "%s", out);
    ck_assert_str_eq(err, "");
    free(out);
    free(err);
    rm_rf(tmpdir);
}
END_TEST

START_TEST(command_writes_nothing_on_error)
{
    mk_tmp();
    char spec[128], dir[128], path[192];
    snprintf(spec, sizeof spec, "%s/anchor.yaml", tmpdir);
    /* the anchor's exact board network: zero_start leaves 12 hidden neurons on padding alone */
    write_text(spec, "name: anchor_zero\n"
                     "layers: [1024, 64, 32]\n"
                     "fanout: [4, 16]\n"
                     "z: [128, 32]\n"
                     "format: {width: 10, frac: 7}\n"
                     "input: {bits: 8, features: 784}\n"
                     "classes: 10\n"
                     "connectivity: {family: type2, zero_start: true}\n");
    snprintf(dir, sizeof dir, "%s/new/out", tmpdir);
    char *out, *err;
    ck_assert_int_eq(run_cmd((const char *[]){ "patterns", spec, "-o", dir, NULL }, &out, &err), 1);
    char want[512];
    snprintf(want, sizeof want,
             "%s:8:43: error: junction 1: with zero_start every right neuron r sees the left neurons (r*64 .. r*64+63) "
             "mod 1024: 12 of 64 right neurons see only padding (input.features 784 of 1024 inputs); use random "
             "start vectors (zero_start: false) or fewer padding inputs\n", spec);
    ck_assert_str_eq(err, want);
    ck_assert_str_eq(out, "");
    free(out);
    free(err);
    struct stat sb;
    ck_assert_int_ne(stat(dir, &sb), 0); /* the folder it would have created is gone */
    /* an existing folder keeps exactly what it had */
    snprintf(dir, sizeof dir, "%s/keep", tmpdir);
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/junction2.csv", dir);
    write_text(path, "old\n");
    ck_assert_int_eq(run_cmd((const char *[]){ "patterns", spec, "-o", dir, NULL }, &out, &err), 1);
    free(out);
    free(err);
    size_t len;
    char *old = slurp(path, &len);
    ck_assert_str_eq(old, "old\n");
    free(old);
    snprintf(path, sizeof path, "%s/patterns.json", dir);
    ck_assert_int_ne(stat(path, &sb), 0);
    /* a spec error: exit 1, nothing written */
    write_text(spec, "name: bad\nlayers: [12, 6]\nfanout: [2]\nz: [5]\n");
    snprintf(dir, sizeof dir, "%s/bad", tmpdir);
    ck_assert_int_eq(run_cmd((const char *[]){ "patterns", spec, "-o", dir, NULL }, &out, &err), 1);
    ck_assert_ptr_nonnull(strstr(err, "error: "));
    free(out);
    free(err);
    ck_assert_int_ne(stat(dir, &sb), 0);
    /* a missing spec file */
    snprintf(path, sizeof path, "%s/missing.yaml", tmpdir);
    ck_assert_int_eq(run_cmd((const char *[]){ "patterns", path, "-o", dir, NULL }, &out, &err), 1);
    free(out);
    free(err);
    ck_assert_int_ne(stat(dir, &sb), 0);
    rm_rf(tmpdir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pattern");
    TCase *gen = tcase_create("generate");
    tcase_set_timeout(gen, 120);
    tcase_add_test(gen, zero_start_is_banded);
    tcase_add_test(gen, anchor_zero_start_is_rejected);
    tcase_add_test(gen, anchor_random_starts_are_accepted);
    tcase_add_test(gen, straddling_default_example);
    tcase_add_test(gen, p_equals_z_without_dither_is_fixed);
    tcase_add_test(gen, padding_redraws);
    tcase_add_test(gen, bad_sizes_are_errors_not_crashes);
    tcase_add_test(gen, same_seed_same_pattern);
    tcase_add_test(gen, draw_order_is_as_documented);
    tcase_add_test(gen, family_counts_match_reference);
    tcase_add_test(gen, generator_stays_in_family);
    tcase_add_test(gen, generation_meets_larger_rmw_distances);
    tcase_add_test(gen, random_configurations);
    suite_add_tcase(s, gen);
    TCase *chk = tcase_create("check");
    tcase_set_timeout(chk, 120);
    tcase_add_test(chk, checker_finds_every_defect);
    tcase_add_test(chk, checker_counts_a_pair_once);
    tcase_add_test(chk, not_a_pattern);
    tcase_add_test(chk, hazard_distance_and_rule);
    tcase_add_test(chk, checker_matches_brute_force_on_corrupted_patterns);
    tcase_add_test(chk, scatter_by_hand);
    tcase_add_test(chk, scatter_matches_definition);
    suite_add_tcase(s, chk);
    TCase *out = tcase_create("output");
    tcase_set_timeout(out, 120);
    tcase_add_unchecked_fixture(out, base_setup, base_teardown);
    tcase_add_test(out, csv_format);
    tcase_add_test(out, png_pixels);
    tcase_add_test(out, command_writes_everything);
    tcase_add_test(out, command_options);
    tcase_add_test(out, command_writes_nothing_on_error);
    suite_add_tcase(s, out);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
