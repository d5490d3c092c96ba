/* idx.h: MNIST-format IDX datasets (plain or gzip, read with zlib). */
#ifndef SG_IDX_H
#define SG_IDX_H

#include "../gen/common.h"

typedef struct {
    uint32_t count, rows, cols;   /* images are rows x cols bytes */
    uint8_t *pixels;              /* [count * rows * cols] */
    uint8_t *labels;              /* [count] */
} sg_dataset;

/* Reads DIR/<prefix>-images-idx3-ubyte[.gz] and DIR/<prefix>-labels-idx1-ubyte[.gz] (also the
 * "<prefix>-images.idx3-ubyte" spelling), prefix "train" or "t10k". limit > 0 keeps only the first limit samples.
 * On any problem (missing file, wrong magic, truncated, counts that disagree, label > 9... labels are checked by
 * the caller) prints one line with diag_fail naming the file and the cause, and returns false. */
bool idx_load(const char *dir, const char *prefix, uint32_t limit, sg_dataset *ds);
/* The same for two explicit files (tests, fuzzing). */
bool idx_load_files(const char *images, const char *labels, uint32_t limit, sg_dataset *ds);
void idx_free(sg_dataset *ds);

#endif
