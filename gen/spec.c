/* spec.c: reads a network spec (YAML, with libyaml's document API) and validates it. docs/spec.md is the
 * reference for every key, default and rule. Every error is reported, at the location of the offending value,
 * before spec_parse returns false. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "spec.h"

/* ---- names ------------------------------------------------------------------------------------------- */

/* Verilog-2005 (IEEE 1364-2005) and SystemVerilog-2017 (IEEE 1800-2017, Annex B) reserved words, sorted. */
static const char *const verilog_keywords[] = {
    "accept_on", "alias", "always", "always_comb", "always_ff", "always_latch", "and", "assert", "assign",
    "assume", "automatic", "before", "begin", "bind", "bins", "binsof", "bit", "break", "buf", "bufif0", "bufif1",
    "byte", "case", "casex", "casez", "cell", "chandle", "checker", "class", "clocking", "cmos", "config", "const",
    "constraint", "context", "continue", "cover", "covergroup", "coverpoint", "cross", "deassign", "default",
    "defparam", "design", "disable", "dist", "do", "edge", "else", "end", "endcase", "endchecker", "endclass",
    "endclocking", "endconfig", "endfunction", "endgenerate", "endgroup", "endinterface", "endmodule",
    "endpackage", "endprimitive", "endprogram", "endproperty", "endsequence", "endspecify", "endtable", "endtask",
    "enum", "event", "eventually", "expect", "export", "extends", "extern", "final", "first_match", "for", "force",
    "foreach", "forever", "fork", "forkjoin", "function", "generate", "genvar", "global", "highz0", "highz1", "if",
    "iff", "ifnone", "ignore_bins", "illegal_bins", "implements", "implies", "import", "incdir", "include",
    "initial", "inout", "input", "inside", "instance", "int", "integer", "interconnect", "interface", "intersect",
    "join", "join_any", "join_none", "large", "let", "liblist", "library", "local", "localparam", "logic",
    "longint", "macromodule", "matches", "medium", "modport", "module", "nand", "negedge", "nettype", "new",
    "nexttime", "nmos", "nor", "noshowcancelled", "not", "notif0", "notif1", "null", "or", "output", "package",
    "packed", "parameter", "pmos", "posedge", "primitive", "priority", "program", "property", "protected", "pull0",
    "pull1", "pulldown", "pullup", "pulsestyle_ondetect", "pulsestyle_onevent", "pure", "rand", "randc",
    "randcase", "randsequence", "rcmos", "real", "realtime", "ref", "reg", "reject_on", "release", "repeat",
    "restrict", "return", "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1", "s_always", "s_eventually",
    "s_nexttime", "s_until", "s_until_with", "scalared", "sequence", "shortint", "shortreal", "showcancelled",
    "signed", "small", "soft", "solve", "specify", "specparam", "static", "string", "strong", "strong0", "strong1",
    "struct", "super", "supply0", "supply1", "sync_accept_on", "sync_reject_on", "table", "tagged", "task", "this",
    "throughout", "time", "timeprecision", "timeunit", "tran", "tranif0", "tranif1", "tri", "tri0", "tri1",
    "triand", "trior", "trireg", "type", "typedef", "union", "unique", "unique0", "unsigned", "until",
    "until_with", "untyped", "use", "uwire", "var", "vectored", "virtual", "void", "wait", "wait_order", "wand",
    "weak", "weak0", "weak1", "while", "wildcard", "wire", "with", "within", "wor", "xnor", "xor",
};

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static bool is_verilog_keyword(const char *name)
{
    return bsearch(&name, verilog_keywords, sizeof verilog_keywords / sizeof verilog_keywords[0],
                   sizeof verilog_keywords[0], cmp_str) != NULL;
}

const char *spec_act_name(sg_act a) { return a == SG_ACT_RELU ? "relu" : "sigmoid"; }

const char *spec_family_name(sg_family f)
{
    return f == SG_FAM_TYPE1 ? "type1" : f == SG_FAM_TYPE3 ? "type3" : f == SG_FAM_RANDOM ? "random" : "type2";
}

int spec_shift_for_epoch(const sg_spec *s, int epoch)
{
    int k = s->lr_shift;
    for (int i = 0; i < s->n_sched; i++)
        if (s->sched[i].from_epoch <= epoch) k = s->sched[i].shift;
    return k;
}

/* ---- the parse state and small helpers ---------------------------------------------------------------- */

typedef struct {
    yaml_document_t *doc;
    sg_spec *s;
    sg_diag *d;
} ps;

static sg_loc loc_of(const yaml_node_t *n)
{
    sg_loc l = { 1, 1 };
    if (n) {
        l.line = n->start_mark.line < 0x7fffffff ? (int)n->start_mark.line + 1 : 0x7fffffff;
        l.col = n->start_mark.column < 0x7fffffff ? (int)n->start_mark.column + 1 : 0x7fffffff;
    }
    return l;
}

static yaml_node_t *node(const ps *P, int index) { return yaml_document_get_node(P->doc, index); }

static const char *sval(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }
static size_t slen(const yaml_node_t *n) { return n->data.scalar.length; }
static bool plain(const yaml_node_t *n) { return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE; }

static bool seq_eq(const char *v, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len == n && memcmp(v, lit, n) == 0;
}

static bool is_one_of(const char *v, size_t len, const char *const *lits)
{
    for (; *lits; lits++)
        if (seq_eq(v, len, *lits)) return true;
    return false;
}

static const char *const null_words[] = { "", "~", "null", "Null", "NULL", NULL };
static const char *const true_words[] = { "true", "True", "TRUE", NULL };
static const char *const false_words[] = { "false", "False", "FALSE", NULL };
/* YAML 1.1 booleans that YAML 1.2 reads as strings: rejected with a hint (docs/spec.md). */
static const char *const yaml11_bool_words[] = { "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON",
                                                 "off", "Off", "OFF", "y", "Y", "n", "N", NULL };

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Plain scalar that looks like a YAML 1.2 core-schema integer (decimal, 0x hex, 0o octal). */
static bool looks_int(const char *v, size_t len)
{
    size_t i = 0;
    if (len > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'o')) {
        for (i = 2; i < len; i++)
            if (!strchr("0123456789abcdefABCDEF", v[i]) || !v[i]) return false;
        return true;
    }
    if (i < len && (v[i] == '-' || v[i] == '+')) i++;
    if (i == len) return false;
    for (; i < len; i++)
        if (!is_digit(v[i])) return false;
    return true;
}

/* Plain scalar that looks like a YAML 1.2 core-schema float. */
static bool looks_float(const char *v, size_t len)
{
    static const char *const special[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
                                           "-.INF", ".nan", ".NaN", ".NAN", NULL };
    if (is_one_of(v, len, special)) return true;
    size_t i = 0, digits = 0;
    if (i < len && (v[i] == '-' || v[i] == '+')) i++;
    while (i < len && is_digit(v[i])) i++, digits++;
    bool dot = i < len && v[i] == '.';
    if (dot) {
        i++;
        while (i < len && is_digit(v[i])) i++, digits++;
    }
    if (!digits) return false;
    bool expo = false;
    if (i < len && (v[i] == 'e' || v[i] == 'E')) {
        expo = true;
        i++;
        if (i < len && (v[i] == '-' || v[i] == '+')) i++;
        size_t e0 = i;
        while (i < len && is_digit(v[i])) i++;
        if (i == e0) return false;
    }
    return i == len && (dot || expo);
}

/* What a node is, for "expected X, got Y" messages. */
static const char *kind_of(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE: return "a mapping";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_SCALAR_NODE: break;
    default: return "nothing";
    }
    if (!plain(n)) return "a string";
    const char *v = sval(n);
    size_t len = slen(n);
    if (is_one_of(v, len, null_words)) return "null";
    if (is_one_of(v, len, true_words) || is_one_of(v, len, false_words)) return "a boolean";
    if (looks_int(v, len)) return "an integer";
    if (looks_float(v, len)) return "a float";
    return "a string";
}

/* A scalar's text for a message: quoted, at most 40 characters, non-printable bytes escaped, so that every
 * message stays on one line. */
typedef struct {
    char s[200];
} shown;

static shown show_text(const char *v, size_t len)
{
    shown out;
    size_t o = 0;
    out.s[o++] = '\'';
    for (size_t i = 0; i < len && o < sizeof out.s - 12; i++) {
        if (i == 40) {
            memcpy(out.s + o, "...", 3);
            o += 3;
            break;
        }
        unsigned char c = (unsigned char)v[i];
        if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
            out.s[o++] = (char)c;
        } else {
            o += (size_t)snprintf(out.s + o, sizeof out.s - o, "\\x%02x", c);
        }
    }
    out.s[o++] = '\'';
    out.s[o] = 0;
    return out;
}

static shown show(const yaml_node_t *n) { return show_text(sval(n), slen(n)); }

/* "a string ('abc')", "an integer (12)", "a list". */
static const char *kind_with_value(const yaml_node_t *n, char *buf, size_t size)
{
    if (n->type != YAML_SCALAR_NODE) return kind_of(n);
    if (!plain(n) && looks_int(sval(n), slen(n)))
        snprintf(buf, size, "the quoted string %s (remove the quotes)", show(n).s);
    else if (slen(n) == 0 && plain(n))
        snprintf(buf, size, "null (no value)");
    else
        snprintf(buf, size, "%s (%s)", kind_of(n), show(n).s);
    return buf;
}

static void type_error(ps *P, const yaml_node_t *n, const char *what, const char *expected)
{
    char buf[300];
    diag_error(P->d, loc_of(n), "%s: expected %s, got %s", what, expected, kind_with_value(n, buf, sizeof buf));
}

/* ---- scalars ------------------------------------------------------------------------------------------ */

/* Reads an unsigned decimal integer in [lo, hi]. Decimal only: no hex, no octal, no leading zeros, no floats
 * (docs/spec.md "Values"). Overflow is detected. */
static bool get_u64(ps *P, const yaml_node_t *n, const char *what, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (n->type != YAML_SCALAR_NODE || !plain(n) || !looks_int(sval(n), slen(n))) {
        type_error(P, n, what, "an integer");
        return false;
    }
    const char *v = sval(n);
    size_t len = slen(n), i = 0;
    if (len > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'o')) {
        diag_error(P->d, loc_of(n), "%s: expected a decimal integer, got %s (hexadecimal and octal are not accepted)",
                   what, show(n).s);
        return false;
    }
    bool neg = false;
    if (v[0] == '-' || v[0] == '+') {
        neg = v[0] == '-';
        i = 1;
    }
    if (len - i > 1 && v[i] == '0') {
        diag_error(P->d, loc_of(n), "%s: %s has a leading zero (YAML 1.1 would read it as octal); write it without",
                   what, show(n).s);
        return false;
    }
    uint64_t x = 0;
    bool big = false;
    for (; i < len; i++) {
        unsigned dgt = (unsigned)(v[i] - '0');
        if (x > (UINT64_MAX - dgt) / 10) big = true;
        else x = x * 10 + dgt;
    }
    if (neg && x != 0) {
        diag_error(P->d, loc_of(n), "%s must be between %llu and %llu, got %.*s", what, (unsigned long long)lo,
                   (unsigned long long)hi, (int)len, v);
        return false;
    }
    if (big) {
        diag_error(P->d, loc_of(n), "%s: %s is too large (must be between %llu and %llu)", what, show(n).s,
                   (unsigned long long)lo, (unsigned long long)hi);
        return false;
    }
    if (x < lo || x > hi) {
        diag_error(P->d, loc_of(n), "%s must be between %llu and %llu, got %llu", what, (unsigned long long)lo,
                   (unsigned long long)hi, (unsigned long long)x);
        return false;
    }
    *out = x;
    return true;
}

static bool get_u32(ps *P, const yaml_node_t *n, const char *what, uint32_t lo, uint32_t hi, uint32_t *out)
{
    uint64_t v;
    if (!get_u64(P, n, what, lo, hi, &v)) return false;
    *out = (uint32_t)v;
    return true;
}

static bool get_int(ps *P, const yaml_node_t *n, const char *what, int lo, int hi, int *out)
{
    uint64_t v;
    if (!get_u64(P, n, what, (uint64_t)lo, (uint64_t)hi, &v)) return false;
    *out = (int)v;
    return true;
}

/* true / false only (YAML 1.2 core schema); yes/no/on/off are rejected with a hint. */
static bool get_bool(ps *P, const yaml_node_t *n, const char *what, bool *out)
{
    if (n->type == YAML_SCALAR_NODE && plain(n)) {
        if (is_one_of(sval(n), slen(n), true_words)) return *out = true, true;
        if (is_one_of(sval(n), slen(n), false_words)) return *out = false, true;
        if (is_one_of(sval(n), slen(n), yaml11_bool_words)) {
            diag_error(P->d, loc_of(n), "%s: expected true or false, got %s (write true or false)", what, show(n).s);
            return false;
        }
    }
    type_error(P, n, what, "true or false");
    return false;
}

/* Edit distance for "did you mean" (short strings only). */
static size_t edit_distance(const char *a, size_t na, const char *b)
{
    size_t nb = strlen(b), row[64];
    if (na >= 63 || nb >= 63) return (size_t)-1;
    for (size_t j = 0; j <= nb; j++) row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* The closest of names (NULL-terminated) to v, or NULL when none is close or two are equally close. */
static const char *closest(const char *v, size_t len, const char *const *names)
{
    const char *best = NULL;
    size_t bd = (size_t)-1;
    bool tie = false;
    for (; *names; names++) {
        size_t dist = edit_distance(v, len, *names);
        size_t lim = strlen(*names) / 3;
        if (lim < 2) lim = 2;
        if (dist > lim) continue;
        if (dist < bd) bd = dist, best = *names, tie = false;
        else if (dist == bd) tie = true;
    }
    return tie ? NULL : best;
}

static void list_names(char *buf, size_t size, const char *const *names)
{
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; names[i] && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", names[i]);
}

/* One of names (NULL-terminated); returns its index or -1 after an error. */
static int get_enum(ps *P, const yaml_node_t *n, const char *what, const char *const *names)
{
    char list[300];
    list_names(list, sizeof list, names);
    if (n->type != YAML_SCALAR_NODE || (plain(n) && strcmp(kind_of(n), "a string") != 0)) {
        char expected[340];
        snprintf(expected, sizeof expected, "one of %s", list);
        type_error(P, n, what, expected);
        return -1;
    }
    for (int i = 0; names[i]; i++)
        if (seq_eq(sval(n), slen(n), names[i])) return i;
    const char *near = closest(sval(n), slen(n), names);
    if (near)
        diag_error(P->d, loc_of(n), "%s: unknown value %s (did you mean '%s'?)", what, show(n).s, near);
    else
        diag_error(P->d, loc_of(n), "%s: unknown value %s (expected one of %s)", what, show(n).s, list);
    return -1;
}

/* ---- mappings and lists ------------------------------------------------------------------------------- */

typedef struct {
    yaml_node_t *key, *val; /* NULL when absent */
} field;

/* One key of a mapping, in file order. */
typedef struct {
    int idx;                /* index in names, or -1 for a bad key (reported by bad_key) */
    yaml_node_t *key, *val;
    sg_loc first;           /* duplicate: where the first occurrence is (line 0: not a duplicate) */
} entry;

typedef struct {
    const char *what;       /* "format", or NULL for the top level */
    const char *const *names;
    field f[16];
    entry *e;
    int n;
} map;

/* Reads a mapping with the keys names (NULL-terminated, at most 16): m->f[i] for each known key present (first
 * occurrence), and m->e[] every key in file order. Returns false (after an error) when n is not a mapping. Bad
 * keys (not strings, unknown, duplicates) are reported by the caller through bad_key, in file order. */
static bool read_map(ps *P, yaml_node_t *n, const char *what, const char *const *names, map *m)
{
    int nf = 0;
    while (names[nf]) nf++;
    m->what = what;
    m->names = names;
    m->e = NULL;
    m->n = 0;
    for (int i = 0; i < nf; i++) m->f[i].key = m->f[i].val = NULL;
    if (n->type != YAML_MAPPING_NODE) {
        type_error(P, n, what ? what : "the spec", "a mapping (key: value lines)");
        return false;
    }
    size_t np = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    m->e = xcalloc(np ? np : 1, sizeof *m->e);
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = node(P, pr->key), *v = node(P, pr->value);
        if (!k || !v) continue;
        entry *e = &m->e[m->n++];
        e->idx = -1;
        e->key = k;
        e->val = v;
        e->first.line = 0;
        if (k->type != YAML_SCALAR_NODE) continue;
        for (int i = 0; i < nf; i++)
            if (seq_eq(sval(k), slen(k), names[i])) {
                if (m->f[i].key) {
                    e->first = loc_of(m->f[i].key);
                } else {
                    e->idx = i;
                    m->f[i].key = k;
                    m->f[i].val = v;
                }
            }
    }
    return true;
}

static void free_map(map *m)
{
    free(m->e);
    m->e = NULL;
}

/* Reports a bad key: not a string, unknown (with the closest known key), or a duplicate (at the second
 * occurrence, which is ignored). */
static void bad_key(ps *P, const map *m, const entry *e)
{
    const yaml_node_t *k = e->key;
    const char *what = m->what;
    if (k->type != YAML_SCALAR_NODE) {
        char buf[300];
        diag_error(P->d, loc_of(k), "%s%skeys must be words, got %s", what ? what : "", what ? ": " : "",
                   kind_with_value(k, buf, sizeof buf));
    } else if (e->first.line) {
        diag_error(P->d, loc_of(k), "duplicate key '%s%s%.*s' (first given at line %d, column %d); remove one",
                   what ? what : "", what ? "." : "", (int)slen(k), sval(k), e->first.line, e->first.col);
    } else {
        const char *near = closest(sval(k), slen(k), m->names);
        char in[80] = "";
        if (what) snprintf(in, sizeof in, " in %s", what);
        if (near) {
            diag_error(P->d, loc_of(k), "unknown key %s%s (did you mean '%s'?)", show(k).s, in, near);
        } else {
            char list[400];
            list_names(list, sizeof list, m->names);
            diag_error(P->d, loc_of(k), "unknown key %s%s (known keys: %s)", show(k).s, in, list);
        }
    }
}

static int seq_len(const yaml_node_t *n) { return (int)(n->data.sequence.items.top - n->data.sequence.items.start); }
static yaml_node_t *seq_at(const ps *P, const yaml_node_t *n, int i) { return node(P, n->data.sequence.items.start[i]); }

/* ---- the keys ----------------------------------------------------------------------------------------- */

/* What was read, beyond *s: which values are usable for the cross-checks. */
typedef struct {
    bool layers_ok;          /* a list of 2..17 valid sizes; s->J is set */
    int n_fanout, n_z;       /* list lengths read (-1 when the key is absent or not a list) */
    bool fan_ok[SG_MAX_J], z_ok[SG_MAX_J];
    bool width_ok, frac_ok, features_given, features_ok, classes_given, classes_ok;
    int n_act;               /* list length, 0 for one scalar for all, -1 absent or bad */
    bool act_ok;
    bool ss_given, sv_given;
    bool ss_val, sv_val;
    bool lr_given, training_given;
    bool have[16];           /* top-level keys present */
} readout;

static bool name_char_ok(char c) { return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_'; }

static void read_name(ps *P, yaml_node_t *v)
{
    P->s->at.name = loc_of(v);
    if (v->type != YAML_SCALAR_NODE || (plain(v) && strcmp(kind_of(v), "a string") != 0)) {
        type_error(P, v, "name", "a string");
        return;
    }
    const char *t = sval(v);
    size_t len = slen(v);
    bool ok = len > 0 && t[0] >= 'a' && t[0] <= 'z';
    for (size_t i = 0; i < len && ok; i++) ok = name_char_ok(t[i]);
    if (!ok) {
        diag_error(P->d, loc_of(v), "name %s must start with a lowercase letter and contain only a-z, 0-9 and _",
                   show(v).s);
        return;
    }
    if (len > SG_NAME_MAX) {
        diag_error(P->d, loc_of(v), "name is %zu characters long; at most %d are allowed", len, SG_NAME_MAX);
        return;
    }
    memcpy(P->s->name, t, len);
    P->s->name[len] = 0;
    if (is_verilog_keyword(P->s->name)) {
        diag_error(P->d, loc_of(v), "name '%s' is a Verilog or SystemVerilog keyword; choose another (e.g. '%s_net')",
                   P->s->name, P->s->name);
        P->s->name[0] = 0;
    }
}

static void read_layers(ps *P, readout *R, yaml_node_t *k, yaml_node_t *v)
{
    sg_spec *s = P->s;
    s->at.layers = loc_of(k);
    if (v->type != YAML_SEQUENCE_NODE) {
        type_error(P, v, "layers", "a list of layer sizes like [784, 112, 10]");
        return;
    }
    int n = seq_len(v);
    bool ok = true;
    if (n < 2) {
        diag_error(P->d, loc_of(v), "layers has %d value%s; a network needs 2 to %d (input, hidden..., output)", n,
                   n == 1 ? "" : "s", SG_MAX_J + 1);
        ok = false;
    } else if (n > SG_MAX_J + 1) {
        diag_error(P->d, loc_of(v), "layers has %d values; at most %d are allowed (%d junctions)", n, SG_MAX_J + 1,
                   SG_MAX_J);
        ok = false;
    }
    for (int i = 0; i < n && i <= SG_MAX_J; i++) {
        yaml_node_t *it = seq_at(P, v, i);
        char what[32];
        snprintf(what, sizeof what, "layers[%d]", i);
        s->at.layer[i] = loc_of(it);
        if (!get_u32(P, it, what, 1, SG_MAX_NEURONS, &s->layers[i])) ok = false;
    }
    if (ok) {
        s->J = n - 1;
        R->layers_ok = true;
    }
}

/* fanout and z: one value per junction. */
static int read_per_junction(ps *P, yaml_node_t *k, yaml_node_t *v, const char *key, uint32_t *vals, sg_loc *locs,
                             bool *oks, sg_loc *keyloc)
{
    *keyloc = loc_of(k);
    if (v->type != YAML_SEQUENCE_NODE) {
        type_error(P, v, key, "a list with one value per junction");
        return -1;
    }
    int n = seq_len(v);
    for (int i = 0; i < n && i < SG_MAX_J; i++) {
        yaml_node_t *it = seq_at(P, v, i);
        char what[32];
        snprintf(what, sizeof what, "%s[%d]", key, i);
        locs[i] = loc_of(it);
        oks[i] = get_u32(P, it, what, 1, SG_MAX_NEURONS, &vals[i]);
    }
    return n;
}

static const char *const act_names[] = { "sigmoid", "relu", NULL };

static void read_activation(ps *P, readout *R, yaml_node_t *k, yaml_node_t *v)
{
    sg_spec *s = P->s;
    s->at.activation = loc_of(k);
    R->n_act = -1;
    if (v->type == YAML_SEQUENCE_NODE) {
        int n = seq_len(v);
        bool ok = true;
        for (int i = 0; i < n && i < SG_MAX_J; i++) {
            yaml_node_t *it = seq_at(P, v, i);
            char what[32];
            snprintf(what, sizeof what, "activation[%d]", i);
            s->at.act_j[i] = loc_of(it);
            int a = get_enum(P, it, what, act_names);
            if (a < 0) ok = false;
            else s->act[i] = (sg_act)a;
        }
        R->n_act = n;
        R->act_ok = ok;
        return;
    }
    int a = get_enum(P, v, "activation", act_names);
    if (a < 0) return;
    for (int i = 0; i < SG_MAX_J; i++) {
        s->act[i] = (sg_act)a;
        s->at.act_j[i] = loc_of(v);
    }
    R->n_act = 0;
    R->act_ok = true;
}

static void read_format(ps *P, readout *R, yaml_node_t *k, yaml_node_t *v)
{
    static const char *const keys[] = { "width", "frac", NULL };
    sg_spec *s = P->s;
    map m;
    s->at.format = s->at.width = s->at.frac = loc_of(k);
    if (!read_map(P, v, "format", keys, &m)) {
        R->width_ok = R->frac_ok = false;
        return;
    }
    for (int i = 0; i < m.n; i++) {
        yaml_node_t *x = m.e[i].val;
        switch (m.e[i].idx) {
        case 0:
            s->at.width = loc_of(x);
            R->width_ok = get_int(P, x, "format.width", 8, 16, &s->width);
            break;
        case 1:
            s->at.frac = loc_of(x);
            R->frac_ok = get_int(P, x, "format.frac", 1, 14, &s->frac);
            break;
        default: bad_key(P, &m, &m.e[i]);
        }
    }
    free_map(&m);
}

static void read_input(ps *P, readout *R, yaml_node_t *k, yaml_node_t *v)
{
    static const char *const keys[] = { "bits", "features", NULL };
    sg_spec *s = P->s;
    map m;
    s->at.input = s->at.bits = s->at.features = loc_of(k);
    if (!read_map(P, v, "input", keys, &m)) return;
    for (int i = 0; i < m.n; i++) {
        yaml_node_t *x = m.e[i].val;
        switch (m.e[i].idx) {
        case 0:
            s->at.bits = loc_of(x);
            get_int(P, x, "input.bits", 1, 16, &s->input_bits);
            break;
        case 1:
            s->at.features = loc_of(x);
            R->features_given = true;
            R->features_ok = get_u32(P, x, "input.features", 1, SG_MAX_NEURONS, &s->features);
            break;
        default: bad_key(P, &m, &m.e[i]);
        }
    }
    free_map(&m);
}

static void read_schedule(ps *P, yaml_node_t *sv)
{
    sg_spec *s = P->s;
    if (sv->type != YAML_SEQUENCE_NODE) {
        type_error(P, sv, "learning_rate.schedule", "a list of [from_epoch, shift] pairs");
        return;
    }
    int n = seq_len(sv);
    if (n > SG_MAX_SCHED) {
        diag_error(P->d, loc_of(sv), "learning_rate.schedule has %d entries; at most %d are allowed", n,
                   SG_MAX_SCHED);
        n = SG_MAX_SCHED;
    }
    int last_epoch = 0;
    for (int i = 0; i < n; i++) {
        yaml_node_t *e = seq_at(P, sv, i);
        char what[64];
        snprintf(what, sizeof what, "learning_rate.schedule[%d]", i);
        if (e->type != YAML_SEQUENCE_NODE || seq_len(e) != 2) {
            if (e->type == YAML_SEQUENCE_NODE)
                diag_error(P->d, loc_of(e), "%s: expected a pair [from_epoch, shift], got a list of %d value%s", what,
                           seq_len(e), seq_len(e) == 1 ? "" : "s");
            else
                type_error(P, e, what, "a pair [from_epoch, shift]");
            continue;
        }
        sg_sched *sc = &s->sched[s->n_sched];
        yaml_node_t *ep = seq_at(P, e, 0), *sh = seq_at(P, e, 1);
        char w0[80], w1[80];
        snprintf(w0, sizeof w0, "%s[0] (from_epoch)", what);
        snprintf(w1, sizeof w1, "%s[1] (shift)", what);
        bool ok = get_int(P, ep, w0, 1, 1000000, &sc->from_epoch);
        ok &= get_int(P, sh, w1, 0, 30, &sc->shift);
        if (!ok) continue;
        if (sc->from_epoch <= last_epoch) {
            diag_error(P->d, loc_of(ep), "%s: epochs must be strictly increasing, but %d follows %d", what,
                       sc->from_epoch, last_epoch);
            continue;
        }
        last_epoch = sc->from_epoch;
        sc->at = loc_of(ep);
        s->n_sched++;
    }
}

static void read_learning_rate(ps *P, readout *R, yaml_node_t *k, yaml_node_t *v)
{
    static const char *const keys[] = { "shift", "schedule", "fixed", NULL };
    sg_spec *s = P->s;
    map m;
    R->lr_given = true;
    s->at.learning_rate = s->at.shift = s->at.schedule = s->at.lr_fixed = loc_of(k);
    if (!read_map(P, v, "learning_rate", keys, &m)) return;
    for (int i = 0; i < m.n; i++) {
        yaml_node_t *x = m.e[i].val;
        switch (m.e[i].idx) {
        case 0:
            s->at.shift = loc_of(x);
            get_int(P, x, "learning_rate.shift", 0, 30, &s->lr_shift);
            break;
        case 1:
            s->at.schedule = loc_of(m.e[i].key);
            read_schedule(P, x);
            break;
        case 2:
            s->at.lr_fixed = loc_of(x);
            get_bool(P, x, "learning_rate.fixed", &s->lr_fixed);
            break;
        default: bad_key(P, &m, &m.e[i]);
        }
    }
    free_map(&m);
}

static const char *const family_names[] = { "type1", "type2", "type3", "random", NULL };

static void read_connectivity(ps *P, readout *R, yaml_node_t *k, yaml_node_t *v)
{
    static const char *const keys[] = { "family", "sweep_shuffle", "start_shuffle", "memory_dither", "zero_start",
                                        "seed", NULL };
    sg_spec *s = P->s;
    map m;
    sg_loc kl = loc_of(k);
    s->at.connectivity = s->at.family = s->at.sweep_shuffle = s->at.start_shuffle = kl;
    s->at.memory_dither = s->at.zero_start = s->at.conn_seed = kl;
    if (!read_map(P, v, "connectivity", keys, &m)) return;
    for (int i = 0; i < m.n; i++) {
        yaml_node_t *x = m.e[i].val;
        switch (m.e[i].idx) {
        case 0: {
            s->at.family = loc_of(x);
            int fam = get_enum(P, x, "connectivity.family", family_names);
            if (fam >= 0) s->family = (sg_family)fam;
            break;
        }
        case 1:
            s->at.sweep_shuffle = loc_of(x);
            R->ss_given = get_bool(P, x, "connectivity.sweep_shuffle", &R->ss_val);
            break;
        case 2:
            s->at.start_shuffle = loc_of(x);
            R->sv_given = get_bool(P, x, "connectivity.start_shuffle", &R->sv_val);
            break;
        case 3:
            s->at.memory_dither = loc_of(x);
            get_bool(P, x, "connectivity.memory_dither", &s->memory_dither);
            break;
        case 4:
            s->at.zero_start = loc_of(x);
            get_bool(P, x, "connectivity.zero_start", &s->zero_start);
            break;
        case 5:
            s->at.conn_seed = loc_of(x);
            get_u64(P, x, "connectivity.seed", 0, UINT64_MAX, &s->conn_seed);
            break;
        default: bad_key(P, &m, &m.e[i]);
        }
    }
    free_map(&m);
}

static void read_init(ps *P, yaml_node_t *k, yaml_node_t *v)
{
    static const char *const keys[] = { "seed", NULL };
    map m;
    P->s->at.init = P->s->at.init_seed = loc_of(k);
    if (!read_map(P, v, "init", keys, &m)) return;
    for (int i = 0; i < m.n; i++) {
        if (m.e[i].idx == 0) {
            P->s->at.init_seed = loc_of(m.e[i].val);
            get_u64(P, m.e[i].val, "init.seed", 0, UINT64_MAX, &P->s->init_seed);
        } else {
            bad_key(P, &m, &m.e[i]);
        }
    }
    free_map(&m);
}

static void read_training(ps *P, readout *R, yaml_node_t *k, yaml_node_t *v)
{
    static const char *const keys[] = { "shuffle", "seed", NULL };
    sg_spec *s = P->s;
    map m;
    R->training_given = true;
    s->at.training = s->at.train_shuffle = s->at.train_seed = loc_of(k);
    if (!read_map(P, v, "training", keys, &m)) return;
    for (int i = 0; i < m.n; i++) {
        yaml_node_t *x = m.e[i].val;
        switch (m.e[i].idx) {
        case 0:
            s->at.train_shuffle = loc_of(x);
            get_bool(P, x, "training.shuffle", &s->shuffle);
            break;
        case 1:
            s->at.train_seed = loc_of(x);
            get_u64(P, x, "training.seed", 0, UINT64_MAX, &s->train_seed);
            break;
        default: bad_key(P, &m, &m.e[i]);
        }
    }
    free_map(&m);
}

/* ---- cross-checks ------------------------------------------------------------------------------------- */

static uint32_t gcd32(uint32_t a, uint32_t b)
{
    while (b) {
        uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* z is valid for a junction (p, din) by the local rules: z | p, and din | z or z | din (z | W follows). */
static bool z_valid_local(uint32_t p, uint32_t din, uint32_t z)
{
    return z >= 1 && p % z == 0 && (din == 0 || din % z == 0 || z % din == 0);
}

/* The nearest valid z below and above z (0 when none). din == 0: d_in unknown, only z | p. */
static void nearest_z(uint32_t p, uint32_t din, uint32_t z, uint32_t *below, uint32_t *above)
{
    *below = *above = 0;
    for (uint32_t c = 1; (uint64_t)c * c <= p; c++) {
        if (p % c) continue;
        uint32_t pair[2] = { c, p / c };
        for (int i = 0; i < 2; i++) {
            uint32_t x = pair[i];
            if (!z_valid_local(p, din, x)) continue;
            if (x < z && x > *below) *below = x;
            if (x > z && (*above == 0 || x < *above)) *above = x;
        }
    }
}

/* "; nearest valid z: 14 and 49" and the like. */
static void nearest_text(char *buf, size_t size, const char *one, const char *many, uint32_t below, uint32_t above)
{
    if (below && above) snprintf(buf, size, "; nearest valid %s: %u and %u", many, below, above);
    else if (below || above) snprintf(buf, size, "; nearest valid %s: %u", one, below ? below : above);
    else buf[0] = 0;
}

uint32_t spec_smallest_z(uint32_t p, uint32_t din, uint32_t lo)
{
    uint32_t best = 0;
    for (uint32_t c = 1; (uint64_t)c * c <= p; c++) {
        if (p % c) continue;
        uint32_t pair[2] = { c, p / c };
        for (int i = 0; i < 2; i++)
            if (pair[i] >= lo && z_valid_local(p, din, pair[i]) && (!best || pair[i] < best)) best = pair[i];
    }
    return best;
}

static void check_network(ps *P, readout *R)
{
    sg_spec *s = P->s;
    sg_diag *d = P->d;
    if (!R->layers_ok) return;
    int J = s->J;
    if (R->n_fanout >= 0 && R->n_fanout != J)
        diag_error(d, s->at.fanout, "fanout has %d value%s but layers describe %d junction%s", R->n_fanout,
                   R->n_fanout == 1 ? "" : "s", J, J == 1 ? "" : "s");
    if (R->n_z >= 0 && R->n_z != J)
        diag_error(d, s->at.z, "z has %d value%s but layers describe %d junction%s", R->n_z, R->n_z == 1 ? "" : "s",
                   J, J == 1 ? "" : "s");
    if (R->n_act > 0 && R->n_act != J)
        diag_error(d, s->at.activation,
                   "activation has %d value%s but layers describe %d junction%s (give one value for all, or one per junction)",
                   R->n_act, R->n_act == 1 ? "" : "s", J, J == 1 ? "" : "s");

    bool fan_good[SG_MAX_J] = { false }, z_good[SG_MAX_J] = { false };
    uint64_t total = 0;
    bool fan_all = R->n_fanout == J;
    for (int j = 1; j <= J; j++) {
        uint32_t p = s->layers[j - 1], n = s->layers[j];
        if (R->n_fanout != J || !R->fan_ok[j - 1]) {
            fan_all = false;
            continue;
        }
        uint32_t dout = s->fanout[j - 1];
        sg_loc at = s->at.fanout_j[j - 1];
        if (dout > n) {
            diag_error(d, at, "junction %d: fan-out %u is larger than n = %u (the size of layer %d)", j, dout, n, j);
            fan_all = false;
            continue;
        }
        uint64_t W = (uint64_t)p * dout;
        bool ok = true;
        if (W % n) {
            uint32_t g = n / gcd32(p, n), below = (dout - 1) / g * g, above = (dout / g + 1) * g;
            char near[80];
            nearest_text(near, sizeof near, "fan-out", "fan-outs", below, above <= n ? above : 0);
            diag_error(d, at, "junction %d: fan-in p*d_out/n = %u*%u/%u is not an integer%s", j, p, dout, n, near);
            ok = false;
        }
        if (W > SG_MAX_EDGES) {
            diag_error(d, at, "junction %d: %u x %u = %llu edges; at most %u are allowed per junction", j, p, dout,
                       (unsigned long long)W, SG_MAX_EDGES);
            ok = false;
        }
        total += W;
        fan_good[j - 1] = ok;
        if (!ok) fan_all = false;
    }
    if (fan_all && total > (1ull << 30))
        diag_error(d, s->at.fanout, "the network has %llu edges; at most %llu are allowed in total",
                   (unsigned long long)total, 1ull << 30);

    for (int j = 1; j <= J; j++) {
        if (R->n_z != J || !R->z_ok[j - 1]) continue;
        uint32_t p = s->layers[j - 1], z = s->z[j - 1];
        uint32_t din = fan_good[j - 1] ? (uint32_t)((uint64_t)p * s->fanout[j - 1] / s->layers[j]) : 0;
        sg_loc at = s->at.z_j[j - 1];
        if (z_valid_local(p, din, z)) {
            z_good[j - 1] = true;
            continue;
        }
        uint32_t below, above;
        nearest_z(p, din, z, &below, &above);
        char near[80];
        nearest_text(near, sizeof near, "z", "z", below, above);
        if (z > p)
            diag_error(d, at, "junction %d: z = %u is larger than p = %u (z must divide p)%s", j, z, p, near);
        else if (p % z)
            diag_error(d, at, "junction %d: z = %u does not divide p = %u%s", j, z, p, near);
        else
            diag_error(d, at, "junction %d: z = %u and d_in = %u: one must divide the other%s", j, z, din, near);
    }

    /* Bandwidth: junction j completes q_j right neurons per clock and writes them into layer j, which is banked
     * into z_{j+1} memories (one write port each). Reported at z_{j+1}: that is the number of memories that is
     * too small, and raising it is the usual fix (lowering z_j slows junction j). */
    for (int j = 1; j < J; j++) {
        if (!z_good[j - 1] || !z_good[j] || !fan_good[j - 1]) continue;
        uint32_t din = spec_din(s, j), q = s->z[j - 1] > din ? s->z[j - 1] / din : 1;
        if (q <= s->z[j]) continue;
        uint32_t pn = s->layers[j], dn = fan_good[j] ? spec_din(s, j + 1) : 0;
        uint32_t fix = spec_smallest_z(pn, dn, q);
        char hint[80] = "";
        if (fix && fix != q) snprintf(hint, sizeof hint, " (the smallest valid z is %u)", fix);
        diag_error(d, s->at.z_j[j],
                   "junction %d: z = %u banks layer %d into %u memories, but junction %d writes q = z/d_in = %u/%u = %u neurons of layer %d per clock; z must be at least %u here%s, or junction %d's z smaller",
                   j + 1, s->z[j], j, s->z[j], j, s->z[j - 1], din, q, j, q, hint, j);
    }
}

static void check_rest(ps *P, readout *R)
{
    sg_spec *s = P->s;
    sg_diag *d = P->d;
    if (R->width_ok && R->frac_ok && s->frac > s->width - 2)
        diag_error(d, s->at.frac, "format.frac = %d must be at most width - 2 = %d (the cost needs 1.0 to fit)",
                   s->frac, s->width - 2);
    if (R->layers_ok) {
        if (!R->features_given) s->features = s->layers[0];
        else if (R->features_ok && s->features > s->layers[0])
            diag_error(d, s->at.features, "input.features = %u is larger than the input layer (layers[0] = %u)",
                       s->features, s->layers[0]);
        if (!R->classes_given) {
            s->classes = s->layers[s->J];
            if (s->classes < 2)
                diag_error(d, s->at.layer[s->J], "the output layer has %u neuron; at least 2 are needed (classes)",
                           s->classes);
        } else if (R->classes_ok && s->classes > s->layers[s->J]) {
            diag_error(d, s->at.classes, "classes = %u is larger than the output layer (layers[%d] = %u)", s->classes,
                       s->J, s->layers[s->J]);
        }
    }

    /* Connectivity (docs/spec.md "connectivity"). */
    if (s->family == SG_FAM_TYPE1) {
        if (R->ss_given && R->ss_val)
            diag_error(d, s->at.sweep_shuffle, "connectivity.sweep_shuffle applies to type2 and type3 only (family is type1, whose rows are random permutations)");
        if (R->sv_given && R->sv_val)
            diag_error(d, s->at.start_shuffle, "connectivity.start_shuffle applies to type2 and type3 only (family is type1, whose rows are random permutations)");
        if (s->zero_start)
            diag_error(d, s->at.zero_start, "connectivity.zero_start applies to type2 and type3 only (family is type1, which has no start vectors)");
        s->sweep_shuffle = s->start_shuffle = false;
    } else if (s->family == SG_FAM_RANDOM) {
        if (R->ss_given && R->ss_val)
            diag_error(d, s->at.sweep_shuffle, "connectivity.sweep_shuffle applies to type2 and type3 only (family is random, which has no sweeps)");
        if (R->sv_given && R->sv_val)
            diag_error(d, s->at.start_shuffle, "connectivity.start_shuffle applies to type2 and type3 only (family is random, which has no start vectors)");
        if (s->zero_start)
            diag_error(d, s->at.zero_start, "connectivity.zero_start applies to type2 and type3 only (family is random, which has no start vectors)");
        if (s->memory_dither)
            diag_error(d, s->at.memory_dither, "connectivity.memory_dither does not apply to family random (it has no memories)");
        s->sweep_shuffle = s->start_shuffle = false;
    } else if (s->zero_start) {
        if (R->sv_given && R->sv_val)
            diag_error(d, s->at.start_shuffle, "connectivity.start_shuffle: true contradicts zero_start: true (every start vector is all zeros)");
        if (R->ss_given && R->ss_val)
            diag_error(d, s->at.sweep_shuffle, "connectivity.sweep_shuffle: true has no effect with zero_start: true (every sweep starts at zero); remove it");
        s->sweep_shuffle = s->start_shuffle = false;
    } else {
        if (s->family == SG_FAM_TYPE3 && R->ss_given && R->ss_val)
            diag_error(d, s->at.sweep_shuffle, "connectivity.sweep_shuffle: true contradicts type3 (type3 is type2 with one start vector for all sweeps; use family: type2)");
        s->sweep_shuffle = R->ss_given ? R->ss_val : s->family == SG_FAM_TYPE2;
        s->start_shuffle = R->sv_given ? R->sv_val : true;
    }

    if (s->lr_fixed && s->n_sched > 0)
        diag_error(d, s->at.lr_fixed, "learning_rate.fixed: true builds the shift into the hardware as one constant, "
                   "so it cannot follow learning_rate.schedule; remove one of them");
    if (s->mode == SG_MODE_INFER) {
        if (R->lr_given)
            diag_warning(d, s->at.learning_rate, "learning_rate has no effect in mode infer");
        if (R->training_given)
            diag_warning(d, s->at.training, "training has no effect in mode infer");
    }
}

/* ---- the document ------------------------------------------------------------------------------------- */

enum { K_NAME, K_LAYERS, K_FANOUT, K_Z, K_FORMAT, K_INPUT, K_CLASSES, K_ACTIVATION, K_LR, K_CONN, K_INIT,
       K_TRAINING, K_MODE, K_OVERLAP, K_COUNT };
static const char *const top_keys[] = { "name", "layers", "fanout", "z", "format", "input", "classes", "activation",
                                        "learning_rate", "connectivity", "init", "training", "mode", "overlap",
                                        NULL };

static void set_defaults(sg_spec *s)
{
    s->width = 12;
    s->frac = 8;
    s->input_bits = 8;
    for (int i = 0; i < SG_MAX_J; i++) s->act[i] = SG_ACT_SIGMOID;
    s->lr_shift = 4;
    s->family = SG_FAM_TYPE2;
    s->sweep_shuffle = s->start_shuffle = true;
    s->conn_seed = s->init_seed = s->train_seed = 1;
    s->shuffle = true;
    s->mode = SG_MODE_TRAIN;
    s->overlap = false;
}

static void read_document(ps *P, yaml_node_t *root)
{
    sg_spec *s = P->s;
    readout R;
    memset(&R, 0, sizeof R);
    R.n_fanout = R.n_z = R.n_act = -1;
    R.width_ok = R.frac_ok = true; /* the defaults */
    R.act_ok = true;

    sg_loc rl = loc_of(root);
    sg_loc *all = (sg_loc *)&s->at;
    for (size_t i = 0; i < sizeof s->at / sizeof(sg_loc); i++) all[i] = rl;

    map m;
    if (!read_map(P, root, NULL, top_keys, &m)) return;
    for (int i = 0; i < m.n; i++) {
        int key = m.e[i].idx;
        yaml_node_t *k = m.e[i].key, *v = m.e[i].val;
        if (key < 0) {
            bad_key(P, &m, &m.e[i]);
            continue;
        }
        R.have[key] = true;
        switch (key) {
        case K_NAME: read_name(P, v); break;
        case K_LAYERS: read_layers(P, &R, k, v); break;
        case K_FANOUT:
            R.n_fanout = read_per_junction(P, k, v, "fanout", s->fanout, s->at.fanout_j, R.fan_ok, &s->at.fanout);
            break;
        case K_Z: R.n_z = read_per_junction(P, k, v, "z", s->z, s->at.z_j, R.z_ok, &s->at.z); break;
        case K_FORMAT: read_format(P, &R, k, v); break;
        case K_INPUT: read_input(P, &R, k, v); break;
        case K_CLASSES:
            s->at.classes = loc_of(v);
            R.classes_given = true;
            R.classes_ok = get_u32(P, v, "classes", 2, SG_MAX_NEURONS, &s->classes);
            break;
        case K_ACTIVATION: read_activation(P, &R, k, v); break;
        case K_LR: read_learning_rate(P, &R, k, v); break;
        case K_CONN: read_connectivity(P, &R, k, v); break;
        case K_INIT: read_init(P, k, v); break;
        case K_TRAINING: read_training(P, &R, k, v); break;
        case K_MODE: {
            static const char *const modes[] = { "train", "infer", NULL };
            s->at.mode = loc_of(v);
            int md = get_enum(P, v, "mode", modes);
            if (md >= 0) s->mode = (sg_mode)md;
            break;
        }
        case K_OVERLAP:
            s->at.overlap = loc_of(v);
            get_bool(P, v, "overlap", &s->overlap);
            break;
        }
    }
    free_map(&m);
    static const int required[] = { K_NAME, K_LAYERS, K_FANOUT, K_Z };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!R.have[required[i]])
            diag_error(P->d, rl, "missing required key '%s'", top_keys[required[i]]);
    check_network(P, &R);
    check_rest(P, &R);
}

/* Line and column (1-based) of a byte offset, for reader errors that carry no mark. */
static sg_loc loc_of_offset(const char *text, size_t len, size_t off)
{
    sg_loc l = { 1, 1 };
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') l.line++, l.col = 1;
        else l.col++;
    }
    return l;
}

static void syntax_error(sg_diag *d, const yaml_parser_t *pr, const char *text, size_t len)
{
    const char *problem = pr->problem ? pr->problem : "malformed input";
    if (pr->error == YAML_MEMORY_ERROR) {
        diag_error(d, (sg_loc){ 1, 1 }, "out of memory while reading the spec");
    } else if (pr->error == YAML_READER_ERROR) {
        sg_loc at = loc_of_offset(text, len, pr->problem_offset);
        if (pr->problem_value >= 0)
            diag_error(d, at, "invalid input: %s (byte 0x%02x); the spec must be UTF-8 text", problem,
                       (unsigned)pr->problem_value & 0xffu);
        else
            diag_error(d, at, "invalid input: %s; the spec must be UTF-8 text", problem);
    } else {
        sg_loc at = { (int)pr->problem_mark.line + 1, (int)pr->problem_mark.column + 1 };
        if (pr->context)
            diag_error(d, at, "YAML syntax error: %s (%s at line %d)", problem, pr->context,
                       (int)pr->context_mark.line + 1);
        else
            diag_error(d, at, "YAML syntax error: %s", problem);
    }
}

bool spec_parse(const char *path, const char *text, size_t len, sg_spec *s, sg_diag *d)
{
    if (!d->file) d->file = path;
    int errors0 = d->errors;
    memset(s, 0, sizeof *s);
    set_defaults(s);
    size_t plen = strlen(path);
    if (plen >= sizeof s->path) {
        diag_error(d, (sg_loc){ 0, 0 }, "the spec's path is too long (%zu bytes)", plen);
        return false;
    }
    memcpy(s->path, path, plen + 1);
    s->hash = hash64(text, len, HASH64_INIT);

    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        diag_error(d, (sg_loc){ 0, 0 }, "out of memory while reading the spec");
        return false;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        syntax_error(d, &parser, text, len);
        yaml_parser_delete(&parser);
        return false;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) {
        diag_error(d, (sg_loc){ 1, 1 }, "the spec is empty; it needs at least the keys name, layers, fanout and z");
    } else {
        /* Exactly one document: a second one is an error (and so is a syntax error in it). */
        yaml_document_t more;
        if (!yaml_parser_load(&parser, &more)) {
            syntax_error(d, &parser, text, len);
        } else {
            yaml_node_t *r2 = yaml_document_get_root_node(&more);
            if (r2) diag_error(d, loc_of(r2), "only one YAML document is allowed in a spec");
            yaml_document_delete(&more);
        }
        ps P = { &doc, s, d };
        read_document(&P, root);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return d->errors == errors0;
}

bool spec_load(const char *path, sg_spec *s, sg_diag *d)
{
    if (!d->file) d->file = path;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        diag_error(d, (sg_loc){ 0, 0 }, "cannot read the spec: it is a directory");
        return false;
    }
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        diag_error(d, (sg_loc){ 0, 0 }, "cannot read the spec: %s", strerror(errno));
        return false;
    }
    bool ok = spec_parse(path, text, len, s, d);
    free(text);
    return ok;
}
