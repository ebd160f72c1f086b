/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd.h - the sca command table.
 *
 * `sca NAME ARGS...` runs cmd_NAME(argc, argv) with argv[0] = "NAME".
 * Each command lives in cli/cmd_NAME.c (help, in main.c beside the table)
 * and defines cmd_NAME and cmd_NAME_usage, the text that `sca help NAME`
 * and `sca NAME --help` print.  A command returns an exit
 * code from common/cli.h: SCA_EXIT_OK, SCA_EXIT_FAILURE or SCA_EXIT_USAGE.
 */
#ifndef SCA_CLI_CMD_H
#define SCA_CLI_CMD_H

struct sca_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary; /* one line for the `sca help` list */
	const char *usage;   /* full usage text */
};

int cmd_record(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_profile_gen(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);

extern const char cmd_record_usage[];
extern const char cmd_analyze_usage[];
extern const char cmd_profile_gen_usage[];
extern const char cmd_inspect_usage[];
extern const char cmd_doctor_usage[];
extern const char cmd_help_usage[];
extern const char cmd_version_usage[];

/* The command called NAME, or NULL. */
const struct sca_cmd *sca_cmd_find(const char *name);

#endif /* SCA_CLI_CMD_H */
