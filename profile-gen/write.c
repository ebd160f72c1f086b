/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * write.c - a profile out whole, as OCI JSON or an SPO SeccompProfile: to
 * stdout, or to PATH through the one safe output writer (built beside PATH
 * in a private directory and renamed over it, so a runtime reading PATH
 * never sees half a profile; a FIFO or /dev/stdout is written in place).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/outfile.h"
#include "gen.h"

static int emit(const struct sca_profile *p, const struct sca_gen_output *o, FILE *f)
{
	return o->spo ? sca_profile__write_spo_api(p, o->spo_api, o->name, o->ns, f) :
			sca_profile__write_oci(p, f);
}

/* Emit into the output file's descriptor; the outfile keeps its own. */
static int emit_fd(const struct sca_profile *p, const struct sca_gen_output *o, int fd)
{
	int dfd = dup(fd);
	FILE *f = dfd >= 0 ? fdopen(dfd, "w") : NULL;
	int rc;

	if (!f) {
		rc = -errno;
		if (dfd >= 0)
			close(dfd);
		return rc;
	}
	rc = emit(p, o, f);
	if (fclose(f) && !rc)
		rc = -errno;
	return rc;
}

int sca_gen__write(const struct sca_profile *p, const char *path, const struct sca_gen_output *o,
		   char *err, size_t errlen)
{
	struct sca_outfile *out;
	int rc;

	if (errlen)
		*err = 0;
	if (!path) {
		rc = emit(p, o, stdout);
		if (fflush(stdout) && !rc)
			rc = -errno;
		return rc;
	}
	/* profiles are not secret: runtimes and their users read them */
	rc = sca_outfile__open(&out, path, SCA_OUTFILE_FORCE | SCA_OUTFILE_STREAM | SCA_OUTFILE_SYNC,
			       0644, err, errlen);
	if (rc)
		return rc;
	if ((rc = emit_fd(p, o, sca_outfile__fd(out)))) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		sca_outfile__discard(out);
		return rc;
	}
	return sca_outfile__commit(out, err, errlen);
}
