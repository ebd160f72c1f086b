/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * scratch.h - a private scratch directory for a unit test program: `dir`,
 * made by scratch_setup() and removed whole by scratch_teardown(), the
 * group setup and teardown of cmocka_run_group_tests(), and traces
 * written in it. Include it after the system headers and cmocka.h, once per
 * program.
 */
#ifndef SCA_TESTS_SCRATCH_H
#define SCA_TESTS_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

static char dir[] = "/tmp/sca-unit-XXXXXX";

static int scratch_setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int scratch_teardown(void **state)
{
	char cmd[sizeof(dir) + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A trace writer for DIR/NAME (its path in PATH), an x86_64 recording of host "h". */
static inline struct sca_writer *scratch_trace(const char *name, char *path, size_t len)
{
	struct sca_trace_meta m = { .host = "h", .source = "test", .native_arch = 0xc000003eu };
	struct sca_writer *w;

	snprintf(path, len, "%s/%s", dir, name);
	w = sca_writer__create(path, &m, NULL);
	assert_non_null(w);
	return w;
}

#endif
