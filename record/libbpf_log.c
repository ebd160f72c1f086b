/* SPDX-License-Identifier: BSD-2-Clause */
/* libbpf_log.c - see libbpf_log.h. */
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "libbpf_log.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN && getenv("SCA_DEBUG"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

void sca_libbpf_log__quiet(void)
{
	libbpf_set_print(quiet);
}
