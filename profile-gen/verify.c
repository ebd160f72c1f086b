/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * verify.c - see verify.h. The profile goes to a private directory under
 * /tmp with SECCOMP_FILTER_FLAG_LOG added, so that the trace of the run
 * shows every refusal as an audit event, and the recorder runs the command
 * under it. Only refusals matter here: the calls the profile let through
 * are not counted, and the event source must open (a syscall source beside
 * an event source that failed would report no refusal at all).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/action.h"
#include "common/escape.h"
#include "common/names.h"
#include "common/privdir.h"
#include "gen.h"
#include "recorder.h"
#include "trace.h"
#include "verify.h"

/* P as OCI JSON at PATH, with every refusal logged. */
static int write_logging(const struct sca_profile *p, const char *path, char *err, size_t errlen)
{
	struct sca_profile v = *p;     /* a shallow copy: only the flags differ */
	const struct sca_gen_output oci = { .spo = false };

	v.flags |= SECCOMP_FILTER_FLAG_LOG;
	return sca_gen__write(&v, path, &oci, err, errlen);
}

/* Run CMD under PROFILE, recorded into TRACE; the recorder's exit code. */
static int record(char **cmd, const char *profile, const char *trace, FILE *notes)
{
	struct sca_record_opts o = { 0 };
	char bad[64];

	o.out = trace;
	o.cmd = cmd;
	o.profile = profile;
	o.learn = SCA_LEARN_LOG_ALL;
	o.cmdline = "sca profile-gen --verify";
	sca_printer__init(&o.printer, stderr, NULL, false, bad, sizeof(bad));
	fprintf(notes, "sca profile-gen: --verify: running %s under the new profile\n", cmd[0]);
	return sca_record__run(&o);
}

/*
 * Say each event of TRACE the filter refused, and events the recording
 * lost (refusals among them go unlisted); calls, if any, ran and are
 * passed over. -EIO when there is no trace to read.
 */
static int report_refusals(const char *trace, FILE *notes, uint64_t *refused)
{
	struct sca_reader *r = sca_reader__open(trace);
	const struct sca_record *rec;
	char nb[32], cb[32];
	uint64_t lost = 0;

	*refused = 0;
	if (!r)
		return -EIO;
	while (sca_reader__next(r, &rec) > 0) {
		if (rec->kind == SCA_RECORD_LOST && !(rec->lost.source && !strcmp(rec->lost.source, "syscalls")))
			lost += rec->lost.count;
		if (rec->kind != SCA_RECORD_EVENT)
			continue;
		uint32_t act = sca_event__action(&rec->event);
		if (act == SCMP_ACT_LOG || act == SCMP_ACT_ALLOW)
			continue;
		/* comm is the workload's choice: escaped, like every printed name */
		char comm[SCA_ESC_SIZE(16)];
		sca_esc(comm, sizeof(comm), rec->event.comm ? rec->event.comm : "?");
		fprintf(notes, "sca profile-gen: --verify: refused: pid %d %s %s (%s)\n", rec->event.pid,
			comm, sca_syscall_name(rec->event.arch, rec->event.syscall, nb, sizeof(nb)),
			sca_action_name(rec->event.code, cb, sizeof(cb)));
		(*refused)++;
	}
	sca_reader__close(r);
	if (lost)
		fprintf(notes, "sca profile-gen: --verify: warning: the recording lost %llu events; refusals "
			       "among them are not listed\n", (unsigned long long)lost);
	return 0;
}

int sca_gen__verify(const struct sca_profile *p, char **cmd, FILE *notes, uint64_t *refused, char *err,
		    size_t errlen)
{
	struct sca_privdir *dir = NULL;
	char *prof = NULL, *trace = NULL;
	int rc, status;

	if (errlen)
		*err = 0;
	/* private: the profile and the trace of the run are removed on every way out */
	if ((rc = sca_privdir__create(&dir, NULL))) {
		snprintf(err, errlen, "--verify: cannot create a private directory: %s", strerror(-rc));
		return rc;
	}
	if (asprintf(&prof, "%s/profile.json", sca_privdir__path(dir)) < 0 ||
	    asprintf(&trace, "%s/verify.trace", sca_privdir__path(dir)) < 0) {
		prof = trace = NULL;
		rc = -ENOMEM;
		snprintf(err, errlen, "--verify: out of memory");
		goto cleanup;
	}
	if ((rc = write_logging(p, prof, err, errlen)))
		goto cleanup;
	status = record(cmd, prof, trace, notes);
	if ((rc = report_refusals(trace, notes, refused)))
		goto cleanup;
	fprintf(notes, "sca profile-gen: --verify: %s exited with status %d; %llu refusal%s\n", cmd[0],
		status, (unsigned long long)*refused, *refused == 1 ? "" : "s");
cleanup:
	free(prof);
	free(trace);
	sca_privdir__remove(dir);
	return rc;
}
