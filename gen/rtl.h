/* rtl.h: the RTL generator (`sparsegen rtl`). It emits only the thin glue: the top level that wires the
 * hand-written templates of templates/ together, the memory-initialisation files ($readmemh hex) and the
 * testbench configuration; the templates themselves are copied. docs/hardware.md describes the hardware,
 * docs/interface.md the top level's ports. */
#ifndef SG_RTL_H
#define SG_RTL_H

#include "pattern.h"
#include "plan.h"

/* What the generator needs: a checked spec, its plan, the patterns and the initial parameters. */
typedef struct {
    const sg_spec *spec;
    const sg_plan *plan;
    const sg_pattern *pats;              /* [J]: pats[j - 1] for junction j */
    const int32_t *weights[SG_MAX_J];    /* initial weights of junction j at [j - 1], natural edge order */
    const int32_t *biases[SG_MAX_J];
    const char *command;                 /* command line for banners (see rtl_command_line) */
    int ram_style;                       /* 1 block, 2 distributed, 0 none (sg_ram RAM_STYLE), SG_RAM_AUTO */
    const char *target;                  /* device of the memory mapping (rtl_device); NULL: xc7 */
} sg_rtl;

/* ram_style: one style per RAM instance, chosen by rtl_mem_plan for the target (gen/rtl_mem.c) */
#define SG_RAM_AUTO 3

/* ---- memory mapping (gen/rtl_mem.c; docs/hardware.md "Memory mapping") ---- */
typedef struct {
    const char *name;       /* flow target name: ice40-up5k, ice40-hx8k, ecp5-25k, ecp5-85k, xc7 */
    const char *device;
    int family;             /* 1 iCE40 (no LUT RAM), 2 ECP5, 3 Xilinx 7-series */
    const char *block_cell;
    uint32_t blocks, luts, block_bits;
} sg_rtl_device;
#define SG_RTL_MEM_PARTS 4
#define SG_RTL_MAX_UNITS (3 * SG_MAX_J)
typedef struct {
    const char *what;
    uint32_t count, depth, width;    /* count identical RAMs of depth x width */
} sg_rtl_mempart;
typedef struct {
    char inst[32];                   /* instance of the top level: l<h>_act, l<h>_delta, j<j> */
    int nparts;
    sg_rtl_mempart parts[SG_RTL_MEM_PARTS];
    uint32_t rams, blocks, luts;     /* RAMs; blocks if in block RAM; LUTs if distributed (estimates) */
    uint64_t bits;
    int style;                       /* 1 block, 2 distributed (the auto decision) */
    uint32_t nblock;                 /* layer memory in distributed RAM: how many of its RAMs (the first ones)
                                      * still go to block RAM, with blocks left over (0 otherwise) */
    uint32_t ram_blocks, ram_luts;   /* layer memory: blocks and LUTs of one of its RAMs */
    int rank;                        /* place in the ranking by LUTs saved per block (1 = best) */
} sg_rtl_memunit;
typedef struct {
    const sg_rtl_device *dev;
    int n;
    sg_rtl_memunit units[SG_RTL_MAX_UNITS];
    uint32_t roms, rom_blocks;       /* ROMs that sg_rom puts in block RAM, and their blocks */
    uint64_t rom_bits;
} sg_rtl_memmap;

/* The device of a target name (NULL: xc7); NULL if unknown. */
const sg_rtl_device *rtl_device(const char *name);
const char *rtl_device_names(void);
uint32_t rtl_mem_blocks(const sg_rtl_device *d, uint32_t depth, uint32_t width);
uint32_t rtl_mem_luts(const sg_rtl_device *d, uint32_t depth, uint32_t width);
/* Describes every RAM instance and decides its style for r->target; false if the target is unknown. */
bool rtl_mem_plan(const sg_rtl *r, sg_rtl_memmap *mm);
/* The RAM_STYLE of an instance: r->ram_style unless SG_RAM_AUTO, else the decision of mm. */
int rtl_mem_style(const sg_rtl *r, const sg_rtl_memmap *mm, const char *inst);
/* How many of a layer memory's RAMs go to block RAM although its style is distributed (auto mode only). */
uint32_t rtl_mem_nblock(const sg_rtl *r, const sg_rtl_memmap *mm, const char *inst);
/* memories.txt: one line per instance and a summary line. */
void rtl_write_memmap(FILE *f, const sg_rtl *r, const sg_rtl_memmap *mm);

/* Hardware parameters of junction j derived from the plan and the pattern (docs/hardware.md). */
typedef struct {
    uint32_t RB, LB, CB, LBW;  /* row, lane, clock and label bits (each >= 1) */
    int family;                /* 1: row table per clock (type1), 2: start vector per sweep (type2/3) */
    int md;                    /* the bank permutation is not the identity in some sweep */
    uint32_t gap;              /* hand-over gap g: 1, or 2 with overlapped cycles (sg_gap) */
    uint32_t dcopies;          /* derivative memory copies g(2J - 2j + 1) + 1 (sg_deriv_copies) */
    uint32_t ocopies;          /* output-delta memory copies g + 1 (sg_delta_copies) */
    uint32_t rbpw;             /* width of the right layer's delta sums (j < J) */
} sg_rtl_junction;

void rtl_junction_params(const sg_rtl *r, int j, sg_rtl_junction *hp);

/* Bits of the memory-port address fields: {bias, junction, row, lane}. */
typedef struct {
    uint32_t jb, rb, lb, aw;
} sg_rtl_mmap;
void rtl_mmap(const sg_rtl *r, sg_rtl_mmap *mm);

/* The command line as recorded in banners: arguments joined by spaces, an absolute path replaced by its last
 * component (outputs never contain absolute paths). Caller frees. */
char *rtl_command_line(const char *prog, int argc, char **argv);
/* The banner of every generated file, each line starting with `comment` ("//" for Verilog and hex files). */
void rtl_banner(FILE *f, const sg_rtl *r, const char *comment, const char *what);

/* Emitters (each writes one whole file; false on an internal inconsistency, with a diag_fail message). */
bool rtl_write_top(FILE *f, const sg_rtl *r);
void rtl_write_tb_config(FILE *f, const sg_rtl *r);
void rtl_write_weights(FILE *f, const sg_rtl *r, int j);   /* C words of z * w bits, lane 0 in the low bits */
void rtl_write_biases(FILE *f, const sg_rtl *r, int j);    /* n / q words of q * w bits */
bool rtl_write_rows(FILE *f, const sg_rtl *r, int j);      /* pattern row / start table (per bank) */
void rtl_write_bank(FILE *f, const sg_rtl *r, int j, bool inverse); /* bank permutation per sweep */
void rtl_write_sigmoid(FILE *f, const sg_rtl *r);
/* tb/sparsegen.gtkw: GTKWave save file for the testbench's wave dump (gen/rtl_gtkw.c) */
void rtl_write_gtkw(FILE *f, const sg_rtl *r);
/* DIR/<name>.core: the FuseSoC CAPI2 core of the output folder (gen/rtl_core.c). */
bool rtl_write_core(FILE *f, const sg_rtl *r);

/* Checks that the pattern tables reproduce left[] (the address generators use the tables); false with a
 * message if not. */
bool rtl_check_tables(const sg_pattern *pt);

/* The whole output folder DIR: rtl/ (templates and top), mem/ (initialisation files), tb/ (testbench and its
 * configuration). All or nothing. templates: the folder holding the templates (rtl_find_templates). */
bool rtl_generate(const sg_rtl *r, const char *templates, const char *dir);
/* Finds the templates folder: `opt` if not NULL, else $SPARSEGEN_TEMPLATES, else templates/ next to the
 * executable (argv0 resolved through /proc/self/exe), else ./templates. NULL (with a message) if none has
 * sg_junction.v. Returned string is static. */
const char *rtl_find_templates(const char *opt);

/* Everything loaded from a spec for `rtl` and `vectors`: spec, plan, checked patterns and the fixed-point golden
 * model holding the initial parameters (Glorot initialisation, or the weight file when weights is not NULL). */
struct sg_model;
typedef struct {
    sg_spec *spec;
    sg_plan *plan;
    sg_pattern pats[SG_MAX_J];
    int npats;
    struct sg_model *model;
} sg_rtl_input;
/* Loads and checks everything; errors are reported (spec errors as FILE:LINE:COL) and false is returned. */
bool rtl_load(const char *spec_path, const char *weights, sg_rtl_input *in);
void rtl_unload(sg_rtl_input *in);
/* Fills r from in (command and ram_style left to the caller). */
void rtl_from_input(sg_rtl *r, const sg_rtl_input *in);

/* Template files copied into rtl/ (NULL-terminated), and the testbench template copied into tb/. */
extern const char *const rtl_template_files[];
#define RTL_TB_TEMPLATE "tb_sparsegen.v"

#endif
