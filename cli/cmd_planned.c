/*
 * cmd_planned.c - the commands that are planned but not built yet in this
 * version: profile-gen.
 *
 * Each prints its planned usage when asked (--help, or `sca help NAME`), and
 * every invocation ends with one line on stderr and the usage exit code, so
 * scripts cannot mistake them for working commands.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/cli.h"

const char cmd_profile_gen_usage[] =
	"usage: sca profile-gen [TRACE...] [-o FILE] [--format oci|spo] [--base PROFILE]\n"
	"                       [filters]\n"
	"\n"
	"NOT BUILT YET in this version: this is the planned usage.\n"
	"\n"
	"Generate a seccomp profile from traces: the syscalls seen per container\n"
	"and architecture.\n"
	"\n"
	"  TRACE...          traces to read (default ./run.trace)\n"
	"  -o FILE           write the profile to FILE\n"
	"  --format oci|spo  OCI runtime JSON or Security Profiles Operator YAML\n"
	"  --base PROFILE    start from PROFILE\n";

static int not_built(const char *name, const char *usage, int argc,
		     char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (sca_is_help_arg(argv[i])) {
			sca_print_usage(stdout, usage);
			break;
		}
	}
	sca_cmd_err(name, "not built yet in this version");
	return SCA_EXIT_USAGE;
}



int cmd_profile_gen(int argc, char **argv)
{
	return not_built("profile-gen", cmd_profile_gen_usage, argc, argv);
}
