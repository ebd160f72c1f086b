/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_version.c - `sca version`: the sca version and the versions of the
 * libraries it runs with, as those libraries report them at run time.
 */
#include <stdio.h>

#include <bpf/libbpf.h>
#include <seccomp.h>
#include <sqlite3.h>
#include <zstd.h>

#include "cli/cmd.h"
#include "common/cli.h"
#include "config.h"

const char cmd_version_usage[] =
	"usage: sca version\n"
	"       sca --version\n"
	"\n"
	"Print the sca version and the versions of libbpf, libzstd, libseccomp\n"
	"and SQLite that it runs with.\n";

int cmd_version(int argc, char **argv)
{
	const struct scmp_version *sv;

	if (argc > 1) {
		if (argc == 2 && sca_is_help_arg(argv[1]))
			return sca_print_usage(stdout, cmd_version_usage) ?
				SCA_EXIT_FAILURE : SCA_EXIT_OK;
		return sca_usage_err("version", "unexpected argument '%s'",
				     argv[1]);
	}

	printf("sca %s\n", SCA_VERSION);
	printf("libbpf %u.%u\n", libbpf_major_version(),
	       libbpf_minor_version());
	printf("libzstd %s\n", ZSTD_versionString());
	sv = seccomp_version();
	if (sv)
		printf("libseccomp %u.%u.%u\n", sv->major, sv->minor,
		       sv->micro);
	else
		printf("libseccomp unknown\n");
	printf("sqlite %s\n", sqlite3_libversion());

	if (fflush(stdout) == EOF || ferror(stdout)) {
		sca_cmd_err("version", "cannot write to standard output");
		return SCA_EXIT_FAILURE;
	}
	return SCA_EXIT_OK;
}
