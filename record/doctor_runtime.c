/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * doctor_runtime.c - the container runtimes' checks (doctor_int.h): each
 * found in PATH is run (--version, features) and judged on whether a
 * profile's SECCOMP_FILTER_FLAG_LOG can reach the kernel through it, which
 * decides whether a container's errno refusals are ever logged. What it
 * prints is kept raw; the printer escapes it.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "common/cli.h"
#include "doctor_int.h"

/* X.Y of "NAME version X.Y.Z..." in out's first line; 0 if none. */
static int version_of(const char *out, const char *name, int *major, int *minor)
{
	char fmt[64];

	snprintf(fmt, sizeof(fmt), "%s version %%d.%%d", name);
	return sscanf(out, fmt, major, minor) == 2;
}

/*
 * The seccomp flags NAME accepts, from `NAME features` (runtime-spec's
 * features document: linux.seccomp.supportedFlags). -ENOENT when the
 * runtime does not say; else how many, listed in out.
 */
static int supported_flags(const char *name, char *out, size_t len)
{
	char buf[65536];
	char *argv[] = { (char *)name, "features", NULL };
	json_t *root, *flags;
	size_t at = 0;
	int n = -ENOENT;

	out[0] = 0;
	if (sca_doctor__run_program(argv, buf, sizeof(buf)) != 0 || !(root = json_loads(buf, 0, NULL)))
		return -ENOENT;
	flags = json_object_get(json_object_get(json_object_get(root, "linux"), "seccomp"), "supportedFlags");
	if (json_is_array(flags)) {
		n = 0;
		for (size_t i = 0; i < json_array_size(flags); i++) {
			const char *f = json_string_value(json_array_get(flags, i));
			if (f) {
				at = sca_appendf(out, len, at, "%s%s", n ? " " : "", f);
				n++;
			}
		}
	}
	json_decref(root);
	return n;
}

static void check_runtime(struct sca_doctor_result *r, const char *name)
{
	char out[4096], ver[160], flags[512], fix[200];
	char *argv[] = { (char *)name, "--version", NULL };
	int major = 0, minor = 0;
	int rc = sca_doctor__run_program(argv, out, sizeof(out));

	if (rc == -ENOENT) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%s is not installed (not in PATH)", name);
		return;
	}
	if (rc != 0) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, NULL, "%s --version failed: %s", name,
				       rc < 0 ? strerror(-rc) : "non-zero exit");
		return;
	}
	snprintf(ver, sizeof(ver), "%.*s", (int)strcspn(out, "\n"), out);
	bool known = version_of(out, name, &major, &minor);
	int n = supported_flags(name, flags, sizeof(flags));
	if (n >= 0 && sca_doctor__has_word(flags, "SECCOMP_FILTER_FLAG_LOG")) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%s; its features list SECCOMP_FILTER_FLAG_LOG "
				       "among the seccomp flags it accepts (%s)", ver, flags);
	} else if (n >= 0 || (!strcmp(name, "runc") && known && (major < 1 || (major == 1 && minor < 2)))) {
		snprintf(fix, sizeof(fix), "to see a container's refusals, give its profile SCMP_ACT_LOG or "
			 "SCMP_ACT_KILL_* actions, or use %s", !strcmp(name, "runc") ? "runc 1.2 or later, or crun" :
			 "a runtime that sets SECCOMP_FILTER_FLAG_LOG");
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, fix, "%s: %s, so a container's SCMP_ACT_ERRNO "
				       "refusals are never logged", ver, n >= 0 ? "its features list no "
				       "SECCOMP_FILTER_FLAG_LOG" : "it refuses every seccomp flag (runc accepts "
				       "them from 1.2.0)");
	} else if (!strcmp(name, "crun") && known && (major > 1 || (major == 1 && minor >= 8))) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%s: it applies a profile's seccomp flags, "
				       "SECCOMP_FILTER_FLAG_LOG among them (crun 1.8 and later; this one lists "
				       "no features to confirm it)", ver);
	} else {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%s (it does not list the seccomp flags it "
				       "accepts)", ver);
	}
}

void sca_doctor__runc(struct sca_doctor *d, struct sca_doctor_result *r)
{
	(void)d;
	check_runtime(r, "runc");
}

void sca_doctor__crun(struct sca_doctor *d, struct sca_doctor_result *r)
{
	(void)d;
	check_runtime(r, "crun");
}
