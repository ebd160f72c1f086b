/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the seccomp audit record parser. Each input is one
 * log line. It is parsed twice: in libFuzzer's exact-size buffer, where
 * AddressSanitizer catches any read past len, and NUL-terminated as a line
 * reader hands it over; both must agree.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit_parse.h"

static void check(int ret, const struct sca_event *e, const struct sca_audit_strings *s)
{
	if (ret != 1 && ret != 0 && ret != -EINVAL)
		abort();
	if (ret != 1)
		return;
	if (e->comm != s->comm || strlen(s->comm) >= sizeof(s->comm))
		abort();
	if (e->exe && (e->exe != s->exe || strlen(s->exe) >= sizeof(s->exe)))
		abort();
	if (strlen(s->subj) >= sizeof(s->subj) || e->tid != e->pid || e->ppid != -1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sca_audit_strings s1, s2;
	struct sca_event e1, e2;
	char *buf;
	int r1, r2;

	r1 = sca_audit__parse_line((const char *)data, size, &e1, &s1);
	check(r1, &e1, &s1);

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	r2 = sca_audit__parse_line(buf, size, &e2, &s2);
	check(r2, &e2, &s2);
	free(buf);

	if (r1 != r2)
		abort();
	if (r1 == 1 && (e1.time_ns != e2.time_ns || e1.serial != e2.serial ||
			e1.pid != e2.pid || e1.syscall != e2.syscall || e1.arch != e2.arch ||
			e1.code != e2.code || e1.ip != e2.ip || strcmp(s1.comm, s2.comm) ||
			strcmp(s1.exe, s2.exe) || strcmp(s1.subj, s2.subj)))
		abort();
	return 0;
}
