/* test_fixed.c: the arithmetic primitives of docs/arithmetic.md (verify/fixed.h, verify/fixed.c), checked against
 * references written differently (floor on doubles, or 128-bit integers with explicit case analysis). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../gen/common.h"
#include "../fixed.h"

__extension__ typedef __int128 i128;

/* Check's ck_assert records a mark point per call (a write to the parent): too slow for millions of checks, so
 * loops use these, which touch Check only on failure. */
#define CHECK_EQ(got, want)                                                                                      \
    do {                                                                                                         \
        int64_t g_ = (got), w_ = (want);                                                                         \
        if (g_ != w_) ck_abort_msg("line %d: %s = %lld, want %lld", __LINE__, #got, (long long)g_, (long long)w_); \
    } while (0)
#define CHECK(c)                                                                \
    do {                                                                        \
        if (!(c)) ck_abort_msg("line %d: assertion %s failed", __LINE__, #c); \
    } while (0)

/* ---- independent references ---- */

/* Limits from pow(), not from shifts (tabulated: pow per call would dominate the exhaustive loops). */
static int64_t lim_min[17], lim_max[17];
static double pow2[64];
static void ref_init(void)
{
    for (int w = 1; w <= 16; w++) {
        lim_min[w] = (int64_t)-pow(2.0, w - 1);
        lim_max[w] = (int64_t)pow(2.0, w - 1) - 1;
    }
    for (int e = 0; e < 64; e++) pow2[e] = pow(2.0, e);
}
static int64_t ref_min(int w) { return lim_min[w]; }
static int64_t ref_max(int w) { return lim_max[w]; }

static int64_t ref_sat(int w, int64_t v)
{
    if (v > lim_max[w]) return lim_max[w];
    if (v < lim_min[w]) return lim_min[w];
    return v;
}

/* mul with doubles: |a b| < 2^32, so a b, (a b) / 2^F and + 0.5 are exact in double; floor is exact. */
static int64_t ref_mul_dbl(int w, int F, int64_t a, int64_t b)
{
    double p = (double)a * (double)b;
    return ref_sat(w, (int64_t)floor(p / pow2[F] + 0.5));
}

/* rnd(v, s) with 128-bit integers and explicit case analysis: truncating division, then fix the sign of the
 * remainder (floor), then round up when the remainder is at least half a step. */
static i128 ref_rnd128(i128 v, int s)
{
    if (s == 0) return v;
    i128 d = 1;
    for (int i = 0; i < s; i++) d *= 2;
    i128 q = v / d, r = v % d; /* C: q truncates toward zero, r has the sign of v */
    if (r < 0) {
        q -= 1;
        r += d;
    }
    if (2 * r >= d) q += 1;
    return q;
}

static int64_t ref_mul128(int w, int F, int64_t a, int64_t b)
{
    i128 q = ref_rnd128((i128)a * b, F);
    i128 lo = ref_min(w), hi = ref_max(w);
    return (int64_t)(q < lo ? lo : q > hi ? hi : q);
}

/* ---- primitives ---- */

START_TEST(test_arith_shift)
{
    /* fx_rnd and fx_sigmoid assume >> on a negative int64_t is arithmetic (floor division by a power of two). */
    volatile int64_t m5 = -5, m1 = -1, mn = INT64_MIN, m6 = -6;
    ck_assert_int_eq(m5 >> 1, -3);
    ck_assert_int_eq(m6 >> 2, -2);
    ck_assert_int_eq(m1 >> 7, -1);
    ck_assert_int_eq(mn >> 63, -1);
    ck_assert_int_eq(mn >> 62, -2);
    for (int64_t v = -1000; v <= 1000; v++)
        for (int s = 0; s < 12; s++) CHECK_EQ(v >> s, (int64_t)floor((double)v / pow(2.0, s)));
}
END_TEST

START_TEST(test_fmt)
{
    for (int w = 8; w <= 16; w++)
        for (int F = 1; F <= w - 2; F++) {
            sg_fmt f = fx_fmt(w, F);
            ck_assert_int_eq(f.w, w);
            ck_assert_int_eq(f.F, F);
            ck_assert_int_eq(f.min, ref_min(w));
            ck_assert_int_eq(f.max, ref_max(w));
            ck_assert_int_eq(f.one, (int64_t)pow(2.0, F));
            ck_assert(f.one <= f.max);
        }
    sg_fmt f = fx_fmt(10, 7);
    ck_assert_int_eq(f.min, -512);
    ck_assert_int_eq(f.max, 511);
    ck_assert_int_eq(f.one, 128);
}
END_TEST

START_TEST(test_sat)
{
    sg_fmt f = fx_fmt(8, 5);
    ck_assert_int_eq(fx_sat(&f, 127), 127);
    ck_assert_int_eq(fx_sat(&f, 128), 127);
    ck_assert_int_eq(fx_sat(&f, -128), -128);
    ck_assert_int_eq(fx_sat(&f, -129), -128);
    ck_assert_int_eq(fx_sat(&f, INT64_MAX), 127);
    ck_assert_int_eq(fx_sat(&f, INT64_MIN), -128);
    ck_assert_int_eq(fx_sat(&f, 0), 0);
    for (int w = 8; w <= 16; w++) {
        sg_fmt g = fx_fmt(w, 1);
        for (int64_t v = -70000; v <= 70000; v += 7) CHECK_EQ(fx_sat(&g, v), ref_sat(w, v));
    }
}
END_TEST

START_TEST(test_rnd_examples)
{
    /* docs/arithmetic.md §2 */
    ck_assert_int_eq(fx_rnd(5, 1), 3);
    ck_assert_int_eq(fx_rnd(-5, 1), -2);
    ck_assert_int_eq(fx_rnd(-6, 2), -1);
    ck_assert_int_eq(fx_rnd(7, 0), 7);
    ck_assert_int_eq(fx_rnd(-7, 0), -7);
    ck_assert_int_eq(fx_rnd(-1, 1), 0);   /* -0.5 rounds up to 0 */
    ck_assert_int_eq(fx_rnd(-3, 1), -1);  /* -1.5 -> -1 */
    ck_assert_int_eq(fx_rnd(3, 1), 2);    /* 1.5 -> 2 */
    ck_assert_int_eq(fx_rnd(-7, 2), -2);  /* -1.75 -> -2 */
    ck_assert_int_eq(fx_rnd(6, 2), 2);    /* 1.5 -> 2 */
    ck_assert_int_eq(fx_rnd(5, 2), 1);    /* 1.25 -> 1 */
    /* large shifts, as used by UP with F + k up to 16 + 30 */
    ck_assert_int_eq(fx_rnd((int64_t)1 << 45, 46), 1);        /* 0.5 -> 1 */
    ck_assert_int_eq(fx_rnd(-((int64_t)1 << 45), 46), 0);     /* -0.5 -> 0 */
    ck_assert_int_eq(fx_rnd(-((int64_t)1 << 45) - 1, 46), -1);
    ck_assert_int_eq(fx_rnd((int64_t)1 << 30, 44), 0);
}
END_TEST

START_TEST(test_rnd_sweep)
{
    for (int s = 0; s <= 46; s++) {
        for (int64_t v = -5000; v <= 5000; v++) CHECK_EQ(fx_rnd(v, s), (int64_t)ref_rnd128(v, s));
        /* around multiples of the step and its half, far from zero */
        for (int64_t m = -40; m <= 40; m++)
            for (int64_t d = -3; d <= 3; d++) {
                i128 base = (i128)m * ((i128)1 << s) * 1000;
                if (base > ((i128)1 << 61) || base < -((i128)1 << 61)) continue;
                i128 v = base + (s ? ((i128)1 << (s - 1)) : 0) + d;
                CHECK_EQ(fx_rnd((int64_t)v, s), (int64_t)ref_rnd128(v, s));
            }
    }
}
END_TEST

/* mul: every pair of values for every w in 8..10 and every legal F (about 12 M products), against the double
 * reference; then a structured sweep for w = 11..16 against the 128-bit reference. */
START_TEST(test_mul_exhaustive)
{
    int w = _i; /* loop test: 8, 9, 10 */
    long n = 0;
    for (int F = 1; F <= w - 2; F++) {
        sg_fmt f = fx_fmt(w, F);
        for (int64_t a = f.min; a <= f.max; a++)
            for (int64_t b = f.min; b <= f.max; b++) {
                int64_t got = fx_mul(&f, a, b), want = ref_mul_dbl(w, F, a, b);
                if (got != want)
                    ck_abort_msg("w %d F %d: mul(%lld, %lld) = %lld, want %lld", w, F, (long long)a, (long long)b,
                                 (long long)got, (long long)want);
                n++;
            }
    }
    ck_assert_int_eq(n, (long)(w - 2) * (1L << w) * (1L << w));
}
END_TEST

START_TEST(test_mul_structured)
{
    for (int w = 8; w <= 16; w++)
        for (int F = 1; F <= w - 2; F++) {
            sg_fmt f = fx_fmt(w, F);
            /* b: the limits, zero, +-1, ONE and its neighbours, powers of two and their neighbours */
            int64_t bs[64];
            int nb = 0;
            int64_t base[] = { f.min, f.min + 1, -1, 0, 1, f.max - 1, f.max, f.one, -f.one, f.one - 1, f.one + 1 };
            for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) bs[nb++] = base[i];
            for (int e = 1; e < w - 1; e++) {
                bs[nb++] = ((int64_t)1 << e) + 1;
                bs[nb++] = -((int64_t)1 << e) - 1;
            }
            for (int i = 0; i < nb; i++)
                for (int64_t a = f.min; a <= f.max; a++) {
                    int64_t got = fx_mul(&f, a, bs[i]);
                    CHECK_EQ(got, ref_mul128(w, F, a, bs[i]));
                    CHECK_EQ(got, ref_mul_dbl(w, F, a, bs[i]));
                }
        }
}
END_TEST

START_TEST(test_mul_examples)
{
    sg_fmt f = fx_fmt(8, 4); /* [-8, 8), step 1/16 */
    ck_assert_int_eq(fx_mul(&f, 16, 16), 16);     /* 1 * 1 */
    ck_assert_int_eq(fx_mul(&f, 24, 24), 36);     /* 1.5 * 1.5 = 2.25 */
    ck_assert_int_eq(fx_mul(&f, 3, 8), 2);        /* 24 / 16 = 1.5 -> 2 */
    ck_assert_int_eq(fx_mul(&f, -3, 8), -1);      /* -1.5 -> -1 (half up) */
    ck_assert_int_eq(fx_mul(&f, 127, 127), 127);  /* 1008.06 saturates */
    ck_assert_int_eq(fx_mul(&f, -128, 127), -128);
    ck_assert_int_eq(fx_mul(&f, -128, -128), 127);
    ck_assert_int_eq(fx_mul(&f, -128, 16), -128); /* -8 * 1, exact at the limit */
    ck_assert_int_eq(fx_mul(&f, 1, 8), 1);        /* 0.5 -> 1 */
    ck_assert_int_eq(fx_mul(&f, -1, 8), 0);       /* -0.5 -> 0 */
}
END_TEST

START_TEST(test_input)
{
    /* every B and every x, for every format w 8..16, F 1..w-2: a = rnd(x 2^F, B) = floor(x 2^F / 2^B + 1/2) */
    for (int w = 8; w <= 16; w++)
        for (int F = 1; F <= w - 2; F++) {
            sg_fmt f = fx_fmt(w, F);
            for (int B = 1; B <= 16; B++)
                for (uint32_t x = 0; x < (1u << B); x++) {
                    int64_t got = fx_input(&f, x, B);
                    int64_t want = (int64_t)floor((double)x * pow2[F] / pow2[B] + 0.5);
                    if (got != want)
                        ck_abort_msg("w %d F %d B %d x %u: %lld want %lld", w, F, B, x, (long long)got,
                                     (long long)want);
                    CHECK(got >= 0 && got <= f.one);
                }
        }
    sg_fmt f = fx_fmt(10, 7);
    ck_assert_int_eq(fx_input(&f, 255, 8), 128); /* 255/256 -> 127.5 -> 128 = ONE */
    ck_assert_int_eq(fx_input(&f, 128, 8), 64);
    ck_assert_int_eq(fx_input(&f, 1, 8), 1);     /* 0.5 -> 1 */
    ck_assert_int_eq(fx_input(&f, 0, 8), 0);
    ck_assert_int_eq(fx_input(&f, 3, 2), 96);    /* 3/4 */
    ck_assert_int_eq(fx_input(&f, 1, 1), 64);
    sg_fmt g = fx_fmt(16, 2);
    ck_assert_int_eq(fx_input(&g, 65535, 16), 4); /* 3.99994 -> 4 = ONE */
    ck_assert_int_eq(fx_input(&g, 8191, 16), 0);  /* 0.49994 -> 0 */
    ck_assert_int_eq(fx_input(&g, 8192, 16), 1);  /* 0.5 -> 1 */
}
END_TEST

/* ---- sigmoid table ---- */

START_TEST(test_sigmoid_sizes)
{
    /* docs/arithmetic.md §5 examples */
    struct {
        int w, F, R, T;
    } ex[] = { { 16, 10, 4, 11 }, { 16, 11, 5, 11 }, { 12, 8, 2, 10 }, { 10, 7, 1, 9 }, { 8, 5, 0, 8 },
               { 16, 14, 8, 8 },  { 8, 1, 0, 6 },   { 16, 6, 0, 11 }, { 16, 7, 1, 11 } };
    for (size_t k = 0; k < sizeof ex / sizeof ex[0]; k++) {
        sg_fmt f = fx_fmt(ex[k].w, ex[k].F);
        sg_sigmoid t;
        fx_sigmoid_init(&t, &f);
        ck_assert_int_eq(t.R, ex[k].R);
        ck_assert_int_eq(t.T, ex[k].T);
        fx_sigmoid_free(&t);
        ck_assert_ptr_null(t.sig);
    }
}
END_TEST

/* Properties of every table (w 8..16, every legal F). What exactly holds for symmetry:
 *   x(i) = (i 2^R + (2^R - 1)/2) / 2^F. With R = 0, x(-i) = -x(i), and since 2^F sigma(-x) = ONE - 2^F sigma(x),
 *   rounding half up gives sig[-i] = ONE - sig[i] unless 2^F sigma(x) is within double rounding error of a half
 *   integer (never happens for these tables): sig[i] + sig[-i] == ONE for -2^(T-1) < i < 2^(T-1).
 *   With R > 0 the mirror of bin i is bin -1-i, whose centre is -x(i) - 2^-F (one LSB of s lower), and the
 *   sigmoid moves by at most 1/4 code per LSB, so sig[i] + sig[-1-i] is ONE or ONE - 1. */
START_TEST(test_sigmoid_properties)
{
    int off_by_one = 0;
    for (int w = 8; w <= 16; w++)
        for (int F = 1; F <= w - 2; F++) {
            sg_fmt f = fx_fmt(w, F);
            sg_sigmoid t;
            fx_sigmoid_init(&t, &f);
            int R = F > 6 ? F - 6 : 0;
            int T = w - R < F - R + 5 ? w - R : F - R + 5;
            ck_assert_int_eq(t.R, R);
            ck_assert_int_eq(t.T, T);
            ck_assert(T <= 11); /* at most 2048 entries */
            int64_t lim = (int64_t)1 << (T - 1);
            for (int64_t k = 0; k < 2 * lim; k++) {
                CHECK(t.sig[k] >= 0 && t.sig[k] <= f.one);
                if (k) CHECK(t.sig[k] >= t.sig[k - 1]);
            }
            for (int64_t i = -lim; i < lim; i++) {
                int64_t v = t.sig[i + lim];
                if (R == 0) {
                    if (i > -lim) CHECK_EQ(v + t.sig[-i + lim], f.one);
                } else {
                    int64_t sum = v + t.sig[-1 - i + lim];
                    if (sum != f.one && sum != f.one - 1)
                        ck_abort_msg("w %d F %d i %lld: sum %lld", w, F, (long long)i, (long long)sum);
                    off_by_one += sum != f.one;
                }
            }
            /* the table covers [-16, 16) or the whole format: the lowest and highest s map to the end entries */
            ck_assert_int_eq(fx_sigmoid(&t, f.min), t.sig[f.min >> R < -lim ? 0 : (f.min >> R) + lim]);
            ck_assert_int_eq(fx_sigmoid(&t, f.max), t.sig[f.max >> R > lim - 1 ? 2 * lim - 1 : (f.max >> R) + lim]);
            fx_sigmoid_free(&t);
        }
    ck_assert(off_by_one > 0); /* the R > 0 statement is not vacuous: ONE - 1 does occur */
}
END_TEST

START_TEST(test_sigmoid_values)
{
    /* w 8, F 5: R 0, T 8, x(i) = i / 32.
     *   i 0: 32 / 2 = 16 -> floor(16.5) = 16; i 32 (x 1): 32 * 0.731059 = 23.394 -> 23;
     *   i -32: 32 * 0.268941 = 8.606 -> 9; i 127 (x 3.96875): 32 * 0.981453 = 31.407 -> 31;
     *   i -128 (x -4): 32 * 0.017986 = 0.576 -> 1. */
    sg_fmt f = fx_fmt(8, 5);
    sg_sigmoid t;
    fx_sigmoid_init(&t, &f);
    ck_assert_int_eq(t.sig[0 + 128], 16);
    ck_assert_int_eq(t.sig[32 + 128], 23);
    ck_assert_int_eq(t.sig[-32 + 128], 9);
    ck_assert_int_eq(t.sig[127 + 128], 31);
    ck_assert_int_eq(t.sig[-128 + 128], 1);
    ck_assert_int_eq(fx_sigmoid(&t, 0), 16);
    ck_assert_int_eq(fx_sigmoid(&t, 32), 23);
    ck_assert_int_eq(fx_sigmoid(&t, -32), 9);
    ck_assert_int_eq(fx_sigmoid(&t, 127), 31);
    ck_assert_int_eq(fx_sigmoid(&t, -128), 1);
    fx_sigmoid_free(&t);

    /* w 10, F 7: R 1, T 9, 512 entries, x(i) = (2 i + 1/2) / 128.
     *   i 0: x = 0.00390625, 128 sigma = 64.1250 -> 64;  i -1: x = -0.01171875, 128 sigma = 63.6250 -> 64;
     *   i 64: x = 1.00390625, 128 sigma = 93.674 -> 94;  i -65: x = -1.01171875, 128 sigma = 34.130 -> 34;
     *   i 10: x = 0.16015625, 128 sigma = 69.114 -> 69; i 255: 126; i -256: 2.
     * s maps to i = s >> 1 (floor), clamped to [-256, 255] (which the whole 10-bit range already is). */
    f = fx_fmt(10, 7);
    fx_sigmoid_init(&t, &f);
    ck_assert_int_eq(t.T, 9);
    ck_assert_int_eq(t.sig[0 + 256], 64);
    ck_assert_int_eq(t.sig[-1 + 256], 64);
    ck_assert_int_eq(t.sig[64 + 256], 94);
    ck_assert_int_eq(t.sig[-65 + 256], 34);
    ck_assert_int_eq(t.sig[10 + 256], 69);
    ck_assert_int_eq(t.sig[255 + 256], 126);
    ck_assert_int_eq(t.sig[0], 2);
    ck_assert_int_eq(fx_sigmoid(&t, 128), 94);  /* i 64 */
    ck_assert_int_eq(fx_sigmoid(&t, 129), 94);  /* i 64 */
    ck_assert_int_eq(fx_sigmoid(&t, -129), 34); /* floor(-129/2) = -65 */
    ck_assert_int_eq(fx_sigmoid(&t, -1), 64);   /* i -1 */
    ck_assert_int_eq(fx_sigmoid(&t, 511), 126);
    ck_assert_int_eq(fx_sigmoid(&t, -512), 2);
    fx_sigmoid_free(&t);

    /* w 16, F 12: R 6, T 10: the table covers [-8, 8) with step 1/64, and s beyond is clamped. */
    f = fx_fmt(16, 12);
    fx_sigmoid_init(&t, &f);
    ck_assert_int_eq(t.R, 6);
    ck_assert_int_eq(t.T, 10);
    ck_assert_int_eq(fx_sigmoid(&t, 32767), t.sig[1023]);
    ck_assert_int_eq(fx_sigmoid(&t, -32768), t.sig[0]);
    ck_assert_int_eq(fx_sigmoid(&t, 64 * 100), t.sig[612]);
    ck_assert_int_eq(fx_sigmoid(&t, 64 * 100 + 63), t.sig[612]);
    ck_assert_int_eq(fx_sigmoid(&t, 64 * 100 - 1), t.sig[611]);
    fx_sigmoid_free(&t);

    /* w 16, F 6: R 0, T 11: covers [-16, 16): s = 1024 (x = 16) is clamped to i = 1023 */
    f = fx_fmt(16, 6);
    fx_sigmoid_init(&t, &f);
    ck_assert_int_eq(t.T, 11);
    ck_assert_int_eq(fx_sigmoid(&t, 1024), t.sig[2047]);
    ck_assert_int_eq(fx_sigmoid(&t, 30000), t.sig[2047]);
    ck_assert_int_eq(fx_sigmoid(&t, -1025), t.sig[0]);
    ck_assert_int_eq(t.sig[2047], 64);             /* 64 sigma(15.98) rounds to ONE */
    ck_assert_int_eq(t.sig[0], 0);
    fx_sigmoid_free(&t);
}
END_TEST

/* ---- derivative ---- */

START_TEST(test_deriv)
{
    sg_fmt f = fx_fmt(10, 7);
    /* sigmoid: a' = mul(a, ONE - a) = rnd(a (128 - a), 7) */
    ck_assert_int_eq(fx_deriv(&f, 0, 64), 32);   /* 64 * 64 / 128 = 32 */
    ck_assert_int_eq(fx_deriv(&f, 0, 128), 0);
    ck_assert_int_eq(fx_deriv(&f, 0, 0), 0);
    ck_assert_int_eq(fx_deriv(&f, 0, 1), 1);     /* 127 / 128 -> 1 */
    ck_assert_int_eq(fx_deriv(&f, 0, 127), 1);
    ck_assert_int_eq(fx_deriv(&f, 0, 100), 22);  /* 2800 / 128 = 21.875 -> 22 */
    ck_assert_int_eq(fx_deriv(&f, 0, 96), 24);   /* 96 * 32 / 128 = 24 */
    /* relu: ONE if a > 0 */
    ck_assert_int_eq(fx_deriv(&f, 1, 1), 128);
    ck_assert_int_eq(fx_deriv(&f, 1, 511), 128);
    ck_assert_int_eq(fx_deriv(&f, 1, 0), 0);
    ck_assert_int_eq(fx_deriv(&f, 1, -3), 0);
    /* every activation of every format against the reference; sigmoid derivative is at most ONE / 4 */
    for (int w = 8; w <= 16; w++)
        for (int F = 1; F <= w - 2; F++) {
            sg_fmt g = fx_fmt(w, F);
            for (int64_t a = 0; a <= g.one; a++) {
                int64_t d = fx_deriv(&g, 0, a);
                CHECK_EQ(d, ref_mul_dbl(w, F, a, g.one - a));
                CHECK(d >= 0 && d <= (g.one + 3) / 4);
            }
            for (int64_t a = g.min; a <= g.max; a += 3) CHECK_EQ(fx_deriv(&g, 1, a), a > 0 ? g.one : 0);
        }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("fixed");
    TCase *tc = tcase_create("core");
    tcase_add_unchecked_fixture(tc, ref_init, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_arith_shift);
    tcase_add_test(tc, test_fmt);
    tcase_add_test(tc, test_sat);
    tcase_add_test(tc, test_rnd_examples);
    tcase_add_test(tc, test_rnd_sweep);
    tcase_add_loop_test(tc, test_mul_exhaustive, 8, 11);
    tcase_add_test(tc, test_mul_structured);
    tcase_add_test(tc, test_mul_examples);
    tcase_add_test(tc, test_input);
    tcase_add_test(tc, test_sigmoid_sizes);
    tcase_add_test(tc, test_sigmoid_properties);
    tcase_add_test(tc, test_sigmoid_values);
    tcase_add_test(tc, test_deriv);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
