/* fixed.c: the sigmoid table of docs/arithmetic.md §5. Everything else of the arithmetic is inline in fixed.h.
 *
 * What the table guarantees (checked for every w in 8..16 and every legal F by verify/tests/test_fixed.c):
 *   - 2^T entries, each in [0, ONE], non-decreasing in the index;
 *   - symmetry, as far as rounding allows. With R = 0 the bin centres are x(i) = i / 2^F, so x(-i) = -x(i) and
 *     sig[i] + sig[-i] == ONE for every -2^(T-1) < i < 2^(T-1). With R > 0 the mirror image of bin i is bin -1-i,
 *     whose centre is x(-1-i) = -x(i) - 2^-F (one LSB of s lower), so sig[i] + sig[-1-i] is ONE or ONE - 1
 *     (both occur). */
#include <math.h>
#include <stdlib.h>

#include "../gen/common.h"
#include "fixed.h"

void fx_sigmoid_init(sg_sigmoid *t, const sg_fmt *f)
{
    int R = f->F > 6 ? f->F - 6 : 0;
    int T = f->w - R < f->F - R + 5 ? f->w - R : f->F - R + 5;
    int64_t n = (int64_t)1 << T, lim = n / 2;
    t->R = R;
    t->T = T;
    t->sig = xmalloc((size_t)n * sizeof *t->sig);
    double one = ldexp(1.0, f->F);
    for (int64_t i = -lim; i < lim; i++) {
        /* x(i) = (i 2^R + (2^R - 1) / 2) / 2^F, all exact in double (|i 2^R| < 2^16) */
        double x = ((double)i * ldexp(1.0, R) + (ldexp(1.0, R) - 1.0) / 2.0) / one;
        double v = floor(one / (1.0 + exp(-x)) + 0.5);
        int64_t c = (int64_t)v;
        if (c < 0) c = 0;           /* cannot happen; keeps the contract's range obvious */
        if (c > f->one) c = f->one;
        t->sig[i + lim] = c;
    }
}

void fx_sigmoid_free(sg_sigmoid *t)
{
    free(t->sig);
    t->sig = NULL;
}
