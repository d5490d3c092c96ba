/* main.c: `sparsegen COMMAND ...` dispatch (the command table is in cli.c). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "common.h"

static bool is_help(const char *a)
{
    return !strcmp(a, "--help") || !strcmp(a, "-h");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "sparsegen: missing COMMAND\n");
        cli_print_main_help(stderr);
        return SG_EXIT_USAGE;
    }
    const char *a = argv[1];
    if (is_help(a) || (!strcmp(a, "help") && argc == 2)) {
        cli_print_main_help(stdout);
        return SG_EXIT_OK;
    }
    if (!strcmp(a, "--version") || !strcmp(a, "version")) {
        if (argc > 2) {
            fprintf(stderr, "sparsegen: unexpected argument '%s' after %s\n", argv[2], a);
            return SG_EXIT_USAGE;
        }
        printf("sparsegen %s\n", SG_VERSION);
        return SG_EXIT_OK;
    }
    if (!strcmp(a, "help")) {
        const sg_command *c = cli_find(argv[2]);
        if (!c || argc > 3) {
            if (!c) fprintf(stderr, "sparsegen help: unknown command '%s'\n", argv[2]);
            else fprintf(stderr, "sparsegen help: one COMMAND only (got '%s' and '%s')\n", argv[2], argv[3]);
            cli_print_main_help(stderr);
            return SG_EXIT_USAGE;
        }
        c->help(stdout);
        return SG_EXIT_OK;
    }
    const sg_command *c = cli_find(a);
    if (c) return c->run(argc - 1, argv + 1);
    fprintf(stderr, "sparsegen: unknown command '%s'\n", a);
    cli_print_main_help(stderr);
    return SG_EXIT_USAGE;
}
