/* common.h: what every part of sparsegen shares: version, diagnostics, memory, output folders. */
#ifndef SG_COMMON_H
#define SG_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SG_VERSION "0.1.0"

/* Exit statuses, everywhere. */
enum { SG_EXIT_OK = 0, SG_EXIT_BAD_INPUT = 1, SG_EXIT_USAGE = 2 };

#define SG_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* ---- diag.c: diagnostics -------------------------------------------------------------------
 * Messages go to stderr as they are found, so that all errors of a file are reported in one run:
 *   FILE:LINE:COL: error: MESSAGE     (diag_error with a location)
 *   sparsegen: error: MESSAGE          (diag_fail, no location)
 * Lines and columns are 1-based. */
typedef struct {
    int line, col; /* 0 = unknown */
} sg_loc;

typedef struct {
    const char *file; /* file the locations refer to (may be NULL) */
    int errors, warnings;
    FILE *out;        /* where messages go; NULL = stderr (tests point it at a memstream) */
} sg_diag;

void diag_init(sg_diag *d, const char *file);
void diag_error(sg_diag *d, sg_loc at, const char *fmt, ...) SG_PRINTF(3, 4);
void diag_warning(sg_diag *d, sg_loc at, const char *fmt, ...) SG_PRINTF(3, 4);
/* One-line error with no location: "sparsegen: error: ..." on stderr. */
void diag_fail(const char *fmt, ...) SG_PRINTF(1, 2);

/* ---- util.c: memory and files ---------------------------------------------------------------- */
void *xmalloc(size_t n);              /* aborts with a message on out-of-memory */
void *xcalloc(size_t n, size_t size); /* checks n * size for overflow */
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Smallest k with 2^k >= x (0 for x <= 1): memory address widths, adder-tree depths. */
static inline uint32_t ceil_log2(uint64_t x)
{
    uint32_t k = 0;
    while (k < 64 && ((uint64_t)1 << k) < x) k++;
    return k;
}
/* FNV-1a 64-bit hash of bytes; used for spec hashes and pattern identities. */
uint64_t hash64(const void *data, size_t n, uint64_t h);
#define HASH64_INIT 0xcbf29ce484222325ULL
/* Reads a whole file into a NUL-terminated buffer; NULL (and errno set) on failure. */
char *read_file(const char *path, size_t *len);

/* An output folder written all or nothing. od_open creates DIR (and parents) if missing and a private
 * temporary folder inside it; od_file opens a file for writing in that temporary folder; od_commit moves every
 * file into DIR (replacing older ones of the same name), removes the files that the previous commit of the same
 * command (WHAT: "rtl", "patterns", "vectors") wrote and this one did not (listed in DIR/.sparsegen-WHAT.files;
 * never other files) and removes the temporary folder; od_abort removes
 * everything written, and DIR too if od_open created it. All return false / NULL after printing a one-line
 * error with diag_fail. Names may contain one level of subfolder ("rtl/top.v"). */
typedef struct sg_outdir sg_outdir;
sg_outdir *od_open(const char *dir, const char *what);
FILE *od_file(sg_outdir *od, const char *name);
/* Closes a FILE from od_file, checking for write errors; false on error. */
bool od_close(sg_outdir *od, FILE *f);
bool od_commit(sg_outdir *od);
void od_abort(sg_outdir *od);
/* The final path of a file (DIR/name), for messages. Returned string lives as long as od. */
const char *od_final_path(sg_outdir *od, const char *name);

#endif
