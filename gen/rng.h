/* rng.h: the one pseudo-random number generator (docs/prng.md). No global state. */
#ifndef SG_RNG_H
#define SG_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];
} sg_rng;

void rng_init(sg_rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_next(sg_rng *r);
uint32_t rng_u32(sg_rng *r);              /* upper 32 bits of one output */
uint64_t rng_below(sg_rng *r, uint64_t n); /* uniform in [0, n), n >= 1 */
void rng_shuffle_u32(sg_rng *r, uint32_t *a, uint32_t n);

#endif
