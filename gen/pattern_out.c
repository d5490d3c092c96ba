/* pattern_out.c: the files of `sparsegen patterns`: one CSV row per edge, and the adjacency matrix as a PNG.
 * Formats in docs/patterns.md. Both are deterministic byte for byte. */
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

/* ---- CSV: hand-rolled integer formatting into a large buffer (the files reach hundreds of MB) ---- */

#define CSV_BUF (1u << 20)
#define CSV_ROW_MAX 64 /* 5 fields of at most 10 digits, separators, newline */

static char *put_u32(char *o, uint32_t v)
{
    char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) *o++ = tmp[--n];
    return o;
}

bool pat_write_csv(const sg_pattern *pt, FILE *f)
{
    char *buf = xmalloc(CSV_BUF);
    static const char header[] = "edge,clock,lane,left,right\n";
    bool ok = fwrite(header, 1, sizeof header - 1, f) == sizeof header - 1;
    char *o = buf;
    uint32_t c = 0, k = 0, r = 0, e = 0;
    for (uint64_t i = 0; i < pt->W && ok; i++) {
        o = put_u32(o, (uint32_t)i);
        *o++ = ',';
        o = put_u32(o, c);
        *o++ = ',';
        o = put_u32(o, k);
        *o++ = ',';
        o = put_u32(o, pt->left[i]);
        *o++ = ',';
        o = put_u32(o, r);
        *o++ = '\n';
        if (++k == pt->z) {
            k = 0;
            c++;
        }
        if (++e == pt->din) {
            e = 0;
            r++;
        }
        if ((size_t)(o - buf) > CSV_BUF - CSV_ROW_MAX) {
            ok = fwrite(buf, 1, (size_t)(o - buf), f) == (size_t)(o - buf);
            o = buf;
        }
    }
    if (ok && o > buf) ok = fwrite(buf, 1, (size_t)(o - buf), f) == (size_t)(o - buf);
    free(buf);
    return ok && !ferror(f);
}

/* ---- PNG ---- */

#define PNG_MAX_SIDE 1024

/* Downsampling factor: the smallest integer f with ceil(max(p, n) / f) <= 1024 (1 when both sides fit). */
uint32_t pat_png_factor(const sg_pattern *pt)
{
    uint32_t side = pt->p > pt->n ? pt->p : pt->n;
    return side <= PNG_MAX_SIDE ? 1 : (side + PNG_MAX_SIDE - 1) / PNG_MAX_SIDE;
}

typedef struct {
    png_structp png;
    png_infop info;
    const uint32_t *cnt;    /* edges per block, [ht][wd] */
    uint32_t wd, ht, f, p, n;
    png_bytep row;          /* [wd] */
} png_job;

static void png_err(png_structp png, png_const_charp msg)
{
    (void)msg; /* reported by the caller as a write error */
    longjmp(png_jmpbuf(png), 1);
}

static void png_warn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void png_rows(png_job *jb)
{
    for (uint32_t y = 0; y < jb->ht; y++) {
        uint64_t bh = (uint64_t)(y + 1) * jb->f > jb->n ? jb->n - (uint64_t)y * jb->f : jb->f;
        for (uint32_t x = 0; x < jb->wd; x++) {
            uint64_t bw = (uint64_t)(x + 1) * jb->f > jb->p ? jb->p - (uint64_t)x * jb->f : jb->f;
            uint64_t cells = bw * bh, e = jb->cnt[(size_t)y * jb->wd + x];
            if (e > cells) e = cells; /* repeated edges */
            /* grey = 255 - round(255 * density), round half up in integers */
            jb->row[x] = (png_byte)(255 - (510 * e + cells) / (2 * cells));
        }
        png_write_row(jb->png, jb->row);
    }
}

/* The libpng calls; every value they need lives in *jb so that nothing local changes after setjmp. */
static bool png_emit(png_job *jb, FILE *f)
{
    if (setjmp(png_jmpbuf(jb->png))) return false;
    png_init_io(jb->png, f);
    png_set_compression_level(jb->png, 3);
    png_set_filter(jb->png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_IHDR(jb->png, jb->info, jb->wd, jb->ht, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(jb->png, jb->info);
    png_rows(jb);
    png_write_end(jb->png, NULL);
    return true;
}

bool pat_write_png(const sg_pattern *pt, FILE *f)
{
    png_job jb = { .f = pat_png_factor(pt), .p = pt->p, .n = pt->n };
    jb.wd = (pt->p + jb.f - 1) / jb.f;
    jb.ht = (pt->n + jb.f - 1) / jb.f;
    if (!jb.wd || !jb.ht || !pt->din) return false;
    uint32_t *cnt = xcalloc((size_t)jb.wd * jb.ht, sizeof *cnt);
    for (uint64_t i = 0; i < pt->W; i++) {
        uint32_t x = pt->left[i];
        if (x >= pt->p) continue;
        uint32_t r = (uint32_t)(i / pt->din);
        cnt[(size_t)(r / jb.f) * jb.wd + x / jb.f]++;
    }
    jb.cnt = cnt;
    jb.row = xmalloc(jb.wd);
    bool ok = false;
    jb.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_err, png_warn);
    if (jb.png) jb.info = png_create_info_struct(jb.png);
    if (jb.png && jb.info) ok = png_emit(&jb, f);
    if (jb.png) png_destroy_write_struct(&jb.png, jb.info ? &jb.info : NULL);
    free(jb.row);
    free(cnt);
    return ok && !ferror(f);
}
