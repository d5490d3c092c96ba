/* cli.h: the commands of `sparsegen`. Each takes the arguments after the command name (argv[0] is the command
 * name) and returns the exit status: 0 success, 1 bad input, 2 usage error. Each prints its own --help. */
#ifndef SG_CLI_H
#define SG_CLI_H

int cmd_check(int argc, char **argv);    /* gen/cmd_check.c */
int cmd_patterns(int argc, char **argv); /* gen/cmd_patterns.c */
int cmd_train(int argc, char **argv);    /* verify/cmd_train.c */
int cmd_rtl(int argc, char **argv);      /* gen/cmd_rtl.c */
int cmd_vectors(int argc, char **argv);  /* verify/cmd_vectors.c */

/* Prints "sparsegen CMD: MESSAGE" and "Try 'sparsegen CMD --help'." to stderr; returns SG_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses an unsigned decimal option value into [lo, hi]; false if malformed or out of range. */
#include <stdbool.h>
#include <stdint.h>
bool cli_parse_u64(const char *text, uint64_t lo, uint64_t hi, uint64_t *out);

#endif
