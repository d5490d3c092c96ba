/* pattern.h: clash-free connection patterns (interleavers), their checker and their statistics.
 * Notation as in docs/patterns.md: edge i, clock c = i / z, lane k = i % z, sweep s = c / P, step u = c % P,
 * left(i) = row_s(u, k) * z + bank_s(k), right(i) = i / d_in. */
#ifndef SG_PATTERN_H
#define SG_PATTERN_H

#include "spec.h"

typedef struct {
    int j;                   /* junction, 1-based */
    uint32_t p, n, dout, din, z, W, C, P;
    uint32_t *left;          /* [W] left neuron of edge i (natural order) */
    /* The generating tables, for the RTL's address generators: */
    uint32_t *start;         /* type2/type3: [dout][z] start row of lane k in sweep s; NULL for type1 */
    uint32_t *rows;          /* type1: [dout][z][P] row of lane k at step u of sweep s; NULL otherwise */
    uint32_t *bank;          /* [dout][z] memory of lane k in sweep s (identity without memory dither) */
    int attempt;             /* re-draw attempt that succeeded (0 = first draw), docs/prng.md */
    bool random;             /* added: family random (not clash-free, no tables: start, rows, bank NULL) */
} sg_pattern;

/* What the checker found; pat_check fills every field. */
typedef struct {
    bool clash_free;          /* every clock's z left neurons lie in z different memories */
    uint64_t repeated_edges;  /* (left, right) pairs that occur more than once */
    uint32_t min_fanin, max_fanin, min_fanout, max_fanout;
    uint32_t padding_only;    /* right neurons whose edges all come from padding (left >= features) */
    uint32_t hazard_distance; /* shortest clock distance between two accesses to one (memory, row); UINT32_MAX if none */
    double scatter_fwd, scatter_bwd, scatter; /* docs/patterns.md; NaN when not defined */
    /* Added: */
    uint64_t out_of_range;    /* edges whose left neuron is >= p (a corrupt pattern; other counts skip them) */
    uint32_t scatter_win_fwd; /* windows of left neurons used by the forward scatter */
    uint32_t scatter_win_bwd; /* windows of right neurons used by the backward scatter */
    bool scatter_2d;          /* forward windows are 4 x 4 tiles of a 28 x 28 image */
} sg_pattern_stats;

/* Generates the pattern of junction j of spec s (docs/patterns.md). Repeated edges and hazard violations are
 * avoided sweep by sweep (boundary repairs); a draw that leaves right neurons seeing only padding (junction 1, see
 * pat_features) is re-drawn (at most 200 attempts, deterministic streams); an unavoidable failure is reported as
 * a spec error at the most relevant key (connectivity, zero_start, z) and the result is false.
 * The delta read-modify-write distance required (when pat_hazard_applies) is SG_DELTA_RMW_DISTANCE of plan.h.
 * On false, *out holds no memory (pat_free is harmless). */
bool pat_generate(const sg_spec *s, int j, sg_pattern *out, sg_diag *d);
/* Added: the same with an explicit delta read-modify-write distance (used only when pat_hazard_applies; 0 or 1 =
 * no constraint) and, when st is not NULL, the full pat_check statistics of the pattern returned. */
bool pat_generate_ex(const sg_spec *s, int j, uint32_t rmw_distance, sg_pattern *out, sg_pattern_stats *st,
                     sg_diag *d);
/* Added: real (non-padding) left neurons of junction j: input.features for j = 1, p otherwise. */
uint32_t pat_features(const sg_spec *s, int j);
/* Added: the delta read-modify-write hazard rule applies to junctions j >= 2 in train mode (BP exists). */
bool pat_hazard_applies(const sg_spec *s, int j);
/* Added: the RNG stream of re-draw attempt t of junction j (docs/prng.md): j + 1000 t. */
uint64_t pat_stream(int j, int attempt);
void pat_free(sg_pattern *pt);
/* Checks a pattern: every property in sg_pattern_stats, computed from left[] alone (not from the tables).
 * features as for pat_generate. Scatter uses 2-D 4 x 4 windows when the left layer's features form a 28 x 28 image
 * (junction 1 with features == 784), 1-D windows otherwise (docs/patterns.md). */
void pat_check(const sg_pattern *pt, uint32_t features, sg_pattern_stats *st);
/* True when the pattern meets every rule: clash-free (not required of a random pattern), exact degrees, no repeated edge, no padding-only neuron,
 * no out-of-range left neuron, hazard distance >= rmw_distance (not required of a random pattern). Pass rmw_distance 0 where the hazard rule does not
 * apply (pat_hazard_applies). Prints each broken rule through d (at loc) when d is not NULL. */
bool pat_ok(const sg_pattern *pt, const sg_pattern_stats *st, uint32_t rmw_distance, sg_diag *d, sg_loc loc);
/* Identity of a pattern (hash of left[]), recorded in weight files. */
uint64_t pat_hash(const sg_pattern *pt);

/* Output of `sparsegen patterns`. */
bool pat_write_csv(const sg_pattern *pt, FILE *f);
bool pat_write_png(const sg_pattern *pt, FILE *f);
/* Added: the PNG's downsampling factor: 1 when p and n are both <= 1024, else ceil(max(p, n) / 1024). */
uint32_t pat_png_factor(const sg_pattern *pt);

#endif
