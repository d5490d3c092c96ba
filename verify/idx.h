/* idx.h: MNIST-format IDX datasets (plain or gzip, read with zlib). */
#ifndef SG_IDX_H
#define SG_IDX_H

#include "../gen/common.h"

typedef struct {
    uint32_t count, rows, cols;   /* images are rows x cols bytes; count = samples kept (after the limit) */
    uint32_t total;               /* samples in the files (count = min(total, limit) when limit > 0) */
    uint8_t *pixels;              /* [count * rows * cols] */
    uint8_t *labels;              /* [count] */
} sg_dataset;

/* Reads DIR/<prefix>-images-idx3-ubyte[.gz] and DIR/<prefix>-labels-idx1-ubyte[.gz] (also the
 * "<prefix>-images.idx3-ubyte" spelling; the first name that exists, in that order: plain before .gz), prefix
 * "train" or "t10k". limit > 0 keeps only the first limit samples (all of them when limit >= total); the whole
 * file is still read and checked, so a corrupt file is rejected whatever the limit.
 * Label values are not checked here (the caller knows the number of classes).
 * On any problem (missing file: the message lists the names tried; unreadable file; wrong magic; image size 0 or
 * more than 2^20 pixels; no samples; truncated data; trailing data after the samples the header announces; gzip
 * corruption; image and label counts that disagree) prints one line with diag_fail naming the file and the cause,
 * leaves *ds empty (idx_free is harmless) and returns false. docs/results.md lists the messages. */
bool idx_load(const char *dir, const char *prefix, uint32_t limit, sg_dataset *ds);
/* The same for two explicit files (tests, fuzzing). */
bool idx_load_files(const char *images, const char *labels, uint32_t limit, sg_dataset *ds);
void idx_free(sg_dataset *ds);

#define IDX_MAGIC_IMAGES 0x00000803u
#define IDX_MAGIC_LABELS 0x00000801u
#define IDX_MAX_PIXELS (1u << 20)     /* rows * cols limit */

#endif
