/*
 * cli.h - small helpers shared by sca's commands: exit codes, error lines,
 * usage output.
 */
#ifndef SCA_COMMON_CLI_H
#define SCA_COMMON_CLI_H

#include <stdio.h>

/* Exit codes of every sca command (see the CLI contract in the design). */
enum sca_exit {
	SCA_EXIT_OK = 0,      /* success */
	SCA_EXIT_FAILURE = 1, /* runtime failure */
	SCA_EXIT_USAGE = 2,   /* usage error */
};

#if defined(__GNUC__)
#define SCA_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define SCA_PRINTF(fmt, first)
#endif

/* Print "sca: MESSAGE" as one line on stderr. */
void sca_err(const char *fmt, ...) SCA_PRINTF(1, 2);

/* Print "sca CMD: MESSAGE" as one line on stderr. */
void sca_cmd_err(const char *cmd, const char *fmt, ...) SCA_PRINTF(2, 3);

/*
 * Report a usage error for CMD (NULL for sca itself) as one line on stderr,
 * ending with a hint to run `sca help [CMD]`, and return SCA_EXIT_USAGE.
 */
int sca_usage_err(const char *cmd, const char *fmt, ...) SCA_PRINTF(2, 3);

/* True if ARG asks for help: "-h" or "--help". */
int sca_is_help_arg(const char *arg);

/*
 * Print a usage text to OUT, adding a final newline if the text lacks one.
 * Returns 0, or -1 if writing failed.
 */
int sca_print_usage(FILE *out, const char *usage);

#endif /* SCA_COMMON_CLI_H */
