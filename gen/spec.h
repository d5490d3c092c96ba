/* spec.h: the network spec (a YAML file read with libyaml), validated. See README "The spec". */
#ifndef SG_SPEC_H
#define SG_SPEC_H

#include "common.h"

#define SG_MAX_J 16                  /* junctions */
#define SG_MAX_NEURONS (1u << 20)    /* per layer */
#define SG_MAX_EDGES (1u << 28)      /* per junction */
#define SG_MAX_SCHED 64              /* learning-rate schedule entries */
#define SG_NAME_MAX 48

typedef enum { SG_ACT_SIGMOID, SG_ACT_RELU } sg_act;
/* SG_FAM_RANDOM (added): an unconstrained random pattern with the same degrees, NOT clash-free: the golden model
 * trains it (a baseline), rtl and vectors refuse it (docs/patterns.md "The random baseline"). */
typedef enum { SG_FAM_TYPE1, SG_FAM_TYPE2, SG_FAM_TYPE3, SG_FAM_RANDOM } sg_family;
typedef enum { SG_MODE_TRAIN, SG_MODE_INFER } sg_mode;

typedef struct {
    int from_epoch; /* 1-based */
    int shift;
    sg_loc at;
} sg_sched;

typedef struct {
    char path[4096];             /* spec file as given */
    uint64_t hash;               /* hash64 of the file's bytes */
    char name[SG_NAME_MAX + 1];

    int J;                       /* junctions; layers has J + 1 entries */
    uint32_t layers[SG_MAX_J + 1];
    uint32_t fanout[SG_MAX_J];   /* index j - 1 for junction j */
    uint32_t z[SG_MAX_J];
    sg_act act[SG_MAX_J];

    int width, frac;             /* format */
    int input_bits;              /* input.bits */
    uint32_t features;           /* input.features: real inputs; layers[0] - features are zero padding */
    uint32_t classes;            /* classes: real outputs (labels < classes; prediction over these) */

    int lr_shift;                /* learning_rate.shift */
    bool lr_fixed;               /* learning_rate.fixed: the hardware's update uses lr_shift, a constant */
    int n_sched;
    sg_sched sched[SG_MAX_SCHED];

    sg_family family;            /* connectivity */
    bool sweep_shuffle, start_shuffle, memory_dither, zero_start;
    uint64_t conn_seed;

    uint64_t init_seed;          /* init.seed */
    bool shuffle;                /* training.shuffle */
    uint64_t train_seed;         /* training.seed */
    sg_mode mode;
    bool overlap;                /* overlapped junction cycles (docs/schedule.md): hand-over gap 2 instead of 1 */

    /* Where each value was in the file, for errors found after parsing (patterns, plan). */
    struct {
        sg_loc name, layers, fanout, z, activation, format, width, frac, input, bits, features, classes;
        sg_loc learning_rate, shift, schedule, lr_fixed, connectivity, family, sweep_shuffle, start_shuffle;
        sg_loc memory_dither, zero_start, conn_seed, init_seed, training, mode;
        sg_loc layer[SG_MAX_J + 1], fanout_j[SG_MAX_J], z_j[SG_MAX_J], act_j[SG_MAX_J];
        /* Added: the top-level mapping (line 1 for an empty file), init, training.shuffle, training.seed. */
        sg_loc root, init, train_shuffle, train_seed;
        /* Added: the top-level key overlap. */
        sg_loc overlap;
    } at;
} sg_spec;

/* Reads and validates a spec file (docs/spec.md). Every error is reported through d (FILE:LINE:COL: error: ...),
 * all of them in one run; warnings too. Returns true when there was no error. On false, *s is unspecified.
 * A location that is absent from the file (a key left to its default) is set to the location of the enclosing
 * key, or of the top-level mapping. When d->file is NULL it is set to path, so that messages carry locations. */
bool spec_load(const char *path, sg_spec *s, sg_diag *d);
/* The same from a buffer (tests, fuzzing); path is used in messages only. */
bool spec_parse(const char *path, const char *text, size_t len, sg_spec *s, sg_diag *d);

/* Learning-rate shift in effect for a 1-based epoch. */
int spec_shift_for_epoch(const sg_spec *s, int epoch);
const char *spec_act_name(sg_act a);
const char *spec_family_name(sg_family f);

/* The smallest parallelism z >= lo that the spec rules allow for a junction with p left neurons and fan-in din
 * (z divides p, and din divides z or z divides din; din == 0: only z | p), 0 when there is none. (Added.) */
uint32_t spec_smallest_z(uint32_t p, uint32_t din, uint32_t lo);

/* The hand-over gap g of the junction-cycle schedule (docs/schedule.md): 1, or 2 with overlapped junction cycles.
 * Junction j runs its FF on the sample that entered g*j cycles ago and its BP/UP on the one that entered
 * g*(2J - j + 1) cycles ago. */
static inline uint32_t sg_gap(const sg_spec *s) { return s->overlap ? 2u : 1u; }

/* Derived sizes of junction j (1-based). */
static inline uint32_t spec_p(const sg_spec *s, int j) { return s->layers[j - 1]; }
static inline uint32_t spec_n(const sg_spec *s, int j) { return s->layers[j]; }
static inline uint32_t spec_W(const sg_spec *s, int j) { return s->layers[j - 1] * s->fanout[j - 1]; }
static inline uint32_t spec_din(const sg_spec *s, int j) { return spec_W(s, j) / s->layers[j]; }

#endif
