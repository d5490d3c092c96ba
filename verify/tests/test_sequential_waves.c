/* test_sequential_waves.c: `sparsegen vectors --schedule sequential` (the flag for the testbench and the golden
 * model's one-sample-at-a-time results) and the GTKWave save file tb/sparsegen.gtkw (gen/rtl_gtkw.c): its groups
 * per junction and phase, the instance names and bit ranges it uses. That every signal it names exists in a real
 * dump is checked by verify/rtl-tests.sh (verify/gtkw_check.py); the simulations are there too. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../gen/cli.h"
#include "../../gen/rtl.h"
#include "../model.h"

static char tmpdir[256];

static void make_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/sg_test_seqw_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_rf(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    ck_assert_int_eq(system(cmd), 0);
}

static char *write_spec(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static char *slurp(const char *path)
{
    size_t n;
    char *s = read_file(path, &n);
    ck_assert_msg(s != NULL, "cannot read %s", path);
    return s;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* the data lines of a generated file (after the "// command:" banner line) */
static char *data_of(const char *dir, const char *file)
{
    char p[700];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    char *t = slurp(p);
    char *b = strstr(t, "\n// command:");
    ck_assert_ptr_nonnull(b);
    b = strchr(b + 1, '\n');
    ck_assert_ptr_nonnull(b);
    char *d = xstrdup(b);
    free(t);
    return d;
}

/* two junctions: z 4 > d_in 2 in junction 1 (q 2), 10-bit values */
static const char *two = "name: two\nlayers: [8, 8, 4]\nfanout: [2, 2]\nz: [4, 2]\nformat: {width: 10, frac: 6}\n"
                         "learning_rate: {shift: 1}\n";
static const char *two_infer = "name: twoi\nlayers: [8, 8, 4]\nfanout: [2, 2]\nz: [4, 2]\nmode: infer\n";

START_TEST(test_schedule_option)
{
    make_tmp();
    char *spec = xstrdup(write_spec("two.yaml", two));
    char op[512], os[512], od[512], ob[512];
    snprintf(op, sizeof op, "%s/pipe", tmpdir);
    snprintf(os, sizeof os, "%s/seq", tmpdir);
    snprintf(od, sizeof od, "%s/def", tmpdir);
    snprintf(ob, sizeof ob, "%s/bad", tmpdir);
    const char *bad[] = { "vectors", spec, "--data", "random", "-n", "3", "-o", ob, "--schedule", "sideways" };
    ck_assert_int_eq(cmd_vectors(10, (char **)bad), SG_EXIT_USAGE);
    ck_assert(!exists(ob));
    const char *miss[] = { "vectors", spec, "--data", "random", "-n", "3", "-o", ob, "--schedule" };
    ck_assert_int_eq(cmd_vectors(9, (char **)miss), SG_EXIT_USAGE);
    ck_assert(!exists(ob));
    const char *ap[] = { "vectors", spec, "--data", "random", "-n", "12", "-o", op, "--schedule", "pipelined" };
    ck_assert_int_eq(cmd_vectors(10, (char **)ap), 0);
    const char *as[] = { "vectors", spec, "--data", "random", "-n", "12", "-o", os, "--schedule", "sequential" };
    ck_assert_int_eq(cmd_vectors(10, (char **)as), 0);
    const char *ad[] = { "vectors", spec, "--data", "random", "-n", "12", "-o", od };
    ck_assert_int_eq(cmd_vectors(8, (char **)ad), 0);

    char *vp = data_of(op, "vectors.vh"), *vs = data_of(os, "vectors.vh"), *vd = data_of(od, "vectors.vh");
    ck_assert_ptr_nonnull(strstr(vp, "localparam SEQ = 0;\n"));
    ck_assert_ptr_nonnull(strstr(vs, "localparam SEQ = 1;\n"));
    ck_assert_str_eq(vp, vd); /* pipelined is the default */
    free(vp);
    free(vs);
    free(vd);
    /* same stimulus; the results differ (the pipeline's FF sees weights 2(J - j) + 1 samples stale) */
    const char *same[] = { "in_beats.hex", "in_meta.hex", "stalls.hex" };
    for (int i = 0; i < 3; i++) {
        char *x = data_of(op, same[i]), *y = data_of(os, same[i]);
        ck_assert_msg(!strcmp(x, y), "%s differs between the schedules", same[i]);
        free(x);
        free(y);
    }
    char *wp = data_of(op, "exp_w.hex"), *ws = data_of(os, "exp_w.hex");
    ck_assert_msg(strcmp(wp, ws), "12 training samples gave the same weights under both schedules");
    free(wp);
    free(ws);
    char *xd = data_of(od, "exp_act.hex"), *xp = data_of(op, "exp_act.hex");
    ck_assert_str_eq(xd, xp);
    free(xd);
    free(xp);

    /* the first sample's FF sees the initial weights under both schedules, so its 4 result beats (q 1, 10-bit
     * codes: 3 hex digits a line) are equal */
    char *ap1 = data_of(op, "exp_act.hex"), *as1 = data_of(os, "exp_act.hex");
    ck_assert(!strncmp(ap1, as1, 1 + 4 * 4));
    free(ap1);
    free(as1);
    free(spec);
    rm_rf(tmpdir);
}
END_TEST

static char *gtkw_of(const char *yaml, const char *file)
{
    char *spec = xstrdup(write_spec(file, yaml));
    const char *tdir = rtl_find_templates("templates");
    ck_assert_ptr_nonnull(tdir);
    char d[512], p[600];
    snprintf(d, sizeof d, "%s/%s.out", tmpdir, file);
    sg_rtl_input in;
    ck_assert(rtl_load(spec, NULL, &in));
    sg_rtl r;
    rtl_from_input(&r, &in);
    r.command = "sparsegen rtl x.yaml -o x";
    ck_assert(rtl_generate(&r, tdir, d));
    rtl_unload(&in);
    free(spec);
    snprintf(p, sizeof p, "%s/tb/sparsegen.gtkw", d);
    return slurp(p);
}

static int count(const char *t, const char *what)
{
    int n = 0;
    for (const char *p = t; (p = strstr(p, what)) != NULL; p += strlen(what)) n++;
    return n;
}

START_TEST(test_gtkw)
{
    make_tmp();
    char *t = gtkw_of(two, "two.yaml");
    ck_assert(!strncmp(t, "[*] GTKWave save file", 21));
    ck_assert_int_eq(count(t, "\n@800200\n"), count(t, "\n@1000200\n"));
    /* streams, controller, j1 FF, j1 UP, j2 FF, j2 BP, j2 UP */
    ck_assert_int_eq(count(t, "\n@800200\n"), 7);
    ck_assert_ptr_nonnull(strstr(t, "\n-j1 FF: layer 0 -> 1 (slot 1)\n"));
    ck_assert_ptr_nonnull(strstr(t, "\n-j2 BP: deltas of layer 2 -> layer 1 (slot 3)\n"));
    ck_assert_ptr_nonnull(strstr(t, "\n-j1 UP: weights and biases of junction 1 (slot 4)\n"));
    ck_assert_ptr_null(strstr(t, "-j1 BP"));
    /* names and ranges: junction 1 has z 4 lanes of 10 bits and P = 8 / 4 = 2 rows (1 row bit per lane) */
    ck_assert_ptr_nonnull(strstr(t, "\ntb_sparsegen.dut.j1.lff_data[39:0]\n"));
    ck_assert_ptr_nonnull(strstr(t, "\ntb_sparsegen.dut.j1.lrd_row[3:0]\n"));
    ck_assert_ptr_nonnull(strstr(t, "\ntb_sparsegen.dut.j2.bp_val[19:0]\n"));
    ck_assert_ptr_nonnull(strstr(t, "\ntb_sparsegen.dut.j1.ro_act[19:0]\n")); /* q 2 */
    ck_assert_ptr_nonnull(strstr(t, "\ntb_sparsegen.dut.ctrl.slot_valid[4:0]\n"));
    ck_assert_ptr_nonnull(strstr(t, "\ntb_sparsegen.dut.j2.res_pred[1:0]\n")); /* 4 classes: LBW 2 */
    ck_assert_ptr_nonnull(strstr(t, "\ntb_sparsegen.dut.ctrl.ce\n"));
    free(t);
    /* inference: FF only, 2 + J groups, J + 1 slots */
    t = gtkw_of(two_infer, "twoi.yaml");
    ck_assert_int_eq(count(t, "\n@800200\n"), 4);
    ck_assert_ptr_null(strstr(t, " UP:"));
    ck_assert_ptr_null(strstr(t, " BP:"));
    ck_assert_ptr_nonnull(strstr(t, "\ntb_sparsegen.dut.ctrl.slot_valid[2:0]\n"));
    free(t);
    rm_rf(tmpdir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sequential_waves");
    TCase *tc = tcase_create("sequential_waves");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_schedule_option);
    tcase_add_test(tc, test_gtkw);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
