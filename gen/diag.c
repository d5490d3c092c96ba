/* diag.c: error and warning messages. */
#include <stdlib.h>

#include "common.h"

void diag_init(sg_diag *d, const char *file)
{
    d->file = file;
    d->errors = d->warnings = 0;
    d->out = NULL;
}

static void emit(sg_diag *d, sg_loc at, const char *kind, const char *fmt, va_list ap)
{
    FILE *f = d->out ? d->out : stderr;
    if (d->file && at.line > 0)
        fprintf(f, "%s:%d:%d: %s: ", d->file, at.line, at.col > 0 ? at.col : 1, kind);
    else if (d->file)
        fprintf(f, "%s: %s: ", d->file, kind);
    else
        fprintf(f, "sparsegen: %s: ", kind);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
}

void diag_error(sg_diag *d, sg_loc at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(d, at, "error", fmt, ap);
    va_end(ap);
    d->errors++;
}

void diag_warning(sg_diag *d, sg_loc at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(d, at, "warning", fmt, ap);
    va_end(ap);
    d->warnings++;
}

void diag_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sparsegen: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
