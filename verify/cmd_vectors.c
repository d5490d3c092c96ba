/* cmd_vectors.c: `sparsegen vectors SPEC --data DIR|random -n N -o DIR`: stimulus and golden-model results for the
 * generated testbench (tb/tb_sparsegen.v), as $readmemh files. The golden model runs the pipelined schedule (the
 * samples back to back, then a flush) or, with --schedule sequential, one sample at a time (the testbench then
 * flushes after every sample) (docs/schedule.md). File formats: docs/interface.md, "Test vectors". */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "../gen/cli.h"
#include "../gen/rng.h"
#include "../gen/rtl.h"
#include "idx.h"
#include "model.h"

#define NSTALL 4096

static void usage(FILE *f)
{
    fprintf(f, "Usage: sparsegen vectors SPEC --data DIR|random -n N -o DIR [--seed S] [--stalls] [--weights FILE]\n"
               "                        [--schedule pipelined|sequential]\n\n"
               "Runs the golden model (pipelined schedule: N samples back to back, then a flush) and writes the\n"
               "testbench's stimulus and expected results into DIR (all or nothing): vectors.vh, in_beats.hex,\n"
               "in_meta.hex, exp_act.hex, exp_pred.hex, exp_w.hex, exp_b.hex, stalls.hex (docs/interface.md).\n\n"
               "Options:\n"
               "  --data DIR      the first N samples of DIR/train-images-idx3-ubyte[.gz] (IDX, see train), all\n"
               "                  training samples with the spec's learning-rate shift\n"
               "  --data random   random inputs and labels from --seed (PRNG stream 0); one sample in 8 on average\n"
               "                  is an evaluation sample (no update), one in 4 uses the spec's shift + 1 (not\n"
               "                  with learning_rate.fixed: true)\n"
               "  -n N            samples, 1..1000000 (required)\n"
               "  -o DIR          output folder (required)\n"
               "  --seed S        seed of the random data and of the stall patterns (default 1)\n"
               "  --stalls        seeded random valid/ready stalls on both streams (PRNG stream 1)\n"
               "  --weights FILE  initial weights from a weight file (must match `sparsegen rtl --weights`)\n"
               "  --schedule S    pipelined (default) or sequential: the golden model runs one sample at a time\n"
               "                  (FF, BP and UP of a sample before the next one enters) and vectors.vh tells the\n"
               "                  testbench to request a flush after every sample, so the hardware does the same\n"
               "  -h, --help      print this help\n\n"
               "Exit status: 0 written, 1 bad spec, data or output folder, 2 usage error.\n");
}

typedef struct {
    uint32_t n, nout, q, w;
    int *pred;
    int64_t *act; /* [n][nout] */
    uint8_t *seen;
    bool bad;
} results;

static void on_result(void *ctx, const sg_result *r)
{
    results *rs = ctx;
    if (r->id < 0 || (uint32_t)r->id >= rs->n || rs->seen[r->id]) {
        rs->bad = true;
        return;
    }
    rs->seen[r->id] = 1;
    rs->pred[r->id] = r->prediction;
    memcpy(rs->act + (size_t)r->id * rs->nout, r->act, rs->nout * sizeof *r->act);
}

static void hex_line(FILE *f, const uint64_t *vals, uint32_t count, uint32_t width)
{
    /* count values of width bits, value 0 in the low bits */
    uint32_t bits = count * width, nd = (bits + 3) / 4;
    static const char dig[] = "0123456789abcdef";
    for (uint32_t d = nd; d-- > 0;) {
        unsigned nib = 0;
        for (uint32_t b = 0; b < 4; b++) {
            uint32_t bit = d * 4 + b;
            if (bit >= bits) break;
            if ((vals[bit / width] >> (bit % width)) & 1) nib |= 1u << b;
        }
        fputc(dig[nib], f);
    }
    fputc('\n', f);
}

static uint64_t code(int64_t v, int w) { return (uint64_t)v & (((uint64_t)1 << w) - 1); }

int cmd_vectors(int argc, char **argv)
{
    const char *path = NULL, *out = NULL, *data = NULL, *weights = NULL;
    uint64_t n = 0, seed = 1;
    bool stalls = false, options = true, seq = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
            usage(stdout);
            return SG_EXIT_OK;
        } else if (options && !strcmp(a, "--stalls")) {
            stalls = true;
        } else if (options && (!strcmp(a, "-o") || !strcmp(a, "--data") || !strcmp(a, "-n") || !strcmp(a, "--seed") ||
                               !strcmp(a, "--weights") || !strcmp(a, "--schedule"))) {
            if (i + 1 >= argc) return cli_usage_error("vectors", "option '%s' needs a value", a);
            const char *v = argv[++i];
            if (!strcmp(a, "-o")) out = v;
            else if (!strcmp(a, "--data")) data = v;
            else if (!strcmp(a, "--weights")) weights = v;
            else if (!strcmp(a, "--schedule")) {
                if (!strcmp(v, "sequential")) seq = true;
                else if (!strcmp(v, "pipelined")) seq = false;
                else return cli_usage_error("vectors", "--schedule must be pipelined or sequential (got '%s')", v);
            }
            else if (!strcmp(a, "-n")) {
                if (!cli_parse_u64(v, 1, 1000000, &n))
                    return cli_usage_error("vectors", "-n must be an integer from 1 to 1000000 (got '%s')", v);
            } else if (!cli_parse_u64(v, 0, UINT64_MAX, &seed)) {
                return cli_usage_error("vectors", "--seed must be an unsigned 64-bit integer (got '%s')", v);
            }
        } else if (options && !strcmp(a, "--")) {
            options = false;
        } else if (options && a[0] == '-' && a[1]) {
            return cli_usage_error("vectors", "unknown option '%s'", a);
        } else if (path) {
            return cli_usage_error("vectors", "one SPEC only (got '%s' and '%s')", path, a);
        } else {
            path = a;
        }
    }
    if (!path) return cli_usage_error("vectors", "missing SPEC");
    if (!data) return cli_usage_error("vectors", "missing --data DIR|random");
    if (!n) return cli_usage_error("vectors", "missing -n N");
    if (!out) return cli_usage_error("vectors", "missing -o DIR");

    sg_rtl_input in;
    int status = SG_EXIT_BAD_INPUT;
    sg_dataset ds = { 0 };
    uint16_t *x = NULL;
    sg_sample *smp = NULL;
    results rs = { 0 };
    sg_outdir *od = NULL;
    if (!rtl_load(path, weights, &in)) goto done;
    const sg_spec *s = in.spec;
    const sg_plan *pl = in.plan;
    uint32_t p0 = s->layers[0], z1 = pl->j[0].z, beats = pl->j[0].P, B = (uint32_t)s->input_bits;
    uint32_t nout = s->layers[s->J], qJ = pl->j[s->J - 1].q, W = (uint32_t)s->width;
    x = xcalloc((size_t)n * p0, sizeof *x);
    smp = xcalloc((size_t)n, sizeof *smp);
    int shift0 = spec_shift_for_epoch(s, 1);
    if (!strcmp(data, "random")) {
        sg_rng rng;
        rng_init(&rng, seed, 0);
        for (uint64_t i = 0; i < n; i++) {
            for (uint32_t k = 0; k < s->features; k++) x[i * p0 + k] = (uint16_t)rng_below(&rng, 1u << B);
            smp[i].label = (int)rng_below(&rng, s->classes);
            smp[i].update = rng_below(&rng, 8) != 0;
            /* (a learning rate built into the hardware, learning_rate.fixed, takes one shift only; the draw is
             * made either way, so that the data and labels do not depend on it) */
            smp[i].shift = shift0 + (rng_below(&rng, 4) == 0 && !s->lr_fixed ? 1 : 0);
            if (smp[i].shift > 30) smp[i].shift = 30;
        }
    } else {
        if (!idx_load(data, "train", (uint32_t)n, &ds)) goto done;
        if (ds.count < n) {
            diag_fail("'%s' has %u training samples, fewer than -n %llu", data, ds.count, (unsigned long long)n);
            goto done;
        }
        if (ds.rows * ds.cols != s->features) {
            diag_fail("'%s' has %u values per sample but the spec has %u input features", data, ds.rows * ds.cols,
                      s->features);
            goto done;
        }
        for (uint64_t i = 0; i < n; i++) {
            for (uint32_t k = 0; k < s->features; k++) {
                uint32_t pix = ds.pixels[i * s->features + k];
                x[i * p0 + k] = (uint16_t)(B < 8 ? pix >> (8 - B) : pix << (B - 8));
            }
            if (ds.labels[i] >= s->classes) {
                diag_fail("'%s': sample %llu has label %u but the spec has %u classes", data, (unsigned long long)i,
                          ds.labels[i], s->classes);
                goto done;
            }
            smp[i].label = ds.labels[i];
            smp[i].update = true;
            smp[i].shift = shift0;
        }
    }
    for (uint64_t i = 0; i < n; i++) {
        smp[i].x = x + i * p0;
        smp[i].id = (long)i;
        if (s->mode == SG_MODE_INFER) smp[i].update = false;
    }

    rs.n = (uint32_t)n;
    rs.nout = nout;
    rs.pred = xcalloc(n, sizeof *rs.pred);
    rs.act = xcalloc((size_t)n * nout, sizeof *rs.act);
    rs.seen = xcalloc(n, 1);
    if (seq) {
        /* one sample at a time; equal, bit for bit, to the pipelined schedule with a flush (2gJ empty slots; g = 2
         * with overlapped junction cycles) after every sample, which is what the testbench asks of the hardware
         * (docs/schedule.md) */
        for (uint64_t i = 0; i < n; i++) model_sequential(in.model, &smp[i], on_result, &rs);
    } else {
        for (uint64_t i = 0; i < n; i++) model_cycle(in.model, &smp[i], on_result, &rs);
        model_flush(in.model, on_result, &rs);
    }
    for (uint64_t i = 0; i < n; i++)
        if (!rs.seen[i]) rs.bad = true;
    if (rs.bad) {
        diag_fail("internal: the golden model did not return exactly one result per sample");
        goto done;
    }

    sg_rtl r;
    rtl_from_input(&r, &in);
    char *cmd = rtl_command_line("sparsegen", argc, argv);
    r.command = cmd;
    od = od_open(out, "vectors");
    if (!od) {
        free(cmd);
        goto done;
    }
    bool ok = true;
    FILE *f;
    uint64_t *vals = xcalloc(z1 > qJ ? z1 : qJ, sizeof *vals);
    uint64_t tw = 0, tb = 0;
    for (int j = 1; j <= s->J; j++) {
        tw += pl->j[j - 1].W;
        tb += pl->j[j - 1].n;
    }
    if (ok && (ok = (f = od_file(od, "vectors.vh")) != NULL)) {
        rtl_banner(f, &r, "//", "test vectors: sizes (included by tb/tb_sparsegen.v)");
        fprintf(f, "localparam NSAMP = %llu;\nlocalparam STALLS = %d;\nlocalparam NSTALL = %d;\n",
                (unsigned long long)n, stalls, NSTALL);
        fprintf(f, "// SEQ = 1: sequential schedule, the testbench requests a flush after every sample\n"
                   "localparam SEQ = %d;\n", seq);
        fprintf(f, "localparam V_Z1 = %u;\nlocalparam V_BEATS = %u;\nlocalparam V_QJ = %u;\nlocalparam V_NJ = %u;\n", z1,
                beats, qJ, nout);
        fprintf(f, "localparam V_TOTAL_W = %llu;\nlocalparam V_TOTAL_B = %llu;\n", (unsigned long long)tw,
                (unsigned long long)tb);
        ok = od_close(od, f);
    }
    if (ok && (ok = (f = od_file(od, "in_beats.hex")) != NULL)) {
        rtl_banner(f, &r, "//", "input beats: one line per beat, value k at bits k*B (input neuron beat*z1 + k)");
        for (uint64_t i = 0; i < n; i++)
            for (uint32_t b = 0; b < beats; b++) {
                for (uint32_t k = 0; k < z1; k++) vals[k] = x[i * p0 + b * z1 + k];
                hex_line(f, vals, z1, B);
            }
        ok = od_close(od, f);
    }
    if (ok && (ok = (f = od_file(od, "in_meta.hex")) != NULL)) {
        rtl_banner(f, &r, "//", "per sample: label at bits 15:0, shift at 20:16, update at 24");
        for (uint64_t i = 0; i < n; i++)
            fprintf(f, "%08x\n", (unsigned)smp[i].label | (unsigned)smp[i].shift << 16 | (unsigned)smp[i].update << 24);
        ok = od_close(od, f);
    }
    if (ok && (ok = (f = od_file(od, "exp_act.hex")) != NULL)) {
        rtl_banner(f, &r, "//", "expected result beats: output activations, neuron beat*q + g at bits g*w");
        for (uint64_t i = 0; i < n; i++)
            for (uint32_t b = 0; b < nout / qJ; b++) {
                for (uint32_t g = 0; g < qJ; g++) vals[g] = code(rs.act[i * nout + b * qJ + g], (int)W);
                hex_line(f, vals, qJ, W);
            }
        ok = od_close(od, f);
    }
    if (ok && (ok = (f = od_file(od, "exp_pred.hex")) != NULL)) {
        rtl_banner(f, &r, "//", "expected predictions, one per sample");
        for (uint64_t i = 0; i < n; i++) fprintf(f, "%04x\n", (unsigned)rs.pred[i]);
        ok = od_close(od, f);
    }
    if (ok && (ok = (f = od_file(od, "exp_w.hex")) != NULL)) {
        rtl_banner(f, &r, "//", "expected weights after the flush: junction 1 first, natural edge order");
        for (int j = 1; j <= s->J; j++) {
            const int32_t *w = model_weights(in.model, j);
            for (uint32_t e = 0; e < pl->j[j - 1].W; e++) fprintf(f, "%04llx\n", (unsigned long long)code(w[e], (int)W));
        }
        ok = od_close(od, f);
    }
    if (ok && (ok = (f = od_file(od, "exp_b.hex")) != NULL)) {
        rtl_banner(f, &r, "//", "expected biases after the flush: junction 1 first");
        for (int j = 1; j <= s->J; j++) {
            const int32_t *b = model_biases(in.model, j);
            for (uint32_t e = 0; e < pl->j[j - 1].n; e++) fprintf(f, "%04llx\n", (unsigned long long)code(b[e], (int)W));
        }
        ok = od_close(od, f);
    }
    if (ok && (ok = (f = od_file(od, "stalls.hex")) != NULL)) {
        rtl_banner(f, &r, "//", "stall pattern per clock: bit 0 = hold input valid, bit 1 = drop result ready");
        sg_rng rng;
        rng_init(&rng, seed, 1);
        for (int i = 0; i < NSTALL; i++) {
            unsigned v = 0;
            if (stalls) v = (rng_below(&rng, 10) < 3 ? 1u : 0u) | (rng_below(&rng, 10) < 3 ? 2u : 0u);
            fprintf(f, "%x\n", v);
        }
        ok = od_close(od, f);
    }
    free(vals);
    free(cmd);
    if (!ok) {
        od_abort(od);
        goto done;
    }
    if (!od_commit(od)) goto done;
    printf("sparsegen vectors: wrote %llu samples to %s\n", (unsigned long long)n, out);
    status = SG_EXIT_OK;
done:
    free(rs.pred);
    free(rs.act);
    free(rs.seen);
    free(x);
    free(smp);
    if (ds.pixels || ds.labels) idx_free(&ds);
    rtl_unload(&in);
    return status;
}

/* The help text for the command table (gen/cli.c). */
void cli_help_vectors(FILE *f)
{
    usage(f);
}
