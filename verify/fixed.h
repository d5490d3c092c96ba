/* fixed.h: the primitives of docs/arithmetic.md, exactly. Every value is carried in int64_t. */
#ifndef SG_FIXED_H
#define SG_FIXED_H

#include <stdint.h>

typedef struct {
    int w, F;          /* width, fraction bits */
    int64_t min, max;  /* -2^(w-1), 2^(w-1) - 1 */
    int64_t one;       /* 2^F */
} sg_fmt;

static inline sg_fmt fx_fmt(int w, int F)
{
    sg_fmt f = { w, F, -((int64_t)1 << (w - 1)), ((int64_t)1 << (w - 1)) - 1, (int64_t)1 << F };
    return f;
}
/* sat(v) */
static inline int64_t fx_sat(const sg_fmt *f, int64_t v) { return v < f->min ? f->min : v > f->max ? f->max : v; }
/* rnd(v, s): round half up, s >= 0. (Right shift of a negative int64_t is arithmetic on every compiler we build
 * with; the build checks it in tests.) */
static inline int64_t fx_rnd(int64_t v, int s) { return s == 0 ? v : (v + ((int64_t)1 << (s - 1))) >> s; }
/* mul(a, b) = sat(rnd(a b, F)) */
static inline int64_t fx_mul(const sg_fmt *f, int64_t a, int64_t b) { return fx_sat(f, fx_rnd(a * b, f->F)); }
/* Input conversion: x unsigned, B bits. */
static inline int64_t fx_input(const sg_fmt *f, uint32_t x, int B) { return fx_rnd((int64_t)x << f->F, B); }

/* Sigmoid table (docs/arithmetic.md §5). */
typedef struct {
    int R, T;          /* index shift and index bits */
    int64_t *sig;      /* [2^T], entry i + 2^(T-1) */
} sg_sigmoid;

void fx_sigmoid_init(sg_sigmoid *t, const sg_fmt *f);
void fx_sigmoid_free(sg_sigmoid *t);
static inline int64_t fx_sigmoid(const sg_sigmoid *t, int64_t s)
{
    int64_t i = s >> t->R, lim = (int64_t)1 << (t->T - 1);
    if (i < -lim) i = -lim;
    if (i > lim - 1) i = lim - 1;
    return t->sig[i + lim];
}
/* Derivative from the stored activation (§6). relu != 0 for relu. */
static inline int64_t fx_deriv(const sg_fmt *f, int relu, int64_t a)
{
    return relu ? (a > 0 ? f->one : 0) : fx_mul(f, a, f->one - a);
}

#endif
