/* test_rng.c: the PRNG of docs/prng.md against published and independently computed reference values.
 *
 * Published vectors:
 *  - splitmix64 from 1234567: 6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431
 *    (Rosetta Code "Pseudo-random numbers/Splitmix64"); from 0: e220a8397b1dcdaf, 6e789e6aa1b965f4,
 *    06c45d188009454f, f88bb8a8724c81ec.
 *  - xoshiro256** from the state {1, 2, 3, 4}: 11520, 0, 1509978240, 1215971899390074240, 1216172134540287360,
 *    607988272756665600, 16172922978634559625, 8476171486693032832, 10595114339597558777, 2904607092377533576
 *    (the reference implementation's outputs, used by rand_xoshiro's tests).
 * Independent values (seeding with a stream, rng_below with rejection, the shuffle) were computed with this Python
 * transcription of docs/prng.md (not of rng.c):
 *
 *   M = (1 << 64) - 1; G = 0x9E3779B97F4A7C15
 *   def sm(x):
 *       x = (x + G) & M; z = x
 *       z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
 *       z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
 *       return x, z ^ (z >> 31)
 *   def rotl(x, k): return ((x << k) | (x >> (64 - k))) & M
 *   class R:
 *       def __init__(s, seed, stream):
 *           x = (seed ^ ((stream * G) & M)) & M; s.s = []
 *           for i in range(4): x, v = sm(x); s.s.append(v)
 *       def next(s):
 *           a = s.s; r = (rotl((a[1] * 5) & M, 7) * 9) & M; t = (a[1] << 17) & M
 *           a[2] ^= a[0]; a[3] ^= a[1]; a[1] ^= a[2]; a[0] ^= a[3]; a[2] ^= t; a[3] = rotl(a[3], 45)
 *           return r
 *       def below(s, n):
 *           lim = (1 << 64) - ((1 << 64) % n)
 *           while True:
 *               r = s.next()
 *               if r < lim: return r % n
 *       def shuffle(s, a):
 *           for i in range(len(a) - 1, 0, -1): j = s.below(i + 1); a[i], a[j] = a[j], a[i]
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "../../gen/rng.h"

START_TEST(splitmix_seeding_matches_published_vectors)
{
    sg_rng r;
    rng_init(&r, 1234567, 0); /* stream 0: x = seed */
    ck_assert_uint_eq(r.s[0], 6457827717110365317ULL);
    ck_assert_uint_eq(r.s[1], 3203168211198807973ULL);
    ck_assert_uint_eq(r.s[2], 9817491932198370423ULL);
    ck_assert_uint_eq(r.s[3], 4593380528125082431ULL);
    rng_init(&r, 0, 0);
    ck_assert_uint_eq(r.s[0], 0xe220a8397b1dcdafULL);
    ck_assert_uint_eq(r.s[1], 0x6e789e6aa1b965f4ULL);
    ck_assert_uint_eq(r.s[2], 0x06c45d188009454fULL);
    ck_assert_uint_eq(r.s[3], 0xf88bb8a8724c81ecULL);
}
END_TEST

START_TEST(xoshiro_matches_reference_outputs)
{
    static const uint64_t want[] = { 11520ULL, 0ULL, 1509978240ULL, 1215971899390074240ULL,
                                     1216172134540287360ULL, 607988272756665600ULL, 16172922978634559625ULL,
                                     8476171486693032832ULL, 10595114339597558777ULL, 2904607092377533576ULL };
    sg_rng r = { { 1, 2, 3, 4 } };
    for (int i = 0; i < 10; i++) ck_assert_uint_eq(rng_next(&r), want[i]);
}
END_TEST

START_TEST(streams_match_python)
{
    sg_rng r;
    rng_init(&r, 1, 1); /* connection pattern of junction 1 with the default seed */
    ck_assert_uint_eq(rng_next(&r), 3986457179768683244ULL);
    ck_assert_uint_eq(rng_next(&r), 4918436297853093903ULL);
    ck_assert_uint_eq(rng_next(&r), 3048561601925910338ULL);
    ck_assert_uint_eq(rng_next(&r), 6545774534467992524ULL);
    rng_init(&r, 1, 1001); /* its first re-draw */
    ck_assert_uint_eq(rng_next(&r), 2688477248503276161ULL);
    ck_assert_uint_eq(rng_next(&r), 8657386972956424117ULL);
    rng_init(&r, 42, 7);
    ck_assert_uint_eq(rng_u32(&r), 574988247u);
    ck_assert_uint_eq(rng_u32(&r), 935979687u);
    ck_assert_uint_eq(rng_u32(&r), 2652045409u);
}
END_TEST

START_TEST(below_and_shuffle_match_python)
{
    sg_rng r;
    rng_init(&r, 5, 3);
    static const uint64_t w10[] = { 0, 1, 3, 4, 2, 5, 4, 6, 0, 9 };
    for (int i = 0; i < 10; i++) ck_assert_uint_eq(rng_below(&r, 10), w10[i]);
    /* n = 2^63 + 1 rejects almost half of all draws: exercises the rejection loop. */
    rng_init(&r, 5, 3);
    static const uint64_t wbig[] = { 4507243334767096550ULL, 8821094874658612745ULL, 7849654733402367824ULL,
                                     7686663954407675106ULL };
    for (int i = 0; i < 4; i++) ck_assert_uint_eq(rng_below(&r, (1ULL << 63) + 1), wbig[i]);
    rng_init(&r, 9, 0);
    uint32_t a[10];
    for (uint32_t i = 0; i < 10; i++) a[i] = i;
    rng_shuffle_u32(&r, a, 10);
    static const uint32_t ws[] = { 9, 2, 6, 4, 3, 5, 8, 7, 1, 0 };
    for (int i = 0; i < 10; i++) ck_assert_uint_eq(a[i], ws[i]);
}
END_TEST

START_TEST(below_range)
{
    sg_rng r, q;
    rng_init(&r, 77, 0);
    static const uint64_t ns[] = { 1, 2, 3, 7, 10, 1000, (1ULL << 32) + 1, (1ULL << 63) + 12345, UINT64_MAX };
    for (size_t t = 0; t < sizeof ns / sizeof ns[0]; t++)
        for (int i = 0; i < 2000; i++) ck_assert_uint_lt(rng_below(&r, ns[t]), ns[t]);
    /* n = 1 returns 0 and consumes exactly one draw (docs/prng.md: one draw, always accepted) */
    rng_init(&r, 3, 4);
    rng_init(&q, 3, 4);
    ck_assert_uint_eq(rng_below(&r, 1), 0);
    rng_next(&q);
    ck_assert_uint_eq(rng_next(&r), rng_next(&q));
    /* a power of two never rejects: the value is the draw's low bits */
    rng_init(&r, 3, 4);
    rng_init(&q, 3, 4);
    for (int i = 0; i < 100; i++) ck_assert_uint_eq(rng_below(&r, 1u << 20), rng_next(&q) & ((1u << 20) - 1));
}
END_TEST

START_TEST(below_is_roughly_uniform)
{
    /* chi-square over 6 and over 10 bins, 600000 draws; 5 and 9 degrees of freedom. The p = 0.001 critical values
     * are 20.5 and 27.9: a correct generator fails this one time in a thousand seeds; this seed is fixed. */
    static const uint64_t ns[] = { 6, 10 };
    static const double crit[] = { 20.5, 27.9 };
    for (int t = 0; t < 2; t++) {
        sg_rng r;
        rng_init(&r, 2024, (uint64_t)t);
        long cnt[10] = { 0 };
        const long draws = 600000;
        for (long i = 0; i < draws; i++) cnt[rng_below(&r, ns[t])]++;
        double e = (double)draws / ns[t], chi = 0;
        for (uint64_t b = 0; b < ns[t]; b++) chi += (cnt[b] - e) * (cnt[b] - e) / e;
        ck_assert_msg(chi < crit[t], "chi-square %.2f over %d bins", chi, (int)ns[t]);
    }
    /* A biased reduction would show here: 3 * 2^62 is not a power of two, so a plain modulo would give the lower
     * third of [0, n) twice the probability of the rest. Count draws below n/3: expect 1/3. */
    sg_rng r;
    rng_init(&r, 11, 0);
    uint64_t n = 3ULL << 62;
    long low = 0, draws = 300000;
    for (long i = 0; i < draws; i++) low += rng_below(&r, n) < n / 3;
    double frac = (double)low / draws;
    ck_assert_msg(fabs(frac - 1.0 / 3) < 0.005, "fraction below n/3 = %.4f", frac);
}
END_TEST

START_TEST(shuffle_is_a_permutation_and_uniform)
{
    /* All 24 orders of 4 items, 240000 shuffles: chi-square with 23 degrees of freedom, p = 0.001 -> 49.7. */
    sg_rng r;
    rng_init(&r, 8, 8);
    long cnt[24] = { 0 };
    for (int t = 0; t < 240000; t++) {
        uint32_t a[4] = { 0, 1, 2, 3 };
        rng_shuffle_u32(&r, a, 4);
        int seen = 0;
        for (int i = 0; i < 4; i++) seen |= 1 << a[i];
        ck_assert_int_eq(seen, 15);
        /* Lehmer code of the order */
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int smaller = 0;
            for (int k = i + 1; k < 4; k++) smaller += a[k] < a[i];
            code = code * (4 - i) + smaller;
        }
        cnt[code]++;
    }
    double chi = 0;
    for (int i = 0; i < 24; i++) chi += (cnt[i] - 10000.0) * (cnt[i] - 10000.0) / 10000.0;
    ck_assert_msg(chi < 49.7, "chi-square %.2f", chi);
    /* n = 0 and 1 draw nothing */
    sg_rng q;
    rng_init(&r, 1, 2);
    rng_init(&q, 1, 2);
    uint32_t one = 5;
    rng_shuffle_u32(&r, &one, 1);
    rng_shuffle_u32(&r, NULL, 0);
    ck_assert_uint_eq(one, 5);
    ck_assert_uint_eq(rng_next(&r), rng_next(&q));
}
END_TEST

START_TEST(same_seed_same_sequence_different_streams_differ)
{
    sg_rng a, b, c;
    rng_init(&a, 99, 5);
    rng_init(&b, 99, 5);
    rng_init(&c, 99, 6);
    int same_c = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = rng_next(&a);
        ck_assert_uint_eq(x, rng_next(&b));
        same_c += x == rng_next(&c);
    }
    ck_assert_int_eq(same_c, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("rng");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, splitmix_seeding_matches_published_vectors);
    tcase_add_test(tc, xoshiro_matches_reference_outputs);
    tcase_add_test(tc, streams_match_python);
    tcase_add_test(tc, below_and_shuffle_match_python);
    tcase_add_test(tc, below_range);
    tcase_add_test(tc, below_is_roughly_uniform);
    tcase_add_test(tc, shuffle_is_a_permutation_and_uniform);
    tcase_add_test(tc, same_seed_same_sequence_different_streams_differ);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
