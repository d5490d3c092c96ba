/* fuzz_idx.c: libFuzzer target for the IDX reader (verify/idx.c).
 *
 * The input is split into an image file and a label file, written to a private temporary folder, and loaded with
 * idx_load (through the file-name search) or idx_load_files:
 *   byte 0      flags: bit 0 gzip-compress the image part, bit 1 gzip-compress the label part, bit 2 load through
 *               idx_load(DIR, "train") instead of idx_load_files, bits 3-7 the limit (0 = all)
 *   bytes 1-2   little-endian length of the image part (taken modulo the bytes left + 1)
 *   the rest    image part, then label part
 * The parts themselves may be gzip files (the seed corpus has some), so zlib's own decoder is fuzzed too.
 *
 * Checked on every input: no crash or sanitizer report; a failed load prints exactly one line starting with
 * "sparsegen: error: " and leaves the dataset empty; a successful load prints nothing and returns consistent sizes.
 * stderr is replaced by a memory stream to check that (libFuzzer and the sanitizers keep the real one);
 * SG_FUZZ_VERBOSE=1 also copies the messages to the real stderr.
 *
 * Run: make out/fuzz/idx && out/fuzz/idx -max_total_time=60 verify/fuzz/corpus/idx */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "../idx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256];
static char *msgbuf;
static size_t msglen;
static FILE *msgs, *real_stderr;
static bool verbose;
static volatile unsigned sink;

static void remove_files(void)
{
    static const char *const names[] = { "train-images-idx3-ubyte", "train-images-idx3-ubyte.gz",
                                         "train-labels-idx1-ubyte", "train-labels-idx1-ubyte.gz" };
    char path[512];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
}

static void cleanup(void)
{
    remove_files();
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(dir, sizeof dir, "%s/sgfuzzidx.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        perror("fuzz_idx: mkdtemp");
        abort();
    }
    atexit(cleanup);
    verbose = getenv("SG_FUZZ_VERBOSE") && !strcmp(getenv("SG_FUZZ_VERBOSE"), "1");
    msgs = open_memstream(&msgbuf, &msglen);
    if (!msgs) abort();
    real_stderr = stderr;
    stderr = msgs; /* glibc: stderr is an assignable FILE *; diag_fail prints to it */
    return 0;
}

static void put(const char *name, const uint8_t *p, size_t n, bool gz)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s%s", dir, name, gz ? ".gz" : "");
    if (gz) {
        gzFile f = gzopen(path, "wb1");
        if (!f) abort();
        if (n && gzwrite(f, p, (unsigned)n) != (int)n) abort();
        if (gzclose(f) != Z_OK) abort();
    } else {
        FILE *f = fopen(path, "wb");
        if (!f) abort();
        if (n && fwrite(p, 1, n, f) != n) abort();
        if (fclose(f) != 0) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3) return 0;
    unsigned flags = data[0];
    size_t rest = size - 3, split = ((size_t)data[1] | (size_t)data[2] << 8) % (rest + 1);
    const uint8_t *img = data + 3, *lab = data + 3 + split;
    bool gz_img = flags & 1, gz_lab = flags & 2, by_dir = flags & 4;
    uint32_t limit = flags >> 3;

    remove_files();
    put("train-images-idx3-ubyte", img, split, gz_img);
    put("train-labels-idx1-ubyte", lab, rest - split, gz_lab);

    char ipath[512], lpath[512];
    snprintf(ipath, sizeof ipath, "%s/train-images-idx3-ubyte%s", dir, gz_img ? ".gz" : "");
    snprintf(lpath, sizeof lpath, "%s/train-labels-idx1-ubyte%s", dir, gz_lab ? ".gz" : "");

    rewind(msgs);
    sg_dataset ds;
    bool ok = by_dir ? idx_load(dir, "train", limit, &ds) : idx_load_files(ipath, lpath, limit, &ds);
    fflush(msgs);
    /* open_memstream: msglen is the current position, msgbuf[msglen] is NUL */
    size_t n = msglen;
    const char *m = msgbuf;
    if (verbose && n) fprintf(real_stderr, "%.*s", (int)n, m);
    if (ok) {
        if (n != 0) {
            fprintf(real_stderr, "fuzz_idx: a successful load printed: %.*s\n", (int)n, m);
            abort();
        }
        if (ds.count == 0 || ds.count > ds.total || (limit && ds.count > limit) || !ds.pixels || !ds.labels ||
            (uint64_t)ds.rows * ds.cols == 0 || (uint64_t)ds.rows * ds.cols > IDX_MAX_PIXELS)
            abort();
        /* touch every byte, so the sanitizers see any short allocation */
        unsigned sum = 0;
        size_t px = (size_t)ds.count * ds.rows * ds.cols;
        for (size_t i = 0; i < px; i++) sum += ds.pixels[i];
        for (uint32_t i = 0; i < ds.count; i++) sum += ds.labels[i];
        sink = sum;
    } else {
        const char *nl = memchr(m, '\n', n);
        if (n < 19 || strncmp(m, "sparsegen: error: ", 18) != 0 || !nl || nl != m + n - 1) {
            fprintf(real_stderr, "fuzz_idx: a failed load must print exactly one error line, printed: %.*s\n", (int)n,
                    m);
            abort();
        }
        if (ds.pixels || ds.labels || ds.count) abort();
    }
    idx_free(&ds);
    rewind(msgs);
    return 0;
}
