/* rng.c: xoshiro256** seeded by splitmix64, exactly as docs/prng.md says. No global state. */
#include "rng.h"

#define GOLDEN 0x9E3779B97F4A7C15ULL

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += GOLDEN);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rng_init(sg_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * GOLDEN);
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
    /* splitmix64 is a bijection of its counter, so four consecutive outputs are never all zero (the one state
     * xoshiro cannot leave): no special case needed. */
}

uint64_t rng_next(sg_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint32_t rng_u32(sg_rng *r)
{
    return (uint32_t)(rng_next(r) >> 32);
}

uint64_t rng_below(sg_rng *r, uint64_t n)
{
    if (n <= 1) {
        /* n = 1: every draw is accepted (2^64 mod 1 = 0) and maps to 0; the draw is still consumed so that the
         * sequence does not depend on special cases. n = 0 is a caller bug; treat it like 1. */
        rng_next(r);
        return 0;
    }
    uint64_t rem = (0 - n) % n; /* 2^64 mod n */
    uint64_t x = rng_next(r);
    if (rem) /* accept x < 2^64 - rem */
        while (x >= 0 - rem) x = rng_next(r);
    return x % n;
}

void rng_shuffle_u32(sg_rng *r, uint32_t *a, uint32_t n)
{
    for (uint32_t i = n; i-- > 1;) {
        uint32_t j = (uint32_t)rng_below(r, (uint64_t)i + 1);
        uint32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
