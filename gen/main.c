/* main.c: `sparsegen COMMAND ...` dispatch. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "common.h"

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *summary;
} commands[] = {
    { "check", cmd_check, "validate a spec and print its hardware plan" },
    { "patterns", cmd_patterns, "generate and check the connection patterns (CSV, PNG, JSON)" },
    { "train", cmd_train, "train the golden model on an IDX dataset" },
    { "rtl", cmd_rtl, "generate the Verilog accelerator (top level, templates, memory files, testbench)" },
    { "vectors", cmd_vectors, "golden-model test vectors for the generated testbench" },
};

static void usage(FILE *f)
{
    fprintf(f, "Usage: sparsegen COMMAND [OPTIONS] SPEC ...\n\n"
               "Generates FPGA training accelerators for pre-defined sparse neural networks.\n\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'sparsegen COMMAND --help' lists the options of a command.\n"
               "Exit status: 0 success, 1 bad input (spec, data, files), 2 usage error.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return SG_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return SG_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("sparsegen %s\n", SG_VERSION);
        return SG_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "sparsegen: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return SG_EXIT_USAGE;
}
