/* plan.h: the hardware plan of a valid spec: sizes, clocks, multipliers, memories, latencies.
 * The numbers here are the ones the RTL generator builds and the hardware achieves; docs/hardware.md explains
 * each. The arithmetic latency and the delta read-modify-write distance are defined here and nowhere else. */
#ifndef SG_PLAN_H
#define SG_PLAN_H

#include "spec.h"

/* Pipeline depth of one junction, in clocks from the issue of an edge (the edge counter) to the last memory write
 * that edge causes (templates/sg_junction.v, docs/hardware.md section 3): issue, address generation, memory read,
 * left data registered, product over two clocks, round and saturate, adder tree one level per clock (depth ceil(log2(min(z, d_in)))),
 * accumulate with the bias, saturate and table index, activation table, write: exactly SG_LAT_BASE + depth. */
#define SG_LAT_BASE 10
/* The latency of a junction that back-propagates (training, j >= 2) without overlapped cycles is at least this: its
 * delta contributions are written at stage SBV + 2 = 10 of an edge (sg_junction's SBV = 8, then the delta memory's
 * read and its registered data), and junction j - 1 reads that memory one clock ahead of its stage 0, i.e. in the
 * first clock of the next cycle, so the last write must land one clock before the cycle ends (with overlapped
 * cycles the copy is read two cycles later). It matters only when the adder tree is empty (min(z, d_in) = 1). */
#define SG_LAT_BP 11
/* Minimum number of clocks between two accesses of one delta-memory row by the BP read-modify-write for the result
 * to be exact. The delta accumulator forwards its last write to a read of the same row in the next clock, so a
 * row may be revisited in any later clock: 1. A larger value would make the hazard rule (plan_check_hazard)
 * reject patterns whose revisit distance is shorter. */
#define SG_DELTA_RMW_DISTANCE 1

/* Copies of the memories the junction-cycle schedule rotates (docs/schedule.md "Storage this implies"), for J
 * junctions and hand-over gap g (sg_gap: 1, or 2 with overlapped junction cycles). Used by the plan and by the RTL
 * generator, so that both count the same copies. */
/* Activations of layer h, 0 <= h < J: written in t + g*h, last read by the UP of junction h + 1 in t + g(2J - h):
 * g*2(J - h) + 1 copies in training; inference: written in t + g*h, read by the FF of junction h + 1 in
 * t + g(h + 1): g + 1 copies. g = 1: 2(J - h) + 1 and 2 (ping-pong). */
static inline uint32_t sg_act_copies(int J, int h, uint32_t g, bool train)
{
    return train ? g * 2u * (uint32_t)(J - h) + 1u : g + 1u;
}
/* Layer 0 (the input) keeps its two read copies (FF and UP) in one RAM per bank, two values wide (sg_layer_mem
 * PAIR), when training with overlapped cycles (g = 2: the UP copy is then always g + 1 copies after the FF copy and
 * every value is written twice, one clock apart) and the input beats can come every other clock and still end
 * before the cycle's last clock (gen/plan.c input_clocks): 2 (P - 1) <= cycle clocks - 2, P = beats per sample (the
 * controller's BSTEP = 2). */
static inline bool sg_l0_paired(bool train, uint32_t g, uint32_t P, uint32_t cycle_clocks)
{
    return train && g == 2u && 2u * P <= cycle_clocks;
}
/* Derivatives of layer h, 1 <= h < J (training): written in t + g*h, last read by the BP/UP of junction h in
 * t + g(2J - h + 1): g(2J - 2h + 1) + 1 copies. g = 1: 2(J - h) + 2. */
static inline uint32_t sg_deriv_copies(int J, int h, uint32_t g)
{
    return g * (2u * (uint32_t)J - 2u * (uint32_t)h + 1u) + 1u;
}
/* BP sums (deltas) of layer h, 1 <= h < J, written in t + g(2J - h), read in t + g(2J - h + 1); and the output
 * deltas of layer J, written in t + gJ, read in t + g(J + 1): g + 1 copies. g = 1: 2 (ping-pong). */
static inline uint32_t sg_delta_copies(uint32_t g) { return g + 1u; }

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
    /* The FF and UP products multiply by the left activation a, whose real range is narrower than w bits: a =
     * x * 2^a_shift with 0 <= x < 2^a_bits (junction 1: the input conversion; sigmoid: [0, ONE]; relu: [0, MAX]).
     * Operand widths of each product (two's complement, sign bit included): FF and UP w x (a_bits + 1), BP and
     * other w x w. */
    uint32_t a_bits, a_shift;
    /* Products built on DSP blocks (plan_assign_dsp); the rest are logic multipliers. Lanes 0 .. dsp_* - 1 of a
     * phase; other: the q delta scalings first, then the q derivatives. */
    uint32_t dsp_ff, dsp_bp, dsp_up, dsp_other;
    uint32_t ff_acc_width, bp_acc_width; /* exact accumulator widths (docs/arithmetic.md §10) */
} sg_plan_junction;

#define SG_MAX_MEMS (8 * SG_MAX_J + 8)
#define SG_MAX_ROMS (4 * SG_MAX_J)

typedef struct {
    const sg_spec *spec;
    int J;
    sg_plan_junction j[SG_MAX_J]; /* index j - 1 */
    uint32_t gap;                 /* hand-over gap g (sg_gap): 1, or 2 with overlapped junction cycles */
    uint32_t cycle_clocks;        /* clocks per junction cycle: max_j (C_j + latency_j); overlapped:
                                   * max_j max(C_j, latency_j + 1); at least P_1 + 1 (the input beats) */
    uint32_t clocks_per_train_sample;  /* steady state: cycle_clocks */
    uint32_t clocks_per_infer_sample;  /* steady state, inference: cycle_clocks of the FF-only pipeline */
    uint32_t train_latency_cycles;     /* 2gJ + 1 */
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
    int64_t dsp_budget;                /* DSP blocks available to the products (-1: unlimited) */
    uint32_t multipliers_dsp;          /* products on DSP blocks (sum of the junctions' dsp_*) */
    uint32_t multipliers_logic;        /* multipliers - multipliers_dsp */
    /* Added. */
    uint32_t infer_latency_cycles;     /* gJ: cycles from a sample's entry to its prediction (both modes) */
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
/* Assigns the products to DSP blocks, at most budget of them (budget < 0: all): the widest products first (product
 * width = the sum of the operand widths; ties: lower junction, then FF, BP, UP, other), whole phases or their first
 * lanes. plan_build calls it with -1 (every product on a DSP block). */
void plan_assign_dsp(sg_plan *pl, int64_t budget);
/* `sparsegen check` output. */
void plan_print_text(const sg_plan *pl, FILE *out);
/* JSON object with the same numbers (caller owns the jansson reference). */
struct json_t;
struct json_t *plan_to_json(const sg_plan *pl);

#endif
