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
#include <stdbool.h>
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

/*
 * What is known of a runtime's seccomp flags from its version alone, for
 * one whose features do not list them: runc refuses every flag before 1.2.0
 * (its error: "seccomp flags are not yet supported by runc"); crun 1.8.1
 * applies SECCOMP_FILTER_FLAG_LOG (sca's tests saw its errno refusal
 * logged), and nothing older was tried.
 */
struct runtime {
	const char *name;
	int major, minor;        /* the version the flags came with, or were seen in */
	bool refused_before;     /* below it: refused; else: applied from it on */
	const char *instead;     /* the fix's alternative */
};

static const struct runtime runc = { "runc", 1, 2, true, "runc 1.2 or later, or crun" };
static const struct runtime crun = { "crun", 1, 8, false, "a runtime that sets SECCOMP_FILTER_FLAG_LOG" };

static void check_runtime(struct sca_doctor_result *r, const struct runtime *rt)
{
	char out[4096], ver[160], flags[512], fix[200];
	char *argv[] = { (char *)rt->name, "--version", NULL };
	int major = 0, minor = 0;
	int rc = sca_doctor__run_program(argv, out, sizeof(out));

	if (rc == -ENOENT) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%s is not installed (not in PATH)", rt->name);
		return;
	}
	if (rc != 0) {
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, NULL, "%s --version failed: %s", rt->name,
				       rc < 0 ? strerror(-rc) : "non-zero exit");
		return;
	}
	snprintf(ver, sizeof(ver), "%.*s", (int)strcspn(out, "\n"), out);
	bool known = version_of(out, rt->name, &major, &minor);
	bool since = known && (major > rt->major || (major == rt->major && minor >= rt->minor));
	bool before = known && !since;
	int n = supported_flags(rt->name, flags, sizeof(flags));
	if (n >= 0 && sca_doctor__has_word(flags, "SECCOMP_FILTER_FLAG_LOG")) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%s; its features list SECCOMP_FILTER_FLAG_LOG "
				       "among the seccomp flags it accepts (%s)", ver, flags);
	} else if (n >= 0 || (rt->refused_before && before)) {
		snprintf(fix, sizeof(fix), "to see a container's refusals, give its profile SCMP_ACT_LOG or "
			 "SCMP_ACT_KILL_* actions, or use %s", rt->instead);
		char why[96];
		if (n >= 0)
			snprintf(why, sizeof(why), "its features list no SECCOMP_FILTER_FLAG_LOG");
		else
			snprintf(why, sizeof(why), "it refuses every seccomp flag (%s accepts them from %d.%d.0)",
				 rt->name, rt->major, rt->minor);
		sca_doctor_result__set(r, SCA_DOCTOR_WARNING, fix, "%s: %s, so a container's SCMP_ACT_ERRNO "
				       "refusals are never logged", ver, why);
	} else if (!rt->refused_before && since) {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%s: it applies a profile's seccomp flags, "
				       "SECCOMP_FILTER_FLAG_LOG among them (%s %d.%d and later; this one lists "
				       "no features to confirm it)", ver, rt->name, rt->major, rt->minor);
	} else {
		sca_doctor_result__set(r, SCA_DOCTOR_OK, NULL, "%s (it does not list the seccomp flags it "
				       "accepts)", ver);
	}
}

void sca_doctor__runc(struct sca_doctor *d, struct sca_doctor_result *r)
{
	(void)d;
	check_runtime(r, &runc);
}

void sca_doctor__crun(struct sca_doctor *d, struct sca_doctor_result *r)
{
	(void)d;
	check_runtime(r, &crun);
}
