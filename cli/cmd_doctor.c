/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd_doctor.c - `sca doctor`: whether sca can record here, and if not
 * why, with the evidence and the fix. The checks are record/doctor*.c.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/cli.h"
#include "doctor.h"

const char cmd_doctor_usage[] =
	"usage: sca doctor [--format text|json]\n"
	"\n"
	"Check whether sca can record seccomp audit events on this machine and\n"
	"say why not: one line a check, ok, warning or problem, with what the\n"
	"kernel (or a runtime) answered and the fix. Checked: the kernel's\n"
	"audit (built in, audit=0), the audit source (subscribing for real),\n"
	"the network namespace, the audit status (rate limit, backlog, records\n"
	"lost since boot), audit exclude rules that drop seccomp records (read\n"
	"from the kernel, as auditctl -l does), whether an audit daemon runs\n"
	"beside sca, seccomp's actions_logged and actions_avail, the\n"
	"capabilities held, BTF, lockdown, each BPF attachment sca uses (fentry\n"
	"and kprobe on audit_seccomp, the sys_enter and sched tracepoints:\n"
	"loaded, attached and detached again, with the kernel's error), and\n"
	"runc and crun (version, and whether they accept seccomp flags). Nothing\n"
	"is changed. Run it as the user sca records as (root).\n"
	"\n"
	"  --format F   text (default) or json: one object with can_record,\n"
	"               reason and checks [{name, status, evidence, fix}]\n"
	"  -h, --help   show this help\n"
	"\n"
	"Exit status: 0 sca can record seccomp audit events here (through the\n"
	"audit source, or a BPF source), 1 it cannot (or the output cannot be\n"
	"written), 2 usage error.\n";

int cmd_doctor(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct sca_doctor *d = NULL;
	bool json = false;
	char why[8];
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return sca_usage_err("doctor", "bad --format '%s' (text, json)", optarg);
			json = !strcmp(optarg, "json");
			break;
		case 'h':
			return sca_print_usage(stdout, cmd_doctor_usage) ? SCA_EXIT_FAILURE : SCA_EXIT_OK;
		case ':':
			return sca_usage_err("doctor", "option '%s' needs a value", argv[optind - 1]);
		default:
			return sca_usage_err("doctor", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return sca_usage_err("doctor", "unexpected argument '%s'", argv[optind]);
	if (sca_doctor__run(&d, SCA_DOCTOR_ALL)) {
		sca_cmd_err("doctor", "out of memory");
		return SCA_EXIT_FAILURE;
	}
	int rc = sca_doctor__can_record(d, why, sizeof(why)) ? SCA_EXIT_OK : SCA_EXIT_FAILURE;
	if (sca_doctor__print(d, stdout, json)) {
		sca_cmd_err("doctor", "cannot write to standard output");
		rc = SCA_EXIT_FAILURE;
	}
	sca_doctor__free(d);
	return rc;
}
