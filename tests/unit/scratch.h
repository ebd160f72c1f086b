/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * scratch.h - a private scratch directory for a unit test program: `dir`,
 * made by scratch_setup() and removed whole by scratch_teardown(), the
 * group setup and teardown of cmocka_run_group_tests(). Include it after
 * the system headers, once per program.
 */
#ifndef SCA_TESTS_SCRATCH_H
#define SCA_TESTS_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#endif
