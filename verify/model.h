/* model.h: the golden model. `fixed` follows docs/arithmetic.md bit for bit; `float` is the double-precision
 * reference. Schedules (docs/schedule.md): pipelined junction cycles, or sequential SGD. */
#ifndef SG_MODEL_H
#define SG_MODEL_H

#include "../gen/pattern.h"
#include "../gen/spec.h"

typedef enum { SG_MODEL_FIXED, SG_MODEL_FLOAT } sg_model_kind;

typedef struct sg_model sg_model;

/* One sample offered to the model. x holds layers[0] unsigned input values of input.bits bits each (padding
 * included; callers put zeros there). */
typedef struct {
    const uint16_t *x;
    int label;       /* < classes */
    int shift;       /* learning-rate shift k, eta = 2^-k; 0 <= k <= 30 (anything else aborts: a caller bug) */
    bool update;     /* false: evaluation only (FF and prediction, no BP/UP) */
    long id;         /* caller's tag, handed back in the result */
} sg_sample;

/* A sample whose FF has finished (gJ cycles after it entered when pipelined; g = sg_gap: 1, or 2 with overlapped
 * junction cycles). Arrays valid during the callback. */
typedef struct {
    long id;
    int prediction;          /* argmax of the pre-activations of the first `classes` outputs, lowest index on ties */
    uint32_t n_out;          /* layers[J] */
    const int64_t *act;      /* fixed: output activations (codes); NULL for float */
    const int64_t *pre;      /* fixed: output pre-activations s; NULL for float */
    const double *actf;      /* float: output activations; NULL for fixed */
} sg_result;

typedef void (*sg_result_fn)(void *ctx, const sg_result *r);

/* pats: J patterns, pats[j - 1] for junction j; they must outlive the model (the spec is copied). Weights start at
 * the Glorot initialisation of docs/arithmetic.md §9 (seed init.seed), biases at 0. Returns NULL after a one-line
 * "internal:" error when the format is out of range or a pattern does not match the spec (sizes, left[] >= p). */
sg_model *model_new(const sg_spec *s, const sg_pattern *pats, sg_model_kind kind);
void model_free(sg_model *m);
sg_model_kind model_kind(const sg_model *m);

/* Pipelined schedule (docs/schedule.md, hand-over gap g = sg_gap of the spec): one junction cycle with this input
 * slot (NULL = empty slot). cb (may be NULL) is called for each sample whose FF completes in this cycle (at most
 * one: the sample that entered gJ cycles earlier), after the cycle's updates have been committed. */
void model_cycle(sg_model *m, const sg_sample *in, sg_result_fn cb, void *ctx);
/* The empty slots of a flush: 2gJ. */
int model_flush_cycles(const sg_model *m);
/* 2gJ empty slots: afterwards every update has landed and the pipeline is empty. */
void model_flush(sg_model *m, sg_result_fn cb, void *ctx);
/* Sequential schedule: the whole of one sample (FF, then BP/UP of junctions J..1). cb is called after the FF,
 * before the sample's own updates. */
void model_sequential(sg_model *m, const sg_sample *in, sg_result_fn cb, void *ctx);
/* FF only with the current weights, outside any pipeline (evaluation); returns the prediction. Must not be
 * called while samples are in flight in the pipeline (it would see weights in the middle of their updates; it uses
 * its own storage, so it does not disturb them). */
int model_predict(sg_model *m, const uint16_t *x);

/* Edge operations done so far (one FF, BP or UP of one edge counts one), for benchmarks. Counted per pass over a
 * junction (W_j per FF, BP or UP pass), as the hardware does them, also where the model skips work that cannot
 * change anything (UP/BP of a right neuron whose delta is 0). */
uint64_t model_edge_ops(const sg_model *m);

/* Parameters of junction j (1-based). Fixed: codes; float: values. Writable (for loading). */
/* Each returns NULL for the other kind or a junction outside 1..J. */
int32_t *model_weights(sg_model *m, int j);  /* fixed only: [W_j] codes, natural edge order */
int32_t *model_biases(sg_model *m, int j);   /* fixed only: [n_j] codes */
double *model_weightsf(sg_model *m, int j);  /* float only */
double *model_biasesf(sg_model *m, int j);   /* float only */

/* Weight files (docs/weights.md): the one format for initial and trained parameters, read by `train --load`,
 * written by `train --save`, and used by the RTL generator. Load checks the network (kind, format, layers,
 * fan-outs, activations) and the pattern hashes; any mismatch or corruption is a one-line error
 * ("sparsegen: error: FILE:LINE: ...") and false, leaving the model unchanged. Save writes a temporary file next to
 * path and renames it (nothing half-written); false after a one-line error. */
bool model_save(const sg_model *m, const char *path);
bool model_load(sg_model *m, const char *path);

#endif
