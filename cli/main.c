/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * main.c - the sca binary: dispatches `sca COMMAND ARGS...` through a command
 * table, git/bpftool style, and implements `sca help`.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/cli.h"
#include "common/privdir.h"

static const struct sca_cmd commands[] = {
	{ "record", cmd_record,
	  "Capture seccomp audit events",
	  cmd_record_usage },
	{ "analyze", cmd_analyze,
	  "Load traces into SQLite and answer questions about them",
	  cmd_analyze_usage },
	{ "profile-gen", cmd_profile_gen,
	  "Generate a validated seccomp profile (OCI JSON, SPO YAML) from traces",
	  cmd_profile_gen_usage },
	{ "inspect", cmd_inspect,
	  "Show a trace's metadata, totals, damage and events",
	  cmd_inspect_usage },
	{ "doctor", cmd_doctor,
	  "Check whether sca can record here, and say why not",
	  cmd_doctor_usage },
	{ "help", cmd_help,
	  "Show this list, or the usage of one command",
	  cmd_help_usage },
	{ "version", cmd_version,
	  "Show the sca version and the versions of the libraries it uses",
	  cmd_version_usage },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct sca_cmd *sca_cmd_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

const char cmd_help_usage[] =
	"usage: sca help [COMMAND]\n"
	"\n"
	"Without COMMAND, list the sca commands; with it, show its usage.\n";

static int print_command_list(void)
{
	size_t width = 0;

	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strlen(commands[i].name) > width)
			width = strlen(commands[i].name);

	printf("usage: sca [--help | --version] COMMAND [ARGS...]\n"
	       "\n"
	       "sca audits seccomp: it captures seccomp audit events, analyzes\n"
	       "them in SQLite and generates seccomp profiles from them.\n"
	       "\n"
	       "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  %-*s  %s\n", (int)width, commands[i].name,
		       commands[i].summary);
	printf("\n"
	       "Run 'sca help COMMAND' for the usage of one command.\n"
	       "Exit status: 0 ok, 1 runtime failure, 2 usage error.\n");
	return fflush(stdout) == EOF ? SCA_EXIT_FAILURE : SCA_EXIT_OK;
}

int cmd_help(int argc, char **argv)
{
	const struct sca_cmd *cmd;

	if (argc <= 1)
		return print_command_list();
	if (argc > 2)
		return sca_usage_err("help", "too many arguments");
	if (sca_is_help_arg(argv[1]))
		return sca_print_usage(stdout, cmd_help_usage) ?
			SCA_EXIT_FAILURE : SCA_EXIT_OK;

	cmd = sca_cmd_find(argv[1]);
	if (!cmd)
		return sca_usage_err(NULL, "'%s' is not a sca command", argv[1]);
	return sca_print_usage(stdout, cmd->usage) ?
		SCA_EXIT_FAILURE : SCA_EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct sca_cmd *cmd;
	const char *name;

	if (argc < 2)
		return sca_usage_err(NULL, "no command given");

	name = argv[1];
	if (sca_is_help_arg(name))
		return cmd_help(argc - 1, argv + 1);
	if (strcmp(name, "--version") == 0)
		return cmd_version(argc - 1, argv + 1);
	if (name[0] == '-')
		return sca_usage_err(NULL, "unknown option '%s'", name);

	cmd = sca_cmd_find(name);
	if (!cmd)
		return sca_usage_err(NULL, "'%s' is not a sca command", name);
	/* a private directory must not outlive Ctrl-C, a hang-up or `| head` */
	sca_privdir__catch_signals();
	return cmd->fn(argc - 1, argv + 1);
}
