/* cli.h: the commands of `sparsegen`. Each takes the arguments after the command name (argv[0] is the command
 * name) and returns the exit status: 0 success, 1 bad input, 2 usage error. */
#ifndef SG_CLI_H
#define SG_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int cmd_check(int argc, char **argv);    /* gen/cmd_check.c */
int cmd_patterns(int argc, char **argv); /* gen/cmd_patterns.c */
int cmd_train(int argc, char **argv);    /* verify/cmd_train.c */
int cmd_rtl(int argc, char **argv);      /* gen/cmd_rtl.c */
int cmd_vectors(int argc, char **argv);  /* verify/cmd_vectors.c */

/* Each command's full help text (what `sparsegen CMD --help` prints), defined next to its option parser. The text
 * starts with "Usage: sparsegen CMD ..." naming every option, possibly over several lines, then a blank line. */
void cli_help_check(FILE *f);
void cli_help_patterns(FILE *f);
void cli_help_train(FILE *f);
void cli_help_rtl(FILE *f);
void cli_help_vectors(FILE *f);

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    void (*help)(FILE *f);
    const char *summary;
} sg_command;

extern const sg_command sg_commands[];
extern const size_t sg_ncommands;

/* The command called NAME, or NULL. */
const sg_command *cli_find(const char *name);
/* The usage lines of a command (its help text up to the first blank line) to f. */
void cli_print_usage(const sg_command *c, FILE *f);
/* `sparsegen --help`: the commands and the usage line of each (every option of every command). */
void cli_print_main_help(FILE *f);

/* A usage error of command CMD: prints "sparsegen CMD: MESSAGE" (one line), the command's usage lines and
 * "Try 'sparsegen CMD --help'." to stderr; returns SG_EXIT_USAGE (2). */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses an unsigned decimal option value into [lo, hi]; false if malformed or out of range. */
bool cli_parse_u64(const char *text, uint64_t lo, uint64_t hi, uint64_t *out);

#endif
