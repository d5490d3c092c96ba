/* cmd_train.c: `sparsegen train`: trains the golden model (verify/model.h) on an IDX dataset and reports
 * accuracies and speed. The choices made here are written down in docs/results.md ("The train command"). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../gen/cli.h"
#include "../gen/common.h"
#include "../gen/pattern.h"
#include "../gen/rng.h"
#include "../gen/spec.h"
#include "idx.h"
#include "model.h"

#define CMD "train"
#define MAX_EPOCHS 10000

typedef struct {
    const char *spec, *data, *report, *save, *load;
    uint64_t epochs;
    uint64_t limit_train, limit_test; /* 0 = all */
    sg_model_kind kind;
    bool sequential;
    bool eval;
    bool seen_epochs, seen_model, seen_schedule, seen_limit_train, seen_limit_test;
} options;

void cli_help_train(FILE *f)
{
    fprintf(f,
           "Usage: sparsegen train SPEC --data DIR [--epochs N] [--limit-train N] [--limit-test N]\n"
           "                 [--model fixed|float] [--schedule pipelined|sequential] [--report FILE.json]\n"
           "                 [--save FILE] [--load FILE] [--eval]\n"
           "\n"
           "Trains the golden model of the network described by SPEC on an IDX dataset (MNIST format) and reports\n"
           "training and test accuracy after every epoch. DIR holds train-images-idx3-ubyte, train-labels-idx1-ubyte,\n"
           "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each plain or .gz (the 'train-images.idx3-ubyte'\n"
           "spelling is accepted too).\n"
           "\n"
           "Options:\n"
           "  --data DIR              dataset folder (required)\n"
           "  --epochs N              epochs to train, 1..%d (default 1)\n"
           "  --limit-train N         use only the first N training samples (1..the number in the files)\n"
           "  --limit-test N          use only the first N test samples (1..the number in the files)\n"
           "  --model fixed|float     bit-exact fixed-point model (default) or the double-precision reference\n"
           "  --schedule pipelined|sequential\n"
           "                          the hardware's pipelined junction cycles (default) or plain one-sample SGD\n"
           "  --report FILE.json      write accuracies and speeds as JSON (written only when training succeeds)\n"
           "  --save FILE             write the trained weights (docs/weights.md) after training\n"
           "  --load FILE             start from these weights instead of the spec's initialisation\n"
           "  --eval                  no training: only measure the test accuracy of the initial or --load weights\n"
           "                          (the only choice for a spec with mode: infer)\n"
           "  -h, --help              print this help\n"
           "Every option that takes a value also accepts the form --option=VALUE.\n"
           "\n"
           "Sample order per epoch: dataset order, shuffled with PRNG stream (training.seed, epoch) when\n"
           "training.shuffle is true. The learning-rate shift of each epoch comes from the spec's learning_rate.\n"
           "The same spec, data and options give the same accuracies and the same saved weights.\n"
           "Exit status: 0 success, 1 bad input (spec, data, weight file), 2 usage error.\n",
           MAX_EPOCHS);
}

/* Matches "--name VALUE" and "--name=VALUE"; advances *i past the value. NULL value (with a usage error already
 * printed) is signalled through *bad. */
static bool opt_value(int argc, char **argv, int *i, const char *name, const char **value, bool *bad)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0) return false;
    if (a[n] == '=') {
        *value = a + n + 1;
        return true;
    }
    if (a[n] != 0) return false;
    if (*i + 1 >= argc) {
        cli_usage_error(CMD, "option %s needs a value", name);
        *bad = true;
        return true;
    }
    *value = argv[++*i];
    return true;
}

/* Returns -1 when the options are fine, else the exit status (0 after --help). */
static int parse_options(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->epochs = 1;
    o->kind = SG_MODEL_FIXED;
    bool only_positional = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        bool bad = false;
        if (only_positional || a[0] != '-' || !strcmp(a, "-")) {
            if (o->spec) return cli_usage_error(CMD, "more than one SPEC given ('%s' and '%s')", o->spec, a);
            o->spec = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_positional = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            cli_help_train(stdout);
            return SG_EXIT_OK;
        } else if (!strcmp(a, "--eval")) {
            o->eval = true;
        } else if (opt_value(argc, argv, &i, "--data", &v, &bad)) {
            if (bad) return SG_EXIT_USAGE;
            if (o->data) return cli_usage_error(CMD, "--data given twice");
            if (!*v) return cli_usage_error(CMD, "--data needs a folder name");
            o->data = v;
        } else if (opt_value(argc, argv, &i, "--epochs", &v, &bad)) {
            if (bad) return SG_EXIT_USAGE;
            if (o->seen_epochs) return cli_usage_error(CMD, "--epochs given twice");
            if (!cli_parse_u64(v, 1, MAX_EPOCHS, &o->epochs))
                return cli_usage_error(CMD, "--epochs must be an integer from 1 to %d, not '%s'", MAX_EPOCHS, v);
            o->seen_epochs = true;
        } else if (opt_value(argc, argv, &i, "--limit-train", &v, &bad)) {
            if (bad) return SG_EXIT_USAGE;
            if (o->seen_limit_train) return cli_usage_error(CMD, "--limit-train given twice");
            if (!cli_parse_u64(v, 1, UINT32_MAX, &o->limit_train))
                return cli_usage_error(CMD, "--limit-train must be a positive integer, not '%s'", v);
            o->seen_limit_train = true;
        } else if (opt_value(argc, argv, &i, "--limit-test", &v, &bad)) {
            if (bad) return SG_EXIT_USAGE;
            if (o->seen_limit_test) return cli_usage_error(CMD, "--limit-test given twice");
            if (!cli_parse_u64(v, 1, UINT32_MAX, &o->limit_test))
                return cli_usage_error(CMD, "--limit-test must be a positive integer, not '%s'", v);
            o->seen_limit_test = true;
        } else if (opt_value(argc, argv, &i, "--model", &v, &bad)) {
            if (bad) return SG_EXIT_USAGE;
            if (o->seen_model) return cli_usage_error(CMD, "--model given twice");
            if (!strcmp(v, "fixed"))
                o->kind = SG_MODEL_FIXED;
            else if (!strcmp(v, "float"))
                o->kind = SG_MODEL_FLOAT;
            else
                return cli_usage_error(CMD, "--model must be fixed or float, not '%s'", v);
            o->seen_model = true;
        } else if (opt_value(argc, argv, &i, "--schedule", &v, &bad)) {
            if (bad) return SG_EXIT_USAGE;
            if (o->seen_schedule) return cli_usage_error(CMD, "--schedule given twice");
            if (!strcmp(v, "pipelined"))
                o->sequential = false;
            else if (!strcmp(v, "sequential"))
                o->sequential = true;
            else
                return cli_usage_error(CMD, "--schedule must be pipelined or sequential, not '%s'", v);
            o->seen_schedule = true;
        } else if (opt_value(argc, argv, &i, "--report", &v, &bad)) {
            if (bad) return SG_EXIT_USAGE;
            if (o->report) return cli_usage_error(CMD, "--report given twice");
            if (!*v) return cli_usage_error(CMD, "--report needs a file name");
            o->report = v;
        } else if (opt_value(argc, argv, &i, "--save", &v, &bad)) {
            if (bad) return SG_EXIT_USAGE;
            if (o->save) return cli_usage_error(CMD, "--save given twice");
            if (!*v) return cli_usage_error(CMD, "--save needs a file name");
            o->save = v;
        } else if (opt_value(argc, argv, &i, "--load", &v, &bad)) {
            if (bad) return SG_EXIT_USAGE;
            if (o->load) return cli_usage_error(CMD, "--load given twice");
            if (!*v) return cli_usage_error(CMD, "--load needs a file name");
            o->load = v;
        } else {
            return cli_usage_error(CMD, "unknown option '%s'", a);
        }
    }
    if (!o->spec) return cli_usage_error(CMD, "missing SPEC (the network's YAML file)");
    if (!o->data) return cli_usage_error(CMD, "missing --data DIR (the dataset folder)");
    if (o->eval) {
        if (o->seen_epochs) return cli_usage_error(CMD, "--eval does not train: --epochs makes no sense with it");
        if (o->seen_limit_train) return cli_usage_error(CMD, "--eval does not train: --limit-train makes no sense with it");
        if (o->seen_schedule) return cli_usage_error(CMD, "--eval does not train: --schedule makes no sense with it");
        if (o->save) return cli_usage_error(CMD, "--eval does not train: --save makes no sense with it");
    }
    if (o->report && o->save && !strcmp(o->report, o->save))
        return cli_usage_error(CMD, "--report and --save name the same file '%s'", o->report);
    return -1;
}

/* ---- helpers ---- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Checks that FILE can be created: its folder exists and is writable, and FILE is not a folder. */
static bool writable(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        diag_fail("cannot write '%s': it is a folder", path);
        return false;
    }
    const char *slash = strrchr(path, '/');
    char *dir = slash ? xstrdup(path) : xstrdup(".");
    if (slash) dir[slash == path ? 1 : slash - path] = 0;
    bool ok = true;
    if (stat(dir, &st) != 0) {
        diag_fail("cannot write '%s': %s", path, strerror(errno));
        ok = false;
    } else if (!S_ISDIR(st.st_mode)) {
        diag_fail("cannot write '%s': '%s' is not a folder", path, dir);
        ok = false;
    } else if (access(dir, W_OK | X_OK) != 0) {
        diag_fail("cannot write '%s': %s", path, strerror(errno));
        ok = false;
    }
    free(dir);
    return ok;
}

/* Data checks against the spec. which = "training" or "test". */
static bool check_data(const sg_spec *s, const sg_dataset *ds, const char *dir, const char *which)
{
    uint64_t values = (uint64_t)ds->rows * ds->cols;
    if (values != s->features) {
        diag_fail("%s: the %s images have %" PRIu32 " x %" PRIu32 " = %" PRIu64 " values per sample but the spec "
                  "'%s' has input.features %" PRIu32,
                  dir, which, ds->rows, ds->cols, values, s->path, s->features);
        return false;
    }
    for (uint32_t i = 0; i < ds->count; i++)
        if (ds->labels[i] >= s->classes) {
            diag_fail("%s: %s sample %" PRIu32 " has label %u but the spec '%s' has %" PRIu32
                      " classes (labels 0 to %" PRIu32 ")",
                      dir, which, i, ds->labels[i], s->path, s->classes, s->classes - 1);
            return false;
        }
    return true;
}

/* 8-bit pixel to an input value of B bits (docs/arithmetic.md §3). */
static uint16_t pixel_to_input(uint8_t p, int B)
{
    if (B < 8) return (uint16_t)(p >> (8 - B));
    return (uint16_t)((unsigned)p << (B - 8));
}

typedef struct {
    const sg_dataset *ds;
    uint16_t lut[256];
    uint32_t n0; /* layers[0]; entries features..n0-1 stay zero */
} inputs;

static void fill_input(const inputs *in, uint32_t sample, uint16_t *x)
{
    size_t per = (size_t)in->ds->rows * in->ds->cols;
    const uint8_t *p = in->ds->pixels + (size_t)sample * per;
    for (size_t i = 0; i < per; i++) x[i] = in->lut[p[i]];
}

/* ---- progress bar (only when stdout is a terminal) ---- */

typedef struct {
    bool on;
    const char *what;
    uint32_t total;
    int last;         /* last permille printed, -1 = nothing on the line */
    double last_time; /* when it was printed */
} progress;

static void progress_start(progress *pg, bool on, const char *what, uint32_t total)
{
    pg->on = on;
    pg->what = what;
    pg->total = total;
    pg->last = -1;
    pg->last_time = 0;
}

static void progress_update(progress *pg, uint32_t done)
{
    if (!pg->on || pg->total == 0) return;
    int pm = (int)((uint64_t)done * 1000 / pg->total);
    if (pm == pg->last) return;
    double t = now_seconds();
    if (pg->last >= 0 && t - pg->last_time < 0.1) return; /* at most 10 updates a second */
    pg->last = pm;
    pg->last_time = t;
    enum { WIDTH = 40 };
    char bar[WIDTH + 1];
    int full = pm * WIDTH / 1000;
    for (int i = 0; i < WIDTH; i++) bar[i] = i < full ? '#' : '.';
    bar[WIDTH] = 0;
    printf("\r  %-8s [%s] %5.1f %%  %" PRIu32 "/%" PRIu32 " ", pg->what, bar, pm / 10.0, done, pg->total);
    fflush(stdout);
}

static void progress_clear(progress *pg)
{
    if (!pg->on || pg->last < 0) return;
    printf("\r%*s\r", 100, "");
    fflush(stdout);
    pg->last = -1;
}

/* ---- training ---- */

typedef struct {
    const uint8_t *labels;
    uint64_t correct, seen;
} tally;

static void on_result(void *ctx, const sg_result *r)
{
    tally *t = ctx;
    if (r->id < 0) return;
    t->seen++;
    if (r->prediction == t->labels[r->id]) t->correct++;
}

typedef struct {
    int epoch, shift;
    uint64_t train_correct, train_samples, test_correct, test_samples;
    double seconds, test_seconds, samples_per_second, edge_ops_per_second;
} epoch_result;

static void test_pass(sg_model *m, const inputs *in, uint16_t *x, progress *pg, uint64_t *correct)
{
    const sg_dataset *ds = in->ds;
    progress_start(pg, pg->on, "testing", ds->count);
    *correct = 0;
    for (uint32_t i = 0; i < ds->count; i++) {
        fill_input(in, i, x);
        if (model_predict(m, x) == ds->labels[i]) ++*correct;
        if ((i & 63) == 0) progress_update(pg, i);
    }
    progress_clear(pg);
}

static bool train_epoch(sg_model *m, const sg_spec *s, const options *o, const inputs *in, uint32_t *order,
                        uint16_t **ring, int nring, progress *pg, int epoch, epoch_result *er)
{
    const sg_dataset *ds = in->ds;
    for (uint32_t i = 0; i < ds->count; i++) order[i] = i;
    if (s->shuffle) {
        sg_rng r;
        rng_init(&r, s->train_seed, (uint64_t)epoch);
        rng_shuffle_u32(&r, order, ds->count);
    }
    er->epoch = epoch;
    er->shift = spec_shift_for_epoch(s, epoch);
    tally t = { ds->labels, 0, 0 };
    char what[32];
    snprintf(what, sizeof what, "epoch %d", epoch);
    progress_start(pg, pg->on, what, ds->count);
    uint64_t ops0 = model_edge_ops(m);
    double t0 = now_seconds();
    for (uint32_t i = 0; i < ds->count; i++) {
        /* A ring of input buffers, deeper than the pipeline, so no buffer is rewritten while the model could
         * still look at it (the model may keep the pointer until the UP of junction 1, 2gJ cycles later). */
        uint16_t *x = ring[i % (uint32_t)nring];
        fill_input(in, order[i], x);
        sg_sample smp = { x, ds->labels[order[i]], er->shift, true, (long)order[i] };
        if (o->sequential)
            model_sequential(m, &smp, on_result, &t);
        else
            model_cycle(m, &smp, on_result, &t);
        if ((i & 63) == 0) progress_update(pg, i);
    }
    if (!o->sequential) model_flush(m, on_result, &t);
    double t1 = now_seconds();
    uint64_t ops = model_edge_ops(m) - ops0;
    progress_clear(pg);
    er->train_correct = t.correct;
    er->train_samples = ds->count;
    er->seconds = t1 - t0;
    double sec = er->seconds > 1e-9 ? er->seconds : 1e-9;
    er->samples_per_second = ds->count / sec;
    er->edge_ops_per_second = (double)ops / sec;
    if (t.seen != ds->count) { /* a model bug: the accuracy would be wrong */
        diag_fail("internal error: the model returned %" PRIu64 " results for %" PRIu32 " training samples", t.seen,
                  ds->count);
        return false;
    }
    return true;
}

static double pct(uint64_t k, uint64_t n) { return n ? 100.0 * (double)k / (double)n : 0.0; }
static double frac(uint64_t k, uint64_t n) { return n ? (double)k / (double)n : 0.0; }

/* ---- report ---- */

static json_t *report_json(const sg_spec *s, const options *o, const epoch_result *er, int n_epochs,
                           uint64_t train_samples, uint64_t test_correct, uint64_t test_samples)
{
    char hash[32];
    snprintf(hash, sizeof hash, "%016" PRIx64, s->hash);
    json_t *root = json_object();
    json_object_set_new(root, "generator", json_string("sparsegen " SG_VERSION));
    json_object_set_new(root, "spec", json_string(s->name));
    json_object_set_new(root, "spec_hash", json_string(hash));
    json_object_set_new(root, "model", json_string(o->kind == SG_MODEL_FIXED ? "fixed" : "float"));
    json_object_set_new(root, "schedule",
                        o->eval ? json_null() : json_string(o->sequential ? "sequential" : "pipelined"));
    json_object_set_new(root, "format_width", json_integer(s->width));
    json_object_set_new(root, "format_frac", json_integer(s->frac));
    json_object_set_new(root, "loaded_weights", json_boolean(o->load != NULL));
    json_object_set_new(root, "train_samples", json_integer((json_int_t)train_samples));
    json_object_set_new(root, "test_samples", json_integer((json_int_t)test_samples));
    json_t *eps = json_array();
    for (int i = 0; i < n_epochs; i++) {
        const epoch_result *e = &er[i];
        json_t *ej = json_object();
        json_object_set_new(ej, "epoch", json_integer(e->epoch));
        json_object_set_new(ej, "shift", json_integer(e->shift));
        json_object_set_new(ej, "train_accuracy", json_real(frac(e->train_correct, e->train_samples)));
        json_object_set_new(ej, "test_accuracy", json_real(frac(e->test_correct, e->test_samples)));
        json_object_set_new(ej, "train_correct", json_integer((json_int_t)e->train_correct));
        json_object_set_new(ej, "test_correct", json_integer((json_int_t)e->test_correct));
        json_object_set_new(ej, "train_samples", json_integer((json_int_t)e->train_samples));
        json_object_set_new(ej, "seconds", json_real(e->seconds));
        json_object_set_new(ej, "test_seconds", json_real(e->test_seconds));
        json_object_set_new(ej, "samples_per_second", json_real(e->samples_per_second));
        json_object_set_new(ej, "edge_ops_per_second", json_real(e->edge_ops_per_second));
        json_array_append_new(eps, ej);
    }
    json_object_set_new(root, "epochs", eps);
    json_object_set_new(root, "final_test_accuracy", json_real(frac(test_correct, test_samples)));
    json_object_set_new(root, "final_test_correct", json_integer((json_int_t)test_correct));
    return root;
}

/* Writes the JSON to a temporary file next to PATH (returned, malloc'd; NULL after a message on error). The caller
 * renames it to PATH (report_commit) or removes it, so PATH appears complete or not at all. */
static char *report_prepare(const char *path, json_t *root)
{
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
    if (!text) {
        diag_fail("cannot write '%s': out of memory", path);
        return NULL;
    }
    size_t n = strlen(path);
    char *tmp = xmalloc(n + 32);
    snprintf(tmp, n + 32, "%s.tmp-XXXXXX", path);
    errno = 0;
    int fd = mkstemp(tmp);
    bool ok = fd >= 0;
    if (ok) {
        mode_t um = umask(0); /* mkstemp makes 0600; give the file the usual permissions */
        umask(um);
        (void)fchmod(fd, 0666 & ~um);
        size_t len = strlen(text), done = 0;
        text[len++] = '\n'; /* replaces the NUL; len is used from here on */
        while (ok && done < len) {
            ssize_t k = write(fd, text + done, len - done);
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0) ok = false;
            else done += (size_t)k;
        }
        if (close(fd) != 0) ok = false;
    }
    if (!ok) {
        diag_fail("cannot write '%s': %s", path, strerror(errno ? errno : EIO));
        if (fd >= 0) unlink(tmp);
        free(tmp);
        tmp = NULL;
    }
    free(text);
    return tmp;
}

static bool report_commit(const char *path, char *tmp)
{
    bool ok = rename(tmp, path) == 0;
    if (!ok) {
        diag_fail("cannot write '%s': %s", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return ok;
}

/* ---- the command ---- */

int cmd_train(int argc, char **argv)
{
    options o;
    int st = parse_options(argc, argv, &o);
    if (st >= 0) return st;

    static sg_spec spec; /* large (path buffer, locations): not on the stack */
    sg_diag d;
    diag_init(&d, o.spec);
    if (!spec_load(o.spec, &spec, &d)) return SG_EXIT_BAD_INPUT;
    if (spec.mode == SG_MODE_INFER && !o.eval) {
        diag_fail("%s: the spec is inference-only (mode: infer): train needs mode: train (use --eval to measure "
                  "the test accuracy of its weights)", o.spec);
        return SG_EXIT_BAD_INPUT;
    }

    /* Data first: it is the most likely input to be wrong, and checking it is cheap. */
    sg_dataset train = { 0 }, test = { 0 };
    sg_pattern pats[SG_MAX_J];
    memset(pats, 0, sizeof pats);
    int n_pats = 0;
    sg_model *m = NULL;
    epoch_result *er = NULL;
    uint32_t *order = NULL;
    uint16_t **ring = NULL;
    int nring = 2 * (int)sg_gap(&spec) * spec.J + 2;
    uint16_t *xtest = NULL;
    int rc = SG_EXIT_BAD_INPUT;

    if (!o.eval) {
        if (!idx_load(o.data, "train", (uint32_t)o.limit_train, &train)) goto out;
        if (o.limit_train > train.total) {
            rc = cli_usage_error(CMD, "--limit-train %" PRIu64 " is more than the %" PRIu32 " training samples in '%s'",
                                 o.limit_train, train.total, o.data);
            goto out;
        }
        if (!check_data(&spec, &train, o.data, "training")) goto out;
    }
    if (!idx_load(o.data, "t10k", (uint32_t)o.limit_test, &test)) goto out;
    if (o.limit_test > test.total) {
        rc = cli_usage_error(CMD, "--limit-test %" PRIu64 " is more than the %" PRIu32 " test samples in '%s'",
                             o.limit_test, test.total, o.data);
        goto out;
    }
    if (!check_data(&spec, &test, o.data, "test")) goto out;
    if (o.report && !writable(o.report)) goto out;
    if (o.save && !writable(o.save)) goto out;

    for (int j = 1; j <= spec.J; j++) {
        if (!pat_generate(&spec, j, &pats[j - 1], &d)) goto out;
        n_pats = j;
    }
    m = model_new(&spec, pats, o.kind);
    if (!m) {
        diag_fail("%s: cannot create the model", o.spec);
        goto out;
    }
    if (o.load && !model_load(m, o.load)) goto out;

    const char *kind = o.kind == SG_MODEL_FIXED ? "fixed" : "float";
    char fmtdesc[48] = "";
    if (o.kind == SG_MODEL_FIXED) snprintf(fmtdesc, sizeof fmtdesc, " %d.%d", spec.width, spec.frac);
    char layers[256];
    size_t used = 0;
    for (int j = 0; j <= spec.J && used < sizeof layers; j++)
        used += (size_t)snprintf(layers + used, sizeof layers - used, "%s%" PRIu32, j ? "-" : "", spec.layers[j]);
    if (o.eval)
        printf("%s: %s, %s%s model, evaluation only, %" PRIu32 " test samples\n", spec.name, layers, kind, fmtdesc,
               test.count);
    else
        printf("%s: %s, %s%s model, %s schedule, %" PRIu32 " training and %" PRIu32 " test samples\n", spec.name,
               layers, kind, fmtdesc,
               o.sequential ? "sequential" : spec.overlap ? "pipelined (overlapped junction cycles)" : "pipelined",
               train.count, test.count);
    fflush(stdout);

    progress pg;
    progress_start(&pg, isatty(STDOUT_FILENO) != 0, "", 0);
    inputs tin = { &test, { 0 }, spec.layers[0] };
    for (int p = 0; p < 256; p++) tin.lut[p] = pixel_to_input((uint8_t)p, spec.input_bits);
    xtest = xcalloc(spec.layers[0], sizeof *xtest);
    uint64_t test_correct = 0;
    int n_epochs = o.eval ? 0 : (int)o.epochs;
    if (n_epochs) {
        inputs trin = tin;
        trin.ds = &train;
        er = xcalloc((size_t)n_epochs, sizeof *er);
        order = xcalloc(train.count, sizeof *order);
        ring = xcalloc((size_t)nring, sizeof *ring);
        for (int i = 0; i < nring; i++) ring[i] = xcalloc(spec.layers[0], sizeof **ring);
        for (int e = 1; e <= n_epochs; e++) {
            epoch_result *r = &er[e - 1];
            if (!train_epoch(m, &spec, &o, &trin, order, ring, nring, &pg, e, r)) goto out;
            double t0 = now_seconds();
            test_pass(m, &tin, xtest, &pg, &r->test_correct);
            r->test_seconds = now_seconds() - t0;
            r->test_samples = test.count;
            test_correct = r->test_correct;
            printf("epoch %d/%d  shift %d  train %.2f %%  test %.2f %%  %.1f s  %.0f samples/s  %.1f M edge-ops/s\n", e,
                   n_epochs, r->shift, pct(r->train_correct, r->train_samples), pct(r->test_correct, r->test_samples),
                   r->seconds, r->samples_per_second, r->edge_ops_per_second / 1e6);
            fflush(stdout);
        }
    } else {
        test_pass(m, &tin, xtest, &pg, &test_correct);
    }
    printf("final test accuracy %.2f %% (%" PRIu64 " of %" PRIu32 " test samples)\n", pct(test_correct, test.count),
           test_correct, test.count);
    fflush(stdout);

    /* Outputs: the report goes to a temporary file first, so a failure of either output leaves neither. */
    char *report_tmp = NULL;
    if (o.report) {
        json_t *root = report_json(&spec, &o, er, n_epochs, train.count, test_correct, test.count);
        report_tmp = report_prepare(o.report, root);
        json_decref(root);
        if (!report_tmp) goto out;
    }
    if (o.save && !model_save(m, o.save)) {
        if (report_tmp) {
            unlink(report_tmp);
            free(report_tmp);
        }
        goto out;
    }
    if (report_tmp && !report_commit(o.report, report_tmp)) {
        if (o.save) diag_fail("the weights were saved to '%s' nevertheless", o.save);
        goto out;
    }
    rc = SG_EXIT_OK;

out:
    if (ring)
        for (int i = 0; i < nring; i++) free(ring[i]);
    free(ring);
    free(order);
    free(er);
    free(xtest);
    if (m) model_free(m);
    for (int j = 0; j < n_pats; j++) pat_free(&pats[j]);
    idx_free(&train);
    idx_free(&test);
    return rc;
}
