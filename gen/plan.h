/* plan.h: the hardware plan of a valid spec: sizes, clocks, multipliers, memories, latencies.
 * The numbers here are the ones the RTL generator builds and the hardware achieves; docs/hardware.md explains
 * each. The arithmetic latency and the delta read-modify-write distance are defined here and nowhere else. */
#ifndef SG_PLAN_H
#define SG_PLAN_H

#include "spec.h"

/* Pipeline depth of one junction, in clocks from the issue of an edge (the edge counter) to the last memory write
 * that edge causes: address generation, memory read, multiply, round and saturate, adder tree (depth
 * ceil(log2(min(z, d_in)))), accumulate and bias, saturate, activation table, write. */
#define SG_LAT_BASE 8
/* Minimum number of clocks between two accesses of one delta-memory row by the BP read-modify-write for the result
 * to be exact. The delta accumulator forwards its last write to a read of the same row in the next clock, so a
 * row may be revisited in any later clock: 1. A larger value would make the hazard rule (plan_check_hazard)
 * reject patterns whose revisit distance is shorter. */
#define SG_DELTA_RMW_DISTANCE 1

typedef struct {
    const char *what;   /* RAMs: "activations", "derivatives", "deltas", "output deltas", "weights", "biases";
                         * ROMs: "start rows", "row table", "bank permutation", "inverse bank permutation",
                         * "sigmoid table" */
    int layer;          /* layer index for per-layer memories, junction index when per_junction */
    bool per_junction;  /* weights, biases and every ROM belong to a junction; the others to a layer */
    uint32_t banks, depth, width, copies; /* depth per copy; bits = banks * depth * width * copies */
    uint32_t ports;     /* identical physical copies kept for read ports (1 or 2) */
    uint64_t bits;      /* banks * depth * width * copies * ports */
} sg_mem;

typedef struct {
    uint32_t p, n, dout, din, W, z;
    uint32_t P;              /* p / z: rows per memory of the left layer */
    uint32_t C;              /* W / z: edge clocks per junction cycle */
    uint32_t q;              /* right neurons completed per clock: max(1, z / din) */
    uint32_t clocks_per_neuron; /* max(1, din / z) */
    uint32_t latency;        /* arithmetic latency (SG_LAT_BASE + adder tree depth) */
    double density;          /* dout / n */
    uint32_t mul_ff, mul_bp, mul_up, mul_other; /* multipliers per phase; other = derivative and delta scaling */
    uint32_t ff_acc_width, bp_acc_width; /* exact accumulator widths (docs/arithmetic.md §10) */
} sg_plan_junction;

#define SG_MAX_MEMS (8 * SG_MAX_J + 8)
#define SG_MAX_ROMS (4 * SG_MAX_J)

typedef struct {
    const sg_spec *spec;
    int J;
    sg_plan_junction j[SG_MAX_J]; /* index j - 1 */
    uint32_t cycle_clocks;        /* clocks per junction cycle = max_j (C_j + latency_j) */
    uint32_t clocks_per_train_sample;  /* steady state: cycle_clocks */
    uint32_t clocks_per_infer_sample;  /* steady state, inference: cycle_clocks of the FF-only pipeline */
    uint32_t train_latency_cycles;     /* 2J + 1 */
    uint32_t delta_rmw_distance;       /* SG_DELTA_RMW_DISTANCE */
    uint64_t params;                   /* weights + biases */
    uint64_t edges;
    double density;                    /* sum W / sum p n */
    double utilisation;                /* useful MAC clocks / available MAC clocks over one junction cycle */
    int n_mems;
    sg_mem mems[SG_MAX_MEMS];          /* RAMs (written at run time) */
    uint64_t memory_bits;              /* RAM bits: the sum of mems[].bits */
    int n_roms;
    sg_mem roms[SG_MAX_ROMS];          /* ROMs (contents fixed by the generator): pattern and sigmoid tables */
    uint64_t rom_bits;                 /* the sum of roms[].bits */
    uint32_t multipliers;
    /* Added. */
    uint32_t infer_latency_cycles;     /* J: cycles from a sample's entry to its prediction (both modes) */
    bool rmw_applies;                  /* the delta hazard rule applies: train mode and J >= 2 */
    bool rmw_checked;                  /* rmw_achieved was filled in from the patterns (cmd_check); false after
                                        * plan_build */
    uint32_t rmw_achieved;             /* shortest revisit distance over junctions j >= 2 (pat_check's
                                        * hazard_distance); UINT32_MAX when no row is revisited */
} sg_plan;

/* Builds the plan of a spec that spec_load accepted (docs/spec.md "What `check` reports"). Hardware rules that the
 * spec reader does not know (the total memory must fit 2^40 bits) are reported through d, and so is the warning for
 * unbalanced junctions. Returns false on error. */
bool plan_build(const sg_spec *s, sg_plan *pl, sg_diag *d);
/* `sparsegen check` output. */
void plan_print_text(const sg_plan *pl, FILE *out);
/* JSON object with the same numbers (caller owns the jansson reference). */
struct json_t;
struct json_t *plan_to_json(const sg_plan *pl);

#endif
