/* test_idx.c: the IDX reader (verify/idx.c): good files plain and gzip, the limit, the file-name search, and every
 * error path with its exact message. Files are made in a fresh temporary folder per test. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <jansson.h>

#include "../../gen/cli.h"
#include "../../gen/pattern.h"
#include "../../gen/rng.h"
#include "../../gen/spec.h"
#include "../idx.h"
#include "../model.h"

static char tmpdir[256];

static char rootdir[200]; /* made by main(); every test's folder is inside it, and main() removes it at the end */

static void rm_rf(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "warning: could not remove %s\n", dir);
}

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/t.XXXXXX", rootdir);
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* (A failed assertion ends the test without teardown; main() still removes rootdir.) */
static void teardown(void) { rm_rf(tmpdir); }

/* Path of NAME in the temporary folder (a rotating set of static buffers). */
static const char *tp(const char *name)
{
    static char buf[8][1024];
    static int k;
    char *b = buf[k++ % 8];
    snprintf(b, sizeof buf[0], "%s/%s", tmpdir, name);
    return b;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Writes bytes to path, plain or gzip-compressed. */
static void write_bytes(const char *path, const void *data, size_t n, bool gz)
{
    if (gz) {
        gzFile f = gzopen(path, "wb9");
        ck_assert_ptr_nonnull(f);
        if (n) ck_assert_int_eq(gzwrite(f, data, (unsigned)n), (int)n);
        ck_assert_int_eq(gzclose(f), Z_OK);
    } else {
        FILE *f = fopen(path, "wb");
        ck_assert_ptr_nonnull(f);
        if (n) ck_assert_uint_eq(fwrite(data, 1, n, f), n);
        ck_assert_int_eq(fclose(f), 0);
    }
}

/* An image file: header (magic, count, rows, cols) then `have` bytes of pixels, pixel i = (7 i + 3) mod 256. */
static void write_images(const char *path, uint32_t magic, uint32_t count, uint32_t rows, uint32_t cols,
                         size_t have, bool gz)
{
    unsigned char *b = malloc(16 + have);
    put32(b, magic);
    put32(b + 4, count);
    put32(b + 8, rows);
    put32(b + 12, cols);
    for (size_t i = 0; i < have; i++) b[16 + i] = (unsigned char)((7 * i + 3) & 255);
    write_bytes(path, b, 16 + have, gz);
    free(b);
}

/* A label file: header then `have` labels, label i = i mod 10. */
static void write_labels(const char *path, uint32_t magic, uint32_t count, size_t have, bool gz)
{
    unsigned char *b = malloc(8 + have);
    put32(b, magic);
    put32(b + 4, count);
    for (size_t i = 0; i < have; i++) b[8 + i] = (unsigned char)(i % 10);
    write_bytes(path, b, 8 + have, gz);
    free(b);
}

/* Good pair: 5 images of 3 x 4. */
static void write_good(const char *images, const char *labels, bool gz)
{
    write_images(images, 0x803, 5, 3, 4, 5 * 12, gz);
    write_labels(labels, 0x801, 5, 5, gz);
}

/* Runs fn with stderr sent to a file; returns what it printed (static buffer, final newline removed). */
static char captured[4096];
static bool captured_ok;

static void capture_begin(int *saved)
{
    fflush(stderr);
    *saved = dup(2);
    int fd = open(tp("stderr.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    dup2(fd, 2);
    close(fd);
}

static const char *capture_end(int saved)
{
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    FILE *f = fopen(tp("stderr.txt"), "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(captured, 1, sizeof captured - 1, f);
    fclose(f);
    captured[n] = 0;
    if (n && captured[n - 1] == '\n') captured[n - 1] = 0;
    return captured;
}

static const char *load_files(const char *images, const char *labels, uint32_t limit, sg_dataset *ds)
{
    int saved;
    capture_begin(&saved);
    captured_ok = idx_load_files(images, labels, limit, ds);
    return capture_end(saved);
}

static const char *load_dir(const char *dir, const char *prefix, uint32_t limit, sg_dataset *ds)
{
    int saved;
    capture_begin(&saved);
    captured_ok = idx_load(dir, prefix, limit, ds);
    return capture_end(saved);
}

/* Expects a failed load with exactly one line: "sparsegen: error: " + the formatted message; ds left empty. */
static void expect_error(const char *got, const sg_dataset *ds, const char *fmt, ...) SG_PRINTF(3, 4);
static void expect_error(const char *got, const sg_dataset *ds, const char *fmt, ...)
{
    char want[2048];
    int n = snprintf(want, sizeof want, "sparsegen: error: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want + n, sizeof want - (size_t)n, fmt, ap);
    va_end(ap);
    ck_assert_msg(!captured_ok, "load succeeded, expected: %s", want);
    ck_assert_str_eq(got, want);
    ck_assert_ptr_null(ds->pixels);
    ck_assert_ptr_null(ds->labels);
    ck_assert_uint_eq(ds->count, 0);
}

static void expect_good5(const sg_dataset *ds, uint32_t count)
{
    ck_assert_uint_eq(ds->rows, 3);
    ck_assert_uint_eq(ds->cols, 4);
    ck_assert_uint_eq(ds->total, 5);
    ck_assert_uint_eq(ds->count, count);
    for (uint32_t i = 0; i < count * 12; i++) ck_assert_uint_eq(ds->pixels[i], (7 * i + 3) & 255);
    for (uint32_t i = 0; i < count; i++) ck_assert_uint_eq(ds->labels[i], i % 10);
}

/* ---- good files ---- */

START_TEST(good_plain)
{
    write_good(tp("i"), tp("l"), false);
    sg_dataset ds;
    ck_assert_str_eq(load_files(tp("i"), tp("l"), 0, &ds), "");
    ck_assert(captured_ok);
    expect_good5(&ds, 5);
    idx_free(&ds);
    ck_assert_ptr_null(ds.pixels);
    idx_free(&ds); /* harmless twice */
}
END_TEST

START_TEST(good_gzip)
{
    write_good(tp("i.gz"), tp("l.gz"), true);
    sg_dataset ds;
    ck_assert_str_eq(load_files(tp("i.gz"), tp("l.gz"), 0, &ds), "");
    ck_assert(captured_ok);
    expect_good5(&ds, 5);
    idx_free(&ds);
}
END_TEST

START_TEST(limit_keeps_first)
{
    write_good(tp("i"), tp("l.gz"), false);
    write_labels(tp("l.gz"), 0x801, 5, 5, true);
    sg_dataset ds;
    for (uint32_t lim = 1; lim <= 7; lim++) {
        ck_assert_str_eq(load_files(tp("i"), tp("l.gz"), lim, &ds), "");
        ck_assert(captured_ok);
        expect_good5(&ds, lim < 5 ? lim : 5);
        idx_free(&ds);
    }
}
END_TEST

START_TEST(limit_still_checks_the_whole_file)
{
    write_images(tp("i"), 0x803, 5, 3, 4, 5 * 12 + 1, false);
    write_labels(tp("l"), 0x801, 5, 5, false);
    sg_dataset ds;
    expect_error(load_files(tp("i"), tp("l"), 1, &ds), &ds, "%s: trailing data after the 5 images the header announces",
                 tp("i"));
}
END_TEST

START_TEST(big_images)
{
    /* 1024 x 1024 is the largest image allowed (2^20 pixels); two of them, gzip. */
    write_images(tp("i.gz"), 0x803, 2, 1024, 1024, 2u << 20, true);
    write_labels(tp("l"), 0x801, 2, 2, false);
    sg_dataset ds;
    ck_assert_str_eq(load_files(tp("i.gz"), tp("l"), 0, &ds), "");
    ck_assert(captured_ok);
    ck_assert_uint_eq(ds.count, 2);
    ck_assert_uint_eq(ds.pixels[(2u << 20) - 1], (7u * ((2u << 20) - 1) + 3) & 255);
    idx_free(&ds);
}
END_TEST

START_TEST(labels_not_range_checked)
{
    unsigned char b[10] = { 0, 0, 8, 1, 0, 0, 0, 2, 200, 255 };
    write_images(tp("i"), 0x803, 2, 1, 1, 2, false);
    write_bytes(tp("l"), b, sizeof b, false);
    sg_dataset ds;
    ck_assert_str_eq(load_files(tp("i"), tp("l"), 0, &ds), "");
    ck_assert(captured_ok);
    ck_assert_uint_eq(ds.labels[0], 200);
    ck_assert_uint_eq(ds.labels[1], 255);
    idx_free(&ds);
}
END_TEST

/* ---- the file-name search of idx_load ---- */

START_TEST(dir_spellings)
{
    sg_dataset ds;
    /* train: the usual names, gzip; t10k: the dotted spelling, plain */
    write_good(tp("train-images-idx3-ubyte.gz"), tp("train-labels-idx1-ubyte.gz"), true);
    write_images(tp("t10k-images.idx3-ubyte"), 0x803, 3, 3, 4, 36, false);
    write_labels(tp("t10k-labels.idx1-ubyte"), 0x801, 3, 3, false);
    ck_assert_str_eq(load_dir(tmpdir, "train", 0, &ds), "");
    ck_assert(captured_ok);
    expect_good5(&ds, 5);
    idx_free(&ds);
    ck_assert_str_eq(load_dir(tmpdir, "t10k", 2, &ds), "");
    ck_assert(captured_ok);
    ck_assert_uint_eq(ds.count, 2);
    ck_assert_uint_eq(ds.total, 3);
    idx_free(&ds);
    /* a plain file is preferred to a .gz of the same name */
    write_images(tp("train-images-idx3-ubyte"), 0x803, 5, 1, 1, 5, false);
    ck_assert_str_eq(load_dir(tmpdir, "train", 0, &ds), "");
    ck_assert_uint_eq(ds.rows * ds.cols, 1);
    idx_free(&ds);
}
END_TEST

START_TEST(dir_missing_file)
{
    sg_dataset ds;
    expect_error(load_dir(tmpdir, "train", 0, &ds), &ds,
                 "%s: no train images file (tried train-images-idx3-ubyte, train-images-idx3-ubyte.gz, "
                 "train-images.idx3-ubyte, train-images.idx3-ubyte.gz)",
                 tmpdir);
    write_images(tp("t10k-images-idx3-ubyte"), 0x803, 5, 3, 4, 60, false);
    expect_error(load_dir(tmpdir, "t10k", 0, &ds), &ds,
                 "%s: no t10k labels file (tried t10k-labels-idx1-ubyte, t10k-labels-idx1-ubyte.gz, "
                 "t10k-labels.idx1-ubyte, t10k-labels.idx1-ubyte.gz)",
                 tmpdir);
}
END_TEST

START_TEST(dir_missing_folder)
{
    sg_dataset ds;
    expect_error(load_dir(tp("nope"), "train", 0, &ds), &ds,
                 "%s: cannot open the data folder: No such file or directory", tp("nope"));
    write_bytes(tp("file"), "x", 1, false);
    expect_error(load_dir(tp("file"), "train", 0, &ds), &ds, "%s: the data folder is not a folder", tp("file"));
}
END_TEST

/* ---- every error of one file ---- */

START_TEST(err_cannot_open)
{
    sg_dataset ds;
    write_labels(tp("l"), 0x801, 5, 5, false);
    expect_error(load_files(tp("none"), tp("l"), 0, &ds), &ds, "%s: cannot open: No such file or directory",
                 tp("none"));
    write_images(tp("i"), 0x803, 5, 3, 4, 60, false);
    expect_error(load_files(tp("i"), tp("none"), 0, &ds), &ds, "%s: cannot open: No such file or directory",
                 tp("none"));
}
END_TEST

START_TEST(err_is_a_folder)
{
    sg_dataset ds;
    ck_assert_int_eq(mkdir(tp("d"), 0700), 0);
    write_labels(tp("l"), 0x801, 5, 5, false);
    expect_error(load_files(tp("d"), tp("l"), 0, &ds), &ds, "%s: read error: Is a directory", tp("d"));
}
END_TEST

START_TEST(err_magic)
{
    sg_dataset ds;
    write_good(tp("i"), tp("l"), false);
    expect_error(load_files(tp("l"), tp("l"), 0, &ds), &ds,
                 "%s: not an IDX image file: magic number 0x00000801, expected 0x00000803", tp("l"));
    expect_error(load_files(tp("i"), tp("i"), 0, &ds), &ds,
                 "%s: not an IDX label file: magic number 0x00000803, expected 0x00000801", tp("i"));
    /* a text file, and a gzip file holding text */
    write_bytes(tp("t"), "garbage and more garbage", 24, false);
    expect_error(load_files(tp("t"), tp("l"), 0, &ds), &ds,
                 "%s: not an IDX image file: magic number 0x67617262, expected 0x00000803", tp("t"));
    write_bytes(tp("t.gz"), "garbage and more garbage", 24, true);
    expect_error(load_files(tp("i"), tp("t.gz"), 0, &ds), &ds,
                 "%s: not an IDX label file: magic number 0x67617262, expected 0x00000801", tp("t.gz"));
}
END_TEST

START_TEST(err_short_header)
{
    sg_dataset ds;
    write_good(tp("i"), tp("l"), false);
    write_bytes(tp("s"), "\0\0\x08\x03\0\0\0\x05\0", 9, false);
    expect_error(load_files(tp("s"), tp("l"), 0, &ds), &ds, "%s: too short for an IDX image header (9 of 16 bytes)",
                 tp("s"));
    write_bytes(tp("e"), "", 0, false);
    expect_error(load_files(tp("e"), tp("l"), 0, &ds), &ds, "%s: too short for an IDX image header (0 of 16 bytes)",
                 tp("e"));
    write_bytes(tp("e.gz"), "\0\0\x08\x01\0", 5, true);
    expect_error(load_files(tp("i"), tp("e.gz"), 0, &ds), &ds, "%s: too short for an IDX label header (5 of 8 bytes)",
                 tp("e.gz"));
}
END_TEST

START_TEST(err_dimensions)
{
    sg_dataset ds;
    write_labels(tp("l"), 0x801, 5, 5, false);
    write_images(tp("i"), 0x803, 5, 0, 4, 0, false);
    expect_error(load_files(tp("i"), tp("l"), 0, &ds), &ds,
                 "%s: absurd image size 0 x 4 (rows x cols must be 1 to 1048576 pixels)", tp("i"));
    write_images(tp("i"), 0x803, 5, 4, 0, 0, false);
    expect_error(load_files(tp("i"), tp("l"), 0, &ds), &ds,
                 "%s: absurd image size 4 x 0 (rows x cols must be 1 to 1048576 pixels)", tp("i"));
    write_images(tp("i"), 0x803, 5, 1025, 1024, 0, false);
    expect_error(load_files(tp("i"), tp("l"), 0, &ds), &ds,
                 "%s: absurd image size 1025 x 1024 (rows x cols must be 1 to 1048576 pixels)", tp("i"));
    write_images(tp("i"), 0x803, 5, 0xffffffffu, 0xffffffffu, 0, false);
    expect_error(load_files(tp("i"), tp("l"), 0, &ds), &ds,
                 "%s: absurd image size 4294967295 x 4294967295 (rows x cols must be 1 to 1048576 pixels)", tp("i"));
}
END_TEST

START_TEST(err_no_samples)
{
    sg_dataset ds;
    write_images(tp("i"), 0x803, 0, 3, 4, 0, false);
    write_labels(tp("l"), 0x801, 0, 0, false);
    expect_error(load_files(tp("i"), tp("l"), 0, &ds), &ds, "%s: no images (the header announces 0)", tp("i"));
    write_images(tp("i"), 0x803, 1, 3, 4, 12, false);
    expect_error(load_files(tp("i"), tp("l"), 0, &ds), &ds, "%s: no labels (the header announces 0)", tp("l"));
}
END_TEST

START_TEST(err_truncated)
{
    sg_dataset ds;
    write_labels(tp("l"), 0x801, 5, 5, false);
    write_images(tp("i"), 0x803, 5, 3, 4, 59, false);
    expect_error(load_files(tp("i"), tp("l"), 0, &ds), &ds,
                 "%s: truncated: the header announces 5 images (60 bytes of data after the 16-byte header), the file "
                 "has only 59",
                 tp("i"));
    /* the limit does not hide it */
    expect_error(load_files(tp("i"), tp("l"), 1, &ds), &ds,
                 "%s: truncated: the header announces 5 images (60 bytes of data after the 16-byte header), the file "
                 "has only 59",
                 tp("i"));
    write_good(tp("i"), tp("l"), false);
    write_labels(tp("l.gz"), 0x801, 5, 3, true);
    expect_error(load_files(tp("i"), tp("l.gz"), 0, &ds), &ds,
                 "%s: truncated: the header announces 5 labels (5 bytes of data after the 8-byte header), the file "
                 "has only 3",
                 tp("l.gz"));
    /* a header that announces 2^32 - 1 images of 1024 x 1024 in a tiny file: no huge allocation, just an error */
    write_images(tp("i"), 0x803, 0xffffffffu, 1024, 1024, 10, false);
    expect_error(load_files(tp("i"), tp("l"), 0, &ds), &ds,
                 "%s: truncated: the header announces 4294967295 images (4503599626321920 bytes of data after the "
                 "16-byte header), the file has only 10",
                 tp("i"));
}
END_TEST

START_TEST(err_trailing)
{
    sg_dataset ds;
    write_labels(tp("l"), 0x801, 5, 5, false);
    write_images(tp("i.gz"), 0x803, 5, 3, 4, 61, true);
    expect_error(load_files(tp("i.gz"), tp("l"), 0, &ds), &ds,
                 "%s: trailing data after the 5 images the header announces", tp("i.gz"));
    write_images(tp("i"), 0x803, 5, 3, 4, 60, false);
    write_labels(tp("l"), 0x801, 5, 6, false);
    expect_error(load_files(tp("i"), tp("l"), 0, &ds), &ds, "%s: trailing data after the 5 labels the header announces",
                 tp("l"));
}
END_TEST

START_TEST(err_counts_disagree)
{
    sg_dataset ds;
    write_images(tp("i"), 0x803, 5, 3, 4, 60, false);
    write_labels(tp("l"), 0x801, 4, 4, false);
    expect_error(load_files(tp("i"), tp("l"), 0, &ds), &ds, "%s has 5 images but %s has 4 labels", tp("i"), tp("l"));
    /* the limit does not hide it either */
    expect_error(load_files(tp("i"), tp("l"), 2, &ds), &ds, "%s has 5 images but %s has 4 labels", tp("i"), tp("l"));
}
END_TEST

/* Reads a whole file into a malloc'd buffer. */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len + 1);
    ck_assert_uint_eq(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return b;
}

START_TEST(err_gzip)
{
    sg_dataset ds;
    write_labels(tp("l"), 0x801, 5, 5, false);
    write_images(tp("i.gz"), 0x803, 5, 3, 4, 60, true);
    size_t n;
    unsigned char *b = slurp(tp("i.gz"), &n);
    /* the gzip trailer is CRC-32 then ISIZE, 4 bytes each, little-endian */
    b[n - 8] ^= 1;
    write_bytes(tp("crc.gz"), b, n, false);
    expect_error(load_files(tp("crc.gz"), tp("l"), 0, &ds), &ds, "%s: corrupt gzip data: incorrect data check",
                 tp("crc.gz"));
    b[n - 8] ^= 1;
    b[n - 4] ^= 1;
    write_bytes(tp("len.gz"), b, n, false);
    expect_error(load_files(tp("len.gz"), tp("l"), 0, &ds), &ds, "%s: corrupt gzip data: incorrect length check",
                 tp("len.gz"));
    b[n - 4] ^= 1;
    /* cut off in the trailer, and in the middle of the deflate data */
    write_bytes(tp("cut.gz"), b, n - 3, false);
    expect_error(load_files(tp("cut.gz"), tp("l"), 0, &ds), &ds,
                 "%s: corrupt gzip data: the compressed stream ends early (unexpected end of file)", tp("cut.gz"));
    write_bytes(tp("cut2.gz"), b, n / 2, false);
    expect_error(load_files(tp("cut2.gz"), tp("l"), 0, &ds), &ds,
                 "%s: corrupt gzip data: the compressed stream ends early (unexpected end of file)", tp("cut2.gz"));
    /* a bad block type: byte 10 is the first deflate byte; its bits 1-2 are the block type, 3 is invalid */
    b[10] |= 6;
    write_bytes(tp("blk.gz"), b, n, false);
    expect_error(load_files(tp("blk.gz"), tp("l"), 0, &ds), &ds, "%s: corrupt gzip data: invalid block type",
                 tp("blk.gz"));
    free(b);
}
END_TEST

START_TEST(gzip_fuzz_no_crash)
{
    /* Every single-byte change of a small gzip file: each load either succeeds or fails with one message line. */
    write_labels(tp("l"), 0x801, 5, 5, false);
    write_images(tp("i.gz"), 0x803, 5, 3, 4, 60, true);
    size_t n;
    unsigned char *b = slurp(tp("i.gz"), &n);
    for (size_t i = 0; i < n; i++)
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (unsigned char)(1u << bit);
            write_bytes(tp("x.gz"), b, n, false);
            sg_dataset ds;
            const char *msg = load_files(tp("x.gz"), tp("l"), 0, &ds);
            if (captured_ok) {
                ck_assert_str_eq(msg, "");
                ck_assert_uint_eq(ds.count, 5);
            } else {
                ck_assert_msg(!strncmp(msg, "sparsegen: error: ", 18) && !strchr(msg, '\n'), "byte %zu bit %d: %s", i,
                              bit, msg);
            }
            idx_free(&ds);
            b[i] ^= (unsigned char)(1u << bit);
        }
    free(b);
}
END_TEST

/* ---- the real data, when installed ---- */

START_TEST(fashion_mnist)
{
    const char *dir = getenv("SG_FMNIST") ? getenv("SG_FMNIST") : "/usr/share/datasets/fashion-mnist";
    struct stat st;
    if (stat(dir, &st) != 0) {
        fprintf(stderr, "note: %s missing, Fashion-MNIST test skipped\n", dir);
        return;
    }
    sg_dataset ds;
    ck_assert_str_eq(load_dir(dir, "t10k", 3, &ds), "");
    ck_assert(captured_ok);
    ck_assert_uint_eq(ds.total, 10000);
    ck_assert_uint_eq(ds.count, 3);
    ck_assert_uint_eq(ds.rows, 28);
    ck_assert_uint_eq(ds.cols, 28);
    ck_assert_uint_eq(ds.labels[0], 9);
    ck_assert_uint_eq(ds.labels[1], 2);
    ck_assert_uint_eq(ds.labels[2], 1);
    unsigned sum = 0;
    for (int i = 0; i < 784; i++) sum += ds.pixels[i];
    ck_assert_uint_eq(sum, 33456); /* first test image, checked with Python's gzip module */
    idx_free(&ds);
}
END_TEST


/* ==== `sparsegen train` (verify/cmd_train.c) =====================================================================
 * On a synthetic dataset made here: 4 x 4 images, 4 classes, class c = quadrant c bright, with noise. */

/* Writes DIR/<prefix>-images-idx3-ubyte and -labels- with n samples of rows x cols; labels < classes. */
static void make_blobs(const char *prefix, uint32_t n, uint32_t seed, uint32_t rows, uint32_t cols, int classes,
                       bool gz)
{
    size_t per = (size_t)rows * cols;
    unsigned char *im = malloc(16 + n * per), *lb = malloc(8 + n);
    put32(im, 0x803);
    put32(im + 4, n);
    put32(im + 8, rows);
    put32(im + 12, cols);
    put32(lb, 0x801);
    put32(lb + 4, n);
    uint32_t x = seed * 2654435761u + 1;
    for (uint32_t i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        int c = (int)((x >> 16) % (uint32_t)classes);
        lb[8 + i] = (unsigned char)c;
        for (uint32_t r = 0; r < rows; r++)
            for (uint32_t k = 0; k < cols; k++) {
                x = x * 1664525u + 1013904223u;
                int quad = (r >= rows / 2) * 2 + (k >= cols / 2);
                unsigned noise = (x >> 24) & 63;
                im[16 + i * per + r * cols + k] = (unsigned char)(quad == c % 4 ? 192 + noise : noise);
            }
    }
    char a[128], b[128];
    snprintf(a, sizeof a, "%s-images-idx3-ubyte%s", prefix, gz ? ".gz" : "");
    snprintf(b, sizeof b, "%s-labels-idx1-ubyte%s", prefix, gz ? ".gz" : "");
    write_bytes(tp(a), im, 16 + n * per, gz);
    write_bytes(tp(b), lb, 8 + n, gz);
    free(im);
    free(lb);
}

static const char tiny_spec[] = "name: tiny_train\n"
                                "layers: [16, 8, 4]\n"
                                "fanout: [4, 2]\n"
                                "z: [8, 2]\n"
                                "format: {width: 12, frac: 8}\n"
                                "learning_rate: {shift: 2, schedule: [[3, 3]]}\n"
                                "training: {shuffle: true, seed: 7}\n";

/* 20 inputs of which 16 are features (4 of padding), input bits 6, 10-bit arithmetic. */
static const char padded_spec[] = "name: tiny_padded\n"
                                  "layers: [20, 8, 4]\n"
                                  "fanout: [2, 2]\n"
                                  "z: [5, 2]\n"
                                  "format: {width: 10, frac: 6}\n"
                                  "input: {bits: 6, features: 16}\n"
                                  "learning_rate: {shift: 1}\n";

static void put_text(const char *name, const char *text) { write_bytes(tp(name), text, strlen(text), false); }

/* Standard test data: 200 training and 80 test samples of 4 x 4, plain train files, gzip test files. */
static void make_data(void)
{
    make_blobs("train", 200, 1, 4, 4, 4, false);
    make_blobs("t10k", 80, 2, 4, 4, 4, true);
    put_text("tiny.yaml", tiny_spec);
    put_text("padded.yaml", padded_spec);
}

static char out_text[16384], err_text[16384];

static void read_into(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = 0;
}

/* Runs `sparsegen train ARGS...` (NULL-terminated; "@x" is replaced by the temporary folder's path of x) with
 * stdout and stderr captured in out_text and err_text; returns the exit status. */
static int run_train(const char *first, ...)
{
    char *argv[40];
    char store[40][512];
    int argc = 0;
    argv[argc++] = "train";
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *)) {
        ck_assert_int_lt(argc, 39);
        if (a[0] == '@')
            snprintf(store[argc], sizeof store[0], "%s/%s", tmpdir, a + 1);
        else
            snprintf(store[argc], sizeof store[0], "%s", a);
        argv[argc] = store[argc];
        argc++;
    }
    va_end(ap);
    argv[argc] = NULL;
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    int fo = open(tp("out.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0600), fe = open(tp("err.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert(so >= 0 && se >= 0 && fo >= 0 && fe >= 0);
    dup2(fo, 1);
    dup2(fe, 2);
    close(fo);
    close(fe);
    int rc = cmd_train(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    read_into(tp("out.txt"), out_text, sizeof out_text);
    read_into(tp("err.txt"), err_text, sizeof err_text);
    return rc;
}

static bool exists(const char *name)
{
    struct stat st;
    return stat(tp(name), &st) == 0;
}

/* A usage error of `sparsegen CMD` (gen/cli.c): the line "sparsegen CMD: MSG", the command's usage lines
 * ("Usage: sparsegen CMD ..." and their continuations), then the hint line. */
static void check_usage_error(const char *err, const char *cmd, const char *msg)
{
    char head[1024], tail[256];
    snprintf(head, sizeof head, "sparsegen %s: %s\nUsage: sparsegen %s ", cmd, msg, cmd);
    snprintf(tail, sizeof tail, "\nTry 'sparsegen %s --help'.\n", cmd);
    size_t n = strlen(err), t = strlen(tail);
    ck_assert_msg(!strncmp(err, head, strlen(head)), "usage error does not start with '%s': '%s'", head, err);
    ck_assert_msg(n > t && !strcmp(err + n - t, tail), "usage error does not end with the hint: '%s'", err);
    for (const char *l = strchr(err, '\n') + 1; l < err + n - t; l = strchr(l, '\n') + 1)
        ck_assert_msg(!strncmp(l, "Usage: ", 7) || !strncmp(l, "       ", 7), "not a usage line in '%s'", err);
}

/* Expects exit status 2, the usage error "sparsegen train: MSG" and nothing on stdout. */
#define EXPECT_USAGE(msg, ...)                                                                                   \
    do {                                                                                                       \
        ck_assert_int_eq(run_train(__VA_ARGS__, NULL), 2);                                                      \
        check_usage_error(err_text, "train", msg);                                                             \
        ck_assert_str_eq(out_text, "");                                                                        \
    } while (0)

START_TEST(train_usage)
{
    make_data();
    ck_assert_int_eq(run_train(NULL), 2);
    check_usage_error(err_text, "train", "missing SPEC (the network's YAML file)");
    ck_assert_int_eq(run_train("--help", NULL), 0);
    ck_assert_str_eq(err_text, "");
    ck_assert_ptr_nonnull(strstr(out_text, "Usage: sparsegen train SPEC --data DIR "));
    static const char *const opts[] = { "--data DIR", "--epochs N", "--limit-train N", "--limit-test N",
                                        "--model fixed|float", "--schedule pipelined|sequential",
                                        "--report FILE.json", "--save FILE", "--load FILE", "--eval", "--help" };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        ck_assert_msg(strstr(out_text, opts[i]) != NULL, "--help lacks %s", opts[i]);
    EXPECT_USAGE("missing --data DIR (the dataset folder)", "@tiny.yaml");
    EXPECT_USAGE("unknown option '--bogus'", "@tiny.yaml", "--data", tmpdir, "--bogus");
    EXPECT_USAGE("more than one SPEC given ('a.yaml' and 'b.yaml')", "a.yaml", "b.yaml", "--data", tmpdir);
    EXPECT_USAGE("option --epochs needs a value", "@tiny.yaml", "--data", tmpdir, "--epochs");
    EXPECT_USAGE("--epochs must be an integer from 1 to 10000, not '0'", "@tiny.yaml", "--data", tmpdir, "--epochs", "0");
    EXPECT_USAGE("--epochs must be an integer from 1 to 10000, not '10001'", "@tiny.yaml", "--data", tmpdir, "--epochs=10001");
    EXPECT_USAGE("--epochs must be an integer from 1 to 10000, not 'zero'", "@tiny.yaml", "--data", tmpdir, "--epochs", "zero");
    EXPECT_USAGE("--epochs must be an integer from 1 to 10000, not '-1'", "@tiny.yaml", "--data", tmpdir, "--epochs", "-1");
    EXPECT_USAGE("--epochs given twice", "@tiny.yaml", "--data", tmpdir, "--epochs", "1", "--epochs", "2");
    EXPECT_USAGE("--limit-train must be a positive integer, not '0'", "@tiny.yaml", "--data", tmpdir, "--limit-train", "0");
    EXPECT_USAGE("--limit-test must be a positive integer, not '1e3'", "@tiny.yaml", "--data", tmpdir, "--limit-test", "1e3");
    EXPECT_USAGE("--model must be fixed or float, not 'quantum'", "@tiny.yaml", "--data", tmpdir, "--model", "quantum");
    EXPECT_USAGE("--schedule must be pipelined or sequential, not 'fast'", "@tiny.yaml", "--data", tmpdir, "--schedule", "fast");
    EXPECT_USAGE("--data given twice", "@tiny.yaml", "--data", tmpdir, "--data", tmpdir);
    EXPECT_USAGE("--report and --save name the same file 'x'", "@tiny.yaml", "--data", tmpdir, "--report", "x", "--save", "x");
    EXPECT_USAGE("--eval does not train: --epochs makes no sense with it", "@tiny.yaml", "--data", tmpdir, "--eval", "--epochs", "2");
    EXPECT_USAGE("--eval does not train: --save makes no sense with it", "@tiny.yaml", "--data", tmpdir, "--eval", "--save", "w");
    /* limits beyond the data: known only after loading it, still a usage error */
    ck_assert_int_eq(run_train("@tiny.yaml", "--data", tmpdir, "--limit-train", "201", NULL), 2);
    char want[1024];
    snprintf(want, sizeof want,
             "--limit-train 201 is more than the 200 training samples in '%s'",
             tmpdir);
    check_usage_error(err_text, "train", want);
    ck_assert_int_eq(run_train("@tiny.yaml", "--data", tmpdir, "--limit-test", "81", NULL), 2);
    snprintf(want, sizeof want,
             "--limit-test 81 is more than the 80 test samples in '%s'",
             tmpdir);
    check_usage_error(err_text, "train", want);
}
END_TEST

/* Expects exit status 1 with exactly one error line "sparsegen: error: MSG", no output files. */
static void expect_fail(int rc, const char *fmt, ...) SG_PRINTF(2, 3);
static void expect_fail(int rc, const char *fmt, ...)
{
    char want[2048];
    int n = snprintf(want, sizeof want, "sparsegen: error: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want + n, sizeof want - (size_t)n, fmt, ap);
    va_end(ap);
    strcat(want, "\n");
    ck_assert_int_eq(rc, 1);
    ck_assert_str_eq(err_text, want);
    ck_assert_msg(!exists("r.json") && !exists("w.txt"), "output written despite the error");
}

START_TEST(train_data_errors)
{
    make_data();
    /* features: 16 in the spec, 5 x 5 = 25 in the data */
    make_blobs("t10k", 10, 3, 5, 5, 4, false);
    unlink(tp("t10k-images-idx3-ubyte.gz"));
    unlink(tp("t10k-labels-idx1-ubyte.gz"));
    expect_fail(run_train("@tiny.yaml", "--data", tmpdir, "--report", "@r.json", "--save", "@w.txt", NULL),
                "%s: the test images have 5 x 5 = 25 values per sample but the spec '%s/tiny.yaml' has "
                "input.features 16",
                tmpdir, tmpdir);
    /* a label of 5 with 4 classes */
    make_blobs("t10k", 10, 3, 4, 4, 6, false);
    expect_fail(run_train("@tiny.yaml", "--data", tmpdir, "--report", "@r.json", "--save", "@w.txt", NULL),
                "%s: test sample 2 has label 5 but the spec '%s/tiny.yaml' has 4 classes (labels 0 to 3)", tmpdir,
                tmpdir);
    /* corrupt data: one line from the reader, nothing written */
    write_bytes(tp("t10k-labels-idx1-ubyte"), "garbage!", 8, false);
    expect_fail(run_train("@tiny.yaml", "--data", tmpdir, "--report", "@r.json", "--save", "@w.txt", NULL),
                "%s/t10k-labels-idx1-ubyte: not an IDX label file: magic number 0x67617262, expected 0x00000801",
                tmpdir);
    expect_fail(run_train("@tiny.yaml", "--data", "@nowhere", NULL), "%s/nowhere: cannot open the data folder: No "
                "such file or directory", tmpdir);
    /* the training set is checked too */
    make_blobs("t10k", 10, 3, 4, 4, 4, false);
    make_blobs("train", 10, 3, 4, 4, 5, false);
    expect_fail(run_train("@tiny.yaml", "--data", tmpdir, "--report", "@r.json", NULL),
                "%s: training sample 5 has label 4 but the spec '%s/tiny.yaml' has 4 classes (labels 0 to 3)", tmpdir,
                tmpdir);
    /* outputs that cannot be written are found before training */
    make_blobs("train", 10, 3, 4, 4, 4, false);
    expect_fail(run_train("@tiny.yaml", "--data", tmpdir, "--report", "@nodir/r.json", NULL),
                "cannot write '%s/nodir/r.json': No such file or directory", tmpdir);
    ck_assert_int_eq(mkdir(tp("adir"), 0700), 0);
    expect_fail(run_train("@tiny.yaml", "--data", tmpdir, "--save", "@adir", NULL), "cannot write '%s/adir': it is a folder",
                tmpdir);
}
END_TEST

START_TEST(train_spec_errors)
{
    make_data();
    put_text("bad.yaml", "name: tiny\nlayers: [16, 8]\nfanout: [3]\nz: [8]\n");
    ck_assert_int_eq(run_train("@bad.yaml", "--data", tmpdir, NULL), 1);
    char want[600];
    snprintf(want, sizeof want, "%s/bad.yaml:4:5: error: ", tmpdir); /* z: [8] with d_in 6 */
    ck_assert_msg(!strncmp(err_text, want, strlen(want)), "spec error not at its location: %s", err_text);
    ck_assert_int_eq(run_train("@none.yaml", "--data", tmpdir, NULL), 1);
    ck_assert_ptr_nonnull(strstr(err_text, "none.yaml"));
    /* inference-only specs: refused for training, accepted with --eval */
    put_text("infer.yaml", "name: tiny_infer\nlayers: [16, 8, 4]\nfanout: [4, 2]\nz: [8, 2]\nmode: infer\n");
    expect_fail(run_train("@infer.yaml", "--data", tmpdir, "--report", "@r.json", NULL),
                "%s/infer.yaml: the spec is inference-only (mode: infer): train needs mode: train (use --eval to "
                "measure the test accuracy of its weights)",
                tmpdir);
    ck_assert_int_eq(run_train("@infer.yaml", "--data", tmpdir, "--eval", "--report", "@r.json", NULL), 0);
    ck_assert_str_eq(err_text, "");
    ck_assert(exists("r.json"));
    /* a weight file that does not fit: one line, nothing written */
    put_text("w.bad", "not a weight file\n");
    ck_assert_int_eq(run_train("@tiny.yaml", "--data", tmpdir, "--load", "@w.bad", "--save", "@w.txt", NULL), 1);
    ck_assert_msg(strchr(err_text, '\n') == err_text + strlen(err_text) - 1, "not one line: %s", err_text);
    ck_assert_ptr_nonnull(strstr(err_text, "w.bad"));
    ck_assert(!exists("w.txt"));
}
END_TEST

static void replica_result(void *ctx, const sg_result *r)
{
    struct { const uint8_t *labels; uint64_t ok; } *t = ctx;
    if (r->prediction == t->labels[r->id]) t->ok++;
}

/* The documented procedure, written again from the model's API: per epoch the dataset order shuffled with stream
 * (training.seed, epoch), the spec's shift, pipelined (model_cycle + model_flush) or sequential; training accuracy
 * from the results; test accuracy with model_predict; pixels to input.bits per docs/arithmetic.md §3, padding 0. */
static void replica(const char *spec_name, int epochs, sg_model_kind kind, bool sequential, uint32_t limit_train,
                    uint64_t *train_correct, uint64_t *test_correct, const char *save)
{
    static sg_spec s;
    sg_diag d;
    diag_init(&d, NULL);
    ck_assert(spec_load(tp(spec_name), &s, &d));
    sg_pattern pats[SG_MAX_J];
    for (int j = 1; j <= s.J; j++) ck_assert(pat_generate(&s, j, &pats[j - 1], &d));
    sg_model *m = model_new(&s, pats, kind);
    sg_dataset tr, te;
    ck_assert(idx_load_files(tp("train-images-idx3-ubyte"), tp("train-labels-idx1-ubyte"), limit_train, &tr));
    ck_assert(idx_load_files(tp("t10k-images-idx3-ubyte.gz"), tp("t10k-labels-idx1-ubyte.gz"), 0, &te));
    uint32_t n0 = s.layers[0], per = tr.rows * tr.cols;
    uint16_t *xs = calloc((size_t)tr.count * n0, sizeof *xs), *xt = calloc((size_t)te.count * n0, sizeof *xt);
    for (uint32_t i = 0; i < tr.count * per; i++) {
        unsigned p = tr.pixels[i];
        xs[(i / per) * n0 + i % per] = (uint16_t)(s.input_bits <= 8 ? p / (1u << (8 - s.input_bits)) : p * (1u << (s.input_bits - 8)));
    }
    for (uint32_t i = 0; i < te.count * per; i++) {
        unsigned p = te.pixels[i];
        xt[(i / per) * n0 + i % per] = (uint16_t)(s.input_bits <= 8 ? p / (1u << (8 - s.input_bits)) : p * (1u << (s.input_bits - 8)));
    }
    uint32_t *order = malloc(tr.count * sizeof *order);
    for (int e = 1; e <= epochs; e++) {
        for (uint32_t i = 0; i < tr.count; i++) order[i] = i;
        if (s.shuffle) {
            sg_rng r;
            rng_init(&r, s.train_seed, (uint64_t)e);
            rng_shuffle_u32(&r, order, tr.count);
        }
        struct { const uint8_t *labels; uint64_t ok; } t = { tr.labels, 0 };
        for (uint32_t i = 0; i < tr.count; i++) {
            sg_sample smp = { xs + (size_t)order[i] * n0, tr.labels[order[i]], spec_shift_for_epoch(&s, e), true,
                              (long)order[i] };
            void (*fn)(sg_model *, const sg_sample *, sg_result_fn, void *) = sequential ? model_sequential : model_cycle;
            fn(m, &smp, replica_result, &t);
        }
        if (!sequential) model_flush(m, replica_result, &t);
        train_correct[e - 1] = t.ok;
        test_correct[e - 1] = 0;
        for (uint32_t i = 0; i < te.count; i++)
            if (model_predict(m, xt + (size_t)i * n0) == te.labels[i]) test_correct[e - 1]++;
    }
    if (save) ck_assert(model_save(m, tp(save)));
    free(order);
    free(xs);
    free(xt);
    idx_free(&tr);
    idx_free(&te);
    model_free(m);
    for (int j = 1; j <= s.J; j++) pat_free(&pats[j - 1]);
}

/* Reads the report and checks its keys (in order) and its per-epoch counts against the replica's. */
static json_t *check_report(const char *name, int epochs, const uint64_t *train_correct, const uint64_t *test_correct,
                            uint64_t train_samples, uint64_t test_samples)
{
    json_error_t jerr;
    json_t *r = json_load_file(tp(name), 0, &jerr);
    ck_assert_msg(r != NULL, "report is not JSON: %s", jerr.text);
    static const char *const keys[] = { "generator", "spec", "spec_hash", "model", "schedule", "format_width",
                                        "format_frac", "loaded_weights", "train_samples", "test_samples", "epochs",
                                        "final_test_accuracy", "final_test_correct" };
    size_t k = 0;
    for (void *it = json_object_iter(r); it; it = json_object_iter_next(r, it), k++) {
        ck_assert_uint_lt(k, sizeof keys / sizeof keys[0]);
        ck_assert_str_eq(json_object_iter_key(it), keys[k]);
    }
    ck_assert_uint_eq(k, sizeof keys / sizeof keys[0]);
    ck_assert_int_eq(json_integer_value(json_object_get(r, "train_samples")), (json_int_t)train_samples);
    ck_assert_int_eq(json_integer_value(json_object_get(r, "test_samples")), (json_int_t)test_samples);
    json_t *eps = json_object_get(r, "epochs");
    ck_assert_uint_eq(json_array_size(eps), (size_t)epochs);
    static const char *const ekeys[] = { "epoch", "shift", "train_accuracy", "test_accuracy", "train_correct",
                                         "test_correct", "train_samples", "seconds", "test_seconds",
                                         "samples_per_second", "edge_ops_per_second" };
    for (int e = 0; e < epochs; e++) {
        json_t *ej = json_array_get(eps, (size_t)e);
        k = 0;
        for (void *it = json_object_iter(ej); it; it = json_object_iter_next(ej, it), k++)
            ck_assert_str_eq(json_object_iter_key(it), ekeys[k]);
        ck_assert_uint_eq(k, sizeof ekeys / sizeof ekeys[0]);
        ck_assert_int_eq(json_integer_value(json_object_get(ej, "epoch")), e + 1);
        ck_assert_int_eq(json_integer_value(json_object_get(ej, "train_correct")), (json_int_t)train_correct[e]);
        ck_assert_int_eq(json_integer_value(json_object_get(ej, "test_correct")), (json_int_t)test_correct[e]);
        ck_assert_double_eq_tol(json_real_value(json_object_get(ej, "train_accuracy")),
                                (double)train_correct[e] / (double)train_samples, 1e-9);
        ck_assert_double_eq_tol(json_real_value(json_object_get(ej, "test_accuracy")),
                                (double)test_correct[e] / (double)test_samples, 1e-9);
        ck_assert(json_real_value(json_object_get(ej, "seconds")) >= 0);
        ck_assert(json_real_value(json_object_get(ej, "edge_ops_per_second")) > 0);
    }
    if (epochs)
        ck_assert_double_eq_tol(json_real_value(json_object_get(r, "final_test_accuracy")),
                                (double)test_correct[epochs - 1] / (double)test_samples, 1e-9);
    return r;
}

static void files_equal(const char *a, const char *b)
{
    size_t na, nb;
    unsigned char *x = slurp(tp(a), &na), *y = slurp(tp(b), &nb);
    ck_assert_msg(na == nb && memcmp(x, y, na) == 0, "%s and %s differ", a, b);
    free(x);
    free(y);
}

static void train_vs_replica(const char *spec_name, sg_model_kind kind, bool sequential, uint32_t limit)
{
    make_data();
    uint64_t trc[3], tec[3];
    replica(spec_name, 3, kind, sequential, limit, trc, tec, "w_replica.txt");
    char sp[600], lim[16];
    snprintf(sp, sizeof sp, "@%s", spec_name);
    snprintf(lim, sizeof lim, "%u", limit ? limit : 200);
    int rc = run_train(sp, "--data", tmpdir, "--epochs", "3", "--model", kind == SG_MODEL_FIXED ? "fixed" : "float",
                       "--schedule", sequential ? "sequential" : "pipelined", "--limit-train", lim, "--report",
                       "@r.json", "--save", "@w.txt", NULL);
    ck_assert_msg(rc == 0, "train failed: %s", err_text);
    ck_assert_str_eq(err_text, "");
    files_equal("w.txt", "w_replica.txt");
    json_t *r = check_report("r.json", 3, trc, tec, limit ? limit : 200, 80);
    ck_assert_str_eq(json_string_value(json_object_get(r, "model")), kind == SG_MODEL_FIXED ? "fixed" : "float");
    ck_assert_str_eq(json_string_value(json_object_get(r, "schedule")), sequential ? "sequential" : "pipelined");
    json_decref(r);
    /* stdout: header, one line per epoch, the final line; no progress bar (not a terminal) */
    char line[256];
    const char *p = strchr(out_text, '\n');
    ck_assert_ptr_nonnull(p);
    for (int e = 1; e <= 3; e++) {
        int shift = !strcmp(spec_name, "tiny.yaml") ? (e >= 3 ? 3 : 2) : 1;
        snprintf(line, sizeof line, "\nepoch %d/3  shift %d  train %.2f %%  test %.2f %%  ", e, shift,
                 100.0 * (double)trc[e - 1] / (limit ? limit : 200), 100.0 * (double)tec[e - 1] / 80);
        ck_assert_msg(!strncmp(p, line, strlen(line)), "epoch line: want '%s' in '%s'", line + 1, out_text);
        ck_assert_ptr_nonnull(strstr(p, " samples/s  "));
        ck_assert_ptr_nonnull(strstr(p, " M edge-ops/s\n"));
        p = strchr(p + 1, '\n');
    }
    snprintf(line, sizeof line, "\nfinal test accuracy %.2f %% (%u of 80 test samples)\n", 100.0 * (double)tec[2] / 80,
             (unsigned)tec[2]);
    ck_assert_str_eq(p, line);
    ck_assert_ptr_null(strchr(out_text, '\r'));
}

START_TEST(train_fixed_pipelined) { train_vs_replica("tiny.yaml", SG_MODEL_FIXED, false, 0); }
END_TEST
START_TEST(train_fixed_sequential) { train_vs_replica("tiny.yaml", SG_MODEL_FIXED, true, 150); }
END_TEST
START_TEST(train_float_pipelined) { train_vs_replica("tiny.yaml", SG_MODEL_FLOAT, false, 0); }
END_TEST
START_TEST(train_padded_bits6) { train_vs_replica("padded.yaml", SG_MODEL_FIXED, false, 0); }
END_TEST

START_TEST(train_learns)
{
    /* The synthetic problem is easy: the fixed model must learn it, in both schedules. */
    make_data();
    for (int sq = 0; sq < 2; sq++) {
        ck_assert_int_eq(run_train("@tiny.yaml", "--data", tmpdir, "--epochs", "4", "--schedule",
                                   sq ? "sequential" : "pipelined", "--report", "@r.json", NULL), 0);
        json_t *r = json_load_file(tp("r.json"), 0, NULL);
        double acc = json_real_value(json_object_get(r, "final_test_accuracy"));
        ck_assert_msg(acc >= 0.9, "test accuracy %.3f after 4 epochs", acc);
        json_decref(r);
    }
}
END_TEST

START_TEST(train_deterministic_and_load)
{
    make_data();
    ck_assert_int_eq(run_train("@tiny.yaml", "--data", tmpdir, "--epochs", "2", "--save", "@w1.txt", "--report", "@r1.json", NULL), 0);
    char out1[sizeof out_text];
    strcpy(out1, out_text);
    ck_assert_int_eq(run_train("@tiny.yaml", "--data", tmpdir, "--epochs", "2", "--save", "@w2.txt", "--report", "@r2.json", NULL), 0);
    files_equal("w1.txt", "w2.txt");
    json_t *r1 = json_load_file(tp("r1.json"), 0, NULL), *r2 = json_load_file(tp("r2.json"), 0, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(r1, "final_test_correct")),
                     json_integer_value(json_object_get(r2, "final_test_correct")));
    json_int_t final1 = json_integer_value(json_object_get(r1, "final_test_correct"));
    json_decref(r1);
    json_decref(r2);
    /* --eval with the saved weights measures the same test accuracy; the report says so */
    ck_assert_int_eq(run_train("@tiny.yaml", "--data", tmpdir, "--load", "@w1.txt", "--eval", "--report", "@r3.json", NULL), 0);
    json_t *r3 = json_load_file(tp("r3.json"), 0, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(r3, "final_test_correct")), final1);
    ck_assert(json_is_true(json_object_get(r3, "loaded_weights")));
    ck_assert(json_is_null(json_object_get(r3, "schedule")));
    ck_assert_uint_eq(json_array_size(json_object_get(r3, "epochs")), 0);
    json_decref(r3);
    /* 2 epochs = 1 epoch, save, load, 1 more epoch? No: epoch 2 of a new run is epoch 1 again (shuffle, shift). But
     * loading and training on continues from the loaded weights: different from the initial weights' run. */
    ck_assert_int_eq(run_train("@tiny.yaml", "--data", tmpdir, "--load", "@w1.txt", "--save", "@w3.txt", NULL), 0);
    size_t n1, n3;
    unsigned char *a = slurp(tp("w1.txt"), &n1), *b = slurp(tp("w3.txt"), &n3);
    ck_assert(n1 != n3 || memcmp(a, b, n1) != 0);
    free(a);
    free(b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("idx");
    TCase *tc = tcase_create("idx");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, good_plain);
    tcase_add_test(tc, good_gzip);
    tcase_add_test(tc, limit_keeps_first);
    tcase_add_test(tc, limit_still_checks_the_whole_file);
    tcase_add_test(tc, big_images);
    tcase_add_test(tc, labels_not_range_checked);
    tcase_add_test(tc, dir_spellings);
    tcase_add_test(tc, dir_missing_file);
    tcase_add_test(tc, dir_missing_folder);
    tcase_add_test(tc, err_cannot_open);
    tcase_add_test(tc, err_is_a_folder);
    tcase_add_test(tc, err_magic);
    tcase_add_test(tc, err_short_header);
    tcase_add_test(tc, err_dimensions);
    tcase_add_test(tc, err_no_samples);
    tcase_add_test(tc, err_truncated);
    tcase_add_test(tc, err_trailing);
    tcase_add_test(tc, err_counts_disagree);
    tcase_add_test(tc, err_gzip);
    tcase_add_test(tc, gzip_fuzz_no_crash);
    tcase_add_test(tc, fashion_mnist);
    suite_add_tcase(s, tc);
    TCase *tt = tcase_create("train");
    tcase_add_checked_fixture(tt, setup, teardown);
    tcase_set_timeout(tt, 60);
    tcase_add_test(tt, train_usage);
    tcase_add_test(tt, train_data_errors);
    tcase_add_test(tt, train_spec_errors);
    tcase_add_test(tt, train_fixed_pipelined);
    tcase_add_test(tt, train_fixed_sequential);
    tcase_add_test(tt, train_float_pipelined);
    tcase_add_test(tt, train_padded_bits6);
    tcase_add_test(tt, train_learns);
    tcase_add_test(tt, train_deterministic_and_load);
    suite_add_tcase(s, tt);
    return s;
}

int main(void)
{
    snprintf(rootdir, sizeof rootdir, "%s/sgidx.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(rootdir)) {
        perror("test_idx: mkdtemp");
        return 1;
    }
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    rm_rf(rootdir);
    return failed ? 1 : 0;
}
