/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * write.c - a profile out whole, as OCI JSON or an SPO SeccompProfile: to
 * stdout, or to a file that is written as PATH.tmp and then renamed over
 * PATH, so a runtime reading PATH never sees half a profile.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"

static int emit(const struct sca_profile *p, const struct sca_gen_output *o, FILE *f)
{
	return o->spo ? sca_profile__write_spo(p, o->name, o->ns, f) : sca_profile__write_oci(p, f);
}

int sca_gen__write(const struct sca_profile *p, const char *path, const struct sca_gen_output *o,
		   char *err, size_t errlen)
{
	char *tmp = NULL;
	FILE *f;
	int rc;

	if (errlen)
		*err = 0;
	if (!path) {
		rc = emit(p, o, stdout);
		if (fflush(stdout) && !rc)
			rc = -errno;
		return rc;
	}
	if (asprintf(&tmp, "%s.tmp", path) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (!(f = fopen(tmp, "we"))) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(-rc));
		free(tmp);
		return rc;
	}
	rc = emit(p, o, f);
	if (fclose(f) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		unlink(tmp);
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
	}
	free(tmp);
	return rc;
}
