/* util.c: memory, hashing, whole-file reads, and all-or-nothing output folders. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static void oom(size_t n)
{
    fprintf(stderr, "sparsegen: error: out of memory (%zu bytes)\n", n);
    exit(SG_EXIT_BAD_INPUT);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) oom(SIZE_MAX);
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

uint64_t hash64(const void *data, size_t n, uint64_t h)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) buf = xrealloc(buf, cap *= 2);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

/* ---- output folders ---- */

#define OD_MAX_FILES 4096

struct sg_outdir {
    char *dir, *tmp;
    char *manifest;         /* DIR/.sparsegen-<what>.files: the names the last commit of this command wrote */
    bool created;           /* we created dir */
    int n;
    char *names[OD_MAX_FILES];
    char scratch[8192];
};

static bool mkdir_p(const char *path, bool *created)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) {
        errno = ENAMETOOLONG;
        return false;
    }
    memcpy(buf, path, n + 1);
    *created = false;
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != 0) continue;
        char c = buf[i];
        buf[i] = 0;
        if (mkdir(buf, 0777) == 0) {
            if (c == 0) *created = true;
        } else if (errno != EEXIST) {
            return false;
        } else {
            struct stat st;
            if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
                errno = ENOTDIR;
                return false;
            }
        }
        buf[i] = c;
    }
    return true;
}

static char *join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = xmalloc(na + nb + 2);
    memcpy(s, a, na);
    s[na] = '/';
    memcpy(s + na + 1, b, nb + 1);
    return s;
}

static void rm_tree(const char *path)
{
    DIR *dp = opendir(path);
    if (dp) {
        struct dirent *e;
        while ((e = readdir(dp))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            char *sub = join(path, e->d_name);
            rm_tree(sub);
            free(sub);
        }
        closedir(dp);
        rmdir(path);
    } else {
        unlink(path);
    }
}

sg_outdir *od_open(const char *dir, const char *what)
{
    sg_outdir *od = xcalloc(1, sizeof *od);
    if (!mkdir_p(dir, &od->created)) {
        diag_fail("cannot create output folder '%s': %s", dir, strerror(errno));
        free(od);
        return NULL;
    }
    od->dir = xstrdup(dir);
    char mname[128];
    snprintf(mname, sizeof mname, ".sparsegen-%s.files", what);
    od->manifest = join(dir, mname);
    od->tmp = join(dir, ".sparsegen-tmp-XXXXXX");
    if (!mkdtemp(od->tmp)) {
        diag_fail("cannot write in output folder '%s': %s", dir, strerror(errno));
        if (od->created) rmdir(dir);
        free(od->dir);
        free(od->tmp);
        free(od->manifest);
        free(od);
        return NULL;
    }
    return od;
}

FILE *od_file(sg_outdir *od, const char *name)
{
    if (od->n >= OD_MAX_FILES || !name[0] || name[0] == '/' || strstr(name, "..")) {
        diag_fail("internal: bad output file name '%s'", name);
        return NULL;
    }
    char *path = join(od->tmp, name);
    const char *slash = strrchr(name, '/');
    if (slash) { /* one level of subfolder */
        char *sub = xstrdup(path);
        *strrchr(sub, '/') = 0;
        if (mkdir(sub, 0777) != 0 && errno != EEXIST) {
            diag_fail("cannot create '%s': %s", sub, strerror(errno));
            free(sub);
            free(path);
            return NULL;
        }
        free(sub);
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        diag_fail("cannot write '%s': %s", path, strerror(errno));
        free(path);
        return NULL;
    }
    free(path);
    for (int i = 0; i < od->n; i++)
        if (!strcmp(od->names[i], name)) return f;
    od->names[od->n++] = xstrdup(name);
    return f;
}

bool od_close(sg_outdir *od, FILE *f)
{
    (void)od;
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0) bad = true;
    if (bad) diag_fail("write error in output folder '%s': %s", od->dir, strerror(errno ? errno : EIO));
    return !bad;
}

static bool od_has(const sg_outdir *od, const char *name)
{
    for (int i = 0; i < od->n; i++)
        if (!strcmp(od->names[i], name)) return true;
    return false;
}

/* Removes the files the previous commit of the same command listed in its manifest and this one does not write
 * (a smaller network has fewer junction memories): only names the tool itself wrote, never a user's files; a
 * subfolder left empty goes too. Then writes the new manifest. */
static bool od_prune(sg_outdir *od)
{
    size_t len;
    char *old = read_file(od->manifest, &len);
    if (old) {
        for (char *line = strtok(old, "\n"); line; line = strtok(NULL, "\n")) {
            if (!line[0] || line[0] == '/' || strstr(line, "..") || od_has(od, line)) continue;
            char *path = join(od->dir, line);
            if (unlink(path) == 0) {
                char *slash = strrchr(path, '/');
                if (strchr(line, '/') && slash) {
                    *slash = 0;
                    rmdir(path); /* only if now empty */
                }
            }
            free(path);
        }
        free(old);
    }
    FILE *f = fopen(od->manifest, "wb");
    if (!f) {
        diag_fail("cannot write '%s': %s", od->manifest, strerror(errno));
        return false;
    }
    for (int i = 0; i < od->n; i++) fprintf(f, "%s\n", od->names[i]);
    if (fclose(f) != 0) {
        diag_fail("write error in '%s': %s", od->manifest, strerror(errno));
        return false;
    }
    return true;
}

bool od_commit(sg_outdir *od)
{
    bool ok = true;
    for (int i = 0; i < od->n && ok; i++) {
        char *from = join(od->tmp, od->names[i]), *to = join(od->dir, od->names[i]);
        const char *slash = strrchr(od->names[i], '/');
        if (slash) {
            char *sub = xstrdup(to);
            *strrchr(sub, '/') = 0;
            if (mkdir(sub, 0777) != 0 && errno != EEXIST) ok = false;
            free(sub);
        }
        if (ok && rename(from, to) != 0) ok = false;
        if (!ok) diag_fail("cannot move '%s' to '%s': %s", from, to, strerror(errno));
        free(from);
        free(to);
    }
    if (ok) ok = od_prune(od);
    rm_tree(od->tmp);
    for (int i = 0; i < od->n; i++) free(od->names[i]);
    free(od->dir);
    free(od->tmp);
    free(od->manifest);
    free(od);
    return ok;
}

void od_abort(sg_outdir *od)
{
    rm_tree(od->tmp);
    if (od->created) rmdir(od->dir); /* only if still empty */
    for (int i = 0; i < od->n; i++) free(od->names[i]);
    free(od->dir);
    free(od->tmp);
    free(od->manifest);
    free(od);
}

const char *od_final_path(sg_outdir *od, const char *name)
{
    snprintf(od->scratch, sizeof od->scratch, "%s/%s", od->dir, name);
    return od->scratch;
}
