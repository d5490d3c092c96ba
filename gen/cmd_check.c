/* cmd_check.c: `sparsegen check SPEC [--json]`: validate a spec, build its plan, generate and check every
 * junction's connection pattern, print the plan. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pattern.h"
#include "plan.h"

static void usage(FILE *f)
{
    fprintf(f, "Usage: sparsegen check SPEC [--json] [--dsp N]\n\n"
               "Reads and validates the spec, builds the hardware plan, generates the connection pattern of every\n"
               "junction and checks it (clash-free, exact degrees, no repeated edge, no neuron that sees only\n"
               "padding, delta read-modify-write distance), then prints the plan: per-junction sizes, clocks and\n"
               "multipliers, the memories, and the totals (docs/spec.md, \"What `check` reports\").\n\n"
               "Options:\n"
               "  --json      print the plan as one JSON object instead of tables\n"
               "  --dsp N     plan at most N multipliers on DSP blocks (as `sparsegen rtl --dsp N`)\n"
               "  -h, --help  print this help\n\n"
               "Exit status: 0 valid, 1 bad spec or pattern (errors on stderr as FILE:LINE:COL: error: ...),\n"
               "2 usage error.\n");
}

/* Generates and checks every junction's pattern; fills the plan's achieved delta RMW distance. */
static bool check_patterns(const sg_spec *s, sg_plan *pl, sg_diag *d)
{
    bool ok = true;
    uint32_t achieved = UINT32_MAX;
    for (int j = 1; j <= s->J; j++) {
        sg_pattern pt;
        sg_pattern_stats st;
        bool hazard = pat_hazard_applies(s, j); /* junctions j >= 2 in train mode */
        uint32_t rmw = hazard ? pl->delta_rmw_distance : 0;
        if (!pat_generate_ex(s, j, rmw, &pt, NULL, d)) {
            ok = false;
            continue;
        }
        pat_check(&pt, pat_features(s, j), &st); /* an independent check of what was generated */
        if (!pat_ok(&pt, &st, rmw, d, s->at.connectivity)) ok = false;
        if (hazard && st.hazard_distance < achieved) achieved = st.hazard_distance;
        pat_free(&pt);
    }
    pl->rmw_checked = ok;
    pl->rmw_achieved = achieved;
    return ok;
}

int cmd_check(int argc, char **argv)
{
    const char *path = NULL;
    bool json = false, options = true;
    long long dsp = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
            usage(stdout);
            return SG_EXIT_OK;
        } else if (options && !strcmp(a, "--json")) {
            json = true;
        } else if (options && !strcmp(a, "--dsp")) {
            uint64_t n;
            if (i + 1 >= argc) return cli_usage_error("check", "option '%s' needs a value", a);
            if (!cli_parse_u64(argv[++i], 0, 1000000, &n))
                return cli_usage_error("check", "--dsp must be a count 0 .. 1000000 (got '%s')", argv[i]);
            dsp = (long long)n;
        } else if (options && !strcmp(a, "--")) {
            options = false;
        } else if (options && a[0] == '-' && a[1]) {
            return cli_usage_error("check", "unknown option '%s'", a);
        } else if (path) {
            return cli_usage_error("check", "one SPEC only (got '%s' and '%s')", path, a);
        } else {
            path = a;
        }
    }
    if (!path) return cli_usage_error("check", "missing SPEC");

    sg_diag d;
    diag_init(&d, path);
    sg_spec *s = xmalloc(sizeof *s);
    sg_plan *pl = xmalloc(sizeof *pl);
    int status = SG_EXIT_BAD_INPUT;
    if (spec_load(path, s, &d) && plan_build(s, pl, &d) && check_patterns(s, pl, &d)) {
        if (dsp >= 0) plan_assign_dsp(pl, dsp);
        if (json) {
            json_t *o = plan_to_json(pl);
            json_object_set_new(o, "clash_free", json_boolean(s->family != SG_FAM_RANDOM));
            json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
            fputc('\n', stdout);
            json_decref(o);
        } else {
            plan_print_text(pl, stdout);
            if (s->family == SG_FAM_RANDOM)
                printf("connectivity: family random: the patterns are NOT clash-free; the golden model (train) trains "
                       "them, rtl and vectors refuse them, and the plan above is hypothetical\n");
        }
        if (fflush(stdout) != 0 || ferror(stdout))
            diag_fail("cannot write the plan to standard output");
        else
            status = SG_EXIT_OK;
    }
    free(pl);
    free(s);
    return status;
}

/* The help text for the command table (gen/cli.c). */
void cli_help_check(FILE *f)
{
    usage(f);
}
