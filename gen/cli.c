/* cli.c: the command table, help and usage errors shared by every command, and option-value parsing. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"

const sg_command sg_commands[] = {
    { "check", cmd_check, cli_help_check, "validate a spec and print its hardware plan" },
    { "patterns", cmd_patterns, cli_help_patterns, "generate and check the connection patterns (CSV, PNG, JSON)" },
    { "train", cmd_train, cli_help_train, "train the golden model on an IDX dataset" },
    { "rtl", cmd_rtl, cli_help_rtl,
      "generate the Verilog accelerator (top level, templates, memory files, testbench, FuseSoC core)" },
    { "vectors", cmd_vectors, cli_help_vectors, "golden-model test vectors for the generated testbench" },
};
const size_t sg_ncommands = sizeof sg_commands / sizeof sg_commands[0];

const sg_command *cli_find(const char *name)
{
    for (size_t i = 0; i < sg_ncommands; i++)
        if (!strcmp(name, sg_commands[i].name)) return &sg_commands[i];
    return NULL;
}

void cli_print_usage(const sg_command *c, FILE *f)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) return;
    c->help(m);
    if (fclose(m) != 0 || !text) {
        free(text);
        return;
    }
    char *end = strstr(text, "\n\n");
    fwrite(text, 1, end ? (size_t)(end - text) + 1 : len, f);
    free(text);
}

void cli_print_main_help(FILE *f)
{
    fprintf(f, "Usage: sparsegen COMMAND [OPTIONS] SPEC ...\n"
               "       sparsegen help COMMAND | --help | --version\n\n"
               "Generates FPGA training accelerators for pre-defined sparse neural networks.\n\nCommands:\n");
    for (size_t i = 0; i < sg_ncommands; i++)
        fprintf(f, "  %-10s %s\n", sg_commands[i].name, sg_commands[i].summary);
    fprintf(f, "\nOptions of each command:\n");
    for (size_t i = 0; i < sg_ncommands; i++) cli_print_usage(&sg_commands[i], f);
    fprintf(f, "\n'sparsegen help COMMAND' or 'sparsegen COMMAND --help' explains a command and each option.\n"
               "Exit status: 0 success, 1 bad input (spec, data, files), 2 usage error.\n");
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sparsegen %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    const sg_command *c = cli_find(cmd);
    if (c) cli_print_usage(c, stderr);
    fprintf(stderr, "Try 'sparsegen %s --help'.\n", cmd);
    return SG_EXIT_USAGE;
}

bool cli_parse_u64(const char *text, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (!text || !*text || *text == '-' || *text == '+') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}
