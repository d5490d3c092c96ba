/* cmd_patterns.c: `sparsegen patterns SPEC -o DIR [--no-csv] [--no-png]`: generates and checks the connection
 * pattern of every junction and writes them (CSV, PNG, patterns.json) all or nothing. docs/patterns.md. */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"
#include "pattern.h"
#include "plan.h"
#include "spec.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: sparsegen patterns SPEC -o|--output DIR [--no-csv] [--no-png]\n"
            "\n"
            "Generates the connection pattern of every junction of SPEC, checks it (clash-free, exact fan-in and\n"
            "fan-out, no repeated edge, no neuron that sees only padding, delta read-modify-write distance) and\n"
            "writes, all or nothing:\n"
            "  DIR/junction<j>.csv   one row per edge: edge,clock,lane,left,right\n"
            "  DIR/junction<j>.png   the adjacency matrix (columns = left neurons, rows = right neurons)\n"
            "  DIR/patterns.json     sizes, options, checks and statistics (scatter, hazard) of every junction\n"
            "\n"
            "Options:\n"
            "  -o, --output DIR  output folder (created if missing); also --output=DIR\n"
            "      --no-csv      do not write the CSV files\n"
            "      --no-png      do not write the PNG files\n"
            "  -h, --help        this help\n"
            "\n"
            "Exit status: 0 success, 1 bad spec or pattern (nothing written), 2 usage error.\n"
            "Definitions and file formats: docs/patterns.md.\n");
}

static json_t *real_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *hex64(uint64_t v)
{
    char buf[17];
    snprintf(buf, sizeof buf, "%016" PRIx64, v);
    return json_string(buf);
}

static json_t *u64_string(uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    return json_string(buf);
}

static json_t *min_max(uint32_t lo, uint32_t hi)
{
    json_t *o = json_object();
    json_object_set_new(o, "min", json_integer(lo));
    json_object_set_new(o, "max", json_integer(hi));
    return o;
}

static json_t *junction_json(const sg_spec *s, const sg_pattern *pt, const sg_pattern_stats *st, uint32_t features)
{
    json_t *o = json_object();
    json_object_set_new(o, "j", json_integer(pt->j));
    json_object_set_new(o, "p", json_integer(pt->p));
    json_object_set_new(o, "n", json_integer(pt->n));
    json_object_set_new(o, "d_out", json_integer(pt->dout));
    json_object_set_new(o, "d_in", json_integer(pt->din));
    json_object_set_new(o, "z", json_integer(pt->z));
    json_object_set_new(o, "W", json_integer(pt->W));
    json_object_set_new(o, "C", json_integer(pt->C));
    json_object_set_new(o, "P", json_integer(pt->P));
    json_object_set_new(o, "features", json_integer(features));
    json_object_set_new(o, "family", json_string(spec_family_name(s->family)));
    json_t *opt = json_object();
    json_object_set_new(opt, "sweep_shuffle", json_boolean(s->sweep_shuffle));
    json_object_set_new(opt, "start_shuffle", json_boolean(s->start_shuffle));
    json_object_set_new(opt, "memory_dither", json_boolean(s->memory_dither));
    json_object_set_new(opt, "zero_start", json_boolean(s->zero_start));
    json_object_set_new(opt, "seed", u64_string(s->conn_seed));
    json_object_set_new(o, "options", opt);
    json_object_set_new(o, "attempt", json_integer(pt->attempt));
    json_object_set_new(o, "stream", json_integer((json_int_t)pat_stream(pt->j, pt->attempt)));
    json_object_set_new(o, "pattern_hash", hex64(pat_hash(pt)));
    json_object_set_new(o, "clash_free", json_boolean(st->clash_free));
    json_object_set_new(o, "repeated_edges", json_integer((json_int_t)st->repeated_edges));
    json_object_set_new(o, "fanin", min_max(st->min_fanin, st->max_fanin));
    json_object_set_new(o, "fanout", min_max(st->min_fanout, st->max_fanout));
    json_object_set_new(o, "padding_only", json_integer(st->padding_only));
    json_t *sc = json_object();
    json_object_set_new(sc, "forward", real_or_null(st->scatter_fwd));
    json_object_set_new(sc, "backward", real_or_null(st->scatter_bwd));
    json_object_set_new(sc, "overall", real_or_null(st->scatter));
    json_object_set_new(sc, "windows_forward", json_integer(st->scatter_win_fwd));
    json_object_set_new(sc, "windows_backward", json_integer(st->scatter_win_bwd));
    json_object_set_new(sc, "forward_windows_2d", json_boolean(st->scatter_2d));
    json_object_set_new(o, "scatter", sc);
    json_t *hz = json_object();
    json_object_set_new(hz, "distance_achieved",
                        st->hazard_distance == UINT32_MAX ? json_null() : json_integer(st->hazard_distance));
    json_object_set_new(hz, "distance_required", json_integer(SG_DELTA_RMW_DISTANCE));
    json_object_set_new(hz, "applies", json_boolean(pat_hazard_applies(s, pt->j)));
    json_object_set_new(o, "hazard", hz);
    return o;
}

/* Writes one file of the output folder; false (after a message) on error. */
static bool write_one(sg_outdir *od, const char *name, const sg_pattern *pt, bool (*fn)(const sg_pattern *, FILE *))
{
    FILE *f = od_file(od, name);
    if (!f) return false;
    bool ok = fn(pt, f);
    if (!od_close(od, f)) return false;
    if (!ok) diag_fail("cannot write '%s'", od_final_path(od, name));
    return ok;
}

static int json_dump_cb(const char *buf, size_t size, void *data)
{
    return fwrite(buf, 1, size, (FILE *)data) == size ? 0 : -1;
}

int cmd_patterns(int argc, char **argv)
{
    const char *spec_path = NULL, *dir = NULL;
    bool csv = true, png = true, opts_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!opts_done && a[0] == '-' && a[1]) {
            if (!strcmp(a, "--")) {
                opts_done = true;
            } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
                usage(stdout);
                return SG_EXIT_OK;
            } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
                if (i + 1 >= argc) return cli_usage_error("patterns", "option '%s' needs a folder", a);
                dir = argv[++i];
            } else if (!strncmp(a, "--output=", 9)) {
                dir = a + 9;
            } else if (!strcmp(a, "--no-csv")) {
                csv = false;
            } else if (!strcmp(a, "--no-png")) {
                png = false;
            } else {
                return cli_usage_error("patterns", "unknown option '%s'", a);
            }
        } else if (!spec_path) {
            spec_path = a;
        } else {
            return cli_usage_error("patterns", "unexpected argument '%s' (one SPEC only)", a);
        }
    }
    if (!spec_path) return cli_usage_error("patterns", "missing SPEC");
    if (!dir || !*dir) return cli_usage_error("patterns", "missing output folder (-o DIR)");

    sg_spec *s = xcalloc(1, sizeof *s);
    sg_diag d;
    diag_init(&d, spec_path);
    if (!spec_load(spec_path, s, &d)) {
        free(s);
        return SG_EXIT_BAD_INPUT;
    }
    sg_outdir *od = od_open(dir, "patterns");
    if (!od) {
        free(s);
        return SG_EXIT_BAD_INPUT;
    }

    json_t *root = json_object(), *junctions = json_array();
    json_object_set_new(root, "spec", json_string(s->name));
    json_object_set_new(root, "spec_hash", hex64(s->hash));
    json_object_set_new(root, "generator", json_string("sparsegen"));
    json_object_set_new(root, "version", json_string(SG_VERSION));
    char summary[SG_MAX_J][192];
    bool bad = false;
    for (int j = 1; j <= s->J; j++) {
        sg_pattern pt;
        if (!pat_generate(s, j, &pt, &d)) { /* keep going: report the errors of every junction */
            bad = true;
            continue;
        }
        uint32_t features = pat_features(s, j);
        sg_pattern_stats st;
        pat_check(&pt, features, &st);
        uint32_t need = pat_hazard_applies(s, j) ? SG_DELTA_RMW_DISTANCE : 0;
        if (!pat_ok(&pt, &st, need, &d, s->at.connectivity)) bad = true;
        if (!bad) {
            char name[32];
            snprintf(name, sizeof name, "junction%d.csv", j);
            if (csv && !write_one(od, name, &pt, pat_write_csv)) bad = true;
            snprintf(name, sizeof name, "junction%d.png", j);
            if (!bad && png && !write_one(od, name, &pt, pat_write_png)) bad = true;
            json_array_append_new(junctions, junction_json(s, &pt, &st, features));
            snprintf(summary[j - 1], sizeof summary[0],
                     "junction %d: %u-%u, d_out %u, d_in %u, z %u: %s, no repeated edge, scatter %.3f, "
                     "attempt %d", j, pt.p, pt.n, pt.dout, pt.din, pt.z,
                     st.clash_free ? "clash-free" : "NOT clash-free (family random: golden model only)", st.scatter,
                     pt.attempt);
        }
        pat_free(&pt);
    }
    json_object_set_new(root, "junctions", junctions);
    if (!bad) {
        FILE *f = od_file(od, "patterns.json");
        if (!f) {
            bad = true;
        } else {
            int rc = json_dump_callback(root, json_dump_cb, f, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
            if (rc == 0 && fputc('\n', f) == EOF) rc = -1;
            if (!od_close(od, f)) bad = true;
            else if (rc != 0) {
                diag_fail("cannot write '%s'", od_final_path(od, "patterns.json"));
                bad = true;
            }
        }
    }
    json_decref(root);
    if (bad) {
        od_abort(od);
        free(s);
        return SG_EXIT_BAD_INPUT;
    }
    if (!od_commit(od)) {
        free(s);
        return SG_EXIT_BAD_INPUT;
    }
    for (int j = 1; j <= s->J; j++) printf("%s\n", summary[j - 1]);
    size_t dl = strlen(dir);
    const char *sep = dl && dir[dl - 1] == '/' ? "" : "/";
    for (int j = 1; j <= s->J; j++) {
        if (csv) printf("wrote %s%sjunction%d.csv\n", dir, sep, j);
        if (png) printf("wrote %s%sjunction%d.png\n", dir, sep, j);
    }
    printf("wrote %s%spatterns.json\n", dir, sep);
    free(s);
    return SG_EXIT_OK;
}

/* The help text for the command table (gen/cli.c). */
void cli_help_patterns(FILE *f)
{
    usage(f);
}
