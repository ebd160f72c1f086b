/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cli.h - small helpers shared by sca's commands: exit codes, error lines,
 * usage output, and the parsers of option values (comma lists, durations,
 * sizes, TRACE arguments that name directories).
 */
#ifndef SCA_COMMON_CLI_H
#define SCA_COMMON_CLI_H

#include <stddef.h>
#include <stdint.h>
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

/*
 * Append FMT's text to BUF (LEN bytes, NUL-terminated) at offset AT, cut at
 * its end; returns the new offset, never past LEN - 1. For one-line
 * messages built in pieces.
 */
size_t sca_appendf(char *buf, size_t len, size_t at, const char *fmt, ...) SCA_PRINTF(4, 5);

/* The columns of the terminal F is on, or 0 when F is no terminal or it does not say. */
int sca_term_width(FILE *f);

/* True if ARG asks for help: "-h" or "--help". */
int sca_is_help_arg(const char *arg);

/*
 * Print a usage text to OUT, adding a final newline if the text lacks one.
 * Returns 0, or -1 if writing failed.
 */
int sca_print_usage(FILE *out, const char *usage);

/*
 * Split a comma list ARG in place and append its items to LIST, which holds
 * *N of at most MAX. Options that take lists also repeat: each call adds.
 * Returns 0, or -E2BIG when MAX would be passed.
 */
int sca_cli_split(char *arg, const char **list, int *n, int max);

/*
 * PROG and the ARGC words of ARGV joined by spaces ("sca record -o x"), as
 * a trace header records the command line. Returns a string to free, or
 * NULL if out of memory.
 */
char *sca_cli_join(const char *prog, int argc, char *const *argv);

/*
 * A duration: a number with ms, s, m, h or d (with bare_seconds, a bare
 * number is seconds). Returns 0 with *ns set, or -EINVAL.
 */
int sca_parse_duration(const char *s, int bare_seconds, uint64_t *ns);

/*
 * A size in bytes: a whole number, optionally with K, M or G (powers of
 * 1024; k, m, g too). Returns 0 with *bytes set, or -EINVAL.
 */
int sca_parse_size(const char *s, uint64_t *bytes);

/*
 * The traces ARGS name: a directory stands for the *.trace files in it,
 * sorted by name (hidden files and subdirectories left out), anything else
 * for itself. Returns 0 with *out set to a NULL-terminated array of *n
 * paths (free it with sca_trace_paths_free), or a negative errno with a
 * one-line message naming the argument in err (an unreadable directory,
 * or one without *.trace files).
 */
int sca_trace_paths(const char *const *args, int nargs, char ***out, int *n, char *err, size_t errlen);
void sca_trace_paths_free(char **paths);

#endif /* SCA_COMMON_CLI_H */
