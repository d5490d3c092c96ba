/* idx.c: MNIST-format IDX datasets, plain or gzip (zlib's gzread reads both). Every problem is one diag_fail
 * line that starts with the file's name. Nothing is allocated from header values alone: buffers grow with the data
 * actually read, so a header that announces 2^32 images in a 20-byte file costs nothing. */
#define _POSIX_C_SOURCE 200809L
#include "idx.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* Reading one file. */
typedef struct {
    const char *path;
    gzFile gz;
    bool failed;        /* a message has been printed */
} reader;

static bool rd_open(reader *r, const char *path)
{
    r->path = path;
    r->failed = false;
    errno = 0;
    r->gz = gzopen(path, "rb");
    if (!r->gz) {
        diag_fail("%s: cannot open: %s", path, errno ? strerror(errno) : "out of memory");
        return false;
    }
    gzbuffer(r->gz, 1u << 17);
    return true;
}

static void rd_close(reader *r)
{
    if (r->gz) gzclose_r(r->gz);
    r->gz = NULL;
}

/* Prints the zlib error state, if any; true when there was one. */
static bool rd_zerror(reader *r)
{
    int err = Z_OK;
    const char *msg = gzerror(r->gz, &err);
    if (err == Z_OK) return false;
    size_t np = strlen(r->path); /* zlib's message is "PATH: what" */
    if (msg && !strncmp(msg, r->path, np) && msg[np] == ':' && msg[np + 1] == ' ') msg += np + 2;
    if (err == Z_ERRNO)
        diag_fail("%s: read error: %s", r->path, strerror(errno ? errno : EIO));
    else if (err == Z_BUF_ERROR)
        diag_fail("%s: corrupt gzip data: the compressed stream ends early (%s)", r->path, msg);
    else if (err == Z_MEM_ERROR)
        diag_fail("%s: out of memory while decompressing", r->path);
    else
        diag_fail("%s: corrupt gzip data: %s", r->path, msg && *msg ? msg : "unknown error");
    r->failed = true;
    return true;
}

/* Reads up to n bytes; returns the number read (short only at the end of the data or on error; on error a
 * message is printed and r->failed set). */
static size_t rd_read(reader *r, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        size_t chunk = n - got > (1u << 30) ? (1u << 30) : n - got;
        errno = 0;
        int k = gzread(r->gz, (char *)buf + got, (unsigned)chunk);
        if (k < 0) {
            if (!rd_zerror(r)) {
                diag_fail("%s: read error", r->path);
                r->failed = true;
            }
            return got;
        }
        if (k == 0) break;
        got += (size_t)k;
    }
    if (got < n && rd_zerror(r)) return got;
    return got;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Reads the body of count records of rec bytes: keeps the first `keep` records in *out (grown as data arrives),
 * reads and discards the rest, then checks that the file ends there. `what` names the records ("images"). */
static bool rd_body(reader *r, uint32_t count, size_t rec, uint32_t keep, uint8_t **out, const char *what,
                    uint64_t header_bytes)
{
    uint64_t want = (uint64_t)count * rec, keep_bytes = (uint64_t)keep * rec, got = 0;
    size_t cap = 0;
    uint8_t *buf = NULL;
    uint8_t scratch[1 << 16];
    while (got < want) {
        uint64_t left = want - got;
        size_t n;
        uint8_t *dst;
        if (got < keep_bytes) {
            if (got == cap) { /* grow geometrically, bounded by what is wanted */
                uint64_t ncap = cap ? (uint64_t)cap * 2 : (1u << 16);
                if (ncap > keep_bytes) ncap = keep_bytes;
                if (ncap > SIZE_MAX) {
                    diag_fail("%s: too large for this machine", r->path);
                    free(buf);
                    return false;
                }
                buf = xrealloc(buf, (size_t)ncap);
                cap = (size_t)ncap;
            }
            n = cap - (size_t)got;
            dst = buf + got;
        } else {
            n = sizeof scratch;
            dst = scratch;
        }
        if (n > left) n = (size_t)left;
        size_t k = rd_read(r, dst, n);
        got += k;
        if (r->failed) {
            free(buf);
            return false;
        }
        if (k < n) {
            diag_fail("%s: truncated: the header announces %" PRIu32 " %s (%" PRIu64 " bytes of data after the "
                      "%" PRIu64 "-byte header), the file has only %" PRIu64,
                      r->path, count, what, want, header_bytes, got);
            free(buf);
            return false;
        }
    }
    /* The file must end here. Reading past the last record also makes zlib check the gzip trailer (CRC). */
    unsigned char extra;
    size_t k = rd_read(r, &extra, 1);
    if (r->failed) {
        free(buf);
        return false;
    }
    if (k) {
        diag_fail("%s: trailing data after the %" PRIu32 " %s the header announces", r->path, count, what);
        free(buf);
        return false;
    }
    if (!buf) buf = xmalloc(1);
    *out = buf;
    return true;
}

/* Reads a header of n 32-bit words, the first of which is the magic number: false (with a message) if the file is
 * shorter or the magic is wrong. The magic is checked first, so a file of the wrong kind is named as such. */
static bool rd_header(reader *r, uint32_t *words, int n, const char *kind, uint32_t magic)
{
    unsigned char h[16];
    size_t want = (size_t)n * 4, k = rd_read(r, h, 4);
    if (r->failed) return false;
    if (k == 4 && be32(h) != magic) {
        diag_fail("%s: not an IDX %s file: magic number 0x%08" PRIx32 ", expected 0x%08" PRIx32, r->path, kind,
                  be32(h), magic);
        return false;
    }
    if (k == 4) k += rd_read(r, h + 4, want - 4);
    if (r->failed) return false;
    if (k < want) {
        diag_fail("%s: too short for an IDX %s header (%zu of %zu bytes)", r->path, kind, k, want);
        return false;
    }
    for (int i = 0; i < n; i++) words[i] = be32(h + 4 * i);
    return true;
}

static bool load_images(const char *path, uint32_t limit, sg_dataset *ds)
{
    reader r;
    if (!rd_open(&r, path)) return false;
    uint32_t h[4];
    bool ok = rd_header(&r, h, 4, "image", IDX_MAGIC_IMAGES);
    if (ok && (h[2] == 0 || h[3] == 0 || (uint64_t)h[2] * h[3] > IDX_MAX_PIXELS)) {
        diag_fail("%s: absurd image size %" PRIu32 " x %" PRIu32 " (rows x cols must be 1 to %u pixels)", path,
                  h[2], h[3], IDX_MAX_PIXELS);
        ok = false;
    }
    if (ok && h[1] == 0) {
        diag_fail("%s: no images (the header announces 0)", path);
        ok = false;
    }
    if (ok) {
        ds->total = h[1];
        ds->rows = h[2];
        ds->cols = h[3];
        ds->count = limit > 0 && limit < h[1] ? limit : h[1];
        ok = rd_body(&r, h[1], (size_t)h[2] * h[3], ds->count, &ds->pixels, "images", 16);
    }
    rd_close(&r);
    return ok;
}

static bool load_labels(const char *path, uint32_t *total, uint8_t **labels, uint32_t limit)
{
    reader r;
    if (!rd_open(&r, path)) return false;
    uint32_t h[2];
    bool ok = rd_header(&r, h, 2, "label", IDX_MAGIC_LABELS);
    if (ok && h[1] == 0) {
        diag_fail("%s: no labels (the header announces 0)", path);
        ok = false;
    }
    if (ok) {
        *total = h[1];
        ok = rd_body(&r, h[1], 1, limit > 0 && limit < h[1] ? limit : h[1], labels, "labels", 8);
    }
    rd_close(&r);
    return ok;
}

void idx_free(sg_dataset *ds)
{
    free(ds->pixels);
    free(ds->labels);
    memset(ds, 0, sizeof *ds);
}

bool idx_load_files(const char *images, const char *labels, uint32_t limit, sg_dataset *ds)
{
    memset(ds, 0, sizeof *ds);
    uint32_t nlabels = 0;
    if (!load_images(images, limit, ds) || !load_labels(labels, &nlabels, &ds->labels, limit)) {
        idx_free(ds);
        return false;
    }
    if (nlabels != ds->total) {
        diag_fail("%s has %" PRIu32 " images but %s has %" PRIu32 " labels", images, ds->total, labels, nlabels);
        idx_free(ds);
        return false;
    }
    return true;
}

/* DIR/<prefix>-<kind>-idx<d>-ubyte, then .gz, then the "<prefix>-<kind>.idx<d>-ubyte" spelling and its .gz.
 * Returns the first that exists (a malloc'd path) or NULL after printing the names tried. */
static char *find_file(const char *dir, const char *prefix, const char *kind, int d)
{
    static const char *const fmt[] = { "%s/%s-%s-idx%d-ubyte", "%s/%s-%s-idx%d-ubyte.gz", "%s/%s-%s.idx%d-ubyte",
                                       "%s/%s-%s.idx%d-ubyte.gz" };
    char tried[1024] = "";
    size_t used = 0;
    for (size_t i = 0; i < sizeof fmt / sizeof fmt[0]; i++) {
        int n = snprintf(NULL, 0, fmt[i], dir, prefix, kind, d);
        char *path = xmalloc((size_t)n + 1);
        snprintf(path, (size_t)n + 1, fmt[i], dir, prefix, kind, d);
        struct stat st;
        if (stat(path, &st) == 0) return path;
        const char *base = path + strlen(dir) + 1;
        int k = snprintf(tried + used, sizeof tried - used, "%s%s", i ? ", " : "", base);
        if (k > 0 && (size_t)k < sizeof tried - used) used += (size_t)k;
        free(path);
    }
    struct stat st;
    if (stat(dir, &st) != 0)
        diag_fail("%s: cannot open the data folder: %s", dir, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        diag_fail("%s: the data folder is not a folder", dir);
    else
        diag_fail("%s: no %s %s file (tried %s)", dir, prefix, kind, tried);
    return NULL;
}

bool idx_load(const char *dir, const char *prefix, uint32_t limit, sg_dataset *ds)
{
    memset(ds, 0, sizeof *ds);
    char *images = find_file(dir, prefix, "images", 3);
    if (!images) return false;
    char *labels = find_file(dir, prefix, "labels", 1);
    if (!labels) {
        free(images);
        return false;
    }
    bool ok = idx_load_files(images, labels, limit, ds);
    free(images);
    free(labels);
    return ok;
}
